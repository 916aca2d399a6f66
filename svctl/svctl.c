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

#define USAGE "svctl [-v] [-w SEC] -u|-d|-o|-x|-p|-c|-h|-a|-i|-q|-1|-2|-t|-k|-r SERVICE... | svctl [-v] [-w SEC] VERB SERVICE... | svctl status [--json] [SERVICE...]"
#define USAGE_SV "sv [-v] [-w sec] command service ..."
#define dieusage() dieusage_()

#define M_SVCTL 0
#define M_SV 1
#define M_LSB 2
static int mode = M_SVCTL;
static char const *lsbname;  /* LSB mode: the service, argv[0]'s base name */

#define WAIT_DEFAULT 7

typedef struct verb_s verb;
struct verb_s
{
  char const *name;
  char letter;            /* its svc-style option, or 0 */
  char const *cmd;        /* bytes for supervise/control; 0 for status */
  unsigned char target;
  unsigned char wait;     /* waits even without -v / -w */
  unsigned char kll;      /* on timeout: "kill: " and k, as sv's force-* */
};

static verb const verbs[] =
{
  { "status", 0, 0, T_NONE, 0, 0 },
  { "up", 'u', "u", T_UP, 0, 0 },
  { "down", 'd', "d", T_DOWN, 0, 0 },
  { "once", 'o', "o", T_ONCE, 0, 0 },
  { "restart", 'r', "tcu", T_RESTART, 1, 0 },
  { "start", 0, "u", T_UP, 1, 0 },
  { "stop", 0, "d", T_DOWN, 1, 0 },
  { "pause", 'p', "p", T_PAUSE, 0, 0 },
  { "cont", 'c', "c", T_CONT, 0, 0 },
  { "hup", 'h', "h", T_NONE, 0, 0 },
  { "alarm", 'a', "a", T_NONE, 0, 0 },
  { "interrupt", 'i', "i", T_NONE, 0, 0 },
  { "quit", 'q', "q", T_NONE, 0, 0 },
  { "1", '1', "1", T_NONE, 0, 0 },
  { "2", '2', "2", T_NONE, 0, 0 },
  { "term", 't', "t", T_TERM, 0, 0 },
  { "kill", 'k', "k", T_NONE, 0, 0 },
  { "exit", 'x', "x", T_EXIT, 0, 0 },
  { "check", 0, "", T_CHECK, 1, 0 },
  /* sv's LSB actions */
  { "shutdown", 0, "x", T_EXIT, 1, 0 },
  { "reload", 0, "h", T_NONE, 1, 0 },
  { "try-restart", 0, "tc", T_TERM, 1, 0 },
  { "force-stop", 0, "d", T_DOWN, 1, 1 },
  { "force-reload", 0, "tc", T_TERM, 1, 1 },
  { "force-restart", 0, "tcu", T_RESTART, 1, 1 },
  { "force-shutdown", 0, "x", T_EXIT, 1, 1 },
  { 0, 0, 0, 0, 0, 0 }
};

static void dieusage_ (void)
{
  if (mode == M_LSB)  /* sv: "usage: NAME [-w sec] command", exit 2 */
    strerr_dien(2, 4, PROG, ": usage: ", lsbname, " [-w sec] command");
  strerr_dieusage(100, mode == M_SV ? USAGE_SV : USAGE);
}

static verb const *verb_named (char const *name)
{
  verb const *v = verbs;
  for (; v->name; v++)
    if (!strcmp(v->name, name))
      return v;
  return 0;
}

static verb const *letter_verb (int c)
{
  verb const *v = verbs;
  for (; v->name; v++)
    if (v->letter && v->letter == c)
      return v;
  return 0;
}

/* runit sv's reading of an action: mostly its first character (sv.c's switch) */
static verb const *sv_action (char const *a)
{
  switch (a[0])
  {
    case 'x': case 'e': return verb_named("exit");
    case 'X': case 'E': return verb_named("force-shutdown");
    case 'D': return verb_named("force-stop");
    case 'T': return verb_named("force-reload");
    case 'c':
      if (!strcmp(a, "check")) return verb_named("check");
      return letter_verb('c');
    case 't':
      if (!strcmp(a, "try-restart")) return verb_named("try-restart");
      return letter_verb('t');
    case 'u': case 'd': case 'o': case 'p': case 'h':
    case 'a': case 'i': case 'k': case 'q': case '1': case '2':
      return letter_verb(a[0]);
    case 's':
      if (!strcmp(a, "shutdown") || !strcmp(a, "start") || !strcmp(a, "stop")) return verb_named(a);
      if (mode == M_LSB && strcmp(a, "status")) return 0;
      return verb_named("status");
    case 'r':
      if (!strcmp(a, "restart") || !strcmp(a, "reload")) return verb_named(a);
      return 0;
    case 'f':
      if (!strncmp(a, "force-", 6)) return verb_named(a);
      return 0;
    default: return 0;
  }
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
  subgetopt l = SUBGETOPT_ZERO;
  verb const *vb = 0;
  char cmd[64];
  size_t cmdlen = 0;
  unsigned int waitsec = WAIT_DEFAULT, n, i;
  int verbose = 0, anywait = 0, wait;
  stralloc names = STRALLOC_ZERO;
  svc *v;
  tain deadline;
  int table, lsbstatus = 0;
  PROG = "svctl";
  if (argc > 0)
  {
    char const *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (strstr(argv[0], "/etc/init.d/") || (strcmp(base, "svctl") && strcmp(base, "sv")))
    {
      mode = M_LSB;
      lsbname = base;
      xfatal = 151;
    }
    else if (!strcmp(base, "sv"))
      mode = M_SV;
    if (mode != M_SVCTL)
    {
      PROG = base;
      notrunning = "runsv not running";
    }
  }

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
    opt = subgetopt_r(argc, argv, mode == M_SVCTL ? "vVw:udoxpchaiq12tkr" : "vVw:", &l);
    if (opt == -1)
      break;
    switch (opt)
    {
      case 'V':
        version();
        break;
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
        verb const *lv = mode == M_SVCTL ? letter_verb(opt) : 0;
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
    vb = mode == M_SVCTL ? verb_named(argv[0]) : sv_action(argv[0]);
    if (!vb)
      dieusage();
    argc--;
    argv++;
    if (mode == M_LSB)
    {
      /* the service is the script's name; sv ignores what follows the action */
      argc = 1;
      argv = &lsbname;
    }
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
  if (!argc && (vb->cmd || mode != M_SVCTL))
    dieusage();
  wait = vb->cmd && (verbose || anywait);
  kll = vb->kll;
  table = !argc && !json && isatty(1);

  tain_now_set_stopwatch_g();
  tstart = clockns_real();
  tain_addsec_g(&deadline, waitsec > 100000000 ? 100000000 : (int)waitsec);
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
