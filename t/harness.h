/* SPDX-License-Identifier: ISC */
/* t/harness.h: temp dirs, real binaries, waiting to a deadline, cleanup */
#ifndef SVTREE_T_HARNESS_H
#define SVTREE_T_HARNESS_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
#include <check.h>

#define T_BIN t_bin()            /* "$T_BIN": the bin/ under test, ending with '/' */
extern char const *t_bin (void);
extern char const *t_top (void); /* $T_TOP: the source tree */
/* T_BIN + prog, e.g. t_prog("svctl"); from a ring of 4 static buffers */
extern char const *t_prog (char const *prog);

/* Fixtures for integration TCases (tcase_add_unchecked_fixture): setup makes a fresh temp
   dir and chdirs into it; teardown SIGKILLs every descendant (the runner is a subreaper,
   so setsid'd grandchildren come back to it) and their process groups, reaps, removes the dir. */
extern void t_setup (void);
extern void t_teardown (void);
extern char const *t_dir (void);  /* the temp dir of the current test */
/* t_tcase: a TCase named name with those fixtures and a timeout of timeout s, added to s */
extern TCase *t_tcase (Suite *s, char const *name, unsigned int timeout);
/* t_dir() + "/" + file; from a ring of 8 static buffers */
extern char const *t_path (char const *file);

/* t_killall: what teardown does, callable at the end of a test */
extern void t_killall (void);

/* files */
extern void t_write (char const *path, char const *content);        /* creates or truncates, 0644 */
extern void t_write_exec (char const *path, char const *content);   /* 0755 */
extern void t_mkdir (char const *path);                             /* mkdir -p */
extern char *t_read (char const *path);                             /* whole file, malloc'd, null-terminated; 0 if absent */
extern int t_has_file (void *path);                                 /* predicate for t_wait_until */
extern long t_read_long (char const *path);                         /* first number in the file, -1 if none */
extern int t_file_has (char const *path, char const *needle);      /* the file exists and contains needle */
extern unsigned int t_file_count (char const *path, char const *needle); /* needle's non-overlapping occurrences, 0 if absent */
/* wait until the file contains needle (t_wait_until: 1, or 0 after ms) */
extern int t_wait_file_has (char const *path, char const *needle, unsigned int ms);

/* t_service: mkdir name; name/run = "#!/bin/sh\n" + script; returns name */
extern char const *t_service (char const *name, char const *script);
/* t_sleeper: a t_service at path whose run appends its pid to t_started(tag), then sleeps */
extern void t_sleeper (char const *path, char const *tag);
/* t_dir() + "/" + tag + ".started"; from a ring of 4 static buffers */
extern char const *t_started (char const *tag);

/* processes. argv[0] is a path. stdout/stderr go to the files given (appended), or
   are inherited when 0. */
extern pid_t t_spawn (char const *const *argv);
extern pid_t t_spawn_io (char const *const *argv, char const *out, char const *err);
/* t_spawn_in: t_spawn_io with fd0 as its stdin (when >= 0) */
extern pid_t t_spawn_in (char const *const *argv, int fd0, char const *out, char const *err);
/* t_run: run to completion (at most ms), capturing stdout and stderr (malloc'd,
   null-terminated, may be 0 to discard). Returns the exit code, 128+sig if killed,
   -1 if it had to be killed at the deadline. */
extern int t_run (char const *const *argv, char **out, char **err, unsigned int ms);
/* t_sh: t_run of /bin/sh -c cmd */
extern int t_sh (char const *cmd, char **out, char **err, unsigned int ms);
extern int t_wait_exit (pid_t pid, unsigned int ms, int *wstat);    /* 1 exited (reaped), 0 deadline */
/* t_wait_code: t_wait_exit, then the exit code, 128+sig if killed, -1 if still running after ms */
extern int t_wait_code (pid_t pid, unsigned int ms);
extern int t_alive (pid_t pid);                                     /* exists and is not a zombie */
extern int t_gone (void *pid);                                      /* predicate for t_wait_until: !t_alive(*(pid_t *)pid) */

/* the programs under test. t_supervise: T_BIN supervise dir, stdout and stderr as
   t_spawn_io; t_sup_start: t_supervise with them appended to SERVICE.out and SERVICE.err;
   t_svscan: T_BIN svscan [opts...] dir (at most 5 opts, 0 for none), both to log */
extern pid_t t_supervise (char const *dir, char const *out, char const *err);
extern pid_t t_sup_start (char const *service);
extern pid_t t_svscan (char const *log, char const *const *opts, char const *dir);
/* a PID namespace (root): unshare --pid --fork --mount-proc T_BIN/svscan [opts...] dir
   (at most 5 opts, 0 for none), both outputs to log; init is svscan's pid, seen from here.
   t_ns_start asserts that unshare forked its child within 5 s; t_ns_wait is unshare's
   t_wait_code; t_ns_kill SIGKILLs init (that kills everything in it) and reaps unshare */
struct t_ns { pid_t unshare, init; };
extern struct t_ns t_ns_start (char const *log, char const *const *opts, char const *dir);
extern int t_ns_wait (struct t_ns const *ns, unsigned int ms);
extern void t_ns_kill (struct t_ns const *ns);
/* t_control: control_send cmd to SERVICE/supervise; asserts it was written */
extern void t_control (char const *service, char const *cmd);
/* t_sup_exit: t_control x, then asserts that sup exits 0 within 5 s (all it started stopped) */
extern void t_sup_exit (char const *service, pid_t sup);

/* waiting: poll pred(arg) every 5 ms until true (returns 1) or ms elapsed (returns 0) */
extern int t_wait_until (int (*pred) (void *), void *arg, unsigned int ms);
extern unsigned long long t_now_ms (void);                          /* CLOCK_MONOTONIC */

/* T_FAILS_WITH: with errno cleared first, call returns 0 and sets errno to err */
#define T_FAILS_WITH(call, err) \
  do { \
    errno = 0; \
    ck_assert_int_eq(call, 0); \
    ck_assert_int_eq(errno, err); \
  } while (0)

/* a supervise state key of SERVICE (reads SERVICE/supervise/state); malloc'd, 0 if absent */
extern char *t_state_key (char const *service, char const *key);
/* wait until SERVICE/supervise/state has key=value */
extern int t_wait_state (char const *service, char const *key, char const *value, unsigned int ms);
/* T_WAIT_STATE: t_wait_state, else the test fails with the value the key has */
#define T_WAIT_STATE(service, key, value, ms) \
  do { \
    if (!t_wait_state((service), (key), (value), (ms))) \
    { \
      char *v_ = t_state_key((service), (key)); \
      ck_abort_msg("%s: %s=%s, not %s, after %u ms", (service), (key), v_ ? v_ : "(absent)", (value), (unsigned int)(ms)); \
    } \
  } while (0)
/* a state key as a number (strtol); asserts that the key is there */
extern long t_key_long (char const *service, char const *key);
/* SERVICE/supervise/status (svstatus_read): 1, or 0 if absent or malformed */
struct svstatus_s;
extern int t_read_status (char const *service, struct svstatus_s *st);

#endif
