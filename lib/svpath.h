/* SPDX-License-Identifier: ISC */
/* svpath.h: SERVICE names to paths (SPEC 6) */
#ifndef SVTREE_SVPATH_H
#define SVTREE_SVPATH_H

#include <skalibs/stralloc.h>

#define SVPATH_DEFAULT_SVDIR "/etc/service"

/* the scan directory: $SVDIR if set and not empty, else /etc/service */
extern char const *svpath_svdir (void);

/* SERVICE as a path: itself if it starts with '/' or '.', else SVDIR/SERVICE.
   Appended to sa, null-terminated. 1 ok, 0 ENOMEM. */
extern int svpath_service (stralloc *sa, char const *service);

#endif
