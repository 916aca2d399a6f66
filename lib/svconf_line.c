/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <string.h>

#include <skalibs/bytestr.h>

#include "svconf-internal.h"

static int
isblank_ (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

int
svconf_line (char const *buf, size_t len, char *s)
{
  size_t start = 0, n;
  if (len > SVCONF_LINE_MAX)
    len = SVCONF_LINE_MAX;
  n = byte_chr(buf, len, '\n');
  if (n == SVCONF_LINE_MAX)
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
