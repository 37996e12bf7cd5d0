"""The engine: a scalar `Value` that remembers how it was made, and reverse mode over it.

Every node stores its children and, for each child, the local derivative d(node)/d(child),
fixed when the node is made (a node with one child keeps the child and its derivative without
a tuple: most nodes have one, and the saving is a third of a graph's memory). `backward()` is
then the chain rule applied once, generically:

    dE/d(child) += d(node)/d(child) * dE/d(node)

for every edge, visiting nodes in reverse topological order.

NaN and infinity: a Value may hold them, and every op passes a NaN on (relu of NaN is NaN, not
0), so a wrong number is never hidden. An op raises where its math is undefined (log of 0, a
negative base to a fractional power). `detect_anomaly()` names the first op whose value or
gradient is not finite, and nn's SGD refuses to step with one.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import filterfalse
from numbers import Real
from typing import Any, TypeVar, Union, cast

from autograd import collector

Operand = Union["Value", float, int]
T = TypeVar("T")


class Value:
    """A scalar with a gradient, and the edges to the values it was computed from."""

    __slots__ = ("_children", "_local_grads", "_operands", "_operation", "data", "grad", "label")

    def __init__(self, data: float, label: str = "", *micrograd_arguments: object) -> None:
        if micrograd_arguments or not isinstance(label, str):
            raise TypeError(
                "Value(data, label) makes a leaf, and its second argument is a label string. To compute a "
                "value from others, as micrograd's Value(data, (a, b), '*') does, use "
                "make_node(data, children, local_grads, op): it also needs d(data)/d(child) for each child"
            )
        self.data = _as_float(data)
        self.grad = 0.0
        self.label = label
        self._operation = ""
        self._children: Children = ()
        self._local_grads: LocalGrads = ()
        self._operands: Operands = None

    def __repr__(self) -> str:
        named = f"label={self.label!r}, " if self.label else ""
        return f"Value({named}data={self.data}, grad={self.grad})"

    def __float__(self) -> float:
        """Refused: float(x), math.exp(x) and the like would drop x's gradient without a word."""
        raise TypeError(
            f"a Value cannot become a plain float here: float() and Python's math functions would drop its "
            f"gradient. Use the Value's own ops (x.exp(), x.log(), x.tanh(), x.sigmoid(), x.relu(), x ** 0.5), "
            f"or x.data for the number ({self.data})"
        )

    def __format__(self, spec: str) -> str:
        """Formats the number, as f"{x:.4f}" does for a float (a string keeps no gradient to lose)."""
        return format(self.data, spec) if spec else repr(self)

    @property
    def op(self) -> str:
        """The operation that made this value ("" for a leaf)."""
        return self._operation

    @property
    def _op(self) -> str:
        """micrograd's name for `op` (read-only), so its trace and draw_dot code run unchanged."""
        return self._operation

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name for the set of children (read-only; `children` keeps their order)."""
        return set(self.children)

    @property
    def children(self) -> tuple[Value, ...]:
        """The values this one was computed from, in order (one per edge)."""
        kids = self._children
        return kids if type(kids) is tuple else (cast(Value, kids),)

    @property
    def operands(self) -> tuple[Value | float, ...]:
        """The operands as written, in order: the children, and any plain number (as in `x * 2`)."""
        stored = self._operands
        if stored is None:
            return self.children
        if type(stored) is float:  # the common x op c, kept without a tuple
            return (cast(Value, self._children), stored)
        return cast(tuple[Value | float, ...], stored)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(child) for each entry of `children`."""
        local = self._local_grads
        return local if type(local) is tuple else (cast(float, local),)

    # -- arithmetic: each op states its value and its local derivatives --------------------
    # A plain number operand (x * 2) makes no edge; it is kept as the node's operand.

    def __add__(self, other: Operand) -> Value:
        """x + y; d/dx = 1, d/dy = 1."""
        if type(other) is Value:
            return _node(self.data + other.data, (self, other), (1.0, 1.0), "+")
        c = other if type(other) is float else _constant(other)
        if c is None:
            return NotImplemented
        return _node(self.data + c, self, 1.0, "+", c)

    __radd__ = __add__  # 2 + x is x + 2

    def __sub__(self, other: Operand) -> Value:
        """x - y; d/dx = 1, d/dy = -1."""
        if type(other) is Value:
            return _node(self.data - other.data, (self, other), (1.0, -1.0), "-")
        c = other if type(other) is float else _constant(other)
        if c is None:
            return NotImplemented
        return _node(self.data - c, self, 1.0, "-", c)

    def __rsub__(self, other: Operand) -> Value:
        """c - x; d/dx = -1."""
        c = other if type(other) is float else _constant(other)
        if c is None:
            return NotImplemented
        return _node(c - self.data, self, -1.0, "-", (c, self))

    def __mul__(self, other: Operand) -> Value:
        """x * y; d/dx = y, d/dy = x."""
        if type(other) is Value:
            return _node(self.data * other.data, (self, other), (other.data, self.data), "*")
        c = other if type(other) is float else _constant(other)
        if c is None:
            return NotImplemented
        return _node(self.data * c, self, c, "*", c)

    __rmul__ = __mul__  # 2 * x is x * 2

    def __truediv__(self, other: Operand) -> Value:
        return _binary("/", self, other, _div)

    def __rtruediv__(self, other: Operand) -> Value:
        return _binary("/", other, self, _div)

    def __pow__(self, other: Operand) -> Value:
        return _binary("**", self, other, _pow)

    def __rpow__(self, other: Operand) -> Value:
        return _binary("**", other, self, _pow)

    def __neg__(self) -> Value:
        """-x; d/dx = -1."""
        return _node(-self.data, self, -1.0, "neg")

    # -- functions ------------------------------------------------------------------------

    def exp(self) -> Value:
        """e^x; d/dx = e^x."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp() overflows for {self.data} (the largest argument is about 709.78)") from None
        return _node(out, self, out, "exp")

    def log(self) -> Value:
        """Natural logarithm; d/dx = 1/x."""
        x = self.data
        if not x > 0:
            raise ValueError(f"log() needs a positive value, got {x}")
        return _node(math.log(x), self, 1.0 / x, "log")

    def tanh(self) -> Value:
        """tanh x; d/dx = 1 - tanh² x."""
        t = math.tanh(self.data)
        return _node(t, self, 1.0 - t * t, "tanh")

    def sigmoid(self) -> Value:
        """The logistic function σ(x) = 1 / (1 + e^-x); d/dx = σ(x)(1 - σ(x)).

        Computed as e^x / (1 + e^x) for negative x, so that e^-x never overflows.
        """
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return _node(s, self, s * (1.0 - s), "sigmoid")

    def relu(self) -> Value:
        """max(0, x); d/dx = 1 for x > 0, else 0. A NaN stays NaN, with a NaN derivative."""
        x = self.data
        if x > 0:
            return _node(x, self, 1.0, "relu")
        if x <= 0:
            return _node(0.0, self, 0.0, "relu")
        return _node(x, self, x, "relu")  # NaN: on neither side of the kink

    # -- reverse mode -----------------------------------------------------------------------

    def backward(self) -> None:
        """Fill `grad` of every value this one depends on with d(self)/d(value).

        Leaves (values not computed from others, such as parameters) accumulate across
        calls, as in PyTorch: call `zero_grad` between steps. Computed values hold the
        gradient of the latest call. A node whose gradient is 0 (behind a dead relu, say) is
        passed over: its edges would add only zeros, unless a local derivative is inf or NaN.
        The garbage collector is paused during the pass (see `autograd.collector`).
        """
        isfinite, checking = math.isfinite, _anomaly
        with collector.paused():
            order = _depth_first(self, reset_grads=True)
            self.grad += 1.0
            for node in reversed(order):
                kids, upstream = node._children, node.grad
                if type(kids) is tuple:
                    if upstream == 0.0 and isfinite(sum(node._local_grads)):  # type: ignore[arg-type]
                        continue  # it would add only zeros (0 × inf would be NaN, so those run)
                    # zip() with strict= is a keyword call, slower for every node; the lengths match by construction
                    for child, local in zip(kids, node._local_grads):  # type: ignore[arg-type]  # noqa: B905
                        child.grad += local * upstream
                else:  # one child, kept without a tuple
                    kids.grad += node._local_grads * upstream  # type: ignore[operator, union-attr]
                if checking:
                    _check_gradients(node)


def make_node(
    data: float,
    children: Sequence[Value],
    local_grads: Sequence[float],
    op: str,
    label: str = "",
    operands: tuple[Value | float, ...] | None = None,
) -> Value:
    """The value `data` computed by `op` from `children`, with d(data)/d(child) in `local_grads`.

    This is how every op is built, and how a user adds one: state the value and the local
    derivatives, and `backward()` does the rest. `operands` lists every operand in order where
    some are plain numbers (x * 2 has (x, 2.0)). Inside `no_grad()` the node keeps no edges.
    """
    kids, local = tuple(children), tuple(local_grads)
    if len(kids) == 1:
        return _node(data, kids[0], local[0], op, operands, label)
    return _node(data, kids, local, op, operands, label)


Children = Union["Value", tuple["Value", ...]]  # one child alone, or a tuple of them (none for a leaf)
LocalGrads = float | tuple[float, ...]  # in step with the children
Operands = float | tuple["Value | float", ...] | None  # None: the children; a float c: (child, c)


def _node(
    data: float,
    children: Children,
    local_grads: LocalGrads,
    op: str,
    operands: Operands = None,
    label: str = "",
) -> Value:
    """A new node: `children` and `local_grads` are one child and its float, or tuples of them."""
    node = _new_value(Value)
    node.data = data
    node.grad = 0.0
    node.label = label
    node._operation = op
    node._children = children
    node._local_grads = local_grads
    node._operands = operands
    if _anomaly and not math.isfinite(data):
        _report_value(node, node.operands)
    if not _recording:  # no_grad(): the node keeps no edges
        node._children = node._local_grads = ()
        node._operands = None
    elif not collector.settled:  # the first graph: see autograd.collector
        collector.raise_threshold()
    return node


_new_value = Value.__new__


# -- modes: recording edges, and watching for NaN and infinity ----------------------------------

_recording = True  # False inside no_grad()
_anomaly = False  # True inside detect_anomaly()


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute values without recording edges: nodes made inside have no children, so no graph
    is kept and backward() reaches nothing through them. For evaluation and hand-written updates."""
    global _recording
    before, _recording = _recording, False
    try:
        yield
    finally:
        _recording = before


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise FloatingPointError at the first op whose value, or whose gradient in backward(), is NaN
    or infinite, naming the op, its label and its operands' values. Off by default: it checks every node."""
    global _anomaly
    before, _anomaly = _anomaly, True
    try:
        yield
    finally:
        _anomaly = before


def _report_value(node: Value, operands: Iterable[Value | float]) -> None:
    raise FloatingPointError(f"detect_anomaly: {_describe(node)} computed {node.data} from {_values(operands)}")


def _check_gradients(node: Value) -> None:
    for k, (child, local) in enumerate(zip(node.children, node.local_grads, strict=False)):
        if not math.isfinite(child.grad):
            raise FloatingPointError(
                f"detect_anomaly: in backward(), {_describe(node)} (operands {_values(node.operands)}) sent "
                f"{local} * {node.grad} = {local * node.grad} to its operand {k + 1}"
                f"{f' ({child.label})' if child.label else ''}, whose gradient became {child.grad}"
            )


def _describe(node: Value) -> str:
    return f"the {node.op!r} op{f' labelled {node.label!r}' if node.label else ''}"


def _values(operands: Iterable[Value | float]) -> str:
    return ", ".join(f"{v.label}={v.data}" if isinstance(v, Value) and v.label else str(_data(v)) for v in operands)


def topological_order(root: Value) -> list[Value]:
    """Every value `root` depends on, each after all of its children, `root` last."""
    return _depth_first(root, reset_grads=False)


def _depth_first(root: Value, reset_grads: bool) -> list[Value]:
    """topological_order, setting each computed value's grad to 0 on the way when `reset_grads`.

    Iterative depth-first search, so a graph a million nodes deep needs no recursion. A node is
    pushed, then a marker (None), then its children not yet seen; popping the marker finishes it.
    A node whose children have all been seen is finished at once: in a graph without cycles a
    child seen is a child finished. Most are such (a layer's weights and inputs are seen by the
    first neuron), and one C-level subset test of the children is cheaper than filtering them.
    """
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[Any] = [root]  # Values, and None markers (typed Any: no cast() call in this loop)
    pop, see, finish, unseen, all_seen = stack.pop, seen.add, order.append, seen.__contains__, seen.issuperset
    while stack:
        node = pop()
        if node is None:  # all of the node below's children are in `order`
            node = pop()
            if reset_grads:
                node.grad = 0.0
            finish(node)
        elif node not in seen:
            see(node)
            kids = node._children
            if type(kids) is not tuple:  # one child, kept without a tuple
                stack += (node, None, kids)
            elif all_seen(kids):  # a leaf (no children), or a node whose children are all in `order`
                if reset_grads and kids:
                    node.grad = 0.0
                finish(node)
            else:
                stack += (node, None)
                stack += filterfalse(unseen, kids)
    return order


def zero_grad(values: Iterable[Value]) -> None:
    """Set the gradient of each value back to 0."""
    for v in values:
        v.grad = 0.0


# -- n-ary nodes: one node with many edges, instead of a chain of binary ones --------------


def vsum(terms: Iterable[Operand], label: str = "") -> Value:
    """t1 + t2 + ... + tn as one node; d/dti = 1. Its operands are all the terms, numbers included."""
    total = 0.0
    operands: list[Value | float] = []
    for t in terms:
        operands.append(t if isinstance(t, Value) else _as_float(t))
        total += _data(operands[-1])
    children = [t for t in operands if isinstance(t, Value)]
    return make_node(total, children, (1.0,) * len(children), "sum", label, tuple(operands))


def dot(weights: Iterable[Operand], inputs: Iterable[Operand], bias: Operand = 0.0, label: str = "") -> Value:
    """w·x + b = w1 x1 + ... + wn xn + b as one node; d/dwi = xi, d/dxi = wi, d/db = 1.

    Its edges, in order: the bias, then each weight and its input, each where it is a Value.
    Its operands are all of them, numbers included: (b, w1, x1, w2, x2, ...).
    """
    return dots([weights], inputs, [bias], [label])[0]


def dots(
    rows: Iterable[Iterable[Operand]],
    inputs: Iterable[Operand],
    biases: Iterable[Operand],
    labels: Iterable[str] | None = None,
) -> list[Value]:
    """W·x + b, one `dot` node per row of weights and its bias, all over the same inputs: the net
    inputs of a layer. The same nodes as `dot` makes row by row; what depends on the inputs alone
    is worked out once."""
    xs = list(inputs)
    weights = [ws if isinstance(ws, list) else list(ws) for ws in rows]
    biases = list(biases)
    labels = [""] * len(weights) if labels is None else list(labels)
    if not len(weights) == len(biases) == len(labels):
        raise ValueError(
            f"dots() needs a bias and a label per row of weights, "
            f"got {len(weights)} rows, {len(biases)} biases and {len(labels)} labels"
        )
    if set(map(len, weights)) - {len(xs)}:
        wrong = next(len(ws) for ws in weights if len(ws) != len(xs))
        raise ValueError(f"dot() needs one input per weight, got {wrong} weights and {len(xs)} inputs")
    xd = _numbers(xs)
    data = None if xd is None else _data_of_values(weights, biases)
    if xd is None or data is None:
        return [_dot_of_any(ws, xs, b, label) for ws, b, label in zip(weights, biases, labels, strict=True)]
    return _dots_of_values(cast(list[list[Value]], weights), data, xs, xd, cast(list[Value], biases), labels)


def _data_of_values(rows: list[list[Operand]], biases: list[Operand]) -> list[list[float]] | None:
    """The numbers of the weights, row by row, where every weight and bias is a Value (the usual
    layer); None otherwise."""
    if operator.countOf(map(type, biases), Value) != len(biases):
        return None
    data = [[w.data for w in ws if type(w) is Value] for ws in rows]
    return data if sum(map(len, data)) == sum(map(len, rows)) else None


def _dots_of_values(
    weights: list[list[Value]],
    data: list[list[float]],
    xs: list[Operand],
    xd: list[float],
    biases: list[Value],
    labels: list[str],
) -> list[Value]:
    """The usual layer: dot nodes of rows whose weights (`data`: their numbers) and biases are all
    Values, over inputs that are all Values or all numbers (`xd`: their numbers)."""
    nodes = []
    pairs: list[Any] = _interleave(xs, xs)  # the operands w1, x1, w2, x2, ...: the w's set per row
    if _are_values(xs):  # every operand is an edge
        slopes = _interleave(xd, xd)  # x1, w1, x2, w2, ...: d/dw1, d/dx1, ...: the w's set per row
        for ws, wd, bias, label in zip(weights, data, biases, labels, strict=True):
            pairs[::2], slopes[1::2] = ws, wd
            total = _weighted_sum(bias.data, wd, xd)
            nodes.append(_node(total, (bias, *pairs), (1.0, *slopes), "dot", None, label))
    else:  # the edges are the bias and the weights
        slopes_of_weights = (1.0, *xd)
        for ws, wd, bias, label in zip(weights, data, biases, labels, strict=True):
            pairs[::2] = ws
            total = _weighted_sum(bias.data, wd, xd)
            nodes.append(_node(total, (bias, *ws), slopes_of_weights, "dot", (bias, *pairs), label))
    return nodes


def _weighted_sum_in_order(start: float, ws: list[float], xs: list[float]) -> float:
    """start + w1 x1 + w2 x2 + ..., added left to right, as _dot_of_any and compiled code add."""
    total = start
    for w, x in zip(ws, xs):  # noqa: B905  # one length by construction; strict= is a keyword call per row
        total += w * x
    return total


def _weighted_sum_by_sum(start: float, ws: list[float], xs: list[float]) -> float:
    """The same sum, by sum(): up to Python 3.11 it adds floats left to right too, in C, faster."""
    return sum(map(operator.mul, ws, xs), start)


# From Python 3.12 sum() of floats compensates (Neumaier), which rounds otherwise than the
# compiled line b + w1 * x1 + ... and _dot_of_any's loop; there the loop adds.
_weighted_sum = _weighted_sum_by_sum if sys.version_info < (3, 12) else _weighted_sum_in_order


def _numbers(items: list[Operand]) -> list[float] | None:
    """The numbers behind items that are all Values or all plain numbers; None when they mix."""
    data = [x.data for x in items if type(x) is Value]
    if len(data) == len(items):
        return data
    if not data and set(map(type, items)) <= {float, int}:
        return list(map(float, items))
    return None


def _are_values(items: list[Operand]) -> bool:
    """Whether items that are all Values or all numbers are Values."""
    return bool(items) and type(items[0]) is Value


def _interleave(first: list[T], second: list[T]) -> list[T]:
    """[a1, b1, a2, b2, ...]."""
    both: list[T] = first + second
    both[::2], both[1::2] = first, second
    return both


def _dot_of_any(ws: list[Operand], xs: list[Operand], bias: Operand, label: str) -> Value:
    """dot() of any operands, Values and numbers mixed as they come: one element at a time. The
    node is the one _dots_of_values makes, where its operands are such."""
    total = _data(bias)
    children = [bias] if isinstance(bias, Value) else []
    local_grads = [1.0] * len(children)
    for w, x in zip(ws, xs, strict=True):
        wd = w.data if isinstance(w, Value) else _as_float(w)
        xd = x.data if isinstance(x, Value) else _as_float(x)
        total += wd * xd
        if isinstance(w, Value):
            children.append(w)
            local_grads.append(xd)
        if isinstance(x, Value):
            children.append(x)
            local_grads.append(wd)
    operands = (bias, *_interleave(ws, xs))
    return make_node(total, children, local_grads, "dot", label, operands)


# -- the binary ops: each gives (value, d/dx, d/dy) ---------------------------------------

BinaryOp = Callable[[float, float, bool], tuple[float, float, float]]


def _binary(op: str, x: Operand, y: Operand, forward: BinaryOp) -> Value:
    """The node x `op` y, where one operand may be a plain number (which makes no edge)."""
    x_data, y_data = _operand_data(x), _operand_data(y)
    if x_data is None or y_data is None:
        return NotImplemented  # type: ignore[no-any-return]  # Python then raises TypeError
    out, dx, dy = forward(x_data, y_data, isinstance(y, Value))
    if isinstance(x, Value) and isinstance(y, Value):
        return _node(out, (x, y), (dx, dy), op)
    if isinstance(x, Value):
        return _node(out, x, dx, op, y_data)
    return _node(out, cast(Value, y), dy, op, (x_data, cast(Value, y)))


def _div(x: float, y: float, _: bool) -> tuple[float, float, float]:
    if y == 0:
        raise ZeroDivisionError(f"division by zero: {x} / {y}")
    q = x / y
    return q, 1.0 / y, -q / y


def _pow(x: float, y: float, y_is_value: bool) -> tuple[float, float, float]:
    """x^y; d/dx = y x^(y-1), d/dy = x^y log x (needed only when y is a Value)."""
    out = _power(x, y)
    if x == 0 and 0 < y < 1:
        raise ZeroDivisionError(f"x ** {y} has no finite derivative at x = {x}")
    dx = y * _power(x, y - 1) if y != 0 else 0.0
    if not y_is_value:
        return out, dx, 0.0
    if x > 0:
        return out, dx, out * math.log(x)
    if x == 0 and y > 0:
        return out, dx, 0.0
    raise ValueError(f"x ** y with y a Value needs x > 0 (d/dy = x**y * log x), got x={x}, y={y}")


def _power(x: float, y: float) -> float:
    """x^y as a real number, or a clear error where it is not one."""
    if x < 0 and not float(y).is_integer():
        raise ValueError(f"a negative base needs an integer exponent, got {x} ** {y}")
    if x == 0 and y < 0:
        raise ZeroDivisionError(f"0 cannot be raised to a negative power, got {x} ** {y}")
    try:
        return float(x**y)
    except OverflowError:
        raise OverflowError(f"{x} ** {y} overflows") from None


# -- operands ---------------------------------------------------------------------------------


def _constant(x: object) -> float | None:
    """A plain number operand as a float, or None when it is not a real number."""
    if type(x) is float:
        return x
    if type(x) is int:
        return float(x)
    return float(x) if isinstance(x, Real) else None


def _operand_data(x: object) -> float | None:
    """The number behind an operand, or None when it is neither a Value nor a real number."""
    return x.data if isinstance(x, Value) else _constant(x)


def _data(x: Operand) -> float:
    return x.data if isinstance(x, Value) else _as_float(x)


def _as_float(x: object) -> float:
    if type(x) is float:
        return x
    if isinstance(x, Real):
        return float(x)
    raise TypeError(f"a Value needs a real number, got {x!r} ({type(x).__name__})")
