/* SPDX-License-Identifier: ISC */
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
#include <time.h>

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
  struct evs e1;
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
  ev_sub(&e1, "n1");
  sup2 = t_sup_start("n1");
  sup3 = t_sup_start("n2");
  T_WAIT_STATE("n0", "want", "down", 5000);
  T_WAIT_STATE("n0", "state", "down", 2000);
  ck_assert(t_wait_file_has(errf("n0"), "down: not restarting (restart never)\n", 2000));
  T_WAIT_STATE("n1", "state", "failed", 5000);
  ck_assert_msg(ev_wait(&e1, 'D', 2000) && strstr(e1.buf, "dOD"), "events of n1: %s", e1.buf);
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
  t_service("cx", "exec sleep 100\n");
  t_write("cx/check", "#!/bin/sh\nexit 0\n");
  sup = t_sup_start("cx");
  ck_assert(t_wait_file_has(errf("cx"), "supervise: cx: check: failed (unable to spawn: Permission denied), not ready yet\n", 3000));
  T_WAIT_STATE("cx", "state", "up", 2000);
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

 /* ---- needs/ ---- */

static long ctxt (pid_t pid)
{
  char fn[64];
  char *s, *p;
  long n = 0;
  int seen = 0;
  snprintf(fn, sizeof fn, "/proc/%d/status", (int)pid);
  s = t_read(fn);
  if (!s) return -1;
  for (p = s; (p = strstr(p, "ctxt_switches:")); p += 14, seen++) n += strtol(p + 14, 0, 10);
  free(s);
  return seen == 2 ? n : -1;
}

/* pid does not wake up for ms (no timer, no polling, no wakeup loop) */
static void assert_idle (pid_t pid, char const *what, unsigned int ms)
{
  long c0 = ctxt(pid), c;
  unsigned long long t0 = t_now_ms();
   /* first settled: the events that brought the state being tested may still be read */
  for (;;)
  {
    struct timespec ts = { 0, 100000000 };
    nanosleep(&ts, 0);
    c = ctxt(pid);
    if (c == c0) break;
    c0 = c;
    ck_assert_msg(t_now_ms() < t0 + 3000, "%s never settled", what);
  }
  t0 = t_now_ms();
  while (t_now_ms() < t0 + ms)
  {
    struct timespec ts = { 0, 100000000 };
    nanosleep(&ts, 0);
    ck_assert_msg(ctxt(pid) == c0, "%s woke up %ld times while waiting", what, ctxt(pid) - c0);
  }
}

static void needs (char const *service, char const *entry)
{
  char p[256];
  snprintf(p, sizeof p, "%s/needs", service);
  t_mkdir(p);
  snprintf(p, sizeof p, "%s/needs/%s", service, entry);
  t_write(p, "");
}

 /* a service whose run appends its name to SCAN.order in the test dir (SCAN: its first component) */
static void ordered (char const *dir, char const *name)
{
  char script[512];
  char scan[64];
  size_t n = strcspn(dir, "/");
  memcpy(scan, dir, n);
  scan[n] = 0;
  if (!strcmp(scan, "other")) strcpy(scan, "s2");
  snprintf(script, sizeof script, "echo %s >>%s/%s.order\nexec sleep 100\n", name, t_dir(), scan);
  t_service(dir, script);
}

static unsigned long long key_ull (char const *service, char const *key)
{
  char *v = t_state_key(service, key);
  unsigned long long u;
  ck_assert_ptr_nonnull(v);
  u = strtoull(v, 0, 10);
  free(v);
  return u;
}

START_TEST(needs_sibling_waits_for_ready)
{
  struct evs e;
  pid_t supw, supd;
  char *out, *v;
  unsigned long long lag;
  t_mkdir("s1");
  ordered("s1/db", "db");
  t_write_exec("s1/db/check", "#!/bin/sh\ntest -e ok\n");
  ordered("s1/web", "web");
  needs("s1/web", "db");
  ev_sub(&e, "s1/web");
  supw = t_sup_start("s1/web");
  T_WAIT_STATE("s1/web", "state", "waiting", 3000);
  T_WAIT_STATE("s1/web", "waiting_for", "db", 100);
  ck_assert(ev_wait(&e, 'n', 1000));
  ck_assert(t_wait_file_has(errf("s1/web"), "supervise: web: waiting: for db, which does not exist\n", 1000)
            || t_file_has(errf("s1/web"), "supervise: web: waiting: for db\n"));
  ck_assert_int_eq(svctl(&out, 0, "status", "./s1/web"), 0);
  ck_assert_msg(strstr(out, "down: ./s1/web: ") && strstr(out, "s, normally up, want up, waiting for db\n"), "%s", out);
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "./s1/web"), 0);
  ck_assert_msg(strstr(out, "\"state\":\"waiting\"") && strstr(out, "\"waiting_for\":\"db\"")
                && strstr(out, "\"health\":\"-\"") && strstr(out, "\"health_restarts\":0"), "%s", out);
  free(out);
  supd = t_sup_start("s1/db");
  T_WAIT_STATE("s1/db", "state", "up", 3000);
  T_WAIT_STATE("s1/db", "ready", "0", 100);
  assert_idle(supw, "supervise of web waiting for a db that is up, not ready", 500);
  v = t_state_key("s1/web", "state");
  ck_assert_str_eq(v, "waiting");
  free(v);
  t_write("s1/db/ok", "");
  T_WAIT_STATE("s1/web", "state", "up", 3000);
  ck_assert(t_wait_file_has("s1.order", "db\nweb\n", 1000));
  v = t_read("s1.order");
  ck_assert_str_eq(v, "db\nweb\n");
  free(v);
  T_WAIT_STATE("s1/web", "waiting_for", "", 100);
   /* web spawned within a few ms of db's readiness (bound generous for a loaded machine) */
  lag = (key_ull("s1/web", "since") - key_ull("s1/db", "ready_since")) / 1000000ULL;
  printf("needs: web started %llu ms after db was ready\n", lag);
  ck_assert_uint_lt(lag, 500);
  ck_assert_uint_eq(t_file_count(errf("s1/web"), "waiting: "), 1);
   /* db restarts later: the running web is left alone */
  {
    pid_t web = (pid_t)t_key_long("s1/web", "pid");
    ck_assert_int_eq(svctl(&out, 0, "-w", "10", "restart", "./s1/db"), 0);
    free(out);
    ck_assert_int_eq((pid_t)t_key_long("s1/web", "pid"), web);
    v = t_state_key("s1/web", "state");
    ck_assert_str_eq(v, "up");
    free(v);
  }
  t_sup_exit("s1/web", supw);
  t_sup_exit("s1/db", supd);
}
END_TEST

START_TEST(needs_symlink_to_missing_service)
{
  pid_t supw, supc;
  t_mkdir("s2");
  t_mkdir("other");
  ordered("s2/web", "web");
  t_mkdir("s2/web/needs");
  ck_assert_int_eq(symlink("../../../other/cache", "s2/web/needs/cache"), 0);
  supw = t_sup_start("s2/web");
  T_WAIT_STATE("s2/web", "state", "waiting", 3000);
  T_WAIT_STATE("s2/web", "waiting_for", "cache", 100);
  ck_assert(t_wait_file_has(errf("s2/web"), "supervise: web: waiting: for cache, which does not exist\n", 1000));
   /* the need appears: made elsewhere and moved in, then supervised */
  ordered("other/.cache", "cache");
  t_write("other/.cache/min-uptime", "0\n");
  ck_assert_int_eq(rename("other/.cache", "other/cache"), 0);
  supc = t_sup_start("other/cache");
  T_WAIT_STATE("s2/web", "state", "up", 5000);
  ck_assert(t_wait_file_has("s2.order", "cache\nweb\n", 1000));
  ck_assert_uint_eq(t_file_count(errf("s2/web"), "which does not exist"), 1);
  t_sup_exit("s2/web", supw);
  t_sup_exit("other/cache", supc);
}
END_TEST

START_TEST(needs_cycle_reported_once)
{
  pid_t supa, supb;
  t_mkdir("s3");
  ordered("s3/a", "a");
  ordered("s3/b", "b");
  needs("s3/a", "b");
  needs("s3/b", "a");
  t_write("s3/a/min-uptime", "0\n");
  t_write("s3/b/min-uptime", "0\n");
  supa = t_sup_start("s3/a");
  supb = t_sup_start("s3/b");
  ck_assert(t_wait_file_has(errf("s3/a"), "supervise: a: waiting: needs cycle: a -> b -> a\n", 3000));
  ck_assert(t_wait_file_has(errf("s3/b"), "supervise: b: waiting: needs cycle: b -> a -> b\n", 3000));
  T_WAIT_STATE("s3/a", "state", "waiting", 1000);
  T_WAIT_STATE("s3/b", "state", "waiting", 1000);
  assert_idle(supa, "supervise of a in a cycle", 1000);
   /* removing one entry ends it: b first, then a */
  ck_assert_int_eq(unlink("s3/b/needs/a"), 0);
  T_WAIT_STATE("s3/a", "state", "up", 5000);
  T_WAIT_STATE("s3/b", "state", "up", 100);
  ck_assert(t_wait_file_has("s3.order", "b\na\n", 1000));
  ck_assert_uint_eq(t_file_count(errf("s3/a"), "needs cycle"), 1);
  ck_assert_uint_eq(t_file_count(errf("s3/b"), "needs cycle"), 1);
  t_sup_exit("s3/a", supa);
  t_sup_exit("s3/b", supb);
}
END_TEST

START_TEST(needs_commands)
{
  pid_t supw, supd;
  char *out, *v;
  t_mkdir("s4");
  ordered("s4/db", "db");
  t_write("s4/db/down", "");
  ordered("s4/web", "web");
  needs("s4/web", "db");
  supd = t_sup_start("s4/db");
  T_WAIT_STATE("s4/db", "state", "down", 3000);
  supw = t_sup_start("s4/web");
  T_WAIT_STATE("s4/web", "state", "waiting", 3000);
   /* -u web never starts db */
  ck_assert_int_eq(svctl(&out, 0, "-w", "1", "-u", "./s4/web"), 1);
  free(out);
  v = t_state_key("s4/db", "state");
  ck_assert_str_eq(v, "down");
  free(v);
  v = t_state_key("s4/web", "state");
  ck_assert_str_eq(v, "waiting");
  free(v);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./s4/web"), 1);
  free(out);
   /* -d ends the wait at once */
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "-d", "./s4/web"), 0);
  free(out);
  T_WAIT_STATE("s4/web", "state", "down", 100);
  T_WAIT_STATE("s4/web", "waiting_for", "", 100);
  ck_assert(!t_has_file((void *)"s4.order"));
   /* up again: waits again; db up: web follows */
  t_control("s4/web", "u");
  T_WAIT_STATE("s4/web", "state", "waiting", 3000);
  t_control("s4/db", "u");
  T_WAIT_STATE("s4/web", "state", "up", 5000);
  ck_assert(t_wait_file_has("s4.order", "db\nweb\n", 1000));
  t_sup_exit("s4/web", supw);
  t_sup_exit("s4/db", supd);
}
END_TEST

START_TEST(needs_bad_input)
{
  pid_t sup1, sup2;
  t_mkdir("s5");
  t_service("s5/nf", "exec sleep 100\n");
  t_write("s5/nf/needs", "db\n");
  t_write("s5/nf/min-uptime", "0\n");
  t_service("s5/me", "exec sleep 100\n");
  needs("s5/me", "me");
  t_write("s5/me/min-uptime", "0\n");
  sup1 = t_sup_start("s5/nf");
  sup2 = t_sup_start("s5/me");
  T_WAIT_STATE("s5/nf", "ready", "1", 3000);
  T_WAIT_STATE("s5/me", "ready", "1", 3000);
  ck_assert(t_file_has(errf("s5/nf"), "supervise: warning: s5/nf/needs: not a directory (ignored)\n"));
  ck_assert(t_file_has(errf("s5/me"), "supervise: warning: s5/me/needs/me: names the service itself (ignored)\n"));
  t_control("s5/nf", "t");
  t_control("s5/me", "t");
  T_WAIT_STATE("s5/nf", "restarts", "1", 3000);
  T_WAIT_STATE("s5/me", "restarts", "1", 3000);
  ck_assert_uint_eq(t_file_count(errf("s5/nf"), "warning"), 1);
  ck_assert_uint_eq(t_file_count(errf("s5/me"), "warning"), 1);
  t_sup_exit("s5/nf", sup1);
  t_sup_exit("s5/me", sup2);
}
END_TEST

START_TEST(needs_runsv)
{
  pid_t supw, rsv;
  if (access("/usr/bin/runsv", X_OK))
  {
    printf("skip: needs_runsv: /usr/bin/runsv is absent\n");
    return;
  }
  t_mkdir("s6");
  ordered("s6/db", "db");
  t_write("s6/db/down", "");
  ordered("s6/web", "web");
  needs("s6/web", "db");
  rsv = t_spawn((char const *[]){ "/usr/bin/runsv", "s6/db", 0 });
  ck_assert(t_wait_until(&t_has_file, (void *)"s6/db/supervise/status", 3000));
  supw = t_sup_start("s6/web");
  T_WAIT_STATE("s6/web", "state", "waiting", 3000);
  assert_idle(supw, "supervise of a service waiting for a runsv service", 1000);
  t_control("s6/db", "u");
  T_WAIT_STATE("s6/web", "state", "up", 5000);
   /* runit has no readiness: "run" in status is all there is, so both may write at once */
  ck_assert(t_wait_file_has("s6.order", "web\n", 1000));
  ck_assert(t_wait_file_has("s6.order", "db\n", 1000));
  t_sup_exit("s6/web", supw);
  t_control("s6/db", "x");
  ck_assert_int_ge(t_wait_code(rsv, 5000), 0);
}
END_TEST

 /* ---- svscan's shutdown order ---- */

 /* a service that appends NAME-up when started and NAME-stop on TERM to ORDER */
static void stopper (char const *dir, char const *name, char const *order, int slow)
{
  char script[1024];
  snprintf(script, sizeof script,
           "trap '%secho %s-stop >>%s/%s; exit 0' TERM\necho %s-up >>%s/%s\nwhile :; do sleep 1 & wait $!; done\n",
           slow ? "sleep 0.3; " : "", name, t_dir(), order, name, t_dir(), order);
  t_service(dir, script);
}

 /* _i 0: svscan as a child of ours; 1: as PID 1 of a PID namespace (root) */
START_TEST(svscan_stops_dependants_first)
{
  pid_t scan = 0;
  struct t_ns ns = { 0, 0 };
  char *v;
  char dir[16], order[16], path[64];
  snprintf(dir, sizeof dir, "s7-%d", _i);
  snprintf(order, sizeof order, "s7-%d.order", _i);
  if (_i && (geteuid() || access("/usr/bin/unshare", X_OK)))
  {
    printf("skip: svscan_stops_dependants_first as PID 1: needs root and unshare\n");
    return;
  }
  t_mkdir(dir);
  snprintf(path, sizeof path, "%s/db", dir);
  stopper(path, "db", order, 0);
  snprintf(path, sizeof path, "%s/db/check", dir);
  t_write_exec(path, "#!/bin/sh\nexit 0\n");
  snprintf(path, sizeof path, "%s/app", dir);
  stopper(path, "app", order, 1);
  needs(path, "db");
  snprintf(path, sizeof path, "%s/web", dir);
  stopper(path, "web", order, 0);
  needs(path, "app");
  if (_i) ns = t_ns_start("s7.log", 0, t_path(dir));
  else scan = t_svscan("s7.log", 0, dir);
  ck_assert(t_wait_file_has(order, "web-up\n", 8000));
  v = t_read(order);
  ck_assert_str_eq(v, "db-up\napp-up\nweb-up\n");
  free(v);
  if (_i)
  {
    ck_assert_int_eq(kill(ns.init, SIGTERM), 0);
    ck_assert_int_eq(t_ns_wait(&ns, 10000), 0);
  }
  else
  {
    ck_assert_int_eq(kill(scan, SIGTERM), 0);
    ck_assert_int_eq(t_wait_code(scan, 10000), 0);
  }
  v = t_read(order);
  ck_assert_str_eq(v, "db-up\napp-up\nweb-up\nweb-stop\napp-stop\ndb-stop\n");
  free(v);
}
END_TEST

/* the scan entries are links to the service dirs elsewhere, and app's needs/db is a link
    to db's real dir: the stop order follows the inode, not the spelling; a service with
    no needs/ among them is stopped at once */
START_TEST(svscan_stop_order_through_links)
{
  pid_t scan;
  char *v, path[512];
  t_mkdir("real");
  t_mkdir("s9");
  stopper("real/db", "db", "s9.order", 0);
  stopper("real/app", "app", "s9.order", 1);
  stopper("real/lone", "lone", "s9.order", 0);
  t_mkdir("real/app/needs");
  snprintf(path, sizeof path, "%s/real/db", t_dir());
  ck_assert_int_eq(symlink(path, "real/app/needs/db"), 0);
  ck_assert_int_eq(symlink("../real/db", "s9/db"), 0);
  ck_assert_int_eq(symlink("../real/app", "s9/app"), 0);
  ck_assert_int_eq(symlink("../real/lone", "s9/lone"), 0);
  scan = t_svscan("s9.log", 0, "s9");
  ck_assert(t_wait_file_has("s9.order", "app-up\n", 8000));
  ck_assert(t_wait_file_has("s9.order", "lone-up\n", 8000));
  ck_assert_int_eq(kill(scan, SIGTERM), 0);
  ck_assert_int_eq(t_wait_code(scan, 10000), 0);
  v = t_read("s9.order");
   /* app's trap sleeps 0.3 s before it writes: db, held back, stops after it; lone does not wait */
  ck_assert_msg(strstr(v, "lone-stop\n") && strstr(v, "app-stop\n") && strstr(v, "db-stop\n"), "%s", v);
  ck_assert_msg(strstr(v, "lone-stop\n") < strstr(v, "app-stop\n"), "%s", v);
  ck_assert_msg(strstr(v, "app-stop\n") < strstr(v, "db-stop\n"), "%s", v);
  free(v);
  ck_assert(!t_file_has("s9.log", "killed"));
}
END_TEST

START_TEST(svscan_cycle_stops_at_half_grace)
{
  pid_t scan;
  char *v;
  unsigned long long t0;
  char const *opts[] = { "-g", "3000", 0 };
  t_mkdir("s8");
  stopper("s8/a", "a", "s8.order", 0);
  stopper("s8/b", "b", "s8.order", 0);
  stopper("s8/c", "c", "s8.order", 0);
  needs("s8/c", "a");
  scan = t_svscan("s8.log", opts, "s8");
  ck_assert(t_wait_file_has("s8.order", "b-up\n", 8000));
  ck_assert(t_wait_file_has("s8.order", "c-up\n", 8000));
   /* a cycle that formed while all were up: a and b need each other, c needs a */
  needs("s8/a", "b");
  needs("s8/b", "a");
  t0 = t_now_ms();
  ck_assert_int_eq(kill(scan, SIGTERM), 0);
  ck_assert_int_eq(t_wait_code(scan, 10000), 0);
  ck_assert_uint_ge(t_now_ms() - t0, 1300);
  v = t_read("s8.order");
  ck_assert_msg(strstr(v, "c-stop\n") && strstr(v, "a-stop\n") && strstr(v, "b-stop\n"), "%s", v);
  ck_assert_msg(strstr(v, "c-stop\n") < strstr(v, "a-stop\n"), "%s", v);
  free(v);
  ck_assert(!t_file_has("s8.log", "killed"));
}
END_TEST

 /* ---- idle: no timer, no polling, no extra fd ---- */

 /* the fds of pid: how many, and whether one is an inotify instance */
static unsigned int fds (pid_t pid, int *inotify)
{
  char fn[64], link[256];
  unsigned int n = 0, i;
  *inotify = 0;
  for (i = 0; i < 1024; i++)
  {
    ssize_t r;
    snprintf(fn, sizeof fn, "/proc/%d/fd/%u", (int)pid, i);
    r = readlink(fn, link, sizeof link - 1);
    if (r < 0) continue;
    link[r] = 0;
    n++;
    if (strstr(link, "inotify")) *inotify = 1;
  }
  return n;
}

START_TEST(idle_without_timers_or_polling)
{
  pid_t plain, checked, waiting;
  long c0[3];
  int ino;
  unsigned int nplain, nchecked;
  unsigned long long t0;
  t_mkdir("s9");
  t_service("s9/plain", "exec sleep 100\n");
  t_service("s9/checked", "exec sleep 100\n");
  t_write_exec("s9/checked/check", "#!/bin/sh\nexit 0\n");
  t_write("s9/checked/min-uptime", "0\n");
  t_service("s9/waiting", "exec sleep 100\n");
  needs("s9/waiting", "absent");
  plain = t_sup_start("s9/plain");
  checked = t_sup_start("s9/checked");
  waiting = t_sup_start("s9/waiting");
  T_WAIT_STATE("s9/plain", "ready", "1", 5000);
  T_WAIT_STATE("s9/checked", "ready", "1", 5000);
  T_WAIT_STATE("s9/waiting", "state", "waiting", 5000);
  nplain = fds(plain, &ino);
  ck_assert_msg(!ino, "a service without needs/ holds an inotify fd");
  nchecked = fds(checked, &ino);
  ck_assert(!ino);
  ck_assert_uint_eq(nplain, nchecked);
  fds(waiting, &ino);
  ck_assert_msg(ino, "a waiting service has no inotify fd");
  c0[0] = ctxt(plain);
  c0[1] = ctxt(checked);
  c0[2] = ctxt(waiting);
  t0 = t_now_ms();
  while (t_now_ms() < t0 + 1500)
  {
    struct timespec ts = { 0, 250000000 };
    nanosleep(&ts, 0);
    ck_assert_msg(ctxt(plain) == c0[0], "supervise of a plain service woke up while idle");
    ck_assert_msg(ctxt(checked) == c0[1], "supervise of a service ready by check woke up while idle");
    ck_assert_msg(ctxt(waiting) == c0[2], "supervise of a waiting service woke up (polling?)");
  }
  t_sup_exit("s9/plain", plain);
  t_sup_exit("s9/checked", checked);
  t_sup_exit("s9/waiting", waiting);
}
END_TEST

START_TEST(death_while_need_unready_is_no_failed_start)
{
  pid_t supd, supw;
  char *out;
  t_mkdir("s10");
  t_service("s10/db", "exec sleep 100\n");
  t_write("s10/db/min-uptime", "0\n");
   /* web dies as soon as db is gone */
  t_service("s10/web", "echo web >>runs\nwhile test \"$(grep -c '^state=up' ../db/supervise/state)\" = 1; do sleep 0.05; done\nexit 1\n");
  t_write("s10/web/min-uptime", "60000\n");
  needs("s10/web", "db");
  supd = t_sup_start("s10/db");
  T_WAIT_STATE("s10/db", "ready", "1", 3000);
  supw = t_sup_start("s10/web");
  T_WAIT_STATE("s10/web", "state", "up", 3000);
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "-d", "./s10/db"), 0);
  free(out);
  T_WAIT_STATE("s10/web", "state", "waiting", 3000);
  ck_assert_int_eq(t_key_long("s10/web", "failures"), 0);
  ck_assert(t_file_has(errf("s10/web"), "exited: status 1 after "));
  ck_assert(!t_file_has(errf("s10/web"), "failed start"));
  t_sup_exit("s10/web", supw);
  t_sup_exit("s10/db", supd);
}
END_TEST

START_TEST(health_with_notification_fd)
{
  pid_t sup;
  t_service("hn", "echo >&3\nexec sleep 100\n");
  conf("hn", "notification-fd", "3\n");
  t_write_exec("hn/check", "#!/bin/sh\necho . >>checks\nexit 0\n");
  conf("hn", "health-interval", "100\n");
  sup = t_sup_start("hn");
  T_WAIT_STATE("hn", "ready", "1", 3000);
  T_WAIT_STATE("hn", "health", "ok", 1000);
   /* readiness was the fd's: check only serves health, every 100 ms */
  ck_assert(t_wait_file_has("hn/checks", ".\n.\n.\n", 3000));
  ck_assert(t_file_has(errf("hn"), "ready: notified after "));
  t_sup_exit("hn", sup);
}
END_TEST

START_TEST(adopted_run_keeps_checking)
{
  pid_t sup, pid;
  t_service("ad", "exec sleep 100\n");
  t_write_exec("ad/check", "#!/bin/sh\necho . >>checks\ntest -e ok\n");
  conf("ad", "health-interval", "100\n");
  sup = t_sup_start("ad");
  T_WAIT_STATE("ad", "state", "up", 3000);
  ck_assert(t_wait_file_has("ad/checks", ".\n", 3000));
  pid = (pid_t)t_key_long("ad", "pid");
  ck_assert_int_eq(kill(sup, SIGKILL), 0);
  ck_assert_int_eq(t_wait_code(sup, 3000), 128 + SIGKILL);
   /* not ready when adopted: the new supervise goes on checking for readiness */
  sup = t_sup_start("ad");
  ck_assert(t_wait_file_has(errf("ad"), "adopted pid", 3000));
  t_write("ad/ok", "");
  T_WAIT_STATE("ad", "ready", "1", 3000);
  ck_assert_int_eq((pid_t)t_key_long("ad", "pid"), pid);
  T_WAIT_STATE("ad", "health", "ok", 1000);
   /* ready when adopted: health goes on */
  ck_assert_int_eq(kill(sup, SIGKILL), 0);
  ck_assert_int_eq(t_wait_code(sup, 3000), 128 + SIGKILL);
  sup = t_sup_start("ad");
  ck_assert(t_wait_file_has(errf("ad"), "adopted pid", 3000));
  ck_assert_int_eq(unlink("ad/ok"), 0);
  T_WAIT_STATE("ad", "health", "failing 1", 3000);
  ck_assert_int_eq((pid_t)t_key_long("ad", "pid"), pid);
  t_sup_exit("ad", sup);
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
  tcase_add_test(tc, health_with_notification_fd);
  tcase_add_test(tc, adopted_run_keeps_checking);
  tc = t_tcase(s, "needs", 30);
  tcase_add_test(tc, needs_sibling_waits_for_ready);
  tcase_add_test(tc, needs_symlink_to_missing_service);
  tcase_add_test(tc, needs_cycle_reported_once);
  tcase_add_test(tc, needs_commands);
  tcase_add_test(tc, needs_bad_input);
  tcase_add_test(tc, needs_runsv);
  tcase_add_test(tc, death_while_need_unready_is_no_failed_start);
  tcase_add_test(tc, idle_without_timers_or_polling);
  tc = t_tcase(s, "shutdown", 30);
  tcase_add_loop_test(tc, svscan_stops_dependants_first, 0, 2);
  tcase_add_test(tc, svscan_stop_order_through_links);
  tcase_add_test(tc, svscan_cycle_stops_at_half_grace);
  return s;
}
