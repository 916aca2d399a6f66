/* SPDX-License-Identifier: ISC */
/* svimp_split.c: shlex.split(s) (posix=True, whitespace_split=True, commenters=''),
   the split supervisord applies to command */

#include <skalibs/stralloc.h>

#include "svimp.h"

#define WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

int svimp_split (stralloc *out, size_t *n, char const *s, char const **msg)
{
  char state = ' ', esc = ' ';
  int quoted = 0, intoken = 0;
  *n = 0;
  for (;; s++)
  {
    char c = *s;
    if (state == ' ' || state == 'a')
    {
      if (!c || WS(c))
      {
        if (state == 'a' || quoted)
        {
          if (!stralloc_0(out)) return -1;
          ++*n;
        }
        state = ' ';
        quoted = intoken = 0;
        if (!c) return 1;
        continue;
      }
      if (c == '\\') { esc = 'a'; state = '\\'; intoken = 1; continue; }
      if (c == '\'' || c == '"') { state = c; intoken = 1; continue; }
      if (!stralloc_catb(out, &c, 1)) return -1;
      state = 'a';
      intoken = 1;
    }
    else if (state == '\'' || state == '"')
    {
      quoted = 1;
      if (!c) { *msg = "No closing quotation"; return 0; }
      if (c == state) { state = 'a'; continue; }
      if (c == '\\' && state == '"') { esc = state; state = '\\'; continue; }
      if (c == SVIMP_REF) c = SVIMP_QREF;
      if (!stralloc_catb(out, &c, 1)) return -1;
    }
    else  /* escape */
    {
      if (!c) { *msg = "No escaped character"; return 0; }
      if (c == SVIMP_REF) { *msg = "a backslash before an environment reference"; return 0; }
      if ((esc == '\'' || esc == '"') && c != '\\' && c != esc)
        if (!stralloc_catb(out, "\\", 1)) return -1;
      if (!stralloc_catb(out, &c, 1)) return -1;
      state = esc;
    }
  }
}
