/* SPDX-License-Identifier: ISC */

#include <string.h>

#include <skalibs/bytestr.h>

#include "logconf.h"

static int
number (char const *s, size_t n, uint64_t *u)
{
  uint64_t x = 0;
  size_t i;
  if (!n || n > 19)
    return 0;
  for (i = 0; i < n; i++)
  {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    x = x * 10 + (uint64_t)(s[i] - '0');
  }
  *u = x;
  return 1;
}

 /* one line's value, null-terminated, into text; its offset in *off */
static int
keep (logconf *c, char const *s, size_t n, size_t *off)
{
  *off = c->text.len;
  return stralloc_catb(&c->text, s, n) && stralloc_0(&c->text);
}

static void
bad (logconf *c, unsigned int line)
{
  if (!c->bad++)
    c->badline = line;
}

int
logconf_parse (logconf *c, char const *buf, size_t len)
{
  size_t pos = 0;
  unsigned int line = 0;
  c->hassize = c->hasnum = c->hasnmin = c->hasage = c->hasproc = c->haspre = 0;
  c->npat = c->nsel = c->nerr = c->bad = c->badline = 0;
  c->text.len = 0;
  while (pos < len)
  {
    size_t n = byte_chr(buf + pos, len - pos, '\n');
    char const *s = buf + pos;
    size_t v = byte_chr(s, n, 0);  /* the value ends at a NUL */
    uint64_t u;
    pos += n + (pos + n < len);
    line++;
    if (!v || s[0] == '#')
      continue;
    switch (s[0])
    {
      case 's':
        if (number(s + 1, v - 1, &u)) { c->size = u; c->hassize = 1; }
        else bad(c, line);
        break;
      case 'n':
      case 'N':
      case 't':
        if (number(s + 1, v - 1, &u) && u <= 0xffffffffu)
        {
          if (s[0] == 'n') { c->num = (unsigned int)u; c->hasnum = 1; }
          else if (s[0] == 'N') { c->nmin = (unsigned int)u; c->hasnmin = 1; }
          else { c->age = (unsigned int)u; c->hasage = 1; }
        }
        else bad(c, line);
        break;
      case '!':
        if (v < 2) { bad(c, line); break; }
        if (!keep(c, s + 1, v - 1, &c->proc)) return 0;
        c->hasproc = 1;
        break;
      case 'p':
        if (!keep(c, s + 1, v - 1, &c->pre)) return 0;
        c->haspre = 1;
        break;
      case '+':
      case '-':
      case 'e':
      case 'E':
        if (c->npat >= LOGCONF_PATMAX) { bad(c, line); break; }
        if (!keep(c, s + 1, v - 1, &c->pat[c->npat].off)) return 0;
        c->pat[c->npat++].op = s[0];
        if (s[0] == '+' || s[0] == '-') c->nsel++;
        else c->nerr++;
        break;
      default:
        bad(c, line);
    }
  }
  return 1;
}
