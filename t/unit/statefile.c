/* SPDX-License-Identifier: ISC */
/* t/unit/statefile.c: lib/statefile */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <check.h>

#include "statefile.h"
#include "harness.h"
#include "suites.h"

static ino_t ino (char const *path)
{
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  return st.st_ino;
}

static void is (char const *path, char const *text)
{
  char *s = t_read(path);
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, text);
  free(s);
}

START_TEST(write_and_replace)
{
  statefile sf = STATEFILE_ZERO;
  ino_t a, b;
  t_mkdir("d");
  ck_assert(statefile_write(&sf, "d", "state", "one\n", 4));
  is("d/state", "one\n");
  a = ino("d/state");
  ck_assert(statefile_write(&sf, "d", "state", "second\n", 7));
  is("d/state", "second\n");
  b = ino("d/state");
  ck_assert(a != b);  /* never rewritten in place */
  ck_assert(statefile_write(&sf, "d", "state", "3\n", 2));
  is("d/state", "3\n");  /* shorter: truncated */
  ck_assert(ino("d/state") == a);
  ck_assert(!t_has_file((void *)"d/state.new"));
  statefile_close(&sf);
}
END_TEST

START_TEST(empty_text)
{
  statefile sf = STATEFILE_ZERO;
  t_mkdir("e");
  ck_assert(statefile_write(&sf, "e", "pid", "123\n", 4));
  ck_assert(statefile_write(&sf, "e", "pid", "", 0));
  is("e/pid", "");
  ck_assert(statefile_write(&sf, "e", "pid", "456\n", 4));
  is("e/pid", "456\n");
  statefile_close(&sf);
}
END_TEST

 /* a second writer (a restarted supervisor) never rewrites the inode the name shows */
START_TEST(restart_keeps_current_intact)
{
  statefile sf = STATEFILE_ZERO, sf2 = STATEFILE_ZERO;
  int fd;
  char buf[16];
  t_mkdir("r");
  ck_assert(statefile_write(&sf, "r", "status", "old\n", 4));
  statefile_close(&sf);
  fd = open("r/status", O_RDONLY);
  ck_assert(fd >= 0);
  ck_assert(statefile_write(&sf2, "r", "status", "new!\n", 5));
  is("r/status", "new!\n");
  ck_assert_int_eq(pread(fd, buf, sizeof buf, 0), 4);  /* the reader's open file is untouched */
  ck_assert(!memcmp(buf, "old\n", 4));
  close(fd);
  statefile_close(&sf2);
}
END_TEST

START_TEST(planted_links_not_followed)
{
  statefile sf = STATEFILE_ZERO;
  t_mkdir("p");
  t_write("outside", "keep\n");
  ck_assert_int_eq(symlink("../outside", "p/.state.0"), 0);
  ck_assert_int_eq(symlink("../outside", "p/state.new"), 0);
  ck_assert(statefile_write(&sf, "p", "state", "mine\n", 5));
  ck_assert(statefile_write(&sf, "p", "state", "mine again\n", 11));
  ck_assert(statefile_write(&sf, "p", "state", "and again\n", 10));
  is("outside", "keep\n");
  is("p/state", "and again\n");
  statefile_close(&sf);
}
END_TEST

START_TEST(unwritable_dir)
{
  statefile sf = STATEFILE_ZERO;
  errno = 0;
  ck_assert(!statefile_write(&sf, "nosuchdir", "state", "x\n", 2));
  ck_assert_int_eq(errno, ENOENT);
}
END_TEST

Suite *statefile_suite (void)
{
  Suite *s = suite_create("statefile");
  TCase *tc = tcase_create("write");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_test(tc, write_and_replace);
  tcase_add_test(tc, empty_text);
  tcase_add_test(tc, restart_keeps_current_intact);
  tcase_add_test(tc, planted_links_not_followed);
  tcase_add_test(tc, unwritable_dir);
  suite_add_tcase(s, tc);
  return s;
}
