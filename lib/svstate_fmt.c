/* SPDX-License-Identifier: ISC */

#include <string.h>

#include <skalibs/uint64.h>

#include "svstate.h"
#include "wstat.h"

static size_t
put (char *s, char const *key, char const *val, size_t vlen)
{
  size_t klen = strlen(key);
  memcpy(s, key, klen);
  s[klen] = '=';
  memcpy(s + klen + 1, val, vlen);
  s[klen + 1 + vlen] = '\n';
  return klen + vlen + 2;
}

static size_t
putu (char *s, char const *key, uint64_t u)
{
  char fmt[UINT64_FMT];
  return put(s, key, fmt, uint64_fmt(fmt, u));
}

static char const *
name (char const *const *names, unsigned int n, unsigned int i)
{
  return i < n ? names[i] : "?";
}

size_t
svstate_fmt (char *s, svstate const *st)
{
  char const *x;
  char w[WSTAT_FMT_MAX];
  size_t len = 0;
  x = name(svstate_state_names, SVSTATE_NSTATES, st->state);
  len += put(s + len, "state", x, strlen(x));
  len += putu(s + len, "pid", st->pid > 0 ? (uint64_t)st->pid : 0);
  len += putu(s + len, "since", st->since);
  x = name(svstate_want_names, 4, st->want);
  len += put(s + len, "want", x, strlen(x));
  x = st->normally_up ? "up" : "down";
  len += put(s + len, "normally", x, strlen(x));
  len += putu(s + len, "paused", !!st->paused);
  len += putu(s + len, "ready", !!st->ready);
  len += putu(s + len, "ready_since", st->ready_since);
  len += putu(s + len, "restarts", st->restarts);
  len += putu(s + len, "failures", st->failures);
  len += put(s + len, "last_exit", w, st->has_exit ? wstat_fmt(w, st->last_wstat) : 0);
  len += putu(s + len, "backoff_until", st->backoff_until);
  len += putu(s + len, "pid_start", st->pid_start);
  switch (st->health)
  {
    case SVSTATE_HEALTH_OK: len += put(s + len, "health", "ok", 2); break;
    case SVSTATE_HEALTH_UNHEALTHY: len += put(s + len, "health", "unhealthy", 9); break;
    case SVSTATE_HEALTH_FAILING:
    {
      char h[8 + UINT64_FMT] = "failing ";
      len += put(s + len, "health", h, 8 + uint64_fmt(h + 8, st->health_failing));
      break;
    }
    default: len += put(s + len, "health", "-", 1); break;
  }
  len += putu(s + len, "health_restarts", st->health_restarts);
  len += put(s + len, "waiting_for", st->waiting_for, strnlen(st->waiting_for, SVSTATE_WAITING_MAX - 1));
  len += putu(s + len, "signalled", !!st->signalled);
  return len;
}
