/* SPDX-License-Identifier: ISC */
/* t/unit/logstamp.c: the stamps before a line, golden bytes */
#include <string.h>

#include <check.h>

#include "harness.h"
#include "logstamp.h"
#include "suites.h"

static void stamp_is (int kind, int64_t sec, uint32_t nsec, char const *want)
{
  logstamp ls = LOGSTAMP_ZERO(kind);
  char s[LOGSTAMP_MAX];
  size_t n = logstamp_fmt(&ls, s, sec, nsec);
  ck_assert_uint_eq(n, strlen(want));
  ck_assert_mem_eq(s, want, n);
   /* from the cache: the same bytes */
  n = logstamp_fmt(&ls, s, sec, nsec);
  ck_assert_mem_eq(s, want, n);
}

START_TEST(tai64n)
{
   /* runit's base: 2^62 + 10 */
  stamp_is(LOGSTAMP_TAI64N, 0, 0, "@400000000000000a00000000 ");
  stamp_is(LOGSTAMP_TAI64N, 1796391425, 0x26bb5244, "@400000006b12c20b26bb5244 ");
}
END_TEST

START_TEST(svlogd_forms)
{
  stamp_is(LOGSTAMP_UNDER, 1796373360, 123456789, "2026-12-04_08:36:00.12345 ");
  stamp_is(LOGSTAMP_T, 1796373360, 999999999, "2026-12-04T08:36:00.99999 ");
  stamp_is(LOGSTAMP_T, 0, 0, "1970-01-01T00:00:00.00000 ");
}
END_TEST

START_TEST(iso)
{
  stamp_is(LOGSTAMP_ISO, 1796373360, 123456789, "2026-12-04T08:36:00.123456Z ");
  stamp_is(LOGSTAMP_ISO, 951782400, 1000, "2000-02-29T00:00:00.000001Z ");
  stamp_is(LOGSTAMP_NONE, 1, 1, "");
}
END_TEST

 /* the cache follows the seconds */
START_TEST(cache)
{
  logstamp ls = LOGSTAMP_ZERO(LOGSTAMP_ISO);
  char s[LOGSTAMP_MAX];
  logstamp_fmt(&ls, s, 1796373360, 5000);
  ck_assert_mem_eq(s, "2026-12-04T08:36:00.000005Z ", 28);
  logstamp_fmt(&ls, s, 1796373361, 6000);
  ck_assert_mem_eq(s, "2026-12-04T08:36:01.000006Z ", 28);
  logstamp_fmt(&ls, s, 1796373361, 999999000);
  ck_assert_mem_eq(s, "2026-12-04T08:36:01.999999Z ", 28);
}
END_TEST

Suite *logstamp_suite (void)
{
  Suite *s = suite_create("logstamp");
  TCase *tc = tcase_create("fmt");
  tcase_add_test(tc, tai64n);
  tcase_add_test(tc, svlogd_forms);
  tcase_add_test(tc, iso);
  tcase_add_test(tc, cache);
  suite_add_tcase(s, tc);
  return s;
}
