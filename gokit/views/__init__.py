"""The views floor: HTML, graphviz, plots and explorers drawn from models; views never import stages or recompute.

Each module registers its views per model type (gokit._display): importing this package registers them all,
which a model's display methods do on their first call.
"""
from . import asm, ast, boot, build, compiler, journey, ssa  # noqa: F401 - each registers its views
from .explorers import asm as _asm_explorer, ast as _ast_explorer, journey as _journey_explorer  # noqa: F401
from .explorers import ssa as _ssa_explorer  # noqa: F401 - the explorers register theirs too
