/* SPDX-License-Identifier: ISC */
/* t/integ/svctl.c: bin/svctl against runit's runsv, our supervise, and hand-made
   supervise dirs (a FIFO reader we hold stands for a running supervisor) */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>

#include "svstatus.h"
#include "harness.h"
#include "suites.h"

#define RUNSV "/usr/bin/runsv"
#define SV "/usr/bin/sv"

/* the supervisors of the loop tests */
#define SUP_RUNSV 0
#define SUP_OURS 1

static char const *const supname[2] = { "runsv", "supervise" };

/* svctl ARGS...: exit code; stdout/stderr malloc'd into out/err (may be 0) */
#define svctl(out, err, ...) t_run((char const *[]){ t_prog("svctl"), __VA_ARGS__, 0 }, (out), (err), 15000)

static int have_runsv (void)
{
  return access(RUNSV, X_OK) == 0;
}

/* 1 if this loop index cannot run here (no runsv), with a message */
static int skip (int sup, char const *tname)
{
  if (sup == SUP_RUNSV && !have_runsv())
  {
    printf("skip: %s: %s is absent\n", tname, RUNSV);
    return 1;
  }
  return 0;
}

static pid_t start_sup (int sup, char const *dir)
{
  char err[4096];
  snprintf(err, sizeof err, "%s.err", dir);
  if (sup == SUP_RUNSV)
    return t_spawn_io((char const *[]){ RUNSV, dir, 0 }, 0, err);
  return t_supervise(dir, 0, err);
}

struct statuswant { char const *dir; int state; pid_t notpid; };

static int status_is (void *arg)
{
  struct statuswant const *w = arg;
  svstatus st;
  if (!t_read_status(w->dir, &st))
    return 0;
  if (w->state == SVSTATUS_RUN)
    return st.state == SVSTATUS_RUN && st.pid && st.pid != w->notpid;
  return st.state == w->state && !st.pid;
}

/* wait until the status file says run (with a pid other than notpid) or down */
static pid_t wait_status (char const *dir, int state, pid_t notpid, unsigned int ms)
{
  struct statuswant w = { dir, state, notpid };
  svstatus st;
  ck_assert_msg(t_wait_until(&status_is, &w, ms), "%s: status not %s within %u ms", dir, state == SVSTATUS_RUN ? "run" : "down", ms);
  ck_assert(t_read_status(dir, &st));
  return st.pid;
}

/* the pid the run script wrote (its own: it execs or is the shell), once it is there */
static pid_t wait_runpid (char const *dir, pid_t notpid, unsigned int ms)
{
  char path[4096];
  unsigned long long deadline = t_now_ms() + ms;
  snprintf(path, sizeof path, "%s/run.pid", dir);
  for (;;)
  {
    long p = t_read_long(path);
    if (p > 0 && (pid_t)p != notpid)
    {
      svstatus st;
      if (t_read_status(dir, &st) && st.pid == (pid_t)p)
        return (pid_t)p;
    }
    ck_assert_msg(t_now_ms() < deadline, "%s: run.pid not written within %u ms", dir, ms);
    {
      struct timespec ts = { 0, 5000000 };
      nanosleep(&ts, 0);
    }
  }
}

/* /proc/PID/stat's state letter, 0 if gone */
static char procstate (pid_t pid)
{
  char path[64];
  char *s, *p, c = 0;
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  s = t_read(path);
  if (!s)
    return 0;
  p = strrchr(s, ')');
  if (p && p[1] == ' ')
    c = p[2];
  free(s);
  return c;
}

struct pstate { pid_t pid; char c; int is; };

static int procstate_is (void *arg)
{
  struct pstate const *ps = arg;
  return (procstate(ps->pid) == ps->c) == ps->is;
}

/* a run script that records every signal it gets */
static char const *sigtrap =
  "for s in HUP INT QUIT USR1 USR2 ALRM CONT; do trap \"echo $s >>sigs\" $s; done\n"
  "trap 'echo TERM >>sigs; exit 0' TERM\n"
  "echo $$ >run.pid\n"
  "while :; do sleep 0.05; done";

/* a supervise dir held by us: control has a reader (this process), status and state
   are what the test writes. Returns the reader's fd. */
static int fake_sup (char const *dir, char const *status, size_t len, char const *state)
{
  char path[4096];
  int fd;
  t_mkdir(dir);
  snprintf(path, sizeof path, "%s/supervise", dir);
  t_mkdir(path);
  snprintf(path, sizeof path, "%s/supervise/control", dir);
  ck_assert_msg(mkfifo(path, 0600) == 0, "mkfifo %s: %s", path, strerror(errno));
  fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ck_assert(fd >= 0);
  if (status)
  {
    snprintf(path, sizeof path, "%s/supervise/status", dir);
    {
      int w = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      ck_assert(w >= 0);
      ck_assert(write(w, status, len) == (ssize_t)len);
      close(w);
    }
  }
  if (state)
  {
    snprintf(path, sizeof path, "%s/supervise/state", dir);
    t_write(path, state);
  }
  return fd;
}

/* a valid status: down, or run with pid. Stamped in the future, so that its age
   always prints as 0s (sv and svctl print 0 for a stamp ahead of the clock). */
static void mkstatus (char *s, pid_t pid, char want)
{
  svstatus st = SVSTATUS_ZERO;
  st.sec = (uint64_t)time(0) + 100;
  st.pid = pid;
  st.want = want;
  st.state = pid ? SVSTATUS_RUN : SVSTATUS_DOWN;
  svstatus_pack(s, &st);
}

#define assert_has(s, needle) ck_assert_msg((s) && strstr((s), (needle)), "expected \"%s\" in \"%s\"", (needle), (s) ? (s) : "(null)")
#define assert_hasnt(s, needle) ck_assert_msg(!(s) || !strstr((s), (needle)), "unexpected \"%s\" in \"%s\"", (needle), (s) ? (s) : "(null)")

/* the harness's fixtures, plus SVDIR: bare SERVICE names are in the test's dir */
static void setup (void)
{
  t_setup();
  setenv("SVDIR", t_dir(), 1);
}

static void teardown (void)
{
  unsetenv("SVDIR");
  t_teardown();
}

/* ---------- usage ---------- */

START_TEST(usage_errors)
{
  static char const *const cases[][4] =
  {
    { 0 },
    { "bogus", "x", 0 },
    { "-z", "x", 0 },
    { "-w", "abc", "up", "x" },
    { "up", 0 },
    { "-u", 0 },
    { "--nope", "status", 0 },
    { "up", "--json", "x", 0 },
    { "-w", 0 },
  };
  unsigned int i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
  {
    char const *argv[6] = { t_prog("svctl"), cases[i][0], cases[i][1], cases[i][2], cases[i][3], 0 };
    char *out, *err;
    int r = t_run(argv, &out, &err, 5000);
    ck_assert_msg(r == 100, "case %u: exit %d, not 100", i, r);
    assert_has(err, "svctl: usage: ");
    ck_assert_str_eq(out, "");
    free(out);
    free(err);
  }
}
END_TEST

START_TEST(version_help)
{
  char *out;
  ck_assert_int_eq(svctl(&out, 0, "--version"), 0);
  ck_assert_msg(!strncmp(out, "svctl ", 6), "version: %s", out);
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "--help"), 0);
  assert_has(out, "usage: ");
  assert_has(out, "check");
  free(out);
}
END_TEST

/* ---------- no supervisor ---------- */

START_TEST(not_running)
{
  char *out, *err;
  t_service("nr1", "exec sleep 100");
  t_service("nr2", "exec sleep 100");
  ck_assert_int_eq(svctl(&out, &err, "-u", "./nr1"), 1);
  ck_assert_str_eq(out, "fail: ./nr1: unable to control: supervise not running\n");
  free(out);
  free(err);
  ck_assert_int_eq(svctl(&out, 0, "down", "./nr1", "./nr2"), 2);
  ck_assert_str_eq(out, "fail: ./nr1: unable to control: supervise not running\nfail: ./nr2: unable to control: supervise not running\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "./nr1"), 1);
  ck_assert_str_eq(out, "fail: ./nr1: unable to control: supervise not running\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "2", "-d", "./nr1"), 1);
  assert_has(out, "fail: ./nr1: unable to control: supervise not running");
  free(out);
   /* exit: nothing to stop is fine, as sv says */
  ck_assert_int_eq(svctl(&out, 0, "exit", "./nr1"), 0);
  ck_assert_str_eq(out, "ok: ./nr1: supervise not running\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "./nope"), 1);
  assert_has(out, "fail: ./nope: unable to change to service directory: ");
  free(out);
}
END_TEST

/* ---------- hand-made supervise dirs ---------- */

START_TEST(corrupt_status)
{
  char *out, *err;
  char st[SVSTATUS_SIZE];
  fake_sup("cs1", "\x40\0\0\0\0\0", 7, 0);
  ck_assert_int_eq(svctl(&out, &err, "status", "./cs1"), 1);
  ck_assert_str_eq(out, "warning: ./cs1: unable to read supervise/status: bad format\n");
  free(out);
  free(err);
   /* also when it is a command that reads it first, and in a wait */
  ck_assert_int_eq(svctl(&out, 0, "-w", "1", "-u", "./cs1"), 1);
  assert_has(out, "warning: ./cs1: unable to read supervise/status: bad format");
  free(out);
   /* no status at all */
  fake_sup("cs2", 0, 0, 0);
  ck_assert_int_eq(svctl(&out, 0, "status", "./cs2"), 1);
  assert_has(out, "warning: ./cs2: unable to read supervise/status: ");
  free(out);
   /* too long */
  mkstatus(st, 0, 'd');
  {
    char big[SVSTATUS_SIZE + 5];
    memcpy(big, st, SVSTATUS_SIZE);
    memcpy(big + SVSTATUS_SIZE, "junk!", 5);
    fake_sup("cs3", big, sizeof big, 0);
  }
  ck_assert_int_eq(svctl(&out, 0, "status", "./cs3", "./cs1", "./cs2"), 3);
  free(out);
   /* a bad state byte is a bad format too, not a crash */
  mkstatus(st, 0, 'd');
  st[19] = 7;
  fake_sup("cs4", st, SVSTATUS_SIZE, 0);
  ck_assert_int_eq(svctl(&out, 0, "status", "./cs4"), 1);
  assert_has(out, "bad format");
  free(out);
}
END_TEST

START_TEST(corrupt_state)
{
  char *out;
  char st[SVSTATUS_SIZE];
  mkstatus(st, 0, 'd');
  fake_sup("cx1", st, SVSTATUS_SIZE, "garbage\n");
  ck_assert_int_eq(svctl(&out, 0, "status", "./cx1"), 1);
  ck_assert_str_eq(out, "warning: ./cx1: unable to read supervise/state: bad format\n");
  free(out);
  fake_sup("cx2", st, SVSTATUS_SIZE, "state=up\npid=12x\nsince=1\nwant=up\n");
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "./cx2"), 1);
  ck_assert_str_eq(out, "{\"name\":\"./cx2\",\"path\":\"./cx2\",\"error\":\"unable to read supervise/state: bad format\"}\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./cx2"), 1);
  assert_has(out, "warning: ./cx2: unable to read supervise/state: bad format");
  free(out);
   /* empty state file: required keys missing */
  fake_sup("cx3", st, SVSTATUS_SIZE, "");
  ck_assert_int_eq(svctl(&out, 0, "status", "./cx3", "./cx1"), 2);
  free(out);
}
END_TEST

START_TEST(status_words)
{
  char *out;
  char st[SVSTATUS_SIZE];
  char state[512];
  unsigned long long now = (unsigned long long)time(0) * 1000000000ULL;
  mkstatus(st, 0, 'u');
  snprintf(state, sizeof state, "state=backoff\npid=0\nsince=%llu\nwant=up\nnormally=up\npaused=0\nready=0\nready_since=0\nrestarts=3\nfailures=2\nlast_exit=exit 1\nbackoff_until=%llu\n", now, now + 3500000000ULL);
  fake_sup("sw1", st, SVSTATUS_SIZE, state);
  ck_assert_int_eq(svctl(&out, 0, "status", "./sw1"), 0);
  ck_assert_msg(!strcmp(out, "down: ./sw1: 0s, normally up, want up, backoff 4s\n") || !strcmp(out, "down: ./sw1: 0s, normally up, want up, backoff 3s\n"), "%s", out);
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "./sw1"), 0);
  assert_has(out, "{\"name\":\"./sw1\",\"path\":\"./sw1\",\"state\":\"backoff\",\"pid\":0,");
  assert_has(out, ",\"restarts\":3,\"failures\":2,\"last_exit\":\"exit 1\",");
  ck_assert_msg(out[strlen(out) - 2] == '}' && out[strlen(out) - 1] == '\n', "%s", out);
  free(out);

  mkstatus(st, 0, 'd');
  snprintf(state, sizeof state, "state=failed\npid=0\nsince=%llu\nwant=down\nnormally=up\nfailures=5\nlast_exit=signal KILL\nfuture_key=x y\n", now);
  fake_sup("sw2", st, SVSTATUS_SIZE, state);
  ck_assert_int_eq(svctl(&out, 0, "status", "./sw2"), 0);
  assert_has(out, "down: ./sw2: ");
  assert_has(out, "s, normally up, failed\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "./sw2"), 0);
  assert_has(out, "\"last_exit\":\"signal KILL\"");
  assert_has(out, "\"future_key\":\"x y\"");
  free(out);
   /* a failed service does not pass check */
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./sw2"), 1);
  assert_has(out, "timeout: down: ./sw2: ");
  free(out);

  mkstatus(st, getpid(), 'u');
  snprintf(state, sizeof state, "state=up\npid=%d\nsince=%llu\nwant=up\nnormally=down\nready=1\nready_since=%llu\n", (int)getpid(), now, now);
  fake_sup("sw3", st, SVSTATUS_SIZE, state);
  t_write("sw3/down", "");
  ck_assert_int_eq(svctl(&out, 0, "status", "./sw3"), 0);
  {
    char want[256];
    snprintf(want, sizeof want, "run: ./sw3: (pid %d) ", (int)getpid());
    assert_has(out, want);
  }
  assert_has(out, "s, normally down, ready\n");
  free(out);
}
END_TEST

START_TEST(json_escapes)
{
  /* any byte in a name: quote, backslash, newline, a control char, invalid UTF-8, valid UTF-8 */
  static char const name[] = "./j\"\\\n\x01\xff\xc3\xa9";
  char *out;
  char st[SVSTATUS_SIZE];
  mkstatus(st, 0, 'd');
  fake_sup(name, st, SVSTATUS_SIZE, 0);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", name), 0);
  assert_has(out, "{\"name\":\"./j\\\"\\\\\\n\\u0001\\u00ff\xc3\xa9\",\"path\":\"./j\\\"\\\\\\n\\u0001\\u00ff\xc3\xa9\",\"state\":\"down\",\"pid\":0,\"since\":");
  assert_has(out, ",\"want\":\"down\",\"normally\":\"up\",\"paused\":0}\n");
  free(out);
   /* the text line prints the name as given, as sv does */
  ck_assert_int_eq(svctl(&out, 0, "status", name), 0);
  assert_has(out, "down: ./j\"\\\n\x01\xff\xc3\xa9: 0s, normally up\n");
  free(out);
}
END_TEST

START_TEST(status_svdir)
{
  char *out;
  char st[SVSTATUS_SIZE];
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/sd", t_dir());
  t_mkdir("sd");
  mkstatus(st, 0, 'd');
  fake_sup("sd/b", st, SVSTATUS_SIZE, 0);
  fake_sup("sd/a", st, SVSTATUS_SIZE, 0);
  fake_sup("sd/.hidden", st, SVSTATUS_SIZE, 0);
  t_service("sd/c", "exec sleep 100");     /* no supervise dir: not listed */
  t_write("sd/file", "");
  setenv("SVDIR", dir, 1);
  ck_assert_int_eq(svctl(&out, 0, "status"), 0);
  ck_assert_str_eq(out, "down: a: 0s, normally up\ndown: b: 0s, normally up\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json"), 0);
  {
    char want[8192];
    snprintf(want, sizeof want, "{\"name\":\"a\",\"path\":\"%s/a\",", dir);
    ck_assert_msg(!strncmp(out, want, strlen(want)), "%s", out);
    snprintf(want, sizeof want, "\n{\"name\":\"b\",\"path\":\"%s/b\",", dir);
    assert_has(out, want);
  }
  free(out);
   /* SERVICE relative to $SVDIR */
  ck_assert_int_eq(svctl(&out, 0, "status", "b"), 0);
  ck_assert_str_eq(out, "down: b: 0s, normally up\n");
  free(out);
  setenv("SVDIR", "/nonexistent-svdir", 1);
  ck_assert_int_eq(svctl(&out, 0, "status"), 100);
  free(out);
}
END_TEST

/* ---------- the runit-compatible paths, against runsv and our supervise ---------- */

START_TEST(status_lines)
{
  int sup = _i;
  char *out, *ref;
  char want[256];
  pid_t pid;
  if (skip(sup, "status_lines"))
    return;
  t_service(sup ? "sl1o" : "sl1r", "echo $$ >run.pid; exec sleep 100");
  t_service(sup ? "sl2o" : "sl2r", "exec sleep 100");
  t_write(sup ? "sl2o/down" : "sl2r/down", "");
  start_sup(sup, sup ? "sl1o" : "sl1r");
  start_sup(sup, sup ? "sl2o" : "sl2r");
  pid = wait_runpid(sup ? "sl1o" : "sl1r", 0, 3000);
  wait_status(sup ? "sl2o" : "sl2r", SVSTATUS_DOWN, 0, 3000);
  snprintf(want, sizeof want, "run: ./%s: (pid %d) ", sup ? "sl1o" : "sl1r", (int)pid);
  ck_assert_int_eq(svctl(&out, 0, "status", sup ? "./sl1o" : "./sl1r"), 0);
  ck_assert_msg(!strncmp(out, want, strlen(want)), "%s", out);
  free(out);
   /* normally down; then normally up once the down file is gone */
  ck_assert_int_eq(svctl(&out, 0, "status", sup ? "./sl2o" : "./sl2r"), 0);
  snprintf(want, sizeof want, "down: ./%s: ", sup ? "sl2o" : "sl2r");
  ck_assert_msg(!strncmp(out, want, strlen(want)) && !strcmp(out + strlen(out) - 2, "s\n") && !strchr(out, ','), "%s", out);
  free(out);
  unlink(sup ? "sl2o/down" : "sl2r/down");
  ck_assert_int_eq(svctl(&out, 0, "status", sup ? "./sl2o" : "./sl2r"), 0);
  ck_assert_msg(!strncmp(out, want, strlen(want)) && strstr(out, "s, normally up\n"), "%s", out);
  free(out);
   /* the same line as runit's sv, but for svtree's words (none here but ready) */
  if (access(SV, X_OK) == 0)
  {
    int tries;
    for (tries = 0; tries < 3; tries++)
    {
      char *p;
      ck_assert_int_eq(svctl(&out, 0, "status", sup ? "./sl1o" : "./sl1r", sup ? "./sl2o" : "./sl2r"), 0);
      ck_assert_int_eq(t_run((char const *[]){ SV, "status", sup ? "./sl1o" : "./sl1r", sup ? "./sl2o" : "./sl2r", 0 }, &ref, 0, 5000), 0);
      while ((p = strstr(out, ", ready")))
        memmove(p, p + 7, strlen(p + 7) + 1);
      if (!strcmp(out, ref))
        break;
      free(out);
      free(ref);
      out = ref = 0;
    }
    ck_assert_msg(tries < 3, "svctl and sv status differ");
    free(out);
    free(ref);
  }
  t_killall();
}
END_TEST

START_TEST(signals)
{
  static char const *const letters[] = { "-h", "-a", "-i", "-q", "-1", "-2" };
  static char const *const verbs[] = { "hup", "alarm", "interrupt", "quit", "1", "2" };
  static char const *const names[] = { "HUP", "ALRM", "INT", "QUIT", "USR1", "USR2" };
  int sup = _i;
  char const *dir = sup ? "sigo" : "sigr";
  char sigs[64];
  unsigned int i;
  pid_t pid;
  char *out;
  if (skip(sup, "signals"))
    return;
  snprintf(sigs, sizeof sigs, "%s/sigs", dir);
  t_service(dir, sigtrap);
  start_sup(sup, dir);
  pid = wait_runpid(dir, 0, 3000);
  for (i = 0; i < 6; i++)
  {
    ck_assert_int_eq(svctl(0, 0, letters[i], dir), 0);
    ck_assert_msg(t_wait_file_has(sigs, names[i], 3000), "%s (%s): no %s in %s", letters[i], supname[sup], names[i], sigs);
    unlink(sigs);
    ck_assert_int_eq(svctl(0, 0, verbs[i], dir), 0);
    ck_assert_msg(t_wait_file_has(sigs, names[i], 3000), "%s (%s): no %s in %s", verbs[i], supname[sup], names[i], sigs);
    unlink(sigs);
  }
   /* pause and cont: the process is stopped, status says paused */
  ck_assert_int_eq(svctl(&out, 0, "-v", "-p", dir), 0);
  assert_has(out, ", paused");
  free(out);
  {
    struct pstate ps = { pid, 'T', 1 };
    ck_assert_msg(t_wait_until(&procstate_is, &ps, 3000), "not stopped after -p");
  }
  ck_assert_int_eq(svctl(&out, 0, "-v", "cont", dir), 0);
  assert_hasnt(out, ", paused");
  free(out);
  {
    struct pstate ps = { pid, 'T', 0 };
    ck_assert_msg(t_wait_until(&procstate_is, &ps, 3000), "still stopped after cont");
  }
  ck_assert_msg(t_wait_file_has(sigs, "CONT", 3000), "no CONT");
  ck_assert_int_eq(pid, wait_runpid(dir, 0, 100));
  t_killall();
}
END_TEST

START_TEST(up_down_wait)
{
  int sup = _i;
  char const *dir = sup ? "udo" : "udr";
  char *out;
  pid_t pid, pid2;
  if (skip(sup, "up_down_wait"))
    return;
   /* a slow stop: TERM takes a while to take effect */
  t_service(dir, "trap 'sleep 0.3; exit 0' TERM\necho $$ >run.pid\nwhile :; do sleep 0.05; done");
  t_write(sup ? "udo/down" : "udr/down", "");
  start_sup(sup, dir);
  wait_status(dir, SVSTATUS_DOWN, 0, 3000);
   /* up returns once run is there */
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "-u", dir), 0);
  assert_has(out, "ok: run: ");
  free(out);
  {
    svstatus st;
    ck_assert(t_read_status(dir, &st));
    ck_assert_int_eq(st.state, SVSTATUS_RUN);
    ck_assert_int_gt(st.pid, 0);
    ck_assert(t_alive(st.pid));
  }
  pid = wait_runpid(dir, 0, 3000);
   /* down returns only when the child is gone */
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "-d", dir), 0);
  assert_has(out, "ok: down: ");
  free(out);
  ck_assert_msg(!t_alive(pid), "run (pid %d) still alive after svctl -w 5 -d returned", (int)pid);
  {
    svstatus st;
    ck_assert(t_read_status(dir, &st));
    ck_assert_int_eq(st.state, SVSTATUS_DOWN);
    ck_assert_int_eq(st.pid, 0);
    ck_assert_int_eq(st.want, 'd');
  }
   /* start and stop wait by themselves */
  ck_assert_int_eq(svctl(&out, 0, "start", dir), 0);
  assert_has(out, "ok: run: ");
  free(out);
  pid = wait_runpid(dir, pid, 3000);
  ck_assert_int_eq(svctl(&out, 0, "stop", dir), 0);
  assert_has(out, "ok: down: ");
  free(out);
  ck_assert(!t_alive(pid));
   /* up, then restart: a new pid */
  ck_assert_int_eq(svctl(&out, 0, "-v", "up", dir), 0);
  free(out);
  pid = wait_runpid(dir, pid, 3000);
  ck_assert_int_eq(svctl(&out, 0, "restart", dir), 0);
  assert_has(out, "ok: run: ");
  free(out);
  pid2 = wait_runpid(dir, pid, 3000);
  ck_assert_int_ne(pid, pid2);
  ck_assert(!t_alive(pid));
   /* -r is restart */
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "-r", dir), 0);
  free(out);
  pid = wait_runpid(dir, pid2, 3000);
  ck_assert_int_ne(pid, pid2);
  t_killall();
}
END_TEST

START_TEST(term_kill_once)
{
  int sup = _i;
  char const *dir = sup ? "tko" : "tkr";
  char const *dir2 = sup ? "tko2" : "tkr2";
  char sigs[64], runs[64];
  char *out;
  pid_t pid, pid2;
  if (skip(sup, "term_kill_once"))
    return;
  snprintf(sigs, sizeof sigs, "%s/sigs", dir);
  t_service(dir, sigtrap);
  start_sup(sup, dir);
  pid = wait_runpid(dir, 0, 3000);
   /* -t: TERM reaches the run script, which is restarted (wanted up) */
  ck_assert_int_eq(svctl(0, 0, "-t", dir), 0);
  ck_assert_msg(t_wait_file_has(sigs, "TERM", 3000), "no TERM");
  pid2 = wait_runpid(dir, pid, 3000);
   /* -k: killed, restarted */
  ck_assert_int_eq(svctl(0, 0, "-k", dir), 0);
  ck_assert_msg(t_wait_until(&t_gone, &pid2, 3000), "not killed");
  pid = wait_runpid(dir, pid2, 3000);
  ck_assert_int_ne(pid, pid2);
   /* term -v waits for the restart */
  ck_assert_int_eq(svctl(&out, 0, "-v", "term", dir), 0);
  assert_has(out, "ok: run: ");
  free(out);
  pid2 = wait_runpid(dir, pid, 3000);

   /* -o: run once, not restarted */
  snprintf(runs, sizeof runs, "%s/runs", dir2);
  t_service(dir2, "echo x >>runs\nexit 0");
  t_write(sup ? "tko2/down" : "tkr2/down", "");
  start_sup(sup, dir2);
  wait_status(dir2, SVSTATUS_DOWN, 0, 3000);
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "-o", dir2), 0);
  assert_has(out, "ok: ");
  free(out);
  ck_assert_msg(t_wait_file_has(runs, "x", 3000), "once: run did not run");
  wait_status(dir2, SVSTATUS_DOWN, 0, 3000);
   /* past min-uptime (1 s): not started again */
  ck_assert_msg(t_lines_stay(runs, 1, 1500), "once: run was started again");
  wait_status(dir2, SVSTATUS_DOWN, 0, 100);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", dir2), 0);  /* once, done: that is its wanted state */
  free(out);
  {
    char *r = t_read(runs);
    ck_assert_str_eq(r, "x\n");
    free(r);
  }
  t_killall();
}
END_TEST

START_TEST(timeout_term_ignored)
{
  int sup = _i;
  char const *dir = sup ? "tio" : "tir";
  char *out;
  unsigned long long t0;
  pid_t pid;
  int r;
  if (skip(sup, "timeout_term_ignored"))
    return;
  t_service(dir, "trap '' TERM\necho $$ >run.pid\nwhile :; do sleep 0.05; done");
  start_sup(sup, dir);
  pid = wait_runpid(dir, 0, 3000);
  t0 = t_now_ms();
  r = svctl(&out, 0, "-w", "1", "-d", dir);
  ck_assert_int_eq(r, 1);
  ck_assert_msg(t_now_ms() - t0 >= 900, "returned after %llu ms", t_now_ms() - t0);
  {
    char want[256];
    snprintf(want, sizeof want, "timeout: run: %s: (pid %d) ", dir, (int)pid);
    ck_assert_msg(!strncmp(out, want, strlen(want)), "%s", out);
  }
  assert_has(out, ", want down, got TERM\n");
  free(out);
  ck_assert(t_alive(pid));
  t_killall();
}
END_TEST

START_TEST(check_verb)
{
  int sup = _i;
  char const *dir = sup ? "cko" : "ckr";
  char *out;
  char path[64];
  if (skip(sup, "check_verb"))
    return;
  t_service(dir, "echo $$ >run.pid; exec sleep 100");
   /* ready only after the check script has said no twice */
  t_write_exec(sup ? "cko/check" : "ckr/check", "#!/bin/sh\necho . >>checks\nn=$(wc -l <checks)\ntest -e ready || test $n -ge 3\n");
  if (sup)
  {
     /* our supervise runs check itself (readiness) and writes ready=1; svctl reads it */
    t_write_exec("cko/check", "#!/bin/sh\necho . >>checks\ntest -e ready\n");
    start_sup(sup, dir);
    wait_runpid(dir, 0, 3000);
    ck_assert(t_wait_file_has("cko/checks", ".\n.\n", 3000));
    ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", dir), 1);
    assert_has(out, "timeout: run: ");
    free(out);
    t_write("cko/ready", "");
    ck_assert_int_eq(svctl(&out, 0, "-w", "5", "check", dir), 0);
    assert_has(out, "ok: run: ");
    free(out);
    ck_assert_int_eq(svctl(&out, 0, "-w", "5", "down", dir), 0);
    free(out);
    ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", dir), 0);
    assert_has(out, "ok: down: ");
    free(out);
    t_killall();
    return;
  }
  start_sup(sup, dir);
  wait_runpid(dir, 0, 3000);
  snprintf(path, sizeof path, "%s/checks", dir);
   /* -w 0 answers at once: one run of check, which fails */
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", dir), 1);
  assert_has(out, "timeout: run: ");
  free(out);
  unlink(path);
   /* with time, check is run again until it passes */
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "check", dir), 0);
  assert_has(out, "ok: run: ");
  free(out);
  {
    char *c = t_read(path);
    ck_assert_str_eq(c, ".\n.\n.\n");
    free(c);
  }
  snprintf(path, sizeof path, "%s/ready", dir);
  t_write(path, "");
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", dir), 0);
  free(out);
   /* wanted down: check passes once it is down */
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "down", dir), 0);
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", dir), 0);
  assert_has(out, "ok: down: ");
  free(out);
  t_killall();
}
END_TEST

START_TEST(exit_wait)
{
  int sup = _i;
  char const *dir = sup ? "exo" : "exr";
  char *out;
  pid_t sp, pid;
  int w;
  if (skip(sup, "exit_wait"))
    return;
  t_service(dir, "echo $$ >run.pid; exec sleep 100");
  sp = start_sup(sup, dir);
  pid = wait_runpid(dir, 0, 3000);
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "exit", dir), 0);
  {
    char want[256];
    snprintf(want, sizeof want, "ok: %s: supervise not running\n", dir);
    ck_assert_str_eq(out, want);
  }
  free(out);
  ck_assert_msg(t_wait_exit(sp, 1000, &w), "supervisor still there after exit returned");
  ck_assert(!t_alive(pid));
  ck_assert_int_eq(svctl(&out, 0, "status", dir), 1);
  free(out);
}
END_TEST

START_TEST(json_runsv)
{
  char *out;
  pid_t pid;
  char want[256];
  if (skip(SUP_RUNSV, "json_runsv"))
    return;
  t_service("jr", "echo $$ >run.pid; exec sleep 100");
  start_sup(SUP_RUNSV, "jr");
  pid = wait_runpid("jr", 0, 3000);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "./jr"), 0);
  snprintf(want, sizeof want, "{\"name\":\"./jr\",\"path\":\"./jr\",\"state\":\"up\",\"pid\":%d,\"since\":", (int)pid);
  ck_assert_msg(!strncmp(out, want, strlen(want)), "%s", out);
  assert_has(out, ",\"want\":\"up\",\"normally\":\"up\",\"paused\":0}\n");
  free(out);
  t_killall();
}
END_TEST

/* ---------- svtree's own: event-driven waits, readiness, state words ---------- */

START_TEST(ready_wait)
{
  char *out;
  pid_t c;
  int w;
  t_service("rdy", "echo $$ >run.pid\nwhile ! test -e go; do sleep 0.02; done\necho >&3\nexec sleep 100");
  t_write("rdy/notification-fd", "3\n");
  t_write("rdy/down", "");
  start_sup(SUP_OURS, "rdy");
  wait_status("rdy", SVSTATUS_DOWN, 0, 3000);
  c = t_spawn_io((char const *[]){ t_prog("svctl"), "-w", "10", "-u", "rdy", 0 }, "rdy.out", 0);
  wait_runpid("rdy", 0, 3000);
   /* up but not ready: svctl is still waiting */
  ck_assert(t_alive(c));
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "rdy"), 1);
  free(out);
  t_write("rdy/go", "");
  ck_assert_msg(t_wait_exit(c, 5000, &w), "svctl -w 10 -u did not return once ready");
  ck_assert_msg(WIFEXITED(w), "killed by signal %d, not exited", WTERMSIG(w));
  ck_assert_int_eq(WEXITSTATUS(w), 0);
  out = t_read("rdy.out");
  assert_has(out, "ok: run: rdy: (pid ");
  assert_has(out, ", ready\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "rdy"), 0);
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "rdy"), 0);
  assert_has(out, "\"ready\":1");
  assert_has(out, "\"state\":\"up\"");
  free(out);
  t_killall();
}
END_TEST

START_TEST(finish_wait)
{
  char *out;
  pid_t c, pid;
  int w;
  t_service("fin", "echo $$ >run.pid; exec sleep 100");
  t_write_exec("fin/finish", "#!/bin/sh\necho $1 $2 >finished\nwhile ! test -e go; do sleep 0.02; done\n");
  start_sup(SUP_OURS, "fin");
  pid = wait_runpid("fin", 0, 3000);
  c = t_spawn_io((char const *[]){ t_prog("svctl"), "-w", "10", "down", "fin", 0 }, "fin.out", 0);
  ck_assert_msg(t_wait_until(&t_has_file, (void *)"fin/finished", 3000), "finish not run");
   /* run is gone, finish is running: not down yet */
  ck_assert(t_wait_until(&t_gone, &pid, 3000));
  ck_assert(t_alive(c));
  t_write("fin/go", "");
  ck_assert_msg(t_wait_exit(c, 5000, &w), "svctl -w 10 down did not return after finish");
  ck_assert_msg(WIFEXITED(w), "killed by signal %d, not exited", WTERMSIG(w));
  ck_assert_int_eq(WEXITSTATUS(w), 0);
  out = t_read("fin.out");
  assert_has(out, "ok: down: fin: ");
  free(out);
  out = t_state_key("fin", "state");
  ck_assert_str_eq(out, "down");
  free(out);
  t_killall();
}
END_TEST

START_TEST(backoff_failed_words)
{
  char *out;
  t_service("bo", "exit 1");
  start_sup(SUP_OURS, "bo");
  ck_assert_msg(t_wait_state("bo", "state", "backoff", 5000), "no backoff");
  ck_assert_int_eq(svctl(&out, 0, "status", "bo"), 0);
  assert_has(out, ", want up, backoff ");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "bo"), 1);
  assert_has(out, "timeout: ");
  free(out);
   /* down cancels the backoff: the wait ends without any run event */
  ck_assert_int_eq(svctl(&out, 0, "-w", "3", "down", "bo"), 0);
  assert_has(out, "ok: down: bo: ");
  free(out);

  t_service("fl", "exit 2");
  t_write("fl/max-failures", "1\n");
  start_sup(SUP_OURS, "fl");
  ck_assert_msg(t_wait_state("fl", "state", "failed", 5000), "not failed");
  ck_assert_int_eq(svctl(&out, 0, "status", "fl"), 0);
  assert_has(out, ", failed\n");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "fl"), 0);
  assert_has(out, "\"state\":\"failed\"");
  assert_has(out, "\"last_exit\":\"exit 2\"");
  assert_has(out, "\"failures\":1");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "fl"), 1);
  free(out);
  t_killall();
}
END_TEST

START_TEST(log_status)
{
  char *out;
  t_service("lg", "exec sleep 100");
  t_service("lg/log", "exec cat >/dev/null");
  start_sup(SUP_OURS, "lg");
  ck_assert(t_wait_state("lg", "state", "up", 3000));
  ck_assert(t_wait_state("lg/log", "state", "up", 3000));
  ck_assert_int_eq(svctl(&out, 0, "status", "lg"), 0);
  assert_has(out, "run: lg: (pid ");
  assert_has(out, "; run: log: (pid ");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "lg"), 0);
  assert_has(out, ",\"log\":{\"path\":\"");
  free(out);
  t_killall();
}
END_TEST

START_TEST(exit_code_cap)
{
  /* 101 services without a supervisor: 101 failures, exit 99 */
  char const *argv[104];
  char names[101][16];
  char *out;
  unsigned int i;
  argv[0] = t_prog("svctl");
  argv[1] = "up";
  for (i = 0; i < 101; i++)
  {
    snprintf(names[i], sizeof names[i], "./cap%u", i);
    t_mkdir(names[i]);
    argv[2 + i] = names[i];
  }
  argv[103] = 0;
  ck_assert_int_eq(t_run(argv, &out, 0, 10000), 99);
  free(out);
}
END_TEST

START_TEST(check_not_executable)
{
  char *out;
  char st[SVSTATUS_SIZE];
  mkstatus(st, getpid(), 'u');
  fake_sup("ne", st, SVSTATUS_SIZE, 0);
  t_write("ne/check", "#!/bin/sh\nexit 0\n");   /* 0644 */
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./ne"), 1);
  assert_has(out, "fail: ./ne: unable to run check: ");
  free(out);
  chmod("ne/check", 0755);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "check", "./ne"), 0);
  assert_has(out, "ok: run: ./ne: ");
  free(out);
}
END_TEST

START_TEST(svwait)
{
  char *out, *err;
  unsigned long long t0;
  if (skip(SUP_RUNSV, "svwait"))
    return;
  t_service("sw", "trap '' TERM\necho $$ >run.pid\nwhile :; do sleep 0.05; done");
  start_sup(SUP_RUNSV, "sw");
  wait_runpid("sw", 0, 3000);
  setenv("SVWAIT", "1", 1);
  t0 = t_now_ms();
  ck_assert_int_eq(svctl(&out, 0, "stop", "sw"), 1);
  ck_assert_msg(t_now_ms() - t0 < 5000, "stop took %llu ms with SVWAIT=1", t_now_ms() - t0);
  assert_has(out, "timeout: run: sw: ");
  free(out);
   /* -w wins over SVWAIT */
  setenv("SVWAIT", "100", 1);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "stop", "sw"), 1);
  free(out);
  setenv("SVWAIT", "soon", 1);
  ck_assert_int_eq(svctl(&out, &err, "-w", "0", "check", "sw"), 1);
  assert_has(err, "svctl: warning: invalid $SVWAIT");
  free(out);
  free(err);
  unsetenv("SVWAIT");
  t_killall();
}
END_TEST

static int no_ftrig (void *dir)
{
  char path[4096];
  char *out = 0;
  int r;
  snprintf(path, sizeof path, "ls -A %s/event", (char const *)dir);
  r = t_sh(path, &out, 0, 2000) == 0 && out && !strstr(out, "ftrig-");
  free(out);
  return r;
}

START_TEST(unsubscribes)
{
  char *out;
  t_service("us", "exec sleep 100");
  start_sup(SUP_OURS, "us");
  ck_assert(t_wait_state("us", "state", "up", 3000));
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "restart", "us"), 0);
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "0", "-d", "us"), 1);  /* a timeout too */
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "check", "us"), 0);
  free(out);
  ck_assert_msg(no_ftrig((void *)"us"), "a FIFO of svctl was left in us/event");
  t_killall();
}
END_TEST

START_TEST(stale_state_runsv)
{
  /* a service that our supervise ran, then runsv: the state file left behind is ignored */
  char *out;
  pid_t sp;
  int w;
  if (skip(SUP_RUNSV, "stale_state_runsv"))
    return;
  t_service("st", "echo $$ >run.pid; exec sleep 100");
  t_write("st/notification-fd", "3\n");   /* never ready: runsv knows nothing of it */
  t_write("st/down", "");
  sp = start_sup(SUP_OURS, "st");
  ck_assert(t_wait_state("st", "state", "down", 3000));
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "exit", "st"), 0);
  free(out);
  ck_assert(t_wait_exit(sp, 3000, &w));
  ck_assert_int_eq(t_sh("touch -d '2020-01-01' st/supervise/state", 0, 0, 2000), 0);
  unlink("st/down");
  start_sup(SUP_RUNSV, "st");
  wait_runpid("st", 0, 3000);
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "-u", "st"), 0);
  assert_has(out, "ok: run: st: ");
  free(out);
  ck_assert_int_eq(svctl(&out, 0, "status", "--json", "st"), 0);
  assert_has(out, "\"state\":\"up\"");
  assert_hasnt(out, "restarts");
  free(out);
  t_killall();
}
END_TEST

 /* the verbs once, pause, cont, kill and -x, each by its effect */
START_TEST(verbs_once_pause_kill_exit)
{
  char *out = 0, *v;
  pid_t sup, pid, pid2;
  int w;
  struct pstate stopped;
  t_service("vb", "echo $$ >>pids\necho $$ >run.pid\nexec sleep 1000");
  t_write("vb/min-uptime", "100\n");
  sup = t_supervise("vb", 0, "vb.err");
  pid = wait_runpid("vb", 0, 3000);
  ck_assert_int_eq(svctl(&out, 0, "once", "vb"), 0);
  free(out);
  ck_assert_msg(t_wait_state("vb", "want", "once", 2000), "once: want not once");
  ck_assert_int_eq(svctl(&out, 0, "pause", "vb"), 0);
  free(out);
  stopped = (struct pstate){ pid, 'T', 1 };
  ck_assert_msg(t_wait_until(&procstate_is, &stopped, 2000), "pause: run not stopped (state %c)", procstate(pid));
  ck_assert(t_wait_state("vb", "paused", "1", 1000));
  ck_assert_int_eq(svctl(&out, 0, "cont", "vb"), 0);
  free(out);
  stopped.is = 0;
  ck_assert_msg(t_wait_until(&procstate_is, &stopped, 2000), "cont: run still stopped");
  ck_assert(t_wait_state("vb", "paused", "0", 1000));
   /* kill under once: KILL, and down (ran once) */
  ck_assert_int_eq(svctl(&out, 0, "kill", "vb"), 0);
  free(out);
  ck_assert_msg(t_wait_until(&t_gone, &pid, 2000), "kill: run alive");
  ck_assert(t_wait_state("vb", "state", "down", 2000));
  v = t_state_key("vb", "last_exit");
  ck_assert_msg(v && !strcmp(v, "signal KILL"), "last_exit %s", v ? v : "(absent)");
  free(v);
  ck_assert_msg(t_lines_stay("vb/pids", 1, 1200), "started again after kill under once");
   /* kill when wanted up: restarted */
  ck_assert_int_eq(svctl(&out, 0, "-w", "5", "up", "vb"), 0);
  free(out);
  pid = wait_runpid("vb", pid, 3000);
  ck_assert_int_eq(svctl(&out, 0, "kill", "vb"), 0);
  free(out);
  pid2 = wait_runpid("vb", pid, 3000);
  ck_assert(pid2 != pid && !t_alive(pid));
   /* -x: supervise stops run and exits */
  ck_assert_int_eq(svctl(&out, 0, "-x", "vb"), 0);
  free(out);
  ck_assert_msg(t_wait_exit(sup, 5000, &w), "supervise still running after svctl -x");
  ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 0, "supervise: status %d", w);
  ck_assert(!t_alive(pid2));
  v = t_state_key("vb", "want");
  ck_assert_msg(v && !strcmp(v, "exit"), "want %s after -x", v ? v : "(absent)");
  free(v);
}
END_TEST

 /* a TCase of this suite: SVDIR is the test's dir, every process cleaned up */
static TCase *svctl_tcase (Suite *s, char const *name)
{
  TCase *tc = tcase_create(name);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_unchecked_fixture(tc, t_tcase_setup, t_tcase_teardown);
  tcase_set_timeout(tc, 20);
  suite_add_tcase(s, tc);
  return tc;
}

Suite *svctl_suite (void)
{
  Suite *s = suite_create("svctl");
  TCase *tc;

  tc = svctl_tcase(s, "usage");
  tcase_add_test(tc, usage_errors);
  tcase_add_test(tc, version_help);

  tc = svctl_tcase(s, "not running");
  tcase_add_test(tc, not_running);

  tc = svctl_tcase(s, "files");
  tcase_add_test(tc, corrupt_status);
  tcase_add_test(tc, corrupt_state);
  tcase_add_test(tc, status_words);
  tcase_add_test(tc, json_escapes);
  tcase_add_test(tc, status_svdir);
  tcase_add_test(tc, exit_code_cap);
  tcase_add_test(tc, check_not_executable);

  tc = svctl_tcase(s, "runit paths");
  tcase_add_loop_test(tc, status_lines, SUP_RUNSV, SUP_OURS + 1);
  tcase_add_loop_test(tc, signals, SUP_RUNSV, SUP_OURS + 1);
  tcase_add_loop_test(tc, up_down_wait, SUP_RUNSV, SUP_OURS + 1);
  tcase_add_loop_test(tc, term_kill_once, SUP_RUNSV, SUP_OURS + 1);
  tcase_add_loop_test(tc, timeout_term_ignored, SUP_RUNSV, SUP_OURS + 1);
  tcase_add_loop_test(tc, check_verb, SUP_RUNSV, SUP_OURS + 1);
  tcase_add_loop_test(tc, exit_wait, SUP_RUNSV, SUP_OURS + 1);
  tcase_add_test(tc, json_runsv);
  tcase_add_test(tc, svwait);

  tc = svctl_tcase(s, "svtree");
  tcase_add_test(tc, ready_wait);
  tcase_add_test(tc, verbs_once_pause_kill_exit);
  tcase_add_test(tc, finish_wait);
  tcase_add_test(tc, backoff_failed_words);
  tcase_add_test(tc, log_status);
  tcase_add_test(tc, unsubscribes);
  tcase_add_test(tc, stale_state_runsv);

  return s;
}
