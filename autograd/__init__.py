"""chainrule's scalar reverse-mode autograd engine."""

from autograd.check import GradcheckError, gradcheck
from autograd.engine import Value, dot, make_node, topological_order, vsum, zero_grad

__all__ = ["GradcheckError", "Value", "dot", "gradcheck", "make_node", "topological_order", "vsum", "zero_grad"]
