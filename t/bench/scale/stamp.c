/* SPDX-License-Identifier: ISC */
/* stamp [-n FD] FILE [PROG [ARGS...]]
 *
 * Appends one line "MONO_NS REAL_NS PID\n" to FILE (CLOCK_MONOTONIC and
 * CLOCK_REALTIME, nanoseconds, taken as the very first thing in main), then,
 * if PROG is given, execs it (PATH search) so the PID stays the same.
 * -n FD: after stamping, write "\n" to FD and close it (s6-style readiness
 * notification through notification-fd).
 * Statically linked to keep exec cost and noise low.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec m, r;
    clock_gettime(CLOCK_MONOTONIC, &m);
    clock_gettime(CLOCK_REALTIME, &r);
    int notify = -1;
    if (argc >= 3 && strcmp(argv[1], "-n") == 0) {
        notify = atoi(argv[2]);
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        static const char u[] = "usage: stamp [-n FD] FILE [PROG [ARGS...]]\n";
        write(2, u, sizeof u - 1);
        return 100;
    }
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%lld %lld %ld\n",
                     (long long)m.tv_sec * 1000000000LL + m.tv_nsec,
                     (long long)r.tv_sec * 1000000000LL + r.tv_nsec,
                     (long)getpid());
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, buf, n) != n) {
        perror("stamp: write");
        if (argc < 3) return 111;
    }
    if (fd >= 0) close(fd);
    if (notify >= 0) {
        if (write(notify, "\n", 1) != 1) perror("stamp: notify");
        close(notify);
    }
    if (argc >= 3) {
        execvp(argv[2], argv + 2);
        perror("stamp: exec");
        return 126;
    }
    return 0;
}
