/* SPDX-License-Identifier: ISC */
/* lifelog.h: lifecycle lines on stderr, "PROG: NAME: EVENT: details" (SPEC 4) */
#ifndef SVTREE_LIFELOG_H
#define SVTREE_LIFELOG_H

extern int lifelog_quiet;   /* set by -q: lifelog writes nothing */

/* one line "PROG: name: event: v[0]v[1]...\n" (": details" left out when n == 0),
   written to fd 2 with a single write so that lines of several processes never mix.
   PROG is skalibs' (strerr.h). A line is cut at 4096 bytes. */
extern void lifelog_v (char const *name, char const *event, char const *const *v, unsigned int n);

#define lifelog(name, event, ...) \
  lifelog_v((name), (event), (char const *const[]){ __VA_ARGS__ }, sizeof((char const *const[]){ __VA_ARGS__ }) / sizeof(char const *))
#define lifelog0(name, event) lifelog_v((name), (event), 0, 0)

#endif
