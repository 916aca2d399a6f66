/* ISC license. */

#include <errno.h>

#include <skalibs/djbunix.h>

#include "svconf.h"

int
svconf_codes (char const *file, unsigned char *set)
{
  char buf[SVCONF_CODES_MAX + 1];
  ssize_t r = openreadnclose(file, buf, sizeof buf);
  if (r < 0)
    return errno == ENOENT ? 0 : -1;
  if ((size_t)r > SVCONF_CODES_MAX)
    return (errno = EINVAL, -1);
  return svconf_codes_scan(buf, (size_t)r, set);
}
