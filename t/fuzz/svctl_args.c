/* SPDX-License-Identifier: ISC */
/* t/fuzz/svctl_args.c: svctl's command line. The input is argv[1..] separated by NUL
   bytes; its first byte picks argv[0]: svctl, sv, or an /etc/init.d link (LSB mode). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "svctl.h"

#define MAXARGS 64

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size);

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  static char const *const names[] = { "svctl", "/usr/bin/sv", "/etc/init.d/web", "./svctl" };
  char const *argv[MAXARGS + 1];
  char *buf;
  int argc = 1, r, i;
  size_t pos = 1;
  args a;
  if (!size)
    return 0;
  buf = malloc(size + 1);
  if (!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = 0;
  argv[0] = names[(unsigned char)buf[0] & 3];
  while (pos < size && argc < MAXARGS)
  {
    argv[argc++] = buf + pos;
    pos += strlen(buf + pos) + 1;
  }
  argv[argc] = 0;
  a.waitsec = 7;
  r = args_parse(&a, argc, argv);
  if (r < ARGS_OK || r > ARGS_VERSION)
    abort();
  if (r == ARGS_OK)
  {
    if (!a.vb || strlen(a.cmd) >= sizeof a.cmd || a.n < 0 || a.n > argc)
      abort();
    if (a.json && a.vb->cmd)
      abort();
    if (a.wait && !a.vb->cmd)
      abort();
    if (a.mode == M_LSB ? a.n != 1 || a.services[0] != a.lsbname : a.n && a.services != argv + argc - a.n)
      abort();
    for (i = 0; i < a.n; i++)
      if (!a.services[i])
        abort();
    if (a.vb->cmd && strcmp(a.cmd, a.vb->cmd) && a.mode != M_SVCTL)
      abort();
  }
  free(buf);
  return 0;
}
