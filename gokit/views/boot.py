"""Views of a boot chain: the steps from the entry point to main.main as a diagram, grouped by the thread that
runs them (or, with no renderer, as a table)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._display import renders
from ..errors import RenderError
from ..parsers.boot import THREADS, BootChain, BootStep
from .render import to_svg

if TYPE_CHECKING:
    import graphviz


@renders(BootChain, "graphviz")
def to_graphviz(chain: BootChain) -> "graphviz.Digraph":
    """The chain as a diagram: the steps top to bottom in the order they run, each box with its file:line and
    how it is reached, grouped by the thread that runs them; sysmon beside, on its own thread. (The init
    tasks are counted, not named: `.inits` lists them.)"""
    import graphviz

    g = graphviz.Digraph("boot", graph_attr={"rankdir": "TB", "fontname": "Helvetica", "fontsize": "11",
                                             "nodesep": "0.5", "ranksep": "0.22", "newrank": "true",
                                             "size": "8.3,100"},  # at most 8.3 inches wide: fits a notebook
                         node_attr={"shape": "box", "style": "rounded,filled", "fontname": "Helvetica",
                                    "fontsize": "10", "color": "#4a6fa5", "width": "3.2"},
                         edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": "#777777",
                                    "arrowsize": "0.7"})
    colours = {"m0": "#eef3fa", "main goroutine": "#eaf6ea", "new M": "#fdf0e0"}
    runtime_inits, package_inits = chain.inits[:chain.runtime_inits], chain.inits[chain.runtime_inits:]
    doinit = 0
    groups: dict[str, list[BootStep]] = {}
    for s in chain.steps_list:
        groups.setdefault(s.thread, []).append(s)
    for i, (thread, steps) in enumerate(groups.items()):
        with g.subgraph(name=f"cluster_{i}") as c:
            c.attr(label=THREADS.get(thread, thread), style="dashed", color="#999999", fontsize="10",
                   labeljust="l")
            for s in steps:
                where = f"{s.file}:{s.line}" if s.file else "C runtime: no Go source"
                label = f"{s.function}\n{where}\n{chain.reached(s)}"
                if s.function == "runtime.doInit1":
                    n = len(runtime_inits) if doinit == 0 else len(package_inits)
                    label += f"\n{n} init tasks: " + ("the runtime's" if doinit == 0 else "the other packages'")
                    doinit += 1
                c.node(f"s{s.step}", label, fillcolor=colours.get(thread, "#eef3fa"))
    column = [s for s in chain.steps_list if s.thread != "new M"]
    for a, b in zip(column, column[1:]):  # one column, in the order the steps run
        g.edge(f"s{a.step}", f"s{b.step}", weight="20")
    for s in chain.steps_list:
        if s.thread == "new M" and s.caller >= 0:
            with g.subgraph() as same:
                same.attr(rank="same")
                same.node(f"s{s.caller}")
                same.node(f"s{s.step}")
            g.edge(f"s{s.caller}", f"s{s.step}", label="new thread", style="dashed", color="#b9770e")
    return g


@renders(BootChain, "mimebundle")
def mimebundle(chain: BootChain) -> dict[str, str]:
    """An SVG of the chain, or (with no diagram renderer) its table."""
    try:
        return {"image/svg+xml": to_svg(chain.to_graphviz()), "text/plain": repr(chain)}
    except RenderError:  # no renderer: the table still teaches
        return {"text/html": chain.steps.to_html(index=False, border=0), "text/plain": repr(chain)}
