/* SPDX-License-Identifier: ISC */
/* logstamp.h: the stamps svlog puts before a line (SPEC 8) */
#ifndef SVTREE_LOGSTAMP_H
#define SVTREE_LOGSTAMP_H

#include <stddef.h>
#include <stdint.h>

 /* the longest stamp, trailing space included */
#define LOGSTAMP_MAX 32
 /* runit's TAI64 base: 2^62 + 10 + unix seconds (no leap seconds), as svlogd -t writes */
#define LOGSTAMP_TAI_BASE 4611686018427387914ULL

enum logstamp_kind_e
{
  LOGSTAMP_NONE,
  LOGSTAMP_TAI64N,   /* -t: @4000000065a1b2c30a1b2c3d */
  LOGSTAMP_UNDER,    /* -tt: 2026-12-04_08:36:00.12345 (svlogd's five digits) */
  LOGSTAMP_T,        /* -ttt: 2026-12-04T08:36:00.12345 */
  LOGSTAMP_ISO,      /* -T: 2026-12-04T08:36:00.123456Z */
};

 /* the seconds part of the last stamp is kept: formatting a stamp in the same second
    only redoes the fraction */
typedef struct logstamp_s logstamp;
struct logstamp_s
{
  int kind;
  int64_t sec;       /* unix seconds of cache, or -1 */
  char cache[LOGSTAMP_MAX];
  size_t fraclen;    /* bytes of cache before the fraction */
};
#define LOGSTAMP_ZERO(k) { .kind = (k), .sec = -1, .cache = "", .fraclen = 0 }

/* fmt: the stamp for unix time sec.nsec, with its trailing space, into s
   (LOGSTAMP_MAX bytes); returns its length (0 for LOGSTAMP_NONE). Pure but for the cache. */
extern size_t logstamp_fmt (logstamp *, char *s, int64_t sec, uint32_t nsec);

#endif
