/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include "spawn.h"
#include "spawn-internal.h"

extern char **environ;

/* posix_spawn (glibc >= 2.29) reports exec errors itself, reaps the failed child, and
   clears close-on-exec for a dup2 of an fd onto itself */

/* glibc's sigfillset leaves out its internal signals (32, 33), and posix_spawn then
   sets them to SIG_IGN in the child, which exec keeps: add them by hand so that the
   child gets SIG_DFL for them too (checked by t/unit/spawn.c) */
static void
fill_internal (sigset_t *set)
{
#ifdef __GLIBC__
  unsigned long *w = (unsigned long *)(void *)set;
  int sig = 32;
  for (; sig < SIGRTMIN; sig++)
    w[(sig - 1) / (8 * sizeof *w)] |= 1UL << ((sig - 1) % (8 * sizeof *w));
#else
  (void)set;
#endif
}

pid_t
spawn_run (spawn const *sp)
{
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t fa;
  sigset_t set;
  int from[3], to[3];
  unsigned int n = 0, i, seq[3];
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  pid_t pid;
  int e;
  if (sp->fd0 >= 0)
  {
    from[n] = sp->fd0;
    to[n++] = 0;
  }
  if (sp->fd1 >= 0)
  {
    from[n] = sp->fd1;
    to[n++] = 1;
  }
  if (sp->fdx_from >= 0 && sp->fdx_to >= 0)
  {
    from[n] = sp->fdx_from;
    to[n++] = sp->fdx_to;
  }
  if (!spawn_order(from, to, n, seq))
    return (errno = EINVAL, -1);
  if (sp->newsession)
    flags |= POSIX_SPAWN_SETSID;
  e = posix_spawnattr_init(&attr);
  if (e)
    return (errno = e, -1);
  e = posix_spawn_file_actions_init(&fa);
  if (e)
    goto errattr;
  e = posix_spawnattr_setflags(&attr, flags);
  if (e)
    goto err;
  sigemptyset(&set);
  e = posix_spawnattr_setsigmask(&attr, &set);
  if (e)
    goto err;
  sigfillset(&set);
  fill_internal(&set);
  e = posix_spawnattr_setsigdefault(&attr, &set);
  if (e)
    goto err;
  if (sp->cwd)
  {
    e = posix_spawn_file_actions_addchdir_np(&fa, sp->cwd);
    if (e)
      goto err;
  }
  for (i = 0; i < n; i++)
  {
    e = posix_spawn_file_actions_adddup2(&fa, from[seq[i]], to[seq[i]]);
    if (e)
      goto err;
  }
  e = posix_spawn(&pid, sp->argv[0], &fa, &attr, (char *const *)sp->argv, (char *const *)(sp->envp ? sp->envp : (char const *const *)environ));
  if (e)
    goto err;
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return pid;
 err:
  posix_spawn_file_actions_destroy(&fa);
 errattr:
  posix_spawnattr_destroy(&attr);
  errno = e;
  return -1;
}
