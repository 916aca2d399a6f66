/* SPDX-License-Identifier: ISC */
/* t/integ/install.c: make install/uninstall into a DESTDIR, the installed tree run from
   there, the runit names (sv, runsv, runsvdir, sv's LSB mode), bash completion, man page
   lint */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"
#include "suites.h"

/* the source tree: $T_TOP, else the parent of $T_BIN */
static char const *top (void)
{
  static char buf[4096];
  char const *t = getenv("T_TOP");
  size_t n;
  if (t && *t) return t;
  n = strlen(T_BIN);
  ck_assert(n + 4 < sizeof buf);
  memcpy(buf, T_BIN, n + 1);
  strcat(buf, "..");
  return buf;
}

/* the version in package/info */
static char const *version (void)
{
  static char v[64];
  char path[4096], *s, *p;
  snprintf(path, sizeof path, "%s/package/info", top());
  s = t_read(path);
  ck_assert_msg(s != 0, "unable to read %s", path);
  p = strstr(s, "version=");
  ck_assert(p != 0);
  p += 8;
  snprintf(v, sizeof v, "%.*s", (int)strcspn(p, "\n"), p);
  free(s);
  return v;
}

/* sh -c cmd; its stdout (malloc'd) in *out when out is not 0; the exit code */
static int sh (char const *cmd, char **out)
{
  char *o = 0, *e = 0;
  int r = t_sh(cmd, &o, &e, 30000);
  if (r != 0 && e && *e) fprintf(stderr, "install: `%s` exited %d: %s", cmd, r, e);
  free(e);
  if (out) *out = o;
  else free(o);
  return r;
}

/* make TARGET VARS in the source tree, without the make that runs the tests' jobserver */
static int make (char const *target, char const *vars)
{
  char cmd[16384];
  snprintf(cmd, sizeof cmd, "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C '%s' %s %s", top(), target, vars);
  return sh(cmd, 0);
}

static void check_mode (char const *path, mode_t type, mode_t perm)
{
  struct stat st;
  ck_assert_msg(lstat(path, &st) == 0, "%s: not installed", path);
  ck_assert_msg((st.st_mode & S_IFMT) == type, "%s: wrong file type", path);
  if (type != S_IFLNK) ck_assert_msg((st.st_mode & 07777) == perm, "%s: mode %o, want %o", path, (unsigned)(st.st_mode & 07777), (unsigned)perm);
}

static void check_link (char const *path, char const *target)
{
  char buf[4096];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  ck_assert_msg(n > 0, "%s: not a symbolic link", path);
  buf[n] = 0;
  ck_assert_msg(!strcmp(buf, target), "%s -> %s, want %s", path, buf, target);
}

/* NAME --version prints "NAME (svtree) VERSION" */
static void check_version (char const *bindir, char const *name)
{
  char path[8192], want[256];
  char *out = 0;
  int r;
  snprintf(path, sizeof path, "%s/%s", bindir, name);
  snprintf(want, sizeof want, "%s (svtree) %s\n", name, version());
  r = t_run((char const *[]){ path, "--version", 0 }, &out, 0, 5000);
  ck_assert_msg(r == 0, "%s --version exited %d", path, r);
  ck_assert_msg(out && !strcmp(out, want), "%s --version printed [%s], want [%s]", path, out ? out : "", want);
  free(out);
  r = t_run((char const *[]){ path, "--help", 0 }, &out, 0, 5000);
  ck_assert_msg(r == 0, "%s --help exited %d", path, r);
  ck_assert_msg(out && strstr(out, "usage: "), "%s --help printed no usage: [%s]", path, out ? out : "");
  free(out);
}

/* DESTDIR with PREFIX /usr/local: programs, man pages, completion; then uninstall */
START_TEST(layout)
{
  char dest[1024], vars[4096], p[4096], *left = 0;
  char const *progs[] = { "svscan", "supervise", "svctl", "svlog", "svimport" };
  unsigned int i;
  snprintf(dest, sizeof dest, "%s/dest", t_dir());
  snprintf(vars, sizeof vars, "DESTDIR='%s' BINSRC='%s'", dest, T_BIN);
  ck_assert_int_eq(make("install-files", vars), 0);
  for (i = 0; i < 5; i++)
  {
    snprintf(p, sizeof p, "%s/usr/local/bin/%s", dest, progs[i]);
    check_mode(p, S_IFREG, 0755);
    snprintf(p, sizeof p, "%s/usr/local/share/man/man8/%s.8", dest, progs[i]);
    check_mode(p, S_IFREG, 0644);
  }
  snprintf(p, sizeof p, "%s/usr/local/share/bash-completion/completions/svctl", dest);
  check_mode(p, S_IFREG, 0644);
  snprintf(p, sizeof p, "%s/usr/local/bin", dest);
  for (i = 0; i < 5; i++) check_version(p, progs[i]);

  ck_assert_int_eq(make("install-compat", vars), 0);
  snprintf(p, sizeof p, "%s/usr/local/bin/sv", dest);
  check_link(p, "svctl");
  snprintf(p, sizeof p, "%s/usr/local/bin/runsv", dest);
  check_link(p, "supervise");
  snprintf(p, sizeof p, "%s/usr/local/bin/runsvdir", dest);
  check_link(p, "svscan");

  ck_assert_int_eq(make("uninstall", vars), 0);
  snprintf(p, sizeof p, "find '%s' ! -type d", dest);
  ck_assert_int_eq(sh(p, &left), 0);
  ck_assert_msg(left && !*left, "left after make uninstall: %s", left ? left : "");
  free(left);
}
END_TEST

/* PREFIX is honoured; uninstall leaves a compat name that is not our link alone */
START_TEST(prefix_dir)
{
  char dest[1024], vars[4096], p[4096];
  snprintf(dest, sizeof dest, "%s/dest2", t_dir());
  snprintf(vars, sizeof vars, "DESTDIR='%s' PREFIX=/opt/svtree BINSRC='%s'", dest, T_BIN);
  ck_assert_int_eq(make("install-files", vars), 0);
  snprintf(p, sizeof p, "%s/opt/svtree/bin/svctl", dest);
  check_mode(p, S_IFREG, 0755);
  snprintf(p, sizeof p, "%s/opt/svtree/share/man/man8/svctl.8", dest);
  check_mode(p, S_IFREG, 0644);
  snprintf(p, sizeof p, "%s/opt/svtree/bin/sv", dest);
  t_write(p, "runit's\n");
  ck_assert_int_eq(make("uninstall", vars), 0);
  ck_assert_msg(t_has_file(p), "make uninstall removed an sv that is not ours");
  snprintf(p, sizeof p, "%s/opt/svtree/bin/svctl", dest);
  ck_assert_msg(!t_has_file(p), "make uninstall left svctl");
}
END_TEST

/* the compat tree: DESTDIR/usr/bin with sv, runsv, runsvdir links */
static char compat_bin[4096];

static char const *compat (void)
{
  char dest[1024], vars[4096];
  if (compat_bin[0]) return compat_bin;
  snprintf(dest, sizeof dest, "%s/compat", t_dir());
  snprintf(vars, sizeof vars, "DESTDIR='%s' PREFIX=/usr BINSRC='%s'", dest, T_BIN);
  ck_assert_int_eq(make("install-files", vars), 0);
  ck_assert_int_eq(make("install-compat", vars), 0);
  snprintf(compat_bin, sizeof compat_bin, "%s/usr/bin", dest);
  return compat_bin;
}

/* run a program of the compat tree with SVDIR=svdir; stdout in *out */
static int crun (char const *svdir, char const *const *argv, char **out)
{
  char cmd[16384];
  size_t n;
  unsigned int i;
  n = (size_t)snprintf(cmd, sizeof cmd, "SVDIR='%s' exec", svdir);
  for (i = 0; argv[i]; i++)
    n += (size_t)snprintf(cmd + n, sizeof cmd - n, " '%s'", argv[i]);
  ck_assert(n < sizeof cmd);
  return t_sh(cmd, out, 0, 20000);
}

static char const *cbin (char const *name)
{
  static char buf[4][4096];
  static unsigned int k;
  char *b = buf[k++ % 4];
  snprintf(b, 4096, "%s/%s", compat(), name);
  return b;
}

static void expect (char const *svdir, char const *const *argv, int code, char const *prefix)
{
  char what[4096], *out = 0;
  size_t n = 0;
  unsigned int i;
  int r = crun(svdir, argv, &out);
  what[0] = 0;
  for (i = 0; argv[i] && n < sizeof what - 1; i++)
    n += (size_t)snprintf(what + n, sizeof what - n, "%s%s", i ? " " : "", i ? argv[i] : strrchr(argv[0], '/') + 1);
  ck_assert_msg(r == code, "%s: exit %d, want %d (%s)", what, r, code, out ? out : "");
  if (prefix)
    ck_assert_msg(out && !strncmp(out, prefix, strlen(prefix)), "%s: printed [%s], want [%s...]", what, out ? out : "", prefix);
  free(out);
}

/* the core issue's acceptance cases through the runit names: supervise started as runsv,
   driven by sv, as runit scripts do */
START_TEST(sv_runsv)
{
  char svdir[4096];
  pid_t sup;
  int w;
  snprintf(svdir, sizeof svdir, "%s/svc1", t_dir());
  t_mkdir("svc1");
  t_service("svc1/web", "exec sleep 1000");
  sup = t_spawn_io((char const *[]){ cbin("runsv"), "svc1/web", 0 }, "runsv.out", "runsv.err");
  ck_assert_msg(t_wait_state("svc1/web", "state", "up", 5000), "runsv svc1/web: web not up");
  expect(svdir, (char const *[]){ cbin("sv"), "status", "web", 0 }, 0, "run: web: (pid ");
  expect(svdir, (char const *[]){ cbin("sv"), "-v", "down", "web", 0 }, 0, "ok: down: web: ");
  expect(svdir, (char const *[]){ cbin("sv"), "status", "web", 0 }, 0, "down: web: ");
  expect(svdir, (char const *[]){ cbin("sv"), "-v", "up", "web", 0 }, 0, "ok: run: web: ");
  /* sv reads an action by its first letter */
  expect(svdir, (char const *[]){ cbin("sv"), "s", "web", 0 }, 0, "run: web: ");
  expect(svdir, (char const *[]){ cbin("sv"), "-w", "5", "restart", "web", 0 }, 0, "ok: run: web: ");
  expect(svdir, (char const *[]){ cbin("sv"), "status", "nosuch", 0 }, 1, "fail: nosuch: unable to change to service directory");
  /* sv's usage errors exit 100, and it has no svc-style options */
  expect(svdir, (char const *[]){ cbin("sv"), "status", 0 }, 100, 0);
  expect(svdir, (char const *[]){ cbin("sv"), "-u", "web", 0 }, 100, 0);
  expect(svdir, (char const *[]){ cbin("sv"), "bogus", "web", 0 }, 100, 0);
  expect(svdir, (char const *[]){ cbin("sv"), "-v", "exit", "web", 0 }, 0, "ok: web: runsv not running");
  ck_assert_msg(t_wait_exit(sup, 5000, &w), "runsv still running after sv exit");
  ck_assert_msg(WIFEXITED(w), "killed by signal %d, not exited", WTERMSIG(w));
  ck_assert_int_eq(WEXITSTATUS(w), 0);
  expect(svdir, (char const *[]){ cbin("sv"), "status", "web", 0 }, 1, "fail: web: runsv not running");
}
END_TEST

/* sv's LSB mode: /etc/init.d/NAME -> sv acts on service NAME, with LSB exit codes */
START_TEST(lsb)
{
  char svdir[4096], init[4096], p[4096];
  pid_t sup;
  snprintf(svdir, sizeof svdir, "%s/svc2", t_dir());
  t_mkdir("svc2");
  t_service("svc2/db", "exec sleep 1000");
  t_mkdir("etc/init.d");
  snprintf(init, sizeof init, "%s/etc/init.d/db", t_dir());
  ck_assert_int_eq(symlink(cbin("sv"), init), 0);
  sup = t_spawn_io((char const *[]){ cbin("runsv"), "svc2/db", 0 }, "lsb.out", "lsb.err");
  ck_assert_msg(t_wait_state("svc2/db", "state", "up", 5000), "runsv svc2/db: db not up");
  expect(svdir, (char const *[]){ init, "status", 0 }, 0, "run: db: (pid ");
  expect(svdir, (char const *[]){ init, "stop", 0 }, 0, "ok: down: db: ");
  expect(svdir, (char const *[]){ init, "status", 0 }, 3, "down: db: ");
  expect(svdir, (char const *[]){ init, "start", 0 }, 0, "ok: run: db: ");
  expect(svdir, (char const *[]){ init, "restart", 0 }, 0, "ok: run: db: ");
  expect(svdir, (char const *[]){ init, "reload", 0 }, 0, "ok: run: db: ");
  expect(svdir, (char const *[]){ init, "-w", "5", "force-restart", 0 }, 0, "ok: run: db: ");
  /* LSB: usage is exit 2; "status" must be spelled out */
  expect(svdir, (char const *[]){ init, "bogus", 0 }, 2, 0);
  expect(svdir, (char const *[]){ init, "stat", 0 }, 2, 0);
  expect(svdir, (char const *[]){ init, 0 }, 2, 0);
  /* through a link of another name: still LSB mode */
  snprintf(p, sizeof p, "%s/db", t_dir());
  ck_assert_int_eq(symlink(cbin("svctl"), p), 0);
  expect(svdir, (char const *[]){ p, "status", 0 }, 0, "run: db: ");
  expect(svdir, (char const *[]){ init, "shutdown", 0 }, 0, "ok: db: runsv not running");
  ck_assert_msg(t_wait_exit(sup, 5000, 0), "runsv still running after shutdown");
  expect(svdir, (char const *[]){ init, "status", 0 }, 1, "fail: db: runsv not running");
  snprintf(p, sizeof p, "%s/etc/init.d/nosuch", t_dir());
  ck_assert_int_eq(symlink(cbin("sv"), p), 0);
  expect(svdir, (char const *[]){ p, "status", 0 }, 1, "fail: nosuch: unable to change to service directory");
}
END_TEST

/* runsvdir's argument form: runsvdir [-P] dir [log] */
START_TEST(runsvdir)
{
  char svdir[4096];
  char const *forms[2][5] = { { 0, "svc3", 0 }, { 0, "-P", "svc4", "log: ................................", 0 } };
  unsigned int i;
  for (i = 0; i < 2; i++)
  {
    char const *d = i ? "svc4" : "svc3";
    char a[256], b[256];
    pid_t scan;
    int w;
    forms[i][0] = cbin("runsvdir");
    snprintf(svdir, sizeof svdir, "%s/%s", t_dir(), d);
    snprintf(a, sizeof a, "%s/a", d);
    snprintf(b, sizeof b, "%s/b", d);
    t_mkdir(d);
    t_service(a, "exec sleep 1000");
    t_service(b, "exec sleep 1000");
    scan = t_spawn_io(forms[i], "runsvdir.out", "runsvdir.err");
    ck_assert_msg(t_wait_state(a, "state", "up", 5000), "runsvdir %s: a not up", d);
    ck_assert_msg(t_wait_state(b, "state", "up", 5000), "runsvdir %s: b not up", d);
    expect(svdir, (char const *[]){ cbin("sv"), "status", "a", "b", 0 }, 0, "run: a: (pid ");
    kill(scan, SIGTERM);
    ck_assert_msg(t_wait_exit(scan, 10000, &w), "runsvdir %s: still running 10 s after SIGTERM", d);
    ck_assert_msg(WIFEXITED(w) && WEXITSTATUS(w) == 0, "runsvdir %s: wstat %d", d, w);
    expect(svdir, (char const *[]){ cbin("sv"), "status", "a", 0 }, 1, "fail: a: runsv not running");
  }
  expect(".", (char const *[]){ cbin("runsvdir"), 0 }, 100, 0);
}
END_TEST

/* package/completion/svctl.bash: registered for svctl; verbs, flags, services */
START_TEST(completion)
{
  char cmd[16384], *out = 0;
  if (access("/bin/bash", X_OK))
  {
    printf("skip: completion: bash not installed\n");
    return;
  }
  t_mkdir("svc5/web");
  t_mkdir("svc5/worker");
  t_mkdir("svc5/.hidden");
  snprintf(cmd, sizeof cmd,
    "exec /bin/bash --norc --noprofile -c '"
    "source %s/package/completion/svctl.bash || exit 1; complete -p svctl; export SVDIR=%s/svc5; "
    "c () { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _svctl; echo \"[${COMPREPLY[*]}]\"; }; "
    "c svctl res; c svctl st; c svctl --ver; c svctl restart w; c svctl -w 5 up wo; c svctl -u \"\"; c svctl status --j"
    "'", top(), t_dir());
  ck_assert_int_eq(t_sh(cmd, &out, 0, 10000), 0);
  ck_assert_msg(out && !strcmp(out,
    "complete -F _svctl svctl\n"
    "[restart]\n"
    "[status start stop]\n"
    "[--version]\n"
    "[web worker]\n"
    "[worker]\n"
    "[web worker]\n"
    "[--json]\n"), "completion printed:\n%s", out ? out : "");
  free(out);
}
END_TEST

/* every man page: groff -ww and mandoc -T lint clean, and says what it must */
static char const *const svctl_words[] = {
  "\\-\\-json", "\\-\\-version", "\\-\\-help", "SVDIR", "SVWAIT", "EXIT STATUS", "EXAMPLES", "LSB", "NO_COLOR",
  "install\\-compat", "force\\-restart", "try\\-restart", "shutdown", "reload", "check", "RESTARTS", 0 };
static char const *const supervise_words[] = {
  "notification\\-fd", "min\\-uptime", "max\\-backoff", "max\\-failures", "critical", "down\\-signal",
  "timeout\\-kill", "timeout\\-finish", "env/", "control/", "finish", "ready_since", "backoff_until",
  "last_exit", "restarts", "failures", "pid_start", "runsv", "\\-\\-version", "EXIT", "EXAMPLES", 0 };
static char const *const svscan_words[] = {
  "\\-g", "\\-t", "SVDIR", "runsvdir", "\\-P", "\\-\\-version", "EXIT STATUS", "EXAMPLES", 0 };

static char const *const svlog_words[] = {
  "\\-tt", "\\-ttt", "\\-T", "\\-e", "\\-B", "\\-L", "\\-m", "current", "lock", "config", "SIGKILL",
  "No space left on device", "svlogd", "EXIT STATUS", "EXAMPLES", 0 };

static void lint (char const *name, char const *const *words)
{
  char page[4096], cmd[8192], *out = 0, *text;
  unsigned int i;
  snprintf(page, sizeof page, "%s/%s/%s.8", top(), name, name);
  text = t_read(page);
  ck_assert_msg(text != 0, "%s: missing", page);
  for (i = 0; words[i]; i++)
    ck_assert_msg(strstr(text, words[i]) != 0, "%s does not say %s", page, words[i]);
  free(text);
  if (access("/usr/bin/groff", X_OK) == 0)
  {
    snprintf(cmd, sizeof cmd, "groff -ww -man -z '%s' 2>&1", page);
    ck_assert_int_eq(t_sh(cmd, &out, 0, 10000), 0);
    ck_assert_msg(out && !*out, "groff -ww -man %s:\n%s", page, out ? out : "");
    free(out);
  }
  else printf("skip: man %s: groff not installed\n", name);
  if (access("/usr/bin/mandoc", X_OK) == 0)
  {
    snprintf(cmd, sizeof cmd, "mandoc -T lint '%s' 2>&1", page);
    t_sh(cmd, &out, 0, 10000);
    ck_assert_msg(out && !*out, "mandoc -T lint %s:\n%s", page, out ? out : "");
    free(out);
  }
  else printf("skip: man %s: mandoc not installed (package/deps --test installs it)\n", name);
}

START_TEST(man_svctl) { lint("svctl", svctl_words); }
END_TEST
START_TEST(man_supervise) { lint("supervise", supervise_words); }
END_TEST
START_TEST(man_svscan) { lint("svscan", svscan_words); }
END_TEST
START_TEST(man_svlog) { lint("svlog", svlog_words); }
END_TEST
static char const *const svimport_words[] = {
  "\\-n", "\\-f", "supervisord", "setpriv", "stderr.fifo", ":stderr", "success\\-codes", "max\\-failures",
  "timeout\\-kill", "down\\-signal", "min\\-uptime", "ENV_", "EXIT STATUS", "EXAMPLES", 0 };
START_TEST(man_svimport) { lint("svimport", svimport_words); }
END_TEST

Suite *install_suite (void)
{
  Suite *s = suite_create("install");
  TCase *tc = tcase_create("tree");
  t_fixtures(tc);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, layout);
  tcase_add_test(tc, prefix_dir);
  suite_add_tcase(s, tc);
  tc = tcase_create("compat");
  t_fixtures(tc);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, sv_runsv);
  tcase_add_test(tc, lsb);
  tcase_add_test(tc, runsvdir);
  suite_add_tcase(s, tc);
  tc = tcase_create("completion");
  t_fixtures(tc);
  tcase_add_test(tc, completion);
  suite_add_tcase(s, tc);
  tc = tcase_create("man");
  tcase_add_test(tc, man_svctl);
  tcase_add_test(tc, man_supervise);
  tcase_add_test(tc, man_svscan);
  tcase_add_test(tc, man_svlog);
  tcase_add_test(tc, man_svimport);
  suite_add_tcase(s, tc);
  return s;
}
