/* SPDX-License-Identifier: ISC */
/* svctl/svctl-table.c: `svctl status` on a terminal: every service of $SVDIR in aligned
   columns, coloured unless NO_COLOR. Scripts (stdout not a terminal) get sv's lines. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <skalibs/buffer.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>

#include "clockns.h"
#include "svstate.h"
#include "svstatus.h"
#include "wstat.h"
#include "svctl.h"

#define NCOLS 7
#define CELL 64

static char const *const heads[NCOLS] = { "NAME", "STATE", "PID", "UPTIME", "READY", "RESTARTS", "LAST-EXIT" };

#define C_NONE 0
#define C_GOOD 1
#define C_BUSY 2
#define C_BAD 3
static char const *const colours[4] = { "", "\033[32m", "\033[33m", "\033[1;31m" };

typedef struct row_s row;
struct row_s
{
  char const *name;        /* the service's name, or its parent's for a log row */
  int islog;
  char cell[NCOLS - 1][CELL];
  unsigned char colour;    /* of the STATE cell */
};

static stralloc out = STRALLOC_ZERO;

static void put (char const *s, size_t n)
{
  if (!stralloc_catb(&out, s, n))
    strerr_diefusys(xfatal, "stralloc_catb");
}

/* a name as the terminal should show it: control bytes become '?' */
static void put_name (char const *s, size_t n)
{
  size_t i = 0;
  for (; i < n; i++)
  {
    unsigned char c = (unsigned char)s[i];
    put(c < 0x20 || c == 0x7f ? "?" : s + i, 1);
  }
}

/* columns a string takes on a terminal: UTF-8 continuation bytes take none */
static size_t width (char const *s, size_t n)
{
  size_t w = 0, i = 0;
  for (; i < n; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80)
      w++;
  return w;
}

static void pad (size_t n)
{
  while (n--)
    put(" ", 1);
}

/* 35s, 4m05s, 2h03m, 3d04h */
static void duration (char *s, uint64_t sec)
{
  char a[UINT64_FMT], b[UINT64_FMT];
  char const *u1, *u2;
  uint64_t x, y;
  size_t la, lb;
  if (sec < 60)
  {
    s[uint64_fmt(s, sec)] = 0;
    strcat(s, "s");
    return;
  }
  if (sec < 3600)
    x = sec / 60, y = sec % 60, u1 = "m", u2 = "s";
  else if (sec < 86400)
    x = sec / 3600, y = sec % 3600 / 60, u1 = "h", u2 = "m";
  else
    x = sec / 86400, y = sec % 86400 / 3600, u1 = "d", u2 = "h";
  la = uint64_fmt(a, x);
  lb = uint64_fmt(b, y);
  a[la] = b[lb] = 0;
  strcpy(s, a);
  strcat(s, u1);
  if (lb < 2)
    strcat(s, "0");
  strcat(s, b);
  strcat(s, u2);
}

static void set (row *r, unsigned int col, char const *s)
{
  size_t n = strlen(s);
  if (n >= CELL)
    n = CELL - 1;
  memcpy(r->cell[col - 1], s, n);
  r->cell[col - 1][n] = 0;
}

static void setu (row *r, unsigned int col, uint64_t u)
{
  char fmt[UINT64_FMT];
  fmt[uint64_fmt(fmt, u)] = 0;
  set(r, col, fmt);
}

/* fill a row from a supervise dir; one that cannot be reported is counted in rc, as sv's fail: lines */
static void fill (row *r, char const *dir, uint64_t now)
{
  snap sn = SNAP_ZERO;
  char buf[CELL];
  int look = svc_look(dir, &sn, 1);
  unsigned int i;
  for (i = 2; i < NCOLS; i++)
    set(r, i, "-");
  r->colour = C_BAD;
  snap_free(&sn);  /* the parsed fields stay */
  if (look <= 0)
  {
    set(r, 1, look ? "unreadable" : "unsupervised");
    rc++;
    return;
  }
  if (sn.st.pid)
    setu(r, 2, (uint64_t)sn.st.pid);
  if (sn.hasstate)
  {
    uint64_t since = sn.ss.since;
    set(r, 1, svstate_state_names[sn.ss.state < 6 ? sn.ss.state : 0]);
    r->colour = sn.ss.state == SVSTATE_UP ? C_GOOD : sn.ss.state == SVSTATE_DOWN ? C_NONE : sn.ss.state == SVSTATE_FAILED ? C_BAD : C_BUSY;
    duration(buf, now > since ? (now - since) / 1000000000ULL : 0);
    set(r, 3, buf);
    if (sn.ss.state == SVSTATE_UP)
      set(r, 4, sn.ss.ready ? "yes" : "no");
    setu(r, 5, sn.ss.restarts);
    if (sn.ss.has_exit)
    {
      buf[wstat_fmt(buf, sn.ss.last_wstat)] = 0;
      set(r, 6, buf);
    }
  }
  else
  {
    /* runsv: only what status says */
    static char const *const words[3] = { "down", "up", "finishing" };
    set(r, 1, words[sn.st.state]);
    r->colour = sn.st.state == SVSTATUS_RUN ? C_GOOD : sn.st.state == SVSTATUS_DOWN ? C_NONE : C_BUSY;
    duration(buf, now > sn.stamp ? (now - sn.stamp) / 1000000000ULL : 0);
    set(r, 3, buf);
  }
  if (sn.st.paused && sn.st.pid)
  {
    strcpy(buf, r->cell[0]);
    strcat(buf, ", paused");
    set(r, 1, buf);
    r->colour = C_BUSY;
  }
}

static size_t namewidth (row const *r)
{
  size_t n = strlen(r->name);
  return width(r->name, n) + (r->islog ? 4 : 0);
}

void table_print (svc *v, unsigned int n, int colour)
{
  row *rows = 0;
  size_t w[NCOLS], nrows = 0, i;
  unsigned int j;
  uint64_t now = clockns_real();
  stralloc log = STRALLOC_ZERO;
  rows = n ? calloc(2 * (size_t)n, sizeof(row)) : 0;
  if (n && !rows)
    strerr_diefusys(xfatal, "calloc");
  for (i = 0; i < n; i++)
  {
    row *r = rows + nrows++;
    r->name = v[i].name;
    fill(r, v[i].path.s, now);
    if (svc_haslog(v[i].path.s, &log))
    {
      r = rows + nrows++;
      r->name = v[i].name;
      r->islog = 1;
      fill(r, log.s, now);
    }
  }
  for (j = 0; j < NCOLS; j++)
    w[j] = strlen(heads[j]);
  for (i = 0; i < nrows; i++)
  {
    if (namewidth(rows + i) > w[0])
      w[0] = namewidth(rows + i);
    for (j = 1; j < NCOLS; j++)
      if (width(rows[i].cell[j - 1], strlen(rows[i].cell[j - 1])) > w[j])
        w[j] = width(rows[i].cell[j - 1], strlen(rows[i].cell[j - 1]));
  }
  if (colour)
    put("\033[1m", 4);
  for (j = 0; j < NCOLS; j++)
  {
    put(heads[j], strlen(heads[j]));
    if (j + 1 < NCOLS)
      pad(w[j] - strlen(heads[j]) + 2);
  }
  if (colour)
    put("\033[0m", 4);
  put("\n", 1);
  for (i = 0; i < nrows; i++)
  {
    row const *r = rows + i;
    put_name(r->name, strlen(r->name));
    if (r->islog)
      put("/log", 4);
    pad(w[0] - namewidth(r) + 2);
    for (j = 1; j < NCOLS; j++)
    {
      char const *c = r->cell[j - 1];
      size_t len = strlen(c);
      int paint = colour && j == 1 && r->colour != C_NONE;
      if (paint)
        put(colours[r->colour], strlen(colours[r->colour]));
      put(c, len);
      if (paint)
        put("\033[0m", 4);
      if (j + 1 < NCOLS)
        pad(w[j] - width(c, len) + 2);
    }
    put("\n", 1);
  }
  if (buffer_putflush(buffer_1, out.s, out.len) < 0)
    strerr_diefusys(xfatal, "write to stdout");
  stralloc_free(&out);
  stralloc_free(&log);
  free(rows);
}
