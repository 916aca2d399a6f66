/* ISC license. */

#include "svstate.h"

char const *const svstate_state_names[SVSTATE_NSTATES] = { "down", "up", "finishing", "backoff", "stopping", "failed", "waiting" };
