/* ISC license. */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <skalibs/stralloc.h>

#include "svneeds.h"

static int
byname (void const *a, void const *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int
svneeds_list (stralloc *sa, char const *dir)
{
  size_t dlen = strlen(dir);
  char path[dlen + 7];
  stralloc names = STRALLOC_ZERO;
  size_t i, n = 0, base = sa->len;
  DIR *d;
  int e;
  memcpy(path, dir, dlen);
  memcpy(path + dlen, "/needs", 7);
  d = opendir(path);
  if (!d)
    return -1;
  for (;;)
  {
    struct dirent *de;
    errno = 0;
    de = readdir(d);
    if (!de)
      break;
    if (de->d_name[0] == '.')
      continue;
    if (!stralloc_cats(&names, de->d_name) || !stralloc_0(&names))
      goto err;
    n++;
  }
  if (errno)
    goto err;
  closedir(d);
  {
    char **v = malloc((n ? n : 1) * sizeof *v);
    char *p = names.s;
    if (!v)
    {
      stralloc_free(&names);
      return (errno = ENOMEM, -1);
    }
    for (i = 0; i < n; i++, p += strlen(p) + 1)
      v[i] = p;
    qsort(v, n, sizeof *v, &byname);
    for (i = 0; i < n; i++)
    {
      if (!stralloc_cats(sa, v[i]) || !stralloc_0(sa))
        break;
      if (!svneeds_resolve(sa, dir, v[i]))
      {
        if (errno == ENOENT)  /* removed meanwhile */
        {
          sa->len -= strlen(v[i]) + 1;
          n--;
          memmove(v + i, v + i + 1, (n - i) * sizeof *v);
          i--;
          continue;
        }
        break;
      }
      sa->len++;  /* keep the null that resolve wrote */
    }
    e = errno;
    free(v);
    stralloc_free(&names);
    if (i < n)
    {
      sa->len = base;
      return (errno = e, -1);
    }
  }
  return (int)n;
 err:
  e = errno;
  closedir(d);
  stralloc_free(&names);
  errno = e;
  return -1;
}
