/* svconf.h: per-service configuration files (SPEC 2), paths relative to cwd or absolute */
#ifndef SVTREE_SVCONF_H
#define SVTREE_SVCONF_H

#include <stddef.h>

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

/* restart: the first line as a restart policy word: always, on-failure, never.
   1 read into *policy (SVCONF_RESTART_*); 0 absent; -1 unreadable or unknown (errno, EINVAL). */
#define SVCONF_RESTART_ALWAYS 0
#define SVCONF_RESTART_ON_FAILURE 1
#define SVCONF_RESTART_NEVER 2
extern int svconf_restart (char const *file, unsigned int *policy);
extern int svconf_restart_scan (char const *s, unsigned int *policy);

/* codes: the whole file as exit codes 0-255 separated by blanks, commas or newlines,
   into set (a bitmap of 256 bits: code c is in set when set[c >> 3] & (1 << (c & 7))).
   1 read; 0 absent; -1 unreadable, too long (SVCONF_CODES_MAX bytes), empty, or a word
   that is not a code (errno EINVAL); set is left alone unless 1.
   codes_scan: the same on len bytes of buf, pure. */
#define SVCONF_CODES_MAX 4096
extern int svconf_codes (char const *file, unsigned char *set);
extern int svconf_codes_scan (char const *buf, size_t len, unsigned char *set);

/* exists: 1 the file (any type) exists, 0 not (ENOENT/ENOTDIR), -1 error. */
extern int svconf_exists (char const *file);

#endif
