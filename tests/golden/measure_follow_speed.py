"""How much gokit.follow, gokit.ssa and gokit.asm cost over the tool runs they need, measured side by side in one
run (prints the ratios; not a test: timings depend on the machine and its load, printed with them).

For each of N new programs (lesson 08's, with a unique comment so no cache knows it; half the programs run the
bare tools first, half gokit first):
* the first line followed (tokens, nodes, types, SSA, assembly, relocations, symbols, machine code) against the
  tools it needs run bare, one after the other: `compile -S`, `compile` with GOSSAFUNC for each function with
  code from the line (digitSum and main, where it is inlined), `compile` + `link` (the hand link), `go tool nm`,
  `go tool objdump` (and, printed apart, the `compile -S=2 -m` follow also needs for inlining);
* a second line whose code is in a function not dumped yet, against its one bare GOSSAFUNC compile;
* gokit.ssa of a function not dumped yet, against its one bare GOSSAFUNC compile;
* gokit.asm of a new program, against its one bare `compile -S`;
* a repeat in the same process, and from gokit's disk cache.
Every bare command is the exact one gokit runs, started the same way (gokit._run), so both sides pay the same
process start. gokit writes its results to its disk cache behind the call (a thread, once the call is quiet): the
script waits for those writes before each timed call, as a learner's reading time does.

Run from the repo root:  python tests/golden/measure_follow_speed.py [N]
"""
from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import gokit  # noqa: E402
from gokit import _cache  # noqa: E402
from gokit import _run
from gokit.layers.compile import compile_command  # noqa: E402
from gokit.source.exports import importcfg  # noqa: E402
from gokit._tmp import mkdtemp  # noqa: E402

PROGRAM = (HERE.parent.parent / "notebooks" / "_src" / "make_08.py").read_text().split('SOURCE = """', 1)[1] \
    .split('"""', 1)[0]
FIRST, SECOND = 16, 28     # digitSum's line (code in digitSum and main), main's loop line (main: already dumped)
HELPER = '\nfunc helper(x int) int {\n\tfor x > 100 {\n\t\tx -= 7\n\t}\n\treturn x\n}\n'


CPU: list[float] = []   # CPU seconds of the bare commands run since the list was last cleared


def _bare(argv: Any, **kw: Any) -> float:
    """Wall seconds of one bare command (its CPU seconds go to CPU)."""
    done = _run.run(argv, timeout=120, **kw).check()
    CPU.append(done.user + done.sys)
    return done.wall


def _compile(pkg: gokit.Package, flags: str = "", gossafunc: str | None = None) -> float:
    """Wall seconds of the exact compile command gokit runs, run bare."""
    out = mkdtemp("measure-")
    cmd = compile_command(pkg, importcfg=importcfg(pkg, 120), flags=flags.split(), outdir=out)
    env = {**(cmd.env or {}), **({"GOSSAFUNC": gossafunc, "GOSSADIR": str(out)} if gossafunc else {})}
    return _bare(cmd.argv, env=env, cwd=cmd.cwd)


class _Cpu:
    """CPU seconds this process and its children used inside the block (gokit's threads and tools)."""

    def __enter__(self) -> "_Cpu":
        self.t0 = self._now()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = self._now() - self.t0

    @staticmethod
    def _now() -> float:
        s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def bare(src: gokit.Source, tc: gokit.Toolchain, functions: list[str]) -> tuple[float, float]:
    """Seconds of the tool commands follow needs, run one after the other: the issue's list (compile -S, one
    GOSSAFUNC compile per function, compile + link, nm, objdump), and the -S=2 -m compile apart."""
    pkg = gokit.package(src, toolchain=tc)
    CPU.clear()
    total = _compile(pkg, "-S") + sum(_compile(pkg, "", f) for f in functions)
    with _Cpu() as c:
        hand = gokit.link_by_hand(src, toolchain=tc)
    CPU.append(c.seconds)
    total += hand.compile_seconds + hand.link_seconds
    for argv in ([str(tc.tool("nm")), "-size", "-sort", "address", str(hand.binary)],
                 [str(tc.tool("objdump")), "-s", "^main\\.", str(hand.binary)]):
        total += _bare(argv, env=tc.env())
    global BARE_CPU
    BARE_CPU = sum(CPU)
    return total, _compile(pkg, "-S=2 -m")


BARE_CPU = 0.0


def _ms(t0: float) -> float:
    return time.perf_counter() - t0


def main(n: int) -> None:
    tc = gokit.toolchain()
    load0 = os.getloadavg()
    gokit.follow(gokit.Source(PROGRAM + f"\n// warm {time.time_ns()}\n"), FIRST)   # tool paths, importcfg, helper
    rows = []
    for i in range(n):
        src = gokit.Source(PROGRAM + HELPER + f"\n// measure {time.time_ns()} {i}\n")
        pkg = gokit.package(src, toolchain=tc)
        if i % 2:          # half the programs run the bare tools first, half gokit first: neither gets a warmer start
            need, outer = bare(src, tc, ["main.digitSum", "main.main"])
            need_cpu = BARE_CPU
        _cache.flush()
        t0 = time.perf_counter()
        with _Cpu() as c1:
            j = gokit.follow(src, FIRST)
        first = _ms(t0)
        if not i % 2:
            need, outer = bare(src, tc, ["main.digitSum", "main.main"])
            need_cpu = BARE_CPU
        helper_line = len(src.text.splitlines()) - 4          # `x -= 7`: in helper, not dumped yet
        if i % 2:
            one = _compile(pkg, "", "main.helper")
        one_cpu = CPU[-1] if i % 2 else 0.0
        _cache.flush()      # the first line's results reach the disk behind it (a learner reads meanwhile)
        t0 = time.perf_counter()
        with _Cpu() as c2:
            gokit.follow(src, helper_line)
        second = _ms(t0)
        if not i % 2:
            one = _compile(pkg, "", "main.helper")
            one_cpu = CPU[-1]
        # gokit.ssa of a function no compile dumped yet, and gokit.asm of a program no cache knows
        other = gokit.Source(src.text + "\n// ssa and asm\n")
        opkg = gokit.package(other, toolchain=tc)
        gokit.ssa(other, "helper")                             # resolves the package (not timed), dumps helper
        if i % 2:
            ssa_bare = _compile(opkg, "", "main.digitSum")
        _cache.flush()
        t0 = time.perf_counter()
        gokit.ssa(other, "digitSum")
        ssa_gokit = _ms(t0)
        if not i % 2:
            ssa_bare = _compile(opkg, "", "main.digitSum")
        third = gokit.Source(src.text + "\n// asm\n")
        tpkg = gokit.package(third, toolchain=tc)
        if i % 2:
            asm_bare = _compile(tpkg, "-S")
        _cache.flush()
        t0 = time.perf_counter()
        gokit.asm(third)
        asm_gokit = _ms(t0)
        if not i % 2:
            asm_bare = _compile(tpkg, "-S")
        t0 = time.perf_counter()
        gokit.follow(src, FIRST)
        memo = _ms(t0)
        _cache.forget()
        t0 = time.perf_counter()
        gokit.follow(src, FIRST)
        disk = _ms(t0)
        rows.append((first, need, second, one, ssa_gokit, ssa_bare, asm_gokit, asm_bare, memo, disk, outer,
                     c1.seconds, need_cpu, c2.seconds, one_cpu))
        print(f"run {i + 1}: first line {first * 1e3:.0f} ms (bare tools one after another {need * 1e3:.0f} ms); "
              f"new function's line {second * 1e3:.0f} ms (one bare GOSSAFUNC compile {one * 1e3:.0f} ms); "
              f"gokit.ssa {ssa_gokit * 1e3:.0f} ms (bare {ssa_bare * 1e3:.0f}); gokit.asm {asm_gokit * 1e3:.0f} ms "
              f"(bare -S {asm_bare * 1e3:.0f}); repeat {memo * 1e3:.2f} ms, from disk {disk * 1e3:.1f} ms; "
              f"{len(j.functions)} functions; load {os.getloadavg()[0]:.2f}", flush=True)
    med = [statistics.median(c) for c in zip(*rows)]
    load1 = os.getloadavg()
    print(f"\nmedians over {n} programs, go{tc.version}, {os.cpu_count()} CPUs, load average (1/5/15 min) "
          f"{load0[0]:.2f}/{load0[1]:.2f}/{load0[2]:.2f} before, {load1[0]:.2f}/{load1[1]:.2f}/{load1[2]:.2f} after:")
    print(f"  first line of a new program:    {med[0] * 1e3:6.0f} ms vs {med[1] * 1e3:4.0f} ms of the bare tools one "
          f"after another ({med[0] / med[1]:.2f}x; the -S=2 -m compile it also needs: {med[10] * 1e3:.0f} ms more)")
    print(f"  a line in a new function:       {med[2] * 1e3:6.0f} ms vs {med[3] * 1e3:4.0f} ms of its one GOSSAFUNC "
          f"compile ({med[2] / med[3]:.2f}x, {(med[2] - med[3]) * 1e3:+.0f} ms)")
    print(f"  gokit.ssa of a new function:    {med[4] * 1e3:6.0f} ms vs {med[5] * 1e3:4.0f} ms of its one GOSSAFUNC "
          f"compile ({med[4] / med[5]:.2f}x, {(med[4] - med[5]) * 1e3:+.0f} ms)")
    print(f"  gokit.asm of a new program:     {med[6] * 1e3:6.0f} ms vs {med[7] * 1e3:4.0f} ms of its one compile -S "
          f"({med[6] / med[7]:.2f}x, {(med[6] - med[7]) * 1e3:+.0f} ms)")
    print(f"  CPU (this process, its threads and its tools): first line {med[11] * 1e3:.0f} ms vs {med[12] * 1e3:.0f} "
          f"ms of the bare tools ({med[11] / med[12]:.2f}x); a line in a new function {med[13] * 1e3:.0f} ms vs "
          f"{med[14] * 1e3:.0f} ms ({med[13] - med[14]:+.3f} s); on a machine busier than its cores, CPU is what "
          f"the wall time follows")
    print(f"  repeat: {med[8] * 1e3:.2f} ms in the same process, {med[9] * 1e3:.1f} ms from gokit's disk cache")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
