/* SPDX-License-Identifier: ISC */

#include <sys/wait.h>

#include <skalibs/types.h>

#include "wstat.h"

void
wstat_finish_args (int wstat, char *code, char *sig)
{
  if (WIFEXITED(wstat))
  {
    code[uint_fmt(code, (unsigned int)WEXITSTATUS(wstat))] = 0;
    sig[0] = '0';
    sig[1] = 0;
  }
  else
  {
    code[0] = '-';
    code[1] = '1';
    code[2] = 0;
    sig[uint_fmt(sig, WIFSIGNALED(wstat) ? (unsigned int)WTERMSIG(wstat) : 0)] = 0;
  }
}
