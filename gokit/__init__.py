"""gokit: watch your Go program become tokens, an AST, SSA, machine code and a running process.

This table is gokit's whole public surface: every name below is reachable as `gokit.NAME`.
The implementation lives in private `_` modules (imported on first use, so `import gokit`
stays fast); `gokit.bench` and `gokit.errors` are the two public sub-modules.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

__version__ = "0.1.0"

#: name -> (private module, attribute); attribute None means the module itself.
_PUBLIC: dict[str, tuple[str, str | None]] = {
    # toolchain and sources
    "Toolchain": ("source.toolchain", "Toolchain"), "toolchain": ("source.toolchain", "toolchain"), "use_go": ("source.toolchain", "use_go"),
    "Source": ("source.source", "Source"),
    # build, run, exec
    "build": ("layers.build", "build"), "Build": ("layers.build", "Build"),
    "run": ("layers.exec", "run"), "Run": ("layers.exec", "Run"), "go_run_x": ("layers.exec", "go_run_x"), "GoRun": ("layers.exec", "GoRun"),
    "exec_file": ("layers.exec", "exec_file"), "ExecAttempt": ("layers.exec", "ExecAttempt"),
    # the build cache and graph, targets, linker flags
    "build_graph": ("layers.build", "build_graph"), "BuildGraph": ("layers.build", "BuildGraph"),
    "scratch_gocache": ("layers.build", "scratch_gocache"), "gocache_size": ("layers.build", "gocache_size"),
    "action_id": ("layers.build", "action_id"), "target_files": ("layers.build", "target_files"),
    "cross_matrix": ("layers.build", "cross_matrix"), "ldflags_sizes": ("layers.build", "ldflags_sizes"),
    # process start
    "boot_chain": ("stages.boot", "boot_chain"), "BootChain": ("stages.boot", "BootChain"), "inittrace": ("stages.boot", "inittrace"),
    "plot_inittrace": ("stages.boot", "plot_inittrace"), "file_format": ("parsers.binary", "file_format"),
    "string_variable": ("parsers.binary", "string_variable"),
    # front end
    "tokens": ("stages.frontend", "tokens"), "parse": ("stages.frontend", "parse"), "typecheck": ("stages.frontend", "typecheck"),
    "AST": ("stages.frontend", "AST"), "Types": ("stages.frontend", "Types"), "frontend_helper": ("source.helper", "helper"),
    # SSA and the compiler's reports
    "ssa": ("stages.ssa", "ssa"), "SSAFunction": ("parsers.ssa", "SSAFunction"),
    "optimizations": ("stages.ssa", "optimizations"), "inlining": ("stages.ssa", "inlining"), "escapes": ("stages.ssa", "escapes"),
    "bounds_checks": ("stages.ssa", "bounds_checks"),
    # back end: assembly, objects, the linker
    "asm": ("stages.asm", "asm"), "Assembly": ("stages.asm", "Assembly"), "parse_asm": ("stages.asm", "parse_asm"),
    "symbols": ("stages.objfile", "symbols"), "parse_nm": ("stages.objfile", "parse_nm"),
    "package_object": ("stages.objfile", "package_object"), "PackageObject": ("stages.objfile", "PackageObject"),
    "link_by_hand": ("stages.objfile", "link_by_hand"), "HandBuild": ("stages.objfile", "HandBuild"),
    "sections": ("parsers.binary", "sections"), "link_check": ("parsers.binary", "link_check"),
    "sizes_by_package": ("stages.objfile", "sizes_by_package"), "size_diff": ("stages.objfile", "size_diff"),
    "plot_sizes": ("stages.objfile", "plot_sizes"), "resolved_relocations": ("stages.objfile", "resolved_relocations"),
    # one line through every stage; hot lines
    "follow": ("stages.follow", "follow"), "Journey": ("stages.follow", "Journey"),
    "profile": ("stages.profile", "profile"), "CPUProfile": ("stages.profile", "CPUProfile"),
    "stage_costs": ("stages.follow", "stage_costs"),
    # drawing, lessons, export
    "show": ("views.render", "show"), "to_svg": ("views.render", "to_svg"), "Diagram": ("views.render", "Diagram"),
    "Exercise": ("_lesson", "Exercise"), "exercise": ("_lesson", "exercise"), "table": ("_lesson", "table"), "say": ("_lesson", "say"), "export_html": ("faces.export", "export_html"),
    "embed": ("faces.export", "embed"),
    # profiles (go tool pprof)
    "pprof": ("stages.pprof", "pprof"), "Profile": ("stages.pprof", "Profile"), "profile_compile": ("stages.pprof", "profile_compile"),
    "profile_link": ("stages.pprof", "profile_link"), "phase_rules": ("stages.pprof", "phase_rules"),
    # benchmarks beyond gokit.bench: a CI simulation, the independent timer
    "ci_simulation": ("experiments.ci", "ci_simulation"), "CISimulation": ("experiments.ci", "CISimulation"),
    "hyperfine": ("experiments.hyperfine", "hyperfine"),
    "fold": ("_lesson", "fold"),
    # public sub-modules
    "bench": ("bench", None),
}

if TYPE_CHECKING:  # what mypy and editors see: one meaning per name (names listed in __all__ via _PUBLIC)
    from . import bench
    from .stages.asm import Assembly, asm, parse_asm
    from .parsers.binary import file_format, link_check, sections, string_variable
    from .stages.boot import BootChain, boot_chain, inittrace, plot_inittrace
    from .layers.build import (
        Build,
        BuildGraph,
        action_id,
        build,
        build_graph,
        cross_matrix,
        gocache_size,
        ldflags_sizes,
        scratch_gocache,
        target_files,
    )
    from .experiments.ci import CISimulation, ci_simulation
    from .layers.exec import ExecAttempt, GoRun, Run, exec_file, go_run_x, run
    from .faces.export import embed, export_html
    from .stages.follow import Journey, follow, stage_costs
    from .stages.frontend import AST, Types, parse, tokens, typecheck
    from .source.helper import helper as frontend_helper
    from .experiments.hyperfine import hyperfine
    from ._lesson import Exercise, exercise, fold, say, table
    from .stages.objfile import (
        HandBuild,
        PackageObject,
        link_by_hand,
        package_object,
        parse_nm,
        plot_sizes,
        resolved_relocations,
        size_diff,
        sizes_by_package,
        symbols,
    )
    from .stages.pprof import Profile, phase_rules, pprof, profile_compile, profile_link
    from .stages.profile import CPUProfile, profile
    from .views.render import Diagram, show, to_svg
    from .source.source import Source
    from .stages.ssa import bounds_checks, escapes, inlining, optimizations, ssa
    from .parsers.ssa import SSAFunction
    from .source.toolchain import Toolchain, toolchain, use_go


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        mod_name, attr = _PUBLIC[name]
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


__all__ = ["GokitError", "UsageError", "ProgramNotFoundError", "GoNotFoundError", "GoToolError", "GoTimeoutError",
           "ParseError", "RenderError", "SourceDoesNotCompile", "FunctionNotFoundError", "StaleTraceError",
           "BinaryFormatError", *_PUBLIC]
