/* ISC license. */

#include <string.h>

#include "svneeds.h"

char const *
svneeds_basename (char const *path)
{
  char const *p = strrchr(path, '/');
  return p && p[1] ? p + 1 : path;
}
