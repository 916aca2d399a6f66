/* SPDX-License-Identifier: ISC */
/* svlog/svlog-target.c: one target: open and lock, write whole lines, rotate,
   archives, the processor (SPEC 8) */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>

#include "logstamp.h"
#include "svlog.h"

static char const *
tpath (target *t, char const *file)
{
  t->path.len = 0;
  if (!stralloc_cats(&t->path, t->name)
      || (file && (!stralloc_catb(&t->path, "/", 1) || !stralloc_cats(&t->path, file)))
      || !stralloc_0(&t->path))
    strerr_diefu1sys(111, "allocate memory");
  return t->path.s;
}

 /* the first failure of a target is a warning; retries are each second */
static void
trouble (target *t, char const *verb, char const *file, int e)
{
  if (!t->failing)
  {
    t->failing = 1;
    t->ferr = e;
    t->fwhat = verb;
    t->removed = 0;
    SVLOG_WARN("unable to ", verb, " ", file ? tpath(t, file) : t->name, ": ", strerror(e), " (retrying each second)");
  }
  tain_addsec_g(&t->retry, 1);
}

void
target_init (target *t, char const *name, int isfile)
{
  memset(t, 0, sizeof *t);
  t->name = name;
  t->isfile = !!isfile;
  t->fd = t->lockfd = -1;
  t->smax = svlog_opts.size;
  t->num = svlog_opts.num;
  t->age = svlog_opts.age;
  t->procretry = tain_zero;
}

static void
hex (char *s, uint64_t u, unsigned int n)
{
  while (n--)
  {
    s[n] = "0123456789abcdef"[u & 15];
    u >>= 4;
  }
}

 /* a fresh archive name @TAI64N.suffix (27 bytes + NUL) that does not exist yet */
static void
archname (target *t, char *s, char suffix)
{
  struct timespec ts;
  struct stat st;
  char name[28];
  clock_gettime(CLOCK_REALTIME, &ts);
  for (;;)
  {
    name[0] = '@';
    hex(name + 1, LOGSTAMP_TAI_BASE + (uint64_t)ts.tv_sec, 16);
    hex(name + 17, (uint64_t)ts.tv_nsec, 8);
    name[25] = '.';
    name[26] = suffix;
    name[27] = 0;
    if (stat(tpath(t, name), &st) == -1 && errno == ENOENT)
      break;
    if (++ts.tv_nsec >= 1000000000)
    {
      ts.tv_nsec = 0;
      ts.tv_sec++;
    }
  }
  memcpy(s, name, 28);
}

static int
isarchive (char const *s)
{
  unsigned int i;
  if (s[0] != '@' || strlen(s) != 27 || s[25] != '.')
    return 0;
  for (i = 1; i < 25; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  return s[26];
}

 /* the oldest archive of a directory, and how many there are: of one suffix ('s', 'u'),
    or of both but the .u being processed (0), or of both ('a') */
static int
oldest (target *t, char *name, unsigned int *count, char suffixonly)
{
  DIR *d = opendir(t->name);
  struct dirent *de;
  int found = 0;
  *count = 0;
  if (!d)
    return 0;
  while ((de = readdir(d)))
  {
    char c = (char)isarchive(de->d_name);
    if (c != 's' && c != 'u')
      continue;
    if (suffixonly && suffixonly != 'a' && c != suffixonly)
      continue;
    if (!suffixonly && t->procpid && !strcmp(de->d_name, t->procname))
      continue;
    ++*count;
    if (!found || strcmp(de->d_name, name) < 0)
    {
      memcpy(name, de->d_name, 28);
      found = 1;
    }
  }
  closedir(d);
  return found;
}

 /* -f FILE: the highest FILE.k present, and how many there are */
static unsigned int
file_archives (target *t, unsigned int *highest)
{
  unsigned int k, n = 0;
  struct stat st;
  char num[UINT_FMT + 1];
  *highest = 0;
  for (k = 1; k <= t->num; k++)
  {
    num[0] = '.';
    num[1 + uint_fmt(num + 1, k)] = 0;
    t->path.len = 0;
    if (!stralloc_cats(&t->path, t->name) || !stralloc_cats(&t->path, num) || !stralloc_0(&t->path))
      strerr_diefu1sys(111, "allocate memory");
    if (stat(t->path.s, &st) == 0)
    {
      n++;
      *highest = k;
    }
  }
  return n;
}

static char const *
file_k (target *t, unsigned int k)
{
  char num[UINT_FMT + 1];
  num[0] = '.';
  num[1 + uint_fmt(num + 1, k)] = 0;
  t->path.len = 0;
  if (!stralloc_cats(&t->path, t->name) || !stralloc_cats(&t->path, num) || !stralloc_0(&t->path))
    strerr_diefu1sys(111, "allocate memory");
  return t->path.s;
}

 /* ENOSPC/EDQUOT: remove one of our own oldest archives, keeping N. 1 one was removed */
static int
remove_for_space (target *t)
{
  int e = errno;
  unsigned int count;
  char name[28];
  if (t->isfile)
  {
    unsigned int hi;
    count = file_archives(t, &hi);
    if (count > t->nmin && hi && unlink(file_k(t, hi)) == 0)
    {
      t->removed++;
      SVLOG_WARN(t->name, ": ", strerror(e), ": removed ", file_k(t, hi));
      return 1;
    }
  }
  else if (oldest(t, name, &count, 0) && count > t->nmin && unlink(tpath(t, name)) == 0)
  {
    t->removed++;
    SVLOG_WARN(t->name, ": ", strerror(e), ": removed ", tpath(t, name));
    return 1;
  }
  errno = e;
  return 0;
}

static void
rmoldest (target *t)
{
  unsigned int count;
  char name[28];
  if (!t->num)
    return;
   /* oldest first, counting the .u being processed; when that one is the oldest, the
      rest waits until it is done (target_proc_reaped), so that no newer lines go first */
  while (oldest(t, name, &count, 'a') && count > t->num)
  {
    if (t->procpid && !strcmp(name, t->procname))
      return;
    if (unlink(tpath(t, name)) == -1)
    {
      SVLOG_WARN("unable to remove ", tpath(t, name), ": ", strerror(errno));
      return;
    }
    SVLOG_INFO("removed ", tpath(t, name));
  }
}

static void
apply_conf (target *t)
{
  logconf const *c = &t->conf;
  int h = t->hasconf;
  t->smax = h && c->hassize ? c->size : svlog_opts.size;
  t->num = h && c->hasnum ? c->num : svlog_opts.num;
  t->nmin = h && c->hasnmin ? c->nmin : 0;
  t->age = h && c->hasage ? c->age : svlog_opts.age;
  t->proc = h && c->hasproc ? c->text.s + c->proc : 0;
  t->pre = h && c->haspre ? c->text.s + c->pre : 0;
  t->prelen = t->pre ? strlen(t->pre) : 0;
}

static void
read_conf (target *t)
{
  stralloc sa = STRALLOC_ZERO;
  t->hasconf = 0;
  if (!openslurpclose(&sa, tpath(t, "config")))
  {
    if (errno != ENOENT)
      SVLOG_WARN("unable to read ", tpath(t, "config"), ": ", strerror(errno));
  }
  else if (!logconf_parse(&t->conf, sa.s, sa.len))
    SVLOG_WARN("unable to read ", tpath(t, "config"), ": ", strerror(errno));
  else
  {
    t->hasconf = 1;
    if (t->conf.bad)
    {
      char l[UINT_FMT], b[UINT_FMT];
      l[uint_fmt(l, t->conf.badline)] = 0;
      b[uint_fmt(b, t->conf.bad)] = 0;
      SVLOG_WARN("unable to understand ", tpath(t, "config"), " line ", l, ": not a directive (", b, " line(s) ignored)");
    }
  }
  stralloc_free(&sa);
  apply_conf(t);
}

static int mkdir_p (char *s);

 /* DIR is a link that dangles (a read-only image linking its logs into /run): make
    what it points to */
static int
mkdir_link (char const *s)
{
  char to[4096], full[8192];
  struct stat st;
  ssize_t n;
  if (stat(s, &st) == 0 || errno != ENOENT || lstat(s, &st) == -1 || !S_ISLNK(st.st_mode))
    return 1;
  n = readlink(s, to, sizeof to - 1);
  if (n <= 0)
    return 0;
  to[n] = 0;
  if (to[0] == '/')
    memcpy(full, to, (size_t)n + 1);
  else
  {
    char const *slash = strrchr(s, '/');
    size_t k = slash ? (size_t)(slash - s) + 1 : 0;
    if (k + (size_t)n + 1 > sizeof full)
      return (errno = ENAMETOOLONG, 0);
    memcpy(full, s, k);
    memcpy(full + k, to, (size_t)n + 1);
  }
  return mkdir_p(full);
}

static int
mkdir_p (char *s)
{
  size_t n = strlen(s), i;
  if (mkdir(s, 0755) == 0)
    return 1;
  if (errno == EEXIST)
    return mkdir_link(s);
  if (errno != ENOENT)
    return 0;
  for (i = 1; i < n; i++)
    if (s[i] == '/')
    {
      s[i] = 0;
      if (mkdir(s, 0755) == -1 && errno != EEXIST)
      {
        s[i] = '/';
        return 0;
      }
      s[i] = '/';
    }
  return mkdir(s, 0755) == 0 || errno == EEXIST;
}

static int
open_current (target *t)
{
  struct stat st;
  t->fd = open(tpath(t, "current"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0600);
  if (t->fd == -1)
  {
    trouble(t, "open", "current", errno);
    return 0;
  }
  fchmod(t->fd, 0644);
  t->size = fstat(t->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
  tain_copynow(&t->opened);
  return 1;
}

static int
open_file (target *t)
{
  struct stat st, lst;
  t->fd = open(t->name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0644);
  if (t->fd == -1)
  {
    trouble(t, "open", 0, errno);
    return 0;
  }
   /* rotated only when it is a regular file by that name: /dev/stdout is a link to
      whatever fd 1 is, and renaming it would move the link */
  if (fstat(t->fd, &st) == 0 && S_ISREG(st.st_mode) && lstat(t->name, &lst) == 0 && S_ISREG(lst.st_mode))
  {
    t->rotatable = 1;
    t->size = (uint64_t)st.st_size;
  }
  else
    t->rotatable = 0;
  tain_copynow(&t->opened);
  return 1;
}

int
target_open (target *t)
{
  struct stat st;
  memset(&st, 0, sizeof st);
  if (t->isfile)
    return t->fd >= 0 || open_file(t);
  if (t->lockfd < 0)
  {
    char *dir = (char *)tpath(t, 0);
    if (!mkdir_p(dir))
    {
      trouble(t, "create", 0, errno);
      return 0;
    }
    t->lockfd = open(tpath(t, "lock"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0600);
    if (t->lockfd == -1)
    {
      trouble(t, "open", "lock", errno);
      return 0;
    }
     /* svlogd's lock: flock, so that an svlogd and an svlog never share a directory */
    if (flock(t->lockfd, LOCK_EX | LOCK_NB) == -1)
    {
      int e = errno;
      fd_close(t->lockfd);
      t->lockfd = -1;
      if (e == EWOULDBLOCK)
      {
        if (!t->failing)
        {
          t->failing = 1;
          t->ferr = e;
          t->fwhat = "lock";
          t->removed = 0;
          SVLOG_WARN("unable to lock ", tpath(t, "lock"), ": another logger has it (retrying each second)");
        }
        tain_addsec_g(&t->retry, 1);
      }
      else
        trouble(t, "lock", "lock", e);
      return 0;
    }
    t->rotatable = 1;
    read_conf(t);
     /* a current that a killed logger left unfinished (no x bit) becomes an archive .u */
    if (stat(tpath(t, "current"), &st) == 0 && st.st_size && !(st.st_mode & S_IXUSR))
    {
      char name[28], from[4096];
      size_t n = strlen(tpath(t, "current"));
      if (n < sizeof from)
      {
        memcpy(from, t->path.s, n + 1);
        archname(t, name, 'u');
        if (rename(from, tpath(t, name)) == -1)
          SVLOG_WARN("unable to rename ", from, " to ", tpath(t, name), ": ", strerror(errno));
        else
          SVLOG_INFO(from, " was unfinished: renamed to ", tpath(t, name));
        rmoldest(t);
      }
    }
  }
  if (t->fd < 0 && !open_current(t))
    return 0;
  if (t->proc)
    target_proc_start(t);
  return 1;
}

 /* the current we write to is no longer DIR/current (removed, or replaced) */
static int
current_gone (target *t, struct stat const *fst)
{
  struct stat st;
  if (fst->st_nlink == 0)
    return 1;
  if (stat(tpath(t, t->isfile ? 0 : "current"), &st) == -1)
    return 1;
  return st.st_ino != fst->st_ino || st.st_dev != fst->st_dev;
}

 /* -f FILE: another svlog rotated it (our inode lives on under FILE.1): take the new FILE */
static int
reopen_file (target *t)
{
  fd_close(t->fd);
  t->fd = -1;
  return open_file(t);
}

static void
reopen_after_gone (target *t)
{
  fd_close(t->fd);
  t->fd = -1;
  t->size = 0;
  if (t->isfile)
  {
    SVLOG_WARN(t->name, " was removed or replaced: opening it again (lines written since it was removed are gone with it)");
    open_file(t);
    return;
  }
  SVLOG_WARN(t->name, "/current was removed or replaced: starting a new one (lines written since it was removed are gone with it)");
  {
    struct stat st;
    if (stat(tpath(t, "lock"), &st) == -1 && t->lockfd >= 0)
    {
       /* the directory itself went: create and lock it again */
      fd_close(t->lockfd);
      t->lockfd = -1;
    }
  }
  target_open(t);
}

static int
file_rotate (target *t)
{
  struct stat fst;
  unsigned int k;
   /* another svlog rotating it now: its renames take a moment; wait for them at most
      50 ms (then this one writes on and tries again at its next write), and take the
      new FILE it made */
  if (flock(t->fd, LOCK_EX | LOCK_NB) == -1)
  {
    int i;
    for (i = 0; i < 50; i++)
    {
      poll(0, 0, 1);
      if (fstat(t->fd, &fst) == 0 && fst.st_nlink && current_gone(t, &fst))
        return reopen_file(t);
      if (flock(t->fd, LOCK_EX | LOCK_NB) == 0)
        break;
    }
    if (i == 50)
      return 0;
  }
   /* another svlog on the same FILE may have rotated it already */
  if (fstat(t->fd, &fst) == -1 || current_gone(t, &fst))
    return reopen_file(t);
  if (!fst.st_size)
  {
    flock(t->fd, LOCK_UN);
    t->size = 0;
    return 1;
  }
  if (!t->num)
  {
    if (ftruncate(t->fd, 0) == -1)
    {
      int e = errno;
      flock(t->fd, LOCK_UN);
      SVLOG_WARN("unable to truncate ", t->name, ": ", strerror(e));
      return 0;
    }
    flock(t->fd, LOCK_UN);
    t->size = 0;
    tain_copynow(&t->opened);
    return 1;
  }
  fsync(t->fd);
  for (k = t->num; k > 1; k--)
  {
    char from[4096];
    size_t n = strlen(file_k(t, k - 1));
    if (n >= sizeof from)
      break;
    memcpy(from, t->path.s, n + 1);
    if (rename(from, file_k(t, k)) == -1 && errno != ENOENT)
      SVLOG_WARN("unable to rename ", from, ": ", strerror(errno));
  }
  if (rename(t->name, file_k(t, 1)) == -1)
  {
    int e = errno;
    flock(t->fd, LOCK_UN);
    SVLOG_WARN("unable to rename ", t->name, ": ", strerror(e));
    return 0;
  }
  fd_close(t->fd);
  t->fd = -1;
  SVLOG_INFO("rotated ", t->name, " to ", file_k(t, 1));
  return open_file(t);
}

int
target_rotate (target *t)
{
  struct stat st;
  char name[28], from[4096];
  size_t n;
  if (t->fd < 0 || !t->rotatable)
    return 1;
  if (t->isfile)
    return file_rotate(t);
  if (fstat(t->fd, &st) == -1)
    return 0;
  if (current_gone(t, &st))
  {
    reopen_after_gone(t);
    return t->fd >= 0;
  }
  if (!st.st_size)
  {
    t->size = 0;
    return 1;
  }
  fsync(t->fd);
  fchmod(t->fd, 0744);
  n = strlen(tpath(t, "current"));
  if (n >= sizeof from)
    return 0;
  memcpy(from, t->path.s, n + 1);
  archname(t, name, t->proc ? 'u' : 's');
  if (rename(from, tpath(t, name)) == -1)
  {
    SVLOG_WARN("unable to rename ", from, " to ", tpath(t, name), ": ", strerror(errno));
    fchmod(t->fd, 0644);
    return 0;
  }
  fd_close(t->fd);
  t->fd = -1;
  t->size = 0;
  SVLOG_INFO("rotated ", from, " to ", tpath(t, name));
  rmoldest(t);
  if (!open_current(t))
    return 0;
  if (t->proc)
    target_proc_start(t);
  return 1;
}

 /* write all of s or fail with errno; on ENOSPC/EDQUOT our own archives go first */
static size_t
writeall (target *t, char const *s, size_t n)
{
  size_t w = 0;
  while (w < n)
  {
    ssize_t r = write(t->fd, s + w, n - w);
    if (r > 0)
    {
      w += (size_t)r;
      continue;
    }
    if (r == -1 && errno == EINTR)
      continue;
    if (!r)
      errno = EIO;
    if ((errno == ENOSPC || errno == EDQUOT) && remove_for_space(t))
      continue;
    break;
  }
  return w;
}

size_t
target_put (target *t, char const *s, size_t n)
{
  size_t done = 0;
  int norot = 0;
   /* a -f FILE may have other writers (SPEC 8): when one of them rotated it, write to
      the new FILE; its size is the file's, not what this one wrote */
  struct stat fst;
  if (t->isfile && t->rotatable && t->smax && t->fd >= 0 && fstat(t->fd, &fst) == 0)
  {
     /* FILE removed (not renamed) is said at the next rotation or SIGHUP, as a current */
    if (fst.st_nlink && access(t->name, F_OK) == 0 && current_gone(t, &fst))
    {
      if (!reopen_file(t))
        return 0;
      if (fstat(t->fd, &fst) == -1)
        fst.st_size = 0;
    }
    t->size = (uint64_t)fst.st_size;
  }
  while (done < n)
  {
    char const *p = s + done;
    size_t k = n - done, w;
    if (t->fd < 0)
    {
      errno = t->ferr ? t->ferr : EBADF;
      return done;
    }
    if (t->smax && t->rotatable && !norot && t->size + k > t->smax)
    {
      size_t room = t->size < t->smax ? (size_t)(t->smax - t->size) : 0;
      char const *e = room ? memrchr(p, '\n', room) : 0;
      if (e)
        k = (size_t)(e - p) + 1;
      else if (t->size)
      {
        if (!target_rotate(t))
          norot = 1;
        continue;
      }
      else if ((e = memchr(p, '\n', k)))
        k = (size_t)(e - p) + 1;
    }
    w = writeall(t, p, k);
    done += w;
    t->size += w;
    if (w < k)
      return done;
  }
  return done;
}

void
target_hup (target *t)
{
  struct stat st;
  if (!t->isfile && t->lockfd >= 0)
    read_conf(t);
  if (t->fd >= 0 && fstat(t->fd, &st) == 0 && current_gone(t, &st))
  {
    reopen_after_gone(t);
    return;
  }
  if (t->fd >= 0)
  {
    fd_close(t->fd);
    t->fd = -1;
    if (t->isfile)
      open_file(t);
    else
      open_current(t);
  }
  if (!t->isfile && t->proc)
    target_proc_start(t);
}

void
target_close (target *t)
{
  if (t->fd >= 0)
  {
    fsync(t->fd);
     /* svlogd's mark of a current that was closed cleanly: appended to at the next start */
    if (!t->isfile)
      fchmod(t->fd, 0744);
    fd_close(t->fd);
    t->fd = -1;
  }
  if (t->lockfd >= 0)
  {
    fd_close(t->lockfd);
    t->lockfd = -1;
  }
}


 /* processor: a child of svlog runs sh -c PROCESSOR <@x.u >@x.t (fd 4: state, fd 5:
    newstate, as svlogd), then renames @x.t to @x.s and removes @x.u itself, so that an
    exiting svlog leaves no half-done archive behind */

 /* the child keeps only stderr: not svlog's stdin (the service's pipe), not the lock or
    current of any target (a processor that outlived svlog would keep the next svlog
    out of the directory) */
static void
close_all_but_stderr (void)
{
  DIR *d = opendir("/proc/self/fd");
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0)
  {
    dup2(devnull, 0);
    if (devnull)
      close(devnull);
  }
  if (d)
  {
    struct dirent *de;
    int self = dirfd(d);
    while ((de = readdir(d)))
    {
      unsigned int fd;
      if (uint0_scan(de->d_name, &fd) && fd > 2 && (int)fd != self)
        close((int)fd);
    }
    closedir(d);
  }
  else
    for (int fd = 3; fd < 1024; fd++)
      close(fd);
}

static void
processor_child (char const *dir, char const *u, char const *proc)
{
  char t[28], s[28];
  int fds[4], i, wstat;
  pid_t pid;
  memcpy(t, u, 28);
  memcpy(s, u, 28);
  t[26] = 't';
  s[26] = 's';
  if (chdir(dir) == -1)
    _exit(111);
  fds[0] = open(u, O_RDONLY | O_CLOEXEC);
  fds[1] = open(t, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  fds[2] = open("state", O_RDONLY | O_CLOEXEC);
  if (fds[2] == -1)
    fds[2] = open("/dev/null", O_RDONLY | O_CLOEXEC);
  fds[3] = open("newstate", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  for (i = 0; i < 4; i++)
    if (fds[i] == -1)
      _exit(111);
  pid = fork();
  if (pid == -1)
    _exit(111);
  if (!pid)
  {
    static int const to[4] = { 0, 1, 4, 5 };
    for (i = 0; i < 4; i++)
      if ((fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10)) == -1)
        _exit(111);
    for (i = 0; i < 4; i++)
      if (dup2(fds[i], to[i]) == -1)
        _exit(111);
    execl("/bin/sh", "sh", "-c", proc, (char *)0);
    _exit(127);
  }
  if (waitpid(pid, &wstat, 0) != pid || !WIFEXITED(wstat) || WEXITSTATUS(wstat))
  {
    unlink(t);
    _exit(WIFEXITED(wstat) && WEXITSTATUS(wstat) ? WEXITSTATUS(wstat) : 111);
  }
  if (fsync(fds[1]) == -1 || fchmod(fds[1], 0744) == -1 || rename(t, s) == -1)
  {
    unlink(t);
    _exit(111);
  }
  unlink(u);
  rename("newstate", "state");
  _exit(0);
}

static int noprocs;          /* svlog is exiting: no processor starts */

void
target_procs_stop (void)
{
  noprocs = 1;
}

 /* exiting, its time is up: a processor still running is killed with its group; its
    .u stays, for the next svlog to process */
void
target_proc_kill (target *t)
{
  if (!t->procpid)
    return;
  SVLOG_WARN("processor of ", t->name, " still running on ", t->procname, " at exit: killed (kept for the next start)");
  kill(-t->procpid, SIGKILL);
  while (waitpid(t->procpid, 0, 0) == -1 && errno == EINTR) ;
  t->procpid = 0;
  t->procname[26] = 't';
  unlink(tpath(t, t->procname));
}

void
target_proc_start (target *t)
{
  char name[28];
  unsigned int count;
  pid_t pid;
  if (!t->proc || t->procpid || t->isfile || noprocs)
    return;
  if (t->procretry.sec.x && tain_future(&t->procretry))
    return;
  if (!oldest(t, name, &count, 'u'))
    return;
  pid = fork();
  if (pid == -1)
  {
    SVLOG_WARN("unable to fork for the processor of ", t->name, ": ", strerror(errno));
    tain_addsec_g(&t->procretry, 1);
    return;
  }
  if (!pid)
  {
    selfpipe_finish();
    close_all_but_stderr();
    setsid();
    processor_child(t->name, name, t->proc);
  }
  t->procpid = pid;
  memcpy(t->procname, name, 28);
  {
     /* a processor that hangs: killed after 10 s plus 1 s per 100 kB of its input */
    struct stat st;
    uint64_t size = stat(tpath(t, name), &st) == 0 ? (uint64_t)st.st_size : 0;
    tain_addsec_g(&t->procdl, (int)(10 + (size / 100000 > 86400 ? 86400 : size / 100000)));
  }
}

int
target_proc_reaped (target *t, pid_t pid, int wstat)
{
  if (!t->procpid || pid != t->procpid)
    return 0;
  t->procpid = 0;
  if (WIFEXITED(wstat) && !WEXITSTATUS(wstat))
  {
    t->procfails = 0;
    t->procretry = tain_zero;
    SVLOG_INFO("processed ", tpath(t, t->procname));
    rmoldest(t);
    target_proc_start(t);
  }
  else
  {
    unsigned int delay = t->procfails >= 6 ? 60 : 1u << t->procfails;
    char d[UINT_FMT], c[UINT_FMT];
    d[uint_fmt(d, delay)] = 0;
    c[uint_fmt(c, WIFEXITED(wstat) ? (unsigned int)WEXITSTATUS(wstat) : 128u + (unsigned int)WTERMSIG(wstat))] = 0;
    t->procfails++;
    tain_addsec_g(&t->procretry, (int)delay);
    SVLOG_WARN("unable to process ", tpath(t, t->procname), " with ", t->proc, ": exit ", c, " (kept, retrying in ", d, " s)");
  }
  return 1;
}

int
target_deadline (target const *t, tain *dl)
{
  int has = 0;
  if (t->failing)
  {
    *dl = t->retry;
    has = 1;
  }
  if (t->age && t->size && t->fd >= 0 && t->rotatable)
  {
    tain a;
    tain_addsec(&a, &t->opened, (int)t->age);
    if (!has || tain_less(&a, dl))
      *dl = a;
    has = 1;
  }
  if (t->proc && !t->procpid && t->procretry.sec.x)
  {
    if (!has || tain_less(&t->procretry, dl))
      *dl = t->procretry;
    has = 1;
  }
  if (t->procpid)
  {
    if (!has || tain_less(&t->procdl, dl))
      *dl = t->procdl;
    has = 1;
  }
  return has;
}

void
target_timer (target *t)
{
  if (t->age && t->size && t->fd >= 0 && t->rotatable)
  {
    tain a;
    tain_addsec(&a, &t->opened, (int)t->age);
    if (!tain_future(&a) && !target_rotate(t))
      tain_copynow(&t->opened);
  }
  if (t->procpid && !tain_future(&t->procdl))
  {
    SVLOG_WARN("processor of ", t->name, " still running on ", t->procname, " after its time: killed");
    kill(-t->procpid, SIGKILL);
    tain_addsec_g(&t->procdl, 3600);
  }
  if (t->proc && !t->procpid && t->procretry.sec.x && !tain_future(&t->procretry))
  {
    t->procretry = tain_zero;
    target_proc_start(t);
  }
}
