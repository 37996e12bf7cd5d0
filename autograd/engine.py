"""The engine: a scalar `Value` that remembers how it was made, and reverse mode over it.

A Value is a number, `data`, with a gradient, `grad`. Each op makes a new Value (a node) that
keeps its operands and, for each operand that is a Value (a child), the local derivative
d(node)/d(child), worked out when the node is made:

    z = x * y     keeps the operands (x, y) and the local derivatives (y.data, x.data)
    z = x * 2     keeps the operands (x, 2.0) and the local derivative (2.0,): a plain number
                  is an operand but not a child, and has no derivative to keep

`backward()` then applies the chain rule, once, the same way for every node, visiting the
nodes from the root back to the leaves:

    dE/d(child) += d(node)/d(child) * dE/d(node)

Each op is an `Op` record, defined once below: its value and its local derivatives, each one
expression of the operands. The local derivatives are written with arithmetic and the ops
themselves, so the same expression runs on numbers (for `backward()`), on Values (for `grad()`,
whose derivatives can be differentiated again) and on the names of variables (for
`compile_backprop`, which writes it out as code). Drawings and `explain` read the record's symbol.

The file reads in that order: what a Value is (and backward()), the Op records with their math,
how a node is made from a record, the topological order, then the errors, how an operand is read
as a number, and how the engine's functions read their arguments. Sums and dot products as one
node (vsum, dot, neurons) are in autograd/sums.py, no_grad() and detect_anomaly() in
autograd/modes.py. Speed belongs to `compile_backprop`; the eager engine has two fast paths, each
labelled "Fast path" (one in backward(), one in sums.py), and neither changes a number or the
data model.

NaN and infinity: a Value may hold them, and every op passes a NaN on (relu of NaN is NaN, not
0), so a wrong number is never hidden. An op raises where its math is undefined (log of 0, a
negative base to a fractional power). `detect_anomaly()` names the first op whose value or
gradient is not finite, and nn's SGD refuses to step with one.
"""

from __future__ import annotations

import importlib
import inspect
import math
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import reduce
from numbers import Real
from operator import add
from typing import Any, Self, SupportsIndex, TypeGuard, Union, cast

from autograd.labels import on_one_line
from autograd.legacy import NoKernel
from autograd.modes import PLAIN, Modes, modes_now

Operand = Union["Value", float, int]


class Value:
    """A scalar with a gradient, and the edges to the values it was computed from."""

    __slots__ = ("__dict__", "_local_grads", "_operands", "_operation", "data", "grad", "label")
    data: float
    grad: float
    label: str
    _operands: tuple[Any, ...]  # the child Values first, then any plain numbers
    _local_grads: tuple[float, ...]  # d(self)/d(child), one per child
    _operation: Op | None  # None for a leaf

    def __new__(cls, *_: object, **__: object) -> Self:
        """A leaf without its number yet (__init__ gives it). So a value of a subclass whose own __init__
        sets only its data, as micrograd's subclasses do, is a leaf too."""
        leaf = super().__new__(cls)
        _emptied(leaf)
        return leaf

    def __init__(
        self, data: float, label: str = "", *micrograd_arguments: object, **micrograd_keywords: object
    ) -> None:
        if micrograd_arguments or micrograd_keywords or isinstance(label, tuple | list | set):
            raise TypeError(
                "Value(data, label) makes a leaf, and its second argument is a label string. To compute a "
                "value from others, as micrograd's Value(data, (a, b), '*') does, use an op (a * b), or "
                "make_node(data, children, local_grads, op): it also needs d(data)/d(child) for each child"
            )
        if not isinstance(label, str):
            raise TypeError(f"a Value's label is a string, got {label!r} ({type(label).__name__})")
        _emptied(self)  # called again on a value, __init__ makes it a new leaf
        self.data = real(data, "a Value")
        self.label = label

    def __init_subclass__(cls, **keywords: Any) -> None:
        """A subclass may add ops, methods and attributes, but not == or hash: a graph's Values are kept in
        sets and dicts, each as itself, and one taken for another equal to it would take its gradient."""
        super().__init_subclass__(**keywords)
        redefined = [name for name in ("__eq__", "__hash__") if getattr(cls, name) is not getattr(Value, name)]
        if redefined:
            raise TypeError(
                f"{cls.__name__}, a subclass of Value, cannot define {' or '.join(redefined)}: the engine tells "
                f"Values apart by identity, as Value does; compare their numbers instead (a.data == b.data)"
            )

    def __repr__(self) -> str:
        named = f"label={self.label!r}, " if self.label else ""
        return f"Value({named}data={self.data}, grad={self.grad})"

    # -- refused, as they would drop the gradient without a word: plain numbers and comparisons ---

    def __float__(self) -> float:
        """float(x), int(x), round(x), math.exp(x) and the like: refused, with what to write instead."""
        raise _no_plain_number(self)

    def __int__(self) -> int:
        raise _no_plain_number(self)

    def __round__(self, ndigits: int | None = None) -> float:
        raise _no_plain_number(self)

    def __abs__(self) -> Value:
        raise TypeError(f"abs() of a Value: write x.relu() + (-x).relu(), or abs(x.data) for the number ({self.data})")

    def __lt__(self, other: object) -> bool:
        """x < y, max(x, y), sorted(...): refused (as micrograd's are); compare the numbers, x.data > 0."""
        raise TypeError(
            f"Values are not ordered (an ordering keeps no gradient): compare their numbers, as in "
            f"x.data > 0 or max(values, key=lambda v: v.data) (this one holds {self.data})"
        )

    __le__ = __gt__ = __ge__ = __lt__

    def __format__(self, spec: str) -> str:
        """Formats the number, as f"{x:.4f}" does for a float (a string keeps no gradient to lose)."""
        return format(self.data, spec) if spec else repr(self)

    # -- how it was made ------------------------------------------------------------------------

    @property
    def operation(self) -> Op | None:
        """The op that made this value (None for a leaf)."""
        return self._operation

    @property
    def op(self) -> str:
        """The name of the op that made this value ("" for a leaf)."""
        return self._operation.name if self._operation else ""

    @property
    def children(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in order (one per edge)."""
        return self._operands[: len(self._local_grads)]

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(child) for each entry of `children`."""
        return self._local_grads

    @property
    def operands(self) -> tuple[Value | float, ...]:
        """Every operand as written, plain numbers included: (x, 2.0) for x * 2, (2.0, x) for 2 - x (an op
        written with its plain numbers first has them first, then its children in order)."""
        op = self._operation
        if op is None or not op.constant_first:
            return self._operands
        children = len(self._local_grads)
        return self._operands[children:] + self._operands[:children]

    @property
    def arguments(self) -> tuple[Value | float, ...]:
        """The operands in the order the op's record reads them: the children, then any plain numbers."""
        return self._operands

    @property
    def _op(self) -> str:
        """micrograd's name for `op`, so its trace and draw_dot code run unchanged."""
        return self.op

    @_op.setter
    def _op(self, _: object) -> None:
        raise _set_by_ops("_op")

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name for the set of children (`children` keeps their order)."""
        return set(self.children)

    @_prev.setter
    def _prev(self, _: object) -> None:
        raise _set_by_ops("_prev")

    # -- the ops: each method makes a node with the record of its op (below) ---------------------
    # A plain number operand (x * 2) makes no edge: the op "x * c" keeps it as an operand.

    def __add__(self, other: Operand) -> Value:
        return _binary(ADD, ADD_CONSTANT, self, other)

    def __radd__(self, other: Operand) -> Value:
        return self.__add__(other)  # c + x is x + c, by this value's own + (a subclass's where it has one)

    def __sub__(self, other: Operand) -> Value:
        return _binary(SUB, SUB_CONSTANT, self, other)

    def __rsub__(self, other: Operand) -> Value:
        return _binary(None, CONSTANT_SUB, self, other)

    def __mul__(self, other: Operand) -> Value:
        return _binary(MUL, MUL_CONSTANT, self, other)

    def __rmul__(self, other: Operand) -> Value:
        return self.__mul__(other)  # c * x is x * c, by this value's own * (a subclass's where it has one)

    def __truediv__(self, other: Operand) -> Value:
        return _binary(DIV, DIV_CONSTANT, self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        return _binary(None, CONSTANT_DIV, self, other)

    def __pow__(self, other: Operand) -> Value:
        return _binary(POW, POW_CONSTANT, self, other)

    def __rpow__(self, other: Operand) -> Value:
        return _binary(None, CONSTANT_POW, self, other)

    def __neg__(self) -> Value:
        return _make(NEG, (self,), (self.data,))

    def exp(self) -> Value:
        """e^x; d/dx = e^x."""
        return _make(EXP, (self,), (self.data,))

    def log(self) -> Value:
        """ln x, for x > 0; d/dx = 1/x."""
        return _make(LOG, (self,), (self.data,))

    def tanh(self) -> Value:
        """tanh x; d/dx = 1 - tanh² x."""
        return _make(TANH, (self,), (self.data,))

    def sigmoid(self) -> Value:
        """σ(x) = 1 / (1 + e^-x); d/dx = σ(x) (1 - σ(x))."""
        return _make(SIGMOID, (self,), (self.data,))

    def relu(self) -> Value:
        """max(0, x); d/dx = 1 for x > 0, else 0 (NaN stays NaN)."""
        return _make(RELU, (self,), (self.data,))

    # -- reverse mode ---------------------------------------------------------------------------

    def backward(self) -> None:
        """Fill `grad` of every value this one depends on with d(self)/d(value).

        Leaves (values not computed from others, such as parameters) accumulate across calls,
        as in PyTorch and micrograd: call `zero_grad` between steps. Computed values hold the
        gradient of the latest call. Calls from several threads run one at a time, so that threads
        backpropagating through one graph, or graphs sharing leaves, add up as calls in turn would.
        """
        with BACKWARD_LOCK:  # threads sharing a graph, or its leaves, take turns
            order = topological_order(self)
            exact = True  # whether every gradient starts from +0.0 or a number (see below)
            checking = modes_now().anomaly
            for node in order:
                if node._operation is not None:
                    node.grad = 0.0
                    if not node._operands:
                        raise _cut(node, self)
                else:
                    if type(node.grad) is not float:
                        node.grad = real_attribute(node, "grad", "backward() needs")  # `v.grad = "5"` is named here
                    if node.grad == 0.0 and math.copysign(1.0, node.grad) < 0:
                        exact = False  # a leaf's -0.0 becomes +0.0 when a zero is added
                    if checking and not math.isfinite(node.grad):
                        raise _held_before(node)
            self.grad += 1.0
            for node in reversed(order):
                # Fast path (one of two; the other is sums._layer): a node whose gradient is 0 would add only
                # zeros along its edges, which changes no bit (unless a local derivative is inf or NaN, or
                # a leaf's gradient is -0.0): skip it.
                if node.grad == 0.0 and exact and math.isfinite(sum(node._local_grads)):
                    continue
                node._backward()
                if checking:
                    _check_gradients(node)

    def _backward(self) -> None:
        """This node's step of the chain rule: pass dE/d(self) on to each child (micrograd's _backward)."""
        for child, local in zip(self._operands, self._local_grads):  # noqa: B905  # stops at the last child
            child.grad += local * self.grad

    # -- copying and pickling: the graph below a value first, so that no depth needs recursion ----
    # (autograd.serial: shared values stay shared, and a graph 100,000 deep copies in linear time)

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        from autograd import serial

        return serial.deepcopy_value(self, memo)

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        from autograd import serial

        return serial.reduce_value(self)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        from autograd import serial

        serial.restore(self, state[2:])  # after the pickling and the values below, written first


def _emptied(leaf: Value) -> None:
    """Make `leaf` a leaf without its number: no edges, gradient 0, no label."""
    leaf.grad, leaf.label = 0.0, ""
    leaf._operands, leaf._local_grads, leaf._operation = (), (), None


def _set_by_ops(name: str) -> AttributeError:
    """The error of setting micrograd's _prev or _op, as a subclass's copy of micrograd's __init__ does."""
    return AttributeError(
        f"{name} cannot be set: a Value's op and children are those of the op that made it. A subclass's "
        f"__init__ sets data (and label) only, as Value(data, label) does; a node is made by an op (a * b), "
        f"or by make_node(data, children, local_grads, op)"
    )


def _no_plain_number(v: Value) -> TypeError:
    return TypeError(
        f"a Value cannot become a plain number here: float(), int(), round() and Python's math functions "
        f"would drop its gradient. Use the Value's own ops (x.exp(), x.log(), x.tanh(), x.sigmoid(), "
        f"x.relu(), x ** 0.5), or x.data for the number ({v.data})"
    )


# -- ops: each a record of its value and its local derivatives ---------------------------------


@dataclass(frozen=True, eq=False, slots=True)
class Op:
    """An operation, defined once.

    `value(*operands)` gives the result from the operands' numbers, and `local(out, *operands)`
    gives d(out)/d(child) for each child, in order, from the result and the operands. The
    operands are the child Values first, then any plain numbers. `local` is written with
    arithmetic and ops (such as `LOG(x)`), so that it runs on numbers, on Values and on names.

    `symbol` is drawn in the op's oval; `written` is how a binary op with a plain-number operand
    reads there ("× {c}", "{c} −"; an op written with "{c}" first lists its plain numbers first in a
    node's `operands`, then its children); `code` are lines for compile_backprop, for an op that branches
    ({out}, {x}, and {d} for the local derivative). `finite_slopes` says that the local derivatives
    are finite wherever the value is (w·x+b: a finite sum has finite terms, and a finite product
    finite factors), so that compile_backprop tests the value alone before passing over a node whose
    gradient is 0 (its edges would each add a zero).
    """

    name: str
    value: Callable[..., Any]
    local: Callable[..., tuple[Any, ...]]
    symbol: str = ""
    written: str = ""
    code: tuple[str, ...] = ()
    finite_slopes: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"an Op needs a name, a non-empty string such as 'sin', got {self.name!r}")
        for field in ("value", "local"):
            if not callable(getattr(self, field)):
                raise TypeError(f"the Op {self.name!r} needs a function as its {field}, got {getattr(self, field)!r}")
        for field in ("symbol", "written"):
            if not isinstance(getattr(self, field), str):
                raise TypeError(f"the Op {self.name!r} needs a string as its {field}, got {getattr(self, field)!r}")
        if not isinstance(self.code, tuple) or not all(isinstance(line, str) for line in self.code):
            raise TypeError(
                f"the Op {self.name!r} needs its code as a tuple of lines (strings), got {self.code!r}; "
                f"for one line, code=(line,)"
            )
        if not isinstance(self.finite_slopes, bool):
            raise TypeError(f"the Op {self.name!r} needs True or False as finite_slopes, got {self.finite_slopes!r}")

    def __call__(self, *operands: Any) -> Any:
        """The op on numbers gives a number; on Values (and numbers), a node; on compile_backprop's
        names, the code that computes it."""
        return run_op(self, operands, "")

    def apply(self, operands: tuple[Value | float, ...]) -> Value:
        """The node for `operands`: the child Values first, then any plain numbers."""
        return _apply(self, operands, "")

    @property
    def constant_first(self) -> bool:
        """Whether the op is written with its plain number first ("{c} −": c - x), though it keeps it last."""
        return self.written.startswith("{c}")

    @property
    def has_rules(self) -> bool:
        """False for an op made with make_node() by name: its nodes have local derivatives as numbers only."""
        return self.local is not _no_rule

    def __repr__(self) -> str:
        return f"Op({self.name!r})"

    def __deepcopy__(self, memo: dict[int, Any]) -> Op:
        return self  # a record that does not change: a copy of a graph uses the same ops

    def __reduce__(self) -> tuple[Any, ...]:
        """pickle refers to an op by the name it has in its module (autograd.serial)."""
        from autograd import serial

        return serial.reduce_op(self)


# The ops. Their local derivatives are written once, for numbers, Values and compile's names
# alike; the helpers hold what one expression cannot (a branch, a clear error).


def _log(x: float) -> float:
    if not x > 0:
        raise ValueError(f"log() needs a positive value, got {x}")
    return math.log(x)


def _sigmoid(x: float) -> float:
    """1 / (1 + e^-x), computed as e^x / (1 + e^x) for negative x so that e^-x never overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # a NaN stays NaN


def _relu_local(out: Any, x: Any) -> tuple[Any]:
    """d relu(x)/dx: 1 for x > 0, 0 for x <= 0, NaN for NaN (on neither side of the kink); a number
    on Values too, for relu's second derivative is 0, but at NaN, where it is NaN too (x * NaN)."""
    if not isinstance(x, Value):
        return _RISING if x > 0 else _FLAT if x <= 0 else (x,)
    return _RISING if x.data > 0 else _FLAT if x.data <= 0 else (x * math.nan,)


_RISING, _FLAT = (1.0,), (0.0,)  # relu's local derivatives, one tuple each for every node


def _power(x: float, y: float) -> float:
    """x^y as a real number, or a clear error where it is not one."""
    if x < 0 and not float(y).is_integer():
        raise ValueError(f"a negative base needs an integer exponent, got {x} ** {y}")
    return float(x**y)


def _power_slopes(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    """d(x^y)/dx = y x^(y-1), d(x^y)/dy = x^y log x (checked first: it needs x > 0)."""
    dy = _exponent_slope(out, x, y)
    return y * x ** (y - 1), dy


def _power_slope(out: Any, x: Any, c: float) -> Any:
    """d(x^c)/dx = c x^(c-1): 0 for c = 0 (where x^-1 may not exist); +inf at x = 0 for 0 < c < 1 (the
    slope of a root there; a c below 0 has no value at 0); (c x^c) / x where x^(c-1) alone overflows (a tiny
    x: x^c / x alone may overflow too, where c below 1 brings the slope back)."""
    if c == 0:
        return 0.0
    if c < 1 and number(x) == 0:  # c first: for c >= 1, compile_backprop writes the one expression below out
        return math.inf
    try:
        return c * x ** (c - 1)
    except OverflowError:
        return c * out / x


def _exponent_slope(out: Any, x: Any, y: Any) -> Any:
    """d(x^y)/dy = x^y log x, for x > 0; 0 at x = 0 (where x^y is 0 for y > 0)."""
    if number(x) > 0:
        return out * LOG(x)
    if number(x) == 0 and number(y) > 0:
        return 0.0
    raise ValueError(f"x ** y with y a Value needs x > 0 (d/dy = x**y * log x), got x={number(x)}, y={number(y)}")


def _dot(b: Any, *factors: Any) -> Any:
    """b + u1 v1 + ... + un vn; the factors are u1, ..., un, v1, ..., vn."""
    n = len(factors) // 2
    return _weighted_sum(b, factors[:n], factors[n:])


def _weighted_sum(b: Any, us: Sequence[Any], vs: Sequence[Any]) -> Any:
    """b + u1 v1 + ... + un vn, added left to right (as compiled code adds it)."""
    total = b
    for u, v in zip(us, vs, strict=True):
        total += u * v
    return total


def _dot_local(out: Any, b: Any, *factors: Any) -> tuple[Any, ...]:
    """d/db = 1, d/dui = vi, d/dvi = ui."""
    n = len(factors) // 2
    return (1.0, *factors[n:], *factors[:n])


ADD = Op("+", lambda x, y: x + y, lambda out, x, y: (1.0, 1.0), "+")
ADD_CONSTANT = Op("+", lambda x, c: x + c, lambda out, x, c: (1.0,), "+", "+ {c}")
SUB = Op("-", lambda x, y: x - y, lambda out, x, y: (1.0, -1.0), "−")
SUB_CONSTANT = Op("-", lambda x, c: x - c, lambda out, x, c: (1.0,), "−", "− {c}")
CONSTANT_SUB = Op("-", lambda x, c: c - x, lambda out, x, c: (-1.0,), "−", "{c} −")
MUL = Op("*", lambda x, y: x * y, lambda out, x, y: (y, x), "×")
MUL_CONSTANT = Op("*", lambda x, c: x * c, lambda out, x, c: (c,), "×", "× {c}")
DIV = Op("/", lambda x, y: x / y, lambda out, x, y: (1 / y, -out / y), "÷")
DIV_CONSTANT = Op("/", lambda x, c: x / c, lambda out, x, c: (1 / c,), "÷", "÷ {c}")
CONSTANT_DIV = Op("/", lambda x, c: c / x, lambda out, x, c: (-out / x,), "÷", "{c} ÷")
POW = Op("**", _power, lambda out, x, y: _power_slopes(out, x, y), "**")
POW_CONSTANT = Op("**", _power, lambda out, x, c: (_power_slope(out, x, c),), "**", "** {c}")
CONSTANT_POW = Op("**", lambda x, c: _power(c, x), lambda out, x, c: (_exponent_slope(out, c, x),), "**", "{c} **")
NEG = Op("neg", lambda x: -x, lambda out, x: (-1.0,), "−x")
EXP = Op("exp", math.exp, lambda out, x: (out,), "exp")
LOG = Op("log", _log, lambda out, x: (1 / x,), "log")
TANH = Op("tanh", math.tanh, lambda out, x: (1 - out * out,), "tanh")
SIGMOID = Op(
    "sigmoid",
    _sigmoid,
    lambda out, x: (out * (1.0 - out),),
    "σ",
    code=(
        "if {x} >= 0:",
        "    {out} = 1.0 / (1.0 + math.exp(-{x}))",
        "else:",
        "    _e = math.exp({x})",
        "    {out} = _e / (1.0 + _e)",
        "{d} = {out} * (1.0 - {out})",
    ),
)
RELU = Op(
    "relu",
    _relu,
    _relu_local,
    "relu",
    code=(
        "if {x} > 0:",
        "    {out}, {d} = {x}, 1.0",
        "elif {x} <= 0:",
        "    {out}, {d} = 0.0, 0.0",
        "else:",
        "    {out}, {d} = {x}, {x}",
    ),
)
SUM = Op("sum", lambda *terms: reduce(add, terms, 0.0), lambda out, *terms: (1.0,) * len(terms), "Σ")
DOT = Op("dot", _dot, _dot_local, "w·x+b", finite_slopes=True)  # operands (b, u1, ..., un, v1, ..., vn)
DOT_PLUS_CONSTANT = Op(  # operands (u1, ..., un, v1, ..., vn, c)
    "dot",
    lambda *factors_then_c: _dot(factors_then_c[-1], *factors_then_c[:-1]),
    lambda out, *factors_then_c: (*_dot_local(out, 1.0, *factors_then_c[:-1])[1:], 1.0),
    "w·x+b",
    finite_slopes=True,
)


# -- making a node: the one place an op's record is run on numbers ------------------------------


def run_op(op: Op, operands: tuple[Any, ...], caller: str) -> Any:
    """op on its operands (see Op.__call__). An operand that is no number is named as one of `caller`, the
    function that was called (vsum() runs the record SUM), or of the op itself where caller is ""."""
    if any(isinstance(x, Value) for x in operands):
        return _apply(op, _children_first(operands, caller or f"{op.name}()"), caller)
    for x in operands:
        if hasattr(x, "written_op"):
            return x.written_op(op, operands)
    numbers = _floats(operands, op, caller)
    out = value_of(op, numbers)
    for_numbers = f"{caller or op.name + '()'} for {', '.join(map(str, numbers))}"
    return real(out, f"the value of {for_numbers}")  # an op of one's own may give an int, or a complex number


def _apply(op: Op, operands: tuple[Value | float, ...], caller: str) -> Value:
    """The node op(operands), the child Values first (see Op.apply); `caller` as for run_op."""
    numbers = [x.data if isinstance(x, Value) else x for x in operands]
    return _make(op, operands, numbers, sum(isinstance(x, Value) for x in operands), caller)


def _binary(with_value: Op | None, with_number: Op, x: Value, y: object) -> Value:
    """x op y: by `with_value` where y is a Value, else by `with_number`, which keeps y as a number."""
    if with_value is not None and isinstance(y, Value):
        return _make(with_value, (x, y), (x.data, y.data))
    try:
        c = constant(y)
    except OverflowError as error:
        raise OverflowError(f"an operand of {with_number.name} needs a number a float can hold: {error}") from None
    if c is None:
        foreign = another_engines(y)
        if foreign:  # its reflected op would wrap this Value in one of its own
            raise TypeError(f"a chainrule Value cannot be combined with {foreign}")
        return NotImplemented  # type: ignore[no-any-return]  # Python then raises TypeError
    return _make(with_number, (x, c), (x.data, c))


def _make(
    op: Op, operands: tuple[Value | float, ...], numbers: Sequence[float], children: int | None = None, caller: str = ""
) -> Value:
    """The node op(operands), from the operands' numbers: the op's value and local derivatives, an
    error of theirs that op_error knows being named by the op and the numbers. Each number is
    read as a float first (_floats; `caller` as for run_op). The engine's own rules give one float per
    child; for an op of one's own (`children` given) the rule is checked."""
    for number in numbers:
        if type(number) is not float:  # data set to an int, a Fraction, a numpy number, or no number
            numbers = _floats(operands, op, caller)
            break
    out = value_of(op, numbers)
    if children is not None:  # a rule of one's own may give an int: its local function reads the float kept
        out = real(out, rule_result(op, in_local=False))
    local = locals_of(op, out, numbers)
    if children is not None:
        local = checked_locals(op, local, children, len(operands))
    return _node(out, local, operands, op)


def value_of(op: Op, numbers: Sequence[float]) -> Any:
    """The op's value function on the numbers; an error of it in the engine's words (see op_error)."""
    try:
        return op.value(*numbers)
    except _RULE_ERRORS as error:
        _raise_clearer(op, numbers, error, in_local=False)
        raise


def locals_of(op: Op, out: float, numbers: Sequence[float]) -> Any:
    """The op's local function on its value and the numbers; an error of it in the engine's words."""
    try:
        return op.local(out, *numbers)
    except _RULE_ERRORS as error:
        _raise_clearer(op, numbers, error, in_local=True)
        raise


def checked_locals(op: Op, local: Sequence[Any], children: int, operands: int) -> tuple[float, ...]:
    """What an own op's local function gave, as the node keeps it: floats, one derivative per child (its
    rule may also give the plain numbers', which are not kept); or a clear error."""
    if not isinstance(local, (tuple, list)):
        raise TypeError(
            f"the rule of the op {op.name!r} gave {local!r}; it needs to give a tuple of local derivatives, "
            f"one per child: (d,) for one"
        )
    if len(local) not in (children, operands):
        kids = "child" if children == 1 else "children"
        raise ValueError(
            f"the op {op.name!r} gave {len(local)} local derivatives for {children} {kids}: "
            f"its rule needs to give one per child, in order"
        )
    return tuple(real(d, rule_result(op, in_local=True)) for d in local[:children])


def rule_result(op: Op, in_local: bool) -> str:
    """What an op's value function gives (or, `in_local`, each of what its local function gives), as
    errors name it: "the value of sqrt()", "a local derivative of sqrt()"."""
    return f"{'a local derivative' if in_local else 'the value'} of {op.name}()"


def _node(
    data: float, local_grads: tuple[float, ...], operands: tuple[Value | float, ...], op: Op, label: str = ""
) -> Value:
    """A new node. Inside no_grad() it keeps no operands, so no graph is kept."""
    node = new_node(Value)
    node.data, node.grad, node.label, node._operation = data, 0.0, label, op
    node._operands, node._local_grads = operands, local_grads
    modes = modes_now()
    return node if modes is PLAIN else in_mode(node, modes)


def in_mode(node: Value, modes: Modes) -> Value:
    """A node made while a mode is on: under detect_anomaly() refused where its value is not finite,
    naming the op and its operands; under no_grad() without its edges."""
    if modes.anomaly and not math.isfinite(node.data):
        raise FloatingPointError(
            f"detect_anomaly: {_describe(node)} computed {node.data} from {_values(node._operands)}"
        )
    if modes.without_grad:
        node._operands, node._local_grads = (), ()
    return node


new_node = object.__new__  # a node's every field is set by the code that makes it
BACKWARD_LOCK = threading.RLock()  # held by backward() and compiled programs: their += on a shared grad is no one step


def _floats(operands: Iterable[Value | float], op: Op, caller: str = "") -> list[float]:
    """The operands' numbers as floats, where a Value's data was set to a number of another type: an
    int, a Fraction or a numpy scalar is read as the float closest to it (int or float32 arithmetic
    would round otherwise, int64 wrap around, 10**400 overflow later); anything else (a Decimal, a
    numpy array, a string) is refused, naming the Value or the plain operand, and `caller` (as for run_op)."""
    return [
        real_attribute(x, "data", f"{caller or f'the {op.name!r} op'} needs")
        if isinstance(x, Value)
        else real(x, f"an operand of {caller or op.name + '()'}")
        for x in operands
    ]


def real_attribute(value: Value, attribute: str, needs: str) -> float:
    """A Value's data or grad as a float, or an error naming the Value and what it holds instead."""
    try:
        c = constant(getattr(value, attribute))
    except OverflowError:
        raise OverflowError(
            f"{needs} numbers a float can hold (at most about ±1.8e308), got "
            f"{_too_large(getattr(value, attribute))} as the {attribute} of {_named(value, 'a Value')}"
        ) from None
    if c is None:
        raise _not_real(value, attribute, needs)
    return c


def _not_real(value: Value, attribute: str, needs: str) -> TypeError:
    """The error for a Value whose data or grad was set to something not a real number."""
    got = getattr(value, attribute)
    foreign = another_engines(got)
    hint = f", {foreign}" if foreign else ""
    return TypeError(
        f"{needs} real numbers, got {got!r} ({type(got).__name__}) as the {attribute} of {_named(value, 'a Value')}"
        f"{hint}"
    )


_RULE_ERRORS = (ArithmeticError, ValueError, TypeError)  # what an op's functions may raise that op_error words


def _raise_clearer(op: Op, numbers: Sequence[float], error: Exception, in_local: bool) -> None:
    """Raise the error of an op's value function (or, `in_local`, its local function) in the engine's
    words where op_error has some; else return, for the caller to raise the error as it is."""
    clearer = op_error(op, numbers, error, in_local)
    if clearer is not None:
        raise clearer from None


def op_error(op: Op, numbers: Sequence[float], error: Exception, in_local: bool) -> Exception | None:
    """The error of an op's value function (or, `in_local`, its local function) on these numbers in the
    engine's words, or None to let it pass as it is: an overflow, a division by zero, a math function's
    domain error (an op of one's own: math.sqrt of -1.0), or operands the function cannot take."""
    if isinstance(error, (OverflowError, ZeroDivisionError)):
        return _arithmetic_error(op, numbers, error, in_local)
    if isinstance(error, ValueError) and domain_error(error):
        what, operands = _written(op, numbers)
        if in_local:
            return ValueError(f"the local derivatives of {what} have no real value{operands} ({error})")
        return ValueError(f"{what} has no real value{operands} ({error})")
    if isinstance(error, TypeError):
        return _misfit(op, len(numbers), in_local)
    return None


def domain_error(error: ValueError) -> bool:
    """Whether a ValueError is a math function's domain error: "math domain error", or from Python 3.14
    the words of the function ("expected a nonnegative input, got -1.0")."""
    text = str(error)
    return text == "math domain error" or (text.startswith("expected ") and ", got " in text)


def _arithmetic_error(op: Op, numbers: Sequence[float], error: ArithmeticError, in_local: bool) -> ArithmeticError:
    """The error of an op whose value (or, `in_local`, whose local derivatives) overflows or divides by zero,
    naming the op and its operands."""
    what, operands = _written(op, numbers)
    if in_local:
        what = f"the local derivatives of {what}"
    if isinstance(error, OverflowError):
        return OverflowError(f"{what} {'overflow' if in_local else 'overflows'}{operands}")
    return ZeroDivisionError(f"{what}{operands}: {str(error) or 'division by zero'}")


def _written(op: Op, numbers: Sequence[float]) -> tuple[str, str]:
    """The op and its operands as an error names them: ("exp()", " for 1000.0"), ("10.0 ** 400.0", ""),
    ("the op '√'", " for -1.0")."""
    if op.name.isidentifier():
        return f"{op.name}()", f" for {', '.join(map(str, numbers))}"
    if op.name in _INFIX and len(numbers) == 2:  # a binary op, written out
        return f" {op.name} ".join(map(str, numbers[::-1] if op.constant_first else numbers)), ""
    return f"the op {op.name!r}", f" for {', '.join(map(str, numbers))}"  # an op of one's own named by no identifier


def _misfit(op: Op, count: int, in_local: bool) -> TypeError | None:
    """The error of an op whose value function cannot take its `count` operands, or (`in_local`) whose
    local function cannot take the value and the operands (local(out, *operands)); None where it can,
    or where Python cannot read its parameters."""
    function = op.local if in_local else op.value
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    if _takes(signature, count + 1 if in_local else count):
        return None
    named, takes = _written(op, [])[0], _parameters(signature)  # sqrt(), the op '√'; (x, /)
    if in_local:
        return TypeError(
            f"the local function of {named} takes {takes}, which cannot take its value and "
            f"{counted(count, 'operand')}: it is called as local(out, *operands)"
        )
    return TypeError(f"{named} cannot take {counted(count, 'operand')}: its value function takes {takes}")


def _parameters(signature: inspect.Signature) -> str:
    """A function's parameters as a message shows them, without annotations: (x, /), (b, *factors)."""
    bare = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=bare, return_annotation=inspect.Signature.empty))


def _takes(signature: inspect.Signature, count: int) -> bool:
    """Whether a function of this signature can be called with `count` positional arguments."""
    try:
        signature.bind(*range(count))
    except TypeError:
        return False
    return True


_INFIX = frozenset({"+", "-", "*", "/", "**"})  # the binary ops written between their operands


def make_node(
    data: float,
    children: Iterable[Value],
    local_grads: Iterable[float],
    op: str | Op,
    label: str = "",
    operands: Iterable[Value | float] | None = None,
) -> Value:
    """The value `data` computed by `op` from `children`, with d(data)/d(child) in `local_grads`.

    For a node made by hand (micrograd's Value(data, (a, b), '*')): backward() needs nothing more.
    `op` is a name, or an Op record (which grad() and compile_backprop can also read). `operands`
    lists the children and then any plain numbers the op used, where there are some.
    """
    kids = tuple(ordered(children, "make_node()", "the children as a list of Values, in order"))
    record = op if isinstance(op, Op) else _opaque(op, len(kids))
    local = tuple(
        real(d, f"a local derivative of {record.name!r}") for d in ordered(local_grads, "make_node()", _LOCALS)
    )
    for child in kids:
        if not isinstance(child, Value):
            raise TypeError(f"make_node() needs Values as children, got {child!r} ({type(child).__name__})")
    if len(local) != len(kids):
        raise ValueError(f"make_node() needs one local derivative per child, got {len(local)} for {len(kids)} children")
    given = None if operands is None else tuple(ordered(operands, "make_node()", "the operands as a list, in order"))
    if given is not None and given[: len(kids)] != kids:
        raise ValueError("make_node() needs the operands to start with the children, in order")
    numbers = tuple(real(x, f"a plain-number operand of {record.name!r}") for x in (given or kids)[len(kids) :])
    value = real(data, f"the data of {record.name!r}")
    if record.has_rules:
        _as_its_record_gives(record, kids + numbers, value, local)
    return _node(value, local, kids + numbers, record, label_given(label, "make_node()"))


_LOCALS = "the local derivatives as a list of numbers, one per child, in order"


def _as_its_record_gives(op: Op, operands: tuple[Value | float, ...], data: float, local: tuple[float, ...]) -> None:
    """Refuses data or local derivatives that are not what the op's record gives for the operands, as
    an op of one's own gives them (its numbers read as floats): backward() would use the numbers given,
    and grad() and compile_backprop the record's."""
    numbers = _floats(operands, op, "make_node()")
    try:
        out = real(value_of(op, numbers), rule_result(op, in_local=False))
    except NoKernel:
        return  # an op registered by name with derivatives only: its value cannot be computed to compare
    slopes = checked_locals(op, locals_of(op, out, numbers), len(local), len(operands))
    if not _same(out, data) or not all(map(_same, slopes, local)):
        raise ValueError(
            f"make_node() was given data {data!r} and local derivatives {list(local)} for the op {op.name!r}, "
            f"whose record gives {out!r} and {list(slopes)} for these operands: backward() and compile_backprop "
            f"would disagree. Call the Op record on the operands instead, or pass the numbers it gives"
        )


def _same(x: float, y: float) -> bool:
    """Whether two floats are the same number: NaN is NaN, and -0.0 is not 0.0."""
    return (x == y and math.copysign(1.0, x) == math.copysign(1.0, y)) or (x != x and y != y)


def _opaque(name: str, children: int) -> Op:
    """The record of an op known only by its name: backward() runs it; grad() and compile cannot,
    unless the name has rules from chainrule 0.1's registries (autograd.legacy, deprecated)."""
    if not isinstance(name, str):
        raise TypeError(f"make_node() needs the op as a name or an Op, got {name!r}")
    from autograd import legacy

    if legacy.registered(name):
        value, local, symbol = legacy.rules(name, children)
        return Op(name, value, local, symbol)
    return Op(name, _no_rule, _no_rule)


def _no_rule(*_: object) -> Any:
    raise ValueError("an op made with make_node() by name has no rules: define it as an Op")


def _children_first(operands: tuple[Any, ...], caller: str) -> tuple[Value | float, ...]:
    """The operands, the plain numbers as floats, and each one that comes before a Value made a leaf
    Value holding it: a node keeps its child Values first, then its numbers."""
    last = max(i for i, x in enumerate(operands) if isinstance(x, Value))
    numbers = [x if isinstance(x, Value) else real(x, f"an operand of {caller}") for x in operands]
    return tuple(x if i > last or isinstance(x, Value) else Value(x) for i, x in enumerate(numbers))


# -- reverse mode ---------------------------------------------------------------------------------


def topological_order(root: Value) -> list[Value]:
    """Every value `root` depends on, each after all of its children, `root` last.

    Iterative depth-first search, so a graph a million nodes deep needs no recursion: a node is
    pushed, then a marker (None), then its children not yet seen; popping the marker finishes it.
    A node whose children have all been seen is finished at once (in a graph without cycles, a
    child seen is a child finished): most are such, as a layer's inputs are seen by its first neuron.
    """
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if node is None:  # all of the children of the node below are in `order`
            order.append(stack.pop())
        elif node not in seen:
            seen.add(node)
            children = node._operands[: len(node._local_grads)]  # the plain numbers come after them
            if seen.issuperset(children):
                order.append(node)
            else:
                stack += (node, None, *children)  # a child already seen is passed over when popped
    return order


def zero_grad(values: Iterable[Value]) -> None:
    """Set the gradient of each value back to 0 (for a model: model.zero_grad(), or zero_grad(model.parameters()))."""
    if callable(getattr(values, "parameters", None)):
        raise TypeError(
            "zero_grad() takes Values, not a model: call model.zero_grad(), or zero_grad(model.parameters())"
        )
    if not isinstance(values, Iterable):
        raise TypeError(f"zero_grad() takes an iterable of Values, got {type(values).__name__} {values!r}")
    listed = list(values)
    for i, v in enumerate(listed):
        if not isinstance(v, Value):
            raise TypeError(f"zero_grad() takes Values, got {v!r} ({type(v).__name__}) at position {i}")
    for v in listed:
        v.grad = 0.0


def depends_on(value: Value, other: Value) -> bool:
    """Whether `value` is `other` or is computed from it (always true under no_grad(), which keeps no graph).
    A walk down value's graph that stops where it meets other."""
    if modes_now().without_grad:
        return True
    seen: set[Value] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if node is other:
            return True
        if node not in seen:
            seen.add(node)
            stack += node.children
    return False


def _check_gradients(node: Value) -> None:
    for k, (child, local) in enumerate(zip(node.children, node.local_grads, strict=True)):
        if not math.isfinite(child.grad):
            raise FloatingPointError(
                f"detect_anomaly: in backward(), {_describe(node)} (operands {_values(node.operands)}) sent "
                f"{local} * {node.grad} = {local * node.grad} to its operand {k + 1}"
                f"{f' ({on_one_line(child.label)})' if child.label else ''}, whose gradient became {child.grad}"
            )


def _held_before(leaf: Value) -> FloatingPointError:
    """detect_anomaly's error for a leaf whose gradient is not finite before backward() adds to it."""
    return FloatingPointError(
        f"detect_anomaly: backward() starts from the gradient {leaf.grad} that {_named(leaf, 'a Value')} holds "
        f"(holding {leaf.data}): an earlier backward() left it, as leaves add up gradients; call zero_grad() "
        f"between steps"
    )


def refuse_own_backward(node: Value, reader: str) -> None:
    """Raise where node's step of the chain rule was replaced (micrograd's `out._backward = ...`):
    backward() runs it, but `reader` reads the local derivatives the node keeps, and it keeps none."""
    if getattr(node._backward, "__func__", None) is not Value._backward:
        raise ValueError(
            f"{reader} cannot follow {_named(node, 'the value')}: it has a _backward of its own "
            f"(as micrograd's ops set out._backward), which backward() runs, while {reader} reads the local "
            f"derivatives a node keeps; make it with an Op (README: Adding an op)"
        )


def refuse_no_graph(node: Value, root: Value, reader: str) -> None:
    """Raise, as backward() does, where node (of root's graph) was computed but keeps no edges: under no_grad()."""
    if node._operation is not None and not node._operands:
        raise _cut(node, root, reader)


def _cut(node: Value, root: Value, reader: str = "backward()") -> RuntimeError:
    """The error of a backward() (or of `reader`) that reaches a node with no graph behind it."""
    where = "is" if node is root else f"depends on {_describe(node)}, which is"
    constant = (
        "" if node is root else ", or, where it is a constant y (a target), make a leaf of its number: Value(y.data)"
    )
    return RuntimeError(
        f"{reader} cannot pass gradients back: this value {where} computed under no_grad() (or made with "
        f"no children), so it keeps no graph; compute it outside no_grad() to differentiate it{constant}"
    )


def _describe(node: Value) -> str:
    return f"the {node.op!r} op{f' labelled {node.label!r}' if node.label else ''}"


def _named(value: Value, leaf: str) -> str:
    """A value as an error names it: "the '*' op labelled 'y'", or for a leaf "a Value labelled 'w'"."""
    if value.op:
        return _describe(value)
    return f"{leaf} labelled {value.label!r}" if value.label else leaf


def _values(operands: Iterable[Value | float]) -> str:
    return ", ".join(
        f"{on_one_line(v.label)}={v.data}" if isinstance(v, Value) and v.label else str(number(v)) for v in operands
    )


# -- numbers --------------------------------------------------------------------------------------


def number(x: Any) -> Any:
    """The number behind an operand: a Value's data, or the operand itself."""
    return x.data if isinstance(x, Value) else x


def constant(x: object) -> float | None:
    """A plain-number operand as a float, or None when it is not a real number; an OverflowError
    for a number beyond what a float holds (an int of 10**400)."""
    if type(x) is float:
        return x
    if type(x) is not int and not is_real(x):  # an int, the plain number written most (2 * x), is one
        return None
    try:
        c = float(x)
    except OverflowError:
        c = math.inf
    except (TypeError, ValueError):  # a number numpy counts as an integer, yet refuses as a float: a timedelta64
        return None
    if math.isinf(c) and abs(x) != math.inf:  # finite in its own type (an int, numpy's longdouble), beyond a float
        raise OverflowError(f"got {_too_large(x)}, too large for a float (at most about ±1.8e308)") from None
    return c


def is_real(x: object) -> TypeGuard[Real | bool]:
    """Whether x is a real number: a numbers.Real (an int, a float, a Fraction, numpy's numbers), or numpy's
    bool (numpy.True_), a number as Python's bool is, though numbers.Real does not count it."""
    kind = type(x)
    return isinstance(x, Real) or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"))


def real(x: object, what: str) -> float:
    """x as a float, or a TypeError saying that `what` needs a real number (an OverflowError where x is
    too large for a float)."""
    try:
        c = constant(x)
    except OverflowError as error:
        raise OverflowError(f"{what} needs a number a float can hold: {error}") from None
    if c is None:
        if isinstance(x, Value):
            raise TypeError(f"{what} needs a plain number, got {x!r}: pass its number, x.data ({x.data})")
        foreign = another_engines(x)
        if foreign:
            raise TypeError(f"{what} needs a real number, got {x!r}, {foreign}")
        raise TypeError(f"{what} needs a real number, got {x!r} ({type(x).__name__})")
    return c


def another_engines(x: object) -> str:
    """Where x is another engine's Value (micrograd's: it has data and grad), what it is and what to write
    instead: "another engine's Value (micrograd.engine.Value): make it one of chainrule's, Value(v.data), or
    use its number, v.data"; else ""."""
    if isinstance(x, Value) or not (hasattr(x, "data") and hasattr(x, "grad")):
        return ""
    kind = f"{type(x).__module__}.{type(x).__qualname__}"
    return f"another engine's Value ({kind}): make it one of chainrule's, Value(v.data), or use its number, v.data"


def _too_large(x: Any) -> str:
    """A number too large for a float, as an error names it: "a number (int) of about 10^400"."""
    return f"a number ({type(x).__name__}) of about 10^{int(math.log10(abs(int(x))))}"


# -- arguments: what a function of the engine takes, and how its messages count ------------------


def not_a_list(items: object) -> bool:
    """Whether items cannot stand for a list: not iterable, or text, bytes, a set or a dict (whose order
    is no one's, or whose items are its keys)."""
    return not isinstance(items, Iterable) or isinstance(
        items, (Value, Real, str, bytes, bytearray, memoryview, Set, Mapping)
    )


def ordered(items: Any, caller: str, needs: str, got: str = "") -> Iterable[Any]:
    """items, where they stand for a list (as a list or a generator can; a string, a set, a dict or a 0-d
    array not); else an error."""
    if not_a_list(items) or getattr(items, "ndim", 1) == 0:
        raise TypeError(f"{caller} takes {needs}, got {items!r} ({type(items).__name__}){got}")
    return cast(Iterable[Any], items)


def label_given(label: object, caller: str) -> str:
    """A label as given, None read as no label, anything else not a string refused."""
    if label is None:
        return ""
    if not isinstance(label, str):
        raise TypeError(f"{caller} takes a label string, got {label!r} ({type(label).__name__})")
    return label


def counted(n: int, noun: str) -> str:
    """A count and its noun, as messages say it: '1 bias', '2 biases', '3 rows', '2 classes'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}{'es' if noun.endswith('s') else 's'}"


# -- names that moved -----------------------------------------------------------------------------

_MOVED = {name: "autograd.modes" for name in ("no_grad", "detect_anomaly")} | {
    name: "autograd.sums" for name in ("vsum", "dot", "dots", "neurons")
}


def __getattr__(name: str) -> Any:
    """A name this module held until the modes and the sums moved out (from autograd.engine import no_grad
    still works), with a DeprecationWarning saying where it lives now."""
    if name not in _MOVED:
        raise AttributeError(f"module 'autograd.engine' has no attribute {name!r}")
    warnings.warn(
        f"autograd.engine.{name} has moved to {_MOVED[name]}: import it from autograd (from autograd import {name})",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(_MOVED[name]), name)
