"""Package facts every stage needs: valid targets, export data and importcfg, and what a Source's package is."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import _cache as cache
from .source import ignored_by_go_build
from ..errors import STD_ONLY, UsageError, advice_for

if TYPE_CHECKING:
    from .source import Source
    from .toolchain import Toolchain

PACKAGEFILE_RE = re.compile(r"^packagefile (?P<path>\S+)=(?P<file>.+)$", re.MULTILINE)
TARGET_WORD_RE = re.compile(r"[a-z0-9]+")


# ---------------------------------------------------------------- targets

def targets(tc: "Toolchain") -> frozenset[tuple[str, str]]:
    """The GOOS/GOARCH pairs this toolchain can build for, from `go tool dist list -json` (cached per toolchain)."""
    k = cache.key("targets", tc.version, str(tc.go))

    def compute() -> list[list[str]]:
        done = tc.go_cmd("tool", "dist", "list", "-json", timeout=300)
        return [[t["GOOS"], t["GOARCH"]] for t in json.loads(done.out)]

    return frozenset((o, a) for o, a in cache.memo_json("targets", k, compute))


def target_env(tc: "Toolchain", goos: str | None, goarch: str | None) -> dict[str, str]:
    """GOOS/GOARCH for a build ({} for the host), refused with the known values when the toolchain lacks the target."""
    if goos is None and goarch is None:
        return {}
    os_, arch = goos or tc.goos, goarch or tc.goarch
    for name, value in (("goos", os_), ("goarch", arch)):
        if not isinstance(value, str) or not TARGET_WORD_RE.fullmatch(value):
            raise UsageError(f"{name} must be a word like 'linux' or 'arm64'; got {value!r}")
    ports = targets(tc)
    if (os_, arch) not in ports:
        known_os = sorted({o for o, _ in ports})
        if os_ not in known_os:
            raise UsageError(f"go{tc.version} does not know GOOS={os_!r}. Known: {', '.join(known_os)}")
        known_arch = sorted({a for o, a in ports if o == os_})
        raise UsageError(f"go{tc.version} cannot build for {os_}/{arch}. GOARCH values for {os_}: "
                         f"{', '.join(known_arch)}")
    return {"GOOS": os_, "GOARCH": arch}


# ---------------------------------------------------------------- export data

def export_files(tc: "Toolchain", imports: Sequence[str], *, env: Mapping[str, str] | None = None,
                 cwd: str | os.PathLike[str] | None = None, timeout: float = 300,
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
    k = cache.key("exports", tc.version, str(tc.go), str(tc.gocache), dict(env or {}), wanted)
    if cwd is None:
        hit = cache.get_json("exports", k)
        if hit and all(os.path.exists(f) for f in hit.values()):
            return dict(hit)
    done = tc.go_cmd("list", *([] if strict else ["-e"]), "-export", "-deps", "-f",
                     "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", *wanted,
                     cwd=cwd or tc.goroot / "src", env=env, timeout=timeout, check=False)
    if done.exit_code != 0 and strict:
        bad = [i for i in wanted if f'"{i}"' in done.err or f"package {i} " in done.err]
        done.check(hint=advice_for(done.err, not_in_std=bad) or STD_ONLY)
    found = {m.group("path"): m.group("file").strip() for m in PACKAGEFILE_RE.finditer(done.out)}
    if cwd is None and done.exit_code == 0 and found:
        cache.put_json("exports", k, found)
    return found


def importcfg_file(exports: Mapping[str, str]) -> Path:
    """An importcfg file (for `go tool compile -importcfg` or go/importer) listing these export files."""
    text = "".join(f"packagefile {p}={f}\n" for p, f in sorted(exports.items())).encode()
    k = cache.key("importcfg", text.decode())
    path = cache.path("importcfg", k)
    return path if path.is_file() else cache.put_bytes("importcfg", k, text)


def importcfg(tc: "Toolchain", imports: Sequence[str], target: Mapping[str, str], timeout: float) -> Path:
    """The importcfg a bare `go tool compile` of a package with these imports needs (runtime always in it)."""
    wanted = sorted(set(imports) | {"runtime"})
    return importcfg_file(export_files(tc, wanted, env=target, timeout=timeout, strict=True))


def go_list(tc: "Toolchain", packages: Sequence[str], *, deps: bool = True, export: bool = True,
            timeout: float = 600) -> dict[str, dict[str, Any]]:
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
    from .toolchain import toolchain as default_toolchain

    pkgs = go_list(toolchain or default_toolchain(), packages, deps=False, export=False)
    return [Path(pkgs[p]["Dir"]) / f for p in packages if p in pkgs for f in pkgs[p].get("GoFiles", [])]


# ---------------------------------------------------------------- the learner's package

@dataclass(frozen=True)
class Package:
    """What to hand the compiler: the files go build would compile, their imports, the package path."""

    moddir: Path
    files: tuple[str, ...]
    imports: tuple[str, ...]
    pkgpath: str
    lang: str
    has_asm: bool


def package(src: "Source", tc: "Toolchain", target: Mapping[str, str], timeout: float) -> Package:
    """The learner's package as go build would compile it for `target` (GOOS/GOARCH env, {} for the host)."""
    moddir = src.materialize(tc)
    facts = [f for f in src.facts(tc, target) if f.match and not ignored_by_go_build(f.name)]
    files = tuple(sorted(f.name for f in facts))
    if not files:
        raise UsageError("the program has no .go files that go build would compile here"
                         + (f" for {target.get('GOOS', tc.goos)}/{target.get('GOARCH', tc.goarch)}" if target else ""))
    imports = sorted({i for f in facts for i in f.imports})
    if "C" in imports:
        raise UsageError("this program uses cgo (import \"C\"); gokit builds with CGO_ENABLED=0, so it cannot "
                         "compile it. Remove the C part to look at the Go code.")
    pkgpath = "main" if src._package(tc) == "main" else src._module_path(tc)
    has_asm = any(n.endswith(".s") and "/" not in n for n, _ in src.files)
    return Package(moddir, files, tuple(imports), pkgpath, src.lang(tc), has_asm)
