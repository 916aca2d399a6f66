/* SPDX-License-Identifier: ISC */

#include <signal.h>
#include <string.h>

#include "control.h"

int
control_decode (char c, int *sig)
{
  static char const sigcmds[] = "pchaiq12tk";
  static int const sigs[] = { SIGSTOP, SIGCONT, SIGHUP, SIGALRM, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGKILL };
  char const *p;
  switch (c)
  {
    case 'u': return CONTROL_UP;
    case 'd': return CONTROL_DOWN;
    case 'o': return CONTROL_ONCE;
    case 'x': return CONTROL_EXIT;
    case 0: return CONTROL_IGNORED;
    default: break;
  }
  p = memchr(sigcmds, c, sizeof sigcmds - 1);
  if (!p)
    return CONTROL_IGNORED;
  *sig = sigs[p - sigcmds];
  return CONTROL_SIGNAL;
}
