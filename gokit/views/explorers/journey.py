"""The journey explorer: pick any line of the program and see it at every stage, one column each — tokens, syntax
nodes, types, SSA values at a pass you choose, instructions (click or hover one: the SSA value it came from),
relocations and the symbols they resolve to, machine code at its final address — with profile samples painted.
Python follows the program's lines once; the browser switches between them."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..._display import renders
from ...parsers.journey import Journey
from ..journey import pass_for
from ._base import FORMAT, Explorer, precompute

if TYPE_CHECKING:
    from ...parsers.profile import CPUProfile

#: A program with at most this many lines of code has every line followed when the explorer is made; a bigger
#: one has the lines around the start (others are followed on demand in a running notebook).
ALL_LINES = 150
AROUND = 30

#: line -> its journey: how a live explorer follows a line it lacks.
Follow = Callable[[int], "Journey"]


def _na(x: Any) -> bool:
    return x is None or str(x) in ("<NA>", "None", "nan")


def _ssa_orders(j: "Journey", records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Per function, the order of the line's values in each pass (a pass lists them block by block), written only
    when it changes: [[first pass, [ids]], ...]."""
    out: dict[str, list[Any]] = {}
    for fn in j.passes:
        at: dict[int, list[int]] = {}
        for r in records:
            if r["function"] == fn:
                at.setdefault(int(r["pass_index"]), []).append(int(r["id"]))
        seq: list[Any] = []
        for i in range(len(j.passes[fn])):
            ids = at.get(i, [])
            if not seq or seq[-1][1] != ids:
                seq.append([i, ids])
        out[fn] = seq
    return out


def _ssa_runs(j: "Journey", records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Per function, per value of the line: its rows as runs of consecutive passes that show it alike,
    [first, last, text, dead, change (at first), fate (at last)] (a value untouched by 40 passes is one run)."""
    out: dict[str, list[Any]] = {}
    for fn in j.passes:
        by_id: dict[int, list[list[Any]]] = {}
        for r in records:
            if r["function"] != fn:
                continue
            runs = by_id.setdefault(int(r["id"]), [])
            i = int(r["pass_index"])
            last = runs[-1] if runs else None
            if (last is not None and last[1] == i - 1 and last[2] == r["text"] and last[3] == bool(r["dead"])
                    and not r["change"] and not last[5]):
                last[1] = i
                last[5] = r["fate"]
            else:
                runs.append([i, i, r["text"], bool(r["dead"]), r["change"], r["fate"]])
        out[fn] = [[vid, runs] for vid, runs in by_id.items()]
    return out


def pass_events(j: "Journey", function: str, records: list[dict[str, Any]] | None = None) -> list[int]:
    """Per pass of `function`: how many of the line's values it added, changed, killed or removed (the `events`
    of `Journey.pass_activity`, counted without a DataFrame per pass)."""
    names = j.passes.get(function, ())
    rows = [r for r in (j.ssa.to_dict("records") if records is None else records) if r["function"] == function]
    at: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        at.setdefault(int(r["pass_index"]), []).append(r)
    out = []
    for i, name in enumerate(names):
        here = at.get(i, [])
        n = sum(r["change"].startswith(("new", "moved here")) for r in here) + sum("→" in r["change"] for r in here) \
            + sum("dead" in r["change"] for r in here)
        if i:
            n += sum(r["fate"].endswith(f" by {name}") for r in at.get(i - 1, []))
        out.append(n)
    return out


def journey_record(j: "Journey") -> dict[str, Any]:
    """One line's journey, JSON-able and compact (what each column of the explorer lists)."""
    first = next(iter(j.passes), None)
    records = j.ssa.to_dict("records")
    events = pass_events(j, first, records) if first else []
    symbols = []
    for r in j.symbols.to_dict("records"):
        if r["in_binary"]:
            where = f"{int(r['address']):#x}, {int(r['size'])} bytes ({r['type']})"
        elif not _na(r["resolved"]):
            where = f"{int(r['resolved']):#x} (= {r['nearest']}: nm lists no symbol of its own)"
        else:
            where = "not in the binary"
        symbols.append([r["symbol"], where, r["relocations"]])
    asm = [[r["function"], int(r["pc"]), r["op"], r["args"], r["inline"],
            None if _na(r["ssa_id"]) else int(r["ssa_id"]), r["ssa"] or ""]
           for r in j.asm.to_dict("records") if not r["pseudo"]]
    return {
        "line": j.line, "code": j.code, "function": j.function, "enclosing": list(j.enclosing), "notes": list(j.notes),
        "tokens": [[str(r.text), r.token, int(r.line), int(r.col), bool(r.inserted)]
                   for r in j.tokens.itertuples(index=False)],
        "nodes": [[int(r.depth), r.kind, r.key, r.field, str(r.pos), str(r.end)] for r in j.nodes.itertuples(index=False)],
        "types": [[r.expr, r.type, r.mode, r.value or "", r.kind, str(r.pos)] for r in j.types.itertuples(index=False)],
        "passes": {fn: list(names) for fn, names in j.passes.items()},
        "ssa": _ssa_runs(j, records), "order": _ssa_orders(j, records), "events": events,
        "asm": asm,
        "rels": [[r["function"], int(r["pc"]), r["type"], r["symbol"]] for r in j.relocations.to_dict("records")],
        "symbols": symbols,
        "machine": [[int(r["address"]), r["bytes"], r["op"], r["args"], r["inline"], r["function"], int(r["pc"])]
                    for r in j.machine.to_dict("records")],
    }


def journey_data(journeys: Mapping[int, "Journey | Exception"], *, profile: "CPUProfile | None" = None,
                 first: "Journey") -> dict[str, Any]:
    """Everything the explorer draws, JSON-able: the file, each followed line's journey (or why it could not be
    followed), and the profile's samples per line and per instruction (when it sampled this very code)."""
    go, goarch = first.meta.get("go"), first.meta.get("goarch")
    prof = None
    if profile is not None:
        pcs: dict[str, dict[str, float]] = {}
        if profile.sampled(go, goarch):
            fns = {f for j in journeys.values() if not isinstance(j, Exception) for f in j.functions}
            for fn in sorted(fns):
                shares = profile.instruction_shares(fn)
                if shares:
                    pcs[fn] = {str(pc): round(v, 6) for pc, v in shares.items()}
        prof = {"lines": {str(k): round(v, 6) for k, v in profile.line_shares(first.file).items()}, "pcs": pcs,
                "total": round(profile.total, 4), "runs": profile.runs}
    return {
        "format": FORMAT, "file": first.file, "lines": list(first.lines), "go": go, "goarch": goarch,
        "journeys": {str(n): journey_record(j) for n, j in sorted(journeys.items()) if not isinstance(j, Exception)},
        "errors": {str(n): str(e) for n, e in sorted(journeys.items()) if isinstance(e, Exception)},
        "profile": prof,
    }


def lines_to_follow(j: "Journey") -> list[int]:
    """The lines an explorer follows when it is made: every line with code, or those around the start line."""
    code = [n for n, t in enumerate(j.lines, 1) if t.strip()]
    if len(code) <= ALL_LINES:
        return code
    return [n for n in code if abs(n - j.line) <= AROUND]


class JourneyExplorer(Explorer):
    """Pick a line (click it in the source, choose it, or step with the arrow keys); choose an SSA pass; read
    each stage left to right; click an instruction for the SSA value it came from.

    `follow(line)` gives another line's journey: every line with code is followed when the explorer is made (a
    long file: the lines around the start), any other in a running notebook when it is picked. The choices live
    in `state` (`line`, `pass`, `pc` — the instruction picked, as [function, pc] —)."""

    kind = "journey"

    def __init__(self, journey: "Journey", *, profile: "CPUProfile | None" = None, pass_: str | int | None = None,
                 follow: Follow | None = None, lines: Sequence[int] | None = None) -> None:
        self.profile = profile
        if follow is None:
            follow = journey.again   # another line of the same program (its compiles and link reused)
        self.follow = follow
        self.first = journey
        self.journeys: dict[int, "Journey | Exception"] = {journey.line: journey}
        if follow is not None:
            todo = [n for n in (lines_to_follow(journey) if lines is None else lines) if n != journey.line]
            self.journeys.update(precompute(todo, follow, workers=1, desc="gokit: following lines", unit="line"))
        first_fn = next(iter(journey.passes), None)
        start = pass_for(journey.passes.get(first_fn, ()), pass_) if first_fn else ""
        super().__init__(self._data(), {"line": journey.line, "pass": start, "pc": None})

    def _data(self) -> dict[str, Any]:
        return journey_data(self.journeys, profile=self.profile, first=self.first)

    def _compute(self, request: Mapping[str, Any]) -> Mapping[str, Any]:
        line = int(request.get("line", 0))
        if self.follow is None:
            raise ValueError("this explorer was made without a way to follow another line")
        try:
            self.journeys[line] = self.follow(line)
        except Exception as e:  # noqa: BLE001 - shown for that line
            self.journeys[line] = e
        return self._data()

    # ---- state
    @property
    def journey(self) -> "Journey":
        """The journey of the line shown."""
        j = self.journeys.get(self.line)
        if j is None or isinstance(j, Exception):
            raise ValueError(f"line {self.line} has no journey here" + (f": {j}" if j is not None else ""))
        return j

    @property
    def line(self) -> int:
        return int(self.state["line"])

    @property
    def pass_name(self) -> str:
        return str(self.state.get("pass") or "")

    def pick(self, line: int) -> "Journey":
        """Follow another line, as clicking it does; returns its journey."""
        if line not in self.journeys:
            self.data = dict(self._compute({"line": line}))
        self._set(line=line, pc=None)
        return self.journey

    def choose_pass(self, name: str | int) -> None:
        fn = next(iter(self.journey.passes), None)
        self._set(**{"pass": pass_for(self.journey.passes.get(fn, ()), name) if fn else ""})

    def pick_instruction(self, function: str, pc: int) -> None:
        """Pick an instruction (its detail shows: the SSA value it came from, inlining, relocations, samples)."""
        self._set(pc=[function, pc])

    def summary(self) -> str:
        return f"journey of {self.first.file}:{self.line}"

    def __repr__(self) -> str:
        return f"<JourneyExplorer {self.first.file}:{self.line}, pass {self.pass_name!r}>"


@renders(Journey, "explore")
def explore(j: Journey, profile: "CPUProfile | None" = None, pass_: str | int | None = None) -> JourneyExplorer:
    """The journey explorer (`Journey.explore`): every line of the program followed when it is made (a long file:
    the lines around this one), through the journey's `again`."""
    return JourneyExplorer(j, profile=profile, pass_=pass_)
