/* SPDX-License-Identifier: ISC */
/* svctl/svctl.c: control and query supervise (SPEC 6), with runit sv's output and exit codes.
   Invoked as `sv` it is runit's sv; through any other name (an /etc/init.d/NAME link), sv's
   LSB mode acting on service NAME. */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <skalibs/buffer.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>

#include "clockns.h"
#include "svctl.h"

#define USAGE "svctl [-v] [-w SEC] -u|-d|-o|-x|-p|-c|-h|-a|-i|-q|-1|-2|-t|-k|-r SERVICE... | svctl [-v] [-w SEC] VERB SERVICE... | svctl status [--json] [SERVICE...]"
#define USAGE_SV "sv [-v] [-w sec] command service ..."
#define dieusage() dieusage_()

static int mode = M_SVCTL;
static char const *lsbname;  /* LSB mode: the service, argv[0]'s base name */

#define WAIT_DEFAULT 7

static void dieusage_ (void)
{
  if (mode == M_LSB)  /* sv: "usage: NAME [-w sec] command", exit 2 */
    strerr_dien(2, 4, PROG, ": usage: ", lsbname, " [-w sec] command");
  strerr_dieusage(100, mode == M_SV ? USAGE_SV : USAGE);
}

unsigned int rc = 0;
int xfatal = 100;
int kll = 0;
char const *notrunning = "unable to control: supervise not running";
int json = 0;
unsigned char target = T_NONE;
uint64_t tstart;

/* SERVICE: find the dir, subscribe to its event/ when we are going to wait */
static int prepare (svc *s, int wait)
{
  if (!svc_find(s))
  {
    out_fail(s, "unable to change to service directory", errno);
    return 0;
  }
  if (!wait)
    return 1;
  wait_subscribe(s);
  return 1;
}

/* the pre-read, then the command */
static void send (svc *s, char const *cmd)
{
  snap sn = SNAP_ZERO;
  int r = svc_look(s->path.s, &sn, 1);
  if (r <= 0)
    out_unseen(s, &sn, r);
  else if (*cmd)
  {
    r = svc_send(s->path.s, cmd);
    if (!r)
      out_notrunning(s);
    else if (r < 0)
      out_warn(s, "unable to write supervise/control", errno);
  }
  snap_free(&sn);
}

/* the status verb: 1 running (a pid), 2 down, 0 no supervisor, -1 unreadable (for LSB mode's exit code) */
static int status (svc *s)
{
  snap sn = SNAP_ZERO, lsn = SNAP_ZERO;
  stralloc logdir = STRALLOC_ZERO;
  int r = svc_look(s->path.s, &sn, 1), lr = 0;
  if (r <= 0)
    out_unseen(s, &sn, r);
  else
  {
    if (svc_haslog(s->path.s, &logdir))
      lr = svc_read(logdir.s, &lsn) ? 1 : -1;
    out_status(s, &sn, logdir.s, &lsn, lr);
    r = sn.st.pid ? 1 : 2;
  }
  snap_free(&sn);
  snap_free(&lsn);
  stralloc_free(&logdir);
  return r;
}

static void help (void)
{
  static char const s[] =
    "usage: " USAGE "\n"
    "  -v         wait for the command to take effect (up to $SVWAIT or 7 s)\n"
    "  -w SEC     wait up to SEC seconds\n"
    "  -u -d -o   up, down, once; -x exit; -r restart (t, c, u)\n"
    "  -p -c -h -a -i -q -1 -2 -t -k   STOP CONT HUP ALRM INT QUIT USR1 USR2 TERM KILL\n"
    "verbs: status up down once restart start stop pause cont hup alarm interrupt quit 1 2 term kill exit check\n"
    "       shutdown reload try-restart force-stop force-reload force-restart force-shutdown\n"
    "svctl status with no SERVICE: every service of $SVDIR (in columns on a terminal)\n"
    "exit: 0 ok, 1-99 services that failed or timed out, 100 usage or fatal error\n"
    "invoked as sv: runit's sv; as /etc/init.d/NAME: sv's LSB mode for service NAME\n";
  if (buffer_putflush(buffer_1, s, sizeof s - 1) < 0)
    strerr_diefusys(xfatal, "write to stdout");
  _exit(0);
}

static void version (void)
{
  if (buffer_putsflush(buffer_1, "svctl (svtree) " SVTREE_VERSION "\n") < 0)
    strerr_diefusys(xfatal, "write to stdout");
  _exit(0);
}

int main (int argc, char const *const *argv)
{
  args a;
  verb const *vb;
  char const *cmd;
  unsigned int n, i;
  int wait, r;
  stralloc names = STRALLOC_ZERO;
  svc *v;
  tain deadline;
  int table, lsbstatus = 0;
  PROG = "svctl";
  char const *badwait = getenv("SVWAIT");
  a.waitsec = WAIT_DEFAULT;
  if (badwait && *badwait && uint0_scan(badwait, &a.waitsec))
    badwait = 0;
  else if (badwait && *badwait)
    a.waitsec = WAIT_DEFAULT;
  else
    badwait = 0;
  r = args_parse(&a, argc, argv);
  mode = a.mode;
  lsbname = a.lsbname;
  if (mode == M_LSB)
    xfatal = 151;
  if (mode != M_SVCTL)
  {
    PROG = mode == M_LSB ? lsbname : "sv";
    notrunning = "runsv not running";
  }
  if (badwait)
    strerr_warnw("invalid $SVWAIT: ", badwait, " (using 7)");
  switch (r)
  {
    case ARGS_HELP: help(); break;
    case ARGS_VERSION: version(); break;
    case ARGS_USAGE: dieusage(); break;
    default: break;
  }
  vb = a.vb;
  cmd = a.cmd;
  argc = a.n;
  argv = a.services;
  json = a.json;
  target = vb->target;
  wait = a.wait;
  kll = vb->kll;
  table = !argc && !json && isatty(1);

  tain_now_set_stopwatch_g();
  tstart = clockns_real();
  tain_addsec_g(&deadline, a.waitsec > 100000000 ? 100000000 : (int)a.waitsec);
  sig_altignore(SIGPIPE);

  if (argc)
  {
    n = (unsigned int)argc;
    v = calloc(n, sizeof(svc));
    if (!v)
      strerr_diefusys(xfatal, "calloc");
    for (i = 0; i < n; i++)
      v[i].name = argv[i];
  }
  else
    v = svc_list(&n, &names);

  for (i = 0; i < n; i++)
  {
    svc *s = v + i;
    s->efd = -1;
    s->checkpassed = ~(uint64_t)0;
    tain_copynow(&s->nextcheck);
    if (!prepare(s, wait))
      continue;
    if (!vb->cmd)
    {
      if (!table)
        lsbstatus = status(s);
    }
    else
      send(s, cmd);
  }
  if (table)
  {
    char const *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    table_print(v, n, !(nc && *nc) && !(term && !strcmp(term, "dumb")));
  }
  if (wait)
    wait_all(v, n, &deadline);
  for (i = 0; i < n; i++)
  {
    stralloc_free(&v[i].path);
    stralloc_free(&v[i].ename);
  }
  free(v);
  stralloc_free(&names);
  out_free();
  svc_cleanup();
  if (mode == M_LSB && !vb->cmd)  /* sv's LSB status: 0 running, 3 down, 4 unknown */
    return lsbstatus == 1 ? 0 : lsbstatus == 2 ? 3 : lsbstatus < 0 ? 4 : (int)rc;
  return rc > 99 ? 99 : (int)rc;
}
