/* SPDX-License-Identifier: ISC */
/* t/integ/glance.c: `svctl status` on a terminal, in columns, coloured unless NO_COLOR;
   sv's lines when stdout is not a terminal; --json unchanged */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "harness.h"
#include "suites.h"

/* run argv on a pseudo-terminal with SVDIR and NO_COLOR (0: unset) set; its output, \r\n
   turned into \n, malloc'd; the exit code in *code */
static char *pty_run (char const *const *argv, char const *svdir, char const *nocolor, int *code)
{
  size_t len = 0, cap = 4096, i, j;
  char *buf = malloc(cap);
  unsigned long long deadline = t_now_ms() + 10000;
  int fd, w;
  pid_t pid;
  ck_assert(buf);
  pid = forkpty(&fd, 0, 0, 0);
  ck_assert_msg(pid >= 0, "forkpty: %s", strerror(errno));
  if (!pid)
  {
    sigset_t set;
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, 0);
    setenv("SVDIR", svdir, 1);
    setenv("TERM", "xterm", 1);
    if (nocolor) setenv("NO_COLOR", nocolor, 1);
    else unsetenv("NO_COLOR");
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  for (;;)
  {
    struct pollfd p = { fd, POLLIN, 0 };
    ssize_t r;
    int ms = (int)(deadline > t_now_ms() ? deadline - t_now_ms() : 0);
    if (!ms || poll(&p, 1, ms) <= 0) break;
    if (len + 1024 > cap)
    {
      cap *= 2;
      buf = realloc(buf, cap);
      ck_assert(buf);
    }
    r = read(fd, buf + len, cap - len - 1);
    if (r <= 0) break;  /* EIO once the child has exited and closed the terminal */
    len += (size_t)r;
  }
  close(fd);
  ck_assert_msg(t_wait_exit(pid, 5000, &w), "svctl on a pty did not exit");
  *code = WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
  for (i = j = 0; i < len; i++)
    if (!(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')) buf[j++] = buf[i];
  buf[j] = 0;
  return buf;
}

static char const *svctl (void)
{
  static char buf[4096];
  snprintf(buf, sizeof buf, "%ssvctl", T_BIN);
  return buf;
}

/* a scan dir NAME: web (with a logger) up, lazy down (normally down); returns its path */
static char const *tree (char const *name)
{
  static char svdir[4096];
  char sup[4096];
  snprintf(svdir, sizeof svdir, "%s/%s", t_dir(), name);
  snprintf(sup, sizeof sup, "%ssupervise", T_BIN);
  t_mkdir(name);
  ck_assert(chdir(name) == 0);
  t_service("web", "exec sleep 1000");
  t_write("web/min-uptime", "20");
  t_mkdir("web/log");
  t_write("web/log/min-uptime", "20");
  t_write_exec("web/log/run", "#!/bin/sh\nexec cat >/dev/null\n");
  t_service("lazy", "exec sleep 1000");
  t_write("lazy/down", "");
  t_spawn_io((char const *[]){ sup, "web", 0 }, "web.err", "web.err");
  t_spawn_io((char const *[]){ sup, "lazy", 0 }, "lazy.err", "lazy.err");
  ck_assert_msg(t_wait_state("web", "ready", "1", 5000), "web not ready");
  ck_assert_msg(t_wait_state("web/log", "state", "up", 5000), "web/log not up");
  ck_assert_msg(t_wait_state("lazy", "state", "down", 5000), "lazy not supervised");
  ck_assert(chdir(t_dir()) == 0);
  return svdir;
}

/* the column where word starts in line, or -1 */
static int col (char const *line, char const *word)
{
  char const *p = strstr(line, word);
  return p ? (int)(p - line) : -1;
}

static char *line_of (char *text, char const *start)
{
  char *p = text;
  size_t n = strlen(start);
  while (p && *p)
  {
    if (!strncmp(p, start, n)) return p;
    p = strchr(p, '\n');
    if (p) p++;
  }
  return 0;
}

START_TEST(columns)
{
  int code, c[7];
  unsigned int i;
  char const *heads[7] = { "NAME", "STATE", "PID", "UPTIME", "READY", "RESTARTS", "LAST-EXIT" };
  char *out, *web, *log, *lazy, *nl;
  char const *svdir = tree("columns");
  out = pty_run((char const *[]){ svctl(), "status", 0 }, svdir, "1", &code);
  ck_assert_msg(code == 0, "svctl status on a pty: exit %d:\n%s", code, out);
  ck_assert_msg(!strchr(out, '\033'), "NO_COLOR=1 but escape sequences:\n%s", out);
  for (i = 0; i < 7; i++)
  {
    c[i] = col(out, heads[i]);
    ck_assert_msg(c[i] >= 0 && (!i || c[i] > c[i - 1]), "header: no %s in order:\n%s", heads[i], out);
  }
  ck_assert_msg(c[0] == 0, "header does not start with NAME:\n%s", out);
  lazy = line_of(out, "lazy ");
  web = line_of(out, "web ");
  log = line_of(out, "web/log ");
  ck_assert_msg(lazy && web && log, "rows lazy, web, web/log missing:\n%s", out);
  ck_assert_msg(lazy < web && web < log, "rows not sorted, log after its service:\n%s", out);
  for (nl = out; (nl = strchr(nl, '\n')); nl++) *nl = 0;
  /* every cell starts under its heading */
  ck_assert_msg(col(web, "up") == c[1] && col(log, "up") == c[1] && col(lazy, "down") == c[1], "STATE not aligned:\n%s\n%s\n%s\n%s", out, lazy, web, log);
  ck_assert_msg(web[c[2]] >= '1' && web[c[2]] <= '9' && web[c[2] - 1] == ' ', "PID not under its heading: [%s]", web);
  ck_assert_msg(lazy[c[2]] == '-', "a down service's PID is not -: [%s]", lazy);
  ck_assert_msg(web[c[3]] >= '0' && web[c[3]] <= '9' && web[c[3] - 1] == ' ', "UPTIME not under its heading: [%s]", web);
  ck_assert_msg(col(web, "yes") == c[4] && col(log, "yes") == c[4], "READY not yes under its heading: [%s] [%s]", web, log);
  ck_assert_msg(web[c[5]] == '0' && lazy[c[5]] == '0', "RESTARTS not 0 under its heading: [%s] [%s]", web, lazy);
  ck_assert_msg(web[c[6]] == '-' && !web[c[6] + 1], "LAST-EXIT not - in the last column: [%s]", web);
  free(out);
}
END_TEST

START_TEST(colours)
{
  int code;
  char *out;
  char const *svdir = tree("colours");
  out = pty_run((char const *[]){ svctl(), "status", 0 }, svdir, 0, &code);
  ck_assert_int_eq(code, 0);
  ck_assert_msg(strstr(out, "\033[32mup\033[0m"), "no green up on a terminal without NO_COLOR:\n%s", out);
  free(out);
  /* NO_COLOR empty counts as unset */
  out = pty_run((char const *[]){ svctl(), "status", 0 }, svdir, "", &code);
  ck_assert_msg(strstr(out, "\033[32m"), "NO_COLOR= (empty) turned colours off:\n%s", out);
  free(out);
  out = pty_run((char const *[]){ svctl(), "status", 0 }, svdir, "yes", &code);
  ck_assert_msg(!strchr(out, '\033'), "NO_COLOR=yes but escape sequences:\n%s", out);
  free(out);
}
END_TEST

/* not a terminal: sv's lines, exactly as SPEC 6 says; JSON stays JSON on a terminal */
START_TEST(scripts)
{
  char cmd[8192], *out = 0, *p;
  int code;
  char const *svdir = tree("scripts");
  snprintf(cmd, sizeof cmd, "SVDIR='%s' exec '%s' status", svdir, svctl());
  ck_assert_int_eq(t_sh(cmd, &out, 0, 10000), 0);
  ck_assert_msg(!strncmp(out, "down: lazy: ", 12), "first line is not lazy's sv line:\n%s", out);
  p = strchr(out, '\n');
  ck_assert_msg(p && !strncmp(p + 1, "run: web: (pid ", 15) && strstr(p, ", ready; run: log: (pid "), "second line is not web's sv line:\n%s", out);
  ck_assert_msg(!strstr(out, "NAME") && !strchr(out, '\033'), "columns or colours on a pipe:\n%s", out);
  free(out);
  out = pty_run((char const *[]){ svctl(), "status", "--json", 0 }, svdir, 0, &code);
  ck_assert_int_eq(code, 0);
  ck_assert_msg(!strncmp(out, "{\"name\":\"lazy\",", 15) && !strchr(out, '\033'), "status --json on a terminal is not JSON Lines:\n%s", out);
  free(out);
  /* with SERVICE: sv's line even on a terminal */
  out = pty_run((char const *[]){ svctl(), "status", "web", 0 }, svdir, 0, &code);
  ck_assert_msg(!strncmp(out, "run: web: (pid ", 15), "status web on a terminal:\n%s", out);
  free(out);
}
END_TEST

/* a service whose supervise is gone: a red row, counted in the exit code as sv counts it */
START_TEST(unsupervised)
{
  int code;
  char *out;
  char const *svdir = tree("unsup");
  t_service("unsup/gone", "exec sleep 1000");
  t_mkdir("unsup/gone/supervise");
  out = pty_run((char const *[]){ svctl(), "status", 0 }, svdir, 0, &code);
  ck_assert_msg(code == 1, "exit %d with one unsupervised service:\n%s", code, out);
  ck_assert_msg(strstr(out, "gone     \033[1;31munsupervised\033[0m"), "no red unsupervised row for gone:\n%s", out);
  free(out);
}
END_TEST

Suite *glance_suite (void)
{
  Suite *s = suite_create("glance");
  TCase *tc = tcase_create("table");
  t_fixtures(tc);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, columns);
  tcase_add_test(tc, colours);
  tcase_add_test(tc, scripts);
  tcase_add_test(tc, unsupervised);
  suite_add_tcase(s, tc);
  return s;
}
