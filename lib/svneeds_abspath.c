/* ISC license. */

#include <string.h>

#include <skalibs/stralloc.h>

#include "svneeds.h"

 /* append the components of s to sa (which holds a normalised absolute path at base) */
static int
walk (stralloc *sa, size_t base, char const *s)
{
  while (*s)
  {
    size_t n = strcspn(s, "/");
    if (!n || (n == 1 && s[0] == '.'))
      ;
    else if (n == 2 && s[0] == '.' && s[1] == '.')
    {
      while (sa->len > base && sa->s[sa->len - 1] != '/')
        sa->len--;
      if (sa->len > base)
        sa->len--;
    }
    else if (!stralloc_catb(sa, "/", 1) || !stralloc_catb(sa, s, n))
      return 0;
    s += n;
    if (*s)
      s++;
  }
  return 1;
}

int
svneeds_abspath (stralloc *sa, char const *cwd, char const *dir)
{
  size_t base = sa->len;
  if (dir[0] != '/' && !walk(sa, base, cwd))
    return 0;
  if (!walk(sa, base, dir))
    return 0;
  if (sa->len == base && !stralloc_catb(sa, "/", 1))
    return 0;
  if (!stralloc_0(sa))
    return 0;
  sa->len--;
  return 1;
}
