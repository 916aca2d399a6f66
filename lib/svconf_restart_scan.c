/* ISC license. */

#include <errno.h>
#include <string.h>

#include "svconf.h"

int
svconf_restart_scan (char const *s, unsigned int *policy)
{
  static char const *const words[3] = { "always", "on-failure", "never" };
  unsigned int i = 0;
  for (; i < 3; i++)
    if (!strcmp(s, words[i]))
    {
      *policy = i;
      return 1;
    }
  return (errno = EINVAL, -1);
}
