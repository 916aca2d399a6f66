/* SPDX-License-Identifier: ISC */
/* t/model/driver.c: drives the real supervise through random sequences of steps and
   compares what it shows with the model (model.h) after each one. See t/README.

   Environment: T_BIN (the bin/ under test), T_SEED (replay that one sequence, verbose),
   T_MODEL_SEQS, T_MODEL_STEPS (how many, how long), T_MODEL_JOBS (sequences run side by
   side: they mostly wait on timers), SOAK_S (run sequences for that many seconds),
   T_MODEL_FAILFAST (stop at the first mismatch: mutate.sh).
   Exit 0 when no sequence showed a mismatch, 1 otherwise. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>

#include "fifodir.h"
#include "svstate.h"
#include "svstatus.h"
#include "wstat.h"
#include "harness.h"
#include "model.h"

 /* the timers of the service files, scaled down from SPEC's defaults, and the amount
    make check runs (see t/README for the budget) */
#define MODEL_MIN_UPTIME 300
#define MODEL_SEQS 40
#define MODEL_STEPS 30
#define MODEL_JOBS 4
#define SETTLE_MS 5000     /* how long supervise may take to show a step's outcome */
#define PROMPT_MS 500      /* how long for a step marked prompt */

 /* ---- randomness: xorshift64*, one stream per sequence ---- */

static unsigned long long rnd_state;

static unsigned long long rnd (void)
{
  rnd_state ^= rnd_state >> 12;
  rnd_state ^= rnd_state << 25;
  rnd_state ^= rnd_state >> 27;
  return rnd_state * 2685821657736338717ULL;
}

static unsigned int rndn (unsigned int n)
{
  return n ? (unsigned int)(rnd() % n) : 0;
}

static int chance (unsigned int percent)
{
  return rndn(100) < percent;
}

 /* ---- one sequence ---- */

 /* a directed sequence: fixed steps, each showing one known fault (the table is below) */
struct directed
{
  char const *name;
  char const *conf;   /* words: down finish notify kill=MS maxfail=N downsig=NAME backoff=MS
                         restart=never|on-failure success=N,N check (failing) checkok
                         (passing) tready=MS */
  char const *runs;   /* spawn 1, 2...: L (long) or S (short), then i (ignores the down signal),
                         c (lingering child), g (a child that records the signals it gets),
                         eN (exits N), k (kills itself with KILL); rest: L */
  char const *fins;   /* finish 1, 2...: N (exits N) or h (hangs); rest: 0 */
  char const *steps;  /* start, c:BYTES (c:BYTES! : at once, within PROMPT_MS), idle, end,
                         notify, adopt, downfile, checkok, checkfail */
};

#define MAXBEH 400
#define MAXSTEPS 4096

static struct seq
{
  unsigned long long seed;
  struct directed const *directed;
  int verbose;
  struct mconf c;
  int downfile;
  struct mrun runs[MAXBEH + 1];
  struct mfinish fins[MAXBEH + 1];
  unsigned long nruns_written, nfins_written;
  int checkok0;             /* check passes at the start */
  char dir[256];
  pid_t sup;
  int supstatus;            /* -1 running; else its wait status */
  int evfd;
  stralloc evname;
  char got[M_EVMAX];        /* event bytes received, w left out */
  unsigned long long got_ms[M_EVMAX];  /* when each came */
  size_t ngot0;             /* how many had come when the step began */
  size_t ngot;
  stralloc steps;           /* the steps taken, one per line */
  unsigned int nsteps;
  struct model m;
  unsigned long long timer_lo, timer_hi;  /* the pending timer was armed in this window */
  unsigned int backoff_seen;  /* the longest backoff so far */
  unsigned long arms_seen;
  int racy;                 /* a timing bound was not met: a mismatch would be inconclusive */
  char early[128];          /* a timer fired before it could have */
  char slow[128];           /* a step marked prompt took long */
  char racewhy[256];
} S;

static struct mrun const default_run = { 0, 0, 99, 0, 0, 0 };
static struct mfinish const default_fin = { 0, 99 };

static struct mrun const *beh_run (void *arg, unsigned long n)
{
  (void)arg;
  return n >= 1 && n <= MAXBEH ? &S.runs[n] : &default_run;
}

static struct mfinish const *beh_fin (void *arg, unsigned long n)
{
  (void)arg;
  return n >= 1 && n <= MAXBEH ? &S.fins[n] : &default_fin;
}

static char const *signame_of (int sig)
{
  switch (sig)
  {
    case SIGHUP: return "HUP";
    case SIGINT: return "INT";
    case SIGUSR1: return "USR1";
    case SIGTERM: return "TERM";
    case SIGKILL: return "KILL";
    case SIGPIPE: return "PIPE";
    default: return "0";
  }
}

static void die (char const *what)
{
  fprintf(stderr, "model: fatal: %s: %s\n", what, strerror(errno));
  exit(111);
}

static char const *sp (char const *file)
{
  static char buf[4][PATH_MAX];
  static unsigned int i = 0;
  char *b = buf[i++ & 3];
  snprintf(b, PATH_MAX, "%s/svc/%s", S.dir, file);
  return b;
}

static void put (char const *file, char const *fmt, ...)
{
  char buf[4096];
  va_list ap;
  int fd, n;
  va_start(ap, fmt);
  n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fd = open(sp(file), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (fd == -1 || write(fd, buf, (size_t)n) != n) die(file);
  close(fd);
}

static unsigned long long now_ms (void)
{
  return t_now_ms();
}

static void gen_config (void)
{
  static int const sigs[5] = { SIGTERM, SIGTERM, SIGHUP, SIGUSR1, SIGINT };
  static unsigned int const mf[5] = { 0, 0, 1, 2, 3 };
  struct mconf *c = &S.c;
  unsigned int i;
  memset(c, 0, sizeof *c);
  c->min_uptime = MODEL_MIN_UPTIME;
  c->max_backoff = chance(5) ? 2500 : chance(50) ? 250 : 300;
  c->timeout_kill = chance(50) ? 250 : 0;
  c->timeout_finish = 400;  /* a finish killed before its sh wrote finish.log would be inconclusive */
  c->max_failures = mf[rndn(5)];
  c->downsig = sigs[rndn(5)];
  c->notify = chance(30);
  c->finish = chance(50);
  S.downfile = chance(30);
   /* SPEC 2 restart and success-codes; check (readiness without notification-fd, and
      with it nothing the driver sees), timeout-ready where something decides readiness */
  {
    static unsigned long const codes[4] = { 1UL << 0 | 1UL << 3, 1UL << 1, 1UL << 2 | 1UL << 3, 1UL << 0 };
    c->restart = chance(50) ? MR_ALWAYS : chance(50) ? MR_ON_FAILURE : MR_NEVER;
    c->success = chance(60) ? 1UL : codes[rndn(4)];
    c->check = chance(35);
    c->timeout_ready = (c->check || c->notify) && chance(40) ? 600 : 0;
    S.checkok0 = chance(60);
  }
  for (i = 1; i <= MAXBEH; i++)
  {
    struct mrun *r = &S.runs[i];
    struct mfinish *f = &S.fins[i];
    static int const selfsig[2] = { SIGKILL, SIGPIPE };
    static int const codes[5] = { 0, 1, 2, 0, 3 };
    r->islong = chance(60);
    r->sig = chance(25) ? selfsig[rndn(2)] : 0;
    r->code = codes[rndn(5)];
     /* one that ignores the down signal hangs the stop: mostly where timeout-kill ends it */
    r->ignores = chance(c->timeout_kill ? 25 : 8);
    r->child = chance(20);
     /* not drawn (the random streams of known seeds stay as they were) */
    r->watch = i % 4 == 2 && !r->ignores && !r->child;
    f->hangs = chance(15);
    f->code = chance(18) ? 125 : chance(50) ? 0 : 1;
  }
}

 /* the files each spawn's run and each finish read: written ahead of the model's count */
static void write_behaviours (void)
{
  while (S.nruns_written < S.m.spawns + 8 && S.nruns_written < MAXBEH)
  {
    struct mrun const *r = &S.runs[++S.nruns_written];
    char name[32];
    snprintf(name, sizeof name, "beh/%lu", S.nruns_written);
    put(name, "%d %s %d %d %d %d\n", r->islong, signame_of(r->sig), r->code, r->ignores, r->child, r->watch);
    snprintf(name, sizeof name, "go/%lu", S.nruns_written);
    if (mkfifo(sp(name), 0600) == -1 && errno != EEXIST) die("mkfifo");
  }
  while (S.nfins_written < S.m.finishes + 8 && S.nfins_written < MAXBEH)
  {
    struct mfinish const *f = &S.fins[++S.nfins_written];
    char name[32];
    snprintf(name, sizeof name, "fbeh/%lu", S.nfins_written);
    put(name, "%d %d\n", f->hangs, f->code);
  }
}

static void write_service (void)
{
  char const *ds = signame_of(S.c.downsig);
  if (mkdir(sp(""), 0755) == -1 || mkdir(sp("beh"), 0755) == -1 || mkdir(sp("go"), 0755) == -1
   || mkdir(sp("fbeh"), 0755) == -1) die("mkdir");
   /* run: its spawn number from count, its behaviour from beh/N; a long run waits for a
      line on go/N: n to notify readiness, anything else to end */
  put("run",
    "#!/bin/sh\n"
    "read n <count\n"
    "n=$((n+1))\n"
    "echo $n >count\n"
    "life=0 sig=0 code=99 ign=0 child=0 watch=0\n"
    "read life sig code ign child watch <beh/$n\n"
    "[ $ign = 1 ] && trap '' %s\n"
    "[ $child = 1 ] && { (trap '' %s; exec sleep 0.3) & }\n"
    /* the watcher: in run's group until the down signal (or 2 s), recording any other
       signal it gets (a command's signal meant for run's pid only) in group.log */
    "[ $watch = 1 ] && { (for s in HUP INT QUIT USR1 USR2 ALRM TERM; do\n"
    "  if [ $s = %s ]; then trap exit $s; else trap \"echo $n $s >>group.log\" $s; fi; done\n"
    "  i=0; while [ $i -lt 20 ]; do sleep 0.1 & wait $!; i=$((i+1)); done) & }\n"
    "[ $life = 1 ] && exec 4<>go/$n\n"
    "[ $life = 1 ] && echo $$ >live\n"
    "echo $n >>armed\n"
    "if [ $life = 1 ]; then\n"
    "  while read x <&4; do\n"
    "    [ \"$x\" = n ] || break\n"
    "    echo >&3\n"
    "  done\n"
    "fi\n"
    "[ $sig != 0 ] && kill -$sig $$\n"
    "exit $code\n", ds, ds, ds);
  put("count", "0\n");
  put("fcount", "0\n");
  if (S.c.finish)
    put("finish",
      "#!/bin/sh\n"
      "read n <fcount\n"
      "n=$((n+1))\n"
      "echo $n >fcount\n"
      "echo \"$n $1 $2\" >>finish.log\n"
      "hang=0 code=99\n"
      "read hang code <fbeh/$n\n"
      "[ $hang = 1 ] && exec sleep 10\n"
      "exit $code\n");
  put("min-uptime", "%u\n", S.c.min_uptime);
  put("max-backoff", "%u\n", S.c.max_backoff);
  if (S.c.timeout_kill) put("timeout-kill", "%u\n", S.c.timeout_kill);
  put("timeout-finish", "%u\n", S.c.timeout_finish);
  if (S.c.max_failures) put("max-failures", "%u\n", S.c.max_failures);
  if (S.c.downsig != SIGTERM) put("down-signal", "%s\n", ds);
  if (S.c.notify) put("notification-fd", "3\n");
  if (S.c.restart == MR_ON_FAILURE) put("restart", "on-failure\n");
  if (S.c.restart == MR_NEVER) put("restart", "never\n");
  if (S.c.success != 1UL)
  {
    char buf[128];
    size_t n = 0;
    unsigned int i;
    for (i = 0; i < 32; i++)
      if (S.c.success >> i & 1) n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%u", n ? (i & 1 ? "," : " ") : "", i);
    put("success-codes", "%s\n", buf);
  }
   /* check passes while the file checkok exists and the last long run is alive (not a
      zombie): a run that ends at once is never ready. It waits (up to 2 s) for a long run
      whose sh is slow to start, so that readiness never depends on its retry delays; a
      check left waiting for a run that died is killed by supervise */
  if (S.c.check)
    put("check",
      "#!/bin/sh\n"
      "[ -e checkok ] || exit 1\n"
      "i=0\n"
      "while [ $i -lt 100 ]; do\n"
      "  if read p <live; then\n"
      "    if read x y st rest </proc/$p/stat; then [ \"$st\" != Z ] && exit 0; fi\n"
      "  fi 2>/dev/null\n"
      "  i=$((i+1))\n"
      "  sleep 0.02\n"
      "done\n"
      "exit 1\n");
  if (S.checkok0) put("checkok", "");
  S.m.checkok = S.checkok0;
  if (S.c.timeout_ready) put("timeout-ready", "%u\n", S.c.timeout_ready);
  if (S.downfile) put("down", "");
  write_behaviours();
   /* subscribe to event/ before supervise starts: its first byte is s */
  if (mkdir(sp("event"), 0700) == -1) die("mkdir event");
  S.evfd = fifodir_subscribe(sp("event"), &S.evname);
  if (S.evfd == -1) die("subscribe to event/");
}

static void start_supervise (void)
{
  pid_t pid = fork();
  if (pid == -1) die("fork");
  if (!pid)
  {
    char const *argv[3] = { 0, "svc", 0 };
    int fd = open("/dev/null", O_RDWR);
    int err = open(sp("../sup.err"), O_WRONLY | O_CREAT | O_APPEND, 0644);
    char path[PATH_MAX];
    sigset_t set;
    if (fd == -1 || err == -1 || chdir(S.dir) == -1) _exit(127);
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(err, 2);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, 0);
    signal(SIGPIPE, SIG_DFL);
    snprintf(path, sizeof path, "%ssupervise", t_bin());
    argv[0] = path;
    execv(path, (char *const *)argv);
    _exit(127);
  }
  S.sup = pid;
  S.supstatus = -1;
}

 /* ---- observing ---- */

static void reap (void)
{
  for (;;)
  {
    int w;
    pid_t pid = waitpid(-1, &w, WNOHANG);
    if (pid <= 0) break;
    if (pid == S.sup) S.supstatus = w;
  }
}

static void read_events (void)
{
  char buf[512];
  for (;;)
  {
    ssize_t r = read(S.evfd, buf, sizeof buf), i;
    if (r <= 0) break;
    for (i = 0; i < r; i++)
      if (buf[i] != 'w' && S.ngot < sizeof S.got - 1) S.got_ms[S.ngot] = now_ms(), S.got[S.ngot++] = buf[i];
    S.got[S.ngot] = 0;
  }
}

 /* sup.err as tokens: the lifecycle lines the model predicts (model.c's line()) */
static void line_tokens (stralloc *out)
{
  char *s = t_read(sp("../sup.err")), *p, *nl;
  out->len = 0;
  if (!s) { stralloc_0(out); out->len = 0; return; }
  for (p = s; *p; p = nl + 1)
  {
    char tok[512];
    char *rest;
    nl = strchr(p, '\n');
    if (!nl) break;
    *nl = 0;
    tok[0] = 0;
    if (!strncmp(p, "supervise: svc: ", 16))
    {
      rest = p + 16;
      if (!strncmp(rest, "spawned:", 8)) strcpy(tok, "spawned");
      else if (!strncmp(rest, "ready:", 6)) strcpy(tok, "ready");
      else if (!strncmp(rest, "exited: ", 8) || !strncmp(rest, "killed: ", 8))
      {
        int killed = rest[0] == 'k';
        char what[64] = "?", *plan = strstr(rest, "; ");
        char pl[128] = "";
        if (killed) sscanf(rest + 8, "signal %63s", what);
        else if (!strncmp(rest + 8, "status ", 7)) sscanf(rest + 15, "%63s", what);
        if (plan)
        {
          unsigned long k;
          plan += 2;
          if (!strncmp(plan, "restarting", 10)) strcpy(pl, "restarting");
          else if (sscanf(plan, "failed start %lu", &k) == 1) snprintf(pl, sizeof pl, "failed start %lu", k);
          else snprintf(pl, sizeof pl, "%.100s", plan);
        }
        snprintf(tok, sizeof tok, "%s %s; %s", killed ? "killed" : "exited", what, pl);
      }
      else if (!strcmp(rest, "down: by request") || !strcmp(rest, "down: ran once")
       || !strncmp(rest, "down: not restarting", 20)) snprintf(tok, sizeof tok, "%.500s", rest);
      else if (!strncmp(rest, "failed:", 7)) strcpy(tok, "failed");
      else if (!strcmp(rest, "exit") || !strncmp(rest, "exit:", 5)) strcpy(tok, "exit");
    }
    else if (!strncmp(p, "supervise: warning: ", 20) || !strncmp(p, "supervise: fatal: ", 18))
      snprintf(tok, sizeof tok, "%.500s", p);
    if (tok[0]) { stralloc_cats(out, tok); stralloc_catb(out, "\n", 1); }
  }
  stralloc_0(out);
  out->len--;
  free(s);
}

 /* expected token line e (with "?" for one word, "*" for the rest) against observed o */
static int token_match (char const *e, size_t elen, char const *o, size_t olen)
{
  size_t i = 0, j = 0;
  while (i < elen && j < olen)
  {
    if (e[i] == '*') return 1;
    if (e[i] == '?')
    {
      i++;
      while (j < olen && o[j] != ' ' && o[j] != ';') j++;
      continue;
    }
    if (e[i] != o[j]) return 0;
    i++, j++;
  }
  if (i < elen && e[i] == '*') return 1;
  return i == elen && j == olen;
}

static int lines_match (char const *e, char const *o)
{
  while (*e && *o)
  {
    char const *en = strchr(e, '\n'), *on = strchr(o, '\n');
    if (!en || !on) return 0;
    if (!token_match(e, (size_t)(en - e), o, (size_t)(on - o))) return 0;
    e = en + 1;
    o = on + 1;
  }
  return !*e && !*o;
}

 /* a finish.log line with "?" fields against observed */
static int finlog_match (char const *e, char const *o)
{
  return lines_match(e, o);
}

#define NKEYS 20
struct view
{
  char const *key[NKEYS];
  char model[NKEYS][128];
  char seen[NKEYS][128];
  int differs[NKEYS];
  unsigned int n;
  stralloc mlines, slines, mfin, sfin;
  char mev[M_EVMAX], sev[M_EVMAX];
};

static struct view V;

static void row (char const *key, int differs, char const *mfmt, char const *sfmt)
{
  unsigned int i = V.n++;
  V.key[i] = key;
  snprintf(V.model[i], 128, "%s", mfmt);
  snprintf(V.seen[i], 128, "%s", sfmt);
  V.differs[i] = differs;
}

static int proc_stopped (pid_t pid)
{
  char path[64], buf[512], *p;
  int fd;
  ssize_t r;
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd == -1) return 0;
  r = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (r <= 0) return 0;
  buf[r] = 0;
  p = strrchr(buf, ')');
  return p && p[1] == ' ' && (p[2] == 'T' || p[2] == 't');
}

 /* compare everything; the number of rows that differ */
static unsigned int compare (void)
{
  struct model const *m = &S.m;
  svstate st;
  svstatus status;
  char a[128], b[128], x[64];
  char *stat;
  int hasst, hasstatus;
  unsigned int bad = 0, i;
  long count;
  V.n = 0;
  read_events();
  reap();
  hasst = svstate_read(sp("supervise"), &st);
  hasstatus = svstatus_read(sp("supervise"), &status);
  stat = t_read(sp("supervise/stat"));

  row("supervise", (S.supstatus == -1) != m->running, m->running ? "running" : "exited",
    S.supstatus == -1 ? "running" : "exited");
  if (S.early[0]) row("timer", 1, "fires after its time", S.early);
  if (S.slow[0]) row("prompt", 1, "at once", S.slow);
#define KEY(k, mv, sv) row(k, strcmp(mv, sv) != 0, mv, sv)
  if (!hasst) { row("state file", 1, "present", "absent or malformed"); bad++; }
  else
  {
    KEY("state", model_state_name(m->state), model_state_name(st.state));
    KEY("want", model_want_name(m->want), model_want_name(st.want));
    KEY("normally", m->normally_up ? "up" : "down", st.normally_up ? "up" : "down");
    snprintf(a, sizeof a, "%d", m->paused); snprintf(b, sizeof b, "%d", st.paused); KEY("paused", a, b);
    snprintf(a, sizeof a, "%d", m->ready); snprintf(b, sizeof b, "%d", st.ready); KEY("ready", a, b);
    snprintf(a, sizeof a, "%lu", m->restarts); snprintf(b, sizeof b, "%llu", (unsigned long long)st.restarts); KEY("restarts", a, b);
    snprintf(a, sizeof a, "%lu", m->failures); snprintf(b, sizeof b, "%llu", (unsigned long long)st.failures); KEY("failures", a, b);
    {
      char w[WSTAT_FMT_MAX + 1] = "";
      int ok;
      if (st.has_exit) w[wstat_fmt(w, st.last_wstat)] = 0;
      snprintf(a, sizeof a, "%s", m->has_exit ? model_exit_str(&m->last, x) : "");
      if (!m->has_exit || m->last.code >= 0) ok = !strcmp(a, w);
      else
      {
        ok = st.has_exit && WIFSIGNALED(st.last_wstat) && (m->last.sigs & (1UL << WTERMSIG(st.last_wstat)));
      }
      row("last_exit", !ok, a, w);
    }
    snprintf(a, sizeof a, "%s", m->state == MS_UP || m->state == MS_STOPPING ? "a pid" : "0");
    snprintf(b, sizeof b, "%s", st.pid > 0 ? "a pid" : "0");
    KEY("pid", a, b);
    if (m->state == MS_BACKOFF)
    {
      long long d = st.backoff_until && st.since ? ((long long)st.backoff_until - (long long)st.since) / 1000000LL : -1;
      snprintf(a, sizeof a, "since + %u ms", m->backoff_ms);
      snprintf(b, sizeof b, st.backoff_until ? "since + %lld ms" : "0", d);
      row("backoff_until", d < (long long)m->backoff_ms - 50 || d > (long long)m->backoff_ms, a, b);
    }
    else
    {
      snprintf(b, sizeof b, "%llu", (unsigned long long)st.backoff_until);
      KEY("backoff_until", "0", b);
    }
    if (m->state == MS_UP || m->state == MS_STOPPING)
    {
      int stp = st.pid > 0 && proc_stopped(st.pid);
      KEY("run stopped", m->stopped ? "yes" : "no", stp ? "yes" : "no");
    }
  }
  if (!hasstatus) { row("status", 1, "20 bytes", "absent or malformed"); bad++; }
  else
  {
    char ms = model_status_state(m);
    snprintf(a, sizeof a, "state %d, pid %s, paused %d, want %c, term %d", ms,
      ms ? "set" : "0", m->paused, model_status_want(m), m->termsent);
    snprintf(b, sizeof b, "state %d, pid %s, paused %d, want %c, term %d", status.state,
      status.pid ? "set" : "0", status.paused, status.want, status.termsent);
    KEY("status", a, b);
  }
  model_stat(m, a);
  snprintf(b, sizeof b, "%s", stat ? stat : "(absent)");
  free(stat);
  {
    char *n1 = strchr(a, '\n'), *n2 = strchr(b, '\n');
    int d = strcmp(a, b);
    if (n1) *n1 = 0;
    if (n2) *n2 = 0;
    row("stat", d != 0, a, b);
  }
  {
     /* SPEC 3: a signal command goes to run's pid only, never to the rest of its group */
    char *g = t_read(sp("group.log")), *p;
    if (g) for (p = g; *p; p++) if (*p == '\n') *p = ' ';
    snprintf(b, sizeof b, "%s", g ? g : "");
    free(g);
    KEY("group got", "", b);
  }
  count = t_read_long(sp("count"));
  snprintf(a, sizeof a, "%lu", m->spawns);
  snprintf(b, sizeof b, "%ld", count);
  KEY("spawns", a, b);
  {
    char *armed = t_read(sp("armed")), *p;
    unsigned long n = 0;
    if (armed) for (p = armed; *p; p++) if (*p == '\n') n++;
    free(armed);
    snprintf(b, sizeof b, "%lu", n);
    KEY("runs set up", a, b);
  }
  memcpy(V.mev, m->ev, m->nev + 1);
  memcpy(V.sev, S.got, S.ngot + 1);
  row("events", strcmp(V.mev, V.sev) != 0, "(below)", "(below)");
  V.mlines.len = 0;
  stralloc_catb(&V.mlines, m->lines, m->nlines);
  stralloc_0(&V.mlines);
  line_tokens(&V.slines);
  row("lines", !lines_match(V.mlines.s, V.slines.s), "(below)", "(below)");
  {
    char *f = t_read(sp("finish.log"));
    V.sfin.len = 0;
    stralloc_cats(&V.sfin, f ? f : "");
    stralloc_0(&V.sfin);
    free(f);
    V.mfin.len = 0;
    stralloc_catb(&V.mfin, m->finlog, m->nfinlog);
    stralloc_0(&V.mfin);
    row("finish args", !finlog_match(V.mfin.s, V.sfin.s), "(below)", "(below)");
  }
  for (i = 0; i < V.n; i++) bad += V.differs[i];
  return bad;
}

 /* the two views side by side */
static void report (FILE *f, char const *verdict)
{
  unsigned int i;
  char x[64];
  if (S.directed) fprintf(f, "\nmodel: %s: directed sequence %llu: %s (replay: T_DIRECTED=%llu make check-model)\n", verdict, S.seed, S.directed->name, S.seed);
  else fprintf(f, "\nmodel: %s: seed %llu (replay: T_SEED=%llu make check-model)\n", verdict, S.seed, S.seed);
  fprintf(f, "config: min-uptime %u, max-backoff %u, timeout-kill %u, timeout-finish %u, max-failures %u, down-signal %s, notification-fd %s, finish %s, down %s\n",
    S.c.min_uptime, S.c.max_backoff, S.c.timeout_kill, S.c.timeout_finish, S.c.max_failures,
    signame_of(S.c.downsig), S.c.notify ? "3" : "none", S.c.finish ? "yes" : "no", S.downfile ? "yes" : "no");
  {
    fprintf(f, "        restart %s, success-codes", S.c.restart == MR_NEVER ? "never" : S.c.restart == MR_ON_FAILURE ? "on-failure" : "always");
    for (i = 0; i < 32; i++) if (S.c.success >> i & 1) fprintf(f, " %u", i);
    fprintf(f, ", check %s, timeout-ready %u\n", S.c.check ? S.checkok0 ? "yes (passing at first)" : "yes (failing at first)" : "no", S.c.timeout_ready);
  }
  if (S.racy) fprintf(f, "timing: %s\n", S.racewhy);
  fprintf(f, "steps:\n%.*s", (int)S.steps.len, S.steps.s);
  fprintf(f, "model timer pending: %s; last exit %s\n", model_timer_name(S.m.timer), model_exit_str(&S.m.last, x));
  fprintf(f, "  %-14s %-40s %s\n", "", "model", "supervise");
  for (i = 0; i < V.n; i++)
    fprintf(f, "%c %-14s %-40s %s\n", V.differs[i] ? '!' : ' ', V.key[i], V.model[i], V.seen[i]);
  fprintf(f, "  events model:     %s\n  events supervise: %s\n", V.mev, V.sev);
  {
    char const *a = V.mlines.s, *b = V.slines.s;
    fprintf(f, "  lines (model | supervise):\n");
    while (*a || *b)
    {
      char const *an = strchr(a, '\n'), *bn = strchr(b, '\n');
      int al = an ? (int)(an - a) : (int)strlen(a), bl = bn ? (int)(bn - b) : (int)strlen(b);
      int same = al && bl && token_match(a, (size_t)al, b, (size_t)bl);
      fprintf(f, "  %c %-40.*s | %.*s\n", same ? ' ' : '!', al, a, bl, b);
      a += al + (an ? 1 : 0);
      b += bl + (bn ? 1 : 0);
    }
  }
  fprintf(f, "  finish args model: %s", V.mfin.s[0] ? "\n" : "(none)\n");
  fprintf(f, "%s", V.mfin.s);
  fprintf(f, "  finish args supervise: %s", V.sfin.s[0] ? "\n" : "(none)\n");
  fprintf(f, "%s", V.sfin.s);
  fflush(f);
}

 /* watch for events a while without expecting any */
static void quiet (unsigned int ms)
{
  unsigned long long end = now_ms() + ms;
  for (;;)
  {
    struct pollfd p = { .fd = S.evfd, .events = POLLIN };
    unsigned long long n = now_ms();
    if (n >= end) return;
    read_events();
    reap();
    poll(&p, 1, (int)(end - n < 20 ? end - n : 20));
  }
}

 /* ---- steps ---- */

static void note (char const *fmt, ...)
{
  char buf[256];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  stralloc_catb(&S.steps, "  ", 2);
  {
    char num[16];
    snprintf(num, sizeof num, "%u. ", ++S.nsteps);
    stralloc_cats(&S.steps, num);
  }
  stralloc_catb(&S.steps, buf, (size_t)n);
  stralloc_catb(&S.steps, "\n", 1);
  if (S.verbose) { printf("step %u: %s\n", S.nsteps, buf); fflush(stdout); }
}

static void racy (char const *why)
{
  if (S.racy) return;
  S.racy = 1;
  snprintf(S.racewhy, sizeof S.racewhy, "%s", why);
}

static void tell_run (unsigned long n, char const *what)
{
  char name[32];
  int fd;
  snprintf(name, sizeof name, "go/%lu", n);
  fd = open(sp(name), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1) return;  /* the run is gone: the comparison will say so */
  if (write(fd, what, strlen(what)) < 0) { }
  close(fd);
}

 /* write the bytes, then wait until supervise has read them: a command with nothing to
    show must not stay in the FIFO while the next step acts (supervise handles a death
    before the commands of the same loop round) */
static void send_control (char const *bytes, size_t n)
{
  int fd = open(sp("supervise/control"), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  int rfd;
  unsigned long long end = now_ms() + SETTLE_MS;
  if (fd == -1) return;
  if (write(fd, bytes, n) < 0) { }
  close(fd);
  rfd = open(sp("supervise/control"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (rfd == -1) return;
  for (;;)
  {
    int left = 0;
    if (ioctl(rfd, FIONREAD, &left) == -1 || !left || now_ms() >= end) break;
    poll(0, 0, 1);
  }
  close(rfd);
}

enum kind { K_START, K_CMD, K_END, K_NOTIFY, K_IDLE, K_ADOPT, K_DOWNFILE, K_CHECKOK, K_CHECKFAIL };

struct step { enum kind k; char bytes[8]; size_t n; int prompt; };

static int run_alive (struct model const *m)
{
  return m->running && (m->state == MS_UP || m->state == MS_STOPPING);
}

static char pick_byte (void)
{
  static char const w[] = "uuuddddooxttkkihha12ppccq";
  return w[rndn(sizeof w - 1)];
}

 /* does byte c, in the model's present state, deliver a signal to a live run or spawn one */
static int touches_run (struct model const *m, char c)
{
  if (!run_alive(m)) return 0;
  if (c == 'd' || c == 'x') return m->state == MS_UP;
  return model_cmdsig(c) != 0;
}

static struct model sim;

 /* the rules of a burst (gen), for the model's present state: at most one byte that
    signals the live run, nothing after a spawn or after supervise exits. A burst made
    before a timer fired is trimmed to them */
static void trim_burst (struct step *s)
{
  size_t i, n = 0;
  unsigned int signalled = 0;
  sim = S.m;
  for (i = 0; i < s->n; i++)
  {
    char c = s->bytes[i];
    unsigned long sp0 = sim.spawns;
    if (touches_run(&sim, c)) { if (signalled) continue; signalled = 1; }
    s->bytes[n++] = c;
    model_command(&sim, c);
    if (sim.spawns != sp0 || !sim.running) break;
  }
  s->n = n;
}

static void gen (struct step *s)
{
  struct model const *m = &S.m;
  unsigned int r;
  memset(s, 0, sizeof *s);
  if (!m->running) { s->k = K_START; return; }
  for (;;)
  {
    r = rndn(100);
    if (r < 38) { s->k = K_CMD; s->bytes[0] = pick_byte(); s->n = 1; return; }
    if (r < 48)
    {
       /* a burst: one write, read at once by supervise. At most one byte that signals the
          live run (two signals may race inside it), nothing after a spawn (a fresh sh
          has not set its traps yet) */
      unsigned int n = 2 + rndn(3), i, signalled = 0;
      sim = *m;
      s->k = K_CMD;
      for (i = 0; i < n; i++)
      {
        char c = pick_byte();
        unsigned long sp0 = sim.spawns;
        if (touches_run(&sim, c)) { if (signalled) continue; signalled = 1; }
        s->bytes[s->n++] = c;
        model_command(&sim, c);
        if (sim.spawns != sp0 || !sim.running) break;
      }
      return;
    }
    if (r < 64) { if (run_alive(m) && !m->stopped && m->timer != MT_FINISH) { s->k = K_END; return; } continue; }
    if (r < 72)
    {
      if (m->c.notify && m->state == MS_UP && !m->ready && !m->notified && !m->adopted && !m->stopped) { s->k = K_NOTIFY; return; }
      continue;
    }
    if (r < 92) { s->k = K_IDLE; return; }
    if (r < 97)
    {
      if (m->c.check && r < 94)
      {
         /* check starts passing or failing. Passing makes a run that is not ready ready at
            its next try (up to a second later): only when no timer can fire meanwhile */
        if (m->checkok) { s->k = K_CHECKFAIL; return; }
        if (m->state == MS_UP && !m->ready && m->timer != MT_NONE) continue;
        s->k = K_CHECKOK;
        return;
      }
      if (run_alive(m) && m->want != MW_EXIT) { s->k = K_ADOPT; return; }
      continue;
    }
    s->k = K_DOWNFILE;
    return;
  }
}

 /* the longest deadline supervise may have armed so far (a stale one shows within it) */
static unsigned int longest_timer (void)
{
  unsigned int t = S.c.min_uptime;
  if (S.c.timeout_kill > t) t = S.c.timeout_kill;
  if (S.c.timeout_finish > t) t = S.c.timeout_finish;
  if (S.backoff_seen > t) t = S.backoff_seen;
  return t;
}

 /* after a step: a newly armed timer was armed in [lo, hi], hi being when the step
    settled (timer_settled) */
static void timer_bookkeeping (unsigned long long lo)
{
  if (S.m.timer != MT_NONE && S.m.arms != S.arms_seen)
  {
    S.timer_lo = lo;
    S.timer_hi = ~0ULL;
    if (S.m.timer == MT_BACKOFF && S.m.timer_ms > S.backoff_seen) S.backoff_seen = S.m.timer_ms;
  }
  S.arms_seen = S.m.arms;
}

static void timer_settled (void)
{
  if (S.timer_hi == ~0ULL) S.timer_hi = now_ms();
}

 /* the earliest moment the pending timer can fire in supervise */
static unsigned long long timer_due (void)
{
  return S.timer_lo + S.m.timer_ms;
}

 /* supervise is only late: what it showed is the start of what the model expects */
static int behind (void)
{
  unsigned int i;
  if (S.ngot > S.m.nev || memcmp(S.got, S.m.ev, S.ngot)) return 0;
  if (S.ngot < S.m.nev) return 1;
  for (i = 0; i < V.n; i++)
    if (V.differs[i] && strcmp(V.key[i], "spawns") && strcmp(V.key[i], "runs set up")
     && strcmp(V.key[i], "finish args") && strcmp(V.key[i], "lines") && strcmp(V.key[i], "run stopped"))
      return 0;
  return 1;
}


 /* wait until everything matches the model; at most SETTLE_MS, and never past the moment
    the model's pending timer can fire (what came after it would muddle the report) */
static unsigned int settle (void)
{
  unsigned long long n = now_ms(), until = n + SETTLE_MS;
  int limited = 0;
  unsigned int bad;
  if (S.m.timer != MT_NONE && S.m.timer != MT_OLD && timer_due() < until + 20)
  {
    until = timer_due() > n + 50 ? timer_due() - 20 : n + 30;
    limited = 1;
  }
  for (;;)
  {
    struct pollfd p = { .fd = S.evfd, .events = POLLIN };
    bad = compare();
    if (!bad || now_ms() >= until) break;
    poll(&p, 1, 5);
  }
  if (bad && limited && S.ngot == S.m.nev && behind())
  {
     /* the events are all there, only what run and finish write lags: these do not
        depend on the timer; wait for them while no event comes */
    size_t n0 = S.ngot;
    unsigned long long end = now_ms() + SETTLE_MS;
    while (bad && S.ngot == n0 && now_ms() < end)
    {
      struct pollfd p = { .fd = S.evfd, .events = POLLIN };
      poll(&p, 1, 5);
      bad = compare();
    }
  }
  if (bad && limited && behind())
  {
     /* late, or stuck? A supervise that moves on was late (inconclusive); one that
        shows nothing more for SETTLE_MS is stuck (a mismatch) */
    size_t n0 = S.ngot;
    unsigned long long end = now_ms() + SETTLE_MS;
    while (S.ngot == n0 && now_ms() < end)
    {
      struct pollfd p = { .fd = S.evfd, .events = POLLIN };
      poll(&p, 1, 20);
      read_events();
    }
    bad = compare();
    if (bad && S.ngot != n0)
    {
      char why[200];
      snprintf(why, sizeof why, "step %u: supervise had not caught up when the %s timer could fire", S.nsteps, model_timer_name(S.m.timer));
      racy(why);
    }
  }
  if (bad && limited)
  {
     /* what came before the timer could fire was the start of what the model expects, and
        more came after it: supervise (or run's sh, or finish's, under load) was only late,
        and the timer's own doings mixed in */
    size_t k = 0;
    unsigned long long due = timer_due();
    while (k < S.ngot && S.got_ms[k] < due) k++;
    if (k < S.ngot && k <= S.m.nev && !memcmp(S.got, S.m.ev, k))
    {
      char why[200];
      snprintf(why, sizeof why, "step %u: supervise had not caught up when the %s timer could fire (more came after it)", S.nsteps, model_timer_name(S.m.timer));
      racy(why);
    }
  }
  return bad;
}

 /* a spawn in this step, of a run that dies at once: it must have died long before
    min-uptime, or supervise may rightly have judged otherwise */
static void spawn_race (unsigned long spawns0, unsigned long long begin)
{
  char why[200];
  size_t i;
  if (S.m.spawns == spawns0) return;
  for (i = S.ngot0; i + 1 < S.ngot; i++)
    if (S.got[i] == 'u' && S.got[i + 1] == 'U' && !beh_run(0, S.m.spawns)->islong)
    {
      snprintf(why, sizeof why, "step %u: a run that ends at once lived min-uptime (its sh was slow to start)", S.nsteps);
      racy(why);
      return;
    }
  for (i = S.ngot0; i < S.ngot && S.got[i] != 'd'; i++) ;
  if (i == S.ngot || S.got_ms[i] < begin + S.c.min_uptime - 50) return;
  snprintf(why, sizeof why, "step %u: a run spawned in it may have lived %llu ms", S.nsteps, S.got_ms[i] - begin);
  racy(why);
}

 /* let the pending timer fire (or, with none, watch for what should not happen) */
static unsigned int idle (void)
{
  unsigned long long due;
  unsigned char t = S.m.timer;
  unsigned long spawns0 = S.m.spawns;
  unsigned int bad;
  if (t == MT_NONE)
  {
    note("idle (no timer pending: nothing may happen for %u ms)", longest_timer() + 150);
    quiet(longest_timer() + 150);
    return settle();
  }
  note("idle until %s (%u ms) fires", model_timer_name(t), S.m.timer_ms);
  due = timer_due();
  if (t == MT_OLD)
  {
     /* no event says so: wait until min-uptime is surely over */
    unsigned long long until = S.timer_hi + S.m.timer_ms + 30, n = now_ms();
    if (until > n) quiet((unsigned int)(until - n));
  }
  S.ngot0 = S.ngot;
  model_timer(&S.m);
  write_behaviours();
  timer_bookkeeping(due);
  if (S.m.timer == MT_NONE || S.m.arms == S.arms_seen)
  {
     /* nothing new armed: wait for the firing itself, SETTLE_MS past it */
    unsigned long long until = due + SETTLE_MS, n;
    for (;;)
    {
      struct pollfd p = { .fd = S.evfd, .events = POLLIN };
      bad = compare();
      n = now_ms();
      if (!bad || n >= until) break;
      poll(&p, 1, 5);
    }
  }
  else bad = settle();
  timer_settled();
   /* the timer was armed no sooner than timer_lo: what it caused cannot come before due */
  if (S.ngot > S.ngot0 && S.got_ms[S.ngot0] + 5 < due)
  {
    snprintf(S.early, sizeof S.early, "fired %llu ms early", due - S.got_ms[S.ngot0]);
    bad = compare();
  }
  spawn_race(spawns0, due);
  return bad;
}

 /* a step that takes no time in the model: before it, a timer that could fire meanwhile
    is let fire; after it, one that could have fired is a race */
static unsigned int instant (struct step const *s0)
{
  unsigned long long begin, olddue = 0;
  unsigned int bad = 0;
  int racy0;
  unsigned long spawns0;
  int hadtimer;
  struct step t = *s0, *s = &t;
  if (S.m.timer != MT_NONE && now_ms() > S.timer_lo + S.m.timer_ms / 2)
  {
    bad = idle();
    if (bad) return bad;
    if (s->k == K_END && !run_alive(&S.m)) return 0;
     /* the timer changed the state the burst was made for: its rules again */
    if (s->k == K_CMD && s->n > 1) trim_burst(s);
  }
  if (s->k == K_END && (S.m.timer == MT_READY || S.m.timer == MT_OLD))
  {
     /* a long run ends only after min-uptime */
    bad = idle();
    if (bad || !run_alive(&S.m)) return bad;
  }
  hadtimer = S.m.timer != MT_NONE;
  if (hadtimer) olddue = timer_due();
  spawns0 = S.m.spawns;
  begin = now_ms();
  read_events();
  S.ngot0 = S.ngot;
  switch (s->k)
  {
    case K_START:
      note("start supervise%s", S.downfile ? " (down file present)" : "");
      model_start(&S.m, S.downfile);
      write_behaviours();
      start_supervise();
      break;
    case K_CMD:
    {
      size_t i;
      note("control %s%.*s", s->n > 1 ? "burst " : "", (int)s->n, s->bytes);
      for (i = 0; i < s->n; i++) model_command(&S.m, s->bytes[i]);
      model_flush(&S.m);
      write_behaviours();
      send_control(s->bytes, s->n);
      break;
    }
    case K_END:
    {
      struct mrun const *r = beh_run(0, S.m.spawns);
      unsigned long n = S.m.spawns;
      if (r->sig) note("run %lu ends: kills itself with %s", S.m.spawns, signame_of(r->sig));
      else note("run %lu ends: exits %d", S.m.spawns, r->code);
      model_end(&S.m);
      model_flush(&S.m);
      write_behaviours();
      tell_run(n, "e\n");
      break;
    }
    case K_NOTIFY:
      note("run %lu notifies readiness", S.m.spawns);
      model_notify(&S.m);
      tell_run(S.m.spawns, "n\n");
      break;
    case K_ADOPT:
      note("kill -9 supervise, start a new one%s", S.downfile ? " (down file present)" : "");
      kill(S.sup, SIGKILL);
      while (waitpid(S.sup, 0, 0) == -1 && errno == EINTR) ;
      model_adopt(&S.m, S.downfile);
      start_supervise();
      break;
    case K_CHECKOK:
    case K_CHECKFAIL:
      note("check starts %s", s->k == K_CHECKOK ? "passing" : "failing");
      if (s->k == K_CHECKOK) put("checkok", "");
      else unlink(sp("checkok"));
      model_check(&S.m, s->k == K_CHECKOK);
      break;
    case K_DOWNFILE:
      S.downfile = !S.downfile;
      note("%s the down file", S.downfile ? "create" : "remove");
      if (S.downfile) put("down", "");
      else unlink(sp("down"));
      return 0;
    default: break;
  }
  timer_bookkeeping(begin);
  racy0 = S.racy;
  bad = settle();
  timer_settled();
  if (s->prompt && !bad && now_ms() - begin > PROMPT_MS)
  {
     /* a step marked prompt (c:d! in a directed sequence): its outcome comes at once,
        not when a timer it should have cancelled fires */
    snprintf(S.slow, sizeof S.slow, "after %llu ms", now_ms() - begin);
    bad = compare();
  }
  if (hadtimer && S.ngot > S.ngot0 && S.got_ms[S.ngot0] >= olddue - 20)
  {
    char why[200];
    snprintf(why, sizeof why, "step %u: supervise answered only when a timer armed before could fire",
      S.nsteps);
    racy(why);
  }
  spawn_race(spawns0, begin);
   /* a step marked prompt asserts that its outcome comes at once: one that had not come
      when the timer could fire is a mismatch, never merely late */
  if (s->prompt && bad && !racy0) S.racy = 0;
  return bad;
}

 /* ---- directed sequences: fixed steps, each showing one known fault ---- */


static struct directed const directed[] =
{
  { "once on a down service: run exits at once, it stays down", "down", "S", "", "start c:o idle idle" },
  { "once then term on a young run: it stays down", "", "L", "", "start c:o c:t idle idle" },
  { "once during a backoff: it runs once and stays down", "", "S S", "", "start c:o idle idle" },
  { "down with timeout-kill, run dies at once: it stays down", "kill=250", "L", "", "start idle c:d idle idle" },
  { "down with timeout-kill, a child lingers in the group: it stays down", "kill=250", "Lc", "", "start idle c:d idle idle" },
  { "down on a young run: no start after min-uptime", "", "L", "", "start c:d idle idle" },
  { "x, then finish exits 125: supervise exits", "finish", "L", "125", "start idle c:x idle" },
  { "x after finish exits 125: supervise exits", "finish", "L", "125", "start idle end c:x idle" },
  { "x while failed by max-failures: supervise exits", "maxfail=1", "S", "", "start c:x idle" },
  { "adoption keeps want up of a normally down service", "down", "L", "", "start c:u idle adopt idle" },
  { "adoption keeps a stop in progress", "", "Li", "", "start idle c:d adopt idle c:k idle" },
  { "adoption keeps want once", "", "L", "", "start idle c:o adopt end idle" },
  { "D before u on a restart (no finish)", "", "L L", "", "start idle c:k idle" },
  { "D before u on a restart (finish)", "finish", "L L", "0", "start idle c:k idle" },
  { "D before b on a failed start", "", "S L", "", "start idle idle" },
  { "a restart with notification-fd: supervise still answers", "notify", "L L", "", "start c:t notify c:d idle" },
  { "d during a backoff: it goes down at once", "backoff=2500", "S", "", "start c:d! idle" },
  { "x during a backoff: supervise exits at once", "backoff=2500", "S", "", "start c:x! idle" },
  { "readiness by min-uptime comes no sooner", "", "L", "", "start idle idle" },
  { "a stopping run is not ready", "", "Li", "", "start idle c:d c:k idle" },
  { "t to a run that ignores TERM: got TERM", "", "Li", "", "start idle c:t c:k idle" },
  { "d on a paused run: CONT after the down signal", "", "L", "", "start idle c:p c:d idle" },
  { "u on a failed service starts it", "maxfail=1", "S L", "", "start c:u idle" },
  { "signal commands go to run's pid, not to its group", "", "Lg Lg Lg L", "", "start idle c:1 idle c:h idle c:a idle c:d idle" },
  { "restart on-failure: a run that exits 0 stays down (O then D)", "restart=on-failure", "Le0", "", "start idle end idle" },
  { "restart on-failure: a run that exits 3 is restarted", "restart=on-failure finish", "Le3 L", "0", "start idle end idle" },
  { "restart on-failure, success-codes 0 3: exit 3 stays down", "restart=on-failure success=0,3", "Le3", "", "start idle end idle" },
  { "restart never: a failure after min-uptime makes it failed", "restart=never", "Le1", "", "start idle end idle" },
  { "restart never: a failure before min-uptime is a failed start", "restart=never maxfail=2", "Se1 Se1", "", "start idle idle" },
  { "restart never: a success young is no failed start", "restart=never", "Se0", "", "start idle" },
  { "restart never: a command's death is restarted", "restart=never", "L L", "", "start idle c:h idle" },
  { "check: ready only once it passes", "check", "L", "", "start idle checkok idle c:d idle" },
  { "check passing at the spawn: failures forgotten only at min-uptime", "checkok maxfail=3", "S L", "", "start idle idle" },
  { "timeout-ready: a check that never passes makes failed starts", "check tready=600 maxfail=2", "L L", "", "start idle idle idle idle idle" },
  { "check with notification-fd: the fd decides readiness", "checkok notify", "L", "", "start idle notify idle" },
  { "restart on-failure, then finish 125: a later down is by request", "restart=on-failure finish", "Le0 L", "125 0", "start idle end idle c:u idle c:d idle" },
  { "restart on-failure, exit 0, o during finish: one O, want down", "restart=on-failure finish", "Se0", "h", "start c:o idle" },
  { "a signal pending on a paused run, supervise replaced: its death is still the command's", "", "L L", "", "start c:p c:h adopt c:c idle" },
  { 0, 0, 0, 0, 0 }
};

static void directed_config (struct directed const *d)
{
  char const *p;
  unsigned long i = 1;
  memset(&S.c, 0, sizeof S.c);
  S.c.min_uptime = MODEL_MIN_UPTIME;
  S.c.max_backoff = 300;
  S.c.timeout_finish = 250;
  S.c.downsig = SIGTERM;
  S.c.success = 1UL;
  S.downfile = 0;
  S.checkok0 = 0;
  for (p = d->conf; *p; )
  {
    while (*p == ' ') p++;
    if (!strncmp(p, "down", 4) && (p[4] == ' ' || !p[4])) S.downfile = 1;
    else if (!strncmp(p, "finish", 6)) S.c.finish = 1;
    else if (!strncmp(p, "notify", 6)) S.c.notify = 1;
    else if (!strncmp(p, "kill=", 5)) S.c.timeout_kill = (unsigned int)atoi(p + 5);
    else if (!strncmp(p, "maxfail=", 8)) S.c.max_failures = (unsigned int)atoi(p + 8);
    else if (!strncmp(p, "backoff=", 8)) S.c.max_backoff = (unsigned int)atoi(p + 8);
    else if (!strncmp(p, "downsig=HUP", 11)) S.c.downsig = SIGHUP;
    else if (!strncmp(p, "restart=never", 13)) S.c.restart = MR_NEVER;
    else if (!strncmp(p, "restart=on-failure", 18)) S.c.restart = MR_ON_FAILURE;
    else if (!strncmp(p, "success=", 8))
    {
      char const *q = p + 8;
      S.c.success = 0;
      while (*q >= '0' && *q <= '9') { S.c.success |= 1UL << atoi(q); while (*q >= '0' && *q <= '9') q++; if (*q == ',') q++; }
    }
    else if (!strncmp(p, "checkok", 7)) S.c.check = 1, S.checkok0 = 1;
    else if (!strncmp(p, "check", 5)) S.c.check = 1;
    else if (!strncmp(p, "tready=", 7)) S.c.timeout_ready = (unsigned int)atoi(p + 7);
    while (*p && *p != ' ') p++;
  }
  for (i = 1; i <= MAXBEH; i++)
  {
    S.runs[i] = (struct mrun){ 1, 0, 0, 0, 0, 0 };
    S.fins[i] = (struct mfinish){ 0, 0 };
  }
  for (p = d->runs, i = 1; *p && i <= MAXBEH; i++)
  {
    while (*p == ' ') p++;
    S.runs[i].islong = *p++ == 'L';
    while (*p && *p != ' ')
    {
      char f = *p++;
      if (f == 'i') S.runs[i].ignores = 1;
      else if (f == 'c') S.runs[i].child = 1;
      else if (f == 'g') S.runs[i].watch = 1;
      else if (f == 'k') S.runs[i].sig = SIGKILL;
      else if (f == 'e') { S.runs[i].code = atoi(p); while (*p >= '0' && *p <= '9') p++; }
    }
  }
  for (p = d->fins, i = 1; *p && i <= MAXBEH; i++)
  {
    while (*p == ' ') p++;
    if (*p == 'h') S.fins[i].hangs = 1, p++;
    else { S.fins[i].code = atoi(p); while (*p >= '0' && *p <= '9') p++; }
  }
}

 /* the next step of a directed sequence; 0 at its end */
static int directed_step (char const **pp, struct step *s)
{
  char const *p = *pp;
  size_t n;
  memset(s, 0, sizeof *s);
  while (*p == ' ') p++;
  if (!*p) return 0;
  for (n = 0; p[n] && p[n] != ' '; n++) ;
  if (!strncmp(p, "start", n)) s->k = K_START;
  else if (!strncmp(p, "idle", n)) s->k = K_IDLE;
  else if (!strncmp(p, "end", n)) s->k = K_END;
  else if (!strncmp(p, "notify", n)) s->k = K_NOTIFY;
  else if (!strncmp(p, "adopt", n)) s->k = K_ADOPT;
  else if (!strncmp(p, "downfile", n)) s->k = K_DOWNFILE;
  else if (!strncmp(p, "checkok", n)) s->k = K_CHECKOK;
  else if (!strncmp(p, "checkfail", n)) s->k = K_CHECKFAIL;
  else if (!strncmp(p, "c:", 2))
  {
    s->k = K_CMD;
    if (p[n - 1] == '!') s->prompt = 1;
    s->n = n - 2 - s->prompt < sizeof s->bytes ? n - 2 - s->prompt : sizeof s->bytes;
    memcpy(s->bytes, p + 2, s->n);
  }
  *pp = p + n;
  return 1;
}

static int run_sequence (unsigned long long seed, struct directed const *d, unsigned int nsteps, int verbose, FILE *out)
{
  char const *dsteps = d ? d->steps : 0;
  unsigned int i;
  unsigned int bad = 0;
  char const *base = getenv("TMPDIR");
  memset(&S.c, 0, sizeof S.c);
  S.seed = seed;
  S.directed = d;
  S.verbose = verbose;
  rnd_state = seed * 0x9E3779B97F4A7C15ULL + 1;
  S.steps.len = 0;
  S.nsteps = 0;
  S.ngot = 0;
  S.got[0] = 0;
  S.racy = 0;
  S.early[0] = S.slow[0] = 0;
  S.nruns_written = S.nfins_written = 0;
  S.arms_seen = 0;
  S.backoff_seen = 0;
  S.sup = 0;
  S.supstatus = -1;
  if (d) directed_config(d);
  else gen_config();
  S.m.run = &beh_run;
  S.m.fin = &beh_fin;
  S.m.arg = 0;
  model_init(&S.m, &S.c);
  snprintf(S.dir, sizeof S.dir, "%s/svtree-model.XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(S.dir)) die("mkdtemp");
  write_service();
  for (i = 0; i < nsteps; i++)
  {
    struct step s;
    if (!d) gen(&s);
    else if (!directed_step(&dsteps, &s)) break;
    bad = s.k == K_IDLE ? idle() : instant(&s);
    if (bad) break;
  }
  if (!bad)
  {
     /* the end: watch a last while */
    if (S.m.timer == MT_NONE) bad = idle();
    else bad = settle();
  }
  if (bad)
  {
     /* one write, so that the reports of workers running side by side do not mix */
    char *buf = 0;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f)
    {
      report(f, S.racy ? "INCONCLUSIVE (timing, see below)" : "MISMATCH");
      fclose(f);
      fflush(out);
      if (write(fileno(out), buf, len) < 0) { }
      free(buf);
    }
  }
  if (bad && getenv("T_MODEL_HOLD"))
  {
     /* debugging: look at the service dir before it goes */
    printf("model: holding %s for %s s\n", S.dir, getenv("T_MODEL_HOLD"));
    fflush(stdout);
    sleep((unsigned int)atoi(getenv("T_MODEL_HOLD")));
  }
  fifodir_unsubscribe(S.evfd, S.evname.s);
  t_killall();
  if (chdir("/") == 0) rm_rf(S.dir);
  return !bad ? 0 : S.racy ? 2 : 1;
}

static unsigned long long envnum (char const *name, unsigned long long dflt)
{
  char const *s = getenv(name);
  return s && *s ? strtoull(s, 0, 10) : dflt;
}

static void onpipe (int sig)
{
  (void)sig;
}

 /* one worker: sequences seed0 + k*stride for k = 0, 1, ... */
static void worker (unsigned long long seed0, unsigned int stride, unsigned long long nseq,
  unsigned int nsteps, unsigned long long until, int fd)
{
  unsigned long long k, results[4] = { 0, 0, 0, 0 };
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  for (k = 0; until ? now_ms() < until : k < nseq; k++)
  {
    int r = run_sequence(seed0 + k * stride, 0, nsteps, 0, stdout);
    results[0]++;
    results[1] += S.nsteps;
    if (r == 1) results[2]++;
    if (r == 2) results[3]++;
    if (results[2] && getenv("T_MODEL_FAILFAST")) break;
  }
  if (write(fd, results, sizeof results) != sizeof results) _exit(111);
  _exit(0);
}

int main (void)
{
  unsigned long long seed = envnum("T_SEED", 0);
  unsigned int nsteps = (unsigned int)envnum("T_MODEL_STEPS", MODEL_STEPS);
  unsigned long long nseq = envnum("T_MODEL_SEQS", MODEL_SEQS);
  unsigned int jobs = (unsigned int)envnum("T_MODEL_JOBS", MODEL_JOBS);
  unsigned long long soak = envnum("SOAK_S", 0);
  unsigned long long total[4] = { 0, 0, 0, 0 }, start = now_ms();
  unsigned int j;
  struct rlimit rl = { 0, 0 };
  setrlimit(RLIMIT_CORE, &rl);
  signal(SIGPIPE, &onpipe);
  if (nsteps > MAXSTEPS) nsteps = MAXSTEPS;
  if (getenv("T_SEED"))
  {
    int r;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    printf("model: replaying seed %llu, %u steps\n", seed, nsteps);
    r = run_sequence(seed, 0, nsteps, 1, stdout);
    if (!r) printf("model: seed %llu: %u steps, no mismatch\n", seed, S.nsteps);
    return r == 1;
  }
  if (getenv("T_DIRECTED"))
  {
    unsigned long long n = envnum("T_DIRECTED", 0);
    int r;
    unsigned int k;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    for (k = 0; directed[k].name; k++) ;
    if (n >= k) { fprintf(stderr, "model: no directed sequence %llu (0 to %u)\n", n, k - 1); return 100; }
    printf("model: directed sequence %llu: %s\n", n, directed[n].name);
    r = run_sequence(n, &directed[n], MAXSTEPS, 1, stdout);
    if (!r) printf("model: directed sequence %llu: %u steps, no mismatch\n", n, S.nsteps);
    return r == 1;
  }
  seed = ((unsigned long long)time(0) * 1000003ULL ^ (unsigned long long)getpid()) % 1000000000ULL;
  if (!jobs) jobs = 1;
  if (soak) printf("model: sequences of %u steps for %llu s from seed %llu, %u at a time\n", nsteps, soak, seed, jobs);
  else printf("model: %llu sequences of %u steps from seed %llu, %u at a time\n", nseq, nsteps, seed, jobs);
  fflush(stdout);
  {
    int fds[64][2];
    pid_t pids[64], dpids[2] = { 0, 0 };
    if (jobs > 64) jobs = 64;
    if (!soak)
    {
       /* the directed sequences, beside the random ones, in two workers (every other one) */
      unsigned int w;
      for (w = 0; w < 2; w++)
      {
        dpids[w] = fork();
        if (dpids[w] == -1) die("fork");
        if (!dpids[w])
        {
          unsigned int k, n = 0;
          int bad = 0;
          prctl(PR_SET_CHILD_SUBREAPER, 1);
          for (k = w; k < sizeof directed / sizeof directed[0] - 1; k += 2, n++)
          {
            if (run_sequence(k, &directed[k], MAXSTEPS, 0, stdout) == 1) bad++;
            if (bad && getenv("T_MODEL_FAILFAST")) break;
          }
          printf("model: %u directed sequences (%s ones), %d mismatches\n", n, w ? "odd" : "even", bad);
          fflush(stdout);
          _exit(bad ? 1 : 0);
        }
      }
    }
    for (j = 0; j < jobs; j++)
    {
      unsigned long long mine = nseq / jobs + (j < nseq % jobs);
      if (pipe(fds[j]) == -1) die("pipe");
      pids[j] = fork();
      if (pids[j] == -1) die("fork");
      if (!pids[j])
      {
        close(fds[j][0]);
        worker(seed + j, jobs, mine, nsteps, soak ? start + soak * 1000 : 0, fds[j][1]);
      }
      close(fds[j][1]);
    }
    for (j = 0; j < jobs; j++)
    {
      unsigned long long r[4];
      if (read(fds[j][0], r, sizeof r) == sizeof r)
      {
        unsigned int i;
        for (i = 0; i < 4; i++) total[i] += r[i];
      }
      else total[2]++;  /* a worker that died is a failure */
      close(fds[j][0]);
      waitpid(pids[j], 0, 0);
    }
    for (j = 0; j < 2; j++)
      if (dpids[j])
      {
        int w;
        while (waitpid(dpids[j], &w, 0) == -1 && errno == EINTR) ;
        if (!WIFEXITED(w) || WEXITSTATUS(w)) total[2]++;
      }
  }
  printf("model: %llu sequences, %llu steps, %llu mismatches (%llu inconclusive for timing) in %llu s\n",
    total[0], total[1], total[2], total[3], (now_ms() - start + 500) / 1000);
  return total[2] ? 1 : 0;
}
