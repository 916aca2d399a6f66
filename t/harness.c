/* SPDX-License-Identifier: ISC */
/* t/harness.c: see harness.h */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>

#include "control.h"
#include "svstatus.h"
#include "harness.h"

static char tmpdir[256];

char const *t_bin (void)
{
  char const *s = getenv("T_BIN");
  return s ? s : "./bin/";
}

char const *t_top (void)
{
  char const *s = getenv("T_TOP");
  return s ? s : ".";
}

char const *t_dir (void)
{
  return tmpdir;
}

char const *t_prog (char const *prog)
{
  static char buf[4][PATH_MAX];
  static unsigned int i = 0;
  char *b = buf[i++ & 3];
  snprintf(b, PATH_MAX, "%s%s", T_BIN, prog);
  return b;
}

char const *t_path (char const *file)
{
  static char buf[8][PATH_MAX];
  static unsigned int i = 0;
  char *b = buf[i++ & 7];
  snprintf(b, PATH_MAX, "%s/%s", t_dir(), file);
  return b;
}

unsigned long long t_now_ms (void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000ULL;
}

void t_setup (void)
{
  char const *base = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/svtree-t.XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(tmpdir)) { perror("t_setup: mkdtemp"); abort(); }
  if (chdir(tmpdir) == -1) { perror("t_setup: chdir"); abort(); }
}

TCase *t_tcase (Suite *s, char const *name, unsigned int timeout)
{
  TCase *tc = tcase_create(name);
  tcase_add_unchecked_fixture(tc, &t_setup, &t_teardown);
  tcase_set_timeout(tc, timeout);
  suite_add_tcase(s, tc);
  return tc;
}

/* the pids of our direct children, from /proc/self/task/TID/children */
static size_t children (pid_t *v, size_t max)
{
  char path[64];
  size_t n = 0;
  FILE *f;
  snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
  f = fopen(path, "r");
  if (!f) return 0;
  while (n < max)
  {
    long p;
    if (fscanf(f, "%ld", &p) != 1) break;
    v[n++] = (pid_t)p;
  }
  fclose(f);
  return n;
}

void t_killall (void)
{
  pid_t v[4096];
  int rounds = 0;
  for (;;)
  {
    size_t n = children(v, 4096), i;
    if (!n) break;
    /* stop everything first so that no supervisor can respawn what we kill */
    for (i = 0; i < n; i++)
    {
      pid_t g = getpgid(v[i]);
      kill(v[i], SIGSTOP);
      if (g > 1 && g != getpgrp()) kill(-g, SIGKILL);
    }
    for (i = 0; i < n; i++) kill(v[i], SIGKILL);
    for (i = 0; i < n; i++) waitpid(v[i], 0, 0);
    while (waitpid(-1, 0, WNOHANG) > 0) ;
    if (++rounds > 1000) break;
  }
}

void t_teardown (void)
{
  t_killall();
  if (tmpdir[0])
  {
    if (chdir("/") == 0) rm_rf(tmpdir);
    tmpdir[0] = 0;
  }
}

static void write_file (char const *path, char const *content, mode_t mode)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  size_t len = strlen(content);
  ck_assert_msg(fd >= 0, "unable to create %s: %s", path, strerror(errno));
  ck_assert_msg(write(fd, content, len) == (ssize_t)len, "unable to write %s", path);
  fchmod(fd, mode);
  close(fd);
}

void t_write (char const *path, char const *content)
{
  write_file(path, content, 0644);
}

void t_write_exec (char const *path, char const *content)
{
  write_file(path, content, 0755);
}

void t_mkdir (char const *path)
{
  char buf[4096];
  size_t i, len = strlen(path);
  ck_assert(len < sizeof buf);
  memcpy(buf, path, len + 1);
  for (i = 1; i <= len; i++)
    if (buf[i] == '/' || !buf[i])
    {
      char c = buf[i];
      buf[i] = 0;
      if (mkdir(buf, 0755) == -1 && errno != EEXIST)
        ck_abort_msg("unable to mkdir %s: %s", buf, strerror(errno));
      buf[i] = c;
    }
}

char *t_read (char const *path)
{
  stralloc sa = STRALLOC_ZERO;
  if (!openslurpclose(&sa, path)) return 0;
  if (!stralloc_0(&sa)) return 0;
  return sa.s;
}

int t_has_file (void *path)
{
  return access((char const *)path, F_OK) == 0;
}

long t_read_long (char const *path)
{
  char *s = t_read(path);
  char *p;
  long r = -1;
  if (!s) return -1;
  for (p = s; *p && (*p < '0' || *p > '9'); p++) ;
  if (*p) r = strtol(p, 0, 10);
  free(s);
  return r;
}

int t_file_has (char const *path, char const *needle)
{
  char *s = t_read(path);
  int r = s && strstr(s, needle);
  free(s);
  return r;
}

unsigned int t_file_count (char const *path, char const *needle)
{
  char *s = t_read(path), *p;
  size_t len = strlen(needle);
  unsigned int n = 0;
  if (!s) return 0;
  for (p = s; (p = strstr(p, needle)); p += len) n++;
  free(s);
  return n;
}

struct fileneedle { char const *path, *needle; };

static int file_has (void *arg)
{
  struct fileneedle const *f = arg;
  return t_file_has(f->path, f->needle);
}

int t_wait_file_has (char const *path, char const *needle, unsigned int ms)
{
  struct fileneedle f = { path, needle };
  return t_wait_until(&file_has, &f, ms);
}

char const *t_service (char const *name, char const *script)
{
  char path[4096];
  size_t len = strlen(script);
  char *body = malloc(len + 12);
  ck_assert(body);
  memcpy(body, "#!/bin/sh\n", 10);
  memcpy(body + 10, script, len);
  body[10 + len] = '\n';
  body[11 + len] = 0;
  t_mkdir(name);
  snprintf(path, sizeof path, "%s/run", name);
  t_write_exec(path, body);
  free(body);
  return name;
}

void t_sleeper (char const *path, char const *tag)
{
  char s[PATH_MAX + 64];
  snprintf(s, sizeof s, "echo $$ >>'%s/%s.started'\nexec sleep 1000", t_dir(), tag);
  t_service(path, s);
}

char const *t_started (char const *tag)
{
  static char buf[4][PATH_MAX];
  static unsigned int i = 0;
  char *b = buf[i++ & 3];
  snprintf(b, PATH_MAX, "%s/%s.started", t_dir(), tag);
  return b;
}

/* $T_WRAP (e.g. "valgrind -q --error-exitcode=99"): words put before every program of
   $T_BIN that the harness starts. Only in the child: exec, or return on failure. */
static void wrap_exec (char const *const *argv)
{
  char const *wrap = getenv("T_WRAP");
  size_t blen = strlen(t_bin());
  if (wrap && *wrap && !strncmp(argv[0], t_bin(), blen))
  {
    char *words = strdup(wrap), *w;
    char const *v[64];
    size_t n = 0, i;
    for (w = strtok(words, " "); w && n < 32; w = strtok(0, " ")) v[n++] = w;
    for (i = 0; argv[i] && n < 63; i++) v[n++] = argv[i];
    v[n] = 0;
    execvp(v[0], (char *const *)v);
    return;
  }
  execv(argv[0], (char *const *)argv);
}

static pid_t spawn_fds (char const *const *argv, int fd0, int fd1, int fd2)
{
  pid_t pid = fork();
  ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
  if (!pid)
  {
    sigset_t set;
    int sig;
     /* a test run as a background job inherits SIGINT and SIGQUIT ignored: the
        programs under test must start as from a terminal, with every default */
    for (sig = 1; sig < NSIG; sig++)
      if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, 0);
    if (fd0 >= 0) dup2(fd0, 0);
    if (fd1 >= 0) dup2(fd1, 1);
    if (fd2 >= 0) dup2(fd2, 2);
    wrap_exec(argv);
    fprintf(stderr, "t_spawn: exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  return pid;
}

static int open_out (char const *path)
{
  int fd;
  if (!path) return -1;
  fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ck_assert_msg(fd >= 0, "unable to open %s: %s", path, strerror(errno));
  return fd;
}

pid_t t_spawn_io (char const *const *argv, char const *out, char const *err)
{
  int fd1 = open_out(out), fd2 = open_out(err);
  pid_t pid = spawn_fds(argv, -1, fd1, fd2);
  if (fd1 >= 0) close(fd1);
  if (fd2 >= 0) close(fd2);
  return pid;
}

pid_t t_spawn_in (char const *const *argv, int fd0, char const *out, char const *err)
{
  int fd1 = open_out(out), fd2 = open_out(err);
  pid_t pid = spawn_fds(argv, fd0, fd1, fd2);
  if (fd1 >= 0) close(fd1);
  if (fd2 >= 0) close(fd2);
  return pid;
}

pid_t t_spawn (char const *const *argv)
{
  return spawn_fds(argv, -1, -1, -1);
}

int t_alive (pid_t pid)
{
  char path[64];
  char *s, *p;
  int r;
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  s = t_read(path);
  if (!s) return 0;
  p = strrchr(s, ')');
  r = p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
  free(s);
  return r;
}

pid_t t_supervise (char const *dir, char const *out, char const *err)
{
  char const *argv[] = { t_prog("supervise"), dir, 0 };
  return t_spawn_io(argv, out, err);
}

pid_t t_sup_start (char const *service)
{
  char out[256], err[256];
  snprintf(out, sizeof out, "%s.out", service);
  snprintf(err, sizeof err, "%s.err", service);
  return t_supervise(service, out, err);
}

pid_t t_svscan (char const *log, char const *const *opts, char const *dir)
{
  char const *argv[8];
  unsigned int n = 0;
  argv[n++] = t_prog("svscan");
  while (opts && *opts && n < 6) argv[n++] = *opts++;
  argv[n++] = dir;
  argv[n] = 0;
  return t_spawn_io(argv, log, log);
}

static int has_init (void *arg)
{
  struct t_ns *ns = arg;
  char fn[64];
  long p;
  snprintf(fn, sizeof fn, "/proc/%d/task/%d/children", (int)ns->unshare, (int)ns->unshare);
  p = t_read_long(fn);
  if (p <= 0) return 0;
  ns->init = (pid_t)p;
  return 1;
}

struct t_ns t_ns_start (char const *log, char const *const *opts, char const *dir)
{
  struct t_ns ns = { 0, 0 };
  char const *argv[12];
  unsigned int n = 0;
  argv[n++] = "/usr/bin/unshare";
  argv[n++] = "--pid";
  argv[n++] = "--fork";
  argv[n++] = "--mount-proc";
  argv[n++] = t_prog("svscan");
  while (opts && *opts && n < 10) argv[n++] = *opts++;
  argv[n++] = dir;
  argv[n] = 0;
  ns.unshare = t_spawn_io(argv, log, log);
  ck_assert_msg(t_wait_until(&has_init, &ns, 5000), "unshare started no child");
  return ns;
}

int t_ns_wait (struct t_ns const *ns, unsigned int ms)
{
  return t_wait_code(ns->unshare, ms);
}

void t_ns_kill (struct t_ns const *ns)
{
  if (ns->init > 0) kill(ns->init, SIGKILL);
  if (ns->unshare > 0 && !t_wait_exit(ns->unshare, 2000, 0)) kill(ns->unshare, SIGKILL);
}

void t_control (char const *service, char const *cmd)
{
  char sdir[256];
  snprintf(sdir, sizeof sdir, "%s/supervise", service);
  ck_assert_msg(control_send(sdir, cmd, strlen(cmd)) == 1, "control %s: %s: %s", sdir, cmd, strerror(errno));
}

void t_sup_exit (char const *service, pid_t sup)
{
  int w;
  t_control(service, "x");
  ck_assert_msg(t_wait_exit(sup, 5000, &w), "%s: supervise still running 5 s after x", service);
  ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 0, "%s: supervise wstat %d after x", service, w);
}

int t_gone (void *pid)
{
  return !t_alive(*(pid_t const *)pid);
}

int t_wait_exit (pid_t pid, unsigned int ms, int *wstat)
{
  unsigned long long deadline = t_now_ms() + ms;
  for (;;)
  {
    int w;
    pid_t r = waitpid(pid, &w, WNOHANG);
    if (r == pid) { if (wstat) *wstat = w; return 1; }
    if (r == -1 && errno != EINTR) return 0;
    if (t_now_ms() >= deadline) return 0;
    {
      struct timespec ts = { 0, 2000000 };
      nanosleep(&ts, 0);
    }
  }
}

int t_wait_code (pid_t pid, unsigned int ms)
{
  int w;
  if (!t_wait_exit(pid, ms, &w)) return -1;
  return WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
}

int t_wait_until (int (*pred) (void *), void *arg, unsigned int ms)
{
  unsigned long long deadline = t_now_ms() + ms;
  for (;;)
  {
    if ((*pred)(arg)) return 1;
    if (t_now_ms() >= deadline) return 0;
    {
      struct timespec ts = { 0, 5000000 };
      nanosleep(&ts, 0);
    }
  }
}

/* read a whole fd into a malloc'd string */
static char *slurp_fd (int fd)
{
  stralloc sa = STRALLOC_ZERO;
  lseek(fd, 0, SEEK_SET);
  if (!slurp(&sa, fd) || !stralloc_0(&sa)) return 0;
  return sa.s;
}

static int tmpfile_fd (void)
{
  char name[] = "/tmp/svtree-out.XXXXXX";
  int fd = mkstemp(name);
  ck_assert_msg(fd >= 0, "mkstemp: %s", strerror(errno));
  unlink(name);
  return fd;
}

int t_run (char const *const *argv, char **out, char **err, unsigned int ms)
{
  int fo = tmpfile_fd(), fe = tmpfile_fd(), w, r;
  pid_t pid = spawn_fds(argv, -1, fo, fe);
  if (t_wait_exit(pid, ms, &w))
    r = WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
  else
  {
    kill(pid, SIGKILL);
    waitpid(pid, 0, 0);
    r = -1;
  }
  if (out) *out = slurp_fd(fo);
  if (err) *err = slurp_fd(fe);
  close(fo);
  close(fe);
  return r;
}

int t_sh (char const *cmd, char **out, char **err, unsigned int ms)
{
  char const *argv[] = { "/bin/sh", "-c", cmd, 0 };
  return t_run(argv, out, err, ms);
}

char *t_state_key (char const *service, char const *key)
{
  char path[4096];
  char *s, *p;
  size_t klen = strlen(key);
  snprintf(path, sizeof path, "%s/supervise/state", service);
  s = t_read(path);
  if (!s) return 0;
  for (p = s; *p; )
  {
    char *nl = strchr(p, '\n');
    if (!strncmp(p, key, klen) && p[klen] == '=')
    {
      size_t vlen = nl ? (size_t)(nl - p) - klen - 1 : strlen(p + klen + 1);
      char *v = malloc(vlen + 1);
      memcpy(v, p + klen + 1, vlen);
      v[vlen] = 0;
      free(s);
      return v;
    }
    if (!nl) break;
    p = nl + 1;
  }
  free(s);
  return 0;
}

struct statekv { char const *service, *key, *value; };

static int state_is (void *arg)
{
  struct statekv const *kv = arg;
  char *v = t_state_key(kv->service, kv->key);
  int r = v && !strcmp(v, kv->value);
  free(v);
  return r;
}

int t_wait_state (char const *service, char const *key, char const *value, unsigned int ms)
{
  struct statekv kv = { service, key, value };
  return t_wait_until(&state_is, &kv, ms);
}

long t_key_long (char const *service, char const *key)
{
  char *v = t_state_key(service, key);
  long r;
  ck_assert_msg(v != 0, "%s/supervise/state: no %s", service, key);
  r = strtol(v, 0, 10);
  free(v);
  return r;
}

int t_read_status (char const *service, svstatus *st)
{
  char sdir[4096];
  snprintf(sdir, sizeof sdir, "%s/supervise", service);
  return svstatus_read(sdir, st);
}
