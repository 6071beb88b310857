"""CPU time of the compiler (or linker) grouped by phase: which phase each sample's stack belongs to, by the
functions on it (parsing, type checking, IR, SSA, code generation, linking), read against the compiler's
own source. Pure functions of parsed `-traces`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from .names import short_function
from .pprof import Frame, Traces

if TYPE_CHECKING:
    import pandas as pd

_C = "cmd/compile/internal/"
_ARCHES = ("amd64", "arm", "arm64", "loong64", "mips", "mips64", "ppc64", "riscv64", "s390x", "wasm", "x86")
#: Compiler phases by function name prefix. A stack's phase is that of its OUTERMOST frame matching one of
#: these (types2 records types with syntax helpers, so a `syntax.` frame under `types2.` is type checking);
#: only when none does, the innermost frame matching FALLBACK_RULES decides (the compiler's shared IR helpers
#: are called from every phase: an `ir.(*Name).Pos` under `ssagen.(*state).stmt` is SSA building). A rule with
#: phase "" is a dispatcher that belongs to no phase (ssagen.Compile runs buildssa, ssa.Compile and genssa).
#: Runtime frames (malloc, GC assists) and shared helpers (cmd/internal/goobj, dwarf, src, bio ...) match
#: nothing, so their time goes to the phase that called them. Read against GOROOT/src/cmd/compile/internal/
#: gc/main.go (Main: noder.LoadPackage parses with syntax and type-checks with types2, then the IR passes;
#: ssagen.Compile = buildssa, ssa.Compile, genssa) and ssagen/ssa.go (genssa and the *State it fills emit
#: obj.Progs that cmd/internal/obj encodes).
PHASE_RULES: tuple[tuple[str, str], ...] = (
    (_C + "syntax.", "parsing"),
    (_C + "types2.", "type checking"),
    (_C + "importer.", "type checking"),
    (_C + "ssagen.Compile", ""),
    (_C + "ssagen.genssa", "code generation"),
    (_C + "ssagen.(*State)", "code generation"),
    (_C + "ssagen.", "SSA"),
    (_C + "ssa.", "SSA"),
    *((f"{_C}{arch}.", "code generation") for arch in _ARCHES),
    (_C + "objw.", "code generation"),
    (_C + "liveness.", "code generation"),
    (_C + "dwarfgen.", "code generation"),
    ("cmd/internal/obj.", "code generation"),
    ("cmd/internal/obj/", "code generation"),
    ("cmd/link/", "linking"),
)
#: Used only for stacks in which no PHASE_RULES frame is found.
FALLBACK_RULES: tuple[tuple[str, str], ...] = (
    (_C + "gc.", "driver"),
    (_C + "base.", "driver"),
    (_C, "IR: inlining, escape analysis, walk"),
)
#: The phases in pipeline order (tables are sorted this way); samples with no compiler frame at all go last.
PHASE_ORDER = ("parsing", "type checking", "IR: inlining, escape analysis, walk", "SSA", "code generation",
               "linking", "driver", "runtime: GC and scheduler")
NO_PHASE = "runtime: GC and scheduler"


def phase_rules() -> "pd.DataFrame":
    """The rules `phases` applies, as a table: prefix, phase, and which pass uses it (outermost / fallback)."""
    import pandas as pd

    return pd.DataFrame([(p, ph, "outermost match") for p, ph in PHASE_RULES] +
                        [(p, ph, "fallback: innermost match") for p, ph in FALLBACK_RULES],
                        columns=["function starts with", "phase", "rule"])


def _phase(function: str, table: Sequence[tuple[str, str]]) -> str | None:
    return next((ph for prefix, ph in table if function.startswith(prefix)), None)


def phase_of(frames: Sequence[Frame], rules: Sequence[tuple[str, str]] = PHASE_RULES,
             fallback: Sequence[tuple[str, str]] = FALLBACK_RULES) -> tuple[str, str]:
    """(phase, function) for one stack given innermost frame first.

    The phase is that of the outermost frame matching `rules`, else of the innermost matching `fallback`,
    else NO_PHASE. The function is the innermost frame of that phase (where the time went inside it), or the
    leaf when no compiler frame is on the stack.
    """
    for table, order in ((rules, frames[::-1]), (fallback, frames)):
        for f in order:
            phase = _phase(f.function, table)
            if phase:
                inner = next(g.function for g in frames if _phase(g.function, table) == phase)
                return phase, inner
    return NO_PHASE, frames[0].function if frames else ""


PHASE_COLUMNS = ["phase", "value", "share", "top functions"]


def phases(traces: Traces, *, rules: Sequence[tuple[str, str]] = PHASE_RULES,
           fallback: Sequence[tuple[str, str]] = FALLBACK_RULES, top: int = 3) -> "pd.DataFrame":
    """Samples grouped by compiler phase (see PHASE_RULES and FALLBACK_RULES), in pipeline order.

    Columns: phase, value (in the profile's unit), share (of all samples, 0-1), and the `top` functions that
    decided the phase of most samples, each with its share (`ssa.applyRewrite 6%`).
    """
    import pandas as pd

    total = traces.total or 1.0
    by_phase: dict[str, dict[str, float]] = {}
    for t in traces.traces:
        phase, fn = phase_of(t.frames, rules, fallback)
        funcs = by_phase.setdefault(phase, {})
        funcs[fn] = funcs.get(fn, 0.0) + t.value
    order = [p for p in PHASE_ORDER if p in by_phase] + sorted(p for p in by_phase if p not in PHASE_ORDER)
    rows = []
    for phase in order:
        funcs = by_phase[phase]
        best = sorted(funcs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        rows.append({"phase": phase, "value": sum(funcs.values()), "share": sum(funcs.values()) / total,
                     "top functions": ", ".join(f"{short_function(f)} {_pct(v / total)}" for f, v in best)})
    return pd.DataFrame(rows, columns=PHASE_COLUMNS)


def _pct(share: float) -> str:
    return f"{share:.0%}" if share >= 0.095 else f"{share:.1%}"
