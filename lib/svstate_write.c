/* ISC license. */

#include <string.h>

#include <skalibs/djbunix.h>

#include "svstate.h"

int
svstate_write (char const *sdir, svstate const *st)
{
  size_t len = strlen(sdir);
  char fn[len + 7];
  char s[SVSTATE_FMT_MAX];
  memcpy(fn, sdir, len);
  memcpy(fn + len, "/state", 7);
  return openwritenclose_suffix(fn, s, svstate_fmt(s, st), ".new");
}
