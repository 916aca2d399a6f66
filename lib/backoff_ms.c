/* SPDX-License-Identifier: ISC */

#include <stdint.h>

#include "backoff.h"

uint32_t
backoff_ms (uint64_t failures, uint32_t max)
{
  uint64_t d;
  if (!failures)
    return 0;
  if (failures > 32)  /* 1000 << 32 is already beyond any uint32_t */
    return max;
  d = (uint64_t)BACKOFF_FIRST_MS << (failures - 1);
  return d < max ? (uint32_t)d : max;
}
