/* SPDX-License-Identifier: ISC */

#include <stdlib.h>

#include "svpath.h"

char const *
svpath_svdir (void)
{
  char const *s = getenv("SVDIR");
  return s && *s ? s : SVPATH_DEFAULT_SVDIR;
}
