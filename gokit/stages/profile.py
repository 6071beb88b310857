"""Hot lines: run a program under Go's own CPU profiler and count samples per source line and per instruction.

Go has no switch to profile any program from outside, so gokit does what `go test -cpuprofile` does: it
adds a generated test to a copy of your package that calls your `main` (once, then again until `seconds`
have passed), builds the test binary with `go test -c`, and runs it with `-test.cpuprofile`. The runtime's
profiler (runtime/pprof, 100 samples a second of CPU time) writes the profile; `go tool pprof` reads it:
`-traces -lines` gives every sample's stack with source lines, `-disasm` the samples per instruction of the
binary's machine code. The package under test is compiled with its import path (`play`), so its symbols
are `play.f` in the binary; gokit names them `main.f`, as the compiler's listing of the program does.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .. import _tmp
from .._run import BUILD_SECONDS, Deadline
from ..errors import GokitError, UsageError
from ..layers.build import test_binary
from ..layers.exec import program_env, run_program
from ..parsers.profile import CPUProfile, Profile, TEST_NAME
from ..source.package import resolve
from ..source.toolchain import toolchain as default_toolchain
from .pprof import report, trim_for

if TYPE_CHECKING:
    from ..source.source import Source
    from ..source.toolchain import Toolchain

#: The generated test (imports aliased so no name of your package can clash with them).
TEST_FILE = "zz_gokit_profile_test.go"
TEST_SOURCE = """package main

import (
	gokitjson "encoding/json"
	gokitos "os"
	gokitstrconv "strconv"
	gokittesting "testing"
	gokittime "time"
)

// TestGokitProfile runs main under the CPU profile -test.cpuprofile writes: once, then again until
// $GOKIT_PROFILE_SECONDS have passed. The first run's output goes to $GOKIT_PROFILE_STDOUT/STDERR.
func TestGokitProfile(t *gokittesting.T) {
	var args []string
	if err := gokitjson.Unmarshal([]byte(gokitos.Getenv("GOKIT_PROFILE_ARGS")), &args); err != nil {
		t.Fatal(err)
	}
	seconds, _ := gokitstrconv.ParseFloat(gokitos.Getenv("GOKIT_PROFILE_SECONDS"), 64)
	out, err := gokitos.Create(gokitos.Getenv("GOKIT_PROFILE_STDOUT"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	errf, err := gokitos.Create(gokitos.Getenv("GOKIT_PROFILE_STDERR"))
	if err != nil {
		t.Fatal(err)
	}
	defer errf.Close()
	null, err := gokitos.OpenFile(gokitos.DevNull, gokitos.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	stdout, stderr := gokitos.Stdout, gokitos.Stderr
	defer func() { gokitos.Stdout, gokitos.Stderr = stdout, stderr }()
	gokitos.Args = append([]string{"main"}, args...)
	runs := 0
	start := gokittime.Now()
	for runs == 0 || gokittime.Since(start).Seconds() < seconds {
		if runs == 0 {
			gokitos.Stdout, gokitos.Stderr = out, errf
		} else {
			gokitos.Stdout, gokitos.Stderr = null, null
		}
		main()
		runs++
	}
	took := gokittime.Since(start).Seconds()
	report := gokitstrconv.Itoa(runs) + " " + gokitstrconv.FormatFloat(took, 'f', 6, 64)
	if err := gokitos.WriteFile(gokitos.Getenv("GOKIT_PROFILE_RUNS"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
}
"""

def profile(src: "Source | str | bytes | os.PathLike[str]", args: Sequence[str] = (), *, seconds: float = 1.0,
            toolchain: "Toolchain | None" = None, timeout: float | None = None) -> CPUProfile:
    """Run your program under Go's CPU profiler: samples per source line and per instruction.

    `main` runs once, then again until `seconds` have passed (more runs, more samples: the profiler takes
    100 a second of CPU time), with `args` as its command-line arguments. Only the first run's output is
    kept. A program that calls os.Exit never returns from main, so its profile is never written: gokit says
    so. Each call measures anew; the test binary is built once per program. `timeout` bounds the whole call
    (default 300 s plus 4 × seconds); the program runs with the limits of every program gokit runs.
    """
    tc = toolchain or default_toolchain()
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 600:
        raise UsageError(f"seconds is how long to keep profiling, 0 to 600; got {seconds!r}")
    deadline = Deadline.of(timeout, BUILD_SECONDS + seconds * 4, "gokit.profile")
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise UsageError(f"args is a list of strings, like args=['1000']; got {args!r}")
    pkg = resolve(src, tc, {}, deadline)
    pkg.source.check_buildable()
    if pkg.name != "main":
        raise UsageError(f"gokit.profile runs a program: package main with a func main; this is package "
                         f"{pkg.name}")
    built = test_binary(pkg, {TEST_FILE: TEST_SOURCE}, deadline=deadline,
                        hint="gokit.profile builds your package with a generated test that calls main (go test -c); "
                             "gokit.run(src) shows whether the program itself builds.")
    work = _tmp.mkdtemp("profile-")
    try:
        out = work / "cpu.pprof"
        env = program_env(tc, {"GOKIT_PROFILE_ARGS": json.dumps(list(args)), "GOKIT_PROFILE_SECONDS": str(seconds),
                               "GOKIT_PROFILE_STDOUT": str(work / "stdout"),
                               "GOKIT_PROFILE_STDERR": str(work / "stderr"),
                               "GOKIT_PROFILE_RUNS": str(work / "runs")})
        done = run_program([str(built.path), f"-test.run=^{TEST_NAME}$", f"-test.cpuprofile={out}", "-test.count=1"],
                           env=env, deadline=deadline, cwd=work)
        stdout = _read(work / "stdout")
        stderr = _read(work / "stderr")
        runs_text = _read(work / "runs")
        if done.exit_code != 0 or not runs_text or not out.is_file() or out.stat().st_size == 0:
            tail = (stderr + done.err + done.out).strip()[-800:]
            raise GokitError(
                f"the program did not return from main normally (exit status {done.exit_code}), so no profile "
                f"was written. A program that calls os.Exit or log.Fatal, or panics (or runs out of the memory "
                f"gokit allows a program), ends before the profiler can write its samples.\n{tail}")
        runs, took = runs_text.split()
        data = out.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    prof = Profile(data, "your program (CPU)", tc, trim_for(tc, [(built.builddir + os.sep, "")]), built.path,
                   report=report)
    files = tuple((n, tuple(d.decode("utf-8", "replace").splitlines())) for n, d in pkg.source.go_files)
    return CPUProfile(prof, files, int(runs), float(took), stdout, stderr, "main", pkg.module_path)


def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
