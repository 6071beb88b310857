"""The `gokit` command: every view of the registry (`gokit VIEW FILE [--json]`), plus doctor, lab, cache, bench, export.

This is the only module of gokit that prints.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any, Sequence

from .errors import GokitError


def _doctor(args: argparse.Namespace) -> int:
    from .faces.doctor import checks, report

    results = checks()
    ok = all(r["ok"] for r in results)
    if args.json:
        print(json.dumps({"ok": ok, "python": sys.version.split()[0], "checks": results}, indent=2))
    else:
        print(report(results), end="")
    return 0 if ok else 1


def _lab(args: argparse.Namespace) -> int:
    from . import _run
    from ._lesson import notebooks_dir

    nb = notebooks_dir()
    extra = list(args.extra)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        extra.append("--allow-root")  # containers and workshop VMs often run as root; Jupyter refuses otherwise
    # replaces this process: jupyter owns the terminal from here
    _run.exec_replace([sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={nb}", *extra])
    return 0  # pragma: no cover


def _cache(args: argparse.Namespace) -> int:
    from . import _cache as cache

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


def _bench(args: argparse.Namespace) -> int:
    from . import bench

    cmds = {c: shlex.split(c) for c in args.commands}  # split like a shell, but never run by one
    res = bench.compare(cmds, runs=args.runs, warmup=args.warmup, progress=not args.json)
    if args.json:
        print(res.summary.to_json(orient="index"))
    else:
        print(res.table().to_string())
        print()
        print(res.conclusion())
    return 0


def _export(args: argparse.Namespace) -> int:
    from .faces.export import export_notebook

    info = export_notebook(args.notebook, args.output, execute_cells=False if args.no_execute else
                           (True if args.execute else None), timeout=args.timeout,
                           allow_errors=args.allow_errors, no_prompt=args.no_prompt, no_input=args.no_input,
                           cell=args.cell, tag=args.tag, binder=args.binder, offline=args.offline)
    ran = "executed, " if info.executed else ""
    print(f"{info.path}  ({ran}{info.code_cells} code cells, {info.widget_outputs} widgets, "
          f"{info.bytes / 1e3:.0f} kB)")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .faces import check as chk
    from .bench import fast

    if args.fast:
        os.environ["GOKIT_FAST"] = "1"  # the kernels inherit it: fewer benchmark runs
    paths = chk.lessons(args.notebooks, args.lessons)
    if not args.json:
        print(f"gokit check: {len(paths)} lessons, each in a fresh kernel"
              + (" (GOKIT_FAST: fewer benchmark runs)" if fast() else ""))
        print(chk.HEADER, flush=True)
    results = chk.check(paths, timeout=args.timeout, save=args.save,
                        on_result=None if args.json else lambda r: print(chk.row(r), flush=True))
    if args.json:
        print(chk.to_json(results, machine=chk.machine()))
    else:
        print(chk.summary(results))
    return 0 if all(r.passed for r in results) else 1


#: The views whose result opens as an explorer (`--embed`, `--page`), and how.
EXPLORE = {
    "ast": lambda tree, ns: tree.explore(types=not tree.errors),
    "ssa": lambda fn, ns: fn.explore(ns.pass_name),
    "asm": lambda a, ns: a.explore(ns.function),
    "follow": lambda j, ns: j.explore(),
}
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 1280px; margin: 1.5em auto; padding: 0 1em; }}
pre.go {{ background: #f6f8fa; padding: .8em 1em; overflow-x: auto; font-size: 14px; }}</style>
</head><body>
<h1>{title}</h1>
<pre class="go"><code>{source}</code></pre>
{fragment}
<p style="color:#666;font-size:13px">Made with <code>{command}</code>: it works offline, with no server.</p>
</body></html>
"""


def _explorer_html(view: str, result: Any, args: argparse.Namespace) -> None:
    """Write the view's explorer as an HTML fragment to paste into a page (--embed) or as a whole page (--page)."""
    import html

    from .faces.export import embed

    fragment = embed(EXPLORE[view](result, args))
    if args.embed:
        out = sys.stdout if args.embed == "-" else None
        if out is not None:
            out.write(fragment)
        else:
            Path(args.embed).write_text(fragment, encoding="utf-8")
            print(f"{args.embed}  ({len(fragment.encode()) / 1e3:.0f} kB: paste it into your page)")
    if args.page:
        path = Path(args.file)
        source = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        command = " ".join(["gokit", *sys.argv[1:]]) if sys.argv[1:2] == [view] else f"gokit {view} {args.file}"
        page = PAGE.format(title=html.escape(f"{view} of {path.name}"), source=html.escape(source),
                           fragment=fragment, command=html.escape(command))
        Path(args.page).write_text(page, encoding="utf-8")
        print(f"{args.page}  ({len(page.encode()) / 1e3:.0f} kB: open it in a browser, no server needed)")


def _view(args: argparse.Namespace) -> int:
    from .faces.commands import BY_NAME

    view = BY_NAME[args.command]
    result = view.run(Path(args.file), args)  # every runner takes a path (Go source, or a binary where it says)
    if getattr(args, "embed", None) or getattr(args, "page", None):
        _explorer_html(args.command, result, args)
        return view.status(result)
    if args.json:
        json.dump(view.to_json(result, args), sys.stdout, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(view.to_text(result, args))
    sys.stdout.flush()
    sys.stderr.write(view.notes(result, args))
    return view.status(result)


def build_parser() -> argparse.ArgumentParser:
    from .faces.commands import VIEWS

    p = argparse.ArgumentParser(prog="gokit", description="Watch Go code become a running process.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for view in VIEWS:
        v = sub.add_parser(view.name, help=view.help, description=view.help)
        v.add_argument("file", metavar=view.target, help=view.target_help)
        view.add_options(v)
        v.add_argument("--json", action="store_true", help="print the result as JSON")
        if view.name in EXPLORE:
            v.add_argument("--embed", metavar="FILE", help="write the explorer as an HTML fragment to paste into a "
                           "page ('-': standard output); it works with no kernel and no network")
            v.add_argument("--page", metavar="FILE", help="write a whole HTML page: the Go source and its explorer")
        v.set_defaults(func=_view)
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
    be = sub.add_parser("bench", help="time whole commands, interleaved (quote each command)")
    be.add_argument("commands", nargs="+")
    be.add_argument("--runs", type=int, default=20)
    be.add_argument("--warmup", type=int, default=2)
    be.add_argument("--json", action="store_true")
    be.set_defaults(func=_bench)
    e = sub.add_parser("export", help="a notebook as one standalone HTML page (runs it first if it has no outputs)")
    e.add_argument("notebook", help="an .ipynb file")
    e.add_argument("-o", "--output", help="the HTML file to write (default: NOTEBOOK with .html)")
    run = e.add_mutually_exclusive_group()
    run.add_argument("--no-execute", action="store_true", help="export the outputs as saved, never run")
    run.add_argument("--execute", action="store_true", help="run every cell first even if it has outputs")
    e.add_argument("--timeout", type=float, default=600, help="seconds per cell when executing (default 600)")
    e.add_argument("--allow-errors", action="store_true", help="keep going when a cell raises")
    e.add_argument("--no-prompt", action="store_true", help="hide the In [n]/Out [n] prompts")
    e.add_argument("--no-input", action="store_true", help="hide the code, keep the outputs")
    one = e.add_mutually_exclusive_group()
    one.add_argument("--cell", metavar="N", help="only the outputs of the Nth code cell (or the cell with this id), "
                     "as an HTML fragment to paste into a blog post")
    one.add_argument("--tag", metavar="TAG", help="only the outputs of the cells tagged TAG, as an HTML fragment")
    from .faces.export import BINDER_BASE

    e.add_argument("--binder", nargs="?", const=BINDER_BASE, metavar="URL",
                   help=f"add a 'run it live' Binder link (default URL: {BINDER_BASE})")
    e.add_argument("--offline", action="store_true", help="load nothing from the network: gokit's explorers run "
                   "from the page itself (they always do); other ipywidgets show their saved text/HTML and no "
                   "MathJax is loaded")
    e.set_defaults(func=_export)
    ch = sub.add_parser("check", help="run every lesson top to bottom in a fresh kernel: passed, seconds, first error")
    ch.add_argument("lessons", nargs="*", help="only these lessons (by number, like 00 07, or file name)")
    ch.add_argument("--json", action="store_true", help="print the report as JSON")
    ch.add_argument("--fast", action="store_true", help="set GOKIT_FAST=1: fewer benchmark runs")
    ch.add_argument("--timeout", type=float, default=600, help="seconds per cell (default 600)")
    ch.add_argument("--save", metavar="DIR", help="write the executed notebooks (with outputs) into DIR")
    ch.add_argument("--notebooks", metavar="DIR", help="the lessons folder (default: the checkout's notebooks/)")
    ch.set_defaults(func=_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if getattr(args, "command", None) != "lab":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.extra = [*unknown, *args.extra]  # `gokit lab --port 9999`: jupyter lab's own options
    func: Any = getattr(args, "func", None)
    if not func:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except GokitError as e:
        print(f"gokit: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `gokit ssa ... | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
