/* ISC license. */

#include "svconf.h"
#include "svconf-internal.h"

int
svconf_restart (char const *file, unsigned int *policy)
{
  char s[SVCONF_LINE_MAX];
  int r = svconf_firstline(file, s);
  if (r <= 0)
    return r;
  return svconf_restart_scan(s, policy);
}
