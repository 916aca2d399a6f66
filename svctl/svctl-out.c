/* SPDX-License-Identifier: ISC */
/* svctl/svctl-out.c: how a service is printed: runit sv's lines, svtree's words, JSON Lines.
   What is printed was read by svc.c; a new output format goes here (or beside, as
   svctl-table.c), a new key of the state file needs nothing (--json prints every key). */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <skalibs/buffer.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>

#include "clockns.h"
#include "svstate.h"
#include "svstatus.h"
#include "svctl.h"

static stralloc line = STRALLOC_ZERO;  /* the output line being composed */

static void flushline (void)
{
  if (!stralloc_catb(&line, "\n", 1))
    strerr_diefusys(xfatal, "stralloc_catb");
  if (buffer_putflush(buffer_1, line.s, line.len) < 0)
    strerr_diefusys(xfatal, "write to stdout");
  line.len = 0;
}

static void cats (char const *s)
{
  if (!stralloc_cats(&line, s))
    strerr_diefusys(xfatal, "stralloc_cats");
}

static void catb (char const *s, size_t n)
{
  if (!stralloc_catb(&line, s, n))
    strerr_diefusys(xfatal, "stralloc_catb");
}

static void catu (uint64_t u)
{
  char fmt[UINT64_FMT];
  catb(fmt, uint64_fmt(fmt, u));
}

/* JSON: a string with every byte accounted for. Control characters, '"' and '\\'
   are escaped; valid UTF-8 is kept; each byte of an invalid sequence becomes \u00XX
   (the byte's value, as Latin-1 would read it). */
static size_t utf8_len (unsigned char const *s, size_t n)
{
  unsigned char c = s[0];
  uint32_t cp;
  size_t len, i;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
  {
    len = 2;
    cp = c & 0x1f;
  }
  else if (c >= 0xe0 && c <= 0xef)
  {
    len = 3;
    cp = c & 0x0f;
  }
  else if (c >= 0xf0 && c <= 0xf4)
  {
    len = 4;
    cp = c & 0x07;
  }
  else
    return 0;
  if (n < len)
    return 0;
  for (i = 1; i < len; i++)
  {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

static void json_str (char const *s, size_t n)
{
  static char const hex[] = "0123456789abcdef";
  size_t i = 0;
  catb("\"", 1);
  while (i < n)
  {
    unsigned char c = (unsigned char)s[i];
    size_t len = utf8_len((unsigned char const *)s + i, n - i);
    if (c == '"' || c == '\\')
    {
      char e[2] = { '\\', (char)c };
      catb(e, 2);
    }
    else if (c == '\n')
      catb("\\n", 2);
    else if (c == '\t')
      catb("\\t", 2);
    else if (c == '\r')
      catb("\\r", 2);
    else if (c < 0x20 || c == 0x7f || !len)
    {
      char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
      catb(e, 6);
    }
    else
    {
      catb(s + i, len);
      i += len;
      continue;
    }
    i++;
  }
  catb("\"", 1);
}

static void json_key (char const *k)
{
  catb(",", 1);
  json_str(k, strlen(k));
  catb(":", 1);
}

static int isnumber (char const *s, size_t n)
{
  size_t i = 0;
  if (n && s[0] == '-')
    i++;
  if (i == n || n - i > 20 || (s[i] == '0' && n - i > 1))
    return 0;
  for (; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static stralloc msg = STRALLOC_ZERO;

/* "what" or "what: reason" into msg; EPROTO is a bad format, as sv says */
static void mkmsg (char const *what, int e)
{
  msg.len = 0;
  if (!stralloc_cats(&msg, what)
      || (e && (!stralloc_cats(&msg, ": ") || !stralloc_cats(&msg, e == EPROTO ? "bad format" : strerror(e)))))
    strerr_diefusys(xfatal, "stralloc_catb");
}

static void json_head (char const *name, size_t namelen, char const *path, size_t pathlen)
{
  catb("{\"name\":", 8);
  json_str(name, namelen);
  json_key("path");
  json_str(path, pathlen);
}

/* runit sv's per-service lines: "fail: NAME: what[: reason]" and friends;
   with --json, {"name":...,"path":...,"error":"what[: reason]"} */
static void out_msg (char const *prefix, svc const *s, char const *what, int e)
{
  mkmsg(what, e);
  if (json)
  {
    json_head(s->name, strlen(s->name), s->path.s, s->path.len);
    json_key("error");
    json_str(msg.s, msg.len);
    catb("}", 1);
  }
  else
  {
    cats(prefix);
    cats(s->name);
    cats(": ");
    catb(msg.s, msg.len);
  }
  flushline();
}

void out_fail (svc *s, char const *what, int e)
{
  rc++;
  s->done = 1;
  out_msg("fail: ", s, what, e);
}

void out_warn (svc *s, char const *what, int e)
{
  rc++;
  s->done = 1;
  out_msg("warning: ", s, what, e);
}

void out_notrunning (svc *s)
{
  if (target == T_EXIT)
  {
    s->done = 1;
    out_msg("ok: ", s, notrunning + (strncmp(notrunning, "unable to control: ", 19) ? 0 : 19), 0);
  }
  else
    out_fail(s, notrunning, 0);
}

/* why svc_look said r: no supervisor (0), or a file it could not open or read (-1) */
void out_unseen (svc *s, snap const *sn, int r)
{
  if (r)
    out_warn(s, sn->what, sn->err);
  else
    out_notrunning(s);
}

/* runit sv's svstatus_print, then svtree's words */
static void cat_status (char const *name, char const *dir, snap const *sn, uint64_t now)
{
  svstatus const *st = &sn->st;
  uint64_t nowsec = now / 1000000000ULL;
  int normallyup = svc_normallyup(dir);
  cats(st->state == SVSTATUS_RUN ? "run: " : st->state == SVSTATUS_FINISH ? "finish: " : "down: ");
  cats(name);
  cats(": ");
  if (st->state != SVSTATUS_DOWN)
  {
    cats("(pid ");
    catu((uint64_t)st->pid);
    cats(") ");
  }
  catu(nowsec < st->sec ? 0 : nowsec - st->sec);
  cats("s");
  if (st->pid && !normallyup)
    cats(", normally down");
  if (!st->pid && normallyup)
    cats(", normally up");
  if (st->pid && st->paused)
    cats(", paused");
  if (!st->pid && st->want == 'u')
    cats(", want up");
  if (st->pid && st->want == 'd')
    cats(", want down");
  if (st->pid && st->termsent)
    cats(", got TERM");
  if (sn->hasstate)
  {
    if (sn->ss.ready)
      cats(", ready");
    if (sn->ss.state == SVSTATE_BACKOFF)
    {
      uint64_t left = sn->ss.backoff_until > now ? sn->ss.backoff_until - now : 0;
      cats(", backoff ");
      catu((left + 999999999ULL) / 1000000000ULL);
      cats("s");
    }
    if (sn->ss.state == SVSTATE_FAILED)
      cats(", failed");
  }
}

/* the fields of a service without a state file (runsv), as state keys */
static void json_from_status (char const *dir, snap const *sn)
{
  static char const *const states[3] = { "down", "up", "finishing" };
  json_key("state");
  json_str(states[sn->st.state], strlen(states[sn->st.state]));
  json_key("pid");
  catu((uint64_t)sn->st.pid);
  json_key("since");
  catu(sn->stamp);
  json_key("want");
  cats(sn->st.want == 'u' ? "\"up\"" : "\"down\"");
  json_key("normally");
  cats(svc_normallyup(dir) ? "\"up\"" : "\"down\"");
  json_key("paused");
  catu(!!sn->st.paused);
}

/* every key=value line of the state file, numbers as numbers */
static void json_from_state (stralloc const *raw)
{
  size_t pos = 0;
  while (pos < raw->len)
  {
    char const *l = raw->s + pos;
    char const *nl = memchr(l, '\n', raw->len - pos);
    size_t n = nl ? (size_t)(nl - l) : raw->len - pos;
    char const *eq = memchr(l, '=', n);
    pos += n + 1;
    if (!eq || eq == l)
      continue;
    if (((size_t)(eq - l) == 4 && (!memcmp(l, "name", 4) || !memcmp(l, "path", 4))) || ((size_t)(eq - l) == 3 && !memcmp(l, "log", 3)))
      continue;
    catb(",", 1);
    json_str(l, eq - l);
    catb(":", 1);
    if (isnumber(eq + 1, n - (eq - l) - 1))
      catb(eq + 1, n - (eq - l) - 1);
    else
      json_str(eq + 1, n - (eq - l) - 1);
  }
}

static void json_fields (char const *dir, snap const *sn)
{
  if (sn->hasstate)
    json_from_state(&sn->raw);
  else
    json_from_status(dir, sn);
}

/* svctl status: one line per service, with its log service's after "; " */
void out_status (svc *s, snap const *sn, char const *logdir, snap const *lsn, int lr)
{
  uint64_t now = clockns_real();
  if (json)
  {
    json_head(s->name, strlen(s->name), s->path.s, s->path.len);
    json_fields(s->path.s, sn);
  }
  else
    cat_status(s->name, s->path.s, sn, now);
  if (lr > 0)
  {
    if (json)
    {
      json_key("log");
      catb("{\"path\":", 8);
      json_str(logdir, strlen(logdir));
      json_fields(logdir, lsn);
      catb("}", 1);
    }
    else
    {
      cats("; ");
      cat_status("log", logdir, lsn, now);
    }
  }
  else if (lr < 0)
  {
    rc++;
    mkmsg(lsn->what, lsn->err);
    if (json)
    {
      json_key("log");
      catb("{\"path\":", 8);
      json_str(logdir, strlen(logdir));
      json_key("error");
      json_str(msg.s, msg.len);
      catb("}", 1);
    }
    else
    {
      cats("; warning: log: ");
      catb(msg.s, msg.len);
    }
  }
  if (json)
    catb("}", 1);
  flushline();
}

void out_result (char const *prefix, svc *s, snap const *sn)
{
  s->done = 1;
  cats(prefix);
  cat_status(s->name, s->path.s, sn, clockns_real());
  flushline();
}

void out_free (void)
{
  stralloc_free(&line);
  stralloc_free(&msg);
}
