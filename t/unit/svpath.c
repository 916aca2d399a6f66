/* SPDX-License-Identifier: ISC */
/* t/unit/svpath.c: SERVICE names to paths */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <skalibs/stralloc.h>

#include "svpath.h"

static char *saved;

static void
save_env (void)
{
  char const *s = getenv("SVDIR");
  saved = s ? strdup(s) : 0;
}

static void
restore_env (void)
{
  if (saved)
    setenv("SVDIR", saved, 1);
  else
    unsetenv("SVDIR");
  free(saved);
  saved = 0;
}

START_TEST(svdir)
{
  unsetenv("SVDIR");
  ck_assert_str_eq(svpath_svdir(), "/etc/service");
  setenv("SVDIR", "", 1);
  ck_assert_str_eq(svpath_svdir(), "/etc/service");
  setenv("SVDIR", "/run/sv", 1);
  ck_assert_str_eq(svpath_svdir(), "/run/sv");
  setenv("SVDIR", "rel/dir", 1);
  ck_assert_str_eq(svpath_svdir(), "rel/dir");
}
END_TEST

struct pcase
{
  char const *svdir, *service, *path;
};

static struct pcase const paths[] =
{
  { 0, "web", "/etc/service/web" },
  { "", "web", "/etc/service/web" },
  { "/srv", "web", "/srv/web" },
  { "/srv", "log", "/srv/log" },
  { "/srv", "web/log", "/srv/web/log" },
  { "/srv", "/etc/sv/web", "/etc/sv/web" },
  { "/srv", "./web", "./web" },
  { "/srv", "../web", "../web" },
  { "/srv", ".hidden", ".hidden" },
  { "/srv", "-web", "/srv/-web" },
  { "/srv", "a b\nc", "/srv/a b\nc" },
};

START_TEST(service)
{
  stralloc sa = STRALLOC_ZERO;
  struct pcase const *c = &paths[_i];
  if (c->svdir)
    setenv("SVDIR", c->svdir, 1);
  else
    unsetenv("SVDIR");
  ck_assert_int_eq(svpath_service(&sa, c->service), 1);
  ck_assert_uint_eq(sa.len, strlen(c->path));
  ck_assert_mem_eq(sa.s, c->path, sa.len + 1);
  stralloc_free(&sa);
}
END_TEST

START_TEST(service_appends)
{
  stralloc sa = STRALLOC_ZERO;
  setenv("SVDIR", "/srv", 1);
  ck_assert(stralloc_cats(&sa, "x:"));
  ck_assert_int_eq(svpath_service(&sa, "web"), 1);
  ck_assert_int_eq(svpath_service(&sa, "/db"), 1);
  ck_assert_uint_eq(sa.len, 13);
  ck_assert_mem_eq(sa.s, "x:/srv/web/db", 13);
  ck_assert_int_eq(sa.s[sa.len], 0);
  stralloc_free(&sa);
}
END_TEST

Suite *svpath_suite (void);

Suite *
svpath_suite (void)
{
  Suite *s = suite_create("svpath");
  TCase *tc = tcase_create("path");
  tcase_add_checked_fixture(tc, save_env, restore_env);
  tcase_add_test(tc, svdir);
  tcase_add_loop_test(tc, service, 0, sizeof paths / sizeof *paths);
  tcase_add_test(tc, service_appends);
  suite_add_tcase(s, tc);
  return s;
}
