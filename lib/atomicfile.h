/* SPDX-License-Identifier: ISC */
/* atomicfile.h: replacing a small file so that readers see the old text or the new one */
#ifndef SVTREE_ATOMICFILE_H
#define SVTREE_ATOMICFILE_H

#include <stddef.h>

/* write: n bytes of s to fn.new, then rename it to fn. fn.new is removed first and
   created with O_EXCL|O_NOFOLLOW, mode 0644 (less the umask): whatever was there, a
   leftover or a symbolic link planted by someone else, is never opened or followed.
   1 ok; 0 errno (fn.new is not left behind). */
extern int atomicfile_write (char const *fn, char const *s, size_t n);

#endif
