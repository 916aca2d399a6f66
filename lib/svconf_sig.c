/* SPDX-License-Identifier: ISC */

#include "svconf.h"
#include "svconf-internal.h"

int
svconf_sig (char const *file, int *sig)
{
  char s[SVCONF_LINE_MAX];
  int r = svconf_firstline(file, s);
  if (r <= 0)
    return r;
  return svconf_sig_scan(s, sig);
}
