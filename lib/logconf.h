/* SPDX-License-Identifier: ISC */
/* logconf.h: a log directory's config, as svlogd reads it (SPEC 8) */
#ifndef SVTREE_LOGCONF_H
#define SVTREE_LOGCONF_H

#include <stddef.h>
#include <stdint.h>

#include <skalibs/stralloc.h>

#define LOGCONF_PATMAX 64

 /* a pattern line: op is '+', '-', 'e' or 'E'; the pattern is text.s + off */
typedef struct logconf_pat_s logconf_pat;
struct logconf_pat_s
{
  char op;
  size_t off;
};

 /* what a config sets: each has* is 1 when its line was there. Strings are offsets
    into text (null-terminated). bad counts the lines that were not understood (an
    unknown directive, a bad number, u/U, too many patterns); badline is the first (1-based). */
typedef struct logconf_s logconf;
struct logconf_s
{
  uint64_t size;
  unsigned int num, nmin, age;
  unsigned char hassize, hasnum, hasnmin, hasage, hasproc, haspre;
  size_t proc, pre;
  logconf_pat pat[LOGCONF_PATMAX];
  unsigned int npat, nsel, nerr;  /* all patterns; of them +/- ; of them e/E */
  unsigned int bad, badline;
  stralloc text;
};
#define LOGCONF_ZERO { .hassize = 0, .npat = 0, .bad = 0, .text = STRALLOC_ZERO }

/* parse: the config's contents (len bytes, any bytes) into *c, which it resets first
   (c->text is reused). Lines are svlogd's: empty or '#' ignored; s SIZE, n NUM, N MIN,
   t SEC, !PROCESSOR, pPREFIX, +-eE PATTERN; a NUL ends a line's value. 1 ok; 0 out of
   memory (errno). */
extern int logconf_parse (logconf *c, char const *buf, size_t len);

/* free: what parse allocated */
extern void logconf_free (logconf *c);

#endif
