/* SPDX-License-Identifier: ISC */

#include "svstate.h"

char const *const svstate_want_names[4] = { "up", "down", "once", "exit" };
