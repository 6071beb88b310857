"""The source ⇄ assembly explorer: colour bands tie each source line to its instructions (as Compiler Explorer
does), relocations marked on the instruction that holds them, a function picker, a GOARCH switch and a second Go
version among the listings computed when it was made; CPU profile samples painted on lines and instructions."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from ..._display import renders
from ...parsers.asm import Assembly
from ._base import FORMAT, Explorer, precompute

if TYPE_CHECKING:
    from ...parsers.asm import Symbol
    from ...parsers.profile import CPUProfile
    from ...source.toolchain import Toolchain

#: The architectures computed when an explorer is made (each with each Go version shown).
ARCHES = ("amd64", "arm64", "riscv64")
#: More architectures the GOARCH switch offers; each needs a new compile (a running notebook).
MORE_ARCHES = ("386", "arm", "loong64", "mips64le", "ppc64le", "s390x", "wasm")

#: (toolchain, goarch) -> the listing of the same source: how a live explorer compiles what it lacks.
Compile = Callable[["Toolchain | None", str], "Assembly"]


def key(a: "Assembly") -> str:
    return f"{a.go}/{a.goarch}"


def build_data(a: "Assembly", files: dict[str, int], profile: "CPUProfile | None" = None) -> dict[str, Any]:
    """One listing: every function's instructions as [pc, file, line, op, args, pseudo, relocations]
    (a relocation: [type, target, size, offset]); with a profile that sampled this very code, the share of the
    samples per instruction."""
    def fidx(name: str) -> int:
        if name not in files:
            files[name] = len(files)
        return files[name]

    sampled = profile is not None and profile.sampled(a.go, a.goarch)
    functions = {}
    pcs: dict[str, dict[str, float]] = {}
    for s in a.functions:
        insts = [[i.pc, fidx(i.file), i.line, i.op, i.args, i.pseudo,
                  [[r.type, r.target, r.size, r.offset] for r in i.relocations]] for i in s.instructions]
        functions[s.name] = {"size": s.size, "frame": s.frame, "n": len(s.machine_instructions), "insts": insts}
        if sampled and profile is not None:
            shares = profile.instruction_shares(s.name)
            if shares:
                pcs[s.name] = {str(pc): round(v, 6) for pc, v in shares.items()}
    return {"go": a.go, "goarch": a.goarch, "goos": str(a.meta.get("goos", "linux")), "functions": functions,
            "pcs": pcs if sampled else None}


def asm_data(builds: Iterable["Assembly"], *, profile: "CPUProfile | None" = None, errors: Mapping[str, str] = {},
             gos: Sequence[str] = (), arches: Sequence[str] = ARCHES, more: Sequence[str] = MORE_ARCHES
             ) -> dict[str, Any]:
    """Everything the explorer draws, JSON-able: the source (of the first listing), each listing by
    "go/goarch", the functions to pick (the package's own first), the Go versions and GOARCHes offered,
    the profile's share of samples per source line, and why a listing is missing (`errors`)."""
    builds = list(builds)
    base = builds[0]
    files: dict[str, int] = {}
    out = {key(a): build_data(a, files, profile) for a in builds}
    file, lines = base.source_lines()
    own = [s.name for s in base.own_functions()]
    others = [s.name for s in base.functions if s.name not in own]
    shares = profile.line_shares(file) if profile is not None else None
    return {"format": FORMAT, "package": base.package, "file": file, "lines": list(lines),
            "files": sorted(files, key=files.__getitem__), "builds": out, "own": own, "others": others,
            "gos": list(gos) or list(dict.fromkeys(a.go for a in builds)),
            "arches": list(dict.fromkeys([base.goarch, *arches])),
            "more": [x for x in dict.fromkeys([*ARCHES, *more]) if x not in arches and x != base.goarch],
            "errors": dict(errors),
            "lineShares": None if shares is None else {str(k): round(v, 6) for k, v in shares.items()}}


class AsmExplorer(Explorer):
    """Pick a function, a GOARCH, a Go version (or both side by side), a source line; see its instructions in
    colour bands, relocations marked.

    `compile(toolchain, goarch)` makes the listings it lacks: the GOARCHes in `arches` for each Go version
    (this listing's and `compare`'s) when it is made, any other GOARCH when one is chosen in a running
    notebook. The choices live in `state` (`function`, `goarch`, `go` — a version or "both" —, `line`,
    `pseudo`)."""

    kind = "asm"

    def __init__(self, asm: "Assembly", function: str | None = None, *, compare: "Toolchain | None" = None,
                 profile: "CPUProfile | None" = None, compile: Compile | None = None,
                 arches: Sequence[str] = ARCHES) -> None:
        self.base = asm
        self.compare = compare
        self.profile = profile
        if compile is None and asm.again is not None:   # the listing's own compile, for another GOARCH or Go
            again = asm.again
            compile = lambda tc, goarch: again(goarch=goarch, toolchain=tc)  # noqa: E731
        self.compile = compile
        self.arches = tuple(dict.fromkeys([asm.goarch, *arches])) if compile is not None else (asm.goarch,)
        self._toolchains: dict[str, "Toolchain | None"] = {asm.go: asm.toolchain}
        if compare is not None:
            self._toolchains[compare.version] = compare
        self.listings: dict[str, "Assembly"] = {key(asm): asm}
        self.errors: dict[str, str] = {}
        self._fill([(v, arch) for v in self._toolchains for arch in self.arches])
        start = asm.function(function).name if function else asm.default_function()
        both = compare is not None and compare.version != asm.go
        super().__init__(self._data(), {"function": start, "goarch": asm.goarch,
                                        "go": "both" if both else asm.go, "line": 0, "pseudo": False})

    # ---- listings
    def _fill(self, wanted: Sequence[tuple[str, str]]) -> None:
        """Compile the (Go version, GOARCH) listings not made yet (a few at a time); failures are noted."""
        missing = [(v, arch) for v, arch in wanted if f"{v}/{arch}" not in self.listings]
        if not missing or self.compile is None:
            return
        compile_ = self.compile
        done = precompute(missing, lambda k: compile_(self._toolchains[k[0]], k[1]), desc="gokit: listings",
                          unit="compile")
        for (v, arch), a in done.items():
            if isinstance(a, Exception):
                self.errors[f"{v}/{arch}"] = f"{type(a).__name__}: {a}"
            else:
                self.listings[f"{v}/{arch}"] = a

    def _data(self) -> dict[str, Any]:
        ordered = [self.base] + [a for k, a in self.listings.items() if a is not self.base]
        return asm_data(ordered, profile=self.profile, errors=self.errors, gos=list(self._toolchains),
                        arches=self.arches)

    def _compute(self, request: Mapping[str, Any]) -> Mapping[str, Any]:
        goarch = str(request.get("goarch", ""))
        if not goarch or self.compile is None:
            raise ValueError("this explorer was made without a compiler to ask for another GOARCH")
        self._fill([(v, goarch) for v in self._toolchains])
        return self._data()

    def assemblies(self) -> list["Assembly"]:
        """The listings shown now: the chosen Go (or both) for the chosen GOARCH."""
        gos = list(self._toolchains) if self.go == "both" else [self.go]
        return [self.listings[f"{v}/{self.goarch}"] for v in gos if f"{v}/{self.goarch}" in self.listings]

    # ---- state
    @property
    def function(self) -> str:
        return str(self.state["function"])

    @property
    def goarch(self) -> str:
        return str(self.state["goarch"])

    @property
    def go(self) -> str:
        return str(self.state["go"])

    @property
    def line(self) -> int:
        return int(self.state.get("line") or 0)

    @property
    def pseudo(self) -> bool:
        return bool(self.state.get("pseudo"))

    def select(self, *, function: str | None = None, goarch: str | None = None, go: str | None = None,
               line: int | None = None, pseudo: bool | None = None) -> None:
        """Change what is shown, as the controls do (a GOARCH not computed yet is compiled here)."""
        changes: dict[str, Any] = {}
        if function is not None:
            changes["function"] = self.base.function(function).name
        if goarch is not None:
            if f"{self.base.go}/{goarch}" not in self.listings:
                self.data = dict(self._compute({"goarch": goarch}))
            changes["goarch"] = goarch
        if go is not None:
            if go != "both" and go not in self._toolchains:
                raise ValueError(f"no Go {go!r} here; this explorer shows {', '.join(self._toolchains)}")
            changes["go"] = go
        if line is not None:
            changes["line"] = line
        if pseudo is not None:
            changes["pseudo"] = pseudo
        self._set(**changes)

    def instructions_of(self, line: int) -> dict[str, int]:
        """"go/goarch" -> how many machine instructions of the function come from `line` (the status line)."""
        out = {}
        for a in self.assemblies():
            file = a.source_lines()[0]
            try:
                fn: "Symbol" = a.function(self.function)
            except Exception:  # noqa: BLE001 - not built by that Go
                continue
            out[key(a)] = sum(1 for i in fn.machine_instructions if i.line == line and i.file == file)
        return out

    def summary(self) -> str:
        return f"assembly of {self.function} ({self.goarch}, go{self.base.go})"

    def __repr__(self) -> str:
        versions = " vs ".join(f"go{a.go}" for a in self.assemblies())
        return f"<AsmExplorer {self.function} {self.goarch} {versions}>"


@renders(Assembly, "explore")
def explore(a: Assembly, function: str | None = None, *, compare: "Toolchain | None" = None,
            profile: "CPUProfile | None" = None) -> AsmExplorer:
    """The source ⇄ assembly explorer (`Assembly.explore`): the listing's `again` compiles the other GOARCHes
    (and the compared Go) when it is made, and any other GOARCH asked for in a running notebook."""
    return AsmExplorer(a, function, compare=compare, profile=profile)
