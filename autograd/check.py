"""Gradient checking: backward() and grad() against central finite differences."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable

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

    and it must agree with backward() within |analytic - numeric| <= atol + rtol * |numeric|.
    Returns True when every input agrees; otherwise raises GradcheckError naming each input
    that does not (or returns False when raise_exception is False).
    """
    _check_function(f, "gradcheck")
    point = _point(inputs, "gradcheck")
    values = [Value(x) for x in point]
    _built(f, values, "gradcheck").backward()
    failures = []
    for i, x in enumerate(point):
        numeric = (_evaluate(f, point, i, x + eps) - _evaluate(f, point, i, x - eps)) / (2 * eps)
        failures += _disagreement(f"input {i} (x={x!r}): backward", values[i].grad, numeric, atol, rtol)
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
    point = _point(inputs, "gradgradcheck")
    values = [Value(x) for x in point]
    seconds = hessian(_built(f, values, "gradgradcheck"), values)
    failures = []
    for j, x in enumerate(point):
        above, below = _gradient(f, point, j, x + eps), _gradient(f, point, j, x - eps)
        for i, row in enumerate(seconds):
            numeric = (above[i] - below[i]) / (2 * eps)
            failures += _disagreement(f"d²f/dx{i}dx{j} at {point!r}: grad()", row[j], numeric, atol, rtol)
    return _verdict("second derivatives disagree with finite differences", failures, raise_exception)


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


def _disagreement(what: str, analytic: float, numeric: float, atol: float, rtol: float) -> list[str]:
    """A line saying how `analytic` misses `numeric`, or nothing when it is within tolerance. A finite
    difference that is not finite judges nothing (its tolerance would be infinite): that is a failure
    too, and so is a NaN on either side."""
    if not math.isfinite(numeric):
        return [f"  {what} {analytic!r}, finite difference {numeric!r}: {NOT_A_NUMBER}"]
    tolerance = atol + rtol * abs(numeric)
    if abs(analytic - numeric) <= tolerance:
        return []
    return [
        f"  {what} {analytic!r}, finite difference {numeric!r}, "
        f"off by {abs(analytic - numeric):.3g} > tolerance {tolerance:.3g}"
    ]


def _verdict(title: str, failures: list[str], raise_exception: bool) -> bool:
    if failures and raise_exception:
        raise GradcheckError(f"{title} for:\n" + "\n".join(failures))
    return not failures


def _point(inputs: Iterable[float | Value], name: str) -> list[float]:
    """The inputs' numbers as floats, or an error naming what is no number."""
    try:
        listed = None if isinstance(inputs, str | bytes | Value) else list(inputs)  # a 0-d array is no list
    except TypeError:
        listed = None
    if listed is None:
        raise TypeError(f"{name}(f, inputs) needs the inputs as a list of numbers, got {inputs!r}")
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
