/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <skalibs/bytestr.h>
#include <skalibs/uint64.h>

#include "svstate.h"
#include "wstat.h"

enum key_e
{
  K_STATE, K_PID, K_SINCE, K_WANT, K_NORMALLY, K_PAUSED, K_READY, K_READY_SINCE,
  K_RESTARTS, K_FAILURES, K_LAST_EXIT, K_BACKOFF_UNTIL, K_PID_START, K_HEALTH,
  K_HEALTH_RESTARTS, K_WAITING_FOR, K_SIGNALLED, K_N
};

static char const *const keys[K_N] =
{
  "state", "pid", "since", "want", "normally", "paused", "ready", "ready_since",
  "restarts", "failures", "last_exit", "backoff_until", "pid_start", "health",
  "health_restarts", "waiting_for", "signalled"
};

#define REQUIRED ((1u << K_STATE) | (1u << K_PID) | (1u << K_SINCE) | (1u << K_WANT))

/* s is not null-terminated: copy the digits before scanning */
static int
scan_u64 (char const *s, size_t n, uint64_t *u)
{
  char buf[UINT64_FMT + 1];
  if (!n || n > UINT64_FMT)
    return 0;
  memcpy(buf, s, n);
  buf[n] = 0;
  return uint640_scan(buf, u) == n;
}

static int
scan_name (char const *s, size_t n, char const *const *names, unsigned int max, unsigned char *i)
{
  unsigned int j = 0;
  for (; j < max; j++)
    if (strlen(names[j]) == n && !memcmp(names[j], s, n))
    {
      *i = (unsigned char)j;
      return 1;
    }
  return 0;
}

static int
scan_bool (char const *s, size_t n, unsigned char *b)
{
  if (n != 1 || (s[0] != '0' && s[0] != '1'))
    return 0;
  *b = (unsigned char)(s[0] - '0');
  return 1;
}

static int
field (unsigned int k, char const *s, size_t n, svstate *st)
{
  uint64_t u;
  switch (k)
  {
    case K_STATE: return scan_name(s, n, svstate_state_names, SVSTATE_NSTATES, &st->state);
    case K_WANT: return scan_name(s, n, svstate_want_names, 4, &st->want);
    case K_NORMALLY:
      if (n == 2 && !memcmp(s, "up", 2))
        st->normally_up = 1;
      else if (n == 4 && !memcmp(s, "down", 4))
        st->normally_up = 0;
      else
        return 0;
      return 1;
    case K_PID:
      if (!scan_u64(s, n, &u) || u > INT_MAX)
        return 0;
      st->pid = (pid_t)u;
      return 1;
    case K_PAUSED: return scan_bool(s, n, &st->paused);
    case K_READY: return scan_bool(s, n, &st->ready);
    case K_SIGNALLED: return scan_bool(s, n, &st->signalled);
    case K_SINCE: return scan_u64(s, n, &st->since);
    case K_READY_SINCE: return scan_u64(s, n, &st->ready_since);
    case K_RESTARTS: return scan_u64(s, n, &st->restarts);
    case K_FAILURES: return scan_u64(s, n, &st->failures);
    case K_BACKOFF_UNTIL: return scan_u64(s, n, &st->backoff_until);
    case K_PID_START: return scan_u64(s, n, &st->pid_start);
    case K_HEALTH_RESTARTS: return scan_u64(s, n, &st->health_restarts);
    case K_HEALTH:
      if (n == 1 && s[0] == '-')
        st->health = SVSTATE_HEALTH_NONE;
      else if (n == 2 && !memcmp(s, "ok", 2))
        st->health = SVSTATE_HEALTH_OK;
      else if (n == 9 && !memcmp(s, "unhealthy", 9))
        st->health = SVSTATE_HEALTH_UNHEALTHY;
      else if (n > 8 && !memcmp(s, "failing ", 8) && scan_u64(s + 8, n - 8, &u) && u <= UINT_MAX)
      {
        st->health = SVSTATE_HEALTH_FAILING;
        st->health_failing = (unsigned int)u;
      }
      else
        return 0;
      return 1;
    case K_WAITING_FOR:
      if (n >= SVSTATE_WAITING_MAX)
        n = SVSTATE_WAITING_MAX - 1;
      memcpy(st->waiting_for, s, n);
      st->waiting_for[n] = 0;
      return 1;
    case K_LAST_EXIT:
      if (!n)
      {
        st->has_exit = 0;
        st->last_wstat = 0;
        return 1;
      }
      if (!wstat_scan(s, n, &st->last_wstat))
        return 0;
      st->has_exit = 1;
      return 1;
  }
  return 0;
}

int
svstate_parse (char const *s, size_t len, svstate *st)
{
  svstate t = SVSTATE_ZERO;
  unsigned int seen = 0;
  size_t pos = 0;
  while (pos < len)
  {
    char const *line = s + pos;
    size_t n = byte_chr(line, len - pos, '\n');
    size_t eq;
    unsigned int k;
    pos += n < len - pos ? n + 1 : n;
    if (!n)
      continue;
    eq = byte_chr(line, n, '=');
    for (k = 0; k < K_N; k++)
      if (strlen(keys[k]) == eq && !memcmp(keys[k], line, eq))
        break;
    if (k == K_N)
      continue;
    if (eq == n || !field(k, line + eq + 1, n - eq - 1, &t))
      return (errno = EPROTO, 0);
    seen |= 1u << k;
  }
  if ((seen & REQUIRED) != REQUIRED)
    return (errno = EPROTO, 0);
  *st = t;
  return 1;
}
