/* SPDX-License-Identifier: ISC */

#include <stdint.h>

#include <skalibs/uint32.h>
#include <skalibs/uint64.h>

#include "svstatus.h"

void
svstatus_pack (char *s, svstatus const *st)
{
  uint64_pack_big(s, SVSTATUS_TAI_BASE + st->sec);
  uint32_pack_big(s + 8, st->nsec);
  uint32_pack(s + 12, (uint32_t)st->pid);  /* little-endian, as runsv writes it */
  s[16] = (char)st->paused;
  s[17] = st->want;
  s[18] = (char)st->termsent;
  s[19] = (char)st->state;
}
