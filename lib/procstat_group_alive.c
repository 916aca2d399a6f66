/* SPDX-License-Identifier: ISC */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include <skalibs/uint64.h>

#include "procstat.h"

/* buf + i is " S ppid pgrp ...", after comm's closing paren: 1 a live member of pgid */
static int
live_member (char const *buf, size_t i, pid_t pgid)
{
  uint64_t g;
  if (buf[i] != ' ' || !buf[i + 1])
    return 0;
  i++;
  if (buf[i] == 'Z' || buf[i] == 'X' || buf[i] == 'x')
    return 0;
  while (buf[i] && buf[i] != ' ')  /* state */
    i++;
  if (!buf[i++])
    return 0;
  while (buf[i] && buf[i] != ' ')  /* ppid */
    i++;
  if (!buf[i++])
    return 0;
  return uint64_scan(buf + i, &g) && g == (uint64_t)pgid;
}

int
procstat_group_alive (pid_t pgid)
{
  DIR *d;
  int e;
  if (pgid <= 0)
    return (errno = ESRCH, 0);
  if (kill(-pgid, 0) == -1 && errno == ESRCH)
    return 0;
   /* it has members (EPERM too): are they all zombies? */
  d = opendir("/proc");
  if (!d)
    return -1;
  for (;;)
  {
    char fn[6 + UINT64_FMT + 6] = "/proc/";
    char buf[1024];
    struct dirent *de;
    size_t n, i;
    ssize_t r;
    errno = 0;
    de = readdir(d);
    if (!de)
      break;
    if (de->d_name[0] < '1' || de->d_name[0] > '9')
      continue;
    n = strlen(de->d_name);
    if (n > UINT64_FMT)
      continue;
    memcpy(fn + 6, de->d_name, n);
    memcpy(fn + 6 + n, "/stat", 6);
    r = openreadnclose(fn, buf, sizeof buf - 1);
    if (r <= 0)
      continue;  /* gone meanwhile */
    buf[r] = 0;
    i = (size_t)r;
    while (i && buf[i - 1] != ')')
      i--;
    if (i && live_member(buf, i, pgid))
    {
      closedir(d);
      return 1;
    }
  }
  e = errno;
  closedir(d);
  return e ? (errno = e, -1) : 0;
}
