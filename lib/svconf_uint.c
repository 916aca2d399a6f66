/* ISC license. */

#include <errno.h>
#include <string.h>

#include <skalibs/types.h>

#include "svconf.h"
#include "svconf-internal.h"

int
svconf_uint (char const *file, unsigned int *u)
{
  char s[SVCONF_LINE_MAX];
  unsigned int x;
  int r = svconf_firstline(file, s);
  if (r <= 0)
    return r;
  if (!s[0] || uint0_scan(s, &x) != strlen(s))
    return (errno = EINVAL, -1);
  *u = x;
  return 1;
}
