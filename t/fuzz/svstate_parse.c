/* SPDX-License-Identifier: ISC */
/* t/fuzz/svstate_parse.c: supervise/state text, as svctl and a new supervise read it.
   Whatever parses formats back to text that parses to the same thing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "svstate.h"

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size);

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  svstate st, again;
  char a[SVSTATE_FMT_MAX], b[SVSTATE_FMT_MAX];
  size_t na, nb;
  if (!svstate_parse((char const *)data, size, &st))
    return 0;
  if (st.state > SVSTATE_FAILED || st.want > SVSTATE_WANT_EXIT || st.pid < 0)
    abort();
  na = svstate_fmt(a, &st);
  if (na > SVSTATE_FMT_MAX || !svstate_parse(a, na, &again))
    abort();
  nb = svstate_fmt(b, &again);
  if (na != nb || memcmp(a, b, na))
    abort();
  return 0;
}
