/* SPDX-License-Identifier: ISC */
/* svctl/svctl-args.c: the command line: which mode argv[0] selects, the verbs, the
   options. args_parse has no side effect (no output, no exit, no global), so that
   t/fuzz/svctl_args.c can call it. */

#include <string.h>

#include <skalibs/sgetopt.h>
#include <skalibs/types.h>

#include "svctl.h"

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
static verb const *sv_action (char const *a, unsigned char mode)
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

int args_parse (args *a, int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO;
  size_t cmdlen = 0;
  a->mode = M_SVCTL;
  a->lsbname = 0;
  a->vb = 0;
  a->verbose = a->anywait = a->json = a->wait = 0;
  a->n = 0;
  a->services = 0;
  if (argc > 0)
  {
    char const *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (strstr(argv[0], "/etc/init.d/") || (strcmp(base, "svctl") && strcmp(base, "sv")))
    {
      a->mode = M_LSB;
      a->lsbname = base;
    }
    else if (!strcmp(base, "sv"))
      a->mode = M_SV;
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
        return ARGS_HELP;
      else if (!strcmp(o, "--version"))
        return ARGS_VERSION;
      else if (!strcmp(o, "--json"))
        a->json = 1;
      else
        return ARGS_USAGE;
      continue;
    }
    opt = subgetopt_r(argc, argv, a->mode == M_SVCTL ? "vVw:udoxpchaiq12tkr" : "vVw:", &l);
    if (opt == -1)
      break;
    switch (opt)
    {
      case 'V':
        return ARGS_VERSION;
      case 'v':
        a->verbose = 1;
        break;
      case 'w':
        if (!uint0_scan(l.arg, &a->waitsec))
          return ARGS_USAGE;
        a->verbose = 1;
        break;
      default:
      {
        verb const *lv = a->mode == M_SVCTL ? letter_verb(opt) : 0;
        size_t len;
        if (!lv)
          return ARGS_USAGE;
        len = strlen(lv->cmd);
        if (cmdlen + len >= sizeof a->cmd)
          return ARGS_USAGE;
        memcpy(a->cmd + cmdlen, lv->cmd, len);
        cmdlen += len;
        if (lv->wait)
          a->anywait = 1;
        a->vb = lv;
        break;
      }
    }
  }
  argc -= l.ind;
  argv += l.ind;
  if (!a->vb)
  {
    verb const *vb;
    if (!argc)
      return ARGS_USAGE;
    vb = a->mode == M_SVCTL ? verb_named(argv[0]) : sv_action(argv[0], a->mode);
    if (!vb)
      return ARGS_USAGE;
    argc--;
    argv++;
    if (a->mode == M_LSB)
    {
      /* the service is the script's name; sv ignores what follows the action */
      argc = 1;
      argv = &a->lsbname;
    }
    while (argc && !strcmp(argv[0], "--json"))
    {
      a->json = 1;
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
      memcpy(a->cmd, vb->cmd, cmdlen);
    }
    a->anywait = vb->wait;
    a->vb = vb;
  }
  a->cmd[cmdlen] = 0;
  if (a->json && a->vb->cmd)
    return ARGS_USAGE;
  if (!argc && (a->vb->cmd || a->mode != M_SVCTL))
    return ARGS_USAGE;
  a->wait = a->vb->cmd && (a->verbose || a->anywait);
  a->n = argc;
  a->services = argv;
  return ARGS_OK;
}
