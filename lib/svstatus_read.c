/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <string.h>

#include <skalibs/djbunix.h>

#include "svstatus.h"

int
svstatus_read (char const *sdir, svstatus *st)
{
  size_t len = strlen(sdir);
  char fn[len + 8];
  char s[SVSTATUS_SIZE + 1];
  ssize_t r;
  memcpy(fn, sdir, len);
  memcpy(fn + len, "/status", 8);
  r = openreadnclose(fn, s, SVSTATUS_SIZE + 1);
  if (r < 0)
    return 0;
  if (r != SVSTATUS_SIZE)
    return (errno = EPROTO, 0);
  svstatus_unpack(s, st);
  return 1;
}
