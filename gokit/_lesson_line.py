"""Lesson helpers for lesson 08 (one line, every stage): a journey's counts per function, notes on what looks odd in
a listing and in the linked machine code, profile shares with their intervals, and the stage costs split by unit;
and, for lesson 07's sentences, two medians compared in plain words. For lessons 04 and 05: the rows of one package
picked out of a listing, a package object or a binary's symbols, the filled holes checked against nm, and one
package's line of the runtime's init trace (a cell shows one call, not the filtering of a table)."""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: z for a two-sided 95% interval (the Wilson interval of a share).
Z95 = 1.959963984540054


def hx(n: int) -> str:
    """An offset or pc as the lessons print them: 0x001b."""
    return f"{int(n):#06x}"


# ---------------------------------------------------------------- lesson 08: shares and stage costs


def share_interval(k: int, n: int) -> tuple[float, float]:
    """The Wilson 95% interval of a share k/n (treating the n samples as independent draws)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    d = 1 + Z95 ** 2 / n
    mid = (p + Z95 ** 2 / (2 * n)) / d
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / d
    return max(0.0, mid - half), min(1.0, mid + half)


def pct(x: float) -> str:
    """A share as a percentage with the digits it has: 88%, 7%, 0.24%."""
    if x != x:
        return "—"
    v = 100 * x
    if v == 0:
        return "0%"
    if v >= 10:
        return f"{v:.0f}%"
    if v >= 1:
        return f"{v:.1g}%" if v < 9.5 else f"{v:.0f}%"
    return f"{v:.2g}%"


def _short(function: str) -> str:
    return function.removeprefix("main.")


def journey_counts(j: Any) -> "pd.DataFrame":
    """What each stage of a gokit.follow journey holds for its line, one column per function holding its code (the
    line's own function, and those it was inlined into); "—" where a stage is not per function or has no such
    function."""
    import pandas as pd

    fns = list(dict.fromkeys([*j.passes, *j.functions]))
    own_fn = j.function and f"main.{j.function}" if j.function and not j.function.startswith("main.") else j.function

    def per(df: Any, col: str = "function") -> dict[str, Any]:
        return {f: int((df[col] == f).sum()) if len(df) else 0 for f in fns}

    last = j.ssa_at(-1) if j.passes else j.ssa.iloc[0:0]
    asm = j.asm[~j.asm["pseudo"]] if len(j.asm) else j.asm
    rows: list[dict[str, Any]] = [
        {"stage": "tokens", "counts": "tokens of the line, the inserted one included", "all": len(j.tokens)},
        {"stage": "syntax", "counts": "syntax nodes starting on the line", "all": len(j.nodes)},
        {"stage": "types", "counts": "typed expressions", "all": len(j.types)},
        {"stage": "SSA", "counts": "the line's values after the last pass", **per(last)},
        {"stage": "instructions", "counts": "instructions in the -S listing", **per(asm)},
        {"stage": "relocations", "counts": "holes in those instructions", **per(j.relocations)},
        {"stage": "symbols", "counts": "symbols the holes name, found in the binary",
         "all": int(j.symbols["in_binary"].sum()) if len(j.symbols) else 0},
        {"stage": "machine code", "counts": "instructions at their final address", **per(j.machine)},
    ]
    cols = ["stage", "counts", *fns, "all"]
    df = pd.DataFrame([[row.get(c, NOT_SHOWN) for c in cols] for row in rows], columns=cols)
    names = {f: f"in {_short(f)}" + ("" if f == own_fn else " (inlined copy)") for f in fns}
    return df.rename(columns={**names, "all": "for the line"})


def noise_words(result: Any, a: str, b: str) -> str:
    """Whether rows `a` and `b` of a gokit.bench result differ by more than the noise, in plain words a sentence can
    end with (the judgement of gokit.lesson.versus: the intervals of the two medians, and the machine's load):
    "the two medians differ by less than the noise (their intervals overlap), so these runs cannot tell them apart",
    "a difference beyond the noise (their intervals do not overlap)", ..."""
    from ._lesson_bench import BUSY_MARGIN, versus

    said = versus(result, a, b)
    if said.startswith("within the noise"):
        return ("the two medians differ by less than the noise (their intervals overlap), so these runs cannot tell "
                "them apart")
    if said.startswith("not compared"):
        return "with one run there is no interval, so no comparison"
    if said.endswith("is not concluded"):
        return (f"their intervals do not overlap, but on a machine this busy a difference under {BUSY_MARGIN:g}× is "
                "not concluded")
    return "a difference beyond the noise (their intervals do not overlap)"


def packages_compiled(ci: Any, package: str) -> int:
    """Lesson 07: how many packages the warm builds of a gokit.ci_simulation compiled after a commit edited `package`
    (its import path, or the last element of it: "text"); the fewest, if its builds differ."""
    from .errors import UsageError

    t = ci.by_edit()
    hit = t[(t["edited"] == package) | (t["edited"].str.rsplit("/", n=1).str[-1] == package)]
    if hit.empty:
        raise UsageError(f"no warm build edited {package!r}; the edited packages: {', '.join(t['edited'])}")
    return int(str(hit.iloc[0]["packages compiled"]).split("–")[0])


#: What a table cell shows when a count does not apply (a stage counted for the whole line, not per function).
NOT_SHOWN = "—"


def listing_notes(asm: "pd.DataFrame") -> list[str]:
    """Sentences about what looks odd in one function's -S rows (pc, op, args, ssa): padding NOPs, a rotated loop,
    a register copy before CQO. Only what the rows show is said (cmd/internal/obj/x86/asm6.go isJump and its padding;
    ssa/looprotate.go; amd64/ssa.go's DIVQ case)."""
    rows = asm.reset_index(drop=True)
    notes = []
    ops = list(rows["op"])
    for i, r in rows.iterrows():
        if r["op"] == "NOP" and i + 1 < len(rows):
            nxt = rows.iloc[i + 1]
            notes.append(f"The NOP at {hx(r['pc'])} is padding: on amd64 the assembler adds no-op bytes so that no "
                         "jump, alone or fused with the compare just before it, crosses or ends on a 32-byte "
                         f"boundary (functions start on one); {nxt['op']} starts at {hx(nxt['pc'])}, a multiple of 32 "
                         "bytes into the function." if int(nxt["pc"]) % 32 == 0 else
                         f"The NOP at {hx(r['pc'])} is padding the assembler added before a jump.")
    pcs = [int(p) for p in rows["pc"]]
    for _, b in rows.iterrows():
        if str(b["op"]).startswith("J") and b["op"] != "JMP" and str(b["args"]).isdigit() \
                and int(b["args"]) < int(b["pc"]) and int(b["args"]) in pcs:
            top = int(b["args"])
            load = rows[(rows["pc"] > top) & (rows["pc"] < b["pc"]) & rows["args"].astype(str).str.contains(r"\(SB\),")]
            above = rows[(rows["pc"] >= top) & (rows["pc"] < (load["pc"].iloc[0] if len(load) else top))]
            said = ""
            if len(load) and len(above):
                first = above[above["op"] != "MOVQ"].iloc[0] if (above["op"] != "MOVQ").any() else above.iloc[0]
                said = (f" Here the load {load.iloc[0]['op']} {load.iloc[0]['args']} at {hx(load.iloc[0]['pc'])} "
                        f"runs before the {first['op']} at {hx(first['pc'])} printed above it.")
            notes.append(f"The {b['op']} at {hx(b['pc'])} jumps back up to {hx(top)}: the loop rotate pass laid "
                         "part of the loop's body out above the loop's own test, so that each iteration takes one "
                         "taken branch, and the listing is in memory order, not running order." + said)
            break
    if "CQO" in ops:
        i = ops.index("CQO")
        prev = rows.iloc[i - 1] if i else None
        if prev is not None and prev["op"] == "MOVQ" and str(prev["args"]).startswith("DX,"):
            notes.append(f"{prev['op']} {prev['args']} at {hx(prev['pc'])} moves the divisor out of DX, which CQO "
                         "is about to overwrite with the sign of the dividend.")
    return notes


#: What a conditional jump after `TESTQ R, R` tests (R AND R sets the zero flag exactly when R is 0): the jump is
#: taken when the divisor is not zero (JNE) or when it is (JEQ).
_ZERO_TESTS = {"JNE": ("if the zero flag is clear, that is when", "is not 0"),
               "JEQ": ("if the zero flag is set, that is when", "is 0")}
_REG_RE = re.compile(r"^(?P<r>[A-Z][A-Z0-9]*), (?P=r)$")


def divisor_check(asm: "pd.DataFrame", divisor: str = "the divisor") -> str:
    """The divisor check of one function's -S rows (pc, op, args), in words computed from the rows: which
    instruction tests what, where its jump goes in each case, and the call to runtime.panicdivide; "" when the rows
    hold no such check. The compiler branches on `divisor != 0` (ssagen/ssa.go intDivide and check) and lowers it
    to `TESTQ R, R` and a JNE to the division (or JEQ to the panic) (amd64/ssa.go ssaGenBlock)."""
    rows = asm.reset_index(drop=True)
    pcs = {int(r["pc"]): r for _, r in rows.iterrows()}
    calls = rows[(rows["op"] == "CALL") & rows["args"].astype(str).str.startswith("runtime.panicdivide")]
    if not len(calls):
        return ""
    call = calls.iloc[0]
    for i in range(len(rows) - 1):
        test, jump = rows.iloc[i], rows.iloc[i + 1]
        m = _REG_RE.match(str(test["args"]))
        if not (str(test["op"]).startswith("TEST") and m and jump["op"] in _ZERO_TESTS
                and str(jump["args"]).isdigit()):
            continue
        reg, target = m.group("r"), int(jump["args"])
        when, case = _ZERO_TESTS[str(jump["op"])]
        loads = rows[(rows["pc"] < test["pc"]) & rows["args"].astype(str).str.endswith(f", {reg}")]
        load = (f" ({divisor}, put there by {loads.iloc[-1]['op']} {loads.iloc[-1]['args']} at "
                f"{hx(loads.iloc[-1]['pc'])})" if len(loads) else "")
        there = pcs.get(target)
        lands = ""
        if there is not None:
            ahead = rows[rows["pc"] >= target].head(3)
            starts = " that begins the division" if (ahead["op"] == "CQO").any() else ""
            lands = f": the {there['op']} {there['args']}".rstrip() + starts
        out = [f"The divisor check is {test['op']} {test['args']} at {hx(test['pc'])} and {jump['op']} {target} at "
               f"{hx(jump['pc'])}. {test['op']} ANDs {reg}{load} with itself and keeps only the flags: the zero flag "
               f"is set exactly when {divisor} is 0. {jump['op']} jumps {when} {divisor} {case}, to pc {target}, "
               f"that is {hx(target)} (-S writes a jump's target in decimal){lands}."]
        nxt = rows.iloc[i + 2] if i + 2 < len(rows) else None
        if int(target) == int(call["pc"]):
            out.append("Otherwise the CPU goes straight on to the division.")
        elif nxt is not None and nxt["op"] == "JMP" and str(nxt["args"]).isdigit() \
                and int(nxt["args"]) == int(call["pc"]):
            other = "0" if str(jump["op"]) == "JNE" else "not 0"
            out.append(f"Only when {divisor} is {other} does the CPU go on to JMP {nxt['args']} at {hx(nxt['pc'])}, "
                       f"which jumps to {hx(call['pc'])}, the CALL {call['args']}.")
        after = rows[rows["pc"] > call["pc"]]
        if len(after) and after.iloc[0]["op"] == "XCHGL" and str(after.iloc[0]["args"]) == "AX, AX":
            out.append(f"The XCHGL AX, AX at {hx(after.iloc[0]['pc'])} after that call is a one-byte no-op that "
                       "never runs: it keeps the call's return address inside the function, for the stack trace of "
                       "the panic.")
        return " ".join(out)
    return ""


def division_samples(profile: Any, line: int, function: str = "main.main") -> "pd.DataFrame":
    """The CPU samples of a division's three instructions on `line` of `function` (the CQO before the IDIVQ, the
    IDIVQ, and the instruction after it), from a gokit.profile: pc, op, args, samples (those taken at exactly
    that instruction), share (of all samples, in whole percent: a few hundred samples carry no more digits).
    Empty when the line has no IDIVQ."""
    import pandas as pd

    cols = ["pc", "op", "args", "samples", "share"]
    ins = profile.instructions
    rows = ins[(ins["function"] == function) & (ins["line"] == line)].sort_values("pc").reset_index(drop=True)
    at = rows.index[rows["op"] == "IDIVQ"]
    if not len(at):
        return pd.DataFrame(columns=cols)
    i = int(at[0])
    pick = rows.iloc[max(i - 1, 0):i + 2]
    n = round(profile.total * 100)
    samples = [int(round(float(v) * 100)) for v in pick["flat"]]
    return pd.DataFrame({"pc": [hx(p) for p in pick["pc"]], "op": list(pick["op"]), "args": list(pick["args"]),
                         "samples": samples, "share": [f"{100 * k / n:.0f}%" if n else "—" for k in samples]},
                        columns=cols)


def most_samples(table: "pd.DataFrame") -> str:
    """The op of the row with the most samples in a division_samples table (the first on a tie), "—" if empty."""
    if not len(table):
        return NOT_SHOWN
    return str(table.iloc[int(table["samples"].to_numpy().argmax())]["op"])


def machine_notes(machine: "pd.DataFrame") -> list[str]:
    """What go tool objdump prints differently from -S in the linked code: NOPL for padding and for 0x90."""
    notes = []
    pads = machine[(machine["op"] == "NOPL") & (machine["bytes"] != "90")]
    if len(pads):
        p = pads.iloc[0]
        notes.append(f"NOPL {p['args']} at {int(p['address']):#x} ({len(str(p['bytes'])) // 2} bytes) is the "
                     "padding NOP: the assembler fills a gap of several bytes with one long no-op instruction.")
    if ((machine["op"] == "NOPL") & (machine["bytes"] == "90")).any():
        notes.append("NOPL with the single byte 90 is the instruction -S calls XCHGL AX, AX: objdump names the byte "
                     "0x90 by what it does, the compiler by how x86 encodes it (an exchange of AX with itself).")
    return notes


#: The stages gokit measures in-process with the go/* libraries (µs), and the ones timed in the compiler or as
#: whole processes (ms).
LIBRARY_STAGES = ("tokenise", "parse", "type-check")


def stage_tables(costs: Any) -> tuple[Any, Any]:
    """gokit.stage_costs as two benchmark tables, each in its own unit: the go/* libraries inside gokit's helper
    (microseconds), and the compile and the link (milliseconds) with each stage's share of the two, plus the
    program's start."""
    from dataclasses import replace

    from ._lesson_bench import bench_table
    from .measure.result import BenchResult

    r = costs.result
    lib = BenchResult.from_frame(r.frame[r.frame["label"].isin(LIBRARY_STAGES)], unit=r.unit,
                                 commands={k: () for k in LIBRARY_STAGES if k in set(r.frame["label"])})
    rest_labels = [x for x in r.summary.index if x not in LIBRARY_STAGES]
    rest = BenchResult.from_frame(r.frame[r.frame["label"].isin(rest_labels)], unit=r.unit,
                                  commands={k: () for k in rest_labels})
    t1 = bench_table(lib, columns=("median", "interval", "runs"), label="go/* library, in gokit's helper",
                     conclusion=False)
    t2 = bench_table(rest, columns=("median", "interval", "runs"), label="stage", conclusion=False)
    med = rest.summary["median"]
    build = [x for x in med.index if x != "start"]
    total = float(med[build].sum())
    share = ["—" if x == "start" else pct(float(med[x]) / total) for x in med.index]
    frame = t2.frame.copy()
    frame.insert(2, "share of compile + link", share)
    t2 = replace(t2, frame=frame)
    return replace(t1, note=_note(t1.note, "in-process")), replace(t2, note=_note(t2.note, "mixed"))


def _note(note: str, kind: str) -> str:
    how = ("each the go/* library's own time for this file inside gokit's running helper, imports already loaded"
           if kind == "in-process" else
           "the compiler's phases from its own -bench report and -d=ssa/all/time, the link and the start as whole "
           "processes")
    note = re.sub(r"^Median: of [^.]*\.", f"Median: {how}.", note)
    note = re.sub(r" Ratio: [^.]*\.", "", note)
    return note


# ---------------------------------------------------------------- lessons 04 and 05: rows picked out of tables

#: The columns lesson 04 shows of a listing's functions (gokit.asm(...).summary).
FUNCTION_COLUMNS = ("name", "kind", "size", "flags", "args", "locals", "instructions", "relocations")
#: Names of an object's undefined symbols that are neither functions nor variables: type descriptors and the
#: linker's own symbols (go:string.*, go:itab.* ...).
NOT_CODE_PREFIXES = ("type:", "go:")


def package_functions(asm: Any, package: str = "main") -> "pd.DataFrame":
    """The functions of one package in a compiler listing (`gokit.asm`), with the columns lesson 04 shows:
    FUNCTION_COLUMNS (name, kind, size, flags, args, locals, instructions, relocations)."""
    s = asm.summary
    return s[s["name"].str.startswith(package + ".")][list(FUNCTION_COLUMNS)].reset_index(drop=True)


def undefined_code(obj: Any) -> "pd.DataFrame":
    """The functions and variables a package object uses but does not define (`go tool nm`'s `U` rows of
    `gokit.package_object`), without the type descriptors and linker symbols (NOT_CODE_PREFIXES): name, package."""
    u = obj.undefined
    return u[~u["name"].str.startswith(NOT_CODE_PREFIXES)][["name", "package"]].reset_index(drop=True)


def package_symbols(syms: Any, package: str = "main") -> "pd.DataFrame":
    """One package's symbols in a binary (`gokit.symbols`): size, type (nm's letter), name, by address."""
    return syms[syms["package"] == package][["size", "type", "name"]].reset_index(drop=True)


class HoleCheck:
    """The filled holes of a function checked against nm (see `holes_checked`)."""

    def __init__(self, calls: int, checked: int, agree: int) -> None:
        self.calls, self.checked, self.agree = calls, checked, agree
        self.sentence = (f"{calls} calls; the target read from the filled hole equals nm's address for {agree} of "
                         f"the {checked} symbols nm lists.")

    def __repr__(self) -> str:
        return self.sentence


def holes_checked(filled: "pd.DataFrame") -> HoleCheck:
    """For a `filled_holes` table: how many holes there are, how many of their symbols nm gives an address for
    (`address` not "—"), and for how many of those the `target` read from the filled bytes is that address."""
    known = filled[filled["address"] != "—"]
    return HoleCheck(len(filled), len(known), int((known["target"] == known["address"]).sum()))


def init_of(trace: "pd.DataFrame", package: str = "main", run: int = 0) -> "pd.Series":
    """One package's line of the runtime's init trace (`gokit.inittrace`), as a row: package, start_ms,
    clock_ms, bytes, allocs, run. `run`: which run, when the trace holds several."""
    from .errors import UsageError

    rows = trace[(trace["package"] == package) & (trace["run"] == run)]
    if rows.empty:
        raise UsageError(f"the init trace has no line for package {package!r} in run {run}: a package with no "
                         "init work prints none")
    return rows.iloc[0]



class BusiestPass:
    """The SSA pass that changed a function's line the most (see `busiest_pass`)."""

    def __init__(self, name: str, changes: "pd.DataFrame") -> None:
        self.name, self.changes = name, changes

    def __repr__(self) -> str:
        return self.name


def busiest_pass(activity: "pd.DataFrame", function: str) -> BusiestPass:
    """From a journey's `pass_activity()`, once the SSA form is built (after snapshots #0 and #1, "before insert
    phis" and "start"): the pass of `function` with the most values that appeared or changed op (the earliest on a
    tie), and `changes`, the passes that did either (columns pass, appeared, op changed)."""
    built = activity[(activity["function"] == function) & (activity["pass_index"] > 1)]
    if built.empty:
        from .errors import UsageError

        raise UsageError(f"no SSA pass of {function} touched the line")
    built = built.assign(score=built["appeared"] + built["op_changed"])
    name = str(built.sort_values(["score", "pass_index"], ascending=[False, True]).iloc[0]["pass"])
    changes = built[built["score"] > 0][["pass", "appeared", "op_changed"]]
    return BusiestPass(name, changes.rename(columns={"op_changed": "op changed"}).reset_index(drop=True))


class Divisions:
    """A function's machine instructions in a journey and its divide instructions (see `divisions`)."""

    def __init__(self, instructions: "pd.DataFrame", op: str, table: "pd.DataFrame") -> None:
        self.instructions, self.table = instructions, table
        self.count = int((instructions["op"] == op).sum())

    def __repr__(self) -> str:
        return f"{self.count} of {len(self.instructions)} instructions divide"


def divisions(journey: Any, function: str, *, op: str = "IDIVQ", setup: str = "CQO") -> Divisions:
    """Of `function`'s own instructions in a journey's listing (`j.own_asm`, pseudo-instructions left out): how
    many are `op` (amd64's signed 64-bit divide), and the rows of `op` and of `setup` (CQO sign-extends the
    dividend into DX first): pc, op, args."""
    asm = journey.own_asm
    own = asm[(asm["function"] == function) & ~asm["pseudo"]]
    rows = own[own["op"].isin([setup, op])][["pc", "op", "args"]].reset_index(drop=True)
    return Divisions(own.reset_index(drop=True), op, rows)

__all__ = ["hx", "divisor_check", "noise_words", "packages_compiled", "division_samples", "journey_counts", "listing_notes", "machine_notes", "most_samples", "share_interval", "pct", "stage_tables",
           "package_functions", "undefined_code", "package_symbols", "HoleCheck", "holes_checked", "init_of",
           "BusiestPass", "busiest_pass", "Divisions", "divisions"]
