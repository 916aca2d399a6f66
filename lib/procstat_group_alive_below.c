/* SPDX-License-Identifier: ISC */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include <skalibs/uint64.h>

#include "procstat.h"

 /* the children of every thread of pid appended to *v (n of cap, grown); 0 when the
    kernel has no children files (ENOENT on our own), 1 otherwise (a process that went
    away meanwhile has no children) */
static int children (pid_t pid, pid_t **v, size_t *n, size_t *cap)
{
  char dn[6 + UINT64_FMT + 6] = "/proc/";
  size_t dl = 6 + uint64_fmt(dn + 6, (uint64_t)pid);
  DIR *d;
  memcpy(dn + dl, "/task", 6);
  d = opendir(dn);
  if (!d) return 1;
  for (;;)
  {
    char fn[sizeof dn + UINT64_FMT + 10];
    char buf[4096];
    struct dirent *de = readdir(d);
    size_t tl, i = 0;
    ssize_t r;
    if (!de) break;
    if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
    tl = strlen(de->d_name);
    if (tl > UINT64_FMT) continue;
    memcpy(fn, dn, dl + 5);
    fn[dl + 5] = '/';
    memcpy(fn + dl + 6, de->d_name, tl);
    memcpy(fn + dl + 6 + tl, "/children", 10);
    r = openreadnclose(fn, buf, sizeof buf - 1);
    if (r < 0)
    {
      if (errno == ENOENT && pid == getpid()) { closedir(d); return 0; }
      continue;
    }
    buf[r] = 0;
    while (i < (size_t)r)
    {
      uint64_t c;
      size_t k = uint64_scan(buf + i, &c);
      if (!k) { i++; continue; }
      i += k;
      if (*n == *cap)
      {
        if (*cap >= 65536) { closedir(d); return 0; }
        pid_t *nv = realloc(*v, (*cap = *cap ? 2 * *cap : 32) * sizeof **v);
        if (!nv) { closedir(d); errno = ENOMEM; return -1; }
        *v = nv;
      }
      (*v)[(*n)++] = (pid_t)c;
    }
     /* a children file larger than buf (thousands of children): look at all of /proc */
    if ((size_t)r == sizeof buf - 1) { closedir(d); return 0; }
  }
  closedir(d);
  return 1;
}

int
procstat_group_alive_below (pid_t pgid)
{
  pid_t *v = 0;
  size_t n = 0, cap = 0, i = 0;
  int r;
  if (pgid <= 0)
    return (errno = ESRCH, 0);
  if (kill(-pgid, 0) == -1 && errno == ESRCH)
    return 0;
  r = children(getpid(), &v, &n, &cap);
  while (r > 0 && i < n)
  {
    pid_t p = v[i++];
    if (procstat_member(p, pgid) > 0) { free(v); return 1; }
    r = children(p, &v, &n, &cap);
  }
  free(v);
  if (r < 0) return -1;
  return r ? 0 : procstat_group_alive(pgid);
}
