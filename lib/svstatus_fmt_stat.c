/* SPDX-License-Identifier: ISC */

#include <string.h>

#include "svstatus.h"

size_t
svstatus_fmt_stat (char *s, svstatus const *st)
{
  size_t len = 0;
  char const *w;
  switch (st->state)
  {
    case SVSTATUS_RUN: w = "run"; break;
    case SVSTATUS_FINISH: w = "finish"; break;
    default: w = "down"; break;
  }
  memcpy(s, w, strlen(w));
  len += strlen(w);
  if (st->paused)
  {
    memcpy(s + len, ", paused", 8);
    len += 8;
  }
  if (st->termsent)
  {
    memcpy(s + len, ", got TERM", 10);
    len += 10;
  }
  if (st->state != SVSTATUS_DOWN)
  {
    if (st->wantexit)
    {
      memcpy(s + len, ", want exit", 11);
      len += 11;
    }
    else if (st->want == 'd')
    {
      memcpy(s + len, ", want down", 11);
      len += 11;
    }
  }
  s[len++] = '\n';
  return len;
}
