/* SPDX-License-Identifier: ISC */
/* svscan/svscan-stop.c: stopping the tree: x to every supervise, a grace period, SIGKILL (sc->stop) */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

 /* shutdown order (SPEC 4a): a service gets its x once no running service needs it,
    dependants first; at half the grace period every service still up gets it.
    stop_begin reads every needs/ once (sc->stop.needs); a pass of release then costs one
    state read per service that needs something, and no system call per other service. */

static char const *abspath (svscan const *sc, stralloc *sa, svc const *s)
{
  sa->len = 0;
  if (!svneeds_abspath(sa, sc->dirabs.s, s->name)) return 0;
  return sa->s;
}

 /* t holds what it needs while its supervise runs and its run is running or about to:
    up, stopping, finishing, and also waiting, in backoff, or down while it wants up (the
    state file says down until run is spawned, and a run then starts before the file says
    up). A supervise told x leaves those at once, so holding them costs no time. */
static int holds (svc *t)
{
  char fn[t->len + 11];
  svstate st = SVSTATE_ZERO;
  if (t->state != S_UP && t->state != S_LOCKED && t->state != S_GONE) return 0;
  if (!svstate_read(svc_path(fn, t, "supervise"), &st)) return errno != ENOENT;
  if (st.state == SVSTATE_FAILED) return 0;
  return st.state != SVSTATE_DOWN || st.want == SVSTATE_WANT_UP || st.want == SVSTATE_WANT_ONCE;
}

 /* the needs/ of every service that has one, as svneeds_list gives them, at s->needsat */
static void read_needs (svscan *sc)
{
  svstop *st = &sc->stop;
  stralloc sp = STRALLOC_ZERO;
  svc *s;
  for (s = sc->tab.all; s; s = s->next)
  {
    size_t at = st->needs.len;
    int n;
    s->nneeds = 0;
    if (s->state != S_UP && s->state != S_LOCKED && s->state != S_GONE) continue;
    if (!abspath(sc, &sp, s)) { st->anyneeds = 1; continue; }
    n = svneeds_list(&st->needs, sp.s);
    if (n > 0)
    {
      s->needsat = at;
      s->nneeds = (unsigned int)n;
      st->anyneeds = 1;
    }
    else st->needs.len = at;
  }
  stralloc_free(&sp);
}

 /* the services that running ones need: their paths (sc->stop.held) and inodes */
typedef struct heldpath_s heldpath;
struct heldpath_s
{
  size_t at;
  dev_t dev;
  ino_t ino;
  int found;
};

static int is_held (svscan const *sc, svc const *s, char const *path, heldpath const *h, size_t nh)
{
  size_t i = 0;
  for (; i < nh; i++)
    if (!strcmp(sc->stop.held.s + h[i].at, path) || (h[i].found && h[i].dev == s->dev && h[i].ino == s->ino))
      return 1;
  return 0;
}

 /* tell every held-back service that nothing running needs (all: every one) */
static void release (svscan *sc, int all)
{
  svstop *st = &sc->stop;
  stralloc sp = STRALLOC_ZERO;
  heldpath *h = 0;
  size_t nh = 0, cap = 0;
  svc *s;
  if (!st->anyneeds) all = 1;
  st->held.len = 0;
  if (!all)
    for (s = sc->tab.all; s; s = s->next)
    {
      size_t i = s->needsat, k;
      if (!s->nneeds || !holds(s) || !abspath(sc, &sp, s)) continue;
      for (k = 0; k < s->nneeds; k++)
      {
        char const *path = st->needs.s + i + strlen(st->needs.s + i) + 1;
        struct stat sst;
        i = (size_t)(path - st->needs.s) + strlen(path) + 1;
        if (svneeds_same(path, sp.s)) continue;
        if (nh == cap)
        {
          heldpath *nhp = realloc(h, (cap = cap ? 2 * cap : 16) * sizeof *h);
          if (!nhp) { all = 1; break; }
          h = nhp;
        }
        h[nh].at = st->held.len;
        if (!stralloc_catb(&st->held, path, strlen(path) + 1)) { all = 1; break; }
        h[nh].found = stat(path, &sst) == 0;
        h[nh].dev = h[nh].found ? sst.st_dev : 0;
        h[nh].ino = h[nh].found ? sst.st_ino : 0;
        nh++;
      }
      if (all) break;
    }
   /* out of memory: the order is lost, the stop is not */
  for (s = sc->tab.all; s && st->ndeferred; s = s->next)
    if (s->deferred && (all || !nh || (abspath(sc, &sp, s) && !is_held(sc, s, sp.s, h, nh))))
    {
      s->deferred = 0;
      st->ndeferred--;
      tell_exit(s);
    }
  free(h);
  stralloc_free(&sp);
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
        s->deferred = 1;
        st->ndeferred++;
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
  tain_copynow(&st->half_at);
  tain_from_millisecs(&t, (int)(sc->grace_ms / 2));
  tain_add_g(&st->half_at, &t);
  if (sc->dirabs.len) read_needs(sc);
  release(sc, !sc->dirabs.len);
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
  unsigned int n;
  if (st->ndeferred && !st->killed) release(sc, !tain_future(&st->half_at));
  n = stop_alive(sc);
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
  if (!sc->stop.killed && sc->stop.ndeferred && tain_less(&sc->stop.half_at, &sc->stop.grace_at)) return &sc->stop.half_at;
  return sc->stop.killed ? &sc->stop.reap_at : &sc->stop.grace_at;
}
