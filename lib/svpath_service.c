/* SPDX-License-Identifier: ISC */

#include <skalibs/stralloc.h>

#include "svpath.h"

int
svpath_service (stralloc *sa, char const *service)
{
  size_t base = sa->len;
  if (service[0] != '/' && service[0] != '.')
  {
    if (!stralloc_cats(sa, svpath_svdir()) || !stralloc_catb(sa, "/", 1))
      goto err;
  }
  if (!stralloc_cats(sa, service) || !stralloc_0(sa))
    goto err;
  sa->len--;
  return 1;
 err:
  sa->len = base;
  return 0;
}
