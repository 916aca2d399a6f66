/* SPDX-License-Identifier: ISC */
/* svscan/svscan-stop.c: stopping the tree: x to every supervise, a grace period, SIGKILL (sc->stop) */

#include <signal.h>
#include <stdint.h>
#include <string.h>

#include <skalibs/types.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "control.h"
#include "procstat.h"
#include "svstate.h"
#include "svscan.h"

unsigned int stop_alive (svscan *sc)
{
  unsigned int n = 0;
  svc *s = sc->tab.all;
  for (; s; s = s->next)
    if (s->state == S_UP || s->state == S_GONE || s->state == S_LOCKED) n++;
  return n;
}

static void tell_exit (svc *s)
{
  char fn[s->len + 11];
  if (control_send(svc_path(fn, s, "supervise"), "x", 1) != 1 && s->pid > 0) kill(s->pid, SIGTERM);
}

/* x to every supervise; 1 while inotify is still needed, or when already stopping */
int stop_begin (svscan *sc)
{
  svstop *st = &sc->stop;
  char fmt[UINT_FMT];
  unsigned int n = 0;
  svc *s;
  tain t;
  if (st->stopping) return 1;
  st->stopping = 1;
  tain_copynow(&st->start);
  tain_from_millisecs(&t, (int)sc->grace_ms);
  tain_add_g(&st->grace_at, &t);
  for (s = sc->tab.all; s; s = s->next)
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
        svc_watch_drop(sc, s);
        if (s->queued) svc_dequeue(sc, s);
        s->state = S_IDLE;
    }
  fmt[uint_fmt(fmt, n)] = 0;
  strerr_warn(PROG, ": stopping ", fmt, n == 1 ? " service" : " services");
   /* inotify is only needed now to see a foreign supervise release its lock */
  for (s = sc->tab.all; s; s = s->next)
    if (s->state == S_LOCKED) return 1;
  return 0;
}

void stop_hurry (svscan *sc)
{
  if (sc->stop.killed) return;
  tain_copynow(&sc->stop.grace_at);
  sc->stop.hurried = 1;
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

static void killall (svscan *sc)
{
  svstop *st = &sc->stop;
  char fmt[UINT_FMT];
  char ms[UINT_FMT];
  unsigned int n = 0;
  svc *s;
  tain t;
  for (s = sc->tab.all; s; s = s->next)
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
      svc_watch_drop(sc, s);
      s->state = S_IDLE;
    }
  }
  if (sc->pid1) kill(-1, SIGKILL);
  st->killed = 1;
  tain_sub(&t, &STAMP, &st->start);
  ms[uint_fmt(ms, st->hurried ? (unsigned int)tain_to_millisecs(&t) : sc->grace_ms)] = 0;
  if (n)
  {
    fmt[uint_fmt(fmt, n)] = 0;
    strerr_warn(PROG, ": killed ", fmt, n == 1 ? " service" : " services", " after ", ms, " ms");
  }
  else strerr_warn(PROG, ": killed the remaining processes after ", ms, " ms");
  if (!sc->exitcode) sc->exitcode = 1;
  tain_addsec_g(&st->reap_at, REAP_SEC);
}

 /* 1 when svscan can exit. As PID 1, the loop has reaped (sc->nochildren) when nothing was alive. */
int stop_progress (svscan *sc)
{
  svstop *st = &sc->stop;
  unsigned int n = stop_alive(sc);
  if (st->killed) return (!n && (!sc->pid1 || sc->nochildren)) || !tain_future(&st->reap_at);
  if (!n)
  {
    if (!sc->pid1 || sc->nochildren) return 1;
     /* PID 1: whatever the services left behind gets a TERM and the rest of the grace */
    if (!st->termall)
    {
      st->termall = 1;
      kill(-1, SIGTERM);
      kill(-1, SIGCONT);
    }
  }
  if (!tain_future(&st->grace_at)) killall(sc);
  return 0;
}

tain const *stop_deadline (svscan const *sc)
{
  return sc->stop.killed ? &sc->stop.reap_at : &sc->stop.grace_at;
}
