/* SPDX-License-Identifier: ISC */
/* fifodir.h: SERVICE/event/, an s6-style fifodir.
   Events (one byte each): s supervise started, u run spawned, U ready, d run died,
   D down (finish done), b backoff started, x supervise exiting. */
#ifndef SVTREE_FIFODIR_H
#define SVTREE_FIFODIR_H

#include <stddef.h>
#include <skalibs/stralloc.h>

/* make: mkdir path (mode 0700) if missing; 1 ok, 0 errno. */
extern int fifodir_make (char const *path);

/* notify: write s to every FIFO in path, each opened O_WRONLY|O_NONBLOCK: a FIFO with
   no reader (ENXIO) or a full one (EAGAIN) is skipped, never waited for; a FIFO with no
   reader whose name says it was made by fifodir_subscribe is removed if older than
   a minute (a client that died). Returns the number of FIFOs written to; -1 if path
   cannot be opened, or if some FIFO could not be opened for lack of fds or memory
   (errno EMFILE, ENFILE, ENOMEM: the others were written to; call again later). */
extern int fifodir_notify (char const *path, char const *s, size_t n);

/* subscribe: create a FIFO path/ftrig-PID-COUNTER (mode 0600) and open it O_RDWR|O_NONBLOCK
   (so that poll never reports a hangup), close-on-exec. Its full name goes to *name
   (null-terminated, replacing the content). Returns the fd, -1 with errno. */
extern int fifodir_subscribe (char const *path, stralloc *name);

/* unsubscribe: close fd and unlink name. */
extern void fifodir_unsubscribe (int fd, char const *name);

#endif
