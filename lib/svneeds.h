/* svneeds.h: DIR/needs/, start ordering (SPEC 2, 4a). Paths are absolute and lexical:
   "." and ".." are resolved as text, never through the file system, so that the sibling
   of /etc/service/web is /etc/service/db even when web is a link to /etc/sv/web. */
#ifndef SVTREE_SVNEEDS_H
#define SVTREE_SVNEEDS_H

#include <skalibs/stralloc.h>

#define SVNEEDS_DEPTH_MAX 64

/* abspath: dir made absolute (relative to cwd, an absolute path, when it does not
   start with '/') and normalised: no ".", "..", empty component or trailing slash.
   Appended to sa, null-terminated (not counted in sa->len). 1 ok, 0 ENOMEM. */
extern int svneeds_abspath (stralloc *sa, char const *cwd, char const *dir);

/* resolve: the service that entry NAME of DIR/needs/ names, DIR an abspath: a symlink
   names its target (a relative target is relative to DIR/needs); any other entry the
   sibling NAME of DIR (the lexical parent's NAME). Appended to sa as abspath does.
   1 ok, 0 errno (ENOENT: no such entry). A dangling symlink resolves. */
extern int svneeds_resolve (stralloc *sa, char const *dir, char const *name);

/* list: the entries of DIR/needs/ (DIR an abspath; dot-names skipped), appended to sa
   as pairs "NAME\0PATH\0" with PATH resolved, sorted by name. Returns the number of
   pairs; -1 with errno (ENOENT: no needs/; ENOTDIR: needs is not a directory). */
extern int svneeds_list (stralloc *sa, char const *dir);

/* same: a and b are the same service directory: the same text, or both exist and are
   the same inode. */
extern int svneeds_same (char const *a, char const *b);

/* cycle: a chain of needs that leads from DIR (an abspath) back to DIR, searched depth
   first through each service's needs/ (at most SVNEEDS_DEPTH_MAX deep; entries naming
   their own service skipped). 1 found: its names appended to sa as
   "a -> b -> a" (base names, escaped as svneeds_escape), null-terminated; 0 none;
   -1 ENOMEM. */
extern int svneeds_cycle (stralloc *sa, char const *dir);

/* escape: name appended to sa with a blank, a newline and a backslash written
   \040, \012, \134 (SPEC 4a). 1 ok, 0 ENOMEM. */
extern int svneeds_escape (stralloc *sa, char const *name);

/* basename: the last component of an abspath (a pointer into path) */
extern char const *svneeds_basename (char const *path);

#endif
