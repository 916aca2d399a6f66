/* SPDX-License-Identifier: ISC */
/* supervise/supervise.c: keeps DIR/run (and DIR/log/run) alive (SPEC 3, 4) */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <skalibs/types.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/env.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sgetopt.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "backoff.h"
#include "clockns.h"
#include "control.h"
#include "fifodir.h"
#include "lifelog.h"
#include "syslimit.h"
#include "procstat.h"
#include "spawn.h"
#include "statefile.h"
#include "svconf.h"
#include "svneeds.h"
#include "svstate.h"
#include "svstatus.h"
#include "wstat.h"

#define USAGE "supervise [-q] DIR"
#define dieusage() strerr_dieusage(100, USAGE)

#define EXIT_CRITICAL 125
#define MIN_UPTIME_MS 1000
#define TIMEOUT_FINISH_MS 5000
#define TIMEOUT_CHECK_MS 5000
#define HEALTH_FAILURES 3
#define CHECK_FIRST_MS 50       /* readiness checks: again after 50 ms, doubling up to 1 s */
#define CHECK_MAX_MS 1000
#define NEEDS_MAX 60            /* needs waited for through a subscription each; more are read, not watched */
#define RETRY_MS 1000
#define HOLD_MS 10              /* how long "stopping" may wait to be written, in case run dies at once */
#define LINGER_MAX_MS 5000      /* without timeout-kill, how long a stop waits for run's group */
#define LINGER_POLL_MS 1000     /* stopping, run gone, its group not: look again 5, 10, 20... up to this.
                                   supervise is a subreaper: the group's orphans are its children, and their
                                   deaths wake it; the timer only covers members whose parent lives on */

enum event_e
{
  EV_TIMEOUT,
  EV_RUNDIED,
  EV_FINISHED,
  EV_READY,
  EV_UP,
  EV_DOWN,
  EV_ONCE,
  EV_EXIT,
  EV_CHECKTIMER,                /* the check timer: start a check, or kill one at timeout-check */
  EV_CHECKED,                   /* a check exited */
  EV_NEEDS,                     /* waiting: a need may have changed */
  NEVENTS
};

typedef struct svc_s svc;
struct svc_s
{
  char const *name;             /* lifelog name: "web", "web/log" */
  char const *udir;             /* the path the user gave, for messages */
  char const *cwd;              /* "." or "log": where run, finish and config live */
  char const *sdir;             /* "supervise" or "log/supervise" */
  char const *evdir;            /* "event" or "log/event" */
  unsigned int islog : 1;
  unsigned int started : 1;     /* run was started at least once: later starts are restarts */
  unsigned int dirty : 1;       /* state files to rewrite */
  unsigned int cmdkill : 1;     /* a command signalled run: its death is not a failed start */
  unsigned int failedstart : 1; /* the last death was a failed start */
  unsigned int finishfailed : 1;/* finish exited 125 */
  unsigned int termsent : 1;
  unsigned int wknown : 1;      /* wstat is meaningful (not for an adopted run) */
  unsigned int lingering : 1;   /* stopping: run is gone (reaped), the rest of its process group is not */
  unsigned int resend : 1;      /* stopping: the down signal went to the group, and may go once more */
  unsigned int policystop : 1;  /* the last death is not restarted (restart, success-codes) */
  unsigned int policyfail : 1;  /* the last death makes the service failed (restart never) */
  unsigned int readyfail : 1;   /* stopped for timeout-ready: its death is a failed start */
  unsigned int checktimedout : 1; /* the running check was killed at timeout-check */
  unsigned int usecheck : 1;    /* readiness by check (check, no notification-fd) */
  unsigned int hascheck : 1;
  unsigned int adopted : 1;     /* run is the adopted one, not our child (its group is not below us) */
  int limiterr;                 /* a system limit holds run back (its errno, said once); 0 none */
  int ctlfd;
  int okfd;
  int notifyfd;                 /* read end of the notification-fd pipe, or -1 */
  int pidfd;                    /* an adopted run (not our child), or -1 */
  pid_t finishpid;
  int wstat;
  pid_t checkpid;               /* a running check (leader of its own session), or 0 */
  int checkwstat;
  tain checkdl;                 /* the next check, or the running check's timeout-check */
  tain checkstart;
  unsigned int checkdelay;      /* readiness: ms until the next try */
  unsigned int hfails;          /* health: consecutive failed checks while ready */
  char checkwhy[64];            /* the last failure reported, so that one line is written per reason */
  char const *downwhy;          /* the down line's reason when not "by request" */
  int inofd;                    /* waiting: inotify on needs/ and on what is missing, or -1 */
  int needfd[NEEDS_MAX];        /* waiting: subscriptions to the needs' event/ */
  stralloc needfifo;            /* and their FIFOs' names, each null-terminated */
  unsigned int nneedfd;
  unsigned int cyclesaid : 1;   /* this wait's cycle was reported */
  stralloc missingsaid;         /* needs reported as missing during this wait */
  unsigned int warned;          /* bad configuration files already warned about (WARN_*) */
  svstate st;
  svstatus written;             /* what the runit files say now */
  statefile files[4];           /* supervise/pid, stat, status, state */
  unsigned int haswritten : 1;
  tain deadline;
  tain hold;                    /* the state files are not written before this (tain_zero: no hold) */
  tain lingerpoll;              /* lingering: the next look at the group */
  tain lingerend;               /* lingering: when to stop waiting for it (no timeout-kill) */
  unsigned int lingerms;        /* and the wait after that one */
  tain startstamp;              /* monotonic, for uptime */
  char ev[32];                  /* events to announce */
  size_t nev;
  /* configuration, read at each start */
  unsigned int min_uptime, max_backoff, timeout_kill, timeout_finish, max_failures;
  unsigned int restart;         /* SVCONF_RESTART_* */
  unsigned char success[32];    /* success-codes, a bitmap */
  unsigned int health_interval, health_failures, timeout_check, timeout_ready;
  int downsig;
  int notifyn;
};

typedef void action (svc *);

static svc sv[2];
static unsigned int nsv = 1;
static int logpipe[2] = { -1, -1 };
static int devnull = -1;
static int critical = 0;
static tain retry = TAIN_INFINITE;
static int writefailing = 0;
static int notifyfailing = 0;

static void settimeout_ms (svc *s, unsigned int ms)
{
  tain t;
  tain_from_millisecs(&t, (int)ms);
  tain_add_g(&s->deadline, &t);
}

static void event (svc *s, char c)
{
  if (s->nev < sizeof s->ev) s->ev[s->nev++] = c;
  s->dirty = 1;
}

 /* every deadline belongs to the state that armed it: a state change drops it, and the
    new state arms its own after this (min-uptime, timeout-kill, timeout-finish, backoff) */
static void changestate (svc *s, unsigned char state)
{
  s->deadline = tain_infinite;
  s->st.state = state;
  s->st.since = clockns_real();
  s->dirty = 1;
  s->hold = tain_zero;
}

static char const *confpath (svc const *s, char const *file, char *buf, size_t max)
{
  size_t clen = strlen(s->cwd), flen = strlen(file);
  if (clen + flen + 2 > max) return file;
  memcpy(buf, s->cwd, clen);
  buf[clen] = '/';
  memcpy(buf + clen + 1, file, flen + 1);
  return buf;
}

static int conftrouble = 0;     /* errno of a config read that failed for lack of fds or memory */

static int lacking (int e)
{
  return e == EMFILE || e == ENFILE || e == ENOMEM;
}

static unsigned int conf_ms (svc const *s, char const *file, unsigned int dflt)
{
  char buf[64];
  char const *path = confpath(s, file, buf, sizeof buf);
  unsigned int u;
  int r = svconf_uint(path, &u);
  if (r > 0) return u;
  if (r < 0 && lacking(errno)) conftrouble = errno;
  else if (r < 0) strerr_warnwu("read ", s->udir, "/", file, " (using the default)");
  return dflt;
}

static int conf_has (svc const *s, char const *file)
{
  char buf[64];
  return svconf_exists(confpath(s, file, buf, sizeof buf)) > 0;
}

#define WARN_RESTART 1
#define WARN_SUCCESS 2
#define WARN_HEALTH 4
#define WARN_HEALTHF 8
#define WARN_TCHECK 16
#define WARN_TREADY 32
#define WARN_NEEDS 64
#define WARN_SELF 128

 /* one warning per bad file for the life of supervise, not one per start */
static void badconf (svc *s, unsigned int bit, char const *file, char const *why)
{
  if (s->warned & bit) return;
  s->warned |= bit;
  strerr_warnw(s->udir, "/", file, ": ", why);
}

 /* a number of ms in file: as conf_ms, but a bad value is one warning, then the default */
static unsigned int conf_ms_once (svc *s, char const *file, unsigned int bit, unsigned int dflt, int zero_ok)
{
  char buf[64];
  unsigned int u;
  int r = svconf_uint(confpath(s, file, buf, sizeof buf), &u);
  if (r > 0 && (u || zero_ok)) return u;
  if (r < 0 && lacking(errno)) conftrouble = errno;
  else if (r)
    badconf(s, bit, file, zero_ok ? "not a number (using the default)" : "not a number above 0 (using the default)");
  return dflt;
}

 /* restart, success-codes, check and its timings (SPEC 2, 4a) */
static void readconfig_new (svc *s)
{
  char buf[64];
  int r;
  r = svconf_restart(confpath(s, "restart", buf, sizeof buf), &s->restart);
  if (r <= 0) s->restart = SVCONF_RESTART_ALWAYS;
  if (r < 0 && lacking(errno)) conftrouble = errno;
  else if (r < 0) badconf(s, WARN_RESTART, "restart", "not always, on-failure or never (using always)");
  memset(s->success, 0, sizeof s->success);
  r = svconf_codes(confpath(s, "success-codes", buf, sizeof buf), s->success);
  if (r <= 0) memset(s->success, 0, sizeof s->success), s->success[0] = 1;
  if (r < 0 && lacking(errno)) conftrouble = errno;
  else if (r < 0) badconf(s, WARN_SUCCESS, "success-codes", "not a list of exit codes from 0 to 255 (using 0)");
  s->hascheck = conf_has(s, "check");
  s->usecheck = s->hascheck && s->notifyn < 0;
  s->timeout_check = conf_ms_once(s, "timeout-check", WARN_TCHECK, TIMEOUT_CHECK_MS, 0);
  s->timeout_ready = conf_ms_once(s, "timeout-ready", WARN_TREADY, 0, 1);
  s->health_interval = conf_ms_once(s, "health-interval", WARN_HEALTH, 0, 1);
  s->health_failures = conf_ms_once(s, "health-failures", WARN_HEALTHF, HEALTH_FAILURES, 0);
  if (s->health_interval && !s->hascheck)
  {
    badconf(s, WARN_HEALTH, "health-interval", "there is no check (ignored)");
    s->health_interval = 0;
  }
}

static void readconfig (svc *s)
{
  char buf[64];
  unsigned int u;
  int sig, r;
  s->min_uptime = conf_ms(s, "min-uptime", MIN_UPTIME_MS);
  s->max_backoff = conf_ms(s, "max-backoff", BACKOFF_MAX_MS);
  s->timeout_kill = conf_ms(s, "timeout-kill", 0);
  s->timeout_finish = conf_ms(s, "timeout-finish", TIMEOUT_FINISH_MS);
  s->max_failures = conf_ms(s, "max-failures", 0);
  s->downsig = SIGTERM;
  if (svconf_sig(confpath(s, "down-signal", buf, sizeof buf), &sig) > 0) s->downsig = sig;
  else if (lacking(errno)) conftrouble = errno;
  else if (conf_has(s, "down-signal")) strerr_warnw(s->udir, "/down-signal: unknown signal (using TERM)");
  s->notifyn = -1;
  r = svconf_uint(confpath(s, "notification-fd", buf, sizeof buf), &u);
  if (r < 0 && lacking(errno)) conftrouble = errno, r = 0;
  switch (r)
  {
    case 1:
      if (u > 2 && u < 1024) { s->notifyn = (int)u; break; }
      /* fallthrough */
    case -1:
      strerr_warnw(s->udir, "/notification-fd: not a number from 3 to 1023 (ignored)");
    default: break;
  }
  readconfig_new(s);
}

static size_t fmt_duration (char *buf, uint64_t ms)
{
  size_t n;
  if (ms < 1000)
  {
    n = uint64_fmt(buf, ms);
    memcpy(buf + n, " ms", 3);
    return n + 3;
  }
  n = uint64_fmt(buf, ms / 1000);
  memcpy(buf + n, " s", 2);
  return n + 2;
}

static uint64_t uptime_ms (svc const *s)
{
  tain d;
  tain_sub(&d, &STAMP, &s->startstamp);
  return tain_to_millisecs(&d) < 0 ? 0 : (uint64_t)tain_to_millisecs(&d);
}

 /* runsv's control/C scripts: run synchronously; 1 if it exists and exited 0 */
static int custom (svc *s, char c)
{
  char path[10] = "control/?";
  char const *argv[2] = { path, 0 };
  spawn sp = SPAWN_ZERO;
  int w;
  pid_t pid;
  if (s->islog) return 0;
  path[8] = c;
  if (access(path, X_OK) == -1) return 0;
  sp.argv = argv;
  sp.fd0 = devnull;
  sp.fd1 = logpipe[1];
  pid = spawn_run(&sp);
  if (pid == -1) { strerr_warnwusys("spawn ", s->udir, "/", path); return 0; }
  if (waitpid_nointr(pid, &w, 0) != pid) return 0;
  return WIFEXITED(w) && !WEXITSTATUS(w);
}

static void sendsig (svc *s, int sig, int group)
{
  pid_t pid = s->st.pid;
  if (!pid) return;
  if (s->lingering) { kill(-pid, sig); return; }  /* run is gone: its group is what is left */
  if (group && kill(-pid, sig) == 0) return;
  kill(pid, sig);
}

 /* the state machine: an action per state and event; none means nothing to do */

static void start (svc *);
static void stop (svc *);

static void backoff (svc *s, uint32_t ms)
{
  changestate(s, SVSTATE_BACKOFF);
  tain_now_g();
  tain_copynow(&s->deadline);
  settimeout_ms(s, ms);
  s->st.backoff_until = clockns_real() + (uint64_t)ms * 1000000ULL;
  event(s, 'b');
}

static void died (svc *);

static void check_exit (svc *s)
{
  svc *m = &sv[0];
  (void)s;
  if (m->st.want != SVSTATE_WANT_EXIT) return;
  if (m->st.state != SVSTATE_DOWN && m->st.state != SVSTATE_FAILED) return;
  if (nsv > 1 && logpipe[1] >= 0)
  {
     /* the main service is down: the logger gets EOF once the pipe's writers are gone */
    fd_close(logpipe[1]);
    fd_close(logpipe[0]);
    logpipe[0] = logpipe[1] = -1;
    sv[1].st.want = SVSTATE_WANT_EXIT;
    sv[1].dirty = 1;
    if (sv[1].st.state == SVSTATE_BACKOFF) changestate(&sv[1], SVSTATE_DOWN), event(&sv[1], 'D');
  }
}

static void become_down (svc *s)
{
  lifelog(s->name, "down", s->downwhy ? s->downwhy : s->st.want == SVSTATE_WANT_ONCE ? "ran once" : "by request");
  if (s->downwhy) event(s, 'O');  /* a restart policy: will not be restarted */
  s->downwhy = 0;
  if (s->st.want == SVSTATE_WANT_ONCE) s->st.want = SVSTATE_WANT_DOWN;
  s->st.backoff_until = 0;
  changestate(s, SVSTATE_DOWN);
  event(s, 'D');
  check_exit(s);
}

static void become_failed (svc *s, char const *why, char const *detail)
{
   /* want down once failed, unless it was exit: an x (or SIGTERM) is never forgotten */
  if (s->st.want != SVSTATE_WANT_EXIT) s->st.want = SVSTATE_WANT_DOWN;
  s->st.backoff_until = 0;
  changestate(s, SVSTATE_FAILED);
  event(s, 'D');
  lifelog(s->name, "failed", why, detail, "; staying down until up");
  if (!s->islog && conf_has(s, "critical"))
  {
    critical = 1;
    s->st.want = SVSTATE_WANT_EXIT;
    lifelog(s->name, "exit", "critical service failed, stopping");
  }
  check_exit(s);
}

 /* run (and finish) are gone (death), or run could not be spawned: restart, back off,
    fail, or stay down */
static void after_run (svc *s, int death)
{
   /* events, as s6-supervise: O (will not be restarted: failed, once, a restart policy)
      then D (down, finish done) after every death, also before a restart or a backoff */
  if (s->finishfailed) { event(s, 'O'); become_failed(s, "finish exited 125", ""); return; }
  if (s->policyfail && s->st.want == SVSTATE_WANT_UP) { event(s, 'O'); become_failed(s, "a failure after min-uptime under restart never", ""); return; }
  if (s->failedstart && s->max_failures && s->st.failures >= s->max_failures)
  {
    char fmt[UINT64_FMT];
    fmt[uint64_fmt(fmt, s->st.failures)] = 0;
    event(s, 'O');
    become_failed(s, "max-failures reached after failed start ", fmt);
    return;
  }
  if (s->st.want != SVSTATE_WANT_UP)
  {
    if (s->st.want == SVSTATE_WANT_ONCE && !s->downwhy) event(s, 'O');  /* become_down writes a policy's */
    become_down(s);
    return;
  }
  if (death) event(s, 'D');
  if (s->failedstart)
  {
    uint32_t ms = backoff_ms(s->st.failures, s->max_backoff);
    if (ms) { backoff(s, ms); return; }
  }
   /* min-uptime 0 makes no death a failed start; a run that dies unasked within a second
      of its start still waits until that second is over, as runsv does */
  if (!s->min_uptime && !s->cmdkill)
  {
    uint64_t up = uptime_ms(s);
    if (up < MIN_UPTIME_MS) { backoff(s, (uint32_t)(MIN_UPTIME_MS - up)); return; }
  }
  start(s);
}

static int needs_unready (svc *);
static int needs_wait (svc *);
static void spawnrun (svc *);
static void check_start (svc *);
static void check_cancel (svc *);

 /* before every start of run: the needs (SPEC 4a), then run */
static void start (svc *s)
{
  if (!s->islog && needs_wait(s)) return;
  spawnrun(s);
}

 /* a system limit (processes, fds, memory: errno) holds run back: said once, then a
    try every second until it passes, not counted as a failed start */
static void limit_wait (svc *s, char const *what, char const *sep, char const *call)
{
  int e = errno;
  if (s->limiterr != e)
  {
    char const *lim = syslimit_name(e);
    strerr_warnw(what, s->udir, sep, lim ? lim : "", lim ? " (" : "", call, strerror(e), lim ? ")" : "", "; retrying every second");
  }
  s->limiterr = e;
  backoff(s, RETRY_MS);
}

static void start_failed (svc *s)
{
  s->st.pid = 0;
  if (errno == EAGAIN || errno == ENOMEM)
  {
     /* fork failed: trouble of the machine, not of the service: retry soon */
    limit_wait(s, "unable to start ", "/run: ", "fork: ");
    return;
  }
   /* run could not be executed (missing, not executable...): a failed start */
  strerr_warnwusys("spawn ", s->udir, "/run");
  s->failedstart = 1;
  s->finishfailed = 0;
  s->st.failures++;
  after_run(s, 0);
  if (s->st.state == SVSTATE_BACKOFF)
  {
    char n[UINT64_FMT], ms[UINT64_FMT + 3];
    n[uint64_fmt(n, s->st.failures)] = 0;
    ms[fmt_duration(ms, backoff_ms(s->st.failures, s->max_backoff))] = 0;
    lifelog(s->name, "backoff", "failed start ", n, ", retrying in ", ms);
  }
}

static void spawnrun (svc *s)
{
  char const *argv[2] = { "./run", 0 };
  spawn sp = SPAWN_ZERO;
  stralloc envmod = STRALLOC_ZERO;
  char envpath[64];
  int np[2] = { -1, -1 };
  int n;
  pid_t pid;
  int e;
  conftrouble = 0;
  readconfig(s);
  custom(s, 'u');
  sp.argv = argv;
  sp.cwd = s->cwd;
  sp.newsession = 1;
  sp.fd0 = s->islog ? logpipe[0] : devnull;
  sp.fd1 = s->islog ? -1 : logpipe[1];
  if (s->notifyn >= 0)
  {
    if (pipe2(np, O_CLOEXEC) == -1)
    {
      if (lacking(errno)) conftrouble = errno;
      else strerr_warnwusys("create a notification pipe for ", s->udir);
    }
     /* the read end never blocks: the loop round that saw the old pipe's hangup (run
        died) may read this new one after a restart, before run wrote anything */
    else { ndelay_on(np[0]); sp.fdx_from = np[1]; sp.fdx_to = s->notifyn; }
  }
  n = envdir(confpath(s, "env", envpath, sizeof envpath), &envmod);
  if (n < 0 && lacking(errno)) conftrouble = errno;
  else if (n < 0 && errno != ENOENT) strerr_warnwusys("read ", s->udir, "/env (ignored)");
   /* out of fds or memory, the configuration and env/ are unknown: starting run without
      them would be wrong, and run would hit the same wall. Retry soon, as for fork. */
  if (conftrouble)
  {
    stralloc_free(&envmod);
    if (np[0] >= 0) fd_close(np[0]), fd_close(np[1]);
    errno = conftrouble;
    s->st.pid = 0;
    limit_wait(s, "unable to read the configuration of ", ": ", "");
    return;
  }
  if (n > 0)
  {
    size_t elen = env_len((char const *const *)environ);
    char const *v[elen + (size_t)n + 1];
    if (env_merge(v, elen + (size_t)n + 1, (char const *const *)environ, elen, envmod.s, envmod.len))
      sp.envp = v;
    pid = spawn_run(&sp);
  }
  else pid = spawn_run(&sp);
  e = errno;
  stralloc_free(&envmod);
  if (np[1] >= 0) fd_close(np[1]);
  if (pid == -1)
  {
    if (np[0] >= 0) fd_close(np[0]);
    errno = e;
    start_failed(s);
    return;
  }
  tain_now_g();
  tain_copynow(&s->startstamp);
  if (s->started) s->st.restarts++;
  s->started = 1;
  s->st.pid = pid;
  s->st.ready = 0;
  s->st.paused = 0;
  s->st.backoff_until = 0;
  s->termsent = s->cmdkill = s->failedstart = s->finishfailed = s->readyfail = s->adopted = 0;
  s->downwhy = 0;  /* a restart policy's reason is for the death it judged, not this run's */
  if (procstat_starttime(pid, &s->st.pid_start) <= 0) s->st.pid_start = 0;
  s->notifyfd = np[0];
  changestate(s, SVSTATE_UP);
  event(s, 'u');
  {
    char fmt[PID_FMT];
    fmt[pid_fmt(fmt, pid)] = 0;
    if (s->limiterr)
    {
      char const *lim = syslimit_name(s->limiterr);
      strerr_warn(PROG, ": ", s->udir, "/run: started, no longer held back", lim ? " by the " : "", lim ? lim : "");
      s->limiterr = 0;
    }
    lifelog(s->name, "spawned", "pid ", fmt);
  }
  tain_copynow(&s->deadline);
  if (s->notifyn < 0 && !s->usecheck) settimeout_ms(s, s->min_uptime);  /* 0: ready at the next iteration */
  else if (s->timeout_ready) settimeout_ms(s, s->timeout_ready);
  else s->deadline = tain_infinite;
  s->hfails = 0;
  s->checkwhy[0] = 0;
  if (s->st.health != SVSTATE_HEALTH_UNHEALTHY) s->st.health = SVSTATE_HEALTH_NONE;
  if (s->usecheck)
  {
    s->checkdelay = CHECK_FIRST_MS;
    check_start(s);
  }
}

static void check_at (svc *, unsigned int);

static void becomeready (svc *s, char const *how, char const *unit)
{
  char fmt[UINT64_FMT + 3];
  size_t n = uint64_fmt(fmt, uptime_ms(s));
  memcpy(fmt + n, " ms", 4);
  s->st.ready = 1;
  s->st.ready_since = clockns_real();
  s->deadline = tain_infinite;
  if (s->usecheck && uptime_ms(s) < s->min_uptime)
  {
     /* a run that dies before min-uptime is still a failed start: failures are
        forgiven at min-uptime (up_timeout) */
    s->deadline = s->startstamp;
    settimeout_ms(s, s->min_uptime);
  }
  else s->st.failures = 0;
  if (s->health_interval)
  {
     /* health's first check, one interval after ready (whatever made it ready) */
    s->st.health = SVSTATE_HEALTH_OK;
    tain_now_g();
    tain_copynow(&s->checkdl);
    check_at(s, s->health_interval);
  }
  else if (s->st.health == SVSTATE_HEALTH_UNHEALTHY) s->st.health = SVSTATE_HEALTH_NONE;
  s->dirty = 1;
  event(s, 'U');
  lifelog(s->name, "ready", how, fmt, unit);
}

static void ready_by_uptime (svc *s)
{
  if (!s->st.ready) becomeready(s, "up ", "");
}

 /* the deadline of a run that is up: min-uptime (readiness by uptime, or the end of a
    check-ready run's trial: its failures are forgiven), or timeout-ready */
static void up_timeout (svc *s)
{
  if (s->st.ready) { s->st.failures = 0; s->dirty = 1; return; }
  if (s->notifyn < 0 && !s->usecheck) { ready_by_uptime(s); return; }
  if (!s->timeout_ready) return;
  {
    char fmt[UINT_FMT];
    fmt[uint_fmt(fmt, s->timeout_ready)] = 0;
    lifelog(s->name, "not ready", "not ready after timeout-ready ", fmt, " ms; stopping it, a failed start");
  }
  stop(s);
  s->readyfail = 1;
}

static void ready_by_fd (svc *s)
{
  if (s->notifyfd >= 0) { fd_close(s->notifyfd); s->notifyfd = -1; }
  if (!s->st.ready) becomeready(s, "notified after ", "");
}

static void closerun (svc *s)
{
  if (s->notifyfd >= 0) { fd_close(s->notifyfd); s->notifyfd = -1; }
  if (s->pidfd >= 0) { fd_close(s->pidfd); s->pidfd = -1; }
}

static void died (svc *s)
{
  char dur[UINT64_FMT + 3];
  char plan[96] = "";
  char finish[64];
  int wasup;
  wasup = s->st.want == SVSTATE_WANT_UP;
  s->deadline = tain_infinite;  /* min-uptime or timeout-ready: run's, gone with it */
  closerun(s);
  dur[fmt_duration(dur, uptime_ms(s))] = 0;
  s->st.pid = 0;
  s->st.pid_start = 0;
  s->st.has_exit = s->wknown;
  s->st.last_wstat = s->wstat;
   /* failed start: died unasked before it was ready and before min-uptime (with check, even
      if ready: min-uptime still decides); or stopped for not being ready at timeout-ready */
  s->failedstart = wasup && !s->cmdkill && uptime_ms(s) < s->min_uptime && (!s->st.ready || s->usecheck);
  if (s->readyfail && wasup) s->failedstart = 1;
  s->policystop = s->policyfail = 0;
  if (wasup && !s->cmdkill && !s->readyfail && s->restart != SVCONF_RESTART_ALWAYS)
  {
     /* a death the service caused itself, judged by restart and success-codes */
    int code = s->wknown && WIFEXITED(s->wstat) ? WEXITSTATUS(s->wstat) : -1;
    if (code >= 0 && (s->success[code >> 3] & (1u << (code & 7))))
    {
      s->policystop = 1;
      s->failedstart = 0;
    }
    else if (s->restart == SVCONF_RESTART_NEVER && !s->failedstart) s->policyfail = 1;
  }
  if (s->failedstart && !s->islog && needs_unready(s)) s->failedstart = 0;
  if (s->failedstart) s->st.failures++;
  check_cancel(s);
  s->st.ready = 0;
  s->st.paused = 0;
  s->termsent = 0;
  event(s, 'd');
  if (!wasup) memcpy(plan, "wanted down", 12);
  else if (s->policystop || s->policyfail)
  {
    char const *x = s->policystop ? "not restarting (restart " : "failed (restart ";
    char const *w = s->restart == SVCONF_RESTART_NEVER ? "never)" : "on-failure)";
    size_t n = strlen(x);
    memcpy(plan, x, n);
    memcpy(plan + n, w, strlen(w) + 1);
    if (s->policystop)
    {
      s->st.want = SVSTATE_WANT_DOWN;
      s->downwhy = s->restart == SVCONF_RESTART_NEVER ? "not restarting (restart never)" : "not restarting (restart on-failure)";
    }
  }
  else if (!s->failedstart) memcpy(plan, "restarting", 11);
  else
  {
    size_t n = 0;
    char const *x = "failed start ";
    memcpy(plan, x, strlen(x)); n = strlen(x);
    n += uint64_fmt(plan + n, s->st.failures);
    if (s->max_failures && s->st.failures >= s->max_failures)
    {
      memcpy(plan + n, ", giving up", 12);
    }
    else
    {
      uint32_t ms = backoff_ms(s->st.failures, s->max_backoff);
      memcpy(plan + n, ", retrying in ", 14); n += 14;
      n += fmt_duration(plan + n, ms);
      plan[n] = 0;
    }
  }
  if (!s->wknown) lifelog(s->name, "exited", "adopted process, status unknown, after ", dur, "; ", plan);
  else if (WIFSIGNALED(s->wstat))
  {
    char const *name = sig_name(WTERMSIG(s->wstat));
    lifelog(s->name, "killed", "signal ", name, " after ", dur, "; ", plan);
  }
  else
  {
    char fmt[UINT_FMT];
    fmt[uint_fmt(fmt, WEXITSTATUS(s->wstat))] = 0;
    lifelog(s->name, "exited", "status ", fmt, " after ", dur, "; ", plan);
  }

  if (access(confpath(s, "finish", finish, sizeof finish), X_OK) == 0)
  {
    char code[WSTAT_FMT_MAX], sig[WSTAT_FMT_MAX];
    char const *argv[4] = { "./finish", code, sig, 0 };
    spawn sp = SPAWN_ZERO;
    if (s->wknown) wstat_finish_args(s->wstat, code, sig);
    else { memcpy(code, "-1", 3); memcpy(sig, "0", 2); }
    sp.argv = argv;
    sp.cwd = s->cwd;
    sp.fd0 = devnull;
    sp.fd1 = s->islog ? -1 : logpipe[1];
    sp.newsession = 1;
    s->finishpid = spawn_run(&sp);
    if (s->finishpid > 0)
    {
      changestate(s, SVSTATE_FINISHING);
      tain_now_g();
      tain_copynow(&s->deadline);
      if (s->timeout_finish) settimeout_ms(s, s->timeout_finish);
      else s->deadline = tain_infinite;
      return;
    }
    s->finishpid = 0;
    if (syslimit_name(errno))
    {
      int e = errno;
      strerr_warnw("unable to spawn ", s->udir, "/finish: ", syslimit_name(e), " (", strerror(e), "); finish skipped");
    }
    else strerr_warnwusys("spawn ", s->udir, "/finish");
  }
  after_run(s, 1);
}

static void finished (svc *s)
{
  s->finishpid = 0;
  s->deadline = tain_infinite;
  if (s->wknown && WIFEXITED(s->wstat) && WEXITSTATUS(s->wstat) == 125) s->finishfailed = 1;
  if (s->wknown && (!WIFEXITED(s->wstat) || WEXITSTATUS(s->wstat)))
  {
    char fmt[WSTAT_FMT_MAX + 1];
    fmt[wstat_fmt(fmt, s->wstat)] = 0;
    lifelog(s->name, "finish", fmt);
  }
  after_run(s, 1);
}

static void kill_finish (svc *s)
{
  char fmt[UINT_FMT];
  fmt[uint_fmt(fmt, s->timeout_finish)] = 0;
  lifelog(s->name, "finish", "still running after timeout-finish ", fmt, " ms, sending KILL");
  if (kill(-s->finishpid, SIGKILL) == -1) kill(s->finishpid, SIGKILL);
  s->deadline = tain_infinite;
}

static void stop (svc *s)
{
  s->cmdkill = 1;
  check_cancel(s);
  s->st.ready = 0;  /* ready is only ever 1 while up */
  if (!custom(s, 't'))
  {
    sendsig(s, s->downsig, 1);
    s->termsent = 1;
    s->resend = 1;
  }
  else s->resend = 0;
  sendsig(s, SIGCONT, 1);
  custom(s, s->st.want == SVSTATE_WANT_EXIT ? 'x' : 'd');
  changestate(s, SVSTATE_STOPPING);
  tain_now_g();
   /* most services die at once: then "stopping" is never written, only "down" (3 fewer
      file writes, on the CPU the dying services need, e.g. 50 of them at a shutdown) */
  tain_copynow(&s->hold);
  {
    tain t;
    tain_from_millisecs(&t, HOLD_MS);
    tain_add_g(&s->hold, &t);
  }
  tain_copynow(&s->deadline);
  if (s->timeout_kill) settimeout_ms(s, s->timeout_kill);
  else s->deadline = tain_infinite;
}

static void kill_group (svc *s)
{
  char fmt[UINT_FMT];
  fmt[uint_fmt(fmt, s->timeout_kill)] = 0;
  lifelog(s->name, "down", "still running after timeout-kill ", fmt, " ms, sending KILL to its process group");
  sendsig(s, SIGKILL, 1);
  s->deadline = tain_infinite;
}

 /* run's process group (its pid) has a live member left. Zombies do not count: an
    orphaned member that died waits for whoever inherited it to reap it. When /proc
    cannot be read, no: a stop never hangs for lack of this check. */
static int group_alive (svc const *s)
{
  if (s->st.pid <= 0) return 0;
   /* our child's group: its members are below us (we are a subreaper). An adopted run
      is not our child: look at every process. */
  return (s->adopted ? procstat_group_alive(s->st.pid) : procstat_group_alive_below(s->st.pid)) > 0;
}

 /* run died after the down signal, but a non-exec wrapper's daemon (apache2ctl's
    apache2, mysqld_safe's mysqld) may still be shutting down in its group: the service
    is down only once the group is empty, so that `svctl -w -d` returns when the daemon
    is gone and `up` starts no second copy beside it. timeout-kill still applies. */
static void died_stopping (svc *s)
{
  if (!s->lingering && group_alive(s))
  {
    closerun(s);
    s->lingering = 1;
    s->lingerms = 5;
    tain_now_g();
    tain_copynow(&s->lingerpoll);
    tain_copynow(&s->lingerend);
    {
      tain t;
      tain_from_millisecs(&t, LINGER_MAX_MS);
      tain_add_g(&s->lingerend, &t);
    }
    lifelog(s->name, "down", "run exited, waiting for the rest of its process group");
    return;
  }
  died(s);
}

 /* the main loop's look at a lingering group: at each wakeup, and polled (the group's
    members are not our children: nothing tells when the last one is gone) */
static void linger_check (svc *s)
{
  tain t;
  if (!s->lingering) return;
   /* a process that survives the down signal (a stray that ignores it, or one that
      got it between fork and exec) must not keep the service from coming up again
      forever: with timeout-kill it is killed; without, it is left alone after a while */
  if (!s->timeout_kill && !tain_future(&s->lingerend))
  {
    char fmt[UINT_FMT];
    fmt[uint_fmt(fmt, LINGER_MAX_MS)] = 0;
    lifelog(s->name, "down", "its process group is still not empty after ", fmt, " ms; not waiting any longer");
    s->lingering = 0;
    s->lingerpoll = tain_infinite;
    died(s);
    return;
  }
  if (!group_alive(s))
  {
    s->lingering = 0;
    s->lingerpoll = tain_infinite;
    died(s);
    return;
  }
  if (tain_future(&s->lingerpoll)) return;
   /* some 155 ms on (the looks at 5, 10, 20, 40, 80 ms found the group), the down signal
      once more: a member forked just before the first one got it with its parent's
      handler (sh's trap) and lost it at exec; one that is merely taking its time to
      stop gets the same signal twice (README, "Decisions") */
  if (s->resend && s->lingerms >= 160)
  {
    s->resend = 0;
    sendsig(s, s->downsig, 1);
    sendsig(s, SIGCONT, 1);
  }
  tain_now_g();
  tain_from_millisecs(&t, (int)s->lingerms);
  tain_add_g(&s->lingerpoll, &t);
  if (s->lingerms < LINGER_POLL_MS) s->lingerms *= 2;
  if (!s->timeout_kill && tain_less(&s->lingerend, &s->lingerpoll)) s->lingerpoll = s->lingerend;
}


 /* check (SPEC 4a): readiness after each spawn, health while ready. A check runs in a
    session of its own, cwd the service dir, run's environment, output to stderr; it is
    tracked as finish is: a pid, a deadline (timeout-check), what its exit means. */

static void check_at (svc *s, unsigned int ms)
{
  tain t;
  tain_now_g();
  tain_from_millisecs(&t, (int)ms);
  tain_add_g(&s->checkdl, &t);
}

static void check_result (svc *, int, char const *);

static void check_start (svc *s)
{
  char const *argv[2] = { "./check", 0 };
  spawn sp = SPAWN_ZERO;
  stralloc envmod = STRALLOC_ZERO;
  char envpath[64];
  int n;
  pid_t pid;
  sp.argv = argv;
  sp.cwd = s->cwd;
  sp.newsession = 1;
  sp.fd0 = devnull;
  sp.fd1 = 2;
  n = envdir(confpath(s, "env", envpath, sizeof envpath), &envmod);
  if (n > 0)
  {
    size_t elen = env_len((char const *const *)environ);
    char const *v[elen + (size_t)n + 1];
    if (env_merge(v, elen + (size_t)n + 1, (char const *const *)environ, elen, envmod.s, envmod.len))
      sp.envp = v;
    pid = spawn_run(&sp);
  }
  else pid = spawn_run(&sp);
  stralloc_free(&envmod);
  s->checktimedout = 0;
  if (pid == -1)
  {
    char why[64] = "unable to spawn: ";
    size_t m = strlen(why);
    char const *e = strerror(errno);
    size_t el = strlen(e);
    if (el > sizeof why - m - 1) el = sizeof why - m - 1;
    memcpy(why + m, e, el);
    why[m + el] = 0;
    s->checkpid = 0;
    check_result(s, 0, why);
    return;
  }
  s->checkpid = pid;
  tain_now_g();
  tain_copynow(&s->checkstart);
  tain_copynow(&s->checkdl);
  check_at(s, s->timeout_check);
}

static void check_cancel (svc *s)
{
  if (s->checkpid > 0) kill(-s->checkpid, SIGKILL);
  s->checkdl = tain_infinite;
}

 /* readiness tries: one line at the first failure and one when the reason changes */
static void check_unready (svc *s, char const *why)
{
  if (strcmp(why, s->checkwhy))
  {
    size_t n = strlen(why);
    if (n >= sizeof s->checkwhy) n = sizeof s->checkwhy - 1;
    memcpy(s->checkwhy, why, n);
    s->checkwhy[n] = 0;
    lifelog(s->name, "check", "failed (", why, "), not ready yet");
  }
  tain_now_g();
  tain_copynow(&s->checkdl);
  check_at(s, s->checkdelay);
  s->checkdelay = s->checkdelay * 2 > CHECK_MAX_MS ? CHECK_MAX_MS : s->checkdelay * 2;
}

static void check_health (svc *s, int ok, char const *why)
{
  if (ok)
  {
    if (s->hfails) lifelog(s->name, "health", "check passed again");
    s->hfails = 0;
    s->st.health = SVSTATE_HEALTH_OK;
  }
  else
  {
    char n[UINT_FMT], of[UINT_FMT];
    s->hfails++;
    n[uint_fmt(n, s->hfails)] = 0;
    of[uint_fmt(of, s->health_failures)] = 0;
    if (s->hfails >= s->health_failures)
    {
      lifelog(s->name, "unhealthy", "check failed ", n, " times, restarting");
      s->st.health = SVSTATE_HEALTH_UNHEALTHY;
      s->st.health_restarts++;
      s->dirty = 1;
      stop(s);  /* want stays up: a restart caused by supervise, never a failed start */
      return;
    }
    lifelog(s->name, "health", "check failed (", why, "), ", n, " of ", of);
    s->st.health = SVSTATE_HEALTH_FAILING;
    s->st.health_failing = s->hfails;
  }
  s->dirty = 1;
  tain_now_g();
  tain_copynow(&s->checkdl);
  check_at(s, s->health_interval);
}

static void check_result (svc *s, int ok, char const *why)
{
  if (s->st.ready) { check_health(s, ok, why); return; }
  if (!ok) { check_unready(s, why); return; }
  tain_now_g();
  s->checkwhy[0] = 0;
  s->checkdl = tain_infinite;
  becomeready(s, "check passed after ", "");
}

 /* the check timer, while up: a check is due, or the running one is at timeout-check */
static void check_timer (svc *s)
{
  if (s->checkpid > 0)
  {
    kill(-s->checkpid, SIGKILL);
    s->checktimedout = 1;
    return;
  }
  if (s->st.ready && (!s->health_interval || s->st.paused))
  {
     /* health is not checked while paused: look again an interval later */
    if (s->health_interval) { tain_now_g(); tain_copynow(&s->checkdl); check_at(s, s->health_interval); }
    return;
  }
  check_start(s);
}

static void checked (svc *s)
{
  char why[WSTAT_FMT_MAX + 48];
  int ok = !s->checktimedout && WIFEXITED(s->checkwstat) && !WEXITSTATUS(s->checkwstat);
  if (s->checktimedout)
  {
    size_t n = 0;
    memcpy(why, "timed out after timeout-check ", 30); n = 30;
    n += uint_fmt(why + n, s->timeout_check);
    memcpy(why + n, " ms", 4);
  }
  else why[wstat_fmt(why, s->checkwstat)] = 0;
  s->checktimedout = 0;
  check_result(s, ok, why);
}


 /* needs/ (SPEC 4a): before each start, every need must have a running supervise whose
    state says up and ready (runit's runsv: status says run, want up). While one is not,
    the service waits in state waiting, woken by the needs' event/ fifodirs and by inotify
    on needs/ and on what does not exist yet: no polling. */

static stralloc absdir = STRALLOC_ZERO;  /* DIR, absolute and lexical: needs/ entries are its siblings */

static int need_ready (char const *path)
{
  size_t n = strlen(path);
  char fn[n + 16];
  svstate st = SVSTATE_ZERO;
  svstatus status;
  int fd;
  memcpy(fn, path, n);
  memcpy(fn + n, "/supervise/ok", 14);
  fd = open(fn, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1) return 0;  /* ENXIO: no supervise listening */
  fd_close(fd);
  fn[n + 10] = 0;
  if (svstate_read(fn, &st)) return st.state == SVSTATE_UP && st.ready;
   /* ours (it has event/) writes status before state: no state yet is not ready */
  memcpy(fn + n, "/event", 7);
  if (access(fn, F_OK) == 0) return 0;
  memcpy(fn + n, "/supervise", 11);
  return svstatus_read(fn, &status) && status.state == SVSTATUS_RUN && status.want == 'u';
}

static void ino_watch (svc *s, char const *path, uint32_t mask)
{
  if (s->inofd >= 0) inotify_add_watch(s->inofd, path, mask | IN_ONLYDIR);
}

 /* subscribe first, then read: a change after this wakes us */
static void need_watch (svc *s, char const *path)
{
  size_t n = strlen(path);
  char fn[n + 16];
  struct stat st;
  memcpy(fn, path, n);
  memcpy(fn + n, "/event", 7);
  if (stat(fn, &st) == 0 && S_ISDIR(st.st_mode) && s->nneedfd < NEEDS_MAX)
  {
    stralloc name = STRALLOC_ZERO;
    int fd = fifodir_subscribe(fn, &name);
    if (fd >= 0 && !stralloc_catb(&s->needfifo, name.s, name.len + 1))
    {
      fifodir_unsubscribe(fd, name.s);
      fd = -1;
    }
    stralloc_free(&name);
    if (fd >= 0)
    {
      s->needfd[s->nneedfd++] = fd;
      return;
    }
  }
   /* no event/ yet (or runit's runsv): its creation, or status renamed into supervise/ */
  if (stat(path, &st) == 0)
  {
    ino_watch(s, path, IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF);
    memcpy(fn + n, "/supervise", 11);
    ino_watch(s, fn, IN_CREATE | IN_MOVED_TO);  /* runsv renames status.new; never IN_CLOSE_WRITE: our own look at ok would wake us */
    return;
  }
   /* missing: the nearest ancestor that exists, for its creation */
  memcpy(fn, path, n + 1);
  while (n > 1)
  {
    while (n > 1 && fn[n - 1] != '/') n--;
    if (n > 1) n--;
    fn[n] = 0;
    if (stat(fn, &st) == 0) { ino_watch(s, fn, IN_CREATE | IN_MOVED_TO); return; }
  }
}

static void needs_unwatch (svc *s)
{
  size_t i = 0;
  unsigned int j;
  for (j = 0; j < s->nneedfd; j++)
  {
    fifodir_unsubscribe(s->needfd[j], s->needfifo.s + i);
    i += strlen(s->needfifo.s + i) + 1;
  }
  s->nneedfd = 0;
  s->needfifo.len = 0;
}

static int said (stralloc const *sa, char const *name)
{
  size_t i = 0;
  while (i < sa->len)
  {
    if (!strcmp(sa->s + i, name)) return 1;
    i += strlen(sa->s + i) + 1;
  }
  return 0;
}

 /* the needs not ready, escaped and blank-separated, into s->st.waiting_for; with watch,
    subscribed to each first. Returns how many are not ready. */
static unsigned int needs_eval (svc *s, int watch)
{
  stralloc list = STRALLOC_ZERO, w = STRALLOC_ZERO;
  unsigned int count = 0;
  size_t i = 0;
  int n;
  if (!absdir.len) return 0;
  n = svneeds_list(&list, absdir.s);
  if (n < 0)
  {
    if (errno == ENOTDIR) badconf(s, WARN_NEEDS, "needs", "not a directory (ignored)");
    else if (errno != ENOENT && !(s->warned & WARN_NEEDS))
    {
      s->warned |= WARN_NEEDS;
      strerr_warnwusys("read ", s->udir, "/needs (ignored)");
    }
    stralloc_free(&list);
    return 0;
  }
  if (watch)
  {
    char fn[absdir.len + 7];
    memcpy(fn, absdir.s, absdir.len);
    memcpy(fn + absdir.len, "/needs", 7);
    ino_watch(s, fn, IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
  }
  while (i < list.len)
  {
    char const *name = list.s + i;
    char const *path = name + strlen(name) + 1;
    i = (size_t)(path - list.s) + strlen(path) + 1;
    if (svneeds_same(path, absdir.s))
    {
      if (!(s->warned & WARN_SELF))
      {
        s->warned |= WARN_SELF;
        strerr_warnw(s->udir, "/needs/", name, ": names the service itself (ignored)");
      }
      continue;
    }
    if (watch) need_watch(s, path);
    if (need_ready(path)) continue;
    count++;
    if (w.len) stralloc_catb(&w, " ", 1);
    svneeds_escape(&w, name);
    if (watch && access(path, F_OK) == -1 && !said(&s->missingsaid, name))
    {
      stralloc e = STRALLOC_ZERO;
      stralloc_cats(&s->missingsaid, name);
      stralloc_0(&s->missingsaid);
      if (svneeds_escape(&e, name) && stralloc_0(&e))
        lifelog(s->name, "waiting", "for ", e.s, ", which does not exist");
      stralloc_free(&e);
    }
  }
  if (w.len >= SVSTATE_WAITING_MAX)
  {
    w.len = SVSTATE_WAITING_MAX - 4;
    stralloc_cats(&w, "...");
  }
  if (w.len != strlen(s->st.waiting_for) || (w.len && memcmp(w.s, s->st.waiting_for, w.len)))
  {
    memcpy(s->st.waiting_for, w.s ? w.s : "", w.len);
    s->st.waiting_for[w.len] = 0;
    s->dirty = 1;
  }
  stralloc_free(&w);
  stralloc_free(&list);
  return count;
}

 /* a death while a need is not ready is not a failed start */
static int needs_unready (svc *s)
{
  char keep[SVSTATE_WAITING_MAX];
  unsigned int n;
  memcpy(keep, s->st.waiting_for, sizeof keep);
  n = needs_eval(s, 0);
  memcpy(s->st.waiting_for, keep, sizeof keep);
  return n > 0;
}

static void needs_cycle (svc *s)
{
  stralloc c = STRALLOC_ZERO;
  if (s->cyclesaid) return;
  if (svneeds_cycle(&c, absdir.s) == 1)
  {
    s->cyclesaid = 1;
    lifelog(s->name, "waiting", "needs cycle: ", c.s);
  }
  stralloc_free(&c);
}

 /* watch everything again (what exists may have changed), then read: 0 all ready */
static unsigned int needs_rewatch (svc *s)
{
  char before[SVSTATE_WAITING_MAX];
  unsigned int n;
  needs_unwatch(s);
   /* the inotify fd is kept for the whole wait (closing one takes an RCU grace period,
      ~20 ms): a watch left on a path that no longer matters only wakes us for nothing */
  if (s->inofd == -1)
  {
    s->inofd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (s->inofd == -1) strerr_warnwusys("watch ", s->udir, "/needs (waiting for an event of a need)");
  }
  memcpy(before, s->st.waiting_for, sizeof before);
  n = needs_eval(s, 1);
  if (n && strcmp(before, s->st.waiting_for)) lifelog(s->name, "waiting", "for ", s->st.waiting_for);
  if (n) needs_cycle(s);
  return n;
}

static void needs_end (svc *s)
{
  needs_unwatch(s);
  if (s->inofd >= 0) { fd_close(s->inofd); s->inofd = -1; }
  s->st.waiting_for[0] = 0;
  s->cyclesaid = 0;
  s->missingsaid.len = 0;
  s->dirty = 1;
}

 /* 1: the service now waits (state waiting); 0: start run */
static int needs_wait (svc *s)
{
  if (!needs_eval(s, 0)) return 0;
  s->st.waiting_for[0] = 0;
  if (!needs_rewatch(s)) { needs_end(s); return 0; }
  s->deadline = tain_infinite;
  s->st.backoff_until = 0;
  changestate(s, SVSTATE_WAITING);
  event(s, 'n');
  return 1;
}

 /* waiting, and a need (or needs/) changed */
static void needs_changed (svc *s)
{
  if (needs_eval(s, 0) && needs_rewatch(s)) return;
  spawnrun(s);  /* first: closing the inotify fd may take a while */
  needs_end(s);
}

static void end_wait (svc *s)
{
  needs_end(s);
  become_down(s);
}

static void up_from_down (svc *s)
{
  lifelog(s->name, "up", "by request");
  s->st.failures = 0;
  s->deadline = tain_infinite;
  start(s);
}

static void cancel_backoff (svc *s)
{
  s->deadline = tain_infinite;
  become_down(s);
}

static action *const transitions[SVSTATE_NSTATES][NEVENTS] =
{
  [SVSTATE_DOWN] = { [EV_UP] = &up_from_down, [EV_ONCE] = &up_from_down, [EV_EXIT] = &check_exit },
  [SVSTATE_UP] = { [EV_TIMEOUT] = &up_timeout, [EV_RUNDIED] = &died, [EV_READY] = &ready_by_fd, [EV_DOWN] = &stop, [EV_EXIT] = &stop, [EV_CHECKTIMER] = &check_timer, [EV_CHECKED] = &checked },
  [SVSTATE_FINISHING] = { [EV_TIMEOUT] = &kill_finish, [EV_FINISHED] = &finished },
  [SVSTATE_BACKOFF] = { [EV_TIMEOUT] = &start, [EV_UP] = &up_from_down, [EV_ONCE] = &up_from_down, [EV_DOWN] = &cancel_backoff, [EV_EXIT] = &cancel_backoff },
  [SVSTATE_STOPPING] = { [EV_TIMEOUT] = &kill_group, [EV_RUNDIED] = &died_stopping },
  [SVSTATE_FAILED] = { [EV_UP] = &up_from_down, [EV_ONCE] = &up_from_down, [EV_EXIT] = &check_exit },
  [SVSTATE_WAITING] = { [EV_NEEDS] = &needs_changed, [EV_DOWN] = &end_wait, [EV_EXIT] = &end_wait },
};

static void dispatch (svc *s, enum event_e ev)
{
  action *f = transitions[s->st.state][ev];
  if (f) (*f)(s);
}

static void command (svc *s, char c)
{
  unsigned char want;
  enum event_e ev;
  int sig;
  switch (control_decode(c, &sig))
  {
    case CONTROL_UP: want = SVSTATE_WANT_UP; ev = EV_UP; break;
    case CONTROL_DOWN: want = SVSTATE_WANT_DOWN; ev = EV_DOWN; break;
    case CONTROL_ONCE: want = SVSTATE_WANT_ONCE; ev = EV_ONCE; break;
    case CONTROL_EXIT:
      if (s->islog) return;  /* as runsv: the logger exits after the main service */
      want = SVSTATE_WANT_EXIT; ev = EV_EXIT; break;
    case CONTROL_SIGNAL:
    {
      if (c == 'p') { s->st.paused = 1; s->dirty = 1; }
      else if (c == 'c') { s->st.paused = 0; s->dirty = 1; }
      if (s->st.state != SVSTATE_UP && s->st.state != SVSTATE_STOPPING) return;
       /* set before control/C runs: a death it causes is the command's, not a failed start */
      if (c == 't' || c == 'k' || c == 'i' || c == 'q' || c == 'h' || c == 'a' || c == '1' || c == '2')
      {
        if (!s->cmdkill) s->dirty = 1;  /* recorded in state as signalled (adoption) */
        s->cmdkill = 1;
      }
      if (custom(s, c)) return;
      if (c == 't') { s->termsent = 1; s->dirty = 1; }
      sendsig(s, sig, 0);
      return;
    }
    default: return;
  }
  if (s->st.want != want) { s->st.want = want; s->dirty = 1; }
  dispatch(s, ev);
}

 /* state files and events: once per loop iteration, files first */
static int writefiles (svc *s, svstatus const *st)
{
  svstatus const *last = s->haswritten ? &s->written : 0;
  char buf[SVSTATE_FMT_MAX];
  char old[SVSTATUS_STAT_MAX];
  size_t n = 0;
   /* runsv's order, status (what sv reads) last of its three; then state */
  if (!last || last->pid != st->pid)
  {
    if (st->pid)
    {
      n = pid_fmt(buf, st->pid);
      buf[n++] = '\n';
    }
    if (!statefile_write(&s->files[0], s->sdir, "pid", buf, n)) return 0;
  }
  n = svstatus_fmt_stat(buf, st);
  if ((!last || n != svstatus_fmt_stat(old, last) || memcmp(buf, old, n))
   && !statefile_write(&s->files[1], s->sdir, "stat", buf, n)) return 0;
  svstatus_pack(buf, st);
   /* the same 20 bytes (readiness, restarts, health: not in runit's record) are not
      written again: one file replacement less per change that runit does not see */
  if (last) svstatus_pack(old, last);
  if ((!last || memcmp(buf, old, SVSTATUS_SIZE))
   && !statefile_write(&s->files[2], s->sdir, "status", buf, SVSTATUS_SIZE)) return 0;
   /* recorded for a supervise that adopts the run: a signal pending on a paused run
      kills it after this one is gone, and its death is still the command's */
  s->st.signalled = s->cmdkill && (s->st.state == SVSTATE_UP || s->st.state == SVSTATE_STOPPING);
  return statefile_write(&s->files[3], s->sdir, "state", buf, svstate_fmt(buf, &s->st));
}

static int announce (svc *s)
{
  svstatus status = SVSTATUS_ZERO;
  status.sec = s->st.since / 1000000000ULL;
  status.nsec = (uint32_t)(s->st.since % 1000000000ULL);
  status.pid = s->st.state == SVSTATE_FINISHING ? s->finishpid : s->st.pid;
  status.paused = s->st.paused;
  status.want = s->st.want == SVSTATE_WANT_UP ? 'u' : 'd';
  status.termsent = s->termsent;
  status.state = s->st.state == SVSTATE_UP || s->st.state == SVSTATE_STOPPING ? SVSTATUS_RUN
    : s->st.state == SVSTATE_FINISHING ? SVSTATUS_FINISH : SVSTATUS_DOWN;
  status.wantexit = s->st.want == SVSTATE_WANT_EXIT;
  if (!writefiles(s, &status))
  {
    if (!writefailing) strerr_warnwusys("write state files in ", s->udir, "/supervise (retrying every second)");
    writefailing = 1;
    return 0;
  }
  s->written = status;
  s->haswritten = 1;
  s->dirty = 0;
  if (!s->nev) s->ev[s->nev++] = 'w';  /* want or paused changed: no lifecycle event, still a change */
  if (s->nev)
  {
    if (fifodir_notify(s->evdir, s->ev, s->nev) == -1 && lacking(errno))
    {
       /* kept for the next try; a client that gets an event twice reads the state again */
      if (!notifyfailing) strerr_warnwusys("notify ", s->udir, "/event (retrying every second)");
      notifyfailing = 1;
      s->dirty = 1;
      return 0;
    }
    s->nev = 0;
  }
  return 1;
}

static void announce_all (void)
{
  unsigned int i;
  int ok = 1;
  for (i = 0; i < nsv; i++)
    if (sv[i].dirty && !tain_future(&sv[i].hold) && !announce(&sv[i])) ok = 0;
  if (ok)
  {
    if (writefailing) strerr_warnw("state files in ", sv[0].udir, "/supervise written again");
    writefailing = notifyfailing = 0;
    retry = tain_infinite;
  }
  else
  {
    tain_now_g();
    tain_copynow(&retry);
    tain_addsec_g(&retry, 1);
  }
}


 /* a check that exited: what it left in its group is killed, while its zombie still
    holds the group's id (so that the id cannot be anybody else's yet) */
static void check_reap_group (void)
{
  unsigned int i;
  for (i = 0; i < nsv; i++)
  {
    siginfo_t si;
    if (sv[i].checkpid <= 0) continue;
    si.si_pid = 0;
    if (waitid(P_PID, (id_t)sv[i].checkpid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == sv[i].checkpid)
      kill(-sv[i].checkpid, SIGKILL);
  }
}

 /* a reaped child: which process of which service it was, taken when it was reaped */
typedef struct death_s death;
struct death_s
{
  svc *s;
  char kind;                    /* 'r' run, 'f' finish, 'c' check */
  pid_t pid;
  int w;
};

static int which (pid_t pid, int w, death *d)
{
  unsigned int i;
  for (i = 0; i < nsv; i++)
  {
    svc *s = &sv[i];
    d->s = s;
    d->pid = pid;
    d->w = w;
    if (s->st.pid == pid && s->pidfd < 0) { d->kind = 'r'; return 1; }
    if (s->finishpid == pid) { d->kind = 'f'; return 1; }
    if (s->checkpid == pid) { d->kind = 'c'; return 1; }
  }
  return 0;  /* an orphan of run's group: nothing to do but reap it */
}

 /* the death, if that process is still what the service waits for (an earlier death of
    the same round may have ended it: a check killed when run died) */
static void reaped (death const *d)
{
  svc *s = d->s;
  switch (d->kind)
  {
    case 'r':
      if (s->st.pid == d->pid && s->pidfd < 0) { s->wstat = d->w; s->wknown = 1; dispatch(s, EV_RUNDIED); }
      break;
    case 'f':
      if (s->finishpid == d->pid) { s->wstat = d->w; s->wknown = 1; dispatch(s, EV_FINISHED); }
      break;
    case 'c':
      if (s->checkpid == d->pid) { s->checkpid = 0; s->checkwstat = d->w; s->checkdl = tain_infinite; dispatch(s, EV_CHECKED); }
      break;
  }
}

static void handle_signals (void)
{
  for (;;)
  {
    int sig = selfpipe_read();
    if (sig == -1) strerr_diefusys(111, "selfpipe_read");
    if (!sig) break;
    if (sig == SIGCHLD)
    {
       /* every zombie first (orphans of run's group come to us), then the deaths that
          mean something, in the order they were reaped: a group whose last members died
          together is then seen empty at once, without a look at /proc. Each service
          has at most a run, a finish and a check: 6 deaths at most in one round. */
      death dead[6];
      unsigned int nd = 0, k;
      check_reap_group();
      for (;;)
      {
        death d;
        int w;
        pid_t pid = wait_nohang(&w);
        if (pid <= 0) break;
        if (!which(pid, w, &d)) continue;
        if (nd < sizeof dead / sizeof *dead) dead[nd++] = d;
        else reaped(&d);
      }
      for (k = 0; k < nd; k++) reaped(&dead[k]);
    }
    else if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) command(&sv[0], 'x');
  }
}

static void handle_control (svc *s)
{
  char buf[256];
  for (;;)
  {
    ssize_t r = read(s->ctlfd, buf, sizeof buf);
    ssize_t i;
    if (r <= 0)
    {
      if (r < 0 && errno != EAGAIN && errno != EINTR) strerr_warnwusys("read ", s->udir, "/supervise/control");
      break;
    }
    for (i = 0; i < r; i++) command(s, buf[i]);
  }
}

static void handle_notify (svc *s)
{
  char buf[256];
  ssize_t r = read(s->notifyfd, buf, sizeof buf);
  if (r > 0)
  {
    if (memchr(buf, '\n', (size_t)r)) dispatch(s, EV_READY);
    return;
  }
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  fd_close(s->notifyfd);  /* EOF: the service closed it without notifying */
  s->notifyfd = -1;
}

 /* a FIFO of supervise/ (made if missing, kept with its mode and group if there: that
    is how control is delegated), never a link or anything else */
static int openfifo (svc const *s, char const *path, char const *name, int flags)
{
  struct stat st;
  int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (fd == -1) strerr_diefusys(111, "open ", s->udir, "/supervise/", name);
  if (fstat(fd, &st) == -1) strerr_diefusys(111, "stat ", s->udir, "/supervise/", name);
  if (!S_ISFIFO(st.st_mode)) strerr_diefu(111, "use ", s->udir, "/supervise/", name, ": not a FIFO");
  return fd;
}

 /* supervise/ (possibly a symlink, dangling included), lock, FIFOs, event/ */

 /* mkdir name (0700); when name is a dangling symlink, create its target instead, with
    its missing parents (0755), so that supervise/ and event/ can live on a tmpfs */
static void mkdir_or_target (svc const *s, char const *name, char const *what)
{
  stralloc target = STRALLOC_ZERO;
  size_t i;
  if (mkdir(name, 0700) == 0) return;
  if (errno != EEXIST) strerr_diefusys(111, "mkdir ", s->udir, what);
  if (access(name, F_OK) == 0) return;
  if (sareadlink(&target, name) == -1 || !stralloc_0(&target))
    strerr_diefusys(111, "mkdir ", s->udir, what);
   /* a relative target is relative to the link's own directory, log/ for the logger */
  if (s->islog && target.s[0] != '/' && !stralloc_inserts(&target, 0, "log/"))
    strerr_diefusys(111, "mkdir ", s->udir, what);
  for (i = 1; i < target.len - 1; i++)
    if (target.s[i] == '/')
    {
      target.s[i] = 0;
      if (mkdir(target.s, 0755) == -1 && errno != EEXIST)
        strerr_diefusys(111, "mkdir ", target.s, " (", s->udir, what, " is a link below it)");
      target.s[i] = '/';
    }
  if (mkdir(target.s, 0700) == -1 && errno != EEXIST)
    strerr_diefusys(111, "mkdir ", target.s, " (", s->udir, what, " is a link to it)");
  stralloc_free(&target);
}

static void mksdir (svc *s)
{
  char path[32];
  size_t n = strlen(s->sdir);
  int fd;
  mkdir_or_target(s, s->sdir, "/supervise");
  memcpy(path, s->sdir, n);
  memcpy(path + n, "/lock", 6);
   /* O_NOFOLLOW here and for the FIFOs: never open through a link planted in supervise/ */
  fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd == -1) strerr_diefusys(111, "open ", s->udir, "/supervise/lock");
   /* flock, as runsv: fcntl locks (skalibs' fd_lock) would not exclude a running runsv */
  if (flock(fd, LOCK_EX | LOCK_NB) == -1)
  {
    if (errno == EWOULDBLOCK) strerr_diefu(111, "lock ", s->udir, "/supervise/lock: another supervise is running");
    strerr_diefusys(111, "lock ", s->udir, "/supervise/lock");
  }
  memcpy(path + n, "/control", 9);
  if (mkfifo(path, 0600) == -1 && errno != EEXIST) strerr_diefusys(111, "mkfifo ", s->udir, "/supervise/control");
  s->ctlfd = openfifo(s, path, "control", O_RDONLY);
   /* our own writer: the FIFO never reports EOF between clients */
  openfifo(s, path, "control", O_WRONLY);
  memcpy(path + n, "/ok", 4);
  if (mkfifo(path, 0600) == -1 && errno != EEXIST) strerr_diefusys(111, "mkfifo ", s->udir, "/supervise/ok");
  s->okfd = openfifo(s, path, "ok", O_RDONLY);
  mkdir_or_target(s, s->evdir, "/event");
  if (!fifodir_make(s->evdir)) strerr_diefusys(111, "mkdir ", s->udir, "/event");
}

 /* a run left alive by a supervise that was killed: same pid, same start time */
static int adopt (svc *s)
{
  svstate old = SVSTATE_ZERO;
  uint64_t start;
  int fd;
  if (!svstate_read(s->sdir, &old)) return 0;
  if (!old.pid || !old.pid_start) return 0;
  if (old.state != SVSTATE_UP && old.state != SVSTATE_STOPPING) return 0;
  if (procstat_starttime(old.pid, &start) <= 0 || start != old.pid_start) return 0;
  fd = (int)syscall(SYS_pidfd_open, old.pid, 0);
  if (fd == -1) { strerr_warnwusys("watch adopted process of ", s->udir); return 0; }
  coe(fd);
  s->pidfd = fd;
  s->adopted = 1;
  s->started = 1;
  s->st.pid = old.pid;
  s->st.pid_start = old.pid_start;
  s->st.ready = old.ready;
  s->st.ready_since = old.ready_since;
  s->st.since = old.since;
  s->dirty = 1;
  tain_now_g();
  {
     /* uptime counts from the old record's stamp */
    uint64_t now = clockns_real(), ms = now > old.since ? (now - old.since) / 1000000ULL : 0;
    tain ago;
    tain_from_millisecs(&ago, ms > 0x7fffffffULL ? 0x7fffffff : (int)ms);
    tain_sub(&s->startstamp, &STAMP, &ago);
  }
  s->deadline = tain_infinite;
  readconfig(s);
   /* what was wanted goes on: a normally-down service brought up stays up, a once stays
      once. An x in progress ends as a stop: this supervise was started to supervise. */
  s->st.want = old.want == SVSTATE_WANT_EXIT ? SVSTATE_WANT_DOWN : old.want;
  s->st.paused = old.paused;
  s->cmdkill = old.signalled;  /* a command's signal may still be pending (paused) */
  if (old.state == SVSTATE_STOPPING)
  {
     /* the down signal was sent: wait for run's death, timeout-kill counting from the stop */
    s->st.state = SVSTATE_STOPPING;
    s->st.ready = 0;
    s->termsent = s->cmdkill = 1;
    if (s->timeout_kill)
    {
      uint64_t now = clockns_real(), ms = now > old.since ? (now - old.since) / 1000000ULL : 0;
      tain_copynow(&s->deadline);
      settimeout_ms(s, ms >= s->timeout_kill ? 0 : s->timeout_kill - (unsigned int)ms);
    }
  }
  else
  {
     /* readiness or health checks go on where the old supervise left them */
    if (!s->st.ready && s->usecheck)
    {
      s->checkdelay = CHECK_FIRST_MS;
      check_start(s);
    }
    else if (!s->st.ready && s->notifyn < 0) tain_copynow(&s->deadline), settimeout_ms(s, s->min_uptime);
    else if (s->st.ready && s->health_interval)
    {
      s->st.health = SVSTATE_HEALTH_OK;
      tain_copynow(&s->checkdl);
      check_at(s, s->health_interval);
    }
    s->st.state = SVSTATE_UP;
  }
  {
    char fmt[PID_FMT];
    fmt[pid_fmt(fmt, old.pid)] = 0;
    lifelog(s->name, s->st.state == SVSTATE_STOPPING ? "stopping" : "up", "adopted pid ", fmt, " left by a previous supervise");
  }
  return 1;
}

 /* reopen the pipe an adopted process still uses, so that no line is lost */
static void adopt_logpipe (void)
{
  char path[64];
  pid_t pid = sv[1].pidfd >= 0 ? sv[1].st.pid : sv[0].pidfd >= 0 ? sv[0].st.pid : 0;
  int fd;
  struct stat st;
  if (!pid) return;
  memcpy(path, "/proc/", 6);
  path[6 + pid_fmt(path + 6, pid)] = 0;
  strcat(path, pid == sv[1].st.pid ? "/fd/0" : "/fd/1");
  fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd == -1) return;
  if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode)) { fd_close(fd); return; }
   /* one end each, as pipe2 gives them: a logger whose stdin is O_RDWR is its own writer
      and never sees EOF. Reopened through fd, a reader and a writer, so neither open blocks. */
  memcpy(path, "/proc/self/fd/", 14);
  path[14 + uint_fmt(path + 14, (unsigned int)fd)] = 0;
  logpipe[0] = open(path, O_RDONLY | O_CLOEXEC);
  logpipe[1] = open(path, O_WRONLY | O_CLOEXEC);
  fd_close(fd);
  if (logpipe[0] == -1 || logpipe[1] == -1)
  {
    if (logpipe[0] >= 0) fd_close(logpipe[0]);
    if (logpipe[1] >= 0) fd_close(logpipe[1]);
    logpipe[0] = logpipe[1] = -1;
  }
}

static void initsvc (svc *s, char const *name, char const *udir, int islog)
{
  unsigned int i;
  s->name = name;
  s->udir = udir;
  s->islog = islog;
  s->cwd = islog ? "log" : ".";
  s->sdir = islog ? "log/supervise" : "supervise";
  s->evdir = islog ? "log/event" : "event";
  s->ctlfd = s->okfd = s->notifyfd = s->pidfd = s->inofd = -1;
  for (i = 0; i < 4; i++) s->files[i] = (statefile)STATEFILE_ZERO;
  s->st = (svstate)SVSTATE_ZERO;
  s->deadline = tain_infinite;
  s->hold = tain_zero;
  s->lingerpoll = tain_infinite;
  s->checkdl = tain_infinite;
  s->notifyn = -1;
}

static stralloc names = STRALLOC_ZERO;  /* "NAME\0NAME/log\0DIR/log\0" */

 /* the lifelog names of the service and its logger, and the logger's dir for messages */
static void mknames (char const *dir)
{
  size_t n = strlen(dir), i, blen;
  while (n > 1 && dir[n - 1] == '/') n--;
  for (i = n; i && dir[i - 1] != '/'; i--) ;
  blen = n - i;
  if (!stralloc_catb(&names, dir + i, blen) || !stralloc_0(&names)
   || !stralloc_catb(&names, dir + i, blen) || !stralloc_catb(&names, "/log", 5)
   || !stralloc_cats(&names, dir) || !stralloc_catb(&names, "/log", 5))
    strerr_diefusys(111, "stralloc_catb");
  initsvc(&sv[0], names.s, dir, 0);
  if (nsv > 1) initsvc(&sv[1], names.s + blen + 1, names.s + 2 * blen + 6, 1);
}

int main (int argc, char const *const *argv)
{
  char const *dir;
  iopause_fd x[8 + NEEDS_MAX + 1];
  unsigned int i;
  int tostart[2] = { 0, 0 };
  int spfd;
  PROG = "supervise";
  if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "--help")))
  {
    char const *s = argv[1][2] == 'v' ? "supervise (svtree) " SVTREE_VERSION "\n"
      : "usage: " USAGE "\n  -q  no lifecycle lines on stderr\nkeeps DIR/run running; runit's runsv when invoked as runsv. See supervise(8).\n";
    if (allwrite(1, s, strlen(s)) < strlen(s)) strerr_diefusys(111, "write to stdout");
    return 0;
  }
  {
    subgetopt l = SUBGETOPT_ZERO;
    for (;;)
    {
      int opt = subgetopt_r(argc, argv, "q", &l);
      if (opt == -1) break;
      switch (opt)
      {
        case 'q': lifelog_quiet = 1; break;
        default: dieusage();
      }
    }
    argc -= l.ind;
    argv += l.ind;
  }
  if (argc < 1) dieusage();
  dir = argv[0];
  if (!fd_sanitize()) strerr_diefusys(111, "sanitize standard fds");
  {
     /* needs/ entries are siblings of DIR as given: remember where that is */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || !svneeds_abspath(&absdir, cwd, dir)) absdir.len = 0;
  }
  if (chdir(dir) == -1) strerr_diefusys(111, "chdir to ", dir);
  {
    struct stat st;
    if (stat("log", &st) == 0 && S_ISDIR(st.st_mode)) nsv = 2;
  }
  mknames(dir);
  for (i = 0; i < nsv; i++) mksdir(&sv[i]);
   /* what run's processes leave behind (a wrapper's daemon, a double fork) becomes ours:
      reaped here, and its death wakes us while a stop waits for run's process group */
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull == -1) strerr_diefusys(111, "open /dev/null");
  sig_altignore(SIGPIPE);
  spfd = selfpipe_init();
  if (spfd == -1) strerr_diefusys(111, "init selfpipe");
  {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGHUP);
    if (selfpipe_trapset(&set) == -1) strerr_diefusys(111, "trap signals");
  }
  tain_now_set_stopwatch_g();

   /* from now on, we must not die */
  for (i = 0; i < nsv; i++)
  {
    svc *s = &sv[i];
    s->st.normally_up = !conf_has(s, "down");
    s->st.want = s->st.normally_up ? SVSTATE_WANT_UP : SVSTATE_WANT_DOWN;
    s->st.since = clockns_real();
    s->dirty = 1;
    tostart[i] = !adopt(s) && s->st.want == SVSTATE_WANT_UP;
    event(s, 's');
  }
  if (nsv > 1)
  {
    adopt_logpipe();
    if (logpipe[0] == -1 && pipe2(logpipe, O_CLOEXEC) == -1) strerr_diefusys(111, "create the log pipe");
  }
   /* the logger first, then the service; state files are first written after that */
  for (i = nsv; i--;) if (tostart[i]) start(&sv[i]);

  for (;;)
  {
    tain deadline = retry;
    unsigned int n = 0, ctlidx[2], notidx[2], pfdidx[2], needidx[2], nneed[2];
    int r;
    for (i = 0; i < nsv; i++) linger_check(&sv[i]);
    announce_all();
    if (sv[0].st.want == SVSTATE_WANT_EXIT
     && (sv[0].st.state == SVSTATE_DOWN || sv[0].st.state == SVSTATE_FAILED)
     && (nsv == 1 || sv[1].st.state == SVSTATE_DOWN || sv[1].st.state == SVSTATE_FAILED))
      break;
    x[n].fd = spfd;
    x[n++].events = IOPAUSE_READ;
    for (i = 0; i < nsv; i++)
    {
      svc *s = &sv[i];
      if (tain_less(&s->deadline, &deadline)) deadline = s->deadline;
      if (tain_less(&s->checkdl, &deadline)) deadline = s->checkdl;
      if (s->dirty && tain_future(&s->hold) && tain_less(&s->hold, &deadline)) deadline = s->hold;
      if (s->lingering && tain_less(&s->lingerpoll, &deadline)) deadline = s->lingerpoll;
      ctlidx[i] = n;
      x[n].fd = s->ctlfd;
      x[n++].events = IOPAUSE_READ;
      notidx[i] = pfdidx[i] = 0;
      if (s->notifyfd >= 0) { notidx[i] = n; x[n].fd = s->notifyfd; x[n++].events = IOPAUSE_READ; }
      if (s->pidfd >= 0) { pfdidx[i] = n; x[n].fd = s->pidfd; x[n++].events = IOPAUSE_READ; }
      needidx[i] = n;
      nneed[i] = 0;
      if (s->st.state == SVSTATE_WAITING)
      {
        unsigned int j;
        if (s->inofd >= 0) { x[n].fd = s->inofd; x[n++].events = IOPAUSE_READ; nneed[i]++; }
        for (j = 0; j < s->nneedfd; j++) { x[n].fd = s->needfd[j]; x[n++].events = IOPAUSE_READ; nneed[i]++; }
      }
    }
    r = iopause_g(x, n, &deadline);
    if (r == -1)
    {
      if (errno == EINTR) continue;
      strerr_diefusys(111, "iopause");
    }
    if (!r)
    {
      for (i = 0; i < nsv; i++)
      {
        if (!tain_less(&STAMP, &sv[i].deadline))
        {
          sv[i].deadline = tain_infinite;
          dispatch(&sv[i], EV_TIMEOUT);
        }
        if (!tain_less(&STAMP, &sv[i].checkdl))
        {
          sv[i].checkdl = tain_infinite;
          dispatch(&sv[i], EV_CHECKTIMER);
        }
      }
      continue;
    }
    if (x[0].revents & IOPAUSE_READ) handle_signals();
    for (i = 0; i < nsv; i++)
    {
      svc *s = &sv[i];
      if (pfdidx[i] && x[pfdidx[i]].revents && s->pidfd >= 0)
      {
        s->wknown = 0;
        dispatch(s, EV_RUNDIED);
      }
      if (notidx[i] && x[notidx[i]].revents && s->notifyfd >= 0) handle_notify(s);
      if (x[ctlidx[i]].revents & IOPAUSE_READ) handle_control(s);
      if (nneed[i] && s->st.state == SVSTATE_WAITING)
      {
        unsigned int j;
        int woken = 0;
        for (j = needidx[i]; j < needidx[i] + nneed[i]; j++)
          if (x[j].revents)
          {
            char buf[4096];
            woken = 1;
            while (read(x[j].fd, buf, sizeof buf) > 0) ;
          }
        if (woken) dispatch(s, EV_NEEDS);
      }
    }
  }
   /* not listening any more before saying so: a client woken by x sees supervise gone */
  for (i = 0; i < nsv; i++) { fd_close(sv[i].ctlfd); fd_close(sv[i].okfd); }
  for (i = 0; i < nsv; i++) fifodir_notify(sv[i].evdir, "x", 1);
  if (!critical) lifelog0(sv[0].name, "exit");
  stralloc_free(&names);
  return critical ? EXIT_CRITICAL : 0;
}
