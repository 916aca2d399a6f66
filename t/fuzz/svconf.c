/* SPDX-License-Identifier: ISC */
/* t/fuzz/svconf.c: a per-service config file's contents (min-uptime, down-signal...),
   as svconf_uint and svconf_sig read them: first line, then the value */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <skalibs/nsig.h>

#include "svconf.h"
#include "svconf-internal.h"

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size);

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  char line[SVCONF_LINE_MAX];
  unsigned int u;
  int sig;
  size_t n;
  if (svconf_line((char const *)data, size, line) != 1)
    return 0;
  n = strlen(line);
  if (n >= SVCONF_LINE_MAX || memchr(line, '\n', n))
    abort();
  if (n && (line[0] == ' ' || line[0] == '\t' || line[n - 1] == ' ' || line[n - 1] == '\r'))
    abort();
  if (svconf_uint_scan(line, &u) == 1 && (!n || line[0] < '0' || line[0] > '9'))
    abort();
  if (svconf_sig_scan(line, &sig) == 1 && (sig <= 0 || sig >= SKALIBS_NSIG))
    abort();
  return 0;
}
