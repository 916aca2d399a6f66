/* SPDX-License-Identifier: ISC */

#include <stdint.h>
#include <time.h>

#include "clockns.h"

uint64_t
clockns_mono (void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
