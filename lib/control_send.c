/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <skalibs/allreadwrite.h>

#include "control.h"

int
control_send (char const *sdir, char const *s, size_t n)
{
  size_t len = strlen(sdir);
  char fn[len + 9];
  size_t w;
  int fd;
  memcpy(fn, sdir, len);
  memcpy(fn + len, "/control", 9);
  fd = open(fn, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1)
    return errno == ENXIO || errno == ENOENT ? 0 : -1;
  w = allwrite(fd, s, n);
  if (w < n)
  {
    int e = errno;  /* EAGAIN when the FIFO is full */
    close(fd);
    errno = e;
    return -1;
  }
  close(fd);
  return 1;
}
