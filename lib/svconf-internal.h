/* SPDX-License-Identifier: ISC */
/* svconf-internal.h: helpers shared by the svconf_* functions */
#ifndef SVTREE_SVCONF_INTERNAL_H
#define SVTREE_SVCONF_INTERNAL_H

#include <stddef.h>

#define SVCONF_LINE_MAX 256

/* line: the first line of buf (len bytes, the start of a file), blanks (space, tab, CR)
   stripped on both sides, into s (SVCONF_LINE_MAX bytes), null-terminated. 1 ok; -1 a
   first line too long to be a value (no newline in SVCONF_LINE_MAX bytes) or holding a
   NUL (EINVAL). Pure. */
extern int svconf_line (char const *buf, size_t len, char *s);

/* firstline: svconf_line of file's first SVCONF_LINE_MAX bytes. 1 ok; 0 absent
   (ENOENT); -1 unreadable, or EINVAL as above. */
extern int svconf_firstline (char const *file, char *s);

#endif
