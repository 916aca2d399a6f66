/* SPDX-License-Identifier: ISC */
/* t/unit/control.c: writing to a control FIFO */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <check.h>

#include "control.h"
#include "harness.h"

START_TEST(no_reader)
{
  t_mkdir("s1");
  ck_assert_int_eq(mkfifo("s1/control", 0600), 0);
  T_FAILS_WITH(control_send("s1", "u", 1), ENXIO);
}
END_TEST

START_TEST(no_fifo)
{
  t_mkdir("s2");
  T_FAILS_WITH(control_send("s2", "u", 1), ENOENT);
  T_FAILS_WITH(control_send("nonexistent", "u", 1), ENOENT);
}
END_TEST

START_TEST(bytes_arrive)
{
  char buf[16];
  int fd;
  t_mkdir("s3");
  ck_assert_int_eq(mkfifo("s3/control", 0600), 0);
  fd = open("s3/control", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(control_send("s3", "tcu", 3), 1);
  ck_assert_int_eq(control_send("s3", "x", 1), 1);
  ck_assert_int_eq(read(fd, buf, sizeof buf), 4);
  ck_assert_mem_eq(buf, "tcux", 4);
  close(fd);
}
END_TEST

START_TEST(full_fifo)
{
  char chunk[4096];
  int rfd, wfd;
  t_mkdir("s4");
  ck_assert_int_eq(mkfifo("s4/control", 0600), 0);
  rfd = open("s4/control", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  wfd = open("s4/control", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  ck_assert_int_ge(rfd, 0);
  ck_assert_int_ge(wfd, 0);
  memset(chunk, 'u', sizeof chunk);
  while (write(wfd, chunk, sizeof chunk) > 0)
    ;
  while (write(wfd, chunk, 1) > 0)
    ;
  ck_assert_int_eq(errno, EAGAIN);
  errno = 0;
  ck_assert_int_eq(control_send("s4", "d", 1), -1);
  ck_assert_int_eq(errno, EAGAIN);
  close(wfd);
  close(rfd);
}
END_TEST

START_TEST(not_a_dir)
{
  t_write("s5", "");
  errno = 0;
  ck_assert_int_eq(control_send("s5", "u", 1), -1);
  ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

Suite *control_suite (void);

Suite *
control_suite (void)
{
  Suite *s = suite_create("control");
  TCase *tc = tcase_create("send");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 10);
  tcase_add_test(tc, no_reader);
  tcase_add_test(tc, no_fifo);
  tcase_add_test(tc, bytes_arrive);
  tcase_add_test(tc, full_fifo);
  tcase_add_test(tc, not_a_dir);
  suite_add_tcase(s, tc);
  return s;
}
