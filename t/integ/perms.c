/* SPDX-License-Identifier: ISC */
/* t/integ/perms.c: permissions. supervise/ is private, nothing is created
   world-writable, another user can neither control nor read root's services, control
   can be delegated to a group (supervise.8, README), and no link planted in supervise/
   is followed. Cases that need another uid are registered only as root. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>

#include "control.h"
#include "harness.h"
#include "suites.h"
#include "svstate.h"

#define NOBODY 65534
#define T_GID 43211             /* the group control is delegated to */

static int state_up (void *arg)
{
  char fn[PATH_MAX];
  svstate st;
  snprintf(fn, sizeof fn, "%s/supervise", (char const *)arg);
  return svstate_read(fn, &st) && st.state == SVSTATE_UP && st.pid > 0;
}

static int state_down (void *arg)
{
  char fn[PATH_MAX];
  svstate st;
  snprintf(fn, sizeof fn, "%s/supervise", (char const *)arg);
  return svstate_read(fn, &st) && st.state == SVSTATE_DOWN;
}

 /* argv as uid, gid and the supplementary groups given (ngroups of them); stdout in
    *out (malloc'd), stderr to ours; the exit code, 128+sig, or -1 after ms */
static int run_as (uid_t uid, gid_t gid, gid_t const *groups, size_t ngroups, char const *const *argv, char **out, unsigned int ms)
{
  char fn[64];
  int fd, w, r;
  pid_t pid;
  static unsigned int k = 0;
  snprintf(fn, sizeof fn, "as.%u.out", k++);
  fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ck_assert(fd >= 0);
  pid = fork();
  ck_assert(pid >= 0);
  if (!pid)
  {
    dup2(fd, 1);
    if (setgroups(ngroups, groups) == -1 || setgid(gid) == -1 || setuid(uid) == -1) _exit(126);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(fd);
  if (t_wait_exit(pid, ms, &w)) r = WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
  else
  {
    kill(pid, SIGKILL);
    waitpid(pid, 0, 0);
    r = -1;
  }
  *out = t_read(fn);
  return r;
}

 /* every entry under path: none may be writable by others; FIFOs 0600 unless delegated */
static void no_world_writable (char const *path, unsigned int *n)
{
  DIR *d = opendir(path);
  struct dirent *de;
  ck_assert_msg(d, "open %s: %s", path, strerror(errno));
  while ((de = readdir(d)))
  {
    char fn[PATH_MAX];
    struct stat st;
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    snprintf(fn, sizeof fn, "%s/%s", path, de->d_name);
    ck_assert_int_eq(lstat(fn, &st), 0);
    (*n)++;
    if (S_ISLNK(st.st_mode)) continue;
    ck_assert_msg(!(st.st_mode & S_IWOTH), "%s is world-writable (mode %o)", fn, st.st_mode & 07777);
    if (S_ISFIFO(st.st_mode)) ck_assert_msg((st.st_mode & 07777) == 0600, "FIFO %s has mode %o", fn, st.st_mode & 07777);
    if (S_ISDIR(st.st_mode)) no_world_writable(fn, n);
  }
  closedir(d);
}

static mode_t mode_of (char const *path)
{
  struct stat st;
  ck_assert_msg(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
  return st.st_mode & 07777;
}


 /* a FIFO in dir */
static int has_fifo (void *arg)
{
  DIR *d = opendir((char const *)arg);
  struct dirent *de;
  int r = 0;
  if (!d) return 0;
  while ((de = readdir(d))) if (!strncmp(de->d_name, "ftrig-", 6)) r = 1;
  closedir(d);
  return r;
}

 /* modes, with umask 0: private directories, 0600 FIFOs, nothing world-writable */
START_TEST(modes)
{
  pid_t sup, client;
  unsigned int n = 0;
  int r;
  t_sleeper("m", "m");
  t_mkdir("m/log");
  t_write_exec("m/log/run", "#!/bin/sh\nexec cat >/dev/null\n");
  umask(0);
  sup = t_supervise("m", "sup.log", "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)"m", 10000) && t_wait_until(&state_up, (void *)"m/log", 10000));
   /* with a client waiting, whose FIFO is in event/: supervise stopped, the wait lasts */
  {
    char const *argv[] = { t_prog("svctl"), "-w", "5", "-d", "./m", 0 };
    kill(sup, SIGSTOP);
    client = t_spawn(argv);
    ck_assert_msg(t_wait_until(&has_fifo, (void *)"m/event", 3000), "svctl made no FIFO in event/");
  }
  ck_assert_int_eq(mode_of("m/supervise"), 0700);
  ck_assert_int_eq(mode_of("m/log/supervise"), 0700);
  ck_assert_int_eq(mode_of("m/event"), 0700);
  ck_assert_int_eq(mode_of("m/log/event"), 0700);
  ck_assert_int_eq(mode_of("m/supervise/control"), 0600);
  ck_assert_int_eq(mode_of("m/supervise/ok"), 0600);
  ck_assert_int_eq(mode_of("m/supervise/lock"), 0600);
  ck_assert_int_eq(mode_of("m/supervise/status"), 0644);
  ck_assert_int_eq(mode_of("m/supervise/state"), 0644);
  no_world_writable("m/supervise", &n);
  no_world_writable("m/event", &n);
  no_world_writable("m/log/supervise", &n);
  no_world_writable("m/log/event", &n);
  ck_assert_uint_ge(n, 15);
  kill(sup, SIGCONT);
  ck_assert(t_wait_exit(client, 5000, &r));
  ck_assert_msg(WIFEXITED(r) && !WEXITSTATUS(r), "svctl -w 5 -d: status %d", r);
}
END_TEST

 /* svctl ARGS as uid:gid with the groups given; the service's state must not change */
static void denied (gid_t const *groups, size_t ngroups, char const *const *args, char const *what)
{
  char const *service = args[0];
  char const *argv[10];
  char *out = 0;
  unsigned int n = 0;
  int r;
  argv[n++] = t_prog("svctl");
  while (*args && n < 9) service = *args, argv[n++] = *args++;
  argv[n] = 0;
  r = run_as(NOBODY, NOBODY, groups, ngroups, argv, &out, 10000);
  ck_assert_msg(r >= 1 && r < 100, "%s as nobody: exit %d: %s", what, r, out);
  ck_assert_msg(out && (!strncmp(out, "fail: ", 6) || !strncmp(out, "warning: ", 9) || (!strncmp(out, "{\"name\":", 8) && strstr(out, "\"error\":"))) && strstr(out, service),
    "%s as nobody: not a fail: or warning: line (or a JSON error) naming the service: %s", what, out);
  ck_assert_msg(strcasestr(out, "permission denied"), "%s as nobody: no reason: %s", what, out);
  free(out);
}

 /* another user can neither control root's service nor read its private state */
START_TEST(nonroot_denied)
{
  pid_t sup;
  long p1;
  char const *up[] = { "-u", t_path("p"), 0 };
  char const *down[] = { "-d", t_path("p"), 0 };
  char const *downw[] = { "-w", "2", "-d", t_path("p"), 0 };
  char const *kill9[] = { "kill", t_path("p"), 0 };
  char const *status[] = { "status", t_path("p"), 0 };
  char const *json[] = { "status", "--json", t_path("p"), 0 };
  char const *check[] = { "-w", "0", "check", t_path("p"), 0 };
  t_public();
  t_sleeper("p", "p");
  sup = t_supervise("p", "sup.log", "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)"p", 10000) && t_wait_until(&t_has_file, (void *)"p.started", 3000));
  p1 = t_read_long("p.started");
  denied(0, 0, down, "svctl -d");
  denied(0, 0, downw, "svctl -w 2 -d");
  denied(0, 0, kill9, "svctl kill");
  denied(0, 0, up, "svctl -u");
  denied(0, 0, status, "svctl status");
  denied(0, 0, json, "svctl status --json");
  denied(0, 0, check, "svctl check");
   /* nothing was applied, and the private files stay private */
  ck_assert(t_alive(sup) && t_alive((pid_t)p1));
  ck_assert(t_wait_until(&state_up, (void *)"p", 100));
  {
    char const *argv[] = { "/bin/sh", "-c", "cat p/supervise/state || ls p/supervise || ls p/event || echo x >p/supervise/control", 0 };
    char *out = 0;
    int r = run_as(NOBODY, NOBODY, 0, 0, argv, &out, 5000);
    ck_assert_msg(r != 0 && !strstr(out, "state="), "nobody read supervise/: %d %s", r, out);
    free(out);
  }
}
END_TEST

 /* the delegation documented in supervise.8 and README, word for word */
static void delegate (char const *dir, gid_t gid)
{
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd,
    "cd '%s' && chgrp %u supervise supervise/control supervise/ok supervise/lock event"
    " && chmod g+rx supervise && chmod g+w supervise/control supervise/ok"
    " && chmod g+r supervise/lock && chmod g+rwx,+t event", dir, (unsigned int)gid);
  ck_assert_int_eq(t_sh(cmd, 0, 0, 5000), 0);
}

static void delegated (char const *dir, gid_t gid)
{
  static char const *const files[] = { "supervise", "supervise/control", "supervise/ok", "supervise/lock", "event", 0 };
  unsigned int i;
  for (i = 0; files[i]; i++)
  {
    char fn[PATH_MAX];
    struct stat st;
    snprintf(fn, sizeof fn, "%s/%s", dir, files[i]);
    ck_assert_int_eq(stat(fn, &st), 0);
    ck_assert_msg(st.st_gid == gid, "%s: group %u, not %u", fn, (unsigned int)st.st_gid, (unsigned int)gid);
    ck_assert_msg(!(st.st_mode & S_IWOTH), "%s world-writable", fn);
  }
  ck_assert_int_eq(mode_of("d/supervise"), 0750);
  ck_assert_int_eq(mode_of("d/supervise/control"), 0620);
  ck_assert_int_eq(mode_of("d/event"), 01770);
}

static void member_controls (void)
{
  gid_t g = T_GID;
  char const *down[] = { t_prog("svctl"), "-w", "5", "-d", t_path("d"), 0 };
  char const *up[] = { t_prog("svctl"), "-w", "5", "-u", t_path("d"), 0 };
  char const *status[] = { t_prog("svctl"), "status", t_path("d"), 0 };
  char *out = 0;
  int r;
  r = run_as(NOBODY, NOBODY, &g, 1, down, &out, 10000);
  ck_assert_msg(r == 0 && !strncmp(out, "ok: down: ", 10), "member: svctl -w 5 -d: exit %d: %s", r, out);
  free(out);
  ck_assert(t_wait_until(&state_down, (void *)"d", 1000));
  r = run_as(NOBODY, NOBODY, &g, 1, up, &out, 10000);
  ck_assert_msg(r == 0 && !strncmp(out, "ok: run: ", 9), "member: svctl -w 5 -u: exit %d: %s", r, out);
  free(out);
  r = run_as(NOBODY, NOBODY, &g, 1, status, &out, 10000);
  ck_assert_msg(r == 0 && !strncmp(out, "run: ", 5), "member: svctl status: exit %d: %s", r, out);
  free(out);
}

 /* control delegated to a group: members control and read, others do not, and a new
    supervise keeps the delegation */
START_TEST(group_delegation)
{
  char const *down[] = { "-d", t_path("d"), 0 };
  char const *status[] = { "status", t_path("d"), 0 };
  gid_t other = T_GID + 1;
  pid_t sup;
  int w;
  t_public();
  t_sleeper("d", "d");
  sup = t_supervise("d", "sup.log", "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)"d", 10000));
  delegate("d", T_GID);
  delegated("d", T_GID);
  member_controls();
  denied(0, 0, down, "svctl -d (no group)");
  denied(&other, 1, status, "svctl status (another group)");
   /* supervise exits and a new one starts: the delegation stays */
  ck_assert_int_eq(control_send("d/supervise", "x", 1), 1);
  ck_assert(t_wait_exit(sup, 5000, &w));
  sup = t_supervise("d", "sup.log", "sup.log");
  ck_assert(t_wait_until(&state_up, (void *)"d", 10000));
  delegated("d", T_GID);
  member_controls();
  denied(0, 0, down, "svctl -d (no group), after a restart");
  ck_assert(t_alive(sup));
}
END_TEST

 /* links planted in supervise/ before supervise starts and while it runs: the files
    they point to are never written */
START_TEST(planted_links)
{
  static char const *const tmps[] = { "status.new", "state.new", "stat.new", "pid.new", 0 };
  unsigned int i, round;
  pid_t sup;
  char *s;
  t_write("outside", "untouched\n");
  t_sleeper("l", "l");
  t_mkdir("l/supervise");
  chmod("l/supervise", 0700);
  for (round = 0; round < 2; round++)
  {
    for (i = 0; tmps[i]; i++)
    {
      char fn[PATH_MAX];
      snprintf(fn, sizeof fn, "l/supervise/%s", tmps[i]);
      unlink(fn);
      ck_assert_int_eq(symlink(t_path("outside"), fn), 0);
    }
    if (!round)
    {
      sup = t_supervise("l", "sup.log", "sup.log");
      ck_assert(t_wait_until(&state_up, (void *)"l", 10000));
    }
    else
    {
      char const *argv[] = { t_prog("svctl"), "-w", "5", "-d", "./l", 0 };
      ck_assert_int_eq(t_run(argv, 0, 0, 10000), 0);
      ck_assert(t_wait_until(&state_down, (void *)"l", 1000));
    }
    s = t_read("outside");
    ck_assert_msg(!strcmp(s, "untouched\n"), "round %u: a planted link was followed: outside now holds %s", round, s);
    free(s);
    for (i = 0; i < 4; i++)
    {
      static char const *const files[] = { "status", "state", "stat", "pid" };
      char fn[PATH_MAX];
      struct stat st;
      snprintf(fn, sizeof fn, "l/supervise/%s", files[i]);
      ck_assert_int_eq(lstat(fn, &st), 0);
      ck_assert_msg(S_ISREG(st.st_mode), "%s is not a regular file", fn);
    }
  }
  ck_assert(t_alive(sup));
}
END_TEST

 /* a link planted as supervise/lock, supervise/control or supervise/ok: supervise does
    not start through it (and says why), and the file it points to is untouched */
START_TEST(planted_fifo_links)
{
  static char const *const names[] = { "lock", "control", "ok", 0 };
  unsigned int i;
  for (i = 0; names[i]; i++)
  {
    char dir[32], fn[64];
    char const *argv[] = { t_prog("supervise"), dir, 0 };
    char *err = 0, *s;
    struct stat st;
    int r;
    snprintf(dir, sizeof dir, "f%u", i);
    t_sleeper(dir, dir);
    snprintf(fn, sizeof fn, "%s/supervise", dir);
    t_mkdir(fn);
    chmod(fn, 0700);
    if (i)
    {
       /* the ones before it are real, so that supervise gets that far */
      snprintf(fn, sizeof fn, "%s/supervise/lock", dir);
      t_write(fn, "");
    }
    if (i == 2)
    {
      snprintf(fn, sizeof fn, "%s/supervise/control", dir);
      ck_assert_int_eq(mkfifo(fn, 0600), 0);
    }
    t_write("outside", "untouched\n");
    snprintf(fn, sizeof fn, "%s/supervise/%s", dir, names[i]);
    ck_assert_int_eq(symlink(t_path("outside"), fn), 0);
    r = t_run(argv, 0, &err, 3000);
    ck_assert_msg(r == 111 && strstr(err, "supervise: fatal: ") && strstr(err, names[i]), "a link as supervise/%s: exit %d: %s", names[i], r, err);
    free(err);
    s = t_read("outside");
    ck_assert_msg(!strcmp(s, "untouched\n"), "supervise/%s: the link was followed", names[i]);
    free(s);
    ck_assert_int_eq(lstat(t_path("outside"), &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert_msg(access(t_started(dir), F_OK) == -1, "run started through a planted supervise/%s", names[i]);
  }
}
END_TEST


static void add (Suite *s, char const *name, TTest const *f)
{
  tcase_add_test(t_tcase(s, name, 30), f);
}

Suite *perms_suite (void)
{
  Suite *s = suite_create("perms");
  add(s, "modes", modes);
  add(s, "planted_links", planted_links);
  add(s, "planted_fifo_links", planted_fifo_links);
  if (geteuid() == 0)
  {
    add(s, "nonroot_denied", nonroot_denied);
    add(s, "group_delegation", group_delegation);
  }
  else
  {
    fprintf(stderr, "skip: nonroot_denied: needs root\n");
    fprintf(stderr, "skip: group_delegation: needs root\n");
  }
  return s;
}
