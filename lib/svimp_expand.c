/* SPDX-License-Identifier: ISC */
/* svimp_expand.c: Python's "s % mapping", for the names supervisord offers */

#include <stdio.h>
#include <string.h>

#include <skalibs/stralloc.h>

#include "svimp.h"

static size_t cplen (char const *s, size_t n)
{
  size_t i, c = 0;
  for (i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80) c++;
  return c;
}

/* the first k code points of s */
static size_t cpprefix (char const *s, size_t n, size_t k)
{
  size_t i = 0;
  while (i < n && k)
  {
    i++;
    while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80) i++;
    k--;
  }
  return i;
}

static int pad (stralloc *out, char const *s, size_t n, long width, int left, char fill)
{
  size_t len = cplen(s, n);
  size_t padn = width > 0 && (size_t)width > len ? (size_t)width - len : 0;
  size_t i;
  if (!left)
    for (i = 0; i < padn; i++)
      if (!stralloc_catb(out, &fill, 1)) return 0;
  if (!stralloc_catb(out, s, n)) return 0;
  if (left)
    for (i = 0; i < padn; i++)
      if (!stralloc_catb(out, " ", 1)) return 0;
  return 1;
}

static int repr (stralloc *out, char const *s, int ascii)
{
  char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
  unsigned char const *u = (unsigned char const *)s;
  if (!stralloc_catb(out, &q, 1)) return 0;
  while (*u)
  {
    char buf[16];
    unsigned char c = *u;
    if (c == '\\' || c == (unsigned char)q) { buf[0] = '\\'; buf[1] = c; buf[2] = 0; }
    else if (c == '\n') strcpy(buf, "\\n");
    else if (c == '\r') strcpy(buf, "\\r");
    else if (c == '\t') strcpy(buf, "\\t");
    else if (c < 0x20 || c == 0x7f) snprintf(buf, sizeof buf, "\\x%02x", c);
    else if (c < 0x80) { buf[0] = c; buf[1] = 0; }
    else
    {
      unsigned int cp;
      size_t k, need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      if (!ascii) return -1;  /* Python's notion of printable: not worth copying */
      cp = c & (0x3f >> need);
      for (k = 1; k <= need; k++) cp = (cp << 6) | (u[k] & 0x3f);
      if (cp < 0x100) snprintf(buf, sizeof buf, "\\x%02x", cp);
      else if (cp < 0x10000) snprintf(buf, sizeof buf, "\\u%04x", cp);
      else snprintf(buf, sizeof buf, "\\U%08x", cp);
      u += need;
    }
    if (!stralloc_cats(out, buf)) return 0;
    u++;
  }
  return stralloc_catb(out, &q, 1);
}

int svimp_expand (stralloc *out, char const *s, svimp_lookup_fn *lookup, void *ctx, char const **msg, stralloc *bad)
{
  while (*s)
  {
    char const *p = strchr(s, '%');
    char const *name, *str = 0;
    size_t nlen;
    char flags[8];
    unsigned int nf = 0;
    long width = -1, prec = -1;
    long long num = 0;
    char conv;
    int kind;
    if (!p) return stralloc_cats(out, s) ? 1 : -1;
    if (!stralloc_catb(out, s, p - s)) return -1;
    p++;
    if (!*p) { *msg = "incomplete format (a lone % at the end; %% is a %)"; return 0; }
    if (*p == '%') { if (!stralloc_catb(out, "%", 1)) return -1; s = p + 1; continue; }
    if (*p != '(') { *msg = "a % that is neither %(name)s nor %%"; return 0; }
    {
      int depth = 1;
      name = ++p;
      while (*p && depth)
      {
        if (*p == '(') depth++;
        else if (*p == ')') depth--;
        p++;
      }
      if (depth) { *msg = "incomplete format key: %( without its )"; return 0; }
      nlen = p - 1 - name;
    }
    while (*p && strchr("-+ #0", *p)) { if (nf < sizeof flags - 1) flags[nf++] = *p; p++; }
    flags[nf] = 0;
    if (*p == '*') { *msg = "* width in a %(name) format"; return 0; }
    if (*p >= '0' && *p <= '9')
      for (width = 0; *p >= '0' && *p <= '9'; p++) if (width < 100000) width = width * 10 + (*p - '0');
    if (*p == '.')
    {
      p++;
      if (*p == '*') { *msg = "* precision in a %(name) format"; return 0; }
      for (prec = 0; *p >= '0' && *p <= '9'; p++) if (prec < 100000) prec = prec * 10 + (*p - '0');
    }
    while (*p && strchr("hlL", *p)) p++;
    if (!*p) { *msg = "incomplete format"; return 0; }
    conv = *p++;
    s = p;
    {
      char key[nlen + 1];
      memcpy(key, name, nlen);
      key[nlen] = 0;
      kind = (*lookup)(key, ctx, &str, &num);
      if (!kind)
      {
        bad->len = 0;
        if (!stralloc_catb(bad, name, nlen) || !stralloc_0(bad)) return -1;
        *msg = "no such name";
        return 0;
      }
    }
    if (!strchr("diouxXeEfFgGcrsa", conv)) { *msg = "unsupported format character"; return 0; }
    if (kind == 3)
    {
      if (conv != 's' || nf || width >= 0 || prec >= 0) { *msg = "an environment reference resolved at run time must be a plain %(ENV_X)s"; return 0; }
      if (!stralloc_catb(out, "\001", 1) || !stralloc_catb(out, name + 4, nlen - 4) || !stralloc_catb(out, "\003", 1)) return -1;
      continue;
    }
    {
      stralloc v = STRALLOC_ZERO;
      int left = !!strchr(flags, '-'), r = 1;
      if (kind == 1 && (conv == 's' || conv == 'r' || conv == 'a'))
      {
        int rr = conv == 's' ? stralloc_cats(&v, str) : repr(&v, str, conv == 'a');
        if (rr <= 0) stralloc_free(&v);
        if (rr < 0) { *msg = "%r of a non-ASCII string"; return 0; }
        if (!rr) return -1;
      }
      else if (kind == 1 && conv == 'c')
      {
        if (cplen(str, strlen(str)) != 1) { *msg = "%c requires an int or a single character"; return 0; }
        if (!stralloc_cats(&v, str)) return -1;
      }
      else if (kind == 1) { *msg = "a number format for a string value"; return 0; }
      else if (conv == 's' || conv == 'r' || conv == 'a' || conv == 'd' || conv == 'i' || conv == 'u'
               || conv == 'o' || conv == 'x' || conv == 'X' || strchr("eEfFgG", conv))
      {
        char fmt[32], buf[512];
        int k;
        if (conv == 's' || conv == 'r' || conv == 'a')
        {
          snprintf(buf, sizeof buf, "%lld", num);
          if (!stralloc_cats(&v, buf)) return -1;
          goto string;
        }
        if (strchr(flags, '#') && strchr("oxX", conv)) { *msg = "%#o and %#x are not supported"; return 0; }
        if (width > 400 || prec > 400) { *msg = "format width too large"; return 0; }
        if (strchr("eEfFgG", conv))
        {
          k = snprintf(fmt, sizeof fmt, "%%%s%s%ld%s%ld%c", flags, "", width < 0 ? 0 : width, prec >= 0 ? "." : "", prec >= 0 ? prec : 0, conv);
          if (prec < 0) snprintf(fmt, sizeof fmt, "%%%s%ld%c", flags, width < 0 ? 0 : width, conv);
          snprintf(buf, sizeof buf, fmt, (double)num);
        }
        else
        {
          char c = conv == 'i' || conv == 'u' ? 'd' : conv;
          if (prec >= 0) snprintf(fmt, sizeof fmt, "%%%s%ld.%ldll%c", flags, width < 0 ? 0 : width, prec, c);
          else snprintf(fmt, sizeof fmt, "%%%s%ldll%c", flags, width < 0 ? 0 : width, c);
          if (c == 'd') snprintf(buf, sizeof buf, fmt, num);
          else
          {
            if (num < 0) { *msg = "%o or %x of a negative number"; return 0; }
            snprintf(buf, sizeof buf, fmt, (unsigned long long)num);
          }
        }
        (void)k;
        if (!stralloc_cats(out, buf)) return -1;
        continue;
      }
      else  /* c of an int */
      {
        char b[4];
        unsigned long long c = (unsigned long long)num;
        if (num < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0) { *msg = "%c arg not in range"; return 0; }
        if (c < 0x80) { b[0] = c; r = 1; }
        else if (c < 0x800) { b[0] = 0xc0 | (c >> 6); b[1] = 0x80 | (c & 0x3f); r = 2; }
        else if (c < 0x10000) { b[0] = 0xe0 | (c >> 12); b[1] = 0x80 | ((c >> 6) & 0x3f); b[2] = 0x80 | (c & 0x3f); r = 3; }
        else { b[0] = 0xf0 | (c >> 18); b[1] = 0x80 | ((c >> 12) & 0x3f); b[2] = 0x80 | ((c >> 6) & 0x3f); b[3] = 0x80 | (c & 0x3f); r = 4; }
        if (!stralloc_catb(&v, b, r)) return -1;
      }
    string:
      {
        size_t n = v.len;
        if (prec >= 0) n = cpprefix(v.s, v.len, (size_t)prec);
        r = pad(out, v.s ? v.s : "", n, width, left, ' ');
        stralloc_free(&v);
        if (!r) return -1;
      }
    }
  }
  return 1;
}
