"""gokit.tokens, gokit.parse, gokit.typecheck: Go's own front end (go/scanner, go/parser, go/types) run live by
gokit's Go helper on your files."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .. import _cache as cache
from .._run import Deadline, FRONT_END_SECONDS
from ..errors import UsageError
from ..parsers.frontend import tokens_from_json, Types, types_from_json
from ..parsers.syntax import AST, ast_from_json
from ..source.helper import call_on, identity
from ..source.exports import export_files, importcfg_file
from ..source.package import Package, resolve
from ..source.source import as_source, Source
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    import pandas as pd

    from ..source.toolchain import Toolchain


def _go_source(src: Any) -> Source:
    """A Source with Go files: a Source, Go text, or a path to a .go file (any name, even _test.go) or directory."""
    s = as_source(src)
    if not s.go_files:
        raise UsageError(f"{s!r} has no .go files")
    return s


def _tc(toolchain: "Toolchain | None") -> "Toolchain":
    return toolchain or default_toolchain()


def tokens(src: Any, *, toolchain: "Toolchain | None" = None, timeout: float | None = None) -> "pd.DataFrame":
    """Every token go/scanner returns, comments included, one row each.

    Columns: offset, line, col (go/token: byte offset, 1-based line and byte column), token (go/token's
    name: IDENT, INT, SEMICOLON, COMMENT, ...), literal (what go/scanner returns: the text for
    identifiers, literals and comments, "\\n" for a semicolon it inserted, "" for operators), inserted
    (True for automatic semicolons), text (the token as written), file. Scanner errors are in
    `df.attrs["errors"]`. `timeout` bounds the whole call (default 60 s).
    """
    return source_tokens(_go_source(src), _tc(toolchain), Deadline.of(timeout, FRONT_END_SECONDS, "gokit.tokens"))


def source_tokens(src: Source, tc: "Toolchain", deadline: float | Deadline = FRONT_END_SECONDS) -> "pd.DataFrame":
    """go/scanner's tokens of a Source's Go files."""
    return tokens_from_json(call_on(src.go_files, "tokens", tc, timeout=deadline))


def parse(src: Any, *, toolchain: "Toolchain | None" = None, timeout: float | None = None) -> AST:
    """The syntax tree go/parser builds (ParseComments), as Python data.

    A file with syntax errors still gives the partial tree go/parser returns, and the positioned
    errors in `.errors` (shown when the AST is displayed); nothing is raised for them. `timeout` bounds the
    whole call (default 60 s).
    """
    return source_ast(_go_source(src), _tc(toolchain), Deadline.of(timeout, FRONT_END_SECONDS, "gokit.parse"))


def source_ast(src: Source, tc: "Toolchain", deadline: float | Deadline = FRONT_END_SECONDS) -> AST:
    """go/parser's tree of a Source's Go files (its `typecheck` type-checks the same files with the same Go)."""
    files = src.go_files
    again = functools.partial(typecheck, Source._of(files, "<ast>"), toolchain=tc)
    return ast_from_json(call_on(files, "ast", tc, timeout=deadline), dict(files), again)


def typecheck(src: Any, *, toolchain: "Toolchain | None" = None, timeout: float | None = None) -> Types:
    """Type-check a package with go/types (imports read from the compiler's export data, offline).

    Type errors do not raise: they are in `.errors`, with Go's own messages and positions.
    Results are cached by toolchain and source digest. `timeout` bounds the whole call (default 60 s).
    """
    tc = _tc(toolchain)
    deadline = Deadline.of(timeout, FRONT_END_SECONDS, "gokit.typecheck")
    return package_types(resolve(_go_source(src), tc, {}, deadline), deadline)


def package_types(pkg: Package, deadline: float | Deadline = FRONT_END_SECONDS) -> Types:
    """go/types on the resolved package's files (cached by the whole source, the Go and the helper)."""
    tc = pkg.toolchain
    source = pkg.source
    facts = {f.name: f for f in pkg.facts}
    # the files go build compiles here (a lone test or _-named file is still checked)
    files = tuple((n, d) for n, d in source.go_files if facts[n].match) or tuple(source.go_files)
    lang = ["-lang", pkg.lang]  # the go.mod's `go` line: a go1.21 module gets go1.21's rules

    def compute() -> dict[str, Any]:
        imports = sorted({i for n, _ in files for i in facts[n].imports})
        cwd = pkg.moddir if any("/" in n or n == "go.mod" for n, _ in source.files) else None
        exports = export_files(tc, imports, cwd=cwd, timeout=deadline)  # a module's own packages: listed in it
        extra = (["-importcfg", str(importcfg_file(exports))] if exports else []) + lang
        return call_on(files, "types", tc, extra, timeout=deadline)

    # keyed by the whole source (go.mod and the module's own packages change what imports mean) and the helper
    k = cache.key("types", pkg.key, identity(tc), lang)
    return types_from_json(cache.memo("types", k, compute, dict), dict(files))
