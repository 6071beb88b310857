"""Measure gokit.parse of net/http's largest file in fresh processes: wall and CPU time (goal: <= 0.3 s warm).

    python tests/golden/measure_parse_speed.py [RUNS]

Prints each run's wall and CPU seconds (this process and the front-end helper), their medians and the load
average before and after: on a machine busier than its cores, the CPU time is the figure to read.
"""
from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gokit  # noqa: E402
from gokit import _run  # noqa: E402

CODE = """import resource, time
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
c0, t0 = cpu(), time.perf_counter()
import gokit
from pathlib import Path
a = gokit.parse(Path({path!r}))
print(time.perf_counter() - t0, cpu() - c0, len(a))
"""


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    tc = gokit.toolchain()
    biggest = max((tc.goroot / "src" / "net" / "http").glob("*.go"), key=lambda p: p.stat().st_size)
    gokit.frontend_helper(tc)
    load0 = os.getloadavg()[0]
    walls, cpus = [], []
    for _ in range(runs):
        done = _run.run([sys.executable, "-c", CODE.format(path=str(biggest))], env=dict(os.environ), timeout=120)
        wall, cpu, _n = done.out.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
    print(f"go{tc.version}, gokit.parse({biggest.name}) in {runs} fresh processes")
    print(f"wall  median {statistics.median(walls):.3f} s  min {min(walls):.3f}  max {max(walls):.3f}")
    print(f"cpu   median {statistics.median(cpus):.3f} s  min {min(cpus):.3f}  max {max(cpus):.3f}  (goal 0.3 s)")
    print(f"load average {load0:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
