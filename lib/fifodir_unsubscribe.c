/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <unistd.h>

#include "fifodir.h"

void
fifodir_unsubscribe (int fd, char const *name)
{
  int e = errno;
  unlink(name);
  if (fd >= 0)
    close(fd);
  errno = e;
}
