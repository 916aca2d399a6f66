/* SPDX-License-Identifier: ISC */

#include <string.h>

#include <skalibs/uint64.h>

#include "atomicfile.h"
#include "svstatus.h"

/* pid, then stat, then status: runsv's order, so that status (what sv reads) comes last */
int
svstatus_write (char const *sdir, svstatus const *st)
{
  size_t len = strlen(sdir);
  char fn[len + 8];
  char s[SVSTATUS_STAT_MAX];
  size_t n = 0;
  memcpy(fn, sdir, len);
  if (st->pid)
  {
    n = uint64_fmt(s, (uint64_t)st->pid);
    s[n++] = '\n';
  }
  memcpy(fn + len, "/pid", 5);
  if (!atomicfile_write(fn, s, n))
    return 0;
  n = svstatus_fmt_stat(s, st);
  memcpy(fn + len, "/stat", 6);
  if (!atomicfile_write(fn, s, n))
    return 0;
  svstatus_pack(s, st);
  memcpy(fn + len, "/status", 8);
  return atomicfile_write(fn, s, SVSTATUS_SIZE);
}
