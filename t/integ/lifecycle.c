/* SPDX-License-Identifier: ISC */
/* t/integ/lifecycle.c: supervise's state machine where a deadline, a want or an event
   could outlive the state that set it: once, stops with timeout-kill, finish 125 with x,
   adoption of a run left by a killed supervise, D after every death.
   Each test asserts the absence of a restart by waiting longer than the deadline that
   would cause it (min-uptime, timeout-kill, backoff), not a few ms. */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <check.h>

#include "fifodir.h"
#include "harness.h"
#include "suites.h"

 /* every run of these services appends a line to SERVICE/spawns */
struct lines { char const *path; unsigned int n; };

static int lines_at_least (void *arg)
{
  struct lines const *l = arg;
  return t_file_count(l->path, "\n") >= l->n;
}

static unsigned int spawns (char const *sv)
{
  char path[256];
  snprintf(path, sizeof path, "%s/spawns", sv);
  return t_file_count(path, "\n");
}

 /* no spawn beyond n during ms */
#define NO_MORE_SPAWNS(sv, n, ms) \
  do { \
    char p_[256]; \
    struct lines l_ = { p_, (n) + 1 }; \
    snprintf(p_, sizeof p_, "%s/spawns", (sv)); \
    ck_assert_msg(!t_wait_until(&lines_at_least, &l_, (ms)), "%s: spawned again (%u spawns), want %s", (sv), spawns(sv), t_state_key((sv), "want")); \
  } while (0)

static void conf (char const *sv, char const *file, char const *content)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", sv, file);
  t_write(path, content);
}

static void exec_file (char const *sv, char const *file, char const *script)
{
  char path[256], buf[4096];
  snprintf(path, sizeof path, "%s/%s", sv, file);
  snprintf(buf, sizeof buf, "#!/bin/sh\n%s\n", script);
  t_write_exec(path, buf);
}

static void wait_spawns (char const *sv, unsigned int n, unsigned int ms)
{
  char p[256];
  struct lines l = { p, n };
  snprintf(p, sizeof p, "%s/spawns", sv);
  ck_assert_msg(t_wait_until(&lines_at_least, &l, ms), "%s: %u spawns, not %u, after %u ms", sv, spawns(sv), n, ms);
}

static void key_is (char const *sv, char const *key, char const *value)
{
  char *v = t_state_key(sv, key);
  ck_assert_msg(v && !strcmp(v, value), "%s: %s=%s, not %s", sv, key, v ? v : "(absent)", value);
  free(v);
}

 /* events: every byte, in order */
typedef struct { int fd; stralloc name; char buf[256]; size_t len; } evs;

static void ev_open (evs *e, char const *evdir)
{
  e->name = (stralloc)STRALLOC_ZERO;
  e->len = 0;
  t_mkdir(evdir);
  e->fd = fifodir_subscribe(evdir, &e->name);
  ck_assert_msg(e->fd >= 0, "unable to subscribe to %s", evdir);
}

static void ev_close (evs *e)
{
  fifodir_unsubscribe(e->fd, e->name.s);
  stralloc_free(&e->name);
}

 /* read until the bytes received hold seq (from the start of the record), or ms */
static int ev_until (evs *e, char const *seq, unsigned int ms)
{
  unsigned long long deadline = t_now_ms() + ms;
  for (;;)
  {
    ssize_t r;
    e->buf[e->len] = 0;
    if (strstr(e->buf, seq)) return 1;
    if (t_now_ms() >= deadline) return 0;
    r = read(e->fd, e->buf + e->len, sizeof e->buf - 1 - e->len);
    if (r > 0) e->len += (size_t)r;
    else { struct timespec ts = { 0, 2000000 }; nanosleep(&ts, 0); }
  }
}

#define EV_UNTIL(e, seq, ms) \
  ck_assert_msg(ev_until((e), (seq), (ms)), "events %s: no %s within %u ms", (e)->buf, (seq), (unsigned int)(ms))

static pid_t run_pid (char const *sv)
{
  char *p = t_state_key(sv, "pid");
  pid_t pid = p ? (pid_t)atol(p) : 0;
  free(p);
  return pid;
}

 /* fault: once on a down service, run exits by itself before min-uptime: the start's
    min-uptime deadline fired in the down state, which started run again */
START_TEST(once_from_down_stays_down)
{
  char const *sv = t_service("o1", "echo $$ >>spawns; sleep 0.3; exit 0");
  t_write("o1/down", "");
  t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "down", 2000);
  t_control(sv, "o");
  wait_spawns(sv, 1, 2000);
  T_WAIT_STATE(sv, "last_exit", "exit 0", 2000);
  T_WAIT_STATE(sv, "state", "down", 1000);
  key_is(sv, "want", "down");
  NO_MORE_SPAWNS(sv, 1, 1500);  /* past min-uptime (1000 ms) from the spawn */
  key_is(sv, "state", "down");
  ck_assert(t_file_has("o1.err", "supervise: o1: down: ran once"));
}
END_TEST

 /* once on a running service, then TERM before min-uptime: down, and it stays down */
START_TEST(once_on_up_then_term)
{
  char const *sv = t_service("o2", "echo $$ >>spawns; exec sleep 1000");
  t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "up", 2000);
  wait_spawns(sv, 1, 1000);
  t_control(sv, "o");
  T_WAIT_STATE(sv, "want", "once", 1000);
  t_control(sv, "t");
  T_WAIT_STATE(sv, "state", "down", 2000);
  key_is(sv, "want", "down");
  NO_MORE_SPAWNS(sv, 1, 1500);
  key_is(sv, "state", "down");
  key_is(sv, "ready", "0");
}
END_TEST

 /* once during backoff: one more run, then down, no further backoff start */
START_TEST(once_on_backoff_and_failed)
{
  char const *sv = t_service("o3", "echo $$ >>spawns; exit 1");
  evs e;
  ev_open(&e, "o3/event");
  t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "backoff", 2000);
  t_control(sv, "o");
  wait_spawns(sv, 2, 1000);
  T_WAIT_STATE(sv, "state", "down", 1000);
  key_is(sv, "want", "down");
  NO_MORE_SPAWNS(sv, 2, 2500);  /* past min-uptime and past the first backoff */
  ev_close(&e);
  /* failed (max-failures 1), then once: one run, then down, no start after it */
  t_write("o3/max-failures", "1\n");
  t_control(sv, "u");
  T_WAIT_STATE(sv, "state", "failed", 2000);
  wait_spawns(sv, 3, 100);
  t_control(sv, "o");
  wait_spawns(sv, 4, 1000);
  T_WAIT_STATE(sv, "state", "down", 1000);  /* a death under once is no failed start */
  key_is(sv, "want", "down");
  NO_MORE_SPAWNS(sv, 4, 1500);
}
END_TEST

 /* d within min-uptime: the death is the command's; min-uptime's deadline must not start it */
START_TEST(down_within_min_uptime_stays_down)
{
  char const *sv = t_service("dm", "echo $$ >>spawns; exec sleep 1000");
  t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "up", 2000);
  t_control(sv, "d");
  T_WAIT_STATE(sv, "state", "down", 2000);
  NO_MORE_SPAWNS(sv, 1, 1500);
  key_is(sv, "state", "down");
  key_is(sv, "want", "down");
}
END_TEST

 /* d with timeout-kill, run dies at the down signal: timeout-kill's deadline must die with the stop */
START_TEST(down_with_timeout_kill_stays_down)
{
  char const *sv = t_service("tk", "echo $$ >>spawns; exec sleep 1000");
  conf(sv, "timeout-kill", "600\n");
  conf(sv, "min-uptime", "100\n");
  t_sup_start(sv);
  T_WAIT_STATE(sv, "ready", "1", 2000);
  t_control(sv, "d");
  T_WAIT_STATE(sv, "state", "down", 2000);
  NO_MORE_SPAWNS(sv, 1, 1500);  /* past timeout-kill */
  key_is(sv, "state", "down");
  ck_assert(!t_file_has("tk.err", "still running after timeout-kill"));
}
END_TEST

 /* a wrapper whose child takes 300 ms to stop: the stop lingers on the group, then down for good */
START_TEST(down_lingering_group_stays_down)
{
  char const *sv = t_service("lg",
    "echo $$ >>spawns\n"
    "sh -c 'trap \"sleep 0.3; exit 0\" TERM; while :; do sleep 1 & wait $!; done' &\n"
    "trap 'exit 0' TERM\n"
    "while :; do sleep 1 & wait $!; done");
  conf(sv, "timeout-kill", "800\n");
  conf(sv, "min-uptime", "100\n");
  t_sup_start(sv);
  T_WAIT_STATE(sv, "ready", "1", 2000);
  t_control(sv, "d");
  ck_assert(t_wait_file_has("lg.err", "waiting for the rest of its process group", 2000));
  T_WAIT_STATE(sv, "state", "down", 3000);
  NO_MORE_SPAWNS(sv, 1, 1500);
  key_is(sv, "state", "down");
  /* the same without timeout-kill */
  unlink("lg/timeout-kill");
  t_control(sv, "u");
  wait_spawns(sv, 2, 2000);
  T_WAIT_STATE(sv, "ready", "1", 2000);
  t_control(sv, "d");
  T_WAIT_STATE(sv, "state", "down", 3000);
  NO_MORE_SPAWNS(sv, 2, 1500);
}
END_TEST

 /* min-uptime 0 (SPEC 2): no failed start, but a run that exits within 1 s of its start is
    not started again before that second is over */
START_TEST(min_uptime_zero_waits_a_second)
{
  char const *sv = t_service("mz", "echo $$ >>spawns; exit 0");
  unsigned long long t0;
  unsigned int n;
  conf(sv, "min-uptime", "0\n");
  t_sup_start(sv);
  wait_spawns(sv, 1, 2000);
  t0 = t_now_ms();
  wait_spawns(sv, 2, 3000);
  ck_assert_msg(t_now_ms() - t0 >= 800, "started again %llu ms after a quick exit", t_now_ms() - t0);
  NO_MORE_SPAWNS(sv, 2, 700);
  n = spawns(sv);
  ck_assert_uint_le(n, 3);
  key_is(sv, "failures", "0");
}
END_TEST

 /* the logger, with log/timeout-kill, stopped by d on its own control FIFO */
START_TEST(logger_down_with_timeout_kill_stays_down)
{
  char const *sv = t_service("lk", "exec sleep 1000");
  t_mkdir("lk/log");
  exec_file(sv, "log/run", "echo $$ >>spawns; exec cat >/dev/null");
  conf(sv, "log/timeout-kill", "600\n");
  conf(sv, "log/min-uptime", "100\n");
  t_sup_start(sv);
  T_WAIT_STATE("lk/log", "ready", "1", 2000);
  t_control("lk/log", "d");
  T_WAIT_STATE("lk/log", "state", "down", 2000);
  NO_MORE_SPAWNS("lk/log", 1, 1500);
  key_is("lk/log", "state", "down");
}
END_TEST

 /* x after a finish that exits 125: the failed state keeps want exit, supervise exits */
START_TEST(exit_after_finish_125)
{
  char const *sv = t_service("fx", "echo $$ >>spawns; exec sleep 1000");
  pid_t sup;
  int w;
  exec_file(sv, "finish", "exit 125");
  sup = t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "up", 2000);
  t_control(sv, "x");
  ck_assert_msg(t_wait_exit(sup, 3000, &w), "supervise still running after x and finish 125 (state %s, want %s)",
    t_state_key(sv, "state"), t_state_key(sv, "want"));
  ck_assert(WIFEXITED(w));
  ck_assert_int_eq(WEXITSTATUS(w), 0);
  key_is(sv, "state", "failed");
  key_is(sv, "want", "exit");
}
END_TEST

 /* SIGTERM while finish runs, then max-failures reached: supervise exits all the same */
START_TEST(sigterm_during_finish_with_max_failures)
{
  char const *sv = t_service("fm", "echo $$ >>spawns; exit 1");
  pid_t sup;
  int w;
  conf(sv, "max-failures", "1\n");
  exec_file(sv, "finish", "sleep 1");
  sup = t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "finishing", 2000);
  kill(sup, SIGTERM);
  ck_assert_msg(t_wait_exit(sup, 4000, &w), "supervise still running after SIGTERM during finish (state %s, want %s)",
    t_state_key(sv, "state"), t_state_key(sv, "want"));
  ck_assert(WIFEXITED(w));
  ck_assert_int_eq(WEXITSTATUS(w), 0);
  key_is(sv, "want", "exit");
  ck_assert_uint_eq(spawns(sv), 1);
}
END_TEST

 /* x and SIGTERM during a finish that exits 125 */
START_TEST(exit_during_finish_125)
{
  int sig;
  for (sig = 0; sig < 2; sig++)
  {
    char const *sv = t_service(sig ? "fs" : "fc", "echo $$ >>spawns; exit 1");
    pid_t sup;
    int w;
    exec_file(sv, "finish", "sleep 0.5; exit 125");
    sup = t_sup_start(sv);
    T_WAIT_STATE(sv, "state", "finishing", 2000);
    if (sig) kill(sup, SIGTERM); else t_control(sv, "x");
    ck_assert_msg(t_wait_exit(sup, 3000, &w), "%s: supervise still running (state %s, want %s)", sv,
      t_state_key(sv, "state"), t_state_key(sv, "want"));
    ck_assert(WIFEXITED(w));
    ck_assert_int_eq(WEXITSTATUS(w), 0);
    key_is(sv, "state", "failed");
    key_is(sv, "want", "exit");
  }
}
END_TEST

 /* a normally-down service brought up, supervise killed -9: the new one adopts run with want up */
START_TEST(adoption_keeps_want)
{
  char const *sv = t_service("aw", "echo $$ >>spawns; exec sleep 1000");
  pid_t sup, pid;
  int w;
  t_write("aw/down", "");
  sup = t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "down", 2000);
  t_control(sv, "u");
  T_WAIT_STATE(sv, "state", "up", 2000);
  pid = run_pid(sv);
  kill(sup, SIGKILL);
  ck_assert(t_wait_exit(sup, 2000, &w));
  sup = t_sup_start(sv);
  ck_assert(t_wait_file_has("aw.err", "adopted pid", 2000));
  T_WAIT_STATE(sv, "state", "up", 1000);
  ck_assert_int_eq(run_pid(sv), pid);
  key_is(sv, "want", "up");
  /* want up really: a death is restarted */
  kill(pid, SIGKILL);
  wait_spawns(sv, 2, 3000);
  T_WAIT_STATE(sv, "state", "up", 2000);
  t_sup_exit(sv, sup);
}
END_TEST

 /* a stop in progress (run traps TERM), supervise killed -9: the new one is still stopping, want down */
START_TEST(adoption_keeps_stop)
{
  char const *sv = t_service("as", "trap 'echo TERM >>terms' TERM; echo $$ >>spawns; while :; do sleep 1 & wait $!; done");
  pid_t sup, pid;
  int w;
  sup = t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "up", 2000);
   /* its trap is set once it wrote spawns: a TERM before would end it */
  ck_assert(t_wait_file_has("as/spawns", "\n", 2000));
  pid = run_pid(sv);
  t_control(sv, "d");
  T_WAIT_STATE(sv, "state", "stopping", 2000);
  kill(sup, SIGKILL);
  ck_assert(t_wait_exit(sup, 2000, &w));
  sup = t_sup_start(sv);
  ck_assert(t_wait_file_has("as.err", "adopted pid", 2000));
  T_WAIT_STATE(sv, "state", "stopping", 1000);
  key_is(sv, "want", "down");
  ck_assert_int_eq(run_pid(sv), pid);
  /* run dies: down, not restarted */
  kill(pid, SIGKILL);
  T_WAIT_STATE(sv, "state", "down", 2000);
  NO_MORE_SPAWNS(sv, 1, 1500);
  t_sup_exit(sv, sup);
}
END_TEST

 /* the same with timeout-kill: the adopted stop still ends with KILL, counted from the stop */
START_TEST(adoption_keeps_stop_timeout_kill)
{
  char const *sv = t_service("at", "trap 'echo TERM >>terms' TERM; echo $$ >>spawns; while :; do sleep 1 & wait $!; done");
  pid_t sup, pid;
  int w;
  unsigned long long t0;
  conf(sv, "timeout-kill", "1500\n");
  sup = t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "up", 2000);
   /* its trap is set once it wrote spawns: a TERM before would end it */
  ck_assert(t_wait_file_has("at/spawns", "\n", 2000));
  pid = run_pid(sv);
  t_control(sv, "d");
  t0 = t_now_ms();
  T_WAIT_STATE(sv, "state", "stopping", 2000);
  kill(sup, SIGKILL);
  ck_assert(t_wait_exit(sup, 2000, &w));
  sup = t_sup_start(sv);
  ck_assert(t_wait_file_has("at.err", "adopted pid", 2000));
  T_WAIT_STATE(sv, "state", "stopping", 1000);
  T_WAIT_STATE(sv, "state", "down", 4000);
  ck_assert_msg(t_now_ms() - t0 >= 1400, "killed %llu ms after the stop, before timeout-kill", t_now_ms() - t0);
  ck_assert(t_wait_until(&t_gone, &pid, 1000));
  ck_assert(t_file_has("at.err", "still running after timeout-kill"));
  NO_MORE_SPAWNS(sv, 1, 1000);
  t_sup_exit(sv, sup);
}
END_TEST

 /* D after every death, also before a restart: dD together without finish */
START_TEST(event_D_before_restart)
{
  char const *sv = t_service("ed", "echo $$ >>spawns; sleep 0.2; exit 0");
  evs e;
  conf(sv, "min-uptime", "100\n");
  ev_open(&e, "ed/event");
  t_sup_start(sv);
  EV_UNTIL(&e, "uUdDu", 3000);
  ev_close(&e);
}
END_TEST

 /* with finish: d at the death, D when finish is over, then u */
START_TEST(event_D_after_finish_before_restart)
{
  char const *sv = t_service("ef", "echo $$ >>spawns; sleep 0.2; exit 0");
  evs e;
  conf(sv, "min-uptime", "100\n");
  exec_file(sv, "finish", "sleep 0.2; echo done >>finished");
  ev_open(&e, "ef/event");
  t_sup_start(sv);
  EV_UNTIL(&e, "uUd", 3000);
  ck_assert_msg(!strstr(e.buf, "uUdD"), "D at the death, before finish ran: %s", e.buf);
  EV_UNTIL(&e, "uUdD", 3000);
  ck_assert(t_file_has("ef/finished", "done"));
  EV_UNTIL(&e, "uUdDu", 3000);
  ev_close(&e);
}
END_TEST

 /* O (will not be restarted) then D: a run under once, a failure (finish 125) */
START_TEST(event_O_for_once_and_failed)
{
  char const *sv = t_service("eo", "echo $$ >>spawns; sleep 0.2; exit 0");
  evs e;
  t_write("eo/down", "");
  ev_open(&e, "eo/event");
  t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "down", 2000);
  t_control(sv, "o");
  EV_UNTIL(&e, "udOD", 3000);
  ev_close(&e);
  exec_file(sv, "finish", "exit 125");
  ev_open(&e, "eo/event");
  t_control(sv, "u");
  EV_UNTIL(&e, "udOD", 3000);
  T_WAIT_STATE(sv, "state", "failed", 1000);
  ev_close(&e);
}
END_TEST

 /* single-signal commands go to run's pid only; a stop goes to its whole process group */
START_TEST(signals_to_pid_stops_to_group)
{
  char const *sv = t_service("sg",
    "sh -c 'trap \"echo HUP >>child.sigs\" HUP; trap \"echo TERM >>child.sigs; exit 0\" TERM;"
    " echo $$ >child.pid; while :; do sleep 1 & wait $!; done' &\n"
    "trap 'echo HUP >>run.sigs' HUP\n"
    "trap 'echo TERM >>run.sigs; exit 0' TERM\n"
    "echo $$ >>spawns\n"
    "while :; do sleep 1 & wait $!; done");
  pid_t child;
  t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "up", 2000);
  ck_assert(t_wait_file_has("sg/child.pid", "\n", 2000));
  child = (pid_t)t_read_long("sg/child.pid");
  t_control(sv, "h");
  ck_assert_msg(t_wait_file_has("sg/run.sigs", "HUP", 2000), "h: run got no HUP");
   /* a group signal reaches every member at once: had it gone to the group, the child
      would have it by now; give its trap as long as run's took, and more */
  ck_assert_msg(!t_wait_file_has("sg/child.sigs", "HUP", 500), "h: the HUP went to run's group, not its pid");
  t_control(sv, "d");
  ck_assert_msg(t_wait_file_has("sg/run.sigs", "TERM", 2000), "d: run got no TERM");
  ck_assert_msg(t_wait_file_has("sg/child.sigs", "TERM", 2000), "d: the child in run's group got no TERM");
  ck_assert(t_wait_until(&t_gone, &child, 2000));
  T_WAIT_STATE(sv, "state", "down", 3000);
}
END_TEST

 /* the logger is started first and stopped last (SPEC 4) */
START_TEST(logger_first_and_last)
{
  char const *sv = t_service("lf", "trap 'echo run-term >>order; exit 0' TERM\necho run-start >>order\nwhile :; do echo tick; sleep 1 & wait $!; done");
  pid_t sup;
  int w;
  char *err, *a, *b, *order;
  t_mkdir("lf/log");
  exec_file(sv, "log/run", "cat >/dev/null\necho log-eof >>../order");
  sup = t_sup_start(sv);
  T_WAIT_STATE(sv, "state", "up", 2000);
  T_WAIT_STATE("lf/log", "state", "up", 2000);
  ck_assert(t_wait_file_has("lf/order", "run-start", 2000));
  t_control(sv, "x");
  ck_assert(t_wait_exit(sup, 5000, &w));
  ck_assert(WIFEXITED(w) && WEXITSTATUS(w) == 0);
  err = t_read("lf.err");
  a = strstr(err, "lf/log: spawned");
  b = strstr(err, "lf: spawned");
  ck_assert_msg(a && b && a < b, "the logger was not spawned first:\n%s", err);
  order = t_read("lf/order");
  ck_assert_msg(order && !strcmp(order, "run-start\nrun-term\nlog-eof\n"), "not stopped in order: %s", order ? order : "(none)");
  a = strstr(err, "lf/log: exited");
  b = strstr(err, "lf: killed");
  if (!b) b = strstr(err, "lf: exited");
  ck_assert_msg(a && b && b < a, "the logger did not stop last:\n%s", err);
  free(order);
  free(err);
}
END_TEST

 /* SIGINT and SIGQUIT act as SIGTERM: x */
START_TEST(sigint_sigquit_exit)
{
  int i;
  for (i = 0; i < 2; i++)
  {
    char const *sv = t_service(i ? "sq" : "si", "echo $$ >>spawns; exec sleep 1000");
    pid_t sup, pid;
    int w;
    sup = t_sup_start(sv);
    T_WAIT_STATE(sv, "state", "up", 2000);
    pid = run_pid(sv);
    kill(sup, i ? SIGQUIT : SIGINT);
    ck_assert_msg(t_wait_exit(sup, 3000, &w), "supervise still running after SIG%s", i ? "QUIT" : "INT");
    ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 0, "SIG%s: status %d", i ? "QUIT" : "INT", w);
    ck_assert(t_wait_until(&t_gone, &pid, 1000));
    key_is(sv, "want", "exit");
    key_is(sv, "state", "down");
  }
}
END_TEST

Suite *lifecycle_suite (void)
{
  Suite *s = suite_create("lifecycle");
  TCase *tc;
  tc = t_tcase(s, "once", 30);
  tcase_add_test(tc, once_from_down_stays_down);
  tcase_add_test(tc, once_on_up_then_term);
  tcase_add_test(tc, once_on_backoff_and_failed);
  tc = t_tcase(s, "stale deadlines", 30);
  tcase_add_test(tc, down_within_min_uptime_stays_down);
  tcase_add_test(tc, down_with_timeout_kill_stays_down);
  tcase_add_test(tc, down_lingering_group_stays_down);
  tcase_add_test(tc, logger_down_with_timeout_kill_stays_down);
  tcase_add_test(tc, min_uptime_zero_waits_a_second);
  tc = t_tcase(s, "exit", 30);
  tcase_add_test(tc, exit_after_finish_125);
  tcase_add_test(tc, sigterm_during_finish_with_max_failures);
  tcase_add_test(tc, exit_during_finish_125);
  tc = t_tcase(s, "adoption", 30);
  tcase_add_test(tc, adoption_keeps_want);
  tcase_add_test(tc, adoption_keeps_stop);
  tcase_add_test(tc, adoption_keeps_stop_timeout_kill);
  tc = t_tcase(s, "events", 30);
  tcase_add_test(tc, event_D_before_restart);
  tcase_add_test(tc, event_D_after_finish_before_restart);
  tcase_add_test(tc, event_O_for_once_and_failed);
  tc = t_tcase(s, "signals", 30);
  tcase_add_test(tc, signals_to_pid_stops_to_group);
  tcase_add_test(tc, sigint_sigquit_exit);
  tc = t_tcase(s, "logger", 30);
  tcase_add_test(tc, logger_first_and_last);
  return s;
}
