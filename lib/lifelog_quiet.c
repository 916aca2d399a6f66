/* SPDX-License-Identifier: ISC */

#include "lifelog.h"

int lifelog_quiet = 0;
