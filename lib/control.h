/* control.h: writing commands to a supervisor's control FIFO */
#ifndef SVTREE_CONTROL_H
#define SVTREE_CONTROL_H

#include <stddef.h>

/* sdir is a supervise directory; writes s (n bytes) to sdir/control without blocking.
   1 sent; 0 no supervisor listening (ENXIO, or ENOENT: no control FIFO; errno kept);
   -1 other error, errno set (EACCES, EAGAIN when the FIFO is full...). */
extern int control_send (char const *sdir, char const *s, size_t n);

#endif
