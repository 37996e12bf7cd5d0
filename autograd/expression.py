"""Arithmetic that writes an expression instead of computing a number.

compile_backprop (Python) and the live page's tracer (JavaScript) run an op's rule on stand-ins
for its numbers: `x * y + 1` on stand-ins gives the text of that expression. The operators
they share are defined here once; each language says how it writes `left symbol right`.
"""

from __future__ import annotations

from typing import Any


class Written:
    """A stand-in for a number in a rule: each arithmetic operator gives `self.written(symbol, left, right)`.

    A numpy number defers to these operators (`__array_ufunc__ = None`) on either side: on the left it
    would otherwise compute with the stand-in itself, as a float64 literal where numpy computes in its
    own type (np.float32(0.1) * x is float32 arithmetic).
    """

    __array_ufunc__ = None

    __slots__ = ()

    def written(self, symbol: str, left: object, right: object) -> Any:
        """The expression `left symbol right`, as this language writes it."""
        raise NotImplementedError

    def __add__(self, other: object) -> Any:
        return self.written("+", self, other)

    def __radd__(self, other: object) -> Any:
        return self.written("+", other, self)

    def __sub__(self, other: object) -> Any:
        return self.written("-", self, other)

    def __rsub__(self, other: object) -> Any:
        return self.written("-", other, self)

    def __mul__(self, other: object) -> Any:
        return self.written("*", self, other)

    def __rmul__(self, other: object) -> Any:
        return self.written("*", other, self)

    def __truediv__(self, other: object) -> Any:
        return self.written("/", self, other)

    def __rtruediv__(self, other: object) -> Any:
        return self.written("/", other, self)

    def __pow__(self, other: object) -> Any:
        return self.written("**", self, other)

    def __rpow__(self, other: object) -> Any:
        return self.written("**", other, self)
