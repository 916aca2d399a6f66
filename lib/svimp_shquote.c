/* SPDX-License-Identifier: ISC */
/* svimp_shquote.c: a word for sh, with environment references as ${NAME?} */

#include <string.h>

#include <skalibs/stralloc.h>

#include "svimp.h"

static int safe (unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("_@%+=:,./-", c));
}

/* literal bytes [s, s+n) for sh: bare when every byte is safe, else in single quotes */
static int lit (stralloc *sa, char const *s, size_t n, int bare_ok)
{
  size_t i;
  int bare = bare_ok && n > 0;
  for (i = 0; i < n && bare; i++) if (!safe((unsigned char)s[i])) bare = 0;
  if (bare) return stralloc_catb(sa, s, n);
  if (!stralloc_catb(sa, "'", 1)) return 0;
  for (i = 0; i < n; i++)
    if (s[i] == '\'' ? !stralloc_cats(sa, "'\\''") : !stralloc_catb(sa, s + i, 1)) return 0;
  return stralloc_catb(sa, "'", 1);
}

static int quote (stralloc *sa, char const *w, int allq)
{
  size_t len = strlen(w);
  int hasref = !!memchr(w, SVIMP_REF, len) || !!memchr(w, SVIMP_QREF, len);
  if (!hasref) return lit(sa, w, len, 1);
  while (*w)
  {
    size_t n = 0;
    while (w[n] && w[n] != SVIMP_REF && w[n] != SVIMP_QREF) n++;
    if (n && !lit(sa, w, n, 0)) return 0;
    w += n;
    if (*w)
    {
      int q = allq || *w == SVIMP_QREF;
      char const *e = strchr(w, SVIMP_REFEND);
      if (!e) e = w + strlen(w);
      if (!stralloc_cats(sa, q ? "\"${" : "${") || !stralloc_catb(sa, w + 1, e - w - 1) || !stralloc_cats(sa, q ? "?}\"" : "?}")) return 0;
      w = *e ? e + 1 : e;
    }
  }
  return 1;
}

int svimp_shquote (stralloc *sa, char const *word)
{
  return quote(sa, word, 0);
}

int svimp_shquote_all (stralloc *sa, char const *word)
{
  return quote(sa, word, 1);
}
