/* SPDX-License-Identifier: ISC */
/* svlog/svlog.h: what svlog.c, svlog-target.c and svlog-err.c share */
#ifndef SVTREE_SVLOG_H
#define SVTREE_SVLOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <skalibs/stralloc.h>
#include <skalibs/tai.h>

#include "logconf.h"
#include "logstamp.h"

 /* the command line */
struct svlog_opts_s
{
  uint64_t size;          /* -s */
  unsigned int num;       /* -n */
  unsigned int age;       /* -a, 0 none */
  uint64_t spool;         /* -m */
  size_t linemax;         /* -L */
  size_t matchlen;        /* -l */
  size_t readsize;        /* -b */
  char repl;              /* -r, 0 none */
  char const *replset;    /* -R */
  int stamp;              /* LOGSTAMP_* */
  unsigned int verbose : 1;
  unsigned int copyerr : 1;   /* -e */
  unsigned int block : 1;     /* -B */
};
extern struct svlog_opts_s svlog_opts;

 /* one target: a log directory (svlogd's layout) or a -f file (supervisord's) */
typedef struct target_s target;
struct target_s
{
  char const *name;         /* as given */
  unsigned int isfile : 1;
  unsigned int rotatable : 1;   /* a directory, or a -f regular file */
  unsigned int failing : 1;
  unsigned int hasconf : 1;
  unsigned int sel : 1;         /* the current line's selection (for -L pieces) */
  int fd, lockfd;
  uint64_t size;            /* bytes in current */
  tain opened;              /* start or last rotation (age) */
   /* settings: command line, then config */
  uint64_t smax;
  unsigned int num, nmin, age;
  logconf conf;
  char const *proc, *pre;
  size_t prelen;
   /* trouble */
  int ferr;                 /* errno of the first failure */
  char const *fwhat;        /* "write to", "open", "lock" ... */
  tain retry;
  stralloc pending;         /* whole lines (the first maybe a remainder) not yet written */
  uint64_t lostlines, lostbytes;
  unsigned int removed;     /* archives removed for space */
   /* processor */
  pid_t procpid;
  char procname[28];
  unsigned int procfails;
  tain procretry;           /* tain_zero: none */
  tain procdl;              /* a running processor is killed then */
  stralloc path;            /* scratch */
};

 /* svlog-target.c */
extern void target_init (target *, char const *name, int isfile);
extern int target_open (target *);            /* 1 usable; 0 not (ferr, fwhat set, warned) */
extern size_t target_put (target *, char const *s, size_t n);  /* whole lines; bytes written */
extern int target_rotate (target *);  /* 1 done or nothing to do, 0 failed (warned) */
extern void target_hup (target *);
extern void target_close (target *);
extern void target_proc_start (target *);
extern int target_proc_reaped (target *, pid_t, int wstat);  /* 1 if it was this target's */
extern void target_procs_stop (void);          /* exiting: no processor starts any more */
extern void target_proc_kill (target *);       /* exiting: a processor still running is killed */
extern int target_deadline (target const *, tain *);  /* earliest due time of t, 0 none */
extern void target_timer (target *);          /* age rotation and processor retries due now */

 /* svlog-err.c: stderr without blocking and without O_NONBLOCK on fd 2 */
extern void err_setup (void);
extern void err_put (char const *s, size_t n);   /* whole lines: written, or dropped and counted */
extern int err_pollfd (void);                    /* fd to poll for writing, -1 when nothing waits */
extern void err_ready (void);
extern void err_final (void);
 /* warnings and info lines: "svlog: warning: " + strings, through err_put */
extern void svlog_warn (char const *const *s, unsigned int n);
#define SVLOG_WARN(...) svlog_warn((char const *const[]){ "svlog: warning: ", __VA_ARGS__ }, sizeof((char const *const[]){ "svlog: warning: ", __VA_ARGS__ }) / sizeof(char const *))
#define SVLOG_INFO(...) do { if (svlog_opts.verbose) svlog_warn((char const *const[]){ "svlog: info: ", __VA_ARGS__ }, sizeof((char const *const[]){ "svlog: info: ", __VA_ARGS__ }) / sizeof(char const *)); } while (0)

 /* svlog.c */
extern size_t svlog_stampnow (char *s);     /* the stamp of now (svlog_opts.stamp), 0 none */

#endif
