/* SPDX-License-Identifier: ISC */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <skalibs/allreadwrite.h>

#include "fifodir.h"
#include "fifodir-internal.h"

/* A reader can close between our open and our write: that write gets EPIPE and raises
   SIGPIPE. Keep SIGPIPE blocked meanwhile and swallow the one we caused. */
int
fifodir_notify (char const *path, char const *s, size_t n)
{
  size_t plen = strlen(path);
  sigset_t pipeset, old, pending;
  int waspending, gotpipe = 0, count = 0, lack = 0;
  time_t now = time(0);
  DIR *dir = opendir(path);
  if (!dir)
    return -1;
  sigemptyset(&pipeset);
  sigaddset(&pipeset, SIGPIPE);
  sigprocmask(SIG_BLOCK, &pipeset, &old);
  sigpending(&pending);
  waspending = sigismember(&pending, SIGPIPE);
  for (;;)
  {
    struct dirent *d = readdir(dir);
    struct stat st;
    size_t nlen;
    ssize_t r;
    int fd;
    if (!d)
      break;
    if (d->d_name[0] == '.')
      continue;
    nlen = strlen(d->d_name);
    {
      char fn[plen + nlen + 2];
      memcpy(fn, path, plen);
      fn[plen] = '/';
      memcpy(fn + plen + 1, d->d_name, nlen + 1);
      if (lstat(fn, &st) == -1 || !S_ISFIFO(st.st_mode))
        continue;
      fd = open(fn, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd == -1)
      {
        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
          lack = errno;
        else if (errno == ENXIO && !strncmp(d->d_name, FIFODIR_PREFIX, FIFODIR_PREFIX_LEN) && now - st.st_mtime > FIFODIR_STALE_SEC)
          unlink(fn);
        continue;
      }
    }
    r = fd_write(fd, s, n);
    if (r >= 0 && (size_t)r == n)
      count++;
    else if (r == -1 && errno == EPIPE)
      gotpipe = 1;
    close(fd);
  }
  closedir(dir);
  if (gotpipe && !waspending)
  {
    struct timespec zero = { 0, 0 };
    sigtimedwait(&pipeset, 0, &zero);
  }
  sigprocmask(SIG_SETMASK, &old, 0);
  return lack ? (errno = lack, -1) : count;
}
