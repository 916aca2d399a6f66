/* SPDX-License-Identifier: ISC */
/* clockns.h: clocks as nanoseconds */
#ifndef SVTREE_CLOCKNS_H
#define SVTREE_CLOCKNS_H

#include <stdint.h>

extern uint64_t clockns_real (void);   /* CLOCK_REALTIME: unix ns */
extern uint64_t clockns_mono (void);   /* CLOCK_MONOTONIC */

#endif
