/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <sys/stat.h>

#include "svconf.h"

int
svconf_exists (char const *file)
{
  struct stat st;
  if (stat(file, &st) == 0)
    return 1;
  return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}
