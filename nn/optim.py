"""Stochastic gradient descent."""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real

from autograd import Value
from autograd.engine import counted, real
from autograd.labels import on_one_line
from nn.frozen import frozen_parameters
from nn.modules import Module, short, unique


class SGD:
    """p ← p - lr · dE/dp for every parameter not in `frozen`.

    `step()` refuses a NaN or infinite gradient, parameter or update, naming the parameter, and
    then changes no parameter at all.
    """

    _lr: float

    def __init__(self, parameters: Iterable[Value], lr: float, frozen: Iterable[Value] | None = ()) -> None:
        self.parameters = _values(parameters)
        held = frozen_parameters(frozen, self.parameters, "SGD")
        self.trained = [p for p in self.parameters if p not in held]
        if not self.trained:
            raise ValueError(
                f"SGD was given {counted(len(self.parameters), 'parameter')}, every one of them frozen: it would "
                f"train none; freeze only some"
            )
        self.lr = lr

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, lr: float) -> None:
        self._lr = learning_rate(lr, "the learning rate")

    def step(self) -> None:
        """One update, p ← p - lr · p.grad for every trained parameter, from the grads backward() left.

        Call zero_grad() before backward(): leaves add up the gradients of every backward() call.
        A NaN or infinite update is refused (FloatingPointError naming the parameter), and then no
        parameter changes.
        """
        lr = self._lr
        updated = [_number(p, "data", self) - lr * _number(p, "grad", self) for p in self.trained]
        for p, new in zip(self.trained, updated, strict=True):
            if not math.isfinite(new):
                raise FloatingPointError(
                    f"SGD.step() refused: {self.describe(p)} has value {p.data} and gradient {p.grad}, "
                    f"so its update is {new}. No parameter was changed. detect_anomaly() names the op that made it"
                )
        for p, new in zip(self.trained, updated, strict=True):
            p.data = new

    def zero_grad(self) -> None:
        """Set every parameter's grad back to 0, before the next backward()."""
        for p in self.parameters:
            p.grad = 0.0

    def describe(self, p: Value) -> str:
        """The parameter's position, counted from 1 as the drawings count it, and its label on one line:
        "parameter 3 of 17 (w1[2,1])"."""
        position = f"parameter {self.parameters.index(p) + 1} of {len(self.parameters)}"
        return f"{position} ({on_one_line(p.label)})" if p.label else position


def _values(parameters: Iterable[Value]) -> list[Value]:
    """The parameters as a list of Values, or a TypeError that says what SGD needs."""
    example = "SGD(model.parameters(), lr=0.1)"
    if isinstance(parameters, Module):
        raise TypeError(f"SGD needs the model's parameters, not the model: {example}")
    if callable(parameters):
        raise TypeError(f"SGD needs the list of parameters: call the method, {example}")
    try:
        given = list(parameters)
    except TypeError:  # no iterable, or one that cannot be iterated (a 0-d numpy array)
        raise TypeError(f"SGD needs an iterable of Values, got {parameters!r}: {example}") from None
    if not given:
        raise ValueError(
            f"SGD got no parameters to update (a generator used up already, or a model without any?): {example}"
        )
    for i, p in enumerate(given):
        if not isinstance(p, Value):
            raise TypeError(
                f"SGD updates Values in place, got {short(p)} at position {i}: "
                f"make the parameters Values, as {example} gives them"
            )
        if p.op:
            raise ValueError(
                f"SGD updates parameters, Values made directly, got {p!r} at position {i}, computed by the {p.op!r} "
                f"op: the next forward pass computes it again, undoing the update"
            )
    return unique(given)


def _number(p: Value, attribute: str, optimizer: SGD) -> float:
    """A parameter's data or grad as a float, or an error naming the parameter (a grad set to None)."""
    x = getattr(p, attribute)
    if type(x) is float:
        return x
    return real(x, f"SGD.step(): the {attribute} of {optimizer.describe(p)}")


def learning_rate(lr: object, what: str) -> float:
    """lr as a float, once it is a positive finite number (not a bool); else an error saying that `what`
    ("the learning rate", "a recording's learning rate") must be one."""
    if not isinstance(lr, Real) or isinstance(lr, bool):
        raise TypeError(f"{what} must be a number, got {lr!r} ({type(lr).__name__})")
    rate = real(lr, what)  # an OverflowError saying so for 10**400
    if not (rate > 0 and math.isfinite(rate)):
        raise ValueError(f"{what} must be positive and finite, got {lr}")
    return rate
