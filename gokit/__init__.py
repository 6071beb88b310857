"""gokit: watch your Go program become tokens, an AST, SSA, machine code and a running process.

This table is gokit's whole public surface: every name below is reachable as `gokit.NAME`.
The implementation lives in private `_` modules (imported on first use, so `import gokit`
stays fast); `gokit.bench`, `gokit.lesson` (what lessons show: exercises, tables, folds) and
`gokit.errors` are the public sub-modules.
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


def _refuse_a_mixed_install() -> None:
    from ._dist import foreign_gokit

    advice = foreign_gokit(__path__[0])
    if advice is not None:
        raise ImportError(advice)


_refuse_a_mixed_install()

#: name -> (private module, attribute); attribute None means the module itself.
_PUBLIC: dict[str, tuple[str, str | None]] = {
    # toolchain and sources
    "Toolchain": ("_toolchain", "Toolchain"), "toolchain": ("_toolchain", "toolchain"), "use_go": ("_toolchain", "use_go"),
    "GoUnavailable": ("_toolchain", "GoUnavailable"),
    "Source": ("_source", "Source"),
    # build, run, exec
    "build": ("_build", "build"), "Build": ("_build", "Build"),
    "run": ("_exec", "run"), "Run": ("_exec", "Run"), "go_run_x": ("_exec", "go_run_x"), "GoRun": ("_exec", "GoRun"),
    "exec_file": ("_exec", "exec_file"), "ExecAttempt": ("_exec", "ExecAttempt"),
    # the build cache and graph, targets, linker flags
    "build_graph": ("_build", "build_graph"), "BuildGraph": ("_build", "BuildGraph"),
    "scratch_gocache": ("_build", "scratch_gocache"), "gocache_size": ("_build", "gocache_size"),
    "action_id": ("_build", "action_id"), "target_files": ("_build", "target_files"),
    "cross_matrix": ("_build", "cross_matrix"), "ldflags_sizes": ("_build", "ldflags_sizes"),
    "c_compiler": ("_build", "c_compiler"),
    # process start
    "boot_chain": ("_boot", "boot_chain"), "BootChain": ("_boot", "BootChain"), "inittrace": ("_boot", "inittrace"),
    "plot_inittrace": ("_boot", "plot_inittrace"), "file_format": ("_binary", "file_format"),
    "string_variable": ("_binary", "string_variable"),
    # front end
    "tokens": ("_frontend", "tokens"), "parse": ("_frontend", "parse"), "typecheck": ("_frontend", "typecheck"),
    "AST": ("_frontend", "AST"), "Types": ("_frontend", "Types"), "frontend_helper": ("_helper", "helper"),
    # SSA and the compiler's reports
    "ssa": ("_ssa", "ssa"), "SSAFunction": ("_ssa_html", "SSAFunction"),
    "optimizations": ("_ssa", "optimizations"), "inlining": ("_ssa", "inlining"), "escapes": ("_ssa", "escapes"),
    "bounds_checks": ("_ssa", "bounds_checks"),
    # back end: assembly, objects, the linker
    "asm": ("_asm", "asm"), "Assembly": ("_asm", "Assembly"), "parse_asm": ("_asm", "parse_asm"),
    "symbols": ("_objfile", "symbols"), "parse_nm": ("_objfile", "parse_nm"),
    "package_object": ("_objfile", "package_object"), "PackageObject": ("_objfile", "PackageObject"),
    "link_by_hand": ("_objfile", "link_by_hand"), "HandBuild": ("_objfile", "HandBuild"),
    "sections": ("_binary", "sections"), "link_check": ("_binary", "link_check"),
    "link_checks": ("_binary", "link_checks"),
    "sizes_by_package": ("_objfile", "sizes_by_package"), "size_diff": ("_objfile", "size_diff"),
    "plot_sizes": ("_objfile", "plot_sizes"), "resolved_relocations": ("_objfile", "resolved_relocations"),
    # one line through every stage; hot lines
    "follow": ("_follow", "follow"), "Journey": ("_follow", "Journey"),
    "profile": ("_profile", "profile"), "CPUProfile": ("_profile", "CPUProfile"),
    "stage_costs": ("_follow", "stage_costs"),
    # drawing, lessons, export
    "to_svg": ("_render", "to_svg"), "Diagram": ("_render", "Diagram"),
    "export_html": ("_export", "export_html"),
    "embed": ("_export", "embed"),
    # profiles (go tool pprof)
    "pprof": ("_pprof", "pprof"), "Profile": ("_pprof", "Profile"), "profile_compile": ("_pprof", "profile_compile"),
    "profile_link": ("_pprof", "profile_link"), "phase_rules": ("_pprof", "phase_rules"),
    # benchmarks beyond gokit.bench: a CI simulation, the independent timer
    "ci_simulation": ("_ci", "ci_simulation"), "CISimulation": ("_ci", "CISimulation"),
    "hyperfine": ("_hyperfine", "hyperfine"),
    # public sub-modules
    "bench": ("bench", None), "lesson": ("lesson", None),
}

if TYPE_CHECKING:  # what mypy and editors see: one meaning per name (names listed in __all__ via _PUBLIC)
    from . import bench, lesson
    from ._asm import Assembly, asm, parse_asm
    from ._binary import file_format, link_check, link_checks, sections, string_variable
    from ._boot import BootChain, boot_chain, inittrace, plot_inittrace
    from ._build import (
        Build,
        BuildGraph,
        action_id,
        build,
        build_graph,
        c_compiler,
        cross_matrix,
        gocache_size,
        ldflags_sizes,
        scratch_gocache,
        target_files,
    )
    from ._ci import CISimulation, ci_simulation
    from ._exec import ExecAttempt, GoRun, Run, exec_file, go_run_x, run
    from ._export import embed, export_html
    from ._follow import Journey, follow, stage_costs
    from ._frontend import AST, Types, parse, tokens, typecheck
    from ._helper import helper as frontend_helper
    from ._hyperfine import hyperfine
    from ._objfile import (
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
    from ._pprof import Profile, phase_rules, pprof, profile_compile, profile_link
    from ._profile import CPUProfile, profile
    from ._render import Diagram, to_svg
    from ._source import Source
    from ._ssa import bounds_checks, escapes, inlining, optimizations, ssa
    from ._ssa_html import SSAFunction
    from ._toolchain import GoUnavailable, Toolchain, toolchain, use_go


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
    from ._magic import load_ipython_extension as load

    load(ipython)


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = ["GokitError", "UsageError", "ProgramNotFoundError", "GoNotFoundError", "GoToolError", "GoTimeoutError",
           "ParseError", "RenderError", "SourceDoesNotCompile", "FunctionNotFoundError", "StaleTraceError",
           "BinaryFormatError", *_PUBLIC]
