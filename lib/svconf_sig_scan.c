/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <string.h>

#include <skalibs/nsig.h>
#include <skalibs/sig.h>

#include "svconf.h"

/* skalibs' sig0_scan takes TERM, SIGTERM, term and numbers, but any number: check the range */
int
svconf_sig_scan (char const *s, int *sig)
{
  int x;
  if (!s[0] || sig0_scan(s, &x) != strlen(s) || x <= 0 || x >= SKALIBS_NSIG)
    return (errno = EINVAL, -1);
  *sig = x;
  return 1;
}
