/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <string.h>

#include <skalibs/types.h>

#include "svconf.h"

int
svconf_uint_scan (char const *s, unsigned int *u)
{
  unsigned int x;
  if (!s[0] || uint0_scan(s, &x) != strlen(s))
    return (errno = EINVAL, -1);
  *u = x;
  return 1;
}
