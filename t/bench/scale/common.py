# SPDX-License-Identifier: ISC
# A copy of the shared benchmark's lib/common.py (../shared/bench), used by t/bench/scale.
"""Process, timing and statistics helpers shared by adapters and scenarios.

Everything here works by pid: the harness makes itself a child subreaper, so
every process it starts (and every orphan those processes leave behind) stays
in its own process tree, and cleanup walks that tree through /proc.  Nothing is
ever killed by name.
"""

import ctypes
import errno
import os
import select
import signal
import statistics
import sys
import time

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_DIR = os.environ.get("BENCH_BUILD") or os.path.join(BENCH_DIR, "build")
STAMP = os.path.join(BUILD_DIR, "stamp")
PIDWAIT = os.path.join(BUILD_DIR, "pidwait")
ORPHANS = os.path.join(BUILD_DIR, "orphans")
SLEEP = "/bin/sleep"

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_CHILD_SUBREAPER = 36


class BenchError(Exception):
    """A scenario could not complete for one suite (reported, not fatal)."""


class Timeout(BenchError):
    pass


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


def mono():
    return time.monotonic_ns()


def set_subreaper():
    if _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


# --------------------------------------------------------------------------
# /proc
# --------------------------------------------------------------------------

def _stat_fields(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        s = f.read().decode("ascii", "replace")
    r = s.rfind(")")
    comm = s[s.find("(") + 1:r]
    return comm, s[r + 2:].split()


def proc_table():
    """{pid: (ppid, state, comm)} for every visible process."""
    tab = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            comm, f = _stat_fields(d)
        except (OSError, IndexError):
            continue
        tab[int(d)] = (int(f[1]), f[0], comm)
    return tab


def children(pid, tab=None):
    tab = tab if tab is not None else proc_table()
    return sorted(p for p, (pp, _, _) in tab.items() if pp == pid)


def descendants(root, tab=None):
    tab = tab if tab is not None else proc_table()
    kids = {}
    for p, (pp, _, _) in tab.items():
        kids.setdefault(pp, []).append(p)
    out, todo = set(), [root]
    while todo:
        p = todo.pop()
        for c in kids.get(p, ()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def zombie_children(pid, tab=None):
    tab = tab if tab is not None else proc_table()
    return [p for p, (pp, st, _) in tab.items() if pp == pid and st == "Z"]


def alive(pid):
    try:
        _, f = _stat_fields(pid)
        return f[0] != "Z"
    except (OSError, IndexError):
        return False


def smaps_rollup(pid):
    """(rss, pss, uss) in KiB from /proc/PID/smaps_rollup."""
    vals = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[0].endswith(":"):
                vals[parts[0][:-1]] = int(parts[1])
    uss = vals.get("Private_Clean", 0) + vals.get("Private_Dirty", 0)
    return vals.get("Rss", 0), vals.get("Pss", 0), uss


def cpu_ns(pid):
    """On-CPU time of the process (all threads) in ns, from schedstat."""
    total = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for t in tids:
        try:
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def ctxt_switches(pid):
    """(voluntary, nonvoluntary) context switches, summed over threads."""
    vol = nonvol = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0, 0
    for t in tids:
        try:
            with open(f"/proc/{pid}/task/{t}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        nonvol += int(line.split()[1])
        except OSError:
            pass
    return vol, nonvol


# --------------------------------------------------------------------------
# spawning and cleanup
# --------------------------------------------------------------------------

def spawn(argv, env=None, log_path=None, setsid=True):
    """posix_spawn argv in a new session; stdout+stderr to log_path.

    Returns the pid.  We keep track of pids ourselves (no Popen object) so
    that our blanket reaping in cleanup() cannot confuse subprocess."""
    fa = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0)]
    if log_path:
        fa.append((os.POSIX_SPAWN_OPEN, 1, log_path,
                   os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644))
        fa.append((os.POSIX_SPAWN_DUP2, 1, 2))
    return os.posix_spawn(argv[0], argv, env if env is not None else os.environ,
                          file_actions=fa, setsid=setsid,
                          setsigdef=(signal.SIGPIPE, signal.SIGXFSZ,
                                     signal.SIGINT, signal.SIGTERM))


def wait_exit(pid, timeout):
    """Wait for our child pid to exit; returns its wait status or None."""
    end = time.monotonic() + timeout
    while True:
        try:
            p, st = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if p == pid:
            return st
        if time.monotonic() > end:
            return None
        time.sleep(0.005)


def kill_tree_of_self(timeout=10.0):
    """Freeze (SIGSTOP) and then SIGKILL every descendant of this harness,
    repeatedly re-reading /proc so that children forked meanwhile are caught,
    then reap them all.  Returns the number of processes killed."""
    me = os.getpid()
    stopped = set()
    for _ in range(50):
        desc = descendants(me) - stopped
        if not desc:
            break
        for p in desc:
            try:
                os.kill(p, signal.SIGSTOP)
            except ProcessLookupError:
                pass
            stopped.add(p)
        time.sleep(0.005)
    for p in stopped:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    reap_all(timeout)
    return len(stopped)


def reap_all(timeout=10.0):
    """Reap children (incl. re-parented orphans) until none is left."""
    end = time.monotonic() + timeout
    while True:
        try:
            p, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if p == 0:
            if not descendants(os.getpid()):
                # only un-waitable leftovers (should not happen)
                return
            if time.monotonic() > end:
                log("warning: children left unreaped after", timeout, "s")
                return
            time.sleep(0.005)


# --------------------------------------------------------------------------
# stamps and services
# --------------------------------------------------------------------------

def read_stamps(path):
    """[(mono_ns, real_ns, pid), ...] from a stamp file (missing => [])."""
    try:
        with open(path) as f:
            data = f.read()
    except FileNotFoundError:
        return []
    out = []
    for line in data.splitlines():
        p = line.split()
        if len(p) == 3:
            out.append((int(p[0]), int(p[1]), int(p[2])))
    return out


def wait_for(pred, timeout, interval=0.002, what="condition"):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise Timeout(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def wait_stamp_count(path, n, timeout, interval=0.001):
    """Wait until stamp file path has at least n lines; return the stamps."""
    def f():
        s = read_stamps(path)
        return s if len(s) >= n else None
    return wait_for(f, timeout, interval, f"{n} stamp(s) in {path}")


def wait_dir_count(path, n, timeout, interval=0.01):
    def f():
        try:
            return len(os.listdir(path)) >= n
        except FileNotFoundError:
            return False
    return wait_for(f, timeout, interval, f"{n} files in {path}")


def write_file(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def make_service(svdir, run_text):
    os.makedirs(svdir, exist_ok=True)
    write_file(os.path.join(svdir, "run"), run_text, 0o755)


def run_simple(stampfile, notify_fd=None):
    """run script: stamp the start, then become sleep (same pid).  With
    notify_fd, also signal readiness on that fd (s6 notification-fd)."""
    n = f"-n {notify_fd} " if notify_fd is not None else ""
    return f"#!/bin/sh\nexec {STAMP} {n}{stampfile} {SLEEP} 100000\n"


def run_trap(upfile, termfile):
    """run script that stamps its start, and on SIGTERM stamps, cleans up and
    exits 0 (used for the PID-1 shutdown scenario)."""
    return (
        "#!/bin/sh\n"
        f"trap '{STAMP} {termfile}; kill $c 2>/dev/null; exit 0' TERM\n"
        f"{STAMP} {upfile}\n"
        f"{SLEEP} 100000 &\n"
        "c=$!\n"
        "wait\n"
    )


def run_orphaner(upfile, n=5, delay_ms=200):
    """run script that leaves n orphans which exit after delay_ms."""
    return (f"#!/bin/sh\nexec {ORPHANS} {n} {delay_ms} "
            f"{STAMP} {upfile} {SLEEP} 100000\n")


def backdate(path, seconds=10):
    t = time.time() - seconds
    os.utime(path, (t, t))


# --------------------------------------------------------------------------
# statistics
# --------------------------------------------------------------------------

def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def pct(xs, q):
    """nearest-rank percentile, q in (0,100]."""
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = max(0, min(len(xs) - 1, int(-(-q * len(xs) // 100)) - 1))
    return xs[k]


def ms(ns):
    return None if ns is None else ns / 1e6


class PidWatch:
    """Runs build/pidwait on pid; .death() returns the mono ns of its exit."""

    def __init__(self, pid, timeout_ms=10000):
        import subprocess
        self.p = subprocess.Popen([PIDWAIT, str(pid), str(timeout_ms)],
                                  stdout=subprocess.PIPE, text=True)
        first = self.p.stdout.readline().strip()
        self.ok = first == "ready"

    def death(self):
        if not self.ok:
            self.p.wait()
            return None
        line = self.p.stdout.readline().strip()
        self.p.wait()
        self.p.stdout.close()
        return int(line) if line.isdigit() else None


def poll_pidfd(pid, timeout):
    """Block until pid (any process) exits; return mono ns or None."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return mono()
    try:
        p = select.poll()
        p.register(fd, select.POLLIN)
        r = p.poll(int(timeout * 1000))
        return mono() if r else None
    finally:
        os.close(fd)


def pidfd_open(pid):
    try:
        return os.pidfd_open(pid)
    except ProcessLookupError:
        return None


def pidfd_wait(fd, timeout):
    if fd is None:
        return mono()
    p = select.poll()
    p.register(fd, select.POLLIN)
    r = p.poll(int(timeout * 1000))
    return mono() if r else None


def errno_name(e):
    return errno.errorcode.get(e, str(e))
