/* SPDX-License-Identifier: ISC */

#include <skalibs/djbunix.h>

#include "statefile.h"

void
statefile_close (statefile *sf)
{
  unsigned int k = 0;
  for (; k < 3; k++)
    if (sf->fd[k] >= 0)
    {
      fd_close(sf->fd[k]);
      sf->fd[k] = -1;
    }
  sf->cur = 3;
}
