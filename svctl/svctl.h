/* svctl/svctl.h: what svctl's files share. svctl.c: commands, the list of services;
   svctl-args.c: the command line (modes, verbs, options); svctl-out.c: reading supervise dirs, sv's lines and JSON; svctl-wait.c:
   waiting for the wanted state (event/, inotify, or polling runsv's status). */
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

/* one reading of a supervise dir */
typedef struct snap_s snap;
struct snap_s
{
  svstatus st;
  svstate ss;
  int hasstate;
  int torn;               /* state and status from different changes: read again later */
  uint64_t stamp;         /* status's TAI64N as unix ns */
};


extern unsigned int rc;         /* services that failed, timed out or were unreadable */
extern int xfatal;              /* exit code of a fatal error: 100, or 151 in LSB mode (as sv) */
extern int kll;                 /* a force-* verb: on timeout, "kill: " and send k (as sv) */
extern char const *notrunning;  /* the words for a service without a supervisor */
extern int json;                /* status --json */
extern unsigned char target;    /* enum target_e */
extern uint64_t tstart;         /* unix ns before any command was sent */

/* svctl-out.c */
extern char const *svc_sub (char const *dir, char const *s);  /* dir/s, valid until the next call */
extern int svc_exists (char const *dir, char const *s);
extern int svc_running (char const *dir);  /* 1 yes, 0 no (ENXIO, ENOENT on control), -1 errno */
extern int svc_read (char const *dir, snap *sn, char const **what);  /* 1 ok; 0 errno, *what says which file */
extern int svc_look (svc *s, snap *sn);  /* running and readable: 1; else says why (fail:/warning:) and 0 */
extern void out_fail (svc *s, char const *what, int e);       /* fail: NAME: what[: reason], counted */
extern void out_warn (svc *s, char const *what, int e);       /* warning: NAME: ..., counted */
extern void out_notrunning (svc *s);                          /* fail:, or ok: when exiting */
extern void out_result (char const *prefix, svc *s, snap const *sn);  /* "ok: " / "timeout: " + status line */
extern int out_status (svc *s);  /* the status verb, text or JSON: 1 running, 2 down, 0 no supervisor, -1 unreadable */
extern void out_free (void);

/* svctl-table.c: svctl status on a terminal, in columns */
extern void table_print (svc *v, unsigned int n, int colour);

/* svctl-wait.c */
extern void wait_subscribe (svc *s);
extern void wait_all (svc *v, unsigned int n, tain const *deadline);

#endif
