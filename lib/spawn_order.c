/* SPDX-License-Identifier: ISC */

#include "spawn-internal.h"

/* order the dup2s so that no source is overwritten before it is used */
int
spawn_order (int const *from, int const *to, unsigned int n, unsigned int *out)
{
  unsigned char done[3] = { 0, 0, 0 };
  unsigned int k = 0;
  while (k < n)
  {
    unsigned int i = 0, j;
    for (; i < n; i++)
    {
      if (done[i])
        continue;
      for (j = 0; j < n; j++)
        if (j != i && !done[j] && from[j] == to[i] && from[j] != to[j])
          break;
      if (j == n)
        break;
    }
    if (i == n)
      return 0;
    done[i] = 1;
    out[k++] = i;
  }
  return 1;
}
