/* SPDX-License-Identifier: ISC */
/* t/unit/spawn.c: starting children */
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

#include "harness.h"
#include "spawn.h"

static void
assert_no_child (void)
{
  errno = 0;
  ck_assert_int_eq(waitpid(-1, 0, WNOHANG), -1);
  ck_assert_int_eq(errno, ECHILD);
}

static int
reap (pid_t pid)
{
  int w;
  ck_assert_int_eq(waitpid(pid, &w, 0), pid);
  return w;
}

/* Under valgrind, posix_spawn's clone(CLONE_VM|CLONE_VFORK) becomes a fork: the exec
   error never reaches the parent, which gets a child that exits 127 instead. */
static int
under_valgrind (void)
{
  char const *s = getenv("LD_PRELOAD");
  return s && strstr(s, "vgpreload");
}

static void
assert_exec_fails (spawn const *sp, int e)
{
  pid_t pid;
  errno = 0;
  pid = spawn_run(sp);
  if (pid > 0 && under_valgrind())
    ck_assert_int_eq(reap(pid), 127 << 8);
  else
  {
    ck_assert_int_eq(pid, -1);
    ck_assert_int_eq(errno, e);
  }
  assert_no_child();
}

/* run sh -c script with stdout to a pipe; returns what it printed, malloc'd */
static char *
sh_out (spawn *sp, char const *script, int *wstat)
{
  char const *argv[] = { "/bin/sh", "-c", script, 0 };
  char *out = malloc(4096);
  size_t len = 0;
  int p[2];
  pid_t pid;
  ck_assert_ptr_nonnull(out);
  ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
  sp->argv = argv;
  sp->fd1 = p[1];
  pid = spawn_run(sp);
  ck_assert_msg(pid > 0, "spawn_run: %s", strerror(errno));
  close(p[1]);
  for (;;)
  {
    ssize_t r = read(p[0], out + len, 4095 - len);
    if (r <= 0)
      break;
    len += (size_t)r;
  }
  close(p[0]);
  out[len] = 0;
  *wstat = reap(pid);
  return out;
}

START_TEST(exec_enoent)
{
  char const *argv[] = { "/nonexistent/run", 0 };
  spawn sp = SPAWN_ZERO;
  sp.argv = argv;
  assert_exec_fails(&sp, ENOENT);
}
END_TEST

START_TEST(exec_eacces)
{
  char const *argv[] = { "./notexec", 0 };
  spawn sp = SPAWN_ZERO;
  t_write("notexec", "#!/bin/sh\nexit 0\n");
  sp.argv = argv;
  assert_exec_fails(&sp, EACCES);
}
END_TEST

START_TEST(exec_enoexec)
{
  char const *argv[] = { "./garbage", 0 };
  spawn sp = SPAWN_ZERO;
  t_write_exec("garbage", "\x7f\x01\x02\x03 not a program\n");
  sp.argv = argv;
  assert_exec_fails(&sp, ENOEXEC);
}
END_TEST

START_TEST(exit_status)
{
  spawn sp = SPAWN_ZERO;
  int w;
  char *out = sh_out(&sp, "echo hello; exit 7", &w);
  ck_assert_str_eq(out, "hello\n");
  ck_assert(WIFEXITED(w));
  ck_assert_int_eq(WEXITSTATUS(w), 7);
  free(out);
}
END_TEST

START_TEST(new_session)
{
  char const *argv[] = { "/bin/sleep", "30", 0 };
  spawn sp = SPAWN_ZERO;
  pid_t pid;
  sp.argv = argv;
  sp.newsession = 1;
  pid = spawn_run(&sp);
  ck_assert_int_gt(pid, 0);
  ck_assert_int_eq(getsid(pid), pid);
  ck_assert_int_eq(getpgid(pid), pid);
  kill(pid, SIGKILL);
  reap(pid);
  sp.newsession = 0;
  pid = spawn_run(&sp);
  ck_assert_int_gt(pid, 0);
  ck_assert_int_eq(getsid(pid), getsid(0));
  ck_assert_int_eq(getpgid(pid), getpgrp());
  kill(pid, SIGKILL);
  reap(pid);
}
END_TEST

static void
handler (int sig)
{
  (void)sig;
}

/* the line "Key:\tVALUE" of /proc/PID/status */
static void
status_line (pid_t pid, char const *key, char *value, size_t max)
{
  char path[64], line[256];
  size_t klen = strlen(key);
  FILE *f;
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  value[0] = 0;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, key, klen) && line[klen] == ':')
    {
      char *v = line + klen + 1;
      while (*v == '\t' || *v == ' ')
        v++;
      v[strcspn(v, "\n")] = 0;
      snprintf(value, max, "%s", v);
      break;
    }
  fclose(f);
}

START_TEST(signals_reset)
{
  char const *argv[] = { "/bin/sleep", "30", 0 };
  spawn sp = SPAWN_ZERO;
  sigset_t set, old;
  struct sigaction sa, oldint, oldusr1;
  char v[64];
  pid_t pid;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGINT, &sa, &oldint);
  sa.sa_handler = &handler;
  sigaction(SIGUSR1, &sa, &oldusr1);
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, &old);
  sp.argv = argv;
  pid = spawn_run(&sp);
  sigprocmask(SIG_SETMASK, &old, 0);
  sigaction(SIGINT, &oldint, 0);
  sigaction(SIGUSR1, &oldusr1, 0);
  ck_assert_int_gt(pid, 0);
  status_line(pid, "SigBlk", v, sizeof v);
  ck_assert_str_eq(v, "0000000000000000");
  status_line(pid, "SigIgn", v, sizeof v);
  ck_assert_str_eq(v, "0000000000000000");
  status_line(pid, "SigCgt", v, sizeof v);
  ck_assert_str_eq(v, "0000000000000000");
  kill(pid, SIGTERM);
  ck_assert_int_eq(reap(pid), SIGTERM);
}
END_TEST

START_TEST(fd_layout)
{
  spawn sp = SPAWN_ZERO;
  char *out, *x;
  int in, xp[2], w;
  t_write("in", "from stdin\n");
  in = open("in", O_RDONLY | O_CLOEXEC);
  ck_assert_int_ge(in, 0);
  ck_assert_int_eq(pipe2(xp, O_CLOEXEC), 0);
  sp.fd0 = in;
  sp.fdx_from = xp[1];
  sp.fdx_to = 5;
  out = sh_out(&sp, "cat; echo extra >&5", &w);
  close(xp[1]);
  ck_assert_int_eq(w, 0);
  ck_assert_str_eq(out, "from stdin\n");
  x = malloc(64);
  ck_assert_int_eq(read(xp[0], x, 64), 6);
  ck_assert_mem_eq(x, "extra\n", 6);
  free(x);
  free(out);
  close(xp[0]);
  close(in);
}
END_TEST

START_TEST(fd_onto_itself)
{
  spawn sp = SPAWN_ZERO;
  char *out;
  int w, fd;
  t_write("seven", "on fd 7\n");
  fd = open("seven", O_RDONLY | O_CLOEXEC);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(dup3(fd, 7, O_CLOEXEC), 7);
  close(fd);
  ck_assert_int_eq(fcntl(7, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  sp.fdx_from = 7;
  sp.fdx_to = 7;
  out = sh_out(&sp, "cat <&7", &w);
  ck_assert_int_eq(w, 0);
  ck_assert_str_eq(out, "on fd 7\n");
  free(out);
  /* and without the dup2, close-on-exec holds */
  sp.fdx_from = sp.fdx_to = -1;
  lseek(7, 0, SEEK_SET);
  out = sh_out(&sp, "{ cat <&7; } 2>/dev/null || echo closed", &w);
  ck_assert_str_eq(out, "closed\n");
  free(out);
  close(7);
}
END_TEST

START_TEST(fd_clash)
{
  /* fdx_to is the number of fd0's source: fd0 must be placed first */
  spawn sp = SPAWN_ZERO;
  char *out, buf[64];
  int in, xp[2], w;
  t_write("in2", "input\n");
  in = open("in2", O_RDONLY | O_CLOEXEC);
  ck_assert_int_ge(in, 0);
  ck_assert_int_eq(pipe2(xp, O_CLOEXEC), 0);
  sp.fd0 = in;
  sp.fdx_from = xp[1];
  sp.fdx_to = in;
  ck_assert_int_lt(in, 10);
  {
    char script[64];
    snprintf(script, sizeof script, "cat; echo notify >&%d", in);
    out = sh_out(&sp, script, &w);
  }
  close(xp[1]);
  ck_assert_int_eq(w, 0);
  ck_assert_str_eq(out, "input\n");
  ck_assert_int_eq(read(xp[0], buf, sizeof buf), 7);
  ck_assert_mem_eq(buf, "notify\n", 7);
  free(out);
  close(xp[0]);
  close(in);
  /* a swap cannot be done with dup2s alone */
  sp = (spawn)SPAWN_ZERO;
  {
    char const *argv[] = { "/bin/true", 0 };
    sp.argv = argv;
    sp.fd0 = 1;
    sp.fd1 = 0;
    errno = 0;
    ck_assert_int_eq(spawn_run(&sp), -1);
    ck_assert_int_eq(errno, EINVAL);
  }
}
END_TEST

START_TEST(env_and_cwd)
{
  char const *envp[] = { "FOO=bar baz", "PATH=/bin:/usr/bin", 0 };
  spawn sp = SPAWN_ZERO;
  char *out, expect[4200];
  int w;
  t_mkdir("sub/dir");
  sp.envp = envp;
  sp.cwd = "sub/dir";
  out = sh_out(&sp, "echo \"$FOO\"; pwd -P; echo ${HOME-unset}", &w);
  snprintf(expect, sizeof expect, "bar baz\n%s/sub/dir\nunset\n", t_dir());
  {
    char real[4096];
    ck_assert_ptr_nonnull(realpath(t_dir(), real));
    snprintf(expect, sizeof expect, "bar baz\n%s/sub/dir\nunset\n", real);
  }
  ck_assert_str_eq(out, expect);
  free(out);
  setenv("SVTREE_T_SPAWN", "inherited", 1);
  sp = (spawn)SPAWN_ZERO;
  out = sh_out(&sp, "echo $SVTREE_T_SPAWN", &w);
  unsetenv("SVTREE_T_SPAWN");
  ck_assert_str_eq(out, "inherited\n");
  free(out);
  {
    char const *argv[] = { "/bin/true", 0 };
    sp.argv = argv;
    sp.cwd = "nonexistent";
    assert_exec_fails(&sp, ENOENT);
  }
}
END_TEST

Suite *spawn_suite (void);

Suite *
spawn_suite (void)
{
  Suite *s = suite_create("spawn");
  TCase *tc = tcase_create("exec");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, exec_enoent);
  tcase_add_test(tc, exec_eacces);
  tcase_add_test(tc, exec_enoexec);
  tcase_add_test(tc, exit_status);
  suite_add_tcase(s, tc);
  tc = tcase_create("child");
  tcase_add_unchecked_fixture(tc, t_setup, t_teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, new_session);
  tcase_add_test(tc, signals_reset);
  tcase_add_test(tc, fd_layout);
  tcase_add_test(tc, fd_onto_itself);
  tcase_add_test(tc, fd_clash);
  tcase_add_test(tc, env_and_cwd);
  suite_add_tcase(s, tc);
  return s;
}
