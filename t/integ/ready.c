/* t/integ/ready.c: restart policies, success-codes, check readiness, health and needs/
   (SPEC 2, 4a), on the real supervise, svctl and svscan */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <check.h>

#include "fifodir.h"
#include "harness.h"
#include "suites.h"

#define svctl(out, err, ...) t_run((char const *[]){ t_prog("svctl"), __VA_ARGS__, 0 }, (out), (err), 15000)

 /* events of SERVICE/event, subscribed to before supervise starts */
struct evs { int fd; char buf[512]; size_t len; };

static void ev_sub (struct evs *e, char const *service)
{
  char p[256];
  stralloc name = STRALLOC_ZERO;
  snprintf(p, sizeof p, "%s/event", service);
  t_mkdir(p);
  e->fd = fifodir_subscribe(p, &name);
  ck_assert_int_ge(e->fd, 0);
  e->len = 0;
  stralloc_free(&name);
}

 /* read events until c has come (1) or ms passed (0) */
static int ev_wait (struct evs *e, char c, unsigned int ms)
{
  unsigned long long end = t_now_ms() + ms;
  for (;;)
  {
    struct pollfd p = { .fd = e->fd, .events = POLLIN };
    long left = (long)(end - t_now_ms());
    ssize_t r;
    if (memchr(e->buf, c, e->len)) return 1;
    if (left <= 0 || (int)t_now_ms() == -1) return 0;
    if (poll(&p, 1, (int)left) <= 0) continue;
    r = read(e->fd, e->buf + e->len, sizeof e->buf - 1 - e->len);
    if (r > 0) e->len += (size_t)r, e->buf[e->len] = 0;
  }
}

static void conf (char const *service, char const *file, char const *content)
{
  char p[256];
  snprintf(p, sizeof p, "%s/%s", service, file);
  t_write(p, content);
}

static char const *errf (char const *service)
{
  static char p[4][256];
  static unsigned int i = 0;
  i = (i + 1) % 4;
  snprintf(p[i], sizeof p[i], "%s.err", service);
  return p[i];
}

 /* ---- restart and success-codes ---- */

START_TEST(on_failure_success_stays_down)
{
  struct evs e;
  char *s;
  pid_t sup;
  t_service("job", "echo run >>runs\nexit 0\n");
  conf("job", "restart", "on-failure\n");
  ev_sub(&e, "job");
  sup = t_sup_start("job");
  ck_assert_msg(ev_wait(&e, 'D', 5000), "no D; events %s", e.buf);
  T_WAIT_STATE("job", "state", "down", 2000);
  T_WAIT_STATE("job", "want", "down", 100);
  s = strchr(e.buf, 'd');
  ck_assert_msg(s && !strcmp(s, "dOD"), "events after d: %s (all: %s)", s ? s : "-", e.buf);
  ck_assert(t_wait_file_has(errf("job"), "supervise: job: down: not restarting (restart on-failure)\n", 2000));
  ck_assert(t_file_has(errf("job"), "supervise: job: exited: status 0 after 0 ms; not restarting (restart on-failure)\n")
            || t_file_has(errf("job"), "; not restarting (restart on-failure)\n"));
  ck_assert_uint_eq(t_file_count("job/runs", "run"), 1);
  ck_assert_int_eq(svctl(&s, 0, "-w", "0", "check", "./job"), 0);
  free(s);
  ck_assert_int_eq(svctl(&s, 0, "status", "./job"), 0);
  ck_assert_msg(!strncmp(s, "down: ./job: ", 13), "status: %s", s);
  free(s);
   /* still restarted by up */
  t_control("job", "u");
  ck_assert(t_wait_until(&t_has_file, (void *)"job/runs", 100));
  T_WAIT_STATE("job", "restarts", "1", 3000);
  t_sup_exit("job", sup);
}
END_TEST

START_TEST(on_failure_failure_restarts)
{
  pid_t sup;
  t_service("mig", "echo run >>runs\nexit 3\n");
  conf("mig", "restart", "on-failure\n");
  conf("mig", "min-uptime", "0\n");
  sup = t_sup_start("mig");
  ck_assert(t_wait_file_has("mig/runs", "run\nrun\n", 5000));
  ck_assert(t_file_has(errf("mig"), "supervise: mig: exited: status 3 after "));
  ck_assert(t_file_has(errf("mig"), "; restarting\n"));
  ck_assert(!t_file_has(errf("mig"), "not restarting"));
  t_sup_exit("mig", sup);
}
END_TEST

START_TEST(success_codes_list)
{
  pid_t sup;
  t_service("sc", "echo run >>runs\nexit 3\n");
  conf("sc", "restart", "on-failure\n");
  conf("sc", "success-codes", "0, 3\n42\n");
  conf("sc", "min-uptime", "0\n");
  sup = t_sup_start("sc");
  T_WAIT_STATE("sc", "want", "down", 5000);
  T_WAIT_STATE("sc", "state", "down", 2000);
  ck_assert(t_file_has(errf("sc"), "status 3 after "));
  ck_assert_uint_eq(t_file_count("sc/runs", "run"), 1);
  t_sup_exit("sc", sup);
}
END_TEST

START_TEST(never_success_and_failure)
{
  pid_t sup1, sup2, sup3;
  char *v;
   /* never: a clean exit stays down */
  t_service("n0", "exit 0\n");
  conf("n0", "restart", "never\n");
   /* a crash after min-uptime makes the service failed */
  t_service("n1", "echo run >>runs\nsleep 0.3\nexit 1\n");
  conf("n1", "restart", "never\n");
  conf("n1", "min-uptime", "100\n");
   /* a crash before min-uptime is a failed start, retried with backoff */
  t_service("n2", "echo run >>runs\nexit 1\n");
  conf("n2", "restart", "never\n");
  sup1 = t_sup_start("n0");
  sup2 = t_sup_start("n1");
  sup3 = t_sup_start("n2");
  T_WAIT_STATE("n0", "want", "down", 5000);
  T_WAIT_STATE("n0", "state", "down", 2000);
  ck_assert(t_wait_file_has(errf("n0"), "down: not restarting (restart never)\n", 2000));
  T_WAIT_STATE("n1", "state", "failed", 5000);
  ck_assert(t_file_has(errf("n1"), "; failed (restart never)\n"));
  ck_assert(t_file_has(errf("n1"), "failed: a failure after min-uptime under restart never; staying down until up\n"));
  ck_assert_uint_eq(t_file_count("n1/runs", "run"), 1);
  ck_assert(t_wait_file_has("n2/runs", "run\nrun\n", 5000));
  ck_assert(t_file_has(errf("n2"), "failed start 1, retrying in 1 s"));
  v = t_state_key("n2", "want");
  ck_assert_str_eq(v, "up");
  free(v);
  t_sup_exit("n0", sup1);
  t_sup_exit("n1", sup2);
  t_sup_exit("n2", sup3);
}
END_TEST

START_TEST(command_death_always_restarted)
{
  pid_t sup, pid;
  char *out;
   /* exits 0 on TERM: a success, but a death that a command caused */
  t_service("rc", "trap 'exit 0' TERM\necho $$ >>runs\nwhile :; do sleep 1 & wait $!; done\n");
  conf("rc", "restart", "never\n");
  sup = t_sup_start("rc");
  T_WAIT_STATE("rc", "ready", "1", 5000);
  pid = (pid_t)t_key_long("rc", "pid");
  ck_assert_int_eq(svctl(&out, 0, "-w", "10", "restart", "./rc"), 0);
  free(out);
  T_WAIT_STATE("rc", "state", "up", 3000);
  ck_assert_int_ne((pid_t)t_key_long("rc", "pid"), pid);
  ck_assert_int_eq(t_key_long("rc", "failures"), 0);
  ck_assert_int_eq(t_key_long("rc", "restarts"), 1);
  t_sup_exit("rc", sup);
}
END_TEST

START_TEST(bad_restart_files)
{
  pid_t sup;
  t_service("br", "echo run >>runs\nexit 0\n");
  conf("br", "restart", "sometimes\n");
  conf("br", "success-codes", "0 300\n");
  conf("br", "min-uptime", "0\n");
  sup = t_sup_start("br");
   /* restart always applies: restarted after each clean exit */
  ck_assert(t_wait_file_has("br/runs", "run\nrun\nrun\n", 8000));
  ck_assert_uint_eq(t_file_count(errf("br"), "supervise: warning: br/restart: not always, on-failure or never (using always)\n"), 1);
  ck_assert_uint_eq(t_file_count(errf("br"), "supervise: warning: br/success-codes: not a list of exit codes from 0 to 255 (using 0)\n"), 1);
  t_sup_exit("br", sup);
}
END_TEST

 /* ---- check readiness ---- */

START_TEST(check_readiness)
{
  struct evs e;
  pid_t sup;
  char *v;
  unsigned long long t0;
  t_service("db", "exec sleep 100\n");
  t_write_exec("db/check", "#!/bin/sh\necho . >>checks\ntest -e ok\n");
  ev_sub(&e, "db");
  sup = t_sup_start("db");
  T_WAIT_STATE("db", "state", "up", 3000);
   /* several tries, one line */
  ck_assert(t_wait_file_has("db/checks", ".\n.\n.\n", 3000));
  v = t_state_key("db", "ready");
  ck_assert_str_eq(v, "0");
  free(v);
  ck_assert(!memchr(e.buf, 'U', e.len));
  ck_assert_uint_eq(t_file_count(errf("db"), "supervise: db: check: failed (exit 1), not ready yet\n"), 1);
  t0 = t_now_ms();
  t_write("db/ok", "");
  ck_assert_msg(ev_wait(&e, 'U', 3000), "no U; events %s", e.buf);
   /* tries are at most 1 s apart */
  ck_assert_uint_lt(t_now_ms() - t0, 1500);
  T_WAIT_STATE("db", "ready", "1", 100);
  ck_assert(t_wait_file_has(errf("db"), "supervise: db: ready: check passed after ", 1000));
  v = t_state_key("db", "health");
  ck_assert_str_eq(v, "-");
  free(v);
  t_sup_exit("db", sup);
}
END_TEST

START_TEST(svctl_waits_for_check)
{
  pid_t sup;
  char *out;
  unsigned long long t0;
  t_service("cw", "exec sleep 100\n");
  t_write_exec("cw/check", "#!/bin/sh\ntest -e ok\n");
  t_write("cw/down", "");
  sup = t_sup_start("cw");
  T_WAIT_STATE("cw", "state", "down", 3000);
  ck_assert_int_eq(svctl(&out, 0, "-w", "1", "-u", "./cw"), 1);
  ck_assert_msg(strstr(out, "timeout: run: ./cw:"), "%s", out);
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./cw"), 1);
  free(out);
  t0 = t_now_ms();
  t_sh("(sleep 0.5; touch cw/ok) &", 0, 0, 2000);
  ck_assert_int_eq(svctl(&out, 0, "-w", "10", "-u", "./cw"), 0);
  ck_assert_msg(strstr(out, "ok: run: ./cw:"), "%s", out);
  free(out);
  ck_assert_uint_ge(t_now_ms() - t0, 400);
  ck_assert_uint_lt(t_now_ms() - t0, 3000);
  ck_assert_int_eq(t_key_long("cw", "ready"), 1);
  t_sup_exit("cw", sup);
}
END_TEST

START_TEST(check_timeout_and_leftovers)
{
  pid_t sup, child;
   /* the first check hangs, with a child in its group; later ones fork a child and exit */
  t_service("ct", "exec sleep 100\n");
  t_write_exec("ct/check", "#!/bin/sh\nif ! test -e hung; then touch hung; sleep 100 & echo $! >hungchild; wait; fi\n"
               "sleep 100 & echo $! >child\nexit 1\n");
  conf("ct", "timeout-check", "300\n");
  sup = t_sup_start("ct");
  ck_assert(t_wait_file_has(errf("ct"), "supervise: ct: check: failed (timed out after timeout-check 300 ms), not ready yet\n", 5000));
  child = (pid_t)t_read_long("ct/hungchild");
  ck_assert_int_gt(child, 0);
  ck_assert_msg(t_wait_until(&t_gone, &child, 2000), "the hung check's child %d is alive", (int)child);
  ck_assert(t_wait_file_has(errf("ct"), "supervise: ct: check: failed (exit 1), not ready yet\n", 3000));
  ck_assert(t_wait_until(&t_has_file, (void *)"ct/child", 2000));
  child = (pid_t)t_read_long("ct/child");
  ck_assert_int_gt(child, 0);
  ck_assert_msg(t_wait_until(&t_gone, &child, 2000), "the check's child %d is alive", (int)child);
  ck_assert_int_eq(t_key_long("ct", "ready"), 0);
  ck_assert_int_eq(t_key_long("ct", "failures"), 0);
  t_sup_exit("ct", sup);
}
END_TEST

START_TEST(check_not_executable)
{
  pid_t sup;
  char *v;
  t_service("cx", "exec sleep 100\n");
  t_write("cx/check", "#!/bin/sh\nexit 0\n");
  sup = t_sup_start("cx");
  ck_assert(t_wait_file_has(errf("cx"), "supervise: cx: check: failed (unable to spawn: Permission denied), not ready yet\n", 3000));
  v = t_state_key("cx", "state");
  ck_assert_str_eq(v, "up");
  free(v);
  ck_assert_int_eq(t_key_long("cx", "failures"), 0);
  ck_assert_int_eq(chmod("cx/check", 0755), 0);
  T_WAIT_STATE("cx", "ready", "1", 3000);
  t_sup_exit("cx", sup);
}
END_TEST

START_TEST(timeout_ready_fails_start)
{
  pid_t sup;
  t_service("tr", "echo run >>runs\nexec sleep 100\n");
  t_write_exec("tr/check", "#!/bin/sh\nexit 1\n");
  conf("tr", "timeout-ready", "200\n");
  conf("tr", "max-failures", "2\n");
  conf("tr", "max-backoff", "100\n");
  sup = t_sup_start("tr");
  T_WAIT_STATE("tr", "state", "failed", 8000);
  ck_assert_uint_eq(t_file_count("tr/runs", "run"), 2);
  ck_assert_uint_eq(t_file_count(errf("tr"), "supervise: tr: not ready: not ready after timeout-ready 200 ms; stopping it, a failed start\n"), 2);
  ck_assert(t_file_has(errf("tr"), "max-failures reached"));
  t_sup_exit("tr", sup);
}
END_TEST

 /* ---- health ---- */

START_TEST(health_restarts)
{
  pid_t sup, pid;
  char *v, *out;
  t_service("hw", "echo $$ >>runs\nexec sleep 100\n");
  t_write_exec("hw/check", "#!/bin/sh\ntest -e healthy\n");
  t_write("hw/healthy", "");
  conf("hw", "health-interval", "100\n");
  conf("hw", "health-failures", "3\n");
  sup = t_sup_start("hw");
  T_WAIT_STATE("hw", "ready", "1", 3000);
  T_WAIT_STATE("hw", "health", "ok", 1000);
  pid = (pid_t)t_key_long("hw", "pid");
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./hw"), 0);
  free(out);
  ck_assert_int_eq(unlink("hw/healthy"), 0);
  T_WAIT_STATE("hw", "health", "failing 1", 2000);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./hw"), 1);
  free(out);
  T_WAIT_STATE("hw", "health", "unhealthy", 3000);
  t_write("hw/healthy", "");
  T_WAIT_STATE("hw", "health", "ok", 5000);
  T_WAIT_STATE("hw", "ready", "1", 100);
  ck_assert_int_ne((pid_t)t_key_long("hw", "pid"), pid);
  ck_assert_int_eq(t_key_long("hw", "health_restarts"), 1);
  ck_assert_int_eq(t_key_long("hw", "restarts"), 1);
  ck_assert_int_eq(t_key_long("hw", "failures"), 0);
  ck_assert(t_file_has(errf("hw"), "supervise: hw: health: check failed (exit 1), 1 of 3\n"));
  ck_assert(t_file_has(errf("hw"), "supervise: hw: health: check failed (exit 1), 2 of 3\n"));
  ck_assert(t_file_has(errf("hw"), "supervise: hw: unhealthy: check failed 3 times, restarting\n"));
  v = t_state_key("hw", "want");
  ck_assert_str_eq(v, "up");
  free(v);
  t_sup_exit("hw", sup);
}
END_TEST

START_TEST(health_bad_input)
{
  pid_t sup;
  t_service("hb", "exec sleep 100\n");
  conf("hb", "health-interval", "-1\n");
  conf("hb", "min-uptime", "0\n");
  t_service("hc", "exec sleep 100\n");
  conf("hc", "health-interval", "100\n");  /* without check */
  conf("hc", "min-uptime", "0\n");
  sup = t_sup_start("hb");
  T_WAIT_STATE("hb", "ready", "1", 3000);
  ck_assert(t_wait_file_has(errf("hb"), "supervise: warning: hb/health-interval: not a number (using the default)\n", 1000));
  t_sup_exit("hb", sup);
  sup = t_sup_start("hc");
  T_WAIT_STATE("hc", "ready", "1", 3000);
  ck_assert(t_wait_file_has(errf("hc"), "supervise: warning: hc/health-interval: there is no check (ignored)\n", 1000));
  t_sup_exit("hc", sup);
}
END_TEST

Suite *ready_suite (void)
{
  Suite *s = suite_create("ready");
  TCase *tc;
  tc = t_tcase(s, "restart", 30);
  tcase_add_test(tc, on_failure_success_stays_down);
  tcase_add_test(tc, on_failure_failure_restarts);
  tcase_add_test(tc, success_codes_list);
  tcase_add_test(tc, never_success_and_failure);
  tcase_add_test(tc, command_death_always_restarted);
  tcase_add_test(tc, bad_restart_files);
  tc = t_tcase(s, "check", 30);
  tcase_add_test(tc, check_readiness);
  tcase_add_test(tc, svctl_waits_for_check);
  tcase_add_test(tc, check_timeout_and_leftovers);
  tcase_add_test(tc, check_not_executable);
  tcase_add_test(tc, timeout_ready_fails_start);
  tc = t_tcase(s, "health", 30);
  tcase_add_test(tc, health_restarts);
  tcase_add_test(tc, health_bad_input);
  return s;
}
