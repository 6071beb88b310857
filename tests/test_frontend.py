"""gokit.frontend: tokens, AST and types from Go's own front end (goldens from 1.22 and 1.27, plus live checks)."""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

import gokit
from gokit.stages import frontend
from gokit.parsers.frontend import tokens_from_json, types_from_json
from gokit.parsers.syntax import ast_from_json

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
PROGRAMS = GOLDEN / "frontend_src"
VERSIONS = ["go1.22", "go1.27"]


def golden(version: str, prog: str, mode: str) -> dict:
    return json.loads((GOLDEN / version / f"frontend_{prog}_{mode}.json").read_text())


def src(prog: str) -> bytes:
    return (PROGRAMS / f"{prog}.go").read_bytes()


# ------------------------------------------------------------------ pure parsers on goldens ----

@pytest.mark.parametrize("version", VERSIONS)
def test_tokens_golden_semicolons_and_comments(version: str) -> None:
    data = golden(version, "hello", "tokens")
    assert data["go"].startswith(version)
    df = tokens_from_json(data)
    assert list(df.columns[:5]) == ["offset", "line", "col", "token", "literal"]
    text = src("hello")
    # every token starts where its offset says, and line/col agree with the offset
    for row in df.itertuples():
        line_start = text.rfind(b"\n", 0, row.offset) + 1
        assert text[:row.offset].count(b"\n") + 1 == row.line
        assert row.offset - line_start + 1 == row.col
        if not row.inserted:
            assert text[row.offset:].startswith(row.text.encode()), row
    ins = df[df.inserted]
    # automatic semicolons: after `main` (line 2), after "fmt" (4), after `)` of Println and of x := ... (9, 10), `}` (11)
    assert sorted(ins.line) == [2, 4, 9, 10, 11]
    assert (ins.literal == "\n").all() and (ins.token == "SEMICOLON").all()
    comments = df[df.token == "COMMENT"]
    assert len(comments) == 3 and comments.iloc[1].literal.startswith("/* a block comment")
    assert set(df.token) >= {"PACKAGE", "IDENT", "IMPORT", "STRING", "FUNC", "LPAREN", "DEFINE", "SHL", "SHR", "INT"}
    assert not df.attrs["errors"]


@pytest.mark.parametrize("version", VERSIONS)
def test_ast_golden_structure(version: str) -> None:
    tree = ast_from_json(golden(version, "generics", "ast"), {"generics.go": src("generics")})
    root = tree.root
    assert root.kind == "File" and root.parent_id is None and root.key == "main"
    # preorder ids, parents before children, children in go/ast field order
    assert [n.id for n in tree.nodes()] == list(range(len(tree)))
    for n in tree.nodes():
        for c in n.children:
            assert c.parent_id == n.id and c.id > n.id
    assert [c.role for c in root.children][:2] == ["Name", "Decls"]
    sum_decl = tree.decl("Sum")
    assert sum_decl.kind == "FuncDecl"
    assert [c.role for c in sum_decl.children] == ["Doc", "Name", "Type", "Body"]
    assert sum_decl.children[0].kind == "CommentGroup"
    ftype = sum_decl.children[2]
    assert [c.role for c in ftype.children] == ["TypeParams", "Params", "Results"]
    # scalar fields
    assert {n.fields["Op"] for n in tree.nodes("BinaryExpr")} == {"|"}
    assert {n.fields["Tok"] for n in tree.nodes("AssignStmt")} >= {":=", "+="}
    assert {n.fields["Kind"] for n in tree.nodes("BasicLit")} >= {"INT", "FLOAT", "STRING"}
    assert [n.fields["Tok"] for n in tree.nodes("IncDecStmt")] == ["++"]
    # labels name what a reader looks for first
    assert {n.key for n in tree.nodes("CallExpr")} >= {"Sum()", "fmt.Println()", "c.Inc()", "next()"}
    assert {n.label for n in tree.nodes("SelectorExpr")} >= {"SelectorExpr c.n", "SelectorExpr fmt.Println"}
    # spans slice the source exactly
    assert tree.text(sum_decl).startswith("func Sum[T Number](xs ...T) T {") and tree.text(sum_decl).endswith("}")
    lits = [tree.text(n) for n in tree.nodes("BasicLit")]
    assert lits == [n.fields["Value"] for n in tree.nodes("BasicLit")]


@pytest.mark.parametrize("version", VERSIONS)
def test_ast_golden_comments_appear_once(version: str) -> None:
    tree = ast_from_json(golden(version, "hello", "ast"), {"hello.go": src("hello")})
    comments = [n.fields["Text"] for n in tree.nodes("Comment")]
    assert len(comments) == len(set(comments)) == 3
    assert tree.root.children[0].role == "Doc"          # // Package main says hello.
    assert tree.decl("main").children[0].role == "Doc"  # the block comment right above func main
    free = [c for c in tree.root.children if c.role == "Comments"]  # only the line comment in the body
    assert len(free) == 1 and tree.text(free[0]).startswith("// an untyped constant")
    assert len(tree.counts()) and "Comment" not in tree.counts() and tree.counts(comments=True)["Comment"] == 3


@pytest.mark.parametrize("version", VERSIONS)
def test_syntax_error_golden_partial_tree_and_position(version: str) -> None:
    tree = ast_from_json(golden(version, "syntax_error", "ast"), {"syntax_error.go": src("syntax_error")})
    assert tree.root is not None and tree.root.kind == "File"
    assert tree.find("BadExpr"), "go/parser's partial tree marks the broken operand"
    e = tree.errors[0]
    assert (e.line, e.col, e.message) == (5, 2, "expected operand, found '}'")
    assert str(e) == "syntax_error.go:5:2: expected operand, found '}'"
    page = tree._repr_html_()
    assert "syntax_error.go:5:2: expected operand, found &#x27;}&#x27;" in page and "^" in page


@pytest.mark.parametrize("version", VERSIONS)
def test_types_golden(version: str) -> None:
    t = types_from_json(golden(version, "generics", "types"), {"generics.go": src("generics")})
    [err] = t.errors
    assert (err.line, err.col) == (21, 18)
    assert err.message == 'cannot use "hello" (untyped string constant) as int value in variable declaration'
    ex = t.expressions
    assert list(ex.columns[:3]) == ["file", "pos", "line"]
    # generics: each call instantiates Sum with its own type argument
    inst = ex[ex.type_args.notna()]
    assert sorted(map(tuple, inst.type_args)) == [("float64",), ("int",)]
    assert set(inst.instance) == {"func(xs ...int) int", "func(xs ...float64) float64"}
    # methods and closures
    assert t.type_of("c.Inc") == "func()"
    assert t.type_of("func() int { c.Inc(); return c.n }") == "func() int"
    sel = t.selections.set_index("expr")
    assert sel.loc["c.Inc", "kind"] == "method value" and sel.loc["c.n", "kind"].iloc[0] == "field"
    # constants keep their value; modes
    assert ex[ex.expr == "1.5"].iloc[0].value == "1.5"
    modes = set(ex["mode"])
    assert {"constant", "variable", "value", "type", "novalue"} <= modes
    ob = t.objects
    kinds = dict(zip(ob[ob.role == "def"].name, ob[ob.role == "def"].kind))
    assert kinds["Sum"] == "func" and kinds["Inc"] == "method" and kinds["T"] == "type parameter"
    assert kinds["xs"] == "parameter" and kinds["c"] in ("receiver", "var") and kinds["n"] == "field"
    assert set(ob[ob.name == "fmt"].kind) == {"package"}
    assert "cannot use" in t._repr_html_()


@pytest.mark.parametrize("version", VERSIONS)
def test_untyped_constant_exercise_golden(version: str) -> None:
    t = types_from_json(golden(version, "hello", "types"), {"hello.go": src("hello")})
    ex = t.expressions.set_index("expr")
    assert ex.loc["1 << 70", "type"] == "untyped int"
    assert ex.loc["1 << 70", "value"] == str(1 << 70)
    assert (ex.loc["1 << 70 >> 68", "type"], ex.loc["1 << 70 >> 68", "value"]) == ("int", "4")


def test_declared_and_not_used_wording_differs_by_version() -> None:
    msgs = {v: [e.message for e in types_from_json(golden(v, "syntax_error", "types")).errors if e.source == "types"]
            for v in VERSIONS}
    assert msgs == {"go1.22": ["x declared and not used"], "go1.27": ["declared and not used: x"]}


def test_highlight_html_marks_exactly_the_node() -> None:
    tree = ast_from_json(golden("go1.27", "generics", "ast"), {"generics.go": src("generics")})
    for n in list(tree.nodes())[::7]:
        page = tree.highlight_html(n)
        marked = re.search(r"<mark class='gokit-span'[^>]*>(.*?)</mark>", page, re.S).group(1)
        assert html.unescape(marked) == tree.text(n)
        whole = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert whole == src("generics").decode()


def test_fields_html_and_outline() -> None:
    tree = ast_from_json(golden("go1.27", "generics", "ast"), {"generics.go": src("generics")})
    t = types_from_json(golden("go1.27", "generics", "types"), {"generics.go": src("generics")})
    call = next(n for n in tree.nodes("CallExpr") if tree.text(n) == "Sum(1, 2, 3)")
    table = tree.fields_html(call, t)
    assert "CallExpr" in table and "<code>int</code>" in table and "Fun, Args[0], Args[1], Args[2]" in table
    labels = tree.outline()
    assert labels[0][1] == 0 and labels[0][0].startswith("File main")
    assert any(lbl.strip().startswith("Decls[") for lbl, _ in labels)


def test_to_graphviz_focus_and_limits() -> None:
    tree = ast_from_json(golden("go1.27", "generics", "ast"), {"generics.go": src("generics")})
    g = tree.to_graphviz(root="Sum")
    assert "FuncDecl\nSum" in g.source and "package" not in g.source.lower()
    assert "CommentGroup" not in g.source  # comments only on request
    small = tree.to_graphviz(max_depth=1)
    assert "below" in small.source and small.source.count("->") < 20
    capped = tree.to_graphviz(max_nodes=10)
    boxes = re.findall(r"^\tn\d+ \[label=", capped.source, re.M)
    assert "more" in capped.source and len(boxes) <= 10
    with pytest.raises(frontend.UsageError, match="no top-level declaration named 'nope'"):
        tree.to_graphviz(root="nope")
    with pytest.raises(frontend.UsageError):
        tree.to_graphviz(max_depth=-1)


def test_frame_and_repr() -> None:
    tree = ast_from_json(golden("go1.22", "hello", "ast"), {"hello.go": src("hello")})
    df = tree.to_frame()
    assert len(df) == len(tree) and df.iloc[0].kind == "File" and df.depth.max() > 3
    assert "nodes" in repr(tree) and "File main" in tree._repr_html_()


def test_bad_arguments_are_usage_errors() -> None:
    with pytest.raises(frontend.UsageError):
        frontend.tokens(42)
    with pytest.raises(frontend.UsageError):
        frontend.parse(Path("/nonexistent/x.go"))
    with pytest.raises(frontend.UsageError):
        frontend.parse("package main", timeout=-1)


# ------------------------------------------------------------------ live: the real toolchain ----

STD_FILES = ["net/http/server.go", "fmt/print.go", "slices/sort.go", "go/types/expr.go", "runtime/proc.go"]


def _independent_counts(tc, paths: list[Path]) -> dict:
    import gokit
    from gokit.stages.run import run

    r = run(gokit.Source.from_dir(HERE / "go" / "astcount"), args=[str(p) for p in paths], timeout=120,
            toolchain=tc, max_output=256 << 20)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _token_key(row) -> str:
    if row.token in ("IDENT", "INT", "FLOAT", "IMAG", "CHAR", "STRING"):
        return row.token
    if row.token == "SEMICOLON":
        return ";"
    return row.text


@pytest.mark.go
@pytest.mark.slow
def test_counts_match_independent_scanner_and_inspect(tc) -> None:
    paths = [tc.goroot / "src" / p for p in STD_FILES] + [tc.goroot / "src" / "maps" / "iter.go"]
    paths = [p for p in paths if p.is_file()]
    want = _independent_counts(tc, paths)
    for p in paths:
        w = want[str(p)]
        df = frontend.tokens(p, toolchain=tc)
        code = df[df.token != "COMMENT"]
        assert list(code.offset) == w["offsets"], p
        got_tokens: dict[str, int] = {}
        for row in code.itertuples():
            got_tokens[_token_key(row)] = got_tokens.get(_token_key(row), 0) + 1
        assert got_tokens == w["tokens"], p
        assert frontend.parse(p, toolchain=tc).counts() == w["nodes"], p


@pytest.mark.go
@pytest.mark.go122
@pytest.mark.slow
def test_helper_and_counts_on_go122(tc122) -> None:
    exe = gokit.frontend_helper(tc122)
    assert exe.is_file() and gokit.frontend_helper(tc122) == exe
    p = tc122.goroot / "src" / "fmt" / "print.go"
    want = _independent_counts(tc122, [p])[str(p)]
    tree = frontend.parse(p, toolchain=tc122)
    assert tree.go.startswith("go1.22") and tree.counts() == want["nodes"]
    t = frontend.typecheck(PROGRAMS / "generics.go", toolchain=tc122)
    assert t.go.startswith("go1.22") and "cannot use" in t.errors[0].message


@pytest.mark.go
def test_tokens_live_inserted_semicolons(tc) -> None:
    df = frontend.tokens("package main\n\nfunc f() int {\n\treturn 1\n}\n", toolchain=tc)
    ins = df[df.inserted]
    assert list(ins.line) == [1, 4, 5]
    assert df.attrs["go"] == f"go{tc.version}"


@pytest.mark.go
def test_type_error_and_syntax_error_positions_match_the_compiler(tc) -> None:
    import gokit

    bad_type = 'package main\n\nfunc main() {\n\tvar x int = "hello"\n\t_ = x\n}\n'
    t = frontend.typecheck(bad_type, toolchain=tc)
    [e] = t.errors
    assert str(e) == 'main.go:4:14: cannot use "hello" (untyped string constant) as int value in variable declaration'
    with pytest.raises(gokit.GoToolError) as ex:
        gokit.build(bad_type, toolchain=tc)
    assert (ex.value.line, ex.value.col) == (4, 14) and e.message in str(ex.value)

    bad_syntax = "package main\n\nfunc main() {\n\tx := 1 +\n}\n"
    tree = frontend.parse(bad_syntax, toolchain=tc)
    assert tree.root is not None and tree.errors
    first = tree.errors[0]
    with pytest.raises(gokit.GoToolError) as ex2:
        gokit.build(bad_syntax, toolchain=tc)
    assert (ex2.value.line, ex2.value.col) == (first.line, first.col) == (5, 1)
    assert "syntax error" in str(ex2.value)


@pytest.mark.go
def test_typecheck_generics_methods_closures_live(tc) -> None:
    t = frontend.typecheck(PROGRAMS / "generics.go", toolchain=tc)
    ex = t.expressions
    assert ex.type_args.notna().sum() == 2
    assert "FuncLit" in set(ex.kind) and t.type_of("c.Inc()") == "()"
    assert set(t.objects.kind) >= {"method", "func", "field", "type parameter", "parameter"}


@pytest.mark.go
def test_typecheck_multi_file_package(tc, tmp_path: Path) -> None:
    import gokit

    (tmp_path / "a.go").write_text("package main\n\nfunc main() { println(area(Square{2})) }\n")
    (tmp_path / "b.go").write_text("package main\n\ntype Square struct{ side int }\n\n"
                                   "func area(s Square) int { return s.side * s.side }\n")
    (tmp_path / "b_windows.go").write_text("package main\n\nvar onlyOnWindows = 1\n")
    (tmp_path / "a_test.go").write_text("package main\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n")
    t = frontend.typecheck(gokit.Source.from_dir(tmp_path), toolchain=tc)
    assert not t.errors and t.files == ["a.go", "b.go"]
    assert t.type_of("area(Square{2})") == "int"
    uses = t.objects[(t.objects.name == "area") & (t.objects.role == "use")]
    assert uses.iloc[0].decl == "b.go:5:6" and uses.iloc[0].file == "a.go"
    tree = frontend.parse(gokit.Source.from_dir(tmp_path), toolchain=tc)
    assert [f.name for f in tree.files] == ["a.go", "a_test.go", "b.go", "b_windows.go"]


@pytest.mark.go
def test_typecheck_std_imports_offline_and_cached(tc) -> None:
    from helpers import starts_no_process

    prog = 'package main\n\nimport (\n\t"net/http"\n\t"strings"\n)\n\nfunc main() {\n\t_ = strings.ToUpper("x")\n' \
           '\t_ = http.StatusOK\n}\n'
    t = frontend.typecheck(prog, toolchain=tc)
    assert not t.errors
    ex = t.expressions.set_index("expr")
    # an untyped constant assigned to _ takes its default type, int
    assert ex.loc["http.StatusOK", "value"] == "200" and ex.loc["http.StatusOK", "type"] == "int"
    with starts_no_process("a repeated typecheck"):  # from gokit's cache
        again = frontend.typecheck(prog, toolchain=tc)
    assert not again.errors and len(again.expressions) == len(t.expressions)
    missing = frontend.typecheck('package main\n\nimport "example.com/nope"\n\nfunc main() { nope.X() }\n', toolchain=tc)
    assert missing.errors and "could not import example.com/nope" in missing.errors[0].message


@pytest.mark.go
def test_helper_built_once_then_reused_by_a_new_process(tc, tmp_path: Path) -> None:
    from gokit import _run

    gokit.frontend_helper(tc)
    code = ("import gokit, gokit.layers.build\n"
            "def boom(*a, **k): raise SystemExit('helper rebuilt')\n"
            "gokit.layers.build.build = boom\n"
            "print(gokit.frontend_helper())\n")
    done = _run.run([sys.executable, "-c", code], env=dict(__import__("os").environ), timeout=60)
    assert done.exit_code == 0, done.err
    assert done.out.strip() == str(gokit.frontend_helper(tc))


@pytest.mark.go
@pytest.mark.slow
def test_parse_largest_net_http_file_in_a_fresh_process(tc) -> None:
    """gokit.parse of net/http's largest file works in a fresh process, Python model included.

    Its speed (<= 0.3 s warm, wall and CPU) is a benchmark, not a test: tests/golden/measure_parse_speed.py
    prints it with the load average (a timing assert fails under load for nothing).
    """
    import os

    from gokit import _run

    files = sorted((tc.goroot / "src" / "net" / "http").glob("*.go"), key=lambda p: p.stat().st_size)
    biggest = files[-1]
    gokit.frontend_helper(tc)
    code = ("import gokit\nfrom pathlib import Path\n"
            f"a = gokit.parse(Path({str(biggest)!r}))\n"
            "print(len(a))\n")
    done = _run.run([sys.executable, "-c", code], env=dict(os.environ), timeout=120)
    assert done.exit_code == 0, done.err
    assert int(done.out.split()[-1]) > 10000


@pytest.mark.go
def test_cli_json(tc, capsys, tmp_path: Path) -> None:
    from gokit.cli import main

    f = PROGRAMS / "generics.go"
    assert main(["tokens", str(f), "--json"]) == 0
    toks = json.loads(capsys.readouterr().out)["tokens"]
    assert toks[0]["token"] == "PACKAGE" and any(t["inserted"] for t in toks)
    assert main(["ast", str(f), "--json"]) == 0
    root = json.loads(capsys.readouterr().out)["files"][0]["root"]
    assert root["kind"] == "File" and root["children"][1]["field"] == "Decls[0]"
    assert main(["types", str(f), "--json"]) == 1  # the program has a type error, like a compiler: exit 1
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["errors"][0]["line"] == 21 and "generics.go:21:18: cannot use" in out.err
    assert main(["ast", str(PROGRAMS / "syntax_error.go")]) == 1
    assert "syntax_error.go:5:2: expected operand" in capsys.readouterr().err


@pytest.mark.go
def test_bench_helpers(tc) -> None:
    df = gokit.bench.parse([tc.goroot / "src" / "fmt" / "print.go"], runs=3, toolchain=tc)
    assert df.iloc[0].median_s > 0 and df.iloc[0].nodes > 1000 and df.iloc[0].runs == 3
    ty = gokit.bench.typecheck(["strconv", "unicode/utf8"], runs=2, toolchain=tc)
    assert list(ty.path) == ["strconv", "unicode/utf8"] and (ty.errors == 0).all() and (ty.median_s > 0).all()
    # more packages than helper calls: each package once, in the order asked, whatever group it went in
    from gokit.experiments.frontend_times import HELPER_GROUPS
    many = ["errors", "sort", "strconv", "unicode/utf8", "unicode", "math/bits", "io", "sync/atomic"]
    assert len(many) > HELPER_GROUPS
    assert list(gokit.bench.typecheck(many, runs=1, toolchain=tc, progress=False).path) == many
    files = sorted((tc.goroot / "src" / "errors").glob("*.go")) + sorted((tc.goroot / "src" / "sort").glob("*.go"))
    assert len(files) > HELPER_GROUPS
    assert list(gokit.bench.parse(files, runs=1, toolchain=tc, progress=False).path) == [str(f) for f in files]


def test_node_at_picks_the_innermost_node_of_a_line_or_position() -> None:
    tree = ast_from_json(golden("go1.27", "generics", "ast"), {"generics.go": src("generics")})
    lines = src("generics").decode().split("\n")
    ret = next(i for i, t in enumerate(lines, 1) if t.strip() == "return s")
    assert tree.node_at(ret).kind == "ReturnStmt"
    loop = next(i for i, t in enumerate(lines, 1) if t.strip().startswith("for _, x := range"))
    assert tree.node_at(loop).kind == "RangeStmt"                      # spans the whole line and more
    col = lines[loop - 1].index("xs") + 1
    assert tree.node_at(loop, col).key == "xs"                          # a column: the identifier there
    assert tree.node_at(lines.index("") + 1) is None                    # a blank line selects nothing
    # ties go to the inner node: an ExprStmt and its CallExpr span the same bytes
    call_line = next(i for i, t in enumerate(lines, 1) if t.strip().startswith("fmt.Println"))
    assert tree.node_at(call_line).kind == "CallExpr"
    with pytest.raises(frontend.UsageError, match="has lines 1 to"):
        tree.node_at(10_000)


def test_position_fields_are_go_ast_token_pos_and_can_be_hidden() -> None:
    tree = ast_from_json(golden("go1.27", "generics", "ast"), {"generics.go": src("generics")})
    body = tree.find("BlockStmt")[0]
    data = src("generics")
    lb, rb = body.positions["Lbrace"], body.positions["Rbrace"]
    assert data[lb.offset:lb.offset + 1] == b"{" and data[rb.offset:rb.offset + 1] == b"}"   # go/ast keeps brackets
    assert not any("Semicolon" in n.fields for n in tree.nodes())   # ...but no separator semicolons
    full = tree.fields_html(body)
    assert "Lbrace" in full and "span" in full
    bare = tree.fields_html(body, hide_positions=True)
    assert "Lbrace" not in bare and "span" not in bare and "BlockStmt" in bare
    iface = tree.find("InterfaceType")[0]
    assert "Incomplete" in tree.fields_html(iface) and "Incomplete" not in tree.fields_html(iface, hide_empty=True)


@pytest.mark.go
def test_typecheck_honours_the_modules_go_version(tc) -> None:
    """types.Config is told the go.mod's `go` line: range over an int is a go1.22 feature."""
    body = b"package main\n\nfunc main() {\n\tfor i := range 10 {\n\t\t_ = i\n\t}\n}\n"
    old = gokit.Source._of([("main.go", body), ("go.mod", b"module play\n\ngo 1.21\n")], "<go1.21 module>")
    errs = gokit.typecheck(old, toolchain=tc).errors
    assert len(errs) == 1 and errs[0].line == 4 and "requires go1.22 or later" in errs[0].message
    assert not gokit.typecheck(gokit.Source(body), toolchain=tc).errors  # the toolchain's own version: fine
