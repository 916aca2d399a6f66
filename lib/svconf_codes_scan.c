/* ISC license. */

#include <errno.h>
#include <string.h>

#include "svconf.h"

static int
issep (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',';
}

int
svconf_codes_scan (char const *buf, size_t len, unsigned char *set)
{
  unsigned char t[32];
  size_t i = 0;
  unsigned int n = 0;
  memset(t, 0, sizeof t);
  while (i < len)
  {
    unsigned int c = 0;
    size_t start;
    if (issep(buf[i]))
    {
      i++;
      continue;
    }
    start = i;
    for (; i < len && !issep(buf[i]); i++)
    {
      if (buf[i] < '0' || buf[i] > '9' || i - start >= 3)
        return (errno = EINVAL, -1);
      c = c * 10 + (unsigned int)(buf[i] - '0');
    }
    if (c > 255)
      return (errno = EINVAL, -1);
    t[c >> 3] |= (unsigned char)(1u << (c & 7));
    n++;
  }
  if (!n)
    return (errno = EINVAL, -1);
  memcpy(set, t, sizeof t);
  return 1;
}
