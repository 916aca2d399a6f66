/* svctl/svctl.c: control and query supervise (SPEC 6), with runit sv's output and exit codes.
   Invoked as `sv` it is runit's sv; through any other name (an /etc/init.d/NAME link), sv's
   LSB mode acting on service NAME (issue 7). */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <skalibs/buffer.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>

#include "clockns.h"
#include "control.h"
#include "svpath.h"
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

/* SERVICE: stat the dir, subscribe to its event/ when we are going to wait */
static int prepare (svc *s, int wait)
{
  struct stat st;
  if (stat(s->path.s, &st) == -1)
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
  snap sn;
  int r;
  if (!svc_look(s, &sn))
    return;
  if (!*cmd)
    return;
  r = control_send(svc_sub(s->path.s, "supervise"), cmd, strlen(cmd));
  if (!r)
    out_notrunning(s);
  else if (r < 0)
    out_warn(s, "unable to write supervise/control", errno);
}

static int byname (void const *a, void const *b)
{
  return strcmp(((svc const *)a)->name, ((svc const *)b)->name);
}

/* every entry of $SVDIR that has a supervise dir, but dot-names */
static svc *listdir (unsigned int *n, stralloc *names)
{
  char const *svdir = svpath_svdir();
  DIR *d = opendir(svdir);
  stralloc tmp = STRALLOC_ZERO;
  size_t pos = 0;
  unsigned int i = 0;
  svc *v;
  if (!d)
    strerr_diefusys(xfatal, "open ", svdir);
  *n = 0;
  for (;;)
  {
    struct dirent *de;
    struct stat st;
    errno = 0;
    de = readdir(d);
    if (!de)
      break;
    if (de->d_name[0] == '.')
      continue;
    tmp.len = 0;
    if (!stralloc_cats(&tmp, de->d_name) || !stralloc_cats(&tmp, "/supervise") || !stralloc_0(&tmp))
      strerr_diefusys(xfatal, "stralloc_catb");
    if (stat(svc_sub(svdir, tmp.s), &st) == -1 || !S_ISDIR(st.st_mode))
      continue;
    if (!stralloc_cats(names, de->d_name) || !stralloc_0(names))
      strerr_diefusys(xfatal, "stralloc_catb");
    (*n)++;
  }
  if (errno)
    strerr_diefusys(xfatal, "read ", svdir);
  closedir(d);
  stralloc_free(&tmp);
  v = calloc(*n ? *n : 1, sizeof(svc));
  if (!v)
    strerr_diefusys(xfatal, "calloc");
  for (; i < *n; i++)
  {
    v[i].name = names->s + pos;
    pos += strlen(names->s + pos) + 1;
  }
  qsort(v, *n, sizeof(svc), &byname);
  return v;
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
    v = listdir(&n, &names);

  for (i = 0; i < n; i++)
  {
    svc *s = v + i;
    s->efd = -1;
    s->checkpassed = ~(uint64_t)0;
    tain_copynow(&s->nextcheck);
    if (!svpath_service(&s->path, s->name))
      strerr_diefusys(xfatal, "stralloc_catb");
    if (!prepare(s, wait))
      continue;
    if (!vb->cmd)
    {
      if (!table)
        lsbstatus = out_status(s);
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
  if (mode == M_LSB && !vb->cmd)  /* sv's LSB status: 0 running, 3 down, 4 unknown */
    return lsbstatus == 1 ? 0 : lsbstatus == 2 ? 3 : lsbstatus < 0 ? 4 : (int)rc;
  return rc > 99 ? 99 : (int)rc;
}
