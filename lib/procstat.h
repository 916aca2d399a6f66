/* procstat.h: facts about a process from /proc */
#ifndef SVTREE_PROCSTAT_H
#define SVTREE_PROCSTAT_H

#include <stdint.h>
#include <sys/types.h>

/* starttime (field 22 of /proc/PID/stat, clock ticks since boot) of a live process:
   1 ok; 0 no such process, or a zombie (errno ESRCH); -1 other error (errno). */
extern int procstat_starttime (pid_t pid, uint64_t *start);

#endif
