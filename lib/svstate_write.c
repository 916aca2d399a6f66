/* SPDX-License-Identifier: ISC */

#include <string.h>

#include "atomicfile.h"
#include "svstate.h"

int
svstate_write (char const *sdir, svstate const *st)
{
  size_t len = strlen(sdir);
  char fn[len + 7];
  char s[SVSTATE_FMT_MAX];
  memcpy(fn, sdir, len);
  memcpy(fn + len, "/state", 7);
  return atomicfile_write(fn, s, svstate_fmt(s, st));
}
