/* SPDX-License-Identifier: ISC */
/* t/integ/faults.c: crashes of our own processes, resource exhaustion, load and
   hostile input: each property of the issue as a test that fails when it breaks. Root-only
   cases (another uid, mounts) are registered only as root. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <skalibs/stralloc.h>

#include "control.h"
#include "fifodir.h"
#include "harness.h"
#include "suites.h"
#include "svstate.h"
#include "svstatus.h"

#define T_UID 43210             /* a uid of our own for RLIMIT_NPROC: nothing else runs as it */

 /* make check-sanitize checks the programs under test for leaks, not this runner: a
    test process ends without freeing what it read (and a failed one by design) */
int __lsan_is_turned_off (void);
int __lsan_is_turned_off (void)
{
  return 1;
}

 /* lines in a file (0 if absent); the last number in it in *last */
static unsigned int lines (char const *path, long *last)
{
  char *s = t_read(path), *p;
  unsigned int n = 0;
  if (!s) return 0;
  for (p = s; *p; )
  {
    char *nl = strchr(p, '\n');
    if (last) *last = strtol(p, 0, 10);
    n++;
    if (!nl) break;
    p = nl + 1;
  }
  free(s);
  return n;
}

struct nlines { char const *path; unsigned int n; };

static int has_lines (void *arg)
{
  struct nlines const *w = arg;
  return lines(w->path, 0) >= w->n;
}

static int wait_lines (char const *path, unsigned int n, unsigned int ms)
{
  struct nlines w = { path, n };
  return t_wait_until(&has_lines, &w, ms);
}


 /* /proc */

 /* utime + stime of pid, in clock ticks; -1 if gone */
static long cpu_ticks (pid_t pid)
{
  char fn[64];
  char *s, *p;
  long ut = -1, st = -1;
  int i;
  snprintf(fn, sizeof fn, "/proc/%d/stat", (int)pid);
  s = t_read(fn);
  if (!s) return -1;
  p = strrchr(s, ')');
   /* after ")": field 3 (state) ... field 14 utime, 15 stime */
  for (i = 2; p && i < 14; i++) p = strchr(p + 1, ' ');
  if (p && sscanf(p + 1, "%ld %ld", &ut, &st) != 2) ut = -1;
  free(s);
  return ut < 0 ? -1 : ut + st;
}

 /* voluntary + nonvoluntary context switches of pid; -1 if gone */
static long ctxt (pid_t pid)
{
  char fn[64];
  char *s, *p;
  long n = 0;
  int seen = 0;
  snprintf(fn, sizeof fn, "/proc/%d/status", (int)pid);
  s = t_read(fn);
  if (!s) return -1;
  for (p = s; (p = strstr(p, "ctxt_switches:")); p += 14, seen++) n += strtol(p + 14, 0, 10);
  free(s);
  return seen == 2 ? n : -1;
}

 /* the children of pid (from /proc/PID/task/PID/children), up to max */
static unsigned int children_of (pid_t pid, pid_t *v, unsigned int max)
{
  char fn[64];
  FILE *f;
  unsigned int n = 0;
  long p;
  snprintf(fn, sizeof fn, "/proc/%d/task/%d/children", (int)pid, (int)pid);
  f = fopen(fn, "r");
  if (!f) return 0;
  while (n < max && fscanf(f, "%ld", &p) == 1) v[n++] = (pid_t)p;
  fclose(f);
  return n;
}

 /* live processes whose comm is comm and whose cwd is dir; the first in *first */
static unsigned int procs_in (char const *comm, char const *dir, pid_t *first)
{
  char real[PATH_MAX];
  unsigned int n = 0;
  DIR *d;
  struct dirent *de;
  if (!realpath(dir, real)) return 0;
  d = opendir("/proc");
  ck_assert(d);
  while ((de = readdir(d)))
  {
    char fn[64], cwd[PATH_MAX];
    char *c;
    ssize_t r;
    pid_t pid;
    int same;
    if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
    pid = (pid_t)atol(de->d_name);
    snprintf(fn, sizeof fn, "/proc/%d/comm", (int)pid);
    c = t_read(fn);
    if (!c) continue;
    same = !strncmp(c, comm, strlen(comm)) && c[strlen(comm)] == '\n';
    free(c);
    if (!same) continue;
    snprintf(fn, sizeof fn, "/proc/%d/cwd", (int)pid);
    r = readlink(fn, cwd, sizeof cwd - 1);
    if (r < 0) continue;
    cwd[r] = 0;
    if (strcmp(cwd, real) || !t_alive(pid)) continue;
    if (!n && first) *first = pid;
    n++;
  }
  closedir(d);
  return n;
}

struct procwait { char const *comm, *dir; pid_t old; };

static int new_proc_in (void *arg)
{
  struct procwait const *w = arg;
  pid_t p = 0;
  return procs_in(w->comm, w->dir, &p) == 1 && p != w->old;
}

 /* the lowest fd number that pid does not use */
static int lowest_free_fd (pid_t pid)
{
  char fn[64];
  unsigned char used[4096] = { 0 };
  DIR *d;
  struct dirent *de;
  int i;
  snprintf(fn, sizeof fn, "/proc/%d/fd", (int)pid);
  d = opendir(fn);
  ck_assert(d);
  while ((de = readdir(d)))
  {
    long n;
    if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
    n = atol(de->d_name);
    if (n >= 0 && n < 4096) used[n] = 1;
  }
  closedir(d);
  for (i = 0; i < 4096 && used[i]; i++) ;
  return i;
}

static void set_limit (pid_t pid, int resource, rlim_t soft)
{
  struct rlimit old, new;
  ck_assert_msg(prlimit(pid, resource, 0, &old) == 0, "prlimit: %s", strerror(errno));
  new.rlim_cur = soft;
  new.rlim_max = old.rlim_max;
  ck_assert_msg(prlimit(pid, resource, &new, 0) == 0, "prlimit: %s", strerror(errno));
}

 /* the same for a process running as uid: root here may lack CAP_SYS_RESOURCE (a
    container), and without it only the same uid may change another's limits */
static void set_limit_as (uid_t uid, pid_t pid, int resource, rlim_t soft)
{
  int w;
  pid_t h = fork();
  ck_assert(h >= 0);
  if (!h)
  {
    struct rlimit old, new;
    if (setgroups(0, 0) == -1 || setgid(uid) == -1 || setuid(uid) == -1) _exit(126);
    if (prlimit(pid, resource, 0, &old) == -1) _exit(1);
    new.rlim_cur = soft == RLIM_INFINITY ? old.rlim_max : soft;
    new.rlim_max = old.rlim_max;
    _exit(prlimit(pid, resource, &new, 0) == -1 ? 2 : 0);
  }
  ck_assert(t_wait_exit(h, 5000, &w));
  ck_assert_msg(WIFEXITED(w) && !WEXITSTATUS(w), "prlimit as uid %u: status %d", (unsigned int)uid, w);
}

 /* CPU bounded during a fault: over a window of ms, pid uses at most max_ticks of CPU.
    The window is a measurement, not a synchronisation: it fails as soon as the bound is
    passed. Returns the ticks used. */
struct cpuwait { pid_t pid; long start, max; };

static int cpu_over (void *arg)
{
  struct cpuwait const *w = arg;
  long t = cpu_ticks(w->pid);
  return t < 0 || t - w->start > w->max;
}

static long cpu_window (pid_t pid, unsigned int ms, long max_ticks)
{
  char const *scale = getenv("T_CPU_SCALE");  /* sanitized builds are slower (make check-sanitize) */
  struct cpuwait w = { pid, cpu_ticks(pid), max_ticks * (scale && atoi(scale) > 0 ? atoi(scale) : 1) };
  ck_assert_msg(w.start >= 0, "process %d is gone", (int)pid);
  ck_assert_msg(!t_wait_until(&cpu_over, &w, ms), "process %d used more than %ld ticks of CPU within %u ms, or died", (int)pid, w.max, ms);
  return cpu_ticks(pid) - w.start;
}


 /* state files */

 /* SERVICE/supervise/state parsed; 0 if absent or not parseable */
static int read_state (char const *service, svstate *st)
{
  char fn[PATH_MAX];
  snprintf(fn, sizeof fn, "%s/supervise", service);
  return svstate_read(fn, st);
}

struct stwait { char const *service; pid_t pid; unsigned char state; };

static int state_is_pid (void *arg)
{
  struct stwait const *w = arg;
  svstate st;
  return read_state(w->service, &st) && st.state == w->state && st.pid == w->pid;
}

static int wait_up_pid (char const *service, pid_t pid, unsigned int ms)
{
  struct stwait w = { service, pid, SVSTATE_UP };
  return t_wait_until(&state_is_pid, &w, ms);
}

static int state_up (void *arg)
{
  svstate st;
  return read_state((char const *)arg, &st) && st.state == SVSTATE_UP && st.pid > 0;
}

 /* a child that reads SDIR/state and SDIR/status as fast as it can until TMP/STOP
    exists (30 s at most): exit 0 if every read parsed (state) or had 20 bytes (status),
    1 otherwise (the bad text is left in TMP/torn). The count of reads goes to TMP/reads. */
static pid_t torn_reader (char const *sdir, char const *stop)
{
  pid_t pid = fork();
  ck_assert(pid >= 0);
  if (!pid)
  {
    char fn[PATH_MAX], buf[4096];
    unsigned long long deadline = t_now_ms() + 30000;
    unsigned long n = 0;
    int bad = 0;
    FILE *f;
    while (access(stop, F_OK) == -1 && t_now_ms() < deadline)
    {
      ssize_t r;
      int fd;
      svstate st;
      snprintf(fn, sizeof fn, "%s/state", sdir);
      fd = open(fn, O_RDONLY);
      if (fd >= 0)
      {
        r = read(fd, buf, sizeof buf);
        close(fd);
        if (r < 0 || !svstate_parse(buf, (size_t)r, &st))
        {
          bad = 1;
          if (r > 0) { f = fopen(t_path("torn"), "w"); if (f) { fwrite(buf, 1, (size_t)r, f); fclose(f); } }
        }
        n++;
      }
      snprintf(fn, sizeof fn, "%s/status", sdir);
      fd = open(fn, O_RDONLY);
      if (fd >= 0)
      {
        r = read(fd, buf, sizeof buf);
        close(fd);
        if (r != SVSTATUS_SIZE) bad = 1;
        n++;
      }
    }
    f = fopen(t_path("reads"), "w");
    if (f) { fprintf(f, "%lu\n", n); fclose(f); }
    _exit(bad);
  }
  return pid;
}

static void torn_reader_end (pid_t pid, char const *stop)
{
  int w;
  t_write(stop, "");
  ck_assert_msg(t_wait_exit(pid, 5000, &w), "the state reader did not stop");
  ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 0, "a state file was read half-written: %s", t_read(t_path("torn")));
  ck_assert_msg(t_read_long(t_path("reads")) >= 100, "the state reader read only %ld times", t_read_long(t_path("reads")));
}


 /* processes */

 /* argv as uid:gid (no supplementary groups), stdout and stderr appended to log */
static pid_t spawn_as (uid_t uid, gid_t gid, char const *const *argv, char const *log)
{
  int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_t pid;
  ck_assert(fd >= 0);
  pid = fork();
  ck_assert(pid >= 0);
  if (!pid)
  {
    sigset_t set;
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (setgroups(0, 0) == -1 || setgid(gid) == -1 || setuid(uid) == -1) _exit(126);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(fd);
  return pid;
}

 /* argv with fds 3 to 15 open (on /dev/null), stdout and stderr appended to log */
static pid_t spawn_extra_fds (char const *const *argv, char const *log)
{
  int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_t pid;
  ck_assert(fd >= 0);
  pid = fork();
  ck_assert(pid >= 0);
  if (!pid)
  {
    sigset_t set;
    int i, null = open("/dev/null", O_RDONLY);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    for (i = 3; i <= 15; i++) if (i != null) dup2(null, i);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(fd);
  return pid;
}

 /* chown -R uid:gid path */
static void chown_r (char const *path, uid_t uid, gid_t gid)
{
  char cmd[PATH_MAX + 64];
  snprintf(cmd, sizeof cmd, "chown -R %u:%u '%s'", (unsigned int)uid, (unsigned int)gid, path);
  ck_assert_int_eq(t_sh(cmd, 0, 0, 5000), 0);
}

 /* svctl ARGS...: its stdout in *out (malloc'd, or discarded if out is 0), its exit code
    returned; its stderr goes to ours */
static int svctl_v (char **out, char const *const *args)
{
  char const *argv[16];
  char *err = 0;
  unsigned int n = 0;
  int r;
  argv[n++] = t_prog("svctl");
  while (*args && n < 15) argv[n++] = *args++;
  argv[n] = 0;
  r = t_run(argv, out, &err, 20000);
  if (err && *err) fprintf(stderr, "%s", err);
  free(err);
  return r;
}
#define svctl(out, ...) svctl_v(out, (char const *const[]){ __VA_ARGS__, 0 })

 /* supervise's pid for the service dir, under svscan (one of its children) */
static pid_t sup_of (char const *dir)
{
  pid_t p = 0;
  return procs_in("supervise", dir, &p) == 1 ? p : 0;
}


 /* crashes of our own processes */

START_TEST(kill9_supervise)
{
  pid_t scan, sup, sup2, run, r2;
  struct procwait pw = { "supervise", "sv/a", 0 };
  pid_t reader;
  t_mkdir("sv");
  t_sleeper("sv/a", "a");
  scan = t_svscan("svscan.log", 0, "sv");
  ck_assert_msg(t_wait_until(&state_up, (void *)"sv/a", 10000), "a not up within 10 s");
  ck_assert(wait_lines(t_started("a"), 1, 3000));
  run = (pid_t)t_read_long(t_started("a"));
  sup = sup_of("sv/a");
  ck_assert(sup > 0);
  reader = torn_reader("sv/a/supervise", t_path("stop"));
  kill(sup, SIGKILL);
  pw.old = sup;
  ck_assert_msg(t_wait_until(&new_proc_in, &pw, 5000), "no new supervise within 5 s of kill -9");
  sup2 = sup_of("sv/a");
  ck_assert_msg(t_wait_file_has("svscan.log", "adopted pid", 3000), "the new supervise did not adopt the running service");
  ck_assert_msg(wait_up_pid("sv/a", run, 3000), "state does not name the adopted pid");
   /* and once more: the adopted run is adopted again */
  kill(sup2, SIGKILL);
  pw.old = sup2;
  ck_assert_msg(t_wait_until(&new_proc_in, &pw, 5000), "no new supervise within 5 s of the second kill -9");
  ck_assert_msg(t_wait_until(&state_up, (void *)"sv/a", 3000), "a not up after the second restart");
  torn_reader_end(reader, t_path("stop"));
  ck_assert_msg(t_alive(run), "the service was killed with its supervise");
  ck_assert_int_eq(lines(t_started("a"), 0), 1);
  ck_assert_uint_eq(procs_in("sleep", "sv/a", &r2), 1);
  ck_assert_int_eq(r2, run);
  ck_assert_uint_eq(procs_in("supervise", "sv/a", 0), 1);
  ck_assert_msg(t_alive(scan), "svscan died");
   /* the adopted service is under control: down stops it */
  ck_assert_int_eq(svctl(0, "-w", "5", "-d", t_path("sv/a")), 0);
  ck_assert_msg(t_wait_until(&t_gone, &run, 3000), "the adopted run still alive after down");
}
END_TEST

START_TEST(kill9_svscan)
{
  pid_t scan, scan2, supa, supb, runa, runb, supa2;
  struct procwait pw = { "supervise", "sv/a", 0 };
  char *out = 0;
  t_mkdir("sv");
  t_sleeper("sv/a", "a");
  t_sleeper("sv/b", "b");
  scan = t_svscan("svscan.log", 0, "sv");
  ck_assert(t_wait_until(&state_up, (void *)"sv/a", 10000) && t_wait_until(&state_up, (void *)"sv/b", 10000));
  ck_assert(wait_lines(t_started("a"), 1, 3000) && wait_lines(t_started("b"), 1, 3000));
  runa = (pid_t)t_read_long(t_started("a"));
  runb = (pid_t)t_read_long(t_started("b"));
  supa = sup_of("sv/a");
  supb = sup_of("sv/b");
  ck_assert(supa > 0 && supb > 0);
  kill(scan, SIGKILL);
  ck_assert(t_wait_exit(scan, 2000, 0));
   /* everything below svscan keeps running and answers */
  ck_assert(t_alive(supa) && t_alive(supb) && t_alive(runa) && t_alive(runb));
  ck_assert_int_eq(svctl(&out, "-w", "5", "restart", t_path("sv/b")), 0);
  ck_assert_msg(strstr(out, "ok: run:"), "%s", out);
  free(out);
  ck_assert_msg(wait_lines(t_started("b"), 2, 3000), "b not restarted");
   /* a new svscan on the same directory starts no second supervise */
  scan2 = t_svscan("svscan2.log", 0, "sv");
  ck_assert_msg(t_wait_file_has("svscan2.log", "a: added: supervise already running", 3000) && t_wait_file_has("svscan2.log", "b: added: supervise already running", 3000),
    "the new svscan did not notice the running supervise");
  ck_assert_uint_eq(procs_in("supervise", "sv/a", 0), 1);
  ck_assert_uint_eq(procs_in("supervise", "sv/b", 0), 1);
  ck_assert_int_eq(sup_of("sv/a"), supa);
  ck_assert_int_eq(sup_of("sv/b"), supb);
   /* when the old supervise dies, the new svscan takes over and the service is adopted */
  kill(supa, SIGKILL);
  pw.old = supa;
  ck_assert_msg(t_wait_until(&new_proc_in, &pw, 5000), "the new svscan did not start a supervise for a");
  supa2 = sup_of("sv/a");
  ck_assert_msg(wait_up_pid("sv/a", runa, 3000), "a's run not adopted");
  ck_assert_uint_eq(procs_in("sleep", "sv/a", 0), 1);
  ck_assert_int_eq(lines(t_started("a"), 0), 1);
  {
    pid_t kids[16];
    unsigned int n = children_of(scan2, kids, 16), i, found = 0;
    for (i = 0; i < n; i++) if (kids[i] == supa2) found = 1;
    ck_assert_msg(found && n == 1, "the new svscan has %u children", n);
  }
}
END_TEST

START_TEST(stop_supervise)
{
  pid_t scan, supa, runa, runb;
  char *out = 0;
  int r;
  t_mkdir("sv");
  t_sleeper("sv/a", "a");
  t_sleeper("sv/b", "b");
  scan = t_svscan("svscan.log", 0, "sv");
  ck_assert(t_wait_until(&state_up, (void *)"sv/a", 10000) && t_wait_until(&state_up, (void *)"sv/b", 10000));
  ck_assert(wait_lines(t_started("a"), 1, 3000) && wait_lines(t_started("b"), 1, 3000));
  runa = (pid_t)t_read_long(t_started("a"));
  runb = (pid_t)t_read_long(t_started("b"));
  supa = sup_of("sv/a");
  kill(supa, SIGSTOP);
  r = svctl(&out, "-w", "1", "-d", t_path("sv/a"));
  ck_assert_msg(r == 1, "svctl -w 1 -d against a stopped supervise: exit %d, %s", r, out);
  ck_assert_msg(!strncmp(out, "timeout: ", 9) && !strchr(out, '\n')[1], "not one timeout: line: %s", out);
  free(out);
   /* nothing else is disturbed */
  r = svctl(&out, "-w", "5", "restart", t_path("sv/b"));
  ck_assert_msg(r == 0 && strstr(out, "ok: run:"), "b: exit %d, %s", r, out);
  free(out);
  ck_assert_msg(wait_lines(t_started("b"), 2, 3000), "b not restarted");
  ck_assert(t_alive(runa) && t_alive(scan));
  ck_assert_int_eq(sup_of("sv/a"), supa);
  ck_assert_int_eq(lines(t_started("a"), 0), 1);
  ck_assert_msg(t_wait_until(&t_gone, &runb, 3000), "b's old run still alive after its restart");
   /* once continued, it acts on the command it was sent */
  kill(supa, SIGCONT);
  r = svctl(&out, "-w", "5", "-d", t_path("sv/a"));
  ck_assert_msg(r == 0 && strstr(out, "ok: down:"), "a after CONT: exit %d, %s", r, out);
  free(out);
  ck_assert_msg(t_wait_until(&t_gone, &runa, 3000), "a's run still alive");
  ck_assert_int_eq(sup_of("sv/a"), supa);
}
END_TEST


 /* resource exhaustion */

 /* wait until fd gets bytes holding both 'd' and 'u' (events), at most ms */
static int got_du (int fd, unsigned int ms)
{
  char buf[256];
  size_t got = 0;
  unsigned long long deadline = t_now_ms() + ms;
  while (!(memchr(buf, 'd', got) && memchr(buf, 'u', got)))
  {
    ssize_t r = read(fd, buf + got, sizeof buf - got);
    if (r > 0) { got += (size_t)r; if (got == sizeof buf) got = 0; continue; }
    if (t_now_ms() >= deadline) return 0;
    {
      struct timespec ts = { 0, 5000000 };
      nanosleep(&ts, 0);
    }
  }
  return 1;
}

 /* supervise at its fd limit. The limit is inherited by run, which must still be able
    to start: supervise gets 13 extra fds from us (3 to 15, as if it had leaked them),
    so its own are above them and run, which inherits only those, stays under the limit. */
START_TEST(nofile_supervise)
{
  char const *argv[] = { t_prog("supervise"), "nf", 0 };
  pid_t sup;
  long p1, p2, p3;
  stralloc name = STRALLOC_ZERO;
  int efd;
  struct rlimit old;
  char buf[256];
  t_sleeper("nf", "nf");
  sup = spawn_extra_fds(argv, "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)"nf", 10000) && wait_lines(t_started("nf"), 1, 3000));
  lines(t_started("nf"), &p1);
  efd = fifodir_subscribe("nf/event", &name);
  ck_assert(efd >= 0);
  ck_assert_int_eq(prlimit(sup, RLIMIT_NOFILE, 0, &old), 0);

   /* no fd left: state files cannot be written, the service keeps running */
  set_limit(sup, RLIMIT_NOFILE, (rlim_t)lowest_free_fd(sup));
  ck_assert_int_eq(control_send("nf/supervise", "pc", 2), 1);
  ck_assert_msg(t_wait_file_has("sup.log", "unable to write state files", 3000), "no warning about the state files");
  ck_assert(t_wait_file_has("sup.log", "Too many open files", 1000));
  ck_assert(t_alive((pid_t)p1));
   /* and a restart waits for fds to read the configuration and env/ with */
  ck_assert_int_eq(control_send("nf/supervise", "k", 1), 1);
  ck_assert_msg(t_wait_file_has("sup.log", "supervise: warning: unable to read the configuration of nf: open-file limit (Too many open files); retrying every second\n", 3000), "no warning about the configuration naming the limit");
  cpu_window(sup, 1500, 15);
  ck_assert(t_alive(sup));
  ck_assert_int_eq(lines(t_started("nf"), 0), 1);
  ck_assert_msg(t_file_count(t_path("sup.log"), "unable to read the configuration") == 1, "the limit not said once");
  ck_assert_int_eq(prlimit(sup, RLIMIT_NOFILE, &old, 0), 0);
  ck_assert_msg(wait_lines(t_started("nf"), 2, 5000), "not restarted within 5 s of the limit raised");
  ck_assert_msg(t_wait_file_has("sup.log", "supervise: nf/run: started, no longer held back by the open-file limit\n", 2000), "no word of the recovery from the limit");
  lines(t_started("nf"), &p2);
  ck_assert(p2 != p1 && t_alive((pid_t)p2));
  ck_assert_msg(wait_up_pid("nf", (pid_t)p2, 5000), "state files not written within 5 s of the limit raised");
  ck_assert_msg(t_wait_file_has("sup.log", "written again", 2000), "no word of the recovery");
  ck_assert_msg(got_du(efd, 5000), "events lost at the fd limit");

   /* one fd to spare: configuration and state files fit, the events (a directory and a
      FIFO) do not, and wait */
  while (read(efd, buf, sizeof buf) > 0) ;
  set_limit(sup, RLIMIT_NOFILE, (rlim_t)lowest_free_fd(sup) + 1);
  ck_assert_int_eq(control_send("nf/supervise", "k", 1), 1);
  ck_assert_msg(wait_lines(t_started("nf"), 3, 5000), "not restarted with one fd to spare");
  lines(t_started("nf"), &p3);
  ck_assert_msg(wait_up_pid("nf", (pid_t)p3, 5000), "state files not written with one fd to spare");
  ck_assert_msg(t_wait_file_has("sup.log", "unable to notify nf/event", 2000), "no warning about the events");
  cpu_window(sup, 1000, 10);
  ck_assert_int_eq(prlimit(sup, RLIMIT_NOFILE, &old, 0), 0);
  ck_assert_msg(got_du(efd, 5000), "events lost with one fd to spare");
  fifodir_unsubscribe(efd, name.s);
  stralloc_free(&name);
  ck_assert_int_eq(lines(t_started("nf"), 0), 3);
}
END_TEST

 /* svscan at its fd limit: its rescans fail and its new supervise die; it warns, keeps
    what runs running, does not spin, and catches up once the limit is raised */
START_TEST(nofile_svscan)
{
  pid_t scan, runa, supa;
  long c0, c1;
  struct rlimit old;
  t_mkdir("sv");
  t_sleeper("sv/a", "a");
  scan = t_svscan("svscan.log", 0, "sv");
  ck_assert(t_wait_until(&state_up, (void *)"sv/a", 10000) && wait_lines(t_started("a"), 1, 3000));
  runa = (pid_t)t_read_long(t_started("a"));
  supa = sup_of("sv/a");
  ck_assert_int_eq(prlimit(scan, RLIMIT_NOFILE, 0, &old), 0);
  set_limit(scan, RLIMIT_NOFILE, (rlim_t)lowest_free_fd(scan));
  kill(scan, SIGHUP);
  ck_assert_msg(t_wait_file_has("svscan.log", "svscan: warning: unable to read sv: open-file limit (opendir: Too many open files); trying again every 5 seconds\n", 3000), "svscan did not warn naming the limit");
  t_mkdir("new");
  t_sleeper("new/b", "b");
  ck_assert_int_eq(rename("new/b", "sv/b"), 0);
   /* b's supervise/lock cannot be opened: b waits, said once, no supervise is spawned to die */
  ck_assert_msg(t_wait_file_has("svscan.log", "svscan: warning: unable to spawn supervise for sv/b: open-file limit (open supervise/lock: Too many open files); retrying every second\n", 3000), "no warning naming b and the limit");
  c0 = ctxt(scan);
  cpu_window(scan, 2500, 20);
  c1 = ctxt(scan);
  ck_assert_msg(c0 >= 0 && c1 - c0 <= 15, "svscan woke up %ld times in 2.5 s at the limit", c1 - c0);
  ck_assert(t_alive(scan) && t_alive(supa) && t_alive(runa));
  ck_assert_int_eq(t_file_count(t_path("svscan.log"), "unable to spawn supervise for sv/b"), 1);
  ck_assert_int_eq(t_file_count(t_path("svscan.log"), "unable to read sv"), 1);
  ck_assert_msg(!t_file_count(t_path("svscan.log"), "supervise died"), "a supervise was spawned at the limit");
  ck_assert_int_eq(prlimit(scan, RLIMIT_NOFILE, &old, 0), 0);
  ck_assert_msg(t_wait_until(&state_up, (void *)"sv/b", 7000), "b not up within 7 s of the limit raised");
  ck_assert(t_wait_file_has("svscan.log", "svscan: sv/b: supervise spawned\n", 2000));
  ck_assert_msg(t_wait_file_has("svscan.log", "svscan: sv: read again\n", 7000), "no word of the rescan after the limit");
  ck_assert_int_eq(sup_of("sv/a"), supa);
  ck_assert_int_eq(lines(t_started("a"), 0), 1);
}
END_TEST

 /* supervise as T_UID, at RLIMIT_NPROC: fork fails; it warns, retries every second
    without spinning or giving up, and starts the service once the limit is raised */
START_TEST(nproc_supervise)
{
  char const *argv[] = { 0, "np", 0 };
  pid_t sup;
  long p1, p2, c0, c1;
  svstate st;
  t_public();
  argv[0] = t_prog("supervise");
  t_sleeper("np", "np");
  t_write("np.started", "");
  chown_r("np", T_UID, T_UID);
  chown_r("np.started", T_UID, T_UID);
  sup = spawn_as(T_UID, T_UID, argv, t_path("sup.log"));
  ck_assert_msg(t_wait_until(&state_up, (void *)"np", 10000), "np not up as uid %d", T_UID);
  ck_assert(wait_lines(t_started("np"), 1, 2000));
  lines(t_started("np"), &p1);
  set_limit_as(T_UID, sup, RLIMIT_NPROC, 1);
  ck_assert_int_eq(control_send("np/supervise", "k", 1), 1);
  ck_assert_msg(t_wait_file_has("sup.log", "supervise: warning: unable to start np/run: process limit (fork: Resource temporarily unavailable); retrying every second\n", 3000), "no warning naming the limit");
  c0 = ctxt(sup);
  cpu_window(sup, 2500, 20);
  c1 = ctxt(sup);
  ck_assert(t_alive(sup));
   /* a try every second: woken by its timer, not spinning, and said once */
  ck_assert_msg(c0 >= 0 && c1 - c0 >= 2 && c1 - c0 <= 15, "supervise woke up %ld times in 2.5 s at the limit", c1 - c0);
  ck_assert_int_eq(t_file_count(t_path("sup.log"), "Resource temporarily unavailable"), 1);
  ck_assert(read_state("np", &st) && st.want == SVSTATE_WANT_UP && st.failures == 0);
  set_limit_as(T_UID, sup, RLIMIT_NPROC, RLIM_INFINITY);
   /* nothing wakes it but its own timer: a start proves the retry */
  ck_assert_msg(wait_lines(t_started("np"), 2, 5000), "not started within 5 s of the limit raised");
  ck_assert(t_wait_file_has("sup.log", "supervise: np/run: started, no longer held back by the process limit\n", 2000));
  lines(t_started("np"), &p2);
  ck_assert_msg(wait_up_pid("np", (pid_t)p2, 3000), "state does not say up");
  ck_assert(p2 != p1);
}
END_TEST

 /* svscan as T_UID, at RLIMIT_NPROC: a new service cannot get its supervise; svscan
    warns, retries, and starts it once the limit is raised */
START_TEST(nproc_svscan)
{
  char const *argv[] = { 0, "sv", 0 };
  pid_t scan, runa;
  long c0, c1;
  t_public();
  argv[0] = t_prog("svscan");
  t_mkdir("sv");
  t_sleeper("sv/a", "a");
  t_write("a.started", "");
  t_write("b.started", "");
  chown_r("sv", T_UID, T_UID);
  chown_r("a.started", T_UID, T_UID);
  chown_r("b.started", T_UID, T_UID);
  scan = spawn_as(T_UID, T_UID, argv, t_path("svscan.log"));
  ck_assert_msg(t_wait_until(&state_up, (void *)"sv/a", 10000), "a not up under svscan as uid %d", T_UID);
  ck_assert(wait_lines(t_started("a"), 1, 2000));
  runa = (pid_t)t_read_long(t_started("a"));
   /* svscan, a's supervise, a's run: no fourth */
  set_limit_as(T_UID, scan, RLIMIT_NPROC, 3);
  t_mkdir("new");
  t_sleeper("new/b", "b");
  chown_r("new/b", T_UID, T_UID);
  ck_assert_int_eq(rename("new/b", "sv/b"), 0);
  ck_assert_msg(t_wait_file_has("svscan.log", "svscan: warning: unable to spawn supervise for sv/b: process limit (fork: Resource temporarily unavailable); retrying every second\n", 3000), "svscan did not warn naming b and the limit");
  c0 = ctxt(scan);
  cpu_window(scan, 2500, 20);
  c1 = ctxt(scan);
  ck_assert_msg(c0 >= 0 && c1 - c0 >= 2 && c1 - c0 <= 15, "svscan woke up %ld times in 2.5 s at the limit", c1 - c0);
  ck_assert_int_eq(t_file_count(t_path("svscan.log"), "Resource temporarily unavailable"), 1);
  ck_assert(t_alive(scan) && t_alive(runa));
  set_limit_as(T_UID, scan, RLIMIT_NPROC, RLIM_INFINITY);
   /* nothing wakes svscan but its own timer: b up proves the retry */
  ck_assert_msg(t_wait_until(&state_up, (void *)"sv/b", 10000), "b not up within 10 s of the limit raised");
  ck_assert(t_wait_file_has("svscan.log", "svscan: sv/b: supervise spawned\n", 2000));
  ck_assert_int_eq(lines(t_started("a"), 0), 1);
}
END_TEST

 /* svscan as T_UID at RLIMIT_NPROC while services keep coming: each waiting service is
    named once with the limit, svscan retries on a timer without spinning, and
    once the limit is raised every one of them comes up, the running one untouched */
#define MANY 8
START_TEST(nproc_svscan_many)
{
  char const *argv[] = { 0, "sv", 0 };
  pid_t scan, runa, supa;
  long c0, c1;
  unsigned int i;
  t_public();
  argv[0] = t_prog("svscan");
  t_mkdir("sv");
  t_mkdir("new");
  t_sleeper("sv/a", "a");
  t_write("a.started", "");
  chown_r("sv", T_UID, T_UID);
  chown_r("a.started", T_UID, T_UID);
  for (i = 0; i < MANY; i++)
  {
    char dir[32], tag[8];
    snprintf(tag, sizeof tag, "m%u", i);
    snprintf(dir, sizeof dir, "new/%s", tag);
    t_sleeper(dir, tag);
    t_write(t_started(tag), "");
    chown_r(dir, T_UID, T_UID);
    chown_r(t_started(tag), T_UID, T_UID);
  }
  scan = spawn_as(T_UID, T_UID, argv, t_path("svscan.log"));
  ck_assert_msg(t_wait_until(&state_up, (void *)"sv/a", 10000), "a not up under svscan as uid %d", T_UID);
  ck_assert(wait_lines(t_started("a"), 1, 2000));
  runa = (pid_t)t_read_long(t_started("a"));
  supa = sup_of("sv/a");
  set_limit_as(T_UID, scan, RLIMIT_NPROC, 3);
  for (i = 0; i < MANY; i++)
  {
    char from[32], to[32];
    snprintf(from, sizeof from, "new/m%u", i);
    snprintf(to, sizeof to, "sv/m%u", i);
    ck_assert_int_eq(rename(from, to), 0);
  }
  for (i = 0; i < MANY; i++)
  {
    char line[160];
    snprintf(line, sizeof line, "svscan: warning: unable to spawn supervise for sv/m%u: process limit (fork: Resource temporarily unavailable); retrying every second\n", i);
    ck_assert_msg(t_wait_file_has("svscan.log", line, 5000), "m%u not said to wait for the process limit", i);
  }
  c0 = ctxt(scan);
  cpu_window(scan, 3000, 20);
  c1 = ctxt(scan);
  ck_assert_msg(c0 >= 0 && c1 - c0 <= 15, "svscan woke up %ld times in 3 s at the limit", c1 - c0);
  ck_assert_int_eq(t_file_count(t_path("svscan.log"), "unable to spawn supervise"), MANY);
  ck_assert(t_alive(scan) && t_alive(supa) && t_alive(runa));
  set_limit_as(T_UID, scan, RLIMIT_NPROC, RLIM_INFINITY);
  for (i = 0; i < MANY; i++)
  {
    char dir[32], tag[8];
    snprintf(tag, sizeof tag, "m%u", i);
    snprintf(dir, sizeof dir, "sv/%s", tag);
    ck_assert_msg(t_wait_until(&state_up, (void *)dir, 10000), "%s not up within 10 s of the limit raised", dir);
    ck_assert_msg(wait_lines(t_started(tag), 1, 5000), "%s never ran", tag);
  }
  ck_assert_int_eq(t_file_count(t_path("svscan.log"), "supervise spawned"), MANY);
  ck_assert_int_eq(sup_of("sv/a"), supa);
  ck_assert_int_eq(lines(t_started("a"), 0), 1);
}
END_TEST

 /* a tmpfs at dir, in a private mount namespace: this test's process and what it starts
    see it; teardown, outside, sees an empty dir */
static void private_tmpfs (char const *dir, char const *opts)
{
  ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
  ck_assert_int_eq(mount("none", "/", 0, MS_REC | MS_PRIVATE, 0), 0);
  t_mkdir(dir);
  ck_assert_msg(mount("tmpfs", dir, "tmpfs", 0, opts) == 0, "mount: %s", strerror(errno));
}

 /* a 64 KiB tmpfs at fs/, and service NAME whose supervise/ is a link into it */
static void tiny_fs (char const *name)
{
  char link[PATH_MAX], path[PATH_MAX];
  private_tmpfs("fs", "size=64k,mode=0755");
  snprintf(link, sizeof link, "../fs/%s", name);
  snprintf(path, sizeof path, "%s/supervise", name);
  ck_assert_int_eq(symlink(link, path), 0);
}

 /* fill the filesystem of path with file, until ENOSPC */
static void fill (char const *file)
{
  static char chunk[4096];
  int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ck_assert(fd >= 0);
  memset(chunk, 'f', sizeof chunk);
  while (write(fd, chunk, sizeof chunk) > 0) ;
  ck_assert_int_eq(errno, ENOSPC);
  while (write(fd, chunk, 1) > 0) ;
  close(fd);
}

static void state_fault (char const *name, int readonly)
{
  pid_t sup;
  long p1, p2;
  t_sleeper(name, name);
  tiny_fs(name);
  sup = t_supervise(name, "sup.log", "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)name, 10000) && wait_lines(t_started(name), 1, 3000));
  lines(t_started(name), &p1);
   /* a read-only bind mount of fs over itself: remounting fs itself read-only would be
      EBUSY while supervise holds supervise/lock open for writing */
  if (readonly)
  {
    ck_assert_msg(mount("fs", "fs", 0, MS_BIND, 0) == 0, "bind: %s", strerror(errno));
    ck_assert_msg(mount(0, "fs", 0, MS_REMOUNT | MS_BIND | MS_RDONLY, 0) == 0, "remount: %s", strerror(errno));
  }
  else fill("fs/filler");
  {
    char fifo[PATH_MAX];
    snprintf(fifo, sizeof fifo, "%s/supervise", name);
    ck_assert_int_eq(control_send(fifo, "k", 1), 1);
  }
  ck_assert_msg(wait_lines(t_started(name), 2, 5000), "not restarted with supervise/ %s", readonly ? "read-only" : "full");
  lines(t_started(name), &p2);
  ck_assert_msg(t_wait_file_has("sup.log", readonly ? "Read-only file system" : "No space left on device", 3000), "no warning with the reason");
  cpu_window(sup, 1500, 15);
  ck_assert(t_alive(sup) && t_alive((pid_t)p2));
  if (readonly) ck_assert_msg(umount2("fs", MNT_DETACH) == 0, "umount: %s", strerror(errno));
  else ck_assert_int_eq(unlink("fs/filler"), 0);
  ck_assert_msg(wait_up_pid(name, (pid_t)p2, 5000), "state files not written within 5 s of the space back");
  ck_assert(t_wait_file_has("sup.log", "written again", 2000));
  ck_assert_int_eq(lines(t_started(name), 0), 2);
}

START_TEST(full_fs)
{
  state_fault("full", 0);
}
END_TEST

START_TEST(readonly_fs)
{
  state_fault("ro", 1);
}
END_TEST


 /* load */

static unsigned int load_n (void)
{
  char const *s = getenv("T_LOAD_SERVICES");
  unsigned int n = s ? (unsigned int)atoi(s) : 1000;
  return n ? n : 1000;
}

 /* n services sv/s0..., all up and ready; every supervise and svscan without a single
    context switch for 2 s */
START_TEST(thousand)
{
  unsigned int n = load_n(), i, next = 0, nk;
  pid_t scan;
  pid_t *kids = calloc(n + 16, sizeof(pid_t));
  long *before = calloc(n + 16, sizeof(long));
  unsigned long long t0, deadline;
  char path[64];
  ck_assert(kids && before);
   /* as root, on a tmpfs: creating and removing 10000 files on this disk takes longer
      than the rest of the test */
  if (geteuid() == 0) private_tmpfs("sv", "mode=0755");
  else t_mkdir("sv");
  for (i = 0; i < n; i++)
  {
    snprintf(path, sizeof path, "sv/s%u", i);
    t_service(path, "exec sleep 1000");
  }
  t0 = t_now_ms();
  scan = t_svscan("svscan.log", 0, "sv");
  deadline = t0 + 45000;
   /* ready (min-uptime passed): no timer left in any supervise */
  while (next < n && t_now_ms() < deadline)
  {
    char *v;
    snprintf(path, sizeof path, "sv/s%u", next);
    v = t_state_key(path, "ready");
    if (v && !strcmp(v, "1")) next++;
    else { struct timespec ts = { 0, 20000000 }; nanosleep(&ts, 0); }
    free(v);
  }
  ck_assert_msg(next == n, "%u of %u services ready after 45 s", next, n);
  fprintf(stderr, "faults: %u services up and ready in %llu ms\n", n, t_now_ms() - t0);
  nk = children_of(scan, kids, n + 16);
  ck_assert_uint_eq(nk, n);
  kids[nk] = scan;
  for (i = 0; i <= nk; i++) before[i] = ctxt(kids[i]);
   /* the window: a measurement; each 250 ms, any switch fails it at once */
  t0 = t_now_ms();
  while (t_now_ms() < t0 + 2000)
  {
    struct timespec ts = { 0, 250000000 };
    nanosleep(&ts, 0);
    for (i = 0; i <= nk; i++)
    {
      long c = ctxt(kids[i]);
      ck_assert_msg(c == before[i], "%s %d woke up %ld times while idle", i == nk ? "svscan" : "supervise", (int)kids[i], c - before[i]);
    }
  }
   /* quicker than teardown's rounds: svscan stopped, then each service's group and supervise */
  t0 = t_now_ms();
  kill(scan, SIGSTOP);
  for (i = 0; i < nk; i++)
  {
    svstate st;
    snprintf(path, sizeof path, "sv/s%u", i);
    if (read_state(path, &st) && st.pid > 1) kill(-st.pid, SIGKILL);
  }
  for (i = 0; i < nk; i++) kill(kids[i], SIGKILL);
  kill(scan, SIGKILL);
  fprintf(stderr, "faults: %u services killed in %llu ms\n", n, t_now_ms() - t0);
  free(kids);
  free(before);
}
END_TEST

 /* a service whose control/h appends a line to TMP/NAME.h: each h command runs it once */
static void mksvc_h (char const *path, char const *tag)
{
  char s[PATH_MAX + 64], c[PATH_MAX];
  t_sleeper(path, tag);
  snprintf(c, sizeof c, "%s/control", path);
  t_mkdir(c);
  snprintf(c, sizeof c, "%s/control/h", path);
  snprintf(s, sizeof s, "#!/bin/sh\necho h >>'%s/%s.h'\n", t_dir(), tag);
  t_write_exec(c, s);
}

 /* 100 svctl at once: each argv gets answered, out/N.out */
static void clients (char const *const *args, unsigned int nargs, unsigned int n)
{
  pid_t pids[100];
  unsigned int i;
  char const *argv[16];
  ck_assert(nargs < 15 && n <= 100);
  argv[0] = t_prog("svctl");
  for (i = 0; i < nargs; i++) argv[i + 1] = args[i];
  argv[nargs + 1] = 0;
  t_mkdir("out");
  for (i = 0; i < n; i++)
  {
    char fn[64];
    snprintf(fn, sizeof fn, "out/%u.out", i);
    unlink(fn);
    pids[i] = t_spawn_io(argv, fn, fn);
  }
  for (i = 0; i < n; i++)
  {
    int w;
    ck_assert_msg(t_wait_exit(pids[i], 30000, &w), "client %u not answered within 30 s", i);
    ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 0, "client %u: status %d", i, w);
  }
}

START_TEST(clients_one)
{
  char const *args[] = { "-v", "hup", "a" };
  unsigned int i;
  t_mkdir("sv");
  mksvc_h("sv/a", "a");
  setenv("SVDIR", t_path("sv"), 1);
  t_supervise("sv/a", "sup.log", "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)"sv/a", 10000));
  clients(args, 3, 100);
  for (i = 0; i < 100; i++)
  {
    char fn[64];
    snprintf(fn, sizeof fn, "out/%u.out", i);
    ck_assert_msg(t_file_count(fn, "ok: run: a: ") == 1, "client %u: %s", i, t_read(fn));
  }
  ck_assert_msg(wait_lines(t_path("a.h"), 100, 10000), "%u of 100 h commands applied", lines(t_path("a.h"), 0));
  ck_assert_uint_eq(lines(t_path("a.h"), 0), 100);
}
END_TEST

START_TEST(clients_all)
{
  char const *args[] = { "-v", "hup", "s0", "s1", "s2", "s3", "s4" };
  char const *st[] = { "status" };
  unsigned int i;
  t_mkdir("sv");
  for (i = 0; i < 5; i++)
  {
    char p[32], tag[8];
    snprintf(p, sizeof p, "sv/s%u", i);
    snprintf(tag, sizeof tag, "s%u", i);
    mksvc_h(p, tag);
  }
  setenv("SVDIR", t_path("sv"), 1);
  t_svscan("svscan.log", 0, "sv");
  for (i = 0; i < 5; i++)
  {
    char p[32];
    snprintf(p, sizeof p, "sv/s%u", i);
    ck_assert(t_wait_until(&state_up, (void *)p, 10000));
  }
  clients(args, 7, 100);
  for (i = 0; i < 100; i++)
  {
    char fn[64];
    snprintf(fn, sizeof fn, "out/%u.out", i);
    ck_assert_msg(t_file_count(fn, "ok: run: s") == 5, "client %u: %s", i, t_read(fn));
  }
  for (i = 0; i < 5; i++)
  {
    char fn[32];
    snprintf(fn, sizeof fn, "s%u.h", i);
    ck_assert_msg(wait_lines(t_path(fn), 100, 10000), "s%u: %u of 100 h commands applied", i, lines(t_path(fn), 0));
    ck_assert_uint_eq(lines(t_path(fn), 0), 100);
  }
  clients(st, 1, 100);
  for (i = 0; i < 100; i++)
  {
    char fn[64];
    snprintf(fn, sizeof fn, "out/%u.out", i);
    ck_assert_msg(t_file_count(fn, "run: s") == 5 && lines(fn, 0) == 5, "status client %u: %s", i, t_read(fn));
  }
}
END_TEST

 /* an event FIFO with a reader that never reads, full to the brim */
static int full_fifo (char const *evdir)
{
  stralloc name = STRALLOC_ZERO;
  char chunk[4096];
  int fd = fifodir_subscribe(evdir, &name);
  ck_assert(fd >= 0);
  stralloc_free(&name);
  memset(chunk, '?', sizeof chunk);
  while (write(fd, chunk, sizeof chunk) > 0) ;
  while (write(fd, chunk, 1) > 0) ;
  ck_assert_int_eq(errno, EAGAIN);
  return fd;
}

 /* a run that exits at once: failed starts, backed off 1 s, 2 s, 4 s (SPEC 2) */
START_TEST(crash_loop)
{
  pid_t sup;
  svstate st;
  long t;
  char *out = 0;
  char s[PATH_MAX + 64];
  snprintf(s, sizeof s, "echo $$ >>'%s/c.started'\nexit 1", t_dir());
  t_service("c", s);
  sup = t_supervise("c", "sup.log", "sup.log");
  ck_assert(wait_lines(t_started("c"), 1, 5000));
  full_fifo("c/event");
  t = cpu_window(sup, 3300, 15);
   /* t=0 start, t=1 s, t=3 s: three, a fourth not before t=7 s */
  ck_assert_msg(lines(t_started("c"), 0) <= 3, "%u starts in 3.3 s", lines(t_started("c"), 0));
  ck_assert_msg(lines(t_started("c"), 0) >= 2, "not retried");
  ck_assert(read_state("c", &st));
  ck_assert_msg(st.state == SVSTATE_BACKOFF && st.failures >= 2 && st.backoff_until > 0, "state %u failures %llu", st.state, (unsigned long long)st.failures);
  ck_assert_int_eq(svctl(&out, "status", t_path("c")), 0);
  ck_assert_msg(strstr(out, ", backoff "), "%s", out);
  free(out);
  ck_assert_int_eq(svctl(0, "-w", "3", "-d", t_path("c")), 0);
  fprintf(stderr, "faults: crash loop: supervise used %ld ticks in 3.3 s\n", t);
}
END_TEST

 /* a run that lives 20 ms, min-uptime 10 ms: restarted at once, ~40 times a second;
    supervise stays cheap, state files are never torn, a full event FIFO never blocks */
START_TEST(restart_loop)
{
  pid_t sup, reader;
  long t;
  unsigned int n0, n1;
  char s[PATH_MAX + 64];
  snprintf(s, sizeof s, "echo $$ >>'%s/r.started'\nexec sleep 0.02", t_dir());
  t_service("r", s);
  t_write("r/min-uptime", "10\n");
  sup = t_supervise("r", "sup.log", "sup.log");
  ck_assert(wait_lines(t_started("r"), 1, 5000));
  full_fifo("r/event");
  reader = torn_reader("r/supervise", t_path("stop"));
  n0 = lines(t_started("r"), 0);
  t = cpu_window(sup, 2000, 40);
  n1 = lines(t_started("r"), 0);
  torn_reader_end(reader, t_path("stop"));
  ck_assert_msg(n1 - n0 >= 20, "only %u restarts in 2 s", n1 - n0);
  fprintf(stderr, "faults: restart loop: %u restarts in 2 s, supervise used %ld ticks\n", n1 - n0, t);
  ck_assert_int_eq(svctl(0, "-w", "5", "-d", t_path("r")), 0);
  ck_assert(t_alive(sup));
}
END_TEST


 /* hostile input */

 /* names svscan must start and svctl must reach; "..." is a dot-name: ignored */
START_TEST(hostile_names)
{
  static char const *const names[] = { "a b", "new\nline", "\xff\xfe-latin", "-dash", 0 };
  char longname[256];
  char const *all[6];
  unsigned int i, n = 0;
  char *out = 0;
  int r;
  memset(longname, 'n', 255);
  longname[255] = 0;
  for (i = 0; names[i]; i++) all[n++] = names[i];
  all[n++] = longname;
  all[n] = 0;
  t_mkdir("sv");
  setenv("SVDIR", t_path("sv"), 1);
  for (i = 0; i < n; i++)
  {
    char p[PATH_MAX];
    snprintf(p, sizeof p, "sv/%s", all[i]);
    t_service(p, "exec sleep 1000");
  }
  t_service("sv/...", "exec sleep 1000");
  t_svscan("svscan.log", 0, "sv");
  for (i = 0; i < n; i++)
  {
    char p[PATH_MAX];
    snprintf(p, sizeof p, "sv/%s", all[i]);
    ck_assert_msg(t_wait_until(&state_up, p, 5000), "service %u not up", i);
  }
  ck_assert(access("sv/.../supervise", F_OK) == -1);
  for (i = 0; i < n; i++)
  {
    char const *argv[] = { t_prog("svctl"), "-w", "5", "restart", "--", all[i], 0 };
    r = t_run(argv, &out, 0, 10000);
    ck_assert_msg(r == 0 && !strncmp(out, "ok: run: ", 9), "svctl restart of service %u: exit %d: %s", i, r, out);
    free(out);
  }
  {
    char const *argv[] = { t_prog("svctl"), "-u", "--", "-dash", 0 };
    ck_assert_int_eq(t_run(argv, 0, 0, 10000), 0);
  }
  r = svctl(&out, "status");
  ck_assert_msg(r == 0 && t_file_count(t_path("sv/a b/supervise/stat"), "run") == 1, "status of all: %d", r);
  {
    unsigned int k = 0;
    char *p;
    for (p = out; (p = strstr(p, "run: ")); p++) k++;
    ck_assert_msg(k == n, "%u services listed: %s", k, out);
  }
  free(out);
   /* names that lead nowhere: a fail: line and a non-zero exit, never a crash */
  {
    static char const *const bad[] = { "..", "../..", "", "nonexistent", "/", "./-x", 0 };
    char huge[5000];
    char const *argv[] = { t_prog("svctl"), "status", "--", 0, 0 };
    memset(huge, 'h', sizeof huge - 1);
    huge[sizeof huge - 1] = 0;
    for (i = 0; ; i++)
    {
      argv[3] = bad[i] ? bad[i] : huge;
      r = t_run(argv, &out, 0, 5000);
      ck_assert_msg(r >= 1 && r < 100 && (!strncmp(out, "fail: ", 6) || !strncmp(out, "warning: ", 9)), "svctl status '%.20s': exit %d: %s", argv[3], r, out);
      free(out);
      if (!bad[i]) break;
    }
    argv[1] = "-u";
    for (i = 0; bad[i]; i++)
    {
      argv[3] = bad[i];
      r = t_run(argv, &out, 0, 5000);
      ck_assert_msg(r >= 1 && r < 100, "svctl -u '%s': exit %d: %s", bad[i], r, out);
      free(out);
    }
  }
}
END_TEST

 /* env/BIG of 10 MiB: its first line is the value; nothing crashes */
START_TEST(huge_env)
{
  char s[PATH_MAX + 64];
  char *v;
  int fd;
  static char chunk[65536];
  unsigned int i;
  snprintf(s, sizeof s, "printf '%%s' \"$BIG\" >'%s/big.value'\nprintf '%%s' \"${#LONG}\" >'%s/long.len'\nexec sleep 1000", t_dir(), t_dir());
  t_service("e", s);
  t_mkdir("e/env");
  fd = open("e/env/BIG", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ck_assert(fd >= 0);
  ck_assert_int_eq(write(fd, "first\n", 6), 6);
  memset(chunk, 'y', sizeof chunk);
  for (i = 0; i < 160; i++) ck_assert_int_eq(write(fd, chunk, sizeof chunk), (ssize_t)sizeof chunk);
  close(fd);
   /* and one line of 10 MiB */
  fd = open("e/env/LONG", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ck_assert(fd >= 0);
  for (i = 0; i < 160; i++) ck_assert_int_eq(write(fd, chunk, sizeof chunk), (ssize_t)sizeof chunk);
  close(fd);
  t_supervise("e", "sup.log", "sup.log");
  ck_assert_msg(t_wait_until(&t_has_file, (void *)"long.len", 10000), "run did not start with a 10 MiB env/");
  {
     /* README: the first line only, 4 KiB at most for a single line (cut, not dropped) */
    long len = t_read_long("long.len");
    fprintf(stderr, "faults: a 10 MiB env/ file with no newline gave a value of %ld bytes\n", len);
    ck_assert_msg(len >= 4000 && len <= 4096, "a 10 MiB line gave a value of %ld bytes, not 4 KiB at most (and not empty)", len);
  }
  ck_assert(t_wait_until(&state_up, (void *)"e", 10000));
  v = t_read("big.value");
  ck_assert_str_eq(v, "first");
  free(v);
}
END_TEST

 /* 4096 bytes of arg into g/supervise/control, if the FIFO has room for them */
static int sent (void *arg)
{
  return control_send("g/supervise", (char const *)arg, 4096) == 1;
}

 /* every byte but the commands, and random bytes, into supervise/control */
START_TEST(control_garbage)
{
  pid_t sup;
  long p1;
  char buf[4096];
  unsigned int i, n = 0;
  uint32_t x = 2463534242u;
  char *out = 0;
  t_sleeper("g", "g");
  sup = t_supervise("g", "sup.log", "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)"g", 10000) && wait_lines(t_started("g"), 1, 3000));
  p1 = t_read_long(t_started("g"));
  for (i = 0; i < 256; i++)
    if (!i || !strchr("udoxpchaiq12tk", (int)i)) buf[n++] = (char)i;
  ck_assert_int_eq(control_send("g/supervise", buf, n), 1);
  for (i = 0; i < 20; i++)
  {
    unsigned int j;
    for (j = 0; j < sizeof buf; j++)
    {
      char c;
      do
      {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        c = (char)(x & 0xff);
      } while (c && strchr("udoxpchaiq12tk", c));
      buf[j] = c;
    }
    ck_assert_msg(t_wait_until(&sent, buf, 5000), "supervise stopped reading its control FIFO");
  }
   /* processed: a command after the garbage is answered, and nothing else happened */
  ck_assert_int_eq(svctl(&out, "-w", "5", "cont", t_path("g")), 0);
  free(out);
  ck_assert(t_alive(sup) && t_alive((pid_t)p1));
  ck_assert_int_eq(lines(t_started("g"), 0), 1);
  ck_assert(wait_up_pid("g", (pid_t)p1, 1000));
  ck_assert_int_eq(svctl(0, "-w", "5", "-d", t_path("g")), 0);
}
END_TEST

 /* truncated and random status and state files: svctl warns, never crashes */
START_TEST(corrupt_state)
{
  static char const good[] = "state=up\npid=820\nsince=1795933900552681416\nwant=up\nnormally=up\npaused=0\nready=1\n"
    "ready_since=1795933901552681416\nrestarts=0\nfailures=0\nlast_exit=\nbackoff_until=0\npid_start=1\n";
  char status[SVSTATUS_SIZE];
  svstatus st = SVSTATUS_ZERO;
  uint32_t x = 88172645u;
  int fd;
  unsigned int i;
  char *out = 0;
  int r;
  t_mkdir("f/supervise");
  ck_assert_int_eq(mkfifo("f/supervise/control", 0600), 0);
  fd = open("f/supervise/control", O_RDWR | O_NONBLOCK | O_CLOEXEC);  /* a "supervise" that listens */
  ck_assert(fd >= 0);
  st.sec = 1795933900;
  st.nsec = 552681416;
  st.pid = 820;
  st.want = 'u';
  st.state = SVSTATUS_RUN;
  svstatus_pack(status, &st);
   /* truncated status */
  for (i = 0; i <= SVSTATUS_SIZE + 1; i++)
  {
    int f2 = open("f/supervise/status", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert(f2 >= 0);
    ck_assert_int_eq(write(f2, status, i > SVSTATUS_SIZE ? SVSTATUS_SIZE : i), i > SVSTATUS_SIZE ? SVSTATUS_SIZE : (ssize_t)i);
    if (i > SVSTATUS_SIZE) ck_assert_int_eq(write(f2, "!", 1), 1);
    close(f2);
    unlink("f/supervise/state");
    r = svctl(&out, "status", t_path("f"));
    if (i == SVSTATUS_SIZE) ck_assert_msg(r == 0 && !strncmp(out, "run: ", 5), "good status: %d %s", r, out);
    else ck_assert_msg(r == 1 && !strncmp(out, "warning: ", 9), "status of %u bytes: exit %d: %s", i, r, out);
    free(out);
  }
   /* truncated state, with a good status: at every byte */
  t_write("f/supervise/status", "");
  {
    int f2 = open("f/supervise/status", O_WRONLY | O_TRUNC | O_CLOEXEC);
    ck_assert_int_eq(write(f2, status, SVSTATUS_SIZE), SVSTATUS_SIZE);
    close(f2);
  }
  for (i = 0; i < sizeof good - 1; i += 7)
  {
    int f2 = open("f/supervise/state", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert_int_eq(write(f2, good, i), (ssize_t)i);
    close(f2);
    r = svctl(&out, "status", t_path("f"));
    ck_assert_msg(r <= 1 && (!strncmp(out, "run: ", 5) || !strncmp(out, "warning: ", 9)), "state of %u bytes: exit %d: %s", i, r, out);
    free(out);
    r = svctl(&out, "status", "--json", t_path("f"));
    ck_assert_msg(r <= 1 && out[0] == '{', "json, state of %u bytes: exit %d: %s", i, r, out);
    free(out);
  }
   /* random status and state */
  for (i = 0; i < 30; i++)
  {
    char junk[300];
    unsigned int j, len = 1 + i * 9;
    int f2;
    for (j = 0; j < sizeof junk; j++)
    {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      junk[j] = (char)(x & 0xff);
      if (j % 11 == 10) junk[j] = i & 1 ? '\n' : '=';
    }
    f2 = open("f/supervise/status", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert_int_eq(write(f2, i & 2 ? junk : status, SVSTATUS_SIZE), SVSTATUS_SIZE);
    close(f2);
    f2 = open("f/supervise/state", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert_int_eq(write(f2, junk, len), (ssize_t)len);
    close(f2);
    r = svctl(&out, "status", t_path("f"));
    ck_assert_msg(r <= 1 && out && (!strncmp(out, "run: ", 5) || !strncmp(out, "down: ", 6) || !strncmp(out, "finish: ", 8) || !strncmp(out, "warning: ", 9)), "random %u: exit %d: %s", i, r, out);
    free(out);
    r = svctl(&out, "-w", "0", "check", t_path("f"));
    ck_assert_msg(r <= 1, "check, random %u: exit %d: %s", i, r, out);
    free(out);
  }
  close(fd);
}
END_TEST


static void add (Suite *s, char const *name, TTest const *f, int timeout)
{
  tcase_add_test(t_tcase(s, name, (unsigned int)timeout), f);
}

 /* one TCase per test: each gets its own temp dir, and its processes are gone before the next */
Suite *faults_suite (void)
{
  Suite *s = suite_create("faults");
  add(s, "kill9_supervise", kill9_supervise, 30);
  add(s, "kill9_svscan", kill9_svscan, 30);
  add(s, "stop_supervise", stop_supervise, 30);
  add(s, "nofile_supervise", nofile_supervise, 30);
  add(s, "nofile_svscan", nofile_svscan, 30);
  if (geteuid() == 0)
  {
    add(s, "nproc_supervise", nproc_supervise, 30);
    add(s, "nproc_svscan", nproc_svscan, 30);
    add(s, "nproc_svscan_many", nproc_svscan_many, 40);
    add(s, "full_fs", full_fs, 30);
    add(s, "readonly_fs", readonly_fs, 30);
  }
  else
  {
    static char const *const cases[] = { "nproc_supervise", "nproc_svscan", "nproc_svscan_many", "full_fs", "readonly_fs", 0 };
    unsigned int i;
    for (i = 0; cases[i]; i++) fprintf(stderr, "skip: %s: needs root\n", cases[i]);
  }
  add(s, "thousand", thousand, 90);
  add(s, "clients_one", clients_one, 60);
  add(s, "clients_all", clients_all, 60);
  add(s, "crash_loop", crash_loop, 30);
  add(s, "restart_loop", restart_loop, 30);
  add(s, "hostile_names", hostile_names, 30);
  add(s, "huge_env", huge_env, 30);
  add(s, "control_garbage", control_garbage, 30);
  add(s, "corrupt_state", corrupt_state, 30);
  return s;
}
