/* SPDX-License-Identifier: ISC */

#include <string.h>
#include <sys/wait.h>

#include <skalibs/sig.h>
#include <skalibs/types.h>

#include "wstat.h"

size_t
wstat_fmt (char *s, int wstat)
{
  if (WIFSIGNALED(wstat))
  {
    int sig = WTERMSIG(wstat);
    char const *name = sig_name(sig);
    size_t len;
    memcpy(s, "signal ", 7);
    if (name[0] == '?')  /* skalibs says "???" for a signal it has no name for */
      return 7 + uint_fmt(s + 7, (unsigned int)sig);
    len = strlen(name);
    if (len > WSTAT_FMT_MAX - 7)
      len = WSTAT_FMT_MAX - 7;
    memcpy(s + 7, name, len);
    return 7 + len;
  }
  memcpy(s, "exit ", 5);
  return 5 + uint_fmt(s + 5, (unsigned int)WEXITSTATUS(wstat));
}
