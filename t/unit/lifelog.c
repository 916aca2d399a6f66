/* SPDX-License-Identifier: ISC */
/* t/unit/lifelog.c: lifecycle lines on stderr */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <skalibs/strerr.h>

#include "lifelog.h"

/* fd 2 becomes a packet-mode pipe: each read returns exactly one write */
static int saved2 = -1, rd = -1;
static char const *savedprog;

static void
capture (void)
{
  int p[2];
  ck_assert_int_eq(pipe2(p, O_DIRECT | O_CLOEXEC), 0);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  saved2 = dup(2);
  ck_assert_int_ge(saved2, 0);
  ck_assert_int_eq(dup2(p[1], 2), 2);
  close(p[1]);
  rd = p[0];
  savedprog = PROG;
  PROG = "supervise";
  lifelog_quiet = 0;
}

static void
release (void)
{
  dup2(saved2, 2);
  close(saved2);
  close(rd);
  PROG = savedprog;
  lifelog_quiet = 0;
}

/* one write's bytes, null-terminated; 0 bytes if nothing was written */
static ssize_t
one_write (char *buf, size_t max)
{
  ssize_t r = read(rd, buf, max - 1);
  if (r < 0)
    r = 0;
  buf[r] = 0;
  return r;
}

START_TEST(line_with_details)
{
  char buf[8192];
  lifelog("web", "spawned", "pid ", "820");
  ck_assert_int_eq(one_write(buf, sizeof buf), 33);
  ck_assert_str_eq(buf, "supervise: web: spawned: pid 820\n");
  ck_assert_int_eq(one_write(buf, sizeof buf), 0);
}
END_TEST

START_TEST(line_many_parts)
{
  char buf[8192];
  lifelog("web", "killed", "signal ", "KILL", " after ", "2", " s; failed start ", "3", ", retrying in ", "4", " s");
  one_write(buf, sizeof buf);
  ck_assert_str_eq(buf, "supervise: web: killed: signal KILL after 2 s; failed start 3, retrying in 4 s\n");
  ck_assert_int_eq(one_write(buf, sizeof buf), 0);
}
END_TEST

START_TEST(line_without_details)
{
  char buf[8192];
  lifelog0("web", "down");
  one_write(buf, sizeof buf);
  ck_assert_str_eq(buf, "supervise: web: down\n");
}
END_TEST

START_TEST(quiet)
{
  char buf[8192];
  lifelog_quiet = 1;
  lifelog("web", "spawned", "pid ", "820");
  lifelog0("web", "down");
  ck_assert_int_eq(one_write(buf, sizeof buf), 0);
}
END_TEST

START_TEST(cut_at_4096)
{
  static char big[6000];
  char buf[8192];
  memset(big, 'x', sizeof big - 1);
  lifelog("web", "exited", big, "tail");
  ck_assert_int_eq(one_write(buf, sizeof buf), 4096);
  ck_assert_mem_eq(buf, "supervise: web: exited: xxx", 27);
  ck_assert_int_eq(buf[4095], '\n');
  ck_assert_ptr_null(memchr(buf, '\n', 4095));
  ck_assert_int_eq(one_write(buf, sizeof buf), 0);
}
END_TEST

START_TEST(keeps_errno)
{
  char buf[8192];
  errno = EBADF;
  lifelog("web", "ready", "up ", "1000", " ms");
  ck_assert_int_eq(errno, EBADF);
  one_write(buf, sizeof buf);
  ck_assert_str_eq(buf, "supervise: web: ready: up 1000 ms\n");
}
END_TEST

Suite *lifelog_suite (void);

Suite *
lifelog_suite (void)
{
  Suite *s = suite_create("lifelog");
  TCase *tc = tcase_create("line");
  tcase_add_checked_fixture(tc, capture, release);
  tcase_add_test(tc, line_with_details);
  tcase_add_test(tc, line_many_parts);
  tcase_add_test(tc, line_without_details);
  tcase_add_test(tc, quiet);
  tcase_add_test(tc, cut_at_4096);
  tcase_add_test(tc, keeps_errno);
  suite_add_tcase(s, tc);
  return s;
}
