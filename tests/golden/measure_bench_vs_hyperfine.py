"""Measure where gokit.bench's process timing stands against hyperfine -N, round by round, on one machine.

    python tests/golden/measure_bench_vs_hyperfine.py [ROUNDS] [RUNS]

Each round times /bin/true and a hello-world Go binary with hyperfine -N, with gokit.bench.compare, and with
time_process's own steps written out and changed one at a time (no setsid; a new stderr file per run, as gokit
once did; a pidfd poll in the timed window instead of the SIGALRM timer armed outside it, as gokit once did),
all interleaved, and prints each one's per-round median ratio to hyperfine with its spread. A variant that
moves the ratio by more than the round-to-round noise is a part of the gap.
"""
from __future__ import annotations

import gc
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import gokit  # noqa: E402

ENV = {"PATH": os.environ.get("PATH", os.defpath)}
WARMUP = 5


def hyperfine(cmd: str, runs: int, out: Path) -> list[float]:
    subprocess.run([shutil.which("hyperfine") or "hyperfine", "-N", "--warmup", str(WARMUP), "--runs", str(runs),
                    "--export-json", str(out), cmd], env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return json.loads(out.read_text())["results"][0]["times"]


def gokit_bench(cmd: str, runs: int) -> list[float]:
    from gokit.bench import Cmd, compare

    return list(compare({"x": Cmd([cmd], env=ENV)}, runs=runs, warmup=WARMUP, progress=False).frame["wall"])


def variant(cmd: str, runs: int, *, setsid: bool = True, new_stderr: bool = False, pidfd: bool = False) -> list[float]:
    """time_process's steps written out (alarm timer armed outside the window, blocking wait4, one stderr
    file for all runs), so each can be changed on its own."""
    times = []
    errf = tempfile.TemporaryFile()
    old = signal.signal(signal.SIGALRM, lambda *_: None)
    try:
        for i in range(runs + WARMUP):
            if new_stderr:
                errf.close()
                errf = tempfile.TemporaryFile()
            actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                       (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                       (os.POSIX_SPAWN_DUP2, errf.fileno(), 2)]
            gc.disable()
            if not pidfd:
                signal.setitimer(signal.ITIMER_REAL, 10)
            t = time.perf_counter()
            pid = os.posix_spawn(cmd, [cmd], ENV, file_actions=actions, setsid=setsid)
            if pidfd:
                fd = os.pidfd_open(pid)
                p = select.poll()
                p.register(fd, select.POLLIN)
                p.poll(10_000)
                os.close(fd)
            os.wait4(pid, 0)
            wall = time.perf_counter() - t
            signal.setitimer(signal.ITIMER_REAL, 0)
            gc.enable()
            if i >= WARMUP:
                times.append(wall)
    finally:
        signal.signal(signal.SIGALRM, old)
        errf.close()
    return times


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    if shutil.which("hyperfine") is None:
        sys.exit("hyperfine is not installed (apt-get install hyperfine)")
    hello = gokit.build('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n').binary
    tmp = Path(tempfile.mkdtemp())
    variants = {
        "hyperfine -N": lambda c: hyperfine(c, runs, tmp / "h.json"),
        "gokit.bench": lambda c: gokit_bench(c, runs),
        "its steps, written out": lambda c: variant(c, runs),
        "  without setsid": lambda c: variant(c, runs, setsid=False),
        "  a new stderr file each run": lambda c: variant(c, runs, new_stderr=True),
        "  pidfd poll instead of alarm": lambda c: variant(c, runs, pidfd=True),
    }
    for cmd in ("/bin/true", str(hello)):
        medians: dict[str, list[float]] = {k: [] for k in variants}
        for _ in range(rounds):
            for k, f in variants.items():
                medians[k].append(statistics.median(f(cmd)))
        name = "hello (Go)" if cmd != "/bin/true" else cmd
        print(f"{name}: {rounds} rounds × {runs} runs, load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
        base = medians["hyperfine -N"]
        for k, meds in medians.items():
            ratios = sorted(m / b for m, b in zip(meds, base))
            q1, q3 = ratios[len(ratios) // 4], ratios[(3 * len(ratios)) // 4]
            print(f"  {k:28s} median {statistics.median(meds) * 1e3:7.3f} ms; ratio to hyperfine per round: "
                  f"median {statistics.median(ratios):.3f} (middle half {q1:.3f}–{q3:.3f})")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
