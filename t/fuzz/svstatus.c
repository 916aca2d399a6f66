/* SPDX-License-Identifier: ISC */
/* t/fuzz/svstatus.c: supervise/status bytes (runit's 20), unpacked as svctl does, and
   the stat line formatted from them; packing gives the same bytes back */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <skalibs/uint64.h>

#include "svstatus.h"

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size);

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  svstatus st;
  char s[SVSTATUS_SIZE], line[SVSTATUS_STAT_MAX];
  uint64_t tai;
  size_t n;
  if (size != SVSTATUS_SIZE)
    return 0;
  svstatus_unpack((char const *)data, &st);
  n = svstatus_fmt_stat(line, &st);
  if (!n || n > SVSTATUS_STAT_MAX || line[n - 1] != '\n' || memchr(line, '\n', n - 1))
    abort();
  st.wantexit = 1;
  n = svstatus_fmt_stat(line, &st);
  if (!n || n > SVSTATUS_STAT_MAX)
    abort();
  uint64_unpack_big((char const *)data, &tai);
  svstatus_pack(s, &st);
  if (tai >= SVSTATUS_TAI_BASE ? memcmp(s, data, SVSTATUS_SIZE) : memcmp(s + 8, data + 8, SVSTATUS_SIZE - 8))
    abort();
  return 0;
}
