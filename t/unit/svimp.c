/* SPDX-License-Identifier: ISC */
/* t/unit/svimp.c: reading supervisord configurations; every expected value below is what
   Python 3.11 and supervisor 4.2.5 give for the same input */

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <skalibs/stralloc.h>

#include "harness.h"
#include "suites.h"
#include "svimp.h"

static svimp_ini ini;

static void readok (char const *text)
{
  unsigned int line = 0;
  char const *msg = 0;
  svimp_ini_free(&ini);
  ck_assert_msg(svimp_ini_read(&ini, text, strlen(text), 0, &line, &msg) == 1, "line %u: %s", line, msg);
}

static char const *get (char const *sect, char const *key)
{
  svimp_sect *s = svimp_ini_sect(&ini, sect);
  svimp_kv *kv = svimp_ini_get(&ini, s, key);
  return kv ? kv->val : 0;
}

START_TEST(ini_values)
{
  readok("[a]\nx=v#y #z ;c\ny = a;b ;c\nz=1\n  2\n\n  3\n   ; comment\n  4\nw: colon = eq\n[DEFAULT]\nd=dv\n"
         "[a]\nY=last\n");
  ck_assert_str_eq(get("a", "x"), "v#y #z");   /* ; found in the first round wins over the later # */
  ck_assert_str_eq(get("a", "y"), "last");     /* repeated, case-insensitive: the last */
  ck_assert_str_eq(get("a", "z"), "1\n2\n\n3\n4");
  ck_assert_str_eq(get("a", "w"), "colon = eq");
  ck_assert_str_eq(get("a", "d"), "dv");
  ck_assert_ptr_null(svimp_ini_sect(&ini, "DEFAULT"));
  readok("[s]\r\nk=v\r\n  more\r\n[t]\rk2=x\r");
  ck_assert_str_eq(get("s", "k"), "v\nmore");
  ck_assert_str_eq(get("t", "k2"), "x");
  readok("[s]\ncmd=echo ${DISPLAY#*:} \"a ;b\"\n[h] trailing\nk=\xc2\xa0v\xc2\xa0\n");
  ck_assert_str_eq(get("s", "cmd"), "echo ${DISPLAY#*:} \"a");
  ck_assert_str_eq(get("h", "k"), "v");         /* U+00A0 is white space to Python */
}
END_TEST

static void readbad (char const *text, unsigned int wline, char const *wmsg)
{
  unsigned int line = 0;
  char const *msg = 0;
  svimp_ini_free(&ini);
  ck_assert_int_eq(svimp_ini_read(&ini, text, strlen(text), 0, &line, &msg), 0);
  ck_assert_uint_eq(line, wline);
  ck_assert_msg(strstr(msg, wmsg), "%s", msg);
}

START_TEST(ini_errors)
{
  readbad("k=v\n", 1, "no section header");
  readbad("[a]\nk=v\nwords\nmore words\n", 3, "without = or :");
  readbad("[a]\n[program:x\nk=v\n", 2, "closing ]");
  readbad("[a]\n=v\n", 2, "without a name");
  readbad("[a]\nk=caf\xe9\n", 2, "UTF-8");
  readbad("[a]\n\nk=\001\n", 3, "control byte");
}
END_TEST

static int look (char const *name, void *ctx, char const **str, long long *num)
{
  (void)ctx;
  if (!strcmp(name, "a")) { *num = 7; return 2; }
  if (!strcmp(name, "s")) { *str = "hello"; return 1; }
  if (!strcmp(name, "ENV_X")) return 3;
  return 0;
}

START_TEST(expand)
{
  stralloc sa = STRALLOC_ZERO, bad = STRALLOC_ZERO;
  char const *msg = 0;
  ck_assert_int_eq(svimp_expand(&sa, "%(a)05d|%(a)-4d|%(a)x|%(s).2s|%(s)5s|%(a)s|%(a)+d|%(s)r|%(a)03o|%(a).3f|100%%|%(ENV_X)s", &look, 0, &msg, &bad), 1);
  stralloc_0(&sa);
  ck_assert_str_eq(sa.s, "00007|7   |7|he|hello|7|+7|'hello'|007|7.000|100%|\001X\003");
  sa.len = 0;
  ck_assert_int_eq(svimp_expand(&sa, "x %(nope)s", &look, 0, &msg, &bad), 0);
  ck_assert_str_eq(bad.s, "nope");
  ck_assert_int_eq(svimp_expand(&sa, "50%", &look, 0, &msg, &bad), 0);
  ck_assert_int_eq(svimp_expand(&sa, "%(s)d", &look, 0, &msg, &bad), 0);
  ck_assert_int_eq(svimp_expand(&sa, "%(ENV_X)5s", &look, 0, &msg, &bad), 0);
  stralloc_free(&sa);
  stralloc_free(&bad);
}
END_TEST

static void words (char const *in, char const *want, size_t wn)
{
  stralloc sa = STRALLOC_ZERO;
  size_t n = 0;
  char const *msg = 0;
  ck_assert_int_eq(svimp_split(&sa, &n, in, &msg), 1);
  ck_assert_uint_eq(n, wn);
  ck_assert_mem_eq(sa.s ? sa.s : "", want, sa.len);
  stralloc_free(&sa);
}

START_TEST(split)
{
  stralloc sa = STRALLOC_ZERO;
  size_t n;
  char const *msg = 0;
  words("a \"b\\\"c\" 'd\\e' f\\ g \"h\\i\" \"\"", "a\0b\"c\0d\\e\0f g\0h\\i\0", 6);
  words("  x\n\ty\r\n", "x\0y\0", 2);
  words("a\001X\003b \"\001Y\003\"", "a\001X\003b\0\002Y\003\0", 2);
  ck_assert_int_eq(svimp_split(&sa, &n, "a \"b", &msg), 0);
  ck_assert_str_eq(msg, "No closing quotation");
  ck_assert_int_eq(svimp_split(&sa, &n, "a\\", &msg), 0);
  ck_assert_str_eq(msg, "No escaped character");
  stralloc_free(&sa);
}
END_TEST

static void dict (char const *in, char const *want, size_t wlen, size_t wn)
{
  stralloc sa = STRALLOC_ZERO;
  size_t n = 0;
  char const *msg = 0;
  ck_assert_int_eq(svimp_envdict(&sa, &n, in, &msg), 1);
  ck_assert_uint_eq(n, wn);
  ck_assert_uint_eq(sa.len, wlen);
  ck_assert_mem_eq(sa.s ? sa.s : "", want, wlen);
  stralloc_free(&sa);
}

START_TEST(envdict)
{
  stralloc sa = STRALLOC_ZERO;
  size_t n;
  char const *msg = 0;
  dict("A=$,B=2", "A\0$\0B\0" "2", 8, 2);
  dict("A=x y", "A\0x", 4, 1);
  dict("A=a'b,B='x y'z", "A\0a'b\0B\0x y", 12, 2);
  dict("C=\"q,r\",D=\xc3\xa9", "C\0q,r\0D\0\xc3\xa9", 11, 2);
  dict("A=1 #c\n,B=2", "A\0" "1\0B\0" "2", 8, 2);
  dict("A=1,A=2", "A\0" "2", 4, 1);
  dict("P=/usr/bin:/bin", "P\0/usr/bin:/bin", 16, 1);
  ck_assert_int_eq(svimp_envdict(&sa, &n, "A=$HOME,B=2", &msg), 0);
  ck_assert_int_eq(svimp_envdict(&sa, &n, "A=\"open", &msg), 0);
  stralloc_free(&sa);
}
END_TEST

START_TEST(shquote)
{
  stralloc sa = STRALLOC_ZERO;
  svimp_shquote(&sa, "plain/word-1.2:x=y");
  svimp_shquote(&sa, " ");
  svimp_shquote(&sa, "it's");
  svimp_shquote(&sa, "");
  svimp_shquote(&sa, "a\001X\003b");
  svimp_shquote(&sa, "\002Y\003 z");
  svimp_shquote_all(&sa, "\001X\003");
  stralloc_0(&sa);
  ck_assert_str_eq(sa.s, "plain/word-1.2:x=y' ''it'\\''s''''a'${X?}'b'\"${Y?}\"' z'\"${X?}\"");
  stralloc_free(&sa);
}
END_TEST

START_TEST(conv)
{
  long long n;
  unsigned long long b;
  unsigned int o;
  int t;
  char r, sig[16];
  unsigned char set[256];
  ck_assert(svimp_int(" 1_000 ", &n) && n == 1000);
  ck_assert(svimp_int("-3", &n) && n == -3);
  ck_assert(!svimp_int("1__0", &n) && !svimp_int("", &n) && !svimp_int("0x10", &n) && !svimp_int("_1", &n));
  ck_assert(svimp_bytes("50MB", &b) && b == 50ULL << 20);
  ck_assert(svimp_bytes("1kb", &b) && b == 1024);
  ck_assert(svimp_bytes("123", &b) && b == 123);
  ck_assert(!svimp_bytes("1 TB", &b));
  ck_assert(svimp_octal("022", &o) && o == 022);
  ck_assert(svimp_octal("0o27", &o) && o == 027);
  ck_assert(!svimp_octal("8", &o));
  ck_assert(svimp_bool("TRUE", &t) && t == 1);
  ck_assert(svimp_bool("off", &t) && t == 0);
  ck_assert(!svimp_bool("maybe", &t));
  ck_assert(svimp_autorestart("Unexpected", &r) && r == 'o');
  ck_assert(svimp_signal("sigterm", sig) && !strcmp(sig, "TERM"));
  ck_assert(svimp_signal(" 10 ", sig) && !strcmp(sig, "USR1"));
  ck_assert(svimp_signal("CLD", sig) && !strcmp(sig, "CHLD"));
  ck_assert(!svimp_signal("NOPE", sig) && !svimp_signal("0", sig) && !svimp_signal("40", sig));
  ck_assert(svimp_codes("0, 2", set) && set[0] && set[2] && !set[1]);
  ck_assert(svimp_codes("", set) && !set[0]);
  ck_assert(!svimp_codes("0,2,", set) && !svimp_codes("256", set));
}
END_TEST

Suite *svimp_suite (void)
{
  Suite *s = suite_create("svimp");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, ini_values);
  tcase_add_test(tc, ini_errors);
  tcase_add_test(tc, expand);
  tcase_add_test(tc, split);
  tcase_add_test(tc, envdict);
  tcase_add_test(tc, shquote);
  tcase_add_test(tc, conv);
  suite_add_tcase(s, tc);
  return s;
}
