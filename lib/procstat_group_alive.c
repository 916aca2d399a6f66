/* SPDX-License-Identifier: ISC */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <skalibs/types.h>
#include <skalibs/uint64.h>

#include "procstat.h"

int
procstat_group_alive (pid_t pgid)
{
  DIR *d;
  int e;
  if (pgid <= 0)
    return (errno = ESRCH, 0);
  if (kill(-pgid, 0) == -1 && errno == ESRCH)
    return 0;
   /* it has members (EPERM too): are they all zombies? */
  d = opendir("/proc");
  if (!d)
    return -1;
  for (;;)
  {
    struct dirent *de;
    uint64_t pid;
    errno = 0;
    de = readdir(d);
    if (!de)
      break;
    if (de->d_name[0] < '1' || de->d_name[0] > '9')
      continue;
    if (strlen(de->d_name) > UINT64_FMT || !uint64_scan(de->d_name, &pid))
      continue;
    if (procstat_member((pid_t)pid, pgid) > 0)
    {
      closedir(d);
      return 1;
    }
  }
  e = errno;
  closedir(d);
  return e ? (errno = e, -1) : 0;
}
