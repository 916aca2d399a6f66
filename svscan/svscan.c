/* SPDX-License-Identifier: ISC */
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

#include "lifelog.h"
#include "procstat.h"
#include "svpath.h"
#include "svstate.h"
#include "syslimit.h"
#include "wstat.h"
#include "svscan.h"

#define USAGE "svscan [ -g grace_ms ] [ -t sec ] [ dir ]"
#define USAGE_RUNSVDIR "runsvdir [-P] dir [log]"
#define dieusage() strerr_dieusage(100, USAGE)

#define DIR_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define NORUN_MASK (IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_CLOSE_WRITE | IN_ONLYDIR)
 /* supervise (as runsv) holds supervise/lock open for writing, so its death is an
    IN_CLOSE_WRITE on the lock; our probe opens it read-only and does not wake us up */
#define LOCK_MASK (IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)

static void retry_later (svscan *sc)
{
  tain t;
  tain_addsec_g(&t, RETRY_SEC);
  if (tain_less(&t, &sc->scan_at)) sc->scan_at = t;
}

 /* the stop sequence (svscan-stop.c) starts; inotify is then only needed to see a foreign
    supervise release its lock. Otherwise close it while the services stop: its release
    waits for an RCU grace period (about 20 ms), which would otherwise come on top at exit. */
static void stop (svscan *sc)
{
  if (stop_begin(sc) || sc->ifd < 0) return;
  fd_close(sc->ifd);
  sc->ifd = -1;
}


 /* entries */

 /* 1: NAME/run is a non-empty executable file (an empty one is being written);
    0: not there; -1: there but not usable yet */
static int run_ok (svc const *s)
{
  char fn[s->len + 5];
  struct stat st;
  if (stat(svc_path(fn, s, "run"), &st) == -1) return 0;
  return S_ISREG(st.st_mode) && st.st_size > 0 && (st.st_mode & 0111) ? 1 : -1;
}

 /* 0 free; 1 held by a running supervise, watched; 2 held, not watched; -1 a system
    limit (fds, memory) kept it from being opened (errno) */
static int lock_held (svscan *sc, svc *s)
{
  char fn[s->len + 16];
  int fd, r;
  svc_path(fn, s, "supervise/lock");
  fd = open(fn, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd == -1)
  {
     /* never supervised; other errors are supervise's to report */
    return errno == EMFILE || errno == ENFILE || errno == ENOMEM ? -1 : 0;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK)
  {
    fd_close(fd);  /* and the lock we may have taken with it */
    return 0;
  }
  if (!svc_watch_set(sc, s, fn, LOCK_MASK))
  {
    if (!s->saidwatch) strerr_warnwusys("watch ", sc->dirarg, "/", fn, " (looking again every 5 seconds)");
    s->saidwatch = 1;
    fd_close(fd);
    return 2;
  }
   /* the holder may have died before the watch was in place */
  r = flock(fd, LOCK_EX | LOCK_NB);
  fd_close(fd);
  if (r == 0)
  {
    svc_watch_drop(sc, s);
    return 0;
  }
  return 1;
}

static void retire (svscan *sc, svc *s)
{
  svc_unname(sc, s);
  svc_watch_drop(sc, s);
  if (s->added) lifelog0(s->name, "removed");
  if (s->pid > 0)
  {
     /* its name may lead elsewhere now: SIGTERM is supervise's x */
    s->state = S_GONE;
    if (s->queued) svc_dequeue(sc, s);
    kill(s->pid, SIGTERM);
  }
  else svc_free(sc, s);
}


 /* fork and exec, not lib/spawn_run: posix_spawn is a vfork that blocks svscan until the
    child has exec'd, and when hundreds of supervise start at once, each new child waits
    for a CPU behind them (500 services: 1.1 s of svscan blocked in clone3). A failed
    exec is then the child's exit 127, reaped as a supervise death and retried. The child
    gets stdin /dev/null, svscan's stdout and stderr, an empty signal mask (caught
    signals revert to their defaults at exec; svscan ignores none), and a session and
    process group of its own: a terminal's ^C reaches svscan only, and svscan can kill
    a supervise with its group. */
static pid_t spawn_supervise (svscan *sc, char const *const *argv)
{
  sigset_t set;
  pid_t pid = fork();
  if (pid) return pid;
  sigemptyset(&set);
  sigprocmask(SIG_SETMASK, &set, 0);
  setsid();
  if (dup2(sc->devnull, 0) == -1) _exit(111);
  execv(argv[0], (char *const *)argv);
  strerr_warnwusys("exec ", argv[0]);
  _exit(errno == ENOENT ? 127 : 126);
}

static void limit_wait (svscan *sc, svc *s, char const *what, int e, tain const *until)
{
  if (!s->saidlimit)
  {
    char const *lim = syslimit_name(e);
    strerr_warnw("unable to spawn supervise for ", sc->dirarg, "/", s->name, ": ", lim ? lim : "", lim ? " (" : "",
      what, ": ", strerror(e), lim ? ")" : "", "; retrying every second");
  }
  s->saidlimit = 1;
  s->when = *until;
  s->state = S_DUE;
  if (!svc_enqueue(sc, s)) retry_later(sc);
}

static void launch (svscan *sc, svc *s)
{
  char arg[s->len + 3];
  char const *argv[3] = { sc->supervise.s, arg, 0 };
  pid_t pid;
  int held;
   /* a fork failed for lack of processes or memory a moment ago: the others wait too,
      each saying so once, and one fork a second tries again */
  if (tain_future(&sc->forkwait))
  {
    limit_wait(sc, s, "fork", sc->forkerr, &sc->forkwait);
    return;
  }
  held = lock_held(sc, s);
  if (held < 0)
  {
    tain t;
    tain_addsec_g(&t, LIMIT_RETRY_SEC);
    limit_wait(sc, s, "open supervise/lock", errno, &t);
    return;
  }
  if (held)
  {
    s->state = S_LOCKED;
    if (!s->added) lifelog(s->name, "added", "supervise already running, waiting for it to exit");
    else if (!s->saidlock) lifelog(s->name, "supervise already running, waiting for it to exit");
    s->added = s->saidlock = 1;
    if (held == 2) retry_later(sc);
    return;
  }
  s->saidlock = 0;
  if (!s->added) lifelog0(s->name, "added");
  s->added = 1;
   /* "./NAME": no name can be taken for an option */
  arg[0] = '.';
  arg[1] = '/';
  memcpy(arg + 2, s->name, s->len + 1);
  pid = spawn_supervise(sc, argv);
  if (pid == -1)
  {
    int e = errno;
    tain t;
    tain_addsec_g(&t, e == EAGAIN || e == ENOMEM ? LIMIT_RETRY_SEC : RETRY_SEC);
    if (e == EAGAIN || e == ENOMEM)
    {
      sc->forkwait = t;
      sc->forkerr = e;
      limit_wait(sc, s, "fork", e, &t);
      return;
    }
    errno = e;
    strerr_warnwusys("spawn ", sc->supervise.s, " for ", sc->dirarg, "/", s->name);
    s->when = t;
    s->state = S_DUE;
    if (!svc_enqueue(sc, s)) retry_later(sc);
    return;
  }
  if (s->saidlimit) strerr_warn(PROG, ": ", sc->dirarg, "/", s->name, ": supervise spawned");
  s->saidlimit = 0;
  svc_set_pid(sc, s, pid);
  s->state = S_UP;
  {
    tain t;
    tain_from_millisecs(&t, RESPAWN_MS);
    tain_add_g(&s->when, &t);
  }
}

 /* s is present, not S_GONE: what does it need? */
static void evaluate (svscan *sc, svc *s)
{
  int r;
  if (s->state == S_UP || s->state == S_DUE || s->state == S_GONE) return;
  r = run_ok(s);
  if (r <= 0)
  {
    if (r < 0 && !s->saidexec)
    {
      strerr_warnw(sc->dirarg, "/", s->name, "/run is not an executable file (waiting for it to be one)");
      s->saidexec = 1;
    }
    if (s->state == S_NORUN && s->wd >= 0) return;
    s->state = S_NORUN;
    if (!svc_watch_set(sc, s, s->name, NORUN_MASK))
    {
      if (!s->saidwatch) strerr_warnwusys("watch ", sc->dirarg, "/", s->name, " (looking again every 5 seconds)");
      s->saidwatch = 1;
      retry_later(sc);
    }
     /* run may have appeared before the watch was in place */
    if (run_ok(s) <= 0) return;
  }
  svc_watch_drop(sc, s);
  s->saidexec = 0;
  s->state = S_DUE;
  if (!svc_enqueue(sc, s)) retry_later(sc);
}

 /* name is an entry of DIR that may have changed */
static void check (svscan *sc, char const *name)
{
  size_t len = strlen(name);
  uint32_t h;
  svc *s;
  struct stat st;
  int present = 0;
  if (name[0] == '.' || sc->stop.stopping) return;
  h = svc_hashname(name, len);
  s = svc_by_name(sc, name, len, h);
  if (stat(name, &st) == 0)
    present = S_ISDIR(st.st_mode) && (st.st_dev != sc->dirdev || st.st_ino != sc->dirino);
  else if (errno == EACCES) strerr_warnwusys("stat ", sc->dirarg, "/", name);
  else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP && errno != ENAMETOOLONG)
  {
    strerr_warnwusys("stat ", sc->dirarg, "/", name);
    retry_later(sc);
    if (s) s->gen = sc->gen;
    return;
  }
  if (s && (!present || s->dev != st.st_dev || s->ino != st.st_ino))
  {
    retire(sc, s);
    s = 0;
  }
  if (!present) return;
  if (!s)
  {
    s = svc_new(sc, name, len, h, st.st_dev, st.st_ino);
    if (!s)
    {
      strerr_warnwusys("add ", sc->dirarg, "/", name);
      retry_later(sc);
      return;
    }
  }
  s->gen = sc->gen;
  evaluate(sc, s);
}

static void recheck (svscan *sc, svc *s)
{
  char name[s->len + 1];
  memcpy(name, s->name, s->len + 1);
  check(sc, name);
}


 /* scanning */

static int dir_setup (svscan *sc)
{
  struct stat st;
  if (chdir(sc->dirabs.s) == -1 || stat(".", &st) == -1)
  {
    if (!sc->saiddir) strerr_warnwusys("chdir to ", sc->dirarg, " (trying again every 5 seconds)");
    sc->saiddir = 1;
    retry_later(sc);
    return 0;
  }
  sc->saiddir = 0;
  sc->dirdev = st.st_dev;
  sc->dirino = st.st_ino;
  if (sc->ifd >= 0)
  {
    sc->dirwd = inotify_add_watch(sc->ifd, ".", DIR_MASK);
    if (sc->dirwd == -1)
    {
      if (!sc->saidinotify) strerr_warnwusys("watch ", sc->dirarg, " (scanning it every 5 seconds)");
      sc->saidinotify = 1;
      retry_later(sc);
    }
  }
  else retry_later(sc);
  return 1;
}

static void inotify_start (svscan *sc)
{
  sc->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (sc->ifd == -1)
  {
    if (!sc->saidinotify) strerr_warnwusys("initialize inotify (scanning ", sc->dirarg, " every 5 seconds)");
    sc->saidinotify = 1;
    retry_later(sc);
  }
  else sc->dirwd = -1;
}

static void scan (svscan *sc)
{
  DIR *d;
  svc *s, *next;
  if (sc->rescan_sec) tain_addsec_g(&sc->scan_at, (int)sc->rescan_sec);
  else sc->scan_at = tain_infinite;
  if (sc->ifd < 0) inotify_start(sc);
  if (sc->dirwd < 0 && !dir_setup(sc)) return;
  if (sc->dirwd >= 0) sc->saidinotify = 0;
  d = opendir(".");
  if (!d)
  {
    int e = errno;
    char const *lim = syslimit_name(e);
    if (!lim) strerr_warnwusys("open ", sc->dirarg, " (trying again in 5 seconds)");
    else if (!sc->saidscan) strerr_warnw("unable to read ", sc->dirarg, ": ", lim, " (opendir: ", strerror(e), "); trying again every 5 seconds");
    sc->saidscan = !!lim;
    retry_later(sc);
    return;
  }
  if (sc->saidscan) strerr_warn(PROG, ": ", sc->dirarg, ": read again");
  sc->saidscan = 0;
  sc->gen++;
  for (;;)
  {
    struct dirent *de;
    errno = 0;
    de = readdir(d);
    if (!de) break;
    check(sc, de->d_name);
  }
  if (errno)
  {
    strerr_warnwusys("read ", sc->dirarg, " (trying again in 5 seconds)");
    retry_later(sc);
    closedir(d);
    return;
  }
  closedir(d);
   /* what this scan did not see: gone, or made after readdir passed it */
  for (s = sc->tab.all; s; s = next)
  {
    next = s->next;
    if (s->state != S_GONE && s->gen != sc->gen) recheck(sc, s);
  }
}


 /* supervise deaths */

static void critical (svscan *sc, svc *s)
{
  char fn[s->len + 11];
  svstate st = SVSTATE_ZERO;
  if (svstate_read(svc_path(fn, s, "supervise"), &st) && st.has_exit)
  {
    char fmt[WSTAT_FMT_MAX + 1];
    fmt[wstat_fmt(fmt, st.last_wstat)] = 0;
    sc->exitcode = wstat_code(st.last_wstat);
    lifelog(s->name, "critical service failed", fmt);
  }
  else
  {
    sc->exitcode = EXIT_CRITICAL;
    lifelog0(s->name, "critical service failed");
  }
}

static void reap (svscan *sc)
{
  for (;;)
  {
    int w;
    pid_t pid = waitpid(-1, &w, WNOHANG);
    svc *s;
    if (pid == -1 && errno == EINTR) continue;
    if (pid <= 0)
    {
      sc->nochildren = pid == -1;
      return;
    }
    s = svc_by_pid(sc, pid);
    if (!s) continue;  /* an orphan we inherited */
    svc_set_pid(sc, s, 0);
    if (s->state == S_GONE)
    {
      svc_free(sc, s);
      continue;
    }
    s->state = S_IDLE;
    if (sc->stop.stopping) continue;
    if (WIFEXITED(w) && WEXITSTATUS(w) == EXIT_CRITICAL)
    {
      critical(sc, s);
      stop(sc);
      continue;
    }
    lifelog0(s->name, "supervise died, restarting");
    recheck(sc, s);
  }
}


 /* stopping everything */


 /* events */

static void handle_signals (svscan *sc)
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
        sc->wantreap = 1;
        break;
      case SIGHUP:
      case SIGALRM:
        sc->wantscan = 1;
        break;
      case SIGTERM:
      case SIGINT:
      case SIGQUIT:
        sc->wantstop++;
        break;
      default:
        break;
    }
  }
}

static void lock_event (svscan *sc, svc *s)
{
  if (!sc->stop.stopping)
  {
    recheck(sc, s);
    return;
  }
   /* stopping: the supervise we did not start is gone when its lock is free */
  if (!lock_held(sc, s))
  {
    svc_watch_drop(sc, s);
    s->state = S_IDLE;
  }
}

static void wd_event (svscan *sc, struct inotify_event const *ev)
{
  svc **v;
  size_t n = svc_by_wd(sc, ev->wd, &v), i;
  svc *s;
  for (i = 0; i < n; i++)
  {
    s = v[i];
    if (ev->mask & IN_IGNORED)
    {
       /* the kernel removed the watch (its file is gone) */
      svc_watch_forget(sc, s);
    }
    if (s->state == S_NORUN)
    {
      if ((ev->mask & IN_IGNORED) || (ev->len && !strcmp(ev->name, "run"))) recheck(sc, s);
    }
    else if (s->state == S_LOCKED) lock_event(sc, s);
  }
}

static void handle_inotify (svscan *sc)
{
  uint64_t buf[2048];
  for (;;)
  {
    char const *p = (char const *)buf;
    char const *end;
    ssize_t r = read(sc->ifd, buf, sizeof buf);
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
      if (ev->mask & IN_Q_OVERFLOW) sc->wantscan = 1;
      else if (ev->wd == sc->dirwd && sc->dirwd >= 0)
      {
        if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT))
        {
           /* DIR itself went away: find it again by its path */
          if (!(ev->mask & IN_IGNORED)) inotify_rm_watch(sc->ifd, sc->dirwd);
          sc->dirwd = -1;
          sc->wantscan = 1;
        }
        else if (ev->len && !sc->wantscan) check(sc, ev->name);
      }
      else wd_event(sc, ev);
    }
  }
}


 /* where supervise is: beside this program, never from PATH */
static void find_supervise (svscan *sc, char const *argv0)
{
  size_t n;
  if (sareadlink(&sc->supervise, "/proc/self/exe") == -1)
  {
    stralloc cand = STRALLOC_ZERO;
    sc->supervise.len = 0;
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
    if (!sarealpath(&sc->supervise, argv0)) strerr_diefusys(111, "find the directory of ", argv0);
    stralloc_free(&cand);
  }
  n = sc->supervise.len;
  if (n > 10 && !memcmp(sc->supervise.s + n - 10, " (deleted)", 10)) n -= 10;
  while (n && sc->supervise.s[n - 1] != '/') n--;
  sc->supervise.len = n;
  if (!stralloc_cats(&sc->supervise, "supervise") || !stralloc_0(&sc->supervise))
    strerr_diefusys(111, "stralloc_cats");
  if (access(sc->supervise.s, X_OK) == -1) strerr_diefusys(111, "find ", sc->supervise.s, " (svscan runs the supervise installed beside it)");
}

int main (int argc, char const *const *argv)
{
  static svscan state = SVSCAN_ZERO;  /* static: what it holds at exit is not a leak */
  svscan *sc = &state;
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
    /* as runsvdir: runsvdir [-P] dir [log]. -P is what svscan always does (a
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
          if (!uint0_scan(l.arg, &sc->grace_ms) || sc->grace_ms > 0x7fffffffu) dieusage();
          break;
        case 't':
          if (!uint0_scan(l.arg, &sc->rescan_sec) || sc->rescan_sec > 0x7fffffffu) dieusage();
          break;
        case 'P':
          break;
        default:
          dieusage();
      }
    }
    if (runsvdir && (argc - l.ind < 1 || argc - l.ind > 2)) strerr_dieusage(100, USAGE_RUNSVDIR);
    if (!runsvdir && argc - l.ind > 1) dieusage();
    sc->dirarg = argc > l.ind ? argv[l.ind] : svpath_svdir();
  }
  if (!fd_sanitize()) strerr_diefusys(111, "sanitize standard fds");
  find_supervise(sc, argv[0]);
  if (sc->dirarg[0] != '/')
  {
    if (sagetcwd(&sc->dirabs) == -1 || !stralloc_catb(&sc->dirabs, "/", 1)) strerr_diefusys(111, "getcwd");
  }
  if (!stralloc_cats(&sc->dirabs, sc->dirarg) || !stralloc_0(&sc->dirabs)) strerr_diefusys(111, "stralloc_cats");
  if (chdir(sc->dirabs.s) == -1) strerr_diefusys(111, "chdir to ", sc->dirarg);
  sc->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (sc->devnull == -1) strerr_diefusys(111, "open /dev/null");
  if (!svc_tables_init(sc)) strerr_diefusys(111, "allocate tables");
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
  sc->pid1 = getpid() == 1;
  tain_now_set_stopwatch_g();
  inotify_start(sc);

   /* From now on, we must not die: recoverable trouble is a warning and a deadline. */
  for (;;)
  {
    tain deadline;
    unsigned int n = 1;
    int r;
    if (sc->wantreap)
    {
      sc->wantreap = 0;
      reap(sc);
    }
    if (sc->wantstop)
    {
      sc->stopsigs += sc->wantstop;
      sc->wantstop = 0;
      stop(sc);
      if (sc->stopsigs > 1) stop_hurry(sc);
    }
    if (sc->stop.stopping)
    {
       /* as PID 1, with no service left: is anything else? */
      if (sc->pid1 && !stop_alive(sc)) reap(sc);
      if (stop_progress(sc)) break;
      deadline = *stop_deadline(sc);
    }
    else
    {
      if (sc->wantscan)
      {
        sc->wantscan = 0;
        scan(sc);
      }
      if (!svc_due(sc, &launch, &sc->due_at)) retry_later(sc);
      deadline = tain_less(&sc->due_at, &sc->scan_at) ? sc->due_at : sc->scan_at;
    }
    x[0].fd = spfd;
    x[0].events = IOPAUSE_READ;
    if (sc->ifd >= 0)
    {
      x[1].fd = sc->ifd;
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
      if (!sc->stop.stopping && !tain_future(&sc->scan_at)) sc->wantscan = 1;
      continue;
    }
    if (x[0].revents & IOPAUSE_READ) handle_signals(sc);
    if (n > 1 && x[1].revents & IOPAUSE_READ) handle_inotify(sc);
  }
  return sc->exitcode;
}
