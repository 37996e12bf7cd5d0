"""chainrule's scalar reverse-mode autograd engine.

The drawing functions load the `graphviz` package when first used, so `from autograd import
Value` does not.
"""

from typing import TYPE_CHECKING, Any

from autograd.check import GradcheckError, gradcheck
from autograd.engine import Value, dot, make_node, topological_order, vsum, zero_grad
from autograd.explain import Explanation, explain
from autograd.notation import register_symbol
from autograd.renderer import render

if TYPE_CHECKING:
    from autograd.draw import Drawing, draw_graph

__all__ = [
    "Drawing",
    "Explanation",
    "GradcheckError",
    "Value",
    "dot",
    "draw_graph",
    "explain",
    "gradcheck",
    "make_node",
    "register_symbol",
    "render",
    "topological_order",
    "vsum",
    "zero_grad",
]


def __getattr__(name: str) -> Any:
    if name in ("draw_graph", "Drawing"):
        from autograd import draw

        return getattr(draw, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
