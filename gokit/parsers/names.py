"""One name resolver: a function as a learner writes it (add, main.add, T.M, (*T).M, *T.M, main.func1, Max,
Max[int]) to the compiler's symbol name, the same answer for ssa, asm, follow and objdump; and the package a
symbol belongs to. Pure functions of names.

The compiler names a package's symbols `PKGPATH.NAME`: `main.add`, `main.T.M` (value receiver), `main.(*T).M`
(pointer receiver), `main.main.func1` (a closure), `main.Max[go.shape.int]` (a generic function's shape
instantiation), and another package's generic function instantiated here `slices.Max[go.shape.[]int,go.shape.int]`.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import AbstractSet, Sequence

from ..errors import FunctionNotFoundError, UsageError

#: `*T.M`, the way a learner may write a pointer method (the compiler writes `(*T).M`)
PTR_METHOD_RE = re.compile(r"^\*(?P<t>[\w.\[\], ]+)\.(?P<m>\w+)$")
#: `Max[int, string]`: a generic function called with type arguments
GENERIC_CALL_RE = re.compile(r"^(?P<base>[^\[]+)\[(?P<args>.+)\]$")
#: `T.M` and `(*T).M`: the two receivers a method may have been compiled with
VALUE_METHOD_RE = re.compile(r"^(?P<t>\w+)\.(?P<m>\w+)$")
POINTER_METHOD_RE = re.compile(r"^\(\*(?P<t>\w+)\)\.(?P<m>\w+)$")
SHAPE = "go.shape."


def split_top_level(s: str) -> list[str]:
    """Split at commas outside brackets: 'a[int], b' -> ['a[int]', ' b'] (an empty last part is dropped)."""
    out, depth, cur = [], 0, ""
    for c in s:
        if c in "[({":
            depth += 1
        elif c in "])}":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        cur += c
    if cur.strip():
        out.append(cur)
    return out


def check_name(func: object) -> str:
    """A function name as written, stripped; UsageError with the spellings gokit reads when it is none."""
    if not isinstance(func, str) or not func.strip():
        raise UsageError(f"name a function, like 'add', 'T.M' or '(*T).M'; got {func!r}")
    name = func.strip()
    if any(c.isspace() for c in name) and SHAPE not in name:
        raise UsageError(f"a function name has no spaces; got {func!r} (methods are written T.M or (*T).M)")
    return name


def spellings(name: str, pkgpath: str, clause: str = "main") -> list[str]:
    """The compiler's names a learner's name may mean, most likely first, each qualified with its package
    (`add` -> `main.add`; `Max[int]` -> `main.Max[go.shape.int]`; `*T.M` -> `main.(*T).M`). `clause` is the
    package clause, which a learner may write instead of the import path (`geometry.Area` for play/geometry)."""
    bare = [name[len(p) + 1:] for p in dict.fromkeys((pkgpath, clause)) if name.startswith(p + ".")]
    out = [f"{pkgpath}.{b}" for b in bare] + [f"{pkgpath}.{name}"]
    more: list[str] = []
    for b in [*bare, name]:
        m = PTR_METHOD_RE.match(b)
        if m:
            more.append(f"{pkgpath}.(*{m.group('t')}).{m.group('m')}")
        g = GENERIC_CALL_RE.match(b)
        if g and SHAPE not in b and not b.startswith("("):
            args = [a.strip() for a in split_top_level(g.group("args"))]
            more.insert(0, f"{pkgpath}.{g.group('base')}[{','.join(SHAPE + a for a in args)}]")
    return list(dict.fromkeys([*more, *out, name]))


@dataclass(frozen=True)
class Resolved:
    """What a learner's name means in one compiled package."""

    name: str                           # the compiler's symbol name, qualified (main.add, main.Max[go.shape.int])
    instantiations: tuple[str, ...] = ()  # a generic function's shape instantiations (the first is `name`)
    foreign: bool = False               # another package's generic function instantiated in this one

    def bare(self, pkgpath: str) -> str:
        """The name without its package (`add`, `(*T).M`); a foreign instantiation keeps its package."""
        return self.name[len(pkgpath) + 1:] if self.name.startswith(pkgpath + ".") else self.name


def resolve_name(name: str, compiled: Sequence[str], *, pkgpath: str, clause: str = "main",
            generic: AbstractSet[str] = frozenset(), inlined: AbstractSet[str] = frozenset()) -> Resolved:
    """The compiler's name of a learner's request among the functions the compiler built (`compiled`, qualified).

    `generic`: the package's generic functions (bare names, from go/parser), so a generic function nobody calls
    gets advice; `inlined`: the functions -m says were inlined, so one inlined away gets advice too.
    FunctionNotFoundError lists what there is and the closest names.
    """
    cands = spellings(name, pkgpath, clause)
    have = set(compiled)
    for c in cands:
        if c in have:
            return Resolved(c, foreign=not c.startswith(pkgpath + "."))
    prefix = pkgpath + "."
    for c in cands:  # T.M asked, (*T).M compiled (or the other way round)
        b = c[len(prefix):] if c.startswith(prefix) else c
        m = VALUE_METHOD_RE.match(b)
        if m and f"{prefix}(*{m.group('t')}).{m.group('m')}" in have:
            return Resolved(f"{prefix}(*{m.group('t')}).{m.group('m')}")
        m = POINTER_METHOD_RE.match(b)
        if m and f"{prefix}{m.group('t')}.{m.group('m')}" in have:
            return Resolved(f"{prefix}{m.group('t')}.{m.group('m')}")
    for c in cands:  # a generic function: its shape instantiations
        base = c.split("[", 1)[0]
        shapes = [f for f in compiled if f.startswith(base + "[") and SHAPE in f]
        if shapes:
            return Resolved(shapes[0], tuple(shapes), foreign=not shapes[0].startswith(prefix))
    bare = [c[len(prefix):] for c in cands if c.startswith(prefix)]
    for b in bare:
        if b in inlined:
            raise FunctionNotFoundError(
                f"{b} was inlined away: the compiler copied its body into every place that calls it and built "
                f"no function of its own for it here, so it has no code of its own to show. Look at the caller "
                f"instead, or (for your own functions) stop inlining with gcflags='-l'.", list(compiled))
    for b in bare:
        if b.split("[", 1)[0] in generic:
            base = b.split("[", 1)[0]
            raise FunctionNotFoundError(
                f"{base} is generic but nothing calls it, so the compiler made no instantiation of it. Call it "
                f"(e.g. {base}(1, 2)) and ask again.", list(compiled))
    shown = [short(f, pkgpath) for f in compiled if not f.startswith(("type:", "go:"))]
    want = bare[-1] if bare else name
    close = difflib.get_close_matches(want, shown, n=3, cutoff=0.5)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise FunctionNotFoundError(
        f"There is no function {name!r} in this program.{hint}\nFunctions the compiler built: "
        f"{', '.join(shown) if shown else '(none)'}\n"
        "Write methods as T.M or (*T).M, closures as outer.func1, generic functions by name (Max) or by "
        "shape (Max[go.shape.int]).", shown)


def short(symbol: str, pkgpath: str) -> str:
    """A symbol without its own package's prefix (`main.add` -> `add`); another package's keeps its own."""
    return symbol[len(pkgpath) + 1:] if symbol.startswith(pkgpath + ".") else symbol


def func_name(symbol: str) -> str:
    """The compiler's FuncName of a symbol, without its package: `slices.Max[go.shape.int]` -> `Max[go.shape.int]`,
    `a/b/c.F[...]` -> `F[...]` (what GOSSAFUNC matches an instantiation of another package's function by)."""
    head, bracket, rest = symbol.partition("[")
    cut = head.rfind("/")
    dot = head.find(".", cut + 1)
    return head[dot + 1:] + bracket + rest if dot >= 0 else symbol


def package_of(symbol: str) -> str:
    """The package a symbol belongs to, as debug/gosym's Sym.PackageName says (Go 1.20+): "" for the
    compiler's `type:` and `go:` symbols; otherwise the name up to the first `.` after its last `/`,
    ignoring what is inside generic brackets (`sync/atomic.(*Pointer[os.dirInfo]).Load` -> sync/atomic)."""
    if symbol.startswith(("go:", "type:")):
        return ""
    depth, chars = 0, list(symbol)
    for i, c in enumerate(chars):
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth < 0:
                break
        elif depth > 0:
            chars[i] = "_"
    plain = "".join(chars) if depth == 0 else symbol
    end = max(plain.rfind("/"), 0)
    dot = plain.find(".", end)
    return symbol[:dot] if dot >= 0 else ""


def short_function(function: str) -> str:
    """A symbol without its package directory: `cmd/compile/internal/ssa.(*Func).Fatalf` -> `ssa.(*Func).Fatalf`."""
    pkg = package_of(function)
    return function[pkg.rfind("/") + 1:] if "/" in pkg else function
