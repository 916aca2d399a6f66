/* SPDX-License-Identifier: ISC */
/* t/unit/svstatus.c: runit's status, stat and pid files */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <check.h>

#include "harness.h"
#include "svstatus.h"

#define GOLDEN "\x40\0\0\0\x65\x53\xf1\x0a" "\0\0\x01\xf4" "\x34\x03\0\0" "\0u\0\x01"

START_TEST(pack_matches_runsv)
{
  svstatus st = { .sec = 0x6553f100, .nsec = 500, .pid = 820, .want = 'u', .state = SVSTATUS_RUN };
  char s[SVSTATUS_SIZE];
  svstatus_pack(s, &st);
  ck_assert_mem_eq(s, GOLDEN, SVSTATUS_SIZE);
}
END_TEST

START_TEST(pack_flags_and_pid_byte_order)
{
  svstatus st = { .sec = 1, .nsec = 999999999, .pid = 0x12345678, .paused = 1, .want = 'd', .termsent = 1, .state = SVSTATUS_FINISH, .wantexit = 1 };
  char s[SVSTATUS_SIZE];
  svstatus_pack(s, &st);
  ck_assert_mem_eq(s, "\x40\0\0\0\0\0\0\x0b" "\x3b\x9a\xc9\xff" "\x78\x56\x34\x12" "\x01" "d" "\x01\x02", SVSTATUS_SIZE);
}
END_TEST

START_TEST(unpack_golden)
{
  svstatus st = { .wantexit = 1 };
  svstatus_unpack(GOLDEN, &st);
  ck_assert_uint_eq(st.sec, 0x6553f100);
  ck_assert_uint_eq(st.nsec, 500);
  ck_assert_int_eq(st.pid, 820);
  ck_assert_uint_eq(st.paused, 0);
  ck_assert_int_eq(st.want, 'u');
  ck_assert_uint_eq(st.termsent, 0);
  ck_assert_uint_eq(st.state, SVSTATUS_RUN);
  ck_assert_uint_eq(st.wantexit, 0);
}
END_TEST

static svstatus const trips[] =
{
  { .sec = 0, .nsec = 0, .pid = 0, .paused = 0, .want = 'd', .termsent = 0, .state = SVSTATUS_DOWN },
  { .sec = 1700000000, .nsec = 123456789, .pid = 4194304, .paused = 1, .want = 'u', .termsent = 1, .state = SVSTATUS_RUN },
  { .sec = 0xffffffffULL, .nsec = 1, .pid = 1, .paused = 0, .want = 'd', .termsent = 1, .state = SVSTATUS_FINISH },
  { .sec = 4102444800ULL, .nsec = 999999999, .pid = 2147483647, .paused = 1, .want = 'u', .termsent = 0, .state = SVSTATUS_DOWN },
};

START_TEST(pack_unpack_round_trip)
{
  svstatus const *a = &trips[_i];
  svstatus b;
  char s[SVSTATUS_SIZE];
  svstatus_pack(s, a);
  svstatus_unpack(s, &b);
  ck_assert_uint_eq(a->sec, b.sec);
  ck_assert_uint_eq(a->nsec, b.nsec);
  ck_assert_int_eq(a->pid, b.pid);
  ck_assert_uint_eq(a->paused, b.paused);
  ck_assert_int_eq(a->want, b.want);
  ck_assert_uint_eq(a->termsent, b.termsent);
  ck_assert_uint_eq(a->state, b.state);
}
END_TEST

struct statcase
{
  unsigned char state, paused, termsent, wantexit;
  char want;
  char const *text;
};

static struct statcase const stats[] =
{
  { SVSTATUS_RUN, 0, 0, 0, 'u', "run\n" },
  { SVSTATUS_DOWN, 0, 0, 0, 'd', "down\n" },
  { SVSTATUS_DOWN, 0, 0, 0, 'u', "down\n" },
  { SVSTATUS_FINISH, 0, 0, 0, 'u', "finish\n" },
  { SVSTATUS_RUN, 1, 0, 0, 'u', "run, paused\n" },
  { SVSTATUS_RUN, 0, 1, 0, 'u', "run, got TERM\n" },
  { SVSTATUS_RUN, 0, 0, 0, 'd', "run, want down\n" },
  { SVSTATUS_RUN, 0, 0, 1, 'd', "run, want exit\n" },
  { SVSTATUS_RUN, 0, 0, 1, 'u', "run, want exit\n" },
  { SVSTATUS_RUN, 1, 1, 0, 'd', "run, paused, got TERM, want down\n" },
  { SVSTATUS_FINISH, 1, 1, 0, 'd', "finish, paused, got TERM, want down\n" },
  { SVSTATUS_FINISH, 0, 1, 1, 'd', "finish, got TERM, want exit\n" },
  { SVSTATUS_DOWN, 1, 1, 1, 'd', "down, paused, got TERM\n" },
};

START_TEST(stat_text_matches_runsv)
{
  struct statcase const *c = &stats[_i];
  svstatus st = SVSTATUS_ZERO;
  char s[SVSTATUS_STAT_MAX];
  size_t len;
  st.state = c->state;
  st.paused = c->paused;
  st.termsent = c->termsent;
  st.wantexit = c->wantexit;
  st.want = c->want;
  len = svstatus_fmt_stat(s, &st);
  ck_assert_uint_eq(len, strlen(c->text));
  ck_assert_mem_eq(s, c->text, len);
  ck_assert_uint_le(len, SVSTATUS_STAT_MAX);
}
END_TEST

static void
check_file (char const *path, char const *content, size_t len)
{
  char *s = t_read(path);
  ck_assert_msg(s, "%s missing", path);
  ck_assert_mem_eq(s, content, len);
  ck_assert_msg(s[len] == 0, "%s longer than expected", path);
  free(s);
}

START_TEST(write_golden_files)
{
  svstatus st = { .sec = 0x6553f100, .nsec = 500, .pid = 820, .want = 'u', .state = SVSTATUS_RUN };
  t_mkdir("w1");
  ck_assert_int_eq(svstatus_write("w1", &st), 1);
  check_file("w1/status", GOLDEN, SVSTATUS_SIZE);
  check_file("w1/stat", "run\n", 4);
  check_file("w1/pid", "820\n", 4);
  ck_assert_int_eq(access("w1/status.new", F_OK), -1);
  ck_assert_int_eq(access("w1/stat.new", F_OK), -1);
  ck_assert_int_eq(access("w1/pid.new", F_OK), -1);
}
END_TEST

START_TEST(write_down_empty_pid)
{
  svstatus st = SVSTATUS_ZERO;
  st.sec = 1700000000;
  st.termsent = 1;
  t_mkdir("w2");
  t_write("w2/pid", "123\n");
  ck_assert_int_eq(svstatus_write("w2", &st), 1);
  check_file("w2/pid", "", 0);
  check_file("w2/stat", "down, got TERM\n", 15);
  check_file("w2/status", "\x40\0\0\0\x65\x53\xf1\x0a" "\0\0\0\0" "\0\0\0\0" "\0d\x01\0", SVSTATUS_SIZE);
}
END_TEST

START_TEST(write_replaces_atomically)
{
  svstatus st = { .sec = 5, .nsec = 6, .pid = 77, .want = 'd', .state = SVSTATUS_FINISH, .wantexit = 1 };
  struct stat before, after;
  t_mkdir("w3");
  ck_assert_int_eq(svstatus_write("w3", &st), 1);
  ck_assert_int_eq(stat("w3/status", &before), 0);
  st.pid = 78;
  ck_assert_int_eq(svstatus_write("w3", &st), 1);
  ck_assert_int_eq(stat("w3/status", &after), 0);
  ck_assert_msg(before.st_ino != after.st_ino, "status rewritten in place, not renamed");
  check_file("w3/stat", "finish, want exit\n", 18);
  check_file("w3/pid", "78\n", 3);
}
END_TEST

START_TEST(write_no_dir)
{
  svstatus st = SVSTATUS_ZERO;
  T_FAILS_WITH(svstatus_write("nonexistent", &st), ENOENT);
}
END_TEST

START_TEST(read_round_trip)
{
  svstatus st = { .sec = 1700000001, .nsec = 42, .pid = 999, .paused = 1, .want = 'd', .termsent = 1, .state = SVSTATUS_RUN, .wantexit = 1 };
  svstatus r = SVSTATUS_ZERO;
  t_mkdir("r1");
  ck_assert_int_eq(svstatus_write("r1", &st), 1);
  ck_assert_int_eq(svstatus_read("r1", &r), 1);
  ck_assert_uint_eq(r.sec, st.sec);
  ck_assert_uint_eq(r.nsec, st.nsec);
  ck_assert_int_eq(r.pid, st.pid);
  ck_assert_uint_eq(r.paused, 1);
  ck_assert_int_eq(r.want, 'd');
  ck_assert_uint_eq(r.termsent, 1);
  ck_assert_uint_eq(r.state, SVSTATUS_RUN);
  ck_assert_uint_eq(r.wantexit, 0);
}
END_TEST

START_TEST(read_errors)
{
  svstatus r;
  t_mkdir("r2");
  T_FAILS_WITH(svstatus_read("r2", &r), ENOENT);
  t_write("r2/status", "0123456789012345678");
  T_FAILS_WITH(svstatus_read("r2", &r), EPROTO);
  t_write("r2/status", "012345678901234567890");
  T_FAILS_WITH(svstatus_read("r2", &r), EPROTO);
  t_write("r2/status", "");
  T_FAILS_WITH(svstatus_read("r2", &r), EPROTO);
}
END_TEST

Suite *svstatus_suite (void);

Suite *
svstatus_suite (void)
{
  Suite *s = suite_create("svstatus");
  TCase *tc = tcase_create("pack");
  tcase_add_test(tc, pack_matches_runsv);
  tcase_add_test(tc, pack_flags_and_pid_byte_order);
  tcase_add_test(tc, unpack_golden);
  tcase_add_loop_test(tc, pack_unpack_round_trip, 0, sizeof trips / sizeof *trips);
  suite_add_tcase(s, tc);
  tc = tcase_create("stat");
  tcase_add_loop_test(tc, stat_text_matches_runsv, 0, sizeof stats / sizeof *stats);
  suite_add_tcase(s, tc);
  tc = tcase_create("write");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_test(tc, write_golden_files);
  tcase_add_test(tc, write_down_empty_pid);
  tcase_add_test(tc, write_replaces_atomically);
  tcase_add_test(tc, write_no_dir);
  suite_add_tcase(s, tc);
  tc = tcase_create("read");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_test(tc, read_round_trip);
  tcase_add_test(tc, read_errors);
  suite_add_tcase(s, tc);
  return s;
}
