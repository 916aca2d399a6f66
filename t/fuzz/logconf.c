/* SPDX-License-Identifier: ISC */
/* t/fuzz/logconf.c: a log directory's config, as svlog reads it: any bytes parse,
   and what comes out holds together (offsets inside the text, strings without a
   newline, counts that add up); then every pattern is matched against the input */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logconf.h"
#include "logpat.h"

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size);

static void str_ok (logconf const *c, size_t off)
{
  if (off >= c->text.len || memchr(c->text.s + off, '\n', strlen(c->text.s + off)))
    abort();
  if (off + strlen(c->text.s + off) >= c->text.len)
    abort();
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  static logconf c = LOGCONF_ZERO;
  unsigned int i, nsel = 0, nerr = 0;
  if (logconf_parse(&c, (char const *)data, size) != 1)
    abort();
  if (c.npat > LOGCONF_PATMAX || (c.bad && !c.badline))
    abort();
  if (c.hasproc) str_ok(&c, c.proc);
  if (c.haspre) str_ok(&c, c.pre);
  for (i = 0; i < c.npat; i++)
  {
    char op = c.pat[i].op;
    str_ok(&c, c.pat[i].off);
    if (op == '+' || op == '-') nsel++;
    else if (op == 'e' || op == 'E') nerr++;
    else abort();
    (void)logpat_match(c.text.s + c.pat[i].off, (char const *)data, size);
  }
  if (nsel != c.nsel || nerr != c.nerr)
    abort();
  return 0;
}
