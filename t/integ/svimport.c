/* SPDX-License-Identifier: ISC */
/* t/integ/svimport.c: svimport against supervisord's own parser (argv and environment
   of every process of the corpus in t/svimport/corpus), bad input, -f and -n, and
   converted services run by the real supervise */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>

#include "harness.h"
#include "suites.h"

#define PY "/usr/bin/python3"

static char const *corpus (char const *name)
{
  static char buf[4][4096];
  static unsigned int ring;
  char *b = buf[ring++ & 3];
  snprintf(b, sizeof buf[0], "%s/t/svimport/corpus/%s", t_top(), name);
  return b;
}

static void test_env (void)
{
  setenv("SVI_WORDS", "a b  c", 1);
  setenv("SVI_ONE", "one", 1);
  setenv("SVI_EMPTY", "", 1);
  setenv("SVI_TRUE", "true", 1);
  setenv("SVI_TWO", "2", 1);
}

static int have_supervisor (void)
{
  return access(PY, X_OK) == 0 && t_sh(PY " -c 'import supervisor.options' 2>/dev/null", 0, 0, 20000) == 0;
}

/* the recording stand-in, as "rec" in t_dir()/recbin, and REC_DIR t_dir()/rec (open to all) */
static void rec_setup (void)
{
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "mkdir -p recbin rec && chmod 1777 rec && chmod 755 . recbin && { [ -x recbin/rec ] || cp %s/build/t/argvdump recbin/rec; } && ln -sf rec 'recbin/SVI=assign'", t_top());
  ck_assert_int_eq(t_sh(cmd, 0, 0, 5000), 0);
  setenv("REC_DIR", t_path("rec"), 1);
  snprintf(cmd, sizeof cmd, "%s:%s:/usr/sbin:/usr/bin:/sbin:/bin", t_path("recbin"), t_bin());
  setenv("PATH", cmd, 1);
}

static int svimport (char const *const *args, char **out, char **err)
{
  char const *argv[8];
  int i = 0, j;
  argv[i++] = t_prog("svimport");
  for (j = 0; args[j] && i < 7; j++) argv[i++] = args[j];
  argv[i] = 0;
  return t_run(argv, out, err, 30000);
}

static size_t readall (char const *path, char **s)
{
  int fd = open(path, O_RDONLY);
  size_t n = 0, cap = 4096;
  ssize_t r;
  *s = 0;
  if (fd < 0) return (size_t)-1;
  *s = malloc(cap);
  while ((r = read(fd, *s + n, cap - n)) > 0)
  {
    n += r;
    if (n == cap) *s = realloc(*s, cap *= 2);
  }
  close(fd);
  return n;
}

/* runs SERVICE's run as supervise would (cwd the service dir, env/ applied) and waits */
static int run_service (char const *svc)
{
  pid_t pid = fork();
  int w;
  ck_assert(pid >= 0);
  if (!pid)
  {
    DIR *d;
    struct dirent *de;
    if (chdir(svc) == -1) _exit(120);
    d = opendir("env");
    while (d && (de = readdir(d)))
    {
      char path[4096], *v;
      size_t n;
      if (de->d_name[0] == '.') continue;
      snprintf(path, sizeof path, "env/%s", de->d_name);
      n = readall(path, &v);
      if (n == (size_t)-1) _exit(121);
      if (!n) { unsetenv(de->d_name); continue; }
      v[n] = 0;
      if (strchr(v, '\n')) *strchr(v, '\n') = 0;
      setenv(de->d_name, v, 1);
    }
    execl("./run", "./run", (char *)0);
    _exit(122);
  }
  ck_assert(waitpid(pid, &w, 0) == pid);
  return WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
}

static void show_nul (char *s, size_t n, char *out, size_t cap)
{
  size_t i, o = 0;
  for (i = 0; i < n && o + 4 < cap; i++) out[o++] = s[i] ? s[i] : '|';
  out[o] = 0;
}

/* a command named by its absolute path (/usr/sbin/apache2ctl) reaches rec only if the test
   rewrites run's exec: the first word becomes rec, and SVC/orig0 keeps the word */
static void rewrite_first_word (char const *svc)
{
  char p[4200], *run, *last, *end;
  snprintf(p, sizeof p, "%s/run", svc);
  run = t_read(p);
  ck_assert(run);
  last = strstr(run, "\nexec /");
  if (!last) { free(run); return; }
  last += 6;
  end = last + strcspn(last, " \n");
  {
    char o[4200], *nr;
    size_t n = strlen(run);
    snprintf(o, sizeof o, "%s/orig0", svc);
    {
      char w[4096];
      snprintf(w, sizeof w, "%.*s", (int)(end - last), last);
      t_write(o, w);
    }
    nr = malloc(n + 8);
    snprintf(nr, n + 8, "%.*srec%s", (int)(last - run), run, end);
    t_write_exec(p, nr);
    free(nr);
  }
  free(run);
}

/* the service directory svimport made for supervisord's process GROUP:NAME */
static int service_of (char const *key, char *out, size_t cap)
{
  DIR *d = opendir("svc");
  struct dirent *de;
  int found = 0;
  while (d && !found && (de = readdir(d)))
  {
    char p[4096], *g = 0, *n = 0;
    if (de->d_name[0] == '.' || strstr(de->d_name, ":stderr")) continue;
    snprintf(p, sizeof p, "svc/%s/env/SUPERVISOR_GROUP_NAME", de->d_name);
    g = t_read(p);
    snprintf(p, sizeof p, "svc/%s/env/SUPERVISOR_PROCESS_NAME", de->d_name);
    n = t_read(p);
    if (g && n)
    {
      char k[4096];
      g[strcspn(g, "\n")] = 0;
      n[strcspn(n, "\n")] = 0;
      snprintf(k, sizeof k, "%s:%s", g, n);
      if (!strcmp(k, key)) { snprintf(out, cap, "svc/%s", de->d_name); found = 1; }
    }
    free(g);
    free(n);
  }
  if (d) closedir(d);
  return found;
}

/* the service files and the process's uid, umask and cwd say what supervisord's settings say */
static void compare_settings (char const *conf, char const *key)
{
  char p[4096], svc[4096], *a, *info;
  size_t n, i;
  ck_assert_msg(service_of(key, svc, sizeof svc), "%s: no service for %s", conf, key);
  snprintf(p, sizeof p, "ref/%s.files", key);
  n = readall(p, &a);
  ck_assert(n != (size_t)-1);
  for (i = 0; i < n;)
  {
    char const *f = a + i, *v = f + strlen(f) + 1, *have;
    char fp[8300];
    snprintf(fp, sizeof fp, "%s/%s", svc, f);
    have = t_read(fp);
    if (*v == '-') ck_assert_msg(!have, "%s: %s: %s should not be there", conf, key, fp);
    else ck_assert_msg(have && !strcmp(have, v + 1), "%s: %s: %s is \"%s\", not \"%s\"", conf, key, fp, have ? have : "(absent)", v + 1);
    free((char *)have);
    i = v + strlen(v) + 1 - a;
  }
  free(a);
  snprintf(p, sizeof p, "rec/%s.info", key);
  info = t_read(p);
  ck_assert(info);
  snprintf(p, sizeof p, "ref/%s.conf", key);
  n = readall(p, &a);
  ck_assert(n != (size_t)-1);
  a[n] = 0;
  {
    char *line, *save = 0;
    for (line = strtok_r(a, "\n", &save); line; line = strtok_r(0, "\n", &save))
    {
      char want[4096];
      char *eq = strchr(line, '=');
      if (!eq || !eq[1]) 
      {
        if (eq && !strncmp(line, "cwd=", 4)) snprintf(want, sizeof want, "\ncwd=%s\n", t_dir());
        else if (eq && !strncmp(line, "uid=", 4)) snprintf(want, sizeof want, "uid=%u\n", (unsigned)getuid());
        else continue;
      }
      else snprintf(want, sizeof want, "%s%s\n", strncmp(line, "uid=", 4) ? "\n" : "", line);
      ck_assert_msg(strstr(info, want), "%s: %s: %s is not in what the process saw:\n%s", conf, key, want, info);
    }
  }
  free(a);
  free(info);
}

/* every process supervisord makes of conf: svimport's run execs the same argv, with the
   same SUPERVISOR_* and environment values */
static void compare (char const *conf, int may_refuse)
{
  char cmd[8192], *out = 0, *err = 0;
  DIR *d;
  struct dirent *de;
  unsigned int nref = 0;
  t_sh("rm -rf ref svc rec/*", 0, 0, 5000);
  t_mkdir("ref");
  snprintf(cmd, sizeof cmd, PY " %s/t/svimport/reference.py '%s' ref", t_top(), conf);
  if (t_sh(cmd, 0, &err, 30000) != 0)
  {
    char *text = t_read(conf);
    ck_assert_msg(may_refuse, "supervisord's parser refused %s: %s", conf, err);
    free(err);
    /* supervisord refuses it: so does svimport */
    ck_assert_msg(svimport((char const *[]){ conf, "svc", 0 }, &out, &err) == 1, "svimport converted what supervisord refuses:\n%s", text);
    free(out);
    free(err);
    free(text);
    return;
  }
  free(err);
  ck_assert_msg(svimport((char const *[]){ conf, "svc", 0 }, &out, &err) == 0, "svimport %s: %s", conf, err);
  free(out);
  free(err);
  d = opendir("svc");
  ck_assert(d);
  while ((de = readdir(d)))
  {
    char p[4096];
    if (de->d_name[0] == '.' || strstr(de->d_name, ":stderr")) continue;
    snprintf(p, sizeof p, "svc/%s", de->d_name);
    rewrite_first_word(p);
    ck_assert_msg(run_service(p) == 0, "%s: run did not reach the command", p);
  }
  closedir(d);
  d = opendir("ref");
  while ((de = readdir(d)))
  {
    char rp[4096], cp[4096], *a, *b, sa[2048], sb[2048];
    size_t na, nb, n = strlen(de->d_name);
    if (n < 5 || strcmp(de->d_name + n - 5, ".argv")) continue;
    nref++;
    snprintf(rp, sizeof rp, "ref/%s", de->d_name);
    snprintf(cp, sizeof cp, "rec/%s", de->d_name);
    na = readall(rp, &a);
    nb = readall(cp, &b);
    ck_assert_msg(nb != (size_t)-1, "%s: %s: no process recorded", conf, de->d_name);
    {
      char svc[4096], o[4200], key[300], *orig;
      snprintf(key, sizeof key, "%.*s", (int)(n - 5), de->d_name);
      ck_assert_msg(service_of(key, svc, sizeof svc), "%s: no service for %s", conf, key);
      snprintf(o, sizeof o, "%s/orig0", svc);
      orig = t_read(o);
      if (orig && nb != (size_t)-1 && !strcmp(b, "rec"))
      {
        size_t ol = strlen(orig);
        char *nbuf = malloc(nb - 3 + ol + 1);
        memcpy(nbuf, orig, ol);
        memcpy(nbuf + ol, b + 3, nb - 3);
        free(b);
        b = nbuf;
        nb = nb - 3 + ol;
      }
      free(orig);
    }
    show_nul(a, na, sa, sizeof sa);
    show_nul(b, nb, sb, sizeof sb);
    ck_assert_msg(na == nb && !memcmp(a, b, na), "%s: %s: supervisord execs [%s], run execs [%s]", conf, de->d_name, sa, sb);
    free(a);
    free(b);
    /* environment: each of supervisord's KEY=VALUE is in the recorded environment */
    memcpy(rp + strlen(rp) - 4, "env", 4);
    memcpy(cp + strlen(cp) - 4, "env", 4);
    na = readall(rp, &a);
    nb = readall(cp, &b);
    ck_assert(na != (size_t)-1 && nb != (size_t)-1);
    {
      size_t i = 0;
      while (i < na)
      {
        char const *kv = a + i;
        size_t l = strlen(kv), j = 0;
        int found = 0;
        while (j < nb)
        {
          if (!strcmp(b + j, kv)) { found = 1; break; }
          j += strlen(b + j) + 1;
        }
        ck_assert_msg(found, "%s: %s: %s is not in the environment run gives", conf, de->d_name, kv);
        i += l + 1;
      }
    }
    free(a);
    free(b);
    de->d_name[n - 5] = 0;
    compare_settings(conf, de->d_name);
  }
  closedir(d);
  ck_assert_msg(nref > 0, "%s: supervisord made no process", conf);
}

START_TEST(argv_exact)
{
  static char const *const confs[] = { "words.conf", "numprocs.conf", "env.conf", "crlf.conf", "include.conf", "settings.conf", "seed.conf", 0 };
  unsigned int i;
  if (!have_supervisor())
  {
    fprintf(stderr, "skip: argv_exact: python3 with supervisor (Debian's supervisor package) is not installed\n");
    return;
  }
  test_env();
  rec_setup();
  for (i = 0; confs[i]; i++) compare(corpus(confs[i]), 0);
}
END_TEST

/* random configurations of the same constructs (t/svimport/randconf.py), as many as
   $T_SVIMPORT_RANDOM (default 25): the same argv, environment and settings, or both refuse */
START_TEST(argv_random)
{
  unsigned int i, n = getenv("T_SVIMPORT_RANDOM") ? (unsigned int)atoi(getenv("T_SVIMPORT_RANDOM")) : 25;
  if (!have_supervisor())
  {
    fprintf(stderr, "skip: argv_random: python3 with supervisor (Debian's supervisor package) is not installed\n");
    return;
  }
  test_env();
  rec_setup();
  for (i = 1; i <= n; i++)
  {
    char cmd[8192], conf[64];
    snprintf(conf, sizeof conf, "r%u.conf", i);
    snprintf(cmd, sizeof cmd, PY " %s/t/svimport/randconf.py %u %s", t_top(), i, conf);
    ck_assert_int_eq(t_sh(cmd, 0, 0, 20000), 0);
    compare(t_path(conf), 1);
  }
}
END_TEST

/* bad input: the exit code, one line naming the file and line, nothing written */
static void bad (char const *text, int code, char const *needle)
{
  char *out = 0, *err = 0;
  int r;
  struct stat st;
  t_sh("rm -rf svc", 0, 0, 5000);
  t_write("bad.conf", text);
  r = svimport((char const *[]){ "bad.conf", "svc", 0 }, &out, &err);
  ck_assert_msg(r == code, "exit %d, not %d, for %s: %s", r, code, text, err);
  ck_assert_msg(strstr(err, needle), "no \"%s\" in: %s", needle, err);
  {
    char const *f = strstr(err, "fatal:");
    ck_assert_msg(!f || !strstr(f + 1, "fatal:"), "more than one fatal line: %s", err);
  }
  if (code == 1) ck_assert_msg(stat("svc", &st) == -1, "svc written for %s", text);
  free(out);
  free(err);
}

START_TEST(bad_input)
{
  bad("[supervisord]\n[program:x\ncommand=true\n", 1, "bad.conf:2: section header without its closing ]");
  bad("[program:x]\ncommand=true\njust words\n", 1, "bad.conf:3: line without = or :");
  bad("command=true\n", 1, "bad.conf:1: no section header");
  bad("[program:x]\ncommand=rec \"open quote\n", 1, "bad.conf:2: [program:x] command: can't parse");
  bad("[program:x]\ncommand=\n", 1, "bad.conf:2: [program:x] command: is empty");
  bad("[program:x]\nautostart=true\n", 1, "bad.conf:1: [program:x]: no command");
  bad("[program:a/b]\ncommand=true\n", 1, "bad.conf:1: [program:a/b]: a program name must not");
  bad("[program:.hidden]\ncommand=true\n", 1, "bad.conf:1: [program:.hidden]: a name starting with .");
  bad("[program:x]\ncommand=true\nnumprocs=0\n", 1, "bad.conf:3: [program:x] numprocs: 0");
  bad("[program:x]\ncommand=true\nnumprocs=2\n", 1, "bad.conf:1: [program:x] process_name: %(process_num) must be");
  bad("[program:x]\ncommand=rec %(nosuch)s\n", 1, "bad.conf:2: [program:x] command: %(nosuch)s: no such name");
  bad("[program:x]\ncommand=true\nstopsignal=NOPE\n", 1, "bad.conf:3: [program:x] stopsignal");
  unsetenv("SVI_UNSET");
  bad("[program:x]\ncommand=true\nautostart=%(ENV_SVI_UNSET)s\n", 1, "bad.conf:3: [program:x] autostart: %(ENV_SVI_UNSET)s: environment variable SVI_UNSET is not set");
  {
    /* a group naming a program that does not exist: exit 1, the programs that exist are written */
    char *out = 0, *err = 0;
    t_write("grp.conf", "[program:x]\ncommand=true\n[program:y]\ncommand=true\n[group:g]\nprograms=y,nope\n");
    ck_assert_int_eq(svimport((char const *[]){ "grp.conf", "svcg", 0 }, &out, &err), 1);
    ck_assert(strstr(err, "grp.conf:6: [group:g] programs: no [program:nope]"));
    ck_assert(strstr(out, "group g: y\n"));
    ck_assert(t_file_has("svcg/y/env/SUPERVISOR_GROUP_NAME", "g\n"));
    free(out);
    free(err);
  }
  bad("[program:x]\ncommand=true\nstartsecs=soon\n", 1, "bad.conf:3: [program:x] startsecs: not an integer");
  bad("[program:x]\ncommand=true\nautorestart=maybe\n", 1, "bad.conf:3: [program:x] autorestart");
  bad("[program:x]\ncommand=true\nprocess_name=%(program_name)s\nnumprocs=2\n", 1, "bad.conf:3: [program:x] process_name: %(process_num) must be");
  bad("[supervisord]\n[include]\nfiles=\n", 0, "");
  bad("[supervisord]\nminfds=lots\n", 1, "bad.conf:2: [supervisord] minfds: not a number");
  bad("\x7f" "ELF\x02\x01\x01\0\0\0garbage", 1, "bad.conf:1: control byte (binary file?)");
  bad("[program:x]\ncommand=true\n\x7f\x03garbage", 1, "bad.conf:3: control byte");
  bad("[program:x]\ncommand=caf\xe9\n", 1, "bad.conf:2: not UTF-8 text");
}
END_TEST

START_TEST(bad_files)
{
  char *out = 0, *err = 0;
  int r;
  r = svimport((char const *[]){ "missing.conf", "svc", 0 }, &out, &err);
  ck_assert_int_eq(r, 111);
  ck_assert(strstr(err, "svimport: fatal: unable to read missing.conf: No such file"));
  free(out); free(err);
  t_mkdir("adir");
  r = svimport((char const *[]){ "adir", "svc", 0 }, &out, &err);
  ck_assert_int_eq(r, 111);
  ck_assert(strstr(err, "unable to read adir: Is a directory"));
  free(out); free(err);
  r = svimport((char const *[]){ "-x", "a", "b", 0 }, &out, &err);
  ck_assert_int_eq(r, 100);
  free(out); free(err);
  r = svimport((char const *[]){ "onlyone", 0 }, &out, &err);
  ck_assert_int_eq(r, 100);
  free(out); free(err);
  /* DIR that cannot be made */
  t_write("ok.conf", "[program:x]\ncommand=true\n");
  t_write("afile", "");
  r = svimport((char const *[]){ "ok.conf", "afile/svc", 0 }, &out, &err);
  ck_assert_int_eq(r, 111);
  ck_assert(strstr(err, "unable to create afile/svc"));
  free(out); free(err);
  /* an include that cannot be read is a warning; one that is a syntax error is fatal */
  t_mkdir("conf.d/dir.conf");
  t_write("conf.d/good.conf", "[program:good]\ncommand=true\n");
  t_write("inc.conf", "[supervisord]\n[include]\nfiles=conf.d/*.conf nomatch/*.conf\n");
  r = svimport((char const *[]){ "inc.conf", "svc", 0 }, &out, &err);
  ck_assert_msg(r == 0, "%d: %s", r, err);
  ck_assert(strstr(err, "inc.conf:3: [include] files: unable to read "));
  ck_assert(strstr(err, "inc.conf:3: [include] files: no file matches "));
  ck_assert(t_has_file((void *)"svc/good/run"));
  free(out); free(err);
  t_write("conf.d/worse.conf", "[program:w]\ncommand=true\n[broken\n");
  t_sh("rm -rf svc", 0, 0, 5000);
  r = svimport((char const *[]){ "inc.conf", "svc", 0 }, &out, &err);
  ck_assert_int_eq(r, 1);
  ck_assert(strstr(err, "conf.d/worse.conf:3: section header without its closing ]"));
  ck_assert(!t_has_file((void *)"svc"));
  free(out); free(err);
}
END_TEST

/* a 10 MB file: read whole, converted */
START_TEST(big_file)
{
  FILE *f = fopen("big.conf", "w");
  int i;
  char *out = 0, *err = 0;
  ck_assert(f);
  fputs("[supervisord]\n[program:big]\ncommand=rec first\n", f);
  for (i = 0; i < 200000; i++) fputs("  continued word word word word word word word word\n", f);
  fputs("; a comment\n", f);
  fclose(f);
  ck_assert_int_eq(svimport((char const *[]){ "big.conf", "svc", 0 }, &out, &err), 0);
  ck_assert(t_file_has("svc/big/run", "continued word"));
  free(out); free(err);
}
END_TEST

/* one program that cannot be converted: the others are written, exit 1 */
START_TEST(partial)
{
  char *out = 0, *err = 0;
  t_write("p.conf", "[program:good]\ncommand=true\n[program:bad]\ncommand=\"x\n[program:users]\ncommand=true\nuser=no-such-user-here\n");
  ck_assert_int_eq(svimport((char const *[]){ "p.conf", "svc", 0 }, &out, &err), 1);
  ck_assert(t_has_file((void *)"svc/good/run"));
  ck_assert(!t_has_file((void *)"svc/bad"));
  ck_assert(t_has_file((void *)"svc/users/run"));
  ck_assert(strstr(err, "p.conf:7: [program:users] user: no-such-user-here does not exist on this machine"));
  ck_assert(strstr(out, "svc/good: [program:good] of p.conf:1 (no directory: run does cd "));
  free(out); free(err);
  /* the user svimport runs as: no setpriv, as supervisord does nothing for its own user */
  {
    struct passwd *pw = getpwuid(geteuid());
    char conf[512];
    ck_assert(pw);
    snprintf(conf, sizeof conf, "[program:me]\ncommand=true\nuser=%s\n[program:other]\ncommand=true\nuser=%s\n", pw->pw_name, geteuid() ? "root" : "nobody");
    t_write("me.conf", conf);
    ck_assert_int_eq(svimport((char const *[]){ "me.conf", "svcme", 0 }, &out, &err), 0);
    ck_assert(t_file_has("svcme/me/run", "\nexec true\n"));
    ck_assert(t_file_has("svcme/other/run", "--init-groups -- true\n"));
  }
  free(out); free(err);
}
END_TEST

/* -n: the same lines and exit code, nothing created; an entry svimport did not make is
   an error; -f rewrites in place, keeps supervise/, drops what it no longer writes */
START_TEST(dry_and_force)
{
  char *out = 0, *err = 0, *out2 = 0, *err2 = 0;
  struct stat st;
  t_write("c.conf", "[program:web]\ncommand=true\nenvironment=A=1,B=2\n[program:other]\ncommand=true\n");
  t_mkdir("svc/other");
  t_write("svc/other/run", "#!/bin/sh\nmine\n");
  ck_assert_int_eq(svimport((char const *[]){ "-n", "c.conf", "svc", 0 }, &out, &err), 1);
  ck_assert(stat("svc/web", &st) == -1);
  ck_assert_int_eq(svimport((char const *[]){ "c.conf", "svc", 0 }, &out2, &err2), 1);
  ck_assert_str_eq(out, out2);
  ck_assert_str_eq(err, err2);
  ck_assert(strstr(err, "svc/other exists and svimport did not make it: not converted"));
  ck_assert(t_file_has("svc/other/run", "mine"));
  ck_assert(t_has_file((void *)"svc/web/env/B"));
  free(out); free(err); free(out2); free(err2);
  /* again without -f: refused; with -f: rewritten */
  ck_assert(t_has_file((void *)"svc/web:stderr/run"));
  t_write("c.conf", "[program:web]\ncommand=rec new\nenvironment=A=1\nstderr_logfile=NONE\n");
  ck_assert_int_eq(svimport((char const *[]){ "c.conf", "svc", 0 }, &out, &err), 1);
  ck_assert(strstr(err, "svimport -f rewrites an earlier import"));
  free(out); free(err);
  t_mkdir("svc/web/supervise");
  t_write("svc/web/supervise/keep", "x");
  {
    ino_t ino;
    ck_assert(stat("svc/web", &st) == 0);
    ino = st.st_ino;
    ck_assert_int_eq(svimport((char const *[]){ "-f", "c.conf", "svc", 0 }, &out, &err), 0);
    ck_assert(stat("svc/web", &st) == 0);
    ck_assert(st.st_ino == ino);
  }
  ck_assert(t_file_has("svc/web/run", "exec rec new"));
  ck_assert(!t_has_file((void *)"svc/web:stderr"));
  ck_assert(t_has_file((void *)"svc/web/supervise/keep"));
  ck_assert(!t_has_file((void *)"svc/web/env/B"));
  ck_assert(t_has_file((void *)"svc/web/env/A"));
  ck_assert_int_eq(t_sh("ls -a svc | grep -c '^\\.svimport' ", 0, 0, 5000) == 0, 0);
  free(out); free(err);
}
END_TEST

/* ---- converted services under the real supervise ---- */

static void convert (char const *text)
{
  char *out = 0, *err = 0;
  t_write("s.conf", text);
  ck_assert_msg(svimport((char const *[]){ "s.conf", "svc", 0 }, &out, &err) == 0, "svimport: %s", err);
  free(out);
  free(err);
}

static char const *recfile (char const *group, char const *name, char const *ext)
{
  static char b[4][4096];
  static unsigned int ring;
  char *p = b[ring++ & 3];
  snprintf(p, sizeof b[0], "%s/%s:%s.%s", t_path("rec"), group, name, ext);
  return p;
}

START_TEST(runs_as_user)
{
  struct passwd *pw = getpwnam("nobody");
  char want[64];
  char const *home = getenv("HOME");
  pid_t sup;
  if (geteuid() != 0) { fprintf(stderr, "skip: runs_as_user: needs root\n"); return; }
  if (!pw) { fprintf(stderr, "skip: runs_as_user: no user nobody\n"); return; }
  test_env();
  rec_setup();
  setenv("REC_SLEEP", "1", 1);
  setenv("REC_EXIT_ON_SIGNAL", "1", 1);
  convert("[supervisord]\nenvironment=GLOBAL=g,SHARED=global\n"
          "[program:u]\ncommand=rec as user\nuser=nobody\ndirectory=/tmp\numask=027\n"
          "environment=SHARED=\"from program\",TRAIL=\"t \"\nstdout_logfile=/dev/stdout\nredirect_stderr=true\n");
  setenv("SHARED", "from svscan", 1);   /* env/ wins over what supervise inherits */
  setenv("ONLY_INHERITED", "kept", 1);
  sup = t_supervise("svc/u", t_path("u.out"), t_path("u.err"));
  unsetenv("SHARED");
  unsetenv("ONLY_INHERITED");
  ck_assert_msg(t_wait_until(&t_has_file, (void *)recfile("u", "u", "argv"), 5000), "not started");
  snprintf(want, sizeof want, "uid=%u\ngid=%u\n", (unsigned)pw->pw_uid, (unsigned)pw->pw_gid);
  ck_assert_msg(t_file_has(recfile("u", "u", "info"), want), "%s", t_read(recfile("u", "u", "info")));
  ck_assert(t_file_has(recfile("u", "u", "info"), "umask=027\ncwd=/tmp\n"));
  {
    char *e;
    size_t n = readall(recfile("u", "u", "env"), &e), i;
    int seen = 0;
    char homekv[4096];
    snprintf(homekv, sizeof homekv, "HOME=%s", home ? home : "");
    for (i = 0; i < n; i += strlen(e + i) + 1)
    {
      if (!strcmp(e + i, "SUPERVISOR_ENABLED=1")) seen |= 1;
      if (!strcmp(e + i, "SUPERVISOR_PROCESS_NAME=u")) seen |= 2;
      if (!strcmp(e + i, "SUPERVISOR_GROUP_NAME=u")) seen |= 4;
      if (!strcmp(e + i, "SHARED=from program")) seen |= 8;
      if (!strcmp(e + i, "GLOBAL=g")) seen |= 16;
      if (!strcmp(e + i, "TRAIL=t ")) seen |= 32;
      if (!home || !strcmp(e + i, homekv)) seen |= 64;
      if (!strcmp(e + i, "ONLY_INHERITED=kept")) seen |= 128;
    }
    ck_assert_msg(seen == 255, "environment: %d", seen);
    free(e);
  }
  t_sup_exit("svc/u", sup);
  unsetenv("REC_SLEEP");
  unsetenv("REC_EXIT_ON_SIGNAL");
}
END_TEST

START_TEST(stopsignal_and_wait)
{
  pid_t sup;
  unsigned long long t0;
  test_env();
  rec_setup();
  setenv("REC_SLEEP", "1", 1);
  convert("[program:sig]\ncommand=rec sig\nstopsignal=USR1\nstopwaitsecs=1\nstdout_logfile=/dev/stdout\nstderr_logfile=/dev/stderr\n");
  ck_assert(t_file_has("svc/sig/down-signal", "USR1\n"));
  ck_assert(t_file_has("svc/sig/timeout-kill", "1000\n"));
  sup = t_supervise("svc/sig", t_path("sig.out"), t_path("sig.err"));
  ck_assert(t_wait_until(&t_has_file, (void *)recfile("sig", "sig", "argv"), 5000));
  ck_assert(t_wait_state("svc/sig", "state", "up", 3000));
  t0 = t_now_ms();
  t_control("svc/sig", "d");
  ck_assert(t_wait_file_has(recfile("sig", "sig", "sig"), "10\n", 3000));
  T_WAIT_STATE("svc/sig", "state", "down", 5000);
  ck_assert_msg(t_now_ms() - t0 >= 900, "down after %llu ms: not by timeout-kill", t_now_ms() - t0);
  ck_assert(t_file_has("svc/sig/supervise/state", "last_exit=signal KILL"));
  t_sup_exit("svc/sig", sup);
  unsetenv("REC_SLEEP");
}
END_TEST

START_TEST(startretries_fail)
{
  pid_t sup;
  test_env();
  rec_setup();
  setenv("REC_EXIT", "3", 1);
  convert("[program:fl]\ncommand=rec fails\nstartsecs=1\nstartretries=1\nstdout_logfile=/dev/stdout\nstderr_logfile=/dev/stderr\n");
  ck_assert(t_file_has("svc/fl/max-failures", "2\n"));
  ck_assert(t_file_has("svc/fl/min-uptime", "1000\n"));
  sup = t_supervise("svc/fl", t_path("fl.out"), t_path("fl.err"));
  T_WAIT_STATE("svc/fl", "state", "failed", 8000);
  ck_assert_int_eq(t_key_long("svc/fl", "failures"), 2);
  t_sup_exit("svc/fl", sup);
  unsetenv("REC_EXIT");
}
END_TEST

/* restart and success-codes are supervise's (SPEC 2): tested when this supervise has them */
static int supervise_has (char const *word)
{
  char p[4096];
  snprintf(p, sizeof p, "%s/supervise/supervise.c", t_top());
  return t_file_has(p, word);
}

static int restarted (void *svc)
{
  char *v = t_state_key(svc, "restarts");
  int r = v && atoi(v) >= 1;
  free(v);
  return r;
}

START_TEST(autorestart_false)
{
  pid_t sup;
  if (!supervise_has("success-codes")) { fprintf(stderr, "skip: autorestart_false: this supervise has no restart policies (SPEC 2 restart, success-codes)\n"); return; }
  test_env();
  rec_setup();
  setenv("REC_EXIT", "0", 1);
  convert("[program:once]\ncommand=rec once\nautorestart=false\nstartsecs=0\nstdout_logfile=/dev/stdout\nstderr_logfile=/dev/stderr\n");
  sup = t_supervise("svc/once", t_path("once.out"), t_path("once.err"));
  T_WAIT_STATE("svc/once", "want", "down", 5000);
  T_WAIT_STATE("svc/once", "state", "down", 5000);
  ck_assert_int_eq(t_key_long("svc/once", "restarts"), 0);
  t_sup_exit("svc/once", sup);
  unsetenv("REC_EXIT");
}
END_TEST

/* autorestart=unexpected with exitcodes: an expected code is not restarted, another is */
START_TEST(autorestart_unexpected)
{
  pid_t sup;
  if (!supervise_has("success-codes")) { fprintf(stderr, "skip: autorestart_unexpected: this supervise has no restart policies (SPEC 2 restart, success-codes)\n"); return; }
  test_env();
  rec_setup();
  setenv("REC_EXIT", "3", 1);
  convert("[program:une]\ncommand=sh -c 'sleep 0.3; exec rec une'\nexitcodes=0,3\nstartsecs=0\nstdout_logfile=/dev/stdout\nstderr_logfile=/dev/stderr\n");
  ck_assert(t_file_has("svc/une/restart", "on-failure\n"));
  ck_assert(t_file_has("svc/une/success-codes", "0 3\n"));
  sup = t_supervise("svc/une", t_path("une.out"), t_path("une.err"));
  T_WAIT_STATE("svc/une", "want", "down", 5000);
  ck_assert_int_eq(t_key_long("svc/une", "restarts"), 0);
  setenv("REC_EXIT", "4", 1);
  t_sup_exit("svc/une", sup);
  /* exit 4 is unexpected: restarted */
  sup = t_supervise("svc/une", t_path("une.out"), t_path("une.err"));
  ck_assert_msg(t_wait_until(&restarted, (void *)"svc/une", 8000), "exit 4 was not restarted");
  t_sup_exit("svc/une", sup);
  unsetenv("REC_EXIT");
}
END_TEST

START_TEST(logfile_by_svlog)
{
  char p[4096];
  pid_t sup;
  snprintf(p, sizeof p, "%ssvlog", t_bin());
  if (access(p, X_OK)) { fprintf(stderr, "skip: logfile_by_svlog: no svlog in %s\n", t_bin()); return; }
  test_env();
  rec_setup();
  setenv("REC_SLEEP", "1", 1);
  setenv("REC_EXIT_ON_SIGNAL", "1", 1);
  /* a line written to stderr while its logger is down reaches the file once it is back */
  convert("[program:lg]\ncommand=sh -c 'echo to stdout; echo to stderr >&2; while [ ! -e %(here)s/go ]; do sleep 0.05; done; echo while down >&2; exec rec lg'\n"
          "stdout_logfile=%(here)s/lg.out\nstdout_logfile_maxbytes=1MB\nstdout_logfile_backups=2\n"
          "stderr_logfile=%(here)s/lg.err\n");
  ck_assert(t_file_has("svc/lg/log/run", "exec svlog -s 1048576 -n 2 -f "));
  sup = t_supervise("svc/lg", t_path("sup.out"), t_path("sup.err"));
  {
    pid_t lsup = t_supervise("svc/lg:stderr", t_path("sup2.out"), t_path("sup2.err"));
    ck_assert(t_wait_file_has("lg.out", "to stdout\n", 5000));
    ck_assert(t_wait_file_has("lg.err", "to stderr\n", 5000));
    t_control("svc/lg:stderr", "d");
    T_WAIT_STATE("svc/lg:stderr", "state", "down", 5000);
    t_write("go", "");
    ck_assert(t_wait_until(&t_has_file, (void *)recfile("lg", "lg", "argv"), 5000));
    ck_assert(!t_file_has("lg.err", "while down"));
    t_control("svc/lg:stderr", "u");
    ck_assert_msg(t_wait_file_has("lg.err", "to stderr\nwhile down\n", 5000), "lost: %s", t_read("lg.err"));
    t_sup_exit("svc/lg:stderr", lsup);
  }
  t_sup_exit("svc/lg", sup);
  unsetenv("REC_SLEEP");
  unsetenv("REC_EXIT_ON_SIGNAL");
}
END_TEST

/* svscan watches DIR while svimport writes 40 services into it, then rewrites them with
   -f: svscan starts each service once, complete (its env/ there from the first spawn),
   never a dot-named build, and a rewrite restarts nothing */
static int count_argv (void *n)
{
  char cmd[256];
  char *out = 0;
  int c;
  snprintf(cmd, sizeof cmd, "ls rec | grep -c '\\.argv$'");
  t_sh(cmd, &out, 0, 5000);
  c = out ? atoi(out) : 0;
  free(out);
  return c >= *(int *)n;
}

START_TEST(atomic_under_svscan)
{
  FILE *f;
  int i, n = 40;
  pid_t scan;
  char *out = 0, *err = 0, *log;
  test_env();
  rec_setup();
  setenv("REC_SLEEP", "1", 1);
  setenv("REC_EXIT_ON_SIGNAL", "1", 1);
  t_mkdir("svc");
  f = fopen("many.conf", "w");
  ck_assert(f);
  for (i = 0; i < n; i++)
    fprintf(f, "[program:p%02d]\ncommand=rec p%02d\nenvironment=A=%d,B=\"x y\"\nstdout_logfile=/dev/stdout\nstderr_logfile=/dev/stderr\n\n", i, i, i);
  fclose(f);
  scan = t_svscan("svscan.log", 0, "svc");
  ck_assert_int_eq(svimport((char const *[]){ "many.conf", "svc", 0 }, &out, &err), 0);
  free(out); free(err);
  ck_assert_msg(t_wait_until(&count_argv, &n, 15000), "not every service started");
  for (i = 0; i < n; i++)
  {
    char key[32], want[64], *e;
    size_t len, j;
    int seen = 0;
    snprintf(key, sizeof key, "p%02d", i);
    len = readall(recfile(key, key, "env"), &e);
    ck_assert(len != (size_t)-1);
    snprintf(want, sizeof want, "A=%d", i);
    for (j = 0; j < len; j += strlen(e + j) + 1)
      if (!strcmp(e + j, want) || !strcmp(e + j, "B=x y") || !strcmp(e + j, "SUPERVISOR_ENABLED=1")) seen++;
    ck_assert_msg(seen == 3, "%s started without its whole env/", key);
    free(e);
  }
  /* each started once: one pid line per service, none restarted by the rewrite */
  ck_assert_int_eq(svimport((char const *[]){ "-f", "many.conf", "svc", 0 }, &out, &err), 0);
  free(out); free(err);
  for (i = 0; i < n; i++)
  {
    char sv[32];
    snprintf(sv, sizeof sv, "svc/p%02d", i);
    ck_assert_int_eq(t_key_long(sv, "restarts"), 0);
  }
  log = t_read("svscan.log");
  ck_assert_msg(!log || !strstr(log, ".svimport"), "svscan saw a build: %s", log);
  free(log);
  ck_assert_int_eq(t_sh("ls -a svc | grep -c '^\\.svimport'", &out, 0, 5000), 1);
  free(out);
  kill(scan, SIGTERM);
  ck_assert_int_eq(t_wait_code(scan, 10000), 0);
  unsetenv("REC_SLEEP");
  unsetenv("REC_EXIT_ON_SIGNAL");
}
END_TEST

Suite *svimport_suite (void)
{
  Suite *s = suite_create("svimport");
  TCase *tc = t_tcase(s, "argv", 120);
  tcase_add_test(tc, argv_exact);
  tcase_add_test(tc, argv_random);
  tc = t_tcase(s, "input", 60);
  tcase_add_test(tc, bad_input);
  tcase_add_test(tc, bad_files);
  tcase_add_test(tc, big_file);
  tcase_add_test(tc, partial);
  tcase_add_test(tc, dry_and_force);
  tc = t_tcase(s, "supervise", 60);
  tcase_add_test(tc, runs_as_user);
  tcase_add_test(tc, stopsignal_and_wait);
  tcase_add_test(tc, startretries_fail);
  tcase_add_test(tc, autorestart_false);
  tcase_add_test(tc, autorestart_unexpected);
  tcase_add_test(tc, logfile_by_svlog);
  tc = t_tcase(s, "atomic", 60);
  tcase_add_test(tc, atomic_under_svscan);
  return s;
}
