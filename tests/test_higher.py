import doctest
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings

import autograd.higher
from autograd import Op, Value, dot, grad, gradgradcheck, hessian, make_node, topological_order, vsum
from autograd.strategies import Expression, expressions
from nn import MLP
from tests.containers import ParameterList


def test_the_module_example_runs():
    assert doctest.testmod(autograd.higher).failed == 0


@settings(max_examples=500, deadline=None)
@given(expressions(max_steps=20))
def test_grad_equals_backward_bit_for_bit(expr: Expression):
    xs = [Value(x) for x in expr.inputs]
    out = expr(*xs)
    firsts = grad(out, xs)
    out.backward()
    assert [g.data for g in firsts] == [x.grad for x in xs]


@settings(max_examples=300, deadline=None)
@given(expressions(max_steps=8))
def test_second_derivatives_agree_with_finite_differences(expr: Expression):
    assert gradgradcheck(expr, expr.inputs)


X = 0.7
SECOND_DERIVATIVES = [  # f, d²f/dx² at X by hand
    (lambda x: x**3, 6 * X),
    (lambda x: x * x * x, 6 * X),
    (lambda x: 1.0 / x, 2 / X**3),
    (lambda x: x / (x + 1.0), -2 / (X + 1) ** 3),
    (lambda x: x**0.5, -0.25 * X**-1.5),
    (lambda x: 2.0**x, math.log(2) ** 2 * 2**X),
    (lambda x: x**x, X**X * ((math.log(X) + 1) ** 2 + 1 / X)),
    (lambda x: (-x).exp(), math.exp(-X)),
    (lambda x: x.log(), -1 / X**2),
    (lambda x: x.tanh(), -2 * math.tanh(X) * (1 - math.tanh(X) ** 2)),
    (lambda x: x.sigmoid(), (s := 1 / (1 + math.exp(-X))) * (1 - s) * (1 - 2 * s)),
    (lambda x: (x * 3.0).relu(), 0.0),
    (lambda x: (3.0 - x) * (x - 1.0), -2.0),
    (lambda x: vsum([x * x, x, 2.0]), 2.0),
    (lambda x: dot([x, 2.0], [x * x, x * x * x], bias=x), 18 * X),  # 3x³ + x
]


@pytest.mark.parametrize(("f", "expected"), SECOND_DERIVATIVES)
def test_each_op_has_its_second_derivative(f, expected):
    x = Value(X)
    [first] = grad(f(x), [x])
    [second] = grad(first, [x])
    assert second.data == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_mixed_partials_are_equal():
    x, y = Value(0.3), Value(-1.2)
    h = hessian((x * y).tanh() + x**2 * y.exp(), [x, y])
    assert h[0][1] == h[1][0]
    t = math.tanh(0.3 * -1.2)
    assert h[0][1] == pytest.approx(-2 * t * (1 - t * t) * 0.3 * -1.2 + (1 - t * t) + 2 * 0.3 * math.exp(-1.2))


def test_numbers_that_meet_at_one_value_are_added_in_order_as_backward_adds_them():
    x = Value(3.0)
    out = vsum([x * 1e16, x * 1.0, x * -1e16])  # d/dx: 1e16, 1 and -1e16, added left to right
    (derivative,) = grad(out, [x])
    out.backward()
    assert derivative.data == x.grad == 0.0  # 1e16 + 1 rounds to 1e16; a compensated sum gives 1.0


def test_the_mixed_partial_of_a_power_at_exponent_zero():
    """f = x^y: d/dy (df/dx) = d/dy (y x^(y-1)) = x^(y-1) (1 + y log x), which is 1/x at y = 0,
    though df/dx itself is 0 there (found by hypothesis: grad() had taken df/dx as the constant 0)."""
    x, y = Value(2.0), Value(0.0)
    h = hessian(x**y, [x, y])
    assert h[0][1] == h[1][0] == 0.5
    assert h[1][1] == math.log(2.0) ** 2
    assert grad(grad(x**0.0, [x])[0], [x])[0].data == 0.0  # a constant exponent 0 stays the constant 0


def test_newtons_method_finds_the_minimum_of_a_quartic():
    """x <- x - f'(x)/f''(x) on f(x) = x⁴ - 3x² + x, from x = 2."""
    x = 2.0
    for _ in range(6):
        v = Value(x)
        [first] = grad(v**4 - 3.0 * v**2 + v, [v])
        [second] = grad(first, [v])
        x -= first.data / second.data
    assert 4 * x**3 - 6 * x + 1 == pytest.approx(0.0, abs=1e-12)
    assert x == pytest.approx(1.130901, abs=1e-6)


def test_the_hessian_of_a_small_networks_loss_is_symmetric_and_agrees_with_finite_differences():
    def loss(w1: Value, w2: Value, w3: Value, b: Value) -> Value:
        hidden = dot([w1, w2], [0.5, -1.5], b).tanh()
        return (dot([w3], [hidden], 0.1) - 0.25) ** 2

    point = [0.4, -0.3, 0.8, 0.05]
    params = [Value(p) for p in point]
    h = hessian(loss(*params), params)
    assert all(h[i][j] == pytest.approx(h[j][i], rel=1e-12) for i in range(4) for j in range(4))
    assert gradgradcheck(loss, point)


def test_the_gradient_is_a_graph_of_the_engines_ops():
    x = Value(2.0, "x")
    [first] = grad((x * x).tanh(), [x])
    ops = {v.op for v in topological_order(first)}
    assert {"tanh", "*", "-"} <= ops
    assert x in topological_order(first)


def test_a_value_the_output_does_not_depend_on_has_derivative_zero():
    x, y = Value(1.0), Value(2.0)
    [dx, dy] = grad(x.exp(), [x, y])
    assert (dx.data, dy.data) == (math.e, 0.0)
    assert grad(dy, [y])[0].data == 0.0


def test_an_op_without_derivatives_is_named():
    x = Value(1.0)
    custom = make_node(x.data**2, [x], [2 * x.data], "square", label="sq")
    with pytest.raises(
        ValueError, match=r"no derivatives for the op 'square' \(sq\): it was made with make_node\(\) by"
    ):
        grad(custom, [x])
    with pytest.raises(TypeError, match="grad\\(output, inputs\\) needs a Value and a list of Values"):
        grad(x, [1.0])  # type: ignore[list-item]


def test_grad_and_hessian_take_the_inputs_from_a_generator_and_refuse_one_value_for_the_list():
    x, y = Value(2.0), Value(3.0)
    f = x * x * y
    assert [d.data for d in grad(f, (v for v in [x, y]))] == [12.0, 4.0]  # 2xy, x²
    assert hessian(f, iter([x, y])) == [[6.0, 4.0], [4.0, 0.0]]  # read once, used for each row

    class Indexed:  # a sequence of __getitem__ alone, as Python's iter() reads it
        def __getitem__(self, i: int) -> Value:
            return [x, y][i]

    assert [d.data for d in grad(f, Indexed())] == [12.0, 4.0]  # type: ignore[arg-type]
    for differentiate in (grad, hessian):
        name = differentiate.__name__
        with pytest.raises(
            TypeError,
            match=rf"^{name}\(output, inputs\) needs a list of Values as inputs, got the one Value "
            rf"Value\(data=2\.0, grad=0\.0\): write {name}\(output, \[x\]\) for one$",
        ):
            differentiate(f, x)  # type: ignore[arg-type]
        with pytest.raises(
            TypeError, match=rf"^{name}\(output, inputs\) needs a Value and a list of Values, got .* and 5$"
        ):
            differentiate(f, 5)  # type: ignore[arg-type]
        with pytest.raises(
            TypeError,
            match=rf"^{name}\(output, inputs\) needs a list of Values as inputs, got a model \(MLP\): pass its "
            rf"parameters, {name}\(output, model.parameters\(\)\)$",
        ):
            differentiate(f, MLP(2, [1]))  # type: ignore[arg-type]
    assert len(grad(f, ParameterList([x, y]))) == 2


def test_a_dead_relu_brings_no_nodes_and_several_edges_meet_in_one_sum():
    x, y = Value(-1.0), Value(2.0)
    [dx, dy] = grad((x * y).relu() + y * y + y.exp(), [x, y])
    assert (dx.data, dx.children) == (0.0, ())  # relu's local derivative is the constant 0 here
    assert dy.op == "sum" and len(dy.children) == 3  # y*y brings two edges, exp one
    assert dy.data == 2 * 2.0 + math.exp(2.0)


def test_an_edge_from_the_root_brings_its_local_derivative_itself_in_a_value_of_its_own():
    x = Value(2.0)
    y = x.exp()
    [dy_dx] = grad(y, [x])
    assert dy_dx.op == "sum" and dy_dx.operands == (y,)  # d exp(x)/dx is exp(x): that node, no "× 1"
    assert dy_dx.data == y.data
    dy_dx.label = "dy/dx"
    assert y.label == ""  # labelling the derivative leaves the graph as it was


def test_a_derivative_that_is_a_parameter_is_not_the_parameter_itself():
    x, w = Value(3.0), Value(4.0, label="w")
    [dy_dx] = grad(x * w, [x])
    assert dy_dx is not w and dy_dx.data == 4.0
    dy_dx.label = "dy/dx"
    assert [g.data for g in grad(dy_dx, [w])] == [1.0]  # it is still differentiated through w
    dy_dx.data = 5.0
    assert (w.label, w.data) == ("w", 4.0)


@pytest.mark.parametrize(("make", "at"), [(lambda x: 0.0 / x, 2.0), (lambda x: x**2, -0.0), (lambda x: x * 0.0, -1.0)])
def test_a_derivative_of_zero_has_the_sign_backward_gives_it(make, at):
    x = Value(at)
    make(x).backward()
    y = Value(at)
    [g] = grad(make(y), [y])
    assert (g.data, math.copysign(1.0, g.data)) == (x.grad, math.copysign(1.0, x.grad)) == (0.0, 1.0)


def test_zeros_are_left_out_of_a_sum():
    x, y = Value(-1.0), Value(2.0)
    [dy] = grad((x * y).relu() + y * y, [y])
    assert dy.op == "sum" and dy.operands == (y, y)  # the dead relu's 0 is not an operand
    assert dy.data == 4.0


def test_an_op_whose_rule_gives_the_wrong_number_of_derivatives_is_an_error():
    x, y = Value(2.0), Value(3.0)
    one_for_two = Op("pair", lambda a, b: a * b, lambda out, a, b: (b,))
    with pytest.raises(ValueError, match=r"the op 'pair' gave 1 local derivatives for 2 children: its rule needs"):
        one_for_two(x, y)
    assert one_for_two(x, 4.0).local_grads == (4.0,)  # one child: one derivative


def test_a_constant_zero_local_derivative_brings_nothing_even_from_a_value_gradient():
    x, y = Value(-1.0), Value(2.0)
    [dx] = grad((x * y).relu() * y, [x])  # relu's upstream is the Value y, its local derivative the constant 0
    assert (dx.op, dx.data, dx.children) == ("", 0.0, ())


def test_a_gradient_of_constants_alone_is_a_number():
    x = Value(1.0)
    [dx] = grad(x * 2.0 + x * 3.0, [x])
    assert (dx.op, dx.data) == ("", 5.0)


def test_an_unlabelled_op_without_derivatives_is_named_by_its_op_alone():
    x = Value(1.0)
    with pytest.raises(ValueError, match=r"no derivatives for the op 'square': it was made with make_node\(\)"):
        grad(make_node(1.0, [x], [2.0], "square"), [x])


def test_grad_refuses_a_graph_whose_operands_were_changed_after_it_was_built():
    x, w = Value(0.5, label="x"), Value(2.0, label="w")
    y = (x * w).tanh()
    assert grad(y, [x])[0].data == pytest.approx(2.0 * (1 - math.tanh(1.0) ** 2), rel=1e-15)
    w.data = 3.0
    with pytest.raises(
        ValueError,
        match=r"^grad\(\) cannot go through the '\*' op: its operands were changed after it was computed "
        r"\(they now give 1\.5, it holds 1\.0\); compute the output again from the current values$",
    ):
        grad(y, [x])
    w.data = 2.0  # back as it was: the graph holds again
    assert grad(y, [x])[0].data == pytest.approx(2.0 * (1 - math.tanh(1.0) ** 2), rel=1e-15)


@pytest.mark.parametrize(
    ("make", "slopes"),
    [
        (lambda x: (x * x).exp(), r"\(-2\.0, -2\.0\), where it keeps \(2\.0, 2\.0\)"),
        (lambda x: (x**2).tanh(), r"\(-4\.0,\)"),
    ],
    ids=["x * x", "x ** 2"],
)
def test_grad_refuses_an_operand_changed_where_the_value_stays_but_the_local_derivatives_do_not(make, slopes):
    x = Value(2.0)
    y = make(x)
    y.backward()
    x.data = -2.0  # x² is 4 at -2 too; its slope is not: grad() would give -2x e^(x²) where backward() gave 2x e^(x²)
    with pytest.raises(ValueError, match=rf"\(they still give its value, but now the local derivatives {slopes}"):
        grad(y, [x])
    with pytest.raises(ValueError, match=r"its operands were changed after it was computed"):
        hessian(y, [x])
    x.data = 2.0
    assert grad(y, [x])[0].data == x.grad


@pytest.mark.parametrize("data", [Fraction(1, 3), 2**53 + 1, True], ids=["Fraction", "2**53 + 1", "True"])
def test_grad_reads_data_of_another_kind_of_number_as_the_engine_did_not_as_changed(data):
    x, w = Value(1.0), Value(0.3)
    x.data = data  # read as the float nearest it, by the op and by grad() alike (data * data would be exact)
    y = x * x * w
    y.backward()
    assert [d.data for d in grad(y, [x, w])] == [x.grad, w.grad] == [2 * float(data) * 0.3, float(data) ** 2]


def test_the_second_derivative_of_relu_at_nan_is_nan_as_its_first_is():
    x = Value(math.nan)
    [[second]] = hessian(x.relu(), [x])
    [[twice]] = hessian(x.relu().relu(), [x])
    assert math.isnan(second) and math.isnan(twice)  # not 0.0: relu's slope at NaN is no constant
    y = Value(2.0)
    assert hessian(y.relu() * y, [y]) == [[2.0]] and hessian((-y).relu() * y, [y]) == [[0.0]]


def test_hessian_inside_no_grad_says_the_block_stops_it_not_the_users_value():
    from autograd import gradgradcheck, no_grad

    x = Value(0.5)
    y = x * x * x
    message = (
        r"^hessian\(\) differentiates the first derivatives that grad\(\) builds as a graph, and no_grad\(\) keeps"
    )
    with no_grad():
        with pytest.raises(RuntimeError, match=message):
            hessian(y, [x])
        with pytest.raises(RuntimeError, match=message):
            gradgradcheck(lambda v: v * v * v, [0.5])
        assert grad(y, [x])[0].data == 0.75  # first derivatives are numbers under no_grad() too
    assert hessian(y, [x]) == [[3.0]]


def test_grad_goes_through_a_graph_that_holds_nan_as_built():
    x = Value(math.nan)
    assert grad(x * 2.0, [x])[0].data == 2.0  # NaN then is NaN now: nothing was changed
    assert math.isnan(grad(x.tanh(), [x])[0].data)  # its slope 1 - out² is a NaN computed again, not the one kept


@pytest.mark.parametrize("at", [0.0, -0.0])
def test_relus_slope_at_zero_is_zero_for_grad_as_for_backward(at):
    x = Value(at)
    y = x.relu() * 3.0
    y.backward()
    [g] = grad(y, [x])
    assert (g.data, x.grad) == (0.0, 0.0)
    assert hessian(y, [x]) == [[0.0]]


@pytest.mark.parametrize(
    ("before", "after", "make", "label", "refused"),
    [
        (math.nan, 1.0, lambda x: x * 2.0, "", r"the '\*' op: .* \(they now give 2\.0, it holds nan\)"),
        (1.0, math.nan, lambda x: x * 2.0, "", r"the '\*' op: .* \(they now give nan, it holds 2\.0\)"),
        (
            2.0,
            -1.0,
            lambda x: x.log(),
            "",
            r"the 'log' op: .* \(they now raise ValueError: log\(\) needs a positive value, got -1\.0, it holds 0\.693",
        ),
        (2.0, 3.0, lambda x: x.log(), "y", r"the 'log' op labelled 'y': its operands were changed"),
        (
            2.0,
            "two",
            lambda x: x * 2.0,
            "",
            r"the '\*' op: .* \(they now raise TypeError: an operand of \*\(\) needs a real",
        ),
    ],
)
def test_grad_refuses_an_operand_changed_to_or_from_nan_or_out_of_the_ops_domain(before, after, make, label, refused):
    x = Value(before)
    y = make(x)
    y.label = label
    x.data = after
    with pytest.raises(ValueError, match=rf"^grad\(\) cannot go through {refused}"):
        grad(y, [x])


def test_a_value_computed_under_no_grad_is_refused_as_backward_refuses_it():
    from autograd import no_grad

    x = Value(2.0, label="x")
    with no_grad():
        y = x * x
    y.label = "y"
    with pytest.raises(RuntimeError, match=r"^grad\(\) cannot pass gradients back: this value is computed under"):
        grad(y, [x])  # not "its operands were changed after it was computed"
    with pytest.raises(RuntimeError, match=r"^grad\(\) cannot pass gradients back: this value depends on the '\*' op "):
        hessian(y * x, [x])


def test_a_derivative_of_one_new_term_is_that_term_with_no_sum_around_it():
    x = Value(0.5)
    [g] = grad(-(x.exp()), [x])  # exp(x) × -1: one product, of a negative number
    assert g.op == "*" and g.operands[1] == -1.0 and g.data == -math.exp(0.5)
