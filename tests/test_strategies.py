import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, gradcheck
from autograd.strategies import Expression, expressions

finite = st.floats(-10.0, 10.0, allow_nan=False)


@settings(max_examples=3000, deadline=None)
@given(expressions())
def test_backward_agrees_with_finite_differences(expr: Expression):
    assert gradcheck(expr, expr.inputs)


@given(expressions(max_steps=20))
def test_expressions_share_subexpressions_and_stay_real(expr: Expression):
    out = expr(*(Value(x) for x in expr.inputs))
    assert isinstance(out.data, float)
    assert math.isfinite(out.data)


def test_expressions_do_reuse_nodes():
    @settings(max_examples=200, deadline=None)
    @given(expressions())
    def record(expr: Expression) -> None:
        used = [i for _, args in expr.steps for i in args]
        reused.append(len(used) != len(set(used)))

    reused: list[bool] = []
    record()
    assert sum(reused) > len(reused) // 4


@given(finite, finite)
def test_product_rule(a, b):
    x, y = Value(a), Value(b)
    (x * y).backward()
    assert (x.grad, y.grad) == (b, a)


@given(st.floats(-50, 50))
def test_exp_is_its_own_derivative(a):
    x = Value(a)
    out = x.exp()
    out.backward()
    assert x.grad == out.data


@given(st.floats(0.01, 1e6))
def test_log_derivative_is_reciprocal(a):
    x = Value(a)
    x.log().backward()
    assert math.isclose(x.grad, 1 / a, rel_tol=1e-15)


@given(st.floats(-1e4, 1e4))
def test_sigmoid_derivative_and_symmetry(a):
    x = Value(a)
    s = x.sigmoid()
    s.backward()
    assert math.isclose(x.grad, s.data * (1 - s.data), abs_tol=1e-300)
    assert math.isclose(s.data + Value(-a).sigmoid().data, 1.0, rel_tol=1e-12)


@given(finite, st.integers(1, 6))
def test_reused_node_accumulates_once_per_use(a, uses):
    x = Value(a)
    total = x
    for _ in range(uses - 1):
        total = total + x
    total.backward()
    assert x.grad == uses


def test_an_expression_called_with_other_than_its_inputs_count_says_so():
    expr = Expression(inputs=(1.0, 2.0), steps=(("+", (0, 1)), ("exp", (2,))))
    assert expr(Value(1.0), Value(2.0)).data == math.exp(3.0)
    for wrong in ([Value(1.0)], [Value(1.0), Value(2.0), Value(5.0)]):  # the third was read as the sum: exp(5)
        with pytest.raises(TypeError, match=r"^this Expression is a function of 2 inputs, got \d: call it as "):
            expr(*wrong)


@pytest.mark.parametrize(("keyword", "size"), [("max_inputs", 0), ("max_steps", 0), ("max_steps", 2.5)])
def test_expressions_refuse_a_size_that_draws_nothing_by_its_name(keyword, size):
    @given(expressions(**{keyword: size}))
    def draw(expr: Expression) -> None:
        pass

    with pytest.raises(ValueError, match=rf"^expressions\(\) needs {keyword} to be a whole number of 1 or more, got "):
        draw()
