/* t/unit/svneeds.c: needs/ entries to services, and cycles */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "harness.h"
#include "svneeds.h"

static struct { char const *cwd, *dir, *want; } const paths[] =
{
  { "/srv", "web", "/srv/web" },
  { "/srv", "./web/", "/srv/web" },
  { "/srv/", "../etc//service/./web", "/etc/service/web" },
  { "/x", "/etc/service/web", "/etc/service/web" },
  { "/", ".", "/" },
  { "/a/b", "../../..", "/" },
  { "/a", "b/../c", "/a/c" },
};

START_TEST(abspath)
{
  stralloc sa = STRALLOC_ZERO;
  ck_assert(stralloc_cats(&sa, "keep"));
  ck_assert_int_eq(svneeds_abspath(&sa, paths[_i].cwd, paths[_i].dir), 1);
  ck_assert_str_eq(sa.s + 4, paths[_i].want);
  ck_assert_uint_eq(sa.len, 4 + strlen(paths[_i].want));
  stralloc_free(&sa);
}
END_TEST

/* each test in a directory of its own (the fixture's temp dir is per TCase) */
static char own[2048];
#define T_OWN_DIR(name) do { ck_assert_uint_lt(strlen(t_dir()), 1024); snprintf(own, sizeof own, "%.1024s/%s", t_dir(), name); t_mkdir(own); ck_assert_int_eq(chdir(own), 0); } while (0)
static char const *here (char const *file)
{
  static char buf[4][4096];
  static unsigned int i = 0;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof buf[i], "%s/%s", own, file);
  return buf[i];
}

static char *dirof (char const *name)
{
  stralloc sa = STRALLOC_ZERO;
  ck_assert(svneeds_abspath(&sa, own, name));
  return sa.s;
}

static char *resolved (char const *dir, char const *name)
{
  stralloc sa = STRALLOC_ZERO;
  if (!svneeds_resolve(&sa, dir, name)) return 0;
  return sa.s;
}

START_TEST(resolve_kinds)
{
  T_OWN_DIR("resolve_kinds");
  char *web, *p;
  t_mkdir("scan/web/needs");
  t_mkdir("other/cache");
  t_write("scan/web/needs/db", "");
  t_mkdir("scan/web/needs/queue");
  ck_assert_int_eq(symlink("../../../other/cache", "scan/web/needs/cache"), 0);
  ck_assert_int_eq(symlink("/nowhere/mail", "scan/web/needs/mail"), 0);
  web = dirof("scan/web");
  p = resolved(web, "db");
  ck_assert_str_eq(p, here("scan/db"));
  free(p);
  p = resolved(web, "queue");
  ck_assert_str_eq(p, here("scan/queue"));
  free(p);
  p = resolved(web, "cache");
  ck_assert_str_eq(p, here("other/cache"));
  free(p);
  p = resolved(web, "mail");  /* dangling: resolves all the same */
  ck_assert_str_eq(p, "/nowhere/mail");
  free(p);
  errno = 0;
  ck_assert_ptr_null(resolved(web, "absent"));
  ck_assert_int_eq(errno, ENOENT);
  free(web);
}
END_TEST

START_TEST(resolve_through_linked_service)
{
  T_OWN_DIR("resolve_through_linked_service");
  char *web, *p;
  /* web is a link to a directory elsewhere: its siblings are those of the link */
  t_mkdir("sv/web/needs");
  t_mkdir("scan");
  t_write("sv/web/needs/db", "");
  ck_assert_int_eq(symlink("../sv/web", "scan/web"), 0);
  web = dirof("scan/web");
  p = resolved(web, "db");
  ck_assert_str_eq(p, here("scan/db"));
  free(p);
  free(web);
}
END_TEST

START_TEST(list_sorted)
{
  T_OWN_DIR("list_sorted");
  stralloc sa = STRALLOC_ZERO;
  char *web;
  char const *p;
  t_mkdir("scan/web/needs");
  t_write("scan/web/needs/zz", "");
  t_write("scan/web/needs/a b", "");
  t_write("scan/web/needs/.hidden", "");
  t_write("scan/web/needs/db", "");
  web = dirof("scan/web");
  ck_assert_int_eq(svneeds_list(&sa, web), 3);
  p = sa.s;
  ck_assert_str_eq(p, "a b"); p += strlen(p) + 1;
  ck_assert_str_eq(p, here("scan/a b")); p += strlen(p) + 1;
  ck_assert_str_eq(p, "db"); p += strlen(p) + 1;
  ck_assert_str_eq(p, here("scan/db")); p += strlen(p) + 1;
  ck_assert_str_eq(p, "zz"); p += strlen(p) + 1;
  ck_assert_str_eq(p, here("scan/zz")); p += strlen(p) + 1;
  ck_assert_uint_eq((size_t)(p - sa.s), sa.len);
  stralloc_free(&sa);
  free(web);
}
END_TEST

START_TEST(list_absent_or_file)
{
  T_OWN_DIR("list_absent_or_file");
  stralloc sa = STRALLOC_ZERO;
  char *a, *b, *c;
  t_mkdir("a");
  t_mkdir("b");
  t_write("b/needs", "db\n");
  t_mkdir("c/needs");
  a = dirof("a"); b = dirof("b"); c = dirof("c");
  errno = 0;
  ck_assert_int_eq(svneeds_list(&sa, a), -1);
  ck_assert_int_eq(errno, ENOENT);
  errno = 0;
  ck_assert_int_eq(svneeds_list(&sa, b), -1);
  ck_assert_int_eq(errno, ENOTDIR);
  ck_assert_int_eq(svneeds_list(&sa, c), 0);
  ck_assert_uint_eq(sa.len, 0);
  free(a); free(b); free(c);
}
END_TEST

START_TEST(same)
{
  T_OWN_DIR("same");
  char *a;
  t_mkdir("scan/a");
  ck_assert_int_eq(symlink("a", "scan/link"), 0);
  a = dirof("scan/a");
  ck_assert(svneeds_same(a, a));
  ck_assert(svneeds_same(a, here("scan/link")));
  ck_assert(!svneeds_same(a, here("scan")));
  ck_assert(!svneeds_same(here("scan/x"), here("scan/y")));
  free(a);
}
END_TEST

static int cycle (char const *name, char **out)
{
  stralloc sa = STRALLOC_ZERO;
  char *d = dirof(name);
  int r = svneeds_cycle(&sa, d);
  free(d);
  *out = r == 1 ? sa.s : 0;
  if (r != 1) stralloc_free(&sa);
  return r;
}

START_TEST(cycles)
{
  T_OWN_DIR("cycles");
  char *c;
  t_mkdir("scan/a/needs");
  t_mkdir("scan/b/needs");
  t_mkdir("scan/c/needs");
  t_mkdir("scan/d/needs");
  t_write("scan/a/needs/b", "");
  t_write("scan/a/needs/a", "");        /* itself: never a cycle */
  t_write("scan/b/needs/c", "");
  t_write("scan/b/needs/missing", "");
  t_write("scan/c/needs/d", "");
  ck_assert_int_eq(cycle("scan/a", &c), 0);
  t_write("scan/d/needs/a", "");
  ck_assert_int_eq(cycle("scan/a", &c), 1);
  ck_assert_str_eq(c, "a -> b -> c -> d -> a");
  free(c);
  ck_assert_int_eq(cycle("scan/c", &c), 1);
  ck_assert_str_eq(c, "c -> d -> a -> b -> c");
  free(c);
  ck_assert_int_eq(unlink("scan/b/needs/c"), 0);  /* one entry removed: no cycle left */
  ck_assert_int_eq(cycle("scan/a", &c), 0);
  ck_assert_int_eq(cycle("scan/d", &c), 0);
}
END_TEST

START_TEST(cycle_not_through_start)
{
  T_OWN_DIR("cycle_not_through_start");
  char *c;
  /* a needs b, b and c need each other: a waits, but is no member */
  t_mkdir("scan/a/needs");
  t_mkdir("scan/b/needs");
  t_mkdir("scan/c/needs");
  t_write("scan/a/needs/b", "");
  t_write("scan/b/needs/c", "");
  t_write("scan/c/needs/b", "");
  ck_assert_int_eq(cycle("scan/a", &c), 0);
  ck_assert_int_eq(cycle("scan/b", &c), 1);
  ck_assert_str_eq(c, "b -> c -> b");
  free(c);
}
END_TEST

START_TEST(cycle_through_symlink)
{
  T_OWN_DIR("cycle_through_symlink");
  char *c;
  t_mkdir("one/a/needs");
  t_mkdir("two/b/needs");
  ck_assert_int_eq(symlink("../../../two/b", "one/a/needs/bee"), 0);
  ck_assert_int_eq(symlink("../../../one/a", "two/b/needs/ay"), 0);
  ck_assert_int_eq(cycle("one/a", &c), 1);
  ck_assert_str_eq(c, "a -> b -> a");
  free(c);
}
END_TEST

START_TEST(escape)
{
  stralloc sa = STRALLOC_ZERO;
  ck_assert(svneeds_escape(&sa, "a b\nc\\d"));
  ck_assert(stralloc_0(&sa));
  ck_assert_str_eq(sa.s, "a\\040b\\012c\\134d");
  stralloc_free(&sa);
  ck_assert_str_eq(svneeds_basename("/srv/web"), "web");
  ck_assert_str_eq(svneeds_basename("/"), "/");
}
END_TEST

Suite *svneeds_suite (void);

Suite *
svneeds_suite (void)
{
  Suite *s = suite_create("svneeds");
  TCase *tc = tcase_create("paths");
  tcase_add_loop_test(tc, abspath, 0, sizeof paths / sizeof *paths);
  tcase_add_test(tc, escape);
  suite_add_tcase(s, tc);
  tc = tcase_create("resolve");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_test(tc, resolve_kinds);
  tcase_add_test(tc, resolve_through_linked_service);
  tcase_add_test(tc, list_sorted);
  tcase_add_test(tc, list_absent_or_file);
  tcase_add_test(tc, same);
  suite_add_tcase(s, tc);
  tc = tcase_create("cycle");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_add_test(tc, cycles);
  tcase_add_test(tc, cycle_not_through_start);
  tcase_add_test(tc, cycle_through_symlink);
  suite_add_tcase(s, tc);
  return s;
}
