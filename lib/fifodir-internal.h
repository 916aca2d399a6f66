/* SPDX-License-Identifier: ISC */
/* fifodir-internal.h: what fifodir_subscribe and fifodir_notify agree on */
#ifndef SVTREE_FIFODIR_INTERNAL_H
#define SVTREE_FIFODIR_INTERNAL_H

#define FIFODIR_PREFIX "ftrig-"
#define FIFODIR_PREFIX_LEN 6
#define FIFODIR_STALE_SEC 60

#endif
