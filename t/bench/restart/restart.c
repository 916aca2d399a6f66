/* SPDX-License-Identifier: ISC */
/* t/bench/restart/restart.c: where the time of a restart after SIGKILL goes.

   restart [-n SAMPLES] SUPERVISE

   Interleaves, SAMPLES times each, with the same run script (#!/bin/sh, exec this
   program as a stamp helper, which then execs sleep):
     floor   this program spawns the run script: spawn -> stamp (the exec floor of
             ../shared/bench: sh startup and two execs, which no supervisor avoids)
     notice  kill -9 of a sleep -> this program wakes on SIGCHLD (signalfd): what the
             kernel takes to end a process and tell its parent
     mini    this program as the least a supervisor can do: SIGCHLD -> waitpid ->
             posix_spawn of run, nothing else: kill -> stamp
     ours    SUPERVISE on 4 service dirs taken in turn (each up >= 1.2 s when killed,
             as the shared benchmark does): kill -> stamp
   and prints median and p90 of each, and ours against floor and mini. Times are
   CLOCK_MONOTONIC, taken before the kill or spawn and by the stamp itself.

   restart --stamp FILE PROG ARGS...   (the stamp helper: appends "NS PID\n", execs PROG) */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define K 4
#define NMAX 1000

extern char **environ;

static long long now (void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int stamp (int argc, char **argv)
{
  long long t = now();
  char buf[64];
  int n, fd;
  if (argc < 4) return 100;
  n = snprintf(buf, sizeof buf, "%lld %ld\n", t, (long)getpid());
  fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 || write(fd, buf, (size_t)n) != n) return 111;
  close(fd);
  execvp(argv[3], argv + 3);
  return 126;
}

static char dir[64];

 /* the last stamp of FILE (time, pid) once it holds more than `had` lines; 0 on timeout */
static int lastn (char const *file, int had, long long *t, pid_t *pid)
{
  long long deadline = now() + 10000000000LL;
  while (now() < deadline)
  {
    char buf[65536];
    int fd = open(file, O_RDONLY | O_CLOEXEC), lines = 0;
    ssize_t r = fd < 0 ? 0 : read(fd, buf, sizeof buf - 1);
    char *p, *last = buf;
    if (fd >= 0) close(fd);
    if (r < 0) r = 0;
    buf[r] = 0;
    for (p = buf; *p; p++)
      if (*p == '\n')
      {
        if (++lines == had + 1) break;
        last = p + 1;
      }
    if (lines > had)
    {
      long pd;
      if (sscanf(last, "%lld %ld", t, &pd) != 2) return 0;
      *pid = (pid_t)pd;
      return 1;
    }
    usleep(500);
  }
  return 0;
}

static void service (char const *d, char const *self)
{
  char fn[256], script[1024];
  int fd;
  mkdir(d, 0755);
  snprintf(fn, sizeof fn, "%s/run", d);
  snprintf(script, sizeof script, "#!/bin/sh\nexec %s --stamp %s/stamps sleep 100000\n", self, d);
  fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (fd < 0 || write(fd, script, strlen(script)) != (ssize_t)strlen(script)) { perror(fn); exit(111); }
  close(fd);
}

static int cmp (void const *a, void const *b)
{
  long long x = *(long long const *)a, y = *(long long const *)b;
  return x < y ? -1 : x > y;
}

static double q (long long *v, int n, int pct)
{
  qsort(v, (size_t)n, sizeof *v, &cmp);
  return v[(n - 1) * pct / 100] / 1e6;
}

 /* wait for SIGCHLD on sfd (blocking), then reap */
static void sigchld (int sfd)
{
  struct pollfd p = { .fd = sfd, .events = POLLIN };
  struct signalfd_siginfo si;
  while (poll(&p, 1, -1) < 0 && errno == EINTR) ;
  while (read(sfd, &si, sizeof si) > 0) ;
}

int main (int argc, char **argv)
{
  static long long fl[NMAX], no[NMAX], mi[NMAX], ou[NMAX];
  char self[512], sv[K][128], fn[1024], floordir[128], minidir[128];
  char *const runargv[] = { (char *)"./run", 0 };
  pid_t sup[K], mini = 0, pid;
  int n = 20, had[K], fhad = 0, mhad = 0, i, sfd;
  sigset_t set;
  posix_spawn_file_actions_t fa;
  ssize_t r;
  if (argc >= 2 && !strcmp(argv[1], "--stamp")) return stamp(argc, argv);
  if (argc >= 3 && !strcmp(argv[1], "-n")) { n = atoi(argv[2]); argv += 2; argc -= 2; }
  if (argc != 2 || n < 1 || n > NMAX) { fprintf(stderr, "usage: restart [-n SAMPLES] SUPERVISE\n"); return 100; }
  r = readlink("/proc/self/exe", self, sizeof self - 1);
  if (r < 0) { perror("readlink /proc/self/exe"); return 111; }
  self[r] = 0;
  snprintf(dir, sizeof dir, "/tmp/svtree-restart.XXXXXX");
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 111; }
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, 0);
  sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  snprintf(floordir, sizeof floordir, "%s/floor", dir);
  snprintf(minidir, sizeof minidir, "%s/mini", dir);
  service(floordir, self);
  service(minidir, self);
  for (i = 0; i < K; i++)
  {
    char *sa[3];
    snprintf(sv[i], sizeof sv[i], "%s/s%d", dir, i);
    service(sv[i], self);
    sa[0] = argv[1];
    sa[1] = sv[i];
    sa[2] = 0;
    if (posix_spawn(&sup[i], argv[1], &fa, 0, sa, environ)) { perror(argv[1]); return 111; }
    had[i] = 0;
  }
  for (i = 0; i < K; i++)
  {
    long long t;
    snprintf(fn, sizeof fn, "%s/stamps", sv[i]);
    if (!lastn(fn, 0, &t, &pid)) { fprintf(stderr, "restart: %s did not start\n", sv[i]); goto end; }
    had[i] = 1;
  }
  if (chdir(minidir) < 0 || posix_spawn(&mini, "./run", 0, 0, runargv, environ)) { perror("spawn mini"); goto end; }
  snprintf(fn, sizeof fn, "%s/stamps", minidir);
  { long long t; if (!lastn(fn, 0, &t, &pid)) goto end; mhad = 1; }
  usleep(1300000);
  for (i = 0; i < n; i++)
  {
    int k = i % K;
    long long t0, t1;
    pid_t p;
    int st;
     /* floor */
    if (chdir(floordir) < 0) goto end;
    snprintf(fn, sizeof fn, "%s/stamps", floordir);
    t0 = now();
    if (posix_spawn(&p, "./run", 0, 0, runargv, environ)) goto end;
    if (!lastn(fn, fhad, &t1, &pid)) goto end;
    fhad++;
    fl[i] = t1 - t0;
    kill(p, SIGKILL);
    sigchld(sfd);
    waitpid(p, &st, 0);
     /* notice: the same sleep, killed */
    p = fork();
    if (!p) { execl("/bin/sleep", "sleep", "100000", (char *)0); _exit(127); }
    usleep(20000);
    t0 = now();
    kill(p, SIGKILL);
    sigchld(sfd);
    no[i] = now() - t0;
    waitpid(p, &st, 0);
     /* mini */
    if (chdir(minidir) < 0) goto end;
    snprintf(fn, sizeof fn, "%s/stamps", minidir);
    t0 = now();
    kill(mini, SIGKILL);
    sigchld(sfd);
    waitpid(mini, &st, 0);
    if (posix_spawn(&mini, "./run", 0, 0, runargv, environ)) goto end;
    if (!lastn(fn, mhad, &t1, &pid)) goto end;
    mhad++;
    mi[i] = t1 - t0;
     /* ours */
    snprintf(fn, sizeof fn, "%s/stamps", sv[k]);
    if (!lastn(fn, had[k] - 1, &t1, &pid)) goto end;
    t0 = now();
    kill(pid, SIGKILL);
    if (!lastn(fn, had[k], &t1, &pid)) { fprintf(stderr, "restart: no restart of %s\n", sv[k]); goto end; }
    had[k]++;
    ou[i] = t1 - t0;
    if (getenv("RESTART_VERBOSE")) fprintf(stderr, "sample %d: %s %.3f ms\n", i, sv[k], ou[i] / 1e6);
    usleep(1200000 / K);
  }
  {
    double fm = q(fl, n, 50), nm = q(no, n, 50), mm = q(mi, n, 50), om = q(ou, n, 50);
    printf("restart after SIGKILL, %d samples each (ms): median p90\n", n);
    printf("  floor (spawn run -> stamp)      %6.3f %6.3f\n", fm, q(fl, n, 90));
    printf("  notice (kill -> SIGCHLD wakeup) %6.3f %6.3f\n", nm, q(no, n, 90));
    printf("  mini supervisor (kill -> stamp) %6.3f %6.3f\n", mm, q(mi, n, 90));
    printf("  %s (kill -> stamp) %6.3f %6.3f\n", argv[1], om, q(ou, n, 90));
    printf("  ours / floor: median %.2f, p90 %.2f; mini / floor: median %.2f; ours - mini: %.3f ms\n",
           om / fm, q(ou, n, 90) / fm, mm / fm, om - mm);
  }
 end:
  for (i = 0; i < K; i++) kill(sup[i], SIGTERM);
  if (mini > 0) kill(mini, SIGKILL);
  for (i = 0; i < K; i++) waitpid(sup[i], 0, 0);
  if (mini > 0) waitpid(mini, 0, 0);
  {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd)) fprintf(stderr, "restart: could not remove %s\n", dir);
  }
  return 0;
}
