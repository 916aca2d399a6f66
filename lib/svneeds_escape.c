/* ISC license. */

#include <skalibs/stralloc.h>

#include "svneeds.h"

int
svneeds_escape (stralloc *sa, char const *name)
{
  for (; *name; name++)
  {
    char const *x = *name == ' ' ? "\\040" : *name == '\n' ? "\\012" : *name == '\\' ? "\\134" : 0;
    if (x ? !stralloc_catb(sa, x, 4) : !stralloc_catb(sa, name, 1))
      return 0;
  }
  return 1;
}
