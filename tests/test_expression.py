"""autograd.expression: each operator, both ways round, asks its language for `left symbol right`."""

import functools
import math
import numbers
import operator
from fractions import Fraction
from typing import Any

import pytest

from autograd import expression
from autograd.engine import number
from autograd.expression import Written


class Text(Written):
    """A stand-in that writes infix text, every part in parentheses, and counts the steps it refused."""

    __slots__ = ("name", "refusals")

    def __init__(self, name: str) -> None:
        self.name, self.refusals = name, 0

    def refuse(self) -> None:
        self.refusals += 1

    def written(self, symbol: str, left: object, right: object) -> str:
        return f"({left} {symbol} {right})"

    def __str__(self) -> str:
        return self.name


def test_every_operator_writes_its_symbol_with_the_operands_in_order():
    x = Text("x")
    assert [x + 2, 2 + x, x - 2, 2 - x, x * 2, 2 * x] == [
        "(x + 2)",
        "(2 + x)",
        "(x - 2)",
        "(2 - x)",
        "(x * 2)",
        "(2 * x)",
    ]
    assert [x / 2, 2 / x, x**2, 2**x] == ["(x / 2)", "(2 / x)", "(x ** 2)", "(2 ** x)"]


def test_a_language_must_say_how_it_writes():
    with pytest.raises(NotImplementedError):
        Written() + 1


@pytest.mark.parametrize(
    ("step", "words"),
    [
        (float, "read it as a float"),
        (int, "read it as an int"),
        (complex, "read it as a complex number"),
        (operator.index, "use it as an index"),
        (lambda x: pytest.importorskip("numpy").sum([x, x]), "make a numpy array of it"),
        (hash, "hash it"),
        (lambda x: x in {0.0, 1.0}, "hash it"),
        (lambda x: x % 1.0, "take a remainder or a whole quotient"),
        (lambda x: 1.0 % x, "take a remainder or a whole quotient"),
        (lambda x: x // 2.0, "take a remainder or a whole quotient"),
        (lambda x: 2.0 // x, "take a remainder or a whole quotient"),
        (lambda x: divmod(x, 2.0), "take a remainder or a whole quotient"),
        (lambda x: divmod(2.0, x), "take a remainder or a whole quotient"),
        (round, "round it"),
        (lambda x: round(x, 2), "round it"),
        (math.trunc, "round it"),
        (math.floor, "round it"),
        (math.ceil, "round it"),
        (lambda x: f"{x:.1f}", "format it as text with a format spec"),
    ],
    ids=[
        "float",
        "int",
        "complex",
        "index",
        "numpy",
        "hash",
        "a set",
        "%",
        "% reflected",
        "//",
        "// reflected",
        "divmod",
        "divmod reflected",
        "round",
        "round to digits",
        "trunc",
        "floor",
        "ceil",
        "a format spec",
    ],
)
def test_a_step_written_code_cannot_take_is_refused_and_noted(step, words):
    x = Text("x")
    with pytest.raises(TypeError, match=rf"^a rule written out cannot take this step on a traced value: {words}"):
        step(x)
    assert x.refusals == 1  # noted, so that a rule which catches the error is not written out either


@pytest.mark.parametrize(
    "step",
    [lambda np, x: np.mod(x, 1.0), lambda np, x: np.isnan(x), lambda np, x: np.float32(0.1) * x],
    ids=["np.mod", "np.isnan", "a numpy number on the left"],
)
def test_numpy_on_a_stand_in_is_refused_and_noted(step):
    np = pytest.importorskip("numpy")
    x = Text("x")
    with pytest.raises(TypeError, match=r"on a traced value: compute with numpy \((remainder|isnan|multiply)\)"):
        step(np, x)
    assert x.refusals == 1  # numpy would compute in its own way (float32 arithmetic, its own remainder)


def test_a_floats_attribute_is_refused_and_noted_and_any_other_missing_attribute_is_only_missing():
    x = Text("x")
    for name in ("real", "is_integer", "hex"):
        with pytest.raises(AttributeError, match=f"'{name}'"):
            getattr(x, name)
    assert x.refusals == 3
    assert not hasattr(x, "data") and x.refusals == 3  # as another engine's Value is told apart: not a refusal


@functools.singledispatch
def _kind(x: object) -> str:
    return "something else"


@_kind.register
def _(x: float) -> str:
    return "a float"


def _matched(x: object) -> str:
    match x:
        case float():
            return "a float"
        case _:
            return "something else"


def test_a_stand_in_passes_for_a_float_where_a_rule_asks_what_it_is():
    x = Text("x")
    assert isinstance(x, float) and isinstance(x, (int, float)) and isinstance(x, numbers.Real)
    assert not isinstance(x, int) and not isinstance(x, bool) and not isinstance(x, str)
    assert isinstance(x, Text) and isinstance(x, Written)
    assert _kind(x) == _matched(x) == "a float"  # the branch the eager engine's floats take
    assert number(x) is x and x.refusals == 0  # no step refused: the rule goes on as it does on a float


def test_fraction_of_a_stand_in_reads_it_as_a_float_would_be_read_and_is_refused():
    x = Text("x")
    with pytest.raises(AttributeError, match="as_integer_ratio"):
        Fraction(x)  # type: ignore[call-overload]  # a stand-in, where a rule would have a float
    assert x.refusals == 1


@pytest.mark.parametrize("compensates", [True, False])
def test_an_addition_sum_takes_is_refused_where_sum_of_floats_compensates_its_rounding(monkeypatch, compensates):
    monkeypatch.setattr(expression, "SUM_COMPENSATES", compensates)  # as on Python 3.12 and later, or 3.11
    x = Text("x")
    assert [0 + x, 0.0 + x, x + 1, False + x] == ["(0 + x)", "(0.0 + x)", "(x + 1)", "(False + x)"]  # the rule's own
    total: object = 0
    for term in (x, x):
        total += term  # the rule's own additions, in order: written out
    assert total == "((0 + x) + x)" and x.refusals == 0
    terms: Any = [x, x]  # summed as sum() sums them
    first_a_float: Any = [1.0, x]
    sums = [lambda: sum(terms), lambda: sum(terms, 0.0), lambda: sum(first_a_float), lambda: sum(terms[:1], x)]
    for summed in sums:
        if compensates:
            with pytest.raises(
                TypeError, match=r"value: sum\(\) of floats, which rounds as no written sum does from Python 3\.12$"
            ):
                summed()
    if not compensates:
        assert [summed() for summed in sums] == ["((0 + x) + x)", "((0.0 + x) + x)", "(1.0 + x)", "(x + x)"]
    assert x.refusals == (len(sums) if compensates else 0)


def _plus_zero(x: Any) -> Any:
    return 0 + x  # an addition of its own, in code that names no sum


def _reduced(terms: Any) -> Any:
    return functools.reduce(operator.add, terms, 0.0)  # additions inside a call, not sum()'s


def _summed_all(*terms: Any, **unused: Any) -> Any:
    return sum(terms)  # takes *args and **kwargs, as a wrapper does, but sums


def _called(function: Any, *arguments: Any) -> Any:
    return function(*arguments)  # in a call, naming no sum


def test_only_sums_additions_are_refused_wherever_the_code_is(monkeypatch):
    monkeypatch.setattr(expression, "SUM_COMPENSATES", True)
    x = Text("x")
    sum([1.0])  # this test's code names sum, and each call below is made from it
    mapped = list(map(_plus_zero, [x]))  # called from inside list(), a call of this code, as sum() would be
    assert (mapped, _reduced([x, x])) == (["(0 + x)"], "((0.0 + x) + x)") and x.refusals == 0
    with pytest.raises(TypeError, match=r"sum\(\) of floats"):
        _called(_summed_all, x, x)
    assert x.refusals == 1
