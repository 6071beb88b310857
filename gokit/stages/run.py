"""gokit.run: build the program (cached) and run it like `go run`, with the limits of every program gokit runs."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from typing import Sequence

from .. import _tmp
from .._run import PROGRAM_SECONDS, Deadline
from ..errors import UsageError
from ..layers.build import Build
from ..layers.build import build as layer_build
from ..layers import exec as exec_layer
from ..layers.exec import program_env, run_program
from ..source.package import resolve
from ..source.source import Source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain


@dataclass(frozen=True)
class Run:
    """A finished run of a learner's program."""

    stdout: str
    stderr: str
    exit_code: int
    wall: float
    build: Build = field(repr=False)
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.stdout

    def _repr_html_(self) -> str:
        import html

        out = html.escape(self.stdout)
        err = f"<pre style='color:#b00'>{html.escape(self.stderr)}</pre>" if self.stderr else ""
        notes = "".join(f"<div><i>{html.escape(n)}</i></div>" for n in self.notes)
        return (f"<pre>{out}</pre>{err}{notes}<div style='color:#666'>exit code {self.exit_code}, "
                f"{self.wall * 1000:.1f} ms</div>")


def run(src: Source | str | bytes | os.PathLike[str], args: Sequence[str] = (), *, timeout: float | None = None,
        toolchain: Toolchain | None = None, env: dict[str, str] | None = None,
        max_output: int | None = None, max_memory: int | None = None) -> Run:
    """Build (cached) and run a program like `go run`: no stdin, bounded output and memory, killed on timeout.

    `timeout` bounds the whole call, the build (usually served from gokit's cache) and the run together
    (default 10 s). The program runs in a fresh empty directory that is removed afterwards; `max_output`
    (bytes per stream) and `max_memory` (bytes) change the limits every program gokit runs gets.
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, PROGRAM_SECONDS, "gokit.run")
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise UsageError(f"args is a list of strings, like args=['-n', '3']; got {args!r}")
    limits = exec_layer.LIMITS  # read now: the limits of every program gokit runs
    max_output = limits.max_output if max_output is None else max_output
    max_memory = limits.max_memory if max_memory is None else max_memory
    if isinstance(max_output, bool) or not isinstance(max_output, int) or max_output <= 0:
        raise UsageError(f"max_output must be a positive number of bytes; got {max_output!r}")
    b = layer_build(resolve(src, tc, {}, deadline), deadline=deadline)
    cwd = _tmp.mkdtemp("run-")
    try:
        done = run_program([str(b.binary), *args], env=program_env(b.toolchain, env), cwd=cwd, deadline=deadline,
                           max_output=max_output, max_memory=max_memory)
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
    notes = []
    # Out of memory under RLIMIT_DATA shows as "cannot allocate memory", "out of memory", or (rarely,
    # when the runtime's own mmap fails) a SIGSEGV; a large peak RSS tells the last one apart.
    if done.exit_code != 0 and ("cannot allocate memory" in done.err or "out of memory" in done.err
                                or done.maxrss >= max_memory // 2):
        notes.append(f"the program asked for more than the {max_memory / (1 << 30):g} GiB of memory gokit "
                     "allows it (pass max_memory= to change that), so the Go runtime stopped it.")
    for stream, dropped in (("stdout", done.stdout_dropped), ("stderr", done.stderr_dropped)):
        if dropped:
            notes.append(f"{stream} was cut after {max_output:,} bytes; {dropped:,} more bytes were printed "
                         "and thrown away.")
    return Run(done.out, done.err, done.exit_code, done.wall, b, tuple(notes))
