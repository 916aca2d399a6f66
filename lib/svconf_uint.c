/* SPDX-License-Identifier: ISC */

#include "svconf.h"
#include "svconf-internal.h"

int
svconf_uint (char const *file, unsigned int *u)
{
  char s[SVCONF_LINE_MAX];
  int r = svconf_firstline(file, s);
  if (r <= 0)
    return r;
  return svconf_uint_scan(s, u);
}
