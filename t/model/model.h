/* SPDX-License-Identifier: ISC */
/* t/model/model.h: a reference model of one supervised service, from SPEC sections 2-4
   alone. It says what a correct supervise shows after each step the driver takes: the
   state keys, the runit status, the event bytes, the lifecycle lines, the spawns and
   finish's arguments. Time is abstract: at most one timer is pending (min-uptime,
   backoff, timeout-kill, timeout-finish, and timeout-ready armed when min-uptime is over),
   and the driver decides when it fires; what
   happens "at once" (a run that dies right after its spawn, a finish that exits) is
   applied by model_flush. */
#ifndef SVTREE_T_MODEL_H
#define SVTREE_T_MODEL_H

#include <stddef.h>

/* states and wants, numbered as lib/svstate.h numbers them */
enum mstate { MS_DOWN, MS_UP, MS_FINISHING, MS_BACKOFF, MS_STOPPING, MS_FAILED };
enum mwant { MW_UP, MW_DOWN, MW_ONCE, MW_EXIT };
/* the pending timer: READY is min-uptime as readiness (no notification-fd); OLD is
   min-uptime with notification-fd (no event: only the failed-start judgement changes) */
enum mtimer { MT_NONE, MT_READY, MT_OLD, MT_BACKOFF, MT_KILL, MT_FINISH, MT_TREADY };
/* SPEC 2 restart */
enum mrestart { MR_ALWAYS, MR_ON_FAILURE, MR_NEVER };

/* what the run of one spawn does */
struct mrun
{
  unsigned char islong;   /* 0: ends at once, far within min-uptime; 1: lives until the driver
                             ends it (and the driver ends it only after min-uptime) */
  int sig;                /* ends by killing itself with this signal, or 0 */
  int code;               /* else exits with this code */
  unsigned char ignores;  /* ignores the down signal */
  unsigned char child;    /* forks a child that ignores the down signal and lingers in the group */
  unsigned char watch;    /* forks a child that stays in the group until the down signal and
                             records every other signal it gets (SPEC 3: a signal command goes
                             to run's pid only, so it records none) */
};

/* what the finish after one death does */
struct mfinish
{
  unsigned char hangs;    /* sleeps past timeout-finish */
  int code;               /* else exits with this code */
};

/* the service's files (SPEC 2) */
struct mconf
{
  unsigned int min_uptime, max_backoff, timeout_kill, timeout_finish, max_failures;
  int downsig;
  unsigned char notify;   /* notification-fd */
  unsigned char finish;   /* finish exists */
  unsigned char restart;  /* enum mrestart */
  unsigned long success;  /* success-codes: bit n set when exit n is a success (n < 32) */
  unsigned char check;    /* check exists: readiness by check when there is no notification-fd */
  unsigned int timeout_ready;  /* ms (above min-uptime) or 0 */
  /* Not modelled: health (health-interval, health-failures), timeout-check. */
};

/* how a run ended: an exit code, or one of a set of signals (when two signals raced, or
   when the process was adopted and its status cannot be known) */
struct mexit
{
  unsigned char known;    /* 0: an adopted run: status unknown */
  int code;               /* >= 0: exited with it; -1: killed */
  unsigned long sigs;     /* killed: bit n set for each signal n it may have died of */
};

#define M_EVMAX 8192
#define M_LINEMAX 32768

struct model
{
  struct mconf c;
  struct mrun const *(*run) (void *, unsigned long);       /* the behaviour of spawn n (from 1) */
  struct mfinish const *(*fin) (void *, unsigned long);    /* of finish n */
  void *arg;

  /* supervise */
  unsigned char running;          /* a supervise is running */
  unsigned char started;          /* run was spawned since this supervise started */
  unsigned char state, want, normally_up, paused, ready, termsent;
  unsigned long restarts, failures;
  unsigned char has_exit;         /* last_exit is not empty */
  struct mexit last;

  /* the current run */
  unsigned long spawns, finishes;
  unsigned char young;            /* younger than min-uptime */
  unsigned char cmdsig;           /* a command delivered a signal (or a stop) since the spawn */
  unsigned char stopped;          /* SIGSTOPped */
  unsigned long pending;          /* signals pending while stopped */
  unsigned char notified;
  unsigned char adopted;          /* adopted from a killed supervise: exit status and notification pipe lost */
  unsigned char dying;            /* its death is due (applied by model_flush) */
  struct mexit dies;
  unsigned char failedstart, finishfailed;
  unsigned char readyfail;        /* stopped at timeout-ready: its death is a failed start */
  unsigned char policystop, policyfail;  /* the death is not restarted / makes the service failed (restart) */
  char const *downwhy;            /* the down line's reason when a restart policy stopped it */
  unsigned char checkok;          /* check passes (while a long run is alive): set by the driver */
  unsigned char checkdue;         /* a long run was spawned: its first check runs after the step */
  unsigned char finishdue;        /* finish exits at once */
  int finishcode;

  unsigned char timer;            /* enum mtimer */
  unsigned long arms;             /* how many times a timer was armed */
  unsigned int timer_ms;
  unsigned int backoff_ms;        /* the current backoff */

  /* what should have been seen so far */
  char ev[M_EVMAX];               /* event bytes (w left out) */
  size_t nev;
  char lines[M_LINEMAX];          /* lifecycle lines as tokens, one per line (see model_line_token) */
  size_t nlines;
  char finlog[M_LINEMAX];         /* finish.log: "N CODE SIG" per finish; CODE/SIG "?" when not fixed */
  size_t nfinlog;
};

extern void model_init (struct model *, struct mconf const *);
/* a supervise starts: fresh (state files of a down service), or adopting the live run
   left by a killed one (state up or stopping; want, paused and a stop in progress carry over) */
extern void model_start (struct model *, int downfile);
extern void model_adopt (struct model *, int downfile);
/* one control byte (SPEC 3); several in one write are several calls, then one flush */
extern void model_command (struct model *, char);
/* the run's own doings, told by the driver: it notifies readiness; it ends (long runs) */
extern void model_notify (struct model *);
extern void model_end (struct model *);
/* check starts passing (1) or failing (0) */
extern void model_check (struct model *, int);
/* the pending timer fires */
extern void model_timer (struct model *);
/* apply what happens at once: deaths due, finishes that exit, restarts, supervise's exit */
extern void model_flush (struct model *);

/* what a signal command does to the run: whether `c` makes the run die (for the driver's
   choice of bursts); and the status/stat views */
extern char model_status_state (struct model const *);   /* 0 down, 1 run, 2 finish */
extern char model_status_want (struct model const *);    /* 'u' or 'd' */
extern size_t model_stat (struct model const *, char *); /* runsv's stat line, as SPEC 3 words it */
extern char const *model_state_name (unsigned char);
extern char const *model_want_name (unsigned char);
extern char const *model_timer_name (unsigned char);
/* the backoff after n consecutive failed starts (SPEC 2 max-backoff) */
extern unsigned int model_backoff (unsigned long n, unsigned int max);
/* "exit N" / "signal NAME" / "" or "signal HUP|TERM" for a set, into buf (64 bytes) */
extern char const *model_exit_str (struct mexit const *, char *);
/* a signal command byte's signal, 0 if c is not one */
extern int model_cmdsig (char);

#endif
