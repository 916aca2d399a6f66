/* SPDX-License-Identifier: ISC */
/* svimp.h: reading a supervisord configuration the way supervisord 4 (Python's
   RawConfigParser, shlex, % formatting) reads it. Pure: no printing, no disk. */
#ifndef SVTREE_SVIMP_H
#define SVTREE_SVIMP_H

#include <stddef.h>
#include <skalibs/stralloc.h>

/* An expanded string may hold references to environment variables that are resolved
   when run starts, not at import: SVIMP_REF NAME SVIMP_REFEND. A reference that
   svimp_split found inside quotes has SVIMP_QREF in place of SVIMP_REF. The three
   bytes are refused in configuration files (svimp_ini_read). */
#define SVIMP_REF '\001'
#define SVIMP_QREF '\002'
#define SVIMP_REFEND '\003'

/* ini: sections of keys in file order; the last of repeated keys wins; sections of
   the same name (also in other files) are one section, as with strict=False */
typedef struct svimp_kv_s svimp_kv;
struct svimp_kv_s
{
  char *name;          /* lowercased, as optionxform does */
  char *val;
  size_t len, cap;
  unsigned int file;   /* index given to svimp_ini_read */
  unsigned int line;   /* of the key's first line */
  int open;            /* still taking continuation lines (during a read) */
};
typedef struct svimp_sect_s svimp_sect;
struct svimp_sect_s
{
  char *name;
  svimp_kv *kv;
  size_t n, cap;
  unsigned int file, line;  /* where it first appeared */
};
typedef struct svimp_ini_s svimp_ini;
struct svimp_ini_s
{
  svimp_sect *sect;
  size_t n, cap;
  svimp_sect defaults;  /* [DEFAULT]: every section inherits its keys */
};
#define SVIMP_INI_ZERO { 0, 0, 0, { 0, 0, 0, 0, 0, 0 } }

/* read one file's bytes into ini. 1 ok; 0 syntax error (*line, *msg: a static
   string); -1 out of memory (errno). On a syntax error the ini may hold part of the
   file: throw it away. */
extern int svimp_ini_read (svimp_ini *ini, char const *buf, size_t len, unsigned int file, unsigned int *line, char const **msg);
/* supervisord's expand_here: "%(here)s" replaced by here in every value. 1, or -1 ENOMEM */
extern int svimp_ini_here (svimp_ini *ini, char const *here);
extern svimp_sect *svimp_ini_sect (svimp_ini const *ini, char const *name);
/* a key of a section, or of [DEFAULT]; 0 if neither has it */
extern svimp_kv *svimp_ini_get (svimp_ini const *ini, svimp_sect const *sect, char const *key);
extern void svimp_ini_free (svimp_ini *ini);

/* Python's str.isspace for the UTF-8 character at s (of at most n bytes): its length
   in bytes when it is white space, else 0 */
extern size_t svimp_space (char const *s, size_t n);
/* s with Python's strip() applied, in place (returns s moved past leading space) */
extern char *svimp_strip (char *s);

/* % formatting with a mapping (Python's s % dict). lookup(name, ctx, &val) gives the
   value of %(name)...: 1 a string in *str, 2 an integer in *num, 3 a deferred reference
   (written as SVIMP_REF name SVIMP_REFEND; only with a plain "s" conversion), 0 no such
   name. Returns 1 ok, 0 error (*msg static; *bad the name when one is missing), -1 ENOMEM. */
typedef int svimp_lookup_fn (char const *name, void *ctx, char const **str, long long *num);
extern int svimp_expand (stralloc *out, char const *s, svimp_lookup_fn *lookup, void *ctx, char const **msg, stralloc *bad);

/* shlex.split(s) (posix mode, whitespace split, no comments): the words, each followed
   by a NUL, appended to out; *n their count. References keep their bytes (SVIMP_QREF
   inside quotes). 1 ok, 0 error (*msg: "No closing quotation", "No escaped character",
   or a reference next to a backslash), -1 ENOMEM. */
extern int svimp_split (stralloc *out, size_t *n, char const *s, char const **msg);

/* supervisord's dict_of_key_value_pairs (non-posix shlex, KEY=VAL separated by any one
   token): pairs appended to out as KEY NUL VAL NUL, *n pairs; a later key replaces an
   earlier one. 1 ok, 0 error (*msg), -1 ENOMEM. */
extern int svimp_envdict (stralloc *out, size_t *n, char const *s, char const **msg);

/* one word for sh: appended to sa, quoted when it needs it; references become
   ${NAME?} (unquoted for SVIMP_REF, inside double quotes for SVIMP_QREF). 1, or 0 ENOMEM */
extern int svimp_shquote (stralloc *sa, char const *word);
/* the same with every reference in double quotes (for cd, export) */
extern int svimp_shquote_all (stralloc *sa, char const *word);

/* supervisord's value types. 1 ok, 0 not valid */
extern int svimp_bool (char const *s, int *b);                    /* yes true on 1 / no false off 0 */
extern int svimp_int (char const *s, long long *n);               /* Python int() */
extern int svimp_bytes (char const *s, unsigned long long *n);    /* 50MB, 1kb, 1024 */
extern int svimp_octal (char const *s, unsigned int *n);          /* int(s, 8) */
extern int svimp_codes (char const *s, unsigned char *set);       /* exitcodes: 0,2; set[256] */
/* stopsignal: a name (TERM, sigterm) or number, as Python's signal module knows it:
   writes the name without SIG into name (16 bytes); 0 if unknown or 0 */
extern int svimp_signal (char const *s, char *name);
/* autorestart: 'a' true, 'o' unexpected, 'n' false */
extern int svimp_autorestart (char const *s, char *r);

#endif
