"""How much gokit.follow costs over the tool runs it needs, measured side by side (prints a table; not a test).

For each of N new programs (the lesson's, with a unique comment so no cache knows it):
* the first line followed (the program's compiles, link, nm, objdump, front end, and one SSA dump) against the
  same tool commands run bare, one after the other: `compile -S`, `compile -S=2 -m`, `compile` with GOSSAFUNC,
  `compile` + `link` (the hand link), `go tool nm`, `go tool objdump`;
* a second line whose code is in a function not dumped yet, against one bare GOSSAFUNC compile;
* a repeat in the same process, and from gokit's disk cache.

Run from the repo root:  python tests/golden/measure_follow_speed.py [N]
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import gokit  # noqa: E402
from gokit import _cache  # noqa: E402
from gokit import _run
from gokit.layers.compile import compile_command  # noqa: E402
from gokit._tmp import mkdtemp  # noqa: E402

PROGRAM = (HERE.parent.parent / "notebooks" / "_src" / "make_08.py").read_text().split('SOURCE = """', 1)[1] \
    .split('"""', 1)[0]
FIRST, SECOND = 16, 28     # digitSum's line (code in digitSum and main), main's loop line (main: already dumped)
HELPER = '\nfunc helper(x int) int {\n\tfor x > 100 {\n\t\tx -= 7\n\t}\n\treturn x\n}\n'


def bare(src: gokit.Source, tc: gokit.Toolchain, functions: list[str]) -> float:
    """Seconds of the tool commands follow needs, run one after the other."""
    out = mkdtemp("measure-")
    pkg = gokit.package(src, toolchain=tc)
    total = 0.0
    for flags, env in [("-S", {}), ("-S=2 -m", {}), *(("", {"GOSSAFUNC": f, "GOSSADIR": str(out)}) for f in functions)]:
        cmd = compile_command(pkg, flags=flags.split(), outdir=out)
        total += _run.run(cmd.argv, env={**(cmd.env or {}), **env}, cwd=cmd.cwd, timeout=120).check().wall
    hand = gokit.link_by_hand(src, toolchain=tc)
    total += hand.compile_seconds + hand.link_seconds
    for argv in ([str(tc.tool("nm")), "-size", "-sort", "address", str(hand.binary)],
                 [str(tc.tool("objdump")), "-s", "^main\\.", str(hand.binary)]):
        total += _run.run(argv, env=tc.env(), timeout=120).check().wall
    return total


def main(n: int) -> None:
    tc = gokit.toolchain()
    rows = []
    for i in range(n):
        src = gokit.Source(PROGRAM + HELPER + f"\n// measure {time.time_ns()} {i}\n")
        if i % 2:          # half the programs run the bare tools first, half gokit first: neither gets a warmer start
            need = bare(src, tc, ["main.digitSum", "main.main"])
        t0 = time.perf_counter()
        j = gokit.follow(src, FIRST)
        first = time.perf_counter() - t0
        if not i % 2:
            need = bare(src, tc, ["main.digitSum", "main.main"])
        helper_line = len(src.text.splitlines()) - 4          # `x -= 7`: in helper, not dumped yet
        t0 = time.perf_counter()
        gokit.follow(src, helper_line)
        second = time.perf_counter() - t0
        out = mkdtemp("measure-")
        cmd = compile_command(gokit.package(src, toolchain=tc), outdir=out)
        one = _run.run(cmd.argv, env={**(cmd.env or {}), "GOSSAFUNC": "main.helper", "GOSSADIR": str(out)},
                       cwd=cmd.cwd, timeout=120).check().wall
        t0 = time.perf_counter()
        gokit.follow(src, FIRST)
        memo = time.perf_counter() - t0
        _cache.forget()
        t0 = time.perf_counter()
        gokit.follow(src, FIRST)
        disk = time.perf_counter() - t0
        rows.append((first, need, second, one, memo, disk))
        print(f"run {i + 1}: first line {first * 1e3:.0f} ms (bare tools one after another {need * 1e3:.0f} ms); "
              f"new function's line {second * 1e3:.0f} ms (one bare GOSSAFUNC compile {one * 1e3:.0f} ms); "
              f"repeat {memo * 1e3:.2f} ms, from disk {disk * 1e3:.1f} ms; {len(j.functions)} functions")
    med = [statistics.median(c) for c in zip(*rows)]
    print(f"\nmedians over {n} programs, go{tc.version}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}:")
    print(f"  first line of a new program: {med[0] * 1e3:.0f} ms vs {med[1] * 1e3:.0f} ms of bare tool runs "
          f"({med[0] / med[1]:.2f}x)")
    print(f"  a line in a function not dumped yet: {med[2] * 1e3:.0f} ms vs {med[3] * 1e3:.0f} ms for its one "
          f"GOSSAFUNC compile ({med[2] / med[3]:.2f}x, +{(med[2] - med[3]) * 1e3:.0f} ms)")
    print(f"  repeat: {med[4] * 1e3:.2f} ms in the same process, {med[5] * 1e3:.1f} ms from gokit's disk cache")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
