/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "statefile.h"

 /* dir/.name.k, opened for writing, never through a link */
static int openhidden (char *fn, char *p, char const *name, size_t nlen, unsigned int k)
{
  int fd;
  *p = '.';
  memcpy(p + 1, name, nlen);
  p[1 + nlen] = '.';
  p[2 + nlen] = '0' + k;
  p[3 + nlen] = 0;
  fd = open(fn, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd == -1 && errno != ELOOP) return -1;
  if (fd >= 0)
  {
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink <= 2) return fd;
    close(fd);
  }
   /* something else than our file: replace it */
  if (unlink(fn) == -1 && errno != ENOENT) return -1;
  return open(fn, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
}

int
statefile_write (statefile *sf, char const *dir, char const *name, char const *s, size_t n)
{
  size_t dlen = strlen(dir), nlen = strlen(name);
  char fn[dlen + nlen + 8];
  char tmp[dlen + nlen + 8];
  char *p = fn + dlen + 1;
  unsigned int k;
  memcpy(fn, dir, dlen);
  fn[dlen] = '/';
  if (sf->cur == 3)
  {
     /* which of ours, if any, the name points to now (after a restart of the supervisor) */
    struct stat st;
    memcpy(p, name, nlen + 1);
    sf->cur = 2;
    if (stat(fn, &st) == 0)
      for (k = 0; k < 2; k++)
      {
        struct stat h;
        int fd = sf->fd[k] >= 0 ? sf->fd[k] : (sf->fd[k] = openhidden(fn, p, name, nlen, k));
        if (fd >= 0 && fstat(fd, &h) == 0 && h.st_ino == st.st_ino && h.st_dev == st.st_dev) sf->cur = k;
      }
  }
  k = !n ? 2 : sf->cur == 0 ? 1 : 0;
  if (sf->fd[k] < 0)
  {
    sf->fd[k] = openhidden(fn, p, name, nlen, k);
    if (sf->fd[k] < 0) return 0;
    sf->size[k] = -1;
  }
  if (n)
  {
    ssize_t r = pwrite(sf->fd[k], s, n, 0);
    if (r < 0) return 0;
    if ((size_t)r < n) return (errno = ENOSPC, 0);
  }
  if (sf->size[k] != (off_t)n)
  {
    if (ftruncate(sf->fd[k], (off_t)n) == -1) return 0;
    sf->size[k] = (off_t)n;
  }
   /* link it as name.new, then rename that over name */
  p[0] = '.';
  memcpy(p + 1, name, nlen);
  p[1 + nlen] = '.';
  p[2 + nlen] = '0' + k;
  p[3 + nlen] = 0;
  memcpy(tmp, fn, dlen + 1);
  memcpy(tmp + dlen + 1, name, nlen);
  memcpy(tmp + dlen + 1 + nlen, ".new", 5);
  if (link(fn, tmp) == -1)
  {
    if (errno != EEXIST || unlink(tmp) == -1 || link(fn, tmp) == -1) return 0;
  }
  memcpy(p, name, nlen + 1);
  if (rename(tmp, fn) == -1)
  {
    int e = errno;
    unlink(tmp);
    errno = e;
    return 0;
  }
  sf->cur = k;
  return 1;
}
