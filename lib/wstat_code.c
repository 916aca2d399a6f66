/* SPDX-License-Identifier: ISC */

#include <sys/wait.h>

#include "wstat.h"

int
wstat_code (int wstat)
{
  if (WIFEXITED(wstat))
    return WEXITSTATUS(wstat);
  if (WIFSIGNALED(wstat))
    return 128 + WTERMSIG(wstat);
  return 255;
}
