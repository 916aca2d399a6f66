/* SPDX-License-Identifier: ISC */
/* svctl/svc.c: what a service is now: where it is, whether a supervisor runs it, what its
   supervise/ files say, and the bytes sent to its control. Nothing here prints. */

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>

#include "control.h"
#include "svpath.h"
#include "svstate.h"
#include "svstatus.h"
#include "svctl.h"

static stralloc fn = STRALLOC_ZERO;    /* svc_sub's buffer */

/* dir/sub, in a scratch buffer valid until the next call */
char const *svc_sub (char const *dir, char const *s)
{
  fn.len = 0;
  if (!stralloc_cats(&fn, dir) || !stralloc_catb(&fn, "/", 1) || !stralloc_cats(&fn, s) || !stralloc_0(&fn))
    strerr_diefusys(xfatal, "stralloc_catb");
  return fn.s;
}

int svc_exists (char const *dir, char const *s)
{
  struct stat st;
  return stat(svc_sub(dir, s), &st) == 0;
}

int svc_normallyup (char const *dir)
{
  return !svc_exists(dir, "down");
}

/* SERVICE: its directory, there */
int svc_find (svc *s)
{
  struct stat st;
  if (!svpath_service(&s->path, s->name))
    strerr_diefusys(xfatal, "stralloc_catb");
  return stat(s->path.s, &st) == 0;
}

static int byname (void const *a, void const *b)
{
  return strcmp(((svc const *)a)->name, ((svc const *)b)->name);
}

/* every entry of $SVDIR that has a supervise dir, but dot-names */
svc *svc_list (unsigned int *n, stralloc *names)
{
  char const *svdir = svpath_svdir();
  DIR *d = opendir(svdir);
  stralloc tmp = STRALLOC_ZERO;
  size_t pos = 0;
  unsigned int i = 0;
  svc *v;
  if (!d)
    strerr_diefusys(xfatal, "open ", svdir);
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
    tmp.len = 0;
    if (!stralloc_cats(&tmp, de->d_name) || !stralloc_cats(&tmp, "/supervise") || !stralloc_0(&tmp))
      strerr_diefusys(xfatal, "stralloc_catb");
    if (stat(svc_sub(svdir, tmp.s), &st) == -1 || !S_ISDIR(st.st_mode))
      continue;
    if (!stralloc_cats(names, de->d_name) || !stralloc_0(names))
      strerr_diefusys(xfatal, "stralloc_catb");
    (*n)++;
  }
  if (errno)
    strerr_diefusys(xfatal, "read ", svdir);
  closedir(d);
  stralloc_free(&tmp);
  v = calloc(*n ? *n : 1, sizeof(svc));
  if (!v)
    strerr_diefusys(xfatal, "calloc");
  for (; i < *n; i++)
  {
    v[i].name = names->s + pos;
    pos += strlen(names->s + pos) + 1;
  }
  qsort(v, *n, sizeof(svc), &byname);
  return v;
}

/* 1 running, 0 not (no reader on control: ENXIO, or no control: ENOENT), -1 errno */
int svc_running (char const *dir)
{
  int fd = open_write(svc_sub(dir, "supervise/control"));
  if (fd == -1)
    return errno == ENXIO || errno == ENOENT ? 0 : -1;
  fd_close(fd);
  return 1;
}

/* supervise writes status, then state, at each change, both stamped with the same time
   (state's since); runsv writes only status. When they differ, either we read between
   the two writes, or the state was left by a supervise that runsv replaced: a state
   older than status by more than a second is that, and ignored. */
static int stale (char const *sdir)
{
  struct stat a, b;
  if (stat(svc_sub(sdir, "status"), &a) == -1 || stat(svc_sub(sdir, "state"), &b) == -1)
    return 0;
  return b.st_mtim.tv_sec + 1 < a.st_mtim.tv_sec;
}

/* read dir/supervise/{status,state}. 1 ok; 0 error: sn->what says which file, sn->err
   why (errno is set too; EPROTO for a bad format). The state file's text is left in sn->raw. */
int svc_read (char const *dir, snap *sn)
{
  stralloc sdir = STRALLOC_ZERO;
  int r = 0;
  if (!stralloc_cats(&sdir, svc_sub(dir, "supervise")) || !stralloc_0(&sdir))
    strerr_diefusys(xfatal, "stralloc_catb");
  sn->what = "unable to read supervise/status";
  if (!svstatus_read(sdir.s, &sn->st))
    goto end;
  if (sn->st.state > SVSTATUS_FINISH || (sn->st.want != 'u' && sn->st.want != 'd'))
  {
    errno = EPROTO;
    goto end;
  }
  sn->stamp = sn->st.sec * 1000000000ULL + sn->st.nsec;
  sn->what = "unable to read supervise/state";
  sn->raw.len = 0;
  sn->hasstate = sn->torn = 0;
  if (!openslurpclose(&sn->raw, svc_sub(sdir.s, "state")))
  {
    if (errno != ENOENT)
      goto end;
  }
  else
  {
    if (!svstate_parse(sn->raw.s, sn->raw.len, &sn->ss))
    {
      errno = EPROTO;
      goto end;
    }
    sn->hasstate = 1;
    sn->torn = sn->ss.since != sn->stamp;
    if (sn->torn && stale(sdir.s))
    {
      sn->hasstate = sn->torn = 0;
      sn->raw.len = 0;
    }
  }
  sn->what = 0;
  r = 1;
 end:
  sn->err = r ? 0 : errno;
  stralloc_free(&sdir);
  errno = sn->err;
  return r;
}

/* the common first look at a service: is a supervisor running, and (read) are its files
   readable. 1 yes; 0 no supervisor; -1 unreadable, sn->what and sn->err say why */
int svc_look (char const *dir, snap *sn, int read)
{
  int r = svc_running(dir);
  if (r < 0)
  {
    sn->what = "unable to open supervise/control";
    sn->err = errno;
    return -1;
  }
  if (!r)
    return 0;
  if (read && !svc_read(dir, sn))
    return -1;
  return 1;
}

/* logdir = dir/log, null-terminated; 1 when it has a supervise (its status file) */
int svc_haslog (char const *dir, stralloc *logdir)
{
  logdir->len = 0;
  if (!stralloc_cats(logdir, svc_sub(dir, "log")) || !stralloc_0(logdir))
    strerr_diefusys(xfatal, "stralloc_catb");
  return svc_exists(logdir->s, "supervise/status");
}

/* cmd's bytes to dir/supervise/control: 1 sent, 0 nobody reads control, -1 errno */
int svc_send (char const *dir, char const *cmd)
{
  int r = control_send(svc_sub(dir, "supervise"), cmd, strlen(cmd));
  return r < 0 ? -1 : r ? 1 : 0;
}

void snap_free (snap *sn)
{
  stralloc_free(&sn->raw);
}

void svc_cleanup (void)
{
  stralloc_free(&fn);
}
