/* SPDX-License-Identifier: ISC */
/* t/fuzz/control_decode.c: bytes written to supervise/control, decoded as supervise's
   loop does (one command per byte): only runit's letters do anything */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size);

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  size_t i = 0;
  for (; i < size; i++)
  {
    char c = (char)data[i];
    int sig = 0;
    int r = control_decode(c, &sig);
    switch (r)
    {
      case CONTROL_IGNORED:
        if (c && strchr("udoxpchaiq12tk", c))
          abort();
        break;
      case CONTROL_UP: if (c != 'u') abort(); break;
      case CONTROL_DOWN: if (c != 'd') abort(); break;
      case CONTROL_ONCE: if (c != 'o') abort(); break;
      case CONTROL_EXIT: if (c != 'x') abort(); break;
      case CONTROL_SIGNAL:
        if (!c || !strchr("pchaiq12tk", c) || sig <= 0 || sig >= NSIG)
          abort();
        break;
      default:
        abort();
    }
  }
  return 0;
}
