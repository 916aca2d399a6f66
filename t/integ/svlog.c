/* SPDX-License-Identifier: ISC */
/* t/integ/svlog.c: the logger (SPEC 8), driven through its stdin, side by side with
   runit's svlogd where that is installed */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>

#include "harness.h"
#include "suites.h"

 /* a logger with a pipe on its stdin; stdout and stderr appended to err */
struct lg
{
  pid_t pid;
  int fd;
};

static struct lg lg_start (char const *const *argv, char const *err)
{
  struct lg l;
  int p[2];
  ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
  l.pid = t_spawn_in(argv, p[0], err, err);
  close(p[0]);
  l.fd = p[1];
  return l;
}

static void lg_write (struct lg *l, char const *s, size_t n)
{
  while (n)
  {
    ssize_t r = write(l->fd, s, n);
    ck_assert_msg(r > 0, "write to the logger: %s", strerror(errno));
    s += r;
    n -= (size_t)r;
  }
}

static void lg_puts (struct lg *l, char const *s)
{
  lg_write(l, s, strlen(s));
}

 /* end of input; the exit code (asserts it exits within 10 s) */
static int lg_end (struct lg *l)
{
  close(l->fd);
  l->fd = -1;
  return t_wait_code(l->pid, 10000);
}

static int lg_run (char const *const *argv, char const *input, size_t n, char const *err)
{
  struct lg l = lg_start(argv, err);
  lg_write(&l, input, n);
  return lg_end(&l);
}

 /* lg_run for a program that may exit before it reads its input: a write that
    finds the pipe closed ends the input; the exit code tells the rest */
static int lg_run_early_exit (char const *const *argv, char const *input, size_t n, char const *err)
{
  struct lg l = lg_start(argv, err);
  void (*old)(int) = signal(SIGPIPE, SIG_IGN);
  while (n)
  {
    ssize_t r = write(l.fd, input, n);
    if (r < 0 && errno == EPIPE) break;
    ck_assert_msg(r > 0, "write to the logger: %s", strerror(errno));
    input += r;
    n -= (size_t)r;
  }
  signal(SIGPIPE, old);
  return lg_end(&l);
}

#define SVLOG(...) ((char const *const[]){ t_prog("svlog"), __VA_ARGS__, 0 })

static int is_archive (char const *s, char suffix)
{
  size_t n = strlen(s);
  return n == 27 && s[0] == '@' && s[25] == '.' && (!suffix || s[26] == suffix);
}

static int cmp (void const *a, void const *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

 /* the archives of dir, sorted (oldest first); returns how many, names malloc'd */
static unsigned int archives (char const *dir, char suffix, char **names, unsigned int max)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  unsigned int n = 0;
  if (!d) return 0;
  while ((de = readdir(d)))
    if (is_archive(de->d_name, suffix) && n < max)
      names[n++] = strdup(de->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, &cmp);
  return n;
}

 /* every archive (.s and .u, oldest first) then current: what the directory holds */
static char *dir_text (char const *dir)
{
  char *names[512], path[512];
  unsigned int n = archives(dir, 0, names, 512), i;
  size_t len = 0;
  char *all = malloc(1);
  for (i = 0; i <= n; i++)
  {
    char *s;
    snprintf(path, sizeof path, "%s/%s", dir, i < n ? names[i] : "current");
    s = t_read(path);
    if (s)
    {
      size_t k = strlen(s);
      all = realloc(all, len + k + 1);
      memcpy(all + len, s, k);
      len += k;
      free(s);
    }
    if (i < n) free(names[i]);
  }
  all[len] = 0;
  return all;
}

 /* s without the first k bytes of every line */
static char *unstamp (char const *s, size_t k)
{
  char *r = malloc(strlen(s) + 1), *d = r;
  while (*s)
  {
    char const *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) + 1 : strlen(s);
    if (n > k) { memcpy(d, s + k, n - k); d += n - k; }
    s += n;
  }
  *d = 0;
  return r;
}

static unsigned int count_lines (char const *s)
{
  unsigned int n = 0;
  for (; *s; s++) if (*s == '\n') n++;
  return n;
}

static char *numbers (unsigned int from, unsigned int to, char const *fmt)
{
  size_t cap = (size_t)(to - from + 1) * (strlen(fmt) + 24) + 1, len = 0;
  char *s = malloc(cap);
  unsigned int i;
  for (i = from; i <= to; i++)
    len += (size_t)snprintf(s + len, cap - len, fmt, i);
  return s;
}

static unsigned int check_sequence (char const *text, unsigned int *missing, unsigned int *dups, unsigned int *broken)
{
  unsigned int last = 0, n = 0, v;
  char const *s = text;
  *missing = *dups = *broken = 0;
  while (*s)
  {
    char const *e = strchr(s, '\n');
    char *q;
    long k = 0;
    if (!strncmp(s, "seq ", 4) && s[4] >= '0' && s[4] <= '9')
    {
      v = (unsigned int)strtoul(s + 4, &q, 10);
      k = q - s;
    }
    if (!k || (s[k] != '\n' && s[k] != ' ') || (s[k] == ' ' && (!e || e[-1] != '.' || e - s != k + 37)))
      (*broken)++;
    else
    {
      if (v <= last) (*dups)++;
      else if (v > last + 1) *missing += v - last - 1;
      if (v > last) last = v;
      n++;
    }
    if (!e) break;
    s = e + 1;
  }
  return last;
}

static int mode_of (char const *path)
{
  struct stat st;
  return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void same_text (char const *a, char const *b)
{
  size_t i = 0;
  while (a[i] && a[i] == b[i]) i++;
  ck_assert_msg(a[i] == b[i], "differ at byte %zu: ours \"%.60s\", theirs \"%.60s\"", i, a + i, b + i);
}

static int has_svlogd (void)
{
  return access("/usr/bin/svlogd", X_OK) == 0;
}


 /* core */

START_TEST(lines_and_last_line)
{
  static char const in[] = "one\ntwo\n\nthree without newline";
  ck_assert_int_eq(lg_run(SVLOG("main"), in, sizeof in - 1, "err"), 0);
  ck_assert_str_eq(t_read("main/current"), "one\ntwo\n\nthree without newline\n");
   /* svlogd's marks: current 0744 after a clean exit, lock 0600 */
  ck_assert_int_eq(mode_of("main/current"), 0744);
  ck_assert_int_eq(mode_of("main/lock"), 0600);
   /* a second run appends to a current that was closed cleanly */
  ck_assert_int_eq(lg_run(SVLOG("main"), "four\n", 5, "err"), 0);
  ck_assert_str_eq(t_read("main/current"), "one\ntwo\n\nthree without newline\nfour\n");
  ck_assert_str_eq(t_read("err"), "");
}
END_TEST

 /* exec svlogd -tt ./main becomes exec svlog -tt ./main: the same files with the
    same lines, stamps aside */
START_TEST(side_by_side_svlogd)
{
  size_t cap = 1 << 20, len = 0;
  char *in = malloc(cap);
  unsigned int i;
  char *a, *b;
  if (!has_svlogd()) { fprintf(stderr, "skip: side_by_side_svlogd: runit's svlogd not installed\n"); return; }
  for (i = 0; i < 3000; i++)
    len += (size_t)snprintf(in + len, cap - len, "line %u %.*s\ttab é\n", i, (int)(i % 300), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  t_mkdir("ours");
  t_mkdir("theirs");
  t_write("ours/config", "pP:\n-line 1*\n+line 17*\n");
  t_write("theirs/config", "pP:\n-line 1*\n+line 17*\n");
  ck_assert_int_eq(lg_run(SVLOG("-tt", "ours"), in, len, "err"), 0);
  ck_assert_int_eq(lg_run(((char const *const[]){ "/usr/bin/svlogd", "-tt", "theirs", 0 }), in, len, "err2"), 0);
  a = dir_text("ours");
  b = dir_text("theirs");
  ck_assert_uint_gt(strlen(a), 100000);
  same_text(unstamp(a, 26), unstamp(b, 26));
  ck_assert(strncmp(a, "20", 2) == 0 && a[10] == '_' && a[25] == ' ');
  ck_assert_int_eq(mode_of("ours/current"), mode_of("theirs/current"));
   /* and -r/-R as svlogd's */
  t_mkdir("r2");
  len = (size_t)(memrchr(in, '\n', 20000) - (void *)in) + 1;
  ck_assert_int_eq(lg_run(SVLOG("-r", "?", "-R", "ab", "r1"), in, len, "err"), 0);
  ck_assert_int_eq(lg_run(((char const *const[]){ "/usr/bin/svlogd", "-r", "?", "-R", "ab", "r2", 0 }), in, len, "err2"), 0);
  ck_assert(strchr(t_read("r1/current"), '?'));
  same_text(t_read("r1/current"), t_read("r2/current"));
  free(in);
}
END_TEST

START_TEST(stamps)
{
  char *s;
  long long now = (long long)time(0);
  unsigned long long tai;
  ck_assert_int_eq(lg_run(SVLOG("-t", "t"), "a\n", 2, "err"), 0);
  s = t_read("t/current");
  ck_assert_uint_eq(strlen(s), 28);
  ck_assert(s[0] == '@' && s[25] == ' ');
  ck_assert_int_eq(sscanf(s + 1, "%16llx", &tai), 1);
   /* runit's base: 2^62 + 10 + unix seconds */
  ck_assert(llabs((long long)(tai - 4611686018427387914ULL) - now) < 5);
  if (access("/usr/bin/tai64nlocal", X_OK) == 0)
  {
    char *out = 0;
    ck_assert_int_eq(t_sh("/usr/bin/tai64nlocal <t/current", &out, 0, 5000), 0);
    ck_assert(out[4] == '-' && out[10] == ' ' && strstr(out, " a\n"));
  }
  else fprintf(stderr, "stamps: tai64nlocal not installed, its reading not checked\n");
  ck_assert_int_eq(lg_run(SVLOG("-T", "iso"), "b\n", 2, "err"), 0);
  s = t_read("iso/current");
   /* 2026-12-04T08:36:00.123456Z b */
  ck_assert_uint_eq(strlen(s), 30);
  ck_assert(s[4] == '-' && s[10] == 'T' && s[19] == '.' && s[26] == 'Z' && !strcmp(s + 27, " b\n"));
  ck_assert_int_eq(lg_run(SVLOG("-ttt", "t3"), "c\n", 2, "err"), 0);
  s = t_read("t3/current");
  ck_assert(strlen(s) == 28 && s[10] == 'T' && s[19] == '.' && !strcmp(s + 25, " c\n"));
   /* -t and -T: the last one wins */
  ck_assert_int_eq(lg_run(SVLOG("-T", "-t", "last"), "d\n", 2, "err"), 0);
  ck_assert_int_eq(t_read("last/current")[0], '@');
}
END_TEST

 /* by size: no line is split, no file is bigger than s, nothing lost, order kept; n */
START_TEST(rotate_size)
{
  char *in = numbers(1, 20000, "line %06u\n"), *all;
  char *names[64];
  unsigned int n, i;
  ck_assert_int_eq(lg_run(SVLOG("-s", "10000", "-n", "0", "main"), in, strlen(in), "err"), 0);
  n = archives("main", 's', names, 64);
  ck_assert_uint_ge(n, 20);
  for (i = 0; i < n; i++)
  {
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "main/%s", names[i]);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_le(st.st_size, 10000);
    ck_assert_int_ge(st.st_size, 10000 - 12);
    ck_assert_int_eq(st.st_mode & 0777, 0744);
    free(names[i]);
  }
  all = dir_text("main");
  ck_assert_str_eq(all, in);
   /* n 3: at most 3 archives */
  t_mkdir("few");
  t_write("few/config", "s10000\nn3\n");
  ck_assert_int_eq(lg_run(SVLOG("few"), in, strlen(in), "err"), 0);
  ck_assert_uint_eq(archives("few", 0, names, 64), 3);
  for (i = 0; i < 3; i++) free(names[i]);
  all = dir_text("few");
  ck_assert(strlen(all) < strlen(in) && !strcmp(in + strlen(in) - strlen(all), all));
}
END_TEST

static int archive_count_is (char const *dir, unsigned int want)
{
  char *names[64];
  unsigned int n = archives(dir, 0, names, 64), i;
  for (i = 0; i < n; i++) free(names[i]);
  return n == want;
}

static int one_archive (void *dir) { return archive_count_is(dir, 1); }
static int two_archives (void *dir) { return archive_count_is(dir, 2); }

START_TEST(rotate_alarm_age)
{
  struct lg l = lg_start(SVLOG("main"), "err");
  lg_puts(&l, "before\n");
  ck_assert(t_wait_file_has("main/current", "before\n", 5000));
  kill(l.pid, SIGALRM);
  ck_assert(t_wait_until(&one_archive, (void *)"main", 5000));
  lg_puts(&l, "after\n");
  ck_assert(t_wait_file_has("main/current", "after\n", 5000));
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert_str_eq(dir_text("main"), "before\nafter\n");
   /* -a 1: a non-empty current is rotated after 1 s; an empty one is not */
  l = lg_start(SVLOG("-a", "1", "aged"), "err");
  lg_puts(&l, "old\n");
  ck_assert(t_wait_until(&one_archive, (void *)"aged", 5000));
  lg_puts(&l, "new\n");
  ck_assert(t_wait_until(&two_archives, (void *)"aged", 5000));
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert_str_eq(dir_text("aged"), "old\nnew\n");
}
END_TEST

static int gz_done (void *dir)
{
  char *s[8], *u[8];
  unsigned int ns = archives(dir, 's', s, 8), nu = archives(dir, 'u', u, 8), i;
  for (i = 0; i < ns; i++) free(s[i]);
  for (i = 0; i < nu; i++) free(u[i]);
  return ns == 1 && nu == 0;
}

 /* a logger on main with this config; line written, then rotated by SIGALRM */
static struct lg rotated_with (char const *config, char const *line)
{
  struct lg l;
  t_mkdir("main");
  t_write("main/config", config);
  l = lg_start(SVLOG("main"), "err");
  lg_puts(&l, line);
  ck_assert(t_wait_file_has("main/current", line, 5000));
  kill(l.pid, SIGALRM);
  return l;
}

START_TEST(processor)
{
  struct lg l;
  char *names[8], cmd[256], *out = 0;
  l = rotated_with("!gzip\n", "to be compressed\n");
  ck_assert(t_wait_until(&gz_done, (void *)"main", 5000));
  ck_assert_uint_eq(archives("main", 's', names, 8), 1);
  snprintf(cmd, sizeof cmd, "gzip -dc main/%s", names[0]);
  ck_assert_int_eq(t_sh(cmd, &out, 0, 5000), 0);
  ck_assert_str_eq(out, "to be compressed\n");
   /* logging went on meanwhile */
  lg_puts(&l, "next\n");
  ck_assert(t_wait_file_has("main/current", "next\n", 5000));
  ck_assert_int_eq(lg_end(&l), 0);
   /* a failing processor: the .u stays, a warning says so, logging goes on */
  t_mkdir("bad");
  t_write("bad/config", "!cat >/dev/null; exit 3\n");
  l = lg_start(SVLOG("bad"), "err2");
  lg_puts(&l, "kept\n");
  ck_assert(t_wait_file_has("bad/current", "kept", 5000));
  kill(l.pid, SIGALRM);
  ck_assert(t_wait_file_has("err2", "exit 3", 5000));
  lg_puts(&l, "more\n");
  ck_assert(t_wait_file_has("bad/current", "more\n", 5000));
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert_uint_eq(archives("bad", 'u', names, 8), 1);
  ck_assert_str_eq(dir_text("bad"), "kept\nmore\n");
}
END_TEST

 /* a processor that hangs is killed after 10 s; the .u stays; logging never waits */
START_TEST(processor_hangs)
{
  struct lg l;
  char *names[8];
  l = rotated_with("!exec sleep 1000\n", "one\n");
  lg_puts(&l, "two\n");
  ck_assert(t_wait_file_has("main/current", "two\n", 5000));
  ck_assert(t_wait_file_has("err", "after its time: killed", 20000));
  ck_assert_uint_eq(archives("main", 'u', names, 8), 1);
  free(names[0]);
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert_str_eq(dir_text("main"), "one\ntwo\n");
}
END_TEST

START_TEST(file_target)
{
  char *in = numbers(1, 3000, "line %06u\n");
  char *all;
  struct stat st;
  ck_assert_int_eq(lg_run(SVLOG("-s", "10000", "-n", "3", "-f", "app.log"), in, strlen(in), "err"), 0);
  ck_assert_int_eq(stat("app.log.3", &st), 0);
  ck_assert_int_ne(stat("app.log.4", &st), 0);
  all = malloc(strlen(in) + 1);
  snprintf(all, strlen(in) + 1, "%s%s%s%s", t_read("app.log.3"), t_read("app.log.2"), t_read("app.log.1"), t_read("app.log"));
  ck_assert(!strcmp(in + strlen(in) - strlen(all), all));
  ck_assert_int_le(strlen(t_read("app.log.1")), 10000);
   /* NUM 0: truncated in place */
  ck_assert_int_eq(lg_run(SVLOG("-s", "10000", "-n", "0", "-f", "t.log"), in, strlen(in), "err"), 0);
  ck_assert_int_ne(stat("t.log.1", &st), 0);
  ck_assert_int_le(strlen(t_read("t.log")), 10000);
   /* /dev/stdout (a link) is written, never rotated, even when it is a regular file */
  {
    char const *argv[] = { t_prog("svlog"), "-s", "100", "-f", "/dev/stdout", 0 };
    char *out = 0;
    ck_assert_int_eq(lg_run(argv, in, 5000, "stdout.txt"), 0);
    out = t_read("stdout.txt");
    ck_assert(!strncmp(out, in, 4990));
    ck_assert_int_ne(stat("/dev/stdout.1", &st), 0);
  }
   /* among targets, with a directory: both get the same lines */
  ck_assert_int_eq(lg_run(SVLOG("-s", "0", "dir", "-f", "both.log"), in, strlen(in), "err"), 0);
  ck_assert_str_eq(t_read("both.log"), in);
  ck_assert_str_eq(t_read("dir/current"), in);
}
END_TEST

 /* two svlogs appending to one -f FILE and rotating it: every line whole, none lost */
START_TEST(shared_file)
{
  char *a = numbers(1, 20000, "a %06u ......................\n"), *b = numbers(1, 20000, "b %06u ......................\n");
  struct lg la = lg_start(SVLOG("-b", "8192", "-s", "20000", "-n", "1000", "-f", "shared.log"), "err");
  struct lg lb = lg_start(SVLOG("-b", "8192", "-s", "20000", "-n", "1000", "-f", "shared.log"), "err");
  unsigned int k, na = 0, nb = 0, bad = 0;
  size_t biggest = 0;
  size_t off = 0, n = strlen(a);
  while (off < n)
  {
    size_t c = n - off > 8192 ? 8192 : n - off;
    lg_write(&la, a + off, c);
    lg_write(&lb, b + off, c);
    off += c;
  }
  ck_assert_int_eq(lg_end(&la), 0);
  ck_assert_int_eq(lg_end(&lb), 0);
  for (k = 0; k <= 1000; k++)
  {
    char path[64], *s, *p;
    if (k) snprintf(path, sizeof path, "shared.log.%u", k);
    else snprintf(path, sizeof path, "shared.log");
    s = t_read(path);
    if (!s) continue;
    if (strlen(s) > biggest) biggest = strlen(s);
    for (p = s; *p; )
    {
      char *e = strchr(p, '\n');
      if (!e || e - p != 31) bad++;
      else if (*p == 'a') na++;
      else if (*p == 'b') nb++;
      else bad++;
      if (!e) break;
      p = e + 1;
    }
    free(s);
  }
  ck_assert_uint_eq(bad, 0);
  ck_assert_uint_eq(na, 20000);
  ck_assert_uint_eq(nb, 20000);
   /* each follows the other's rotations: a file passes -s by one read of the other at most */
  ck_assert_msg(biggest <= 20000 + 8192, "a file of %zu bytes (-s 20000, reads of 8192)", biggest);
}
END_TEST

 /* a processor that hangs when svlog exits: killed at the end of svlog's last 2 s, its
    .u kept and its .t removed; it holds neither the lock nor stdin, so the next svlog
    takes the directory at once */
START_TEST(processor_at_exit)
{
  struct lg l;
  char *names[8], *all;
  unsigned long long t0;
  l = rotated_with("!exec sleep 1000\n", "one\n");
  ck_assert(t_wait_until(&t_has_file, (void *)"main/newstate", 5000));
  t0 = t_now_ms();
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert_uint_lt(t_now_ms() - t0, 5000);
  ck_assert(t_file_has("err", "at exit: killed (kept for the next start)"));
  ck_assert_uint_eq(archives("main", 'u', names, 8), 1);
  free(names[0]);
  {
    DIR *d = opendir("main");
    struct dirent *de;
    while ((de = readdir(d))) ck_assert_msg(!strstr(de->d_name, ".t"), "left: %s", de->d_name);
    closedir(d);
  }
   /* the next one: no "another logger has it"; its processor is then killed at its exit */
  t_write("main/config", "!cat\n");
  ck_assert_int_eq(lg_run(SVLOG("main"), "two\n", 4, "err2"), 0);
  ck_assert(!t_file_has("err2", "another logger"));
  ck_assert_uint_eq(archives("main", 'u', names, 8), 0);
  ck_assert_uint_eq(archives("main", 's', names, 8), 1);
  free(names[0]);
  all = dir_text("main");
  ck_assert_str_eq(all, "one\ntwo\n");
}
END_TEST

 /* n counts the archive being processed, and the oldest goes first: never newer lines
    before older ones; at the end of input the queued .u are processed (as svlogd) */
START_TEST(processor_keeps_order)
{
  char *all, *names[8];
  unsigned int n, i;
  t_mkdir("main");
  t_write("main/config", "s10\n!cat\nn2\n");
  ck_assert_int_eq(lg_run(SVLOG("main"), "abcdefgh1\nabcdefgh2\nabcdefgh3\nabcdefgh4\nabcdefgh5\nabcdefgh6\n", 60, "err"), 0);
  n = archives("main", 0, names, 8);
  ck_assert_uint_eq(n, 2);
  for (i = 0; i < n; i++)
  {
    ck_assert_msg(names[i][26] == 's', "%s not processed", names[i]);
    free(names[i]);
  }
  all = dir_text("main");
  ck_assert_str_eq(all, "abcdefgh4\nabcdefgh5\nabcdefgh6\n");
}
END_TEST

START_TEST(hup_and_deleted_current)
{
  struct lg l = lg_start(SVLOG("main"), "err");
  lg_puts(&l, "one\n");
  ck_assert(t_wait_file_has("main/current", "one\n", 5000));
   /* config reread on HUP */
  t_write("main/config", "pX:\n");
  kill(l.pid, SIGHUP);
  ck_assert_int_eq(unlink("main/current"), 0);
  ck_assert(t_wait_file_has("err", "main/current was removed", 5000));
  lg_puts(&l, "two\n");
  ck_assert(t_wait_file_has("main/current", "X:two\n", 5000));
   /* deleted again, noticed at the next rotation */
  ck_assert_int_eq(unlink("main/current"), 0);
  lg_puts(&l, "three\n");
  kill(l.pid, SIGALRM);
  ck_assert(t_wait_until(&t_has_file, (void *)"main/current", 5000));
  lg_puts(&l, "four\n");
  ck_assert(t_wait_file_has("main/current", "X:four\n", 5000));
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert_uint_eq(t_file_count("err", "main/current was removed"), 2);
}
END_TEST

START_TEST(patterns_and_e)
{
  static char const in[] = "info: a\nerror: b\ninfo: c\nerror: d\n";
  char *err;
  t_mkdir("main");
  t_write("main/config", "-info:*\ne*error*\n");
  ck_assert_int_eq(lg_run(SVLOG("main"), in, sizeof in - 1, "err"), 0);
  ck_assert_str_eq(t_read("main/current"), "error: b\nerror: d\n");
  err = t_read("err");
  ck_assert_str_eq(err, "error: b\nerror: d\n");
   /* -e: every line to stderr too, stamped like the files */
  ck_assert_int_eq(lg_run(SVLOG("-e", "-T", "all"), in, sizeof in - 1, "err2"), 0);
  ck_assert_str_eq(unstamp(t_read("err2"), 28), in);
  ck_assert_str_eq(unstamp(t_read("all/current"), 28), in);
}
END_TEST

START_TEST(long_lines_binary)
{
  size_t n = 1 << 20, i;
  char *in = malloc(n + 16), *s;
  FILE *f;
  struct stat st;
  for (i = 0; i < n; i++) in[i] = (char)('a' + i % 26);
  memcpy(in + n, "\nx\0y\xff\n", 7);
   /* -L 100000: the 1 MiB line in 11 pieces, nothing dropped */
  ck_assert_int_eq(lg_run(SVLOG("-L", "100000", "-s", "0", "main"), in, n + 6, "err"), 0);
  ck_assert_int_eq(stat("main/current", &st), 0);
  ck_assert_int_eq(st.st_size, n + 11 + 5);
  s = malloc((size_t)st.st_size);
  f = fopen("main/current", "r");
  ck_assert_uint_eq(fread(s, 1, (size_t)st.st_size, f), (size_t)st.st_size);
  fclose(f);
  ck_assert_mem_eq(s, in, 100000);
  ck_assert_int_eq(s[100000], '\n');
  ck_assert_mem_eq(s + st.st_size - 5, "x\0y\xff\n", 5);
   /* default: a whole 1 MiB line is 16 pieces of 65536 */
  ck_assert_int_eq(lg_run(SVLOG("-s", "0", "def"), in, n + 1, "err"), 0);
  ck_assert_int_eq(stat("def/current", &st), 0);
  ck_assert_int_eq(st.st_size, n + 16);
  free(s);
  free(in);
}
END_TEST

START_TEST(unfinished_current)
{
  char *names[4];
  t_mkdir("main");
  t_write("main/current", "left by a killed logger\n");
  chmod("main/current", 0644);
  ck_assert_int_eq(lg_run(SVLOG("main"), "new\n", 4, "err"), 0);
  ck_assert_uint_eq(archives("main", 'u', names, 4), 1);
  ck_assert_str_eq(t_read("main/current"), "new\n");
  ck_assert_str_eq(dir_text("main"), "left by a killed logger\nnew\n");
}
END_TEST


 /* what the anchors get wrong, next to them where they are installed: a last line
    without a newline (svlogd and s6-log drop it), a missing directory (svlogd exits,
    and the service then blocks on the full pipe) */
START_TEST(anchor_faults)
{
  static char const in[] = "x\nlast";
  char *s;
  ck_assert_int_eq(lg_run(SVLOG("ours"), in, sizeof in - 1, "err"), 0);
  ck_assert_str_eq(t_read("ours/current"), "x\nlast\n");
  if (has_svlogd())
  {
    t_mkdir("svlogd");
    ck_assert_int_eq(lg_run(((char const *const[]){ "/usr/bin/svlogd", "svlogd", 0 }), in, sizeof in - 1, "err2"), 0);
    ck_assert_str_eq(t_read("svlogd/current"), "x\n");
    ck_assert_int_eq(lg_run_early_exit(((char const *const[]){ "/usr/bin/svlogd", "missing/dir", 0 }), "y\n", 2, "err2"), 111);
  }
  else fprintf(stderr, "anchor_faults: svlogd not installed, not compared\n");
  if (access("/usr/bin/s6-log", X_OK) == 0)
  {
    ck_assert_int_eq(lg_run(((char const *const[]){ "/usr/bin/s6-log", "./s6", 0 }), in, sizeof in - 1, "err2"), 0);
    ck_assert_str_eq(t_read("s6/current"), "x\n");
  }
  else fprintf(stderr, "anchor_faults: s6-log not installed, not compared\n");
   /* svlog: a missing directory and its parents are created */
  ck_assert_int_eq(lg_run(SVLOG("missing/dir"), "y\n", 2, "err"), 0);
  s = t_read("missing/dir/current");
  ck_assert_str_eq(s, "y\n");
}
END_TEST

 /* svlogd's meanings of -b 0 and -l 0 (the defaults), and of config e copies (the first
    -l bytes of the whole line, "..." when cut), next to svlogd where it is installed */
START_TEST(svlogd_options)
{
  static char const conf[] = "-*\n+abc*\n-*xyz\ne*\n";
  t_mkdir("l0");
  t_write("l0/config", "-*\n+abc*\n");
  ck_assert_int_eq(lg_run(SVLOG("-b", "0", "-l", "0", "l0"), "abcd\nab\n", 8, "err"), 0);
  ck_assert_str_eq(t_read("l0/current"), "abcd\n");
  t_mkdir("e4");
  t_write("e4/config", conf);
  ck_assert_int_eq(lg_run(SVLOG("-l", "4", "-b", "5", "e4"), "abcdefxyz\nabcdefgh\n", 19, "e4.err"), 0);
   /* patterns see 4 bytes: -*xyz cannot match; both lines, both copies cut */
  ck_assert_str_eq(t_read("e4.err"), "abcd...\nabcd...\n");
  ck_assert_str_eq(t_read("e4/current"), "abcdefxyz\nabcdefgh\n");
   /* -L pieces: the copy is of the line, not of its first piece */
  t_mkdir("pl");
  t_write("pl/config", "pPFX:\ne*\n");
  ck_assert_int_eq(lg_run(SVLOG("-L", "4", "pl"), "abcdefghij\n", 11, "pl.err"), 0);
  ck_assert_str_eq(t_read("pl.err"), "PFX:abcdefghij\n");
  ck_assert_str_eq(t_read("pl/current"), "PFX:abcd\nPFX:efgh\nPFX:ij\n");
  if (has_svlogd())
  {
    t_mkdir("l0d");
    t_write("l0d/config", "-*\n+abc*\n");
    ck_assert_int_eq(lg_run(((char const *const[]){ "/usr/bin/svlogd", "-b", "0", "-l", "0", "l0d", 0 }), "abcd\nab\n", 8, "err2"), 0);
    same_text(t_read("l0/current"), t_read("l0d/current"));
    t_mkdir("e4d");
    t_write("e4d/config", conf);
    ck_assert_int_eq(lg_run(((char const *const[]){ "/usr/bin/svlogd", "-l", "4", "-b", "5", "e4d", 0 }), "abcdefxyz\nabcdefgh\n", 19, "e4d.err"), 0);
    same_text(t_read("e4.err"), t_read("e4d.err"));
    same_text(t_read("e4/current"), t_read("e4d/current"));
  }
  else fprintf(stderr, "svlogd_options: svlogd not installed, not compared\n");
}
END_TEST

 /* a config with garbage: one warning, the lines it understood apply */
START_TEST(config_garbage)
{
  char *in = numbers(1, 100, "%05u\n");
  t_mkdir("main");
  t_write("main/config", "zzz\ns60\n\001\002\nn0\nu127.0.0.1\n");
  ck_assert_int_eq(lg_run(SVLOG("main"), in, strlen(in), "err"), 0);
  ck_assert_uint_eq(t_file_count("err", "\n"), 1);
  ck_assert(t_file_has("err", "unable to understand main/config line 1: not a directive (3 line(s) ignored)"));
  ck_assert_uint_eq(archives("main", 's', (char *[64]){ 0 }, 64), 9);
  ck_assert_str_eq(dir_text("main"), in);
}
END_TEST

 /* the directory removed while svlog runs: made again at the next rotation */
START_TEST(dir_removed)
{
  struct lg l = lg_start(SVLOG("main"), "err");
  char *out = 0;
  lg_puts(&l, "one\n");
  ck_assert(t_wait_file_has("main/current", "one\n", 5000));
  ck_assert_int_eq(t_sh("rm -rf main", &out, 0, 5000), 0);
  kill(l.pid, SIGALRM);
  ck_assert(t_wait_file_has("err", "main/current was removed", 5000));
  lg_puts(&l, "two\n");
  ck_assert(t_wait_file_has("main/current", "two\n", 5000));
  ck_assert(t_has_file((void *)"main/lock"));
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert_str_eq(t_read("main/current"), "two\n");
}
END_TEST

 /* no timer while nothing fails: an idle svlog is not woken */
static long ctxt (pid_t pid)
{
  char path[64], *s, *p;
  long v = -1;
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  s = t_read(path);
  if (s && (p = strstr(s, "voluntary_ctxt_switches:")))
    v = strtol(p + 24, 0, 10);
  free(s);
  return v;
}

START_TEST(idle)
{
  struct lg l = lg_start(SVLOG("-T", "main", "-f", "f.log"), "err");
  long c1, c2;
  unsigned long long t0;
  lg_puts(&l, "x\n");
  ck_assert(t_wait_file_has("f.log", "x\n", 5000));
  if (getenv("T_WRAP")) { fprintf(stderr, "idle: not measured under T_WRAP\n"); lg_end(&l); return; }
  c1 = ctxt(l.pid);
  t0 = t_now_ms();
  while (t_now_ms() < t0 + 1500) usleep(100000);
  c2 = ctxt(l.pid);
  ck_assert_int_eq(c1, c2);
  ck_assert_int_eq(lg_end(&l), 0);
}
END_TEST


 /* trouble: a target that cannot be used never makes svlog exit */

START_TEST(unusable_targets)
{
  struct lg l;
  t_write("afile", "x");
  t_write("parentfile", "x");
  l = lg_start(SVLOG("afile", "parentfile/sub", "good"), "err");
  lg_puts(&l, "one\n");
  ck_assert(t_wait_file_has("good/current", "one\n", 5000));
  ck_assert(t_wait_file_has("err", "afile", 5000));
  ck_assert(t_file_has("err", "parentfile/sub"));
  lg_puts(&l, "two\n");
  ck_assert(t_wait_file_has("good/current", "two\n", 5000));
  ck_assert(t_alive(l.pid));
  ck_assert_int_eq(lg_end(&l), 0);
   /* what could not be written is said at exit */
  ck_assert(t_file_has("err", "unable to write 2 lines (8 bytes) to afile before exit: "));
}
END_TEST

START_TEST(locked_dir)
{
  struct lg a, b;
  a = lg_start(SVLOG("main"), "erra");
  lg_puts(&a, "a1\n");
  ck_assert(t_wait_file_has("main/current", "a1\n", 5000));
  b = lg_start(SVLOG("main", "other"), "errb");
  lg_puts(&b, "b1\n");
  ck_assert(t_wait_file_has("other/current", "b1\n", 5000));
  ck_assert(t_wait_file_has("errb", "another logger", 5000));
   /* the first ends: the second takes the directory within a second or two, then
      writes what it kept */
  ck_assert_int_eq(lg_end(&a), 0);
  ck_assert(t_wait_file_has("main/current", "b1\n", 5000));
  lg_puts(&b, "b2\n");
  ck_assert(t_wait_file_has("main/current", "b2\n", 5000));
  ck_assert_int_eq(lg_end(&b), 0);
  ck_assert_str_eq(t_read("main/current"), "a1\nb1\nb2\n");
   /* with no room to keep lines, they are counted lost, and the report names the lock */
  a = lg_start(SVLOG("main"), "erra2");
  lg_puts(&a, "a2\n");
  ck_assert(t_wait_file_has("main/current", "a2\n", 5000));
  b = lg_start(SVLOG("-m", "1", "main"), "errd");
  ck_assert(t_wait_file_has("errd", "another logger", 5000));
  lg_puts(&b, "gone\n");
  ck_assert_int_eq(lg_end(&a), 0);
  ck_assert(t_wait_file_has("main/current", "svlog: 1 lines (5 bytes) lost: main: locked by another logger\n", 5000));
  ck_assert_int_eq(lg_end(&b), 0);
  if (has_svlogd())
  {
     /* svlogd holds it: the same lock */
    int p[2];
    pid_t s;
    ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
    t_mkdir("rd");
    s = t_spawn_in((char const *const[]){ "/usr/bin/svlogd", "rd", 0 }, p[0], "errs", "errs");
    close(p[0]);
    ck_assert_int_eq(write(p[1], "s\n", 2), 2);
    ck_assert(t_wait_file_has("rd/current", "s\n", 5000));
    b = lg_start(SVLOG("rd"), "errc");
    lg_puts(&b, "c\n");
    ck_assert(t_wait_file_has("errc", "another logger", 5000));
    close(p[1]);
    ck_assert_int_eq(t_wait_code(s, 5000), 0);
    ck_assert(t_wait_file_has("rd/current", "c\n", 5000));
    ck_assert_int_eq(lg_end(&b), 0);
  }
}
END_TEST

START_TEST(term_drains)
{
  struct lg l = lg_start(SVLOG("main"), "err");
  char *in = numbers(1, 50000, "%u\n");
  lg_write(&l, in, strlen(in));
  kill(l.pid, SIGTERM);
  ck_assert_int_eq(t_wait_code(l.pid, 5000), 0);
  close(l.fd);
   /* what it read is written whole; the rest stays in the pipe for the next logger */
  {
    char *s = t_read("main/current");
    ck_assert(s && !strncmp(in, s, strlen(s)));
    ck_assert(!*s || s[strlen(s) - 1] == '\n');
  }
}
END_TEST

 /* -e to a stderr that nobody reads: svlog goes on, the file gets everything, the
    copies dropped are counted; fd 2 stays blocking */
START_TEST(stderr_full)
{
  int p[2], fl;
  struct lg l;
  pid_t pid;
  int in[2];
  char *lines = numbers(1, 100000, "line %06u\n");
  ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
  ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
  pid = fork();
  ck_assert(pid >= 0);
  if (!pid)
  {
    dup2(in[0], 0);
    dup2(p[1], 2);
    execl(t_prog("svlog"), "svlog", "-e", "-s", "0", "main", (char *)0);
    _exit(127);
  }
  close(in[0]);
  close(p[1]);
  l.pid = pid;
  l.fd = in[1];
  lg_write(&l, lines, strlen(lines));
  ck_assert(t_wait_file_has("main/current", "line 100000\n", 10000));
  fl = fcntl(p[0], F_GETFL);
  ck_assert(!(fl & O_NONBLOCK));
  {
    static char buf[1 << 21];
    ssize_t r;
    size_t n = 0;
     /* stderr is read again: the count comes before the next copy */
    fcntl(p[0], F_SETFL, fl | O_NONBLOCK);
    while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)r;
    fcntl(p[0], F_SETFL, fl);
    lg_puts(&l, "more\n");
    ck_assert_int_eq(lg_end(&l), 0);
    while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)r;
    buf[n] = 0;
    ck_assert_str_eq(t_read("main/current"), strcat(strcpy(malloc(strlen(lines) + 8), lines), "more\n"));
    ck_assert_uint_lt(n, strlen(lines));
    ck_assert_msg(strstr(buf, " lines (") && strstr(buf, "bytes) not copied to stderr\nmore\n"), "no count before the next copy in %zu bytes of stderr", n);
  }
  close(p[0]);
}
END_TEST


 /* a full disk (root: a small tmpfs in a private mount namespace) */

static void private_tmpfs (char const *dir, char const *opts)
{
  ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
  ck_assert_int_eq(mount("none", "/", 0, MS_REC | MS_PRIVATE, 0), 0);
  t_mkdir(dir);
  ck_assert_msg(mount("tmpfs", dir, "tmpfs", 0, opts) == 0, "mount: %s", strerror(errno));
}

static void fill (char const *file)
{
  static char chunk[4096];
  int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ck_assert(fd >= 0);
  memset(chunk, 'f', sizeof chunk);
  while (write(fd, chunk, sizeof chunk) > 0) ;
  while (write(fd, chunk, 1) > 0) ;
  close(fd);
}

 /* lines sent = lines in the files + lines reported lost; the writer never waits and
    writes as fast with the disk full as with room on it */
START_TEST(disk_full)
{
  struct lg l;
  unsigned int i, sent = 0, infiles, lost = 0;
  unsigned long long worst = 0;
  char line[128], *all, *p;
  char *burst = numbers(1, 20000, "burst %05u .........................................................\n");
  size_t blen = strlen(burst);
  unsigned long long room_ms, full_ms;
  private_tmpfs("fs", "size=4m,mode=0755");
  l = lg_start(SVLOG("-s", "0", "-m", "20000", "fs/main"), "err");
  lg_puts(&l, "first\n");
  sent++;
  ck_assert(t_wait_file_has("fs/main/current", "first\n", 5000));
   /* the writer's speed with room on the disk: 20000 lines as fast as it can */
  room_ms = t_now_ms();
  lg_write(&l, burst, blen);
  room_ms = t_now_ms() - room_ms;
  sent += 20000;
  ck_assert(t_wait_file_has("fs/main/current", "burst 20000 ", 5000));
  fill("fs/filler");
   /* 3 s of steady writing while the disk is full */
  for (i = 0; i < 3000; i++)
  {
    unsigned long long t0 = t_now_ms(), d;
    snprintf(line, sizeof line, "line %05u %s\n", i, "...........................................................");
    lg_puts(&l, line);
    sent++;
    d = t_now_ms() - t0;
    if (d > worst) worst = d;
    usleep(1000);
  }
  ck_assert(t_wait_file_has("err", "No space left on device", 5000));
   /* and with the disk full: not slower */
  full_ms = t_now_ms();
  lg_write(&l, burst, blen);
  full_ms = t_now_ms() - full_ms;
  sent += 20000;
  fprintf(stderr, "disk_full: 20000 lines written in %llu ms with room, %llu ms with the disk full\n", room_ms, full_ms);
  ck_assert_msg(full_ms <= 4 * room_ms + 100, "the writer slowed down: %llu ms, %llu ms with room", full_ms, room_ms);
   /* memory stays bounded: 1 MiB plus the -m spool */
  {
    char path[64], *st, *p2;
    long rss;
    snprintf(path, sizeof path, "/proc/%d/status", (int)l.pid);
    st = t_read(path);
    ck_assert(st && (p2 = strstr(st, "VmRSS:")));
    rss = strtol(p2 + 6, 0, 10);
     /* not under valgrind or sanitizers (T_CPU_SCALE: make check-sanitize) */
    if (!getenv("T_WRAP") && !getenv("T_CPU_SCALE"))
      ck_assert_msg(rss <= 1024 + 20, "RSS %ld kB while the disk is full", rss);
    free(st);
  }
   /* space comes back: what was kept, then the gap, then the rest */
  ck_assert_int_eq(unlink("fs/filler"), 0);
  ck_assert(t_wait_file_has("fs/main/current", "lost: fs/main: No space left on device", 5000));
  lg_puts(&l, "after\n");
  sent++;
  ck_assert(t_wait_file_has("fs/main/current", "after\n", 5000));
  ck_assert_int_eq(lg_end(&l), 0);
  ck_assert(t_file_has("err", "writing again"));
  all = t_read("fs/main/current");
  infiles = count_lines(all);
  ck_assert((p = strstr(all, "svlog: ")));
  ck_assert_int_eq(sscanf(p, "svlog: %u lines", &lost), 1);
  ck_assert_uint_gt(lost, 0);
   /* the report line itself is in the file */
  ck_assert_uint_eq(sent, infiles - 1 + lost);
  ck_assert_msg(worst < 200, "a write of the service waited %llu ms", worst);
}
END_TEST

 /* the first "seq N" of text (0 when none) */
static unsigned int first_seq (char const *text)
{
  char const *p = strstr(text, "seq ");
  return p ? (unsigned int)strtoul(p + 4, 0, 10) : 0;
}

 /* on a full disk svlog removes its own oldest archives first, one at a time, never a
    file not its own: the archives become a ring and nothing is lost while there are more
    than N. With N at the count, lines are kept, then counted lost. Every line sent is
    in the files, in a removed archive (the oldest lines) or counted lost */
START_TEST(disk_full_archives)
{
  struct lg l;
  char *in = numbers(1, 15000, "seq %u ....................................\n");
  char *all, *err, *p, *names[128];
  unsigned int first, last, missing, dups, broken, lost = 0, n, i, nrm;
  size_t a = (size_t)(strstr(in, "seq 3001 ") - in), b = (size_t)(strstr(in, "seq 12001 ") - in);
  struct stat st0, st1;
  private_tmpfs("fs", "size=512k,mode=0755");
  t_mkdir("fs/main");
  t_write("fs/main/config", "s16384\nn100\nN2\n");
  l = lg_start(SVLOG("-m", "8192", "fs/main"), "err");
   /* 3000 lines: 8 archives of 16 kB */
  lg_write(&l, in, a);
  ck_assert(t_wait_file_has("fs/main/current", "seq 3000 ", 10000));
  n = archives("fs/main", 's', names, 128);
  ck_assert_uint_ge(n, 8);
  for (i = 0; i < n; i++) free(names[i]);
  fill("fs/filler");
  ck_assert_int_eq(stat("fs/filler", &st0), 0);
   /* 9000 more lines (432 kB, more than the disk) on the full disk: all written */
  lg_write(&l, in + a, b - a);
  ck_assert(t_wait_file_has("fs/main/current", "seq 12000 ", 10000));
  ck_assert(t_file_has("err", "No space left on device: removed "));
  ck_assert_msg(!t_file_has("err", "keeping up to"), "lines kept while archives could go: %s", t_read("err"));
  n = archives("fs/main", 0, names, 128);
  ck_assert_uint_ge(n, 2);
  for (i = 0; i < n; i++) free(names[i]);
   /* N at the count: no archive goes, lines are kept then counted */
  nrm = t_file_count("err", "No space left on device: removed ");
  t_write("fs/main/config", "s16384\nn100\nN100\n");
  kill(l.pid, SIGHUP);
  lg_write(&l, in + b, strlen(in) - b);
  ck_assert_msg(t_wait_file_has("err", "keeping up to", 10000), "svlog said: %s", t_read("err"));
  ck_assert_uint_ge(archives("fs/main", 0, names, 128), n);
  ck_assert_uint_eq(t_file_count("err", "No space left on device: removed "), nrm);
   /* space back: the kept lines, then the gap, then what comes next */
  ck_assert_int_eq(stat("fs/filler", &st1), 0);
  ck_assert_int_eq(st1.st_size, st0.st_size);
  ck_assert_int_eq(unlink("fs/filler"), 0);
  ck_assert(t_wait_file_has("err", "writing again", 10000));
  lg_puts(&l, "seq 15001 ....................................\n");
  ck_assert_int_eq(lg_end(&l), 0);
  err = t_read("err");
  ck_assert((p = strstr(err, "No space left on device: removed ")));
  ck_assert(p < strstr(err, "keeping up to"));
  all = dir_text("fs/main");
  ck_assert((p = strstr(all, "svlog: ")));
  ck_assert_int_eq(sscanf(p, "svlog: %u lines", &lost), 1);
  ck_assert_uint_gt(lost, 0);
  first = first_seq(all);
  ck_assert_uint_gt(first, 1);
  last = check_sequence(all, &missing, &dups, &broken);
  ck_assert_uint_eq(last, 15001);
  ck_assert_uint_eq(dups, 0);
   /* the report line */
  ck_assert_uint_eq(broken, 1);
   /* the lines before the first kept one were in the removed archives */
  ck_assert_msg(missing == first - 1 + lost, "%u missing, first %u, %u reported lost", missing, first, lost);
}
END_TEST

 /* pid (a pid_t) sleeps in pipe_write */
static int in_pipe_write (void *arg)
{
  char path[64], *s;
  int r;
  snprintf(path, sizeof path, "/proc/%d/wchan", (int)*(pid_t *)arg);
  s = t_read(path);
  r = s && strstr(s, "pipe_write") != 0;  /* pipe_write, anon_pipe_write (6.x) */
  if (s && !strcmp(s, "0"))
  {
     /* a kernel that hides wchan: asleep will do */
    char *st, *p;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)*(pid_t *)arg);
    st = t_read(path);
    p = st ? strrchr(st, ')') : 0;
    r = p && p[1] == ' ' && p[2] == 'S';
    free(st);
  }
  free(s);
  return r;
}

 /* -B: nothing lost; the writer waits instead */
START_TEST(disk_full_block)
{
  struct lg l;
  char *in = numbers(1, 20000, "line %06u ..........................................\n");
  pid_t w;
  private_tmpfs("fs", "size=4m,mode=0755");
  l = lg_start(SVLOG("-B", "-s", "0", "fs/main"), "err");
  lg_puts(&l, "first\n");
  ck_assert(t_wait_file_has("fs/main/current", "first\n", 5000));
  fill("fs/filler");
  w = fork();
  ck_assert(w >= 0);
  if (!w)
  {
    size_t n = strlen(in), off = 0;
    while (off < n)
    {
      ssize_t r = write(l.fd, in + off, n - off);
      if (r <= 0) _exit(1);
      off += (size_t)r;
    }
    _exit(0);
  }
  ck_assert(t_wait_file_has("err", "No space left on device", 5000));
   /* the writer is blocked in write: the pipe is full */
  ck_assert(t_wait_until(&in_pipe_write, &w, 5000));
  ck_assert(t_alive(w));
  ck_assert_int_eq(unlink("fs/filler"), 0);
  ck_assert_int_eq(t_wait_code(w, 10000), 0);
  ck_assert_int_eq(lg_end(&l), 0);
  {
    char *all = t_read("fs/main/current");
    ck_assert(!strncmp(all, "first\n", 6));
    ck_assert_str_eq(all + 6, in);
  }
}
END_TEST

START_TEST(readonly_fs)
{
  struct lg l;
  private_tmpfs("fs", "size=256k,mode=0755");
  t_mkdir("fs/main");
  ck_assert_int_eq(mount("fs", "fs", 0, MS_BIND, 0), 0);
  ck_assert_int_eq(mount("none", "fs", 0, MS_BIND | MS_REMOUNT | MS_RDONLY, 0), 0);
  l = lg_start(SVLOG("fs/main", "good"), "err");
  lg_puts(&l, "one\n");
  ck_assert(t_wait_file_has("good/current", "one\n", 5000));
  ck_assert(t_wait_file_has("err", "Read-only file system", 5000));
  lg_puts(&l, "two\n");
  ck_assert(t_wait_file_has("good/current", "two\n", 5000));
  ck_assert(t_alive(l.pid));
  ck_assert_int_eq(lg_end(&l), 0);
}
END_TEST


 /* under supervise: restarts lose and duplicate nothing */

 /* FILE.N ... FILE.1 then FILE: what a -f target holds, oldest first */
static char *file_text (char const *file)
{
  char path[512], *all = malloc(1), *t;
  size_t len = 0;
  int k = 1;
  struct stat st;
  for (;; k++)
  {
    snprintf(path, sizeof path, "%s.%d", file, k);
    if (stat(path, &st) != 0) break;
  }
  for (k--; k >= 0; k--)
  {
    size_t n;
    if (k) snprintf(path, sizeof path, "%s.%d", file, k);
    else snprintf(path, sizeof path, "%s", file);
    t = t_read(path);
    if (!t) continue;
    n = strlen(t);
    all = realloc(all, len + n + 1);
    memcpy(all + len, t, n);
    len += n;
    free(t);
  }
  all[len] = 0;
  return all;
}

 /* a/current grew, or is another file */
static int a_changed (void *arg)
{
  struct stat const *before = arg;
  struct stat st;
  return stat("a/current", &st) == 0 && (st.st_ino != before->st_ino || st.st_size != before->st_size);
}

 /* SIGHUP and SIGALRM while lines stream in: three targets (two directories rotating at
    their own sizes, a -f FILE) each hold exactly the input, in order, no line cut */
START_TEST(signals_under_load)
{
  char *in = numbers(1, 100000, "seq %u ....................................\n");
  struct lg l;
  pid_t w;
  unsigned int k;
  t_mkdir("a");
  t_mkdir("b");
  t_write("a/config", "s100000\nn1000\n");
  t_write("b/config", "s20000\nn1000\n");
  l = lg_start(SVLOG("-s", "0", "-n", "1000", "a", "b", "-f", "c.log"), "err");
   /* its signals are trapped before its targets are opened */
  ck_assert(t_wait_until(&t_has_file, (void *)"a/current", 5000));
  w = fork();
  ck_assert(w >= 0);
  if (!w)
  {
    size_t n = strlen(in), off = 0;
    while (off < n)
    {
      ssize_t r = write(l.fd, in + off, n - off > 4096 ? 4096 : n - off);
      if (r <= 0) _exit(1);
      off += (size_t)r;
    }
    _exit(0);
  }
  close(l.fd);
  l.fd = -1;
  for (k = 0; k < 40 && t_alive(w); k++)
  {
    struct stat st;
    ck_assert_int_eq(kill(l.pid, k % 2 ? SIGALRM : SIGHUP), 0);
     /* the next signal once more lines are written */
    if (stat("a/current", &st) == 0) t_wait_until(&a_changed, &st, 2000);
  }
  ck_assert_int_eq(t_wait_code(w, 30000), 0);
  ck_assert_int_eq(t_wait_code(l.pid, 30000), 0);
  fprintf(stderr, "signals_under_load: %u signals while the lines streamed\n", k);
  ck_assert_uint_ge(k, 2);
  {
    char *names[512];
    unsigned int na = archives("a", 's', names, 512), nb, i;
    struct stat st;
    for (i = 0; i < na; i++) free(names[i]);
    nb = archives("b", 's', names, 512);
    for (i = 0; i < nb; i++) free(names[i]);
    fprintf(stderr, "signals_under_load: %u and %u archives, c.log.1 %s\n", na, nb, stat("c.log.1", &st) ? "absent" : "present");
    ck_assert_uint_ge(na, 44);
    ck_assert_uint_ge(nb, 220);
     /* SIGALRM rotated the file too */
    ck_assert_int_eq(stat("c.log.1", &st), 0);
  }
  same_text(dir_text("a"), in);
  same_text(dir_text("b"), in);
  same_text(file_text("c.log"), in);
}
END_TEST

static char const *svctl_argv[8];

 /* web/log/main/current grew, or is another file */
static int current_changed (void *arg)
{
  struct stat const *before = arg;
  struct stat st;
  return stat("web/log/main/current", &st) == 0 && (st.st_ino != before->st_ino || st.st_size != before->st_size);
}

 /* web/log's pid is no longer arg (a string), and it is up */
static int new_logger (void *arg)
{
  char *pid = t_state_key("web/log", "pid"), *st = t_state_key("web/log", "state");
  int r = pid && st && strcmp(pid, (char const *)arg) && !strcmp(st, "up");
  free(pid);
  free(st);
  return r;
}

START_TEST(restart_under_load)
{
  pid_t sup;
  unsigned int k, last, missing, dups, broken;
  char *all, *old_pid;
  struct stat st0;
  t_service("web", "i=0; while :; do i=$((i+1)); echo \"seq $i\"; done");
  t_mkdir("web/log");
  {
    char run[512];
    snprintf(run, sizeof run, "#!/bin/sh\nexec %s -s 200000 -n 0 ./main\n", t_prog("svlog"));
    t_write_exec("web/log/run", run);
  }
  sup = t_sup_start("web");
  ck_assert(t_wait_file_has("web/log/main/current", "seq 1000\n", 10000));
   /* supervise starts the logger before it writes its state files */
  T_WAIT_STATE("web/log", "state", "up", 5000);
  for (k = 0; k < 5; k++)
  {
    char *out = 0, *err = 0;
    int r;
    svctl_argv[0] = t_prog("svctl");
    svctl_argv[1] = "-t";
    svctl_argv[2] = t_path("web/log");
    svctl_argv[3] = 0;
    old_pid = t_state_key("web/log", "pid");
    r = t_run(svctl_argv, &out, &err, 5000);
    ck_assert_msg(r == 0, "svctl -t web/log: %d [%s] [%s]", r, out ? out : "", err ? err : "");
     /* the next logger is up, and has written */
    ck_assert(t_wait_until(&new_logger, old_pid, 5000));
    free(old_pid);
    ck_assert(stat("web/log/main/current", &st0) == 0);
    ck_assert(t_wait_until(&current_changed, &st0, 10000));
  }
  t_control("web", "d");
  t_sup_exit("web", sup);
  all = dir_text("web/log/main");
  last = check_sequence(all, &missing, &dups, &broken);
  ck_assert_uint_gt(last, 1000);
  ck_assert_msg(missing == 0 && dups == 0 && broken == 0, "%u lines missing, %u out of order or twice, %u broken, up to seq %u", missing, dups, broken, last);
}
END_TEST

 /* SIGKILL loses at most one read (-b) and the line it cut; the pipe keeps the rest
    for the next logger */
START_TEST(kill9_bound)
{
  char *in = numbers(1, 200000, "seq %u ....................................\n"), *all;
  unsigned int last, missing, dups, broken;
  int p[2], go[2];
  pid_t w, l1, l2;
  char const *const *argv = SVLOG("-b", "16384", "-s", "0", "main");
  ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
  ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
  l1 = t_spawn_in(argv, p[0], "err", "err");
   /* the writer: 100000 lines, then the rest once the first logger is killed */
  w = fork();
  ck_assert(w >= 0);
  if (!w)
  {
    size_t n = strlen(in), off = 0, half = (size_t)(strstr(in, "seq 100001 ") - in);
    char c;
    close(go[1]);
    while (off < n)
    {
      ssize_t r;
      if (off == half && read(go[0], &c, 1) != 1) _exit(2);
      r = write(p[1], in + off, (off < half ? half : n) - off > 4096 ? 4096 : (off < half ? half : n) - off);
      if (r <= 0) _exit(1);
      off += (size_t)r;
    }
    _exit(0);
  }
  close(p[1]);
  close(go[0]);
  ck_assert(t_wait_file_has("main/current", "seq 20000 ", 10000));
  kill(l1, SIGKILL);
  ck_assert_int_eq(t_wait_code(l1, 5000), 128 + SIGKILL);
  l2 = t_spawn_in(argv, p[0], "err", "err");
  close(p[0]);
  ck_assert_int_eq(write(go[1], "g", 1), 1);
  close(go[1]);
  ck_assert_int_eq(t_wait_code(w, 20000), 0);
  ck_assert_int_eq(t_wait_code(l2, 10000), 0);
  all = dir_text("main");
  last = check_sequence(all, &missing, &dups, &broken);
  ck_assert_uint_eq(last, 200000);
  ck_assert_uint_eq(dups, 0);
  ck_assert_uint_le(broken, 1);
  ck_assert_msg((size_t)missing * 42 <= 16384 + 48, "%u lines lost by SIGKILL, more than one read", missing);
}
END_TEST

static void add (Suite *s, char const *name, TTest const *f, int timeout)
{
  tcase_add_test(t_tcase(s, name, (unsigned int)timeout), f);
}

Suite *svlog_suite (void)
{
  Suite *s = suite_create("svlog");
  add(s, "lines_and_last_line", lines_and_last_line, 30);
  add(s, "side_by_side_svlogd", side_by_side_svlogd, 30);
  add(s, "stamps", stamps, 30);
  add(s, "rotate_size", rotate_size, 30);
  add(s, "rotate_alarm_age", rotate_alarm_age, 30);
  add(s, "processor", processor, 30);
  add(s, "processor_hangs", processor_hangs, 40);
  add(s, "processor_at_exit", processor_at_exit, 30);
  add(s, "processor_keeps_order", processor_keeps_order, 30);
  add(s, "file_target", file_target, 30);
  add(s, "shared_file", shared_file, 30);
  add(s, "hup_and_deleted_current", hup_and_deleted_current, 30);
  add(s, "signals_under_load", signals_under_load, 60);
  add(s, "patterns_and_e", patterns_and_e, 30);
  add(s, "long_lines_binary", long_lines_binary, 30);
  add(s, "unfinished_current", unfinished_current, 30);
  add(s, "idle", idle, 30);
  add(s, "anchor_faults", anchor_faults, 30);
  add(s, "svlogd_options", svlogd_options, 30);
  add(s, "config_garbage", config_garbage, 30);
  add(s, "dir_removed", dir_removed, 30);
  add(s, "unusable_targets", unusable_targets, 30);
  add(s, "locked_dir", locked_dir, 30);
  add(s, "term_drains", term_drains, 30);
  add(s, "stderr_full", stderr_full, 30);
  if (geteuid() == 0)
  {
    add(s, "disk_full", disk_full, 60);
    add(s, "disk_full_archives", disk_full_archives, 60);
    add(s, "disk_full_block", disk_full_block, 60);
    add(s, "readonly_fs", readonly_fs, 30);
  }
  else
  {
    static char const *const cases[] = { "disk_full", "disk_full_archives", "disk_full_block", "readonly_fs", 0 };
    unsigned int i;
    for (i = 0; cases[i]; i++) fprintf(stderr, "skip: %s: needs root\n", cases[i]);
  }
  add(s, "restart_under_load", restart_under_load, 60);
  add(s, "kill9_bound", kill9_bound, 60);
  return s;
}
