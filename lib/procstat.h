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

#endif
