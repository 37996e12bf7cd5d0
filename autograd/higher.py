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

Each node's local derivatives as Values come from its op's own record: the same expression that
gives backward() its numbers, run on the node's operands as Values.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterable
from typing import cast

from autograd.engine import (
    Operand,
    Value,
    number,
    real,
    refuse_no_graph,
    refuse_own_backward,
    topological_order,
)
from autograd.labels import on_one_line
from autograd.legacy import NoKernel
from autograd.modes import modes_now
from autograd.sums import vsum


def grad(output: Value, inputs: Iterable[Value]) -> list[Value]:
    """d(output)/d(x) for each x in `inputs`, as Values that can be differentiated again.

    A value `output` does not depend on gets Value(0.0). The values equal those `backward()` puts
    in `x.grad` (for leaves starting from 0). Each value's gradient is one `sum` node of what its
    edges bring, in backward()'s order; an edge whose factor is a constant 0 brings nothing.
    """
    inputs = _listed(output, inputs, "grad")
    wanted = set(inputs)
    brought: dict[Value, list[Operand]] = {output: [1.0]}
    found: dict[Value, Operand] = {}
    order = topological_order(output)
    for node in reversed(order):  # each node has had all its parents: its sum is whole
        refuse_no_graph(node, output, "grad()")
        upstream = _total(brought.pop(node))
        if node in wanted:
            found[node] = upstream
        for child, local in zip(node.children, local_derivatives(node), strict=True):
            brought.setdefault(child, []).append(_product(local, upstream))
    graph = set(order)
    return [_new_value(found.get(x, 0.0), graph) for x in inputs]


def _product(local: Operand, upstream: Operand) -> Operand:
    """local × upstream, with the constants 1 and 0 taken as such (0 × a finite Value is 0)."""
    if type(upstream) is float and upstream == 1.0:
        return local
    if (type(local) is float and local == 0.0 and math.isfinite(number(upstream))) or (
        type(upstream) is float and upstream == 0.0 and math.isfinite(number(local))
    ):
        return 0.0
    return local * upstream


def _total(terms: list[Operand]) -> Operand:
    """The sum of an edge's contributions, in order, as backward() adds them (zeros add nothing)."""
    kept = [t for t in terms if not (type(t) is float and t == 0.0)]
    if not kept:
        return 0.0
    if len(kept) == 1 and not _negative_zero(number(kept[0])):  # backward() adds -0.0 to +0.0: +0.0
        return kept[0]
    if all(type(t) is float for t in kept):  # added left to right: sum() of floats rounds otherwise from Python 3.12
        return functools.reduce(operator.add, cast(list[float], kept), 0.0)
    return vsum(kept)


def hessian(output: Value, inputs: Iterable[Value]) -> list[list[float]]:
    """The matrix of second derivatives d²(output)/(dx_i dx_j), by grad() of each first derivative."""
    listed = _listed(output, inputs, "hessian")
    if modes_now().without_grad:
        raise RuntimeError(
            "hessian() differentiates the first derivatives that grad() builds as a graph, and no_grad() keeps "
            "grad() from recording it: call hessian() (or gradgradcheck) outside the no_grad() block"
        )
    return [[h.data for h in grad(first, listed)] for first in grad(output, listed)]


def _listed(output: Value, inputs: Iterable[Value], caller: str) -> list[Value]:
    """The inputs as a list (a generator is read once), or a TypeError saying what `caller` takes."""
    if isinstance(inputs, Value):
        raise TypeError(
            f"{caller}(output, inputs) needs a list of Values as inputs, got the one Value {inputs!r}: "
            f"write {caller}(output, [x]) for one"
        )
    try:
        listed: list[Value] | None = list(inputs)  # a sequence of __getitem__ alone too; a 0-d array not
    except TypeError:
        listed = None
    if listed is None and callable(getattr(inputs, "parameters", None)):
        raise TypeError(
            f"{caller}(output, inputs) needs a list of Values as inputs, got a model ({type(inputs).__name__}): "
            f"pass its parameters, {caller}(output, model.parameters())"
        )
    if not isinstance(output, Value) or listed is None or any(not isinstance(x, Value) for x in listed):
        raise TypeError(f"{caller}(output, inputs) needs a Value and a list of Values, got {output!r} and {inputs!r}")
    return listed


def local_derivatives(node: Value) -> list[Operand]:
    """d(node)/d(child) for each child of `node`, as Values: its op's rule, run on its operands."""
    refuse_own_backward(node, "grad()")
    op = node.operation
    if op is None:
        return []
    if not op.has_rules:
        labelled = f" ({on_one_line(node.label)})" if node.label else ""
        raise ValueError(
            f"grad() has no derivatives for the op {op.name!r}{labelled}: it was "
            f"made with make_node() by name; define it as an Op to differentiate it again (README: Adding an op)"
        )
    _refuse_changed(node)
    return list(op.local(node, *node.arguments)[: len(node.children)])


def _refuse_changed(node: Value) -> None:
    """Raise where node's operands no longer give its value or the local derivatives it keeps: a value it
    was computed from was changed after the graph was built (w.data = ...). backward() then uses the
    local derivatives the node keeps, from the old numbers; grad() would mix the old value with the new
    operands, which is neither. (x * x keeps its value where x.data goes from 2 to -2, not its slopes.)"""
    op = node.operation
    assert op is not None
    try:
        numbers = [real(number(x), f"an operand of {op.name}()") for x in node.arguments]  # as the engine read them
        now = op.value(*numbers)
        slopes = tuple(op.local(now, *numbers)[: len(node.children)])
    except NoKernel:
        return  # an op registered by name with derivatives only: its value cannot be computed again to compare
    except (ArithmeticError, ValueError, TypeError) as error:
        raise _changed(node, f"they now raise {type(error).__name__}: {error}, it holds {node.data}") from error
    if _differs(now, node.data):
        raise _changed(node, f"they now give {now}, it holds {node.data}")
    if slopes != node.local_grads and any(map(_differs, slopes, node.local_grads)):  # NaN is no NaN to !=
        raise _changed(
            node,
            f"they still give its value, but now the local derivatives {slopes}, where it keeps {node.local_grads}",
        )


def _differs(now: float, then: float) -> bool:
    """Whether a number computed again differs from the one kept (NaN is NaN; 0.0 is -0.0, as for ==)."""
    return now != then and not (now != now and then != then)


def _changed(node: Value, now: str) -> ValueError:
    """The error of a node whose operands were changed after it was computed; `now` says what they give."""
    op = node.operation
    assert op is not None
    return ValueError(
        f"grad() cannot go through the {op.name!r} op{f' labelled {node.label!r}' if node.label else ''}: "
        f"its operands were changed after it was computed ({now}); compute the output again from the current values"
    )


def _new_value(x: Operand, graph: set[Value]) -> Value:
    """A derivative as a Value of its own: a number as a leaf, and a value of the output's graph (d(x*w)/dx
    is w itself) as a sum node of it alone, so that labelling or changing it leaves the graph as it was."""
    if not isinstance(x, Value):
        return Value(float(x))
    return vsum([x]) if x in graph else x


def _negative_zero(x: float) -> bool:
    return x == 0.0 and math.copysign(1.0, x) < 0
