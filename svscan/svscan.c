/* svscan/svscan.c: one supervise per service directory of DIR, and PID 1's duties (SPEC 5) */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <skalibs/types.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sgetopt.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "control.h"
#include "lifelog.h"
#include "procstat.h"
#include "svpath.h"
#include "svstate.h"
#include "wstat.h"

#define USAGE "svscan [ -g grace_ms ] [ -t sec ] [ dir ]"
#define USAGE_RUNSVDIR "runsvdir [-P] dir [log]"
#define dieusage() strerr_dieusage(100, USAGE)

#define EXIT_CRITICAL 125       /* supervise's exit code when a critical service failed */
#define RESPAWN_MS 1000         /* at most one supervise per entry per second */
#define RETRY_SEC 5             /* recoverable trouble: look again this much later */
#define REAP_SEC 2              /* after the final SIGKILL, wait this long at most for the corpses */

#define DIR_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define NORUN_MASK (IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_CLOSE_WRITE | IN_ONLYDIR)
 /* supervise (as runsv) holds supervise/lock open for writing, so its death is an
    IN_CLOSE_WRITE on the lock; our probe opens it read-only and does not wake us up */
#define LOCK_MASK (IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)

enum state_e
{
  S_IDLE,                       /* nothing runs, nothing is planned */
  S_NORUN,                      /* a directory without an executable run: its dir is watched */
  S_DUE,                        /* a supervise is to be spawned at ->when (in the due queue) */
  S_LOCKED,                     /* a supervise we did not start holds the lock: the lock is watched */
  S_UP,                         /* our supervise runs */
  S_GONE                        /* no longer in DIR: our supervise was told to exit */
};

enum { H_NAME, H_PID, H_WD };

typedef struct svc_s svc;
struct svc_s
{
  svc *prev, *next;             /* every entry */
  svc *hname, *hpid, *hwd;      /* hash chains: by name (not S_GONE), by supervise pid, by watch */
  char *name;
  size_t len;
  uint32_t hash;
  dev_t dev;                    /* what the name pointed to when the entry was made */
  ino_t ino;
  pid_t pid;                    /* our supervise, 0 when none */
  int wd;                       /* inotify watch, -1 when none */
  tain when;                    /* S_DUE: spawn time; otherwise the earliest next spawn */
  unsigned int gen;             /* the last full scan that saw it */
  unsigned char state;
  unsigned int inname : 1;
  unsigned int queued : 1;
  unsigned int added : 1;       /* "added" was said, so "removed" will be */
  unsigned int saidlock : 1;
  unsigned int saidwatch : 1;
  unsigned int saidexec : 1;
};

static char const *dirarg;      /* DIR as given, for messages */
static stralloc dirabs = STRALLOC_ZERO;
static stralloc supervise = STRALLOC_ZERO;
static unsigned int grace_ms = 7000;
static unsigned int rescan_sec = 0;
static int ifd = -1;
static int dirwd = -1;
static int devnull = -1;
static int pid1 = 0;
static dev_t dirdev;
static ino_t dirino;
static unsigned int gen = 0;

static svc *all = 0;
static unsigned int nall = 0;
static svc **htab[3];
static unsigned int hbits = 0;

static svc **dueq[2];           /* S_DUE entries; [dueqi] is the live one */
static size_t duen[2], duecap[2];
static unsigned int dueqi = 0;

static unsigned int wantreap = 1;
static unsigned int wantscan = 1;
static unsigned int wantstop = 0;
static unsigned int stopsigs = 0;
static int stopping = 0;
static int termall = 0;         /* PID 1: the stray processes got their TERM */
static int killed = 0;          /* the grace period is over */
static int hurried = 0;
static int nochildren = 0;
static int exitcode = 0;
static int saidinotify = 0;
static int saiddir = 0;
static tain scan_at = TAIN_INFINITE;
static tain due_at = TAIN_INFINITE;
static tain stop_start, grace_at, reap_at;


 /* the tables */

static svc **hnext (svc *s, int t)
{
  return t == H_NAME ? &s->hname : t == H_PID ? &s->hpid : &s->hwd;
}

static uint32_t hkey (svc const *s, int t)
{
  return t == H_NAME ? s->hash : t == H_PID ? (uint32_t)s->pid : (uint32_t)s->wd;
}

static svc **hbucket (int t, uint32_t key)
{
  return &htab[t][(uint32_t)(key * 2654435761u) >> (32 - hbits)];
}

static void hlink (svc *s, int t)
{
  svc **b = hbucket(t, hkey(s, t));
  *hnext(s, t) = *b;
  *b = s;
}

static void hunlink (svc *s, int t)
{
  svc **p = hbucket(t, hkey(s, t));
  while (*p != s) p = hnext(*p, t);
  *p = *hnext(s, t);
}

static int hgrow (void)
{
  svc **t[3];
  svc *s;
  unsigned int i;
  for (i = 0; i < 3; i++)
  {
    t[i] = calloc((size_t)1 << (hbits + 1), sizeof(svc *));
    if (!t[i])
    {
      while (i--) free(t[i]);
      return 0;
    }
  }
  for (i = 0; i < 3; i++)
  {
    free(htab[i]);
    htab[i] = t[i];
  }
  hbits++;
  for (s = all; s; s = s->next)
  {
    if (s->inname) hlink(s, H_NAME);
    if (s->pid > 0) hlink(s, H_PID);
    if (s->wd >= 0) hlink(s, H_WD);
  }
  return 1;
}

static uint32_t hashname (char const *name, size_t len)
{
  uint32_t h = 2166136261u;
  size_t i = 0;
  for (; i < len; i++) h = (h ^ (unsigned char)name[i]) * 16777619u;
  return h;
}

static svc *find_name (char const *name, size_t len, uint32_t h)
{
  svc *s = *hbucket(H_NAME, h);
  for (; s; s = s->hname)
    if (s->hash == h && s->len == len && !memcmp(s->name, name, len)) return s;
  return 0;
}

static svc *find_pid (pid_t pid)
{
  svc *s = *hbucket(H_PID, (uint32_t)pid);
  for (; s; s = s->hpid)
    if (s->pid == pid) return s;
  return 0;
}

static void set_pid (svc *s, pid_t pid)
{
  if (s->pid > 0) hunlink(s, H_PID);
  s->pid = pid;
  if (pid > 0) hlink(s, H_PID);
}

static void retry_later (void)
{
  tain t;
  tain_addsec_g(&t, RETRY_SEC);
  if (tain_less(&t, &scan_at)) scan_at = t;
}

static void enqueue (svc *s)
{
  unsigned int q = dueqi;
  if (s->queued) return;
  if (duen[q] == duecap[q])
  {
    size_t cap = duecap[q] ? duecap[q] * 2 : 64;
    svc **v = realloc(dueq[q], cap * sizeof(svc *));
    if (!v)
    {
       /* the next full scan finds it again */
      strerr_warnwusys("queue ", dirarg, "/", s->name);
      s->state = S_IDLE;
      retry_later();
      return;
    }
    dueq[q] = v;
    duecap[q] = cap;
  }
  dueq[q][duen[q]++] = s;
  s->queued = 1;
}

static void dequeue (svc *s)
{
  unsigned int q = dueqi;
  size_t i = 0;
  for (; i < duen[q]; i++)
    if (dueq[q][i] == s)
    {
      dueq[q][i] = dueq[q][--duen[q]];
      break;
    }
  s->queued = 0;
}


 /* inotify watches; several names for one directory share one watch */

static void watch_drop (svc *s)
{
  int wd = s->wd;
  svc *p;
  if (wd < 0) return;
  hunlink(s, H_WD);
  s->wd = -1;
  for (p = *hbucket(H_WD, (uint32_t)wd); p; p = p->hwd)
    if (p->wd == wd) return;
  inotify_rm_watch(ifd, wd);
}

static int watch_set (svc *s, char const *path, uint32_t mask)
{
  int wd;
  if (ifd < 0) return (errno = EBADF, 0);
  wd = inotify_add_watch(ifd, path, mask);
  if (wd == -1)
  {
    int e = errno;
    watch_drop(s);
    errno = e;
    return 0;
  }
  if (wd == s->wd) return 1;
  watch_drop(s);
  s->wd = wd;
  hlink(s, H_WD);
  return 1;
}


 /* entries */

static svc *newsvc (char const *name, size_t len, uint32_t h, struct stat const *st)
{
  svc *s = malloc(sizeof *s);
  if (!s) return 0;
  memset(s, 0, sizeof *s);
  s->name = malloc(len + 1);
  if (!s->name)
  {
    free(s);
    return 0;
  }
  memcpy(s->name, name, len + 1);
  s->len = len;
  s->hash = h;
  s->dev = st->st_dev;
  s->ino = st->st_ino;
  s->wd = -1;
  s->when = tain_zero;
  s->state = S_IDLE;
  s->next = all;
  if (all) all->prev = s;
  all = s;
  if (++nall > (1u << hbits)) hgrow();  /* if that fails, chains get longer */
  hlink(s, H_NAME);
  s->inname = 1;
  return s;
}

static void freesvc (svc *s)
{
  if (s->queued) dequeue(s);
  if (s->inname) hunlink(s, H_NAME);
  set_pid(s, 0);
  watch_drop(s);
  if (s->prev) s->prev->next = s->next;
  else all = s->next;
  if (s->next) s->next->prev = s->prev;
  nall--;
  free(s->name);
  free(s);
}

 /* NAME/FILE in buf, which has len + strlen(file) + 2 bytes */
static char *path2 (char *buf, svc const *s, char const *file)
{
  size_t flen = strlen(file);
  memcpy(buf, s->name, s->len);
  buf[s->len] = '/';
  memcpy(buf + s->len + 1, file, flen + 1);
  return buf;
}

 /* 1: NAME/run is a non-empty executable file (an empty one is being written);
    0: not there; -1: there but not usable yet */
static int run_ok (svc const *s)
{
  char fn[s->len + 5];
  struct stat st;
  if (stat(path2(fn, s, "run"), &st) == -1) return 0;
  return S_ISREG(st.st_mode) && st.st_size > 0 && (st.st_mode & 0111) ? 1 : -1;
}

 /* 0 free; 1 held by a running supervise, watched; 2 held, not watched */
static int lock_held (svc *s)
{
  char fn[s->len + 16];
  int fd, r;
  path2(fn, s, "supervise/lock");
  fd = open(fn, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd == -1) return 0;  /* never supervised; other errors are supervise's to report */
  if (flock(fd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK)
  {
    fd_close(fd);  /* and the lock we may have taken with it */
    return 0;
  }
  if (!watch_set(s, fn, LOCK_MASK))
  {
    if (!s->saidwatch) strerr_warnwusys("watch ", dirarg, "/", fn, " (looking again every 5 seconds)");
    s->saidwatch = 1;
    fd_close(fd);
    return 2;
  }
   /* the holder may have died before the watch was in place */
  r = flock(fd, LOCK_EX | LOCK_NB);
  fd_close(fd);
  if (r == 0)
  {
    watch_drop(s);
    return 0;
  }
  return 1;
}

static void tell_exit (svc *s)
{
  char fn[s->len + 11];
  if (control_send(path2(fn, s, "supervise"), "x", 1) != 1 && s->pid > 0) kill(s->pid, SIGTERM);
}

static void retire (svc *s)
{
  hunlink(s, H_NAME);
  s->inname = 0;
  watch_drop(s);
  if (s->added) lifelog0(s->name, "removed");
  if (s->pid > 0)
  {
     /* its name may lead elsewhere now: SIGTERM is supervise's x */
    s->state = S_GONE;
    if (s->queued) dequeue(s);
    kill(s->pid, SIGTERM);
  }
  else freesvc(s);
}


 /* fork and exec, not lib/spawn_run: posix_spawn is a vfork that blocks svscan until the
    child has exec'd, and when hundreds of supervise start at once, each new child waits
    for a CPU behind them (500 services: 1.1 s of svscan blocked in clone3). A failed
    exec is then the child's exit 127, reaped as a supervise death and retried. The child
    gets stdin /dev/null, svscan's stdout and stderr, an empty signal mask (caught
    signals revert to their defaults at exec; svscan ignores none), and a session and
    process group of its own: a terminal's ^C reaches svscan only, and svscan can kill
    a supervise with its group. */
static pid_t spawn_supervise (char const *const *argv)
{
  sigset_t set;
  pid_t pid = fork();
  if (pid) return pid;
  sigemptyset(&set);
  sigprocmask(SIG_SETMASK, &set, 0);
  setsid();
  if (dup2(devnull, 0) == -1) _exit(111);
  execv(argv[0], (char *const *)argv);
  strerr_warnwusys("exec ", argv[0]);
  _exit(errno == ENOENT ? 127 : 126);
}

static void launch (svc *s)
{
  char arg[s->len + 3];
  char const *argv[3] = { supervise.s, arg, 0 };
  pid_t pid;
  int held = lock_held(s);
  if (held)
  {
    s->state = S_LOCKED;
    if (!s->added) lifelog(s->name, "added", "supervise already running, waiting for it to exit");
    else if (!s->saidlock) lifelog(s->name, "supervise already running, waiting for it to exit");
    s->added = s->saidlock = 1;
    if (held == 2) retry_later();
    return;
  }
  s->saidlock = 0;
  if (!s->added) lifelog0(s->name, "added");
  s->added = 1;
   /* "./NAME": no name can be taken for an option */
  arg[0] = '.';
  arg[1] = '/';
  memcpy(arg + 2, s->name, s->len + 1);
  pid = spawn_supervise(argv);
  if (pid == -1)
  {
    int e = errno;
    strerr_warnwusys("spawn ", supervise.s, " for ", dirarg, "/", s->name);
    tain_addsec_g(&s->when, e == EAGAIN || e == ENOMEM ? 1 : RETRY_SEC);
    s->state = S_DUE;
    enqueue(s);
    return;
  }
  set_pid(s, pid);
  s->state = S_UP;
  {
    tain t;
    tain_from_millisecs(&t, RESPAWN_MS);
    tain_add_g(&s->when, &t);
  }
}

 /* s is present, not S_GONE: what does it need? */
static void evaluate (svc *s)
{
  int r;
  if (s->state == S_UP || s->state == S_DUE || s->state == S_GONE) return;
  r = run_ok(s);
  if (r <= 0)
  {
    if (r < 0 && !s->saidexec)
    {
      strerr_warnw(dirarg, "/", s->name, "/run is not an executable file (waiting for it to be one)");
      s->saidexec = 1;
    }
    if (s->state == S_NORUN && s->wd >= 0) return;
    s->state = S_NORUN;
    if (!watch_set(s, s->name, NORUN_MASK))
    {
      if (!s->saidwatch) strerr_warnwusys("watch ", dirarg, "/", s->name, " (looking again every 5 seconds)");
      s->saidwatch = 1;
      retry_later();
    }
     /* run may have appeared before the watch was in place */
    if (run_ok(s) <= 0) return;
  }
  watch_drop(s);
  s->saidexec = 0;
  s->state = S_DUE;
  enqueue(s);
}

 /* name is an entry of DIR that may have changed */
static void check (char const *name)
{
  size_t len = strlen(name);
  uint32_t h;
  svc *s;
  struct stat st;
  int present = 0;
  if (name[0] == '.' || stopping) return;
  h = hashname(name, len);
  s = find_name(name, len, h);
  if (stat(name, &st) == 0)
    present = S_ISDIR(st.st_mode) && (st.st_dev != dirdev || st.st_ino != dirino);
  else if (errno == EACCES) strerr_warnwusys("stat ", dirarg, "/", name);
  else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP && errno != ENAMETOOLONG)
  {
    strerr_warnwusys("stat ", dirarg, "/", name);
    retry_later();
    if (s) s->gen = gen;
    return;
  }
  if (s && (!present || s->dev != st.st_dev || s->ino != st.st_ino))
  {
    retire(s);
    s = 0;
  }
  if (!present) return;
  if (!s)
  {
    s = newsvc(name, len, h, &st);
    if (!s)
    {
      strerr_warnwusys("add ", dirarg, "/", name);
      retry_later();
      return;
    }
  }
  s->gen = gen;
  evaluate(s);
}

static void recheck (svc *s)
{
  char name[s->len + 1];
  memcpy(name, s->name, s->len + 1);
  check(name);
}


 /* scanning */

static int dir_setup (void)
{
  struct stat st;
  if (chdir(dirabs.s) == -1 || stat(".", &st) == -1)
  {
    if (!saiddir) strerr_warnwusys("chdir to ", dirarg, " (trying again every 5 seconds)");
    saiddir = 1;
    retry_later();
    return 0;
  }
  saiddir = 0;
  dirdev = st.st_dev;
  dirino = st.st_ino;
  if (ifd >= 0)
  {
    dirwd = inotify_add_watch(ifd, ".", DIR_MASK);
    if (dirwd == -1)
    {
      if (!saidinotify) strerr_warnwusys("watch ", dirarg, " (scanning it every 5 seconds)");
      saidinotify = 1;
      retry_later();
    }
  }
  else retry_later();
  return 1;
}

static void inotify_start (void)
{
  ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (ifd == -1)
  {
    if (!saidinotify) strerr_warnwusys("initialize inotify (scanning ", dirarg, " every 5 seconds)");
    saidinotify = 1;
    retry_later();
  }
  else dirwd = -1;
}

static void scan (void)
{
  DIR *d;
  svc *s, *next;
  if (rescan_sec) tain_addsec_g(&scan_at, (int)rescan_sec);
  else scan_at = tain_infinite;
  if (ifd < 0) inotify_start();
  if (dirwd < 0 && !dir_setup()) return;
  if (dirwd >= 0) saidinotify = 0;
  d = opendir(".");
  if (!d)
  {
    strerr_warnwusys("open ", dirarg, " (trying again in 5 seconds)");
    retry_later();
    return;
  }
  gen++;
  for (;;)
  {
    struct dirent *de;
    errno = 0;
    de = readdir(d);
    if (!de) break;
    check(de->d_name);
  }
  if (errno)
  {
    strerr_warnwusys("read ", dirarg, " (trying again in 5 seconds)");
    retry_later();
    closedir(d);
    return;
  }
  closedir(d);
   /* what this scan did not see: gone, or made after readdir passed it */
  for (s = all; s; s = next)
  {
    next = s->next;
    if (s->state != S_GONE && s->gen != gen) recheck(s);
  }
}

static void start_due (void)
{
  unsigned int c = dueqi;
  size_t i;
  dueqi ^= 1;
  duen[dueqi] = 0;
  for (i = 0; i < duen[c]; i++)
  {
    svc *s = dueq[c][i];
    s->queued = 0;
    if (s->state != S_DUE) continue;
    if (tain_future(&s->when)) enqueue(s);
    else launch(s);
  }
  duen[c] = 0;
  due_at = tain_infinite;
  for (i = 0; i < duen[dueqi]; i++)
    if (tain_less(&dueq[dueqi][i]->when, &due_at)) due_at = dueq[dueqi][i]->when;
}


 /* supervise deaths */

static void critical (svc *s)
{
  char fn[s->len + 11];
  svstate st = SVSTATE_ZERO;
  if (svstate_read(path2(fn, s, "supervise"), &st) && st.has_exit)
  {
    char fmt[WSTAT_FMT_MAX + 1];
    fmt[wstat_fmt(fmt, st.last_wstat)] = 0;
    exitcode = wstat_code(st.last_wstat);
    lifelog(s->name, "critical service failed", fmt);
  }
  else
  {
    exitcode = EXIT_CRITICAL;
    lifelog0(s->name, "critical service failed");
  }
}

static void stop (void);

static void reap (void)
{
  for (;;)
  {
    int w;
    pid_t pid = waitpid(-1, &w, WNOHANG);
    svc *s;
    if (pid == -1 && errno == EINTR) continue;
    if (pid <= 0)
    {
      nochildren = pid == -1;
      return;
    }
    s = find_pid(pid);
    if (!s) continue;  /* an orphan we inherited */
    set_pid(s, 0);
    if (s->state == S_GONE)
    {
      freesvc(s);
      continue;
    }
    s->state = S_IDLE;
    if (stopping) continue;
    if (WIFEXITED(w) && WEXITSTATUS(w) == EXIT_CRITICAL)
    {
      critical(s);
      stop();
      continue;
    }
    lifelog0(s->name, "supervise died, restarting");
    recheck(s);
  }
}


 /* stopping everything */

static unsigned int alive (void)
{
  unsigned int n = 0;
  svc *s = all;
  for (; s; s = s->next)
    if (s->state == S_UP || s->state == S_GONE || s->state == S_LOCKED) n++;
  return n;
}

static void stop (void)
{
  char fmt[UINT_FMT];
  unsigned int n = 0;
  svc *s;
  tain t;
  if (stopping) return;
  stopping = 1;
  tain_copynow(&stop_start);
  tain_from_millisecs(&t, (int)grace_ms);
  tain_add_g(&grace_at, &t);
  for (s = all; s; s = s->next)
    switch (s->state)
    {
      case S_UP:
      case S_LOCKED:
        tell_exit(s);
        n++;
        break;
      case S_GONE:
        n++;
        break;
      default:
        watch_drop(s);
        if (s->queued) dequeue(s);
        s->state = S_IDLE;
    }
  fmt[uint_fmt(fmt, n)] = 0;
  strerr_warn(PROG, ": stopping ", fmt, n == 1 ? " service" : " services");
}

static void hurry (void)
{
  if (killed) return;
  tain_copynow(&grace_at);
  hurried = 1;
}

 /* the process groups of NAME/SDIR's run, if it is still the process the state names */
static void kill_service (svc *s, char const *sdir)
{
  char fn[s->len + strlen(sdir) + 2];
  svstate st = SVSTATE_ZERO;
  uint64_t start;
  if (!svstate_read(path2(fn, s, sdir), &st) || st.pid <= 1) return;
  if (st.pid_start && (procstat_starttime(st.pid, &start) <= 0 || start != st.pid_start)) return;
  kill(-st.pid, SIGKILL);
  kill(st.pid, SIGKILL);
}

static void killall (void)
{
  char fmt[UINT_FMT];
  char ms[UINT_FMT];
  unsigned int n = 0;
  svc *s;
  tain t;
  for (s = all; s; s = s->next)
  {
    if (s->state != S_UP && s->state != S_GONE && s->state != S_LOCKED) continue;
    n++;
     /* supervise first, so that it starts nothing more */
    if (s->pid > 0)
    {
      kill(-s->pid, SIGKILL);
      kill(s->pid, SIGKILL);
    }
    if (s->state != S_GONE)
    {
      kill_service(s, "supervise");
      kill_service(s, "log/supervise");
    }
    if (s->state == S_LOCKED)
    {
      watch_drop(s);
      s->state = S_IDLE;
    }
  }
  if (pid1) kill(-1, SIGKILL);
  killed = 1;
  tain_sub(&t, &STAMP, &stop_start);
  ms[uint_fmt(ms, hurried ? (unsigned int)tain_to_millisecs(&t) : grace_ms)] = 0;
  if (n)
  {
    fmt[uint_fmt(fmt, n)] = 0;
    strerr_warn(PROG, ": killed ", fmt, n == 1 ? " service" : " services", " after ", ms, " ms");
  }
  else strerr_warn(PROG, ": killed the remaining processes after ", ms, " ms");
  if (!exitcode) exitcode = 1;
  tain_addsec_g(&reap_at, REAP_SEC);
}

 /* 1 when svscan can exit */
static int stop_progress (void)
{
  unsigned int n = alive();
  if (!n && pid1) reap();  /* is anything else left? */
  if (killed) return (!n && (!pid1 || nochildren)) || !tain_future(&reap_at);
  if (!n)
  {
    if (!pid1 || nochildren) return 1;
     /* PID 1: whatever the services left behind gets a TERM and the rest of the grace */
    if (!termall)
    {
      termall = 1;
      kill(-1, SIGTERM);
      kill(-1, SIGCONT);
    }
  }
  if (!tain_future(&grace_at)) killall();
  return 0;
}


 /* events */

static void handle_signals (void)
{
  for (;;)
  {
    int sig = selfpipe_read();
    switch (sig)
    {
      case -1:
        strerr_warnwusys("read the selfpipe");
        return;
      case 0:
        return;
      case SIGCHLD:
        wantreap = 1;
        break;
      case SIGHUP:
      case SIGALRM:
        wantscan = 1;
        break;
      case SIGTERM:
      case SIGINT:
      case SIGQUIT:
        wantstop++;
        break;
      default:
        break;
    }
  }
}

static void lock_event (svc *s)
{
  if (!stopping)
  {
    recheck(s);
    return;
  }
   /* stopping: the supervise we did not start is gone when its lock is free */
  if (!lock_held(s))
  {
    watch_drop(s);
    s->state = S_IDLE;
  }
}

static void wd_event (struct inotify_event const *ev)
{
  static svc **v = 0;
  static size_t cap = 0;
  size_t n = 0, i;
  svc *s = *hbucket(H_WD, (uint32_t)ev->wd);
  for (; s; s = s->hwd)
  {
    if (s->wd != ev->wd) continue;
    if (n == cap)
    {
      size_t c = cap ? cap * 2 : 8;
      svc **p = realloc(v, c * sizeof(svc *));
      if (!p)
      {
        wantscan = 1;
        break;
      }
      v = p;
      cap = c;
    }
    v[n++] = s;
  }
  for (i = 0; i < n; i++)
  {
    s = v[i];
    if (ev->mask & IN_IGNORED)
    {
       /* the kernel removed the watch (its file is gone) */
      hunlink(s, H_WD);
      s->wd = -1;
    }
    if (s->state == S_NORUN)
    {
      if ((ev->mask & IN_IGNORED) || (ev->len && !strcmp(ev->name, "run"))) recheck(s);
    }
    else if (s->state == S_LOCKED) lock_event(s);
  }
}

static void handle_inotify (void)
{
  uint64_t buf[2048];
  for (;;)
  {
    char const *p = (char const *)buf;
    char const *end;
    ssize_t r = read(ifd, buf, sizeof buf);
    if (r == -1)
    {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) strerr_warnwusys("read inotify events");
      return;
    }
    end = p + r;
    while (p < end)
    {
      struct inotify_event const *ev = (struct inotify_event const *)(void const *)p;
      p += sizeof(struct inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) wantscan = 1;
      else if (ev->wd == dirwd && dirwd >= 0)
      {
        if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT))
        {
           /* DIR itself went away: find it again by its path */
          if (!(ev->mask & IN_IGNORED)) inotify_rm_watch(ifd, dirwd);
          dirwd = -1;
          wantscan = 1;
        }
        else if (ev->len && !wantscan) check(ev->name);
      }
      else wd_event(ev);
    }
  }
}


 /* where supervise is: beside this program, never from PATH */
static void find_supervise (char const *argv0)
{
  size_t n;
  if (sareadlink(&supervise, "/proc/self/exe") == -1)
  {
    stralloc cand = STRALLOC_ZERO;
    supervise.len = 0;
    if (!strchr(argv0, '/'))
    {
      char const *path = getenv("PATH");
      if (!path) path = "/usr/local/bin:/usr/bin:/bin";
      while (*path)
      {
        size_t len = strcspn(path, ":");
        cand.len = 0;
        if ((len ? stralloc_catb(&cand, path, len) : stralloc_catb(&cand, ".", 1))
         && stralloc_catb(&cand, "/", 1) && stralloc_cats(&cand, argv0) && stralloc_0(&cand)
         && access(cand.s, X_OK) == 0)
        {
          argv0 = cand.s;
          break;
        }
        path += len;
        if (*path) path++;
      }
    }
    if (!sarealpath(&supervise, argv0)) strerr_diefusys(111, "find the directory of ", argv0);
    stralloc_free(&cand);
  }
  n = supervise.len;
  if (n > 10 && !memcmp(supervise.s + n - 10, " (deleted)", 10)) n -= 10;
  while (n && supervise.s[n - 1] != '/') n--;
  supervise.len = n;
  if (!stralloc_cats(&supervise, "supervise") || !stralloc_0(&supervise))
    strerr_diefusys(111, "stralloc_cats");
  if (access(supervise.s, X_OK) == -1) strerr_diefusys(111, "find ", supervise.s, " (svscan runs the supervise installed beside it)");
}

int main (int argc, char const *const *argv)
{
  iopause_fd x[2];
  int spfd;
  PROG = "svscan";
  if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "--help")))
  {
    char const *s = argv[1][2] == 'v' ? "svscan (svtree) " SVTREE_VERSION "\n"
      : "usage: " USAGE "\n  -g MS   grace period when stopping (7000)\n  -t SEC  also rescan every SEC seconds\n"
        "as runsvdir: " USAGE_RUNSVDIR " (-P and log accepted, not needed). See svscan(8).\n";
    if (write(1, s, strlen(s)) != (ssize_t)strlen(s)) strerr_diefusys(111, "write to stdout");
    return 0;
  }
  {
    /* as runsvdir (issue 7): runsvdir [-P] dir [log]. -P is what svscan always does (a
       session per supervise); log, runsvdir's readproctitle space, is ignored: messages go to stderr */
    char const *base = argc > 0 ? strrchr(argv[0], '/') : 0;
    int runsvdir = argc > 0 && !strcmp(base ? base + 1 : argv[0], "runsvdir");
    subgetopt l = SUBGETOPT_ZERO;
    for (;;)
    {
      int opt = subgetopt_r(argc, argv, runsvdir ? "Pg:t:" : "g:t:", &l);
      if (opt == -1) break;
      switch (opt)
      {
        case 'g':
          if (!uint0_scan(l.arg, &grace_ms) || grace_ms > 0x7fffffffu) dieusage();
          break;
        case 't':
          if (!uint0_scan(l.arg, &rescan_sec) || rescan_sec > 0x7fffffffu) dieusage();
          break;
        case 'P':
          break;
        default:
          dieusage();
      }
    }
    if (runsvdir && (argc - l.ind < 1 || argc - l.ind > 2)) strerr_dieusage(100, USAGE_RUNSVDIR);
    if (!runsvdir && argc - l.ind > 1) dieusage();
    dirarg = argc > l.ind ? argv[l.ind] : svpath_svdir();
  }
  if (!fd_sanitize()) strerr_diefusys(111, "sanitize standard fds");
  find_supervise(argv[0]);
  if (dirarg[0] != '/')
  {
    if (sagetcwd(&dirabs) == -1 || !stralloc_catb(&dirabs, "/", 1)) strerr_diefusys(111, "getcwd");
  }
  if (!stralloc_cats(&dirabs, dirarg) || !stralloc_0(&dirabs)) strerr_diefusys(111, "stralloc_cats");
  if (chdir(dirabs.s) == -1) strerr_diefusys(111, "chdir to ", dirarg);
  devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull == -1) strerr_diefusys(111, "open /dev/null");
  hbits = 6;
  {
    unsigned int i = 0;
    for (; i < 3; i++)
    {
      htab[i] = calloc((size_t)1 << hbits, sizeof(svc *));
      if (!htab[i]) strerr_diefusys(111, "allocate tables");
    }
  }
  sig_altignore(SIGPIPE);
  spfd = selfpipe_init();
  if (spfd == -1) strerr_diefusys(111, "init selfpipe");
  {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGALRM);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGQUIT);
    if (selfpipe_trapset(&set) == -1) strerr_diefusys(111, "trap signals");
  }
  pid1 = getpid() == 1;
  tain_now_set_stopwatch_g();
  inotify_start();

   /* From now on, we must not die: recoverable trouble is a warning and a deadline. */
  for (;;)
  {
    tain deadline;
    unsigned int n = 1;
    int r;
    if (wantreap)
    {
      wantreap = 0;
      reap();
    }
    if (wantstop)
    {
      stopsigs += wantstop;
      wantstop = 0;
      stop();
      if (stopsigs > 1) hurry();
    }
    if (stopping)
    {
      if (stop_progress()) break;
      deadline = killed ? reap_at : grace_at;
    }
    else
    {
      if (wantscan)
      {
        wantscan = 0;
        scan();
      }
      start_due();
      deadline = tain_less(&due_at, &scan_at) ? due_at : scan_at;
    }
    x[0].fd = spfd;
    x[0].events = IOPAUSE_READ;
    if (ifd >= 0)
    {
      x[1].fd = ifd;
      x[1].events = IOPAUSE_READ;
      n = 2;
    }
     /* no deadline at all when idle: not even a far-away wakeup */
    r = iopause_g(x, n, tain_less(&deadline, &tain_infinite) ? &deadline : 0);
    if (r == -1)
    {
      if (errno != EINTR) strerr_warnwusys("iopause");
      continue;
    }
    if (!r)
    {
      if (!stopping && !tain_future(&scan_at)) wantscan = 1;
      continue;
    }
    if (x[0].revents & IOPAUSE_READ) handle_signals();
    if (n > 1 && x[1].revents & IOPAUSE_READ) handle_inotify();
  }
  return exitcode;
}
