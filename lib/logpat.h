/* SPDX-License-Identifier: ISC */
/* logpat.h: svlogd's patterns (config lines + - e E): not regular expressions */
#ifndef SVTREE_LOGPAT_H
#define SVTREE_LOGPAT_H

#include <stddef.h>

/* match: 1 if pattern (null-terminated) matches all of s (len bytes), else 0. As svlogd:
   a character other than '*' and '+' matches itself; '+' matches the next pattern
   character one or more times; '*' at the end matches anything; '*' before another
   character c matches any string without c (no backtracking). Pure. */
extern int logpat_match (char const *pattern, char const *s, size_t len);

#endif
