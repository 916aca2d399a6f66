/* SPDX-License-Identifier: ISC */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "spawn-internal.h"

extern char **environ;

/* Other libcs (musl, the static build of the programs): posix_spawn there opens a pipe
   to carry an exec error back, two fds that a supervise at its open-file limit does not
   have. So a clone(CLONE_VM | CLONE_VFORK) of our own, as glibc's posix_spawn does: the
   child runs on a stack of its own in our memory, writes an exec error into `err`, and
   we run again once it has exec'd or exited. SPAWN_CLONE=1 selects it under glibc too
   (to run t/unit/spawn.c against it). */
#if !defined(__GLIBC__) || defined(SPAWN_CLONE)
struct child
{
  spawn const *sp;
  int const *from;
  int const *to;
  unsigned int const *seq;
  unsigned int n;
  char *const *envp;
  int err;
};

/* The child: system calls only, no libc function that keeps state or that a
   sanitizer intercepts (our memory is the parent's, the stack is not a thread's) */
static int
child_main (void *arg)
{
  struct child *c = arg;
  /* all zero: as the kernel's struct sigaction, SIG_DFL with no flags and an empty
     mask whatever the architecture's field order; as a signal set, the empty one
     (room for 128 signals) */
  unsigned long zero[8] = { 0 };
  unsigned int i;
  int sig;
  /* every signal is blocked (by the parent): reset each disposition, then unblock.
     By the system call: the libcs refuse their internal signals (glibc 32 and 33, musl
     32 to 34), which a parent may have left ignored (glibc's posix_spawn does, so make
     does), and exec keeps an ignored signal ignored. SIGKILL, SIGSTOP: refused, harmless */
  for (sig = 1; sig < NSIG; sig++)
    syscall(SYS_rt_sigaction, sig, zero, 0, NSIG / 8);
  if (c->sp->newsession && syscall(SYS_setsid) == -1)
    goto fail;
  if (c->sp->cwd && syscall(SYS_chdir, c->sp->cwd) == -1)
    goto fail;
  for (i = 0; i < c->n; i++)
  {
    int from = c->from[c->seq[i]], to = c->to[c->seq[i]];
    if (from == to)
    {
      long fl = syscall(SYS_fcntl, from, F_GETFD);
      if (fl == -1 || syscall(SYS_fcntl, from, F_SETFD, fl & ~(long)FD_CLOEXEC) == -1)
        goto fail;
    }
    else if (syscall(SYS_dup3, from, to, 0) == -1)
      goto fail;
  }
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, zero, 0, NSIG / 8);
  syscall(SYS_execve, c->sp->argv[0], c->sp->argv, c->envp);
 fail:
  c->err = errno ? errno : EINVAL;
  syscall(SYS_exit, 127);
  return 127;
}

static pid_t
spawn_clone (spawn const *sp, int const *from, int const *to, unsigned int const *seq, unsigned int n)
{
  /* the child's stack, as musl's posix_spawn sizes its own: what the calls above need,
     with room; 16-byte aligned */
  _Alignas(16) char stack[1024 + PATH_MAX];
  struct child c = { .sp = sp, .from = from, .to = to, .seq = seq, .n = n,
                     .envp = (char *const *)(sp->envp ? sp->envp : (char const *const *)environ), .err = 0 };
  sigset_t all, old;
  pid_t pid;
  int e;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  pid = clone(&child_main, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &c);
  e = errno;
  if (pid > 0 && c.err)
  {
    /* exec failed: reap that child, as posix_spawn does */
    while (waitpid(pid, 0, 0) == -1 && errno == EINTR) ;
    e = c.err;
    pid = -1;
  }
  sigprocmask(SIG_SETMASK, &old, 0);
  if (pid < 0)
    errno = e;
  return pid;
}

#else

/* posix_spawn (glibc >= 2.29) reports exec errors itself, reaps the failed child, and
   clears close-on-exec for a dup2 of an fd onto itself */

/* glibc's sigfillset leaves out its internal signals (32, 33), and posix_spawn then
   sets them to SIG_IGN in the child, which exec keeps: add them by hand so that the
   child gets SIG_DFL for them too (checked by t/unit/spawn.c) */
static void
fill_internal (sigset_t *set)
{
  unsigned long *w = (unsigned long *)(void *)set;
  int sig = 32;
  for (; sig < SIGRTMIN; sig++)
    w[(sig - 1) / (8 * sizeof *w)] |= 1UL << ((sig - 1) % (8 * sizeof *w));
}

static pid_t
spawn_posix (spawn const *sp, int const *from, int const *to, unsigned int const *seq, unsigned int n)
{
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t fa;
  sigset_t set;
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  unsigned int i;
  pid_t pid;
  int e;
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
#endif

pid_t
spawn_run (spawn const *sp)
{
  int from[3], to[3];
  unsigned int n = 0, seq[3];
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
#if !defined(__GLIBC__) || defined(SPAWN_CLONE)
  return spawn_clone(sp, from, to, seq, n);
#else
  return spawn_posix(sp, from, to, seq, n);
#endif
}
