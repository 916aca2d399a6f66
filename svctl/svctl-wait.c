/* SPDX-License-Identifier: ISC */
/* svctl/svctl-wait.c: waiting for the wanted state. Subscribe to event/ first, read,
   send, then sleep in iopause until an event or the deadline: no polling against our
   supervise. Against runit's runsv (no event/), the status file is read every 50 ms. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "fifodir.h"
#include "spawn.h"
#include "svstate.h"
#include "svstatus.h"
#include "svctl.h"

#define POLL_MS 50          /* status polling, only against a supervisor without event/ (runsv) */
#define CHECK_MS 100        /* between two runs of a failing check script */
#define CHECK_GRACE_MS 5000 /* a first check run may end this long after the deadline */

static int spfd = -1;     /* selfpipe, once a check script has been spawned */
static int nullfd = -1;   /* check's stdout */

void wait_subscribe (svc *s)
{
  s->efd = fifodir_subscribe(svc_sub(s->path.s, "event"), &s->ename);
  if (s->efd < 0)
  {
    /* runit's runsv has no event/: poll. Anything else is worth a word. */
    if (errno != ENOENT)
      strerr_warnwusys("subscribe to ", s->path.s, "/event (polling status instead)");
    s->efd = -1;
  }
  /* every rewrite of the state files comes with an event (w when only want or paused
     changed), and supervise stops listening before it says x: nothing needs polling.
     (No inotify here: closing an inotify fd waits for an RCU grace period, ~20 ms.) */
}

/* the service is running (and not going away), by status and, when there, state */
static int is_up (snap const *sn)
{
  return sn->st.state == SVSTATUS_RUN && sn->st.pid && (!sn->hasstate || sn->ss.state == SVSTATE_UP);
}

/* down with finish done */
static int is_down (snap const *sn)
{
  return sn->st.state == SVSTATUS_DOWN && !sn->st.pid && (!sn->hasstate || sn->ss.state == SVSTATE_DOWN || sn->ss.state == SVSTATE_FAILED);
}

#define C_NO 0
#define C_YES 1
#define C_CHECK 2   /* yes if the check script says so */

/* up, ready if it declares readiness: notification-fd (needs supervise's state), check */
static int cond_up (svc const *s, snap const *sn)
{
  if (!is_up(sn))
    return C_NO;
  if (sn->hasstate && !sn->ss.ready && svc_exists(s->path.s, "notification-fd"))
    return C_NO;
  return svc_exists(s->path.s, "check") ? C_CHECK : C_YES;
}

static int cond (svc const *s, snap const *sn)
{
  if (sn->torn)
    return C_NO;  /* the next write (state's rename) wakes us up */
  switch (target)
  {
    case T_UP: return sn->st.want == 'u' ? cond_up(s, sn) : C_NO;
    case T_DOWN: return is_down(sn) && sn->st.want == 'd';
    case T_ONCE: return is_up(sn) || (is_down(sn) && sn->stamp >= tstart);
    case T_TERM:
      if (!sn->st.pid && sn->st.want == 'd')
        return C_YES;
      /* fall through */
    case T_RESTART:
      if (sn->stamp < tstart || sn->st.termsent || (target == T_RESTART && sn->st.want != 'u'))
        return C_NO;
      return cond_up(s, sn);
    case T_CHECK:
    {
      unsigned char want = sn->hasstate ? sn->ss.want : sn->st.want == 'u' ? SVSTATE_WANT_UP : SVSTATE_WANT_DOWN;
      if (sn->hasstate && sn->ss.state == SVSTATE_FAILED)
        return C_NO;
      switch (want)
      {
        case SVSTATE_WANT_UP: return cond_up(s, sn);
        case SVSTATE_WANT_ONCE: return is_down(sn) ? C_YES : cond_up(s, sn);
        default: return is_down(sn);
      }
    }
    case T_EXIT: return C_NO;
    case T_PAUSE: return sn->st.paused ? C_YES : C_NO;
    case T_CONT: return !sn->st.paused;
    default: return C_YES;
  }
}

static void check_spawn (svc *s, snap const *sn)
{
  static char const *const argv[2] = { "./check", 0 };
  spawn sp = SPAWN_ZERO;
  if (spfd < 0)
  {
    spfd = selfpipe_init();
    if (spfd < 0)
      strerr_diefusys(xfatal, "selfpipe_init");
    if (!selfpipe_trap(SIGCHLD))
      strerr_diefusys(xfatal, "trap SIGCHLD");
  }
  if (nullfd < 0)
  {
    nullfd = open2("/dev/null", O_WRONLY | O_CLOEXEC);
    if (nullfd < 0)
      strerr_diefusys(xfatal, "open /dev/null");
  }
  sp.argv = argv;
  sp.fd1 = nullfd;
  sp.cwd = s->path.s;
  sp.newsession = 1;
  s->checkpid = spawn_run(&sp);
  if (s->checkpid < 0)
  {
    s->checkpid = 0;
    out_fail(s, "unable to run check", errno);
    return;
  }
  s->checkever = 1;
  s->checkstamp = sn->stamp;
  s->checkstart = STAMP;
}

static void check_kill (svc *s)
{
  if (s->checkpid)
  {
    kill(-s->checkpid, SIGKILL);
    kill(s->checkpid, SIGKILL);
    wait_pid(s->checkpid, 0);
    s->checkpid = 0;
  }
}

static void reap (svc *v, unsigned int n)
{
  for (;;)
  {
    int wstat;
    unsigned int i = 0;
    pid_t pid = wait_nohang(&wstat);
    if (pid <= 0)
      break;
    for (; i < n; i++)
      if (v[i].checkpid == pid)
      {
        svc *s = v + i;
        s->checkpid = 0;
        s->checkdone = 1;
        if (WIFEXITED(wstat) && !WEXITSTATUS(wstat))
          s->checkpassed = s->checkstamp;
        else
        {
          tain t;
          tain_from_millisecs(&t, CHECK_MS);
          tain_add_g(&s->nextcheck, &t);
        }
        break;
      }
  }
}

/* one look at a service that is being waited for */
static void evaluate (svc *s, int late)
{
  snap sn = SNAP_ZERO;
  int r;
  if (s->done || s->checkpid)
    return;
  r = svc_look(s->path.s, &sn, target != T_EXIT);
  if (r <= 0)
    out_unseen(s, &sn, r);
  else if (target != T_EXIT)
    switch (cond(s, &sn))
    {
      case C_YES:
        out_result("ok: ", s, &sn);
        break;
      case C_CHECK:
        if (s->checkpassed == sn.stamp)
          out_result("ok: ", s, &sn);
        else if ((!late || !s->checkever) && !tain_less(&STAMP, &s->nextcheck))
          check_spawn(s, &sn);
        break;
    }
  snap_free(&sn);
}

static void timeout (svc *s)
{
  snap sn = SNAP_ZERO;
  int r;
  check_kill(s);
  r = svc_look(s->path.s, &sn, 1);
  if (r <= 0)
    out_unseen(s, &sn, r);
  else
  {
    rc++;
    out_result(kll ? "kill: " : "timeout: ", s, &sn);
    if (kll && svc_send(s->path.s, "k") < 0)
      out_warn(s, "unable to write supervise/control", errno);
  }
  snap_free(&sn);
}

static void drain (int fd)
{
  char buf[4096];
  while (read(fd, buf, sizeof buf) > 0) ;
}

void wait_all (svc *v, unsigned int n, tain const *deadline)
{
  iopause_fd *x = malloc((n + 2) * sizeof(iopause_fd));
  unsigned int i;
  if (!x)
    strerr_diefusys(xfatal, "malloc");
  for (;;)
  {
    tain dl = *deadline, t;
    unsigned int xn = 0, left = 0;
    int polling = 0, late;
    tain_now_g();
    late = !tain_future(deadline);
    for (i = 0; i < n; i++)
      evaluate(v + i, late);
    tain_now_g();
    for (i = 0; i < n; i++)
    {
      svc *s = v + i;
      if (s->done)
        continue;
      if (late)
      {
        /* a first check run is allowed to complete: -w 0 check must run it once */
        tain grace;
        tain_from_millisecs(&t, CHECK_GRACE_MS);
        tain_add(&grace, &s->checkstart, &t);
        if (s->checkpid && !s->checkdone && tain_future(&grace))
        {
          if (tain_less(&grace, &dl) || !tain_future(&dl))
            dl = grace;
        }
        else
        {
          timeout(s);
          continue;
        }
      }
      left++;
      if (s->efd >= 0)
      {
        x[xn].fd = s->efd;
        x[xn++].events = IOPAUSE_READ;
      }
      if (s->efd < 0)
        polling = 1;
      if (!s->checkpid && !late && tain_less(&s->nextcheck, &dl) && tain_future(&s->nextcheck))
        dl = s->nextcheck;
    }
    if (!left)
      break;
    if (polling)
    {
      tain_from_millisecs(&t, POLL_MS);
      tain_add_g(&t, &t);
      if (tain_less(&t, &dl))
        dl = t;
    }
    if (spfd >= 0)
    {
      x[xn].fd = spfd;
      x[xn++].events = IOPAUSE_READ;
    }
    if (iopause_g(x, xn, &dl) < 0)
      strerr_diefusys(xfatal, "iopause");
    for (i = 0; i < xn; i++)
      if (x[i].revents & IOPAUSE_READ)
      {
        if (x[i].fd == spfd)
        {
          int r;
          while ((r = selfpipe_read()) > 0) ;
          if (r < 0)
            strerr_diefusys(xfatal, "selfpipe_read");
          reap(v, n);
        }
        else
          drain(x[i].fd);
      }
  }
  free(x);
  for (i = 0; i < n; i++)
    if (v[i].efd >= 0)
    {
      fifodir_unsubscribe(v[i].efd, v[i].ename.s);
      v[i].efd = -1;
    }
}
