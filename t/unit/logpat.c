/* SPDX-License-Identifier: ISC */
/* t/unit/logpat.c: svlogd's patterns */
#include <string.h>

#include <check.h>

#include "harness.h"
#include "logpat.h"
#include "suites.h"

struct pcase
{
  char const *pattern, *line;
  int match;
};

static struct pcase const cases[] =
{
  { "abc", "abc", 1 },
  { "abc", "abcd", 0 },
  { "abc", "ab", 0 },
  { "", "", 1 },
  { "", "x", 0 },
  { "*", "", 1 },
  { "*", "anything at all", 1 },
  { "a*", "abc", 1 },
  { "a*", "b", 0 },
  { "*c", "abc", 1 },
  { "*c", "abcc", 0 },    /* the star stops at the first c: no backtracking */
  { "*: *: pid *", "tcpsvd: info: pid 1977 from 10.4.1.14", 1 },
   /* the manual's example: the first star stops at the first p */
  { "*pid*", "tcpsvd: info: pid 1977 from 10.4.1.14", 0 },
  { "a+b", "ab", 1 },
  { "a+b", "abbb", 1 },
  { "a+b", "aaab", 0 },
  { "a+b", "b", 0 },
  { "+", "x", 0 },
  { "x+", "x", 0 },
  { "error*", "error: disk", 1 },
  { "-*", "-", 1 },
};

START_TEST(table)
{
  struct pcase const *c = cases + _i;
  ck_assert_msg(logpat_match(c->pattern, c->line, strlen(c->line)) == c->match,
    "\"%s\" on \"%s\": want %d", c->pattern, c->line, c->match);
}
END_TEST

START_TEST(length_bounds)
{
   /* only len bytes are seen: a NUL or more text after them does not count */
  ck_assert_int_eq(logpat_match("ab", "abc", 2), 1);
  ck_assert_int_eq(logpat_match("a*", "a\0b", 3), 1);
  ck_assert_int_eq(logpat_match("a?b", "a\0b", 3), 0);
}
END_TEST

Suite *logpat_suite (void)
{
  Suite *s = suite_create("logpat");
  TCase *tc = tcase_create("match");
  tcase_add_loop_test(tc, table, 0, (int)(sizeof cases / sizeof cases[0]));
  tcase_add_test(tc, length_bounds);
  suite_add_tcase(s, tc);
  return s;
}
