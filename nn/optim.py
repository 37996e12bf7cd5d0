"""Stochastic gradient descent."""

from __future__ import annotations

from collections.abc import Iterable

from autograd import Value
from nn.modules import unique


class SGD:
    """p ← p - lr · dE/dp for every parameter not in `frozen`."""

    def __init__(self, parameters: Iterable[Value], lr: float, frozen: Iterable[Value] = ()) -> None:
        if not lr > 0:
            raise ValueError(f"the learning rate must be positive, got {lr}")
        self.parameters = unique(parameters)
        held = set(frozen)
        self.trained = [p for p in self.parameters if p not in held]
        self.lr = lr

    def step(self) -> None:
        lr = self.lr
        for p in self.trained:
            p.data -= lr * p.grad

    def zero_grad(self) -> None:
        for p in self.parameters:
            p.grad = 0.0
