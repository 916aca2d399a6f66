/* SPDX-License-Identifier: ISC */
/* t/unit/clockns.c: clocks as nanoseconds */
#include <stdint.h>
#include <time.h>

#include <check.h>

#include "clockns.h"

START_TEST(real_is_unix_time)
{
  /* not time(): glibc reads a coarse clock for it, which can lag a second behind */
  struct timespec before, after;
  uint64_t ns;
  clock_gettime(CLOCK_REALTIME, &before);
  ns = clockns_real();
  clock_gettime(CLOCK_REALTIME, &after);
  ck_assert_uint_ge(ns, (uint64_t)before.tv_sec * 1000000000ULL + (uint64_t)before.tv_nsec);
  ck_assert_uint_le(ns, (uint64_t)after.tv_sec * 1000000000ULL + (uint64_t)after.tv_nsec);
}
END_TEST

START_TEST(mono_never_goes_back)
{
  uint64_t prev = clockns_mono();
  struct timespec ts;
  unsigned int i;
  for (i = 0; i < 1000; i++)
  {
    uint64_t now = clockns_mono();
    ck_assert_uint_ge(now, prev);
    prev = now;
  }
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ck_assert_uint_le(prev, (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}
END_TEST

Suite *clockns_suite (void);

Suite *
clockns_suite (void)
{
  Suite *s = suite_create("clockns");
  TCase *tc = tcase_create("clocks");
  tcase_add_test(tc, real_is_unix_time);
  tcase_add_test(tc, mono_never_goes_back);
  suite_add_tcase(s, tc);
  return s;
}
