/* SPDX-License-Identifier: ISC */
/* svimport.h: what svimport's parts share: the plan of one process and its services */
#ifndef SVTREE_SVIMPORT_H
#define SVTREE_SVIMPORT_H

#include <skalibs/stralloc.h>

/* where a stream goes */
enum out_e { OUT_AUTO, OUT_NONE, OUT_FILE, OUT_STDOUT, OUT_STDERR, OUT_JOIN };
typedef struct stream_s stream;
struct stream_s
{
  enum out_e kind;
  char *path;                   /* OUT_FILE: absolute */
  unsigned long long maxbytes;
  long long backups;
};

typedef struct proc_s proc;
struct proc_s
{
  int prog;                     /* index of its program: a failure drops all its processes */
  char const *conf;             /* file and line of the section */
  unsigned int line;
  char *section;
  char *group, *pname, *name;   /* group, process name, service name */
  stralloc argv;                /* the words, NUL-terminated, with references */
  size_t argc;
  char *dir;                    /* 0: svimport's cwd */
  char *user;                   /* 0: none; with references */
  int umask;                    /* -1: inherited */
  stralloc env;                 /* KEY NUL VAL NUL, merged */
  size_t nenv;
  int autostart;
  char restart;                 /* a o n */
  stralloc codes;               /* success-codes text, or empty: none written */
  long long startsecs, startretries, stopwaitsecs;
  char sig[16];
  stream out, err;
  long long priority;
  unsigned int minfds, minprocs;
};

/* svimport-write.c */
/* check (check=1) or write one process's services; 1 ok, 0 this program is refused (said), 111 system error (said) */
extern int write_services (proc const *p, char const *dir, int force, int dry, char const *cwd, int check);

#endif
