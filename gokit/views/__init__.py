"""The views floor: HTML, graphviz, plots and widgets drawn from models; views never import stages or recompute.

Each module registers its views per model type (gokit._display): importing this package registers them all,
which a model's display methods do on their first call.
"""
from . import asm, ast, boot, build, compiler, journey, ssa  # noqa: F401 - each registers its views
from .widgets import asm_explorer, ast_explorer, journey_explorer, ssa_explorer  # noqa: F401 - and the explorers
