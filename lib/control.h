/* SPDX-License-Identifier: ISC */
/* control.h: writing commands to a supervisor's control FIFO */
#ifndef SVTREE_CONTROL_H
#define SVTREE_CONTROL_H

#include <stddef.h>

/* sdir is a supervise directory; writes s (n bytes) to sdir/control without blocking.
   1 sent; 0 no supervisor listening (ENXIO, or ENOENT: no control FIFO; errno kept);
   -1 other error, errno set (EACCES, EAGAIN when the FIFO is full...). */
extern int control_send (char const *sdir, char const *s, size_t n);

/* what a control byte asks (SPEC 3, runit's set) */
#define CONTROL_IGNORED 0       /* any byte not below */
#define CONTROL_UP 1            /* u */
#define CONTROL_DOWN 2          /* d */
#define CONTROL_ONCE 3          /* o */
#define CONTROL_EXIT 4          /* x */
#define CONTROL_SIGNAL 5        /* p STOP, c CONT, h HUP, a ALRM, i INT, q QUIT, 1 USR1, 2 USR2, t TERM, k KILL */

/* decode: one of the above; for CONTROL_SIGNAL, the signal goes to *sig. Pure. */
extern int control_decode (char c, int *sig);

#endif
