"""Gradient checking: backward() against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd.engine import Value


class GradcheckError(AssertionError):
    """backward() and finite differences disagree; the message lists every input that does."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float | Value],
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
    if not callable(f) or isinstance(f, Value):
        raise TypeError(
            f"gradcheck(f, inputs) needs a function that builds a Value from Values, got {type(f).__name__}; "
            "for example gradcheck(lambda x, y: x * y + y.exp(), [1.0, 2.0])"
        )
    point = [_number(x) for x in inputs]
    values = [Value(x) for x in point]
    f(*values).backward()
    failures = []
    for i, x in enumerate(point):
        numeric = (_evaluate(f, point, i, x + eps) - _evaluate(f, point, i, x - eps)) / (2 * eps)
        analytic = values[i].grad
        tolerance = atol + rtol * abs(numeric)
        if not abs(analytic - numeric) <= tolerance:
            failures.append(
                f"  input {i} (x={x!r}): backward {analytic!r}, finite difference {numeric!r}, "
                f"off by {abs(analytic - numeric):.3g} > tolerance {tolerance:.3g}"
            )
    if failures and raise_exception:
        raise GradcheckError("gradients disagree with finite differences for:\n" + "\n".join(failures))
    return not failures


def _number(x: float | Value) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _evaluate(f: Callable[..., Value], point: list[float], i: int, x_i: float) -> float:
    """f at `point` with its i-th coordinate moved to x_i."""
    moved = [*point[:i], x_i, *point[i + 1 :]]
    return f(*(Value(x) for x in moved)).data
