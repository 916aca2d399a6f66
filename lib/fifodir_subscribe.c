/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <skalibs/stralloc.h>
#include <skalibs/uint64.h>

#include "clockns.h"
#include "fifodir.h"
#include "fifodir-internal.h"

int
fifodir_subscribe (char const *path, stralloc *name)
{
  static uint64_t counter = 0;
  unsigned int tries = 0;
  int fd;
  for (;; tries++)
  {
    char fmt[UINT64_FMT];
    name->len = 0;
    if (!stralloc_cats(name, path)
        || !stralloc_catb(name, "/" FIFODIR_PREFIX, 1 + FIFODIR_PREFIX_LEN)
        || !stralloc_catb(name, fmt, uint64_fmt(fmt, (uint64_t)getpid()))
        || !stralloc_catb(name, "-", 1)
        || !stralloc_catb(name, fmt, uint64_fmt(fmt, counter++))
        || !stralloc_catb(name, "-", 1)
        || !stralloc_catb(name, fmt, uint64_xfmt(fmt, clockns_mono()))
        || !stralloc_0(name))
      return -1;
    name->len--;
    if (mkfifo(name->s, 0600) == 0)
      break;
    if (errno != EEXIST || tries >= 100)
      return -1;
  }
  fd = open(name->s, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1)
  {
    int e = errno;
    unlink(name->s);
    errno = e;
    return -1;
  }
  return fd;
}
