/* SPDX-License-Identifier: ISC */
/* svconf.h: per-service configuration files (SPEC 2), paths relative to cwd or absolute */
#ifndef SVTREE_SVCONF_H
#define SVTREE_SVCONF_H

/* uint: the file's first line as a decimal number (surrounding blanks allowed).
   1 read into *u; 0 file absent (ENOENT); -1 unreadable or not a number (errno, EINVAL). */
extern int svconf_uint (char const *file, unsigned int *u);

/* sig: the first line as a signal name (TERM, SIGTERM, term) or number.
   1 read into *sig; 0 absent; -1 unreadable or unknown (errno, EINVAL). */
extern int svconf_sig (char const *file, int *sig);

/* the value parsers, pure: s is a first line as svconf_uint and svconf_sig take it
   (blanks stripped, null-terminated). 1 ok; -1 EINVAL. */
extern int svconf_uint_scan (char const *s, unsigned int *u);
extern int svconf_sig_scan (char const *s, int *sig);

/* exists: 1 the file (any type) exists, 0 not (ENOENT/ENOTDIR), -1 error. */
extern int svconf_exists (char const *file);

#endif
