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
    dependants first; at half the grace period every service still up gets it */

static char const *abspath (svscan const *sc, stralloc *sa, svc const *s)
{
  sa->len = 0;
  if (!svneeds_abspath(sa, sc->dirabs.s, s->name)) return 0;
  return sa->s;
}

 /* t holds what it needs: its supervise runs and its run is up, stopping or finishing */
static int holds (svc *t)
{
  char fn[t->len + 11];
  svstate st = SVSTATE_ZERO;
  if (t->state != S_UP && t->state != S_LOCKED && t->state != S_GONE) return 0;
  if (!svstate_read(svc_path(fn, t, "supervise"), &st)) return errno != ENOENT;
  return st.state == SVSTATE_UP || st.state == SVSTATE_STOPPING || st.state == SVSTATE_FINISHING;
}

 /* what the services that hold need, read once per pass (not once for every pair of
    services: with thousands of them that was millions of file reads at a stop).
    A need is its path, and its file (dev, ino) when it exists. */
typedef struct need_s need;
struct need_s
{
  dev_t dev;
  ino_t ino;
  size_t path;                  /* offset in the paths stralloc */
  int exists;
};

typedef struct needset_s needset;
struct needset_s
{
  need *v;
  size_t n, cap;
  stralloc paths;
};

static int byfile (void const *a, void const *b)
{
  need const *x = a, *y = b;
  if (x->exists != y->exists) return x->exists < y->exists ? -1 : 1;
  if (x->dev != y->dev) return x->dev < y->dev ? -1 : 1;
  if (x->ino != y->ino) return x->ino < y->ino ? -1 : 1;
  return 0;
}

 /* 1 ok; 0 ENOMEM (the caller then holds every service back: the half-grace release
    still comes) */
static int needs_read (svscan *sc, needset *ns)
{
  stralloc tp = STRALLOC_ZERO, list = STRALLOC_ZERO;
  svc *t;
  int ok = 1;
  ns->n = 0;
  ns->paths.len = 0;
  for (t = sc->tab.all; t && ok; t = t->next)
  {
    size_t i = 0;
    if (t->state != S_UP && t->state != S_LOCKED && t->state != S_GONE) continue;
    if (!abspath(sc, &tp, t)) { ok = 0; break; }
    list.len = 0;
    if (svneeds_list(&list, tp.s) <= 0 || !holds(t)) continue;
    while (i < list.len)
    {
      char const *path = list.s + i + strlen(list.s + i) + 1;
      struct stat st;
      need *d;
      i = (size_t)(path - list.s) + strlen(path) + 1;
      if (svneeds_same(path, tp.s)) continue;
      if (ns->n == ns->cap)
      {
        size_t cap = ns->cap ? ns->cap * 2 : 16;
        need *v = realloc(ns->v, cap * sizeof *v);
        if (!v) { ok = 0; break; }
        ns->v = v;
        ns->cap = cap;
      }
      d = ns->v + ns->n;
      d->path = ns->paths.len;
      if (!stralloc_catb(&ns->paths, path, strlen(path) + 1)) { ok = 0; break; }
      d->exists = stat(path, &st) == 0;
      d->dev = d->exists ? st.st_dev : 0;
      d->ino = d->exists ? st.st_ino : 0;
      ns->n++;
    }
  }
  stralloc_free(&tp);
  stralloc_free(&list);
  if (ok && ns->n > 1) qsort(ns->v, ns->n, sizeof *ns->v, &byfile);
  return ok;
}

 /* s is needed by a service that holds: a need names its path, or its file */
static int needed (svscan *sc, needset const *ns, svc *s)
{
  stralloc sp = STRALLOC_ZERO;
  struct stat st;
  size_t i;
  int r = 0;
  if (!ns->n) return 0;
  if (!abspath(sc, &sp, s)) return 1;
  if (stat(sp.s, &st) == 0)
  {
    need key = { .dev = st.st_dev, .ino = st.st_ino, .exists = 1 };
    r = !!bsearch(&key, ns->v, ns->n, sizeof *ns->v, &byfile);
  }
  for (i = 0; i < ns->n && !r; i++)
    if (!strcmp(ns->paths.s + ns->v[i].path, sp.s)) r = 1;
  stralloc_free(&sp);
  return r;
}

 /* tell every held-back service that nothing running needs (all: every one) */
static void release (svscan *sc, int all)
{
  needset ns = { .v = 0, .n = 0, .cap = 0, .paths = STRALLOC_ZERO };
  int again = 1;
  while (again && sc->stop.ndeferred)
  {
    svc *s;
    again = 0;
    if (!all && !needs_read(sc, &ns)) break;
    for (s = sc->tab.all; s; s = s->next)
      if (s->deferred && (all || !needed(sc, &ns, s)))
      {
        s->deferred = 0;
        sc->stop.ndeferred--;
        tell_exit(s);
        again = 1;
      }
  }
  free(ns.v);
  stralloc_free(&ns.paths);
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
