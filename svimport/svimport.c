/* SPDX-License-Identifier: ISC */
/* svimport/svimport.c: a supervisord configuration becomes service directories (SPEC 9).
   Read (lib/svimp: ini, includes), plan one proc per process (the rules of supervisord 4's
   options.py), then write (svimport-write.c). */

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <skalibs/sgetopt.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>

#include "svimp.h"
#include "svimport.h"

#define USAGE "svimport [-n] [-f] CONF DIR"

static svimp_ini ini = SVIMP_INI_ZERO;
static char **files;            /* file names by index */
static unsigned int nfiles;
static char *here;              /* the main file's directory */
static char host[256];
static char cwd[PATH_MAX];
static stralloc senv = STRALLOC_ZERO;   /* [supervisord] environment */
static size_t nsenv;
static int errors;

static void die_nomem (void)
{
  strerr_diefu1sys(111, "allocate memory");
}

static void say (char const *kind, unsigned int file, unsigned int line, char const *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "%s: %s: %s:%u: ", PROG, kind, files[file], line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}
#define WARN(kv, ...) say("warning", (kv)->file, (kv)->line, __VA_ARGS__)

/* a printable, one-line version of a value for messages */
static char const *show (char const *s)
{
  static char buf[4][200];
  static unsigned int ring;
  char *b = buf[ring++ & 3];
  size_t i = 0;
  for (; *s && i < sizeof buf[0] - 4; s++)
  {
    unsigned char c = *s;
    if (c == SVIMP_REF || c == SVIMP_QREF) { memcpy(b + i, "${", 2); i += 2; }
    else if (c == SVIMP_REFEND) b[i++] = '}';
    else if (c == '\n') { memcpy(b + i, "\\n", 2); i += 2; }
    else if (c < 0x20) b[i++] = '?';
    else b[i++] = c;
  }
  if (*s) { memcpy(b + i, "...", 3); i += 3; }
  b[i] = 0;
  return b;
}

static char const *envget (stralloc const *sa, size_t n, char const *key)
{
  size_t i, pos = 0;
  for (i = 0; i < n; i++)
  {
    char const *k = sa->s + pos;
    char const *v = k + strlen(k) + 1;
    if (!strcmp(k, key)) return v;
    pos = v + strlen(v) + 1 - sa->s;
  }
  return 0;
}

static int envset (stralloc *sa, size_t *n, char const *key, char const *val)
{
  size_t i, pos = 0;
  stralloc out = STRALLOC_ZERO;
  int done = 0;
  for (i = 0; i < *n; i++)
  {
    char const *k = sa->s + pos;
    char const *v = k + strlen(k) + 1;
    if (!stralloc_cats(&out, k) || !stralloc_0(&out)) return 0;
    if (!strcmp(k, key)) { if (!stralloc_cats(&out, val) || !stralloc_0(&out)) return 0; done = 1; }
    else if (!stralloc_cats(&out, v) || !stralloc_0(&out)) return 0;
    pos = v + strlen(v) + 1 - sa->s;
  }
  if (!done)
  {
    if (!stralloc_cats(&out, key) || !stralloc_0(&out) || !stralloc_cats(&out, val) || !stralloc_0(&out)) return 0;
    ++*n;
  }
  stralloc_free(sa);
  *sa = out;
  return 1;
}

static int readfile (char const *fn, stralloc *sa);

/* the user in /etc/passwd, by name or number (getpwnam would load NSS modules into a
   static program): 1 found, 0 not */
static int passwd_has (char const *user, long long *uidp)
{
  stralloc pw = STRALLOC_ZERO;
  char *line, *nl;
  long long uid = -1;
  int found = 0;
  if (!svimp_int(user, &uid)) uid = -1;
  *uidp = -1;
  if (!readfile("/etc/passwd", &pw) || !stralloc_0(&pw)) { stralloc_free(&pw); return 1; }
  for (line = pw.s; !found && line && *line; line = nl ? nl + 1 : 0)
  {
    char *c1, *c2, *c3;
    nl = strchr(line, '\n');
    if (nl) *nl = 0;
    c1 = strchr(line, ':');
    if (!c1) continue;
    *c1 = 0;
    c2 = strchr(c1 + 1, ':');
    if (!c2) continue;
    c3 = strchr(c2 + 1, ':');
    if (c3) *c3 = 0;
    if (!strcmp(line, user) || (uid >= 0 && strtoll(c2 + 1, 0, 10) == uid))
    {
      found = 1;
      *uidp = strtoll(c2 + 1, 0, 10);
    }
  }
  stralloc_free(&pw);
  return found;
}

static int shellname (char const *s)
{
  if (!*s || (*s >= '0' && *s <= '9')) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
  return 1;
}

/* the names a value may use, as in options.py */
typedef struct ctx_s ctx;
struct ctx_s
{
  char const *program_name, *group_name;
  int have_num;
  long long process_num, numprocs;
  stralloc const *penv;         /* the program's environment, when known */
  size_t npenv;
  int defer;                    /* %(ENV_X)s stays a reference, resolved when run starts */
  char const *used;             /* the first ENV_ name resolved now */
  char usedbuf[128];
};

static int lookup (char const *name, void *vc, char const **str, long long *num)
{
  ctx *c = vc;
  if (!strcmp(name, "here")) { *str = here; return 1; }
  if (!strcmp(name, "host_node_name")) { *str = host; return 1; }
  if (c->program_name && !strcmp(name, "program_name")) { *str = c->program_name; return 1; }
  if (c->group_name && !strcmp(name, "group_name")) { *str = c->group_name; return 1; }
  if (c->have_num && !strcmp(name, "process_num")) { *num = c->process_num; return 2; }
  if (c->have_num && !strcmp(name, "numprocs")) { *num = c->numprocs; return 2; }
  if (!strncmp(name, "ENV_", 4))
  {
    char const *x = name + 4, *v = 0;
    if (c->defer && shellname(x)) return 3;
    if (c->penv) v = envget(c->penv, c->npenv, x);
    if (!v) v = envget(&senv, nsenv, x);
    if (!v) v = getenv(x);
    if (!v) return 0;
    if (strchr(v, SVIMP_REF) || strchr(v, SVIMP_QREF)) return 0;
    if (!c->used)
    {
      snprintf(c->usedbuf, sizeof c->usedbuf, "%s", x);
      c->used = c->usedbuf;
    }
    *str = v;
    return 1;
  }
  return 0;
}

/* expands kv's value into out; 1 ok, 0 reported (error) */
static int expand (stralloc *out, svimp_kv const *kv, char const *secname, ctx *c, char const *val)
{
  char const *msg = 0;
  stralloc bad = STRALLOC_ZERO;
  int r;
  c->used = 0;
  out->len = 0;
  r = svimp_expand(out, val ? val : kv->val, &lookup, c, &msg, &bad);
  if (r < 0) die_nomem();
  if (!r)
  {
    if (bad.s && !strncmp(bad.s, "ENV_", 4))
      say("fatal", kv->file, kv->line, "[%s] %s: %%(%s)s: environment variable %s is not set", secname, kv->name, bad.s, bad.s + 4);
    else if (bad.s)
      say("fatal", kv->file, kv->line, "[%s] %s: %%(%s)s: no such name here", secname, kv->name, bad.s);
    else
      say("fatal", kv->file, kv->line, "[%s] %s: %s: %s", secname, kv->name, show(kv->val), msg);
    stralloc_free(&bad);
    return 0;
  }
  stralloc_free(&bad);
  if (!stralloc_0(out)) die_nomem();
  out->len--;
  if (c->used && !c->defer)
    WARN(kv, "[%s] %s: %%(ENV_%s)s expanded now, to \"%s\" (supervisord expands it when it starts)", secname, kv->name, c->used, show(getenv(c->used) ? getenv(c->used) : ""));
  return 1;
}

static int readfile (char const *fn, stralloc *sa)
{
  int fd = open(fn, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd == -1) return 0;
  if (fstat(fd, &st) == -1) goto err;
  if (S_ISDIR(st.st_mode)) { errno = EISDIR; goto err; }
  for (;;)
  {
    ssize_t r;
    if (!stralloc_readyplus(sa, 65536)) goto err;
    r = read(fd, sa->s + sa->len, 65536);
    if (r < 0) { if (errno == EINTR) continue; goto err; }
    if (!r) break;
    sa->len += r;
  }
  close(fd);
  return 1;
 err:
  {
    int e = errno;
    close(fd);
    errno = e;
  }
  return 0;
}

static unsigned int addfile (char const *fn)
{
  char **p = realloc(files, (nfiles + 1) * sizeof *p);
  if (!p) die_nomem();
  files = p;
  files[nfiles] = strdup(fn);
  if (!files[nfiles]) die_nomem();
  return nfiles++;
}

static char *absdir (char const *fn)
{
  char buf[PATH_MAX * 2];
  char *slash;
  if (fn[0] == '/') snprintf(buf, sizeof buf, "%s", fn);
  else snprintf(buf, sizeof buf, "%s/%s", cwd, fn);
  slash = strrchr(buf, '/');
  if (slash == buf) slash[1] = 0;
  else *slash = 0;
  return strdup(buf);
}

static int parse_file (unsigned int idx, stralloc *buf)
{
  unsigned int line = 0;
  char const *msg = "";
  int r = svimp_ini_read(&ini, buf->s ? buf->s : "", buf->len, idx, &line, &msg);
  if (r < 0) die_nomem();
  if (!r)
  {
    say("fatal", idx, line, "%s (supervisord refuses the file; nothing converted)", msg);
    return 0;
  }
  return 1;
}

/* [include] files=, as read_config does: globs joined to the main file's directory */
static int includes (char const *conf)
{
  svimp_sect *inc = svimp_ini_sect(&ini, "include");
  svimp_kv *kv;
  stralloc v = STRALLOC_ZERO;
  ctx c;
  char *base, *s;
  if (!inc) return 1;
  if (svimp_ini_here(&ini, here) < 0) die_nomem();
  kv = svimp_ini_get(&ini, inc, "files");
  if (!kv)
  {
    say("fatal", inc->file, inc->line, "[include] without files= (supervisord refuses the file; nothing converted)");
    return 0;
  }
  memset(&c, 0, sizeof c);
  if (!expand(&v, kv, "include", &c, 0)) { stralloc_free(&v); return 0; }
  {
    char *dup = strdup(v.s);
    char *patterns;
    if (!dup) die_nomem();
    patterns = dup;
    base = absdir(conf);
    if (!base) die_nomem();
    s = patterns;
    for (;;)
    {
      char *pat, pattern[PATH_MAX * 2];
      glob_t g;
      size_t k, i;
      while (*s && (k = svimp_space(s, strlen(s)))) s += k;
      if (!*s) break;
      pat = s;
      while (*s && !svimp_space(s, strlen(s))) s++;
      if (*s) { k = svimp_space(s, strlen(s)); *s = 0; s += k; }
      if (pat[0] == '/') snprintf(pattern, sizeof pattern, "%s", pat);
      else snprintf(pattern, sizeof pattern, "%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/", pat);
      memset(&g, 0, sizeof g);
      if (glob(pattern, GLOB_NOESCAPE, 0, &g) || !g.gl_pathc)  /* Python's glob has no escapes */
      {
        WARN(kv, "[include] files: no file matches %s", pattern);
        globfree(&g);
        continue;
      }
      /* glob sorts in the locale's order; supervisord sorts by code point */
      qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, (int (*)(void const *, void const *))&strcmp);
      for (i = 0; i < g.gl_pathc; i++)
      {
        stralloc buf = STRALLOC_ZERO;
        unsigned int idx;
        svimp_sect *inc2;
        char *d;
        if (!readfile(g.gl_pathv[i], &buf))
        {
          WARN(kv, "[include] files: unable to read %s: %s (skipped, as supervisord skips it)", g.gl_pathv[i], strerror(errno));
          stralloc_free(&buf);
          continue;
        }
        idx = addfile(g.gl_pathv[i]);
        if (!parse_file(idx, &buf))
        {
          stralloc_free(&buf);
          globfree(&g);
          free(dup);
          free(base);
          stralloc_free(&v);
          return 0;
        }
        stralloc_free(&buf);
        d = absdir(g.gl_pathv[i]);
        if (!d || svimp_ini_here(&ini, d) < 0) die_nomem();
        free(d);
        inc2 = svimp_ini_sect(&ini, "include");
        {
          svimp_kv *k2 = inc2 ? svimp_ini_get(&ini, inc2, "files") : 0;
          if (k2 && k2->file == idx)
            WARN(k2, "[include] in an included file is ignored, as supervisord ignores it");
        }
      }
      globfree(&g);
    }
    free(dup);
    free(base);
  }
  stralloc_free(&v);
  return 1;
}

static char const *const known_supervisord[] = { "logfile", "logfile_maxbytes", "logfile_backups", "loglevel", "pidfile", "umask", "nodaemon", "silent", "minfds", "minprocs", "nocleanup", "childlogdir", "user", "directory", "strip_ansi", "environment", "identifier", 0 };
static char const *const known_program[] = { "command", "process_name", "numprocs", "numprocs_start", "priority", "autostart", "startsecs", "startretries", "autorestart", "exitcodes", "stopsignal", "stopwaitsecs", "stopasgroup", "killasgroup", "user", "redirect_stderr", "stdout_logfile", "stdout_logfile_maxbytes", "stdout_logfile_backups", "stdout_capture_maxbytes", "stdout_events_enabled", "stdout_syslog", "stderr_logfile", "stderr_logfile_maxbytes", "stderr_logfile_backups", "stderr_capture_maxbytes", "stderr_events_enabled", "stderr_syslog", "environment", "directory", "umask", "serverurl", 0 };
static char const *const known_group[] = { "programs", "priority", 0 };
static char const *const known_include[] = { "files", 0 };
static char const *const known_unix[] = { "file", "chmod", "chown", "username", "password", 0 };
static char const *const known_inet[] = { "port", "username", "password", 0 };
static char const *const known_ctl[] = { "serverurl", "username", "password", "prompt", "history_file", 0 };

static void unknown_keys (svimp_sect const *sc, char const *const *known)
{
  size_t i;
  for (i = 0; i < sc->n; i++)
  {
    char const *const *k;
    for (k = known; *k; k++) if (!strcmp(*k, sc->kv[i].name)) break;
    if (!*k) WARN(&sc->kv[i], "[%s] %s: a key supervisord does not know (ignored)", sc->name, show(sc->kv[i].name));
  }
}

/* [supervisord]: what every run gets */
static struct { int umask, user_set; char *user; unsigned int minfds, minprocs; } sv = { -1, 0, 0, 1024, 200 };

static int global_section (void)
{
  svimp_sect *sc = svimp_ini_sect(&ini, "supervisord");
  svimp_kv *kv;
  stralloc v = STRALLOC_ZERO;
  ctx c;
  int nodaemon = 0;
  memset(&c, 0, sizeof c);
  if (sc) unknown_keys(sc, known_supervisord);
  if ((kv = svimp_ini_get(&ini, sc, "minfds")) || (kv = svimp_ini_get(&ini, sc, "minprocs")))
  {
    static char const *const names[2] = { "minfds", "minprocs" };
    int i;
    for (i = 0; i < 2; i++)
    {
      long long n;
      kv = svimp_ini_get(&ini, sc, names[i]);
      if (!kv) continue;
      if (!expand(&v, kv, "supervisord", &c, 0)) goto fail;
      if (!svimp_int(v.s, &n) || n < 0 || n > 1 << 30)
      {
        say("fatal", kv->file, kv->line, "[supervisord] %s: not a number: %s (supervisord refuses the file)", names[i], show(v.s));
        goto fail;
      }
      if (i) sv.minprocs = n; else sv.minfds = n;
    }
  }
  if ((kv = svimp_ini_get(&ini, sc, "nodaemon")))
  {
    if (!expand(&v, kv, "supervisord", &c, 0)) goto fail;
    if (!svimp_bool(v.s, &nodaemon)) { say("fatal", kv->file, kv->line, "[supervisord] nodaemon: not a boolean: %s", show(v.s)); goto fail; }
  }
  if ((kv = svimp_ini_get(&ini, sc, "umask")))
  {
    unsigned int m;
    if (!expand(&v, kv, "supervisord", &c, 0)) goto fail;
    if (!svimp_octal(v.s, &m)) { say("fatal", kv->file, kv->line, "[supervisord] umask: not an octal number: %s", show(v.s)); goto fail; }
    /* supervisord sets its umask only when it daemonizes: with nodaemon, children inherit */
    if (!nodaemon) sv.umask = m;
  }
  if ((kv = svimp_ini_get(&ini, sc, "user")))
  {
    c.defer = 1;
    if (!expand(&v, kv, "supervisord", &c, 0)) goto fail;
    c.defer = 0;
    sv.user = strdup(v.s);
    if (!sv.user) die_nomem();
  }
  if ((kv = svimp_ini_get(&ini, sc, "directory")))
    WARN(kv, "[supervisord] directory: supervisord's own directory when it daemonizes: not carried over");
  if ((kv = svimp_ini_get(&ini, sc, "childlogdir")))
    WARN(kv, "[supervisord] childlogdir: ignored: AUTO logs go to /var/log/svtree/NAME/");
  if ((kv = svimp_ini_get(&ini, sc, "environment")))
  {
    stralloc v2 = STRALLOC_ZERO;
    char const *msg = "";
    int r;
    c.defer = 1;
    /* supervisord expands this value twice: once as any [supervisord] value, once more */
    r = expand(&v2, kv, "supervisord", &c, 0) && expand(&v, kv, "supervisord", &c, v2.s);
    stralloc_free(&v2);
    if (!r) goto fail;
    c.defer = 0;
    r = svimp_envdict(&senv, &nsenv, v.s, &msg);
    if (r < 0) die_nomem();
    if (!r) { say("fatal", kv->file, kv->line, "[supervisord] environment: %s: %s", show(kv->val), msg); goto fail; }
  }
  stralloc_free(&v);
  return 1;
 fail:
  stralloc_free(&v);
  return 0;
}

/* a program's key as a string, expanded; dflt when absent. 1 ok (*kvp 0 when absent), 0 error */
static int getv (svimp_sect const *sc, char const *key, ctx *c, stralloc *out, char const *dflt, svimp_kv **kvp)
{
  svimp_kv *kv = svimp_ini_get(&ini, sc, key);
  *kvp = kv;
  if (!kv)
  {
    svimp_kv d;
    out->len = 0;
    if (dflt && strchr(dflt, '%'))
    {
      memset(&d, 0, sizeof d);
      d.name = (char *)key;
      d.file = sc->file;
      d.line = sc->line;
      return expand(out, &d, sc->name, c, dflt);
    }
    if (!stralloc_cats(out, dflt ? dflt : "") || !stralloc_0(out)) die_nomem();
    out->len--;
    return 1;
  }
  return expand(out, kv, sc->name, c, 0);
}

#define BAD(kv, ...) do { say("fatal", (kv)->file, (kv)->line, __VA_ARGS__); return 0; } while (0)

static int getint (svimp_sect const *sc, char const *key, ctx *c, long long dflt, long long *n)
{
  stralloc v = STRALLOC_ZERO;
  svimp_kv *kv;
  int ok;
  if (!getv(sc, key, c, &v, 0, &kv)) { stralloc_free(&v); return 0; }
  if (!kv) { *n = dflt; stralloc_free(&v); return 1; }
  ok = svimp_int(v.s, n);
  if (!ok) say("fatal", kv->file, kv->line, "[%s] %s: not an integer: %s", sc->name, key, show(v.s));
  stralloc_free(&v);
  return ok;
}

static int getbool (svimp_sect const *sc, char const *key, ctx *c, int dflt, int *b)
{
  stralloc v = STRALLOC_ZERO;
  svimp_kv *kv;
  int ok;
  if (!getv(sc, key, c, &v, 0, &kv)) { stralloc_free(&v); return 0; }
  if (!kv) { *b = dflt; stralloc_free(&v); return 1; }
  ok = svimp_bool(v.s, b);
  if (!ok) say("fatal", kv->file, kv->line, "[%s] %s: not a boolean (true/false, yes/no, on/off, 1/0): %s", sc->name, key, show(v.s));
  stralloc_free(&v);
  return ok;
}

/* supervisord's process_or_group_name */
static int goodname (char const *s)
{
  return !strchr(s, ' ') && !strchr(s, ':') && !strchr(s, '/');
}

static proc *procs;
static size_t nprocs;
static int nprog;
static unsigned char *progbad;

static proc *newproc (void)
{
  proc *p = realloc(procs, (nprocs + 1) * sizeof *p);
  if (!p) die_nomem();
  procs = p;
  p = &procs[nprocs++];
  memset(p, 0, sizeof *p);
  return p;
}

static int logstream (svimp_sect const *sc, char const *which, ctx *c, stream *st)
{
  char key[64];
  static stralloc v = STRALLOC_ZERO;  /* static: the early returns leave nothing behind */
  svimp_kv *kv, *kv2;
  unsigned long long mb;
  snprintf(key, sizeof key, "%s_logfile", which);
  if (!getv(sc, key, c, &v, "AUTO", &kv)) return 0;
  {
    char low[16];
    size_t i;
    for (i = 0; i < sizeof low - 1 && v.s[i]; i++) low[i] = v.s[i] >= 'A' && v.s[i] <= 'Z' ? v.s[i] + 32 : v.s[i];
    low[i] = 0;
    if (v.s[i]) low[0] = 0;  /* longer than any special word */
    /* an empty name is no log file to supervisord either: the output is dropped */
    if (!v.s[0] || !strcmp(low, "none") || !strcmp(low, "off")) st->kind = OUT_NONE;
    else if (!strcmp(low, "auto")) st->kind = OUT_AUTO;
    else if (!strcmp(low, "syslog"))
    {
      st->kind = OUT_NONE;
      WARN(kv, "[%s] %s=syslog: not carried over (svtree has no syslog output): discarded", sc->name, key);
    }
    else if (!strcmp(v.s, "/dev/stdout") || !strcmp(v.s, "/dev/fd/1")) st->kind = OUT_STDOUT;
    else if (!strcmp(v.s, "/dev/stderr") || !strcmp(v.s, "/dev/fd/2")) st->kind = OUT_STDERR;
    else
    {
      char path[PATH_MAX * 2];
      char const *p = v.s;
      st->kind = OUT_FILE;
      if (p[0] == '~' && (p[1] == '/' || !p[1]))
      {
        char const *h = getenv("HOME");
        snprintf(path, sizeof path, "%s%s", h ? h : "", p + 1);
      }
      else if (p[0] == '/') snprintf(path, sizeof path, "%s", p);
      else snprintf(path, sizeof path, "%s/%s", cwd, p);
      st->path = strdup(path);
      if (!st->path) die_nomem();
    }
  }
  snprintf(key, sizeof key, "%s_logfile_maxbytes", which);
  if (!getv(sc, key, c, &v, "50MB", &kv2)) return 0;
  if (!svimp_bytes(v.s, &mb)) BAD(kv2, "[%s] %s: not a size (1024, 50MB, 1GB): %s", sc->name, key, show(v.s));
  st->maxbytes = mb;
  snprintf(key, sizeof key, "%s_logfile_backups", which);
  if (!getint(sc, key, c, 10, &st->backups)) return 0;
  if (st->backups < 0) st->backups = 0;
  {
    int b;
    snprintf(key, sizeof key, "%s_syslog", which);
    if (!getbool(sc, key, c, 0, &b)) return 0;
    if (b) WARN(svimp_ini_get(&ini, sc, key), "[%s] %s: not carried over (svtree has no syslog output)", sc->name, key);
    snprintf(key, sizeof key, "%s_events_enabled", which);
    if (!getbool(sc, key, c, 0, &b)) return 0;
    if (b) WARN(svimp_ini_get(&ini, sc, key), "[%s] %s: not carried over (svtree has no event listeners)", sc->name, key);
    snprintf(key, sizeof key, "%s_capture_maxbytes", which);
    if (!getv(sc, key, c, &v, "0", &kv2)) return 0;
    if (!svimp_bytes(v.s, &mb)) BAD(kv2, "[%s] %s: not a size: %s", sc->name, key, show(v.s));
    if (mb) WARN(kv2, "[%s] %s: not carried over (svtree has no event listeners)", sc->name, key);
  }
  stralloc_free(&v);
  return 1;
}

/* the processes of one [program:x] section (processes_from_section) */
static int program (svimp_sect const *sc, char const *group, int prog)
{
  char const *pname0 = strchr(sc->name, ':') + 1;
  char *progname;
  ctx c;
  /* kept between programs: an early return (a refused value) leaves nothing behind */
  static stralloc v = STRALLOC_ZERO, envstr = STRALLOC_ZERO, pn = STRALLOC_ZERO, penv = STRALLOC_ZERO;
  svimp_kv *kv, *envkv, *pnkv;
  long long priority, startsecs, startretries, stopwaitsecs, numprocs, numstart, i;
  int autostart, redirect, stopasgroup, killasgroup;
  char restart, sig[16];
  unsigned char codes[256];
  unsigned int umask = 0;
  int hasumask = 0;
  static char *user;  /* as v: freed at the next program's start */

  {
    char buf[strlen(pname0) + 1];
    strcpy(buf, pname0);
    static char *last;  /* kept while the program's values may point to it */
    progname = strdup(svimp_strip(buf));
    if (!progname) die_nomem();
    free(last);
    last = progname;
  }
  if (!goodname(progname) || !*progname)
  {
    say("fatal", sc->file, sc->line, "[%s]: a program name must not be empty or contain a space, : or /", sc->name);
    return 0;
  }
  if (progname[0] == '.')
  {
    say("fatal", sc->file, sc->line, "[%s]: a name starting with . is ignored by svscan: rename the program", sc->name);
    return 0;
  }
  free(user);
  user = 0;
  memset(&c, 0, sizeof c);
  c.program_name = progname;
  c.group_name = group ? group : progname;
  if (!getint(sc, "priority", &c, 999, &priority)) return 0;
  if (!getbool(sc, "autostart", &c, 1, &autostart)) return 0;
  if (!getv(sc, "autorestart", &c, &v, "unexpected", &kv)) return 0;
  if (!svimp_autorestart(v.s, &restart)) BAD(kv, "[%s] autorestart: not true, false or unexpected: %s", sc->name, show(v.s));
  if (!getint(sc, "startsecs", &c, 1, &startsecs)) return 0;
  if (!getint(sc, "startretries", &c, 3, &startretries)) return 0;
  if (!getv(sc, "stopsignal", &c, &v, "TERM", &kv)) return 0;
  if (!svimp_signal(v.s, sig)) BAD(kv, "[%s] stopsignal: not a signal svtree can send: %s", sc->name, show(v.s));
  if (!getint(sc, "stopwaitsecs", &c, 10, &stopwaitsecs)) return 0;
  if (!getbool(sc, "stopasgroup", &c, 0, &stopasgroup)) return 0;
  if (!getbool(sc, "killasgroup", &c, stopasgroup, &killasgroup)) return 0;
  if (!getv(sc, "exitcodes", &c, &v, "0", &kv)) return 0;
  if (!svimp_codes(v.s, codes)) BAD(kv, "[%s] exitcodes: not a list of exit codes (0-255, separated by commas): %s", sc->name, show(v.s));
  if (!getbool(sc, "redirect_stderr", &c, 0, &redirect)) return 0;
  if (!getint(sc, "numprocs", &c, 1, &numprocs)) return 0;
  if (!getint(sc, "numprocs_start", &c, 0, &numstart)) return 0;
  if (!getv(sc, "serverurl", &c, &v, "AUTO", &kv)) return 0;
  if (kv && strcmp(svimp_strip(v.s), "AUTO") && strcmp(svimp_strip(v.s), "auto"))
    WARN(kv, "[%s] serverurl: not carried over (SUPERVISOR_SERVER_URL is not set: svtree has no XML-RPC server)", sc->name);
  c.defer = 1;
  if (!getv(sc, "user", &c, &v, 0, &kv)) return 0;
  c.defer = 0;
  if (kv)
  {
    user = strdup(v.s);
    if (!user) die_nomem();
  }
  else if (sv.user)
  {
    user = strdup(sv.user);
    if (!user) die_nomem();
  }
  if (user && !strchr(user, SVIMP_REF))
  {
    long long uid;
    if (passwd_has(user, &uid) && uid == (long long)geteuid())
    {
      free(user);  /* supervisord does nothing for its own user: neither does run */
      user = 0;
    }
    else if (uid < 0)
      say("warning", kv ? kv->file : sc->file, kv ? kv->line : sc->line, "[%s] user: %s does not exist on this machine: run checks it again when it starts", sc->name, show(user));
  }
  if (!getv(sc, "umask", &c, &v, 0, &kv)) return 0;
  if (kv)
  {
    if (!svimp_octal(v.s, &umask)) BAD(kv, "[%s] umask: not an octal number: %s", sc->name, show(v.s));
    hasumask = 1;
  }
  pnkv = svimp_ini_get(&ini, sc, "process_name");
  {
    char const *tmpl = pnkv ? pnkv->val : "%(program_name)s";
    char buf[strlen(tmpl) + 1];
    strcpy(buf, tmpl);
    if (!goodname(svimp_strip(buf)))
    {
      say("fatal", pnkv->file, pnkv->line, "[%s] process_name: a name must not contain a space, : or /: %s", sc->name, show(tmpl));
      return 0;
    }
    if (numprocs > 1 && !strstr(tmpl, "%(process_num)"))
    {
      say("fatal", pnkv ? pnkv->file : sc->file, pnkv ? pnkv->line : sc->line, "[%s] process_name: %%(process_num) must be in process_name when numprocs > 1", sc->name);
      return 0;
    }
  }
  if (stopasgroup && !killasgroup)
  {
    kv = svimp_ini_get(&ini, sc, "killasgroup");
    BAD(kv, "[%s]: stopasgroup=true with killasgroup=false (supervisord refuses it)", sc->name);
  }
  if (numprocs < 1)
  {
    kv = svimp_ini_get(&ini, sc, "numprocs");
    BAD(kv, "[%s] numprocs: %lld: no process to convert (supervisord starts none)", sc->name, numprocs);
  }
  if (numprocs > 10000)
  {
    kv = svimp_ini_get(&ini, sc, "numprocs");
    BAD(kv, "[%s] numprocs: %lld: more than 10000 processes", sc->name, numprocs);
  }
  envkv = svimp_ini_get(&ini, sc, "environment");
  for (i = numstart; i < numstart + numprocs; i++)
  {
    proc *p;
    size_t npenv = 0;
    char const *msg = "";
    int r;
    penv.len = 0;
    c.have_num = 1;
    c.process_num = i;
    c.numprocs = numprocs;
    c.penv = 0;
    if (envkv)
    {
      c.defer = 1;
      if (!expand(&envstr, envkv, sc->name, &c, 0)) return 0;
      c.defer = 0;
      r = svimp_envdict(&penv, &npenv, envstr.s, &msg);
      if (r < 0) die_nomem();
      if (!r) BAD(envkv, "[%s] environment: %s: %s", sc->name, show(envkv->val), msg);
    }
    c.penv = &penv;
    c.npenv = npenv;
    p = newproc();
    p->prog = prog;
    p->conf = files[sc->file];
    p->line = sc->line;
    p->section = sc->name;
    p->group = strdup(c.group_name);
    p->priority = priority;
    p->autostart = autostart;
    p->restart = restart;
    p->startsecs = startsecs;
    p->startretries = startretries;
    p->stopwaitsecs = stopwaitsecs;
    memcpy(p->sig, sig, sizeof sig);
    p->umask = hasumask ? (int)umask : sv.umask;
    p->minfds = sv.minfds;
    p->minprocs = sv.minprocs;
    if (user && !(p->user = strdup(user))) die_nomem();
    {
      int k, any = 0, zero_only = 1;
      for (k = 0; k < 256; k++)
        if (codes[k])
        {
          char b[16];
          snprintf(b, sizeof b, "%s%d", any ? " " : "", k);
          if (!stralloc_cats(&p->codes, b)) die_nomem();
          any = 1;
          if (k) zero_only = 0;
        }
      if (!any)
      {
        /* no exit is expected: every exit is a failure */
        if (p->restart == 'o') p->restart = 'a';
      }
      else if (!stralloc_catb(&p->codes, "\n", 1)) die_nomem();
      (void)zero_only;
    }
    /* environment: SUPERVISOR_*, then [supervisord]'s, then the program's */
    if (!envset(&p->env, &p->nenv, "SUPERVISOR_ENABLED", "1")) die_nomem();
    {
      size_t j, pos;
      for (j = 0, pos = 0; j < nsenv; j++)
      {
        char const *k = senv.s + pos, *val = k + strlen(k) + 1;
        if (!envset(&p->env, &p->nenv, k, val)) die_nomem();
        pos = val + strlen(val) + 1 - senv.s;
      }
      for (j = 0, pos = 0; j < npenv; j++)
      {
        char const *k = penv.s + pos, *val = k + strlen(k) + 1;
        if (!envset(&p->env, &p->nenv, k, val)) die_nomem();
        pos = val + strlen(val) + 1 - penv.s;
      }
    }
    if (i == numstart)
    {
      /* ${X} in run sees env/'s X: supervisord expanded it before setting its own */
      size_t j, pos;
      for (j = 0, pos = 0; j < p->nenv; j++)
      {
        char const *k = p->env.s + pos, *val = k + strlen(k) + 1, *ref;
        pos = val + strlen(val) + 1 - p->env.s;
        for (ref = strchr(val, SVIMP_REF); ref; ref = strchr(ref + 1, SVIMP_REF))
        {
          char name[256];
          char const *e = strchr(ref, SVIMP_REFEND);
          snprintf(name, sizeof name, "%.*s", (int)(e ? e - ref - 1 : 0), ref + 1);
          if (envget(&p->env, p->nenv, name) && strncmp(name, "SUPERVISOR_", 11))
            say("warning", envkv ? envkv->file : sc->file, envkv ? envkv->line : sc->line,
                "[%s] environment: %s refers to %%(ENV_%s)s, which this environment also sets: run sees the value set here, supervisord the one it inherited", sc->name, k, name);
        }
      }
    }
    c.defer = 1;
    if (!getv(sc, "directory", &c, &v, 0, &kv)) return 0;
    c.defer = 0;
    if (kv && !(p->dir = strdup(v.s))) die_nomem();
    if (!logstream(sc, "stdout", &c, &p->out)) return 0;
    if (!logstream(sc, "stderr", &c, &p->err)) return 0;
    if (redirect)
    {
      if (p->err.kind == OUT_FILE)
        WARN(svimp_ini_get(&ini, sc, "stderr_logfile"), "[%s] stderr_logfile: ignored with redirect_stderr=true, as supervisord ignores it", sc->name);
      p->err.kind = OUT_JOIN;
    }
    else if (p->err.kind == OUT_FILE && p->out.kind == OUT_FILE && !strcmp(p->err.path, p->out.path))
      p->err.kind = OUT_JOIN;
    if (i == numstart)
    {
      static char const *const which[2] = { "stdout", "stderr" };
      stream const *st[2] = { &p->out, &p->err };
      int k;
      for (k = 0; k < 2; k++)
      {
        char key[32];
        svimp_kv *at;
        snprintf(key, sizeof key, "%s_logfile", which[k]);
        at = svimp_ini_get(&ini, sc, key);
        if (st[k]->kind == OUT_AUTO)
          say("warning", at ? at->file : sc->file, at ? at->line : sc->line, "[%s] %s: AUTO: svlog writes it to /var/log/svtree/NAME/%s/", sc->name, key, which[k]);
        if (k && st[k]->kind == OUT_STDOUT && p->out.kind != OUT_STDOUT)
          say("warning", at->file, at->line, "[%s] %s: stdout is logged, so stderr goes to svscan's stderr, not its stdout", sc->name, key);
      }
    }
    c.defer = 1;
    if (!getv(sc, "command", &c, &v, 0, &kv)) return 0;
    c.defer = 0;
    if (!kv)
    {
      say("fatal", sc->file, sc->line, "[%s]: no command", sc->name);
      return 0;
    }
    r = svimp_split(&p->argv, &p->argc, v.s, &msg);
    if (r < 0) die_nomem();
    if (!r) BAD(kv, "[%s] command: can't parse %s: %s", sc->name, show(kv->val), msg);
    if (!p->argc) BAD(kv, "[%s] command: is empty", sc->name);
    if (strchr(kv->val, '%') && strstr(kv->val, "%(ENV_"))
    {
      size_t w, pos = 0;
      for (w = 0; w < p->argc; w++)
      {
        char const *word = p->argv.s + pos;
        char const *ref = strchr(word, SVIMP_REF);
        for (; ref; ref = strchr(ref + 1, SVIMP_REF))
        {
          char name[128];
          char const *e = strchr(ref, SVIMP_REFEND);
          char const *val;
          snprintf(name, sizeof name, "%.*s", (int)(e - ref - 1), ref + 1);
          val = envget(&penv, npenv, name);
          if (!val) val = envget(&senv, nsenv, name);
          if (!val) val = getenv(name);
          if (val && strpbrk(val, "'\"\\\r"))
            WARN(kv, "[%s] command: %%(ENV_%s)s is split by sh when run starts: its value here has quotes, backslashes or CR, which supervisord would parse", sc->name, name);
        }
        pos += strlen(word) + 1;
      }
    }
    if (!getv(sc, "process_name", &c, &pn, "%(program_name)s", &pnkv)) return 0;
    {
      char *nm = svimp_strip(pn.s);
      if (!*nm || strchr(nm, '/') || nm[0] == '.')
      {
        svimp_kv *at = pnkv ? pnkv : 0;
        say("fatal", at ? at->file : sc->file, at ? at->line : sc->line, "[%s] process_name: \"%s\" cannot name a service directory (empty, with / or starting with .)", sc->name, show(nm));
        return 0;
      }
      if (!(p->pname = strdup(nm))) die_nomem();
      if (!(p->name = strdup(nm))) die_nomem();
    }
  }
  /* unknown keys once per program */
  unknown_keys(sc, known_program);
  stralloc_free(&v);
  stralloc_free(&envstr);
  stralloc_free(&pn);
  return 1;
}

static void program_or_fail (svimp_sect const *sc, char const *group)
{
  int idx = nprog++;
  unsigned char *b = realloc(progbad, nprog);
  if (!b) die_nomem();
  progbad = b;
  progbad[idx] = 0;
  if (!program(sc, group, idx))
  {
    progbad[idx] = 1;
    errors++;
  }
}

static int inlist (char const *list, char const *name)
{
  char const *s = list;
  size_t n = strlen(name);
  while (s && *s)
  {
    char const *c = strchr(s, ',');
    size_t len = c ? (size_t)(c - s) : strlen(s);
    char buf[len + 1];
    memcpy(buf, s, len);
    buf[len] = 0;
    if (strlen(svimp_strip(buf)) == n && !strcmp(svimp_strip(buf), name)) return 1;
    s = c ? c + 1 : 0;
  }
  return 0;
}

static void groups_and_programs (void)
{
  size_t i;
  stralloc grouped = STRALLOC_ZERO;   /* "program:x" NUL ... */
  ctx c;
  memset(&c, 0, sizeof c);
  for (i = 0; i < ini.n; i++)
  {
    svimp_sect *sc = &ini.sect[i];
    stralloc v = STRALLOC_ZERO;
    svimp_kv *kv;
    char *gname, *s, *list;
    size_t first;
    if (strncmp(sc->name, "group:", 6)) continue;
    unknown_keys(sc, known_group);
    {
      char buf[strlen(sc->name)];
      strcpy(buf, sc->name + 6);
      gname = strdup(svimp_strip(buf));
      if (!gname) die_nomem();
    }
    if (!goodname(gname))
    {
      say("fatal", sc->file, sc->line, "[%s]: a group name must not contain a space, : or /", sc->name);
      errors++;
      free(gname);
      continue;
    }
    kv = svimp_ini_get(&ini, sc, "programs");
    if (!kv || !expand(&v, kv, sc->name, &c, 0))
    {
      if (!kv) say("fatal", sc->file, sc->line, "[%s]: no programs=", sc->name);
      errors++;
      free(gname);
      stralloc_free(&v);
      continue;
    }
    list = strdup(v.s);
    if (!list) die_nomem();
    first = nprocs;
    for (s = list; s;)
    {
      char *comma = strchr(s, ',');
      char *name;
      char sect[strlen(s) + 16];
      svimp_sect *ps;
      if (comma) *comma = 0;
      name = svimp_strip(s);
      snprintf(sect, sizeof sect, "program:%s", name);
      ps = svimp_ini_sect(&ini, sect);
      if (!ps)
      {
        snprintf(sect, sizeof sect, "fcgi-program:%s", name);
        if (svimp_ini_sect(&ini, sect))
          WARN(kv, "[%s] programs: %s is an [fcgi-program]: not converted", sc->name, name);
        else
        {
          say("fatal", kv->file, kv->line, "[%s] programs: no [program:%s] (supervisord refuses the group)", sc->name, name);
          errors++;
        }
      }
      else
      {
        if (!stralloc_cats(&grouped, ps->name) || !stralloc_0(&grouped)) die_nomem();
        program_or_fail(ps, gname);
      }
      s = comma ? comma + 1 : 0;
    }
    if (nprocs > first)
    {
      size_t j;
      printf("group %s:", gname);
      for (j = first; j < nprocs; j++) printf(" %s", procs[j].pname);
      printf("\n");
    }
    free(list);
    free(gname);
    stralloc_free(&v);
  }
  for (i = 0; i < ini.n; i++)
  {
    svimp_sect *sc = &ini.sect[i];
    size_t pos = 0;
    int found = 0;
    if (strncmp(sc->name, "program:", 8)) continue;
    while (pos < grouped.len)
    {
      if (!strcmp(grouped.s + pos, sc->name)) { found = 1; break; }
      pos += strlen(grouped.s + pos) + 1;
    }
    if (!found) program_or_fail(sc, 0);
  }
  (void)inlist;
  stralloc_free(&grouped);
}

static void other_sections (void)
{
  size_t i;
  for (i = 0; i < ini.n; i++)
  {
    svimp_sect *sc = &ini.sect[i];
    char const *n = sc->name;
    if (!strncmp(n, "program:", 8) || !strncmp(n, "group:", 6) || !strcmp(n, "supervisord")) continue;
    if (!strcmp(n, "include")) unknown_keys(sc, known_include);
    else if (!strcmp(n, "unix_http_server")) unknown_keys(sc, known_unix);
    else if (!strcmp(n, "inet_http_server")) unknown_keys(sc, known_inet);
    else if (!strcmp(n, "supervisorctl")) unknown_keys(sc, known_ctl);
    else if (!strncmp(n, "eventlistener:", 14))
    {
      svimp_kv *ev = svimp_ini_get(&ini, sc, "events");
      svimp_kv *cmd = svimp_ini_get(&ini, sc, "command");
      int fatal = (ev && strstr(ev->val, "FATAL")) || (cmd && (strstr(cmd->val, "kill") || strstr(cmd->val, "fatal")));
      say("warning", sc->file, sc->line, "[%s]: not converted: svtree has no event listeners%s", n,
          fatal ? " (to end the container when a process fails, create the empty file critical in its service directory)" : "");
    }
    else if (!strncmp(n, "fcgi-program:", 13))
      say("warning", sc->file, sc->line, "[%s]: not converted: svtree does not hold FastCGI sockets", n);
    else if (!strncmp(n, "rpcinterface:", 13))
    {
      svimp_kv *f = svimp_ini_get(&ini, sc, "supervisor.rpcinterface_factory");
      if (!f || strcmp(f->val, "supervisor.rpcinterface:make_main_rpcinterface"))
        say("warning", sc->file, sc->line, "[%s]: not converted: an XML-RPC plugin (svtree has no XML-RPC server)", n);
    }
    else if (!strncmp(n, "ctlplugin:", 10))
      say("warning", sc->file, sc->line, "[%s]: not converted: a supervisorctl plugin", n);
    else
      say("warning", sc->file, sc->line, "[%s]: a section supervisord does not know (ignored)", show(n));
  }
}

/* processes of different groups with one name: each named as supervisorctl names it */
static void names (void)
{
  size_t i, j;
  int clash = 0;
  for (i = 0; i < nprocs; i++)
    for (j = i + 1; j < nprocs; j++)
      if (!progbad[procs[i].prog] && !progbad[procs[j].prog] && !strcmp(procs[i].pname, procs[j].pname))
      {
        if (!strcmp(procs[i].group, procs[j].group) && procs[i].prog == procs[j].prog)
        {
          fprintf(stderr, "%s: fatal: %s:%u: [%s] process_name: two processes named %s\n", PROG, procs[i].conf, procs[i].line, procs[i].section, procs[i].pname);
          progbad[procs[i].prog] = 1;
          errors++;
          continue;
        }
        clash = 1;
        procs[i].name[0] = procs[j].name[0] = 0;  /* marked: renamed below */
      }
  if (!clash) return;
  for (i = 0; i < nprocs; i++)
    if (!progbad[procs[i].prog] && !procs[i].name[0])
    {
      char *n;
      size_t len = strlen(procs[i].group) + strlen(procs[i].pname) + 2;
      n = malloc(len);
      if (!n) die_nomem();
      if (!strcmp(procs[i].group, procs[i].pname)) snprintf(n, len, "%s", procs[i].pname);
      else snprintf(n, len, "%s:%s", procs[i].group, procs[i].pname);
      free(procs[i].name);
      procs[i].name = n;
      fprintf(stderr, "%s: warning: %s:%u: [%s]: another program has a process named %s: this one is the service %s\n", PROG, procs[i].conf, procs[i].line, procs[i].section, procs[i].pname, n);
    }
  for (i = 0; i < nprocs; i++)
    for (j = i + 1; j < nprocs; j++)
      if (!progbad[procs[i].prog] && !progbad[procs[j].prog] && !strcmp(procs[i].name, procs[j].name))
      {
        fprintf(stderr, "%s: fatal: %s:%u: [%s]: its service name %s is also another's\n", PROG, procs[j].conf, procs[j].line, procs[j].section, procs[j].name);
        progbad[procs[j].prog] = 1;
        errors++;
      }
}

static void priorities (void)
{
  size_t i;
  for (i = 1; i < nprocs; i++)
    if (!progbad[procs[i].prog] && !progbad[procs[0].prog] && procs[i].priority != procs[0].priority)
    {
      fprintf(stderr, "%s: warning: %s:%u: [%s] priority: programs' priorities differ: svtree starts every service at once; for start order, list what a service needs in its needs/ directory\n", PROG, procs[i].conf, procs[i].line, procs[i].section);
      return;
    }
}

int main (int argc, char const *const *argv)
{
  int force = 0, dry = 0, bad = 0, r0;
  char const *conf, *dir;
  stralloc buf = STRALLOC_ZERO;
  size_t i;
  PROG = "svimport";
  if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "--help")))
  {
    if (argv[1][2] == 'v') printf("svimport (svtree) " SVTREE_VERSION "\n");
    else printf("usage: " USAGE "\nturns a supervisord configuration into service directories in DIR. See svimport(8).\n");
    return fflush(stdout) ? 111 : 0;
  }
  {
    subgetopt l = SUBGETOPT_ZERO;
    for (;;)
    {
      int opt = subgetopt_r(argc, argv, "nf", &l);
      if (opt == -1) break;
      switch (opt)
      {
        case 'n': dry = 1; break;
        case 'f': force = 1; break;
        default: strerr_dieusage(100, USAGE);
      }
    }
    argc -= l.ind;
    argv += l.ind;
  }
  if (argc != 2) strerr_dieusage(100, USAGE);
  conf = argv[0];
  dir = argv[1];
  if (!getcwd(cwd, sizeof cwd)) strerr_diefu1sys(111, "get the current directory");
  {
    struct utsname u;
    if (uname(&u) == 0) snprintf(host, sizeof host, "%s", u.nodename);
  }
  if (!readfile(conf, &buf)) strerr_diefu2sys(111, "read ", conf);
  addfile(conf);
  here = absdir(conf);
  if (!here) die_nomem();
  r0 = parse_file(0, &buf);
  stralloc_free(&buf);
  if (!r0) return 1;
  if (!includes(conf)) return 1;
  if (!global_section()) return 1;
  other_sections();
  groups_and_programs();
  names();
  priorities();
  fflush(stdout);
  for (i = 0; i < nprocs && !bad; i++)
  {
    proc *p = &procs[i];
    int r;
    if (progbad[p->prog]) continue;
    r = write_services(p, dir, force, dry, cwd, 1);
    if (r == 111) bad = 111;
    else if (!r) { progbad[p->prog] = 1; errors++; }
  }
  for (i = 0; i < nprocs && !bad; i++)
  {
    proc *p = &procs[i];
    int r;
    if (progbad[p->prog]) continue;
    r = write_services(p, dir, force, dry, cwd, 0);
    if (r == 111) { bad = 111; break; }
    if (!r)
    {
      /* nothing of this program is written after its first refusal */
      progbad[p->prog] = 1;
      errors++;
    }
  }
  fflush(stdout);
  if (bad) return 111;
  return errors ? 1 : 0;
}
