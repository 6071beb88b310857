"""The `gokit` command: doctor, lab, cache, run, build, bench, and each view module's subcommands."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from .errors import GokitError

#: Modules that add their own subcommands with `add_cli(subparsers)` (each sets func=...).
VIEW_MODULES = ("frontend", "ssa", "export")


def _doctor(args: argparse.Namespace) -> int:
    from .doctor import doctor

    return doctor(as_json=args.json)


def _lab(args: argparse.Namespace) -> int:
    from . import _run
    from .lesson import notebooks_dir

    import os

    nb = notebooks_dir()
    extra = list(args.extra)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        extra.append("--allow-root")  # containers and workshop VMs often run as root; Jupyter refuses otherwise
    # replaces this process: jupyter owns the terminal from here
    _run.exec_replace([sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={nb}", *extra])
    return 0  # pragma: no cover


def _cache(args: argparse.Namespace) -> int:
    from . import cache

    if args.action == "clear":
        freed = cache.clear(args.kinds or None)
        print(f"removed {freed / 1e6:.1f} MB from {cache.cache_dir()}")
        return 0
    info = cache.info()
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"gokit cache: {info['path']}  ({info['bytes'] / 1e6:.1f} MB)")
    for kind, v in info["kinds"].items():
        print(f"  {kind:<12} {v['files']:>7} files {v['bytes'] / 1e6:>9.1f} MB")
    return 0


def _run_cmd(args: argparse.Namespace) -> int:
    from .link import run
    from .source import as_source

    r = run(as_source(Path(args.file)), args.args, timeout=args.timeout)
    if args.json:
        print(json.dumps({"stdout": r.stdout, "stderr": r.stderr, "exit_code": r.exit_code, "wall": r.wall,
                          "notes": list(r.notes)}))
    else:
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr)
        for n in r.notes:
            print(f"gokit: {n}", file=sys.stderr)
    return r.exit_code


def _build_cmd(args: argparse.Namespace) -> int:
    from .link import build
    from .source import as_source

    b = build(as_source(Path(args.file)), ldflags=args.ldflags, gcflags=args.gcflags, goos=args.goos,
              goarch=args.goarch, timeout=args.timeout)
    if args.json:
        print(json.dumps({"binary": str(b.binary), "size": b.size, "cached": b.cached, "wall": b.wall,
                          "cache_hits": b.cache_hits, "cache_misses": b.cache_misses,
                          "steps": b.steps.to_dict(orient="records")}))
    else:
        print(f"{b.binary}  {b.size:,} bytes  ({'from gokit cache' if b.cached else f'built in {b.wall:.2f} s'})")
    return 0


def _bench_cmd(args: argparse.Namespace) -> int:
    from . import bench

    import shlex

    cmds = {c: shlex.split(c) for c in args.commands}  # split like a shell, but never run by one
    res = bench.compare(cmds, runs=args.runs, warmup=args.warmup, progress=not args.json)
    if args.json:
        print(res.summary.to_json(orient="index"))
    else:
        print(res.table().to_string())
        print()
        print(res.conclusion())
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gokit", description="Watch Go code become a running process.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("doctor", help="check the Go toolchain, renderer and Jupyter")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=_doctor)
    lab = sub.add_parser("lab", help="open JupyterLab on the lessons")
    lab.add_argument("extra", nargs=argparse.REMAINDER, help="passed on to jupyter lab")
    lab.set_defaults(func=_lab)
    c = sub.add_parser("cache", help="show or clear gokit's result cache")
    c.add_argument("action", choices=["info", "clear"], nargs="?", default="info")
    c.add_argument("kinds", nargs="*", help="with clear: only these kinds (src, builds, ...)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_cache)
    r = sub.add_parser("run", help="build (cached) and run a Go file")
    r.add_argument("file")
    r.add_argument("args", nargs="*")
    r.add_argument("--timeout", type=float, default=10)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=_run_cmd)
    b = sub.add_parser("build", help="go build -x a Go file into gokit's cache")
    b.add_argument("file")
    for flag in ("ldflags", "gcflags", "goos", "goarch"):
        b.add_argument(f"--{flag}")
    b.add_argument("--timeout", type=float, default=300)
    b.add_argument("--json", action="store_true")
    b.set_defaults(func=_build_cmd)
    be = sub.add_parser("bench", help="time whole commands, interleaved (quote each command)")
    be.add_argument("commands", nargs="+")
    be.add_argument("--runs", type=int, default=20)
    be.add_argument("--warmup", type=int, default=2)
    be.add_argument("--json", action="store_true")
    be.set_defaults(func=_bench_cmd)
    for name in VIEW_MODULES:
        try:
            mod = importlib.import_module(f"gokit.{name}")
        except ImportError:
            continue
        add: Callable[[argparse._SubParsersAction], None] | None = getattr(mod, "add_cli", None)
        if add is not None:
            add(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if getattr(args, "command", None) != "lab":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.extra = [*unknown, *args.extra]  # `gokit lab --port 9999`: jupyter lab's own options
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except GokitError as e:
        print(f"gokit: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `gokit ssa ... | head`: the reader left; that is not an error
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
