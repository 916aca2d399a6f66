/* SPDX-License-Identifier: ISC */
/* t/unit/backoff.c: the restart delay */
#include <stdint.h>

#include <check.h>

#include "backoff.h"

struct step
{
  uint64_t failures;
  uint32_t max, ms;
};

static struct step const steps[] =
{
  { 0, BACKOFF_MAX_MS, 0 },
  { 1, BACKOFF_MAX_MS, 1000 },
  { 2, BACKOFF_MAX_MS, 2000 },
  { 3, BACKOFF_MAX_MS, 4000 },
  { 4, BACKOFF_MAX_MS, 8000 },
  { 5, BACKOFF_MAX_MS, 16000 },
  { 6, BACKOFF_MAX_MS, 30000 },
  { 7, BACKOFF_MAX_MS, 30000 },
  { 31, BACKOFF_MAX_MS, 30000 },
  { 32, BACKOFF_MAX_MS, 30000 },
  { 33, BACKOFF_MAX_MS, 30000 },
  { 64, BACKOFF_MAX_MS, 30000 },
  { 65, BACKOFF_MAX_MS, 30000 },
  { 1000, BACKOFF_MAX_MS, 30000 },
  { UINT64_MAX, BACKOFF_MAX_MS, 30000 },
  { 0, 0, 0 },
  { 1, 0, 0 },
  { 1, 500, 500 },
  { 3, 4000, 4000 },
  { 4, 5000, 5000 },
  { 23, UINT32_MAX, 4194304000u },
  { 24, UINT32_MAX, UINT32_MAX },
  { 32, UINT32_MAX, UINT32_MAX },
  { 33, UINT32_MAX, UINT32_MAX },
  { UINT64_MAX, UINT32_MAX, UINT32_MAX },
};

START_TEST(step_table)
{
  struct step const *c = &steps[_i];
  ck_assert_uint_eq(backoff_ms(c->failures, c->max), c->ms);
}
END_TEST

START_TEST(monotonic)
{
  uint64_t f;
  uint32_t prev = 0;
  for (f = 0; f < 200; f++)
  {
    uint32_t d = backoff_ms(f, BACKOFF_MAX_MS);
    ck_assert_uint_ge(d, prev);
    ck_assert_uint_le(d, BACKOFF_MAX_MS);
    prev = d;
  }
}
END_TEST

Suite *backoff_suite (void);

Suite *
backoff_suite (void)
{
  Suite *s = suite_create("backoff");
  TCase *tc = tcase_create("steps");
  tcase_add_loop_test(tc, step_table, 0, sizeof steps / sizeof *steps);
  tcase_add_test(tc, monotonic);
  suite_add_tcase(s, tc);
  return s;
}
