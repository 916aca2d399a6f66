/* SPDX-License-Identifier: ISC */
/* syslimit.h: the system limit behind an errno, for messages that name it */
#ifndef SVTREE_SYSLIMIT_H
#define SVTREE_SYSLIMIT_H

/* name: "process limit" (EAGAIN, as fork reports RLIMIT_NPROC, a cgroup's pids.max,
   kernel.threads-max or kernel.pid_max), "open-file limit" (EMFILE: RLIMIT_NOFILE),
   "system-wide open-file limit" (ENFILE: fs.file-max), "out of memory" (ENOMEM);
   0 for any other errno, which is no limit of the system */
extern char const *syslimit_name (int e);

#endif
