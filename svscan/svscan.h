/* svscan/svscan.h: what the files of svscan share */
#ifndef SVTREE_SVSCAN_H
#define SVTREE_SVSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <skalibs/tai.h>

#define EXIT_CRITICAL 125       /* supervise's exit code when a critical service failed */
#define RESPAWN_MS 1000         /* at most one supervise per entry per second */
#define RETRY_SEC 5             /* recoverable trouble: look again this much later */
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
  unsigned int deferred : 1;    /* stopping: its x waits until no running service needs it */
};

 /* svscan.c */
extern char const *dirarg;      /* DIR as given, for messages */
extern unsigned int grace_ms;
extern int ifd;                 /* inotify, -1 when unavailable */
extern int pid1;
extern void retry_later (void);
extern void reap (void);

 /* svscan-table.c: the entries, found by name, by supervise pid and by inotify watch;
    the queue of the ones due to get a supervise */
extern svc *svcs;
extern int svc_tables_init (void);                /* 1 ok, 0 ENOMEM */
extern uint32_t svc_hashname (char const *, size_t);
extern svc *svc_new (char const *name, size_t len, uint32_t hash, dev_t, ino_t);  /* 0: ENOMEM */
extern void svc_free (svc *);
extern void svc_unname (svc *);                    /* out of the name table (S_GONE) */
extern svc *svc_by_name (char const *, size_t, uint32_t);
extern svc *svc_by_pid (pid_t);
extern size_t svc_by_wd (int, svc ***);            /* the entries sharing a watch, in a buffer of its own */
extern void svc_set_pid (svc *, pid_t);
extern int svc_watch_set (svc *, char const *, uint32_t);  /* 1 ok, 0 errno */
extern void svc_watch_drop (svc *);
extern void svc_watch_forget (svc *);              /* the kernel removed it (IN_IGNORED) */
extern void svc_enqueue (svc *);
extern void svc_dequeue (svc *);
extern void svc_due (void (*) (svc *), tain *);    /* launch the due ones; the next due time */
extern char *svc_path (char *, svc const *, char const *);  /* NAME/FILE, buf of len + strlen(FILE) + 2 */

 /* svscan-stop.c: stopping the tree */
extern int stopping;
extern int exitcode;
extern int nochildren;          /* reap found no child at all */
extern void stop (void);
extern void hurry (void);
extern int stop_progress (void);                   /* 1 when svscan can exit */
extern tain const *stop_deadline (void);

#endif
