/* SPDX-License-Identifier: ISC */
/* backoff.h: the restart delay after consecutive failed starts (SPEC 2) */
#ifndef SVTREE_BACKOFF_H
#define SVTREE_BACKOFF_H

#include <stdint.h>

#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 30000

/* ms to wait before the next start after `failures` consecutive failed starts:
   0 for 0, 1000 for 1, 2000 for 2, 4000 for 3 ..., never more than max (nor overflowing). */
extern uint32_t backoff_ms (uint64_t failures, uint32_t max);

#endif
