/* ISC license. */

#include <errno.h>
#include <string.h>

#include <skalibs/bytestr.h>
#include <skalibs/djbunix.h>

#include "svconf-internal.h"

static int
isblank_ (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

int
svconf_firstline (char const *file, char *s)
{
  char buf[SVCONF_LINE_MAX];
  size_t start = 0, n;
  ssize_t r = openreadnclose(file, buf, sizeof buf);
  if (r < 0)
    return errno == ENOENT ? 0 : -1;
  n = byte_chr(buf, (size_t)r, '\n');
  if (n == sizeof buf)
    return (errno = EINVAL, -1);
  while (n && isblank_(buf[n - 1]))
    n--;
  while (start < n && isblank_(buf[start]))
    start++;
  if (byte_chr(buf + start, n - start, 0) < n - start)
    return (errno = EINVAL, -1);
  memcpy(s, buf + start, n - start);
  s[n - start] = 0;
  return 1;
}
