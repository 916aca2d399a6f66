/* SPDX-License-Identifier: ISC */
/* t/integ/daemons.c: real daemons behind non-exec wrappers, stopped
   through run's process group (SPEC 3) under svscan as PID 1 (SPEC 5), MariaDB ready by
   its check and Apache started after it and stopped before it (SPEC 4a), and a
   supervisord.conf for the pair converted by svimport (SPEC 9).

   wrapper (always): run is a shell that does not exec; its child takes 300 ms to stop
   after TERM. `svctl -w -d` returns only once that child is gone, and an `up` sent while
   it is still stopping starts the next run only after it (bin/supervise before the fix
   said "down" as soon as the shell died, and started the next run beside the old child).

   apache-mariadb-down-up, apache-mariadb-term, mariadb-check-apache-needs,
   svimport-apache-mariadb (root, Debian's apache2 and mariadb-server installed; else
   "skip: CASE: needs root" / "skip: CASE: apache2 not installed" / "skip: CASE:
   mariadb-server not installed", and nothing registered): in a PID namespace, svscan is
   PID 1 over two services,
     apache/run:  exec /usr/sbin/apache2ctl -D FOREGROUND  (APACHE_CONFDIR: a minimal
                  config in the temp dir, 127.0.0.1 on a free port, its own error log)
     mariadb/run: exec /usr/bin/mysqld_safe --no-defaults --datadir=... --socket=...
                  --pid-file=... --skip-networking --log-error=... --user=root
                  (a datadir made by mariadb-install-db in the temp dir)
   Neither wrapper execs its daemon: apache2ctl is sh waiting for apache2 (TERM kills the
   sh at once, apache2 shuts down after it); mysqld_safe ignores TERM itself
   (trap '' 1 2 3 15) and exits by itself once mysqld has shut down normally.
   - down-up: both serve (an HTTP answer; MariaDB's greeting on its socket), rows are
     written; `svctl -w 30 -d` on each: apache's error log has "caught SIGTERM, shutting
     down" and no apache2 of ours is left when svctl returns; MariaDB's log has
     "Shutdown complete" and no mariadbd is left. `svctl -w 30 -u` both: they serve
     again, the rows are there, and MariaDB's start did no crash recovery. The control:
     kill -9 of mariadbd (what a stop that only TERMs mysqld_safe's pid ends with, after
     a timeout) makes its next start (mysqld_safe restarts it) log "crash recovery", so
     the check above is not vacuous. Then SIGTERM to svscan: exit 0.
   - term: both serve, rows written; SIGTERM to the namespace's init (the svscan that
     unshare forked): exit 0 (nothing SIGKILLed) well within the 7000 ms grace, with
     the same clean-shutdown lines; a second svscan on the same dirs starts MariaDB
     without crash recovery and stops with exit 0 again.

   - mariadb-check-apache-needs (readiness and order): mariadb/check is `mariadb-admin
     --no-defaults --socket=... ping` (what `mysqladmin ping` is on Debian), apache/needs/mariadb
     is a plain entry. Every script appends a line to the file "order": mariadb/run "db-run",
     the check when its ping passed "db-ready", apache/run "web-run", apache/finish
     "web-down $1 $2 serving|gone" (whether MariaDB still answers a ping once Apache is all
     gone), mariadb/finish "db-down $1 $2". mariadb/run blocks on a FIFO until the test
     writes to it: meanwhile apache is in state waiting (waiting_for=mariadb, the line
     "waiting: for mariadb", `svctl status` says "down: apache: ...want up, waiting for
     mariadb"), mariadb is up with ready=0, and no apache2 runs. Let go, MariaDB starts; the
     order is exactly db-run, db-ready, web-run; Apache's spawn comes after MariaDB's
     ready_since in the state files (the lag is printed; bound 3 s for a loaded machine);
     both serve. SIGTERM to svscan as PID 1: exit 0 within the grace, nothing SIGKILLed (no
     "svscan: killed", no "signal KILL"), and the order ends "web-down -1 15 serving",
     "db-down 0 0": apache2ctl's sh died of TERM and Apache was gone while MariaDB still
     served; then MariaDB's mysqld_safe exited 0 after a clean shutdown.
   - svimport-apache-mariadb: a supervisord.conf as users write it for this pair
     ([supervisord] nodaemon, user=root; [program:mysql] mysqld_safe with user=mysql,
     priority 10, autorestart=true, stopwaitsecs=30, stdout_logfile to a file with maxbytes
     and backups, redirect_stderr; [program:apache2] apache2ctl -D FOREGROUND with
     environment=APACHE_CONFDIR, priority 20, autorestart=true, stopwaitsecs=10,
     stdout_logfile=/dev/stdout with maxbytes=0, redirect_stderr; Apache's ErrorLog is
     /dev/stderr and its access log /dev/stdout), paths adapted to the test dir, converted
     by bin/svimport (exit 0, one warning for the differing priorities, no needs/ made;
     restart always, timeout-kill 30000 and 10000), then run by svscan as PID 1: both serve
     (HTTP answer, rows written and read back through the mariadb client), mariadbd runs as
     uid mysql; Apache's access and error lines reach svscan's stdout, mysqld_safe's lines
     reach mysql.log (svlog) and not svscan's stdout (mysqld_safe itself sends its stdout
     to /dev/null once mariadbd runs: its two start lines are all it writes there; the
     rest goes to --log-error). Apache past min-uptime that exits 0 (TERM to its main
     process) is started again (autorestart=true: not a failed start, restarts=1).
     SIGTERM to svscan: exit 0 within the grace, nothing SIGKILLed, no apache2 or mariadbd
     left, MariaDB's "Shutdown complete".
   Each of the four root cases takes 1-3 s on an idle 2-core machine (about 8 s for the
   four, MariaDB's datadir made by mariadb-install-db included). The daemons never touch
   a system instance: their own config, datadir, socket, pid files, a free port on
   127.0.0.1 and no TCP for MariaDB; package/deps --test installs both packages.

   Checked by hand before writing this (Debian 12, apache2 2.4, MariaDB 10.11, with the
   Debian defaults: /etc/apache2, /var/lib/mysql, mysqld_safe logging through
   `logger`): svctl -d of apache returned in ~120 ms, of mariadb in ~60 ms; SIGTERM to
   svscan as PID 1 stopped both in 60-90 ms, exit 0; no crash recovery on the next
   start. The naive stop, TERM to run's pid only: mysqld_safe ignores it (nothing
   stops); apache2ctl's sh dies and apache2 keeps serving, orphaned, while every new
   apache2ctl fails ("httpd (pid N) already running") in a backoff loop. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <check.h>

#include "harness.h"
#include "suites.h"

#define APACHE2CTL "/usr/sbin/apache2ctl"
#define APACHE2 "/usr/sbin/apache2"
#define MODDIR "/usr/lib/apache2/modules"
#define MYSQLD_SAFE "/usr/bin/mysqld_safe"
#define INSTALL_DB "/usr/bin/mariadb-install-db"
#define MARIADB "/usr/bin/mariadb"
#define MARIADB_ADMIN "/usr/bin/mariadb-admin"
#define UNSHARE "/usr/bin/unshare"
#define SERVE_MS 60000          /* MariaDB's first start: a few seconds; a slow CI machine */

static size_t file_size (char const *path)
{
  struct stat st;
  return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

 /* the part of a file after its first off bytes (malloc'd, "" when shorter) */
static char *read_from (char const *path, size_t off)
{
  char *s = t_read(path), *r;
  size_t len = s ? strlen(s) : 0;
  r = strdup(s && off < len ? s + off : "");
  free(s);
  ck_assert_ptr_nonnull(r);
  return r;
}

static int svctl (char const *verb, char const *service)
{
  char const *argv[] = { t_prog("svctl"), "-w", "30", verb, service, 0 };
  char *out = 0, *err = 0;
  int r = t_run(argv, &out, &err, 40000);
  if (r) fprintf(stderr, "daemons: svctl %s %s: exit %d: %s%s", verb, service, r, out ? out : "", err ? err : "");
  free(out);
  free(err);
  return r;
}

 /* live processes whose command line contains needle (a path of this test's temp dir) */
static unsigned int procs_with (char const *needle)
{
  DIR *d = opendir("/proc");
  struct dirent *e;
  unsigned int n = 0;
  ck_assert_ptr_nonnull(d);
  while ((e = readdir(d)))
  {
    char path[300], buf[4096];
    ssize_t r, i;
    FILE *f;
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
    f = fopen(path, "r");
    if (!f) continue;
    r = (ssize_t)fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (r <= 0) continue;  /* a zombie or a kernel thread */
    for (i = 0; i < r; i++) if (!buf[i]) buf[i] = ' ';
    buf[r] = 0;
    if (strstr(buf, needle)) n++;
  }
  closedir(d);
  return n;
}


static long proc_uid (pid_t pid);

 /* the pid of a live process whose command line contains needle, whose name is comm and
    whose uid is uid (any when -1) */
static pid_t proc_with_uid (char const *needle, char const *comm, long uid)
{
  DIR *d = opendir("/proc");
  struct dirent *e;
  pid_t pid = 0;
  ck_assert_ptr_nonnull(d);
  while (!pid && (e = readdir(d)))
  {
    char path[300], buf[4096];
    char *c;
    ssize_t r, i;
    FILE *f;
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
    c = t_read(path);
    if (!c || strncmp(c, comm, strlen(comm)) || c[strlen(comm)] != '\n') { free(c); continue; }
    free(c);
    snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
    f = fopen(path, "r");
    if (!f) continue;
    r = (ssize_t)fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (r <= 0) continue;
    for (i = 0; i < r; i++) if (!buf[i]) buf[i] = ' ';
    buf[r] = 0;
    if (strstr(buf, needle) && (uid < 0 || proc_uid((pid_t)atol(e->d_name)) == uid)) pid = (pid_t)atol(e->d_name);
  }
  closedir(d);
  return pid;
}

 /* the pid of a live process whose command line contains needle and whose name is comm */
static pid_t proc_with (char const *needle, char const *comm)
{
  return proc_with_uid(needle, comm, -1);
}


 /* wrapper: a non-exec shell whose child stops slowly */

struct child { pid_t old; };

 /* w.child names a child other than the old one */
static int new_child (void *arg)
{
  struct child *c = arg;
  long p = t_read_long("w.child");
  return p > 0 && p != c->old;
}

static int order_lines (void *arg)
{
  return (int)t_file_count("w.order", "\n") >= *(int *)arg;
}

START_TEST(wrapper_group_stop)
{
  char const *argv[] = { t_prog("supervise"), t_path("w"), 0 };
  unsigned long long t0, ms;
  struct child c = { 0 };
  pid_t sup, child;
  int w, lines;
   /* run's cwd is w/: its files are in the test's dir, ../ */
  t_service("w",
    "if [ -e ../w.child ]; then if [ -e ../w.done ]; then echo after; else echo before; fi >>../w.order; fi\n"
    "rm -f ../w.done ../w.child\n"
    "sh -c 'trap \"sleep 0.3; echo >../w.done; exit 0\" TERM; echo $$ >../w.child.new; mv ../w.child.new ../w.child;"
    " while :; do sleep 0.05; done'\n");
  sup = t_spawn_io(argv, "supervise.log", "supervise.log");
  ck_assert(t_wait_until(&new_child, &c, 5000));
  child = c.old = (pid_t)t_read_long("w.child");
   /* down: svctl returns once the slow child is gone, not when the shell died */
  t0 = t_now_ms();
  ck_assert_int_eq(svctl("-d", t_path("w")), 0);
  ms = t_now_ms() - t0;
  fprintf(stderr, "daemons: wrapper: svctl -w -d returned after %llu ms\n", ms);
  ck_assert_msg(access("w.done", F_OK) == 0, "svctl -d returned before the wrapper's child had stopped");
  ck_assert(!t_alive(child));
  ck_assert_uint_ge(ms, 250);
  {
    char *log = t_read("supervise.log");
    ck_assert_msg(log && strstr(log, "supervise: w: down: run exited, waiting for the rest of its process group\n"), "%s", log ? log : "");
    free(log);
  }
   /* up again, then down and at once up: the next run starts after the old child is gone */
  ck_assert_int_eq(svctl("-u", t_path("w")), 0);
  ck_assert(t_wait_until(&new_child, &c, 5000));
  c.old = (pid_t)t_read_long("w.child");
  {
    char const *d[] = { t_prog("svctl"), "-d", t_path("w"), 0 };
    char const *u[] = { t_prog("svctl"), "-u", t_path("w"), 0 };
    ck_assert_int_eq(t_run(d, 0, 0, 5000), 0);
    ck_assert_int_eq(t_run(u, 0, 0, 5000), 0);
  }
  ck_assert(t_wait_until(&new_child, &c, 5000));
  lines = 2;
  ck_assert(t_wait_until(&order_lines, &lines, 5000));
  {
    char *order = t_read("w.order");
    ck_assert_msg(order && !strcmp(order, "after\nafter\n"), "runs started beside a stopping child: %s", order ? order : "(none)");
    free(order);
  }
  kill(sup, SIGTERM);
  ck_assert(t_wait_exit(sup, 5000, &w));
  ck_assert(WIFEXITED(w) && WEXITSTATUS(w) == 0);
}
END_TEST


 /* apache2 and mariadb under svscan as PID 1 */

static unsigned short port;

 /* a free port on 127.0.0.1 (the kernel's pick, released for apache2) */
static unsigned short free_port (void)
{
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge(fd, 0);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
  close(fd);
  return ntohs(sa.sin_port);
}

static void timeouts (int fd)
{
  struct timeval tv = { 2, 0 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

 /* apache2 answers HTTP on our port */
static int http_ok (void *arg)
{
  struct sockaddr_in sa;
  char buf[16];
  ssize_t r;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok = 0;
  (void)arg;
  if (fd < 0) return 0;
  timeouts(fd);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(port);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0
   && write(fd, "GET / HTTP/1.0\r\n\r\n", 18) == 18
   && (r = read(fd, buf, sizeof buf - 1)) >= 7)
  {
    buf[r] = 0;
    ok = !strncmp(buf, "HTTP/1.", 7);
  }
  close(fd);
  return ok;
}

 /* MariaDB greets on its socket: 3-byte length, sequence 0, protocol version 10 */
static int mariadb_ok (void *arg)
{
  struct sockaddr_un sa;
  unsigned char buf[64];
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), ok = 0;
  (void)arg;
  if (fd < 0) return 0;
  timeouts(fd);
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  snprintf(sa.sun_path, sizeof sa.sun_path, "%s", t_path("db/mysqld.sock"));
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && read(fd, buf, sizeof buf) > 5)
    ok = buf[3] == 0 && buf[4] == 10;
  close(fd);
  return ok;
}

static void wait_serving (char const *log)
{
  char *s;
  if (t_wait_until(&http_ok, 0, SERVE_MS) && t_wait_until(&mariadb_ok, 0, SERVE_MS)) return;
  s = t_read(log);
  ck_abort_msg("apache2 (port %u) or mariadb not serving within %u ms; svscan's log:\n%s", port, SERVE_MS, s ? s : "");
}

 /* SQL through the mariadb client on our socket; its stdout */
static char *sql (char const *query)
{
  char sock[PATH_MAX + 16];
  char const *argv[] = { MARIADB, "--no-defaults", sock, "-uroot", "-N", "-B", "-e", query, 0 };
  char *out = 0, *err = 0;
  int r;
  snprintf(sock, sizeof sock, "--socket=%s", t_path("db/mysqld.sock"));
  r = t_run(argv, &out, &err, 30000);
  ck_assert_msg(r == 0, "mariadb -e '%s': exit %d: %s", query, r, err ? err : "");
  free(err);
  return out;
}

static void write_rows (void)
{
  free(sql("CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.x (i INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(200)) ENGINE=InnoDB;"
           " INSERT INTO t.x (v) VALUES (REPEAT('a', 200)), (REPEAT('b', 200));"
           " INSERT INTO t.x (v) SELECT v FROM t.x; INSERT INTO t.x (v) SELECT v FROM t.x;"));
}

static long count_rows (void)
{
  char *s = sql("SELECT COUNT(*) FROM t.x");
  long n = s ? atol(s) : -1;
  free(s);
  return n;
}

 /* the temp dir: sv/apache, sv/mariadb, their configuration, an initialised datadir */
static void make_daemons_as (char const *dbuser)
{
  char s[6 * PATH_MAX + 1024];
  t_mkdir("sv/apache");
  t_mkdir("sv/mariadb");
  t_mkdir("ap/conf");
  t_mkdir("ap/run");
  t_mkdir("db");
  port = free_port();
  snprintf(s, sizeof s,
    "ServerRoot %s\nServerName localhost\nListen 127.0.0.1:%u\n"
    "PidFile %s/apache2.pid\nDefaultRuntimeDir %s\nErrorLog %s\n"
    "LoadModule mpm_event_module " MODDIR "/mod_mpm_event.so\n"
    "LoadModule authz_core_module " MODDIR "/mod_authz_core.so\n"
    "User www-data\nGroup www-data\nDocumentRoot %s\n",
    t_path("ap/conf"), port, t_path("ap/run"), t_path("ap/run"), t_path("ap/error.log"), t_path("ap/conf"));
  t_write("ap/conf/apache2.conf", s);
  snprintf(s, sizeof s, "#!/bin/sh\nexport APACHE_CONFDIR='%s'\nexec " APACHE2CTL " -D FOREGROUND\n", t_path("ap/conf"));
  t_write_exec("sv/apache/run", s);
  snprintf(s, sizeof s,
    "#!/bin/sh\nexec " MYSQLD_SAFE " --no-defaults --datadir='%s' --socket='%s' --pid-file='%s'"
    " --skip-networking --log-error='%s' --user=root\n",
    t_path("db/data"), t_path("db/mysqld.sock"), t_path("db/mysqld.pid"), t_path("db/error.log"));
  t_write_exec("sv/mariadb/run", s);
  if (strcmp(dbuser, "root"))
  {
    snprintf(s, sizeof s, "chown %s: db", dbuser);
    ck_assert_int_eq(t_sh(s, 0, 0, 10000), 0);
  }
  {
    char dd[PATH_MAX + 16], user[64];
    char const *argv[] = { INSTALL_DB, "--no-defaults", dd, user,
      "--auth-root-authentication-method=normal", "--skip-test-db", 0 };
    char *out = 0, *err = 0;
    int r;
    snprintf(dd, sizeof dd, "--datadir=%s", t_path("db/data"));
    snprintf(user, sizeof user, "--user=%s", dbuser);
    r = t_run(argv, &out, &err, 60000);
    ck_assert_msg(r == 0, "mariadb-install-db: exit %d: %s%s", r, out ? out : "", err ? err : "");
    free(out);
    free(err);
  }
}

static void make_daemons (void)
{
  make_daemons_as("root");
}

 /* what the services' stop left: none of our daemons, the clean-shutdown lines */
static void check_stopped (unsigned int nth)
{
  ck_assert_msg(!procs_with(t_path("ap/conf")), "an apache2 is left");
  ck_assert_msg(!procs_with(t_path("db/data")), "a mariadbd is left");
  ck_assert_uint_eq(t_file_count(t_path("ap/error.log"), "caught SIGTERM, shutting down"), nth);
  ck_assert_uint_eq(t_file_count(t_path("db/error.log"), ": Shutdown complete\n"), nth);
  ck_assert_uint_eq(t_file_count(t_path("db/error.log"), "mysqld from pid file"), nth);
}

 /* "ready for connections" in MariaDB's log since *off */
static int db_ready_logged (void *arg)
{
  char *s = read_from(t_path("db/error.log"), *(size_t *)arg);
  int r = !!strstr(s, "ready for connections");
  free(s);
  return r;
}

 /* the log of MariaDB's start since off: no crash recovery */
static void check_clean_start (size_t off)
{
  char *s;
  t_wait_until(&db_ready_logged, &off, 10000);
  s = read_from(t_path("db/error.log"), off);
  ck_assert_msg(strstr(s, "ready for connections"), "no start in MariaDB's log:\n%s", s);
  ck_assert_msg(!strstr(s, "crash recovery"), "MariaDB needed crash recovery:\n%s", s);
  free(s);
}

static void svscan_term (struct t_ns *ns, char const *log)
{
  unsigned long long t0 = t_now_ms(), ms;
  int code;
  kill(ns->init, SIGTERM);
  code = t_ns_wait(ns, 20000);
  ms = t_now_ms() - t0;
  fprintf(stderr, "daemons: svscan (PID 1) stopped Apache and MariaDB in %llu ms, exit %d\n", ms, code);
  if (code == -1) t_ns_kill(ns);
  ns->unshare = ns->init = 0;
  {
    char *s = t_read(log);
    ck_assert_msg(code == 0, "svscan: exit %d after SIGTERM; its log:\n%s", code, s ? s : "");
    ck_assert_msg(!strstr(s, "svscan: killed"), "%s", s);
    ck_assert_msg(!strstr(s, "signal KILL"), "%s", s);  /* nor by a timeout-kill */
    free(s);
  }
  ck_assert_uint_lt(ms, 7000);
}

START_TEST(daemons_down_up)
{
  struct t_ns ns;
  size_t off;
  unsigned long long t0;
  make_daemons();
  ns = t_ns_start("svscan.log", 0, t_path("sv"));
  wait_serving("svscan.log");
  write_rows();
  ck_assert_int_eq(count_rows(), 8);
  t0 = t_now_ms();
  ck_assert_int_eq(svctl("-d", t_path("sv/apache")), 0);
  ck_assert_msg(!procs_with(t_path("ap/conf")), "an apache2 is left after svctl -d returned");
  fprintf(stderr, "daemons: svctl -w 30 -d apache: %llu ms\n", t_now_ms() - t0);
  t0 = t_now_ms();
  ck_assert_int_eq(svctl("-d", t_path("sv/mariadb")), 0);
  ck_assert_msg(!procs_with(t_path("db/data")), "a mariadbd is left after svctl -d returned");
  fprintf(stderr, "daemons: svctl -w 30 -d mariadb: %llu ms\n", t_now_ms() - t0);
  check_stopped(1);
  off = file_size(t_path("db/error.log"));
  ck_assert_int_eq(svctl("-u", t_path("sv/apache")), 0);
  ck_assert_int_eq(svctl("-u", t_path("sv/mariadb")), 0);
  wait_serving("svscan.log");
  check_clean_start(off);
  ck_assert_int_eq(count_rows(), 8);
   /* the control: a SIGKILLed mariadbd needs crash recovery, and the check sees it */
  write_rows();
  off = file_size(t_path("db/error.log"));
  {
    pid_t db = proc_with(t_path("db/data"), "mariadbd");
    char *s;
    ck_assert_msg(db > 0, "no mariadbd found");
    ck_assert_int_eq(kill(db, SIGKILL), 0);
    ck_assert(t_wait_until(&t_gone, &db, 5000));
     /* mysqld_safe starts it again (its pid file was not removed) */
    wait_serving("svscan.log");
    t_wait_until(&db_ready_logged, &off, 10000);
    s = read_from(t_path("db/error.log"), off);
    ck_assert_msg(strstr(s, "crash recovery"), "no crash recovery after kill -9 of mariadbd:\n%s", s);
    free(s);
  }
  svscan_term(&ns, "svscan.log");
}
END_TEST

START_TEST(daemons_term)
{
  struct t_ns ns;
  size_t off;
  make_daemons();
  ns = t_ns_start("svscan.log", 0, t_path("sv"));
  wait_serving("svscan.log");
  write_rows();
  svscan_term(&ns, "svscan.log");
  check_stopped(1);
   /* started again: no crash recovery, and a clean stop again */
  off = file_size(t_path("db/error.log"));
  ns = t_ns_start("svscan2.log", 0, t_path("sv"));
  wait_serving("svscan2.log");
  check_clean_start(off);
  ck_assert_int_eq(count_rows(), 8);
  svscan_term(&ns, "svscan2.log");
  check_stopped(2);
}
END_TEST

 /* readiness and ordering: mariadb/check pings MariaDB, apache/needs/mariadb */

 /* the order file's lines without their stamps: "db-run\ndb-ready\n..." (malloc'd) */
static char *order_words (void)
{
  char *s = t_read("order"), *r, *o;
  char const *p;
  if (!s) return strdup("");
  r = o = malloc(strlen(s) + 1);
  ck_assert_ptr_nonnull(r);
  for (p = s; *p; )
  {
    size_t n = strcspn(p, " \n");
    memcpy(o, p, n);
    o += n;
    *o++ = '\n';
    p += n;
    p += strcspn(p, "\n");
    if (*p) p++;
  }
  *o = 0;
  free(s);
  return r;
}

 /* the stamp (ms since the epoch) on the line of the order file that starts with word */
static unsigned long long order_stamp (char const *word)
{
  char *s = t_read("order"), *p;
  char key[32];
  unsigned long long v = 0;
  snprintf(key, sizeof key, "%s ", word);
  p = s ? strstr(s, key) : 0;
  ck_assert_msg(p && (p == s || p[-1] == '\n'), "no %s line in order: %s", word, s ? s : "(none)");
  v = strtoull(p + strlen(key), 0, 10);
  free(s);
  return v;
}

 /* a state key that is a time in ns, as ms */
static unsigned long long key_ms (char const *service, char const *key)
{
  char *v = t_state_key(service, key);
  unsigned long long u;
  ck_assert_msg(v && *v, "%s: no %s in its state", service, key);
  u = strtoull(v, 0, 10) / 1000000ULL;
  free(v);
  return u;
}

static unsigned long long real_ms (void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000ULL;
}

static int go_open (void *arg)
{
  int *fd = arg;
  *fd = open("go", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  return *fd >= 0;
}

START_TEST(daemons_ready_order)
{
  char s[4 * PATH_MAX + 512], ping[PATH_MAX + 128];
  struct t_ns ns;
  unsigned long long t0, lag;
  char *v, *out = 0;
  int fd = -1;
  make_daemons();
  snprintf(ping, sizeof ping, MARIADB_ADMIN " --no-defaults --connect-timeout=5 --socket='%s' ping >/dev/null 2>&1",
    t_path("db/mysqld.sock"));
   /* MariaDB's run waits for the test's word on the FIFO "go": until then Apache must wait */
  ck_assert_int_eq(mkfifo("go", 0600), 0);
  snprintf(s, sizeof s,
    "#!/bin/sh\necho \"db-run $(date +%%s%%3N)\" >>'%s'\nread go <'%s'\n"
    "exec " MYSQLD_SAFE " --no-defaults --datadir='%s' --socket='%s' --pid-file='%s'"
    " --skip-networking --log-error='%s' --user=root\n",
    t_path("order"), t_path("go"),
    t_path("db/data"), t_path("db/mysqld.sock"), t_path("db/mysqld.pid"), t_path("db/error.log"));
  t_write_exec("sv/mariadb/run", s);
  snprintf(s, sizeof s, "#!/bin/sh\n%s || exit 1\necho \"db-ready $(date +%%s%%3N)\" >>'%s'\n", ping, t_path("order"));
  t_write_exec("sv/mariadb/check", s);
  snprintf(s, sizeof s, "#!/bin/sh\necho \"db-down $1 $2\" >>'%s'\n", t_path("order"));
  t_write_exec("sv/mariadb/finish", s);
  snprintf(s, sizeof s, "#!/bin/sh\necho \"web-run $(date +%%s%%3N)\" >>'%s'\nexport APACHE_CONFDIR='%s'\nexec " APACHE2CTL " -D FOREGROUND\n",
    t_path("order"), t_path("ap/conf"));
  t_write_exec("sv/apache/run", s);
   /* Apache's finish: is MariaDB still serving once Apache is all gone? */
  snprintf(s, sizeof s, "#!/bin/sh\nif %s; then db=serving; else db=gone; fi\necho \"web-down $1 $2 $db\" >>'%s'\n",
    ping, t_path("order"));
  t_write_exec("sv/apache/finish", s);
  t_mkdir("sv/apache/needs");
  t_write("sv/apache/needs/mariadb", "");

  ns = t_ns_start("svscan.log", 0, t_path("sv"));
  ck_assert(t_wait_file_has("order", "db-run ", 30000));
  T_WAIT_STATE("sv/apache", "state", "waiting", 30000);
  T_WAIT_STATE("sv/apache", "waiting_for", "mariadb", 1000);
  T_WAIT_STATE("sv/mariadb", "state", "up", 1000);
  T_WAIT_STATE("sv/mariadb", "ready", "0", 1000);
  {
    char const *argv[] = { t_prog("svctl"), "status", "apache", "mariadb", 0 };
    setenv("SVDIR", t_path("sv"), 1);
    ck_assert_int_eq(t_run(argv, &out, 0, 10000), 0);
    fprintf(stderr, "daemons: while MariaDB is held back, svctl status says:\n%s", out);
    ck_assert_msg(strstr(out, "down: apache: ") && strstr(out, "s, normally up, want up, waiting for mariadb\n"), "%s", out);
    ck_assert_msg(strstr(out, "run: mariadb: (pid "), "%s", out);
    free(out);
  }
  ck_assert_msg(!procs_with(t_path("ap/conf")), "apache2 started while MariaDB was not ready");
  ck_assert_msg(t_file_has("svscan.log", "supervise: apache: waiting: for mariadb\n"), "no waiting line");
  v = order_words();
  ck_assert_str_eq(v, "db-run\n");
  free(v);
   /* let MariaDB start: its check passes, then Apache's run starts */
  ck_assert(t_wait_until(&go_open, &fd, 5000));
  t0 = real_ms();
  ck_assert_int_eq(write(fd, "go\n", 3), 3);
  close(fd);
  wait_serving("svscan.log");
  T_WAIT_STATE("sv/mariadb", "ready", "1", 10000);
  T_WAIT_STATE("sv/apache", "state", "up", 10000);
  v = order_words();
  ck_assert_msg(!strcmp(v, "db-run\ndb-ready\nweb-run\n"), "order: %s", v);
  free(v);
  ck_assert_uint_le(order_stamp("db-ready"), order_stamp("web-run"));
   /* the state files' clocks (ns since the epoch): Apache's spawn, MariaDB's readiness */
  {
    unsigned long long spawned = key_ms("sv/apache", "since"), ready = key_ms("sv/mariadb", "ready_since");
    ck_assert_uint_ge(spawned, ready);
    lag = spawned - ready;
  }
  fprintf(stderr, "daemons: MariaDB's check passed %llu ms after its start was let go; Apache's run started %llu ms after it was ready\n",
    order_stamp("db-ready") - t0, lag);
  ck_assert_uint_lt(lag, 3000);
  ck_assert_msg(t_file_has("svscan.log", "supervise: mariadb: ready: check passed after "), "no readiness line");
  write_rows();
  ck_assert_int_eq(count_rows(), 8);
   /* docker stop: Apache stops first, MariaDB still serves until Apache is gone */
  svscan_term(&ns, "svscan.log");
  v = t_read("order");
  ck_assert_msg(strstr(v, "\nweb-down -1 15 serving\ndb-down 0 0\n") && !strcmp(strstr(v, "\nweb-down"), "\nweb-down -1 15 serving\ndb-down 0 0\n"),
    "shutdown order: %s", v);
  free(v);
  check_stopped(1);
}
END_TEST

 /* a supervisord.conf for the pair, converted by svimport, run by svscan as PID 1 */

 /* the uid of a process, -1 if it is gone */
static long proc_uid (pid_t pid)
{
  char path[64], *s, *p;
  long uid = -1;
  snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
  s = t_read(path);
  if (s && (p = strstr(s, "\nUid:"))) uid = strtol(p + 5, 0, 10);
  free(s);
  return uid;
}

struct newpid { pid_t old; };

 /* Apache's main process (the one that runs as root), seen from here */
static pid_t apache_main (void)
{
  return proc_with_uid(t_path("ap/conf"), "apache2", 0);
}

 /* Apache serves from a main process other than the old one */
static int apache_new (void *arg)
{
  struct newpid *n = arg;
  pid_t p = apache_main();
  return p > 0 && p != n->old && http_ok(0);
}

static void assert_file (char const *path, char const *content)
{
  char *v = t_read(path);
  ck_assert_msg(v && !strcmp(v, content), "%s: %s, not %s", path, v ? v : "(absent)", content);
  free(v);
}

START_TEST(daemons_svimport)
{
  char s[8 * PATH_MAX + 2048], path[PATH_MAX + 64];
  struct t_ns ns;
  struct newpid np;
  char *out = 0, *err = 0, *v;
  pid_t db;
  int code;
  t_public();  /* mysql reaches the test dir */
  make_daemons_as("mysql");
   /* Apache's error log to its stderr, its access log to its stdout */
  v = t_read("ap/conf/apache2.conf");
  snprintf(s, sizeof s, "%sErrorLog /dev/stderr\nLogFormat \"svimport-access %%r %%>s\" acc\nCustomLog /dev/stdout acc\n", v);
  free(v);
  t_write("ap/conf/apache2.conf", s);
  snprintf(s, sizeof s,
    "; Apache and MariaDB in one container\n"
    "[supervisord]\n"
    "nodaemon=true\n"
    "user=root\n"
    "logfile=/dev/null\n"
    "logfile_maxbytes=0\n"
    "pidfile=%s\n"
    "\n"
    "[program:mysql]\n"
    "command=/usr/bin/mysqld_safe --no-defaults --datadir=%s --socket=%s --pid-file=%s\n"
    "  --skip-networking --log-error=%s\n"
    "user=mysql\n"
    "priority=10\n"
    "autorestart=true\n"
    "stopwaitsecs=30\n"
    "stdout_logfile=%s\n"
    "stdout_logfile_maxbytes=1MB\n"
    "stdout_logfile_backups=2\n"
    "redirect_stderr=true\n"
    "\n"
    "[program:apache2]\n"
    "command=/usr/sbin/apache2ctl -D FOREGROUND\n"
    "environment=APACHE_CONFDIR=\"%s\"\n"
    "priority=20\n"
    "autorestart=true\n"
    "stopwaitsecs=10\n"
    "stdout_logfile=/dev/stdout\n"
    "stdout_logfile_maxbytes=0\n"
    "redirect_stderr=true\n",
    t_path("supervisord.pid"), t_path("db/data"), t_path("db/mysqld.sock"), t_path("db/mysqld.pid"),
    t_path("db/error.log"), t_path("mysql.log"), t_path("ap/conf"));
  t_write("supervisord.conf", s);
  {
    char const *argv[] = { t_prog("svimport"), t_path("supervisord.conf"), t_path("svi"), 0 };
    code = t_run(argv, &out, &err, 30000);
    fprintf(stderr, "daemons: svimport: exit %d\n%s%s", code, out ? out : "", err ? err : "");
    ck_assert_int_eq(code, 0);
  }
  ck_assert_msg(strstr(out, "svi/mysql: [program:mysql]") && strstr(out, "svi/apache2: [program:apache2]"), "%s", out);
  ck_assert_msg(strstr(err, "priority") && strstr(err, "needs/"), "no warning about priority: %s", err);
  free(out);
  free(err);
  ck_assert_msg(access("svi/apache2/needs", F_OK) == -1, "svimport made a needs/ from priority");
  assert_file("svi/mysql/restart", "always\n");
  assert_file("svi/apache2/restart", "always\n");
  assert_file("svi/mysql/timeout-kill", "30000\n");
  assert_file("svi/apache2/timeout-kill", "10000\n");
  ck_assert_msg(access("svi/apache2/log", F_OK) == -1, "apache2's output goes to a logger, not to svscan's stdout");
  ck_assert_msg(access("svi/mysql/log/run", X_OK) == 0, "no logger for mysql's stdout_logfile");
   /* svimport's log/run finds svlog in PATH, as in an image where it is installed */
  snprintf(path, sizeof path, "%s:/usr/sbin:/usr/bin:/sbin:/bin", t_bin());
  setenv("PATH", path, 1);

  ns = t_ns_start("svscan.log", 0, t_path("svi"));
  wait_serving("svscan.log");
  write_rows();
  ck_assert_int_eq(count_rows(), 8);
  db = proc_with(t_path("db/data"), "mariadbd");
  ck_assert_msg(db > 0, "no mariadbd found");
  {
    char *st = t_read("/etc/passwd"), *p;
    long mysql = -1;
    p = st ? strstr(st, "\nmysql:") : 0;
    if (p) { p = strchr(p + 7, ':'); mysql = p ? strtol(p + 1, 0, 10) : -1; }
    free(st);
    ck_assert_int_gt(mysql, 0);
    ck_assert_msg(proc_uid(db) == mysql, "mariadbd runs as uid %ld, not mysql (%ld)", proc_uid(db), mysql);
  }
   /* where the output went: Apache's access and error logs to svscan's stdout, mysqld_safe's to mysql.log */
  ck_assert_msg(t_wait_file_has("svscan.log", "svimport-access GET / HTTP/1.0 ", 10000), "no access log line in svscan's output");
  ck_assert_msg(t_file_has("svscan.log", "resuming normal operations"), "no Apache start line in svscan's output");
  ck_assert_msg(t_wait_file_has("mysql.log", "Starting mariadbd daemon with databases from ", 10000), "no mysqld_safe line in mysql.log");
  ck_assert_msg(!t_file_has("svscan.log", "Starting mariadbd daemon"), "mysqld_safe's output reached svscan's stdout");
   /* autorestart=true: Apache that exits 0 (TERM to its main process) is started again */
  T_WAIT_STATE("svi/apache2", "ready", "1", 30000);  /* past min-uptime (startsecs): not a failed start */
  np.old = apache_main();
  ck_assert_int_gt(np.old, 1);
  ck_assert_int_eq(kill(np.old, SIGTERM), 0);
  if (!t_wait_until(&apache_new, &np, 30000))
  {
    v = t_read("svscan.log");
    ck_abort_msg("Apache was not started again after it exited; svscan's log:\n%s", v ? v : "");
  }
  ck_assert_msg(t_file_has("svscan.log", "supervise: apache2: exited: status 0 after "), "no exit line of apache2");
  ck_assert_msg(!t_file_has("svscan.log", "failed start"), "a failed start in svscan's log");
  ck_assert_int_eq(t_key_long("svi/apache2", "restarts"), 1);
  ck_assert_int_eq(count_rows(), 8);
   /* docker stop */
  svscan_term(&ns, "svscan.log");
  ck_assert_msg(!procs_with(t_path("ap/conf")), "an apache2 is left");
  ck_assert_msg(!procs_with(t_path("db/data")), "a mariadbd is left");
  ck_assert_uint_eq(t_file_count("svscan.log", "caught SIGTERM, shutting down"), 2);
  ck_assert_uint_eq(t_file_count("db/error.log", ": Shutdown complete\n"), 1);
  ck_assert_uint_eq(t_file_count("db/error.log", "mysqld from pid file "), 1);
   /* mysqld_safe sends its stdout to /dev/null once mariadbd runs: its two start lines are
      all it ever writes there, and they are still there, once each */
  ck_assert_uint_eq(t_file_count("mysql.log", "\n"), 2);
  ck_assert_uint_eq(t_file_count("mysql.log", " mysqld_safe Starting mariadbd daemon with databases from "), 1);
}
END_TEST

Suite *daemons_suite (void)
{
  static char const *const cases[] = { "apache-mariadb-down-up", "apache-mariadb-term", "mariadb-check-apache-needs", "svimport-apache-mariadb", 0 };
  Suite *s = suite_create("daemons");
  char const *why = 0;
  unsigned int i;
  tcase_add_test(t_tcase(s, "wrapper", 30), wrapper_group_stop);
  if (geteuid() != 0) why = "needs root";
  else if (access(APACHE2CTL, X_OK) || access(APACHE2, X_OK) || access(MODDIR "/mod_mpm_event.so", R_OK))
    why = "apache2 not installed";
  else if (access(MYSQLD_SAFE, X_OK) || access(INSTALL_DB, X_OK) || access(MARIADB, X_OK) || access(MARIADB_ADMIN, X_OK))
    why = "mariadb-server not installed";
  else if (access(UNSHARE, X_OK)) why = "unshare not installed";
  if (why)
  {
    for (i = 0; cases[i]; i++) fprintf(stderr, "skip: %s: %s\n", cases[i], why);
    return s;
  }
  tcase_add_test(t_tcase(s, cases[0], 180), daemons_down_up);
  tcase_add_test(t_tcase(s, cases[1], 180), daemons_term);
  tcase_add_test(t_tcase(s, cases[2], 180), daemons_ready_order);
  tcase_add_test(t_tcase(s, cases[3], 180), daemons_svimport);
  return s;
}
