"""Higher-order gradients: derivatives that are Values, so they can be differentiated again.

`backward()` fills each `grad` with a float. `grad(f, [x])` instead builds df/dx out of the
engine's ops, following the same chain rule over the same edges,

    df/d(child) += d(node)/d(child) * df/d(node)

but with each local derivative written as a Value of the node's operands (d tanh x/dx is the
Value 1 - tanh² x, not the float). The result is a graph like any other: `grad` of it is a
second derivative, `draw_graph` shows it, and its value equals what `backward()` computes.

    >>> from autograd import Value
    >>> x = Value(3.0, "x")
    >>> f = x**3
    >>> [dfdx] = grad(f, [x])
    >>> [d2fdx2] = grad(dfdx, [x])
    >>> dfdx.data, d2fdx2.data
    (27.0, 18.0)

Each op's local derivatives as Values are in DERIVATIVES, one function per op name, taking the
node and giving one derivative per child. An op made elsewhere with `make_node` (nn's losses)
registers its own with `register_derivative`.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Sequence
from typing import cast

from autograd.engine import Operand, Value, topological_order, vsum

Derivatives = Callable[[Value], list[Operand]]  # a node -> d(node)/d(child) for each child, in order

DERIVATIVES: dict[str, Derivatives] = {}


def register_derivative(op: str) -> Callable[[Derivatives], Derivatives]:
    """Decorator: `derivatives(node)` gives d(node)/d(child) for each child of a node made by `op`,
    as Values of its operands (or plain numbers where a derivative is constant)."""

    def register(derivatives: Derivatives) -> Derivatives:
        DERIVATIVES[op] = derivatives
        return derivatives

    return register


def grad(output: Value, inputs: Sequence[Value]) -> list[Value]:
    """d(output)/d(x) for each x in `inputs`, as Values that can be differentiated again.

    A value `output` does not depend on gets Value(0.0). The values equal those `backward()` puts
    in `x.grad` (for leaves starting from 0). Each value's gradient is one `sum` node of what its
    edges bring, in backward()'s order; an edge whose factor is a constant 0 brings nothing.
    """
    if not isinstance(output, Value) or any(not isinstance(x, Value) for x in inputs):
        raise TypeError(f"grad(output, inputs) needs a Value and a list of Values, got {output!r} and {inputs!r}")
    wanted = set(inputs)
    brought: dict[Value, list[Operand]] = {output: [1.0]}
    found: dict[Value, Operand] = {}
    for node in reversed(topological_order(output)):  # each node has had all its parents: its sum is whole
        upstream = _total(brought.pop(node))
        if node in wanted:
            found[node] = upstream
        for child, local in zip(node.children, local_derivatives(node) if node.children else (), strict=True):
            brought.setdefault(child, []).append(_product(local, upstream))
    return [_as_value(found.get(x, 0.0)) for x in inputs]


def _product(local: Operand, upstream: Operand) -> Operand:
    """local × upstream, with the constants 1 and 0 taken as such (0 × a finite Value is 0)."""
    if type(upstream) is float and upstream == 1.0:
        return local
    if (type(local) is float and local == 0.0 and math.isfinite(_number(upstream))) or (
        type(upstream) is float and upstream == 0.0 and math.isfinite(_number(local))
    ):
        return 0.0
    return local * upstream


def _total(terms: list[Operand]) -> Operand:
    """The sum of an edge's contributions, in order, as backward() adds them (zeros add nothing)."""
    kept = [t for t in terms if not (type(t) is float and t == 0.0)]
    if not kept:
        return 0.0
    if len(kept) == 1:
        return kept[0]
    if all(type(t) is float for t in kept):  # added left to right: sum() of floats rounds otherwise from Python 3.12
        return functools.reduce(operator.add, cast(list[float], kept), 0.0)
    return vsum(kept)


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[float]]:
    """The matrix of second derivatives d²(output)/(dx_i dx_j), by grad() of each first derivative."""
    return [[h.data for h in grad(first, inputs)] for first in grad(output, inputs)]


def local_derivatives(node: Value) -> list[Operand]:
    """d(node)/d(child) for each child of `node`, as Values of its operands."""
    if node.op not in DERIVATIVES:
        raise ValueError(
            f"grad() has no derivatives for the op {node.op!r}{f' ({node.label})' if node.label else ''}; "
            f"an op made with make_node registers them with autograd.higher.register_derivative"
        )
    derivatives = DERIVATIVES[node.op](node)
    if len(derivatives) != len(node.children):
        raise ValueError(
            f"the derivatives registered for the op {node.op!r} give {len(derivatives)} for a node of "
            f"{len(node.children)} edges; they need one per child, in order"
        )
    return derivatives


def _as_value(x: Operand) -> Value:
    return x if isinstance(x, Value) else Value(float(x))


def _of_values(node: Value, per_operand: Sequence[Operand]) -> list[Operand]:
    """Keep the derivatives of the operands that are Values: those are the node's children, in order."""
    return [d for x, d in zip(node.operands, per_operand, strict=True) if isinstance(x, Value)]


# -- the engine's ops, each with the derivatives the engine computes as floats --------------------


@register_derivative("+")
def _add(node: Value) -> list[Operand]:
    return _of_values(node, [1.0, 1.0])


@register_derivative("-")
def _sub(node: Value) -> list[Operand]:
    return _of_values(node, [1.0, -1.0])


@register_derivative("*")
def _mul(node: Value) -> list[Operand]:
    x, y = node.operands
    return _of_values(node, [y, x])


@register_derivative("/")
def _div(node: Value) -> list[Operand]:
    """d(x/y)/dx = 1/y, d(x/y)/dy = -(x/y)/y."""
    _, y = node.operands
    return _of_values(node, [1.0 / y, -node / y])


@register_derivative("**")
def _pow(node: Value) -> list[Operand]:
    """d(x^y)/dx = y x^(y-1) (0 for a constant y = 0), d(x^y)/dy = x^y log x (0 for x = 0, as the engine
    has it). Where y is a Value, y x^(y-1) is kept even at y = 0: it is 0 there, but its d/dy is not."""
    x, y = node.operands
    derivatives: list[Operand] = []
    if isinstance(x, Value):
        derivatives.append(y * x ** (y - 1.0) if isinstance(y, Value) or y != 0 else 0.0)
    if isinstance(y, Value):
        derivatives.append(node * _log_of(x) if _number(x) > 0 else 0.0)
    return derivatives


@register_derivative("neg")
def _neg(node: Value) -> list[Operand]:
    return [-1.0]


@register_derivative("exp")
def _exp(node: Value) -> list[Operand]:
    return [node]


@register_derivative("log")
def _log(node: Value) -> list[Operand]:
    return [1.0 / node.children[0]]


@register_derivative("tanh")
def _tanh(node: Value) -> list[Operand]:
    return [1.0 - node * node]


@register_derivative("sigmoid")
def _sigmoid(node: Value) -> list[Operand]:
    return [node * (1.0 - node)]


@register_derivative("relu")
def _relu(node: Value) -> list[Operand]:
    """A constant on each side of the kink (its second derivative is 0), NaN for NaN."""
    x = node.children[0].data
    return [1.0 if x > 0 else 0.0 if x <= 0 else math.nan]


@register_derivative("sum")
def _sum(node: Value) -> list[Operand]:
    return [1.0] * len(node.children)


@register_derivative("dot")
def _dot(node: Value) -> list[Operand]:
    """Operands (b, w1, x1, w2, x2, ...): d/db = 1, d/dwi = xi, d/dxi = wi."""
    pairs = node.operands[1:]
    partners: list[Operand] = [1.0]
    for w, x in zip(pairs[::2], pairs[1::2], strict=True):
        partners += [x, w]
    return _of_values(node, partners)


def _number(x: Operand) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _log_of(x: Operand) -> Operand:
    return x.log() if isinstance(x, Value) else math.log(x)
