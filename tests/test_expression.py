"""autograd.expression: each operator, both ways round, asks its language for `left symbol right`."""

import pytest

from autograd.expression import Written


class Text(Written):
    """A stand-in that writes infix text, every part in parentheses."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

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
