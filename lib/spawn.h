/* SPDX-License-Identifier: ISC */
/* spawn.h: starting a child with a given fd layout, reporting exec errors */
#ifndef SVTREE_SPAWN_H
#define SVTREE_SPAWN_H

#include <sys/types.h>

typedef struct spawn_s spawn;
struct spawn_s
{
  char const *const *argv;      /* argv[0] is the path executed (no PATH search) */
  char const *const *envp;      /* 0: the current environ */
  int fd0;                      /* becomes the child's stdin; -1: inherited */
  int fd1;                      /* becomes the child's stdout; -1: inherited */
  int fdx_from;                 /* an extra fd made fdx_to in the child; -1: none */
  int fdx_to;
  char const *cwd;              /* the child's working directory; 0: unchanged (posix_spawn_file_actions_addchdir_np) */
  unsigned int newsession : 1;  /* setsid(): leader of a new session and process group */
};
#define SPAWN_ZERO { .argv = 0, .envp = 0, .fd0 = -1, .fd1 = -1, .fdx_from = -1, .fdx_to = -1, .cwd = 0, .newsession = 0 }

/* spawn_run: the child starts with every signal unblocked and at its default
   disposition, the fds above in place (other fds as they are: callers keep their own
   close-on-exec). Returns the pid; -1 with errno if it could not be started
   (EAGAIN: fork failed; ENOENT, EACCES, ENOEXEC...: the exec failed, no child is left). */
extern pid_t spawn_run (spawn const *);

#endif
