/* SPDX-License-Identifier: ISC */
/* svimport/svimport-write.c: the files of one process's services, and writing them:
   a new service is made under a dot-name in DIR and renamed into place; -f rewrites an
   earlier import's files one by one, each atomically, keeping supervise/ and log/supervise/ */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>

#include "svimp.h"
#include "svimport.h"

#define RENAME_NOREPLACE_FLAG 1 /* linux/fs.h RENAME_NOREPLACE */

#define MANIFEST ".svimport"
#define FIFO "stderr.fifo"

typedef struct ent_s ent;
struct ent_s
{
  char path[256 + 8];
  stralloc body;
  unsigned int mode;   /* 0: a FIFO */
};

typedef struct svfiles_s svfiles;
struct svfiles_s
{
  ent *e;
  size_t n;
};

static void nomem (void)
{
  strerr_diefu1sys(111, "allocate memory");
}

static stralloc *add (svfiles *f, char const *path, unsigned int mode)
{
  ent *e = realloc(f->e, (f->n + 1) * sizeof *e);
  if (!e) nomem();
  f->e = e;
  e = &f->e[f->n++];
  memset(e, 0, sizeof *e);
  snprintf(e->path, sizeof e->path, "%s", path);
  e->mode = mode;
  return &e->body;
}

static void cat (stralloc *sa, char const *s)
{
  if (!stralloc_cats(sa, s)) nomem();
}

static void catq (stralloc *sa, char const *word)
{
  if (!svimp_shquote(sa, word)) nomem();
}

static void catqa (stralloc *sa, char const *word)
{
  if (!svimp_shquote_all(sa, word)) nomem();
}

static void catnum (stralloc *sa, long long n)
{
  char b[32];
  snprintf(b, sizeof b, "%lld", n);
  cat(sa, b);
}

static void svfiles_free (svfiles *f)
{
  size_t i;
  for (i = 0; i < f->n; i++) stralloc_free(&f->e[i].body);
  free(f->e);
  f->e = 0;
  f->n = 0;
}

static int hasref (char const *s)
{
  return strchr(s, SVIMP_REF) || strchr(s, SVIMP_QREF);
}

/* a value that env/ gives back exactly: first line, no trailing blank, not empty */
static int envdir_ok (char const *k, char const *v)
{
  size_t n = strlen(v);
  char const *p;
  if (!n || hasref(v) || hasref(k) || k[0] == '.' || strchr(k, '/')) return 0;
  for (p = v; *p; p++) if ((unsigned char)*p < 0x20 || *p == 0x7f) return 0;
  return v[n - 1] != ' ';
}

static void logger_run (stralloc *sa, stream const *st, char const *name, char const *which)
{
  char sz[64];
  snprintf(sz, sizeof sz, "-s %llu -n %lld ", st->maxbytes, st->backups);
  if (st->kind == OUT_AUTO)
  {
    stralloc d = STRALLOC_ZERO;
    cat(&d, "/var/log/svtree/");
    cat(&d, name);
    cat(&d, "/");
    cat(&d, which);
    if (!stralloc_0(&d)) nomem();
    cat(sa, "mkdir -p -- ");
    catq(sa, d.s);
    cat(sa, " || exit 111\nexec svlog ");
    cat(sa, sz);
    catq(sa, d.s);
    cat(sa, "\n");
    stralloc_free(&d);
  }
  else
  {
    cat(sa, "exec svlog ");
    cat(sa, sz);
    cat(sa, "-f ");
    catq(sa, st->path);
    cat(sa, "\n");
  }
}

static int logged (stream const *st)
{
  return st->kind == OUT_AUTO || st->kind == OUT_FILE;
}

/* the files of p's main service (m) and, when its stderr has a logger of its own, of that
   logger's service (l, left empty otherwise) */
static void build (proc const *p, char const *cwd, svfiles *m, svfiles *l)
{
  stralloc runs = STRALLOC_ZERO, *run = &runs;  /* add() moves the entries: run's goes in at the end */
  int needsetf = 0;
  size_t i, pos;

  cat(run, "#!/bin/sh\n# made by svimport from [");
  cat(run, p->section);
  cat(run, "] of ");
  {
    char const *s;
    for (s = p->conf; *s; s++) if (!stralloc_catb(run, *s == '\n' ? "?" : s, 1)) nomem();
  }
  cat(run, ":");
  catnum(run, p->line);
  cat(run, "\n");
  /* output first: what follows may complain, and supervisord's children complain to their logs */
  if (p->out.kind == OUT_NONE) cat(run, "exec >/dev/null\n");
  else if (p->out.kind == OUT_STDERR) cat(run, "exec >&2\n");
  switch (p->err.kind)
  {
    case OUT_JOIN: cat(run, "exec 2>&1\n"); break;
    case OUT_NONE: cat(run, "exec 2>/dev/null\n"); break;
    case OUT_STDOUT: if (p->out.kind == OUT_STDOUT) cat(run, "exec 2>&1\n"); break;
    case OUT_AUTO: case OUT_FILE: cat(run, "exec 2<>" FIFO "\n"); break;
    default: break;
  }
  /* [supervisord] minfds and minprocs: raise the soft limits (and the hard ones when they are lower) */
  {
    char b[384];
    long long f = p->minfds, n = p->minprocs;
    snprintf(b, sizeof b,
      "n=$(ulimit -S -n); [ \"$n\" = unlimited ] || [ \"$n\" -ge %lld ] || ulimit -S -n %lld 2>/dev/null || ulimit -n %lld\n"
      "n=$( (ulimit -S -u || ulimit -S -p) 2>/dev/null); [ \"$n\" = unlimited ] || [ \"$n\" -ge %lld ] || ulimit -S -u %lld"
      " 2>/dev/null || ulimit -S -p %lld 2>/dev/null || ulimit -u %lld 2>/dev/null || ulimit -p %lld\n",
      f, f, f, n, n, n, n, n);
    cat(run, b);
  }
  if (p->umask >= 0)
  {
    char b[32];
    snprintf(b, sizeof b, "umask %03o\n", (unsigned int)p->umask);
    cat(run, b);
  }
  for (i = 0, pos = 0; i < p->nenv; i++)
  {
    char const *k = p->env.s + pos, *v = k + strlen(k) + 1;
    pos = v + strlen(v) + 1 - p->env.s;
    if (envdir_ok(k, v))
    {
      stralloc *f;
      char path[300];
      snprintf(path, sizeof path, "env/%s", k);
      f = add(m, path, 0644);
      cat(f, v);
      cat(f, "\n");
    }
    else
    {
      cat(run, "export ");
      catq(run, k);
      cat(run, "=");
      catqa(run, v);
      cat(run, "\n");
    }
  }
  {
    stralloc *f = add(m, "env/SUPERVISOR_PROCESS_NAME", 0644);
    cat(f, p->pname);
    cat(f, "\n");
    f = add(m, "env/SUPERVISOR_GROUP_NAME", 0644);
    cat(f, p->group);
    cat(f, "\n");
  }
  cat(run, "cd -- ");
  catqa(run, p->dir ? p->dir : cwd);
  cat(run, " || exit 127\n");
  for (i = 0, pos = 0; i < p->argc; i++)
  {
    char const *w = p->argv.s + pos;
    if (strchr(w, SVIMP_REF)) needsetf = 1;
    pos += strlen(w) + 1;
  }
  if (needsetf) cat(run, "set -f\n");
  if (p->user)
  {
    cat(run, "gid=$(id -g -- ");
    catqa(run, p->user);
    cat(run, ") || exit 111\nexec setpriv --reuid=");
    catqa(run, p->user);
    cat(run, " --regid=\"$gid\" --init-groups -- ");
  }
  else cat(run, "exec ");
  for (i = 0, pos = 0; i < p->argc; i++)
  {
    char const *w = p->argv.s + pos;
    if (i) cat(run, " ");
    catq(run, w);
    pos += strlen(w) + 1;
  }
  cat(run, "\n");
  *add(m, "run", 0755) = runs;

  if (!p->autostart) add(m, "down", 0644);
  cat(add(m, "restart", 0644), p->restart == 'a' ? "always\n" : p->restart == 'o' ? "on-failure\n" : "never\n");
  if (p->codes.len)
  {
    stralloc *f = add(m, "success-codes", 0644);
    if (!stralloc_catb(f, p->codes.s, p->codes.len)) nomem();
  }
  {
    stralloc *f = add(m, "min-uptime", 0644);
    catnum(f, p->startsecs > 0 ? p->startsecs * 1000 : 0);
    cat(f, "\n");
    f = add(m, "max-failures", 0644);
    catnum(f, p->startretries >= 0 ? p->startretries + 1 : 1);
    cat(f, "\n");
    f = add(m, "down-signal", 0644);
    cat(f, p->sig);
    cat(f, "\n");
    f = add(m, "timeout-kill", 0644);
    catnum(f, p->stopwaitsecs > 0 ? p->stopwaitsecs * 1000 : 1);
    cat(f, "\n");
  }
  if (logged(&p->out))
  {
    stralloc *f = add(m, "log/run", 0755);
    cat(f, "#!/bin/sh\n# stdout of ");
    cat(f, p->name);
    cat(f, ", made by svimport\n");
    logger_run(f, &p->out, p->name, "stdout");
  }
  if (logged(&p->err))
  {
    stralloc *f;
    stralloc fifo = STRALLOC_ZERO;
    add(m, FIFO, 0);
    f = add(l, "run", 0755);
    cat(f, "#!/bin/sh\n# stderr of ");
    cat(f, p->name);
    cat(f, ", made by svimport: ");
    cat(f, p->name);
    cat(f, "/run writes it to " FIFO ", which it also holds open for reading, so no line is lost while this logger restarts\nexec <>");
    cat(&fifo, "../");
    cat(&fifo, p->name);
    cat(&fifo, "/" FIFO);
    if (!stralloc_0(&fifo)) nomem();
    catq(f, fifo.s);
    cat(f, "\n");
    logger_run(f, &p->err, p->name, "stderr");
    stralloc_free(&fifo);
  }
}

static void manifest (svfiles *f)
{
  stralloc *sa = add(f, MANIFEST, 0644);
  size_t i;
  cat(sa, "svimport\n");
  for (i = 0; i + 1 < f->n; i++)
  {
    cat(sa, f->e[i].path);
    cat(sa, "\n");
  }
}

static char *join (char const *a, char const *b)
{
  size_t n = strlen(a) + strlen(b) + 2;
  char *s = malloc(n);
  if (!s) nomem();
  snprintf(s, n, "%s/%s", a, b);
  return s;
}

/* 1 ours (has MANIFEST), 0 absent, -1 someone else's */
static int entry_state (char const *path)
{
  struct stat st;
  char *m;
  int r;
  if (lstat(path, &st) == -1) return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(st.st_mode)) return -1;
  m = join(path, MANIFEST);
  r = access(m, F_OK) == 0 ? 1 : -1;
  free(m);
  return r;
}

static int write_one (char const *path, stralloc const *body, unsigned int mode)
{
  size_t n = strlen(path);
  char tmp[n + 16];
  int fd;
  snprintf(tmp, sizeof tmp, "%s.new", path);
  if (!mode)
  {
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISFIFO(st.st_mode)) return 1;
    unlink(path);
    return mkfifo(path, 0600) == 0;
  }
  unlink(tmp);
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd == -1) return 0;
  if ((body->len && write(fd, body->s, body->len) != (ssize_t)body->len) || fchmod(fd, mode) == -1 || fsync(fd) == -1)
  {
    int e = errno;
    close(fd);
    unlink(tmp);
    errno = e;
    return 0;
  }
  if (close(fd) == -1 || rename(tmp, path) == -1)
  {
    int e = errno;
    unlink(tmp);
    errno = e;
    return 0;
  }
  return 1;
}

static int write_into (char const *d, svfiles const *f)
{
  size_t i;
  for (i = 0; i < f->n; i++)
  {
    char *p = join(d, f->e[i].path);
    char *slash = strrchr(p, '/');
    int ok;
    /* the subdirectory (env/, log/) */
    if (slash > p + strlen(d))
    {
      *slash = 0;
      if (mkdir(p, 0755) == -1 && errno != EEXIST) { strerr_warnwu2sys("create ", p); free(p); return 0; }
      *slash = '/';
    }
    ok = write_one(p, &f->e[i].body, f->e[i].mode);
    if (!ok) { strerr_warnwu2sys("write ", p); free(p); return 0; }
    free(p);
  }
  return 1;
}

static int listed (svfiles const *f, char const *path)
{
  size_t i;
  for (i = 0; i < f->n; i++) if (!strcmp(f->e[i].path, path)) return 1;
  return 0;
}

/* -f: the old import's files that the new one does not write go */
static void read_manifest (char const *d, stralloc *old)
{
  char *m = join(d, MANIFEST);
  {
    int fd = open(m, O_RDONLY | O_CLOEXEC);
    if (fd >= 0)
    {
      char buf[4096];
      ssize_t r;
      while ((r = read(fd, buf, sizeof buf)) > 0) if (!stralloc_catb(old, buf, r)) nomem();
      close(fd);
    }
  }
  free(m);
}

static void remove_stale (char const *d, svfiles const *f, stralloc *old)
{
  if (old->len && stralloc_0(old))
  {
    char *s = old->s, *nl;
    int first = 1;
    for (; (nl = strchr(s, '\n')); s = nl + 1)
    {
      *nl = 0;
      if (first) { first = 0; continue; }
      if (!*s || strstr(s, "..") || !strncmp(s, "supervise", 9) || !strncmp(s, "log/supervise", 13)) continue;
      if (!listed(f, s))
      {
        char *p = join(d, s);
        unlink(p);
        free(p);
      }
    }
  }
  {
    char *e = join(d, "env");
    rmdir(e);  /* only when empty */
    free(e);
  }
  if (!listed(f, "log/run"))
  {
    /* no logger any more: a log/ without run would be a logger that never starts */
    char *l = join(d, "log");
    rm_rf(l);
    free(l);
  }
}

static int put (char const *dir, char const *name, svfiles const *f, int force)
{
  char *path = join(dir, name);
  int st = entry_state(path);
  if (st == 1 && force)
  {
    stralloc old = STRALLOC_ZERO;
    int ok;
    read_manifest(path, &old);
    ok = write_into(path, f);
    if (ok) remove_stale(path, f, &old);
    stralloc_free(&old);
    free(path);
    return ok ? 1 : 111;
  }
  {
    char *tmpl = join(dir, ".svimport.XXXXXX");
    if (!mkdtemp(tmpl)) { strerr_warnwu2sys("create a directory in ", dir); free(tmpl); free(path); return 111; }
    chmod(tmpl, 0755);
    if (!write_into(tmpl, f)) { rm_rf(tmpl); free(tmpl); free(path); return 111; }
    /* renameat2(2) by its system call: musl before 1.2.5 has no wrapper */
    if (syscall(SYS_renameat2, AT_FDCWD, tmpl, AT_FDCWD, path, RENAME_NOREPLACE_FLAG) == -1)
    {
      int e = errno;
      rm_rf(tmpl);
      free(tmpl);
      if (e == EEXIST || e == ENOTEMPTY)
      {
        fprintf(stderr, "%s: fatal: %s: appeared while svimport ran: not replaced\n", PROG, path);
        free(path);
        return 0;
      }
      errno = e;
      strerr_warnwu4sys("rename into ", path, "", "");
      free(path);
      return 111;
    }
    free(tmpl);
  }
  free(path);
  return 1;
}

static int check (char const *dir, char const *name, proc const *p, int force)
{
  char *path = join(dir, name);
  int st = entry_state(path);
  if (st == -1 || (st == 1 && !force))
  {
    fprintf(stderr, "%s: fatal: %s:%u: [%s]: %s exists%s: not converted\n", PROG, p->conf, p->line, p->section, path,
            st == 1 ? " (svimport -f rewrites an earlier import)" : " and svimport did not make it");
    free(path);
    return 0;
  }
  free(path);
  return 1;
}

static int dirfail (char const *verb, char const *dir)
{
  fprintf(stderr, "%s: fatal: unable to %s %s: %s\n", PROG, verb, dir, strerror(errno));
  return 0;
}

static int dir_ready (char const *dir, int dry)
{
  static int done;
  struct stat st;
  if (done) return 1;
  if (stat(dir, &st) == -1)
  {
    if (errno != ENOENT && errno != ENOTDIR) return dirfail("access", dir);
    if (dry)
    {
      char *d = strdup(dir), *s;
      if (!d) nomem();
      s = strrchr(d, '/');
      if (s == d) s[1] = 0; else if (s) *s = 0; else strcpy(d, ".");
      if (access(d, W_OK) == -1) { free(d); return dirfail("create", dir); }
      free(d);
    }
    else if (mkdir(dir, 0755) == -1) return dirfail("create", dir);
  }
  else if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; return dirfail("use", dir); }
  else if (access(dir, W_OK | X_OK) == -1) return dirfail("write to", dir);
  done = 1;
  return 1;
}

int write_services (proc const *p, char const *dir, int force, int dry, char const *cwd, int chk)
{
  svfiles m = { 0, 0 }, l = { 0, 0 };
  int r = 1;
  char lname[strlen(p->name) + 8];
  snprintf(lname, sizeof lname, "%s:stderr", p->name);
  if (!dir_ready(dir, dry)) return 111;
  build(p, cwd, &m, &l);
  if (chk)
  {
    r = check(dir, p->name, p, force) && (!l.n || check(dir, lname, p, force));
    svfiles_free(&m);
    svfiles_free(&l);
    return r;
  }
  manifest(&m);
  if (l.n) manifest(&l);
  if (!dry)
  {
    r = put(dir, p->name, &m, force);
    if (r == 1 && l.n) r = put(dir, lname, &l, force);
  }
  if (r == 1 && !l.n && force)
  {
    /* an earlier import's stderr logger that this one no longer has goes (svscan stops it) */
    char *lp = join(dir, lname);
    if (entry_state(lp) == 1)
    {
      if (!dry && rm_rf(lp) == -1) { strerr_warnwu2sys("remove ", lp); r = 111; }
      else printf("%s: removed: stderr of %s is no longer logged apart\n", lp, p->name);
    }
    free(lp);
  }
  if (r == 1)
  {
    printf("%s/%s: [%s] of %s:%u", dir, p->name, p->section, p->conf, p->line);
    if (!p->dir) printf(" (no directory: run does cd %s, where svimport ran)", cwd);
    printf("\n");
    if (l.n) printf("%s/%s: stderr of %s\n", dir, lname, p->name);
  }
  svfiles_free(&m);
  svfiles_free(&l);
  return r;
}
