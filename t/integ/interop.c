/* SPDX-License-Identifier: ISC */
/* t/integ/interop.c: runit's sv and daemontools' svstat, svok, svc against our supervise, unchanged */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "harness.h"
#include "suites.h"

#define SV "/usr/bin/sv"
#define SVSTAT "/usr/bin/svstat"
#define SVOK "/usr/bin/svok"
#define SVC "/usr/bin/svc"

 /* 1 if tool is installed, else a skip line and 0 */
static int have (char const *tool, char const *tcase)
{
  if (access(tool, X_OK) == 0) return 1;
  printf("skip: %s: %s not installed\n", tcase, strrchr(tool, '/') + 1);
  fflush(stdout);
  return 0;
}

 /* run a tool, return its exit code; its stdout in *out (malloc'd) */
static int tool (char const *const *argv, char **out)
{
  char *err = 0;
  int r = t_run(argv, out, &err, 5000);
  ck_assert_msg(r >= 0, "%s %s: still running after 5 s", argv[0], argv[1]);
  free(err);
  return r;
}

 /* a service: run records its pid and sleeps; with log/ when withlog */
static char const *service (char const *name, int withlog)
{
  char path[256];
  t_service(name, "echo $$ >>pids; exec sleep 1000");
  if (withlog)
  {
    snprintf(path, sizeof path, "%s/log", name);
    t_mkdir(path);
    snprintf(path, sizeof path, "%s/log/run", name);
    t_write_exec(path, "#!/bin/sh\nexec cat >/dev/null\n");
  }
  return name;
}

 /* runit: sv */

START_TEST(sv_status)
{
  char const *web = service("web", 1), *nd = service("nd", 0), *stub = t_service("stub", "trap '' TERM\nexec sleep 1000");
  pid_t supw, supn, sups, p, l, q;
  char *out;
  char want[256];
  long secs;
  if (!have(SV, "sv_status")) return;
  t_write("nd/down", "");
  supw = t_sup_start(web);
  supn = t_sup_start(nd);
  sups = t_sup_start(stub);
  T_WAIT_STATE(web, "state", "up", 3000);
  T_WAIT_STATE("web/log", "state", "up", 3000);
  T_WAIT_STATE(nd, "state", "down", 3000);
  T_WAIT_STATE(stub, "state", "up", 3000);
  p = (pid_t)t_key_long(web, "pid");
  l = (pid_t)t_key_long("web/log", "pid");

  ck_assert_int_eq(tool((char const *[]){ SV, "status", "./web", 0 }, &out), 0);
  ck_assert_msg(sscanf(out, "run: ./web: (pid %d) %lds; ", &q, &secs) == 2 && q == p && secs >= 0 && secs <= 2, "sv status: %s", out);
  snprintf(want, sizeof want, "; run: log: (pid %d) ", (int)l);
  ck_assert_msg(strstr(out, want) && !strstr(out, "normally"), "sv status: %s", out);
  free(out);

  ck_assert_int_eq(tool((char const *[]){ SV, "status", "./nd", 0 }, &out), 0);
  ck_assert_msg(sscanf(out, "down: ./nd: %lds", &secs) == 1 && !strchr(out, ','), "sv status (normally down): %s", out);
  free(out);

   /* paused: byte 16 */
  t_control(web, "p");
  T_WAIT_STATE(web, "paused", "1", 3000);
  ck_assert_int_eq(tool((char const *[]){ SV, "status", "./web", 0 }, &out), 0);
  ck_assert_msg(strstr(out, ", paused;"), "sv status (paused): %s", out);
  free(out);
  t_control(web, "c");
  T_WAIT_STATE(web, "paused", "0", 3000);

   /* want down, TERM sent: bytes 17 and 18 */
  t_control(stub, "d");
  T_WAIT_STATE(stub, "state", "stopping", 3000);
  ck_assert_int_eq(tool((char const *[]){ SV, "status", "./stub", 0 }, &out), 0);
  ck_assert_msg(!strncmp(out, "run: ./stub: (pid ", 18) && strstr(out, ", want down, got TERM"), "sv status (stopping): %s", out);
  free(out);
  t_control(stub, "k");
  T_WAIT_STATE(stub, "state", "down", 3000);

  t_control(web, "d");
  T_WAIT_STATE(web, "state", "down", 3000);
  ck_assert_int_eq(tool((char const *[]){ SV, "status", "./web", 0 }, &out), 0);
  ck_assert_msg(sscanf(out, "down: ./web: %lds, normally up; run: log: ", &secs) == 1, "sv status (down): %s", out);
  free(out);

   /* the ok FIFO: no reader once supervise is gone */
  t_sup_exit(web, supw);
  ck_assert_int_eq(tool((char const *[]){ SV, "status", "./web", 0 }, &out), 1);
  ck_assert_msg(!strcmp(out, "fail: ./web: runsv not running\n"), "sv status (no supervise): %s", out);
  free(out);
  t_sup_exit(nd, supn);
  t_sup_exit(stub, sups);
}
END_TEST

START_TEST(sv_up_down_once)
{
  char const *web = service("web2", 0), *nd = service("nd2", 0);
  pid_t supw, supn, p, q;
  char *out;
  if (!have(SV, "sv_up_down_once")) return;
  t_write("nd2/down", "");
  supw = t_sup_start(web);
  supn = t_sup_start(nd);
  T_WAIT_STATE(web, "state", "up", 3000);
  T_WAIT_STATE(nd, "state", "down", 3000);
  p = (pid_t)t_key_long(web, "pid");

  ck_assert_int_eq(tool((char const *[]){ SV, "down", "./web2", 0 }, &out), 0);
  free(out);
  T_WAIT_STATE(web, "state", "down", 3000);
  T_WAIT_STATE(web, "want", "down", 3000);
  ck_assert_msg(t_wait_until(&t_gone, &p, 1000), "run %d alive after sv down", (int)p);

  ck_assert_int_eq(tool((char const *[]){ SV, "up", "./web2", 0 }, &out), 0);
  free(out);
  T_WAIT_STATE(web, "state", "up", 3000);
  q = (pid_t)t_key_long(web, "pid");
  ck_assert(q != p && t_alive(q));

   /* once: started, and not restarted when it dies */
  ck_assert_int_eq(tool((char const *[]){ SV, "once", "./nd2", 0 }, &out), 0);
  free(out);
  T_WAIT_STATE(nd, "state", "up", 3000);
  T_WAIT_STATE(nd, "want", "once", 3000);
  p = (pid_t)t_key_long(nd, "pid");
  ck_assert_int_eq(tool((char const *[]){ SV, "status", "./nd2", 0 }, &out), 0);
  ck_assert_msg(!strncmp(out, "run: ./nd2: (pid ", 17) && strstr(out, ", normally down, want down"), "sv status (once): %s", out);
  free(out);
  ck_assert(kill(p, SIGTERM) == 0);
  T_WAIT_STATE(nd, "state", "down", 3000);
  T_WAIT_STATE(nd, "want", "down", 3000);
   /* past min-uptime (1 s) from the spawn: not started again */
  ck_assert_msg(t_lines_stay("nd2/pids", 1, 1500), "nd2 started again after once");
  T_WAIT_STATE(nd, "state", "down", 100);
  ck_assert_int_eq(t_read_long("nd2/pids"), p);
  {
    char *s = t_read("nd2/pids");
    ck_assert_msg(s && strchr(s, '\n') == s + strlen(s) - 1, "nd2 started more than once: %s", s);
    free(s);
  }
  t_sup_exit(web, supw);
  t_sup_exit(nd, supn);
}
END_TEST

 /* the number in "...: (pid N) Ss" or "down: NAME: Ss" */
static long uptime_of (char const *out)
{
  char const *p = strstr(out, ") ");
  if (p) return strtol(p + 2, 0, 10);
  p = strstr(out, ": ");
  if (p) p = strstr(p + 2, ": ");
  return p ? strtol(p + 2, 0, 10) : -1;
}

START_TEST(sv_status_matches_svctl)
{
  char const *web = service("web3", 0);
  char svctl[4096];
  pid_t sup;
  char *a, *b;
  int i;
  if (!have(SV, "sv_status_matches_svctl")) return;
  snprintf(svctl, sizeof svctl, "%ssvctl", T_BIN);
  if (access(svctl, X_OK) == -1) { printf("skip: sv_status_matches_svctl: %s not built\n", svctl); fflush(stdout); return; }
  sup = t_sup_start(web);
  T_WAIT_STATE(web, "state", "up", 3000);
  for (i = 0; i < 2; i++)
  {
    long ua, ub;
    ck_assert_int_eq(tool((char const *[]){ SV, "status", "./web3", 0 }, &a), 0);
    ck_assert_int_eq(tool((char const *[]){ svctl, "status", "./web3", 0 }, &b), 0);
    ua = uptime_of(a);
    ub = uptime_of(b);
    ck_assert_msg(ua >= 0 && ub >= 0 && ua - ub <= 1 && ub - ua <= 1, "sv: %s svctl: %s", a, b);
    ck_assert_msg(!strncmp(a, b, 5), "sv: %s svctl: %s", a, b);
    free(a);
    free(b);
    if (!i) { t_control(web, "d"); T_WAIT_STATE(web, "state", "down", 3000); }
  }
  t_sup_exit(web, sup);
}
END_TEST

 /* daemontools: svstat, svok, svc */

START_TEST(svstat_output)
{
  char const *web = service("dweb", 0), *nd = service("dnd", 0);
  pid_t supw, supn, p, q;
  char *out;
  long secs;
  if (!have(SVSTAT, "svstat_output")) return;
  t_write("dnd/down", "");
  supw = t_sup_start(web);
  supn = t_sup_start(nd);
  T_WAIT_STATE(web, "state", "up", 3000);
  T_WAIT_STATE(nd, "state", "down", 3000);
  p = (pid_t)t_key_long(web, "pid");
  ck_assert_int_eq(tool((char const *[]){ SVSTAT, "./dweb", "./dnd", 0 }, &out), 0);
  {
    int n = 0;
    long s2 = -1;
    ck_assert_msg(sscanf(out, "./dweb: up (pid %d) %ld seconds\n./dnd: down %ld seconds\n%n", &q, &secs, &s2, &n) == 3
      && q == p && secs >= 0 && secs <= 2 && s2 >= 0 && s2 <= 2 && !out[n], "svstat: %s", out);
  }
  free(out);
  t_control(web, "p");
  T_WAIT_STATE(web, "paused", "1", 3000);
  ck_assert_int_eq(tool((char const *[]){ SVSTAT, "./dweb", 0 }, &out), 0);
  ck_assert_msg(strstr(out, " seconds, paused\n"), "svstat (paused): %s", out);
  free(out);
  t_control(web, "c");
  t_control(web, "d");
  T_WAIT_STATE(web, "state", "down", 3000);
  ck_assert_int_eq(tool((char const *[]){ SVSTAT, "./dweb", 0 }, &out), 0);
  ck_assert_msg(sscanf(out, "./dweb: down %ld seconds, normally up\n", &secs) == 1, "svstat (down): %s", out);
  free(out);
  t_sup_exit(web, supw);
  ck_assert_int_eq(tool((char const *[]){ SVSTAT, "./dweb", 0 }, &out), 0);
  ck_assert_msg(!strcmp(out, "./dweb: supervise not running\n"), "svstat (no supervise): %s", out);
  free(out);
  t_sup_exit(nd, supn);
}
END_TEST

START_TEST(svok_exit_codes)
{
  char const *web = service("okweb", 0);
  pid_t sup;
  if (!have(SVOK, "svok_exit_codes")) return;
  t_mkdir("okweb/supervise");
  ck_assert_int_eq(tool((char const *[]){ SVOK, "./okweb", 0 }, 0), 100);
  sup = t_sup_start(web);
  T_WAIT_STATE(web, "state", "up", 3000);
  ck_assert_int_eq(tool((char const *[]){ SVOK, "./okweb", 0 }, 0), 0);
  t_sup_exit(web, sup);
  ck_assert_int_eq(tool((char const *[]){ SVOK, "./okweb", 0 }, 0), 100);
}
END_TEST

START_TEST(svc_down_up_exit)
{
  char const *web = service("cweb", 0);
  pid_t sup, p, q;
  int w;
  if (!have(SVC, "svc_down_up_exit")) return;
  sup = t_sup_start(web);
  T_WAIT_STATE(web, "state", "up", 3000);
  p = (pid_t)t_key_long(web, "pid");
  ck_assert_int_eq(tool((char const *[]){ SVC, "-d", "./cweb", 0 }, 0), 0);
  T_WAIT_STATE(web, "state", "down", 3000);
  T_WAIT_STATE(web, "want", "down", 3000);
  ck_assert_msg(t_wait_until(&t_gone, &p, 1000), "run %d alive after svc -d", (int)p);
  ck_assert_int_eq(tool((char const *[]){ SVC, "-u", "./cweb", 0 }, 0), 0);
  T_WAIT_STATE(web, "state", "up", 3000);
  q = (pid_t)t_key_long(web, "pid");
  ck_assert(q != p && t_alive(q));
  ck_assert_int_eq(tool((char const *[]){ SVC, "-dx", "./cweb", 0 }, 0), 0);
  ck_assert_msg(t_wait_exit(sup, 5000, &w), "supervise still running 5 s after svc -dx");
  ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 0, "supervise wstat %d after svc -dx", w);
  ck_assert_msg(t_wait_until(&t_gone, &q, 1000), "run %d alive after svc -dx", (int)q);
}
END_TEST

Suite *interop_suite (void)
{
  Suite *s = suite_create("interop");
  TCase *tc;

  tc = tcase_create("runit");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, sv_status);
  tcase_add_test(tc, sv_up_down_once);
  tcase_add_test(tc, sv_status_matches_svctl);
  suite_add_tcase(s, tc);

  tc = tcase_create("daemontools");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, svstat_output);
  tcase_add_test(tc, svok_exit_codes);
  tcase_add_test(tc, svc_down_up_exit);
  suite_add_tcase(s, tc);

  return s;
}
