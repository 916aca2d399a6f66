/* SPDX-License-Identifier: ISC */

#include <stdint.h>

#include <skalibs/uint32.h>
#include <skalibs/uint64.h>

#include "svstatus.h"

void
svstatus_unpack (char const *s, svstatus *st)
{
  uint64_t tai;
  uint32_t u;
  uint64_unpack_big(s, &tai);
  st->sec = tai >= SVSTATUS_TAI_BASE ? tai - SVSTATUS_TAI_BASE : 0;
  uint32_unpack_big(s + 8, &st->nsec);
  uint32_unpack(s + 12, &u);
  st->pid = (pid_t)u;
  st->paused = (unsigned char)s[16];
  st->want = s[17];
  st->termsent = (unsigned char)s[18];
  st->state = (unsigned char)s[19];
  st->wantexit = 0;
}
