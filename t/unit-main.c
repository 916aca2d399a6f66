/* SPDX-License-Identifier: ISC */
/* t/unit-main.c: runs every t/unit suite */
#include <stdlib.h>
#include <check.h>

#define T_SUITE(n) extern Suite *n##_suite (void);
#include "unit-suites.h"
#undef T_SUITE

int main (void)
{
  SRunner *sr = srunner_create(0);
  int failed;
#define T_SUITE(n) srunner_add_suite(sr, n##_suite());
#include "unit-suites.h"
#undef T_SUITE
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
