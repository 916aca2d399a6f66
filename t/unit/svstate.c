/* SPDX-License-Identifier: ISC */
/* t/unit/svstate.c: svtree's state file */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "harness.h"
#include "svstate.h"

#define ZERO_TEXT \
  "state=down\npid=0\nsince=0\nwant=down\nnormally=up\npaused=0\nready=0\nready_since=0\n" \
  "restarts=0\nfailures=0\nlast_exit=\nbackoff_until=0\npid_start=0\nhealth=-\nhealth_restarts=0\nwaiting_for=\nsignalled=0\n"

#define UP_TEXT \
  "state=up\npid=820\nsince=1700000000123456789\nwant=up\nnormally=down\npaused=1\nready=1\n" \
  "ready_since=1700000001000000000\nrestarts=3\nfailures=2\nlast_exit=signal KILL\n" \
  "backoff_until=1700000005000000000\npid_start=123456\nhealth=failing 2\nhealth_restarts=4\n" \
  "waiting_for=db cache\nsignalled=1\n"

static svstate const up =
{
  .state = SVSTATE_UP, .pid = 820, .since = 1700000000123456789ULL, .want = SVSTATE_WANT_UP,
  .normally_up = 0, .paused = 1, .ready = 1, .ready_since = 1700000001000000000ULL, .restarts = 3,
  .failures = 2, .has_exit = 1, .last_wstat = 9, .backoff_until = 1700000005000000000ULL, .pid_start = 123456,
  .health = SVSTATE_HEALTH_FAILING, .health_failing = 2, .health_restarts = 4, .waiting_for = "db cache",
  .signalled = 1
};

static void
assert_same (svstate const *a, svstate const *b)
{
  ck_assert_uint_eq(a->state, b->state);
  ck_assert_int_eq(a->pid, b->pid);
  ck_assert_uint_eq(a->since, b->since);
  ck_assert_uint_eq(a->want, b->want);
  ck_assert_uint_eq(a->normally_up, b->normally_up);
  ck_assert_uint_eq(a->paused, b->paused);
  ck_assert_uint_eq(a->ready, b->ready);
  ck_assert_uint_eq(a->ready_since, b->ready_since);
  ck_assert_uint_eq(a->restarts, b->restarts);
  ck_assert_uint_eq(a->failures, b->failures);
  ck_assert_int_eq(a->has_exit, b->has_exit);
  if (a->has_exit)
    ck_assert_int_eq(a->last_wstat, b->last_wstat);
  ck_assert_uint_eq(a->backoff_until, b->backoff_until);
  ck_assert_uint_eq(a->pid_start, b->pid_start);
  ck_assert_uint_eq(a->health, b->health);
  ck_assert_uint_eq(a->health_failing, b->health_failing);
  ck_assert_uint_eq(a->health_restarts, b->health_restarts);
  ck_assert_str_eq(a->waiting_for, b->waiting_for);
  ck_assert_uint_eq(a->signalled, b->signalled);
}

/* parse from an exact-size heap copy, so that ASan/valgrind see any overread */
static int
parse_exact (char const *s, size_t len, svstate *st)
{
  char *p = malloc(len ? len : 1);
  int r;
  ck_assert(p);
  memcpy(p, s, len);
  r = svstate_parse(p, len, st);
  free(p);
  return r;
}

START_TEST(fmt_zero)
{
  svstate st = SVSTATE_ZERO;
  char s[SVSTATE_FMT_MAX];
  size_t len = svstate_fmt(s, &st);
  ck_assert_uint_eq(len, sizeof ZERO_TEXT - 1);
  ck_assert_mem_eq(s, ZERO_TEXT, len);
}
END_TEST

START_TEST(fmt_up)
{
  char s[SVSTATE_FMT_MAX];
  size_t len = svstate_fmt(s, &up);
  ck_assert_uint_eq(len, sizeof UP_TEXT - 1);
  ck_assert_mem_eq(s, UP_TEXT, len);
}
END_TEST

START_TEST(fmt_last_exit_code)
{
  svstate st = SVSTATE_ZERO;
  char s[SVSTATE_FMT_MAX];
  size_t len;
  st.state = SVSTATE_FAILED;
  st.want = SVSTATE_WANT_EXIT;
  st.has_exit = 1;
  st.last_wstat = 3 << 8;
  len = svstate_fmt(s, &st);
  s[len] = 0;
  ck_assert_ptr_nonnull(strstr(s, "\nlast_exit=exit 3\n"));
  ck_assert_ptr_nonnull(strstr(s, "state=failed\n"));
  ck_assert_ptr_nonnull(strstr(s, "\nwant=exit\n"));
}
END_TEST

START_TEST(fmt_max_fits)
{
  svstate st = SVSTATE_ZERO;
  char s[SVSTATE_FMT_MAX];
  st.state = SVSTATE_FINISHING;
  st.pid = 2147483647;
  st.since = st.ready_since = st.restarts = st.failures = st.backoff_until = st.pid_start = UINT64_MAX;
  st.has_exit = 1;
  st.last_wstat = 64;
  st.health = SVSTATE_HEALTH_FAILING;
  st.health_failing = UINT32_MAX;
  st.health_restarts = UINT64_MAX;
  memset(st.waiting_for, 'x', SVSTATE_WAITING_MAX - 1);
  st.waiting_for[SVSTATE_WAITING_MAX - 1] = 0;
  ck_assert_uint_lt(svstate_fmt(s, &st), SVSTATE_FMT_MAX);
}
END_TEST

START_TEST(names)
{
  static char const *const s[7] = { "down", "up", "finishing", "backoff", "stopping", "failed", "waiting" };
  static char const *const w[4] = { "up", "down", "once", "exit" };
  unsigned int i;
  for (i = 0; i < 7; i++)
    ck_assert_str_eq(svstate_state_names[i], s[i]);
  for (i = 0; i < 4; i++)
    ck_assert_str_eq(svstate_want_names[i], w[i]);
  ck_assert_int_eq(SVSTATE_FAILED, 5);
  ck_assert_int_eq(SVSTATE_WANT_EXIT, 3);
}
END_TEST

START_TEST(parse_golden)
{
  svstate st = SVSTATE_ZERO, zero = SVSTATE_ZERO;
  ck_assert_int_eq(parse_exact(UP_TEXT, sizeof UP_TEXT - 1, &st), 1);
  assert_same(&st, &up);
  ck_assert_int_eq(parse_exact(ZERO_TEXT, sizeof ZERO_TEXT - 1, &st), 1);
  assert_same(&st, &zero);
}
END_TEST

static svstate const trips[] =
{
  { .state = SVSTATE_DOWN, .want = SVSTATE_WANT_DOWN, .normally_up = 1 },
  { .state = SVSTATE_BACKOFF, .pid = 0, .since = 1, .want = SVSTATE_WANT_UP, .normally_up = 1, .failures = 5, .has_exit = 1, .last_wstat = 1 << 8, .backoff_until = 99 },
  { .state = SVSTATE_STOPPING, .pid = 1, .since = UINT64_MAX, .want = SVSTATE_WANT_ONCE, .paused = 1, .restarts = UINT64_MAX, .has_exit = 1, .last_wstat = 15 },
  { .state = SVSTATE_FINISHING, .pid = 2147483647, .want = SVSTATE_WANT_EXIT, .has_exit = 1, .last_wstat = 255 << 8, .pid_start = UINT64_MAX },
  { .state = SVSTATE_FAILED, .pid = 4242, .want = SVSTATE_WANT_DOWN, .has_exit = 1, .last_wstat = 34 },
  { .state = SVSTATE_UP, .pid = 17, .want = SVSTATE_WANT_UP, .ready = 1, .ready_since = 12345, .has_exit = 1, .last_wstat = 0 },
  { .state = SVSTATE_WAITING, .want = SVSTATE_WANT_UP, .health = SVSTATE_HEALTH_UNHEALTHY, .health_restarts = 7, .waiting_for = "db\\040x cache" },
  { .state = SVSTATE_UP, .pid = 18, .want = SVSTATE_WANT_UP, .health = SVSTATE_HEALTH_OK },
  { .state = SVSTATE_UP, .pid = 19, .want = SVSTATE_WANT_UP, .paused = 1, .signalled = 1 },
};

START_TEST(round_trip)
{
  char s[SVSTATE_FMT_MAX];
  svstate st;
  size_t len = svstate_fmt(s, &trips[_i]);
  ck_assert_int_eq(parse_exact(s, len, &st), 1);
  assert_same(&st, &trips[_i]);
}
END_TEST

START_TEST(parse_minimal_defaults)
{
  static char const text[] = "state=up\npid=5\nsince=7\nwant=once";
  svstate st, zero = SVSTATE_ZERO;
  ck_assert_int_eq(parse_exact(text, sizeof text - 1, &st), 1);
  ck_assert_uint_eq(st.state, SVSTATE_UP);
  ck_assert_int_eq(st.pid, 5);
  ck_assert_uint_eq(st.since, 7);
  ck_assert_uint_eq(st.want, SVSTATE_WANT_ONCE);
  zero.state = SVSTATE_UP;
  zero.pid = 5;
  zero.since = 7;
  zero.want = SVSTATE_WANT_ONCE;
  assert_same(&st, &zero);
}
END_TEST

START_TEST(parse_ignores_unknown_and_blank)
{
  static char const text[] = "\n\nfuture=whatever=x\nstate=down\n\n# comment\npid=0\nnoequals\nsince=1\nwant=down\nstate_x=1\n=\n\n";
  svstate st;
  ck_assert_int_eq(parse_exact(text, sizeof text - 1, &st), 1);
  ck_assert_uint_eq(st.since, 1);
}
END_TEST

static char const *const missing[] =
{
  "pid=0\nsince=0\nwant=down\n",
  "state=down\nsince=0\nwant=down\n",
  "state=down\npid=0\nwant=down\n",
  "state=down\npid=0\nsince=0\n",
  "",
  "\n\n\n",
  "state=down pid=0 since=0 want=down",
  "STATE=down\npid=0\nsince=0\nwant=down\n",
};

START_TEST(parse_missing_required)
{
  svstate st = SVSTATE_ZERO;
  T_FAILS_WITH(parse_exact(missing[_i], strlen(missing[_i]), &st), EPROTO);
}
END_TEST

static char const *const malformed[] =
{
  "state=bogus", "state=", "state=Down", "state=down ", "state", "state=up\r",
  "pid=", "pid=-1", "pid=abc", "pid=2147483648", "pid=99999999999999999999", "pid=1 ", "pid= 1", "pid",
  "since=", "since=1x", "since=18446744073709551616", "since=0x10", "since=+1",
  "want=maybe", "want=", "want=UP",
  "normally=sideways", "normally=", "normally=upp",
  "paused=2", "paused=", "paused=01", "ready=yes", "ready=-0",
  "ready_since=x", "restarts=1.5", "failures=-1", "backoff_until=1e9", "pid_start=",
  "health=", "health=fine", "health=failing ", "health=failing x", "health_restarts=-2",
  "signalled=2", "signalled=", "signalled=yes",
  "last_exit=exit", "last_exit=exit ", "last_exit=exit 256", "last_exit=exit -1", "last_exit=exit 3x",
  "last_exit=signal", "last_exit=signal FOO", "last_exit=signal 0", "last_exit=signal 999", "last_exit=died",
};

START_TEST(parse_malformed)
{
  char text[256];
  int n = snprintf(text, sizeof text, "state=down\npid=0\nsince=0\nwant=down\n%s\n", malformed[_i]);
  svstate st = SVSTATE_ZERO;
  T_FAILS_WITH(parse_exact(text, (size_t)n, &st), EPROTO);
  /* and first, before the required keys */
  n = snprintf(text, sizeof text, "%s\nstate=down\npid=0\nsince=0\nwant=down\n", malformed[_i]);
  T_FAILS_WITH(parse_exact(text, (size_t)n, &st), EPROTO);
}
END_TEST

START_TEST(parse_nul_bytes)
{
  static char const text[] = "state=down\0\npid=0\nsince=0\nwant=down\n";
  static char const text2[] = "state=down\npid=0\0\nsince=0\nwant=down\n";
  static char const text3[] = "state=down\npid=0\nsince=0\nwant=down\nx\0y=1\n";
  svstate st;
  ck_assert_int_eq(parse_exact(text, sizeof text - 1, &st), 0);
  ck_assert_int_eq(parse_exact(text2, sizeof text2 - 1, &st), 0);
  ck_assert_int_eq(parse_exact(text3, sizeof text3 - 1, &st), 1);
}
END_TEST

START_TEST(parse_does_not_touch_on_failure)
{
  static char const text[] = "state=up\npid=5\nsince=7\n";
  svstate st = up;
  ck_assert_int_eq(parse_exact(text, sizeof text - 1, &st), 0);
  assert_same(&st, &up);
}
END_TEST

START_TEST(parse_truncated)
{
  size_t len;
  /* UP_TEXT cut anywhere: never a crash; accepted only once want= is complete */
  for (len = 0; len <= sizeof UP_TEXT - 1; len++)
  {
    svstate st;
    int r = parse_exact(UP_TEXT, len, &st);
    char const *w = strstr(UP_TEXT, "want=up\n");
    if (len < (size_t)(w - UP_TEXT) + 7)
      ck_assert_msg(!r, "prefix of %zu bytes accepted", len);
    else if (r)
      ck_assert_uint_eq(st.want, SVSTATE_WANT_UP);
  }
}
END_TEST

START_TEST(parse_garbage)
{
  static char const alphabet[] = "=\n\0 01234567899statepidsincewantupdownoncexitnormallyfailedreadylast_exitsignal KILLTERM";
  uint32_t x = 2463534242u;
  unsigned int round;
  for (round = 0; round < 20000; round++)
  {
    char buf[160];
    size_t len, i;
    svstate st;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    len = x % sizeof buf;
    for (i = 0; i < len; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      buf[i] = round & 1 ? (char)(x & 0xff) : alphabet[x % (sizeof alphabet - 1)];
    }
    parse_exact(buf, len, &st);
  }
}
END_TEST

START_TEST(write_golden)
{
  char *s;
  t_mkdir("w1");
  ck_assert_int_eq(svstate_write("w1", &up), 1);
  s = t_read("w1/state");
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, UP_TEXT);
  free(s);
  ck_assert_int_eq(access("w1/state.new", F_OK), -1);
}
END_TEST

START_TEST(read_round_trip)
{
  svstate st;
  t_mkdir("r1");
  ck_assert_int_eq(svstate_write("r1", &trips[2]), 1);
  ck_assert_int_eq(svstate_read("r1", &st), 1);
  assert_same(&st, &trips[2]);
}
END_TEST

START_TEST(read_errors)
{
  svstate st = SVSTATE_ZERO;
  t_mkdir("r2");
  T_FAILS_WITH(svstate_read("r2", &st), ENOENT);
  t_write("r2/state", "state=down\npid=0\n");
  T_FAILS_WITH(svstate_read("r2", &st), EPROTO);
  t_write("r2/state", "");
  T_FAILS_WITH(svstate_read("r2", &st), EPROTO);
  T_FAILS_WITH(svstate_write("nonexistent", &st), ENOENT);
}
END_TEST

Suite *svstate_suite (void);

Suite *
svstate_suite (void)
{
  Suite *s = suite_create("svstate");
  TCase *tc = tcase_create("fmt");
  tcase_add_test(tc, fmt_zero);
  tcase_add_test(tc, fmt_up);
  tcase_add_test(tc, fmt_last_exit_code);
  tcase_add_test(tc, fmt_max_fits);
  tcase_add_test(tc, names);
  suite_add_tcase(s, tc);
  tc = tcase_create("parse");
  tcase_add_test(tc, parse_golden);
  tcase_add_loop_test(tc, round_trip, 0, sizeof trips / sizeof *trips);
  tcase_add_test(tc, parse_minimal_defaults);
  tcase_add_test(tc, parse_ignores_unknown_and_blank);
  tcase_add_loop_test(tc, parse_missing_required, 0, sizeof missing / sizeof *missing);
  tcase_add_loop_test(tc, parse_malformed, 0, sizeof malformed / sizeof *malformed);
  tcase_add_test(tc, parse_nul_bytes);
  tcase_add_test(tc, parse_does_not_touch_on_failure);
  tcase_add_test(tc, parse_truncated);
  tcase_add_test(tc, parse_garbage);
  suite_add_tcase(s, tc);
  tc = tcase_create("file");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_test(tc, write_golden);
  tcase_add_test(tc, read_round_trip);
  tcase_add_test(tc, read_errors);
  suite_add_tcase(s, tc);
  return s;
}
