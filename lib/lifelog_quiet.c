/* ISC license. */

#include "lifelog.h"

int lifelog_quiet = 0;
