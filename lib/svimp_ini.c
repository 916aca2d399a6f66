/* SPDX-License-Identifier: ISC */
/* svimp_ini.c: Python 3's RawConfigParser._read as supervisord configures it
   (inline_comment_prefixes ; and #, strict=False, empty_lines_in_values), on one file */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svimp.h"

static int valid_text (char const *buf, size_t len, unsigned int *line, char const **msg)
{
  unsigned char const *u = (unsigned char const *)buf;
  size_t i = 0;
  *line = 1;
  while (i < len)
  {
    unsigned char c = u[i];
    size_t k, need;
    unsigned int cp;
    if (c == '\n' || (c == '\r' && (i + 1 >= len || u[i + 1] != '\n'))) ++*line;
    if (c <= 3) { *msg = c ? "control byte (binary file?)" : "NUL byte (binary file?)"; return 0; }
    if (c < 0x80) { i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
    else { *msg = "not UTF-8 text"; return 0; }
    for (k = 1; k <= need; k++)
    {
      if (i + k >= len || (u[i + k] & 0xc0) != 0x80) { *msg = "not UTF-8 text"; return 0; }
      cp = (cp << 6) | (u[i + k] & 0x3f);
    }
    if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
    { *msg = "not UTF-8 text"; return 0; }
    i += need + 1;
  }
  return 1;
}

static int kv_append (svimp_kv *kv, char const *s, size_t n, int sep)
{
  size_t need = kv->len + n + 2;
  if (need > kv->cap)
  {
    size_t cap = kv->cap ? kv->cap : 32;
    char *p;
    while (cap < need) cap *= 2;
    p = realloc(kv->val, cap);
    if (!p) return 0;
    kv->val = p;
    kv->cap = cap;
  }
  if (sep) kv->val[kv->len++] = '\n';
  memcpy(kv->val + kv->len, s, n);
  kv->len += n;
  kv->val[kv->len] = 0;
  return 1;
}

static svimp_sect *sect_add (svimp_ini *ini, char const *name, size_t n, unsigned int file, unsigned int line)
{
  svimp_sect *sc;
  if (ini->n == ini->cap)
  {
    size_t cap = ini->cap ? ini->cap * 2 : 16;
    svimp_sect *p = realloc(ini->sect, cap * sizeof *p);
    if (!p) return 0;
    ini->sect = p;
    ini->cap = cap;
  }
  sc = &ini->sect[ini->n];
  memset(sc, 0, sizeof *sc);
  sc->name = malloc(n + 1);
  if (!sc->name) return 0;
  memcpy(sc->name, name, n);
  sc->name[n] = 0;
  sc->file = file;
  sc->line = line;
  ini->n++;
  return sc;
}

svimp_sect *svimp_ini_sect (svimp_ini const *ini, char const *name)
{
  size_t i;
  for (i = 0; i < ini->n; i++)
    if (!strcmp(ini->sect[i].name, name)) return &ini->sect[i];
  return 0;
}

static svimp_kv *sect_key (svimp_sect const *sc, char const *key)
{
  size_t i;
  for (i = 0; i < sc->n; i++)
    if (!strcmp(sc->kv[i].name, key)) return &sc->kv[i];
  return 0;
}

svimp_kv *svimp_ini_get (svimp_ini const *ini, svimp_sect const *sect, char const *key)
{
  svimp_kv *kv = sect ? sect_key(sect, key) : 0;
  return kv ? kv : sect_key(&ini->defaults, key);
}

/* sets key (replacing an earlier value) to the value of n bytes at s */
static svimp_kv *key_set (svimp_sect *sc, char const *key, size_t klen, char const *s, size_t n, unsigned int file, unsigned int line)
{
  svimp_kv *kv = 0;
  size_t i;
  for (i = 0; i < sc->n && !kv; i++)
    if (strlen(sc->kv[i].name) == klen)
    {
      size_t j;
      for (j = 0; j < klen; j++)
        if (sc->kv[i].name[j] != (key[j] >= 'A' && key[j] <= 'Z' ? key[j] + 32 : key[j])) break;
      if (j == klen) kv = &sc->kv[i];
    }
  if (!kv)
  {
    if (sc->n == sc->cap)
    {
      size_t cap = sc->cap ? sc->cap * 2 : 16;
      svimp_kv *p = realloc(sc->kv, cap * sizeof *p);
      if (!p) return 0;
      sc->kv = p;
      sc->cap = cap;
    }
    kv = &sc->kv[sc->n];
    memset(kv, 0, sizeof *kv);
    kv->name = malloc(klen + 1);
    if (!kv->name) return 0;
    for (i = 0; i < klen; i++)
      kv->name[i] = key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i];
    kv->name[klen] = 0;
    sc->n++;
  }
  kv->len = 0;
  if (!kv_append(kv, s, n, 0)) return 0;
  kv->file = file;
  kv->line = line;
  kv->open = 1;
  return kv;
}

static int isspace_before (char const *line, size_t idx)
{
  size_t st = idx - 1;
  while (st > 0 && ((unsigned char)line[st] & 0xc0) == 0x80) st--;
  return svimp_space(line + st, idx - st) == idx - st;
}

/* the line's inline comment start, as RawConfigParser finds it (in rounds) */
static size_t comment_start (char const *line, size_t len)
{
  static char const prefixes[2] = { ';', '#' };
  long idx[2] = { -1, -1 };
  int active[2] = { 1, 1 };
  size_t cs = (size_t)-1;
  while (cs == (size_t)-1 && (active[0] || active[1]))
  {
    int p;
    for (p = 0; p < 2; p++)
    {
      char const *f;
      if (!active[p]) continue;
      f = (size_t)(idx[p] + 1) < len ? memchr(line + idx[p] + 1, prefixes[p], len - (size_t)(idx[p] + 1)) : 0;
      if (!f) { active[p] = 0; continue; }
      idx[p] = f - line;
      if (!idx[p] || isspace_before(line, (size_t)idx[p]))
        if ((size_t)idx[p] < cs) cs = (size_t)idx[p];
    }
  }
  return cs;
}

/* [start, end) of the stripped text in line[0..len) */
static void strip_span (char const *line, size_t len, size_t *start, size_t *end)
{
  size_t i = 0, k, last = 0;
  while (i < len && (k = svimp_space(line + i, len - i))) i += k;
  *start = i;
  last = i;
  while (i < len)
  {
    k = svimp_space(line + i, len - i);
    if (k) i += k;
    else
    {
      i++;
      while (i < len && ((unsigned char)line[i] & 0xc0) == 0x80) i++;
      last = i;
    }
  }
  *end = last;
}

static void rstrip_kv (svimp_kv *kv)
{
  size_t s, e;
  strip_span(kv->val, kv->len, &s, &e);
  if (s == kv->len) e = 0;
  kv->len = e;
  kv->val[e] = 0;
}

static void close_all (svimp_ini *ini)
{
  size_t i, j;
  for (i = 0; i <= ini->n; i++)
  {
    svimp_sect *sc = i < ini->n ? &ini->sect[i] : &ini->defaults;
    for (j = 0; j < sc->n; j++)
      if (sc->kv[j].open)
      {
        rstrip_kv(&sc->kv[j]);
        sc->kv[j].open = 0;
      }
  }
}

int svimp_ini_read (svimp_ini *ini, char const *buf, size_t len, unsigned int file, unsigned int *line, char const **msg)
{
  size_t pos = 0;
  unsigned int lineno = 0, errline = 0;
  char const *errmsg = 0;
  svimp_sect *cur = 0;
  long cursect = -2;           /* -2 none, -1 defaults, else index */
  long optkey = -1;            /* index of the current key in cur, -1 none */
  size_t indent_level = 0;
  if (!valid_text(buf, len, line, msg)) return 0;
  while (pos < len)
  {
    char const *l = buf + pos;
    size_t ll = 0, cs, vs, ve, nl;
    while (pos + ll < len && buf[pos + ll] != '\n' && buf[pos + ll] != '\r') ll++;
    nl = pos + ll < len ? (buf[pos + ll] == '\r' && pos + ll + 1 < len && buf[pos + ll + 1] == '\n' ? 2 : 1) : 0;
    pos += ll + nl;
    lineno++;
    cur = cursect == -1 ? &ini->defaults : cursect >= 0 ? &ini->sect[cursect] : 0;
    cs = comment_start(l, ll);
    strip_span(l, ll, &vs, &ve);
    if (vs < ve && (l[vs] == ';' || l[vs] == '#')) cs = 0;
    if (cs != (size_t)-1) strip_span(l, cs, &vs, &ve);
    if (vs >= ve)
    {
      if (cs == (size_t)-1 && cur && optkey >= 0)
        if (!kv_append(&cur->kv[optkey], "", 0, 1)) return -1;
      continue;
    }
    {
      size_t i = 0, k, indent = 0;
      while (i < ll && (k = svimp_space(l + i, ll - i))) { i += k; indent++; }
      if (cur && optkey >= 0 && indent > indent_level)
      {
        if (!kv_append(&cur->kv[optkey], l + vs, ve - vs, 1)) return -1;
        continue;
      }
      indent_level = indent;
    }
    if (l[vs] == '[')
    {
      size_t close = ve;
      while (close > vs + 1 && l[close - 1] != ']') close--;
      if (close > vs + 2)
      {
        char const *name = l + vs + 1;
        size_t n = close - 1 - (vs + 1), i;
        optkey = -1;
        if (n == 7 && !memcmp(name, "DEFAULT", 7)) { cursect = -1; continue; }
        for (i = 0; i < ini->n; i++)
          if (strlen(ini->sect[i].name) == n && !memcmp(ini->sect[i].name, name, n)) break;
        if (i == ini->n && !sect_add(ini, name, n, file, lineno)) return -1;
        cursect = (long)i;
        continue;
      }
    }
    if (!cur)
    {
      *line = lineno;
      *msg = "no section header before this line";
      return 0;
    }
    {
      size_t d = vs, ks, ke, xs, xe;
      svimp_kv *kv;
      while (d < ve && l[d] != '=' && l[d] != ':') d++;
      if (d == ve)
      {
        if (!errline) { errline = lineno; errmsg = l[vs] == '[' ? "section header without its closing ]" : "line without = or :"; }
        continue;
      }
      if (l[vs] == '[')
      {
        /* "[program:x" reads as the key "[program": supervisord would take it silently */
        if (!errline) { errline = lineno; errmsg = "section header without its closing ]"; }
      }
      strip_span(l + vs, d - vs, &ks, &ke);
      ks += vs;
      ke += vs;
      if (ks == ke && !errline) { errline = lineno; errmsg = "key without a name"; }
      if (ks == ke) ke = ks = vs;
      strip_span(l + d + 1, ve - d - 1, &xs, &xe);
      xs += d + 1;
      xe += d + 1;
      if (xs > xe) xe = xs;
      /* the key is option.rstrip(): leading space cannot be there (vs is stripped) */
      kv = key_set(cur, l + vs, ke - vs, l + xs, xe - xs, file, lineno);
      if (!kv) return -1;
      optkey = kv - cur->kv;
    }
  }
  close_all(ini);
  if (errline)
  {
    *line = errline;
    *msg = errmsg;
    return 0;
  }
  return 1;
}

int svimp_ini_here (svimp_ini *ini, char const *here)
{
  static char const pat[] = "%(here)s";
  size_t i, j, hl = strlen(here);
  for (i = 0; i <= ini->n; i++)
  {
    svimp_sect *sc = i < ini->n ? &ini->sect[i] : &ini->defaults;
    for (j = 0; j < sc->n; j++)
    {
      svimp_kv *kv = &sc->kv[j];
      char *p = strstr(kv->val, pat);
      if (!p) continue;
      {
        size_t cap = kv->len + 1, n = 0;
        char *out, *s = kv->val;
        for (p = strstr(s, pat); p; p = strstr(p + 8, pat)) cap += hl;
        out = malloc(cap);
        if (!out) return -1;
        while ((p = strstr(s, pat)))
        {
          memcpy(out + n, s, p - s);
          n += p - s;
          memcpy(out + n, here, hl);
          n += hl;
          s = p + 8;
        }
        memcpy(out + n, s, strlen(s) + 1);
        n += strlen(s);
        free(kv->val);
        kv->val = out;
        kv->len = n;
        kv->cap = cap;
      }
    }
  }
  return 1;
}

static void sect_free (svimp_sect *sc)
{
  size_t j;
  for (j = 0; j < sc->n; j++)
  {
    free(sc->kv[j].name);
    free(sc->kv[j].val);
  }
  free(sc->kv);
  free(sc->name);
  memset(sc, 0, sizeof *sc);
}

void svimp_ini_free (svimp_ini *ini)
{
  size_t i;
  for (i = 0; i < ini->n; i++) sect_free(&ini->sect[i]);
  free(ini->sect);
  sect_free(&ini->defaults);
  ini->sect = 0;
  ini->n = ini->cap = 0;
}
