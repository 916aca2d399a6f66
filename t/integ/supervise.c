/* SPDX-License-Identifier: ISC */
/* t/integ/supervise.c: bin/supervise, the core lifecycle and the runit-compatible files */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>

#include "fifodir.h"
#include "svstatus.h"
#include "harness.h"
#include "suites.h"
#include <time.h>

static char const *sigtrap =
  "for s in HUP INT QUIT USR1 USR2 ALRM CONT; do trap \"echo $s >>sigs\" $s; done\n"
  "trap 'echo TERM >>sigs; exit 3' TERM\n"
  "echo $$ >run.pid\n"
  "while :; do sleep 1 & wait $!; done\n";

static pid_t wait_run (char const *dir, unsigned int ms)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/supervise/state", dir);
  ck_assert_msg(t_wait_state(dir, "state", "up", ms), "%s not up within %u ms", dir, ms);
  {
    char *p = t_state_key(dir, "pid");
    pid_t pid = (pid_t)atol(p);
    free(p);
    return pid;
  }
}

struct newrun { char const *dir; pid_t old; };

static int has_new_run (void *arg)
{
  struct newrun const *nr = arg;
  char *st = t_state_key(nr->dir, "state"), *p = t_state_key(nr->dir, "pid");
  int r = st && p && !strcmp(st, "up") && atol(p) != nr->old && atol(p) > 0;
  free(st);
  free(p);
  return r;
}

 /* wait until dir runs a pid other than old; returns it */
static pid_t wait_new_run (char const *dir, pid_t old, unsigned int ms)
{
  struct newrun nr = { dir, old };
  ck_assert_msg(t_wait_until(&has_new_run, &nr, ms), "%s: no new run within %u ms", dir, ms);
  return wait_run(dir, 100);
}

START_TEST(files_runit_layout)
{
  struct stat st;
  svstatus status;
  pid_t pid;
  char *s;
  t_service("a", "exec sleep 1000");
  t_supervise("a", 0, "supervise.err");
  pid = wait_run("a", 2000);
  ck_assert_int_eq(stat("a/supervise", &st), 0);
  ck_assert_int_eq(st.st_mode & 07777, 0700);
  ck_assert_int_eq(stat("a/supervise/control", &st), 0);
  ck_assert(S_ISFIFO(st.st_mode));
  ck_assert_int_eq(st.st_mode & 07777, 0600);
  ck_assert_int_eq(stat("a/supervise/ok", &st), 0);
  ck_assert(S_ISFIFO(st.st_mode));
  ck_assert_int_eq(stat("a/supervise/status", &st), 0);
  ck_assert_int_eq(st.st_size, SVSTATUS_SIZE);
  ck_assert_msg(t_read_status("a", &status), "unable to read a/supervise/status");
  ck_assert_int_eq(status.pid, pid);
  ck_assert_int_eq(status.state, SVSTATUS_RUN);
  ck_assert_int_eq(status.want, 'u');
  ck_assert_int_eq(status.paused, 0);
  s = t_read("a/supervise/stat");
  ck_assert_str_eq(s, "run\n");
  free(s);
  s = t_read("a/supervise/pid");
  {
    char want[32];
    snprintf(want, sizeof want, "%d\n", (int)pid);
    ck_assert_str_eq(s, want);
  }
  free(s);
   /* run's environment: cwd is the service dir, its own session, stdin /dev/null */
  {
    char path[64], link[4096];
    ssize_t r;
    snprintf(path, sizeof path, "/proc/%d/cwd", (int)pid);
    r = readlink(path, link, sizeof link - 1);
    ck_assert(r > 0);
    link[r] = 0;
    ck_assert_msg(strstr(link, "/a") && !strcmp(strrchr(link, '/'), "/a"), "cwd %s", link);
    snprintf(path, sizeof path, "/proc/%d/fd/0", (int)pid);
    r = readlink(path, link, sizeof link - 1);
    link[r > 0 ? r : 0] = 0;
    ck_assert_str_eq(link, "/dev/null");
    ck_assert_int_eq(getsid(pid), pid);
  }
  s = t_read("supervise.err");
  ck_assert_msg(s && strstr(s, "supervise: a: spawned: pid "), "no spawned line in: %s", s ? s : "");
  free(s);
}
END_TEST

START_TEST(state_file_keys)
{
  char *v;
  t_service("b", "exec sleep 1000");
  t_supervise("b", 0, "supervise.err");
  wait_run("b", 2000);
  v = t_state_key("b", "want"); ck_assert_str_eq(v, "up"); free(v);
  v = t_state_key("b", "normally"); ck_assert_str_eq(v, "up"); free(v);
  v = t_state_key("b", "restarts"); ck_assert_str_eq(v, "0"); free(v);
  v = t_state_key("b", "failures"); ck_assert_str_eq(v, "0"); free(v);
  v = t_state_key("b", "last_exit"); ck_assert_str_eq(v, ""); free(v);
  v = t_state_key("b", "paused"); ck_assert_str_eq(v, "0"); free(v);
  ck_assert(t_wait_state("b", "ready", "1", 3000));
  v = t_state_key("b", "ready_since"); ck_assert_str_ne(v, "0"); free(v);
}
END_TEST

START_TEST(lock_refuses_second)
{
  char *err = 0;
  char path[4096];
  int r;
  t_service("c", "exec sleep 1000");
  t_supervise("c", 0, "supervise.err");
  wait_run("c", 2000);
  snprintf(path, sizeof path, "%ssupervise", T_BIN);
  r = t_run((char const *[]){ path, "c", 0 }, 0, &err, 5000);
  ck_assert_int_eq(r, 111);
  ck_assert_str_eq(err, "supervise: fatal: unable to lock c/supervise/lock: another supervise is running\n");
  free(err);
}
END_TEST

START_TEST(ok_fifo_open_while_running)
{
  int fd;
  t_service("d", "exec sleep 1000");
  t_supervise("d", 0, "supervise.err");
  wait_run("d", 2000);
  fd = open("d/supervise/ok", O_WRONLY | O_NONBLOCK);
  ck_assert_msg(fd >= 0, "ok: %s", strerror(errno));
  close(fd);
}
END_TEST

START_TEST(usage_and_missing_dir)
{
  char path[4096];
  char *err = 0;
  snprintf(path, sizeof path, "%ssupervise", T_BIN);
  ck_assert_int_eq(t_run((char const *[]){ path, 0 }, 0, &err, 5000), 100);
  ck_assert_msg(strstr(err, "supervise: usage: "), "%s", err);
  free(err);
  ck_assert_int_eq(t_run((char const *[]){ path, "nosuch", 0 }, 0, &err, 5000), 111);
  ck_assert_msg(!strncmp(err, "supervise: fatal: unable to chdir to nosuch: ", 45), "%s", err);
  ck_assert_ptr_eq(strchr(err, '\n'), err + strlen(err) - 1);  /* one line */
  free(err);
}
END_TEST

START_TEST(supervise_dir_unusable)
{
  char path[4096];
  char *err = 0;
  t_service("e", "exec sleep 1000");
  t_write("e/supervise", "a file, not a directory\n");
  snprintf(path, sizeof path, "%ssupervise", T_BIN);
  ck_assert_int_eq(t_run((char const *[]){ path, "e", 0 }, 0, &err, 5000), 111);
  ck_assert_msg(strstr(err, "supervise: fatal: unable to ") && strstr(err, "e/supervise"), "%s", err);
  free(err);
}
END_TEST

 /* each signal command reaches the real child */
START_TEST(signal_commands)
{
  static char const cmds[] = "haiq12c";
  static char const *const names[] = { "HUP", "ALRM", "INT", "QUIT", "USR1", "USR2", "CONT" };
  pid_t pid;
  unsigned int i;
  t_service("f", sigtrap);
  t_supervise("f", 0, "supervise.err");
  pid = wait_run("f", 2000);
  ck_assert(t_wait_until(&t_has_file, (void *)"f/run.pid", 2000));
  for (i = 0; i < sizeof cmds - 1; i++)
  {
    char cmd[2] = { cmds[i], 0 };
    t_control("f", cmd);
    ck_assert_msg(t_wait_file_has("f/sigs", names[i], 3000), "%s not received", names[i]);
  }
  ck_assert_int_eq(t_read_long("f/run.pid"), pid);
  ck_assert(t_alive(pid));
}
END_TEST

static int proc_stopped (void *arg)
{
  char path[64];
  char *s, *p;
  int r;
  snprintf(path, sizeof path, "/proc/%d/stat", *(int *)arg);
  s = t_read(path);
  if (!s) return 0;
  p = strrchr(s, ')');
  r = p && p[2] == 'T';
  free(s);
  return r;
}

static int proc_running (void *arg)
{
  return t_alive(*(pid_t *)arg) && !proc_stopped(arg);
}

START_TEST(pause_and_cont)
{
  pid_t pid;
  svstatus st;
  char *stamp1, *stamp2;
  t_service("g", "exec sleep 1000");
  t_supervise("g", 0, "supervise.err");
  pid = wait_run("g", 2000);
  stamp1 = t_state_key("g", "since");
  t_control("g", "p");
  ck_assert(t_wait_until(&proc_stopped, &pid, 2000));
  ck_assert(t_wait_state("g", "paused", "1", 2000));
  ck_assert_msg(t_read_status("g", &st), "unable to read g/supervise/status");
  ck_assert_int_eq(st.paused, 1);
  {
    char *s = t_read("g/supervise/stat");
    ck_assert_str_eq(s, "run, paused\n");
    free(s);
  }
  t_control("g", "c");
  ck_assert(t_wait_until(&proc_running, &pid, 2000));
  ck_assert(t_wait_state("g", "paused", "0", 2000));
  stamp2 = t_state_key("g", "since");
  ck_assert_str_eq(stamp1, stamp2);  /* pause/cont is no state change */
  free(stamp1);
  free(stamp2);
}
END_TEST

START_TEST(down_runs_finish_with_exit_code)
{
  pid_t pid;
  svstatus st;
  char *s;
  t_service("h", sigtrap);
  t_write_exec("h/finish", "#!/bin/sh\necho \"$1 $2\" >>finish.args\n");
  t_supervise("h", 0, "supervise.err");
  pid = wait_run("h", 2000);
  ck_assert(t_wait_until(&t_has_file, (void *)"h/run.pid", 2000));
  t_control("h", "d");
  ck_assert(t_wait_state("h", "state", "down", 3000));
  ck_assert(!t_alive(pid));
  s = t_read("h/finish.args");
  ck_assert_str_eq(s, "3 0\n");
  free(s);
  ck_assert(t_wait_file_has("h/sigs", "TERM", 100));
  ck_assert_msg(t_read_status("h", &st), "unable to read h/supervise/status");
  ck_assert_int_eq(st.state, SVSTATUS_DOWN);
  ck_assert_int_eq(st.pid, 0);
  ck_assert_int_eq(st.want, 'd');
  s = t_read("h/supervise/stat");
  ck_assert_str_eq(s, "down\n");
  free(s);
  s = t_read("h/supervise/pid");
  ck_assert_str_eq(s, "");
  free(s);
  s = t_state_key("h", "last_exit");
  ck_assert_str_eq(s, "exit 3");
  free(s);
  s = t_state_key("h", "want");
  ck_assert_str_eq(s, "down");
  free(s);
   /* up again */
  t_control("h", "u");
  wait_new_run("h", pid, 2000);
}
END_TEST

START_TEST(kill_gives_finish_minus_one)
{
  pid_t pid, pid2;
  char *s;
  t_service("i", "exec sleep 1000");
  t_write_exec("i/finish", "#!/bin/sh\necho \"$1 $2\" >>finish.args\n");
  t_supervise("i", 0, "supervise.err");
  pid = wait_run("i", 2000);
  t_control("i", "k");
  ck_assert(t_wait_file_has("i/finish.args", "-1 9\n", 3000));
   /* a death caused by a command is no failed start: restarted at once */
  ck_assert(t_wait_until(&t_gone, &pid, 2000));
  pid2 = wait_new_run("i", pid, 2000);
  ck_assert_int_ne(pid2, pid);
  s = t_state_key("i", "failures");
  ck_assert_str_eq(s, "0");
  free(s);
  s = t_state_key("i", "restarts");
  ck_assert_str_eq(s, "1");
  free(s);
  s = t_state_key("i", "last_exit");
  ck_assert_str_eq(s, "signal KILL");
  free(s);
}
END_TEST

START_TEST(term_restarts_when_wanted_up)
{
  pid_t pid, pid2;
  t_service("j", sigtrap);
  t_supervise("j", 0, "supervise.err");
  pid = wait_run("j", 2000);
  ck_assert(t_wait_until(&t_has_file, (void *)"j/run.pid", 2000));
  t_control("j", "t");
  ck_assert(t_wait_until(&t_gone, &pid, 3000));
  pid2 = wait_new_run("j", pid, 2000);
  ck_assert_int_ne(pid, pid2);
}
END_TEST

START_TEST(once_is_not_restarted)
{
  char *s;
  t_service("k", "echo ran >>ran\nexit 0");
  t_write("k/down", "");
  t_supervise("k", 0, "supervise.err");
  ck_assert(t_wait_state("k", "state", "down", 2000));
  s = t_state_key("k", "normally");
  ck_assert_str_eq(s, "down");
  free(s);
  ck_assert(!t_has_file((void *)"k/ran"));
  t_control("k", "o");
  ck_assert(t_wait_until(&t_has_file, (void *)"k/ran", 2000));
  ck_assert(t_wait_state("k", "last_exit", "exit 0", 2000));
  ck_assert(t_wait_state("k", "state", "down", 2000));
  s = t_state_key("k", "restarts");
  ck_assert_str_eq(s, "0");
  free(s);
  s = t_read("k/ran");
  ck_assert_str_eq(s, "ran\n");
  free(s);
}
END_TEST

START_TEST(exit_command_and_sigterm)
{
  pid_t sup, pid;
  int w;
  t_service("l", "exec sleep 1000");
  sup = t_supervise("l", 0, "supervise.err");
  pid = wait_run("l", 2000);
  t_control("l", "x");
  ck_assert_msg(t_wait_exit(sup, 3000, &w), "supervise still running after x");
  ck_assert(WIFEXITED(w));
  ck_assert_int_eq(WEXITSTATUS(w), 0);
  ck_assert(t_wait_until(&t_gone, &pid, 1000));
  {
    char *s = t_read("l/supervise/stat");
    ck_assert_str_eq(s, "down\n");
    free(s);
  }
  sup = t_supervise("l", 0, "supervise.err");
  pid = wait_run("l", 2000);
  kill(sup, SIGTERM);
  ck_assert_msg(t_wait_exit(sup, 3000, &w), "supervise still running after SIGTERM");
  ck_assert_int_eq(WEXITSTATUS(w), 0);
  ck_assert(t_wait_until(&t_gone, &pid, 1000));
}
END_TEST

START_TEST(garbage_and_flood_on_control)
{
  pid_t sup, pid;
  int fd, i;
  char buf[8192];
  t_service("m", "trap 'echo h >>hups' HUP\necho $$ >run.pid\nwhile :; do sleep 1 & wait $!; done");
  sup = t_supervise("m", 0, "supervise.err");
  pid = wait_run("m", 2000);
  ck_assert(t_wait_until(&t_has_file, (void *)"m/run.pid", 2000));
  fd = open("m/supervise/control", O_WRONLY);  /* blocking: supervise must drain it */
  ck_assert(fd >= 0);
  for (i = 0; i < 256; i++) buf[i] = (char)i == 'x' || (char)i == 'd' || (char)i == 'k' || (char)i == 't'
    || (char)i == 'p' || (char)i == 'o' || (char)i == 'q' || (char)i == 'i' || (char)i == 'h' || (char)i == '1' || (char)i == '2' || (char)i == 'a' ? 'Z' : (char)i;
  ck_assert_int_eq(write(fd, buf, 256), 256);
  memset(buf, 'Z', sizeof buf);
  for (i = 0; i < 64; i++) ck_assert_int_eq(write(fd, buf, sizeof buf), sizeof buf);
  ck_assert_int_eq(write(fd, "h", 1), 1);
  close(fd);
  ck_assert(t_wait_file_has("m/hups", "h", 3000));
  ck_assert(t_alive(sup));
  ck_assert_int_eq(wait_run("m", 100), pid);
}
END_TEST

START_TEST(run_missing_retries_with_backoff)
{
  pid_t sup;
  char *err;
  t_mkdir("n");
  sup = t_supervise("n", 0, "supervise.err");
  ck_assert(t_wait_state("n", "state", "backoff", 2000));
  err = t_read("supervise.err");
  ck_assert_msg(err && strstr(err, "supervise: warning: unable to spawn n/run: "), "%s", err ? err : "");
  free(err);
   /* run appears: the next try starts it, supervise never gave up */
  t_write_exec("n/run", "#!/bin/sh\nexec sleep 1000\n");
  wait_run("n", 3000);
  ck_assert(t_alive(sup));
}
END_TEST

START_TEST(run_not_executable)
{
  char *err, *f;
  t_mkdir("o");
  t_write("o/run", "#!/bin/sh\nexec sleep 1000\n");
  t_supervise("o", 0, "supervise.err");
  ck_assert(t_wait_state("o", "state", "backoff", 2000));
  err = t_read("supervise.err");
  ck_assert_msg(err && strstr(err, "unable to spawn o/run: "), "%s", err ? err : "");
  free(err);
  f = t_state_key("o", "failures");
  ck_assert_str_eq(f, "1");
  free(f);
}
END_TEST

 /* a run that exits at once: restarts throttled 1 s, 2 s, ... (not a busy loop) */
START_TEST(crash_loop_is_throttled)
{
  unsigned long long t0;
  long n;
  t_service("p", "echo x >>starts\nexit 1");
  t_supervise("p", 0, "supervise.err");
  ck_assert(t_wait_until(&t_has_file, (void *)"p/starts", 2000));
  t0 = t_now_ms();
  ck_assert(t_wait_state("p", "failures", "2", 3000));
  ck_assert_msg(t_now_ms() - t0 >= 900, "second start after %llu ms", t_now_ms() - t0);
  ck_assert(t_wait_state("p", "state", "backoff", 1000));
  {
    char *s = t_read("p/starts");
    n = (long)(strlen(s) / 2);
    free(s);
  }
  ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(down_file_then_up)
{
  t_service("q", "exec sleep 1000");
  t_write("q/down", "");
  t_supervise("q", 0, "supervise.err");
  ck_assert(t_wait_state("q", "state", "down", 2000));
  {
    char *s = t_read("q/supervise/stat");
    ck_assert_str_eq(s, "down\n");
    free(s);
  }
  t_control("q", "u");
  wait_run("q", 2000);
}
END_TEST

static char evbuf[4096];
static size_t evlen;

 /* wait for event c on fd; events read but not yet waited for are kept */
static int read_event (int fd, char c, unsigned int ms)
{
  unsigned long long deadline = t_now_ms() + ms;
  for (;;)
  {
    char *p = memchr(evbuf, c, evlen);
    if (p)
    {
      size_t off = (size_t)(p - evbuf) + 1;
      memmove(evbuf, evbuf + off, evlen - off);
      evlen -= off;
      return 1;
    }
    if (t_now_ms() >= deadline) return 0;
    {
      ssize_t r = read(fd, evbuf + evlen, sizeof evbuf - evlen);
      if (r > 0) evlen += (size_t)r;
      else { struct timespec ts = { 0, 2000000 }; nanosleep(&ts, 0); }
    }
  }
}

START_TEST(events_in_fifodir)
{
  stralloc name = STRALLOC_ZERO;
  int fd;
  t_service("r", "exec sleep 1000");
  t_supervise("r", 0, "supervise.err");
  wait_run("r", 2000);
  fd = fifodir_subscribe("r/event", &name);
  ck_assert(fd >= 0);
  t_control("r", "d");
  ck_assert(read_event(fd, 'd', 2000));
  ck_assert(read_event(fd, 'D', 2000));
  t_control("r", "u");
  ck_assert(read_event(fd, 'u', 2000));
  t_control("r", "x");
  ck_assert(read_event(fd, 'x', 3000));
  fifodir_unsubscribe(fd, name.s);
  stralloc_free(&name);
}
END_TEST

START_TEST(event_w_for_want_and_pause)
{
  stralloc name = STRALLOC_ZERO;
  int fd;
  t_service("w1", "exec sleep 1000");
  t_supervise("w1", 0, "supervise.err");
  wait_run("w1", 2000);
  fd = fifodir_subscribe("w1/event", &name);
  ck_assert(fd >= 0);
  t_control("w1", "p");  /* no lifecycle event, still a change: w */
  ck_assert(read_event(fd, 'w', 2000));
  ck_assert(t_wait_state("w1", "paused", "1", 100));
  t_control("w1", "o");  /* want once: w again */
  ck_assert(read_event(fd, 'w', 2000));
  ck_assert(t_wait_state("w1", "want", "once", 100));
  fifodir_unsubscribe(fd, name.s);
  stralloc_free(&name);
}
END_TEST

START_TEST(quiet_has_no_lifecycle_lines)
{
  pid_t sup;
  char *err;
  t_service("qq", "exec sleep 1000");
  sup = t_spawn_io((char const *[]){ t_prog("supervise"), "-q", "qq", 0 }, 0, "qq.err");
  wait_run("qq", 2000);
  t_control("qq", "x");
  ck_assert(t_wait_exit(sup, 3000, 0));
  err = t_read("qq.err");
  ck_assert_msg(err && !*err, "supervise -q wrote: %s", err ? err : "(no file)");
  free(err);
}
END_TEST

START_TEST(event_reader_that_never_reads)
{
  stralloc name = STRALLOC_ZERO;
  int fd, i;
  pid_t pid;
  t_service("s", "exec sleep 1000");
  t_supervise("s", 0, "supervise.err");
  pid = wait_run("s", 2000);
  fd = fifodir_subscribe("s/event", &name);
  ck_assert(fd >= 0);
   /* fill the FIFO so that it is full, then make supervise notify many times */
  {
    char buf[4096];
    memset(buf, 'z', sizeof buf);
    while (write(fd, buf, sizeof buf) > 0) ;
  }
  for (i = 0; i < 20; i++)
  {
    t_control("s", "k");
    ck_assert(t_wait_until(&t_gone, &pid, 2000));
    pid = wait_new_run("s", pid, 2000);
  }
  fifodir_unsubscribe(fd, name.s);
  stralloc_free(&name);
}
END_TEST

START_TEST(stopping_is_written)
{
  char *st;
  t_service("v", "trap '' TERM\necho $$ >run.pid\nwhile :; do sleep 1; done");
  t_supervise("v", 0, "supervise.err");
  wait_run("v", 2000);
  ck_assert(t_wait_until(&t_has_file, (void *)"v/run.pid", 2000));
  t_control("v", "d");
   /* a run that does not die at once: "stopping" is on disk within a few ms */
  ck_assert(t_wait_state("v", "state", "stopping", 500));
  st = t_read("v/supervise/stat");
  ck_assert_str_eq(st, "run, got TERM, want down\n");
  free(st);
  t_control("v", "k");
  ck_assert(t_wait_state("v", "state", "down", 2000));
}
END_TEST

START_TEST(log_gets_run_output)
{
  t_service("u", "echo hello from u\nexec sleep 1000");
  t_mkdir("u/log");
  t_write_exec("u/log/run", "#!/bin/sh\nexec cat >out\n");
  t_supervise("u", 0, "supervise.err");
  wait_run("u", 2000);
  ck_assert(t_wait_file_has("u/log/out", "hello from u\n", 2000));
  ck_assert(t_wait_state("u/log", "state", "up", 2000));
  {
    svstatus st;
    ck_assert_msg(t_read_status("u/log", &st), "unable to read u/log/supervise/status");
    ck_assert_int_eq(st.state, SVSTATUS_RUN);
  }
}
END_TEST

Suite *supervise_suite (void)
{
  Suite *s = suite_create("supervise");
  TCase *tc;

  tc = tcase_create("files");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, files_runit_layout);
  tcase_add_test(tc, state_file_keys);
  tcase_add_test(tc, lock_refuses_second);
  tcase_add_test(tc, ok_fifo_open_while_running);
  tcase_add_test(tc, events_in_fifodir);
  tcase_add_test(tc, event_w_for_want_and_pause);
  tcase_add_test(tc, quiet_has_no_lifecycle_lines);
  tcase_add_test(tc, event_reader_that_never_reads);
  suite_add_tcase(s, tc);

  tc = tcase_create("bad input");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, usage_and_missing_dir);
  tcase_add_test(tc, supervise_dir_unusable);
  tcase_add_test(tc, garbage_and_flood_on_control);
  tcase_add_test(tc, run_missing_retries_with_backoff);
  tcase_add_test(tc, run_not_executable);
  tcase_add_test(tc, crash_loop_is_throttled);
  suite_add_tcase(s, tc);

  tc = tcase_create("commands");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, signal_commands);
  tcase_add_test(tc, pause_and_cont);
  tcase_add_test(tc, down_runs_finish_with_exit_code);
  tcase_add_test(tc, kill_gives_finish_minus_one);
  tcase_add_test(tc, term_restarts_when_wanted_up);
  tcase_add_test(tc, once_is_not_restarted);
  tcase_add_test(tc, exit_command_and_sigterm);
  tcase_add_test(tc, down_file_then_up);
  tcase_add_test(tc, stopping_is_written);
  tcase_add_test(tc, log_gets_run_output);
  suite_add_tcase(s, tc);
  return s;
}
