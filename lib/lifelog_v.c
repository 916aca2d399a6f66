/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <skalibs/strerr.h>

#include "lifelog.h"

#define LIFELOG_MAX 4096

static size_t
add (char *s, size_t len, char const *x)
{
  size_t n;
  if (!x)
    return len;
  n = strlen(x);
  if (n > LIFELOG_MAX - 1 - len)
    n = LIFELOG_MAX - 1 - len;
  memcpy(s + len, x, n);
  return len + n;
}

void
lifelog_v (char const *name, char const *event, char const *const *v, unsigned int n)
{
  char s[LIFELOG_MAX];
  size_t len = 0;
  unsigned int i = 0;
  int e = errno;
  if (lifelog_quiet)
    return;
  len = add(s, len, PROG);
  len = add(s, len, ": ");
  len = add(s, len, name);
  len = add(s, len, ": ");
  len = add(s, len, event);
  if (n)
    len = add(s, len, ": ");
  for (; i < n; i++)
    len = add(s, len, v[i]);
  s[len++] = '\n';
  while (write(2, s, len) == -1 && errno == EINTR)
    ;
  errno = e;
}
