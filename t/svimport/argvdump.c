/* SPDX-License-Identifier: ISC */
/* t/svimport/argvdump.c: the recording stand-in for a converted command. Writes, in
   $REC_DIR, GROUP:NAME.argv (its argv, each NUL-terminated), .env (its environment,
   sorted, each NUL-terminated) and .info (uid, gid, groups, umask, cwd), then exits 0,
   or with $REC_EXIT, or sleeps with $REC_SLEEP (recording the signals it gets in .sig). */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>

extern char **environ;

static char path[4096];
static char const *base;

static char const *file (char const *ext)
{
  snprintf(path, sizeof path, "%s.%s", base, ext);
  return path;
}

static void put (char const *ext, char **v, int n)
{
  FILE *f = fopen(file(ext), "w");
  int i;
  if (!f) _exit(111);
  for (i = 0; i < n; i++) { fputs(v[i], f); fputc(0, f); }
  fclose(f);
}

static int cmp (void const *a, void const *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void onsig (int s)
{
  char b[16];
  int fd = open(file("sig"), O_WRONLY | O_APPEND | O_CREAT, 0644);
  int n = snprintf(b, sizeof b, "%d\n", s);
  if (fd >= 0) { if (write(fd, b, n) < 0) {} close(fd); }
  if (getenv("REC_EXIT_ON_SIGNAL")) _exit(0);
}

int main (int argc, char **argv)
{
  char const *dir = getenv("REC_DIR");
  char const *g = getenv("SUPERVISOR_GROUP_NAME"), *p = getenv("SUPERVISOR_PROCESS_NAME");
  static char b0[4096];
  int n = 0, i;
  char **env;
  FILE *f;
  if (!dir) return 111;
  snprintf(b0, sizeof b0, "%s/%s:%s", dir, g ? g : "", p ? p : "");
  base = b0;
  for (env = environ; *env; env++) n++;
  env = malloc((n + 1) * sizeof *env);
  memcpy(env, environ, n * sizeof *env);
  qsort(env, n, sizeof *env, &cmp);
  put("env", env, n);
  f = fopen(file("info"), "w");
  if (!f) return 111;
  {
    gid_t gs[256];
    int ng = getgroups(256, gs);
    mode_t m = umask(0);
    char cwd[4096];
    fprintf(f, "uid=%u\ngid=%u\ngroups=", (unsigned)getuid(), (unsigned)getgid());
    for (i = 0; i < ng; i++) fprintf(f, "%s%u", i ? "," : "", (unsigned)gs[i]);
    fprintf(f, "\numask=%03o\ncwd=%s\npid=%d\n", (unsigned)m, getcwd(cwd, sizeof cwd) ? cwd : "?", (int)getpid());
  }
  fclose(f);
  put("argv", argv, argc);  /* last: a waiter may take .argv as "all recorded" */
  if (getenv("REC_SLEEP"))
  {
    for (i = 1; i < 32; i++) if (i != SIGKILL && i != SIGSTOP && i != SIGCHLD) signal(i, &onsig);
    for (;;) pause();
  }
  return getenv("REC_EXIT") ? atoi(getenv("REC_EXIT")) : 0;
}
