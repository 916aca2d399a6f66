/* SPDX-License-Identifier: ISC */
/* svctl/svctl.h: what svctl's files share.
   svctl.c: main, one command or status per service;
   svctl-args.c: the command line (modes, verbs, options);
   svc.c: what a service is now (find, look, read its state, send it bytes): no output;
   svctl-out.c: how it is printed: sv's lines, svtree's words, JSON Lines;
   svctl-table.c: how it is printed on a terminal: columns;
   svctl-wait.c: waiting for the wanted state (event/, or polling runsv's status).
   Reading goes svc.c -> caller -> svctl-out.c / svctl-table.c; svc.c calls no printer. */
#ifndef SVTREE_SVCTL_H
#define SVTREE_SVCTL_H

#include <stdint.h>
#include <sys/types.h>

#include <skalibs/stralloc.h>
#include <skalibs/tai.h>

#include "svstate.h"
#include "svstatus.h"

/* what a command waits for */
enum target_e
{
  T_NONE,    /* signals: no state to reach, -v prints the status at once */
  T_UP,      /* u: running, and ready when it declares readiness */
  T_DOWN,    /* d: down, finish done */
  T_ONCE,    /* o: started since we asked, or already running */
  T_TERM,    /* t: restarted since we asked (or down if wanted down) */
  T_RESTART, /* tcu: restarted since we asked */
  T_EXIT,    /* x: supervise gone */
  T_PAUSE,   /* p: status says paused */
  T_CONT,    /* c: status says not paused */
  T_CHECK    /* check: the wanted state, whatever it is */
};


/* what argv[0] selects */
#define M_SVCTL 0
#define M_SV 1      /* runit's sv */
#define M_LSB 2     /* /etc/init.d/NAME: sv's LSB mode for service NAME */

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

/* the command line, parsed */
typedef struct args_s args;
struct args_s
{
  unsigned char mode;           /* M_SVCTL, M_SV, M_LSB */
  char const *lsbname;          /* M_LSB: the service, argv[0]'s base name */
  verb const *vb;
  char cmd[64];                 /* the control bytes, null-terminated */
  unsigned int waitsec;         /* set by the caller to the default before parsing */
  int verbose, anywait, json;
  int wait;                     /* a command to wait for */
  int n;                        /* the services named (0: status of all of $SVDIR) */
  char const *const *services;  /* in argv, or &lsbname */
};
#define ARGS_OK 0
#define ARGS_USAGE 1
#define ARGS_HELP 2
#define ARGS_VERSION 3

/* svctl-args.c: parse argv (argc entries) into a. No output, no exit, no global. */
extern int args_parse (args *a, int argc, char const *const *argv);

typedef struct svc_s svc;
struct svc_s
{
  char const *name;       /* as the user typed it (or the $SVDIR entry): sv prints it so */
  stralloc path;          /* the service directory */
  stralloc ename;         /* our FIFO in path/event/ */
  int efd;                /* that FIFO; -1: no event/ (runsv), poll the status file */
  pid_t checkpid;         /* a running check script, or 0 */
  uint64_t checkstamp;    /* status stamp (ns) when that check started */
  uint64_t checkpassed;   /* status stamp for which check last exited 0, or ~0 */
  tain checkstart;
  tain nextcheck;
  unsigned int checkever : 1;  /* a check run has started */
  unsigned int checkdone : 1;  /* a check run has completed */
  unsigned int done : 1;
};

/* one reading of a supervise dir. Start from SNAP_ZERO, end with snap_free. */
typedef struct snap_s snap;
struct snap_s
{
  svstatus st;
  svstate ss;
  int hasstate;
  int torn;               /* state and status from different changes: read again later */
  uint64_t stamp;         /* status's TAI64N as unix ns */
  stralloc raw;           /* the state file's text (every key, for --json) */
  char const *what;       /* a failed look or read: what could not be done */
  int err;                /* and why (an errno; EPROTO: a bad format) */
};
#define SNAP_ZERO { .raw = STRALLOC_ZERO, .what = 0, .err = 0 }


extern unsigned int rc;         /* services that failed, timed out or were unreadable */
extern int xfatal;              /* exit code of a fatal error: 100, or 151 in LSB mode (as sv) */
extern int kll;                 /* a force-* verb: on timeout, "kill: " and send k (as sv) */
extern char const *notrunning;  /* the words for a service without a supervisor */
extern int json;                /* status --json */
extern unsigned char target;    /* enum target_e */
extern uint64_t tstart;         /* unix ns before any command was sent */

/* svc.c: what a service is now. Nothing here prints; errors of allocation are fatal (xfatal). */
extern char const *svc_sub (char const *dir, char const *s);  /* dir/s, valid until the next call */
extern int svc_exists (char const *dir, char const *s);
extern int svc_normallyup (char const *dir);                  /* no dir/down */
extern int svc_find (svc *s);     /* s->path from s->name, and it is there: 1; 0 errno */
extern svc *svc_list (unsigned int *n, stralloc *names);      /* every service of $SVDIR, by name */
extern int svc_running (char const *dir);  /* 1 yes, 0 no (ENXIO, ENOENT on control), -1 errno */
extern int svc_read (char const *dir, snap *sn);  /* 1 ok; 0: sn->what, sn->err say why */
extern int svc_look (char const *dir, snap *sn, int read);
  /* is a supervisor running, and (read) are its files readable: 1 yes (sn filled when read);
     0 no supervisor; -1 unreadable (sn->what, sn->err) */
extern int svc_haslog (char const *dir, stralloc *logdir);    /* logdir = dir/log; has it a supervise? */
extern int svc_send (char const *dir, char const *cmd);       /* 1 sent; 0 no supervisor; -1 errno */
extern void snap_free (snap *sn);
extern void svc_cleanup (void);

/* svctl-out.c: lines on stdout; the fail:/warning: ones are counted in rc */
extern void out_fail (svc *s, char const *what, int e);       /* fail: NAME: what[: reason] */
extern void out_warn (svc *s, char const *what, int e);       /* warning: NAME: ... */
extern void out_notrunning (svc *s);                          /* fail:, or ok: when exiting */
extern void out_unseen (svc *s, snap const *sn, int r);       /* why svc_look said r (0 or -1) */
extern void out_result (char const *prefix, svc *s, snap const *sn);  /* "ok: " / "timeout: " + status line */
extern void out_status (svc *s, snap const *sn, char const *logdir, snap const *lsn, int lr);
  /* the status verb's line, text or JSON: the service's reading, and its log's (lr: 1 read,
     0 no log service, -1 unreadable, lsn->what and lsn->err say why) */
extern void out_free (void);

/* svctl-table.c: svctl status on a terminal, in columns */
extern void table_print (svc *v, unsigned int n, int colour);

/* svctl-wait.c */
extern void wait_subscribe (svc *s);
extern void wait_all (svc *v, unsigned int n, tain const *deadline);

#endif
