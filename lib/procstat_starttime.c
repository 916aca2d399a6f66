/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <stdint.h>

#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include <skalibs/uint64.h>

#include "procstat.h"

/* fields after comm's closing paren: 1 state, ..., 20 starttime (field 22 overall) */
int
procstat_starttime (pid_t pid, uint64_t *start)
{
  char fn[6 + UINT64_FMT + 6] = "/proc/";
  char buf[4096];
  size_t i, n;
  unsigned int field = 1;
  ssize_t r;
  if (pid <= 0)
    return (errno = ESRCH, 0);
  n = 6 + uint64_fmt(fn + 6, (uint64_t)pid);
  fn[n++] = '/';
  fn[n++] = 's';
  fn[n++] = 't';
  fn[n++] = 'a';
  fn[n++] = 't';
  fn[n] = 0;
  r = openreadnclose(fn, buf, sizeof buf - 1);
  if (r < 0)
    return errno == ENOENT || errno == ESRCH ? (errno = ESRCH, 0) : -1;
  buf[r] = 0;
  i = (size_t)r;
  while (i && buf[i - 1] != ')')
    i--;
  if (!i)
    return (errno = EPROTO, -1);
  /* buf + i is " S ppid pgrp ..." */
  if (buf[i] != ' ' || !buf[i + 1])
    return (errno = EPROTO, -1);
  i++;
  if (buf[i] == 'Z' || buf[i] == 'X' || buf[i] == 'x')
    return (errno = ESRCH, 0);
  while (field < 20)
  {
    while (buf[i] && buf[i] != ' ')
      i++;
    if (!buf[i])
      return (errno = EPROTO, -1);
    i++;
    field++;
  }
  if (!uint64_scan(buf + i, start))
    return (errno = EPROTO, -1);
  return 1;
}
