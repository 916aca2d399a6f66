/* svctl/svctl.c: control and query supervise (SPEC 6), with runit sv's output and exit codes */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <skalibs/buffer.h>
#include <skalibs/sgetopt.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>

#include "clockns.h"
#include "control.h"
#include "svpath.h"
#include "svctl.h"

#ifndef SVTREE_VERSION
#define SVTREE_VERSION "0.1.0"
#endif

#define USAGE "svctl [-v] [-w SEC] -u|-d|-o|-x|-p|-c|-h|-a|-i|-q|-1|-2|-t|-k|-r SERVICE... | svctl [-v] [-w SEC] VERB SERVICE... | svctl status [--json] [SERVICE...]"
#define dieusage() strerr_dieusage(100, USAGE)

#define WAIT_DEFAULT 7

typedef struct verb_s verb;
struct verb_s
{
  char const *name;
  char letter;            /* its svc-style option, or 0 */
  char const *cmd;        /* bytes for supervise/control; 0 for status */
  unsigned char target;
  unsigned char wait;     /* waits even without -v / -w */
};

static verb const verbs[] =
{
  { "status", 0, 0, T_NONE, 0 },
  { "up", 'u', "u", T_UP, 0 },
  { "down", 'd', "d", T_DOWN, 0 },
  { "once", 'o', "o", T_ONCE, 0 },
  { "restart", 'r', "tcu", T_RESTART, 1 },
  { "start", 0, "u", T_UP, 1 },
  { "stop", 0, "d", T_DOWN, 1 },
  { "pause", 'p', "p", T_PAUSE, 0 },
  { "cont", 'c', "c", T_CONT, 0 },
  { "hup", 'h', "h", T_NONE, 0 },
  { "alarm", 'a', "a", T_NONE, 0 },
  { "interrupt", 'i', "i", T_NONE, 0 },
  { "quit", 'q', "q", T_NONE, 0 },
  { "1", '1', "1", T_NONE, 0 },
  { "2", '2', "2", T_NONE, 0 },
  { "term", 't', "t", T_TERM, 0 },
  { "kill", 'k', "k", T_NONE, 0 },
  { "exit", 'x', "x", T_EXIT, 0 },
  { "check", 0, "", T_CHECK, 1 },
  { 0, 0, 0, 0, 0 }
};

static verb const *letter_verb (int c)
{
  verb const *v = verbs;
  for (; v->name; v++)
    if (v->letter && v->letter == c)
      return v;
  return 0;
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
  char const *what;
  int r = svc_running(s->path.s);
  if (r <= 0)
  {
    if (r)
      out_warn(s, "unable to open supervise/control", errno);
    else
      out_notrunning(s);
    return;
  }
  if (!svc_read(s->path.s, &sn, &what))
  {
    out_warn(s, what, errno);
    return;
  }
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
    strerr_diefusys(100, "open ", svdir);
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
      strerr_diefusys(100, "stralloc_catb");
    if (stat(svc_sub(svdir, tmp.s), &st) == -1 || !S_ISDIR(st.st_mode))
      continue;
    if (!stralloc_cats(names, de->d_name) || !stralloc_0(names))
      strerr_diefusys(100, "stralloc_catb");
    (*n)++;
  }
  if (errno)
    strerr_diefusys(100, "read ", svdir);
  closedir(d);
  stralloc_free(&tmp);
  v = calloc(*n ? *n : 1, sizeof(svc));
  if (!v)
    strerr_diefusys(100, "calloc");
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
    "exit: 0 ok, 1-99 services that failed or timed out, 100 usage or fatal error\n";
  if (buffer_putflush(buffer_1, s, sizeof s - 1) < 0)
    strerr_diefusys(100, "write to stdout");
  _exit(0);
}

static void version (void)
{
  if (buffer_putsflush(buffer_1, "svctl " SVTREE_VERSION "\n") < 0)
    strerr_diefusys(100, "write to stdout");
  _exit(0);
}

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO;
  verb const *vb = 0;
  char cmd[64];
  size_t cmdlen = 0;
  unsigned int waitsec = WAIT_DEFAULT, n, i;
  int verbose = 0, anywait = 0, wait;
  stralloc names = STRALLOC_ZERO;
  svc *v;
  tain deadline;
  PROG = "svctl";

  {
    char const *x = getenv("SVWAIT");
    if (x && *x && !uint0_scan(x, &waitsec))
    {
      strerr_warnw("invalid $SVWAIT: ", x, " (using 7)");
      waitsec = WAIT_DEFAULT;
    }
  }
  for (;;)
  {
    int opt;
    if (l.pos && l.ind < argc && !argv[l.ind][l.pos])
    {
      l.ind++;
      l.pos = 0;
    }
    if (!l.pos && l.ind < argc && argv[l.ind][0] == '-' && argv[l.ind][1] == '-' && argv[l.ind][2])
    {
      char const *o = argv[l.ind++];
      if (!strcmp(o, "--help"))
        help();
      else if (!strcmp(o, "--version"))
        version();
      else if (!strcmp(o, "--json"))
        json = 1;
      else
        dieusage();
      continue;
    }
    opt = subgetopt_r(argc, argv, "vw:udoxpchaiq12tkr", &l);
    if (opt == -1)
      break;
    switch (opt)
    {
      case 'v':
        verbose = 1;
        break;
      case 'w':
        if (!uint0_scan(l.arg, &waitsec))
          dieusage();
        verbose = 1;
        break;
      default:
      {
        verb const *lv = letter_verb(opt);
        size_t len;
        if (!lv)
          dieusage();
        len = strlen(lv->cmd);
        if (cmdlen + len >= sizeof cmd)
          dieusage();
        memcpy(cmd + cmdlen, lv->cmd, len);
        cmdlen += len;
        if (lv->wait)
          anywait = 1;
        vb = lv;
        break;
      }
    }
  }
  argc -= l.ind;
  argv += l.ind;
  if (vb)
    target = vb->target;
  else
  {
    if (!argc)
      dieusage();
    for (vb = verbs; vb->name; vb++)
      if (!strcmp(vb->name, argv[0]))
        break;
    if (!vb->name)
      dieusage();
    argc--;
    argv++;
    while (argc && !strcmp(argv[0], "--json"))
    {
      json = 1;
      argc--;
      argv++;
    }
    if (argc && !strcmp(argv[0], "--"))
    {
      argc--;
      argv++;
    }
    if (vb->cmd)
    {
      cmdlen = strlen(vb->cmd);
      memcpy(cmd, vb->cmd, cmdlen);
    }
    target = vb->target;
    anywait = vb->wait;
  }
  cmd[cmdlen] = 0;
  if (json && vb->cmd)
    dieusage();
  if (!argc && vb->cmd)
    dieusage();
  wait = vb->cmd && (verbose || anywait);

  tain_now_set_stopwatch_g();
  tstart = clockns_real();
  tain_addsec_g(&deadline, waitsec > 100000000 ? 100000000 : (int)waitsec);
  sig_altignore(SIGPIPE);

  if (argc)
  {
    n = (unsigned int)argc;
    v = calloc(n, sizeof(svc));
    if (!v)
      strerr_diefusys(100, "calloc");
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
      strerr_diefusys(100, "stralloc_catb");
    if (!prepare(s, wait))
      continue;
    if (!vb->cmd)
      out_status(s);
    else
      send(s, cmd);
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
  return rc > 99 ? 99 : (int)rc;
}
