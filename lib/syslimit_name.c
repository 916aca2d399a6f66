/* SPDX-License-Identifier: ISC */

#include <errno.h>

#include "syslimit.h"

char const *
syslimit_name (int e)
{
  switch (e)
  {
    case EAGAIN: return "process limit";
    case EMFILE: return "open-file limit";
    case ENFILE: return "system-wide open-file limit";
    case ENOMEM: return "out of memory";
    default: return 0;
  }
}
