import math
import operator
import re
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import (
    Op,
    Value,
    detect_anomaly,
    dot,
    engine,
    grad,
    make_node,
    no_grad,
    topological_order,
    vsum,
    zero_grad,
)
from autograd.engine import DOT, DOT_PLUS_CONSTANT, EXP, LOG, NEG, SUM, depends_on
from autograd.strategies import Expression, expressions
from tests.threads import in_turns_and_at_once


def test_micrograd_readme_expression():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert round(g.data, 4) == 24.7041
    assert round(a.grad, 4) == 138.8338
    assert round(b.grad, 4) == 645.5773


@pytest.mark.parametrize(
    ("build", "value", "grad_a", "grad_b"),
    [
        (lambda a, b: a + b, 5.0, 1.0, 1.0),
        (lambda a, b: a - b, -1.0, 1.0, -1.0),
        (lambda a, b: a * b, 6.0, 3.0, 2.0),
        (lambda a, b: a / b, 2 / 3, 1 / 3, -2 / 9),
        (lambda a, b: a**b, 8.0, 12.0, 8 * math.log(2)),
        (lambda a, b: 2 + a, 4.0, 1.0, 0.0),
        (lambda a, b: 2 - a, 0.0, -1.0, 0.0),
        (lambda a, b: 2 * a, 4.0, 2.0, 0.0),
        (lambda a, b: 2 / a, 1.0, -0.5, 0.0),
        (lambda a, b: 2**a, 4.0, 4 * math.log(2), 0.0),
        (lambda a, b: a**3, 8.0, 12.0, 0.0),
        (lambda a, b: -a, -2.0, -1.0, 0.0),
        (lambda a, b: a.exp(), math.exp(2), math.exp(2), 0.0),
        (lambda a, b: a.log(), math.log(2), 0.5, 0.0),
        (lambda a, b: a.tanh(), math.tanh(2), 1 - math.tanh(2) ** 2, 0.0),
        (lambda a, b: a.sigmoid(), 1 / (1 + math.exp(-2)), math.exp(-2) / (1 + math.exp(-2)) ** 2, 0.0),
        (lambda a, b: a.relu(), 2.0, 1.0, 0.0),
        (lambda a, b: (-a).relu(), 0.0, 0.0, 0.0),
    ],
)
def test_each_op_value_and_local_derivatives(build, value, grad_a, grad_b):
    a, b = Value(2.0), Value(3.0)
    out = build(a, b)
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-12)
    assert a.grad == pytest.approx(grad_a, rel=1e-12)
    assert b.grad == pytest.approx(grad_b, rel=1e-12)


def test_constant_operand_makes_no_node():
    a = Value(2.0)
    out = 3 * a + 1
    assert len(out.children) == 1
    assert out.children[0].children == (a,)
    assert out.children[0].local_grads == (3.0,)


def test_reused_nodes_accumulate():
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0


def test_init_called_again_makes_a_value_a_new_leaf():
    x, y = Value(2.0), Value(3.0)
    z = x * y
    z.grad = 7.0
    z.__init__(5.0, "z")  # type: ignore[misc]
    assert (z.data, z.grad, z.label, z.op, z.operands, z.local_grads) == (5.0, 0.0, "z", "", (), ())
    z.backward()
    assert (x.grad, y.grad, z.grad) == (0.0, 0.0, 1.0)


def test_leaf_gradients_accumulate_across_calls_and_zero_grad_resets():
    x, w = Value(3.0), Value(-2.0)
    y = (x * w).tanh()
    y.backward()
    first = (x.grad, w.grad)
    inner = y.children[0].grad
    y.backward()
    assert (x.grad, w.grad) == (2 * first[0], 2 * first[1])
    assert y.children[0].grad == inner  # computed values hold the latest call's gradient
    zero_grad([x, w])
    assert (x.grad, w.grad) == (0.0, 0.0)


def test_a_node_whose_children_are_already_in_the_order_is_finished_at_once_and_reset():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    a, b = x * y, x * y  # a is reached after b, whose search has put x and y in the order
    out = a + b
    assert topological_order(out) == [y, x, b, a, out]
    out.backward()
    out.backward()
    assert (a.grad, b.grad, out.grad) == (1.0, 1.0, 1.0)  # computed values: the latest call's
    assert (x.grad, y.grad) == (12.0, 8.0)  # leaves: both calls add d/dx = 2y = 6 and d/dy = 2x = 4


EXTREMES = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    5e-324,
    -5e-324,
    1e-300,
    1e154,
    -1e154,
    1.7e308,
    -1.7e308,
    math.inf,
    -math.inf,
    math.nan,
]


NUMBERS = st.one_of(st.floats(), st.sampled_from(EXTREMES))


def assert_slopes_finite_where_value_is(op: Op, operands: list[float]) -> None:
    """What a record that says finite_slopes promises: where its value on these numbers is finite, so is
    each of its local derivatives (compile_backprop then tests the value alone)."""
    try:
        out = op.value(*operands)
    except (ArithmeticError, ValueError):
        return  # no value here
    if math.isfinite(out):
        slopes = op.local(out, *operands)
        assert all(math.isfinite(d) for d in slopes), f"{op.name}{tuple(operands)} = {out}, local derivatives {slopes}"


def test_the_dot_records_alone_of_the_engines_say_their_local_derivatives_are_finite_where_their_value_is():
    said = {name for name, op in vars(engine).items() if isinstance(op, Op) and op.finite_slopes}
    assert said == {"DOT", "DOT_PLUS_CONSTANT"}


@given(st.integers(1, 4).flatmap(lambda n: st.lists(NUMBERS, min_size=2 * n + 1, max_size=2 * n + 1)))
@settings(max_examples=400)
def test_a_dot_records_local_derivatives_are_finite_where_its_value_is(operands):
    for op in (DOT, DOT_PLUS_CONSTANT):
        assert_slopes_finite_where_value_is(op, operands)


def test_log_could_not_say_its_local_derivative_is_finite_where_its_value_is():
    with pytest.raises(AssertionError, match=r"log\(5e-324,\) = -744\.44\d*, local derivatives \(inf,\)"):
        assert_slopes_finite_where_value_is(LOG, [5e-324])  # 1 / 5e-324 overflows


def test_depends_on_walks_each_shared_value_once():
    """60 diamonds: a walk that did not remember what it saw would take 2**60 steps to find x is not below."""
    x, y = Value(1.0), Value(0.5)
    for _ in range(60):
        y = y * y + y
    assert not depends_on(y, x) and depends_on(y * x, x)


def test_an_op_on_plain_numbers_names_itself_and_its_numbers_where_it_overflows_or_divides_by_zero():
    with pytest.raises(OverflowError, match=r"^exp\(\) overflows for 1000\.0$"):
        EXP(1000.0)
    with pytest.raises(ZeroDivisionError, match=r"^inverse\(\) for 0\.0: float division by zero$"):
        Op("inverse", lambda x: 1 / x, lambda out, x: (-out * out,))(0.0)
    with pytest.raises(
        ZeroDivisionError, match=r"^the op '√' for 0\.0: float division by zero$"
    ):  # a name no function has
        Op("√", lambda x: 1 / x, lambda out, x: (-out * out,))(0.0)
    with pytest.raises(ZeroDivisionError, match=r"^the op '⊕' for 1\.0, 0\.0: float division by zero$"):
        Op("⊕", lambda x, y: x / y, lambda out, x, y: (1 / y, -x / y**2))(1.0, 0.0)  # two operands, not written out
    with pytest.raises(ZeroDivisionError, match=r"^the op '@' for 1\.0, 0\.0, 2\.0: float division by zero$"):
        Op("@", lambda x, y, z: x / y + z, lambda out, x, y, z: (1 / y, -x / y**2, 1.0))(1.0, 0.0, 2.0)
    with pytest.raises(ZeroDivisionError, match=r"^bare\(\) for 0\.0: division by zero$"):  # an error with no text

        def bare(x: float) -> float:
            raise ZeroDivisionError

        Op("bare", bare, lambda out, x: (0.0,))(0.0)


def test_an_op_of_one_s_own_on_plain_numbers_gives_a_float_or_a_clear_error():
    square_root = Op("sqrt", lambda x: x**0.5, lambda out, x: (0.5 / out,))
    with pytest.raises(
        TypeError, match=r"^the value of sqrt\(\) for -1\.0 needs a real number, got \(.*\+1(\.0)?j\) \(complex\)$"
    ):
        square_root(-1.0)
    with pytest.raises(TypeError, match=r"^the value of text\(\) for 1\.0 needs a real number, got 'abc' \(str\)$"):
        Op("text", lambda x: "abc", lambda out, x: (0.0,))(1.0)
    with pytest.raises(OverflowError, match=r"^the value of big\(\) for 1\.0 needs a number a float can hold"):
        Op("big", lambda x: 10**400, lambda out, x: (0.0,))(1.0)
    with pytest.raises(TypeError, match=r"^the value of pair\(\) for 1\.0, 2\.0 needs a real number, got 's' \(str\)$"):
        Op("pair", lambda x, y: "s", lambda out, x, y: (0.0, 0.0))(1.0, 2.0)
    whole = Op("whole", lambda x: int(x), lambda out, x: (0.0,))(2.5)
    assert whole == 2.0 and type(whole) is float  # an int read as the float it is, as on Values


def test_an_op_of_one_s_own_names_itself_where_a_math_function_has_no_value_for_its_operands():
    sqrt = Op("sqrt", math.sqrt, lambda out, x: (0.5 / out,))
    for operand in (-1.0, Value(-1.0)):
        with pytest.raises(ValueError, match=r"^sqrt\(\) has no real value for -1\.0 \(math domain error\)$"):
            sqrt(operand)
    with pytest.raises(ValueError, match=r"^the op '√' has no real value for -4\.0 \(math domain error\)$"):
        Op("√", math.sqrt, lambda out, x: (0.5 / out,))(Value(-4.0))
    with pytest.raises(ValueError, match=r"^-8\.0 \*\* 0\.5 has no real value \(math domain error\)$"):
        Op("**", math.pow, lambda out, x, c: (c * out / x,))(Value(-8.0), 0.5)  # a binary op is written out
    cube_root = Op("cbrt", lambda x: math.copysign(abs(x) ** (1 / 3), x), lambda out, x: (math.pow(x, -2 / 3) / 3,))
    assert cube_root(-8.0) == -2.0  # its value has one: its local derivative has none
    with pytest.raises(
        ValueError, match=r"^the local derivatives of cbrt\(\) have no real value for -8\.0 \(math domain error\)$"
    ):
        cube_root(Value(-8.0))
    worded = Op("sqrt", lambda x: _raise(ValueError(f"expected a nonnegative input, got {x}")), lambda out, x: (0.0,))
    with pytest.raises(  # Python 3.14's words for math.sqrt(-1.0)
        ValueError, match=r"^sqrt\(\) has no real value for -1\.0 \(expected a nonnegative input, got -1\.0\)$"
    ):
        worded(-1.0)
    with pytest.raises(ValueError, match=r"^log\(\) needs a positive value, got -1\.0$"):
        LOG(Value(-1.0))  # the engine's own words pass as they are
    with pytest.raises(ValueError, match=r"^invalid literal for int\(\) with base 10: 'a'$"):
        Op("parse", lambda x: float(int("a")), lambda out, x: (0.0,))(Value(1.0))  # not the math's: as it is


def test_an_op_of_one_s_own_given_operands_its_functions_cannot_take_says_what_they_take():
    sqrt = Op("sqrt", math.sqrt, lambda out, x: (0.5 / out,))
    for operands in ((1.0, 2.0), (Value(1.0), Value(2.0)), (Value(1.0), 2.0)):
        with pytest.raises(TypeError, match=r"^sqrt\(\) cannot take 2 operands: its value function takes \(x, /\)$"):
            sqrt(*operands)
    with pytest.raises(TypeError, match=r"^sqrt\(\) cannot take 0 operands: its value function takes \(x, /\)$"):
        sqrt()
    forgot_out = Op("sqrt", math.sqrt, lambda x: (0.5 / math.sqrt(x),))
    with pytest.raises(
        TypeError,
        match=r"^the local function of sqrt\(\) takes \(x\), which cannot take its value and 1 operand: it is "
        r"called as local\(out, \*operands\)$",
    ):
        forgot_out(Value(4.0))
    with pytest.raises(TypeError, match=r"^log\(\) cannot take 2 operands: its value function takes \(x\)$"):
        LOG(Value(1.0), Value(2.0))  # its parameters, without their annotations (x: float)
    with pytest.raises(TypeError, match=r"^dot\(\) cannot take 0 operands: its value function takes \(b, \*factors\)$"):
        DOT()
    with pytest.raises(TypeError, match=r"unsupported operand"):  # the value's own error, though local cannot fit
        Op("odd", lambda x: x + "s", lambda x: (1.0,))(Value(1.0))
    with pytest.raises(TypeError, match=r"unsupported operand"):  # the local function's own error, though it fits
        Op("odd", lambda x: x, lambda out, x: (x + "s",))(Value(1.0))
    with pytest.raises(TypeError, match=r"^the op '⊕' cannot take 1 operand: its value function takes \(x, y\)$"):
        Op("⊕", lambda x, y: x + y, lambda out, x, y: (1.0, 1.0))(Value(1.0))
    with pytest.raises(TypeError, match=r"unsupported operand"):  # a TypeError of the rule's own: as it is
        Op("odd", lambda x: x + "s", lambda out, x: (1.0,))(Value(1.0))
    with pytest.raises(TypeError, match=r"unsupported operand"):  # as it is where Python cannot read the function
        Op("odd", _Unreadable(), lambda out, x: (1.0,))(Value(1.0))


def _raise(error: Exception) -> float:
    raise error


class _Unreadable:
    """A callable whose parameters inspect cannot read."""

    __signature__ = "not a signature"

    def __call__(self, x: float) -> float:
        return x + "s"  # type: ignore[operator]


def chain_rule_by_hand(root: Value) -> dict[Value, float]:
    """d(root)/d(node) by the chain rule over every edge, in the engine's order: each leaf starts
    from the gradient it holds (leaves accumulate), each computed value from 0."""
    order = topological_order(root)
    grads = {node: 0.0 if node.children else node.grad for node in order}
    grads[root] += 1.0
    for node in reversed(order):
        for child, local in zip(node.children, node.local_grads, strict=True):
            grads[child] += local * grads[node]
    return grads


def same_float(a: float, b: float) -> bool:
    """Equal to the bit where it counts: the sign of a zero, and NaN with NaN."""
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@settings(max_examples=500, deadline=None)
@given(expressions(max_steps=20), st.data())
def test_backward_is_the_chain_rule_over_every_edge(expr: Expression, data: st.DataObject):
    """backward() skips nodes whose gradient is 0 (their edges would add only zeros): results are
    identical to the plain chain rule, for backward on an inner node, then on the root twice."""
    out = expr(*(Value(x) for x in expr.inputs))
    inner = data.draw(st.sampled_from(topological_order(out)))
    for root in (inner, out, out):
        expected = chain_rule_by_hand(root)
        root.backward()
        assert all(same_float(node.grad, grad) for node, grad in expected.items())


def test_a_zero_gradient_times_an_infinite_local_derivative_is_nan_as_the_chain_rule_says():
    huge, w = Value(math.inf), Value(2.0)
    net = dot([w], [huge])  # d(net)/dw = inf
    (net * 0.0).backward()  # dE/d(net) = 0
    assert math.isnan(w.grad)
    assert huge.grad == 0.0


def test_backward_skips_dead_relus_yet_resets_what_they_held():
    x, w = Value(-1.0), Value(3.0)
    hidden = dot([w], [x])
    out = hidden.relu() * 2.0 + w
    out.backward()
    assert (w.grad, x.grad, hidden.grad) == (1.0, 0.0, 0.0)
    w.grad = 0.0
    x.data = 1.0  # a second graph over the same leaves, now alive
    out = dot([w], [x]).relu() * 2.0
    out.backward()
    assert (w.grad, x.grad) == (2.0, 6.0)


def test_make_node_lets_users_add_an_op():
    x = Value(3.0)
    square = make_node(x.data**2, [x], [2 * x.data], "square")
    (square * 2).backward()
    assert x.grad == 12.0


def test_repr_format_and_label():
    v = Value(2, label="w5")
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"
    assert repr(v) == "Value(label='w5', data=2.0, grad=0.0)"
    assert f"{v:.3f} {v}" == "2.000 Value(label='w5', data=2.0, grad=0.0)"
    assert isinstance(v.data, float)


def test_identity_equality_and_hashing():
    a, b = Value(1.0), Value(1.0)
    assert a != b
    assert len({a, b, a}) == 2


def test_sigmoid_is_stable_at_extremes():
    for x in (1e4, -1e4, 745.0, -745.0):
        s = Value(x).sigmoid()
        assert 0.0 <= s.data <= 1.0
        assert 0.0 <= s.local_grads[0] < 1e-300
    assert Value(-1e4).sigmoid().data == 0.0
    assert Value(1e4).sigmoid().data == 1.0


def test_topological_order_puts_children_first():
    a = Value(1.0)
    b = a * 2
    c = a + b
    order = topological_order(c)
    assert order.index(a) < order.index(b) < order.index(c)
    assert len(order) == 3


def test_deep_chain_of_100_000_ops_at_default_recursion_limit():
    x = Value(0.5)
    v = x
    for _ in range(50_000):
        v = v * 1.0
        v = v + 0.0
    v.backward()
    assert v.data == 0.5
    assert x.grad == 1.0
    del v  # freeing a deep chain must not overflow the C stack either


@pytest.mark.parametrize("convert", [float, math.exp, math.tanh, math.sqrt, math.log, math.floor])
def test_python_math_on_a_value_is_refused_with_what_to_use(convert):
    x = Value(2.0)
    with pytest.raises(
        TypeError,
        match=r"would drop its gradient\. Use the Value's own ops \(x\.exp\(\).*or x\.data for the number \(2\.0\)",
    ):
        convert(x)


def test_the_silent_gradient_loss_of_math_exp_is_gone():
    w, x = Value(3.0), Value(0.5)
    with pytest.raises(TypeError):
        w * math.exp(x)
    loss = w * x.exp()
    loss.backward()
    assert x.grad == pytest.approx(3.0 * math.exp(0.5), rel=1e-15)


def test_micrograd_style_constructor_points_to_make_node():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(
        TypeError,
        match=r"micrograd's Value\(data, \(a, b\), '\*'\) does, use an op \(a \* b\), or make_node\(data, childr",
    ):
        Value(2.0, (a, b), "*")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="make_node"):
        Value(2.0, (a, b))  # type: ignore[arg-type]


def test_micrograds_trace_and_draw_code_runs_on_prev_and_op():
    """The attributes micrograd's trace_graph notebook reads: _prev, _op, data, grad."""
    a, b = Value(2.0), Value(-3.0)
    c = a * b + b**2
    c.backward()

    def trace(root):
        nodes, edges = set(), set()

        def build(v):
            if v not in nodes:
                nodes.add(v)
                for child in v._prev:
                    edges.add((child, v))
                    build(child)

        build(root)
        return nodes, edges

    nodes, edges = trace(c)
    assert len(nodes) == 5 and len(edges) == 5
    assert {n._op for n in nodes} == {"", "*", "**", "+"}
    assert ["%.4f" % n.grad for n in (a, b)] == ["-3.0000", "-4.0000"]  # noqa: UP031  (micrograd formats so)
    with pytest.raises(AttributeError):
        c._op = "-"
    with pytest.raises(AttributeError):
        c._prev = set()


def test_relu_passes_nan_on():
    out = Value(math.nan).relu()
    assert math.isnan(out.data) and math.isnan(out.local_grads[0])
    assert Value(math.inf).relu().data == math.inf
    assert Value(-math.inf).relu().data == 0.0


def test_no_op_hides_a_nan():
    from autograd.strategies import OPS

    for name, arity, _defined, apply in OPS:
        for position in range(arity):
            operands = [Value(0.7) for _ in range(arity)]
            operands[position] = Value(math.nan)
            try:
                out = apply(*operands)
            except ValueError as error:  # an op may refuse NaN, naming it
                assert "nan" in str(error), name
                continue
            assert math.isnan(out.data), f"{name} hid a NaN in operand {position}"


def test_no_grad_computes_values_without_edges():
    from autograd import no_grad

    w = Value(2.0)
    with no_grad():
        y = (w * 3 + 1).tanh()
        z = dot([w], [2.0], 1.0)
    assert y.data == math.tanh(7.0) and z.data == 5.0
    assert y.children == () and y.local_grads == () and y.operands == ()
    with pytest.raises(
        RuntimeError,
        match=r"^backward\(\) cannot pass gradients back: this value is computed under .*to differentiate it$",
    ):
        y.backward()
    loss = (y - 1.0) ** 2  # built outside the block, from a value without a graph: w would get 0 silently
    depends = r"this value depends on the 'tanh' op, which is computed under no_grad"
    with pytest.raises(RuntimeError, match=depends) as cut:
        loss.backward()
    assert str(cut.value).endswith(
        ", or, where it is a constant y (a target), make a leaf of its number: Value(y.data)"
    )
    assert w.grad == 0.0
    assert (w * 3).children == (w,)  # recording again after the block


def test_no_grad_and_detect_anomaly_restore_the_mode_after_an_error():
    from autograd import no_grad

    with pytest.raises(RuntimeError), no_grad(), detect_anomaly():
        raise RuntimeError
    assert (Value(1.0) * 2).children
    assert (Value(1e308) * 10).data == math.inf  # no anomaly check outside the block


def test_detect_anomaly_names_the_op_that_makes_a_non_finite_value():

    big = Value(1e308, label="big")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"the '\*' op computed inf from big=1e\+308, 10\.0"):
        big * 10
    x = Value(-1.0, label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"the 'relu' op computed nan from x=nan"):
        Value(math.nan, label="x").relu()
    with (
        detect_anomaly(),
        pytest.raises(FloatingPointError, match=r"the 'my_op' op labelled 'r' computed -inf from x=-1.0"),
    ):
        make_node(-math.inf, [x], [1.0], "my_op", label="r")


def test_detect_anomaly_names_the_op_whose_gradient_is_not_finite():

    x = Value(1e-200, label="x")
    with detect_anomaly():
        root = x**0.5 * 1e300  # finite values: 1e-100, then 1e200
        with pytest.raises(
            FloatingPointError,
            match=r"in backward\(\), the '\*\*' op \(operands x=1e-200, 0\.5\) sent 5e\+99 \* 1e\+300 = inf "
            r"to its operand 1 \(x\), whose gradient became inf",
        ):
            root.backward()


def test_detect_anomaly_names_a_leaf_whose_gradient_is_not_finite_before_backward_adds_to_it():

    a = Value(1.0, label="a")
    a.grad = math.inf  # left by an earlier backward(), without zero_grad()
    y = a * 2.0
    with (
        detect_anomaly(),
        pytest.raises(
            FloatingPointError,
            match=r"^detect_anomaly: backward\(\) starts from the gradient inf that a Value labelled 'a' holds "
            r"\(holding 1\.0\): an earlier backward\(\) left it, as leaves add up gradients; call zero_grad\(\) "
            r"between steps$",
        ),
    ):
        y.backward()  # not: "the '*' op sent 2.0 * 1.0 = 2.0 to its operand 1 (a), whose gradient became inf"
    y.backward()  # outside the block, as before: inf + 2.0
    assert a.grad == math.inf


# -- bad input is a clear exception ------------------------------------------------------------


@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j, [1.0]])
def test_non_numeric_data_is_a_type_error(bad):
    with pytest.raises(TypeError, match="a Value needs a real number, got"):
        Value(bad)


@pytest.mark.parametrize("bad", ["1.0", None, 1j])
def test_non_numeric_operand_is_a_type_error(bad):
    with pytest.raises(TypeError):
        Value(1.0) + bad
    with pytest.raises(TypeError):
        bad * Value(1.0)


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_needs_a_positive_value(x):
    with pytest.raises(ValueError, match=f"log\\(\\) needs a positive value, got {x}"):
        Value(x).log()


def test_negative_base_with_fractional_exponent():
    with pytest.raises(ValueError, match=r"negative base needs an integer exponent, got -8.0 \*\* 0.5"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match="negative base"):
        (-8.0) ** Value(1 / 3)
    with pytest.raises(ValueError, match="negative base"):
        Value(-2.0) ** Value(0.5)


def test_negative_base_with_integer_exponent_is_fine_unless_the_exponent_is_a_value():
    assert (Value(-2.0) ** 3).data == -8.0
    with pytest.raises(ValueError, match="needs x > 0"):
        Value(-2.0) ** Value(3.0)


def test_zero_to_a_negative_power():
    with pytest.raises(ZeroDivisionError, match="0 cannot be raised to a negative power"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError):
        0.0 ** Value(-2.0)


def test_a_root_at_zero_has_an_infinite_slope_and_grad_follows_backward_there():
    from autograd import grad

    root = Value(0.0) ** 0.5
    assert (root.data, root.local_grads) == (0.0, (math.inf,))  # never hidden: detect_anomaly names it
    x = Value(0.0)
    (x**1.5).backward()
    assert x.grad == 0.0 and grad(x**1.5, [x])[0].data == 0.0  # grad() builds x ** 0.5 there, and goes on


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError):
        1.0 / Value(0.0)


def test_exp_overflow_names_the_argument():
    with pytest.raises(OverflowError, match=r"exp\(\) overflows for 1000\.0"):
        Value(1000.0).exp()


def test_pow_overflow_is_an_overflow_error():
    with pytest.raises(OverflowError, match="overflows"):
        Value(10.0) ** 400


def test_no_op_makes_a_complex_number():
    results = [Value(-8.0) ** 3, Value(-8.0) ** -1, Value(0.0) ** 2, 0.0 ** Value(2.0), Value(4.0) ** 0.5]
    for r in results:
        r.backward()
        assert isinstance(r.data, float)
    assert math.isclose(results[-1].data, 2.0)


def test_make_node_takes_whole_numbers_and_subclasses_of_value():
    class Named(Value):
        pass

    x = Named(3.0)
    one = make_node(6.0, [x], [2], "double")  # an int local derivative, one child
    two = make_node(one.data * 2, [one, x], [2, 0], "odd")
    two.backward()
    assert one.children == (x,) and one.local_grads == (2,)
    assert x.grad == 4.0
    assert topological_order(two) == [x, one, two]


# -- what drawings, explain and compiled code read off a node ------------------------------------


@pytest.mark.parametrize(
    ("build", "op"),
    [
        (lambda a, b: a + b, "+"),
        (lambda a, b: a - b, "-"),
        (lambda a, b: a * b, "*"),
        (lambda a, b: a / b, "/"),
        (lambda a, b: a**b, "**"),
        (lambda a, b: 1 - a, "-"),
        (lambda a, b: 2 / a, "/"),
        (lambda a, b: -a, "neg"),
        (lambda a, b: a.exp(), "exp"),
        (lambda a, b: a.log(), "log"),
        (lambda a, b: a.tanh(), "tanh"),
        (lambda a, b: a.sigmoid(), "sigmoid"),
        (lambda a, b: a.relu(), "relu"),
        (lambda a, b: vsum([a, b]), "sum"),
        (lambda a, b: dot([a], [b]), "dot"),
    ],
)
def test_each_op_is_named(build, op):
    out = build(Value(2.0), Value(3.0))
    assert (out.op, out.label, out.grad) == (op, "", 0.0)  # and a new node's grad is 0 until backward


def test_relu_at_exactly_zero_has_derivative_zero():
    assert Value(0.0).relu().local_grads == (0.0,)
    assert Value(-0.0).relu().data == 0.0


@pytest.mark.parametrize(
    ("base", "exponent", "value", "d_base", "d_exponent"),
    [
        (0.0, 0.0, 1.0, 0.0, None),  # 0 ** 0 = 1, flat in x
        (0.0, 1.0, 0.0, 1.0, None),
        (0.0, Value(1.0), 0.0, 1.0, 0.0),  # d/dy of 0 ** y is taken as 0 for y > 0
        (0.0, Value(2.0), 0.0, 0.0, 0.0),
    ],
)
def test_powers_of_zero(base, exponent, value, d_base, d_exponent):
    x = Value(base)
    out = x**exponent
    out.backward()
    assert (out.data, x.grad) == (value, d_base)
    if d_exponent is not None:
        assert exponent.grad == d_exponent


def test_zero_to_a_value_of_zero_has_no_derivative_in_the_exponent():
    with pytest.raises(ValueError, match=r"x \*\* y with y a Value needs x > 0 .* got x=0.0, y=0.0"):
        Value(0.0) ** Value(0.0)


def test_backward_on_a_leaf_accumulates_one_each_call():
    x = Value(3.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_labels_and_dots_default_bias():
    a, b = Value(2.0), Value(3.0)
    assert vsum([a, b], label="s").label == "s"
    net = dot([a, b], [4.0, 5.0], label="net")
    assert (net.label, net.data, net.operands[-1], len(net.children)) == ("net", 23.0, 0.0, 2)
    assert make_node(1.0, [a], [1.0], "id", label="x").label == "x"


def test_a_foreign_types_reflected_operator_runs():
    class Meters:
        def __radd__(self, other: object) -> str:
            return "Meters.__radd__"

        def __rmul__(self, other: object) -> str:
            return "Meters.__rmul__"

        def __rsub__(self, other: object) -> str:
            return "Meters.__rsub__"

        def __rtruediv__(self, other: object) -> str:
            return "Meters.__rtruediv__"

        def __rpow__(self, other: object) -> str:
            return "Meters.__rpow__"

    x, m = Value(1.0), Meters()
    assert [x + m, x * m, x - m, x / m, x**m] == [
        "Meters.__radd__",
        "Meters.__rmul__",
        "Meters.__rsub__",
        "Meters.__rtruediv__",
        "Meters.__rpow__",
    ]


def test_detect_anomaly_names_the_operand_by_label_or_position():

    for label, named in (("w", "to its operand 1 (w), whose"), ("", "to its operand 1, whose")):
        x = Value(1e-300, label)
        with detect_anomaly(), pytest.raises(FloatingPointError) as raised:
            (x.log() * 1e10).backward()  # every value finite; d/dx = 1e300 * 1e10 is not
        assert f"{named} gradient became inf" in str(raised.value)


# -- what the mutation run found unchecked (make mutate) ------------------------------------------


class Thing:
    """Neither a number nor a Value, with no operators of its own."""


@pytest.mark.parametrize(
    ("apply", "symbol"),
    [
        (operator.add, "+"),
        (operator.sub, "-"),
        (operator.mul, "*"),
        (operator.truediv, "/"),
        (operator.pow, "** or pow()"),
    ],
)
def test_an_operand_that_is_not_a_number_is_refused_by_python_naming_both_types(apply, symbol):
    x, thing = Value(1.0), Thing()
    with pytest.raises(
        TypeError, match=rf"^unsupported operand type\(s\) for {re.escape(symbol)}: 'Value' and 'Thing'$"
    ):
        apply(x, thing)
    with pytest.raises(
        TypeError, match=rf"^unsupported operand type\(s\) for {re.escape(symbol)}: 'Thing' and 'Value'$"
    ):
        apply(thing, x)


def test_whole_numbers_and_other_real_numbers_are_constants():
    x = Value(3.0)
    assert [(x - 2).data, (x + 2).data, (x * 2).data, (2 - x).data] == [1.0, 5.0, 6.0, -1.0]
    half: Any = Fraction(1, 2)  # any real number works, though the type hints name float and int
    assert (x + half).data == 3.5
    assert (x + half).operands == (x, 0.5)


def test_a_value_of_a_string_names_its_type():
    with pytest.raises(TypeError, match=r"^a Value needs a real number, got '1.0' \(str\)$"):
        Value("1.0")  # type: ignore[arg-type]


def test_a_numpy_duration_numpy_counts_as_an_integer_is_no_real_number_to_a_value():
    np = pytest.importorskip("numpy")
    with pytest.raises(
        TypeError, match=r"^a Value needs a real number, got (np|numpy)\.timedelta64\(1,'s'\) \(timedelta64\)$"
    ):
        Value(np.timedelta64(1, "s"))


def test_the_micrograd_constructor_message_starts_with_what_value_takes():
    with pytest.raises(TypeError, match=r"^Value\(data, label\) makes a leaf, and its second argument is a label"):
        Value(1.0, (Value(2.0),), "+")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Value\(data, label\) makes a leaf"):
        Value(1.0, [Value(2.0)])  # type: ignore[arg-type]  # micrograd's children, as a list


@pytest.mark.parametrize(("label", "words"), [(None, "None (NoneType)"), (5, "5 (int)"), (b"w", "b'w' (bytes)")])
def test_a_label_that_is_no_string_is_named(label, words):
    with pytest.raises(TypeError, match=rf"^a Value's label is a string, got {re.escape(words)}$"):
        Value(1.0, label=label)


def test_make_node_keeps_its_defaults_and_given_operands():
    x = Value(2.0)
    node = make_node(4.0, [x], [2.0], "twice", operands=(x, 2.0))
    assert (node.label, node.operands) == ("", (x, 2.0))
    assert Value(1.0).operands == ()


def test_topological_order_leaves_gradients_as_they_are():
    x = Value(2.0)
    y = (x * x).tanh()
    y.backward()
    grads = [v.grad for v in topological_order(y)]
    topological_order(y)
    assert [v.grad for v in topological_order(y)] == grads and grads[-1] == 1.0


def test_relu_of_negative_zero_is_positive_zero():
    assert math.copysign(1.0, Value(-0.0).relu().data) == 1.0


@pytest.mark.parametrize("x", [0.0, 0.3, 0.9, -0.5, 40.0, -40.0])  # at 0.9 the two forms differ in the last bit
def test_sigmoid_uses_the_form_that_cannot_overflow_on_each_side(x):
    expected = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
    assert Value(x).sigmoid().data == expected  # bit for bit: compiled code writes the same two forms


# -- make_node checks its arguments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("children", "local_grads", "message"),
    [
        ([Value(1.0)], [], r"make_node\(\) needs one local derivative per child, got 0 for 1 children"),
        ([Value(1.0)], [1.0, 2.0], r"needs one local derivative per child, got 2 for 1 children"),
        ([Value(1.0), Value(2.0)], [1.0], r"got 1 for 2 children"),
    ],
)
def test_make_node_needs_one_local_derivative_per_child(children, local_grads, message):
    with pytest.raises(ValueError, match=message):
        make_node(1.0, children, local_grads, "f")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("1.0", [Value(1.0)], [1.0]), r"the data of 'f' needs a real number, got '1.0' \(str\)"),
        (((1 + 2j), [Value(1.0)], [1.0]), r"the data of 'f' needs a real number, got \(1\+2j\) \(complex\)"),
        ((1.0, [Value(1.0)], ["2"]), r"a local derivative of 'f' needs a real number, got '2' \(str\)"),
        ((1.0, [Value(1.0)], [None]), r"a local derivative of 'f' needs a real number, got None"),
        ((1.0, [1.0], [1.0]), r"make_node\(\) needs Values as children, got 1.0 \(float\)"),
    ],
)
def test_make_node_needs_numbers_where_numbers_belong(arguments, message):
    with pytest.raises(TypeError, match=message):
        make_node(*arguments, "f")  # type: ignore[call-arg]


def test_make_node_checks_the_operands_it_is_given():
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"^make_node\(\) needs the operands to start with the children, in order$"):
        make_node(4.0, [x], [2.0], "twice", operands=(2.0, x))
    with pytest.raises(TypeError, match=r"a plain-number operand of 'twice' needs a real number, got 'a'"):
        make_node(4.0, [x], [2.0], "twice", operands=(x, "a"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"make_node\(\) needs the op as a name or an Op, got 3"):
        make_node(4.0, [x], [2.0], 3)  # type: ignore[arg-type]


def test_make_node_refuses_unordered_or_single_children_and_derivatives_and_a_label_that_is_no_string():
    x, y = Value(2.0), Value(3.0)
    with pytest.raises(
        TypeError, match=r"^make_node\(\) takes the children as a list of Values, in order, got \{.*\} \(set\)$"
    ):
        make_node(6.0, {x, y}, [3.0, 2.0], "*")
    with pytest.raises(
        TypeError, match=r"^make_node\(\) takes the children as a list .*, got Value\(data=2\.0, grad=0\.0\) \(Value\)$"
    ):
        make_node(4.0, x, [2.0], "twice")  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^make_node\(\) takes the local derivatives as a list of numbers, one per child, in "
    ):
        make_node(6.0, [x, y], {3.0, 2.0}, "*")
    with pytest.raises(TypeError, match=r"^make_node\(\) takes the operands as a list, in order, got \{.*\} \(set\)$"):
        make_node(4.0, [x], [2.0], "twice", operands={x, 2.0})
    with pytest.raises(TypeError, match=r"^make_node\(\) takes a label string, got 5 \(int\)$"):
        make_node(4.0, [x], [2.0], "twice", label=5)  # type: ignore[arg-type]
    assert make_node(6.0, (v for v in [x, y]), iter([3.0, 2.0]), "*").local_grads == (3.0, 2.0)


def test_make_node_refuses_numbers_that_its_op_record_does_not_give():
    sine = Op("sin", math.sin, lambda out, x: (COSINE(x),))
    x = Value(1.0)
    node = make_node(math.sin(1.0), [x], [math.cos(1.0)], sine)  # the record's very numbers
    assert (node.data, node.local_grads) == (math.sin(1.0), (math.cos(1.0),))
    for data, slope in [(math.sin(1.0) + 1e-16, math.cos(1.0)), (math.sin(1.0), 0.5)]:
        with pytest.raises(
            ValueError,
            match=rf"^make_node\(\) was given data {re.escape(str(data))} and local derivatives \[{slope}\] for the op "
            rf"'sin', whose record gives {re.escape(str(math.sin(1.0)))} and \[{math.cos(1.0)}\] for these operands: "
            r"backward\(\) and compile_backprop would disagree",
        ):
            make_node(data, [x], [slope], sine)
    assert math.isnan(make_node(math.nan, [Value(math.nan)], [math.nan], sine).data)  # NaN is NaN
    with pytest.raises(ValueError, match=r"^make_node\(\) was given data nan and local derivatives \[nan\] for the op"):
        make_node(math.nan, [Value(1.0)], [math.nan], sine)  # NaN is no number but NaN
    assert make_node(math.exp(1.5), [Value(1.5)], [math.exp(1.5)], EXP).local_grads == (
        math.exp(1.5),
    )  # its rule reads out
    text = Value(1.0, label="t")
    text.data = "1.0"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"^make_node\(\) needs .*'1\.0' .*labelled 't'"):
        make_node(math.sin(1.0), [text], [math.cos(1.0)], sine)
    with pytest.raises(ValueError, match=r"^make_node\(\) was given data 0\.0 .* whose record gives -0\.0 and"):
        make_node(0.0, [Value(0.0)], [-1.0], NEG)  # -0.0 is not 0.0: atan2 and 1/x tell them apart
    x.data = Fraction(1, 3)  # type: ignore[assignment]  # read as the float nearest, as an op reads it
    assert make_node(math.sin(1 / 3), [x], [math.cos(1 / 3)], sine).data == math.sin(1 / 3)
    with no_grad():  # the node keeps no edges, but its numbers are checked all the same
        assert make_node(math.sin(1 / 3), [x], [math.cos(1 / 3)], sine).local_grads == ()
        assert make_node(7.0, [Value(3.0), Value(4.0)], [1.0, 1.0], SUM).data == 7.0
        with pytest.raises(ValueError, match=r"^make_node\(\) was given data 8\.0 "):
            make_node(8.0, [Value(3.0), Value(4.0)], [1.0, 1.0], SUM)


def test_make_node_names_an_op_record_that_gives_no_number_or_no_tuple():
    x = Value(2.0)
    with pytest.raises(TypeError, match=r"^the value of text\(\) needs a real number, got '6\.0' \(str\)$"):
        make_node(6.0, [x], [3.0], Op("text", lambda x: "6.0", lambda out, x: (3.0,)))
    with pytest.raises(TypeError, match=r"^the rule of the op 'bare' gave 3\.0; it needs to give a tuple of local"):
        make_node(6.0, [x], [3.0], Op("bare", lambda x: 3 * x, lambda out, x: 3.0))  # type: ignore[arg-type, return-value]


COSINE = Op("cos", math.cos, lambda out, x: (-math.sin(x),))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("", math.sin, math.cos), r"^an Op needs a name, a non-empty string such as 'sin', got ''$"),
        ((None, math.sin, math.cos), r"^an Op needs a name, a non-empty string such as 'sin', got None$"),
        (("sin", 1.0, math.cos), r"^the Op 'sin' needs a function as its value, got 1\.0$"),
        (("sin", math.sin, "cos"), r"^the Op 'sin' needs a function as its local, got 'cos'$"),
        (("sin", math.sin, math.cos, 5), r"^the Op 'sin' needs a string as its symbol, got 5$"),
        (("sin", math.sin, math.cos, "", None), r"^the Op 'sin' needs a string as its written, got None$"),
        (
            ("sin", math.sin, math.cos, "", "", "{out} = 1.0"),
            r"^the Op 'sin' needs its code as a tuple of lines \(strings\), got '\{out\} = 1\.0'; "
            r"for one line, code=\(line,\)$",
        ),
        (("sin", math.sin, math.cos, "", "", (), 1), r"^the Op 'sin' needs True or False as finite_slopes, got 1$"),
    ],
)  # fmt: skip
def test_an_op_record_checks_its_fields(fields, message):
    with pytest.raises(TypeError, match=message):
        Op(*fields)


def test_make_node_by_name_runs_in_backward_and_says_what_grad_needs():
    x = Value(3.0)
    y = make_node(9.0, [x], [6.0], "square", label="y")
    (y * 2.0).backward()
    assert x.grad == 12.0
    assert (y.op, y.operation is not None and y.operation.has_rules) == ("square", False)


def test_an_op_of_ones_own_gives_floats_and_tuples_or_a_clear_error():
    as_list: Any = lambda out, x: [2 * x]  # noqa: E731  # a list, of ints on int data
    square = Op("sq", lambda x: x * x, as_list)
    node = square(Value(3))
    assert (type(node.data), node.local_grads, type(node.local_grads)) == (float, (6.0,), tuple)
    with pytest.raises(TypeError, match=r"^the value of bad\(\) needs a real number, got \(1\+1j\) \(complex\)$"):
        Op("bad", lambda x: complex(x, 1), lambda out, x: (1.0,))(Value(1.0))
    with pytest.raises(TypeError, match=r"^a local derivative of bad\(\) needs a real number, got '1' \(str\)$"):
        Op("bad", lambda x: x, lambda out, x: ("1",))(Value(1.0))


# -- errors name the op and its operands ------------------------------------------------------


@pytest.mark.parametrize(
    ("compute", "error", "message"),
    [
        (lambda: 2.0 ** Value(2000.0), OverflowError, r"^2\.0 \*\* 2000\.0 overflows$"),
        (lambda: Value(1e200) ** 2.0, OverflowError, r"^1e\+200 \*\* 2\.0 overflows$"),
        (lambda: Value(1000.0).exp(), OverflowError, r"^exp\(\) overflows for 1000\.0$"),
        (lambda: 1.0 / Value(0.0), ZeroDivisionError, r"^1\.0 / 0\.0: float division by zero$"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, r"^1\.0 / 0\.0: float division by zero$"),
        (
            lambda: Value(0.0) ** -1.0,
            ZeroDivisionError,
            r"^0\.0 \*\* -1\.0: 0\.0 cannot be raised to a negative power$",
        ),
    ],
)
def test_arithmetic_errors_write_out_the_op_and_its_operands(compute, error, message):
    with pytest.raises(error, match=message):
        compute()


@pytest.mark.parametrize(
    ("compute", "error", "message"),
    [
        (
            lambda: Value(0.0) ** Value(0.5),  # its value is 0.0; d/dx = 0.5 * 0.0 ** -0.5 divides by zero
            ZeroDivisionError,
            r"^the local derivatives of 0\.0 \*\* 0\.5: 0\.0 cannot be raised to a negative power$",
        ),
        (lambda: Value(1e-200) ** Value(-1.0), OverflowError, r"^the local derivatives of 1e-200 \*\* -1\.0 overflow$"),
        (
            lambda: Op("sqrt", math.sqrt, lambda out, x: (0.5 / out,))(Value(0.0)),
            ZeroDivisionError,
            r"^the local derivatives of sqrt\(\) for 0\.0: float division by zero$",
        ),
    ],
    ids=["0 ** 0.5", "1e-200 ** -1", "sqrt at 0"],
)
def test_an_arithmetic_error_of_the_local_derivatives_says_so(compute, error, message):
    with pytest.raises(error, match=message):  # the value itself is a number: it is not the one that failed
        compute()


def test_an_arithmetic_error_of_an_op_of_ones_own_names_it_and_its_operands():
    ratio = Op("ratio", lambda x, y: x / y, lambda out, x, y: (1 / y, -out / y))
    with pytest.raises(ZeroDivisionError, match=r"^ratio\(\) for 1\.0, 0\.0: float division by zero$"):
        ratio(Value(1.0), Value(0.0))


def test_the_rules_of_an_op_made_by_name_refuse_to_run():
    node = make_node(1.0, [Value(1.0)], [1.0], "f")
    assert node.operation is not None
    no_rules = r"^an op made with make_node\(\) by name has no rules: define it as an Op$"
    with pytest.raises(ValueError, match=no_rules):
        node.operation.value(1.0)
    with pytest.raises(ValueError, match=no_rules):
        node.operation.local(1.0, 1.0)


def test_make_node_keeps_an_op_record_it_is_given():
    double = Op("double", lambda x: 2 * x, lambda out, x: (2.0,))
    x = Value(3.0)
    node = make_node(6.0, [x], [2.0], double)
    assert node.operation is double
    assert grad(node, [x])[0].data == 2.0


def test_the_slope_of_a_power_at_zero():
    x = Value(0.0)
    (x**1.0).backward()
    assert x.grad == 1.0  # 1 * 0 ** 0
    assert (x**0.5).local_grads == (math.inf,) and (x**2.0).local_grads == (0.0,)


def test_a_power_whose_slope_overflows_where_its_value_does_not_gives_an_infinite_slope():
    from autograd import grad

    x = Value(1e-200)
    y = x**-1.0  # 1e200, and d/dx = -x^-2 = -1e400
    assert (y.data, y.local_grads) == (1e200, (-math.inf,))
    y.backward()
    assert x.grad == -math.inf == grad(x**-1.0, [x])[0].data


@pytest.mark.parametrize(("x", "c"), [(1e-310, 1e-5), (1e-310, 1e-3), (1e-309, 1e-6)])
def test_a_tiny_base_to_a_power_below_one_has_the_finite_slope_where_x_to_c_minus_1_overflows(x, c):
    """x^(c-1) overflows, and x^c / x would too (0.993 / 1e-310), where c x^c / x is finite: 9.93e304 for the first."""
    from autograd import grad
    from autograd.compile import compile_backprop

    base = Value(x)
    (base**c).backward()
    assert base.grad == c * x**c / x and math.isfinite(base.grad) and math.isinf(x**c / x)
    assert grad(base**c, [base])[0].data == base.grad
    again = Value(x)
    compile_backprop(again**c, [again])()
    assert again.grad == base.grad


def test_relu_of_negative_zero_has_the_local_derivative_plus_zero():
    assert repr(Value(-0.0).relu().local_grads[0]) == "0.0"


def test_micrograds_keyword_constructor_is_refused_with_the_way_forward():
    a = Value(1.0)
    with pytest.raises(TypeError, match=r"use an op \(a \* b\), or make_node"):
        Value(2.0, _children=(a,), _op="*")


def test_backward_adds_a_zero_to_a_leaf_whose_grad_is_negative_zero_as_the_chain_rule_says():
    # w reaches the root only through a relu that is off, so its share is x * 0.0 = +0.0, and
    # -0.0 + +0.0 is +0.0: passing the dead node over would leave -0.0.
    w, x = Value(-1.0), Value(2.0)
    w.grad = -0.0
    loss = (w * x).relu() + x
    loss.backward()
    assert repr(w.grad) == "0.0"
    w.grad = x.grad = -0.0  # every leaf at -0.0
    (w * x).relu().backward()
    assert (repr(w.grad), repr(x.grad)) == ("0.0", "-0.0")  # x gets w * 0.0 = -0.0


def test_values_compare_and_hash_by_identity_as_micrographs_do():
    v, twin = Value(3.0), Value(3.0)
    number: object = 3.0
    assert v == v and v != twin and v != number
    assert len({v, twin, v}) == 2 and {v: 1, twin: 2}[twin] == 2
    assert bool(Value(0.0)) and bool(Value(math.nan))
    other: Any = twin
    for compare in (lambda: v < other, lambda: v > other, lambda: v <= other, lambda: v >= other):
        with pytest.raises(TypeError, match=r"^Values are not ordered \(an ordering keeps no gradient\)"):
            compare()


def test_an_own_op_whose_rule_gives_a_bare_number_is_told_to_give_a_tuple():
    with pytest.raises(TypeError, match=r"^the rule of the op 'sin' gave 0\.87\d*; it needs to give a tuple of local"):
        Op("sin", math.sin, lambda out, x: math.cos(x))(Value(0.5))  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError, match=r"gave 3 local derivatives for 1 child: its rule needs"):
        Op("two", lambda x, c: x, lambda out, x, c: (1.0, 2.0, 3.0))(Value(0.5), 4.0)


def test_a_micrograd_style_backward_closure_runs_in_backward_and_is_refused_where_it_cannot_be_read():
    from autograd import explain, grad
    from autograd.compile import compile_backprop

    x = Value(2.0, label="x")
    cube = Value(x.data**3, label="cube")  # micrograd's way: a leaf, and a closure for its step

    def step() -> None:
        x.grad += 3 * x.data**2 * cube.grad

    cube._backward = step  # type: ignore[method-assign]
    y = cube * 1.0
    y.backward()
    assert x.grad == 12.0  # backward() runs each node's _backward, the closure too, as micrograd's does
    for reader, call in [
        ("grad()", lambda: grad(y, [x])),
        ("compile_backprop()", lambda: compile_backprop(y, [x])),
        ("explain()", lambda: explain(y, x)),
    ]:
        with pytest.raises(
            ValueError, match=rf"^{re.escape(reader)} cannot follow the value labelled 'cube': it has a _backward"
        ):
            call()


def test_data_or_grad_set_to_a_non_number_is_named_at_the_next_op_or_backward():
    w = Value(2.0, label="w")
    w.data = "5"  # type: ignore[assignment]
    with pytest.raises(
        TypeError, match=r"^the '\*' op needs real numbers, got '5' \(str\) as the data of a Value labelled 'w'$"
    ):
        w * 3.0
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    x.grad = "0"  # type: ignore[assignment]
    with pytest.raises(
        TypeError, match=r"^backward\(\) needs real numbers, got '0' \(str\) as the grad of a Value labelled 'x'$"
    ):
        y.backward()


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize(
    "op",
    [
        lambda w: w * 3.0,
        lambda w: w + Value(1.0),
        lambda w: 2.0 - w,
        lambda w: w**2,
        lambda w: w.relu(),
        lambda w: w.sigmoid(),
        lambda w: w.log(),
        lambda w: w.exp(),
        lambda w: dot([w, Value(1.0)], [1.0, 2.0], Value(0.5)),
        lambda w: vsum([w, Value(1.0)]),
    ],
)
def test_a_numpy_array_set_as_data_is_named_at_the_next_op(op, size):
    np = pytest.importorskip("numpy")
    w = Value(2.0, label="w")
    w.data = np.full(size, 3.0)
    with pytest.raises(
        TypeError,
        match=r"(op|vsum\(\)|dot\(\)) needs real numbers, got array\(\[3\.(, 3\., 3\.)?\]\) \(ndarray\) "
        r"as the data of a Value labelled 'w'$",
    ):
        op(w)


@pytest.mark.parametrize("bad", ["array", 1j])
def test_a_non_real_grad_on_a_leaf_is_named_by_backward(bad):
    np = pytest.importorskip("numpy")
    x = Value(2.0, label="x")
    y = x * x
    x.grad = np.array([0.0]) if bad == "array" else bad
    with pytest.raises(
        TypeError, match=r"^backward\(\) needs real numbers, got .* as the grad of a Value labelled 'x'$"
    ):
        y.backward()


def test_numpy_scalars_are_real_numbers_and_keep_minus_zero_exact():
    np = pytest.importorskip("numpy")
    x = Value(2.0, label="x")
    x.data = np.float64(3.0)
    y = x * x
    x.grad = np.float64(-0.0)
    y.backward()
    assert (y.data, x.grad) == (9.0, 6.0)


def test_numpy_s_bool_is_read_as_python_s_bool_wherever_a_number_is():
    np = pytest.importorskip("numpy")
    assert (Value(np.True_).data, Value(np.False_).data) == (1.0, 0.0)
    w, x = Value(0.5), Value(2.0)
    w.data = np.True_
    assert (dot([w], [x], np.True_).data, (x * np.True_).data, (w * x).data) == (3.0, 2.0, 2.0)
    assert all(type(d) is float for d in dot([w], [x]).local_grads)


def test_numpy_1_s_bool_named_bool__is_read_as_numpy_2_s_bool_is():
    numpy_1_bool = type("bool_", (), {"__module__": "numpy", "__float__": lambda self: 1.0, "__abs__": lambda self: 1})
    assert (Value(numpy_1_bool()).data, (Value(2.0) * numpy_1_bool()).data) == (1.0, 2.0)


def test_non_number_data_on_a_computed_or_unlabelled_value_is_named_as_such():
    y = Value(2.0) * 2.0
    y.label = "y"
    y.data = "5"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"as the data of the '\*' op labelled 'y'$"):
        y + 1.0
    z = Value(2.0)
    z.data = None  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"got None \(NoneType\) as the data of a Value$"):
        z.tanh()


def test_a_type_error_inside_an_own_ops_rule_is_its_own():
    broken = Op("broken", lambda x, c: x + "a", lambda out, x, c: (1.0,))
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'float' and 'str'"):
        broken(Value(1.0), 2.0)


def test_an_own_backward_on_a_computed_or_unlabelled_value_is_named_as_such():
    from autograd import grad

    x = Value(2.0)
    y = x * 2.0
    y._backward = lambda: None  # type: ignore[method-assign]
    with pytest.raises(ValueError, match=r"^grad\(\) cannot follow the '\*' op: it has a _backward of its own"):
        grad(y, [x])
    x._backward = lambda: None  # type: ignore[method-assign]
    with pytest.raises(ValueError, match=r"^grad\(\) cannot follow the value: it has a _backward of its own"):
        grad(x * 1.0, [x])


def test_zero_grad_of_a_model_or_a_number_says_what_it_takes():
    class Model:
        def parameters(self) -> list[Value]:
            return []

    with pytest.raises(
        TypeError, match=r"^zero_grad\(\) takes Values, not a model: call model\.zero_grad\(\), or zero_grad"
    ):
        zero_grad(Model())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^zero_grad\(\) takes an iterable of Values, got float 1\.5$"):
        zero_grad(1.5)  # type: ignore[arg-type]
    w = Value(1.0)
    w.grad = 3.0
    with pytest.raises(TypeError, match=r"^zero_grad\(\) takes Values, got 1\.0 \(float\) at position 1$"):
        zero_grad([w, 1.0])  # type: ignore[list-item]
    assert w.grad == 3.0  # nothing is changed


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy's, before the float retry
def test_numpy_scalars_and_ints_set_as_data_are_computed_as_floats():
    np = pytest.importorskip("numpy")
    a, b = Value(1.0, label="a"), Value(1.0, label="b")
    a.data, b.data = np.int64(2**62), np.int64(4)  # int64 arithmetic would wrap around to 0
    product = a * b
    assert type(product.data) is float and product.data == 2.0**64
    w = Value(0.1, label="w")
    w.data = np.float32(0.07)  # float32 arithmetic would overflow to inf
    big = w * 1e30 * 1e10
    assert type(big.data) is float and big.data == float(np.float32(0.07)) * 1e30 * 1e10
    c = Value(1.0)
    c.data = 3  # an int, as micrograd allows
    assert type((c * c).data) is float and (c * c).data == 9.0


def test_a_numpy_scalar_set_as_a_leafs_grad_becomes_a_float_that_gradients_add_to():
    np = pytest.importorskip("numpy")
    x = Value(2.0, label="x")
    y = x * x
    x.grad = np.float32(0.5)
    y.backward()
    assert type(x.grad) is float and x.grad == 4.5


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy's, as it casts to float
def test_a_numpy_longdouble_too_large_for_a_float_is_refused_as_an_int_is_and_its_infinity_kept():
    np = pytest.importorskip("numpy")
    huge = np.longdouble("1e4000")
    if huge == math.inf:
        pytest.skip("this machine's longdouble is a double: 1e4000 is inf in it too")
    with pytest.raises(OverflowError, match=r"got a number \(longdouble\) of about 10\^4000, too large for a float"):
        Value(huge)  # not data=inf
    with pytest.raises(OverflowError, match=r"got a number \(longdouble\) of about 10\^4000, too large for a float"):
        Value(1.0) * -huge
    assert Value(np.longdouble("inf")).data == math.inf  # an infinity stays one


def test_a_number_too_large_for_a_float_is_named_where_it_is_met():
    with pytest.raises(
        OverflowError, match=r"^a Value needs a number a float can hold: got a number \(int\) of about 10\^400"
    ):
        Value(10**400)
    with pytest.raises(
        OverflowError, match=r"^an operand of \+ needs a number a float can hold: got a number \(int\) of about 10\^400"
    ):
        Value(1.0) + 10**400
    with pytest.raises(OverflowError, match=r"^an operand of \* .*: got a number \(Fraction\) of about 10\^309, too"):
        Value(1.0) * Fraction(-(10**310), 3)  # type: ignore[operator]
    v = Value(1.0, label="v")
    v.data = 10**400
    with pytest.raises(
        OverflowError,
        match=r"^the '\*' op needs numbers a float can hold .* got a number \(int\) of about 10\^400 "
        r"as the data of a Value labelled 'v'$",
    ):
        v * 2.0
    w = Value(1.0, label="w")
    y = w * 2.0
    w.grad = -(10**400)
    with pytest.raises(
        OverflowError, match=r"^backward\(\) needs numbers a float can hold .* as the grad of a Value labelled 'w'$"
    ):
        y.backward()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (int, r"^a Value cannot become a plain number here: float\(\), int\(\), round\(\)"),
        (round, r"^a Value cannot become a plain number here"),
        (
            abs,
            r"^abs\(\) of a Value: write x\.relu\(\) \+ \(-x\)\.relu\(\), or abs\(x\.data\) for the number \(2\.5\)$",
        ),
        (lambda v: v > 0, r"^Values are not ordered .*compare their numbers, as in x\.data > 0"),
        (lambda v: max(v, Value(1.0)), r"^Values are not ordered"),
        (lambda v: sorted([v, Value(1.0)]), r"^Values are not ordered"),
    ],
)
def test_what_would_drop_a_gradient_says_what_to_write_instead(call, message):
    with pytest.raises(TypeError, match=message):
        call(Value(2.5))


def test_another_engines_value_is_refused_not_wrapped():
    class OtherValue:  # as micrograd's: data and grad, and an __radd__ that would wrap chainrule's Value
        def __init__(self, data):
            self.data, self.grad = data, 0.0

        def __radd__(self, other):
            return OtherValue(other)

    named = re.escape(f"{OtherValue.__module__}.{OtherValue.__qualname__}")
    with pytest.raises(
        TypeError,
        match=rf"^a chainrule Value cannot be combined with another engine's Value \({named}\): make it one of "
        r"chainrule's, Value\(v\.data\), or use its number, v\.data$",
    ):
        Value(1.0) + OtherValue(2.0)

    held = Value(1.0, label="w")
    held.data = OtherValue(2.0)  # type: ignore[assignment]
    with pytest.raises(
        TypeError,
        match=rf"^the '\*' op needs real numbers, got .* \(OtherValue\) as the data of a Value labelled 'w', "
        rf"another engine's Value \({named}\): make it one of chainrule's, Value\(v\.data\), or use its number",
    ):
        held * 2.0

    class HoldsData:  # data but no grad: not a Value of another engine, just an operand Value does not take
        data = 2.0

    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for \+: 'Value' and 'HoldsData'$"):
        Value(1.0) + HoldsData()  # type: ignore[operator]


def test_an_int_set_as_data_is_named_as_a_float_where_an_op_divides_by_zero():
    x, y = Value(1.0, label="x"), Value(1.0, label="y")
    x.data, y.data = 1, 0
    with pytest.raises(ZeroDivisionError, match=r"^1\.0 / 0\.0: float division by zero$"):  # as for 1.0 / 0.0
        x / y


@pytest.mark.parametrize(
    ("data", "compute", "as_floats"),
    [
        ((2**53 + 1, 3), lambda a, b: a / b, lambda a, b: a / b),  # int / int is the exact quotient, rounded
        ((2**53 + 1, 3), lambda a, b: a**b, lambda a, b: a**b),  # int ** int: exact, and an int derivative
        ((2**53 + 1, 3), lambda a, b: a * b + a, lambda a, b: a * b + a),
        ((Fraction(1, 3), 3), lambda a, b: a * b, lambda a, b: a * b),
        ((True, 2), lambda a, b: (a - b).exp(), lambda a, b: math.exp(a - b)),
    ],
)
def test_every_op_reads_data_of_another_type_as_the_nearest_float_first(data, compute, as_floats):
    a, b = Value(1.0), Value(1.0)
    a.data, b.data = data
    out = compute(a, b)
    out.backward()
    assert out.data == as_floats(*map(float, data)) and type(out.data) is float
    assert all(type(d) is float for node in (out, *out.children) for d in node.local_grads)
    twin_a, twin_b = Value(float(data[0])), Value(float(data[1]))
    twin = compute(twin_a, twin_b)
    twin.backward()
    assert (a.grad, b.grad) == (twin_a.grad, twin_b.grad)


def test_data_that_is_no_real_number_is_named_by_every_op():
    a = Value(1.0, label="a")
    a.data = Decimal("0.5")  # type: ignore[assignment]
    for op in (lambda: a.exp(), lambda: a.tanh(), lambda: a.log(), lambda: a * 2, lambda: a / a, lambda: a**2):
        with pytest.raises(
            TypeError,
            match=r"needs real numbers, got Decimal\('0.5'\) \(Decimal\) as the data of a Value labelled 'a'$",
        ):
            op()
    a.data = 10**400
    with pytest.raises(
        OverflowError, match=r"^the 'log' op needs numbers a float can hold .* as the data of a Value labelled 'a'$"
    ):
        a.log()


def test_numbers_only_read_as_floats_with_a_named_error():
    assert dot([2**53 + 1], [3]).data == float(2**53) * 3.0
    with pytest.raises(TypeError, match=r"^a weight of dot\(\) needs a real number, got Decimal\('1'\) \(Decimal\)$"):
        dot([Decimal(1)], [3.0])  # type: ignore[list-item]
    with pytest.raises(
        OverflowError,
        match=r"^an operand of vsum\(\) needs a number a float can hold: got a number \(int\) of about 10\^400",
    ):
        vsum([10**400, 1.0])
    with pytest.raises(TypeError, match=r"^an operand of vsum\(\) needs a real number, got 'a' \(str\)$"):
        vsum([Value(1.0), "a"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^an operand of sum\(\) needs a real number, got 'a' \(str\)$"):
        SUM(Value(1.0), "a")  # the record, called as itself


def test_an_own_op_names_a_plain_operand_that_is_no_number():
    keep = Op("keep", lambda x, c: c, lambda out, x, c: (0.0,))
    with pytest.raises(TypeError, match=r"^an operand of keep\(\) needs a real number, got '3' \(str\)$"):
        keep.apply((Value(1.0), "3"))  # type: ignore[arg-type]


def test_an_own_op_reads_a_plain_int_operand_as_a_float():
    keep = Op("keep", lambda x, c: c, lambda out, x, c: (0.0,))
    node = keep.apply((Value(1.0), 3))
    assert (node.data, type(node.data), node.operands) == (3.0, float, (node.children[0], 3))


def test_an_own_op_over_numpy_data_keeps_one_local_derivative_per_child():
    np = pytest.importorskip("numpy")
    scale = Op("scale", lambda x, c: x * c, lambda out, x, c: (c, x))  # it also gives d/dc, which is not kept
    v = Value(1.0, label="v")
    v.data = np.float32(3.0)  # the op's value is a float32: computed again from floats
    y = scale(v, 2.0)
    assert (type(y.data), y.data) == (float, 6.0)
    assert y.children == (v,) and y.local_grads == (2.0,)
    y.backward()
    assert v.grad == 2.0


def test_a_value_where_a_plain_number_belongs_is_named_with_its_number():
    with pytest.raises(
        TypeError,
        match=r"^a Value needs a plain number, got Value\(data=1.0, grad=0.0\): pass its number, x.data \(1.0\)$",
    ):
        Value(Value(1.0))  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^the data of 'f' needs a plain number, got Value\(data=2.0, grad=0.0\): pass"
    ):
        make_node(Value(2.0), [], [], "f")  # type: ignore[arg-type]


def test_an_object_with_data_but_no_grad_is_not_called_another_engines_value():
    class Reading:  # a number's wrapper with .data, such as a numpy array's buffer, but no gradient
        data = 0.5

    with pytest.raises(
        TypeError, match=r"^an input of dot\(\) needs a real number, got <.*Reading object at .*> \(Reading\)$"
    ):
        dot([Value(1.0)], [Reading()], Value(0.0))  # type: ignore[list-item]


def test_an_op_whose_value_function_takes_more_than_its_operands_lets_its_own_error_pass():
    np = pytest.importorskip("numpy")
    square_root = Op("s", np.sqrt, lambda out, x: (0.5 / out,))
    with pytest.raises(TypeError, match=r"^return arrays must be of ArrayType$"):  # np.sqrt(x, out): numpy's words
        square_root(Value(1.0), Value(2.0))  # not the local function blamed for it


def test_a_subclass_of_value_cannot_redefine_equality_or_hash():
    with pytest.raises(TypeError, match=r"^ByData, a subclass of Value, cannot define __eq__ or __hash__: the engine"):

        class ByData(Value):
            def __eq__(self, other: object) -> bool:
                return isinstance(other, Value) and self.data == other.data

    with pytest.raises(
        TypeError, match=r"^Hashed, a subclass of Value, cannot define __hash__: .* \(a\.data == b\.data\)$"
    ):

        class Hashed(Value):
            def __hash__(self) -> int:
                return hash(self.data)

    class ByDataMixin:
        def __eq__(self, other: object) -> bool:
            return self is other

        def __hash__(self) -> int:
            return 0

    with pytest.raises(TypeError, match=r"^Mixed, a subclass of Value, cannot define __eq__ or __hash__"):

        class Mixed(ByDataMixin, Value):  # from a class it also derives from
            pass

    class Named(Value):  # other methods are the subclass's own
        def twice(self) -> Value:
            return self * 2.0

    a, b = Named(1.0), Named(1.0)
    (a.twice() * b).backward()
    assert (a.grad, b.grad) == (2.0, 2.0)  # two equal numbers, two Values, each its own gradient


@pytest.mark.parametrize(
    ("compute", "op"),
    [
        (lambda x: x * 10**400, r"\*"),
        (lambda x: 10**400 + x, r"\+"),
        (lambda x: x - 10**400, "-"),
        (lambda x: 10**400 / x, "/"),
        (lambda x: x ** (-(10**400)), r"\*\*"),
    ],
)
def test_an_int_operand_too_large_for_a_float_is_named_with_its_op(compute, op):
    with pytest.raises(
        OverflowError,
        match=rf"^an operand of {op} needs a number a float can hold: got a number \(int\) of about 10\^400, too large",
    ):
        compute(Value(2.0))


def test_a_value_and_an_operand_that_is_no_number_give_pythons_own_type_error():
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'Value' and 'object'"):
        Value(1.0) + object()  # type: ignore[operator]
    with pytest.raises(TypeError, match=r"can't multiply sequence by non-int of type 'Value'"):
        Value(2.0) * "a"  # type: ignore[operator]
    assert (Value(2.0) * 3).arguments[1] == 3.0 and type((Value(2.0) * 3).arguments[1]) is float


# -- backward() from several threads ------------------------------------------------------------


def chain_of_tanh(ws: list[Value]) -> Value:
    total = ws[0]
    for w in ws[1:]:
        total = (total * w + w).tanh()
    return total


def test_threads_backpropagating_through_one_graph_add_up_as_calls_in_turn_would():
    ws = [Value(0.5 + i / 100) for i in range(50)]
    loss = chain_of_tanh(ws)
    in_turns, at_once = in_turns_and_at_once(loss.backward, ws, threads=8, calls=40)
    assert at_once == in_turns and in_turns[0] != 0.0


@pytest.mark.parametrize("name", ["no_grad", "detect_anomaly", "vsum", "dot", "dots", "neurons"])
def test_a_name_that_moved_out_of_the_engine_is_still_found_there_with_a_deprecation_warning(name):
    with pytest.warns(
        DeprecationWarning, match=rf"^autograd\.engine\.{name} has moved to autograd\.(modes|sums): "
    ) as warned:
        moved = getattr(engine, name)
    if "mutmut" not in sys.modules:  # mutmut's trampoline (in its clean runs too) adds a frame of its own
        assert warned[0].filename == __file__  # the warning points at the code that asked for the name
    assert moved is getattr(autograd, name)  # what `from autograd import ...` gives
    with pytest.raises(AttributeError, match=r"^module 'autograd.engine' has no attribute 'no_such_name'$"):
        engine.no_such_name  # noqa: B018
