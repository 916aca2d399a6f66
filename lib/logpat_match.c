/* SPDX-License-Identifier: ISC */

#include "logpat.h"

int
logpat_match (char const *p, char const *s, size_t len)
{
  size_t i = 0;
  while (*p)
  {
    if (*p == '*')
    {
      if (!p[1])
        return 1;
      while (i < len && s[i] != p[1])
        i++;
      p++;
    }
    else if (*p == '+')
    {
      char c = p[1];
      if (!c)
        return 0;
      if (i >= len || s[i] != c)
        return 0;
      while (i < len && s[i] == c)
        i++;
      p += 2;
    }
    else
    {
      if (i >= len || s[i] != *p)
        return 0;
      i++;
      p++;
    }
  }
  return i == len;
}
