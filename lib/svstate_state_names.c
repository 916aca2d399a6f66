/* SPDX-License-Identifier: ISC */

#include "svstate.h"

char const *const svstate_state_names[6] = { "down", "up", "finishing", "backoff", "stopping", "failed" };
