/* SPDX-License-Identifier: ISC */
/* statefile.h: a small file that a supervisor rewrites on every state change.
   Replacing a file with a fresh one (write a new inode, rename it over the name) makes
   ext4 allocate and flush a data block each time (its replace-by-rename safety), which
   costs from 0.2 to several ms. Here each name alternates between two inodes of its own,
   kept as hidden links (.NAME.0, .NAME.1, and .NAME.2 for an empty text): the one the
   name does not point to is rewritten in place (its block is already allocated), linked
   as NAME.new and renamed over NAME. A reader that opens NAME gets a complete record; it
   sees a changing one only if it keeps the file open across two later changes. */
#ifndef SVTREE_STATEFILE_H
#define SVTREE_STATEFILE_H

#include <stddef.h>
#include <sys/types.h>

typedef struct statefile_s statefile;
struct statefile_s
{
  int fd[3];
  off_t size[3];
  unsigned char cur;  /* the inode the name points to: 0, 1, 2, or 3 not known yet */
};
#define STATEFILE_ZERO { .fd = { -1, -1, -1 }, .size = { -1, -1, -1 }, .cur = 3 }

/* write: make dir/name hold the n bytes of s (n may be 0). The hidden files are opened
   (created, mode 0644) on first use with O_NOFOLLOW: a link planted in their place is
   removed, never followed; so is a planted dir/name.new. 1 ok; 0 errno. */
extern int statefile_write (statefile *, char const *dir, char const *name, char const *s, size_t n);

/* close: the fds (the files stay) */
extern void statefile_close (statefile *);

#endif
