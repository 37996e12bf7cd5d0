"""chainrule's scalar reverse-mode autograd engine."""

from autograd.check import GradcheckError, gradcheck
from autograd.draw import draw_graph, render
from autograd.engine import Value, dot, make_node, topological_order, vsum, zero_grad
from autograd.explain import Explanation, explain

__all__ = [
    "Explanation",
    "GradcheckError",
    "Value",
    "dot",
    "draw_graph",
    "explain",
    "gradcheck",
    "make_node",
    "render",
    "topological_order",
    "vsum",
    "zero_grad",
]
