/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <skalibs/allreadwrite.h>

#include "atomicfile.h"

int
atomicfile_write (char const *fn, char const *s, size_t n)
{
  size_t len = strlen(fn);
  char tmp[len + 5];
  int fd, e;
  memcpy(tmp, fn, len);
  memcpy(tmp + len, ".new", 5);
  if (unlink(tmp) == -1 && errno != ENOENT)
    return 0;
  /* O_EXCL: if something was planted again since the unlink, fail rather than follow it */
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd == -1)
    return 0;
  if (allwrite(fd, s, n) < n)
    goto err;
  if (close(fd) == -1)
  {
    fd = -1;
    goto err;
  }
  fd = -1;
  if (rename(tmp, fn) == -1)
    goto err;
  return 1;
 err:
  e = errno;
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  errno = e;
  return 0;
}
