/* ISC license. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <skalibs/strerr.h>

#include "spawn.h"
#include "spawn-internal.h"

extern char **environ;

pid_t
spawn_start (spawn const *sp, char const *what)
{
  int from[3], to[3];
  unsigned int n = 0, i, seq[3];
  pid_t pid;
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
  pid = fork();
  if (pid)
    return pid;
  {
    sigset_t set;
    struct sigaction sa;
    int sig;
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
     /* every disposition back to default (an inherited SIG_IGN survives exec), then unblock */
    for (sig = 1; sig < NSIG; sig++)
      if (sig != SIGKILL && sig != SIGSTOP)
        sigaction(sig, &sa, 0);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, 0);
  }
  if (sp->newsession && setsid() == -1)
    strerr_diewusys(126, "spawn ", what, ": setsid");
  if (sp->cwd && chdir(sp->cwd) == -1)
    strerr_diewusys(126, "spawn ", what, ": chdir to ", sp->cwd);
  for (i = 0; i < n; i++)
  {
    int f = from[seq[i]], t = to[seq[i]];
    if (f == t ? fcntl(f, F_SETFD, 0) == -1 : dup2(f, t) == -1)
      strerr_diewusys(126, "spawn ", what, ": dup2");
  }
  execve(sp->argv[0], (char *const *)sp->argv, (char *const *)(sp->envp ? sp->envp : (char const *const *)environ));
  strerr_diewusys(errno == ENOENT ? 127 : 126, "spawn ", what);
}
