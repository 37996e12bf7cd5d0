"""Which parameters are frozen: the Values given as `frozen`, each one a parameter being trained."""

from __future__ import annotations

from collections.abc import Iterable

from autograd import Value
from nn.modules import Module


def frozen_parameters(frozen: Iterable[Value] | None, parameters: Iterable[Value], caller: str) -> set[Value]:
    """The frozen parameters as a set; None freezes none. Anything else is refused, naming it and saying
    what to pass: a module or a label (which would freeze nothing, the parameters being trained anyway),
    or a Value that is not among the parameters (a copy of one, another model's)."""
    if frozen is None:
        return set()
    if isinstance(frozen, Module):
        raise TypeError(f"{caller}'s frozen needs the Values to freeze, got {frozen!r}: {_PASS}")
    if isinstance(frozen, str) or not isinstance(frozen, Iterable):
        raise TypeError(f"{caller}'s frozen needs an iterable of Values to freeze, got {frozen!r}")
    try:
        held = list(frozen)
    except TypeError:  # an iterable that cannot be iterated (a 0-d numpy array)
        raise TypeError(f"{caller}'s frozen needs an iterable of Values to freeze, got {frozen!r}") from None
    known = set(parameters)
    for i, p in enumerate(held):
        if isinstance(p, Module):
            raise TypeError(f"{caller}'s frozen needs Values, got {p!r} at position {i}: {_PASS}")
        if not isinstance(p, Value):
            raise TypeError(f"{caller}'s frozen needs Values, got {p!r} ({type(p).__name__}) at position {i}")
        if p not in known:
            raise ValueError(
                f"{caller}'s frozen holds {p!r} at position {i}, which is not one of the parameters {caller} was "
                f"given: freeze only those (a Value not among them, such as a copy of one, would freeze nothing)"
            )
    return set(held)


_PASS = "pass a module's parameters, as in frozen=layer.parameters()"  # what to give instead of a module
