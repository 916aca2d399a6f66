/* SPDX-License-Identifier: ISC */
/* t/fuzz/svimp_parse.c: any bytes as a supervisord configuration: the reader, then every
   value through % expansion (with a deferred ENV_ reference), the shlex split, the
   environment pairs and sh quoting, with the invariants each promises */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <skalibs/stralloc.h>

#include "svimp.h"

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size);

static int look (char const *name, void *ctx, char const **str, long long *num)
{
  (void)ctx;
  if (!strcmp(name, "process_num")) { *num = 3; return 2; }
  if (!strcmp(name, "program_name")) { *str = "prog"; return 1; }
  if (!strncmp(name, "ENV_", 4))
  {
    char const *s;
    if (!name[4] || (name[4] >= '0' && name[4] <= '9')) return 0;
    for (s = name + 4; *s; s++)
      if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 3;
  }
  return 0;
}

static void value (char const *v)
{
  stralloc e = STRALLOC_ZERO, bad = STRALLOC_ZERO, w = STRALLOC_ZERO, q = STRALLOC_ZERO;
  char const *msg = 0;
  size_t n = 0, i, pos;
  if (svimp_expand(&e, v, &look, 0, &msg, &bad) == 1 && stralloc_0(&e))
  {
    if (svimp_split(&w, &n, e.s, &msg) == 1)
    {
      for (i = 0, pos = 0; i < n; i++)
      {
        char const *word = w.s + pos;
        if (pos >= w.len) abort();
        if (!svimp_shquote(&q, word)) abort();
        pos += strlen(word) + 1;
      }
      if (pos != w.len) abort();
    }
    w.len = 0;
    if (svimp_envdict(&w, &n, e.s, &msg) == 1)
    {
      for (i = 0, pos = 0; i < 2 * n; i++) pos += strlen(w.s + pos) + 1;
      if (pos != w.len) abort();
    }
  }
  stralloc_free(&e);
  stralloc_free(&bad);
  stralloc_free(&w);
  stralloc_free(&q);
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  svimp_ini ini = SVIMP_INI_ZERO;
  unsigned int line = 0;
  char const *msg = 0;
  int r = svimp_ini_read(&ini, (char const *)data, size, 0, &line, &msg);
  if (r == 0 && (!msg || !line)) abort();
  if (r == 1)
  {
    size_t i, j;
    if (svimp_ini_here(&ini, "/here") < 0) abort();
    for (i = 0; i <= ini.n; i++)
    {
      svimp_sect *sc = i < ini.n ? &ini.sect[i] : &ini.defaults;
      for (j = 0; j < sc->n; j++)
      {
        svimp_kv *kv = &sc->kv[j];
        if (strlen(kv->val) != kv->len || !kv->line) abort();
        if (kv->len && svimp_space(kv->val + kv->len - 1, 1)) abort();  /* rstripped */
        if (svimp_ini_get(&ini, sc, kv->name) != kv && i < ini.n) abort();
        value(kv->val);
      }
    }
  }
  svimp_ini_free(&ini);
  return 0;
}
