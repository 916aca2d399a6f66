/* SPDX-License-Identifier: ISC */
/* svscan/svscan-table.c: svscan's entries and their tables (sc->tab, and the watches on sc->ifd) */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "svscan.h"

enum { H_NAME, H_PID, H_WD };


static svc **hnext (svc *s, int t)
{
  return t == H_NAME ? &s->hname : t == H_PID ? &s->hpid : &s->hwd;
}

static uint32_t hkey (svc const *s, int t)
{
  return t == H_NAME ? s->hash : t == H_PID ? (uint32_t)s->pid : (uint32_t)s->wd;
}

static svc **hbucket (svtab *tab, int t, uint32_t key)
{
  return &tab->htab[t][(uint32_t)(key * 2654435761u) >> (32 - tab->hbits)];
}

static void hlink (svtab *tab, svc *s, int t)
{
  svc **b = hbucket(tab, t, hkey(s, t));
  *hnext(s, t) = *b;
  *b = s;
}

static void hunlink (svtab *tab, svc *s, int t)
{
  svc **p = hbucket(tab, t, hkey(s, t));
  while (*p != s) p = hnext(*p, t);
  *p = *hnext(s, t);
}

static int hgrow (svtab *tab)
{
  svc **t[3];
  svc *s;
  unsigned int i;
  for (i = 0; i < 3; i++)
  {
    t[i] = calloc((size_t)1 << (tab->hbits + 1), sizeof(svc *));
    if (!t[i])
    {
      while (i--) free(t[i]);
      return 0;
    }
  }
  for (i = 0; i < 3; i++)
  {
    free(tab->htab[i]);
    tab->htab[i] = t[i];
  }
  tab->hbits++;
  for (s = tab->all; s; s = s->next)
  {
    if (s->inname) hlink(tab, s, H_NAME);
    if (s->pid > 0) hlink(tab, s, H_PID);
    if (s->wd >= 0) hlink(tab, s, H_WD);
  }
  return 1;
}

int svc_tables_init (svscan *sc)
{
  svtab *tab = &sc->tab;
  unsigned int i = 0;
  tab->hbits = 6;
  for (; i < 3; i++)
  {
    tab->htab[i] = calloc((size_t)1 << tab->hbits, sizeof(svc *));
    if (!tab->htab[i]) return 0;
  }
  return 1;
}

uint32_t svc_hashname (char const *name, size_t len)
{
  uint32_t h = 2166136261u;
  size_t i = 0;
  for (; i < len; i++) h = (h ^ (unsigned char)name[i]) * 16777619u;
  return h;
}

svc *svc_by_name (svscan *sc, char const *name, size_t len, uint32_t h)
{
  svc *s = *hbucket(&sc->tab, H_NAME, h);
  for (; s; s = s->hname)
    if (s->hash == h && s->len == len && !memcmp(s->name, name, len)) return s;
  return 0;
}

svc *svc_by_pid (svscan *sc, pid_t pid)
{
  svc *s = *hbucket(&sc->tab, H_PID, (uint32_t)pid);
  for (; s; s = s->hpid)
    if (s->pid == pid) return s;
  return 0;
}

void svc_set_pid (svscan *sc, svc *s, pid_t pid)
{
  if (s->pid > 0) hunlink(&sc->tab, s, H_PID);
  s->pid = pid;
  if (pid > 0) hlink(&sc->tab, s, H_PID);
}

int svc_enqueue (svscan *sc, svc *s)
{
  svtab *tab = &sc->tab;
  unsigned int q = tab->dueqi;
  if (s->queued) return 1;
  if (tab->duen[q] == tab->duecap[q])
  {
    size_t cap = tab->duecap[q] ? tab->duecap[q] * 2 : 64;
    svc **v = realloc(tab->dueq[q], cap * sizeof(svc *));
    if (!v)
    {
       /* the next full scan finds it again */
      strerr_warnwusys("queue ", sc->dirarg, "/", s->name);
      s->state = S_IDLE;
      return 0;
    }
    tab->dueq[q] = v;
    tab->duecap[q] = cap;
  }
  tab->dueq[q][tab->duen[q]++] = s;
  s->queued = 1;
  return 1;
}

void svc_dequeue (svscan *sc, svc *s)
{
  svtab *tab = &sc->tab;
  unsigned int q = tab->dueqi;
  size_t i = 0;
  for (; i < tab->duen[q]; i++)
    if (tab->dueq[q][i] == s)
    {
      tab->dueq[q][i] = tab->dueq[q][--tab->duen[q]];
      break;
    }
  s->queued = 0;
}

 /* inotify watches; several names for one directory share one watch */

void svc_watch_drop (svscan *sc, svc *s)
{
  int wd = s->wd;
  svc *p;
  if (wd < 0) return;
  hunlink(&sc->tab, s, H_WD);
  s->wd = -1;
  for (p = *hbucket(&sc->tab, H_WD, (uint32_t)wd); p; p = p->hwd)
    if (p->wd == wd) return;
  inotify_rm_watch(sc->ifd, wd);
}

int svc_watch_set (svscan *sc, svc *s, char const *path, uint32_t mask)
{
  int wd;
  if (sc->ifd < 0) return (errno = EBADF, 0);
  wd = inotify_add_watch(sc->ifd, path, mask);
  if (wd == -1)
  {
    int e = errno;
    svc_watch_drop(sc, s);
    errno = e;
    return 0;
  }
  if (wd == s->wd) return 1;
  svc_watch_drop(sc, s);
  s->wd = wd;
  hlink(&sc->tab, s, H_WD);
  return 1;
}

void svc_watch_forget (svscan *sc, svc *s)
{
  if (s->wd < 0) return;
  hunlink(&sc->tab, s, H_WD);
  s->wd = -1;
}

size_t svc_by_wd (svscan *sc, int wd, svc ***out)
{
  svtab *tab = &sc->tab;
  size_t n = 0;
  svc *s = *hbucket(tab, H_WD, (uint32_t)wd);
  for (; s; s = s->hwd)
  {
    if (s->wd != wd) continue;
    if (n == tab->wdcap)
    {
      size_t c = tab->wdcap ? tab->wdcap * 2 : 8;
      svc **p = realloc(tab->wdv, c * sizeof(svc *));
      if (!p) break;
      tab->wdv = p;
      tab->wdcap = c;
    }
    tab->wdv[n++] = s;
  }
  *out = tab->wdv;
  return n;
}

 /* entries */

svc *svc_new (svscan *sc, char const *name, size_t len, uint32_t h, dev_t dev, ino_t ino)
{
  svtab *tab = &sc->tab;
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
  s->dev = dev;
  s->ino = ino;
  s->wd = -1;
  s->when = tain_zero;
  s->state = S_IDLE;
  s->next = tab->all;
  if (tab->all) tab->all->prev = s;
  tab->all = s;
  if (++tab->n > (1u << tab->hbits)) hgrow(tab);  /* if that fails, chains get longer */
  hlink(tab, s, H_NAME);
  s->inname = 1;
  return s;
}

void svc_free (svscan *sc, svc *s)
{
  if (s->queued) svc_dequeue(sc, s);
  if (s->inname) hunlink(&sc->tab, s, H_NAME);
  svc_set_pid(sc, s, 0);
  svc_watch_drop(sc, s);
  if (s->prev) s->prev->next = s->next;
  else sc->tab.all = s->next;
  if (s->next) s->next->prev = s->prev;
  sc->tab.n--;
  free(s->name);
  free(s);
}

void svc_unname (svscan *sc, svc *s)
{
  if (!s->inname) return;
  hunlink(&sc->tab, s, H_NAME);
  s->inname = 0;
}

 /* NAME/FILE in buf, which has len + strlen(file) + 2 bytes */
char *svc_path (char *buf, svc const *s, char const *file)
{
  size_t flen = strlen(file);
  memcpy(buf, s->name, s->len);
  buf[s->len] = '/';
  memcpy(buf + s->len + 1, file, flen + 1);
  return buf;
}

int svc_due (svscan *sc, void (*launch) (svscan *, svc *), tain *due_at)
{
  svtab *tab = &sc->tab;
  unsigned int c = tab->dueqi;
  size_t i;
  int ok = 1;
  tab->dueqi ^= 1;
  tab->duen[tab->dueqi] = 0;
  for (i = 0; i < tab->duen[c]; i++)
  {
    svc *s = tab->dueq[c][i];
    s->queued = 0;
    if (s->state != S_DUE) continue;
    if (tain_future(&s->when))
    {
      if (!svc_enqueue(sc, s)) ok = 0;
    }
    else (*launch)(sc, s);
  }
  tab->duen[c] = 0;
  *due_at = tain_infinite;
  for (i = 0; i < tab->duen[tab->dueqi]; i++)
    if (tain_less(&tab->dueq[tab->dueqi][i]->when, due_at)) *due_at = tab->dueq[tab->dueqi][i]->when;
  return ok;
}
