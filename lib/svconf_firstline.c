/* SPDX-License-Identifier: ISC */

#include <errno.h>

#include <skalibs/djbunix.h>

#include "svconf-internal.h"

int
svconf_firstline (char const *file, char *s)
{
  char buf[SVCONF_LINE_MAX];
  ssize_t r = openreadnclose(file, buf, sizeof buf);
  if (r < 0)
    return errno == ENOENT ? 0 : -1;
  return svconf_line(buf, (size_t)r, s);
}
