/* SPDX-License-Identifier: ISC */
/* svstate.h: svtree's supervise/state file, one key=value per line (SPEC 3) */
#ifndef SVTREE_SVSTATE_H
#define SVTREE_SVSTATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SVSTATE_DOWN 0
#define SVSTATE_UP 1
#define SVSTATE_FINISHING 2
#define SVSTATE_BACKOFF 3
#define SVSTATE_STOPPING 4
#define SVSTATE_FAILED 5
#define SVSTATE_WAITING 6         /* for needs/ (SPEC 4a) */
#define SVSTATE_NSTATES 7

#define SVSTATE_WANT_UP 0
#define SVSTATE_WANT_DOWN 1
#define SVSTATE_WANT_ONCE 2
#define SVSTATE_WANT_EXIT 3

#define SVSTATE_HEALTH_NONE 0      /* health=- : not checked */
#define SVSTATE_HEALTH_OK 1        /* health=ok */
#define SVSTATE_HEALTH_FAILING 2   /* health=failing N */
#define SVSTATE_HEALTH_UNHEALTHY 3 /* health=unhealthy */

#define SVSTATE_WAITING_MAX 512    /* waiting_for, null included; a longer list ends with "..." */
#define SVSTATE_FMT_MAX 2048

typedef struct svstate_s svstate;
struct svstate_s
{
  unsigned char state;          /* SVSTATE_DOWN ... SVSTATE_FAILED */
  pid_t pid;                    /* 0 when none */
  uint64_t since;               /* unix ns of the last change */
  unsigned char want;           /* SVSTATE_WANT_* */
  unsigned char normally_up;    /* 1: normally=up, 0: normally=down */
  unsigned char paused;
  unsigned char ready;
  uint64_t ready_since;         /* unix ns, 0 before the first readiness */
  uint64_t restarts;
  uint64_t failures;
  int has_exit;                 /* 0: last_exit empty; else last_wstat is meaningful */
  int last_wstat;               /* a wait status, as waitpid gives it */
  uint64_t backoff_until;       /* unix ns or 0 */
  uint64_t pid_start;           /* key pid_start: /proc/PID/stat starttime (ticks since boot), for adoption */
  unsigned char health;         /* SVSTATE_HEALTH_* */
  unsigned int health_failing;  /* N of "failing N" */
  uint64_t health_restarts;
  char waiting_for[SVSTATE_WAITING_MAX];  /* names not ready yet, escaped, blank-separated; "" when not waiting */
  unsigned char signalled;      /* a command signalled the current run (a signal byte, a stop): its
                                   death is the command's, never a failed start nor judged by restart */
};
#define SVSTATE_ZERO { .state = SVSTATE_DOWN, .pid = 0, .since = 0, .want = SVSTATE_WANT_DOWN, .normally_up = 1, .paused = 0, .ready = 0, .ready_since = 0, .restarts = 0, .failures = 0, .has_exit = 0, .last_wstat = 0, .backoff_until = 0, .pid_start = 0, .health = SVSTATE_HEALTH_NONE, .health_failing = 0, .health_restarts = 0, .waiting_for = "", .signalled = 0 }

extern char const *const svstate_state_names[SVSTATE_NSTATES];  /* "down", "up", "finishing", "backoff", "stopping", "failed", "waiting" */
extern char const *const svstate_want_names[4];   /* "up", "down", "once", "exit" */

/* fmt: the whole file text into s (SVSTATE_FMT_MAX bytes), returns its length.
   Keys in this order: state pid since want normally paused ready ready_since
   restarts failures last_exit backoff_until pid_start health health_restarts waiting_for
   signalled.
   last_exit is "exit N", "signal NAME" (no SIG prefix) or empty; health is "-", "ok",
   "failing N" or "unhealthy". */
extern size_t svstate_fmt (char *s, svstate const *);

/* parse: 1 ok; 0 with errno EPROTO if a known key is missing or malformed.
   Unknown keys and blank lines are ignored; health, health_restarts, waiting_for and
   signalled may be missing (a state file from before them). */
extern int svstate_parse (char const *s, size_t len, svstate *);

/* sdir is a supervise directory. read: 1 ok, 0 errno (ENOENT, EPROTO).
   write: atomic (sdir/state.new + rename); 1 ok, 0 errno. */
extern int svstate_read (char const *sdir, svstate *);
extern int svstate_write (char const *sdir, svstate const *);

#endif
