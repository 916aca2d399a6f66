/* SPDX-License-Identifier: ISC */
/* t/unit/logconf.c: a log directory's config */
#include <string.h>

#include <check.h>

#include "harness.h"
#include "logconf.h"
#include "suites.h"

static void parse (logconf *c, char const *s)
{
  ck_assert_int_eq(logconf_parse(c, s, strlen(s)), 1);
}

START_TEST(directives)
{
  logconf c = LOGCONF_ZERO;
  parse(&c, "# comment\n\ns4096\nn5\nN2\nt3600\n!gzip -9\npweb: \n+*error*\n-*debug*\neALERT*\nE*quiet\n");
  ck_assert(c.hassize && c.size == 4096);
  ck_assert(c.hasnum && c.num == 5);
  ck_assert(c.hasnmin && c.nmin == 2);
  ck_assert(c.hasage && c.age == 3600);
  ck_assert(c.hasproc);
  ck_assert_str_eq(c.text.s + c.proc, "gzip -9");
  ck_assert(c.haspre);
  ck_assert_str_eq(c.text.s + c.pre, "web: ");
  ck_assert_uint_eq(c.npat, 4);
  ck_assert_uint_eq(c.nsel, 2);
  ck_assert_uint_eq(c.nerr, 2);
  ck_assert_int_eq(c.pat[0].op, '+');
  ck_assert_str_eq(c.text.s + c.pat[0].off, "*error*");
  ck_assert_int_eq(c.pat[3].op, 'E');
  ck_assert_str_eq(c.text.s + c.pat[3].off, "*quiet");
  ck_assert_uint_eq(c.bad, 0);
  logconf_free(&c);
}
END_TEST

START_TEST(bad_lines)
{
  logconf c = LOGCONF_ZERO;
   /* u/U (udp) and unknown letters, numbers that are not, a bare ! */
  parse(&c, "s1000\nu127.0.0.1\nsabc\nn-1\nt\n!\nzzz\ns99999999999999999999\nn4294967296\n");
  ck_assert(c.hassize && c.size == 1000);
  ck_assert(!c.hasnum && !c.hasage && !c.hasproc);
  ck_assert_uint_eq(c.bad, 8);
  ck_assert_uint_eq(c.badline, 2);
  logconf_free(&c);
}
END_TEST

START_TEST(reparse_resets)
{
  logconf c = LOGCONF_ZERO;
  parse(&c, "s1\n!x\n+a\nzzz\n");
  parse(&c, "n3");
  ck_assert(!c.hassize && !c.hasproc && c.hasnum && c.num == 3);
  ck_assert_uint_eq(c.npat, 0);
  ck_assert_uint_eq(c.bad, 0);
  logconf_free(&c);
}
END_TEST

START_TEST(nul_and_crlf)
{
  logconf c = LOGCONF_ZERO;
  static char const s[] = "pab\0cd\ns12\0x\n+x\r\n";
  ck_assert_int_eq(logconf_parse(&c, s, sizeof s - 1), 1);
  ck_assert_str_eq(c.text.s + c.pre, "ab");
  ck_assert(c.hassize && c.size == 12);
   /* as svlogd: the rest of the line is the pattern, CR included */
  ck_assert_str_eq(c.text.s + c.pat[0].off, "x\r");
  logconf_free(&c);
}
END_TEST

START_TEST(too_many_patterns)
{
  logconf c = LOGCONF_ZERO;
  char buf[LOGCONF_PATMAX * 4 + 16];
  size_t n = 0;
  unsigned int i;
  for (i = 0; i < LOGCONF_PATMAX + 3; i++)
  {
    buf[n++] = '+';
    buf[n++] = 'x';
    buf[n++] = '\n';
  }
  ck_assert_int_eq(logconf_parse(&c, buf, n), 1);
  ck_assert_uint_eq(c.npat, LOGCONF_PATMAX);
  ck_assert_uint_eq(c.bad, 3);
  logconf_free(&c);
}
END_TEST

Suite *logconf_suite (void)
{
  Suite *s = suite_create("logconf");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, directives);
  tcase_add_test(tc, bad_lines);
  tcase_add_test(tc, reparse_resets);
  tcase_add_test(tc, nul_and_crlf);
  tcase_add_test(tc, too_many_patterns);
  suite_add_tcase(s, tc);
  return s;
}
