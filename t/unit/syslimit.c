/* SPDX-License-Identifier: ISC */
/* t/unit/syslimit.c: the limit an errno names */
#include <errno.h>

#include <check.h>

#include "syslimit.h"

START_TEST(names)
{
  ck_assert_str_eq(syslimit_name(EAGAIN), "process limit");
  ck_assert_str_eq(syslimit_name(EMFILE), "open-file limit");
  ck_assert_str_eq(syslimit_name(ENFILE), "system-wide open-file limit");
  ck_assert_str_eq(syslimit_name(ENOMEM), "out of memory");
}
END_TEST

START_TEST(others)
{
  ck_assert_ptr_null(syslimit_name(0));
  ck_assert_ptr_null(syslimit_name(ENOENT));
  ck_assert_ptr_null(syslimit_name(EACCES));
  ck_assert_ptr_null(syslimit_name(EINTR));
  ck_assert_ptr_null(syslimit_name(ENOSPC));
}
END_TEST

Suite *syslimit_suite (void);

Suite *
syslimit_suite (void)
{
  Suite *s = suite_create("syslimit");
  TCase *tc = tcase_create("syslimit");
  tcase_add_test(tc, names);
  tcase_add_test(tc, others);
  suite_add_tcase(s, tc);
  return s;
}
