/* SPDX-License-Identifier: ISC */
/* svlog/svlog.c: the logger that log/run execs (SPEC 8). One loop: iopause on stdin,
   the selfpipe and (while a copy to stderr waits) stderr; a deadline only while a target
   fails, for age rotation, or for a processor's retry. Every line read is written before
   the next read. */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <skalibs/types.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sgetopt.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>

#include "logconf.h"
#include "logpat.h"
#include "logstamp.h"
#include "svlog.h"

#define USAGE "svlog [-t|-tt|-ttt] [-T] [-r C] [-R CHARS] [-l LEN] [-b BUFLEN] [-v] [-e] [-B] [-L LEN] [-s SIZE] [-n NUM] [-a SEC] [-m BYTES] TARGET..."
#define dieusage() strerr_dieusage(100, USAGE)

struct svlog_opts_s svlog_opts =
{
  .size = 1000000, .num = 10, .age = 0, .spool = 1048576, .linemax = 65536,
  .matchlen = 1000, .readsize = 65536, .repl = 0, .replset = "", .stamp = LOGSTAMP_NONE,
  .verbose = 0, .copyerr = 0, .block = 0,
};

static target *targets;
static unsigned int ntargets;
static logstamp stamper;

 /* input: ibuf holds ilen bytes; pieces are the lines (or -L pieces) of one read */
static char *ibuf;
static size_t ilen, icap;
static int cont;          /* the last piece ended inside a line */

struct piece_s
{
  char *p;                /* in ibuf */
  size_t n;               /* without newline */
  size_t off, len;        /* in src: stamp + piece + newline */
  unsigned char first;    /* the first piece of its line */
};
static struct piece_s *pieces;
static size_t npieces, piececap;
static stralloc obuf = STRALLOC_ZERO;     /* stamped or split lines, when needed */
static stralloc errbuf = STRALLOC_ZERO;   /* config e copies */
static char const *src;
static size_t srclen;
static char stamp[LOGSTAMP_MAX];
static size_t stamplen;

size_t
svlog_stampnow (char *s)
{
  struct timespec ts;
  if (svlog_opts.stamp == LOGSTAMP_NONE)
    return 0;
  clock_gettime(CLOCK_REALTIME, &ts);
  return logstamp_fmt(&stamper, s, (int64_t)ts.tv_sec, (uint32_t)ts.tv_nsec);
}

static void
addpiece (char *p, size_t n, int first)
{
  if (npieces == piececap)
  {
    size_t c = piececap ? piececap * 2 : 1024;
    struct piece_s *q = realloc(pieces, c * sizeof *q);
    if (!q)
      strerr_diefu1sys(111, "allocate memory");
    pieces = q;
    piececap = c;
  }
  if (svlog_opts.repl)
  {
    char const *set = svlog_opts.replset;
    for (size_t i = 0; i < n; i++)
    {
      unsigned char c = (unsigned char)p[i];
      if (c < 32 || c > 126 || (*set && strchr(set, c)))
        p[i] = svlog_opts.repl;
    }
  }
  pieces[npieces].p = p;
  pieces[npieces].n = n;
  pieces[npieces].first = (unsigned char)first;
  npieces++;
}

static int
selected (target const *t, struct piece_s const *pc, char which)
{
  logconf const *c = &t->conf;
  size_t n = pc->n < svlog_opts.matchlen ? pc->n : svlog_opts.matchlen;
  int sel = which == '+';
  for (unsigned int i = 0; i < c->npat; i++)
  {
    char op = c->pat[i].op;
    if (which == '+' ? (op != '+' && op != '-') : (op != 'e' && op != 'E'))
      continue;
    if (logpat_match(c->text.s + c->pat[i].off, pc->p, n))
      sel = op == '+' || op == 'e';
  }
  return sel;
}

static int
plain (target const *t)
{
  return !t->pre && !(t->hasconf && t->conf.nsel);
}

static void
start_failing (target *t, int e)
{
  if (!t->failing)
  {
    char m[UINT64_FMT];
    m[uint64_fmt(m, svlog_opts.spool)] = 0;
    t->failing = 1;
    t->ferr = e;
    t->fwhat = "write to";
    t->removed = 0;
    if (svlog_opts.block)
      SVLOG_WARN("unable to write to ", t->name, t->isfile ? "" : "/current", ": ", strerror(e), " (not reading until it can be written; retrying each second)");
    else
      SVLOG_WARN("unable to write to ", t->name, t->isfile ? "" : "/current", ": ", strerror(e), " (keeping up to ", m, " bytes, then counting lost lines; retrying each second)");
  }
  tain_addsec_g(&t->retry, 1);
}

 /* one piece into t's pending bytes: kept while the spool has room, else dropped and counted */
static void
add_unit (target *t, struct piece_s const *pc, int isplain)
{
  size_t ulen = isplain ? pc->len : stamplen + t->prelen + pc->n + 1;
  if (t->failing && !svlog_opts.block
      && (t->lostlines || t->lostbytes || t->pending.len + ulen > svlog_opts.spool))
  {
    if (pc->first)
      t->lostlines++;
    t->lostbytes += ulen;
    return;
  }
  if (isplain)
  {
    if (!stralloc_catb(&t->pending, src + pc->off, pc->len))
      strerr_diefu1sys(111, "allocate memory");
  }
  else if (!stralloc_readyplus(&t->pending, ulen))
    strerr_diefu1sys(111, "allocate memory");
  else
  {
    char *d = t->pending.s + t->pending.len;
    memcpy(d, stamp, stamplen);
    if (t->prelen)
      memcpy(d + stamplen, t->pre, t->prelen);
    memcpy(d + stamplen + t->prelen, pc->p, pc->n);
    d[ulen - 1] = '\n';
    t->pending.len += ulen;
  }
}

static void
flush (target *t)
{
  size_t w = target_put(t, t->pending.s, t->pending.len);
  if (w)
  {
    memmove(t->pending.s, t->pending.s + w, t->pending.len - w);
    t->pending.len -= w;
  }
  if (t->pending.len)
    start_failing(t, errno);
}

static void
to_target (target *t)
{
  size_t i;
  int isplain = plain(t);
  if (isplain && !t->failing && !t->pending.len)
  {
    size_t w = target_put(t, src, srclen);
    if (w == srclen)
      return;
    start_failing(t, errno);
     /* the rest of a piece written in part must follow; the others go by the spool's rule */
    for (i = 0; i < npieces && pieces[i].off + pieces[i].len <= w; i++) ;
    if (i < npieces && w > pieces[i].off)
    {
      if (!stralloc_catb(&t->pending, src + w, pieces[i].off + pieces[i].len - w))
        strerr_diefu1sys(111, "allocate memory");
      i++;
    }
    for (; i < npieces; i++)
      add_unit(t, pieces + i, 1);
    return;
  }
  for (i = 0; i < npieces; i++)
  {
    if (pieces[i].first)
      t->sel = isplain || selected(t, pieces + i, '+');
    if (t->sel)
      add_unit(t, pieces + i, isplain);
  }
  if (!t->failing && t->pending.len)
    flush(t);
}

static void
config_copies (void)
{
  errbuf.len = 0;
  for (unsigned int k = 0; k < ntargets; k++)
  {
    target const *t = targets + k;
    if (!t->hasconf || !t->conf.nerr)
      continue;
    for (size_t i = 0; i < npieces; i++)
    {
      struct piece_s const *pc = pieces + i;
      size_t whole = pc->n, n, j;
      int more;
      if (!pc->first || !selected(t, pc, 'e'))
        continue;
       /* as svlogd: the first -l bytes of the line (its -L pieces are contiguous in
          ibuf), and "..." when it is longer */
      for (j = i + 1; j < npieces && !pieces[j].first; j++)
        whole += pieces[j].n;
      more = j == npieces && cont;  /* the line goes on in the next read */
      n = whole < svlog_opts.matchlen ? whole : svlog_opts.matchlen;
      if (!stralloc_catb(&errbuf, stamp, stamplen) || !stralloc_catb(&errbuf, t->pre ? t->pre : "", t->prelen)
          || !stralloc_catb(&errbuf, pc->p, n)
          || ((whole > n || more) && !stralloc_catb(&errbuf, "...", 3))
          || !stralloc_catb(&errbuf, "\n", 1))
        strerr_diefu1sys(111, "allocate memory");
    }
  }
  err_put(errbuf.s, errbuf.len);
}

 /* the complete lines of ibuf (at eof, the last one too) to every target */
static void
process (int eof)
{
  size_t pos = 0, L = svlog_opts.linemax;
  int copy = 0;
  npieces = 0;
  while (pos < ilen)
  {
    char *p = ibuf + pos;
    size_t rem = ilen - pos;
    char *nl = memchr(p, '\n', rem);
    size_t n = nl ? (size_t)(nl - p) : rem;
    if (n > L)
    {
      addpiece(p, L, !cont);
      cont = 1;
      pos += L;
      copy = 1;
      continue;
    }
    if (!nl)
    {
      if (eof && n)
      {
        addpiece(p, n, !cont);
        cont = 0;
        pos += n;
        copy = 1;
      }
      break;
    }
    addpiece(p, n, !cont);
    cont = 0;
    pos += n + 1;
  }
  if (npieces)
  {
    stamplen = svlog_stampnow(stamp);
    if (stamplen)
      copy = 1;
    if (!copy)
    {
      src = ibuf;
      srclen = pos;
      for (size_t i = 0; i < npieces; i++)
      {
        pieces[i].off = (size_t)(pieces[i].p - ibuf);
        pieces[i].len = pieces[i].n + 1;
      }
    }
    else
    {
      char *d;
      size_t total = 0;
      for (size_t i = 0; i < npieces; i++)
        total += stamplen + pieces[i].n + 1;
      if (!stralloc_ready(&obuf, total))
        strerr_diefu1sys(111, "allocate memory");
      d = obuf.s;
      for (size_t i = 0; i < npieces; i++)
      {
        pieces[i].off = (size_t)(d - obuf.s);
        pieces[i].len = stamplen + pieces[i].n + 1;
        memcpy(d, stamp, stamplen);
        memcpy(d + stamplen, pieces[i].p, pieces[i].n);
        d[stamplen + pieces[i].n] = '\n';
        d += pieces[i].len;
      }
      obuf.len = total;
      src = obuf.s;
      srclen = total;
    }
    if (svlog_opts.copyerr)
      err_put(src, srclen);
    else
      config_copies();
    for (unsigned int k = 0; k < ntargets; k++)
      to_target(targets + k);
  }
  if (pos)
  {
    memmove(ibuf, ibuf + pos, ilen - pos);
    ilen -= pos;
  }
}

 /* why a target failed, in words: its errno's, or the lock another logger holds */
static char const *
failwhy (target const *t)
{
  if (t->fwhat && !strcmp(t->fwhat, "lock") && (t->ferr == EWOULDBLOCK || t->ferr == EAGAIN))
    return "locked by another logger";
  return strerror(t->ferr);
}

static void
lostline (target *t, stralloc *sa)
{
  char n[UINT64_FMT];
  char const *err = failwhy(t);
  size_t k = svlog_stampnow(stamp);
  if (!stralloc_catb(sa, stamp, k) || !stralloc_catb(sa, t->pre ? t->pre : "", t->prelen)
      || !stralloc_cats(sa, "svlog: ")
      || !stralloc_catb(sa, n, uint64_fmt(n, t->lostlines)) || !stralloc_cats(sa, " lines (")
      || !stralloc_catb(sa, n, uint64_fmt(n, t->lostbytes)) || !stralloc_cats(sa, " bytes) lost: ")
      || !stralloc_cats(sa, t->name) || !stralloc_cats(sa, ": ") || !stralloc_cats(sa, err)
      || !stralloc_catb(sa, "\n", 1))
    strerr_diefu1sys(111, "allocate memory");
}

 /* a failing target's second: open it if need be, write what was kept, then the gap */
static void
retry (target *t)
{
  uint64_t ll = t->lostlines, lb = t->lostbytes;
  char a[UINT64_FMT], b[UINT64_FMT];
  if (t->fd < 0)
  {
    if (!target_open(t))
      return;
  }
  if (t->pending.len)
  {
    flush(t);
    if (t->pending.len)
      return;
  }
  if (ll || lb)
  {
    lostline(t, &t->pending);
    t->lostlines = t->lostbytes = 0;
    flush(t);
    if (t->pending.len)
      return;
  }
  t->failing = 0;
  a[uint64_fmt(a, ll)] = 0;
  b[uint64_fmt(b, lb)] = 0;
  SVLOG_WARN(t->name, ": writing again (", a, " lines, ", b, " bytes lost)");
}

static int
anyfailing (void)
{
  for (unsigned int k = 0; k < ntargets; k++)
    if (targets[k].failing)
      return 1;
  return 0;
}

static int flag_stop, flag_eof;
static int spfd = -1;          /* the selfpipe */
static tain stopdl;

static void
stop_soon (void)
{
  if (flag_stop || flag_eof)
    return;
  tain_addsec_g(&stopdl, 2);
}

static void
handle_signals (void)
{
  for (;;)
  {
    int sig = selfpipe_read();
    unsigned int k;
    if (sig <= 0)
    {
      if (sig < 0)
        strerr_diefu1sys(111, "read selfpipe");
      return;
    }
    switch (sig)
    {
      case SIGTERM:
      case SIGINT:
        stop_soon();
        flag_stop = 1;
        break;
      case SIGHUP:
        for (k = 0; k < ntargets; k++)
        {
          target_hup(targets + k);
          if (targets[k].failing)
            tain_copynow(&targets[k].retry);
        }
        break;
      case SIGALRM:
        for (k = 0; k < ntargets; k++)
          target_rotate(targets + k);
        break;
      case SIGCHLD:
      {
        int wstat;
        pid_t pid;
        while ((pid = wait_nohang(&wstat)) > 0)
          for (k = 0; k < ntargets; k++)
            if (target_proc_reaped(targets + k, pid, wstat))
              break;
        break;
      }
      default:
        break;
    }
  }
}

 /* exiting: the processors go on through the .u archives for what is left of the last
    2 s (svlogd waits for them without a bound); then one still running is killed, and
    what is left waits for the next start */
static void
processors_end (void)
{
  unsigned int k;
  for (;;)
  {
    iopause_fd x = { .fd = spfd, .events = IOPAUSE_READ, .revents = 0 };
    int running = 0;
    for (k = 0; k < ntargets; k++)
      if (targets[k].procpid)
        running = 1;
    tain_now_g();
    if (!running || !tain_future(&stopdl))
      break;
    if (iopause_g(&x, 1, &stopdl) > 0 && x.revents & IOPAUSE_READ)
      handle_signals();
  }
  target_procs_stop();
  for (k = 0; k < ntargets; k++)
    target_proc_kill(targets + k);
}

static void
finish (void)
{
  for (unsigned int k = 0; k < ntargets; k++)
  {
    target *t = targets + k;
    if (t->pending.len || t->lostlines)
    {
      uint64_t lines = t->lostlines, bytes = t->lostbytes + t->pending.len;
      char a[UINT64_FMT], b[UINT64_FMT];
      for (size_t i = 0; i < t->pending.len; i++)
        if (t->pending.s[i] == '\n')
          lines++;
      a[uint64_fmt(a, lines)] = 0;
      b[uint64_fmt(b, bytes)] = 0;
      SVLOG_WARN("unable to write ", a, " lines (", b, " bytes) to ", t->name, " before exit: ", failwhy(t));
    }
    target_close(t);
  }
  err_final();
}

static unsigned int
scan_uint (char const *s)
{
  unsigned int u;
  if (!*s || uint0_scan(s, &u) != strlen(s))
    dieusage();
  return u;
}

static uint64_t
scan_u64 (char const *s)
{
  uint64_t u;
  if (!*s || uint640_scan(s, &u) != strlen(s))
    dieusage();
  return u;
}

int
main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO;
  char const **names;
  unsigned char *isfile;
  unsigned int n = 0, k;
  int tcount = 0;
  PROG = "svlog";
  if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "--help")))
  {
    char const *s = argv[1][2] == 'v' ? "svlog (svtree) " SVTREE_VERSION "\n"
      : "usage: " USAGE "\nreads stdin, writes every line to every TARGET (DIR, or -f FILE). See svlog(8).\n";
    if (allwrite(1, s, strlen(s)) < strlen(s))
      strerr_diefu1sys(111, "write to stdout");
    return 0;
  }
  names = malloc(sizeof(char const *) * (size_t)(argc + 1));
  isfile = malloc((size_t)argc + 1);
  if (!names || !isfile)
    strerr_diefu1sys(111, "allocate memory");
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "tTr:R:l:b:veBL:s:n:a:m:f:", &l);
    if (opt == -1)
      break;
    switch (opt)
    {
      case 't':
        tcount++;
        svlog_opts.stamp = tcount == 1 ? LOGSTAMP_TAI64N : tcount == 2 ? LOGSTAMP_UNDER : LOGSTAMP_T;
        break;
      case 'T':
        tcount = 0;
        svlog_opts.stamp = LOGSTAMP_ISO;
        break;
      case 'r':
        if (!l.arg[0] || l.arg[1])
          dieusage();
        svlog_opts.repl = l.arg[0];
        break;
      case 'R':
        svlog_opts.replset = l.arg;
        if (!svlog_opts.repl)
          svlog_opts.repl = '_';
        break;
      case 'l':
         /* 0: the default, as svlogd */
        svlog_opts.matchlen = scan_uint(l.arg);
        if (!svlog_opts.matchlen)
          svlog_opts.matchlen = 1000;
        break;
      case 'b':
        svlog_opts.readsize = scan_uint(l.arg);
        if (!svlog_opts.readsize)
          svlog_opts.readsize = 65536;
        break;
      case 'v':
        svlog_opts.verbose = 1;
        break;
      case 'e':
        svlog_opts.copyerr = 1;
        break;
      case 'B':
        svlog_opts.block = 1;
        break;
      case 'L':
        svlog_opts.linemax = scan_uint(l.arg);
        if (!svlog_opts.linemax)
          dieusage();
        break;
      case 's':
        svlog_opts.size = scan_u64(l.arg);
        break;
      case 'n':
        svlog_opts.num = scan_uint(l.arg);
        break;
      case 'a':
        svlog_opts.age = scan_uint(l.arg);
        break;
      case 'm':
        svlog_opts.spool = scan_u64(l.arg);
        break;
      case 'f':
        names[n] = l.arg;
        isfile[n++] = 1;
        break;
      default:
        dieusage();
    }
  }
  for (int i = l.ind; i < argc; i++)
  {
    if (!strcmp(argv[i], "-f"))
    {
      if (++i >= argc || !argv[i][0])
        dieusage();
      names[n] = argv[i];
      isfile[n++] = 1;
    }
    else
    {
      if (!argv[i][0])
        dieusage();
      names[n] = argv[i];
      isfile[n++] = 0;
    }
  }
  if (!n)
    dieusage();
  {
    logstamp z = LOGSTAMP_ZERO(svlog_opts.stamp);
    stamper = z;
  }
  icap = svlog_opts.linemax + svlog_opts.readsize + 1;
  ibuf = malloc(icap);
  targets = calloc(n, sizeof *targets);
  if (!ibuf || !targets)
    strerr_diefu1sys(111, "allocate memory");
  ntargets = n;

  fd_sanitize();
  err_setup();
  if (sig_altignore(SIGPIPE) == -1)
    strerr_diefu1sys(111, "ignore SIGPIPE");
  spfd = selfpipe_init();
  if (spfd == -1)
    strerr_diefu1sys(111, "init selfpipe");
  {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGALRM);
    sigaddset(&set, SIGCHLD);
    if (selfpipe_trapset(&set) == -1)
      strerr_diefu1sys(111, "trap signals");
  }
  tain_now_set_stopwatch_g();
  for (k = 0; k < n; k++)
  {
    target_init(targets + k, names[k], isfile[k]);
    target_open(targets + k);
  }
  free(names);
  free(isfile);

   /* from here on, nothing makes svlog exit but TERM or the end of its input */
  for (;;)
  {
    iopause_fd x[3];
    unsigned int nx = 1;
    int ix = -1, ie = -1, r, has = 0;
    tain deadline = tain_infinite_relative;
    int reading = !flag_eof && (!flag_stop || ilen) && !(svlog_opts.block && anyfailing());
    if ((flag_stop || flag_eof) && !reading && (!anyfailing() || !tain_future(&stopdl)))
      break;
    for (k = 0; k < ntargets; k++)
    {
      tain d;
      if (target_deadline(targets + k, &d) && (!has || tain_less(&d, &deadline)))
      {
        deadline = d;
        has = 1;
      }
    }
    if (!has)
      tain_add_g(&deadline, &tain_infinite_relative);
    if ((flag_stop || flag_eof) && tain_less(&stopdl, &deadline))
      deadline = stopdl;
    x[0].fd = spfd;
    x[0].events = IOPAUSE_READ;
    if (reading)
    {
      x[nx].fd = 0;
      x[nx].events = IOPAUSE_READ;
      ix = (int)nx++;
    }
    if (err_pollfd() >= 0)
    {
      x[nx].fd = err_pollfd();
      x[nx].events = IOPAUSE_WRITE;
      ie = (int)nx++;
    }
    r = iopause_g(x, nx, &deadline);
    if (r == -1)
    {
      if (errno == EINTR)
        continue;
      strerr_diefu1sys(111, "iopause");
    }
    if (x[0].revents & IOPAUSE_READ)
      handle_signals();
    if (ix >= 0 && x[ix].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))
    {
      size_t room = icap - ilen;
      ssize_t got = read(0, ibuf + ilen, room < svlog_opts.readsize ? room : svlog_opts.readsize);
      if (got > 0)
      {
        ilen += (size_t)got;
        process(0);
      }
      else if (!got || (errno != EINTR && errno != EAGAIN))
      {
        if (got)
          SVLOG_WARN("unable to read stdin: ", strerror(errno));
        process(1);
        stop_soon();
        flag_eof = 1;
      }
    }
     /* TERM while a line is half read: wait for its end at most until the deadline */
    if (flag_stop && ilen && !tain_future(&stopdl))
      process(1);
    if (ie >= 0 && x[ie].revents & (IOPAUSE_WRITE | IOPAUSE_EXCEPT))
      err_ready();
    for (k = 0; k < ntargets; k++)
    {
      target *t = targets + k;
      if (t->failing && !tain_future(&t->retry))
        retry(t);
      target_timer(t);
    }
  }
  processors_end();
  finish();
  return 0;
}
