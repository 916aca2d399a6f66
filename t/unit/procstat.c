/* SPDX-License-Identifier: ISC */
/* t/unit/procstat.c: /proc/PID/stat */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <check.h>

#include "harness.h"
#include "procstat.h"

/* field 22 counted the naive way, for a comm without spaces */
static uint64_t
naive_starttime (pid_t pid)
{
  char path[64];
  unsigned long long v = 0;
  int i;
  FILE *f;
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  for (i = 1; i < 22; i++)
    ck_assert_int_eq(fscanf(f, "%*s"), 0);
  ck_assert_int_eq(fscanf(f, "%llu", &v), 1);
  fclose(f);
  return v;
}

START_TEST(self_stable)
{
  uint64_t a = 0, b = 0;
  ck_assert_int_eq(procstat_starttime(getpid(), &a), 1);
  ck_assert_uint_gt(a, 0);
  ck_assert_int_eq(procstat_starttime(getpid(), &b), 1);
  ck_assert_uint_eq(a, b);
  ck_assert_uint_eq(a, naive_starttime(getpid()));
  ck_assert_int_eq(procstat_starttime(1, &b), 1);
  ck_assert_uint_le(b, a);
}
END_TEST

START_TEST(reaped)
{
  uint64_t t = 12345;
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (!pid)
    _exit(0);
  ck_assert_int_eq(waitpid(pid, 0, 0), pid);
  T_FAILS_WITH(procstat_starttime(pid, &t), ESRCH);
  ck_assert_uint_eq(t, 12345);
  T_FAILS_WITH(procstat_starttime(0, &t), ESRCH);
  ck_assert_int_eq(procstat_starttime(-1, &t), 0);
}
END_TEST

START_TEST(zombie)
{
  uint64_t t = 12345;
  siginfo_t si;
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (!pid)
    _exit(0);
  memset(&si, 0, sizeof si);
  ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);  /* a zombie now */
  ck_assert_int_eq(t_alive(pid), 0);
  T_FAILS_WITH(procstat_starttime(pid, &t), ESRCH);
  ck_assert_uint_eq(t, 12345);
  ck_assert_int_eq(waitpid(pid, 0, 0), pid);
}
END_TEST

START_TEST(odd_comm)
{
  uint64_t mine = 0, seen = 0, self = 0;
  int p[2];
  pid_t pid;
  char comm[32];
  ck_assert_int_eq(pipe(p), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (!pid)
  {
    close(p[0]);
    prctl(PR_SET_NAME, "a) (b ) Z 1 2 ");
    if (procstat_starttime(getpid(), &mine) != 1)
      _exit(1);
    if (write(p[1], &mine, sizeof mine) != sizeof mine)
      _exit(1);
    pause();
    _exit(0);
  }
  close(p[1]);
  ck_assert_int_eq(read(p[0], &mine, sizeof mine), (ssize_t)sizeof mine);
  close(p[0]);
  {
    char path[64];
    char *s;
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    s = t_read(path);
    ck_assert_ptr_nonnull(s);
    snprintf(comm, sizeof comm, "%s", s);
    free(s);
  }
  ck_assert_str_eq(comm, "a) (b ) Z 1 2 \n");
  ck_assert_int_eq(procstat_starttime(pid, &seen), 1);
  ck_assert_uint_eq(seen, mine);
  ck_assert_int_eq(procstat_starttime(getpid(), &self), 1);
  ck_assert_uint_ge(seen, self);
  kill(pid, SIGKILL);
  ck_assert_int_eq(waitpid(pid, 0, 0), pid);
}
END_TEST

/* a group whose leader is gone but a member lives; then only a zombie; then nothing */
START_TEST(group_alive)
{
  siginfo_t si;
  int p[2];
  char c;
  pid_t leader, member;
   /* the orphaned member comes back to us (Check forks each test: this process only) */
  ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  ck_assert_int_eq(pipe(p), 0);
  leader = fork();
  ck_assert_int_ge(leader, 0);
  if (!leader)
  {
    setpgid(0, 0);
    if (fork() == 0)
    {
      close(p[0]);
      if (write(p[1], "x", 1) != 1)
        _exit(1);
      pause();
      _exit(0);
    }
    _exit(0);
  }
  close(p[1]);
  ck_assert_int_eq(read(p[0], &c, 1), 1);
  close(p[0]);
  ck_assert_int_eq(waitpid(leader, 0, 0), leader);
  ck_assert_int_eq(procstat_group_alive(leader), 1);
  ck_assert_int_eq(procstat_group_alive(getpgrp()), 1);
   /* the member is an orphan now, our child */
  member = 0;
  {
    char path[64];
    FILE *f;
    int pid, pgrp;
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    while (fscanf(f, "%d", &pid) == 1)
    {
      snprintf(path, sizeof path, "/proc/%d/stat", pid);
      {
        FILE *g = fopen(path, "r");
        if (g && fscanf(g, "%*d %*s %*c %*d %d", &pgrp) == 1 && pgrp == leader) member = pid;
        if (g) fclose(g);
      }
    }
    fclose(f);
  }
  ck_assert_int_gt(member, 0);
  kill(member, SIGKILL);
  memset(&si, 0, sizeof si);
  ck_assert_int_eq(waitid(P_PID, (id_t)member, &si, WEXITED | WNOWAIT), 0);  /* a zombie */
  ck_assert_int_eq(kill(-leader, 0), 0);  /* still a member for kill() */
  ck_assert_int_eq(procstat_group_alive(leader), 0);
  ck_assert_int_eq(waitpid(member, 0, 0), member);
  ck_assert_int_eq(procstat_group_alive(leader), 0);
  T_FAILS_WITH(procstat_group_alive(0), ESRCH);
}
END_TEST

/* a member two levels below us, under a process that left the group: found by the walk
    of our descendants; once it is a zombie (its parent does not reap it), not alive */
START_TEST(group_alive_below)
{
  int p[2], life[2];
  char buf[32], c;
  pid_t leader, mid, member;
   /* as supervise: a subreaper, so that what the group leaves comes back to us. The
      processes wait for EOF on life: they end with this test, whatever it asserts. */
  ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  ck_assert_int_eq(pipe(p), 0);
  ck_assert_int_eq(pipe(life), 0);
  leader = fork();
  ck_assert_int_ge(leader, 0);
  if (!leader)
  {
    close(life[1]);
    close(p[0]);
    setpgid(0, 0);
    if (fork() == 0)
    {
      pid_t g;
      signal(SIGCHLD, SIG_DFL);  /* its dead child stays a zombie */
      g = fork();
      if (g == 0)
      {
        while (read(life[0], &c, 1) < 0) ;
        _exit(0);
      }
      setpgid(0, 0);  /* mid leaves the group; its child stays */
      {
        char line[32];
        int n = snprintf(line, sizeof line, "%d %d\n", (int)getpid(), (int)g);
        if (write(p[1], line, (size_t)n) != n) _exit(1);
      }
      while (read(life[0], &c, 1) < 0) ;
      _exit(0);
    }
    while (read(life[0], &c, 1) < 0) ;
    _exit(0);
  }
  close(life[0]);
  close(p[1]);
  memset(buf, 0, sizeof buf);
  ck_assert_int_gt(read(p[0], buf, sizeof buf - 1), 0);
  close(p[0]);
  ck_assert_int_eq(sscanf(buf, "%d %d", &mid, &member), 2);
  ck_assert_int_eq(procstat_group_alive_below(leader), 1);
  kill(leader, SIGKILL);
  ck_assert_int_eq(waitpid(leader, 0, 0), leader);
   /* leader gone (mid came back to us); member (in leader's group) is mid's child, mid
      is in its own group */
  ck_assert_int_eq(procstat_group_alive_below(leader), 1);
  ck_assert_int_eq(procstat_group_alive(leader), 1);
  ck_assert_int_eq(procstat_member(member, leader), 1);
  ck_assert_int_eq(procstat_member(mid, leader), 0);
  kill(member, SIGKILL);
  {
    int i;
    for (i = 0; i < 2000 && procstat_member(member, leader) > 0; i++) usleep(1000);
  }
   /* a zombie of mid's now, not alive */
  ck_assert_int_eq(procstat_member(member, leader), 0);
  ck_assert_int_eq(procstat_group_alive_below(leader), 0);
  ck_assert_int_eq(procstat_group_alive(leader), 0);
  kill(mid, SIGKILL);
  ck_assert_int_eq(waitpid(mid, 0, 0), mid);
   /* member, mid's zombie, came back to us: reaped, the group is gone */
  ck_assert_int_eq(waitpid(member, 0, 0), member);
  ck_assert_int_eq(kill(-leader, 0), -1);
  ck_assert_int_eq(errno, ESRCH);
  ck_assert_int_eq(procstat_group_alive_below(leader), 0);
  T_FAILS_WITH(procstat_group_alive_below(0), ESRCH);
  close(life[1]);
}
END_TEST

Suite *procstat_suite (void);

Suite *
procstat_suite (void)
{
  Suite *s = suite_create("procstat");
  TCase *tc = tcase_create("starttime");
  tcase_set_timeout(tc, 10);
  tcase_add_test(tc, self_stable);
  tcase_add_test(tc, reaped);
  tcase_add_test(tc, zombie);
  tcase_add_test(tc, odd_comm);
  tcase_add_test(tc, group_alive);
  tcase_add_test(tc, group_alive_below);
  suite_add_tcase(s, tc);
  return s;
}
