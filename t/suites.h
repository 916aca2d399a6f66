/* SPDX-License-Identifier: ISC */
/* t/suites.h: the prototype of every suite (t/unit/NAME.c and t/integ/NAME.c define NAME_suite) */
#ifndef SVTREE_T_SUITES_H
#define SVTREE_T_SUITES_H

#include <check.h>

#define T_SUITE(n) extern Suite *n##_suite (void);
#include "unit-suites.h"
#include "integ-suites.h"
#undef T_SUITE

#endif
