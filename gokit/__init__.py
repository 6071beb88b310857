"""gokit: watch your Go program become tokens, an AST, SSA, machine code and a running process.

The table below is gokit's whole public surface, and the one place it is written: every name in it is
`gokit.NAME` (imported on first use, so `import gokit` stays fast), `dir(gokit)` lists them, docs/api.md
describes them, and the typed imports under it are derived from it (docs/_src/make_api.py writes both;
tests/test_public.py checks they are up to date). Everything else is private; `gokit.bench`, `gokit.lesson`
(what lessons show: exercises, tables, folds) and `gokit.errors` are the public sub-modules.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"


def _refuse_a_mixed_install() -> None:
    from ._dist import foreign_gokit

    advice = foreign_gokit(__path__[0])
    if advice is not None:
        raise ImportError(advice)


_refuse_a_mixed_install()

#: The public names, by what they show: section -> name -> (module under gokit, attribute; None: the module).
PUBLIC: dict[str, dict[str, tuple[str, str | None]]] = {
    "Go and your program": {
        "toolchain": ("source.toolchain", "toolchain"), "Toolchain": ("source.toolchain", "Toolchain"),
        "use_go": ("source.toolchain", "use_go"), "GoUnavailable": ("source.toolchain", "GoUnavailable"),
        "Source": ("source.source", "Source"),
        "package": ("source.package", "package"), "Package": ("source.package", "Package"),
        "frontend_helper": ("source.helper", "helper"),
    },
    "Build and run": {
        "run": ("stages.run", "run"), "Run": ("stages.run", "Run"),
        "build": ("stages.builds", "build"), "Build": ("layers.build", "Build"),
        "go_run_x": ("layers.exec", "go_run_x"), "GoRun": ("layers.exec", "GoRun"),
        "exec_file": ("layers.exec", "exec_file"), "ExecAttempt": ("layers.exec", "ExecAttempt"),
    },
    "The build cache and graph, targets, linker flags": {
        "build_graph": ("stages.builds", "build_graph"), "BuildGraph": ("parsers.buildx", "BuildGraph"),
        "scratch_gocache": ("stages.builds", "scratch_gocache"), "gocache_size": ("stages.builds", "gocache_size"),
        "action_id": ("parsers.buildx", "action_id"), "target_files": ("stages.builds", "target_files"),
        "cross_matrix": ("stages.builds", "cross_matrix"), "ldflags_sizes": ("stages.builds", "ldflags_sizes"),
        "c_compiler": ("stages.builds", "c_compiler"),
    },
    "The front end": {
        "tokens": ("stages.frontend", "tokens"), "parse": ("stages.frontend", "parse"), "AST": ("parsers.syntax", "AST"),
        "typecheck": ("stages.frontend", "typecheck"), "Types": ("parsers.frontend", "Types"),
    },
    "SSA and the compiler's decisions": {
        "ssa": ("stages.ssa", "ssa"), "SSAFunction": ("parsers.ssa", "SSAFunction"),
        "optimizations": ("stages.optimizations", "optimizations"), "inlining": ("stages.optimizations", "inlining"),
        "escapes": ("stages.optimizations", "escapes"), "bounds_checks": ("stages.optimizations", "bounds_checks"),
    },
    "Assembly, objects and the linker": {
        "asm": ("stages.asm", "asm"), "Assembly": ("parsers.asm", "Assembly"), "parse_asm": ("parsers.asm_listing", "parse_asm"),
        "package_object": ("stages.objfile", "package_object"), "PackageObject": ("stages.objfile", "PackageObject"),
        "link_by_hand": ("stages.objfile", "link_by_hand"), "HandBuild": ("stages.objfile", "HandBuild"),
        "resolved_relocations": ("stages.objfile", "resolved_relocations"), "symbols": ("stages.objfile", "symbols"),
        "parse_nm": ("parsers.nm", "parse_nm"), "sizes_by_package": ("stages.objfile", "sizes_by_package"),
        "size_diff": ("stages.objfile", "size_diff"), "plot_sizes": ("views.plots", "plot_sizes"),
        "sections": ("parsers.binary", "sections"), "link_check": ("parsers.binary", "link_check"),
        "link_checks": ("parsers.binary", "link_checks"),
        "file_format": ("parsers.binary", "file_format"), "string_variable": ("parsers.binary", "string_variable"),
    },
    "Process start": {
        "boot_chain": ("stages.boot", "boot_chain"), "BootChain": ("parsers.boot", "BootChain"),
        "inittrace": ("stages.boot", "inittrace"), "plot_inittrace": ("views.plots", "plot_inittrace"),
    },
    "One line through every stage, hot lines, profiles": {
        "follow": ("stages.follow", "follow"), "Journey": ("parsers.journey", "Journey"),
        "profile": ("stages.profile", "profile"), "CPUProfile": ("parsers.profile", "CPUProfile"),
        "pprof": ("stages.pprof", "pprof"), "Profile": ("parsers.profile", "Profile"),
        "profile_compile": ("stages.pprof", "profile_compile"), "profile_link": ("stages.pprof", "profile_link"),
        "phase_rules": ("parsers.phases", "phase_rules"),
    },
    "Measuring": {
        "bench": ("bench", None), "stage_costs": ("experiments.stage_costs", "stage_costs"),
        "ci_simulation": ("experiments.ci", "ci_simulation"), "CISimulation": ("experiments.ci", "CISimulation"),
        "hyperfine": ("experiments.hyperfine", "hyperfine"),
    },
    "Drawing, lessons, export": {
        "Diagram": ("views.render", "Diagram"), "to_svg": ("views.render", "to_svg"), "lesson": ("lesson", None),
        "export_html": ("faces.export", "export_html"), "embed": ("faces.export", "embed"),
    },
    "Errors": {
        "errors": ("errors", None), **{name: ("errors", name) for name in (
            "GokitError", "UsageError", "ProgramNotFoundError", "GoNotFoundError", "GoToolError", "SourceDoesNotCompile",
            "GoTimeoutError", "FunctionNotFoundError", "ParseError", "RenderError", "StaleTraceError",
            "BinaryFormatError")},
    },
}
_TABLE: dict[str, tuple[str, str | None]] = {name: where for names in PUBLIC.values() for name, where in names.items()}

if TYPE_CHECKING:  # the table above as imports, for mypy and editors (written by docs/_src/make_api.py)
    from . import bench, errors, lesson
    from .errors import (
        BinaryFormatError,
        FunctionNotFoundError,
        GokitError,
        GoNotFoundError,
        GoTimeoutError,
        GoToolError,
        ParseError,
        ProgramNotFoundError,
        RenderError,
        SourceDoesNotCompile,
        StaleTraceError,
        UsageError,
    )
    from .experiments.ci import ci_simulation, CISimulation
    from .experiments.hyperfine import hyperfine
    from .experiments.stage_costs import stage_costs
    from .faces.export import embed, export_html
    from .layers.build import Build
    from .layers.exec import exec_file, ExecAttempt, go_run_x, GoRun
    from .parsers.asm import Assembly
    from .parsers.asm_listing import parse_asm
    from .parsers.binary import file_format, link_check, link_checks, sections, string_variable
    from .parsers.boot import BootChain
    from .parsers.buildx import action_id, BuildGraph
    from .parsers.frontend import Types
    from .parsers.journey import Journey
    from .parsers.nm import parse_nm
    from .parsers.phases import phase_rules
    from .parsers.profile import CPUProfile, Profile
    from .parsers.ssa import SSAFunction
    from .parsers.syntax import AST
    from .source.helper import helper as frontend_helper
    from .source.package import Package, package
    from .source.source import Source
    from .source.toolchain import GoUnavailable, Toolchain, toolchain, use_go
    from .stages.asm import asm
    from .stages.boot import boot_chain, inittrace
    from .stages.builds import (
        build,
        build_graph,
        c_compiler,
        cross_matrix,
        gocache_size,
        ldflags_sizes,
        scratch_gocache,
        target_files,
    )
    from .stages.follow import follow
    from .stages.frontend import parse, tokens, typecheck
    from .stages.objfile import (
        HandBuild,
        link_by_hand,
        package_object,
        PackageObject,
        resolved_relocations,
        size_diff,
        sizes_by_package,
        symbols,
    )
    from .stages.optimizations import bounds_checks, escapes, inlining, optimizations
    from .stages.pprof import pprof, profile_compile, profile_link
    from .stages.profile import profile
    from .stages.run import Run, run
    from .stages.ssa import ssa
    from .views.plots import plot_inittrace, plot_sizes
    from .views.render import Diagram, to_svg


def __getattr__(name: str) -> Any:
    if name in _TABLE:
        mod_name, attr = _TABLE[name]
        mod = importlib.import_module(f".{mod_name}", __name__)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gokit' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext gokit` registers the `%%go` cell magic."""
    from .faces.magic import load_ipython_extension as load

    load(ipython)


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = list(_TABLE)
