import math

import pytest

from autograd import Value


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


def test_root_at_zero_has_no_finite_derivative():
    with pytest.raises(ZeroDivisionError, match=r"no finite derivative at x = 0\.0"):
        Value(0.0) ** 0.5


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
