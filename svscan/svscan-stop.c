/* svscan/svscan-stop.c: stopping the tree: x to every supervise, a grace period, SIGKILL */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <skalibs/types.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "control.h"
#include "procstat.h"
#include "svneeds.h"
#include "svstate.h"
#include "svscan.h"

int stopping = 0;
int exitcode = 0;
int nochildren = 0;
static int termall = 0;         /* PID 1: the stray processes got their TERM */
static int killed = 0;          /* the grace period is over */
static int hurried = 0;
static tain stop_start, grace_at, reap_at, half_at;

static unsigned int alive (void)
{
  unsigned int n = 0;
  svc *s = svcs;
  for (; s; s = s->next)
    if (s->state == S_UP || s->state == S_GONE || s->state == S_LOCKED) n++;
  return n;
}

static void tell_exit (svc *s)
{
  char fn[s->len + 11];
  if (control_send(svc_path(fn, s, "supervise"), "x", 1) != 1 && s->pid > 0) kill(s->pid, SIGTERM);
}


 /* shutdown order (SPEC 4a): a service gets its x once no running service needs it,
    dependants first; at half the grace period every service still up gets it */

static stralloc here = STRALLOC_ZERO;  /* the scan directory, absolute */

static char const *abspath (stralloc *sa, svc const *s)
{
  sa->len = 0;
  if (!svneeds_abspath(sa, here.s, s->name)) return 0;
  return sa->s;
}

 /* t holds what it needs: its supervise runs and its run is not down or waiting */
static int holds (svc *t)
{
  char fn[t->len + 11];
  svstate st = SVSTATE_ZERO;
  if (t->state != S_UP && t->state != S_LOCKED && t->state != S_GONE) return 0;
  if (!svstate_read(svc_path(fn, t, "supervise"), &st)) return errno != ENOENT;
  return st.state == SVSTATE_UP || st.state == SVSTATE_STOPPING || st.state == SVSTATE_FINISHING;
}

static int needed (svc *s)
{
  stralloc sp = STRALLOC_ZERO, tp = STRALLOC_ZERO, list = STRALLOC_ZERO;
  svc *t;
  int r = 0;
  if (!abspath(&sp, s)) return 0;
  for (t = svcs; t && !r; t = t->next)
  {
    size_t i = 0;
    if (t == s || !holds(t) || !abspath(&tp, t)) continue;
    list.len = 0;
    if (svneeds_list(&list, tp.s) <= 0) continue;
    while (i < list.len && !r)
    {
      char const *path = list.s + i + strlen(list.s + i) + 1;
      i = (size_t)(path - list.s) + strlen(path) + 1;
      if (!svneeds_same(path, tp.s) && svneeds_same(path, sp.s)) r = 1;
    }
  }
  stralloc_free(&sp);
  stralloc_free(&tp);
  stralloc_free(&list);
  return r;
}

static int ndeferred = 0;

 /* tell every deferred service that nothing running needs (all: every one) */
static void release (int all)
{
  int again = 1;
  while (again && ndeferred)
  {
    svc *s;
    again = 0;
    for (s = svcs; s; s = s->next)
      if (s->deferred && (all || !needed(s)))
      {
        s->deferred = 0;
        ndeferred--;
        tell_exit(s);
      }
  }
}

void stop (void)
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
  for (s = svcs; s; s = s->next)
    switch (s->state)
    {
      case S_UP:
      case S_LOCKED:
        s->deferred = 1;
        ndeferred++;
        n++;
        break;
      case S_GONE:
        n++;
        break;
      default:
        svc_watch_drop(s);
        if (s->queued) svc_dequeue(s);
        s->state = S_IDLE;
    }
  tain_copynow(&half_at);
  tain_from_millisecs(&t, (int)(grace_ms / 2));
  tain_add_g(&half_at, &t);
  {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || !svneeds_abspath(&here, cwd, ".")) here.len = 0;
  }
  release(!here.len);
  fmt[uint_fmt(fmt, n)] = 0;
  strerr_warn(PROG, ": stopping ", fmt, n == 1 ? " service" : " services");
   /* inotify is only needed now to see a foreign supervise release its lock. Otherwise
      close it while the services stop: its release waits for an RCU grace period
      (about 20 ms), which would otherwise come on top at exit. */
  for (s = svcs; s; s = s->next)
    if (s->state == S_LOCKED) return;
  if (ifd >= 0)
  {
    fd_close(ifd);
    ifd = -1;
  }
}

void hurry (void)
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
  if (!svstate_read(svc_path(fn, s, sdir), &st) || st.pid <= 1) return;
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
  for (s = svcs; s; s = s->next)
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
      svc_watch_drop(s);
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
int stop_progress (void)
{
  unsigned int n;
  if (ndeferred) release(!tain_future(&half_at));
  n = alive();
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

tain const *stop_deadline (void)
{
  if (!killed && ndeferred && tain_less(&half_at, &grace_at)) return &half_at;
  return killed ? &reap_at : &grace_at;
}
