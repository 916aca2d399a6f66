/* svscan/svscan-table.c: svscan's entries and their tables */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "svscan.h"

enum { H_NAME, H_PID, H_WD };

svc *svcs = 0;
static unsigned int nall = 0;
static svc **htab[3];
static unsigned int hbits = 0;

static svc **dueq[2];           /* S_DUE entries; [dueqi] is the live one */
static size_t duen[2], duecap[2];
static unsigned int dueqi = 0;

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
  for (s = svcs; s; s = s->next)
  {
    if (s->inname) hlink(s, H_NAME);
    if (s->pid > 0) hlink(s, H_PID);
    if (s->wd >= 0) hlink(s, H_WD);
  }
  return 1;
}

int svc_tables_init (void)
{
  unsigned int i = 0;
  hbits = 6;
  for (; i < 3; i++)
  {
    htab[i] = calloc((size_t)1 << hbits, sizeof(svc *));
    if (!htab[i]) return 0;
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

svc *svc_by_name (char const *name, size_t len, uint32_t h)
{
  svc *s = *hbucket(H_NAME, h);
  for (; s; s = s->hname)
    if (s->hash == h && s->len == len && !memcmp(s->name, name, len)) return s;
  return 0;
}

svc *svc_by_pid (pid_t pid)
{
  svc *s = *hbucket(H_PID, (uint32_t)pid);
  for (; s; s = s->hpid)
    if (s->pid == pid) return s;
  return 0;
}

void svc_set_pid (svc *s, pid_t pid)
{
  if (s->pid > 0) hunlink(s, H_PID);
  s->pid = pid;
  if (pid > 0) hlink(s, H_PID);
}

void svc_enqueue (svc *s)
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

void svc_dequeue (svc *s)
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

void svc_watch_drop (svc *s)
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

int svc_watch_set (svc *s, char const *path, uint32_t mask)
{
  int wd;
  if (ifd < 0) return (errno = EBADF, 0);
  wd = inotify_add_watch(ifd, path, mask);
  if (wd == -1)
  {
    int e = errno;
    svc_watch_drop(s);
    errno = e;
    return 0;
  }
  if (wd == s->wd) return 1;
  svc_watch_drop(s);
  s->wd = wd;
  hlink(s, H_WD);
  return 1;
}

void svc_watch_forget (svc *s)
{
  if (s->wd < 0) return;
  hunlink(s, H_WD);
  s->wd = -1;
}

size_t svc_by_wd (int wd, svc ***out)
{
  static svc **v = 0;
  static size_t cap = 0;
  size_t n = 0;
  svc *s = *hbucket(H_WD, (uint32_t)wd);
  for (; s; s = s->hwd)
  {
    if (s->wd != wd) continue;
    if (n == cap)
    {
      size_t c = cap ? cap * 2 : 8;
      svc **p = realloc(v, c * sizeof(svc *));
      if (!p) break;
      v = p;
      cap = c;
    }
    v[n++] = s;
  }
  *out = v;
  return n;
}

 /* entries */

svc *svc_new (char const *name, size_t len, uint32_t h, dev_t dev, ino_t ino)
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
  s->dev = dev;
  s->ino = ino;
  s->wd = -1;
  s->when = tain_zero;
  s->state = S_IDLE;
  s->next = svcs;
  if (svcs) svcs->prev = s;
  svcs = s;
  if (++nall > (1u << hbits)) hgrow();  /* if that fails, chains get longer */
  hlink(s, H_NAME);
  s->inname = 1;
  return s;
}

void svc_free (svc *s)
{
  if (s->queued) svc_dequeue(s);
  if (s->inname) hunlink(s, H_NAME);
  svc_set_pid(s, 0);
  svc_watch_drop(s);
  if (s->prev) s->prev->next = s->next;
  else svcs = s->next;
  if (s->next) s->next->prev = s->prev;
  nall--;
  free(s->name);
  free(s);
}

void svc_unname (svc *s)
{
  if (!s->inname) return;
  hunlink(s, H_NAME);
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

void svc_due (void (*launch) (svc *), tain *due_at)
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
    if (tain_future(&s->when)) svc_enqueue(s);
    else (*launch)(s);
  }
  duen[c] = 0;
  *due_at = tain_infinite;
  for (i = 0; i < duen[dueqi]; i++)
    if (tain_less(&dueq[dueqi][i]->when, due_at)) *due_at = dueq[dueqi][i]->when;
}
