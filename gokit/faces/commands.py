"""The view registry: each view's runner, options, JSON and text forms and notebook display, read by the CLI and %%go.

A view takes Go source (a FILE on the command line, the cell body in a notebook) and shows one
stage of the pipeline. Adding a view is one `View(...)` entry in VIEWS: `gokit NAME FILE [--json]`
and `%%go NAME` both appear from it. Runners import their module on first use; a module that
fails to import is reported with its cause (never a silently missing sub-command).
"""
from __future__ import annotations

import argparse
import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..errors import GokitError


@dataclass(frozen=True)
class Option:
    """One argparse argument of a view: its flags (or positional name) and argparse keywords."""

    flags: tuple[str, ...]
    kwargs: Mapping[str, Any] = field(default_factory=dict)


def opt(*flags: str, **kwargs: Any) -> Option:
    return Option(tuple(flags), kwargs)


def _identity(result: Any, ns: argparse.Namespace) -> Any:
    return result


def _no_status(result: Any) -> int:
    return 0


def _nothing(result: Any, ns: argparse.Namespace) -> str:
    return ""


@dataclass(frozen=True)
class View:
    """One stage of the pipeline as a command (`gokit NAME FILE`) and a cell magic (`%%go NAME`)."""

    name: str
    help: str
    run: Callable[[Any, argparse.Namespace], Any]      # (source or path, options) -> result
    to_json: Callable[[Any, argparse.Namespace], Any]  # -> JSON-able data (`--json`)
    to_text: Callable[[Any, argparse.Namespace], str]  # -> what the command prints on stdout
    options: tuple[Option, ...] = ()
    display: Callable[[Any, argparse.Namespace], Any] = _identity  # -> what a notebook cell shows
    notes: Callable[[Any, argparse.Namespace], str] = _nothing     # -> what the command prints on stderr
    status: Callable[[Any], int] = _no_status                      # -> the command's exit status
    target: str = "FILE"
    target_help: str = "a .go file or a package directory"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        for o in self.options:
            parser.add_argument(*o.flags, **dict(o.kwargs))

    def magic_parser(self) -> argparse.ArgumentParser:
        p = argparse.ArgumentParser(prog=f"%%go {self.name}", add_help=False, exit_on_error=False)
        self.add_options(p)
        return p

    def usage(self) -> str:
        """`name OPTIONS`, as the %%go usage line shows it."""
        return self.magic_parser().format_usage().replace("usage: %%go ", "").strip()


def _load(view: str, module: str) -> Any:
    try:
        return importlib.import_module(f"gokit.{module}")
    except ImportError as e:
        raise GokitError(f"the `{view}` view could not be loaded: importing gokit.{module} failed with "
                         f"{type(e).__name__}: {e}") from e


def _records(df: Any) -> list[dict[str, Any]]:
    return json.loads(df.to_json(orient="records", default_handler=str))


# ---------------------------------------------------------------- run, build, steps

def _run(src: Any, ns: argparse.Namespace) -> Any:
    return _load("run", "stages.run").run(src, list(ns.args), timeout=ns.timeout)


def _run_json(r: Any, ns: argparse.Namespace) -> Any:
    return {"stdout": r.stdout, "stderr": r.stderr, "exit_code": r.exit_code, "wall": r.wall, "notes": list(r.notes)}


def _build(src: Any, ns: argparse.Namespace) -> Any:
    return _load("build", "stages.builds").build(src, ldflags=ns.ldflags, gcflags=ns.gcflags, goos=ns.goos,
                                          goarch=ns.goarch, fresh=ns.fresh, timeout=ns.timeout)


def _build_json(b: Any, ns: argparse.Namespace) -> Any:
    data: dict[str, Any] = {"binary": str(b.binary), "size": b.size, "cached": b.cached, "wall": b.wall,
                            "go": b.toolchain.version, "env": dict(b.env)}
    if not b.cached:
        data.update({"cache_hits": b.cache_hits, "cache_misses": b.cache_misses, "steps": _records(b.steps)})
        data.update(_load("build", "stages.builds").cache_report(b))  # compiled / from_gocache: which packages, by name
    return data


def _build_text(b: Any, ns: argparse.Namespace) -> str:
    how = "from gokit's cache; --fresh runs go build again" if b.cached else \
        f"built in {b.wall:.2f} s: {b.cache_misses} package{'' if b.cache_misses == 1 else 's'} compiled, {b.cache_hits} from GOCACHE"
    return f"{b.binary}  {b.size:,} bytes  ({how})\n"


def _build_display(b: Any, ns: argparse.Namespace) -> Any:
    return b if b.cached else b.steps


def _steps(src: Any, ns: argparse.Namespace) -> Any:
    return _load("steps", "layers.exec").go_run_x(src, list(ns.args), work=False)  # go removes its own $WORK


def _steps_json(r: Any, ns: argparse.Namespace) -> Any:
    return {"steps": _records(r.steps), "stdout": r.stdout, "exit_code": r.exit_code, "wall": r.wall}


# ---------------------------------------------------------------- tokens, ast, types

def _tokens(src: Any, ns: argparse.Namespace) -> Any:
    return _load("tokens", "stages.frontend").tokens(src)


def _tokens_json(df: Any, ns: argparse.Namespace) -> Any:
    return {"go": df.attrs.get("go"), "tokens": _records(df), "errors": [str(e) for e in df.attrs.get("errors", [])]}


def _errors_text(errors: Sequence[Any]) -> str:
    return "".join(f"{e}\n" for e in errors)


def _ast(src: Any, ns: argparse.Namespace) -> Any:
    return _load("ast", "stages.frontend").parse(src)


def _ast_json(tree: Any, ns: argparse.Namespace) -> Any:
    node_json = _load("ast", "views.ast").node_json
    return {"go": tree.go, "files": [{"name": f.name, "root": node_json(f.root) if f.root else None,
                                      "errors": [str(e) for e in f.errors]} for f in tree.files]}


def _ast_display(tree: Any, ns: argparse.Namespace) -> Any:
    return _load("ast", "views.render").Diagram(tree.to_graphviz())


def _types(src: Any, ns: argparse.Namespace) -> Any:
    return _load("types", "stages.frontend").typecheck(src)


def _types_json(t: Any, ns: argparse.Namespace) -> Any:
    return {"go": t.go, "package": t.package, "expressions": _records(t.expressions), "objects": _records(t.objects),
            "errors": [{"file": e.file, "line": e.line, "col": e.col, "message": e.message, "source": e.source}
                       for e in t.errors]}


# ---------------------------------------------------------------- ssa

def _ssa(src: Any, ns: argparse.Namespace) -> Any:
    return _load("ssa", "stages.ssa").ssa(src, ns.function, gcflags=ns.gcflags, goarch=ns.goarch, timeout=ns.timeout)


def _ssa_json(fn: Any, ns: argparse.Namespace) -> Any:
    data = _load("ssa", "views.ssa").function_json(fn)
    if ns.pass_name:
        index = fn.pass_(ns.pass_name).index
        data["passes"] = [d for d in data["passes"] if d["index"] == index]
    return data


def _ssa_text(fn: Any, ns: argparse.Namespace) -> str:
    name = fn.meta.get("qualified", fn.name)
    if getattr(ns, "svg", False):
        return _load("ssa", "views.render").to_svg(fn.cfg(ns.pass_name or -1))
    if ns.pass_name:
        p = fn.pass_(ns.pass_name)
        return f"# {name} after pass {p.name!r}\n{p.text()}\n"
    return f"# {name}: {len(fn.passes)} passes in {len(fn.columns)} columns\n{fn.summary.to_string()}\n"


def _ssa_display(fn: Any, ns: argparse.Namespace) -> Any:
    return fn.show(ns.pass_name) if ns.pass_name else fn


# ---------------------------------------------------------------- asm, nm

def _asm(src: Any, ns: argparse.Namespace) -> Any:
    return _load("asm", "stages.asm").asm(src, goarch=ns.goarch, gcflags=ns.gcflags, timeout=ns.timeout)


def _asm_json(a: Any, ns: argparse.Namespace) -> Any:
    return _load("asm", "views.asm").asm_json(a, function=ns.function)


def _asm_text(a: Any, ns: argparse.Namespace) -> str:
    fns = [a.function(ns.function)] if ns.function else a.own_functions()
    return "".join(f"{fn.name} {fn.kind} {' '.join(fn.flags)} size={fn.size} {fn.frame}\n{fn.listing()}\n\n"
                   for fn in fns)


def _asm_display(a: Any, ns: argparse.Namespace) -> Any:
    return a.explore(ns.function)


def _nm(target: Any, ns: argparse.Namespace) -> Any:
    """A Go binary or archive is read as it is; Go source (a .go file, a package dir, a cell) is built first."""
    objfile = _load("nm", "stages.objfile")
    if isinstance(target, Path) and target.is_file() and target.suffix != ".go":
        return objfile.symbols(target, timeout=ns.timeout)
    b = _load("nm", "stages.builds").build(target, goarch=ns.goarch, timeout=ns.timeout)
    return objfile.symbols(b, timeout=ns.timeout)


def _nm_json(df: Any, ns: argparse.Namespace) -> Any:
    return {"file": df.attrs.get("path"), "go": df.attrs.get("go"), "symbols": _records(df)}


def _nm_text(df: Any, ns: argparse.Namespace) -> str:
    def row(r: Any) -> str:
        addr = " " * 8 if r["address"] is None or str(r["address"]) == "<NA>" else f"{int(r['address']):8x}"
        return f"{addr} {int(r['size']):10d} {r['type']} {r['name']}\n"

    return "".join(row(r) for r in df.to_dict("records"))


# ---------------------------------------------------------------- follow

def _follow(src: Any, ns: argparse.Namespace) -> Any:
    return _load("follow", "stages.follow").follow(src, ns.line, file=ns.in_file, timeout=ns.timeout)


def _follow_json(j: Any, ns: argparse.Namespace) -> Any:
    return _load("follow", "views.journey").journey_json(j)


def _follow_text(j: Any, ns: argparse.Namespace) -> str:
    return _load("follow", "views.journey").journey_text(j)


def _follow_display(j: Any, ns: argparse.Namespace) -> Any:
    return j.explore()

# ---------------------------------------------------------------- boot, inittrace

def _boot(target: Any, ns: argparse.Namespace) -> Any:
    return _load("boot", "stages.boot").boot_chain(target, timeout=ns.timeout)


def _boot_json(c: Any, ns: argparse.Namespace) -> Any:
    return {"binary": c.binary.name, "go": c.go, "goarch": c.goarch, "entry": f"{c.entry:#x}",
            "steps": _records(c.steps), "inits": list(c.inits)}


def _inittrace(target: Any, ns: argparse.Namespace) -> Any:
    return _load("inittrace", "stages.boot").inittrace(target, runs=ns.runs, timeout=ns.timeout)


def _inittrace_json(df: Any, ns: argparse.Namespace) -> Any:
    return {"go": df.attrs.get("go"), "inits": _records(df)}


_BINARY_HELP = "a Go binary (Linux ELF), or a .go file or package directory to build first"

_COMPILE_OPTIONS = (opt("--gcflags", help="compiler flags, e.g. '-N -l'"),
                    opt("--goarch", help="compile for another architecture (arm64, riscv64, ...)"))

#: Every view, in pipeline order.
VIEWS: tuple[View, ...] = (
    View("run", "build (cached) and run the program; its output and exit code", _run, _run_json,
         lambda r, ns: r.stdout, options=(opt("args", nargs="*", help="arguments for the program"),
                                          opt("--timeout", type=float, default=10)),
         notes=lambda r, ns: r.stderr + "".join(f"gokit: {n}\n" for n in r.notes), status=lambda r: r.exit_code),
    View("steps", "what `go run -x` does, step by step", _steps, _steps_json,
         lambda r, ns: r.steps.to_string(index=False) + "\n",
         options=(opt("args", nargs="*", help="arguments for the program"),), display=lambda r, ns: r.steps),
    View("tokens", "go/scanner tokens of a Go file (automatic semicolons included)", _tokens, _tokens_json,
         lambda df, ns: df.drop(columns=["file"]).to_string(index=False) + "\n",
         notes=lambda df, ns: _errors_text(df.attrs.get("errors", [])),
         status=lambda df: 1 if df.attrs.get("errors") else 0),
    View("ast", "the go/parser syntax tree of a Go file", _ast, _ast_json,
         lambda t, ns: "".join(f"{label}\n" for label, _ in t.outline(max_nodes=10 ** 9)), display=_ast_display,
         notes=lambda t, ns: _errors_text(t.errors), status=lambda t: 1 if t.errors else 0),
    View("types", "go/types: type, value and mode of every expression; type errors", _types, _types_json,
         lambda t, ns: t.expressions[["pos", "expr", "type", "value", "mode"]].to_string(index=False) + "\n",
         notes=lambda t, ns: _errors_text(t.errors), status=lambda t: 1 if t.errors else 0),
    View("ssa", "every SSA pass of one function (GOSSAFUNC), as a table, JSON or SVG", _ssa, _ssa_json, _ssa_text,
         options=(opt("function", metavar="FUNC", help="add, T.M, (*T).M, main.func1, Max ..."),
                  opt("--pass", dest="pass_name", help="one pass (e.g. lower); with --svg its CFG"),
                  opt("--svg", action="store_true", help="the CFG of --pass (default: the last pass) as SVG"),
                  *_COMPILE_OPTIONS, opt("--timeout", type=float, default=120)),
         display=_ssa_display),
    View("asm", "the compiler's assembly (-S): instructions per source line, relocations, data symbols",
         _asm, _asm_json, _asm_text,
         options=(opt("--function", help="one function (add, T.M, (*T).M); default: the package's own"),
                  *_COMPILE_OPTIONS, opt("--timeout", type=float, default=120)),
         display=_asm_display),
    View("nm", "go tool nm -size -sort address of a Go binary or archive (Go source is built first)",
         _nm, _nm_json, _nm_text,
         options=(opt("--goarch", help="build Go source for another architecture"),
                  opt("--timeout", type=float, default=300)),
         target="BINARY|FILE", target_help="a Go binary or package archive, or Go source to build"),
    View("build", "go build -x the program into gokit's cache: binary, size, steps, cache hits and misses",
         _build, _build_json, _build_text,
         options=(opt("--ldflags"), opt("--gcflags"), opt("--goos"), opt("--goarch"),
                  opt("--fresh", action="store_true", help="always run go build (default: reuse gokit's cached binary)"),
                  opt("--timeout", type=float, default=300)),
         display=_build_display),
    View("boot", "the boot chain of a binary, from the ELF entry point to main.main, with GOROOT file:line",
         _boot, _boot_json, lambda c, ns: c.steps.to_string(index=False) + "\n",
         options=(opt("--timeout", type=float, default=300),), target="BINARY|FILE", target_help=_BINARY_HELP),
    View("inittrace", "GODEBUG=inittrace=1: each package's init, its start, clock time, bytes and allocations",
         _inittrace, _inittrace_json, lambda df, ns: df.to_string(index=False) + "\n",
         options=(opt("--runs", type=int, default=1, help="run the program this many times"),
                  opt("--timeout", type=float, default=30)),
         target="BINARY|FILE", target_help=_BINARY_HELP),
    View("follow", "one source line through every stage: tokens, nodes, types, SSA, instructions, relocations, "
         "symbols, machine code", _follow, _follow_json, _follow_text,
         options=(opt("line", type=int, metavar="LINE", help="the source line to follow (1-based)"),
                  opt("--in", dest="in_file", metavar="NAME",
                      help="the file LINE is in, for a package of several files (default main.go)"),
                  opt("--timeout", type=float, default=120)),
         display=_follow_display),
)

BY_NAME: dict[str, View] = {v.name: v for v in VIEWS}


