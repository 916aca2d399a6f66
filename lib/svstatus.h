/* SPDX-License-Identifier: ISC */
/* svstatus.h: runit's supervise/status (20 bytes), supervise/stat and supervise/pid */
#ifndef SVTREE_SVSTATUS_H
#define SVTREE_SVSTATUS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SVSTATUS_SIZE 20
 /* runit's tai_unix(): 2^62 + 10 + unix seconds, no leap seconds (skalibs' tain adds them) */
#define SVSTATUS_TAI_BASE 4611686018427387914ULL
#define SVSTATUS_DOWN 0
#define SVSTATUS_RUN 1
#define SVSTATUS_FINISH 2
#define SVSTATUS_STAT_MAX 64    /* longest stat line: "finish, paused, got TERM, want down\n" */

typedef struct svstatus_s svstatus;
struct svstatus_s
{
  uint64_t sec;                 /* unix seconds of the last state change */
  uint32_t nsec;
  pid_t pid;                    /* 0 when none */
  unsigned char paused;         /* 0/1 */
  char want;                    /* 'u' or 'd' */
  unsigned char termsent;       /* 0/1 */
  unsigned char state;          /* SVSTATUS_DOWN, _RUN, _FINISH */
  unsigned char wantexit;       /* not in the 20 bytes: only for stat's ", want exit" */
};
#define SVSTATUS_ZERO { .sec = 0, .nsec = 0, .pid = 0, .paused = 0, .want = 'd', .termsent = 0, .state = SVSTATUS_DOWN, .wantexit = 0 }

extern void svstatus_pack (char *, svstatus const *);
extern void svstatus_unpack (char const *, svstatus *);  /* wantexit is set to 0 */
extern size_t svstatus_fmt_stat (char *, svstatus const *);  /* runsv's stat line, newline included; s has SVSTATUS_STAT_MAX */

/* sdir is a supervise directory (SERVICE/supervise or SERVICE/log/supervise).
   read: 1 ok; 0 with errno (ENOENT no file, EPROTO wrong size).
   write: status, stat and pid, each atomically (temp file + rename); 1 ok, 0 errno. */
extern int svstatus_read (char const *sdir, svstatus *);
extern int svstatus_write (char const *sdir, svstatus const *);

#endif
