"""Code written for micrograd runs on chainrule: the lecture's hand-run backprop, new attributes on
Values, and subclasses of Value."""

import copy
import math
import pickle
import random
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value, zero_grad
from autograd.compile import compile_backprop
from autograd.explain import explain
from nn import MLP

# -- the lecture's cells that run the chain rule one node at a time ------------------------------


def test_the_lectures_L_backpropagated_node_by_node():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    d = e + c
    f = Value(-2.0, label="f")
    L = d * f
    assert L.data == -8.0
    L.grad = 1.0
    L._backward()
    assert (d.grad, f.grad) == (-2.0, 4.0)
    assert (e.grad, c.grad, a.grad, b.grad) == (0.0, 0.0, 0.0, 0.0)  # one step reaches L's children only
    d._backward()
    assert (e.grad, c.grad) == (-2.0, -2.0)
    assert (a.grad, b.grad) == (0.0, 0.0)
    e._backward()
    assert (a.grad, b.grad) == (6.0, -4.0)
    assert (L.grad, d.grad, f.grad, e.grad, c.grad) == (1.0, -2.0, 4.0, -2.0, -2.0)


def lecture_neuron() -> dict[str, Value]:
    """The lecture's neuron, o = tanh(x1·w1 + x2·w2 + b), each value under the lecture's name."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, x1w1=x1w1, x2w2=x2w2, x1w1x2w2=x1w1x2w2, n=n, o=o)


def test_the_lectures_neuron_backpropagated_node_by_node():
    v = lecture_neuron()
    assert round(v["o"].data, 4) == 0.7071
    v["o"].grad = 1.0
    v["o"]._backward()
    assert round(v["n"].grad, 4) == 0.5  # 1 - tanh(n)²
    v["n"]._backward()
    assert round(v["b"].grad, 4) == round(v["x1w1x2w2"].grad, 4) == 0.5
    v["b"]._backward()  # a leaf: nothing to pass on
    v["x1w1x2w2"]._backward()
    assert round(v["x1w1"].grad, 4) == round(v["x2w2"].grad, 4) == 0.5
    v["x2w2"]._backward()
    v["x1w1"]._backward()
    assert [round(v[name].grad, 4) for name in ("x1", "w1", "x2", "w2")] == [-1.5, 1.0, 0.5, 0.0]


def test_calling_backward_node_by_node_gives_what_backward_gives():
    by_hand, automatic = lecture_neuron(), lecture_neuron()
    by_hand["o"].grad = 1.0
    for name in ("o", "n", "b", "x1w1x2w2", "x2w2", "x1w1"):
        by_hand[name]._backward()
    automatic["o"].backward()
    assert {name: v.grad for name, v in by_hand.items()} == {name: v.grad for name, v in automatic.items()}


def test_the_lectures_topological_sort_over_prev_then_backward_node_by_node():
    v = lecture_neuron()
    topo: list[Value] = []
    visited: set[Value] = set()

    def build_topo(node: Value) -> None:  # the lecture's, as written there
        if node not in visited:
            visited.add(node)
            for child in node._prev:
                build_topo(child)
            topo.append(node)

    build_topo(v["o"])
    assert len(topo) == 10  # five leaves and five ops
    v["o"].grad = 1.0
    for node in reversed(topo):
        node._backward()
    assert round(v["n"].grad, 4) == 0.5
    assert [round(v[name].grad, 4) for name in ("x1", "w1", "x2", "w2")] == [-1.5, 1.0, 0.5, 0.0]


def test_a_leafs_backward_step_changes_nothing():
    leaf = Value(3.0, label="leaf")
    other = Value(4.0)
    _ = leaf * other  # a leaf used by a node has still nothing to pass on
    leaf.grad = 2.5
    leaf._backward()
    assert (leaf.data, leaf.grad, other.grad) == (3.0, 2.5, 0.0)


def test_a_backward_step_through_a_plain_number_reaches_only_the_value():
    x = Value(3.0)
    y = 2 * x  # the lecture's 2 * n in tanh written with exp
    y.grad = 1.5
    y._backward()
    assert x.grad == 3.0
    y._backward()  # a step adds (+=), as micrograd's does: a value used twice gets both shares
    assert x.grad == 6.0


# -- new attributes on Values: an optimiser written for micrograd ---------------------------------


class Adam:
    """Adam as a micrograd user writes it (untyped): its moments kept on each parameter, as p.m and p.v."""

    def __init__(self, parameters, lr=0.05, betas=(0.9, 0.999)):
        self.parameters, self.lr, self.betas, self.t = parameters, lr, betas, 0
        for p in parameters:
            p.m = 0.0
            p.v = 0.0

    def step(self):
        self.t += 1
        beta1, beta2 = self.betas
        for p in self.parameters:
            p.m = beta1 * p.m + (1 - beta1) * p.grad
            p.v = beta2 * p.v + (1 - beta2) * p.grad**2
            m_hat = p.m / (1 - beta1**self.t)
            v_hat = p.v / (1 - beta2**self.t)
            p.data -= self.lr * m_hat / (v_hat**0.5 + 1e-8)


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]  # the lecture's four examples
YS = [1.0, -1.0, -1.0, 1.0]


def lecture_predictions(model):
    return [model(x) for x in XS]


def lecture_loss(model):
    """The lecture's loss: the sum of the squared errors."""
    return sum((p - y) ** 2 for p, y in zip(lecture_predictions(model), YS, strict=True))


def test_an_optimiser_keeping_its_state_on_the_parameters_steps_them():
    model = MLP(3, [4, 4, 1], activation="tanh", last_activation="tanh", rng=random.Random(0))
    adam = Adam(model.parameters(), lr=0.01)
    parameters = adam.parameters
    assert all((p.m, p.v) == (0.0, 0.0) for p in parameters)
    loss = lecture_loss(model)
    loss.backward()
    before = [(p.data, p.grad) for p in parameters]
    adam.step()
    for p, (data, grad) in zip(parameters, before, strict=True):
        assert p.m == pytest.approx(0.1 * grad, rel=1e-12)
        assert p.v == pytest.approx(0.001 * grad**2, rel=1e-12)
        if abs(grad) > 1e-6:  # Adam's first step moves each parameter by lr against its gradient's sign
            assert p.data - data == pytest.approx(-0.01 * math.copysign(1.0, grad), rel=1e-4)


def test_an_optimiser_keeping_its_state_on_the_parameters_trains_an_mlp():
    model = MLP(3, [4, 4, 1], activation="tanh", last_activation="tanh", rng=random.Random(0))
    adam = Adam(model.parameters())
    losses = []
    for _ in range(60):
        loss = lecture_loss(model)
        model.zero_grad()
        loss.backward()
        adam.step()
        losses.append(loss.data)
    assert losses[0] > 1.0
    assert losses[-1] < 1e-3 * losses[0]
    assert [p.data > 0 for p in lecture_predictions(model)] == [y > 0 for y in YS]
    assert all(p.v > 0.0 for p in adam.parameters)  # every parameter kept its own second moment


# -- subclasses of Value ---------------------------------------------------------------------------


class MyValue(Value):
    """A user's subclass with nothing of its own."""


class Tagged(Value):
    """A user's subclass that keeps an attribute of its own, set in its constructor."""

    def __init__(self, data: float, label: str = "", tag: str = "tagged") -> None:
        super().__init__(data, label)
        self.tag = tag


class Slotted(Value):
    """A user's subclass with a slot of its own."""

    __slots__ = ("unit",)

    def __init__(self, data: float, unit: str = "m") -> None:
        super().__init__(data)
        self.unit = unit


class OwnInit(Value):
    """A user's subclass whose own constructor sets its number and an attribute, as micrograd's subclasses
    do, and never calls Value.__init__."""

    def __init__(self, data: float) -> None:
        self.data = data
        self.unit = "m"


KINDS: dict[str, Callable[[float], Value]] = {
    "MyValue": MyValue,
    "Tagged": lambda data: Tagged(data, tag="weight"),
    "Slotted": Slotted,
    "OwnInit": OwnInit,
    "Value": Value,
}
SUBCLASSES = ["MyValue", "Tagged", "Slotted", "OwnInit"]
PAIRS = [(k, k) for k in SUBCLASSES] + [
    ("MyValue", "Value"),
    ("Value", "MyValue"),
    ("Tagged", "Value"),
    ("Value", "Slotted"),
    ("MyValue", "Tagged"),
    ("Slotted", "MyValue"),
    ("OwnInit", "Value"),
    ("Tagged", "OwnInit"),
]

X, Y = 1.5, 0.5
# op, its value at (X, Y), d/dx and d/dy there
BINARY: dict[str, tuple[Callable[[Any, Any], Any], float, float, float]] = {
    "x + y": (lambda x, y: x + y, 2.0, 1.0, 1.0),
    "x - y": (lambda x, y: x - y, 1.0, 1.0, -1.0),
    "x * y": (lambda x, y: x * y, 0.75, 0.5, 1.5),
    "x / y": (lambda x, y: x / y, 3.0, 2.0, -6.0),
    "x ** y": (lambda x, y: x**y, 1.5**0.5, 0.5 * 1.5**-0.5, 1.5**0.5 * math.log(1.5)),
    "y ** x": (lambda x, y: y**x, 0.5**1.5, 0.5**1.5 * math.log(0.5), 1.5 * 0.5**0.5),
    "x * y - x / y": (lambda x, y: x * y - x / y, -2.25, -1.5, 7.5),
}
# op, its value at X, d/dx there
UNARY: dict[str, tuple[Callable[[Any], Any], float, float]] = {
    "x + 2": (lambda x: x + 2, 3.5, 1.0),
    "2 + x": (lambda x: 2 + x, 3.5, 1.0),
    "x - 2": (lambda x: x - 2, -0.5, 1.0),
    "2 - x": (lambda x: 2 - x, 0.5, -1.0),
    "x * 2": (lambda x: x * 2, 3.0, 2.0),
    "2 * x": (lambda x: 2 * x, 3.0, 2.0),
    "x / 2": (lambda x: x / 2, 0.75, 0.5),
    "2 / x": (lambda x: 2 / x, 4 / 3, -2 / 2.25),
    "x ** 2": (lambda x: x**2, 2.25, 3.0),
    "x ** 0.5": (lambda x: x**0.5, 1.5**0.5, 0.5 * 1.5**-0.5),
    "2 ** x": (lambda x: 2**x, 2**1.5, 2**1.5 * math.log(2)),
    "-x": (lambda x: -x, -1.5, -1.0),
    "exp": (lambda x: x.exp(), math.exp(1.5), math.exp(1.5)),
    "log": (lambda x: x.log(), math.log(1.5), 1 / 1.5),
    "tanh": (lambda x: x.tanh(), math.tanh(1.5), 1 - math.tanh(1.5) ** 2),
    "sigmoid": (lambda x: x.sigmoid(), 1 / (1 + math.exp(-1.5)), math.exp(-1.5) / (1 + math.exp(-1.5)) ** 2),
    "relu": (lambda x: x.relu(), 1.5, 1.0),
    "relu of -x": (lambda x: (-x).relu(), 0.0, 0.0),
}


def assert_still_itself(v: Value, kind: str) -> None:
    """A subclass instance keeps its class and its own attributes after taking part in ops."""
    assert type(v).__name__ == kind
    if kind == "Tagged":
        assert v.tag == "weight"  # type: ignore[attr-defined]
    if kind in ("Slotted", "OwnInit"):
        assert v.unit == "m"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("x_kind", "y_kind"), PAIRS)
@pytest.mark.parametrize("op", BINARY)
def test_binary_ops_between_subclasses_and_values(op, x_kind, y_kind):
    f, value, dx, dy = BINARY[op]
    x, y = KINDS[x_kind](X), KINDS[y_kind](Y)
    out = f(x, y)
    out.backward()
    assert isinstance(out, Value)
    assert out.data == pytest.approx(value, rel=1e-12)
    assert x.grad == pytest.approx(dx, rel=1e-12)
    assert y.grad == pytest.approx(dy, rel=1e-12)
    assert_still_itself(x, x_kind)
    assert_still_itself(y, y_kind)


@pytest.mark.parametrize("kind", SUBCLASSES)
@pytest.mark.parametrize("op", UNARY)
def test_ops_of_a_subclass_alone_and_with_numbers(op, kind):
    f, value, dx = UNARY[op]
    x = KINDS[kind](X)
    out = f(x)
    out.backward()
    assert isinstance(out, Value)
    assert out.data == pytest.approx(value, rel=1e-12)
    assert x.grad == pytest.approx(dx, rel=1e-12)
    assert_still_itself(x, kind)


class Capped(Value):
    """A user's subclass whose own + and * cap the result at 10, as an op of its own might."""

    def __add__(self, other: Any) -> Value:
        return _capped(super().__add__(other))

    def __mul__(self, other: Any) -> Value:
        return _capped(super().__mul__(other))


def _capped(out: Value) -> Value:
    return out * (10.0 / out.data) if out.data > 10.0 else out


@pytest.mark.parametrize(
    ("reflected", "ordinary"),
    [(lambda a: 3 * a, lambda a: a * 3), (lambda a: 8 + a, lambda a: a + 8), (lambda a: sum([a]), lambda a: a + 0)],
    ids=["3 * a", "8 + a", "sum([a])"],
)
def test_a_number_on_the_left_reaches_a_subclasss_own_operator_as_micrograds_does(reflected, ordinary):
    a, b = Capped(5.0), Capped(5.0)
    left, right = reflected(a), ordinary(b)
    left.backward()
    right.backward()
    assert (left.data, a.grad) == (right.data, b.grad)
    assert left.data <= 10.0  # capped: 3 * a is 10.0, not 15.0


@pytest.mark.parametrize("kind", SUBCLASSES)
def test_the_lectures_neuron_with_subclass_leaves(kind):
    make = KINDS[kind]
    x1, x2, w1, w2, b = make(2.0), make(0.0), make(-3.0), make(1.0), make(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert round(o.data, 4) == 0.7071
    assert [round(v.grad, 4) for v in (x1, w1, x2, w2, b)] == [-1.5, 1.0, 0.5, 0.0, 0.5]


def test_a_subclass_that_never_calls_value_init_makes_leaves_that_every_consumer_reads():
    x, y = OwnInit(1.5), OwnInit(0.5)
    assert (x.grad, x.label, x.operation, x.operands, x.local_grads) == (0.0, "", None, (), ())
    x.label, y.label = "x", "y"
    out = x * y + x
    out.backward()
    assert (out.data, x.grad, y.grad) == (2.25, 1.5, 1.5)  # d/dx = y + 1, d/dy = x
    x.grad = y.grad = 0.0
    program = compile_backprop(out, [x, y])
    assert (program(), x.grad, y.grad) == (2.25, 1.5, 1.5)
    assert str(explain(out, y)) == "d(x*y + x)/dy = d(x*y + x)/d(x*y) * d(x*y)/dy = 1.0000 * 1.5000 = 1.5000"
    for twin in (copy.deepcopy(out), pickle.loads(pickle.dumps(out))):
        leaves = twin.children[0].children
        kept = [(type(v).__name__, v.data, v.grad, getattr(v, "unit", None)) for v in leaves]
        assert kept == [("OwnInit", 1.5, 1.5, "m"), ("OwnInit", 0.5, 1.5, "m")]
        zero_grad(leaves)
        twin.backward()
        assert [v.grad for v in leaves] == [1.5, 1.5]


class MicrogradInit(Value):
    """A subclass whose __init__ is micrograd's own, line for line."""

    def __init__(self, data: float, _children: tuple[Value, ...] = (), _op: str = "") -> None:
        self.data = data
        self.grad = 0
        self._backward = lambda: None  # type: ignore[method-assign]  # as micrograd does
        self._prev = set(_children)
        self._op = _op


def test_a_subclass_with_micrograds_own_init_is_told_what_its_init_may_set():
    with pytest.raises(
        AttributeError,
        match=r"^_prev cannot be set: a Value's op and children are those of the op that made it\. A subclass's "
        r"__init__ sets data \(and label\) only, as Value\(data, label\) does; a node is made by an op \(a \* b\), "
        r"or by make_node\(data, children, local_grads, op\)$",
    ):
        MicrogradInit(2.0)
    x = OwnInit(2.0)
    with pytest.raises(AttributeError, match=r"^_op cannot be set: a Value's op and children are"):
        x._op = "+"
    assert (x * 3.0)._op == "*" and (x * 3.0)._prev == {x}  # read as micrograd reads them
