"""The house rules of gokit/, each a test: data flows one way down the floors (an AST scan that sees every import,
inside functions and type-checking blocks too), no import circles, each layer owns its execution, every
learner program gets the same limits, and nothing runs with the default Go when a caller passed another."""
from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

import gokit

ROOT = Path(gokit.__file__).resolve().parent

#: The floor of each part of the house (design.md, Architecture), and the floors each may import. A module
#: not listed by its own name is on the floor of its folder.
FLOORS = {
    "errors": "ground", "_run": "ground", "_cache": "ground", "_tmp": "ground", "_progress": "ground",
    "_display": "ground", "_dist": "ground",
    "source": "source", "layers": "layers", "parsers": "parsers", "stages": "stages", "views": "views",
    "measure": "measure", "experiments": "experiments",
    "_lesson": "lessons",          # predict-then-run exercises: loading one, checking a guess
    "_lesson_answers": "lessons",  # reading a learner's prediction however it is written
    "_lesson_hooks": "lessons",    # one line of advice instead of a traceback for a guess Python cannot read
    "_lesson_show": "lessons",     # tables, folds, sentences, the HTML of revealed evidence
    "_lesson_bench": "lessons",    # benchmark tables and their comparisons in words
    "_lesson_go": "faces",   # the go command lessons' helpers measure builds: a face
    "_lesson_runs": "faces",  # builds per target and two timers side by side (lessons 06, 07)
    "_lesson_front": "faces",   # lessons 01-03: go/scanner and go/types tables, a scaling fit, the machine's load
    "_lesson_ssa": "faces",     # lesson 03: SSA passes and states, the compiler's report, through the stages
    "_lesson_back": "faces",    # lessons 04, 05: builds the cgo program, times start-ups through the exec layer
    "_lesson_line": "lessons",  # lesson 08: tables and sentences from a journey, a listing and stage costs
    "_lesson_std": "faces",     # lessons 01, 02: go list -deps of the standard library, go/types timed over it
    "faces": "faces", "cli": "faces", "bench": "faces", "lesson": "faces", "__init__": "faces",
}
MAY_IMPORT = {
    "ground": {"ground"},
    "source": {"ground", "source"},
    "parsers": {"ground", "parsers", "source"},           # source: the types a model names (a Toolchain ...)
    "layers": {"ground", "source", "parsers"},
    "stages": {"ground", "source", "parsers", "layers", "stages"},
    "views": {"ground", "parsers", "source", "views"},     # never a stage or a layer: a view does not recompute
    "measure": {"ground", "layers", "measure"},            # the timer starts programs through the exec layer
    "lessons": {"ground", "views", "measure", "lessons"},  # the lesson helpers: tables, exercises, folds
    "experiments": {"ground", "source", "parsers", "layers", "stages", "views", "measure", "lessons", "experiments"},
    "faces": set(FLOORS.values()),
}


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in ROOT.rglob("*.py")}


def _imports(path: Path, module: str, is_pkg: bool) -> set[str]:
    """Every gokit module `path` imports, wherever the import statement is (functions, TYPE_CHECKING blocks)."""
    tree = ast.parse(path.read_text())
    package = module if is_pkg else module.rpartition(".")[0]
    known = _modules()
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name == "gokit" or a.name.startswith("gokit.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if not (target == "gokit" or target.startswith("gokit.")):
                continue
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
            out |= set(subs) if subs and len(subs) == len(node.names) else {target}
    return out


def _floor(module: str) -> str:
    parts = module.split(".")[1:] or ["__init__"]
    return FLOORS.get(parts[0], FLOORS.get(parts[-1], "?"))


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {m: {i for i in _imports(p, m, p.name == "__init__.py") if i != m} for m, p in mods.items()}


def test_every_module_has_a_floor() -> None:
    assert [m for m in _modules() if _floor(m) == "?"] == []


def test_imports_run_down_the_floors() -> None:
    """Models (parsers, stages) never import views; views never import stages or layers (they do not recompute);
    features (stages) never import the measuring floor (gokit/measure: timer and statistics), which imports no
    stage and of the layers only the exec layer (it compiles nothing); layers do not import each other."""
    wrong = []
    for m, deps in _graph().items():
        if m == "gokit":
            continue  # the public table: it names every floor (imported on first use)
        f = _floor(m)
        for d in deps:
            g = _floor(d) if d != "gokit" else "faces"
            if g not in MAY_IMPORT[f]:
                wrong.append(f"{m} ({f}) imports {d} ({g})")
            elif f == "layers" and g == "layers":
                wrong.append(f"{m} imports another layer, {d}")
            elif f == "measure" and g == "layers" and d != "gokit.layers.exec":
                wrong.append(f"{m} (measuring) imports {d}: it may only run programs, through the exec layer")
    assert wrong == []


#: Longest a module may grow before it is split along its jobs (design.md: one job per module).
MAX_LINES = 500
#: Modules others own, left to them: the explorers (issue 17).
OWNED_ELSEWHERE = ("gokit.views.explorers",)


def test_no_module_over_500_lines() -> None:
    """A module that grows past MAX_LINES is doing more than one job: split it (models from parsers, parsers
    from runners, runners from views) rather than raise the limit."""
    long = {m: n for m, p in _modules().items() if (n := len(p.read_text().splitlines())) > MAX_LINES
            and not m.startswith(OWNED_ELSEWHERE)}
    assert long == {}


def test_no_import_circles() -> None:
    """No two modules reach each other through imports, counting imports inside functions (Tarjan's SCCs); the
    public table (gokit/__init__.py) counts too, so a module inside gokit imports what it uses, never `gokit`."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                circles.append(sorted(scc))

    for v in graph:
        if v not in index and v != "gokit":
            visit(v)
    assert circles == []


# ---------------------------------------------------------------- each layer owns its execution

def _calls(path: Path) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)]


def _const(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _names_tool(path: Path, tool: str) -> bool:
    """The module makes a command line of `go tool TOOL`: TOOLDIR / "TOOL", .tool("TOOL") or go_cmd("tool", "TOOL")."""
    tree = ast.parse(path.read_text())
    for n in ast.walk(tree):
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) and _const(n.right) == tool:
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
            args = [_const(a) for a in n.args]
            if n.func.attr in ("tool", "tool_run", "tool_output") and args[:1] == [tool]:
                return True
            if n.func.attr == "go_cmd" and args[:2] == ["tool", tool]:
                return True
    return False


def _go_subcommands(path: Path) -> set[str]:
    return {str(_const(c.args[0])) for c in _calls(path)
            if isinstance(c.func, ast.Attribute) and c.func.attr == "go_cmd" and c.args and _const(c.args[0])}


def test_only_the_compile_layer_makes_a_compiler_command() -> None:
    assert sorted(_module(p) for p in ROOT.rglob("*.py") if _names_tool(p, "compile")) == ["gokit.layers.compile"]


def test_only_the_build_layer_runs_go_build_go_test_and_the_linker() -> None:
    """`go build`, `go test` and `go tool link` of a learner's package start in the build layer only. (gokit's
    own Go helper is built from the source gokit ships, by the helper module.)"""
    building = {_module(p) for p in ROOT.rglob("*.py") if {"build", "test"} & _go_subcommands(p)}
    linking = {_module(p) for p in ROOT.rglob("*.py") if _names_tool(p, "link")}
    assert building == {"gokit.layers.build", "gokit.source.helper"}
    assert linking == {"gokit.layers.build"}


#: Who may start a process (gokit._run does it) and why: everything else goes through one of them.
STARTERS = {
    "gokit.source.toolchain": "the go command and its tools (go env, go list, go tool nm ...); pip for use_go",
    "gokit.source.helper": "gokit's own Go helper",
    "gokit.layers.compile": "go tool compile",
    "gokit.layers.build": "go build, go test -c, go tool link",
    "gokit.layers.exec": "every other program: the learner's, a timed command, a shell, go run, hyperfine, GNU nm",
    "gokit.views.render": "Graphviz's dot (or graphviz-pure) drawing a diagram",
    "gokit.cli": "`gokit lab` hands the terminal to Jupyter (exec_replace)",
}


def _starts(path: Path, fn: str) -> bool:
    """The module calls gokit._run's `fn` (as _run.fn or a name imported from it)."""
    tree = ast.parse(path.read_text())
    imported = any(isinstance(n, ast.ImportFrom) and (n.module or "").endswith("_run") and
                   any(a.name == fn for a in n.names) for n in ast.walk(tree))
    for c in _calls(path):
        f = c.func
        if isinstance(f, ast.Attribute) and f.attr == fn and isinstance(f.value, ast.Name) and f.value.id == "_run":
            return True
        if imported and isinstance(f, ast.Name) and f.id == fn:
            return True
    return False


def test_only_the_starters_start_processes_and_only_the_exec_layer_times_them() -> None:
    """Every process gokit starts goes through one of STARTERS; only the exec layer starts a learner's program
    or a command a benchmark times, so all of them get the same limits."""
    mods = {_module(p): p for p in ROOT.rglob("*.py") if p.name != "_run.py"}
    starting = {m for m, p in mods.items() if any(_starts(p, fn) for fn in ("run", "time_process", "exec_replace"))}
    assert starting <= set(STARTERS), sorted(starting - set(STARTERS))
    assert {m for m, p in mods.items() if _starts(p, "time_process")} == {"gokit.layers.exec"}


@pytest.mark.go
def test_every_learner_program_gets_the_same_limits(tc, monkeypatch, tmp_path) -> None:
    """A program whose package init touches more memory than a learner's program may use is stopped, whichever
    API starts it: run, inittrace, profile, a hand-linked binary, a benchmark, exec_file."""
    from gokit.errors import GokitError, GoToolError
    from gokit.layers import exec as exec_layer

    monkeypatch.setattr(exec_layer, "LIMITS", exec_layer.Limits(max_memory=192 << 20))
    greedy = ("package main\n\nimport \"fmt\"\n\nvar big []byte\n\nfunc init() {\n\tbig = make([]byte, 512<<20)\n"
              "\tfor i := range big {\n\t\tbig[i] = 1\n\t}\n}\n\nfunc main() { fmt.Println(len(big)) }\n")
    r = gokit.run(greedy, toolchain=tc, timeout=60)
    assert r.exit_code != 0 and "536870912" not in r.stdout
    t = gokit.inittrace(greedy, toolchain=tc, timeout=60)
    assert t.attrs["exit_code"] != 0 and "main" not in set(t["package"])
    with pytest.raises(GokitError, match="did not return from main normally"):
        gokit.profile(greedy, seconds=0, toolchain=tc, timeout=120)
    hand = gokit.link_by_hand(greedy, toolchain=tc)
    assert hand.run(timeout=60).exit_code != 0
    with pytest.raises(GoToolError):
        gokit.bench.compare({"greedy": [str(hand.binary)]}, runs=1, warmup=0, progress=False)
    b = gokit.build(greedy, toolchain=tc)
    assert gokit.exec_file(b.binary, cwd=tmp_path, timeout=60).exit_code != 0


@pytest.mark.go
@pytest.mark.go122
def test_a_call_with_go122_starts_no_go127_binary(tc, tc122, monkeypatch, tmp_path) -> None:
    """Every process gokit starts during calls made with toolchain=Go 1.22 comes from Go 1.22 (or is the
    learner's program built with it): no Go 1.27 binary, tool, GOROOT or helper, none computed by default."""
    import time

    from gokit import _cache, _run
    from gokit.source.helper import helper

    go127, helper127 = str(tc.goroot), str(helper(tc))
    started: list[tuple[list[str], dict[str, str]]] = []
    run, time_process = _run.run, _run.time_process

    def recording_run(argv, **kw):  # type: ignore[no-untyped-def]
        started.append(([os.fspath(a) for a in argv], dict(kw.get("env") or {})))
        return run(argv, **kw)

    def recording_time(argv, **kw):  # type: ignore[no-untyped-def]
        started.append(([os.fspath(a) for a in argv], dict(kw.get("env") or {})))
        return time_process(argv, **kw)

    monkeypatch.setattr(_run, "run", recording_run)
    monkeypatch.setattr(_run, "time_process", recording_time)
    _cache.forget()
    src = gokit.Source(f"package main\n\nimport \"fmt\"\n\n// {time.time_ns()}\nfunc add(a, b int) int {{\n"
                       "\treturn a + b\n}\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(add(i, 2))\n"
                       "\t}\n}\n")
    kw = {"toolchain": tc122}
    gokit.ssa(src, "add", **kw)
    gokit.asm(src, **kw)
    gokit.optimizations(src, **kw)
    gokit.follow(src, 7, **kw)
    gokit.typecheck(src, **kw)
    gokit.tokens(src, **kw)
    gokit.parse(src, **kw).typecheck()  # the tree type-checks itself with the Go that parsed it
    b = gokit.build(src, **kw)
    gokit.run(src, **kw)
    gokit.inittrace(b, **kw)
    gokit.symbols(b)
    gokit.boot_chain(b)
    gokit.package_object(src, **kw).symbols  # noqa: B018
    gokit.profile(src, seconds=0, **kw).lines  # noqa: B018
    gokit.go_run_x(src, work=False, **kw)
    argvs = [a for a, _ in started]
    assert any(a[0] == str(tc122.tooldir / "compile") for a in argvs), "nothing was compiled: the test saw nothing"
    for argv, env in started:
        assert not any(x.startswith(go127) or x == helper127 for x in argv), argv
        assert env.get("GOROOT", str(tc122.goroot)) == str(tc122.goroot), argv
