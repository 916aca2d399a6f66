/* SPDX-License-Identifier: ISC */
/* t/integ/deb.c: the Debian package of `make deb` (package/mkdeb): metadata, contents,
   installed with dpkg into a scratch root and run from there, no file shared with runit or
   daemontools */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

static char const *top (void)
{
  static char buf[4096];
  char const *t = getenv("T_TOP");
  if (t && *t) return t;
  snprintf(buf, sizeof buf, "%s..", T_BIN);
  return buf;
}

/* sh -c cmd, stdout in *out (malloc'd) if out; fails the test unless it exits want */
static void sh (char const *cmd, char **out, int want)
{
  char *o = 0, *e = 0;
  int r = t_sh(cmd, &o, &e, 60000);
  ck_assert_msg(r == want, "`%s` exited %d, want %d:\n%s%s", cmd, r, want, o ? o : "", e ? e : "");
  free(e);
  if (out) *out = o;
  else free(o);
}

static int have (char const *tool)
{
  char cmd[256];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null", tool);
  if (t_sh(cmd, 0, 0, 5000) == 0) return 1;
  printf("skip: deb: %s not installed\n", tool);
  fflush(stdout);
  return 0;
}

/* the .deb, built once per TCase by the fixture (in the runner, before the tests fork) */
static char deb_path[4096], deb_err[4096];

static void setup (void)
{
  char cmd[8192], *out = 0, *err = 0;
  int r;
  t_setup();
  deb_path[0] = deb_err[0] = 0;
  if (t_sh("command -v dpkg-deb >/dev/null", 0, 0, 5000)) return;
  snprintf(cmd, sizeof cmd, "cd '%s' && sh package/mkdeb '%s' '%s/out'", top(), T_BIN, t_dir());
  r = t_sh(cmd, &out, &err, 60000);
  if (r == 0 && out && *out) snprintf(deb_path, sizeof deb_path, "%.*s", (int)strcspn(out, "\n"), out);
  else snprintf(deb_err, sizeof deb_err, "package/mkdeb exited %d: %s", r, err ? err : "");
  free(out);
  free(err);
}

static char const *build (void)
{
  ck_assert_msg(deb_path[0], "%s", deb_err);
  return deb_path;
}

static void has_line (char const *text, char const *line, char const *what)
{
  size_t n = strlen(line);
  char const *p = text;
  for (;;)
  {
    if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n])) return;
    p = strchr(p, '\n');
    ck_assert_msg(p, "%s: no line [%s] in:\n%s", what, line, text);
    p++;
  }
}

START_TEST(metadata)
{
  char cmd[8192], want[4096], *arch = 0, *out = 0, *info = 0;
  char const *deb;
  if (!have("dpkg-deb")) return;
  deb = build();
  sh("dpkg --print-architecture", &arch, 0);
  arch[strcspn(arch, "\n")] = 0;
  snprintf(cmd, sizeof cmd, "%s/package/info", top());
  info = t_read(cmd);
  ck_assert(info && strstr(info, "version="));
  snprintf(want, sizeof want, "%s/out/svtree_%.*s_%s.deb", t_dir(), (int)strcspn(strstr(info, "version=") + 8, "\n"), strstr(info, "version=") + 8, arch);
  ck_assert_msg(!strcmp(deb, want), "built %s, want %s", deb, want);

  snprintf(cmd, sizeof cmd, "dpkg-deb -f '%s'", deb);
  sh(cmd, &out, 0);
  has_line(out, "Package: svtree", "control");
  snprintf(want, sizeof want, "Version: %.*s", (int)strcspn(strstr(info, "version=") + 8, "\n"), strstr(info, "version=") + 8);
  has_line(out, want, "control");
  snprintf(want, sizeof want, "Architecture: %s", arch);
  has_line(out, want, "control");
  has_line(out, "Section: admin", "control");
  has_line(out, "Priority: optional", "control");
  ck_assert_msg(strstr(out, "\nMaintainer: ") && strstr(out, "\nInstalled-Size: ") && strstr(out, "\nDescription: "), "control lacks a field:\n%s", out);
  /* static programs need nothing; dynamic ones depend on what they link */
  snprintf(cmd, sizeof cmd, "readelf -d '%ssvctl' | grep -q NEEDED", T_BIN);
  if (t_sh(cmd, 0, 0, 5000) == 0)
    ck_assert_msg(strstr(out, "\nDepends: libc6"), "dynamic programs but no Depends: libc6:\n%s", out);
  else
    ck_assert_msg(!strstr(out, "Depends:"), "static programs but a Depends:\n%s", out);
  free(out);

  /* control archive: control and md5sums, no conffiles, no maintainer scripts */
  snprintf(cmd, sizeof cmd, "dpkg-deb --ctrl-tarfile '%s' | tar -t | sort | tr '\\n' ' '", deb);
  sh(cmd, &out, 0);
  ck_assert_msg(!strcmp(out, "./ ./control ./md5sums "), "control archive holds: %s", out);
  free(out);
  free(arch);
  free(info);
}
END_TEST

START_TEST(contents)
{
  char cmd[8192], *out = 0;
  char const *deb;
  char const *want[] = {
    "-rwxr-xr-x ./usr/bin/svctl", "-rwxr-xr-x ./usr/bin/svlog", "-rw-r--r-- ./usr/share/man/man8/svlog.8.gz",
    "-rwxr-xr-x ./usr/bin/svimport", "-rw-r--r-- ./usr/share/man/man8/svimport.8.gz",
    "-rwxr-xr-x ./usr/lib/svtree/svscan", "-rwxr-xr-x ./usr/lib/svtree/supervise",
    "lrwxrwxrwx ./usr/sbin/svscan -> ../lib/svtree/svscan", "lrwxrwxrwx ./usr/sbin/supervise -> ../lib/svtree/supervise",
    "-rw-r--r-- ./usr/share/man/man8/svctl.8.gz", "-rw-r--r-- ./usr/share/man/man8/svscan.8svtree.gz",
    "-rw-r--r-- ./usr/share/man/man8/supervise.8svtree.gz", "-rw-r--r-- ./usr/share/bash-completion/completions/svctl",
    "-rw-r--r-- ./usr/share/doc/svtree/copyright", "drwxr-xr-x ./etc/service/", 0 };
  unsigned int i;
  if (!have("dpkg-deb")) return;
  deb = build();
  /* mode, owner, name: "-rwxr-xr-x root/root ... ./usr/bin/svctl" */
  snprintf(cmd, sizeof cmd, "dpkg-deb -c '%s' | awk '{ printf \"%%s %%s\", $1, $6; if ($7 != \"\") printf \" %%s %%s\", $7, $8; print \"\" }'", deb);
  sh(cmd, &out, 0);
  for (i = 0; want[i]; i++) has_line(out, want[i], "dpkg-deb -c");
  ck_assert_msg(!strstr(out, "/sv\n") && !strstr(out, "/runsv\n") && !strstr(out, "/runsvdir\n"), "compat names in the package:\n%s", out);
  ck_assert_msg(!strstr(out, "./usr/bin/svscan") && !strstr(out, "./usr/bin/supervise") && !strstr(out, "man8/svscan.8.gz") && !strstr(out, "man8/supervise.8.gz"), "daemontools' paths in the package:\n%s", out);
  free(out);
  snprintf(cmd, sizeof cmd, "dpkg-deb -c '%s' | awk '$2 != \"root/root\"'", deb);
  sh(cmd, &out, 0);
  ck_assert_msg(!*out, "files not owned by root:\n%s", out);
  free(out);
  /* man pages: gzip -9n (no name, no time stamp), and they decompress */
  snprintf(cmd, sizeof cmd, "dpkg-deb --fsys-tarfile '%s' | tar -xO ./usr/share/man/man8/svctl.8.gz | od -An -tx1 -N8 | tr -d ' \\n'", deb);
  sh(cmd, &out, 0);
  ck_assert_msg(!strcmp(out, "1f8b080000000000"), "svctl.8.gz header %s: not gzip -n", out);
  free(out);
  snprintf(cmd, sizeof cmd, "dpkg-deb --fsys-tarfile '%s' | tar -xO ./usr/share/man/man8/svscan.8svtree.gz | gzip -dc | head -1", deb);
  sh(cmd, &out, 0);
  ck_assert_msg(!strncmp(out, ".TH SVSCAN 8svtree ", 19), "svscan.8svtree: first line %s", out);
  free(out);
}
END_TEST

/* dpkg -i into a scratch root; the programs run from there (svscan finds the supervise
   beside it); dpkg -r leaves nothing */
START_TEST(install)
{
  char cmd[16384], *out = 0;
  char const *deb;
  if (!have("dpkg-deb") || !have("dpkg")) return;
  deb = build();
  snprintf(cmd, sizeof cmd,
    "R='%s/root' && mkdir -p $R/var/lib/dpkg/info $R/var/lib/dpkg/updates && touch $R/var/lib/dpkg/status && "
    "dpkg --root=$R --force-not-root --force-script-chrootless -i '%s' >/dev/null && $R/usr/bin/svctl --version",
    t_dir(), deb);
  sh(cmd, &out, 0);
  ck_assert_msg(!strncmp(out, "svctl (svtree) ", 15), "installed svctl --version: %s", out);
  free(out);
  t_mkdir("scan");
  t_service("scan/web", "exec sleep 1000");
  t_write("scan/web/min-uptime", "20");
  {
    char scan[4096];
    pid_t p;
    snprintf(scan, sizeof scan, "%s/root/usr/sbin/svscan", t_dir());
    p = t_spawn_io((char const *[]){ scan, "scan", 0 }, "svscan.err", "svscan.err");
    ck_assert_msg(t_wait_state("scan/web", "state", "up", 5000), "the installed svscan did not start web");
    snprintf(cmd, sizeof cmd, "readlink /proc/%d/exe", (int)p);
    sh(cmd, &out, 0);
    ck_assert_msg(strstr(out, "/root/usr/lib/svtree/svscan"), "svscan runs from %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "SVDIR='%s/scan' '%s/root/usr/bin/svctl' status web", t_dir(), t_dir());
    sh(cmd, &out, 0);
    ck_assert_msg(!strncmp(out, "run: web: (pid ", 15), "installed svctl status: %s", out);
    free(out);
    kill(p, SIGTERM);
    ck_assert_msg(t_wait_exit(p, 10000, 0), "the installed svscan still running 10 s after SIGTERM");
  }
  snprintf(cmd, sizeof cmd, "R='%s/root' && dpkg --root=$R --force-not-root --force-script-chrootless -r svtree >/dev/null && find $R ! -path \"$R/var*\" ! -type d", t_dir());
  sh(cmd, &out, 0);
  ck_assert_msg(!*out, "left after dpkg -r: %s", out);
  free(out);
}
END_TEST

/* with runit's /etc/service (a link into /etc/runit) and daemontools' svscan, supervise and
   their man pages already installed, the package installs without a clash. The two stand-ins
   hold the very paths; the real packages' file lists are checked too when installed here. */
START_TEST(no_clash)
{
  char cmd[16384], *out = 0;
  char const *deb;
  if (!have("dpkg-deb") || !have("dpkg")) return;
  deb = build();
  snprintf(cmd, sizeof cmd,
    "set -e; cd '%s'; R=$PWD/root2; mkdir -p $R/var/lib/dpkg/info $R/var/lib/dpkg/updates; touch $R/var/lib/dpkg/status\n"
    "mk () { mkdir -p $1/DEBIAN; printf 'Package: %%s\\nVersion: 1\\nArchitecture: all\\nMaintainer: t <t@t>\\nDescription: t\\n' $1 >$1/DEBIAN/control; dpkg-deb --root-owner-group -b $1 $1.deb >/dev/null; }\n"
    "mkdir -p runit/etc/runit/runsvdir/default runit/usr/bin runit/usr/share/man/man8\n"
    "ln -s default runit/etc/runit/runsvdir/current; ln -s runit/runsvdir/current runit/etc/service\n"
    "for f in sv runsv runsvdir chpst svlogd; do echo x >runit/usr/bin/$f; gzip -9n <runit/usr/bin/$f >runit/usr/share/man/man8/$f.8.gz; done\n"
    "mk runit\n"
    "mkdir -p daemontools/usr/bin daemontools/usr/share/man/man8\n"
    "for f in svscan supervise svc svok svstat; do echo x >daemontools/usr/bin/$f; gzip -9n <daemontools/usr/bin/$f >daemontools/usr/share/man/man8/$f.8.gz; done\n"
    "mk daemontools\n"
    "D='dpkg --root='$R' --force-not-root --force-script-chrootless'\n"
    "$D -i runit.deb >/dev/null; $D -i daemontools.deb >/dev/null; $D -i '%s' >/dev/null\n"
    "$R/usr/bin/svctl --version >/dev/null; test \"$(cat $R/usr/bin/svscan)\" = x; test -L $R/etc/service\n"
    /* the real packages, when this machine has them */
    "dpkg-deb -c '%s' | awk '$1 !~ /^d/ { print substr($6, 2) }' | sort >ours\n"
    "for p in runit daemontools daemontools-run; do dpkg -L $p 2>/dev/null | sort | comm -12 ours -; done\n",
    t_dir(), deb, deb);
  sh(cmd, &out, 0);
  ck_assert_msg(!*out, "files shared with runit or daemontools:\n%s", out);
  free(out);
}
END_TEST

Suite *deb_suite (void)
{
  Suite *s = suite_create("deb");
  TCase *tc = tcase_create("deb");
  tcase_add_unchecked_fixture(tc, setup, t_teardown);
  tcase_set_timeout(tc, 90);
  tcase_add_test(tc, metadata);
  tcase_add_test(tc, contents);
  tcase_add_test(tc, install);
  tcase_add_test(tc, no_clash);
  suite_add_tcase(s, tc);
  return s;
}
