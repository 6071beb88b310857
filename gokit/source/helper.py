"""gokit's Go helper (gokit/_go): built once per toolchain, then asked about Go files; answers are JSON."""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .. import _run, _tmp
from .. import _cache as cache
from ..errors import GokitError, ParseError
from .toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    from .toolchain import Toolchain

#: The helper's Go source, shipped inside the package.
HELPER_DIR = Path(__file__).resolve().parent.parent / "_go"
#: The JSON schema version gokit reads (the helper prints "schema").
SCHEMA = 1
#: A file given to the helper: (name, bytes).
File = tuple[str, bytes]

_lock = threading.Lock()
_built: dict[tuple[str, str, str, str], Path] = {}


@functools.cache
def _source_digest() -> str:
    """The helper's shipped source, hashed once per process (it does not change while gokit runs)."""
    files = [(p.name, p.read_bytes()) for p in sorted(HELPER_DIR.iterdir()) if p.suffix in (".go", ".mod")]
    return hashlib.sha256(b"".join(n.encode() + b"\0" + d for n, d in files)).hexdigest()


def identity(tc: "Toolchain") -> tuple[str, str, str]:
    """What the helper's answers depend on besides the files: the toolchain and the helper's own source."""
    return (tc.version, str(tc.go), _source_digest())


#: The modes the small helper answers (go/scanner, go/parser, go/build: built with -tags gokit_lite, about 90
#: standard-library packages where the full helper, with go/types, needs about 150).
LITE_MODES = frozenset({"version", "tokens", "ast", "imports", "facts"})
#: The binary names, by size.
_NAMES = {False: "gokitfrontend", True: "gokitfrontend-lite"}


def helper(toolchain: "Toolchain | None" = None, *, timeout: "float | _run.Deadline | None" = None,
           lite: bool = False) -> Path:
    """The path of gokit's Go front-end helper for this toolchain: built once (go build, cached), then reused.

    Cached by toolchain version + go path + a hash of the helper's source; a second process finds
    the binary on disk and builds nothing. (gokit's own tool, built from the source shipped in gokit/_go: the
    one `go build` that is not the build layer's, which builds the learner's packages.) `lite`: the small helper
    (no go/types), what a new machine's first gokit call needs: it waits for no package only a type question needs.
    """
    tc = toolchain or default_toolchain()
    deadline = _run.Deadline.of(timeout, _run.BUILD_SECONDS, "gokit.frontend_helper")
    k = identity(tc)
    name = _NAMES[lite]
    with _lock:
        if (*k, name) in _built and _built[(*k, name)].is_file():
            return _built[(*k, name)]
    what = ("gokit's small front-end helper (go/scanner, go/parser, go/build)" if lite
            else "gokit's front-end helper with the type checker (go/types)")

    def fill(tmp: Path) -> None:  # go build writes only -o: the package dir may be read-only
        tc.go_cmd("build", *(["-tags", "gokit_lite"] if lite else []), "-o", str(tmp / name), ".", cwd=HELPER_DIR,
                  timeout=deadline, compiles=f"building {what}: Go compiles its packages into its build cache, "
                                             f"once, the first time")

    final = cache.install_dir("frontend", cache.key("frontend-helper", *k, *(["lite"] if lite else []))[:32],
                              fill) / name
    with _lock:
        _built[(*k, name)] = final
    return final


def _executable(tc: "Toolchain", mode: str, deadline: "_run.Deadline") -> Path:
    """The helper that answers `mode`: the full one, or for the modes without types the small one while the full
    one is not built yet (on a new machine: no wait for go/types before the first answer)."""
    if mode not in LITE_MODES:
        return helper(tc, timeout=deadline)
    k = identity(tc)
    with _lock:
        full = _built.get((*k, _NAMES[False]))
    if full is not None and full.is_file():
        return full
    on_disk = cache.path("frontend", cache.key("frontend-helper", *k)[:32]) / _NAMES[False]
    if on_disk.is_file():
        return helper(tc, timeout=deadline)
    return helper(tc, timeout=deadline, lite=True)


def call(tc: "Toolchain", mode: str, args: Sequence[str], *, input: bytes | None = None,
         timeout: "float | _run.Deadline" = _run.FRONT_END_SECONDS) -> dict[str, Any]:
    """Run `gokitfrontend MODE ARGS...` and decode its JSON answer (`timeout`: seconds, or the call's Deadline)."""
    deadline = _run.Deadline.of(timeout, _run.FRONT_END_SECONDS, "gokit's Go helper")
    exe, env = _executable(tc, mode, deadline), tc.env()
    done = _run.run([str(exe), mode, *args], env=env, timeout=deadline, input=input)
    if done.exit_code != 0:
        raise GokitError(f"gokit's Go front-end helper failed ({mode}, exit {done.exit_code}):\n{done.err.strip()}")
    enabled = gc.isenabled()
    gc.disable()  # a big tree is one large allocation burst with no garbage in it
    try:
        data = json.loads(done.stdout)
    except ValueError as e:
        raise ParseError(f"the front-end helper printed something that is not JSON ({e})",
                         done.out[:200]) from None
    finally:
        if enabled:
            gc.enable()
    if data.get("schema") != SCHEMA:
        raise ParseError(f"the front-end helper speaks schema {data.get('schema')!r}, this gokit reads {SCHEMA}")
    return data


def call_on(files: Sequence[File], mode: str, tc: "Toolchain", extra: Sequence[str] = (),
            timeout: "float | _run.Deadline" = _run.FRONT_END_SECONDS) -> dict[str, Any]:
    """The helper on these files: one goes through stdin; several are written to a private temp dir."""
    if len(files) == 1:
        name, data = files[0]
        return call(tc, mode, [*extra, "-stdin", name], input=data, timeout=timeout)
    tmp = _tmp.mkdtemp("fe-")
    try:
        paths = []
        for name, data in files:
            (tmp / name).write_bytes(data)
            paths.append(str(tmp / name))
        return call(tc, mode, [*extra, *paths], timeout=timeout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
