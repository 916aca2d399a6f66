# SPDX-License-Identifier: ISC
"""t/bench/scale: the scale-up scenario of the shared benchmark, for N services
(BENCH_SCALE_N, default "500 5000"), every suite through the same code.

For each N and each suite, one pass:
  start     the scanner is exec'd through `stamp` (t0 = its exec); N service dirs
            whose run stamps its start and execs sleep; start -> last run started
            (and -> the N/2-th)
  cpu       on-CPU time (schedstat) of scanner + supervisors, 0.5 s after the last start
  pss       PSS of scanner + supervisors / N, 1 s after the last start
  status    wall time of the suite's "status of everything" command(s); the output
            must name N services as running
  pickup    a new service dir made outside and symlinked in (t0 = before symlink)
            -> its run started, by the suite's documented way to add a service
  stop      the suite's documented "stop everything" -> scanner exited, and -> the
            last supervisor and service gone
A suite that does not start all N within BENCH_SCALE_LIMIT seconds (default 240)
or stops making progress for 20 s is reported with what it reached; the rest of
its pass is skipped.  Then the growth ratio (value at the largest N / value at the
smallest N) of every figure.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from adapters import ALL, ANCHORS, make_suite  # noqa: E402
from common import (STAMP, BenchError, alive, backdate, cpu_ns,  # noqa: E402
                    descendants, kill_tree_of_self, log, make_service, mono,
                    read_stamps, run_simple, set_subreaper, smaps_rollup)

STALL_S = 20.0          # no new service started for this long: the suite is stuck
STOP_LIMIT_S = 60.0     # stop everything: give up after this long


def sh(argv, env=None, timeout=120):
    t = mono()
    r = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    return mono() - t, r.returncode, r.stdout


# --------------------------------------------------------------------------
# what each suite documents for "status of all", "add a service", "stop all"
# --------------------------------------------------------------------------

def status_all(suite, scandir, names):
    """(how, wall ns, services reported running)"""
    if suite.name == "ours":
        env = suite.env()
        env["SVDIR"] = scandir
        how = "SVDIR=DIR svctl status"
        t, rc, out = sh([os.path.join(suite.bin, "svctl"), "status"], env=env)
        up = sum(1 for ln in out.splitlines() if ln.startswith("run:"))
    elif suite.name == "runit":
        env = dict(os.environ)
        env["SVDIR"] = scandir
        how = "SVDIR=DIR sv status NAME... (one sv)"
        t, rc, out = sh(["sv", "status"] + names, env=env)
        up = sum(1 for ln in out.splitlines() if ln.startswith("run:"))
    elif suite.name == "s6":
        how = "s6-svstat DIR/NAME for each (one sh loop; s6-svstat takes one service)"
        t, rc, out = sh(["/bin/sh", "-c",
                         'for d in "$1"/*/; do s6-svstat "$d" || exit 1; done',
                         "sh", scandir])
        up = sum(1 for ln in out.splitlines() if ln.startswith("up "))
    elif suite.name == "daemontools":
        how = "svstat DIR/NAME... (one svstat)"
        t, rc, out = sh(["svstat"] + [os.path.join(scandir, n) for n in names],
                        env=suite.env())
        up = sum(1 for ln in out.splitlines() if ": up " in ln)
    else:
        how = "supervisorctl status"
        t, rc, out = sh(["supervisorctl", "-c", suite._conf(scandir), "status"])
        up = sum(1 for ln in out.splitlines() if " RUNNING " in ln)
    return how, t, up, rc


def add_service(suite, scandir, pool, stampdir, pid):
    """make service new0 outside DIR, link it in; (how, latency ns or None)"""
    name = "new0"
    src = os.path.join(pool, name)
    f = os.path.join(stampdir, name)
    make_service(src, run_simple(f))
    t0 = mono()
    trig, how, limit = None, "", 15.0
    if suite.name == "supervisord":
        # its way: a new [program:] section, then supervisorctl update
        os.symlink(src, os.path.join(scandir, name))
        suite.write_conf(scandir)
        trig = ["supervisorctl", "-c", suite._conf(scandir), "update"]
        how = "conf rewritten with the new [program:], then supervisorctl update"
    else:
        os.symlink(src, os.path.join(scandir, name))
        if suite.name == "s6":
            trig = ["s6-svscanctl", "-a", scandir]
            how = "symlink, then s6-svscanctl -a (s6-svscan does not rescan by itself)"
        elif suite.name == "ours":
            how = "symlink, no trigger (inotify)"
        else:
            how = "symlink, no trigger (the scanner looks every 5 s)"
    if trig:
        subprocess.run(trig, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
    end = time.monotonic() + limit
    while time.monotonic() < end:
        s = read_stamps(f)
        if s:
            return how, s[0][0] - t0
        time.sleep(0.002)
    return how + f"; not started within {limit:.0f} s", None


def stop_all(suite, pid, scandir, names):
    """the suite's documented way to stop everything; returns how"""
    if suite.name == "runit":
        os.kill(pid, signal.SIGHUP)
        return ("SIGHUP to runsvdir (TERM to every runsv, which stops its service "
                "and exits; runsvdir exits 111 at once; SIGTERM would leave the runsv "
                "running)")
    if suite.name == "daemontools":
        os.kill(pid, signal.SIGTERM)
        subprocess.run(["svc", "-dx"] + [os.path.join(scandir, n) for n in names],
                       env=suite.env(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
        return ("SIGTERM to svscan (it has no stop-all), then svc -dx DIR/* "
                "(one svc)")
    if suite.name == "s6":
        os.kill(pid, signal.SIGTERM)
        return "SIGTERM to s6-svscan (= s6-svscanctl -t: every supervisor stops its service)"
    if suite.name == "supervisord":
        os.kill(pid, signal.SIGTERM)
        return "SIGTERM to supervisord (stops every program, then exits)"
    os.kill(pid, signal.SIGTERM)
    return "SIGTERM to svscan (x to every supervise, waits for them)"


def reap_some():
    while True:
        try:
            p, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if p == 0:
            return


def wait_gone(scanner, others, t0, limit):
    """(ns to scanner exit, ns to the last of others gone, how many left)"""
    left = set(others)
    t_scan = None
    end = time.monotonic() + limit
    last = t0
    while time.monotonic() < end:
        reap_some()
        if t_scan is None and not alive(scanner):
            t_scan = mono() - t0
        before = len(left)
        left = {p for p in left if alive(p)}
        if len(left) < before:
            last = mono()
        if t_scan is not None and not left:
            return t_scan, last - t0, 0
        time.sleep(0.005 if len(left) < 200 else 0.02)
    return t_scan, None, len(left)


# --------------------------------------------------------------------------
# one pass
# --------------------------------------------------------------------------

def one(suite, n, root, limit):
    r = {}
    work = os.path.join(root, f"{suite.name}-{n}")
    scandir = os.path.join(work, "scan")
    stampdir = os.path.join(work, "stamps")
    pool = os.path.join(work, "pool")
    for d in (scandir, stampdir, pool):
        os.makedirs(d)
    names = []
    for i in range(n):
        name = f"s{i:05d}"
        make_service(os.path.join(scandir, name),
                     run_simple(os.path.join(stampdir, name)))
        names.append(name)
    backdate(scandir)
    if suite.name == "supervisord":
        # a program with its output captured holds 5 descriptors in supervisord (3
        # pipes, 2 log files); past RLIMIT_NOFILE, capture none (3 pipes each)
        import resource
        nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if 5 * (n + 1) + 64 > nofile and "BENCH_SUPERVISORD_LOGS" not in os.environ:
            os.environ["BENCH_SUPERVISORD_LOGS"] = "none"
            r["logs_note"] = (f"children's output not captured (stdout_logfile=NONE): "
                              f"5 descriptors a program would pass RLIMIT_NOFILE {nofile}")
    startf = os.path.join(work, "scanner.start")
    pid = suite.start(scandir, n, work, wrap=[STAMP, startf])

    # start -> last run started
    end = time.monotonic() + limit
    got, t_prog = 0, time.monotonic()
    while True:
        k = len(os.listdir(stampdir))
        if k > got:
            got, t_prog = k, time.monotonic()
        if got >= n:
            break
        now = time.monotonic()
        if now > end or now - t_prog > STALL_S:
            why = (f"no new service for {STALL_S:.0f} s" if now <= end
                   else f"time limit {limit:.0f} s")
            r["incomplete"] = f"reached {got}/{n} ({why})"
            r["reached"] = got
            r["cpu"] = sum(cpu_ns(p) for p in suite.supervision_pids(pid)) / 1e6
            return r
        time.sleep(0.02)
    # a stamp file is made before its line is written: wait for the lines
    def stamps():
        st = [read_stamps(startf)] + [read_stamps(os.path.join(stampdir, x))
                                      for x in names]
        return st if all(st) else None
    end = time.monotonic() + 5.0
    while not (st := stamps()) and time.monotonic() < end:
        time.sleep(0.01)
    if not st:
        raise BenchError("stamp files without a line after 5 s")
    t_start = st[0][0][0]
    firsts = sorted(x[0][0] for x in st[1:])
    r["start_all"] = (firsts[-1] - t_start) / 1e6
    r["start_half"] = (firsts[n // 2] - t_start) / 1e6
    t_last = firsts[-1]

    time.sleep(max(0.0, 0.5 - (mono() - t_last) / 1e9))
    sup = suite.supervision_pids(pid)
    r["cpu"] = sum(cpu_ns(p) for p in sup) / 1e6
    time.sleep(max(0.0, 1.0 - (mono() - t_last) / 1e9))
    pss = 0
    for p in sup:
        try:
            pss += smaps_rollup(p)[1]
        except OSError:
            pass
    r["pss"] = pss / n
    r["nsup"] = len(sup)

    how, t, up, rc = status_all(suite, scandir, names)
    r["status"] = t / 1e6
    r["status_how"] = how
    if up != n or rc != 0:
        r["status_note"] = f"status: {up}/{n} reported running, exit {rc}"

    how, lat = add_service(suite, scandir, pool, stampdir, pid)
    r["pickup"] = None if lat is None else lat / 1e6
    r["pickup_how"] = how
    names.append("new0")

    # everything to wait for: supervisors and services (the last stamp's pid)
    services = []
    for x in names:
        s = read_stamps(os.path.join(stampdir, x))
        if s:
            services.append(s[-1][2])
    others = set(suite.supervision_pids(pid)) - {pid} | set(services)
    t0 = mono()
    r["stop_how"] = stop_all(suite, pid, scandir, names)
    t_scan, t_all, left = wait_gone(pid, others, t0, STOP_LIMIT_S)
    r["stop_scanner"] = None if t_scan is None else t_scan / 1e6
    r["stop_all"] = None if t_all is None else t_all / 1e6
    if left:
        r["stop_note"] = f"{left} processes still running {STOP_LIMIT_S:.0f} s after the stop"
    return r


def one_env(suite, n, root, limit):
    saved = os.environ.get("BENCH_SUPERVISORD_LOGS")
    try:
        return one(suite, n, root, limit)
    finally:
        if saved is None:
            os.environ.pop("BENCH_SUPERVISORD_LOGS", None)
        else:
            os.environ["BENCH_SUPERVISORD_LOGS"] = saved


# --------------------------------------------------------------------------
# limits and report
# --------------------------------------------------------------------------

def raise_limits(nmax):
    """open files and processes for N services (2N + processes, N+ fds); returns notes"""
    import resource
    notes = []
    want_fd = max(65536, 8 * nmax)
    try:
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        with open("/proc/sys/fs/nr_open") as f:
            want_fd = min(want_fd, int(f.read()))
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want_fd, want_fd))
        except (OSError, ValueError):
            # no CAP_SYS_RESOURCE (a container): the hard limit is the most
            want_fd = min(want_fd, hard) if hard != resource.RLIM_INFINITY else want_fd
            resource.setrlimit(resource.RLIMIT_NOFILE, (want_fd, hard))
    except (OSError, ValueError) as e:
        notes.append(f"RLIMIT_NOFILE not raised: {e}")
    try:
        resource.setrlimit(resource.RLIMIT_NPROC,
                           (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (OSError, ValueError):
        hard = resource.getrlimit(resource.RLIMIT_NPROC)[1]
        resource.setrlimit(resource.RLIMIT_NPROC, (hard, hard))
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    nproc = resource.getrlimit(resource.RLIMIT_NPROC)[0]
    notes.append(f"RLIMIT_NOFILE {nofile}, RLIMIT_NPROC "
                 f"{'unlimited' if nproc == resource.RLIM_INFINITY else nproc}")
    restore = {}
    for key, need in (("kernel/pid_max", 32768 + 8 * nmax),
                      ("kernel/threads-max", 32768 + 8 * nmax)):
        path = "/proc/sys/" + key
        try:
            with open(path) as f:
                cur = int(f.read())
            if cur < need:
                with open(path, "w") as f:
                    f.write(str(need))
                restore[path] = cur
                notes.append(f"{key.replace('/', '.')} raised from {cur} to {need} "
                             "(put back at the end)")
            else:
                notes.append(f"{key.replace('/', '.')} {cur}")
        except (OSError, ValueError) as e:
            notes.append(f"{key} not raised: {e}")
    return notes, restore


def fmt(v, f="{:.0f}"):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    return f.format(v)


ROWS = [
    ("start_all", "start -> last run started", "ms", "{:.0f}"),
    ("start_half", "start -> N/2-th run started", "ms", "{:.0f}"),
    ("cpu", "CPU of scanner+supervisors", "ms", "{:.0f}"),
    ("pss", "PSS per service (scanner+supervisors)/N", "KiB", "{:.1f}"),
    ("status", "status of all N (wall)", "ms", "{:.0f}"),
    ("pickup", "pickup of service N+1", "ms", "{:.1f}"),
    ("stop_scanner", "stop all -> scanner exited", "ms", "{:.0f}"),
    ("stop_all", "stop all -> last process gone", "ms", "{:.0f}"),
]


def render(res, suites, ns, facts):
    out = ["# svtree scale benchmark (t/bench/scale)", ""]
    out += [f"- {k}: {v}" for k, v in facts]
    out.append("")
    names = [s.name for s in suites]
    for n in ns:
        out.append(f"## N = {n}\n")
        out.append("| metric | unit | " + " | ".join(names) + " |")
        out.append("|---|---|" + "---|" * len(names))
        for key, label, unit, f in ROWS:
            cells = []
            for s in names:
                r = res[s].get(n, {})
                if "incomplete" in r and key != "cpu":
                    cells.append("incomplete" if key != "start_all" else r["incomplete"])
                elif "_err" in r:
                    cells.append("error")
                else:
                    cells.append(fmt(r.get(key), f))
            out.append(f"| {label} | {unit} | " + " | ".join(cells) + " |")
        out.append("")
    if len(ns) > 1:
        a, b = ns[0], ns[-1]
        out.append(f"## Growth {a} -> {b} (value at {b} / value at {a}; "
                   f"linear = {b / a:.0f})\n")
        out.append("| metric | " + " | ".join(names) + " |")
        out.append("|---|" + "---|" * len(names))
        for key, label, unit, f in ROWS:
            cells = []
            for s in names:
                x, y = res[s].get(a, {}).get(key), res[s].get(b, {}).get(key)
                if "incomplete" in res[s].get(b, {}) or not all(
                        isinstance(v, (int, float)) for v in (x, y)) or not x:
                    cells.append("—")
                else:
                    cells.append(f"{y / x:.2f}")
            out.append(f"| {label} | " + " | ".join(cells) + " |")
        out.append("")
    out.append("## How each suite was driven, and notes\n")
    for s in names:
        hows = {}
        for n in ns:
            r = res[s].get(n, {})
            for k in ("status_how", "pickup_how", "stop_how"):
                if k in r:
                    hows.setdefault(k, r[k])
        for k, lab in (("status_how", "status"), ("pickup_how", "pickup"),
                       ("stop_how", "stop all")):
            if k in hows:
                out.append(f"- {s} / {lab}: {hows[k]}")
        for n in ns:
            r = res[s].get(n, {})
            for k in ("incomplete", "logs_note", "status_note", "stop_note", "_err"):
                if k in r:
                    out.append(f"- **{s} / N={n}**: {r[k]}")
            if "nsup" in r:
                out.append(f"- {s} / N={n}: {r['nsup']} supervision processes counted")
    return "\n".join(out) + "\n"


def main():
    if os.geteuid() != 0:
        print("t/bench/scale: must run as root (limits, other suites' processes)",
              file=sys.stderr)
        return 100
    proj = os.environ.get("PROJ") or os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ns = [int(x) for x in os.environ.get("BENCH_SCALE_N", "500 5000").replace(
        ",", " ").split()]
    limit = float(os.environ.get("BENCH_SCALE_LIMIT", "240"))
    want = [x.strip() for x in os.environ.get(
        "BENCH_SCALE_SUITES", ",".join(ALL)).split(",") if x.strip()]
    set_subreaper()
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    notes, restore = raise_limits(max(ns))
    suites, facts = [], []
    for name in want:
        s = make_suite(name, proj)
        ok, why = s.available()
        if ok:
            suites.append(s)
        else:
            log(f"suite {name} unavailable: {why}")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    facts.append(("date", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
    facts.append(("machine", f"{os.uname().nodename}, kernel {os.uname().release}, "
                  f"nproc {os.cpu_count()}"))
    facts.append(("load average at start", load))
    facts.append(("suites", "; ".join(s.version() for s in suites)))
    facts.append(("N", " ".join(map(str, ns)) +
                  f"; one pass per suite and N; start limit {limit:.0f} s"))
    facts.append(("limits", "; ".join(notes)))
    res = {s.name: {} for s in suites}
    root = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                        f"svtree-scale-{os.getpid()}")
    os.makedirs(root)
    t_wall = time.monotonic()
    try:
        for n in ns:
            for s in suites:
                log(f"--- N={n} / {s.name}")
                t = time.monotonic()
                try:
                    r = one_env(s, n, root, limit)
                except (BenchError, OSError, ValueError, IndexError,
                        subprocess.TimeoutExpired) as e:
                    r = {"_err": f"{type(e).__name__}: {e}"}
                killed = kill_tree_of_self(30.0)
                res[s.name][n] = r
                log(f"    {time.monotonic() - t:.1f} s, cleaned {killed} procs: "
                    + str({k: v for k, v in r.items() if not k.endswith('_how')}))
                shutil.rmtree(os.path.join(root, f"{s.name}-{n}"),
                              ignore_errors=True)
                time.sleep(1.0)
    finally:
        kill_tree_of_self(30.0)
        shutil.rmtree(root, ignore_errors=True)
        for path, v in restore.items():
            try:
                with open(path, "w") as f:
                    f.write(str(v))
            except OSError:
                pass
    with open("/proc/loadavg") as f:
        facts.append(("load average at end", " ".join(f.read().split()[:3])))
    facts.append(("wall time", f"{time.monotonic() - t_wall:.0f} s"))
    sys.stdout.write(render(res, suites, ns, facts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
