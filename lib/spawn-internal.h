/* SPDX-License-Identifier: ISC */
/* spawn-internal.h: the dup2 order of spawn_run */
#ifndef SVTREE_SPAWN_INTERNAL_H
#define SVTREE_SPAWN_INTERNAL_H

/* an order for n dup2s (from[i] -> to[i]) in which no source is overwritten before it
   is used, into out; 0 if there is none (a swap) */
extern int spawn_order (int const *from, int const *to, unsigned int n, unsigned int *out);

#endif
