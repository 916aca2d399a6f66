/* SPDX-License-Identifier: ISC */
/* svlog/svlog-err.c: copies and warnings to stderr that never block svlog.
   fd 2 is shared with svscan and every service: setting O_NONBLOCK on it would change
   it for all of them. A pipe, FIFO or terminal is opened again through /proc/self/fd/2,
   which gives svlog its own open file description to make non-blocking; a socket is
   written with MSG_DONTWAIT; a regular file never blocks; otherwise poll(0) says
   whether a PIPE_BUF write fits. What stderr cannot take is dropped and counted. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <skalibs/stralloc.h>
#include <skalibs/types.h>

#include "svlog.h"

enum { ERR_PLAIN, ERR_OWN, ERR_SOCKET, ERR_POLL };

static int errmode = ERR_PLAIN;
static int errfd = 2;
static stralloc pend = STRALLOC_ZERO;   /* the rest of a line written in part */
static uint64_t lostlines, lostbytes;

void
err_setup (void)
{
  struct stat st;
  if (fstat(2, &st) == -1 || S_ISREG(st.st_mode))
    return;
  if (S_ISSOCK(st.st_mode))
  {
    errmode = ERR_SOCKET;
    return;
  }
  errfd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (errfd >= 0)
    errmode = ERR_OWN;
  else
  {
    errfd = 2;
    errmode = ERR_POLL;
  }
}

static ssize_t
raw (char const *s, size_t n)
{
  ssize_t r;
  switch (errmode)
  {
    case ERR_SOCKET:
      do r = send(2, s, n, MSG_DONTWAIT | MSG_NOSIGNAL);
      while (r == -1 && errno == EINTR);
      if (r == -1 && errno == ENOTSOCK)
      {
        errmode = ERR_POLL;
        return raw(s, n);
      }
      return r;
    case ERR_POLL:
    {
      struct pollfd p = { .fd = 2, .events = POLLOUT, .revents = 0 };
      if (poll(&p, 1, 0) != 1 || !(p.revents & POLLOUT))
        return (errno = EAGAIN, -1);
      if (n > PIPE_BUF)
        n = PIPE_BUF;
    }
    /* fallthrough */
    default:
      do r = write(errfd, s, n);
      while (r == -1 && errno == EINTR);
      return r;
  }
}

 /* writes what it can of s; the rest of a line cut short goes to pend, later lines are
    counted as dropped. 1 all written. */
static int
put (char const *s, size_t n)
{
  size_t w = 0;
  while (w < n)
  {
    ssize_t r = raw(s + w, n - w);
    if (r <= 0)
      break;
    w += (size_t)r;
  }
  if (w == n)
    return 1;
  if (w && s[w - 1] != '\n')
  {
    char const *e = memchr(s + w, '\n', n - w);
    size_t k = (size_t)(e - (s + w)) + 1;
    if (!stralloc_catb(&pend, s + w, k))
      pend.len = 0;
    w += k;
  }
  for (size_t i = w; i < n; i++)
    if (s[i] == '\n')
      lostlines++;
  lostbytes += n - w;
  return 0;
}

static int
put_lost (void)
{
  char line[128];
  size_t n = svlog_stampnow(line);
  memcpy(line + n, "svlog: ", 7);
  n += 7;
  n += uint64_fmt(line + n, lostlines);
  memcpy(line + n, " lines (", 8);
  n += 8;
  n += uint64_fmt(line + n, lostbytes);
  memcpy(line + n, " bytes) not copied to stderr\n", 29);
  n += 29;
  uint64_t ll = lostlines, lb = lostbytes;
  lostlines = lostbytes = 0;
  if (put(line, n))
    return 1;
  if (pend.len)
    return 0;
   /* not a byte of it went: the count stands */
  lostlines = ll;
  lostbytes = lb;
  return 0;
}

void
err_put (char const *s, size_t n)
{
  if (!n)
    return;
  if (pend.len || ((lostlines || lostbytes) && !put_lost()))
  {
    for (size_t i = 0; i < n; i++)
      if (s[i] == '\n')
        lostlines++;
    lostbytes += n;
    return;
  }
  put(s, n);
}

int
err_pollfd (void)
{
  return pend.len ? errfd : -1;
}

void
err_ready (void)
{
  ssize_t r;
  if (!pend.len)
    return;
  r = raw(pend.s, pend.len);
  if (r <= 0)
    return;
  memmove(pend.s, pend.s + r, pend.len - (size_t)r);
  pend.len -= (size_t)r;
  if (!pend.len && (lostlines || lostbytes))
    put_lost();
}

void
err_final (void)
{
  if (pend.len)
    err_ready();
  if (!pend.len && (lostlines || lostbytes))
    put_lost();
}

void
svlog_warn (char const *const *s, unsigned int n)
{
  char line[1024];
  size_t len = 0;
  for (unsigned int i = 0; i < n; i++)
  {
    size_t k = strlen(s[i]);
    if (k > sizeof line - 1 - len)
      k = sizeof line - 1 - len;
    memcpy(line + len, s[i], k);
    len += k;
  }
  line[len++] = '\n';
  err_put(line, len);
}
