/* SPDX-License-Identifier: ISC */
/* procstat.h: facts about a process from /proc */
#ifndef SVTREE_PROCSTAT_H
#define SVTREE_PROCSTAT_H

#include <stdint.h>
#include <sys/types.h>

/* starttime (field 22 of /proc/PID/stat, clock ticks since boot) of a live process:
   1 ok; 0 no such process, or a zombie (errno ESRCH); -1 other error (errno). */
extern int procstat_starttime (pid_t pid, uint64_t *start);

/* whether process group PGID has a member that is not a zombie: 1 yes; 0 no (none at
   all, or only zombies that nobody reaped yet); -1 error (errno: /proc unreadable). */
extern int procstat_group_alive (pid_t pgid);

/* the same, looking only at the descendants of the calling process (/proc/PID/task/TID/
   children), which is enough for a subreaper asking about a group its own child made
   with setsid(): every member descends from that child, and an orphan comes back to the
   subreaper. Without children files (or with too many children to read), as
   procstat_group_alive. */
extern int procstat_group_alive_below (pid_t pgid);

/* whether pid is a live (not zombie) member of process group pgid: 1 yes; 0 no; -1 no
   such process (or /proc/PID/stat unreadable) */
extern int procstat_member (pid_t pid, pid_t pgid);

#endif
