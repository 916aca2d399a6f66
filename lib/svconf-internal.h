/* svconf-internal.h: helpers shared by the svconf_* functions */
#ifndef SVTREE_SVCONF_INTERNAL_H
#define SVTREE_SVCONF_INTERNAL_H

#include <stddef.h>

#define SVCONF_LINE_MAX 256

/* firstline: file's first line, blanks (space, tab, CR) stripped on both sides, into s
   (SVCONF_LINE_MAX bytes), null-terminated. 1 ok; 0 absent (ENOENT); -1 unreadable,
   or a first line too long to be a value (EINVAL). */
extern int svconf_firstline (char const *file, char *s);

#endif
