/* SPDX-License-Identifier: ISC */
/* t/integ/options.c: the service-directory options of SPEC 2 against the real supervise */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <skalibs/stralloc.h>

#include "clockns.h"
#include "control.h"
#include "fifodir.h"
#include "harness.h"
#include "suites.h"

 /* events: a subscription to SERVICE/event, made before supervise starts */

typedef struct evs_s evs;
struct evs_s
{
  int fd;
  stralloc name;
  char seen[512];               /* every byte read so far, for messages */
  size_t nseen;
};

static void ev_open (evs *e, char const *service)
{
  char path[256];
  snprintf(path, sizeof path, "%s/event", service);
  if (mkdir(path, 0700) == -1 && errno != EEXIST) ck_abort_msg("mkdir %s: %s", path, strerror(errno));
  e->name = (stralloc)STRALLOC_ZERO;
  e->nseen = 0;
  e->seen[0] = 0;
  e->fd = fifodir_subscribe(path, &e->name);
  ck_assert_msg(e->fd >= 0, "subscribe to %s: %s", path, strerror(errno));
}

static void ev_close (evs *e)
{
  fifodir_unsubscribe(e->fd, e->name.s);
  stralloc_free(&e->name);
}

 /* read events until c; 1 and the monotonic ms in *when, or 0 at the deadline */
static int ev_wait (evs *e, char c, unsigned int ms, unsigned long long *when)
{
  unsigned long long deadline = t_now_ms() + ms;
  for (;;)
  {
    char b;
    unsigned long long now;
    ssize_t r = read(e->fd, &b, 1);
    if (r == 1)
    {
      if (e->nseen < sizeof e->seen - 1) { e->seen[e->nseen++] = b; e->seen[e->nseen] = 0; }
      if (b == c) { if (when) *when = t_now_ms(); return 1; }
      continue;
    }
    if (r < 0 && errno != EAGAIN && errno != EINTR) return 0;
    now = t_now_ms();
    if (now >= deadline) return 0;
    {
      struct pollfd p = { .fd = e->fd, .events = POLLIN, .revents = 0 };
      poll(&p, 1, (int)(deadline - now));
    }
  }
}

#define EV_WAIT(e, c, ms, when) \
  ck_assert_msg(ev_wait((e), (c), (ms), (when)), "no event '%c' within %u ms (events so far: \"%s\")", (c), (unsigned int)(ms), (e)->seen)

 /* state keys */

static unsigned long long key_u64 (char const *service, char const *key)
{
  char *v = t_state_key(service, key);
  unsigned long long r;
  ck_assert_msg(v != 0, "%s/supervise/state: no %s", service, key);
  r = strtoull(v, 0, 10);
  free(v);
  return r;
}

static void key_is (char const *service, char const *key, char const *value)
{
  char *v = t_state_key(service, key);
  ck_assert_msg(v && !strcmp(v, value), "%s/supervise/state: %s=%s, expected %s", service, key, v ? v : "(absent)", value);
  free(v);
}

static void write_n (char const *path, char const *s, size_t n)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
  ck_assert(write(fd, s, n) == (ssize_t)n);
  close(fd);
}

static void conf (char const *service, char const *file, char const *content)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", service, file);
  t_write(path, content);
}

static void exec_file (char const *service, char const *file, char const *script)
{
  char path[256];
  size_t len = strlen(script);
  char body[len + 12];
  snprintf(path, sizeof path, "%s/%s", service, file);
  memcpy(body, "#!/bin/sh\n", 10);
  memcpy(body + 10, script, len + 1);
  t_write_exec(path, body);
}

#define WAIT_TEXT(p, n, ms) \
  do { \
    if (!t_wait_file_has((p), (n), (ms))) \
    { \
      char *s_ = t_read(p); \
      ck_abort_msg("%s: no \"%s\" within %u ms; it holds: \"%s\"", (p), (n), (unsigned int)(ms), s_ ? s_ : "(absent)"); \
    } \
  } while (0)

static size_t count_lines (char const *path)
{
  char *s = t_read(path), *p;
  size_t n = 0;
  if (!s) return 0;
  for (p = s; *p; p++) if (*p == '\n') n++;
  free(s);
  return n;
}

struct linecount { char const *path; size_t n; };

static int lines_at_least (void *arg)
{
  struct linecount const *l = arg;
  return count_lines(l->path) >= l->n;
}

 /* ms from now until a unix ns stamp, floored at 0 */
static unsigned int ms_until (unsigned long long ns)
{
  unsigned long long now = clockns_real();
  return ns > now ? (unsigned int)((ns - now) / 1000000ULL) : 0;
}

 /* log/: run's and finish's stdout reach log/run; no line lost across restarts */

START_TEST(log_run_and_finish)
{
  char const *sv = t_service("lf", "echo run-line; exec sleep 1000");
  pid_t sup;
  exec_file(sv, "finish", "echo \"finish-line $1 $2\"");
  t_mkdir("lf/log");
  exec_file(sv, "log/run", "exec cat >>out");
  sup = t_sup_start(sv);
  WAIT_TEXT("lf/log/out", "run-line\n", 3000);
  t_control(sv, "d");
  WAIT_TEXT("lf/log/out", "finish-line -1 15\n", 3000);
  t_sup_exit(sv, sup);
  ck_assert_msg(!strcmp(t_read("lf/log/out"), "run-line\nfinish-line -1 15\n"), "log/out: %s", t_read("lf/log/out"));
}
END_TEST

 /* the writer: numbered lines at full speed; on TERM it finishes its line and writes "PID end N" */
static char const flow_writer[] =
  "#!/usr/bin/perl\n"
  "use strict; use warnings;\n"
  "my $stop = 0;\n"
  "$SIG{TERM} = sub { $stop = 1 };\n"
  "sub out { my $l = shift; for (;;) { my $w = syswrite(STDOUT, $l);\n"
  "  return if defined $w && $w == length $l; die \"short write\\n\" if defined $w;\n"
  "  die \"write: $!\\n\" unless $!{EINTR}; } }\n"
  "my $i = 0;\n"
  "while (!$stop) { $i++; out(\"$$ $i\\n\"); }\n"
  "out(\"$$ end $i\\n\");\n"
  "exit 0;\n";

 /* the logger: never loses what it has read (unlike cat, which TERM can kill between read and write) */
static char const flow_logger[] =
  "#!/usr/bin/perl\n"
  "use strict; use warnings;\n"
  "my $stop = 0;\n"
  "$SIG{TERM} = sub { $stop = 1 };\n"
  "open(my $o, '>>', 'out') or die \"out: $!\\n\";\n"
  "while (!$stop) {\n"
  "  my $n = sysread(STDIN, my $b, 65536);\n"
  "  if (!defined $n) { next if $!{EINTR}; die \"read: $!\\n\"; }\n"
  "  last unless $n;\n"
  "  my $off = 0;\n"
  "  while ($off < $n) { my $w = syswrite($o, $b, $n - $off, $off); die \"write: $!\\n\" unless defined $w; $off += $w; }\n"
  "}\n"
  "exit 0;\n";

struct growth { char const *path; off_t min; };

static int grown (void *arg)
{
  struct growth const *g = arg;
  struct stat st;
  return stat(g->path, &st) == 0 && st.st_size >= g->min;
}

static off_t size_of (char const *path)
{
  struct stat st;
  return stat(path, &st) == 0 ? st.st_size : 0;
}

 /* streaming: wait until the logger's output has grown by 256 KiB */
static void wait_flow (void)
{
  struct growth g = { "flow/log/out", size_of("flow/log/out") + 262144 };
  ck_assert_msg(t_wait_until(&grown, &g, 5000), "flow/log/out stuck at %lld bytes", (long long)size_of("flow/log/out"));
}

struct gen { long pid, last; int ended; };

START_TEST(log_no_loss_across_restarts)
{
  char const *sv = "flow";
  pid_t sup;
  int k;
  char *s, *p, *end;
  struct gen g[16];
  unsigned int ng = 0, i;
  long lines = 0;
  if (access("/usr/bin/perl", X_OK) == -1) { printf("skip: log_no_loss_across_restarts: perl not installed\n"); return; }
  t_mkdir("flow/log");
  t_write_exec("flow/run", flow_writer);
  t_write_exec("flow/log/run", flow_logger);
  sup = t_sup_start(sv);
  T_WAIT_STATE("flow", "state", "up", 3000);
  T_WAIT_STATE("flow/log", "state", "up", 3000);
  for (k = 1; k <= 3; k++)
  {
    char want[8];
    snprintf(want, sizeof want, "%d", k);
    wait_flow();
    t_control("flow", "t");
    T_WAIT_STATE("flow", "restarts", want, 3000);
    wait_flow();
    t_control("flow/log", "t");
    T_WAIT_STATE("flow/log", "restarts", want, 3000);
  }
  wait_flow();
  key_is("flow", "failures", "0");
  key_is("flow/log", "failures", "0");
  t_sup_exit(sv, sup);

   /* every writer's lines 1..N in order, then "end N"; writers one after the other */
  s = t_read("flow/log/out");
  ck_assert(s != 0);
  ck_assert_msg(*s && s[strlen(s) - 1] == '\n', "log/out does not end with a newline");
  for (p = s; *p; p = end + 1)
  {
    long pid, n;
    int isend = 0;
    char *q;
    end = strchr(p, '\n');
    *end = 0;
    pid = strtol(p, &q, 10);
    if (!strncmp(q, " end", 4)) { isend = 1; q += 4; }
    n = strtol(q, &q, 10);
    ck_assert_msg(!*q && pid > 0 && n >= 0, "malformed line %ld: \"%s\"", lines + 1, p);
    lines++;
    if (!ng || g[ng - 1].pid != pid)
    {
      for (i = 0; i < ng; i++) ck_assert_msg(g[i].pid != pid, "line %ld: writer %ld appears again after another one", lines, pid);
      if (ng) ck_assert_msg(g[ng - 1].ended, "line %ld: writer %ld has no end line (lost tail)", lines, g[ng - 1].pid);
      ck_assert_msg(ng < 16, "too many writers");
      g[ng].pid = pid;
      g[ng].last = 0;
      g[ng].ended = 0;
      ng++;
    }
    ck_assert_msg(!g[ng - 1].ended, "line %ld: writer %ld wrote after its end line", lines, pid);
    if (isend)
    {
      ck_assert_msg(n == g[ng - 1].last, "line %ld: writer %ld ends at %ld but %ld lines arrived", lines, pid, n, g[ng - 1].last);
      g[ng - 1].ended = 1;
    }
    else
    {
      ck_assert_msg(n == g[ng - 1].last + 1, "line %ld: writer %ld: %ld after %ld (%s)", lines, pid, n, g[ng - 1].last, n <= g[ng - 1].last ? "duplicate" : "gap");
      g[ng - 1].last = n;
    }
  }
  ck_assert_msg(ng == 4, "%u writers in log/out, expected 4 (the first and 3 restarts)", ng);
  ck_assert_msg(g[ng - 1].ended, "the last writer's end line is missing");
  free(s);
}
END_TEST

 /* readiness */

START_TEST(ready_by_notification_fd)
{
   /* the service itself records the state it sees after min-uptime passed, just before notifying */
  char const *sv = t_service("nfd", "sleep 0.4\ncat supervise/state >state.before\necho >&3\nexec sleep 1000");
  evs e;
  pid_t sup;
  unsigned long long tu, tU;
  conf(sv, "notification-fd", "3\n");
  conf(sv, "min-uptime", "100\n");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, &tu);
  EV_WAIT(&e, 'U', 3000, &tU);
  WAIT_TEXT("nfd/state.before", "ready=", 3000);
  ck_assert_msg(t_file_has("nfd/state.before", "\nready=0\n"), "ready before the newline: %s", t_read("nfd/state.before"));
  ck_assert_msg(t_file_has("nfd/state.before", "state=up\n"), "state before the newline: %s", t_read("nfd/state.before"));
  ck_assert_msg(tU - tu >= 350, "U %llu ms after u, before the service wrote its newline", tU - tu);
  key_is(sv, "ready", "1");
  ck_assert_msg(key_u64(sv, "ready_since") >= key_u64(sv, "since") + 350000000ULL, "ready_since too early");
  WAIT_TEXT("nfd.err", "supervise: nfd: ready: notified", 1000);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(ready_by_min_uptime)
{
  char const *sv = t_service("mup", "exec sleep 1000");
  evs e;
  pid_t sup;
  unsigned long long tu, tU;
  conf(sv, "min-uptime", "300\n");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, &tu);
  EV_WAIT(&e, 'U', 3000, &tU);
  ck_assert_msg(tU - tu >= 280 && tU - tu <= 1500, "U %llu ms after u, expected about 300", tU - tu);
  key_is(sv, "ready", "1");
  key_is(sv, "state", "up");
  ck_assert_msg(key_u64(sv, "ready_since") >= key_u64(sv, "since") + 299000000ULL, "ready_since less than min-uptime after since");
  WAIT_TEXT("mup.err", "supervise: mup: ready: up ", 1000);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(quick_death_is_failed_start)
{
  char const *sv = t_service("qd", "exit 1");
  evs e;
  pid_t sup;
  conf(sv, "min-uptime", "500\n");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, 0);
  EV_WAIT(&e, 'd', 3000, 0);
  EV_WAIT(&e, 'b', 3000, 0);
  ck_assert_msg(!strchr(e.seen, 'U'), "ready before dying: events \"%s\"", e.seen);
  key_is(sv, "state", "backoff");
  key_is(sv, "failures", "1");
  key_is(sv, "ready", "0");
  key_is(sv, "last_exit", "exit 1");
  ck_assert(key_u64(sv, "backoff_until") > 0);
  WAIT_TEXT("qd.err", "supervise: qd: exited: status 1 after ", 1000);
  WAIT_TEXT("qd.err", "failed start 1, retrying in 1 s", 1000);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

 /* backoff */

 /* d → u delays after consecutive failed starts, each expected[i] ms (-50, +600) */
static void check_delays (char const *sv, evs *e, unsigned int const *expected, unsigned int n)
{
  unsigned int i;
  EV_WAIT(e, 'u', 3000, 0);
  for (i = 0; i < n; i++)
  {
    unsigned long long td, tu;
    char fails[8];
    EV_WAIT(e, 'd', 3000, &td);
    EV_WAIT(e, 'b', 3000, 0);
    snprintf(fails, sizeof fails, "%u", i + 1);
    T_WAIT_STATE(sv, "failures", fails, 1000);
    EV_WAIT(e, 'u', expected[i] + 3000, &tu);
    ck_assert_msg(tu - td + 50 >= expected[i] && tu - td <= expected[i] + 600,
      "%s: failed start %u: restarted after %llu ms, expected %u", sv, i + 1, tu - td, expected[i]);
  }
}

START_TEST(backoff_sequence)
{
  static unsigned int const expected[3] = { 1000, 2000, 4000 };
  char const *sv = t_service("bo", "exit 1");
  evs e;
  pid_t sup;
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  check_delays(sv, &e, expected, 3);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(backoff_max)
{
  static unsigned int const expected[3] = { 400, 400, 400 };
  char const *sv = t_service("bmax", "exit 1");
  evs e;
  pid_t sup;
  conf(sv, "max-backoff", "400\n");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  check_delays(sv, &e, expected, 3);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

 /* starts 1, 2 fail (1 s, 2 s); start 3 reaches ready then dies: at once again; start 4 fails: 1 s, not 4 s */
START_TEST(backoff_reset_by_ready)
{
  char const *sv = t_service("brs", "echo x >>starts\n[ \"$(wc -l <starts)\" -eq 3 ] && exec sleep 0.3\nexit 1");
  evs e;
  pid_t sup;
  unsigned long long td, tu;
  conf(sv, "min-uptime", "100\n");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'b', 3000, 0);
  EV_WAIT(&e, 'b', 3000, 0);
  EV_WAIT(&e, 'U', 5000, 0);
  key_is(sv, "failures", "0");
  EV_WAIT(&e, 'd', 3000, &td);
  EV_WAIT(&e, 'u', 3000, &tu);
  ck_assert_msg(tu - td < 500, "a death after ready was followed by a restart %llu ms later", tu - td);
  EV_WAIT(&e, 'd', 3000, &td);
  EV_WAIT(&e, 'b', 3000, 0);
  key_is(sv, "failures", "1");
  EV_WAIT(&e, 'u', 5000, &tu);
  ck_assert_msg(tu - td + 50 >= 1000 && tu - td <= 1600, "first failed start after ready: restarted after %llu ms, expected 1000", tu - td);
  t_control(sv, "d");
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(up_during_backoff_starts_at_once)
{
  char const *sv = t_service("bu", "exit 1");
  evs e;
  pid_t sup;
  unsigned long long t0, tu;
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'b', 3000, 0);
  EV_WAIT(&e, 'b', 3000, 0);
  key_is(sv, "failures", "2");     /* now in the 2 s backoff */
  t0 = t_now_ms();
  t_control(sv, "u");
  EV_WAIT(&e, 'u', 3000, &tu);
  ck_assert_msg(tu - t0 < 1000, "u during a 2 s backoff: started after %llu ms", tu - t0);
  WAIT_TEXT("bu.err", "supervise: bu: up: by request", 1000);
  t_control(sv, "d");
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(down_during_backoff_cancels_it)
{
  char const *sv = t_service("bd", "echo x >>starts; exit 1");
  evs e;
  pid_t sup;
  unsigned long long until, t0, tu;
  struct linecount two = { "bd/starts", 2 };
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'b', 3000, 0);
  until = key_u64(sv, "backoff_until");
  ck_assert(until > 0);
  t_control(sv, "d");
  EV_WAIT(&e, 'D', 1000, 0);
  key_is(sv, "state", "down");
  key_is(sv, "want", "down");
  key_is(sv, "backoff_until", "0");
   /* a start left armed would come at backoff_until */
  ck_assert_msg(!t_wait_until(&lines_at_least, &two, ms_until(until) + 500), "started again after d cancelled the backoff");
  key_is(sv, "state", "down");
  t0 = t_now_ms();
  t_control(sv, "u");
  EV_WAIT(&e, 'u', 3000, &tu);
  ck_assert_msg(tu - t0 < 500, "u after a cancelled backoff: started after %llu ms", tu - t0);
  t_control(sv, "d");
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

 /* failure */

START_TEST(failed_after_max_failures)
{
  char const *sv = t_service("mf", "echo x >>starts; exit 3");
  evs e;
  pid_t sup;
  struct linecount three = { "mf/starts", 3 }, four = { "mf/starts", 4 };
  conf(sv, "max-failures", "2\n");
  conf(sv, "max-backoff", "200\n");  /* a wrong retry would come 200 ms later */
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'b', 3000, 0);
  EV_WAIT(&e, 'D', 3000, 0);
  key_is(sv, "state", "failed");
  key_is(sv, "failures", "2");
  key_is(sv, "want", "down");
  key_is(sv, "last_exit", "exit 3");
  key_is(sv, "backoff_until", "0");
  ck_assert_int_eq(count_lines("mf/starts"), 2);
  WAIT_TEXT("mf.err", "supervise: mf: failed: ", 1000);
  ck_assert_msg(!t_wait_until(&lines_at_least, &three, 1000), "started again while failed");
  key_is(sv, "state", "failed");
   /* u restarts it: two more failed starts, failed again */
  t_control(sv, "u");
  EV_WAIT(&e, 'u', 1000, 0);
  EV_WAIT(&e, 'b', 3000, 0);
  EV_WAIT(&e, 'D', 3000, 0);
  key_is(sv, "state", "failed");
  ck_assert(t_wait_until(&lines_at_least, &four, 10));
  ck_assert_int_eq(count_lines("mf/starts"), 4);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(finish_125_fails)
{
  char const *sv = t_service("f125", "echo x >>starts; sleep 0.2; exit 0");
  evs e;
  pid_t sup;
  struct linecount two = { "f125/starts", 2 };
  conf(sv, "min-uptime", "50\n");  /* a clean run: without finish's 125 it would restart at once */
  exec_file(sv, "finish", "exit 125");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'U', 3000, 0);
  EV_WAIT(&e, 'D', 3000, 0);
  key_is(sv, "state", "failed");
  key_is(sv, "want", "down");
  WAIT_TEXT("f125.err", "supervise: f125: failed: finish exited 125", 1000);
  ck_assert_msg(!t_wait_until(&lines_at_least, &two, 500), "restarted after finish exited 125");
  t_control(sv, "u");
  EV_WAIT(&e, 'u', 1000, 0);
  EV_WAIT(&e, 'D', 3000, 0);
  key_is(sv, "state", "failed");
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(critical_exits_125_after_logger)
{
  char const *sv = t_service("crit", "echo crit-output; exit 7");
  pid_t sup;
  int w;
  conf(sv, "critical", "");
  conf(sv, "max-failures", "1\n");
  t_mkdir("crit/log");
  exec_file(sv, "log/run", "cat >>out\necho logger-eof >>out");
  sup = t_sup_start(sv);
  ck_assert_msg(t_wait_exit(sup, 5000, &w), "supervise still running 5 s after its critical service failed");
  ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 125, "supervise wstat %d, expected exit 125", w);
  ck_assert_msg(!strcmp(t_read("crit/log/out"), "crit-output\nlogger-eof\n"), "log/out: %s", t_read("crit/log/out"));
  key_is(sv, "state", "failed");
  key_is("crit/log", "state", "down");
  key_is("crit/log", "pid", "0");
  ck_assert(t_file_has("crit.err", "supervise: crit: exit: critical service failed"));
}
END_TEST

 /* stopping */

START_TEST(down_signal)
{
  char const *sv = t_service("dsig",
    "trap 'echo hup >>sigs; h=1' HUP\n"
    "trap 'echo cont >>sigs; c=1' CONT\n"
    "trap 'echo term >>sigs' TERM\n"
    "echo $$ >started\n"
    "while [ -z \"$h\" ] || [ -z \"$c\" ]; do sleep 1 & wait $!; done\n"
    "exit 0");
  evs e;
  pid_t sup;
  conf(sv, "down-signal", "HUP\n");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, 0);
  WAIT_TEXT("dsig/started", "\n", 3000);
  t_control(sv, "d");
  EV_WAIT(&e, 'D', 3000, 0);
  ck_assert_msg(t_file_has("dsig/sigs", "hup\n") && t_file_has("dsig/sigs", "cont\n") && !t_file_has("dsig/sigs", "term"),
    "signals received: %s", t_read("dsig/sigs"));
  key_is(sv, "last_exit", "exit 0");
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(timeout_kill_group)
{
  char const *sv = t_service("tk", "trap '' TERM\nsleep 1000 &\necho $! >helper.pid\nexec sleep 1000");
  evs e;
  pid_t sup, run, helper;
  unsigned long long t0, td;
  conf(sv, "timeout-kill", "300\n");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, 0);
  WAIT_TEXT("tk/helper.pid", "\n", 3000);
  helper = (pid_t)t_read_long("tk/helper.pid");
  run = (pid_t)t_key_long(sv, "pid");
  ck_assert(t_alive(helper) && t_alive(run));
  t0 = t_now_ms();
  t_control(sv, "d");
  EV_WAIT(&e, 'd', 3000, &td);
  ck_assert_msg(td - t0 >= 280, "run died %llu ms after d, before timeout-kill", td - t0);
  key_is(sv, "last_exit", "signal KILL");
  ck_assert_msg(t_wait_until(&t_gone, &helper, 1000), "the helper %d survived timeout-kill", (int)helper);
  ck_assert(!t_alive(run));
  WAIT_TEXT("tk.err", "timeout-kill", 1000);
  t_sup_exit(sv, sup);
  ev_close(&e);
   /* the usual case: run dies at the down signal, before timeout-kill. Its deadline goes
      with the stop: down it stays, past timeout-kill, and no KILL is sent */
  sv = t_service("tk2", "echo $$ >>spawns; exec sleep 1000");
  conf(sv, "timeout-kill", "600\n");
  conf(sv, "min-uptime", "100\n");
  sup = t_sup_start(sv);
  T_WAIT_STATE(sv, "ready", "1", 3000);
  t_control(sv, "d");
  T_WAIT_STATE(sv, "state", "down", 3000);
  ck_assert_msg(t_lines_stay("tk2/spawns", 1, 1200), "started again after d, when timeout-kill's deadline passed");
  key_is(sv, "state", "down");
  ck_assert(!t_file_has("tk2.err", "timeout-kill"));
  t_sup_exit(sv, sup);
}
END_TEST

START_TEST(timeout_finish)
{
  char const *sv = t_service("tf", "exec sleep 1000");
  evs e;
  pid_t sup, fin;
  unsigned long long t0, tD;
  conf(sv, "timeout-finish", "300\n");
  exec_file(sv, "finish", "echo $$ >finish.pid\nexec sleep 1000");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, 0);
  t0 = t_now_ms();
  t_control(sv, "d");
  EV_WAIT(&e, 'd', 3000, 0);
  EV_WAIT(&e, 'D', 3000, &tD);
  ck_assert_msg(tD - t0 >= 280, "down %llu ms after d, before timeout-finish", tD - t0);
  key_is(sv, "state", "down");
  fin = (pid_t)t_read_long("tf/finish.pid");
  ck_assert(fin > 0);
  ck_assert_msg(t_wait_until(&t_gone, &fin, 1000), "finish %d survived timeout-finish", (int)fin);
  WAIT_TEXT("tf.err", "timeout-finish", 1000);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

 /* the first child of pid, from /proc, or 0 */
static pid_t first_child (pid_t pid)
{
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
  return (pid_t)t_read_long(path) > 0 ? (pid_t)t_read_long(path) : 0;
}

static int has_child (void *arg)
{
  return first_child(*(pid_t *)arg) > 0;
}

START_TEST(non_exec_wrapper_stops)
{
  char const *sv = t_service("wrap", "sleep 1000\necho after >>after");
  evs e;
  pid_t sup, run, child;
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, 0);
  run = (pid_t)t_key_long(sv, "pid");
  ck_assert(t_wait_until(&has_child, &run, 3000));
  child = first_child(run);
  t_control(sv, "d");
  EV_WAIT(&e, 'D', 3000, 0);
  ck_assert(!t_alive(run));
  ck_assert_msg(t_wait_until(&t_gone, &child, 1000), "the wrapper's sleep %d survived d", (int)child);
  ck_assert(!t_has_file((void *)"wrap/after"));
  key_is(sv, "last_exit", "signal TERM");
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(control_t_script)
{
   /* run says when its traps are set; control/t replaces TERM (exit 0) or lets it through (exit 1) */
  char const *sv = t_service("ct",
    "trap 'echo usr1 >>sigs; kill $! 2>/dev/null; exit 0' USR1\n"
    "trap 'echo term >>sigs; kill $! 2>/dev/null; exit 0' TERM\n"
    "echo $$ >>started\n"
    "while :; do sleep 1 & wait $!; done");
  evs e;
  pid_t sup;
  size_t mark;
  struct linecount started = { "ct/started", 1 };
  t_mkdir("ct/control");
  exec_file(sv, "control/t", "echo t >>ctl.log\nif [ -e use-custom ]; then kill -USR1 \"$(cat supervise/pid)\"; exit 0; fi\nexit 1");
  t_write("ct/use-custom", "");
  ev_open(&e, sv);
  sup = t_sup_start(sv);
  EV_WAIT(&e, 'u', 3000, 0);
  ck_assert(t_wait_until(&lines_at_least, &started, 3000));
   /* before ready (min-uptime 1000 ms): the death follows a command, so it is no failed start */
  mark = e.nseen;
  t_control(sv, "t");
  EV_WAIT(&e, 'd', 3000, 0);
  EV_WAIT(&e, 'u', 3000, 0);
  ck_assert_msg(!memchr(e.seen + mark, 'b', e.nseen - mark), "t handled by control/t counted as a failed start: events \"%s\"", e.seen + mark);
  key_is(sv, "failures", "0");
  ck_assert_msg(!strcmp(t_read("ct/sigs"), "usr1\n"), "signals: %s", t_read("ct/sigs"));
  ck_assert_int_eq(count_lines("ct/ctl.log"), 1);
  started.n = 2;
  ck_assert(t_wait_until(&lines_at_least, &started, 3000));
  unlink("ct/use-custom");
  t_control(sv, "t");
  EV_WAIT(&e, 'd', 3000, 0);
  EV_WAIT(&e, 'u', 3000, 0);
  ck_assert_msg(!strcmp(t_read("ct/sigs"), "usr1\nterm\n"), "signals: %s", t_read("ct/sigs"));
  ck_assert_int_eq(count_lines("ct/ctl.log"), 2);
   /* d: control/t replaces the down signal too (runsv's stopservice) */
  started.n = 3;
  ck_assert(t_wait_until(&lines_at_least, &started, 3000));
  t_write("ct/use-custom", "");
  t_control(sv, "d");
  EV_WAIT(&e, 'D', 3000, 0);
  ck_assert_msg(!strcmp(t_read("ct/sigs"), "usr1\nterm\nusr1\n"), "signals: %s", t_read("ct/sigs"));
  ck_assert_int_eq(count_lines("ct/ctl.log"), 3);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

 /* env/ */

START_TEST(env_dir)
{
  char const *sv = t_service("envs",
    "{ printf 'FOO=[%s]\\n' \"${SVT_FOO-unset}\"\n"
    "  printf 'TRAIL=[%s]\\n' \"${SVT_TRAIL-unset}\"\n"
    "  printf 'NUL=[%s]\\n' \"${SVT_NUL-unset}\"\n"
    "  printf 'UNSETME=[%s]\\n' \"${SVT_UNSETME-unset}\"\n"
    "  printf 'OVERRIDE=[%s]\\n' \"${SVT_OVERRIDE-unset}\"\n"
    "  printf 'INHERIT=[%s]\\n' \"${SVT_INHERIT-unset}\"\n"
    "  printf 'EMPTYLINE=[%s]\\n' \"${SVT_EMPTYLINE-unset}\"\n"
    "} >env.tmp\n"
    "mv env.tmp env.out\n"
    "exec sleep 1000");
  pid_t sup;
  char *out;
  t_mkdir("envs/env");
  t_write("envs/env/SVT_FOO", "bar\nsecond line\n");
  t_write("envs/env/SVT_TRAIL", "value \t \n");
  write_n("envs/env/SVT_NUL", "a\0b\n", 4);
  t_write("envs/env/SVT_UNSETME", "");
  t_write("envs/env/SVT_OVERRIDE", "new\n");
  t_write("envs/env/SVT_EMPTYLINE", "\n");
  setenv("SVT_UNSETME", "inherited", 1);
  setenv("SVT_OVERRIDE", "old", 1);
  setenv("SVT_INHERIT", "yes", 1);
  sup = t_sup_start(sv);
  unsetenv("SVT_UNSETME");
  unsetenv("SVT_OVERRIDE");
  unsetenv("SVT_INHERIT");
  ck_assert(t_wait_until(&t_has_file, (void *)"envs/env.out", 3000));
  out = t_read("envs/env.out");
  ck_assert_str_eq(out,
    "FOO=[bar]\n"
    "TRAIL=[value]\n"
    "NUL=[a\nb]\n"
    "UNSETME=[unset]\n"
    "OVERRIDE=[new]\n"
    "INHERIT=[yes]\n"
    "EMPTYLINE=[]\n");
  free(out);
  t_sup_exit(sv, sup);
}
END_TEST

 /* supervise as a symlink */

START_TEST(supervise_symlink)
{
  char const *a = t_service("lk1", "exec sleep 1000");
  char const *b = t_service("lk2", "exec sleep 1000");
  pid_t supa, supb;
  struct stat st;
  t_mkdir("state/lk1");
  ck_assert(symlink("../state/lk1", "lk1/supervise") == 0);
   /* dangling, for the service and for its logger (a relative link resolves from its own dir) */
  ck_assert(symlink("../state/lk2", "lk2/supervise") == 0);
  t_mkdir("lk2/log");
  exec_file(b, "log/run", "exec cat >/dev/null");
  ck_assert(symlink("../../state/lk2-log", "lk2/log/supervise") == 0);
  supa = t_sup_start(a);
  supb = t_sup_start(b);
  T_WAIT_STATE(a, "state", "up", 3000);
  T_WAIT_STATE(b, "state", "up", 3000);
  T_WAIT_STATE("lk2/log", "state", "up", 3000);
  ck_assert(stat("state/lk1/status", &st) == 0 && st.st_size == 20);
  ck_assert(stat("state/lk2/status", &st) == 0 && st.st_size == 20);
  ck_assert(stat("state/lk2-log/status", &st) == 0 && st.st_size == 20);
  ck_assert(stat("state/lk2/control", &st) == 0 && S_ISFIFO(st.st_mode));
  ck_assert(lstat("lk2/supervise", &st) == 0 && S_ISLNK(st.st_mode));
  ck_assert(lstat("lk2/log/supervise", &st) == 0 && S_ISLNK(st.st_mode));
  t_sup_exit(a, supa);
  t_sup_exit(b, supb);
}
END_TEST

 /* adoption after a crash of supervise */

static pid_t adopt_setup (char const *sv, evs *e, pid_t *run)
{
  pid_t sup1, sup2;
  int w;
  char pids[64];
  conf(sv, "min-uptime", "100\n");
  sup1 = t_sup_start(sv);
  T_WAIT_STATE(sv, "ready", "1", 3000);
  *run = (pid_t)t_key_long(sv, "pid");
  ck_assert(kill(sup1, SIGKILL) == 0);
  ck_assert(t_wait_exit(sup1, 3000, &w));
  ck_assert_msg(t_alive(*run), "run died with its supervise");
  ev_open(e, sv);
  sup2 = t_sup_start(sv);
  EV_WAIT(e, 's', 3000, 0);
  key_is(sv, "state", "up");
  ck_assert_int_eq(t_key_long(sv, "pid"), *run);
  snprintf(pids, sizeof pids, "%s/pids", sv);
  ck_assert_int_eq(count_lines(pids), 1);
  return sup2;
}

START_TEST(adopt_after_crash)
{
  char const *sv = t_service("adopt", "echo $$ >>pids; exec sleep 1000");
  evs e;
  pid_t sup, run, run2;
  struct linecount two = { "adopt/pids", 2 };
  char msg[64];
  sup = adopt_setup(sv, &e, &run);
  snprintf(msg, sizeof msg, "adopted pid %d", (int)run);
  WAIT_TEXT("adopt.err", msg, 1000);
  ck_assert_msg(!strchr(e.seen, 'u'), "a second run was spawned: events \"%s\"", e.seen);
  t_control(sv, "d");
  EV_WAIT(&e, 'D', 3000, 0);
  ck_assert(!t_alive(run));
  key_is(sv, "state", "down");
  ck_assert_int_eq(count_lines("adopt/pids"), 1);
  t_control(sv, "u");
  EV_WAIT(&e, 'u', 3000, 0);
  ck_assert(t_wait_until(&lines_at_least, &two, 3000));
  run2 = (pid_t)t_key_long(sv, "pid");
  ck_assert(run2 != run && t_alive(run2));
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

START_TEST(adopted_death_restarts)
{
  char const *sv = t_service("adoptr", "echo $$ >>pids; exec sleep 1000");
  evs e;
  pid_t sup, run, run2;
  struct linecount two = { "adoptr/pids", 2 };
  sup = adopt_setup(sv, &e, &run);
  ck_assert(kill(run, SIGKILL) == 0);
  EV_WAIT(&e, 'd', 3000, 0);
  EV_WAIT(&e, 'u', 3000, 0);
  ck_assert_msg(!strchr(e.seen, 'b'), "the adopted run's death after ready was counted as a failed start: \"%s\"", e.seen);
  ck_assert(t_wait_until(&lines_at_least, &two, 3000));
  run2 = (pid_t)t_key_long(sv, "pid");
  ck_assert(run2 != run && t_alive(run2));
  key_is(sv, "state", "up");
  ck_assert_int_eq(count_lines("adoptr/pids"), 2);
  t_sup_exit(sv, sup);
  ev_close(&e);
}
END_TEST

 /* with log/: both adopted, and the pipe the adopted processes use is the one new runs get */
START_TEST(adopt_with_logger)
{
  char const *sv = t_service("adoptl",
    "trap 'echo \"usr1 $$\"' USR1\n"
    "echo \"start $$\"\n"
    "while :; do sleep 1 & wait $!; done");
  pid_t sup1, sup2, run, logger, run2;
  int w;
  char line[64];
  evs e;
  conf(sv, "min-uptime", "100\n");
  t_mkdir("adoptl/log");
  exec_file(sv, "log/run", "exec cat >>out");
  sup1 = t_sup_start(sv);
  T_WAIT_STATE(sv, "ready", "1", 3000);
  T_WAIT_STATE("adoptl/log", "ready", "1", 3000);
  run = (pid_t)t_key_long(sv, "pid");
  logger = (pid_t)t_key_long("adoptl/log", "pid");
  snprintf(line, sizeof line, "start %d\n", (int)run);
  WAIT_TEXT("adoptl/log/out", line, 3000);
  ck_assert(kill(sup1, SIGKILL) == 0);
  ck_assert(t_wait_exit(sup1, 3000, &w));
  ev_open(&e, sv);
  sup2 = t_sup_start(sv);
  EV_WAIT(&e, 's', 3000, 0);
  ck_assert_int_eq(t_key_long(sv, "pid"), run);
  ck_assert_int_eq(t_key_long("adoptl/log", "pid"), logger);
   /* the adopted run still reaches the adopted logger */
  t_control(sv, "1");
  snprintf(line, sizeof line, "usr1 %d\n", (int)run);
  WAIT_TEXT("adoptl/log/out", line, 3000);
   /* a new run writes into the same pipe */
  t_control(sv, "t");
  EV_WAIT(&e, 'u', 3000, 0);
  run2 = (pid_t)t_key_long(sv, "pid");
  snprintf(line, sizeof line, "start %d\n", (int)run2);
  WAIT_TEXT("adoptl/log/out", line, 3000);
   /* a new logger reads the same pipe */
  t_control("adoptl/log", "t");
  T_WAIT_STATE("adoptl/log", "restarts", "1", 3000);
  ck_assert(t_alive(run2));
  t_control(sv, "1");
  snprintf(line, sizeof line, "usr1 %d\n", (int)run2);
  WAIT_TEXT("adoptl/log/out", line, 3000);
  t_sup_exit(sv, sup2);
  ev_close(&e);
}
END_TEST

Suite *options_suite (void)
{
  Suite *s = suite_create("options");
  TCase *tc;

  tc = tcase_create("log");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, log_run_and_finish);
  tcase_add_test(tc, log_no_loss_across_restarts);
  suite_add_tcase(s, tc);

  tc = tcase_create("ready");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, ready_by_notification_fd);
  tcase_add_test(tc, ready_by_min_uptime);
  tcase_add_test(tc, quick_death_is_failed_start);
  suite_add_tcase(s, tc);

  tc = tcase_create("backoff");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, backoff_sequence);
  tcase_add_test(tc, backoff_max);
  tcase_add_test(tc, backoff_reset_by_ready);
  tcase_add_test(tc, up_during_backoff_starts_at_once);
  tcase_add_test(tc, down_during_backoff_cancels_it);
  suite_add_tcase(s, tc);

  tc = tcase_create("failed");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, failed_after_max_failures);
  tcase_add_test(tc, finish_125_fails);
  tcase_add_test(tc, critical_exits_125_after_logger);
  suite_add_tcase(s, tc);

  tc = tcase_create("stop");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, down_signal);
  tcase_add_test(tc, timeout_kill_group);
  tcase_add_test(tc, timeout_finish);
  tcase_add_test(tc, non_exec_wrapper_stops);
  tcase_add_test(tc, control_t_script);
  suite_add_tcase(s, tc);

  tc = tcase_create("env");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, env_dir);
  suite_add_tcase(s, tc);

  tc = tcase_create("symlink");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, supervise_symlink);
  suite_add_tcase(s, tc);

  tc = tcase_create("adopt");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, adopt_after_crash);
  tcase_add_test(tc, adopted_death_restarts);
  tcase_add_test(tc, adopt_with_logger);
  suite_add_tcase(s, tc);

  return s;
}
