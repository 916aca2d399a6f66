/* SPDX-License-Identifier: ISC */
/* t/bench/svlogfull/writer.c: a service that logs steadily, and what its writes cost it.

   writer RATE SECS GO REPORT

   Waits until the file GO exists (the disk is then full), then writes RATE lines of 100
   bytes a second to its stdout (a pipe to the logger) for SECS seconds, each line at its
   time on an absolute clock (a line that is late goes out at once). Each write is timed
   from its start until the whole line is in the pipe. A line still not in the pipe one
   second after the last line's time ends the run: it counts as blocked that long.
   Then REPORT gets one line:

     WRITTEN PLANNED LONGEST_MS P999_MS OVER_10MS STUCK

   Times are CLOCK_MONOTONIC; stdout is made non-blocking and waited on with poll, so
   that a blocked write is measured rather than waited out. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns (void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
cmp (void const *a, void const *b)
{
  long long x = *(long long const *)a, y = *(long long const *)b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  long rate, secs, planned, i, over = 0;
  long long start, end, *took;
  int stuck = 0;
  FILE *rep;
  if (argc != 5 || (rate = atol(argv[1])) <= 0 || (secs = atol(argv[2])) <= 0)
  {
    fprintf(stderr, "usage: writer RATE SECS GO REPORT\n");
    return 100;
  }
  planned = rate * secs;
  took = calloc((size_t)planned, sizeof *took);
  if (!took)
    return 111;
  signal(SIGPIPE, SIG_IGN);
  while (access(argv[3], F_OK) == -1)
    poll(0, 0, 5);
  if (fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK) == -1)
    return 111;
  start = now_ns();
  end = start + secs * 1000000000LL + 1000000000LL;
  for (i = 0; i < planned && !stuck; i++)
  {
    char line[101];
    long long at = start + i * 1000000000LL / rate, t0;
    size_t off = 0;
    struct timespec ts = { .tv_sec = at / 1000000000LL, .tv_nsec = at % 1000000000LL };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, 0) == EINTR) ;
    snprintf(line, sizeof line, "line %012ld %81s", i + 1, "");
    memset(line + 18, 'x', 81);
    line[99] = '\n';
    t0 = now_ns();
    while (off < 100)
    {
      ssize_t r = write(1, line + off, 100 - off);
      if (r > 0)
      {
        off += (size_t)r;
        continue;
      }
      if (r == -1 && errno == EAGAIN)
      {
        long long left = end - now_ns();
        struct pollfd p = { .fd = 1, .events = POLLOUT };
        if (left <= 0 || poll(&p, 1, (int)(left / 1000000) + 1) == 0)
        {
          if (now_ns() < end)
            continue;
          stuck = 1;
          break;
        }
        continue;
      }
      if (r == -1 && errno == EINTR)
        continue;
      fprintf(stderr, "writer: write: %s\n", strerror(errno));
      return 111;
    }
    took[i] = now_ns() - t0;
    if (took[i] > 10000000LL)
      over++;
  }
   /* i lines were tried; the last one is in the pipe unless stuck */
  {
    long written = stuck ? i - 1 : i;
    qsort(took, (size_t)i, sizeof *took, &cmp);
    rep = fopen(argv[4], "w");
    if (!rep)
      return 111;
    fprintf(rep, "%ld %ld %.3f %.3f %ld %d\n", written, planned, i ? took[i - 1] / 1e6 : 0.0,
      i ? took[(size_t)((i - 1) * 999 / 1000)] / 1e6 : 0.0, over, stuck);
    fclose(rep);
  }
  return 0;
}
