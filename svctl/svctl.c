/* svctl.c: control and query supervise (SPEC 6), runit sv's output and exit codes */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <skalibs/buffer.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sgetopt.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>

#include "clockns.h"
#include "control.h"
#include "fifodir.h"
#include "spawn.h"
#include "svpath.h"
#include "svstate.h"
#include "svstatus.h"

#ifndef SVTREE_VERSION
#define SVTREE_VERSION "0.1.0"
#endif

#define USAGE "svctl [-v] [-w SEC] -u|-d|-o|-x|-p|-c|-h|-a|-i|-q|-1|-2|-t|-k|-r SERVICE... | svctl [-v] [-w SEC] VERB SERVICE... | svctl status [--json] [SERVICE...]"
#define dieusage() strerr_dieusage(100, USAGE)

#define WAIT_DEFAULT 7
#define POLL_MS 50          /* status polling, only against a supervisor without event/ (runsv) */
#define CHECK_MS 100        /* between two runs of a failing check script */
#define CHECK_GRACE_MS 5000 /* a first check run may end this long after the deadline */

/* what a command waits for */
enum target_e
{
  T_NONE,    /* signals: no state to reach, -v prints the status at once */
  T_UP,      /* u: running, and ready when it declares readiness */
  T_DOWN,    /* d: down, finish done */
  T_ONCE,    /* o: started since we asked, or already running */
  T_TERM,    /* t: restarted since we asked (or down if wanted down) */
  T_RESTART, /* tcu: restarted since we asked */
  T_EXIT,    /* x: supervise gone */
  T_PAUSE,   /* p: status says paused */
  T_CONT,    /* c: status says not paused */
  T_CHECK    /* check: the wanted state, whatever it is */
};

typedef struct verb_s verb;
struct verb_s
{
  char const *name;
  char const *cmd;        /* bytes for supervise/control; 0 for status */
  unsigned char target;
  unsigned char wait;     /* waits even without -v / -w */
};

static verb const verbs[] =
{
  { "status", 0, T_NONE, 0 },
  { "up", "u", T_UP, 0 },
  { "down", "d", T_DOWN, 0 },
  { "once", "o", T_ONCE, 0 },
  { "restart", "tcu", T_RESTART, 1 },
  { "start", "u", T_UP, 1 },
  { "stop", "d", T_DOWN, 1 },
  { "pause", "p", T_PAUSE, 0 },
  { "cont", "c", T_CONT, 0 },
  { "hup", "h", T_NONE, 0 },
  { "alarm", "a", T_NONE, 0 },
  { "interrupt", "i", T_NONE, 0 },
  { "quit", "q", T_NONE, 0 },
  { "1", "1", T_NONE, 0 },
  { "2", "2", T_NONE, 0 },
  { "term", "t", T_TERM, 0 },
  { "kill", "k", T_NONE, 0 },
  { "exit", "x", T_EXIT, 0 },
  { "check", "", T_CHECK, 1 },
  { 0, 0, 0, 0 }
};

/* svc-style options: the verb each stands for */
static verb const *letter_verb (int c)
{
  static char const letters[] = "udoxpchaiq12tkr";
  static char const *const names[] = { "up", "down", "once", "exit", "pause", "cont", "hup", "alarm", "interrupt", "quit", "1", "2", "term", "kill", "restart" };
  char const *p = strchr(letters, c);
  verb const *v = verbs;
  if (!p || !c)
    return 0;
  for (; v->name; v++)
    if (!strcmp(v->name, names[p - letters]))
      return v;
  return 0;
}

typedef struct svc_s svc;
struct svc_s
{
  char const *name;       /* as the user typed it (or the $SVDIR entry): sv prints it so */
  stralloc path;          /* the service directory */
  stralloc ename;         /* our FIFO in path/event/ */
  int efd;                /* that FIFO; -1: no event/ (runsv), poll the status file */
  pid_t checkpid;         /* a running check script, or 0 */
  uint64_t checkstamp;    /* status stamp (ns) when that check started */
  uint64_t checkpassed;   /* status stamp for which check last exited 0, or ~0 */
  tain checkstart;
  tain nextcheck;
  unsigned int checkever : 1;  /* a check run has started */
  unsigned int checkdone : 1;  /* a check run has completed */
  unsigned int watched : 1;    /* inotify watches supervise/lock */
  unsigned int done : 1;
};

/* one reading of a supervise dir */
typedef struct snap_s snap;
struct snap_s
{
  svstatus st;
  svstate ss;
  int hasstate;
  uint64_t stamp;         /* status's TAI64N as unix ns */
};

static unsigned int rc = 0;
static int json = 0;
static unsigned char target = T_NONE;
static uint64_t tstart;   /* unix ns before any command was sent */
static stralloc line = STRALLOC_ZERO;
static stralloc fn = STRALLOC_ZERO;
static stralloc raw = STRALLOC_ZERO;
static int spfd = -1;     /* selfpipe, once a check script has been spawned */
static int infd = -1;     /* inotify: supervise/lock closes, i.e. a supervise exits */
static int nullfd = -1;

static void flushline (void)
{
  if (!stralloc_catb(&line, "\n", 1))
    strerr_diefusys(100, "stralloc_catb");
  if (buffer_putflush(buffer_1, line.s, line.len) < 0)
    strerr_diefusys(100, "write to stdout");
  line.len = 0;
}

static void cats (char const *s)
{
  if (!stralloc_cats(&line, s))
    strerr_diefusys(100, "stralloc_cats");
}

static void catb (char const *s, size_t n)
{
  if (!stralloc_catb(&line, s, n))
    strerr_diefusys(100, "stralloc_catb");
}

static void catu (uint64_t u)
{
  char fmt[UINT64_FMT];
  catb(fmt, uint64_fmt(fmt, u));
}

/* dir/sub, in a scratch buffer valid until the next call */
static char const *sub (char const *dir, char const *s)
{
  fn.len = 0;
  if (!stralloc_cats(&fn, dir) || !stralloc_catb(&fn, "/", 1) || !stralloc_cats(&fn, s) || !stralloc_0(&fn))
    strerr_diefusys(100, "stralloc_catb");
  return fn.s;
}

static int exists (char const *dir, char const *s)
{
  struct stat st;
  return stat(sub(dir, s), &st) == 0;
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

/* 1 running, 0 not (no reader on control: ENXIO, or no control: ENOENT), -1 errno */
static int running (char const *dir)
{
  int fd = open_write(sub(dir, "supervise/control"));
  if (fd == -1)
    return errno == ENXIO || errno == ENOENT ? 0 : -1;
  fd_close(fd);
  return 1;
}

/* read dir/supervise/{status,state}. 1 ok; 0 error, *what says which file (errno set,
   EPROTO for a bad format). The state file's text is left in raw. */
static int snap_read (char const *dir, snap *sn, char const **what)
{
  stralloc sdir = STRALLOC_ZERO;
  int r = 0;
  if (!stralloc_cats(&sdir, sub(dir, "supervise")) || !stralloc_0(&sdir))
    strerr_diefusys(100, "stralloc_catb");
  *what = "unable to read supervise/status";
  if (!svstatus_read(sdir.s, &sn->st))
    goto end;
  if (sn->st.state > SVSTATUS_FINISH || (sn->st.want != 'u' && sn->st.want != 'd'))
  {
    errno = EPROTO;
    goto end;
  }
  sn->stamp = sn->st.sec * 1000000000ULL + sn->st.nsec;
  *what = "unable to read supervise/state";
  raw.len = 0;
  sn->hasstate = 0;
  if (!openslurpclose(&raw, sub(sdir.s, "state")))
  {
    if (errno != ENOENT)
      goto end;
  }
  else
  {
    if (!svstate_parse(raw.s, raw.len, &sn->ss))
    {
      errno = EPROTO;
      goto end;
    }
    sn->hasstate = 1;
  }
  r = 1;
 end:
  stralloc_free(&sdir);
  return r;
}

static stralloc msg = STRALLOC_ZERO;

/* "what" or "what: reason" into msg; EPROTO is a bad format, as sv says */
static void mkmsg (char const *what, int e)
{
  msg.len = 0;
  if (!stralloc_cats(&msg, what)
      || (e && (!stralloc_cats(&msg, ": ") || !stralloc_cats(&msg, e == EPROTO ? "bad format" : strerror(e)))))
    strerr_diefusys(100, "stralloc_catb");
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

static void fail (svc *s, char const *what, int e)
{
  rc++;
  s->done = 1;
  out_msg("fail: ", s, what, e);
}

static void warn (svc *s, char const *what, int e)
{
  rc++;
  s->done = 1;
  out_msg("warning: ", s, what, e);
}

static void notrunning (svc *s)
{
  if (target == T_EXIT)
  {
    s->done = 1;
    out_msg("ok: ", s, "supervise not running", 0);
  }
  else
    fail(s, "unable to control: supervise not running", 0);
}

/* runit sv's svstatus_print, then svtree's words */
static void cat_status (char const *name, char const *dir, snap const *sn, uint64_t now)
{
  svstatus const *st = &sn->st;
  uint64_t nowsec = now / 1000000000ULL;
  int normallyup = !exists(dir, "down");
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
  cats(exists(dir, "down") ? "\"down\"" : "\"up\"");
  json_key("paused");
  catu(!!sn->st.paused);
}

/* every key=value line of the state file (in raw), numbers as numbers */
static void json_from_state (void)
{
  size_t pos = 0;
  while (pos < raw.len)
  {
    char const *l = raw.s + pos;
    char const *nl = memchr(l, '\n', raw.len - pos);
    size_t n = nl ? (size_t)(nl - l) : raw.len - pos;
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
    json_from_state();
  else
    json_from_status(dir, sn);
}

/* svctl status: one line per service, with its log service's after "; " */
static void status (svc *s)
{
  snap sn;
  char const *what;
  uint64_t now;
  int r = running(s->path.s);
  if (r <= 0)
  {
    if (r)
      warn(s, "unable to open supervise/control", errno);
    else
      notrunning(s);
    return;
  }
  if (!snap_read(s->path.s, &sn, &what))
  {
    warn(s, what, errno);
    return;
  }
  now = clockns_real();
  if (json)
  {
    json_head(s->name, strlen(s->name), s->path.s, s->path.len);
    json_fields(s->path.s, &sn);
  }
  else
    cat_status(s->name, s->path.s, &sn, now);
  {
    stralloc log = STRALLOC_ZERO;
    if (!stralloc_cats(&log, sub(s->path.s, "log")) || !stralloc_0(&log))
      strerr_diefusys(100, "stralloc_catb");
    if (exists(log.s, "supervise/status"))
    {
      if (snap_read(log.s, &sn, &what))
      {
        if (json)
        {
          json_key("log");
          catb("{\"path\":", 8);
          json_str(log.s, log.len - 1);
          json_fields(log.s, &sn);
          catb("}", 1);
        }
        else
        {
          cats("; ");
          cat_status("log", log.s, &sn, now);
        }
      }
      else
      {
        rc++;
        mkmsg(what, errno);
        if (json)
        {
          json_key("log");
          catb("{\"path\":", 8);
          json_str(log.s, log.len - 1);
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
    }
    stralloc_free(&log);
  }
  if (json)
    catb("}", 1);
  flushline();
}

/* the service is running (and not going away), by status and, when there, state */
static int is_up (snap const *sn)
{
  return sn->st.state == SVSTATUS_RUN && sn->st.pid && (!sn->hasstate || sn->ss.state == SVSTATE_UP);
}

/* down with finish done */
static int is_down (snap const *sn)
{
  return sn->st.state == SVSTATUS_DOWN && !sn->st.pid && (!sn->hasstate || sn->ss.state == SVSTATE_DOWN || sn->ss.state == SVSTATE_FAILED);
}

#define C_NO 0
#define C_YES 1
#define C_CHECK 2   /* yes if the check script says so */

/* up, ready if it declares readiness: notification-fd (needs supervise's state), check */
static int cond_up (svc const *s, snap const *sn)
{
  if (!is_up(sn))
    return C_NO;
  if (sn->hasstate && !sn->ss.ready && exists(s->path.s, "notification-fd"))
    return C_NO;
  return exists(s->path.s, "check") ? C_CHECK : C_YES;
}

static int cond (svc const *s, snap const *sn)
{
  switch (target)
  {
    case T_UP: return sn->st.want == 'u' ? cond_up(s, sn) : C_NO;
    case T_DOWN: return is_down(sn) && sn->st.want == 'd';
    case T_ONCE: return is_up(sn) || (is_down(sn) && sn->stamp >= tstart);
    case T_TERM:
      if (!sn->st.pid && sn->st.want == 'd')
        return C_YES;
      /* fall through */
    case T_RESTART:
      if (sn->stamp < tstart || sn->st.termsent || (target == T_RESTART && sn->st.want != 'u'))
        return C_NO;
      return cond_up(s, sn);
    case T_CHECK:
    {
      unsigned char want = sn->hasstate ? sn->ss.want : sn->st.want == 'u' ? SVSTATE_WANT_UP : SVSTATE_WANT_DOWN;
      if (sn->hasstate && sn->ss.state == SVSTATE_FAILED)
        return C_NO;
      switch (want)
      {
        case SVSTATE_WANT_UP: return cond_up(s, sn);
        case SVSTATE_WANT_ONCE: return is_down(sn) ? C_YES : cond_up(s, sn);
        default: return is_down(sn);
      }
    }
    case T_EXIT: return C_NO;
    case T_PAUSE: return sn->st.paused ? C_YES : C_NO;
    case T_CONT: return !sn->st.paused;
    default: return C_YES;
  }
}

static void check_spawn (svc *s, snap const *sn)
{
  static char const *const argv[2] = { "./check", 0 };
  spawn sp = SPAWN_ZERO;
  if (spfd < 0)
  {
    spfd = selfpipe_init();
    if (spfd < 0)
      strerr_diefusys(100, "selfpipe_init");
    if (!selfpipe_trap(SIGCHLD))
      strerr_diefusys(100, "trap SIGCHLD");
  }
  if (nullfd < 0)
  {
    nullfd = open2("/dev/null", O_WRONLY | O_CLOEXEC);
    if (nullfd < 0)
      strerr_diefusys(100, "open /dev/null");
  }
  sp.argv = argv;
  sp.fd1 = nullfd;
  sp.cwd = s->path.s;
  sp.newsession = 1;
  s->checkpid = spawn_run(&sp);
  if (s->checkpid < 0)
  {
    s->checkpid = 0;
    fail(s, "unable to run check", errno);
    return;
  }
  s->checkever = 1;
  s->checkstamp = sn->stamp;
  s->checkstart = STAMP;
}

static void check_kill (svc *s)
{
  if (s->checkpid)
  {
    kill(-s->checkpid, SIGKILL);
    kill(s->checkpid, SIGKILL);
    wait_pid(s->checkpid, 0);
    s->checkpid = 0;
  }
}

static void reap (svc *v, unsigned int n)
{
  for (;;)
  {
    int wstat;
    unsigned int i = 0;
    pid_t pid = wait_nohang(&wstat);
    if (pid <= 0)
      break;
    for (; i < n; i++)
      if (v[i].checkpid == pid)
      {
        svc *s = v + i;
        s->checkpid = 0;
        s->checkdone = 1;
        if (WIFEXITED(wstat) && !WEXITSTATUS(wstat))
          s->checkpassed = s->checkstamp;
        else
        {
          tain t;
          tain_from_millisecs(&t, CHECK_MS);
          tain_add_g(&s->nextcheck, &t);
        }
        break;
      }
  }
}

static void ok (svc *s, snap const *sn)
{
  s->done = 1;
  cats("ok: ");
  cat_status(s->name, s->path.s, sn, clockns_real());
  flushline();
}

/* one look at a service that is being waited for */
static void evaluate (svc *s, int late)
{
  snap sn;
  char const *what;
  int r;
  if (s->done || s->checkpid)
    return;
  r = running(s->path.s);
  if (r <= 0)
  {
    if (r)
      warn(s, "unable to open supervise/control", errno);
    else
      notrunning(s);
    return;
  }
  if (target == T_EXIT)
    return;
  if (!snap_read(s->path.s, &sn, &what))
  {
    warn(s, what, errno);
    return;
  }
  switch (cond(s, &sn))
  {
    case C_YES:
      ok(s, &sn);
      break;
    case C_CHECK:
      if (s->checkpassed == sn.stamp)
        ok(s, &sn);
      else if ((!late || !s->checkever) && !tain_less(&STAMP, &s->nextcheck))
        check_spawn(s, &sn);
      break;
  }
}

static void timeout (svc *s)
{
  snap sn;
  char const *what;
  int r;
  check_kill(s);
  r = running(s->path.s);
  if (r <= 0)
  {
    if (r)
      warn(s, "unable to open supervise/control", errno);
    else
      notrunning(s);
    return;
  }
  if (!snap_read(s->path.s, &sn, &what))
  {
    warn(s, what, errno);
    return;
  }
  rc++;
  s->done = 1;
  cats("timeout: ");
  cat_status(s->name, s->path.s, &sn, clockns_real());
  flushline();
}

static void drain (int fd)
{
  char buf[4096];
  while (read(fd, buf, sizeof buf) > 0) ;
}

static void waitloop (svc *v, unsigned int n, tain const *deadline)
{
  iopause_fd *x = malloc((n + 2) * sizeof(iopause_fd));
  if (!x)
    strerr_diefusys(100, "malloc");
  for (;;)
  {
    tain dl = *deadline, t;
    unsigned int xn = 0, i, left = 0;
    int polling = 0, late;
    tain_now_g();
    late = !tain_future(deadline);
    for (i = 0; i < n; i++)
      evaluate(v + i, late);
    tain_now_g();
    for (i = 0; i < n; i++)
    {
      svc *s = v + i;
      if (s->done)
        continue;
      if (late)
      {
        /* a first check run is allowed to complete: -w 0 check must run it once */
        tain grace;
        tain_from_millisecs(&t, CHECK_GRACE_MS);
        tain_add(&grace, &s->checkstart, &t);
        if (s->checkpid && !s->checkdone && tain_future(&grace))
        {
          if (tain_less(&grace, &dl) || !tain_future(&dl))
            dl = grace;
        }
        else
        {
          timeout(s);
          continue;
        }
      }
      left++;
      if (s->efd >= 0)
      {
        x[xn].fd = s->efd;
        x[xn++].events = IOPAUSE_READ;
      }
      if (s->efd < 0 || (target == T_EXIT && !s->watched))
        polling = 1;
      if (!s->checkpid && !late && tain_less(&s->nextcheck, &dl) && tain_future(&s->nextcheck))
        dl = s->nextcheck;
    }
    if (!left)
      break;
    if (polling)
    {
      tain_from_millisecs(&t, POLL_MS);
      tain_add_g(&t, &t);
      if (tain_less(&t, &dl))
        dl = t;
    }
    if (spfd >= 0)
    {
      x[xn].fd = spfd;
      x[xn++].events = IOPAUSE_READ;
    }
    if (infd >= 0)
    {
      x[xn].fd = infd;
      x[xn++].events = IOPAUSE_READ;
    }
    if (iopause_g(x, xn, &dl) < 0)
      strerr_diefusys(100, "iopause");
    for (i = 0; i < xn; i++)
      if (x[i].revents & IOPAUSE_READ)
      {
        if (x[i].fd == spfd)
        {
          int r;
          while ((r = selfpipe_read()) > 0) ;
          if (r < 0)
            strerr_diefusys(100, "selfpipe_read");
          reap(v, n);
        }
        else
          drain(x[i].fd);
      }
  }
  free(x);
}

/* SERVICE: stat the dir, subscribe to its event/ when we are going to wait */
static int prepare (svc *s, int wait)
{
  struct stat st;
  if (stat(s->path.s, &st) == -1)
  {
    fail(s, "unable to change to service directory", errno);
    return 0;
  }
  if (!wait)
    return 1;
  s->efd = fifodir_subscribe(sub(s->path.s, "event"), &s->ename);
  if (s->efd < 0)
  {
    /* runit's runsv has no event/: poll. Anything else is worth a word. */
    if (errno != ENOENT)
      strerr_warnwusys("subscribe to ", s->path.s, "/event (polling status instead)");
    s->efd = -1;
  }
  else
  {
    if (infd < 0)
    {
      infd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
      if (infd < 0)
        strerr_warnwusys("inotify_init1");
    }
    /* a supervise that exits closes its lock; a change without an event (want, pause)
       still rewrites status: neither is missed, neither needs polling */
    if (infd >= 0 && inotify_add_watch(infd, sub(s->path.s, "supervise/lock"), IN_CLOSE) >= 0)
      s->watched = 1;
    if (infd >= 0)
      inotify_add_watch(infd, sub(s->path.s, "supervise"), IN_MOVED_TO);
  }
  return 1;
}

/* the pre-read, then the command */
static void send (svc *s, char const *cmd)
{
  snap sn;
  char const *what;
  int r = running(s->path.s);
  if (r <= 0)
  {
    if (r)
      warn(s, "unable to open supervise/control", errno);
    else
      notrunning(s);
    return;
  }
  if (!snap_read(s->path.s, &sn, &what))
  {
    warn(s, what, errno);
    return;
  }
  if (!*cmd)
    return;
  r = control_send(sub(s->path.s, "supervise"), cmd, strlen(cmd));
  if (!r)
    notrunning(s);
  else if (r < 0)
    warn(s, "unable to write supervise/control", errno);
}

static int byname (void const *a, void const *b)
{
  return strcmp(((svc const *)a)->name, ((svc const *)b)->name);
}

/* every entry of $SVDIR that has a supervise dir, but dot-names */
static svc *listdir (unsigned int *n, stralloc *names)
{
  char const *svdir = svpath_svdir();
  DIR *d = opendir(svdir);
  size_t pos = 0;
  unsigned int i = 0;
  svc *v;
  if (!d)
    strerr_diefusys(100, "open ", svdir);
  *n = 0;
  for (;;)
  {
    struct dirent *de;
    struct stat st;
    errno = 0;
    de = readdir(d);
    if (!de)
      break;
    if (de->d_name[0] == '.')
      continue;
    if (stat(sub(svdir, de->d_name), &st) == -1 || !S_ISDIR(st.st_mode))
      continue;
    fn.len--;
    if (!stralloc_cats(&fn, "/supervise") || !stralloc_0(&fn))
      strerr_diefusys(100, "stralloc_catb");
    if (stat(fn.s, &st) == -1 || !S_ISDIR(st.st_mode))
      continue;
    if (!stralloc_cats(names, de->d_name) || !stralloc_0(names))
      strerr_diefusys(100, "stralloc_catb");
    (*n)++;
  }
  if (errno)
    strerr_diefusys(100, "read ", svdir);
  closedir(d);
  v = calloc(*n ? *n : 1, sizeof(svc));
  if (!v)
    strerr_diefusys(100, "calloc");
  for (; i < *n; i++)
  {
    v[i].name = names->s + pos;
    pos += strlen(names->s + pos) + 1;
  }
  qsort(v, *n, sizeof(svc), &byname);
  return v;
}

static void help (void)
{
  static char const s[] =
    "usage: " USAGE "\n"
    "  -v         wait for the command to take effect (up to $SVWAIT or 7 s)\n"
    "  -w SEC     wait up to SEC seconds\n"
    "  -u -d -o   up, down, once; -x exit; -r restart (t, c, u)\n"
    "  -p -c -h -a -i -q -1 -2 -t -k   STOP CONT HUP ALRM INT QUIT USR1 USR2 TERM KILL\n"
    "verbs: status up down once restart start stop pause cont hup alarm interrupt quit 1 2 term kill exit check\n"
    "exit: 0 ok, 1-99 services that failed or timed out, 100 usage or fatal error\n";
  if (buffer_putflush(buffer_1, s, sizeof s - 1) < 0)
    strerr_diefusys(100, "write to stdout");
  _exit(0);
}

static void version (void)
{
  if (buffer_putsflush(buffer_1, "svctl " SVTREE_VERSION "\n") < 0)
    strerr_diefusys(100, "write to stdout");
  _exit(0);
}

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO;
  verb const *vb = 0;
  char cmd[64];
  size_t cmdlen = 0;
  unsigned int waitsec = WAIT_DEFAULT, n, i;
  int verbose = 0, anywait = 0, wait;
  stralloc names = STRALLOC_ZERO;
  svc *v;
  tain deadline;
  PROG = "svctl";

  {
    char const *x = getenv("SVWAIT");
    if (x && *x && !uint0_scan(x, &waitsec))
    {
      strerr_warnw("invalid $SVWAIT: ", x, " (using 7)");
      waitsec = WAIT_DEFAULT;
    }
  }
  for (;;)
  {
    int opt;
    if (l.pos && l.ind < argc && !argv[l.ind][l.pos])
    {
      l.ind++;
      l.pos = 0;
    }
    if (!l.pos && l.ind < argc && argv[l.ind][0] == '-' && argv[l.ind][1] == '-' && argv[l.ind][2])
    {
      char const *o = argv[l.ind++];
      if (!strcmp(o, "--help"))
        help();
      else if (!strcmp(o, "--version"))
        version();
      else if (!strcmp(o, "--json"))
        json = 1;
      else
        dieusage();
      continue;
    }
    opt = subgetopt_r(argc, argv, "vw:udoxpchaiq12tkr", &l);
    if (opt == -1)
      break;
    switch (opt)
    {
      case 'v':
        verbose = 1;
        break;
      case 'w':
        if (!uint0_scan(l.arg, &waitsec))
          dieusage();
        verbose = 1;
        break;
      default:
      {
        verb const *lv = letter_verb(opt);
        size_t len;
        if (!lv)
          dieusage();
        len = strlen(lv->cmd);
        if (cmdlen + len >= sizeof cmd)
          dieusage();
        memcpy(cmd + cmdlen, lv->cmd, len);
        cmdlen += len;
        if (lv->wait)
          anywait = 1;
        vb = lv;
        break;
      }
    }
  }
  argc -= l.ind;
  argv += l.ind;
  if (vb)
    target = vb->target;
  else
  {
    if (!argc)
      dieusage();
    for (vb = verbs; vb->name; vb++)
      if (!strcmp(vb->name, argv[0]))
        break;
    if (!vb->name)
      dieusage();
    argc--;
    argv++;
    while (argc && !strcmp(argv[0], "--json"))
    {
      json = 1;
      argc--;
      argv++;
    }
    if (argc && !strcmp(argv[0], "--"))
    {
      argc--;
      argv++;
    }
    if (vb->cmd)
    {
      cmdlen = strlen(vb->cmd);
      memcpy(cmd, vb->cmd, cmdlen);
    }
    target = vb->target;
    anywait = vb->wait;
  }
  cmd[cmdlen] = 0;
  if (json && vb->cmd)
    dieusage();
  if (!argc && vb->cmd)
    dieusage();
  wait = vb->cmd && (verbose || anywait);

  tain_now_set_stopwatch_g();
  tstart = clockns_real();
  tain_addsec_g(&deadline, waitsec > 100000000 ? 100000000 : (int)waitsec);
  sig_altignore(SIGPIPE);

  if (argc)
  {
    n = (unsigned int)argc;
    v = calloc(n, sizeof(svc));
    if (!v)
      strerr_diefusys(100, "calloc");
    for (i = 0; i < n; i++)
      v[i].name = argv[i];
  }
  else
    v = listdir(&n, &names);

  for (i = 0; i < n; i++)
  {
    svc *s = v + i;
    s->efd = -1;
    s->checkpassed = ~(uint64_t)0;
    tain_copynow(&s->nextcheck);
    if (!svpath_service(&s->path, s->name))
      strerr_diefusys(100, "stralloc_catb");
    if (!prepare(s, wait))
      continue;
    if (!vb->cmd)
      status(s);
    else
      send(s, cmd);
  }
  if (wait)
    waitloop(v, n, &deadline);
  for (i = 0; i < n; i++)
  {
    check_kill(v + i);
    if (v[i].efd >= 0)
      fifodir_unsubscribe(v[i].efd, v[i].ename.s);
    stralloc_free(&v[i].path);
    stralloc_free(&v[i].ename);
  }
  free(v);
  stralloc_free(&names);
  stralloc_free(&line);
  stralloc_free(&fn);
  stralloc_free(&raw);
  stralloc_free(&msg);
  return rc > 99 ? 99 : (int)rc;
}
