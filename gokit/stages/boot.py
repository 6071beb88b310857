"""gokit.boot_chain and gokit.inittrace: how a Go program starts, read from a real binary and from its runtime."""
from __future__ import annotations

import os
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .._run import BUILD_SECONDS, PROGRAM_SECONDS, Deadline, check_count
from ..errors import BinaryFormatError
from ..layers.build import Build
from ..layers.build import build as layer_build
from ..layers.exec import program_env, run_program
from ..parsers.binary import MACHINES, read_elf
from ..parsers.boot import BOOT_PATTERN, BootChain, find_boot_chain, inittrace_frame, parse_inittrace
from ..source.package import resolve
from ..source.toolchain import toolchain as default_toolchain
from .objfile import objdump

if TYPE_CHECKING:
    import pandas as pd

    from ..source.toolchain import Toolchain


def _binary_and_toolchain(target: Any, toolchain: "Toolchain | None", deadline: Deadline) -> tuple[Path, "Toolchain"]:
    """A Build, a binary path, or Go source (built now, cached) -> (binary, the toolchain that built it)."""
    if isinstance(target, Build):
        return target.binary, toolchain or target.toolchain
    if isinstance(target, (str, os.PathLike)) and not (isinstance(target, str) and "\n" in target):
        p = Path(target)
        if p.is_file() and p.suffix != ".go":  # a binary (read_elf says what it is if it is not ELF)
            return p, toolchain or default_toolchain()
    tc = toolchain or default_toolchain()
    b = layer_build(resolve(target, tc, {}, deadline), deadline=deadline)
    return b.binary, b.toolchain


def boot_chain(target: Any, *, toolchain: "Toolchain | None" = None, timeout: float | None = None) -> BootChain:
    """The boot chain of a binary (a Build, an ELF path, or Go source to build): entry point → ... → main.main.

    Reads the entry point from the ELF header, follows the calls `go tool objdump` shows through
    the runtime, and reads the function values newproc, newm and runtime.main's call of main_main
    point at. Linux amd64 and arm64 binaries with a symbol table (not linked with -s). `timeout` bounds the
    whole call (default 300 s).
    """
    deadline = Deadline.of(timeout, BUILD_SECONDS, "gokit.boot_chain")
    binary, tc = _binary_and_toolchain(target, toolchain, deadline)
    image = read_elf(binary)
    if image.goarch not in MACHINES.values():
        raise BinaryFormatError(f"{binary.name} is for {image.machine}: gokit reads the boot chain of amd64 and arm64 "
                                "binaries (build with goarch='amd64' or 'arm64').")
    if not image.symbols:
        raise BinaryFormatError(f"{binary.name} has no symbol table (linked with -s): the boot chain needs it to name "
                                "functions. Build it without -ldflags=-s.")
    functions = objdump(binary, pattern=BOOT_PATTERN, toolchain=tc, timeout=deadline)
    chain = find_boot_chain(functions, image, binary=binary, goroot=tc.goroot, go=tc.version)
    return replace(chain, toolchain=tc, objdump=partial(_objdump, binary, tc))


def _objdump(binary: Path, tc: "Toolchain", pattern: str, progress: str | None = None) -> tuple[Any, ...]:
    """The functions of the binary a Go regexp matches (a BootChain's `objdump`; `progress`: a bar's words)."""
    return objdump(binary, pattern=pattern, toolchain=tc, progress=progress)


def inittrace(target: Any, *, runs: int = 1, args: Sequence[str] = (), toolchain: "Toolchain | None" = None,
              timeout: float | None = None) -> "pd.DataFrame":
    """Run the program with GODEBUG=inittrace=1 and return what the runtime printed, one row per package init.

    Columns: package, start_ms (since runtime.main began its inits), clock_ms, bytes, allocs, run
    (0 .. runs-1). The runtime truncates times to two significant digits (at most three decimals) below 10 ms
    and to whole milliseconds from 10 ms up (runtime.fmtNSAsMS).
    `target` is a Build, a binary path, or Go source (built first). The raw stderr of the last run
    is in `.attrs["stderr"]`. The program runs with the limits of every program gokit runs; `timeout` bounds
    the whole call, a build of Go source included (default 10 s per run).
    """
    import pandas as pd

    runs = check_count("runs", runs, 1)
    deadline = Deadline.of(timeout, PROGRAM_SECONDS * runs, "gokit.inittrace")
    binary, tc = _binary_and_toolchain(target, toolchain, deadline)
    frames = []
    err, code = "", 0
    for r in range(runs):
        done = run_program([str(binary), *args], env=program_env(tc, {"GODEBUG": "inittrace=1"}), deadline=deadline)
        err, code = done.err, done.exit_code
        frames.append(inittrace_frame(parse_inittrace(err), r))
    df = pd.concat(frames, ignore_index=True)
    df.attrs["stderr"] = err
    df.attrs["exit_code"] = code
    df.attrs["go"] = tc.version
    return df
