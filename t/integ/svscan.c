/* SPDX-License-Identifier: ISC */
/* t/integ/svscan.c: bin/svscan with the real bin/supervise: scanning, respawning, restarts,
   shutdown, critical services, and PID 1 in a PID namespace (root only) */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>

#include "harness.h"
#include "suites.h"

 /* a service whose run traps TERM: records TMP/tag.term, kills its sleep and exits 0.
    (Killing it matters: a TERM that reaches the sleep between sh's fork and its exec
    is swallowed by sh's handler in the child, and the sleep would outlive the stop.) */
static void mksvc_trap (char const *path, char const *tag)
{
  char s[3 * PATH_MAX];
  snprintf(s, sizeof s,
    "trap 'echo term >>\"%s/%s.term\"; kill $! 2>/dev/null; exit 0' TERM\n"
    "echo $$ >>'%s/%s.started'\n"
    "sleep 1000 & wait\n", t_dir(), tag, t_dir(), tag);
  t_service(path, s);
}

static int exists (char const *path)
{
  return access(path, F_OK) == 0;
}

static int has_pid (void *path)
{
  return t_read_long((char const *)path) > 0;
}

 /* TMP/tag.started holds a pid (not just created: echo opens before it writes) */
static int wait_started (char const *tag, unsigned int ms)
{
  return t_wait_until(&has_pid, (void *)t_started(tag), ms);
}

 /* SIGTERM, then the exit code (128+sig if killed), -1 if still running after ms */
static int svscan_stop (pid_t pid, unsigned int ms)
{
  kill(pid, SIGTERM);
  return t_wait_code(pid, ms);
}

/* a file's text for failure messages (never freed: the test process ends with the message) */
static char const *text (char const *path)
{
  char *s = t_read(path);
  return s ? s : "(none)";
}

/* SIGTERM to svscan: it must exit 0 within 10 s */
#define STOP_OK(pid, log) do \
{ \
  int c_ = svscan_stop((pid), 10000); \
  ck_assert_msg(c_ == 0, "svscan: exit %d after SIGTERM; %s:\n%s", c_, (log), text(log)); \
} while (0)

 /* live supervise processes (by argv[0]'s basename) whose cwd is dir, or is under dir
    when prefix is set; pids in v (up to max); returns how many */
static unsigned int supervises (char const *dir, int prefix, pid_t *v, unsigned int max)
{
  char real[PATH_MAX];
  size_t rlen;
  unsigned int n = 0;
  DIR *d;
  struct dirent *de;
  if (!realpath(dir, real)) return 0;
  rlen = strlen(real);
  d = opendir("/proc");
  ck_assert(d);
  while ((de = readdir(d)))
  {
    char fn[64], cwd[PATH_MAX];
    char *cmd, *base;
    ssize_t r;
    pid_t pid;
    if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
    pid = (pid_t)atol(de->d_name);
    snprintf(fn, sizeof fn, "/proc/%d/cmdline", (int)pid);
    cmd = t_read(fn);
    if (!cmd) continue;
    base = strrchr(cmd, '/');
    base = base ? base + 1 : cmd;
    r = strcmp(base, "supervise");
    free(cmd);
    if (r) continue;
    snprintf(fn, sizeof fn, "/proc/%d/cwd", (int)pid);
    r = readlink(fn, cwd, sizeof cwd - 1);
    if (r < 0) continue;
    cwd[r] = 0;
    if (prefix ? strncmp(cwd, real, rlen) || cwd[rlen] != '/' : strcmp(cwd, real)) continue;
    if (!t_alive(pid)) continue;
    if (n < max) v[n] = pid;
    n++;
  }
  closedir(d);
  return n;
}

static pid_t supervise_of (char const *dir)
{
  pid_t p = 0;
  return supervises(dir, 0, &p, 1) == 1 ? p : 0;
}

struct supwait { char const *dir; pid_t old; unsigned int n; };

static int has_new_supervise (void *arg)
{
  struct supwait const *w = arg;
  pid_t p = supervise_of(w->dir);
  return p && p != w->old;
}

static int no_supervise (void *arg)
{
  struct supwait const *w = arg;
  return !supervises(w->dir, 0, 0, 0);
}

static int n_supervises_under (void *arg)
{
  struct supwait const *w = arg;
  return supervises(w->dir, 1, 0, 0) == w->n;
}

static pid_t read_pid (char const *tag)
{
  long p = t_read_long(t_started(tag));
  ck_assert_msg(p > 0, "no pid in %s", t_started(tag));
  return (pid_t)p;
}


 /* pickup: new entries start at once (inotify), not at the next poll */

static void pickup_begin (char const *dir, char const *marker, pid_t *scanner)
{
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, marker);
  t_sleeper(path, marker);
  *scanner = t_svscan("svscan.log", 0, dir);
  ck_assert_msg(wait_started(marker, 5000), "%s not started within 5 s", marker);
}

static void pickup_end (pid_t scanner)
{
  STOP_OK(scanner, "svscan.log");
}

START_TEST(pickup_symlink)
{
  pid_t scanner;
  unsigned long long t0, dt;
  pickup_begin("sv1", "m1", &scanner);
  t_sleeper("ext/web1", "web1");
  t0 = t_now_ms();
  ck_assert_int_eq(symlink(t_path("ext/web1"), "sv1/web1"), 0);
  ck_assert_msg(wait_started("web1", 1000), "a symlinked service was not started within 1 s");
  dt = t_now_ms() - t0;
  fprintf(stderr, "svscan: pickup latency, symlink: %llu ms\n", dt);
  ck_assert_msg(t_file_has("svscan.log", "svscan: web1: added\n"), "no \"added\" line");
  pickup_end(scanner);
}
END_TEST

START_TEST(pickup_mv)
{
  pid_t scanner;
  unsigned long long t0, dt;
  pickup_begin("sv2", "m2", &scanner);
  t_sleeper("ext/web2", "web2");
  t0 = t_now_ms();
  ck_assert_int_eq(rename("ext/web2", "sv2/web2"), 0);
  ck_assert_msg(wait_started("web2", 1000), "a service moved in was not started within 1 s");
  dt = t_now_ms() - t0;
  fprintf(stderr, "svscan: pickup latency, mv: %llu ms\n", dt);
  pickup_end(scanner);
}
END_TEST

START_TEST(pickup_later_run)
{
  pid_t scanner;
  unsigned long long t0, dt;
  char s[PATH_MAX + 64];
  pickup_begin("sv3", "m3", &scanner);
  t_mkdir("sv3/late");
   /* events are handled in order: once m3b runs, svscan has seen late/ without run */
  t_sleeper("ext/m3b", "m3b");
  ck_assert_int_eq(symlink(t_path("ext/m3b"), "sv3/m3b"), 0);
  ck_assert_msg(wait_started("m3b", 1000), "m3b not started within 1 s");
  ck_assert(!exists("sv3/late/supervise"));
  snprintf(s, sizeof s, "#!/bin/sh\necho $$ >>'%s'\nexec sleep 1000\n", t_started("late"));
  t0 = t_now_ms();
  t_write_exec("sv3/late/run", s);
  ck_assert_msg(wait_started("late", 1000), "run created later was not noticed within 1 s");
  dt = t_now_ms() - t0;
  fprintf(stderr, "svscan: pickup latency, run created later: %llu ms\n", dt);
   /* written first, made executable later */
  t_mkdir("sv3/late2");
  snprintf(s, sizeof s, "#!/bin/sh\necho $$ >>'%s'\nexec sleep 1000\n", t_started("late2"));
  t_write("sv3/late2/run", s);
  t_sleeper("ext/m3c", "m3c");
  ck_assert_int_eq(symlink(t_path("ext/m3c"), "sv3/m3c"), 0);
  ck_assert_msg(wait_started("m3c", 1000), "m3c not started within 1 s");
  ck_assert(!exists(t_started("late2")));
  t0 = t_now_ms();
  ck_assert_int_eq(chmod("sv3/late2/run", 0755), 0);
  ck_assert_msg(wait_started("late2", 1000), "chmod +x run was not noticed within 1 s");
  fprintf(stderr, "svscan: pickup latency, chmod +x run: %llu ms\n", t_now_ms() - t0);
  pickup_end(scanner);
}
END_TEST

 /* the supervise beside svscan, never one found in PATH (daemontools has /usr/bin/supervise) */
START_TEST(pickup_not_from_path)
{
  pid_t scanner;
  char path[PATH_MAX * 2];
  char s[PATH_MAX + 64];
  t_mkdir("fakebin");
  snprintf(s, sizeof s, "#!/bin/sh\ntouch '%s'\nexec sleep 1000\n", t_path("fake.used"));
  t_write_exec("fakebin/supervise", s);
  snprintf(path, sizeof path, "%s:%s", t_path("fakebin"), getenv("PATH") ? getenv("PATH") : "/bin");
  setenv("PATH", path, 1);
  pickup_begin("sv4", "m4", &scanner);
  ck_assert_msg(supervise_of("sv4/m4") > 0, "no supervise for sv4/m4");
  ck_assert(!exists("fake.used"));
  pickup_end(scanner);
}
END_TEST


START_TEST(pickup_hup_rescans)
{
  pid_t scanner, run;
  pickup_begin("sv5", "m5", &scanner);
  run = read_pid("m5");
  kill(scanner, SIGHUP);
  kill(scanner, SIGALRM);
  t_sleeper("ext/m5b", "m5b");
  ck_assert_int_eq(symlink(t_path("ext/m5b"), "sv5/m5b"), 0);
  ck_assert_msg(wait_started("m5b", 1000), "m5b not started within 1 s");
  ck_assert_msg(t_alive(scanner), "SIGHUP stopped svscan");
  ck_assert_msg(t_alive(run) && read_pid("m5") == run, "SIGHUP restarted a service");
  ck_assert_int_eq(supervises("sv5/m5", 0, 0, 0), 1);
  pickup_end(scanner);
}
END_TEST


 /* what is not a service */

START_TEST(ignored_entries)
{
  pid_t scanner;
  char *log;
  t_sleeper("sv/.hidden", "hidden");
  t_mkdir("sv/norun");
  t_write("sv/file", "not a service\n");
  ck_assert_int_eq(symlink("nowhere", "sv/dangling"), 0);
  ck_assert_int_eq(symlink("file", "sv/tofile"), 0);
  t_sleeper("sv/m", "m");
  scanner = t_svscan("svscan.log", 0, "sv");
  ck_assert_msg(wait_started("m", 5000), "m not started within 5 s");
   /* and the same, made while svscan runs */
  t_sleeper("ext/.later", "later");
  ck_assert_int_eq(rename("ext/.later", "sv/.later"), 0);
  t_mkdir("sv/norun2");
  t_sleeper("ext/m2", "m2");
  ck_assert_int_eq(symlink(t_path("ext/m2"), "sv/m2"), 0);
  ck_assert_msg(wait_started("m2", 1000), "m2 not started within 1 s");
  ck_assert(!exists(t_started("hidden")));
  ck_assert(!exists(t_started("later")));
  ck_assert(!exists("sv/.hidden/supervise"));
  ck_assert(!exists("sv/norun/supervise"));
  ck_assert(!exists("sv/norun2/supervise"));
  {
    struct supwait w = { "sv", 0, 1 };
    ck_assert_msg(n_supervises_under(&w), "not exactly 1 supervise process under sv/");
    ck_assert_int_eq(supervises("ext/m2", 0, 0, 0), 1);
  }
  log = t_read("svscan.log");
  ck_assert(log);
  ck_assert_msg(!strstr(log, "hidden") && !strstr(log, "norun") && !strstr(log, "dangling") && !strstr(log, "tofile") && !strstr(log, ": file"), "%s", log);
  free(log);
  STOP_OK(scanner, "svscan.log");
}
END_TEST

 /* "-web", spaces, newlines: every name but dot-names */
START_TEST(odd_names)
{
  static char const *const names[] = { "-web", "sp ace", "new\nline", "\xff\xfe" };
  pid_t scanner;
  unsigned int i;
  t_mkdir("sv");
  scanner = t_svscan("svscan.log", 0, "sv");
  for (i = 0; i < 4; i++)
  {
    char path[64], tag[16];
    snprintf(path, sizeof path, "sv/%s", names[i]);
    snprintf(tag, sizeof tag, "odd%u", i);
    t_sleeper(path, tag);
    ck_assert_msg(wait_started(tag, 3000), "service %u not started within 3 s", i);
    ck_assert_msg(supervise_of(path) > 0, "no supervise for service %u", i);
  }
  STOP_OK(scanner, "svscan.log");
}
END_TEST


 /* removal */

START_TEST(removal)
{
  pid_t scanner, run1, run2, sup1, sup2;
  struct supwait w1 = { 0, 0, 0 }, w2 = { 0, 0, 0 };
  t_mkdir("sv");
  t_sleeper("ext/gone1", "gone1");
  t_sleeper("sv/gone2", "gone2");
  ck_assert_int_eq(symlink(t_path("ext/gone1"), "sv/gone1"), 0);
  scanner = t_svscan("svscan.log", 0, "sv");
  ck_assert(wait_started("gone1", 5000) && wait_started("gone2", 5000));
  run1 = read_pid("gone1");
  run2 = read_pid("gone2");
  ck_assert(t_wait_state("sv/gone1", "state", "up", 2000));
  sup1 = supervise_of("sv/gone1");
  sup2 = supervise_of("sv/gone2");
  ck_assert(sup1 > 0 && sup2 > 0);
   /* a symlink removed; a directory moved out */
  ck_assert_int_eq(unlink("sv/gone1"), 0);
  ck_assert_int_eq(rename("sv/gone2", "ext/gone2"), 0);
  ck_assert_msg(t_wait_until(&t_gone, &run1, 5000), "gone1's run still alive 5 s after removal");
  ck_assert_msg(t_wait_until(&t_gone, &run2, 5000), "gone2's run still alive 5 s after removal");
  ck_assert_msg(t_wait_until(&t_gone, &sup1, 5000), "gone1's supervise still alive 5 s after removal");
  ck_assert_msg(t_wait_until(&t_gone, &sup2, 5000), "gone2's supervise still alive 5 s after removal");
  w1.dir = "ext/gone1";
  w2.dir = "ext/gone2";
  ck_assert(no_supervise(&w1) && no_supervise(&w2));
  ck_assert(t_file_has("svscan.log", "svscan: gone1: removed\n"));
  ck_assert(t_file_has("svscan.log", "svscan: gone2: removed\n"));
  ck_assert(t_alive(scanner));
  STOP_OK(scanner, "svscan.log");
}
END_TEST

 /* the same name, another directory (ln -sfn): the old supervise goes, a new one comes */
START_TEST(removal_retarget)
{
  pid_t scanner, run1, sup1;
  t_mkdir("sv2");
  t_sleeper("ext/v1", "v1");
  t_sleeper("ext/v2", "v2");
  ck_assert_int_eq(symlink(t_path("ext/v1"), "sv2/app"), 0);
  scanner = t_svscan("svscan2.log", 0, "sv2");
  ck_assert(wait_started("v1", 5000));
  run1 = read_pid("v1");
  sup1 = supervise_of("ext/v1");
  ck_assert(sup1 > 0);
   /* atomically, as deployments do: a new link renamed over the old one */
  ck_assert_int_eq(symlink(t_path("ext/v2"), "sv2/.app.new"), 0);
  ck_assert_int_eq(rename("sv2/.app.new", "sv2/app"), 0);
  ck_assert_msg(wait_started("v2", 2000), "the new target was not started within 2 s");
  ck_assert_msg(t_wait_until(&t_gone, &run1, 5000), "the old target still runs");
  ck_assert_msg(t_wait_until(&t_gone, &sup1, 5000), "the old supervise still runs");
  ck_assert_int_eq(supervises("ext/v2", 0, 0, 0), 1);
  STOP_OK(scanner, "svscan2.log");
}
END_TEST


 /* a supervise that dies is restarted, at most once a second */

START_TEST(respawn)
{
  pid_t scanner, p1, p2, p3, run;
  unsigned long long t1, t2;
  struct supwait w = { "sv/resp", 0, 0 };
  t_mkdir("sv");
  t_sleeper("sv/resp", "resp");
  scanner = t_svscan("svscan.log", 0, "sv");
  ck_assert(wait_started("resp", 5000));
  run = read_pid("resp");
  ck_assert(t_wait_state("sv/resp", "state", "up", 2000));
  p1 = supervise_of("sv/resp");
  ck_assert(p1 > 0);
  kill(p1, SIGKILL);
  w.old = p1;
  ck_assert_msg(t_wait_until(&has_new_supervise, &w, 2000), "no new supervise within 2 s of kill -9");
  t1 = t_now_ms();
  p2 = supervise_of("sv/resp");
  ck_assert(t_file_has("svscan.log", "svscan: resp: supervise died, restarting\n"));
   /* the new supervise adopted the run: no second copy */
  ck_assert(t_alive(run));
  ck_assert(t_wait_state("sv/resp", "state", "up", 2000));
  {
    char *p = t_state_key("sv/resp", "pid");
    ck_assert(p && atol(p) == run);
    free(p);
  }
   /* killed again at once: the next one comes a second after the previous start */
  kill(p2, SIGKILL);
  w.old = p2;
  ck_assert_msg(t_wait_until(&has_new_supervise, &w, 3000), "no new supervise within 3 s of the second kill -9");
  t2 = t_now_ms();
  p3 = supervise_of("sv/resp");
  fprintf(stderr, "svscan: respawn after a quick death: %llu ms after the previous one\n", t2 - t1);
   /* not a fixed bound: t1 was taken when the test saw p2, some time after its start */
  ck_assert_msg(t2 - t1 >= 500, "supervise restarted %llu ms after the previous start", t2 - t1);
  ck_assert(p3 > 0 && p3 != p2);
  ck_assert_int_eq(supervises("sv/resp", 0, 0, 0), 1);
  ck_assert(t_alive(scanner));
  STOP_OK(scanner, "svscan.log");
  ck_assert(!t_alive(run));
}
END_TEST


 /* svscan killed and started again: the supervises still running are not doubled */

START_TEST(restart_no_duplicates)
{
  static char const *const names[] = { "ra", "rb", "rc" };
  pid_t a, b, sup[3], run[3];
  unsigned int i;
  unsigned long long t0;
  int w;
  t_mkdir("sv");
  for (i = 0; i < 3; i++)
  {
    char path[64];
    snprintf(path, sizeof path, "sv/%s", names[i]);
    mksvc_trap(path, names[i]);
  }
  a = t_svscan("svscan-a.log", 0, "sv");
  for (i = 0; i < 3; i++)
  {
    char path[64];
    snprintf(path, sizeof path, "sv/%s", names[i]);
    ck_assert(wait_started(names[i], 5000));
    ck_assert(t_wait_state(path, "state", "up", 2000));
    run[i] = read_pid(names[i]);
    sup[i] = supervise_of(path);
    ck_assert(sup[i] > 0);
  }
  kill(a, SIGKILL);
  ck_assert(t_wait_exit(a, 2000, &w));
  b = t_svscan("svscan-b.log", 0, "sv");
   /* once rm runs, b has scanned and probed every lock */
  t_sleeper("ext/rm", "rm");
  ck_assert_int_eq(symlink(t_path("ext/rm"), "sv/rm"), 0);
  ck_assert_msg(wait_started("rm", 5000), "rm not started within 5 s");
  for (i = 0; i < 3; i++)
  {
    char path[64];
    pid_t v[4];
    snprintf(path, sizeof path, "sv/%s", names[i]);
    ck_assert_msg(supervises(path, 0, v, 4) == 1 && v[0] == sup[i], "%s: not exactly its old supervise", names[i]);
    ck_assert(t_alive(run[i]));
  }
  ck_assert(t_file_has("svscan-b.log", "svscan: ra: added: supervise already running, waiting for it to exit\n"));
   /* the old supervise dies: b starts one at once (its lock was watched, not polled) */
  {
    struct supwait sw = { "sv/ra", 0, 0 };
    sw.old = sup[0];
    t0 = t_now_ms();
    kill(sup[0], SIGKILL);
    ck_assert_msg(t_wait_until(&has_new_supervise, &sw, 1000), "no new supervise within 1 s of the old one's death");
    fprintf(stderr, "svscan: takeover after the old supervise died: %llu ms\n", t_now_ms() - t0);
    ck_assert_int_eq(supervises("sv/ra", 0, 0, 0), 1);
    ck_assert(t_wait_state("sv/ra", "state", "up", 2000));
    ck_assert(t_alive(run[0]));
  }
   /* b's shutdown stops the services of the supervises it did not start too */
  STOP_OK(b, "svscan-b.log");
  for (i = 0; i < 3; i++)
  {
    char tf[64];
    snprintf(tf, sizeof tf, "%s.term", names[i]);
    ck_assert_msg(t_wait_until(&t_gone, &run[i], 3000), "%s still running after svscan's shutdown", names[i]);
    ck_assert_msg(exists(tf), "%s did not get its TERM", names[i]);
  }
}
END_TEST


 /* many services */

struct allstarted { unsigned int n; };

static int all_started (void *arg)
{
  struct allstarted const *a = arg;
  unsigned int i;
  for (i = 0; i < a->n; i++)
  {
    char tag[32];
    snprintf(tag, sizeof tag, "s%u", i);
    if (!exists(t_started(tag))) return 0;
  }
  return 1;
}

START_TEST(scale_200)
{
  struct allstarted a = { 200 };
  struct supwait w = { "sv", 0, 200 };
  pid_t scanner;
  unsigned long long t0;
  unsigned int i;
  for (i = 0; i < a.n; i++)
  {
    char path[48], tag[32];
    snprintf(tag, sizeof tag, "s%u", i);
    snprintf(path, sizeof path, "sv/%s", tag);
    t_sleeper(path, tag);
  }
  t0 = t_now_ms();
  scanner = t_svscan("svscan.log", 0, "sv");
  ck_assert_msg(t_wait_until(&all_started, &a, 30000), "200 services not all started within 30 s");
  fprintf(stderr, "svscan: 200 services started in %llu ms\n", t_now_ms() - t0);
  ck_assert_msg(t_wait_until(&n_supervises_under, &w, 5000), "not exactly 200 supervise processes");
  t0 = t_now_ms();
  STOP_OK(scanner, "svscan.log");
  fprintf(stderr, "svscan: 200 services stopped in %llu ms\n", t_now_ms() - t0);
  w.n = 0;
  ck_assert(n_supervises_under(&w));
}
END_TEST


 /* stopping: TERM, the grace period, critical services (no namespace needed) */

START_TEST(term_stops_all)
{
  pid_t scanner, run;
  unsigned long long t0;
  t_mkdir("sv");
  mksvc_trap("sv/ta", "ta");
  mksvc_trap("sv/tb", "tb");
  scanner = t_svscan("svscan.log", 0, "sv");
  ck_assert(wait_started("ta", 5000) && wait_started("tb", 5000));
  ck_assert(t_wait_state("sv/ta", "state", "up", 2000) && t_wait_state("sv/tb", "state", "up", 2000));
  run = read_pid("ta");
  t0 = t_now_ms();
  STOP_OK(scanner, "svscan.log");
  fprintf(stderr, "svscan: shutdown (not PID 1): %llu ms\n", t_now_ms() - t0);
  ck_assert(exists("ta.term") && exists("tb.term"));
  ck_assert(!t_alive(run));
  ck_assert(t_file_has("svscan.log", "svscan: stopping 2 services\n"));
}
END_TEST

START_TEST(grace_then_kill)
{
  static char const *const opts[] = { "-g", "300", 0 };
  pid_t scanner, stub;
  unsigned long long t0, dt;
  int code;
  char s[PATH_MAX + 64];
  t_mkdir("sv");
  snprintf(s, sizeof s, "trap '' TERM\necho $$ >>'%s'\nexec sleep 1000", t_started("stub"));
  t_service("sv/stub", s);
  mksvc_trap("sv/nice", "nice");
  scanner = t_svscan("svscan.log", opts, "sv");
  ck_assert(wait_started("stub", 5000) && wait_started("nice", 5000));
  ck_assert(t_wait_state("sv/stub", "state", "up", 2000));
  stub = read_pid("stub");
  t0 = t_now_ms();
  code = svscan_stop(scanner, 5000);
  dt = t_now_ms() - t0;
  fprintf(stderr, "svscan: shutdown with a TERM-proof service, -g 300: %llu ms\n", dt);
  ck_assert_int_eq(code, 1);
  ck_assert_msg(dt >= 300 && dt < 3000, "exit after %llu ms", dt);
  ck_assert(t_wait_until(&t_gone, &stub, 1000));
  ck_assert(exists("nice.term"));
  ck_assert(t_file_has("svscan.log", "svscan: killed 1 service after 300 ms\n"));
}
END_TEST

START_TEST(critical_exit_code)
{
  pid_t scanner;
  int w;
  char s[PATH_MAX + 64];
  t_mkdir("sv");
  snprintf(s, sizeof s, "echo $$ >>'%s'\nexit 3", t_started("crit"));
  t_service("sv/crit", s);
  t_write("sv/crit/critical", "");
  t_write_exec("sv/crit/finish", "#!/bin/sh\nexit 125\n");
  mksvc_trap("sv/other", "other");
  scanner = t_svscan("svscan.log", 0, "sv");
  ck_assert_msg(t_wait_exit(scanner, 10000, &w), "svscan still running 10 s after a critical failure");
  ck_assert(WIFEXITED(w));
  ck_assert_int_eq(WEXITSTATUS(w), 3);
  ck_assert(t_file_has("svscan.log", "svscan: crit: critical service failed: exit 3\n"));
  ck_assert(!exists(t_started("other")) || exists("other.term"));
}
END_TEST


 /* PID 1 in a PID namespace (root) */

struct kids { pid_t parent; unsigned int sleeps, zombies; };

static void count_kids (struct kids *k)
{
  char fn[64];
  char *s, *p;
  k->sleeps = k->zombies = 0;
  snprintf(fn, sizeof fn, "/proc/%d/task/%d/children", (int)k->parent, (int)k->parent);
  s = t_read(fn);
  if (!s) return;
  for (p = s; *p; )
  {
    char *end;
    long pid = strtol(p, &end, 10);
    if (end == p) break;
    p = end;
    {
      char sf[64];
      char *st, *q;
      snprintf(sf, sizeof sf, "/proc/%ld/stat", pid);
      st = t_read(sf);
      if (!st) continue;
      q = strrchr(st, ')');
      if (q && q[1] == ' ' && q[2] == 'Z') k->zombies++;
      else if (strstr(st, "(sleep)")) k->sleeps++;
      free(st);
    }
  }
  free(s);
}

static int orphans_adopted (void *arg)
{
  struct kids *k = arg;
  count_kids(k);
  return k->sleeps + k->zombies > 0;
}

static int orphans_reaped (void *arg)
{
  struct kids *k = arg;
  count_kids(k);
  return !k->sleeps && !k->zombies;
}

/* the child of parent whose command line mentions word, or 0 */
static pid_t child_with (pid_t parent, char const *word)
{
  char fn[64];
  char *s, *p;
  pid_t found = 0;
  snprintf(fn, sizeof fn, "/proc/%d/task/%d/children", (int)parent, (int)parent);
  s = t_read(fn);
  if (!s) return 0;
  for (p = s; *p && !found; )
  {
    char *end, *cmd;
    long pid = strtol(p, &end, 10);
    size_t i, len;
    if (end == p) break;
    p = end;
    snprintf(fn, sizeof fn, "/proc/%ld/cmdline", pid);
    cmd = t_read(fn);
    if (!cmd) continue;
    len = strlen(cmd);
    for (i = 0; i < len; i++) if (!cmd[i]) cmd[i] = ' ';
     /* t_read stops at the first NUL: read the file again whole */
    free(cmd);
    {
      FILE *f = fopen(fn, "r");
      char buf[4096];
      size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
      if (f) fclose(f);
      for (i = 0; i < n; i++) if (!buf[i]) buf[i] = ' ';
      buf[n] = 0;
      if (strstr(buf, "supervise") && strstr(buf, word)) found = (pid_t)pid;
    }
  }
  free(s);
  return found;
}

 /* orphans of a service are reaped by its supervise (a subreaper); when that supervise
    is gone too, they come to svscan, PID 1, which reaps them */
START_TEST(pid1_reaps_orphans)
{
  struct t_ns ns;
  struct kids k = { 0, 0, 0 };
  char s[PATH_MAX + 128];
  pid_t sup;
  t_mkdir("sv");
  snprintf(s, sizeof s,
    "sh -c 'sleep 2 & sleep 2 & sleep 2 &'\n"
    "echo $$ >>'%s'\nexec tail -f /dev/null", t_started("orph"));
  t_service("sv/orph", s);
  ns = t_ns_start("svscan.log", 0, "sv");
  ck_assert(wait_started("orph", 5000));
  ck_assert(t_wait_until(&t_has_file, (void *)"sv/orph/supervise/state", 2000));
  sup = child_with(ns.init, "orph");
  ck_assert_msg(sup > 0, "no supervise for orph among svscan's children");
  k.parent = sup;
  ck_assert_msg(t_wait_until(&orphans_adopted, &k, 2000), "the orphans never became children of supervise");
  kill(sup, SIGKILL);
  k.parent = ns.init;
  ck_assert_msg(t_wait_until(&orphans_adopted, &k, 2000), "the orphans never became children of svscan");
  ck_assert_msg(t_wait_until(&orphans_reaped, &k, 4000), "%u orphans still running, %u zombies", k.sleeps, k.zombies);
  kill(ns.init, SIGTERM);
  ck_assert_int_eq(t_ns_wait(&ns, 10000), 0);
  t_ns_kill(&ns);
}
END_TEST

START_TEST(pid1_term)
{
  struct t_ns ns;
  unsigned long long t0, dt;
  char s[4 * PATH_MAX];
  int code;
  t_mkdir("sv");
  mksvc_trap("sv/pa", "pa");
  mksvc_trap("sv/pb", "pb");
  snprintf(s, sizeof s,
    "trap 'echo last line; kill $! 2>/dev/null; exit 0' TERM\n"
    "echo $$ >>'%s'\n"
    "echo first line\n"
    "sleep 1000 & wait\n", t_started("pc"));
  t_service("sv/pc", s);
  snprintf(s, sizeof s, "while IFS= read -r l; do echo \"log: $l\" >>'%s'; done\n", t_path("pc.log"));
  t_service("sv/pc/log", s);
  ns = t_ns_start("svscan.log", 0, "sv");
  ck_assert(wait_started("pa", 5000) && wait_started("pb", 5000) && wait_started("pc", 5000));
  ck_assert(t_wait_state("sv/pa", "state", "up", 2000) && t_wait_state("sv/pc", "state", "up", 2000));
  ck_assert(t_wait_until(&t_has_file, (void *)"pc.log", 2000));
  t0 = t_now_ms();
  kill(ns.init, SIGTERM);
  code = t_ns_wait(&ns, 10000);
  dt = t_now_ms() - t0;
  fprintf(stderr, "svscan: PID-1 shutdown of 3 services and a logger: %llu ms\n", dt);
  ck_assert_msg(code == 0, "exit %d after %llu ms; svscan.log:\n%s", code, dt, text("svscan.log"));
  ck_assert(exists("pa.term") && exists("pb.term"));
  ck_assert_msg(t_file_has("pc.log", "log: first line\n"), "the logger missed the first line");
  ck_assert_msg(t_file_has("pc.log", "log: last line\n"), "the logger did not drain the last line");
  ck_assert(t_file_has("svscan.log", "svscan: stopping 3 services\n"));
  t_ns_kill(&ns);
}
END_TEST

START_TEST(pid1_grace_kill)
{
  static char const *const opts[] = { "-g", "500", 0 };
  struct t_ns ns;
  unsigned long long t0, dt;
  char s[PATH_MAX + 64];
  int code;
  t_mkdir("sv");
  snprintf(s, sizeof s, "trap '' TERM\necho $$ >>'%s'\nexec sleep 1000", t_started("stub1"));
  t_service("sv/stub1", s);
  mksvc_trap("sv/nice1", "nice1");
  ns = t_ns_start("svscan.log", opts, "sv");
  ck_assert(wait_started("stub1", 5000) && wait_started("nice1", 5000));
  ck_assert(t_wait_state("sv/stub1", "state", "up", 2000) && t_wait_state("sv/nice1", "state", "up", 2000));
  t0 = t_now_ms();
  kill(ns.init, SIGTERM);
  code = t_ns_wait(&ns, 5000);
  dt = t_now_ms() - t0;
  fprintf(stderr, "svscan: PID-1 shutdown with a TERM-proof service, -g 500: %llu ms\n", dt);
  ck_assert_int_eq(code, 1);
  ck_assert_msg(dt >= 500 && dt < 3000, "exit after %llu ms", dt);
  ck_assert(exists("nice1.term"));
  ck_assert(t_file_has("svscan.log", "svscan: killed 1 service after 500 ms\n"));
  t_ns_kill(&ns);
}
END_TEST

START_TEST(pid1_critical_finish)
{
  struct t_ns ns;
  char s[PATH_MAX + 64];
  t_mkdir("sv");
  snprintf(s, sizeof s, "echo $$ >>'%s'\nexit 7", t_started("c1"));
  t_service("sv/c1", s);
  t_write("sv/c1/critical", "");
  t_write_exec("sv/c1/finish", "#!/bin/sh\nexit 125\n");
  mksvc_trap("sv/bystander", "bystander");
  ns = t_ns_start("svscan.log", 0, "sv");
  ck_assert_int_eq(t_ns_wait(&ns, 10000), 7);
  ck_assert(!exists(t_started("bystander")) || exists("bystander.term"));
  t_ns_kill(&ns);
}
END_TEST

START_TEST(pid1_critical_max_failures)
{
  struct t_ns ns;
  char s[PATH_MAX + 64];
  t_mkdir("sv2");
  snprintf(s, sizeof s, "echo $$ >>'%s'\nkill -KILL $$", t_started("c2"));
  t_service("sv2/c2", s);
  t_write("sv2/c2/critical", "");
  t_write("sv2/c2/max-failures", "2\n");
  ns = t_ns_start("svscan2.log", 0, "sv2");
  ck_assert_int_eq(t_ns_wait(&ns, 10000), 128 + SIGKILL);
  ck_assert(t_file_has("svscan2.log", "svscan: c2: critical service failed: signal KILL\n"));
  t_ns_kill(&ns);
}
END_TEST


 /* usage and fatal errors */

START_TEST(usage_and_fatal)
{
  char const *argv[4] = { 0, 0, 0, 0 };
  char *err = 0;
  argv[0] = t_prog("svscan");
  argv[1] = "-x";
  ck_assert_int_eq(t_run(argv, 0, &err, 5000), 100);
  ck_assert_msg(err && strstr(err, "svscan: usage: "), "%s", err ? err : "");
  free(err);
  argv[1] = "nonexistent";
  ck_assert_int_eq(t_run(argv, 0, &err, 5000), 111);
  ck_assert_msg(err && strstr(err, "svscan: fatal: unable to chdir to nonexistent: "), "%s", err ? err : "");
  free(err);
}
END_TEST


Suite *svscan_suite (void)
{
  Suite *s = suite_create("svscan");
  TCase *tc;
  tc = t_tcase(s, "pickup", 30);
  tcase_add_test(tc, pickup_symlink);
  tcase_add_test(tc, pickup_mv);
  tcase_add_test(tc, pickup_later_run);
  tcase_add_test(tc, pickup_not_from_path);
  tcase_add_test(tc, pickup_hup_rescans);
  tcase_add_test(t_tcase(s, "ignored", 20), ignored_entries);
  tcase_add_test(t_tcase(s, "names", 20), odd_names);
  tc = t_tcase(s, "removal", 30);
  tcase_add_test(tc, removal);
  tcase_add_test(tc, removal_retarget);
  tcase_add_test(t_tcase(s, "respawn", 20), respawn);
  tcase_add_test(t_tcase(s, "restart", 30), restart_no_duplicates);
  tcase_add_test(t_tcase(s, "scale", 90), scale_200);
  tcase_add_test(t_tcase(s, "term", 20), term_stops_all);
  tcase_add_test(t_tcase(s, "grace", 20), grace_then_kill);
  tcase_add_test(t_tcase(s, "critical", 20), critical_exit_code);
  tcase_add_test(t_tcase(s, "usage", 10), usage_and_fatal);
  if (geteuid() == 0)
  {
    tcase_add_test(t_tcase(s, "pid1-reap", 20), pid1_reaps_orphans);
    tcase_add_test(t_tcase(s, "pid1-term", 20), pid1_term);
    tcase_add_test(t_tcase(s, "pid1-grace", 20), pid1_grace_kill);
    tc = t_tcase(s, "pid1-critical", 30);
    tcase_add_test(tc, pid1_critical_finish);
    tcase_add_test(tc, pid1_critical_max_failures);
  }
  else
  {
    static char const *const cases[] = { "pid1-reap", "pid1-term", "pid1-grace", "pid1-critical" };
    unsigned int i;
    for (i = 0; i < 4; i++) fprintf(stderr, "skip: %s: needs root\n", cases[i]);
  }
  return s;
}
