"""chainrule's scalar reverse-mode autograd engine.

The drawing functions load the `graphviz` package when first used, so `from autograd import
Value` does not. `draw_dot(root, format, rankdir)` is micrograd's draw_dot, drawn by `draw_graph`.
"""

from typing import TYPE_CHECKING, Any

from autograd.check import GradcheckError, gradcheck, gradgradcheck
from autograd.clash import warn_if_hips_autograd_is_installed
from autograd.engine import Op, Value, make_node, topological_order, zero_grad
from autograd.explain import Explanation, explain
from autograd.higher import grad, hessian
from autograd.legacy import register_derivative, register_symbol
from autograd.modes import detect_anomaly, no_grad
from autograd.renderer import render
from autograd.sums import dot, dots, neurons, vsum

if TYPE_CHECKING:
    from autograd.draw import Drawing, draw_dot, draw_graph

__all__ = [
    "Drawing",
    "Explanation",
    "GradcheckError",
    "Op",
    "Value",
    "detect_anomaly",
    "dot",
    "dots",
    "draw_dot",
    "draw_graph",
    "explain",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "make_node",
    "neurons",
    "no_grad",
    "register_derivative",
    "register_symbol",
    "render",
    "topological_order",
    "vsum",
    "zero_grad",
]


warn_if_hips_autograd_is_installed()


def __dir__() -> list[str]:
    """The public names, as help() and tab completion show them (not typing's helpers)."""
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    if name in ("draw_graph", "draw_dot", "Drawing"):
        from autograd import draw

        return getattr(draw, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
