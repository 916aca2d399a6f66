/* SPDX-License-Identifier: ISC */

#include <string.h>

#include <skalibs/nsig.h>
#include <skalibs/sig.h>
#include <skalibs/types.h>

#include "wstat.h"

/* s is not null-terminated: copy what follows the word before scanning */
int
wstat_scan (char const *s, size_t len, int *wstat)
{
  char buf[WSTAT_FMT_MAX];
  unsigned int u;
  size_t n;
  if (len > 5 && !memcmp(s, "exit ", 5))
  {
    n = len - 5;
    if (n >= sizeof buf)
      return 0;
    memcpy(buf, s + 5, n);
    buf[n] = 0;
    if (uint0_scan(buf, &u) != n || u > 255)
      return 0;
    *wstat = (int)(u << 8);
    return 1;
  }
  if (len > 7 && !memcmp(s, "signal ", 7))
  {
    int sig;
    n = len - 7;
    if (n >= sizeof buf)
      return 0;
    memcpy(buf, s + 7, n);
    buf[n] = 0;
    if (sig0_scan(buf, &sig) != n || sig <= 0 || sig >= SKALIBS_NSIG || sig == 0x7f)
      return 0;
    *wstat = sig;
    return 1;
  }
  return 0;
}
