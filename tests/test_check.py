import functools
import math
import re
from collections.abc import Callable

import pytest

from autograd import GradcheckError, Op, Value, gradcheck, gradgradcheck, make_node
from autograd.engine import number


def test_gradcheck_lists_every_input_that_disagrees():
    def wrong(x: Value, y: Value, z: Value) -> Value:
        return x * y + z.relu()  # relu's kink at z = 0 fools finite differences

    try:
        gradcheck(lambda x, y, z: wrong(x, y, z) + x.relu() * 0 + y.relu(), [1.0, 0.0, 0.0])
    except GradcheckError as error:
        message = str(error)
    else:
        raise AssertionError("gradcheck accepted wrong gradients")
    assert "input 1 (x=0.0)" in message
    assert "input 2 (x=0.0)" in message
    assert "input 0" not in message
    assert not gradcheck(lambda x: x.relu(), [0.0], raise_exception=False)


def test_inputs_may_be_values():
    assert gradcheck(lambda x, y: x * y.exp(), [Value(1.5), 0.5])


@pytest.mark.parametrize("bad", [Value(2.0), 3.0, None])
def test_gradcheck_needs_a_function(bad):
    with pytest.raises(
        TypeError, match=r"gradcheck\(f, inputs\) needs a function that builds a Value from Values, got "
    ):
        gradcheck(bad, [1.0])


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_the_inputs_are_numbers_as_a_list_or_an_error_names_what_is_not(check):
    def f(x: Value, y: Value) -> Value:
        return x * y + y.exp()

    name = check.__name__
    assert check(f, (v for v in [1.0, 2]))  # a generator, an int
    for bad in ["12", 3.0, Value(1.0), {1.0, 2.0}, {1.0: "x", 2.0: "y"}]:  # a set or a dict holds them in no order
        with pytest.raises(
            TypeError, match=rf"^{name}\(f, inputs\) needs the inputs as a list of numbers, in order, got "
        ):
            check(f, bad)
    with pytest.raises(TypeError, match=rf"^input 0 of {name}\(\) needs a real number, got '1\.5' \(str\)$"):
        check(f, ["1.5", 2.0])
    with pytest.raises(OverflowError, match=rf"^input 1 of {name}\(\) needs a number a float can hold: got a number"):
        check(f, [1.0, 10**400])


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_a_function_that_takes_other_inputs_or_gives_no_value_is_named(check):
    name = check.__name__
    with pytest.raises(
        TypeError, match=rf"^{name}\(f, inputs\) needs f to give a Value computed from its inputs, got 3\.0 \(float\)$"
    ):
        check(lambda x: 3.0, [1.0])
    with pytest.raises(TypeError, match=rf"^{name}\(f, inputs\) calls f with 1 input, which f does not take: missing"):
        check(lambda x, y: x * y, [1.0])
    with pytest.raises(
        TypeError, match=rf"^{name}\(f, inputs\) calls f with 2 inputs, which f does not take: too many"
    ):
        check(lambda x: x * x, [1.0, 2.0])


def test_a_wrapper_that_takes_other_inputs_than_the_function_it_wraps_is_called_as_it_is():
    def as_list(f: Callable[[list[Value]], Value]) -> Callable[..., Value]:
        @functools.wraps(f)
        def wrapper(*xs: Value) -> Value:
            return f(list(xs))

        return wrapper

    @as_list
    def energy(xs: list[Value]) -> Value:
        return xs[0] * xs[1] + xs[1]

    assert gradcheck(energy, [1.0, 2.0]) and gradgradcheck(energy, [1.0, 2.0])


def test_gradgradcheck_accepts_true_second_derivatives():
    assert gradgradcheck(lambda x, y: (x * y).tanh() + x**3 / y, [0.4, 1.3])


def test_gradgradcheck_names_each_pair_whose_second_derivative_is_wrong():
    # The first derivative 3x² is right, but written with the number behind x it is a constant on
    # Values, so grad() of it drops d(3x²)/dx = 6x: the second derivatives through it are wrong.
    cube = Op("cube", lambda x: x**3, lambda out, x: (3 * number(x) ** 2,))

    with pytest.raises(GradcheckError) as raised:
        gradgradcheck(lambda x, y: cube(x) * y, [2.0, 0.5])
    message = str(raised.value)
    assert message.startswith("second derivatives disagree with finite differences for:")
    assert re.search(
        r"d²f/dx0dx0 at \[2.0, 0.5\]: grad\(\) 0.0, finite difference 6.0000\d*, off by 6 > tolerance", message
    )
    assert "dx0dx1" not in message and "dx1dx0" not in message and "dx1dx1" not in message
    assert not gradgradcheck(lambda x, y: cube(x) * y, [2.0, 0.5], raise_exception=False)
    assert gradcheck(lambda x, y: cube(x) * y, [2.0, 0.5])  # the first derivatives are right


def test_gradgradcheck_needs_a_function():
    with pytest.raises(TypeError, match=r"gradgradcheck\(f, inputs\) needs a function"):
        gradgradcheck(Value(1.0), [1.0])  # type: ignore[arg-type]


@pytest.mark.parametrize(("bad", "kind"), [(Value(2.0), "Value"), (3.0, "float"), (None, "NoneType")])
def test_the_refusal_names_what_was_passed(bad, kind):
    with pytest.raises(TypeError, match=rf"got {kind}; for example gradcheck\(lambda x, y"):
        gradcheck(bad, [1.0])


def off_by(delta: float) -> Callable[[Value], Value]:
    """2x, whose recorded derivative is 2 + delta (finite differences of 2x at 1 are exactly 2 for eps = 2^-20)."""
    return lambda x: make_node(2 * x.data, [x], [2.0 + delta], "twice")


def test_a_difference_of_exactly_the_tolerance_passes():
    assert gradcheck(off_by(0.5), [1.0], eps=2**-20, atol=0.5, rtol=0.0)
    assert not gradcheck(off_by(0.5 + 2**-40), [1.0], eps=2**-20, atol=0.5, rtol=0.0, raise_exception=False)


def test_the_message_has_a_title_then_one_line_per_input_that_disagrees():
    def f(x: Value, y: Value) -> Value:
        return off_by(1.0)(x) + off_by(2.0)(y)

    with pytest.raises(GradcheckError) as raised:
        gradcheck(f, [1.0, 1.0], eps=2**-20)
    lines = str(raised.value).splitlines()
    assert lines == [
        "gradients disagree with finite differences for:",
        "  input 0 (x=1.0): backward 3.0, finite difference 2.0, off by 1 > tolerance 0.00201",
        "  input 1 (x=1.0): backward 4.0, finite difference 2.0, off by 2 > tolerance 0.00201",
    ]


def test_gradgradcheck_catches_a_second_derivative_off_by_half_a_percent():
    # A planted bug: on Values (for grad()) the rule is 2.01 x instead of 2 x.
    square = Op("sq", lambda x: x * x, lambda out, x: (x * (2.0 if isinstance(x, float) else 2.01),))
    assert gradcheck(square, [1.0])
    assert not gradgradcheck(square, [1.0], raise_exception=False)


def cliff(slope: float) -> Op:
    """x up to 1, inf past it: a finite difference at 1 is inf. Its recorded derivative is `slope`."""
    return Op("cliff", lambda x: x if x <= 1.0 else math.inf, lambda out, x: (slope,))


def test_a_finite_difference_that_is_not_finite_is_a_failure_not_an_infinite_tolerance():
    not_finite = r"input 0 \(x=1.0\): backward 0.0, finite difference inf: not a number to compare with; try another"
    with pytest.raises(GradcheckError, match=not_finite):
        gradcheck(cliff(0.0), [1.0])  # any gradient would pass an infinite tolerance
    assert not gradcheck(cliff(1.0), [1.0], raise_exception=False)  # nor is a right one judged there
    with pytest.raises(GradcheckError, match=r"d²f/dx0dx0 at \[1.0\]: grad\(\) 2.0, finite difference inf: not a"):
        gradgradcheck(lambda x: cliff(1.0)(x) * x, [1.0])


def test_a_nan_gradient_is_a_disagreement():
    nan_slope = Op("f", lambda x: 2.0 * x, lambda out, x: (math.nan,))
    with pytest.raises(GradcheckError, match=r"input 0 \(x=1.0\): backward nan, finite difference 2.0, off by nan"):
        gradcheck(nan_slope, [1.0])


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
@pytest.mark.parametrize(
    ("keyword", "given", "needs"),
    [
        ("eps", 0.0, "eps to be a finite number above 0, got 0.0"),
        ("eps", -1e-6, "eps to be a finite number above 0, got -1e-06"),
        ("eps", math.inf, "eps to be a finite number above 0, got inf"),
        ("atol", -1, "atol to be a finite number of 0 or more, got -1"),
        ("atol", math.nan, "atol to be a finite number of 0 or more, got nan"),
        ("rtol", math.inf, "rtol to be a finite number of 0 or more, got inf"),
    ],
)
def test_a_step_or_tolerance_that_would_judge_nothing_is_refused_by_name(check, keyword, given, needs):
    with pytest.raises(ValueError, match=rf"^{check.__name__}\(\) needs {re.escape(needs)}$"):
        check(lambda x: x * x, [1.0], **{keyword: given})
    with pytest.raises(TypeError, match=rf"^{check.__name__}\(\)'s {keyword} needs a real number, got 'a' \(str\)$"):
        check(lambda x: x * x, [1.0], **{keyword: "a"})
    assert check(lambda x: x * x, [1.0], atol=0.0, rtol=1e-6)  # no tolerance but the relative one


def test_the_difference_is_divided_by_the_step_the_floats_span():
    """x ± eps rounds to the floats near x: at 1e4, 1e-6 is a step of 2.0000000233721948e-06, not 2e-06, and the
    line 3x gives its slope exactly when divided by the step taken."""
    assert gradcheck(lambda x: x * 3.0, [1e4], atol=0.0, rtol=1e-15)
    assert gradgradcheck(lambda x: x * x * 1.5, [1e4], atol=0.0, rtol=1e-15)


def test_a_step_too_small_to_move_x_says_so_for_each_input_instead_of_dividing_by_zero():
    unmoved = "x ± eps is x itself here (eps=1e-06 is below the spacing of floats); pass a larger eps"
    with pytest.raises(GradcheckError) as raised:
        gradcheck(lambda x, y: x * y, [1e30, 2e30])
    assert str(raised.value).splitlines()[1:] == [
        f"  input 0 (x=1e+30): backward 2e+30: {unmoved}",
        f"  input 1 (x=2e+30): backward 1e+30: {unmoved}",
    ]
    with pytest.raises(GradcheckError) as raised:
        gradgradcheck(lambda x, y: x * y, [1e30, 1.0])  # y moves: its column agrees
    assert str(raised.value).splitlines()[1:] == [
        f"  d²f/dx0dx0 at [1e+30, 1.0]: grad() 0.0: {unmoved}",
        f"  d²f/dx1dx0 at [1e+30, 1.0]: grad() 1.0: {unmoved}",
    ]


ROUNDING = r"\(at this eps, rounding to floats alone can move this difference by {}: try eps={}, where it would move"


@pytest.mark.parametrize(
    ("f", "x", "rounding", "eps"),
    [(lambda x: x * 3.0, 1e10, "2", "0.0095"), (lambda x: (x - 1.0) ** 2 + 1e12, 1.5, "122", "1.2e\\+02")],
    ids=["3x at 1e10, between floats 1.9e-06 apart", "a function adding 1e12, at 1.5"],
)
def test_a_miss_rounding_alone_can_make_says_so_and_the_eps_it_names_passes(f, x, rounding, eps):
    """3x at 1e10 is rounded to floats 3.8e-06 apart, over a step of 3.8e-06: the difference is 4.0 for a slope
    of 3.0. (x - 1)² + 1e12 is rounded to floats 1.2e-04 apart, over 2e-06: 0.0 for a slope of 1.0. The line
    says so, rather than blame backward() alone, and the eps it names judges the gradient right."""
    with pytest.raises(GradcheckError, match=ROUNDING.format(rounding, eps)):
        gradcheck(f, [x])
    assert gradcheck(f, [x], eps=float(eps.replace("\\", "")))


def test_a_second_derivative_missed_by_rounding_alone_says_so_too():
    with pytest.raises(GradcheckError, match=ROUNDING.format("3.44e\\+10", "0.0095")):
        gradgradcheck(lambda x: x * x * x, [1e10])
    assert gradgradcheck(lambda x: x * x * x, [1e10], eps=0.0095)


def test_a_miss_rounding_cannot_make_is_told_without_the_rounding_hint():
    off_by_2 = Op("triple", lambda x: 3.0 * x, lambda out, x: (5.0,))  # a slope 2 off, at any x
    for x in (1.0, 1e4):
        with pytest.raises(GradcheckError) as raised:
            gradcheck(off_by_2, [x])
        line = r"backward 5\.0, finite difference (3\.0|2\.9999)\d*, off by 2 > tolerance 0\.00301$"
        assert re.search(line, str(raised.value))
    with pytest.raises(GradcheckError) as raised:
        gradcheck(lambda x: x * x, [1.0], atol=0.0, rtol=0.0)  # a miss of rounding alone, but no eps meets tolerance 0
    assert str(raised.value).endswith("off by 5.55e-11 > tolerance 0")
    with pytest.raises(GradcheckError, match=r"off by 1 > tolerance 0\.00401 \(at this eps, rounding"):
        gradcheck(off_by_2, [1e10])  # a wrong slope where rounding could also explain the miss: the hint is given


def test_the_rounding_hint_is_given_up_to_four_times_what_rounding_can_make_and_not_beyond():
    """3x at 1e10: the difference is 4.0, and rounding can move it by 2.0, exactly. A slope of 12 misses by 8, four
    times that: the hint is given. A slope of 13 misses by 9: rounding alone cannot make it, no hint."""
    hint = "(at this eps, rounding to floats alone can move this difference by 2: try eps=0.0095"
    for slope, hinted in ((12.0, True), (13.0, False)):
        steep = Op("triple", lambda x: 3.0 * x, lambda out, x, slope=slope: (slope,))
        with pytest.raises(GradcheckError) as raised:
            gradcheck(steep, [1e10])
        assert (hint in str(raised.value)) is hinted
        assert f"backward {slope}, finite difference 4.0, off by {slope - 4:g} > tolerance 0.00401" in str(raised.value)


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_an_infinite_input_says_no_step_moves_it(check):
    with pytest.raises(GradcheckError, match=r": x is inf, where no step moves it; check at a finite point$"):
        check(lambda x: x * 3.0, [math.inf])


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_f_failing_a_step_away_from_x_says_the_check_took_that_step(check):
    with pytest.raises(ValueError, match=r"^log\(\) needs a positive value, got -9e-07\n") as raised:  # then the note
        check(lambda x: x.log(), [1e-7])
    assert raised.value.__notes__ == [
        f"{check.__name__}() evaluated f with input 0 moved from 1e-07 to 1e-07 ± eps (eps=1e-06): check at a point "
        f"farther than eps from where f is defined, or pass a smaller eps"
    ]
    assert check(lambda x: x.log(), [1e-7], eps=1e-9)
