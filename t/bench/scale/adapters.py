# SPDX-License-Identifier: ISC
# A copy of the shared benchmark's lib/adapters.py (../shared/bench), used by t/bench/scale.
"""One adapter per supervision suite.

An adapter knows how to start the suite's scanner on a scan directory (or, for
supervisord, on a generated config listing the same service directories),
which pids are "the supervision processes", how to take a service down / up
*and wait for it*, how (if at all) to trigger a rescan, and what to run as PID
1 of a fresh PID namespace.  Scenarios only talk to this interface, so adding
a suite means adding a class here.
"""

import os
import shutil
import subprocess
import time

from common import BenchError, children, spawn, write_file

CTL_TIMEOUT = 15  # seconds; hard cap on any one control command


def _run(argv, env=None, timeout=CTL_TIMEOUT):
    """Run a control command; raise BenchError on failure."""
    try:
        r = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(argv)}: timed out after {timeout}s")
    if r.returncode != 0:
        raise BenchError(f"{' '.join(argv)}: exit {r.returncode}: "
                         f"{r.stdout.strip()[:200]}")
    return r.stdout


def _dpkg_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                              capture_output=True, text=True,
                              timeout=10).stdout.strip() or "?"
    except Exception:
        return "?"


class Suite:
    name = "?"
    is_scanner = True        # has a scan-directory scanner (not supervisord)
    pid1_signals = ("TERM",)  # signals tried in the PID-1 scenario
    notify_fd = None         # readiness notification fd (s6 notification-fd)

    def available(self):
        """(ok, reason)"""
        return True, ""

    def version(self):
        return "?"

    def env(self):
        return dict(os.environ)

    def scanner_argv(self, scandir, nservices):
        raise NotImplementedError

    def start(self, scandir, nservices, workdir, wrap=None):
        """Start the scanner on scandir; returns its pid.  wrap: argv prefix
        that execs the scanner (e.g. the stamp helper), keeping the pid."""
        argv = self.scanner_argv(scandir, nservices)
        if wrap:
            argv = list(wrap) + argv
        return spawn(argv, env=self.env(),
                     log_path=os.path.join(workdir, f"{self.name}.log"))

    def supervision_pids(self, root):
        """The scanner plus its direct children (the per-service
        supervisors); the services themselves are grandchildren."""
        return [root] + children(root)

    def down(self, svc):
        raise NotImplementedError

    def up(self, svc):
        raise NotImplementedError

    def rescan_trigger(self, scandir, scanner_pid):
        """argv that makes the scanner rescan now, or None if none exists."""
        return None

    def pid1_argv(self, scandir, nservices):
        return self.scanner_argv(scandir, nservices)


class Runit(Suite):
    name = "runit"
    pid1_signals = ("TERM", "HUP")

    def available(self):
        ok = all(shutil.which(b) for b in ("runsvdir", "runsv", "sv"))
        return ok, "" if ok else "runsvdir/runsv/sv not found"

    def version(self):
        return "runit " + _dpkg_version("runit")

    def scanner_argv(self, scandir, n):
        return [shutil.which("runsvdir"), scandir]

    # sv takes a path relative to $SVDIR unless it starts with / or ./
    def down(self, svc):
        _run(["sv", "-w", "7", "down", os.path.abspath(svc)])

    def up(self, svc):
        _run(["sv", "-w", "7", "up", os.path.abspath(svc)])


class S6(Suite):
    name = "s6"
    notify_fd = 3

    def available(self):
        ok = all(shutil.which(b) for b in
                 ("s6-svscan", "s6-supervise", "s6-svc", "s6-svscanctl"))
        return ok, "" if ok else "s6 binaries not found"

    def version(self):
        return "s6 " + _dpkg_version("s6")

    def scanner_argv(self, scandir, n):
        argv = [shutil.which("s6-svscan")]
        if n > 400:  # default -c is 500 in 2.11; leave headroom
            argv += ["-c", str(max(1000, 2 * n))]
        return argv + [scandir]

    def down(self, svc):
        # -wD: wait until down *and* finish script done (no finish here)
        _run(["s6-svc", "-wD", "-T", "7000", "-d", svc])

    def up(self, svc):
        # -wu: wait until up (-wU would need notification-fd)
        _run(["s6-svc", "-wu", "-T", "7000", "-u", svc])

    def rescan_trigger(self, scandir, pid):
        return ["s6-svscanctl", "-a", scandir]


class Daemontools(Suite):
    name = "daemontools"
    POLL = 0.010  # svstat polling interval (daemontools svc cannot wait)

    def available(self):
        ok = all(shutil.which(b) for b in ("svscan", "supervise", "svc",
                                           "svstat"))
        # make sure we get daemontools' svscan, not some other suite's
        ok = ok and os.path.realpath(shutil.which("svscan")).startswith("/usr")
        return ok, "" if ok else "daemontools binaries not found"

    def version(self):
        return "daemontools " + _dpkg_version("daemontools")

    def env(self):
        e = dict(os.environ)
        # svscan finds supervise via PATH; pin daemontools' one
        e["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin"
        return e

    def scanner_argv(self, scandir, n):
        return ["/usr/bin/svscan", scandir]

    def _wait_state(self, svc, word):
        end = time.monotonic() + 7
        while True:
            out = _run(["svstat", svc])
            if f": {word}" in out:
                return
            if time.monotonic() > end:
                raise BenchError(f"svstat {svc}: still '{out.strip()}' after 7s")
            time.sleep(self.POLL)

    def down(self, svc):
        _run(["svc", "-d", svc])
        self._wait_state(svc, "down")

    def up(self, svc):
        _run(["svc", "-u", svc])
        self._wait_state(svc, "up")


class Supervisord(Suite):
    name = "supervisord"
    is_scanner = False
    pid1_signals = ()

    def available(self):
        ok = bool(shutil.which("supervisord") and shutil.which("supervisorctl"))
        return ok, "" if ok else "supervisord not found"

    def version(self):
        return "supervisor " + _dpkg_version("supervisor")

    def _conf(self, scandir):
        return os.path.join(os.path.dirname(scandir), "supervisord.conf")

    def write_conf(self, scandir):
        base = os.path.dirname(scandir)
        conf = self._conf(scandir)
        lines = [
            "[unix_http_server]", f"file={base}/supervisor.sock", "chmod=0700",
            "[supervisord]", "nodaemon=true", f"logfile={base}/supervisord.log",
            f"pidfile={base}/supervisord.pid", f"childlogdir={base}",
            "loglevel=warn", "minfds=8192", "minprocs=2000",
            f"directory={base}",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = "
            "supervisor.rpcinterface:make_main_rpcinterface",
            "[supervisorctl]", f"serverurl=unix://{base}/supervisor.sock",
        ]
        for name in sorted(os.listdir(scandir)):
            run = os.path.join(scandir, name, "run")
            if not os.path.exists(run):
                continue
            lines += [
                f"[program:{name}]", f"command={run}", "autostart=true",
                "autorestart=true",
                # count as RUNNING at once, like the other suites' "up";
                # the default (1 s) would make every start take >= 1 s
                "startsecs=0", "startretries=1000",
                "stopsignal=TERM", "stopwaitsecs=5",
            ] + self.log_lines()
        write_file(conf, "\n".join(lines) + "\n")
        return conf

    def log_lines(self):
        # BENCH_SUPERVISORD_LOGS=none: no capture.  Default: capture stdout
        # and stderr through pipes into /dev/null, as a real deployment
        # captures them into log files.  This matters: with no pipes,
        # supervisord only notices a dead child on its 1 s poll tick.
        if os.environ.get("BENCH_SUPERVISORD_LOGS") == "none":
            return ["stdout_logfile=NONE", "stderr_logfile=NONE"]
        if os.environ.get("BENCH_SUPERVISORD_LOGS") == "auto":
            return []
        return ["stdout_logfile=/dev/null", "stderr_logfile=/dev/null",
                "stdout_logfile_maxbytes=0", "stderr_logfile_maxbytes=0"]

    def scanner_argv(self, scandir, n):
        return [shutil.which("supervisord"), "-n", "-c", self.write_conf(scandir)]

    def supervision_pids(self, root):
        return [root]  # one process; its children are the services

    def _ctl(self, verb, svc):
        scandir = os.path.dirname(os.path.abspath(svc))
        out = _run(["supervisorctl", "-c", self._conf(scandir), verb,
                    os.path.basename(svc)])
        if "ERROR" in out:
            raise BenchError(f"supervisorctl {verb}: {out.strip()}")

    def down(self, svc):
        self._ctl("stop", svc)

    def up(self, svc):
        self._ctl("start", svc)


class Ours(Suite):
    """The project's suite: $PROJ/bin/{svscan,supervise,svctl}, runit on-disk
    protocol, svctl with daemontools-style flags and sv-style verbs.

    Optional environment knobs:
      BENCH_OURS_RESCAN   command template that triggers a rescan, e.g.
                          "kill -ALRM {pid}" or "{bin}/svctl rescan {scandir}"
      BENCH_OURS_PID1_SIGNALS  comma list of signals for the PID-1 scenario
                          (default TERM,HUP)
      BENCH_OURS_NOTIFY_FD  if ours supports an s6-style notification-fd
                          file, the fd number to use in the extra restart
                          pass with readiness notification
    """
    name = "ours"
    pid1_signals = ("TERM", "HUP")

    def __init__(self, proj):
        self.proj = os.path.abspath(proj)
        self.bin = os.path.join(self.proj, "bin")
        nfd = os.environ.get("BENCH_OURS_NOTIFY_FD")
        if nfd:
            self.notify_fd = int(nfd)
        sig = os.environ.get("BENCH_OURS_PID1_SIGNALS")
        if sig:
            self.pid1_signals = tuple(s.strip().upper().removeprefix("SIG")
                                      for s in sig.split(",") if s.strip())

    def available(self):
        missing = [b for b in ("svscan", "supervise", "svctl")
                   if not os.access(os.path.join(self.bin, b), os.X_OK)]
        if missing:
            return False, f"missing in {self.bin}: {', '.join(missing)}"
        return True, ""

    def version(self):
        try:
            out = subprocess.run(["git", "-C", self.proj, "describe", "--always",
                                  "--dirty"], capture_output=True, text=True,
                                 timeout=10).stdout.strip()
        except Exception:
            out = ""
        return f"ours ({self.proj}{' @ ' + out if out else ''})"

    def env(self):
        e = dict(os.environ)
        # our svscan must find *our* supervise, not daemontools' /usr/bin one
        e["PATH"] = self.bin + ":" + e.get("PATH", "/usr/bin:/bin")
        return e

    def scanner_argv(self, scandir, n):
        return [os.path.join(self.bin, "svscan"), scandir]

    def down(self, svc):
        _run([os.path.join(self.bin, "svctl"), "-w", "7", "-d", svc],
             env=self.env())

    def up(self, svc):
        _run([os.path.join(self.bin, "svctl"), "-w", "7", "-u", svc],
             env=self.env())

    def rescan_trigger(self, scandir, pid):
        t = os.environ.get("BENCH_OURS_RESCAN")
        if not t:
            return None
        cmd = t.format(pid=pid, scandir=scandir, bin=self.bin)
        return ["/bin/sh", "-c", cmd]


ANCHORS = ("runit", "s6", "daemontools", "supervisord")
ALL = ANCHORS + ("ours",)


def make_suite(name, proj):
    return {
        "runit": Runit,
        "s6": S6,
        "daemontools": Daemontools,
        "supervisord": Supervisord,
        "ours": lambda: Ours(proj),
    }[name]()
