/* SPDX-License-Identifier: ISC */
/* ISC license. */

#include <skalibs/stralloc.h>

#include "logconf.h"

void
logconf_free (logconf *c)
{
  stralloc_free(&c->text);
}
