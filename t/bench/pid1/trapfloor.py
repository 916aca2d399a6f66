#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""The floor of the benchmark's "PID 1: SIGTERM -> exit" row: its 50 services, each a
sh that traps TERM (stamps, kills its sleep, exits), signalled all at once by this
script with killpg, no supervisor in between. Prints, per round, when the last trap
ran and when the last sh was gone (ms after the first killpg).

    t/bench/pid1/trapfloor.py STAMP [ROUNDS]

STAMP: a stamp helper taking FILE (make bench-pid1-floor passes
build/t/bench-restart --stamp)."""
import os, shutil, subprocess, sys, tempfile, time

stamp = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
base = tempfile.mkdtemp(prefix="svtree-trapfloor.")
last, gone = [], []
try:
    for r in range(rounds):
        for d in ("up", "term"):
            shutil.rmtree(os.path.join(base, d), ignore_errors=True)
            os.makedirs(os.path.join(base, d))
        procs = []
        for i in range(50):
            s = (f"trap '{stamp} {base}/term/t{i}; kill $c 2>/dev/null; exit 0' TERM\n"
                 f"{stamp} {base}/up/t{i}\n/bin/sleep 100000 &\nc=$!\nwait\n")
            procs.append(subprocess.Popen(["/bin/sh", "-c", s], start_new_session=True))
        while len(os.listdir(os.path.join(base, "up"))) < 50:
            time.sleep(0.01)
        time.sleep(1.2)
        t0 = time.monotonic_ns()
        for p in procs:
            os.killpg(p.pid, 15)
        for p in procs:
            p.wait()
        t1 = time.monotonic_ns()
        stamps = [int(open(os.path.join(base, "term", f)).read().split()[0])
                  for f in os.listdir(os.path.join(base, "term"))]
        last.append((max(stamps) - t0) / 1e6)
        gone.append((t1 - t0) / 1e6)
finally:
    shutil.rmtree(base, ignore_errors=True)
print("50 TERM traps signalled at once, no supervisor (ms after the first killpg)")
print("  last trap ran:   " + " ".join(f"{x:.1f}" for x in last))
print("  last sh gone:    " + " ".join(f"{x:.1f}" for x in gone))
print(f"  median: last trap {sorted(last)[len(last) // 2]:.1f}, gone {sorted(gone)[len(gone) // 2]:.1f}")
