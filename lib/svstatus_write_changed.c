/* ISC license. */

#include <string.h>

#include <skalibs/uint64.h>

#include "atomicfile.h"
#include "svstatus.h"

/* pid, then stat, then status: runsv's order, so that status (what sv reads) comes last.
   A rename costs more than everything else here: skip the files whose text is the same. */
int
svstatus_write_changed (char const *sdir, svstatus const *st, svstatus const *last)
{
  size_t len = strlen(sdir);
  char fn[len + 8];
  char s[SVSTATUS_STAT_MAX], old[SVSTATUS_STAT_MAX];
  size_t n = 0;
  memcpy(fn, sdir, len);
  if (!last || last->pid != st->pid)
  {
    if (st->pid)
    {
      n = uint64_fmt(s, (uint64_t)st->pid);
      s[n++] = '\n';
    }
    memcpy(fn + len, "/pid", 5);
    if (!atomicfile_write(fn, s, n))
      return 0;
  }
  n = svstatus_fmt_stat(s, st);
  if (!last || n != svstatus_fmt_stat(old, last) || memcmp(s, old, n))
  {
    memcpy(fn + len, "/stat", 6);
    if (!atomicfile_write(fn, s, n))
      return 0;
  }
  svstatus_pack(s, st);
  memcpy(fn + len, "/status", 8);
  return atomicfile_write(fn, s, SVSTATUS_SIZE);
}
