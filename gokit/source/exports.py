"""Export data: what the compiler reads of the packages a learner's program imports. One `go list -export -deps`
names, per import path, the export-data file in GOCACHE (compiling what is missing, once); an importcfg lists them
for `go tool compile -importcfg` or go/importer. Also the standard library's packages as `go list` describes them."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import _run
from .. import _cache as cache
from ..errors import advice_for, STD_ONLY, UsageError
from .package import Package
from .toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    from .toolchain import Toolchain

PACKAGEFILE_RE = re.compile(r"^packagefile (?P<path>\S+)=(?P<file>.+)$", re.MULTILINE)


@dataclass(frozen=True)
class _Exports:
    files: Mapping[str, str]   # import path -> export-data file in GOCACHE
    complete: bool             # go list found every package asked for


def export_files(tc: "Toolchain", imports: Sequence[str], *, env: Mapping[str, str] | None = None,
                 cwd: str | os.PathLike[str] | None = None, timeout: "float | _run.Deadline" = _run.BUILD_SECONDS,
                 strict: bool = False) -> dict[str, str]:
    """Import path -> export-data file in GOCACHE for `imports` and all they depend on.

    One `go list -export -deps` (it compiles what is missing, once, into GOCACHE); the answer is
    cached per (toolchain, target env, import set) when run in GOROOT/src (cwd=None), and recomputed
    when `go clean -cache` or a cache trim removed a file. With strict=True a failure raises
    GoToolError with the standard-library-only advice; otherwise what was found is returned.
    """
    wanted = sorted(set(imports))
    if not wanted:
        return {}

    def compute() -> _Exports:
        done = tc.go_cmd("list", *([] if strict else ["-e"]), "-export", "-deps", "-f",
                         "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", *wanted,
                         cwd=cwd or tc.goroot / "src", env=env, timeout=timeout, check=False, packages=wanted,
                         compiles=f"the first compile of {_names(wanted)} and the standard library below: Go "
                                  f"compiles them into its build cache once (what the compiler reads of them)")
        if done.exit_code != 0 and strict:
            bad = [i for i in wanted if f'"{i}"' in done.err or f"package {i} " in done.err]
            done.check(hint=advice_for(done.err, not_in_std=bad) or STD_ONLY)
        found = {m.group("path"): m.group("file").strip() for m in PACKAGEFILE_RE.finditer(done.out)}
        return _Exports(found, done.exit_code == 0)

    if cwd is not None:  # a module's own packages: never cached
        return dict(compute().files)
    k = cache.key("exports", tc.version, str(tc.go), str(tc.gocache), dict(env or {}), wanted)
    got = cache.memo("exports", k, compute, _Exports, keep=lambda e: e.complete and bool(e.files),
                     valid=lambda e: all(os.path.exists(f) for f in e.files.values()))
    return dict(got.files)


def _names(imports: Sequence[str], most: int = 3) -> str:
    """'fmt, os and strconv' (at most `most` names, then 'and N more')."""
    names = list(imports)
    if len(names) > most:
        return f"{', '.join(names[:most])} and {len(names) - most} more"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def importcfg_file(exports: Mapping[str, str]) -> Path:
    """An importcfg file (for `go tool compile -importcfg` or go/importer) listing these export files."""
    text = "".join(f"packagefile {p}={f}\n" for p, f in sorted(exports.items())).encode()
    return cache.file("importcfg", cache.key("importcfg", text.decode()), text)


def importcfg(pkg: Package, deadline: "float | _run.Deadline") -> Path:
    """The importcfg a bare `go tool compile` of the package needs: the export data of what it imports (and of
    everything they need, runtime always among them; the same GOCACHE archives a link reads)."""
    return importcfg_file(export_files(pkg.toolchain, sorted(set(pkg.imports) | {"runtime"}), env=pkg.target,
                                       timeout=deadline, strict=True))


def go_list(tc: "Toolchain", packages: Sequence[str], *, deps: bool = True, export: bool = True,
            timeout: "float | _run.Deadline" = _run.BUILDS_SECONDS) -> dict[str, dict[str, Any]]:
    """`go list -e [-export] [-deps] -json` of standard-library packages: import path -> ImportPath, Dir,
    GoFiles (the files this GOOS/GOARCH builds), Export (the export-data file in GOCACHE; with -export, which
    compiles what GOCACHE lacks)."""
    if isinstance(packages, str) or not packages or not all(isinstance(p, str) for p in packages):
        raise UsageError("packages is a list of import paths like ['fmt', 'strings']")
    args = ["list", "-e", *(["-export"] if export else []), *(["-deps"] if deps else []), "-json=ImportPath,Dir,GoFiles,Export,Standard",
            *packages]
    done = tc.go_cmd(*args, cwd=tc.goroot / "src", timeout=timeout, check=False)
    pkgs = {obj["ImportPath"]: obj for obj in json_stream(done.out)}
    if not pkgs:
        done.check()
    return pkgs


def json_stream(text: str) -> list[dict[str, Any]]:
    """The JSON objects `go list -json` prints one after another (not a JSON array)."""
    dec = json.JSONDecoder()
    out, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        obj, i = dec.raw_decode(text, i)
        out.append(obj)
    return out


def package_files(packages: Sequence[str], *, toolchain: "Toolchain | None" = None) -> list[Path]:
    """The .go files the go command would compile for these standard-library packages here (no tests)."""
    pkgs = go_list(toolchain or default_toolchain(), packages, deps=False, export=False)
    return [Path(pkgs[p]["Dir"]) / f for p in packages if p in pkgs for f in pkgs[p].get("GoFiles", [])]
