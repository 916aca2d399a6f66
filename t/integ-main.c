/* SPDX-License-Identifier: ISC */
/* t/integ-main.c: runs every t/integ suite, as a subreaper so that nothing escapes cleanup */
#include <stdlib.h>
#include <sys/prctl.h>
#include <check.h>

#define T_SUITE(n) extern Suite *n##_suite (void);
#include "integ-suites.h"
#undef T_SUITE

int main (void)
{
  SRunner *sr = srunner_create(0);
  int failed;
  prctl(PR_SET_CHILD_SUBREAPER, 1);
#define T_SUITE(n) srunner_add_suite(sr, n##_suite());
#include "integ-suites.h"
#undef T_SUITE
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
