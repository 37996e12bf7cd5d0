"""Losses, each one node whose edges carry the loss's derivative for every output.

With o the outputs, t the targets and n = len(o):

    squared_error          E = Σ ½ (t - o)²              dE/do = o - t        (both articles)
    mean_squared_error     E = (1/n) Σ (o - t)²           dE/do = 2 (o - t) / n
    hinge                  E = (1/n) Σ max(0, 1 - t o)    dE/do = -t / n where 1 - t o > 0, else 0
                           (max-margin; targets are -1 or +1, o are raw scores)
    binary_cross_entropy   E = -(1/n) Σ t log o + (1 - t) log(1 - o)
                                                          dE/do = (o - t) / (o (1 - o) n)
                           (o are probabilities in (0, 1), e.g. sigmoid outputs)
    l2                     E = α Σ p²                     dE/dp = 2 α p
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from autograd import Value, make_node, register_symbol

Term = Callable[[float, float], tuple[float, float]]  # (o, t) -> (term of E, d term / do)


def squared_error(outputs: Value | Sequence[Value], targets: float | Sequence[float]) -> Value:
    return _loss("squared_error", outputs, targets, lambda o, t: (0.5 * (t - o) ** 2, o - t), mean=False)


def mean_squared_error(outputs: Value | Sequence[Value], targets: float | Sequence[float]) -> Value:
    return _loss("mean_squared_error", outputs, targets, lambda o, t: ((o - t) ** 2, 2.0 * (o - t)), mean=True)


def hinge(scores: Value | Sequence[Value], labels: float | Sequence[float]) -> Value:
    return _loss("hinge", scores, labels, _hinge_term, mean=True)


def binary_cross_entropy(probabilities: Value | Sequence[Value], targets: float | Sequence[float]) -> Value:
    return _loss("binary_cross_entropy", probabilities, targets, _cross_entropy_term, mean=True)


def l2(parameters: Sequence[Value], alpha: float) -> Value:
    """α Σ p², the weight-decay penalty."""
    return make_node(
        alpha * sum(p.data * p.data for p in parameters), parameters, [2.0 * alpha * p.data for p in parameters], "l2"
    )


SYMBOLS = {
    "squared_error": "Σ ½(t−o)²",
    "mean_squared_error": "mean (o−t)²",
    "hinge": "mean max(0, 1−t·o)",
    "binary_cross_entropy": "mean −t log o − (1−t) log(1−o)",
    "l2": "α Σ p²",
}
for _op, _symbol in SYMBOLS.items():
    register_symbol(_op, _symbol)


def _hinge_term(o: float, t: float) -> tuple[float, float]:
    margin = 1.0 - t * o
    if margin > 0:
        return margin, -t
    if margin <= 0:
        return 0.0, 0.0
    return margin, margin  # NaN: passed on, never hidden as a satisfied margin


def _cross_entropy_term(o: float, t: float) -> tuple[float, float]:
    if not 0.0 < o < 1.0:
        raise ValueError(f"binary_cross_entropy needs probabilities strictly between 0 and 1, got {o}")
    return -(t * math.log(o) + (1.0 - t) * math.log(1.0 - o)), (o - t) / (o * (1.0 - o))


def _loss(
    name: str, outputs: Value | Sequence[Value], targets: float | Sequence[float], term: Term, mean: bool
) -> Value:
    """Σ term(o, t) over the pairs (divided by n when `mean`) as one node."""
    outs = [outputs] if isinstance(outputs, Value) else list(outputs)
    ts = [targets] if not isinstance(targets, Sequence) else list(targets)
    if len(outs) != len(ts) or not outs:
        raise ValueError(f"{name} needs one target per output, got {len(outs)} outputs and {len(ts)} targets")
    if not all(isinstance(o, Value) for o in outs):
        raise TypeError(f"{name} needs Values as outputs (the model's), got {outs!r}")
    scale = 1.0 / len(outs) if mean else 1.0
    total, local_grads = 0.0, []
    for o, t in zip(outs, ts, strict=True):
        value, slope = term(o.data, float(t))
        total += value
        local_grads.append(slope * scale)
    return make_node(total * scale, outs, local_grads, name, label="E")
