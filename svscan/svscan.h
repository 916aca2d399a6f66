/* SPDX-License-Identifier: ISC */
/* svscan/svscan.h: what the files of svscan share */
#ifndef SVTREE_SVSCAN_H
#define SVTREE_SVSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <skalibs/stralloc.h>
#include <skalibs/tai.h>

#define EXIT_CRITICAL 125       /* supervise's exit code when a critical service failed */
#define RESPAWN_MS 1000         /* at most one supervise per entry per second */
#define RETRY_SEC 5             /* recoverable trouble: look again this much later */
#define LIMIT_RETRY_SEC 1       /* a system limit (processes, fds, memory) stopped a spawn: try again */
#define REAP_SEC 2              /* after the final SIGKILL, wait this long at most for the corpses */

enum svc_state_e
{
  S_IDLE,                       /* nothing runs, nothing is planned */
  S_NORUN,                      /* a directory without an executable run: its dir is watched */
  S_DUE,                        /* a supervise is to be spawned at ->when (in the due queue) */
  S_LOCKED,                     /* a supervise we did not start holds the lock: the lock is watched */
  S_UP,                         /* our supervise runs */
  S_GONE                        /* no longer in DIR: our supervise was told to exit */
};

typedef struct svc_s svc;
struct svc_s
{
  svc *prev, *next;             /* every entry */
  svc *hname, *hpid, *hwd;      /* hash chains: by name (not S_GONE), by supervise pid, by watch */
  char *name;
  size_t len;
  uint32_t hash;
  dev_t dev;                    /* what the name pointed to when the entry was made */
  ino_t ino;
  pid_t pid;                    /* our supervise, 0 when none */
  int wd;                       /* inotify watch, -1 when none */
  tain when;                    /* S_DUE: spawn time; otherwise the earliest next spawn */
  unsigned int gen;             /* the last full scan that saw it */
  unsigned char state;
  unsigned int inname : 1;
  unsigned int queued : 1;
  unsigned int added : 1;       /* "added" was said, so "removed" will be */
  unsigned int saidlock : 1;
  unsigned int saidwatch : 1;
  unsigned int saidexec : 1;
  unsigned int saidlimit : 1;   /* a system limit kept its supervise from starting: said once */
  unsigned int deferred : 1;    /* stopping: its x waits until no running service needs it */
  unsigned int nneeds;          /* stopping: the entries of its needs/, at stop.needs + needsat */
  size_t needsat;
};

 /* svscan's whole state: one struct, made by main and passed to every function. Each part
    is written by the file that owns it; the others only read it, or call that file. */
typedef struct svtab_s svtab;
struct svtab_s                  /* svscan-table.c: the entries and their tables */
{
  svc *all;                     /* every entry */
  unsigned int n;
  svc **htab[3];                /* by name, by supervise pid, by inotify watch */
  unsigned int hbits;
  svc **dueq[2];                /* S_DUE entries; [dueqi] is the live one */
  size_t duen[2], duecap[2];
  unsigned int dueqi;
  svc **wdv;                    /* svc_by_wd's answer */
  size_t wdcap;
};

typedef struct svstop_s svstop;
struct svstop_s                 /* svscan-stop.c: the stop sequence */
{
  int stopping;                 /* stop_begin was called */
  int termall;                  /* PID 1: the stray processes got their TERM */
  int killed;                   /* the grace period is over */
  int hurried;
  tain start, grace_at, reap_at;
  tain half_at;                 /* half the grace: every service held back gets its x */
  unsigned int ndeferred;       /* services held back by the needs of others */
  int anyneeds;                 /* some service has a needs/ (or its path was unknown) */
  stralloc needs;               /* every needs/ read at stop_begin, as svneeds_list gives them */
  stralloc held;                /* release's scratch: the paths running services need */
};

typedef struct svscan_s svscan;
struct svscan_s
{
   /* the command line and the process, set by main before the loop */
  char const *dirarg;           /* DIR as given, for messages */
  unsigned int grace_ms;
  unsigned int rescan_sec;
  int pid1;
   /* svscan.c: the loop (the table reads ifd; the stop sequence reads nochildren, sets exitcode) */
  int ifd;                      /* inotify, -1 when unavailable */
  int nochildren;               /* reap found no child at all */
  int exitcode;                 /* svscan's, once stopped: a critical service's, or 1 after SIGKILLs */
  stralloc dirabs;              /* DIR, absolute */
  stralloc supervise;           /* the supervise beside svscan */
  int dirwd;                    /* DIR's watch, -1 when none */
  int devnull;
  dev_t dirdev;                 /* DIR itself, never an entry */
  ino_t dirino;
  unsigned int gen;             /* full scans so far */
  unsigned int wantreap, wantscan, wantstop, stopsigs;
  int saidinotify, saiddir, saidscan;
  tain forkwait;                /* a fork failed for lack of processes or memory: none before this */
  int forkerr;                  /* and its errno */
  tain scan_at;                 /* the next full scan (a retry, or -t) */
  tain due_at;                  /* the next entry due a supervise */
  svtab tab;                    /* svscan-table.c */
  svstop stop;                  /* svscan-stop.c */
};
#define SVSCAN_ZERO { .grace_ms = 7000, .ifd = -1, .dirabs = STRALLOC_ZERO, .supervise = STRALLOC_ZERO, \
  .dirwd = -1, .devnull = -1, .wantreap = 1, .wantscan = 1, .scan_at = TAIN_INFINITE, .due_at = TAIN_INFINITE }

 /* svscan-table.c: the entries, found by name, by supervise pid and by inotify watch;
    the queue of the ones due to get a supervise. Watches are on sc->ifd. */
extern int svc_tables_init (svscan *);             /* 1 ok, 0 ENOMEM */
extern uint32_t svc_hashname (char const *, size_t);
extern svc *svc_new (svscan *, char const *name, size_t len, uint32_t hash, dev_t, ino_t);  /* 0: ENOMEM */
extern void svc_free (svscan *, svc *);
extern void svc_unname (svscan *, svc *);          /* out of the name table (S_GONE) */
extern svc *svc_by_name (svscan *, char const *, size_t, uint32_t);
extern svc *svc_by_pid (svscan *, pid_t);
extern size_t svc_by_wd (svscan *, int, svc ***); /* the entries sharing a watch, in a buffer of the table's */
extern void svc_set_pid (svscan *, svc *, pid_t);
extern int svc_watch_set (svscan *, svc *, char const *, uint32_t);  /* 1 ok, 0 errno */
extern void svc_watch_drop (svscan *, svc *);
extern void svc_watch_forget (svscan *, svc *);   /* the kernel removed it (IN_IGNORED) */
extern int svc_enqueue (svscan *, svc *);          /* 1; 0 ENOMEM: warned, S_IDLE, the caller retries later */
extern void svc_dequeue (svscan *, svc *);
extern int svc_due (svscan *, void (*) (svscan *, svc *), tain *);
  /* launch the due ones; the next due time. 0 when one could not be queued again */
extern char *svc_path (char *, svc const *, char const *);  /* NAME/FILE, buf of len + strlen(FILE) + 2 */

 /* svscan-stop.c: stopping the tree */
extern int stop_begin (svscan *);                  /* 1 while inotify is still needed (a foreign supervise) */
extern void stop_hurry (svscan *);
extern unsigned int stop_alive (svscan *);         /* the entries still to see go */
extern int stop_progress (svscan *);               /* 1 when svscan can exit */
extern tain const *stop_deadline (svscan const *);

#endif
