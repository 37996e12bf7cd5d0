"""Sums and dot products as one node each: vsum, dot, dots and neurons.

b + w1 x1 + ... + wn xn made of binary ops is a chain of 2n nodes; as one DOT node it is one node
with an edge to each operand, and its local derivatives are read off at once (d/db = 1, d/dwi = xi,
d/dxi = wi). A network's layers are made of such nodes, so this module also holds the engine's fast
path for a whole layer, fenced and labelled below: it makes the very nodes the records make.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from operator import countOf
from typing import Any

from autograd.engine import (
    DOT,
    DOT_PLUS_CONSTANT,
    EXP,
    LOG,
    NEG,
    RELU,
    SIGMOID,
    SUM,
    TANH,
    Op,
    Operand,
    Value,
    counted,
    depends_on,
    in_mode,
    label_given,
    new_node,
    not_a_list,
    ordered,
    real,
    run_op,
)
from autograd.modes import PLAIN, modes_now


def vsum(terms: Iterable[Operand], label: str | None = "") -> Value:
    """t1 + t2 + ... + tn as one node; d/dti = 1. Numbers alone make a leaf holding their sum."""
    needs = "the terms as a list (or another iterable in order)"
    if getattr(terms, "ndim", 1) not in (0, 1):
        raise TypeError(f"vsum() takes {needs}, got an array of shape {getattr(terms, 'shape', '?')}")
    total = run_op(SUM, tuple(ordered(terms, "vsum()", needs)), "vsum()")
    total = total if isinstance(total, Value) else Value(total)
    total.label = label_given(label, "vsum()")
    return total


def dot(weights: Iterable[Operand], inputs: Iterable[Operand], bias: Operand = 0.0, label: str | None = "") -> Value:
    """w·x + b = b + w1 x1 + ... + wn xn as one node; d/db = 1, d/dwi = xi, d/dxi = wi.

    Its operands are the bias where it is a Value, the weights, the inputs, then the bias where
    it is a number; the inputs come before the weights where only they are Values. A number
    that would still come before a Value there becomes a leaf Value holding it.
    """
    ws, xs = (
        _listed(weights, "dot()", f"the weights {_AS_NUMBERS}"),
        _listed(inputs, "dot()", f"one example's inputs {_AS_NUMBERS}"),
    )
    if len(ws) != len(xs):
        raise ValueError(
            f"dot() needs one input per weight, got {counted(len(ws), 'weight')} and {counted(len(xs), 'input')}"
        )
    node = _dot_node(ws, xs, bias, "dot")
    node.label = label_given(label, "dot()")
    return node


def _dot_node(ws: list[Operand], xs: list[Operand], bias: Operand, caller: str) -> Value:
    """The node of dot(ws, xs, bias), unlabelled, once `caller` (dot, dots or neurons) has checked that
    there is one input per weight; a number or a Value's data that is no number named as caller's."""
    made = _layer([ws], xs, [bias], [None])
    if made is not None:
        return made[0][0]
    _numbers_or_values(caller, [ws], xs, [bias])
    if not any(isinstance(w, Value) for w in ws):
        ws, xs = xs, ws  # w·x is x·w, to the bit: the Values first
    if isinstance(bias, Value):
        node = run_op(DOT, (bias, *ws, *xs), f"{caller}()")
    else:
        node = run_op(DOT_PLUS_CONSTANT, (*ws, *xs, bias), f"{caller}()")
    return node if isinstance(node, Value) else Value(node)  # numbers only: a leaf


def _numbers_or_values(caller: str, rows: list[list[Operand]], xs: list[Operand], biases: list[Operand]) -> None:
    """Refuse an input, a bias or a weight that is neither a Value nor a real number, naming it as caller's."""
    for what, operands in (("an input", xs), ("a bias", biases), ("a weight", chain.from_iterable(rows))):
        for x in operands:
            if not isinstance(x, Value):
                real(x, f"{what} of {caller}()")


def dots(
    rows: Iterable[Iterable[Operand]],
    inputs: Iterable[Operand],
    biases: Iterable[Operand],
    labels: Iterable[str | None] | None = None,
) -> list[Value]:
    """W·x + b: a `dot` node per row of weights and its bias, over the same inputs."""
    weights, bs = _rows(rows, "dots()"), _listed(biases, "dots()", f"the biases {_AS_NUMBERS}")
    if isinstance(labels, (str, bytes)):
        raise TypeError(f"dots() takes a label per row of weights, a list of strings, got {labels!r}")
    names = [""] * len(weights) if labels is None else [label_given(name, "dots()") for name in labels]
    xs = _listed(inputs, "dots()", f"one example's inputs {_AS_NUMBERS}")
    _one_per_row("dots", weights, len(xs), bias=bs, label=names)
    nets, _ = _neurons("dots", weights, xs, bs, [None] * len(weights))
    for net, name in zip(nets, names):  # noqa: B905  # as many, checked above
        net.label = name
    return nets


def neurons(
    rows: Iterable[Iterable[Operand]],
    inputs: Iterable[Operand],
    biases: Iterable[Operand],
    activations: Iterable[Callable[[Value], Value] | None],
) -> tuple[list[Value], list[Value]]:
    """Neurons reading the same inputs: for each row of weights, its bias and its activation (an op
    record such as autograd.engine.RELU, which is nn.ACTIVATIONS["relu"], or any function of a
    Value), the net input net = w·x + b (a `dot` node) and the output activation(net), or net
    itself where the activation is None. Gives the nets and the outputs, unlabelled."""
    weights = rows if type(rows) is list and countOf(map(type, rows), list) == len(rows) else _rows(rows, "neurons()")
    xs, bs = (
        _listed(inputs, "neurons()", f"one example's inputs {_AS_NUMBERS}"),
        _listed(biases, "neurons()", f"the biases {_AS_NUMBERS}"),
    )
    ops = _listed(activations, "neurons()", "the activations as a list, one op record, function or None per row")
    _one_per_row("neurons", weights, len(xs), bias=bs, activation=ops)
    return _neurons("neurons", weights, xs, bs, ops)


def _neurons(
    caller: str, rows: list[list[Operand]], xs: list[Operand], biases: list[Operand], activations: list[Any]
) -> tuple[list[Value], list[Value]]:
    """neurons() once `caller` (neurons or dots) has checked that the rows and columns fit."""
    made = _layer(rows, xs, biases, activations)
    if made is not None:
        return made
    nets = [_dot_node(ws, xs, b, caller) for ws, b in zip(rows, biases)]  # noqa: B905  # as many, checked by the caller
    return nets, [net if op is None else _activated(op, net) for net, op in zip(nets, activations)]  # noqa: B905


_AS_NUMBERS = "as a list of numbers or Values"  # how _listed's callers say what they take


def _listed(items: Iterable[Any], caller: str, takes: str) -> list[Any]:
    """items as a list, or an error saying that `caller` `takes` ("one example's inputs as a list of ...")
    where they are none: a lone number or Value, text or bytes, a set (no order) or a dict, an array of
    other than one dimension, or a list of lists (a batch)."""
    if type(items) is not list:  # a list needs only the last check
        dimensions = getattr(items, "ndim", 1)  # a numpy array's or number's
        if dimensions not in (0, 1):
            raise TypeError(f"{caller} takes {takes}, got an array of shape {getattr(items, 'shape', '?')}")
        if dimensions == 0 or not_a_list(items):
            raise TypeError(f"{caller} takes {takes}, got {items!r} ({type(items).__name__})")
    listed = list(items)
    if listed and type(listed[0]) in (list, tuple):
        raise TypeError(f"{caller} takes {takes}, got a {type(items).__name__} of {type(listed[0]).__name__}s")
    return listed


def _rows(rows: Iterable[Iterable[Operand]], caller: str) -> list[list[Operand]]:
    """The rows of weights as lists, or an error naming what is not a row."""
    needs = "rows of weights (a list of lists)"
    return [list(ordered(ws, caller, needs, " as a row")) for ws in ordered(rows, caller, needs)]


def _one_per_row(caller: str, rows: list[list[Any]], inputs: int, **columns: list[Any]) -> None:
    """Raise unless each column (the biases, ...) has one entry per row of weights, and each row one
    weight per input, naming the counts."""
    if countOf(map(len, columns.values()), len(rows)) != len(columns):
        needs = " and ".join(f"{'an' if name[0] in 'aeiou' else 'a'} {name}" for name in columns)
        counts = " and ".join(counted(len(column), name) for name, column in columns.items())
        raise ValueError(f"{caller}() needs {needs} per row of weights, got {counted(len(rows), 'row')}, {counts}")
    if countOf(map(len, rows), inputs) != len(rows):
        k, row = next((k, row) for k, row in enumerate(rows, 1) if len(row) != inputs)
        raise ValueError(
            f"{caller}() needs one weight per input in each row, got {counted(len(row), 'weight')} in row {k} "
            f"for {counted(inputs, 'input')}"
        )


def _activated(activation: Callable[[Value], Value], net: Value) -> Value:
    """activation(net), or a TypeError where the activation is not a function or gives something other
    than a Value computed from net (the weights' gradients would be lost)."""
    if not callable(activation):
        raise TypeError(
            f"neurons() takes as each activation an op record (autograd.engine.RELU), a function of a Value, or "
            f"None; got {activation!r} ({type(activation).__name__})"
        )
    out = activation(net)
    if not isinstance(out, Value) or not depends_on(out, net):
        raise TypeError(
            f"the activation {getattr(activation, '__name__', activation)!r} gave {out!r} ({type(out).__name__}) "
            f"for the net input {net.data}; it needs to give a Value computed from it, as net.relu() does, or a "
            f"gradient would be lost"
        )
    return out


# Fast path (one of two; the other is in Value.backward()): a layer of neurons, the nodes a network
# makes most. Where every weight and bias is a Value, the inputs are all Values or all floats, and
# each activation is one of the engine's own records (or None), the inputs' numbers are read once for
# all the rows, and each row makes the very nodes that DOT and its activation's record make (the
# tests check it), as engine._node makes them, without their general handling of operands.


def _layer(
    rows: list[list[Any]], xs: list[Any], biases: list[Any], ops: list[Any]
) -> tuple[list[Value], list[Value]] | None:
    n, width = len(xs), len(rows)  # each row of n weights: neurons() and dot() checked it
    if (
        countOf(map(type, biases), Value) != width
        or countOf(map(type, chain.from_iterable(rows)), Value) != n * width
        or not _own_activations(ops)  # an op or function of one's own: called as it is
    ):
        return None
    xd = [x.data for x in xs] if countOf(map(type, xs), Value) == n else xs
    if countOf(map(type, xd), float) != n:
        return None  # inputs of mixed kinds, or data set to an int or a numpy number
    values = xd is not xs  # the inputs are children too, with the weights as their derivatives
    nets: list[Value] = []
    outs: list[Value] = []
    try:
        for ws, b, op in zip(rows, biases, ops):  # noqa: B905  # neurons() checked the lengths
            nets.append(_layer_dot(ws, b, xs, xd, values))
            outs.append(nets[-1] if op is None else _layer_activation(op, nets[-1]))
    except (ArithmeticError, TypeError, ValueError):
        return None  # DOT's or the activation's general handling names the operand or the error
    modes = modes_now()
    if modes is not PLAIN:  # each node as engine._node makes it in the mode, in the order the general way makes them
        for net, out in zip(nets, outs):  # noqa: B905  # one each
            in_mode(net, modes)
            if out is not net:
                in_mode(out, modes)
    return nets, outs


def _layer_dot(ws: list[Value], b: Value, xs: list[Any], xd: list[Any], values: bool) -> Value:
    """The dot node b + w·x of one row, from the inputs' numbers xd (xs are Values where `values`)."""
    total = b.data
    if type(total) is not float:
        raise TypeError  # the bias's data is another kind of number (a numpy array would be added to in place)
    if values:
        wd = [w.data for w in ws]
        if countOf(map(type, wd), float) != len(wd):
            raise TypeError  # a weight's data set to an int or a numpy number: the general way reads it
        for u, v in zip(wd, xd):  # noqa: B905  # as many, checked above
            total += u * v
        local = (1.0, *xd, *wd)
    else:
        for weight, v in zip(ws, xd):  # noqa: B905
            total += weight.data * v
        local = (1.0, *xd)
    if type(total) is not float:
        raise TypeError  # a numpy number, a complex or a string set as data: the general way reads it
    net = new_node(Value)
    net.data, net.grad, net.label, net._operation = total, 0.0, "", DOT
    net._operands, net._local_grads = (b, *ws, *xs), local
    return net


def _layer_activation(op: Op, net: Value) -> Value:
    """The node op(net), from the record's value and local derivative on net's number (the engine's own
    records give a float and a tuple of one float for a float)."""
    data = op.value(net.data)
    out = new_node(Value)
    out.data, out.grad, out.label, out._operation = data, 0.0, "", op
    out._operands, out._local_grads = (net,), op.local(data, net.data)
    return out


_OWN_ACTIVATIONS = frozenset({None, RELU, TANH, SIGMOID, EXP, LOG, NEG})  # the records the fast path runs


def _own_activations(ops: list[Any]) -> bool:
    """Whether each activation is one of the records the fast path runs (an unhashable one is not)."""
    try:
        return _OWN_ACTIVATIONS.issuperset(ops)
    except TypeError:
        return False
