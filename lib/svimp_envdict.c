/* SPDX-License-Identifier: ISC */
/* svimp_envdict.c: supervisord's dict_of_key_value_pairs: shlex.shlex(s) in its
   non-posix mode with wordchars += '/.+-():', then KEY = VALUE, one token between pairs */

#include <stdlib.h>
#include <string.h>

#include <skalibs/stralloc.h>

#include "svimp.h"

static int wordchar (unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
    || (c && strchr("/.+-():", c)) || c == SVIMP_REF || c == SVIMP_QREF || c == SVIMP_REFEND;
}

#define WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* the tokens, each NUL-terminated, into toks */
static int tokens (stralloc *toks, size_t *nt, char const *s, char const **msg)
{
  char state = ' ';
  *nt = 0;
  for (;;)
  {
    unsigned char c = *s;
    if (state == ' ')
    {
      if (!c) return 1;
      if (WS(c)) { s++; continue; }
      if (c == '#') { while (*s && *s != '\n') s++; if (*s) s++; continue; }
      if (wordchar(c) || c == '\'' || c == '"')
      {
        if (!stralloc_catb(toks, (char *)&c, 1)) return -1;
        state = wordchar(c) ? 'a' : (char)c;
        s++;
        continue;
      }
      {
        size_t k = 1;
        if (c >= 0x80) while (((unsigned char)s[k] & 0xc0) == 0x80) k++;
        if (!stralloc_catb(toks, s, k) || !stralloc_0(toks)) return -1;
        ++*nt;
        s += k;
      }
    }
    else if (state == 'a')
    {
      if (!c || WS(c))
      {
        if (!stralloc_0(toks)) return -1;
        ++*nt;
        state = ' ';
        if (!c) return 1;
        s++;
        continue;
      }
      if (c == '#') { while (*s && *s != '\n') s++; if (*s) s++; continue; }
      if (wordchar(c) || c == '\'' || c == '"')
      {
        if (!stralloc_catb(toks, (char *)&c, 1)) return -1;
        s++;
        continue;
      }
      if (!stralloc_0(toks)) return -1;  /* c is read again as a token of its own */
      ++*nt;
      state = ' ';
    }
    else
    {
      if (!c) { *msg = "No closing quotation"; return 0; }
      if (!stralloc_catb(toks, (char *)&c, 1)) return -1;
      s++;
      if (c == (unsigned char)state)
      {
        if (!stralloc_0(toks)) return -1;
        ++*nt;
        state = ' ';
      }
    }
  }
}

int svimp_envdict (stralloc *out, size_t *n, char const *s, char const **msg)
{
  stralloc toks = STRALLOC_ZERO;
  size_t nt, i, pos = 0;
  char const **tok;
  int r = tokens(&toks, &nt, s, msg);
  *n = 0;
  if (r <= 0) { stralloc_free(&toks); return r; }
  tok = malloc((nt + 1) * sizeof *tok);
  if (!tok) { stralloc_free(&toks); return -1; }
  for (i = 0; i < nt; i++)
  {
    tok[i] = toks.s + pos;
    pos += strlen(toks.s + pos) + 1;
  }
  r = 1;
  for (i = 0; i < nt; i += 4)
  {
    char const *k, *v;
    size_t vl, j, p2;
    if (i + 3 > nt || strcmp(tok[i + 1], "="))
    {
      *msg = "Unexpected end of key/value pairs (KEY=VALUE, separated by commas; quote a value with commas or spaces)";
      r = 0;
      break;
    }
    k = tok[i];
    v = tok[i + 2];
    while (*v == '\'' || *v == '"') v++;
    vl = strlen(v);
    while (vl && (v[vl - 1] == '\'' || v[vl - 1] == '"')) vl--;
    /* a later key replaces an earlier one, in place */
    for (j = 0, p2 = 0; j < *n; j++)
    {
      size_t kl = strlen(out->s + p2);
      if (!strcmp(out->s + p2, k)) break;
      p2 += kl + 1;
      p2 += strlen(out->s + p2) + 1;
    }
    if (j < *n)
    {
      size_t kl = strlen(k), ovl = strlen(out->s + p2 + kl + 1);
      size_t tail = p2 + kl + 1 + ovl + 1;
      stralloc rest = STRALLOC_ZERO;
      if (!stralloc_catb(&rest, out->s + tail, out->len - tail)) { r = -1; break; }
      out->len = p2 + kl + 1;
      if (!stralloc_catb(out, v, vl) || !stralloc_0(out) || !stralloc_catb(out, rest.s, rest.len)) { stralloc_free(&rest); r = -1; break; }
      stralloc_free(&rest);
      continue;
    }
    if (!stralloc_cats(out, k) || !stralloc_0(out) || !stralloc_catb(out, v, vl) || !stralloc_0(out)) { r = -1; break; }
    ++*n;
  }
  free(tok);
  stralloc_free(&toks);
  return r;
}
