/* SPDX-License-Identifier: ISC */
/* svimp_space.c: Python's str.isspace and strip() on UTF-8 */

#include <string.h>

#include "svimp.h"

size_t svimp_space (char const *s, size_t n)
{
  unsigned char const *u = (unsigned char const *)s;
  if (!n) return 0;
  if ((u[0] >= 0x09 && u[0] <= 0x0d) || (u[0] >= 0x1c && u[0] <= 0x20)) return 1;
  if (n >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0)) return 2;
  if (n < 3) return 0;
  if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) return 3;                     /* U+1680 */
  if (u[0] == 0xe2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf))
    return 3;                                                                       /* U+2000-200A, 2028, 2029, 202F */
  if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) return 3;                     /* U+205F */
  if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) return 3;                     /* U+3000 */
  return 0;
}

char *svimp_strip (char *s)
{
  size_t n = strlen(s), k;
  while ((k = svimp_space(s, n)))
  {
    s += k;
    n -= k;
  }
  /* trailing: walk forward, remembering where the last run of space began */
  {
    size_t i = 0, last = 0;
    while (i < n)
    {
      k = svimp_space(s + i, n - i);
      if (k) i += k;
      else
      {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80) i++;
        last = i;
      }
    }
    s[last] = 0;
  }
  return s;
}
