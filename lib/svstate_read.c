/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <string.h>

#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>

#include "svstate.h"

int
svstate_read (char const *sdir, svstate *st)
{
  size_t len = strlen(sdir);
  char fn[len + 7];
  stralloc sa = STRALLOC_ZERO;
  int r;
  memcpy(fn, sdir, len);
  memcpy(fn + len, "/state", 7);
  if (!openslurpclose(&sa, fn))
    return 0;
  r = svstate_parse(sa.s, sa.len, st);
  stralloc_free(&sa);
  if (!r)
    errno = EPROTO;
  return r;
}
