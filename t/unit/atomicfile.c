/* SPDX-License-Identifier: ISC */
/* t/unit/atomicfile.c: replacing a file atomically, never through a planted link */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <check.h>

#include "atomicfile.h"
#include "harness.h"

START_TEST(writes_and_replaces)
{
  char *s;
  ck_assert_int_eq(atomicfile_write("f1", "one\n", 4), 1);
  ck_assert_int_eq(atomicfile_write("f1", "two", 3), 1);
  s = t_read("f1");
  ck_assert_str_eq(s, "two");
  free(s);
  ck_assert_int_eq(access("f1.new", F_OK), -1);
}
END_TEST

START_TEST(never_world_writable)
{
  struct stat st;
  mode_t old = umask(0);
  ck_assert_int_eq(atomicfile_write("f2", "x", 1), 1);
  umask(old);
  ck_assert_int_eq(stat("f2", &st), 0);
  ck_assert_int_eq(st.st_mode & 07777, 0644);
}
END_TEST

START_TEST(planted_link_not_followed)
{
  char *s;
  struct stat st;
  t_write("outside", "untouched");
  ck_assert_int_eq(symlink("outside", "f3.new"), 0);
  ck_assert_int_eq(atomicfile_write("f3", "mine", 4), 1);
  s = t_read("outside");
  ck_assert_str_eq(s, "untouched");
  free(s);
  ck_assert_int_eq(lstat("f3", &st), 0);
  ck_assert(S_ISREG(st.st_mode));
  s = t_read("f3");
  ck_assert_str_eq(s, "mine");
  free(s);
}
END_TEST

START_TEST(leftover_replaced)
{
  char *s;
  t_write("f4.new", "half a rec");
  ck_assert_int_eq(atomicfile_write("f4", "whole", 5), 1);
  s = t_read("f4");
  ck_assert_str_eq(s, "whole");
  free(s);
}
END_TEST

START_TEST(failure_leaves_nothing)
{
  T_FAILS_WITH(atomicfile_write("nodir/f5", "x", 1), ENOENT);
  t_mkdir("d6/f6");  /* the target is a non-empty directory: rename fails */
  t_write("d6/f6/x", "");
  ck_assert_int_eq(atomicfile_write("d6/f6", "x", 1), 0);
  ck_assert_int_eq(access("d6/f6.new", F_OK), -1);
}
END_TEST

Suite *atomicfile_suite (void);

Suite *
atomicfile_suite (void)
{
  Suite *s = suite_create("atomicfile");
  TCase *tc = tcase_create("write");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 10);
  tcase_add_test(tc, writes_and_replaces);
  tcase_add_test(tc, never_world_writable);
  tcase_add_test(tc, planted_link_not_followed);
  tcase_add_test(tc, leftover_replaced);
  tcase_add_test(tc, failure_leaves_nothing);
  suite_add_tcase(s, tc);
  return s;
}
