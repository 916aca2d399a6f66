/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <stdint.h>

#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include <skalibs/uint64.h>

#include "procstat.h"

int
procstat_member (pid_t pid, pid_t pgid)
{
  char fn[6 + UINT64_FMT + 6] = "/proc/";
  char buf[1024];
  size_t n, i;
  uint64_t g;
  ssize_t r;
  n = 6 + uint64_fmt(fn + 6, (uint64_t)pid);
  fn[n++] = '/';
  fn[n++] = 's';
  fn[n++] = 't';
  fn[n++] = 'a';
  fn[n++] = 't';
  fn[n] = 0;
  r = openreadnclose(fn, buf, sizeof buf - 1);
  if (r <= 0)
    return -1;  /* gone meanwhile */
  buf[r] = 0;
  i = (size_t)r;
  while (i && buf[i - 1] != ')')
    i--;
  /* buf + i is " S ppid pgrp ...", after comm's closing paren */
  if (!i || buf[i] != ' ' || !buf[i + 1])
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
