/* ISC license. */

#include <string.h>
#include <sys/stat.h>

#include "svneeds.h"

int
svneeds_same (char const *a, char const *b)
{
  struct stat sa, sb;
  if (!strcmp(a, b))
    return 1;
  if (stat(a, &sa) == -1 || stat(b, &sb) == -1)
    return 0;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
