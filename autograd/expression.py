"""Arithmetic that writes an expression instead of computing a number.

compile_backprop (Python) and the live page's tracer (JavaScript) run an op's rule on stand-ins
for its numbers: `x * y + 1` on stand-ins gives the text of that expression. The operators
they share are defined here once; each language says how it writes `left symbol right`.
"""

from __future__ import annotations

import dis
import inspect
import sys
from types import CodeType, FrameType
from typing import Any, NoReturn

FLOAT_ATTRIBUTES = frozenset(name for name in dir(float) if not name.startswith("_"))  # x.real, x.is_integer()
SUM_COMPENSATES = sys.version_info >= (3, 12)  # sum() of floats rounds as no written sum does, from Python 3.12


class Written:
    """A stand-in for a number in a rule: each arithmetic operator gives `self.written(symbol, left, right)`.

    A stand-in passes for a float where a rule asks what it is (isinstance, see __class__), as the eager
    engine gives a rule floats.

    A step that written code cannot take raises TypeError (AttributeError for a float's attribute), and
    `refuse` notes it first, so that a rule is not written out even where it catches the error itself
    (try: ... except TypeError: ...): reading the stand-in as a float (float(x), math.fsum), a float's
    attributes (x.real, x.is_integer()), a remainder (x % 1), rounding (round(x), math.floor), hashing (x
    in a set), formatting as text with a spec (f"{x:.1f}"), numpy (np.sum(xs) adds pairwise, as no written
    sum does; np.float32(0.1) * x computes in float32), and from Python 3.12 an addition that sum() takes
    for the rule, whatever its start (sum() of floats compensates its rounding there; an addition the rule
    writes itself is written out).
    """

    __slots__ = ()

    def refuse(self) -> None:
        """Note that the rule took a step the written code cannot take; each language's tracer keeps the note."""

    def refused(self, step: str) -> NoReturn:
        """Note the step (refuse), then raise the TypeError that names it."""
        self.refuse()
        raise TypeError(f"a rule written out cannot take this step on a traced value: {step}")

    def __float__(self) -> float:
        self.refused("read it as a float")

    def __int__(self) -> int:
        self.refused("read it as an int")

    def __index__(self) -> int:
        self.refused("use it as an index")

    def __complex__(self) -> complex:
        self.refused("read it as a complex number")

    def __array__(self, *_: object, **__: object) -> NoReturn:
        self.refused("make a numpy array of it")

    def __hash__(self) -> int:
        self.refused("hash it (a set's member, a dict's key)")

    def __mod__(self, other: object) -> NoReturn:
        self.refused("take a remainder or a whole quotient (%, //, divmod)")

    __rmod__ = __floordiv__ = __rfloordiv__ = __divmod__ = __rdivmod__ = __mod__

    def __round__(self, *_ndigits: object) -> NoReturn:
        self.refused("round it (round, math.trunc, math.floor, math.ceil)")

    __trunc__ = __floor__ = __ceil__ = __round__

    @property  # type: ignore[misc]  # read-only
    def __class__(self) -> type[float]:  # type: ignore[override]  # a float's class: a stand-in passes for a float
        """float: a stand-in stands for the floats the eager engine gives a rule, so that isinstance(x, float),
        isinstance(x, numbers.Real), functools.singledispatch and `case float():` take the branch they take
        there. (type(x) is the stand-in's own class: `type(x) is float` cannot be answered so.)"""
        return float

    def __format__(self, spec: str) -> str:
        if spec:
            self.refused(f"format it as text with a format spec ({spec!r})")
        return str(self)

    def __array_ufunc__(self, ufunc: Any, *_: object, **__: object) -> NoReturn:
        """A numpy function of a stand-in (np.mod(x, 1.0)), or a numpy number on the left of an operator
        (np.float32(0.1) * x): numpy computes in its own way (in float32; its own remainder)."""
        self.refused(f"compute with numpy ({ufunc.__name__}), which computes in its own way")

    def __getattr__(self, name: str) -> Any:
        if name in FLOAT_ATTRIBUTES:
            self.refuse()
        raise AttributeError(f"a traced value has no attribute {name!r}")

    def written(self, symbol: str, left: object, right: object) -> Any:
        """The expression `left symbol right`, as this language writes it."""
        raise NotImplementedError

    def __add__(self, other: object) -> Any:
        self.refuse_sums()
        return self.written("+", self, other)

    def __radd__(self, other: object) -> Any:
        self.refuse_sums()
        return self.written("+", other, self)

    def refuse_sums(self) -> None:
        """Refuse an addition that sum() takes for the rule, where sum() of floats compensates its rounding."""
        if SUM_COMPENSATES and _summing(_caller()):
            self.refused("sum() of floats, which rounds as no written sum does from Python 3.12")

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


def _caller() -> FrameType | None:
    """The frame of the code that took a step on a stand-in: the first one outside this module that is not a
    wrapper passing its arguments on (def wrapper(*args, **kwargs), as a decorator of these methods has)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and (frame.f_globals.get("__name__") == __name__ or _forwarding(frame.f_code)):
        frame = frame.f_back
    return frame


def _forwarding(code: CodeType) -> bool:
    """Whether code takes *args and **kwargs and does not name sum: a wrapper, which passes a call on."""
    every = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
    return (code.co_flags & every) == every and "sum" not in code.co_names


def _summing(frame: FrameType | None) -> bool:
    """Whether an addition is sum()'s, for the code of `frame`: the code names sum and is in a call of a
    function (whose own code adds), not at an operator of its own (0 + x, total += x). A rule that also
    adds in another call (functools.reduce) is taken as summing too, and is then not written out."""
    if frame is None or "sum" not in frame.f_code.co_names:
        return False
    return dis.opname[frame.f_code.co_code[frame.f_lasti]].startswith("CALL")
