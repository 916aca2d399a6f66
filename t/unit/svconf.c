/* SPDX-License-Identifier: ISC */
/* t/unit/svconf.c: per-service configuration files */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "harness.h"
#include "svconf.h"

struct ucase
{
  char const *content;
  unsigned int u;
};

static struct ucase const uints[] =
{
  { "30000\n", 30000 },
  { "0\n", 0 },
  { "7", 7 },
  { "42 \n", 42 },
  { " 42\t\r\n", 42 },
  { "5\r\n", 5 },
  { "5\nnot a number\n", 5 },
  { "0012\n", 12 },
  { "4294967295\n", 4294967295u },
};

START_TEST(uint_good)
{
  unsigned int u = 12345;
  t_write("f", uints[_i].content);
  ck_assert_int_eq(svconf_uint("f", &u), 1);
  ck_assert_uint_eq(u, uints[_i].u);
}
END_TEST

static char const *const badu[] =
{
  "", "\n", " \n", "abc\n", "12abc\n", "-1\n", "+1\n", "1 2\n", "1.5\n", "0x10\n", "4294967296\n",
  "99999999999999999999\n", "\n12\n",
};

START_TEST(uint_bad)
{
  unsigned int u = 12345;
  t_write("f", badu[_i]);
  errno = 0;
  ck_assert_int_eq(svconf_uint("f", &u), -1);
  ck_assert_int_eq(errno, EINVAL);
  ck_assert_uint_eq(u, 12345);
}
END_TEST

START_TEST(uint_nul)
{
  unsigned int u = 12345;
  FILE *f = fopen("nul", "w");
  ck_assert_ptr_nonnull(f);
  fwrite("1\0002\n", 1, 4, f);
  fclose(f);
  errno = 0;
  ck_assert_int_eq(svconf_uint("nul", &u), -1);
  ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(uint_absent_or_unreadable)
{
  unsigned int u = 12345;
  char big[400];
  T_FAILS_WITH(svconf_uint("absent", &u), ENOENT);
  t_mkdir("adir");
  errno = 0;
  ck_assert_int_eq(svconf_uint("adir", &u), -1);
  ck_assert_int_eq(errno, EISDIR);
  memset(big, '1', sizeof big - 1);
  big[sizeof big - 1] = 0;
  t_write("big", big);
  errno = 0;
  ck_assert_int_eq(svconf_uint("big", &u), -1);
  ck_assert_int_eq(errno, EINVAL);
  ck_assert_uint_eq(u, 12345);
}
END_TEST

struct scase
{
  char const *content;
  int sig;
};

static struct scase const sigs[] =
{
  { "TERM\n", SIGTERM },
  { "SIGTERM\n", SIGTERM },
  { "term\n", SIGTERM },
  { "sigterm\n", SIGTERM },
  { "Term", SIGTERM },
  { "15\n", SIGTERM },
  { " HUP \n", SIGHUP },
  { "QUIT\n", SIGQUIT },
  { "WINCH\n", SIGWINCH },
  { "INT\r\n", SIGINT },
  { "USR1\n", SIGUSR1 },
  { "SIGUSR2\n", SIGUSR2 },
  { "KILL\n", SIGKILL },
  { "9\n", SIGKILL },
  { "ALRM\n", SIGALRM },
  { "64\n", 64 },
};

START_TEST(sig_good)
{
  int sig = -1;
  t_write("s", sigs[_i].content);
  ck_assert_int_eq(svconf_sig("s", &sig), 1);
  ck_assert_int_eq(sig, sigs[_i].sig);
}
END_TEST

static char const *const bads[] =
{
  "", "\n", "FOO\n", "SIGFOO\n", "SIG\n", "0\n", "65\n", "999\n", "-15\n", "TERM TERM\n", "TERMx\n", "15x\n",
  "SIG TERM\n",
};

START_TEST(sig_bad)
{
  int sig = -1;
  t_write("s", bads[_i]);
  errno = 0;
  ck_assert_int_eq(svconf_sig("s", &sig), -1);
  ck_assert_int_eq(errno, EINVAL);
  ck_assert_int_eq(sig, -1);
}
END_TEST

START_TEST(sig_absent)
{
  int sig = -1;
  T_FAILS_WITH(svconf_sig("absent-signal", &sig), ENOENT);
  ck_assert_int_eq(sig, -1);
}
END_TEST

START_TEST(exists)
{
  t_write("present", "");
  t_mkdir("dir");
  ck_assert_int_eq(svconf_exists("present"), 1);
  ck_assert_int_eq(svconf_exists("dir"), 1);
  ck_assert_int_eq(svconf_exists("absent"), 0);
  ck_assert_int_eq(svconf_exists("present/down"), 0);
  ck_assert_int_eq(svconf_exists("absentdir/down"), 0);
}
END_TEST

Suite *svconf_suite (void);

Suite *
svconf_suite (void)
{
  Suite *s = suite_create("svconf");
  TCase *tc = tcase_create("uint");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_loop_test(tc, uint_good, 0, sizeof uints / sizeof *uints);
  tcase_add_loop_test(tc, uint_bad, 0, sizeof badu / sizeof *badu);
  tcase_add_test(tc, uint_nul);
  tcase_add_test(tc, uint_absent_or_unreadable);
  suite_add_tcase(s, tc);
  tc = tcase_create("sig");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_loop_test(tc, sig_good, 0, sizeof sigs / sizeof *sigs);
  tcase_add_loop_test(tc, sig_bad, 0, sizeof bads / sizeof *bads);
  tcase_add_test(tc, sig_absent);
  suite_add_tcase(s, tc);
  tc = tcase_create("exists");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_test(tc, exists);
  suite_add_tcase(s, tc);
  return s;
}
