/* SPDX-License-Identifier: ISC */

#include <skalibs/stralloc.h>

#include "logconf.h"

void
logconf_free (logconf *c)
{
  stralloc_free(&c->text);
}
