/* SPDX-License-Identifier: ISC */
/* t/unit/fifodir.c: SERVICE/event/ */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <check.h>
#include <skalibs/stralloc.h>

#include "fifodir.h"
#include "harness.h"

START_TEST(make)
{
  struct stat st;
  ck_assert_int_eq(fifodir_make("ev1"), 1);
  ck_assert_int_eq(stat("ev1", &st), 0);
  ck_assert(S_ISDIR(st.st_mode));
  ck_assert_uint_eq(st.st_mode & 07777, 0700);
  ck_assert_int_eq(fifodir_make("ev1"), 1);
  t_write("file", "");
  T_FAILS_WITH(fifodir_make("file"), ENOTDIR);
  T_FAILS_WITH(fifodir_make("nonexistent/event"), ENOENT);
}
END_TEST

START_TEST(subscribe)
{
  stralloc a = STRALLOC_ZERO, b = STRALLOC_ZERO;
  char prefix[64];
  struct stat st;
  int fa, fb;
  ck_assert_int_eq(fifodir_make("ev2"), 1);
  ck_assert(stralloc_cats(&a, "previous content"));
  fa = fifodir_subscribe("ev2", &a);
  fb = fifodir_subscribe("ev2", &b);
  ck_assert_int_ge(fa, 0);
  ck_assert_int_ge(fb, 0);
  snprintf(prefix, sizeof prefix, "ev2/ftrig-%d-", (int)getpid());
  ck_assert_uint_eq(strlen(a.s), a.len);
  ck_assert_msg(!strncmp(a.s, prefix, strlen(prefix)), "name %s does not start with %s", a.s, prefix);
  ck_assert_msg(!strncmp(b.s, prefix, strlen(prefix)), "name %s does not start with %s", b.s, prefix);
  ck_assert_str_ne(a.s, b.s);
  ck_assert_int_eq(lstat(a.s, &st), 0);
  ck_assert(S_ISFIFO(st.st_mode));
  ck_assert_uint_eq(st.st_mode & 0077, 0);
  ck_assert_int_eq(fcntl(fa, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  ck_assert_int_eq(fcntl(fa, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
  fifodir_unsubscribe(fa, a.s);
  ck_assert_int_eq(access(a.s, F_OK), -1);
  ck_assert_int_eq(fcntl(fa, F_GETFD), -1);
  ck_assert_int_eq(errno, EBADF);
  fifodir_unsubscribe(fb, b.s);
  stralloc_free(&a);
  stralloc_free(&b);
  errno = 0;
  ck_assert_int_eq(fifodir_subscribe("nonexistent", &a), -1);
  ck_assert_int_eq(errno, ENOENT);
  stralloc_free(&a);
}
END_TEST

START_TEST(notify_delivers)
{
  stralloc a = STRALLOC_ZERO, b = STRALLOC_ZERO;
  char buf[16];
  int fa, fb;
  ck_assert_int_eq(fifodir_make("ev3"), 1);
  ck_assert_int_eq(fifodir_notify("ev3", "s", 1), 0);
  fa = fifodir_subscribe("ev3", &a);
  fb = fifodir_subscribe("ev3", &b);
  ck_assert_int_ge(fa, 0);
  ck_assert_int_ge(fb, 0);
  ck_assert_int_eq(fifodir_notify("ev3", "u", 1), 2);
  ck_assert_int_eq(fifodir_notify("ev3", "Ud", 2), 2);
  ck_assert_int_eq(read(fa, buf, sizeof buf), 3);
  ck_assert_mem_eq(buf, "uUd", 3);
  ck_assert_int_eq(read(fb, buf, sizeof buf), 3);
  ck_assert_mem_eq(buf, "uUd", 3);
  fifodir_unsubscribe(fa, a.s);
  ck_assert_int_eq(fifodir_notify("ev3", "D", 1), 1);
  ck_assert_int_eq(read(fb, buf, sizeof buf), 1);
  ck_assert_int_eq(buf[0], 'D');
  ck_assert_int_eq(read(fb, buf, sizeof buf), -1);
  ck_assert_int_eq(errno, EAGAIN);
  fifodir_unsubscribe(fb, b.s);
  stralloc_free(&a);
  stralloc_free(&b);
  errno = 0;
  ck_assert_int_eq(fifodir_notify("nonexistent", "x", 1), -1);
  ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(notify_never_blocks)
{
  stralloc a = STRALLOC_ZERO, b = STRALLOC_ZERO;
  char chunk[512], buf[1024];
  unsigned int i, full = 0;
  int fa, fb;
  memset(chunk, 'u', sizeof chunk);
  ck_assert_int_eq(fifodir_make("ev4"), 1);
  fa = fifodir_subscribe("ev4", &a);  /* never reads */
  fb = fifodir_subscribe("ev4", &b);  /* reads everything */
  ck_assert_int_ge(fa, 0);
  ck_assert_int_ge(fb, 0);
  for (i = 0; i < 200; i++)  /* 100 KiB, more than a pipe holds */
  {
    int r = fifodir_notify("ev4", chunk, sizeof chunk);
    ck_assert_int_ge(r, 1);
    if (r == 1)
      full++;
    while (read(fb, buf, sizeof buf) > 0)
      ;
  }
  ck_assert_uint_gt(full, 0);
  for (i = 0; i < 100; i++)
  {
    ck_assert_int_eq(fifodir_notify("ev4", "d", 1), 1);
    ck_assert_int_eq(read(fb, buf, sizeof buf), 1);
  }
  fifodir_unsubscribe(fa, a.s);
  fifodir_unsubscribe(fb, b.s);
  stralloc_free(&a);
  stralloc_free(&b);
}
END_TEST

static void
age (char const *path, time_t sec)
{
  struct timespec ts[2];
  clock_gettime(CLOCK_REALTIME, &ts[0]);
  ts[0].tv_sec -= sec;
  ts[1] = ts[0];
  ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

START_TEST(stale_cleanup)
{
  stralloc a = STRALLOC_ZERO;
  char *s;
  int fa;
  ck_assert_int_eq(fifodir_make("ev5"), 1);
  ck_assert_int_eq(mkfifo("ev5/ftrig-1-2-old", 0600), 0);
  age("ev5/ftrig-1-2-old", 120);
  ck_assert_int_eq(mkfifo("ev5/ftrig-1-3-new", 0600), 0);
  age("ev5/ftrig-1-3-new", 30);
  ck_assert_int_eq(mkfifo("ev5/other-old", 0600), 0);
  age("ev5/other-old", 120);
  t_write("ev5/ftrig-file", "keep");
  age("ev5/ftrig-file", 120);
  fa = fifodir_subscribe("ev5", &a);
  ck_assert_int_ge(fa, 0);
  age(a.s, 3600);  /* an old subscriber that still listens stays */
  ck_assert_int_eq(fifodir_notify("ev5", "x", 1), 1);
  ck_assert_int_eq(access("ev5/ftrig-1-2-old", F_OK), -1);
  ck_assert_int_eq(access("ev5/ftrig-1-3-new", F_OK), 0);
  ck_assert_int_eq(access("ev5/other-old", F_OK), 0);
  ck_assert_int_eq(access(a.s, F_OK), 0);
  s = t_read("ev5/ftrig-file");
  ck_assert_str_eq(s, "keep");
  free(s);
  fifodir_unsubscribe(fa, a.s);
  stralloc_free(&a);
}
END_TEST

Suite *fifodir_suite (void);

Suite *
fifodir_suite (void)
{
  Suite *s = suite_create("fifodir");
  TCase *tc = tcase_create("fifodir");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, make);
  tcase_add_test(tc, subscribe);
  tcase_add_test(tc, notify_delivers);
  tcase_add_test(tc, notify_never_blocks);
  tcase_add_test(tc, stale_cleanup);
  suite_add_tcase(s, tc);
  return s;
}
