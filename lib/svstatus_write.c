/* ISC license. */

#include "svstatus.h"

int
svstatus_write (char const *sdir, svstatus const *st)
{
  return svstatus_write_changed(sdir, st, 0);
}
