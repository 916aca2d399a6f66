/* SPDX-License-Identifier: ISC */
/* wstat.h: words for wait statuses */
#ifndef SVTREE_WSTAT_H
#define SVTREE_WSTAT_H

#include <stddef.h>

#define WSTAT_FMT_MAX 32

/* "exit 3" or "signal KILL" (signal name without SIG; the number if it has no name);
   s has WSTAT_FMT_MAX bytes; returns the length, no terminating null. */
extern size_t wstat_fmt (char *s, int wstat);

/* parse "exit N" / "signal NAME": 1 ok, 0 malformed. */
extern int wstat_scan (char const *s, size_t len, int *wstat);

/* finish's two arguments (SPEC 2): code is the exit code or "-1" if killed by a signal,
   sig the signal number or "0". Each buffer has WSTAT_FMT_MAX bytes, null-terminated. */
extern void wstat_finish_args (int wstat, char *code, char *sig);

/* the shell's exit code: exit status, or 128 + signal */
extern int wstat_code (int wstat);

#endif
