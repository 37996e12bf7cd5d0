"""Gradient checking: backward() and grad() against central finite differences."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from contextlib import contextmanager
from typing import NamedTuple

from autograd.engine import Value, counted, number, real
from autograd.higher import hessian

NOT_A_NUMBER = "not a number to compare with; try another point"


class GradcheckError(AssertionError):
    """backward() and finite differences disagree; the message lists every input that does."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Iterable[float | Value],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the gradient of f(*inputs) with respect to every input.

    For each input x_i the numerical derivative is the central difference

        (f(..., x_i + eps, ...) - f(..., x_i - eps, ...)) / (2 eps)

    divided by the step the floats x_i + eps and x_i - eps actually span (2 eps, rounded as floats are
    spaced at x_i), and it must agree with backward() within |analytic - numeric| <= atol + rtol * |numeric|.
    Returns True when every input agrees; otherwise raises GradcheckError naming each input
    that does not (or returns False when raise_exception is False).
    """
    _check_function(f, "gradcheck")
    _check_steps("gradcheck", eps, atol, rtol)
    point = _point(inputs, "gradcheck")
    values = [Value(x) for x in point]
    _built(f, values, "gradcheck").backward()
    failures = []
    for i, x in enumerate(point):
        what = f"input {i} (x={x!r}): backward"
        above, below = x + eps, x - eps
        if above == below:
            failures.append(_unmoved(what, values[i].grad, x, eps))
            continue
        with _stepping("gradcheck", i, x, eps):
            higher, lower = _evaluate(f, point, i, above), _evaluate(f, point, i, below)
        numeric = (higher - lower) / (above - below)
        failures += _disagreement(what, values[i].grad, numeric, atol, rtol, _Step(above - below, higher, lower))
    return _verdict("gradients disagree with finite differences", failures, raise_exception)


def gradgradcheck(
    f: Callable[..., Value],
    inputs: Iterable[float | Value],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the second derivatives of f(*inputs) that grad() builds, for every pair of inputs.

    d²f/(dx_i dx_j) is grad() of grad(); the numerical one is the central difference of the
    first derivative that backward() computes,

        (df/dx_i at x_j + eps - df/dx_i at x_j - eps) / (2 eps)

    with the same tolerance as gradcheck. Raises GradcheckError naming each pair that disagrees.
    """
    _check_function(f, "gradgradcheck")
    _check_steps("gradgradcheck", eps, atol, rtol)
    point = _point(inputs, "gradgradcheck")
    values = [Value(x) for x in point]
    seconds = hessian(_built(f, values, "gradgradcheck"), values)
    failures = []
    for j, x in enumerate(point):
        up, down = x + eps, x - eps
        with _stepping("gradgradcheck", j, x, eps):
            above, below = _gradient(f, point, j, up), _gradient(f, point, j, down)
        for i, row in enumerate(seconds):
            what = f"d²f/dx{i}dx{j} at {point!r}: grad()"
            if up == down:
                failures.append(_unmoved(what, row[j], x, eps))
                continue
            numeric = (above[i] - below[i]) / (up - down)
            failures += _disagreement(what, row[j], numeric, atol, rtol, _Step(up - down, above[i], below[i]))
    return _verdict("second derivatives disagree with finite differences", failures, raise_exception)


def _check_steps(name: str, eps: object, atol: object, rtol: object) -> None:
    """Refuse a step or a tolerance that would judge nothing: eps a finite number above 0, atol and rtol
    finite numbers of 0 or more."""
    for what, given, least in (("eps", eps, "above 0"), ("atol", atol, "of 0 or more"), ("rtol", rtol, "of 0 or more")):
        x = real(given, f"{name}()'s {what}")
        if not math.isfinite(x) or x < 0 or (what == "eps" and x == 0):
            raise ValueError(f"{name}() needs {what} to be a finite number {least}, got {given!r}")


def _unmoved(what: str, analytic: float, x: float, eps: float) -> str:
    """The line for a point that x ± eps does not move, as floats are spaced there (or x is infinite): no
    difference to take."""
    if math.isinf(x):
        return f"  {what} {analytic!r}: x is {x!r}, where no step moves it; check at a finite point"
    spacing = f"eps={eps!r} is below the spacing of floats"
    return f"  {what} {analytic!r}: x ± eps is x itself here ({spacing}); pass a larger eps"


@contextmanager
def _stepping(name: str, i: int, x: float, eps: float) -> Iterator[None]:
    """Where f fails a step away from x (log() of 1e-7 - 1e-6), the error says that the check took the step."""
    try:
        yield
    except (ArithmeticError, ValueError) as error:
        error.add_note(
            f"{name}() evaluated f with input {i} moved from {x!r} to {x!r} ± eps (eps={eps!r}): check at a point "
            f"farther than eps from where f is defined, or pass a smaller eps"
        )
        raise


def _check_function(f: object, name: str) -> None:
    if not callable(f) or isinstance(f, Value):
        raise TypeError(
            f"{name}(f, inputs) needs a function that builds a Value from Values, got {type(f).__name__}; "
            f"for example {name}(lambda x, y: x * y + y.exp(), [1.0, 2.0])"
        )


def _built(f: Callable[..., Value], values: list[Value], name: str) -> Value:
    """f(*values), where f takes that many Values and gives a Value; else an error saying which it does not."""
    try:
        inspect.signature(f, follow_wrapped=False).bind(*values)  # a wrapper's own, which may take other inputs
    except TypeError as error:
        raise TypeError(
            f"{name}(f, inputs) calls f with {counted(len(values), 'input')}, which f does not take: {error}"
        ) from None
    except ValueError:
        pass  # a function whose signature Python cannot read: called as it is
    out = f(*values)
    if not isinstance(out, Value):
        raise TypeError(
            f"{name}(f, inputs) needs f to give a Value computed from its inputs, got {out!r} ({type(out).__name__})"
        )
    return out


class _Step(NamedTuple):
    """A central difference: the span of the floats x ± eps, and the two numbers differenced."""

    span: float
    higher: float
    lower: float

    @property
    def rounding(self) -> float:
        """How far rounding the two numbers to floats can move the difference: a float's spacing at each, over
        the span. Where they are large beside the span (3x at 1e10, where 1e10 ± 1e-6 are the floats next to
        it; or f adding 1e12), it can be larger than the tolerance."""
        return (math.ulp(self.higher) + math.ulp(self.lower)) / self.span

    def eps_for(self, tolerance: float) -> float:
        """The eps at which rounding would move the difference by a tenth of `tolerance` (above 0)."""
        return self.span / 2 * 10 * self.rounding / tolerance


def _disagreement(what: str, analytic: float, numeric: float, atol: float, rtol: float, step: _Step) -> list[str]:
    """A line saying how `analytic` misses `numeric`, or nothing when it is within tolerance. A finite
    difference that is not finite judges nothing (its tolerance would be infinite): that is a failure
    too, and so is a NaN on either side. Where the miss is within a few times what rounding alone can
    make of the difference, the line says so, and what eps to try, rather than leave the blame on `what`."""
    if not math.isfinite(numeric):
        return [f"  {what} {analytic!r}, finite difference {numeric!r}: {NOT_A_NUMBER}"]
    tolerance = atol + rtol * abs(numeric)
    off = abs(analytic - numeric)
    if off <= tolerance:
        return []
    line = f"  {what} {analytic!r}, finite difference {numeric!r}, off by {off:.3g} > tolerance {tolerance:.3g}"
    if off <= 4 * step.rounding and tolerance > 0:
        line += (
            f" (at this eps, rounding to floats alone can move this difference by {step.rounding:.3g}: try "
            f"eps={step.eps_for(tolerance):.2g}, where it would move it by a tenth of the tolerance)"
        )
    return [line]


def _verdict(title: str, failures: list[str], raise_exception: bool) -> bool:
    if failures and raise_exception:
        raise GradcheckError(f"{title} for:\n" + "\n".join(failures))
    return not failures


def _point(inputs: Iterable[float | Value], name: str) -> list[float]:
    """The inputs' numbers as floats, or an error naming what is no number."""
    unordered = isinstance(inputs, Set | Mapping)  # f's inputs in no order: a set, or a dict's keys
    try:
        listed = None if unordered or isinstance(inputs, str | bytes | Value) else list(inputs)  # not a 0-d array
    except TypeError:
        listed = None
    if listed is None:
        raise TypeError(f"{name}(f, inputs) needs the inputs as a list of numbers, in order, got {inputs!r}")
    return [real(number(x), f"input {i} of {name}()") for i, x in enumerate(listed)]


def _evaluate(f: Callable[..., Value], point: list[float], i: int, x_i: float) -> float:
    """f at `point` with its i-th coordinate moved to x_i."""
    moved = [*point[:i], x_i, *point[i + 1 :]]
    return f(*(Value(x) for x in moved)).data


def _gradient(f: Callable[..., Value], point: list[float], j: int, x_j: float) -> list[float]:
    """backward()'s gradient of f at `point` with its j-th coordinate moved to x_j."""
    values = [Value(x) for x in [*point[:j], x_j, *point[j + 1 :]]]
    f(*values).backward()
    return [v.grad for v in values]
