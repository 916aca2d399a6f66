/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <sys/stat.h>

#include "fifodir.h"

int
fifodir_make (char const *path)
{
  struct stat st;
  if (mkdir(path, 0700) == 0)
    return 1;
  if (errno != EEXIST)
    return 0;
  if (stat(path, &st) == -1)
    return 0;
  if (!S_ISDIR(st.st_mode))
    return (errno = ENOTDIR, 0);
  return 1;
}
