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
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .. import _cache as cache
from .. import _run, _tmp
from ..errors import GokitError, UsageError

if TYPE_CHECKING:
    import pandas as pd

    from .pprof import Profile
    from ..source.source import Source
    from ..source.toolchain import Toolchain

#: The generated test (imports aliased so no name of your package can clash with them).
TEST_FILE = "zz_gokit_profile_test.go"
TEST_NAME = "TestGokitProfile"
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
#: Where the test binary records the directory it was built in (its file names point there).
BUILD_DIR_FILE = "builddir.txt"
BINARY = "prog.test"

LINE_COLUMNS = ["file", "line", "samples", "share", "flat", "cum", "code"]
INSTRUCTION_COLUMNS = ["function", "pc", "address", "op", "args", "flat", "cum", "file", "line"]


@dataclass(frozen=True)
class CPUProfile:
    """A CPU profile of your program: samples per source line (`.lines`) and per instruction (`.instructions`).

    `.lines`: one row per line of your files with samples: `samples` (seconds of CPU time whose innermost
    frame in your code was on that line: the runtime work it called and the runtime's interruptions of it
    count for it), `share` of all samples, and pprof's own `flat`/`cum` for the line (`-top -lines`).
    `.instructions`: one row per instruction of your functions with samples (`-disasm`): `pc` is its offset
    in the function, as in `gokit.asm`; `flat` the samples taken while it executed, `cum` while it or what
    it called did. `.profile` is the raw profile (`.top()`, `.traces()`, `.save(path)`).
    """

    profile: "Profile" = field(repr=False)
    files: tuple[tuple[str, tuple[str, ...]], ...] = field(repr=False)    # your files and their lines
    runs: int = 1
    wall: float = 0.0          # seconds the runs took
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)
    package: str = "main"      # the names gokit gives your functions (main.f)
    test_package: str = "play"  # the names they have in the test binary (play.f)

    @property
    def total(self) -> float:
        """Seconds of CPU time sampled (each sample stands for 10 ms)."""
        return float(self.profile_traces.total)

    @cached_property
    def profile_traces(self) -> Any:
        return self.profile.lines()

    @cached_property
    def lines(self) -> "pd.DataFrame":
        import pandas as pd

        from .pprof import _split_name

        own = {name for name, _ in self.files}
        texts = dict(self.files)
        per: dict[tuple[str, int], float] = {}
        for t in self.profile_traces.traces:
            for f in t.frames:
                _, file, line, _ = _split_name(f.function)
                if file in own and line is not None and TEST_NAME not in f.function:
                    per[(file, line)] = per.get((file, line), 0.0) + t.value
                    break
        top = self.profile.top(lines=True, nodecount=100000).frame()
        flat: dict[tuple[str, int], float] = {}
        cum: dict[tuple[str, int], float] = {}
        for r in top.itertuples(index=False):
            if r.file in own and r.line is not None and not (isinstance(r.line, float) and r.line != r.line):
                k = (str(r.file), int(r.line))
                flat[k] = flat.get(k, 0.0) + float(r.flat)
                cum[k] = max(cum.get(k, 0.0), float(r.cum))
        total = self.total or 1.0
        keys = sorted(set(per) | set(flat), key=lambda k: (-per.get(k, 0.0), k))
        rows = [(f, ln, per.get((f, ln), 0.0), per.get((f, ln), 0.0) / total, flat.get((f, ln), 0.0),
                 cum.get((f, ln), 0.0), _code(texts.get(f, ()), ln)) for f, ln in keys]
        return pd.DataFrame(rows, columns=LINE_COLUMNS)

    def sampled(self, go: str | None, goarch: str | None) -> bool:
        """True when code built by Go `go` for `goarch` is the code this profile sampled (same Go, this machine)."""
        tc = self.profile.toolchain
        return go == tc.version and goarch == tc.goarch

    @cached_property
    def instructions(self) -> "pd.DataFrame":
        import pandas as pd

        prefix = self.test_package + "."
        from ..parsers.objdump import go_regexp_quote

        d = self.profile.disasm(go_regexp_quote(prefix))
        rows = []
        for r in d.routines:
            if not r.name.startswith(prefix) or TEST_NAME in r.name:
                continue
            name = self.package + "." + r.name[len(prefix):]
            for i in r.instructions:
                rows.append((name, i.address - r.start, i.address, i.op, i.args, i.flat, i.cum, i.file, i.line))
        return pd.DataFrame(rows, columns=INSTRUCTION_COLUMNS).astype({"line": "Int64"})

    def hottest_line(self, file: str | None = None) -> int:
        """The line of your code with the most samples (of `file`, default: the first file)."""
        f = file or self.files[0][0]
        df = self.lines[self.lines["file"] == f]
        if df.empty:
            raise GokitError("the profile holds no sample in your code: the program ran too briefly for the "
                             "profiler (100 samples a second of CPU). Give it more work or more seconds.")
        return int(df.sort_values(["samples", "line"], ascending=[False, True]).iloc[0]["line"])

    def line_shares(self, file: str | None = None) -> dict[int, float]:
        """line -> share of all samples (0-1), for painting."""
        f = file or self.files[0][0]
        df = self.lines[self.lines["file"] == f]
        return {int(ln): float(s) for ln, s in zip(df["line"], df["share"])}

    def instruction_shares(self, function: str) -> dict[int, float]:
        """pc -> share of all samples taken at (cum) that instruction of `function` (gokit's spelling, main.f)."""
        df = self.instructions[self.instructions["function"] == function]
        total = self.total or 1.0
        return {int(pc): float(c) / total for pc, c in zip(df["pc"], df["cum"]) if c}

    def _repr_html_(self) -> str:
        from ..views.widgets.journey_explorer import profile_html

        return profile_html(self)

    def __repr__(self) -> str:
        return (f"<CPUProfile {self.total:.2f} s of samples over {self.runs} run(s) in {self.wall:.2f} s, "
                f"go{self.profile.toolchain.version}>")


def _code(lines: Sequence[str], n: int) -> str:
    return lines[n - 1].strip() if 0 < n <= len(lines) else ""


def _test_binary(src: "Source", tc: "Toolchain", timeout: float) -> Path:
    """The test binary (generated test + your package), built once with `go test -c` and kept in gokit's cache."""
    k = cache.key("profile-build", tc.version, str(tc.go), src.digest, src.gomod(tc).decode("utf-8", "replace"),
                  TEST_SOURCE)

    def fill(d: Path) -> None:  # the program's module dir, without its own tests, plus the generated test
        shutil.copytree(src.materialize(tc), d, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*_test.go"))
        (d / TEST_FILE).write_text(TEST_SOURCE)
        tc.go_cmd("test", "-c", "-vet=off", "-o", BINARY, ".", cwd=d, timeout=timeout,
                  hint="gokit.profile builds your package with a generated test that calls main (go test -c); "
                       "gokit.run(src) shows whether the program itself builds.")
        (d / BUILD_DIR_FILE).write_text(str(d))

    return cache.install_dir("profile-build", k, fill)


def profile(src: "Source | str | bytes | os.PathLike[str]", args: Sequence[str] = (), *, seconds: float = 1.0,
            toolchain: "Toolchain | None" = None, timeout: float | None = None) -> CPUProfile:
    """Run your program under Go's CPU profiler: samples per source line and per instruction.

    `main` runs once, then again until `seconds` have passed (more runs, more samples: the profiler takes
    100 a second of CPU time), with `args` as its command-line arguments. Only the first run's output is
    kept. A program that calls os.Exit never returns from main, so its profile is never written: gokit says
    so. Each call measures anew; the test binary is built once per program.
    """
    from ..layers.exec import program_env
    from .pprof import Profile, _trim_for
    from ..source.source import as_source
    from ..source.toolchain import toolchain as default_toolchain

    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(60 + seconds * 4 if timeout is None else timeout)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 600:
        raise UsageError(f"seconds is how long to keep profiling, 0 to 600; got {seconds!r}")
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise UsageError(f"args is a list of strings, like args=['1000']; got {args!r}")
    src = as_source(src)
    src.check_buildable()
    if src.package != "main":
        raise UsageError(f"gokit.profile runs a program: package main with a func main; this is package "
                         f"{src.package}")
    built = _test_binary(src, tc, timeout)
    builddir = (built / BUILD_DIR_FILE).read_text().strip()
    work = _tmp.mkdtemp("profile-")
    try:
        out = work / "cpu.pprof"
        env = program_env(tc, {"GOKIT_PROFILE_ARGS": json.dumps(list(args)), "GOKIT_PROFILE_SECONDS": str(seconds),
                               "GOKIT_PROFILE_STDOUT": str(work / "stdout"),
                               "GOKIT_PROFILE_STDERR": str(work / "stderr"),
                               "GOKIT_PROFILE_RUNS": str(work / "runs")})
        done = _run.run([str(built / BINARY), f"-test.run=^{TEST_NAME}$", f"-test.cpuprofile={out}", "-test.count=1"],
                        env=env, timeout=timeout, cwd=work)
        stdout = _read(work / "stdout")
        stderr = _read(work / "stderr")
        runs_text = _read(work / "runs")
        if done.exit_code != 0 or not runs_text or not out.is_file() or out.stat().st_size == 0:
            tail = (stderr + done.err + done.out).strip()[-800:]
            raise GokitError(
                f"the program did not return from main normally (exit status {done.exit_code}), so no profile "
                f"was written. A program that calls os.Exit or log.Fatal, or panics, ends before the profiler can "
                f"write its samples; one that runs longer than timeout={timeout:g} s is stopped.\n{tail}")
        runs, took = runs_text.split()
        data = out.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    trim = _trim_for(tc, [(builddir + os.sep, "")])
    prof = Profile(data, "your program (CPU)", tc, trim, built / BINARY)
    files = tuple((n, tuple(d.decode("utf-8", "replace").splitlines())) for n, d in src.go_files)
    return CPUProfile(prof, files, int(runs), float(took), stdout, stderr, "main", src.module_path)


def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
