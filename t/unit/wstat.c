/* SPDX-License-Identifier: ISC */
/* t/unit/wstat.c: words for wait statuses */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <check.h>

#include "wstat.h"

#define EXITED(n) ((n) << 8)

struct fmtcase
{
  int wstat;
  char const *text;
};

static struct fmtcase const fmts[] =
{
  { EXITED(0), "exit 0" },
  { EXITED(3), "exit 3" },
  { EXITED(255), "exit 255" },
  { SIGHUP, "signal HUP" },
  { SIGINT, "signal INT" },
  { SIGQUIT, "signal QUIT" },
  { SIGKILL, "signal KILL" },
  { SIGKILL | 0x80, "signal KILL" },  /* core dumped: same words */
  { SIGSEGV, "signal SEGV" },
  { SIGPIPE, "signal PIPE" },
  { SIGALRM, "signal ALRM" },
  { SIGTERM, "signal TERM" },
  { SIGUSR1, "signal USR1" },
  { SIGUSR2, "signal USR2" },
  { SIGCHLD, "signal CHLD" },
  { SIGCONT, "signal CONT" },
  { SIGSTOP, "signal STOP" },
  { SIGWINCH, "signal WINCH" },
  { 34, "signal 34" },  /* a real-time signal: no name in skalibs */
  { 64, "signal 64" },
};

START_TEST(fmt_names)
{
  char s[WSTAT_FMT_MAX];
  size_t len = wstat_fmt(s, fmts[_i].wstat);
  ck_assert_uint_eq(len, strlen(fmts[_i].text));
  ck_assert_mem_eq(s, fmts[_i].text, len);
}
END_TEST

START_TEST(scan_names)
{
  int w = -1;
  char const *t = fmts[_i].text;
  char *exact = malloc(strlen(t));
  memcpy(exact, t, strlen(t));
  ck_assert_int_eq(wstat_scan(exact, strlen(t), &w), 1);
  free(exact);
  ck_assert_int_eq(w, fmts[_i].wstat & 0xff7f);
}
END_TEST

START_TEST(round_trip_all)
{
  int i;
  for (i = 0; i < 256; i++)
  {
    char s[WSTAT_FMT_MAX];
    int w = -1;
    size_t len = wstat_fmt(s, EXITED(i));
    ck_assert_int_eq(wstat_scan(s, len, &w), 1);
    ck_assert_int_eq(w, EXITED(i));
  }
  for (i = 1; i < 65; i++)
  {
    char s[WSTAT_FMT_MAX];
    int w = -1;
    size_t len = wstat_fmt(s, i);
    ck_assert_int_eq(wstat_scan(s, len, &w), 1);
    ck_assert_int_eq(w, i);
    ck_assert(WIFSIGNALED(w));
    ck_assert_int_eq(WTERMSIG(w), i);
  }
}
END_TEST

START_TEST(real_statuses)
{
  char s[WSTAT_FMT_MAX];
  int w;
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (!pid)
    _exit(42);
  ck_assert_int_eq(waitpid(pid, &w, 0), pid);
  ck_assert_mem_eq(s, "exit 42", wstat_fmt(s, w));
  ck_assert_int_eq(wstat_code(w), 42);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (!pid)
  {
    pause();
    _exit(0);
  }
  kill(pid, SIGKILL);
  ck_assert_int_eq(waitpid(pid, &w, 0), pid);
  ck_assert_uint_eq(wstat_fmt(s, w), 11);
  ck_assert_mem_eq(s, "signal KILL", 11);
  ck_assert_int_eq(wstat_code(w), 137);
}
END_TEST

static char const *const bad[] =
{
  "", "exit", "exit ", "exit 256", "exit -1", "exit +1", "exit 3x", "exit 3 ", " exit 3", "Exit 3", "exit  3",
  "exit 0x1", "exit 99999999999999999999999", "signal", "signal ", "signal FOO", "signal 0", "signal 65",
  "signal 999", "signal KILL ", "signal -9", "killed 9", "signal 123456789012345678901234567890",
};

START_TEST(scan_malformed)
{
  size_t len = strlen(bad[_i]);
  char *exact = malloc(len ? len : 1);
  int w = 12345;
  memcpy(exact, bad[_i], len);
  ck_assert_int_eq(wstat_scan(exact, len, &w), 0);
  ck_assert_int_eq(w, 12345);
  free(exact);
}
END_TEST

START_TEST(scan_not_null_terminated)
{
  char s[] = { 'e', 'x', 'i', 't', ' ', '7', '9', '9' };
  int w = -1;
  ck_assert_int_eq(wstat_scan(s, 6, &w), 1);
  ck_assert_int_eq(w, EXITED(7));
  ck_assert_int_eq(wstat_scan("signal TERMINATE", 11, &w), 1);
  ck_assert_int_eq(w, SIGTERM);
  ck_assert_int_eq(wstat_scan("signal SIGTERM", 14, &w), 1);
  ck_assert_int_eq(w, SIGTERM);
}
END_TEST

START_TEST(finish_args)
{
  char code[WSTAT_FMT_MAX], sig[WSTAT_FMT_MAX];
  wstat_finish_args(EXITED(3), code, sig);
  ck_assert_str_eq(code, "3");
  ck_assert_str_eq(sig, "0");
  wstat_finish_args(EXITED(0), code, sig);
  ck_assert_str_eq(code, "0");
  ck_assert_str_eq(sig, "0");
  wstat_finish_args(EXITED(255), code, sig);
  ck_assert_str_eq(code, "255");
  ck_assert_str_eq(sig, "0");
  wstat_finish_args(SIGKILL, code, sig);
  ck_assert_str_eq(code, "-1");
  ck_assert_str_eq(sig, "9");
  wstat_finish_args(SIGTERM | 0x80, code, sig);
  ck_assert_str_eq(code, "-1");
  ck_assert_str_eq(sig, "15");
}
END_TEST

START_TEST(code)
{
  ck_assert_int_eq(wstat_code(EXITED(0)), 0);
  ck_assert_int_eq(wstat_code(EXITED(3)), 3);
  ck_assert_int_eq(wstat_code(EXITED(255)), 255);
  ck_assert_int_eq(wstat_code(SIGKILL), 137);
  ck_assert_int_eq(wstat_code(SIGTERM), 143);
  ck_assert_int_eq(wstat_code(SIGSEGV | 0x80), 139);
}
END_TEST

Suite *wstat_suite (void);

Suite *
wstat_suite (void)
{
  Suite *s = suite_create("wstat");
  TCase *tc = tcase_create("fmt");
  tcase_add_loop_test(tc, fmt_names, 0, sizeof fmts / sizeof *fmts);
  tcase_add_test(tc, real_statuses);
  suite_add_tcase(s, tc);
  tc = tcase_create("scan");
  tcase_add_loop_test(tc, scan_names, 0, sizeof fmts / sizeof *fmts);
  tcase_add_test(tc, round_trip_all);
  tcase_add_loop_test(tc, scan_malformed, 0, sizeof bad / sizeof *bad);
  tcase_add_test(tc, scan_not_null_terminated);
  suite_add_tcase(s, tc);
  tc = tcase_create("finish");
  tcase_add_test(tc, finish_args);
  tcase_add_test(tc, code);
  suite_add_tcase(s, tc);
  return s;
}
