/* SPDX-License-Identifier: ISC */
/* t/model/model.c: see model.h. Written from SPEC 2-4; where SPEC is silent the choice
   is said in a comment starting "SPEC is silent". */

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

static struct { int sig; char const *name; } const signames[] =
{
  { SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGKILL, "KILL" },
  { SIGUSR1, "USR1" }, { SIGUSR2, "USR2" }, { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" },
  { SIGTERM, "TERM" }, { SIGSTOP, "STOP" }, { SIGCONT, "CONT" }, { 0, 0 }
};

static char const *signame (int sig)
{
  unsigned int i;
  for (i = 0; signames[i].name; i++) if (signames[i].sig == sig) return signames[i].name;
  return "?";
}

char const *model_state_name (unsigned char s)
{
  static char const *const n[6] = { "down", "up", "finishing", "backoff", "stopping", "failed" };
  return s < 6 ? n[s] : "?";
}

char const *model_want_name (unsigned char w)
{
  static char const *const n[4] = { "up", "down", "once", "exit" };
  return w < 4 ? n[w] : "?";
}

char const *model_timer_name (unsigned char t)
{
  static char const *const n[7] = { "none", "min-uptime (ready)", "min-uptime", "backoff", "timeout-kill", "timeout-finish", "timeout-ready" };
  return t < 7 ? n[t] : "?";
}

int model_cmdsig (char c)
{
  switch (c)
  {
    case 'p': return SIGSTOP;
    case 'c': return SIGCONT;
    case 'h': return SIGHUP;
    case 'a': return SIGALRM;
    case 'i': return SIGINT;
    case 'q': return SIGQUIT;
    case '1': return SIGUSR1;
    case '2': return SIGUSR2;
    case 't': return SIGTERM;
    case 'k': return SIGKILL;
    default: return 0;
  }
}

 /* SPEC 2 max-backoff: 1 s, 2 s, 4 s ... up to max */
unsigned int model_backoff (unsigned long n, unsigned int max)
{
  unsigned long long d = 1000;
  if (!n) return 0;
  while (--n && d < max) d *= 2;
  return d < max ? (unsigned int)d : max;
}

char const *model_exit_str (struct mexit const *x, char *buf)
{
  size_t n = 0;
  unsigned int i;
  if (!x->known) return "";
  if (x->code >= 0) { snprintf(buf, 64, "exit %d", x->code); return buf; }
  n = (size_t)snprintf(buf, 64, "signal ");
  for (i = 1; i < 32; i++)
    if (x->sigs & (1UL << i))
      n += (size_t)snprintf(buf + n, 64 - n, "%s%s", buf[n - 1] == ' ' ? "" : "|", signame((int)i));
  return buf;
}

static void settimer (struct model *m, unsigned char t, unsigned int ms)
{
  m->timer = t;
  m->timer_ms = ms;
  m->arms++;
}

static void ev (struct model *m, char c)
{
  if (m->nev < sizeof m->ev - 1) m->ev[m->nev++] = c;
  m->ev[m->nev] = 0;
}

static void line (struct model *m, char const *s)
{
  size_t n = strlen(s);
  if (m->nlines + n + 2 > sizeof m->lines) return;
  memcpy(m->lines + m->nlines, s, n);
  m->nlines += n;
  m->lines[m->nlines++] = '\n';
  m->lines[m->nlines] = 0;
}

void model_init (struct model *m, struct mconf const *c)
{
  struct mrun const *(*r) (void *, unsigned long) = m->run;
  struct mfinish const *(*f) (void *, unsigned long) = m->fin;
  void *arg = m->arg;
  memset(m, 0, sizeof *m);
  m->run = r;
  m->fin = f;
  m->arg = arg;
  m->c = *c;
  m->want = MW_DOWN;
  m->normally_up = 1;
}

 /* ---- run ---- */

static int usecheck (struct model const *m)
{
  return m->c.check && !m->c.notify;
}

static void ready (struct model *m)
{
  m->ready = 1;
   /* SPEC 2 max-backoff: a start that reaches ready resets it; SPEC 4a: with check,
      min-uptime still decides what a failed start is: forgotten only then */
  if (!usecheck(m) || !m->young) m->failures = 0;
  if (m->timer == MT_TREADY) m->timer = MT_NONE;
  ev(m, 'U');
  line(m, "ready");
}

static void spawn (struct model *m)
{
  struct mrun const *r;
  m->spawns++;
   /* SPEC 3 restarts: respawns since supervise started; the first start is not counted */
  if (m->started) m->restarts++;
  m->started = 1;
  m->state = MS_UP;
  m->ready = m->paused = m->termsent = 0;
  m->cmdsig = m->stopped = m->notified = m->adopted = 0;
  m->pending = 0;
  m->young = 1;
  m->failedstart = m->finishfailed = m->readyfail = 0;
  m->downwhy = 0;
  ev(m, 'u');
  line(m, "spawned");
   /* SPEC 2 min-uptime: without notification-fd (and without check) ready once up this
      long; with it (or with check: SPEC 4a), min-uptime only judges what a failed start is */
  settimer(m, m->c.notify || usecheck(m) ? MT_OLD : MT_READY, m->c.min_uptime);
  r = (*m->run)(m->arg, m->spawns);
   /* SPEC 4a: check runs at once after the spawn, then again until it passes: a long run
      whose check passes is ready (for the model: once the step is over, long before
      min-uptime; model_flush) */
  m->checkdue = usecheck(m) && r->islong;
  if (!r->islong)
  {
    m->dying = 1;
    m->dies.known = 1;
    m->dies.code = r->sig ? -1 : r->code;
    m->dies.sigs = r->sig ? 1UL << r->sig : 0;
  }
}

static void become_failed (struct model *m)
{
   /* SPEC 3 want: down once failed, unless it was exit: an x is never forgotten */
  if (m->want != MW_EXIT) m->want = MW_DOWN;
  m->state = MS_FAILED;
  m->timer = MT_NONE;
  m->downwhy = 0;
   /* SPEC 3 events: O (will not be restarted: failed) before D */
  ev(m, 'O');
  ev(m, 'D');
  line(m, "failed");
}

static void become_down (struct model *m)
{
  if (m->downwhy)
  {
     /* SPEC 2 restart: not restarting: O then D */
    char buf[96];
    snprintf(buf, sizeof buf, "down: %s", m->downwhy);
    ev(m, 'O');
    line(m, buf);
    m->downwhy = 0;
    if (m->want == MW_ONCE) m->want = MW_DOWN;  /* an o during finish: it ran once, one O */
  }
  else if (m->want == MW_ONCE)
  {
    m->want = MW_DOWN;
    ev(m, 'O');
    line(m, "down: ran once");
  }
  else line(m, "down: by request");
  m->state = MS_DOWN;
  m->timer = MT_NONE;
  ev(m, 'D');
}

 /* run and finish are over: SPEC 4: restart at once if it had been up min-uptime, else
    back off; finish 125 or max-failures: failed; a restart policy's failure: failed; its
    success: down (died() set want down) */
static void after_death (struct model *m)
{
  if (m->finishfailed) { become_failed(m); return; }
  if (m->policyfail && m->want == MW_UP) { become_failed(m); return; }
  if (m->failedstart && m->c.max_failures && m->failures >= m->c.max_failures) { become_failed(m); return; }
  if (m->want != MW_UP) { become_down(m); return; }
   /* SPEC 3: D after every death, also before a restart */
  ev(m, 'D');
  if (m->failedstart)
  {
    m->backoff_ms = model_backoff(m->failures, m->c.max_backoff);
    m->state = MS_BACKOFF;
    settimer(m, MT_BACKOFF, m->backoff_ms);
    ev(m, 'b');
    return;
  }
  spawn(m);
}

static void finished (struct model *m, int code)
{
  m->finishdue = 0;
  m->timer = MT_NONE;
   /* SPEC 2: finish exiting 125 marks the service failed */
  if (code == 125) m->finishfailed = 1;
  after_death(m);
}

static void died (struct model *m)
{
  char buf[128], x[64];
  struct mexit d = m->dies;
  m->dying = 0;
  if (m->adopted) d.known = 0;
  m->has_exit = d.known;
  m->last = d;
   /* SPEC 2 min-uptime and SPEC 3: a run that dies sooner than min-uptime, not because of
      a command, is a failed start (a death while want is not up is never one: nothing
      will be started again; SPEC is silent, runit's once does not count it) */
  m->failedstart = m->want == MW_UP && !m->cmdsig && m->young && (!m->ready || usecheck(m));
   /* SPEC 2 timeout-ready: stopped for not being ready, a failed start */
  if (m->readyfail && m->want == MW_UP) m->failedstart = 1;
   /* SPEC 2 restart: a death the service caused itself is a success (an exit code in
      success-codes) or a failure (any other code, a signal nobody sent, or a status that
      cannot be known: an adopted run). on-failure and never: a success is not restarted
      (at any uptime: no failed start); never: a failure after min-uptime makes it failed */
  m->policystop = m->policyfail = 0;
  if (m->want == MW_UP && !m->cmdsig && !m->readyfail && m->c.restart != MR_ALWAYS)
  {
    if (d.known && d.code >= 0 && d.code < 32 && (m->c.success >> d.code & 1))
    {
      m->policystop = 1;
      m->failedstart = 0;
    }
    else if (m->c.restart == MR_NEVER && !m->failedstart) m->policyfail = 1;
  }
  if (m->failedstart) m->failures++;
   /* the plan the line gives: SPEC 4's "restarting", "failed start 3, retrying in 4 s",
      SPEC 2's "not restarting (restart on-failure)"; other plans (wanted down) are not
      checked */
  if (m->failedstart) snprintf(x, sizeof x, "failed start %lu", m->failures);
  else if (m->policystop || m->policyfail)
  {
    char const *w = m->c.restart == MR_NEVER ? "never" : "on-failure";
    snprintf(x, sizeof x, "%s (restart %s)", m->policystop ? "not restarting" : "failed", w);
    if (m->policystop)
    {
      m->want = MW_DOWN;
      m->downwhy = m->c.restart == MR_NEVER ? "not restarting (restart never)" : "not restarting (restart on-failure)";
    }
  }
  else if (m->want == MW_UP) snprintf(x, sizeof x, "restarting");
  else snprintf(x, sizeof x, "*");
  if (!d.known) snprintf(buf, sizeof buf, "exited ?; %s", x);
  else if (d.code >= 0) snprintf(buf, sizeof buf, "exited %d; %s", d.code, x);
  else
  {
    unsigned int i, n = 0, s = 0;
    for (i = 1; i < 32; i++) if (d.sigs & (1UL << i)) n++, s = i;
    snprintf(buf, sizeof buf, "killed %s; %s", n == 1 ? signame((int)s) : "?", x);
  }
  line(m, buf);
  m->ready = m->paused = m->termsent = m->young = m->stopped = 0;
  m->pending = 0;
  m->timer = MT_NONE;
  ev(m, 'd');
  if (m->c.finish)
  {
    struct mfinish const *f;
    size_t n;
    m->finishes++;
     /* SPEC 2: finish gets run's exit code or -1 if killed, and the signal or 0.
        SPEC is silent on an adopted run (its status cannot be known): -1 0 */
    if (!d.known) n = (size_t)snprintf(buf, sizeof buf, "%lu -1 0\n", m->finishes);
    else if (d.code >= 0) n = (size_t)snprintf(buf, sizeof buf, "%lu %d 0\n", m->finishes, d.code);
    else
    {
      unsigned int i, k = 0, s = 0;
      for (i = 1; i < 32; i++) if (d.sigs & (1UL << i)) k++, s = i;
      if (k == 1) n = (size_t)snprintf(buf, sizeof buf, "%lu -1 %u\n", m->finishes, s);
      else n = (size_t)snprintf(buf, sizeof buf, "%lu -1 ?\n", m->finishes);
    }
    if (m->nfinlog + n < sizeof m->finlog)
    {
      memcpy(m->finlog + m->nfinlog, buf, n + 1);
      m->nfinlog += n;
    }
    f = (*m->fin)(m->arg, m->finishes);
    m->state = MS_FINISHING;
    if (f->hangs)
      settimer(m, MT_FINISH, m->c.timeout_finish);
    else { m->finishdue = 1; m->finishcode = f->code; }
    return;
  }
  after_death(m);
}

 /* a signal to the run's pid (group: to its process group, for the stop) */
static void deliver (struct model *m, int sig)
{
  struct mrun const *r = (*m->run)(m->arg, m->spawns);
  if (m->dying && m->dies.sigs && sig != SIGKILL && sig != SIGSTOP && sig != SIGCONT)
  {
     /* already hit by a signal not yet acted on: either may be the one it dies of */
    if (!(r->ignores && sig == m->c.downsig)) m->dies.sigs |= 1UL << sig;
    return;
  }
  if (m->dying && m->dies.code >= 0) return;  /* exiting by itself: too late */
  switch (sig)
  {
    case SIGSTOP: m->stopped = 1; return;
    case SIGKILL:
      m->dying = 1;
      m->dies.known = 1; m->dies.code = -1; m->dies.sigs = 1UL << SIGKILL;
      return;
    case SIGCONT:
      if (!m->stopped) return;
      m->stopped = 0;
      if (m->pending)
      {
         /* the signals pending are delivered together: the lowest-numbered first, but
            sh catches some (INT) and dies of the next: any of them */
        m->dying = 1;
        m->dies.known = 1; m->dies.code = -1; m->dies.sigs = m->pending;
        m->pending = 0;
      }
      return;
    default:
      if (r->ignores && sig == m->c.downsig) return;
      if (m->stopped) { m->pending |= 1UL << sig; return; }
      m->dying = 1;
      m->dies.known = 1; m->dies.code = -1; m->dies.sigs = 1UL << sig;
      return;
  }
}

 /* SPEC 3: stopping (d, x) sends the down signal, then CONT, to run's process group */
static void stop (struct model *m)
{
  m->cmdsig = 1;
  m->ready = 0;     /* SPEC 3: ready is only ever 1 while up */
  m->termsent = 1;  /* SPEC is silent on a down-signal other than TERM: "got TERM" means the stop's signal was sent */
  m->state = MS_STOPPING;
  deliver(m, m->c.downsig);
  deliver(m, SIGCONT);
   /* SPEC 2 timeout-kill: if run is still alive this long */
  if (!m->dying && m->c.timeout_kill) settimer(m, MT_KILL, m->c.timeout_kill);
  else m->timer = MT_NONE;
}

static void start_by_request (struct model *m)
{
   /* SPEC 2 max-failures: failed stays down until svctl up; the count starts again.
      SPEC is silent on u during a backoff: it starts at once, as from down, counting anew */
  m->failures = 0;
  m->timer = MT_NONE;
  spawn(m);
}

void model_command (struct model *m, char c)
{
  int sig;
  if (!m->running) return;
  switch (c)
  {
    case 'u':
    case 'o':
      m->want = c == 'u' ? MW_UP : MW_ONCE;
      if (m->state == MS_DOWN || m->state == MS_FAILED || m->state == MS_BACKOFF) start_by_request(m);
      return;
    case 'd':
    case 'x':
      m->want = c == 'd' ? MW_DOWN : MW_EXIT;
      if (m->state == MS_UP) stop(m);
      else if (m->state == MS_BACKOFF) become_down(m);
      return;
    default: break;
  }
  sig = model_cmdsig(c);
  if (!sig) return;
   /* SPEC 3: p/c are STOP/CONT; paused is their flag (SPEC is silent outside up: runsv
      sets it whatever the state); a spawn and a death clear it */
  if (c == 'p') m->paused = 1;
  if (c == 'c') m->paused = 0;
  if (m->state != MS_UP && m->state != MS_STOPPING) return;
  if (c == 't') m->termsent = 1;
  if (sig != SIGSTOP && sig != SIGCONT) m->cmdsig = 1;
  deliver(m, sig);
}

void model_notify (struct model *m)
{
  m->notified = 1;
  if (m->state != MS_UP || m->ready) return;
  ready(m);
}

void model_check (struct model *m, int ok)
{
  m->checkok = !!ok;
   /* the next try passes (a long run is alive at every step) */
  if (ok && usecheck(m) && m->state == MS_UP && !m->ready) ready(m);
}

void model_end (struct model *m)
{
  struct mrun const *r = (*m->run)(m->arg, m->spawns);
  if (m->state != MS_UP && m->state != MS_STOPPING) return;
  m->dying = 1;
  m->dies.known = 1;
  m->dies.code = r->sig ? -1 : r->code;
  m->dies.sigs = r->sig ? 1UL << r->sig : 0;
}

void model_timer (struct model *m)
{
  unsigned char t = m->timer;
  m->timer = MT_NONE;
  switch (t)
  {
    case MT_READY:
      m->young = 0;
      if (!m->ready) model_notify(m);
      m->notified = 0;
      break;
    case MT_OLD:
      m->young = 0;
      if (m->ready) m->failures = 0;  /* with check, forgotten now (ready() kept them) */
       /* SPEC 2 timeout-ready, counted from the spawn; SPEC is silent on an adopted run:
          supervise does not arm it again */
      else if (m->c.timeout_ready > m->c.min_uptime && m->state == MS_UP && !m->adopted)
        settimer(m, MT_TREADY, m->c.timeout_ready - m->c.min_uptime);
      break;
    case MT_TREADY:
       /* not ready this long after the spawn: stopped as by down, a failed start */
      if (m->state == MS_UP && !m->ready)
      {
        stop(m);
        m->readyfail = 1;
      }
      break;
    case MT_BACKOFF: spawn(m); break;
    case MT_KILL:
       /* the whole group gets KILL */
      m->dying = 1;
      m->dies.known = 1; m->dies.code = -1; m->dies.sigs = 1UL << SIGKILL;
      break;
    case MT_FINISH: finished(m, -1); break;
    default: break;
  }
  model_flush(m);
}

void model_flush (struct model *m)
{
  for (;;)
  {
    if (m->dying && (m->state == MS_UP || m->state == MS_STOPPING)) { died(m); continue; }
    if (m->finishdue && m->state == MS_FINISHING) { finished(m, m->finishcode); continue; }
    break;
  }
   /* the first check of a run spawned in this step has its answer. Not before: supervise
      reads the bytes of a burst in one go, so a run that the same burst stopped was never
      checked (no U) */
  if (m->checkdue)
  {
    m->checkdue = 0;
    if (m->checkok && m->state == MS_UP && !m->ready) ready(m);
  }
   /* SPEC 3/4: on x, supervise exits once the service is down */
  if (m->running && m->want == MW_EXIT && (m->state == MS_DOWN || m->state == MS_FAILED))
  {
    m->running = 0;
    ev(m, 'x');
    line(m, "exit");
  }
}

void model_start (struct model *m, int downfile)
{
  m->running = 1;
  m->started = 0;
  m->state = MS_DOWN;
  m->normally_up = !downfile;
  m->want = downfile ? MW_DOWN : MW_UP;
  m->restarts = m->failures = 0;
  m->ready = m->paused = m->termsent = 0;
  m->has_exit = 0;
  m->timer = MT_NONE;
  ev(m, 's');
  if (m->want == MW_UP) spawn(m);
  model_flush(m);
}

 /* SPEC 4: a new supervise adopts the run a killed one left, and takes from the old state
    file what was asked of it: want (SPEC 3: an x is never forgotten), paused, whether a
    command signalled the run (cmdsig, the key signalled: SPEC 3, a death caused by a
    command is never a failed start, also when the signal was pending on a paused run
    and delivered by a c to the new supervise), and a stop in progress. SPEC is silent on the counters: they are the new supervise's own, as
    restarts is (respawns since supervise started): failures 0, last_exit empty; and on
    TERM sent (status byte 18): set only for a stop in progress */
void model_adopt (struct model *m, int downfile)
{
  m->running = 1;
  m->normally_up = !downfile;
  m->restarts = 0;
  m->failures = 0;
  m->has_exit = 0;
   /* "got TERM" is the new supervise's too: set by the stop it takes over, not by a t
      the old one sent */
  m->termsent = m->state == MS_STOPPING;
  m->started = 1;
  m->adopted = 1;
  if (m->timer == MT_TREADY) m->timer = MT_NONE;
  ev(m, 's');
   /* SPEC 4a: the new supervise checks an adopted run that is not ready yet */
  if (usecheck(m) && m->checkok && m->state == MS_UP && !m->ready) ready(m);
  model_flush(m);
}

char model_status_state (struct model const *m)
{
  switch (m->state)
  {
    case MS_UP: case MS_STOPPING: return 1;
    case MS_FINISHING: return 2;
    default: return 0;
  }
}

char model_status_want (struct model const *m)
{
  return m->want == MW_UP ? 'u' : 'd';
}

 /* SPEC 3 stat: run|down|finish, then ", paused", then ", got TERM", then (when not down)
    ", want down" or ", want exit", and a newline */
size_t model_stat (struct model const *m, char *s)
{
  char st = model_status_state(m);
  size_t n = (size_t)sprintf(s, "%s", st == 1 ? "run" : st == 2 ? "finish" : "down");
  if (m->paused) n += (size_t)sprintf(s + n, ", paused");
  if (m->termsent) n += (size_t)sprintf(s + n, ", got TERM");
  if (st)
  {
    if (m->want == MW_EXIT) n += (size_t)sprintf(s + n, ", want exit");
    else if (m->want != MW_UP) n += (size_t)sprintf(s + n, ", want down");
  }
  s[n++] = '\n';
  s[n] = 0;
  return n;
}
