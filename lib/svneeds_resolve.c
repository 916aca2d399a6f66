/* ISC license. */

#include <string.h>
#include <sys/stat.h>

#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>

#include "svneeds.h"

int
svneeds_resolve (stralloc *sa, char const *dir, char const *name)
{
  size_t dlen = strlen(dir), nlen = strlen(name);
  char path[dlen + nlen + 8];
  struct stat st;
  memcpy(path, dir, dlen);
  memcpy(path + dlen, "/needs/", 7);
  memcpy(path + dlen + 7, name, nlen + 1);
  if (lstat(path, &st) == -1)
    return 0;
  if (S_ISLNK(st.st_mode))
  {
    stralloc target = STRALLOC_ZERO;
    int r;
    if (sareadlink(&target, path) == -1 || !stralloc_0(&target))
    {
      stralloc_free(&target);
      return 0;
    }
    path[dlen + 6] = 0;  /* DIR/needs */
    r = svneeds_abspath(sa, path, target.s);
    stralloc_free(&target);
    return r;
  }
  memcpy(path + dlen, "/../", 4);
  memcpy(path + dlen + 4, name, nlen + 1);
  return svneeds_abspath(sa, "/", path);
}
