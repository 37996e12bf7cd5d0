"""Losses, each one node whose edges carry the loss's derivative for every output.

With o the outputs, t the targets and n = len(o):

    squared_error          E = Σ ½ (t - o)²              dE/do = o - t        (both articles)
    mean_squared_error     E = (1/n) Σ (o - t)²           dE/do = 2 (o - t) / n
    hinge                  E = (1/n) Σ max(0, 1 - t o)    dE/do = -t / n where 1 - t o > 0, else 0
                           (max-margin; targets are -1 or +1, o are raw scores)
    binary_cross_entropy   E = -(1/n) Σ t log o + (1 - t) log(1 - o)
                                                          dE/do = (o - t) / (o (1 - o) n)
                           (o are probabilities in (0, 1), e.g. sigmoid outputs)
    cross_entropy          E = (1/n) Σ -log softmax(z)[y] dE/dz_j = (softmax(z)_j - [j = y]) / n
                           (z are one example's logits, y its class 0..k-1; log-sum-exp is
                           taken after subtracting max z, so logits of 1e3 do not overflow)
    l2                     E = α Σ p²                     dE/dp = 2 α p
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import cast

from autograd import Value, make_node, register_symbol, vsum
from autograd.compile import Kernel, register_kernel
from autograd.engine import Operand
from autograd.higher import register_derivative

Term = Callable[[float, float], tuple[float, float]]  # (o, t) -> (term of E, d term / do)


def squared_error(outputs: Value | Sequence[Value], targets: float | Sequence[float]) -> Value:
    return _loss("squared_error", outputs, targets)


def mean_squared_error(outputs: Value | Sequence[Value], targets: float | Sequence[float]) -> Value:
    return _loss("mean_squared_error", outputs, targets)


def hinge(scores: Value | Sequence[Value], labels: float | Sequence[float]) -> Value:
    return _loss("hinge", scores, labels)


def binary_cross_entropy(probabilities: Value | Sequence[Value], targets: float | Sequence[float]) -> Value:
    return _loss("binary_cross_entropy", probabilities, targets)


def cross_entropy(logits: Sequence[Value] | Sequence[Sequence[Value]], labels: int | Sequence[int]) -> Value:
    """Softmax cross-entropy, averaged over the examples: one row of logits and one class per example."""
    rows = cast(list[list[Value]], [list(logits)] if isinstance(labels, int) else [list(row) for row in logits])  # type: ignore[arg-type]
    classes = [labels] if isinstance(labels, int) else list(labels)
    _check_classification(rows, classes)
    flat = [v for row in rows for v in row]
    return _node("cross_entropy", flat, [float(y) for y in classes], label="E")


def l2(parameters: Sequence[Value], alpha: float) -> Value:
    """α Σ p², the weight-decay penalty."""
    return _node("l2", list(parameters), [float(alpha)], label="")


def _node(op: str, values: list[Value], constants: list[float], label: str) -> Value:
    """The loss node, its value and local derivatives from the op's kernel (which compiled code calls too)."""
    total, slopes = KERNELS[op]([v.data for v in values], constants)
    return make_node(total, values, slopes, op, label=label, operands=(*values, *constants))


def _check_classification(rows: list[list[Value]], classes: list[int]) -> None:
    if not rows or len(rows) != len(classes):
        raise ValueError(
            f"cross_entropy needs one class per row of logits, got {len(rows)} rows and {len(classes)} classes"
        )
    k = len(rows[0])
    if k < 2 or any(len(row) != k for row in rows) or not all(isinstance(v, Value) for row in rows for v in row):
        raise ValueError(f"cross_entropy needs rows of at least 2 logits, all Values and all as long, got {rows!r}")
    for y in classes:
        if not isinstance(y, int) or isinstance(y, bool) or not 0 <= y < k:
            raise ValueError(f"cross_entropy needs each class as a whole number 0 to {k - 1}, got {y!r}")


# -- kernels: each loss's value and local derivatives from numbers, for eager and compiled code alike --


def _pairs(term: Term, mean: bool, outputs: list[float], targets: list[float]) -> tuple[float, list[float]]:
    """Σ term(o, t) over outputs o and targets t (divided by n when `mean`), and d/do of it."""
    scale = 1.0 / len(outputs) if mean else 1.0
    total, slopes = 0.0, []
    for o, t in zip(outputs, targets, strict=True):
        value, slope = term(o, t)
        total += value
        slopes.append(slope * scale)
    return total * scale, slopes


def _softmax_cross_entropy(logits: list[float], classes: list[float]) -> tuple[float, list[float]]:
    """Per row z with class y: log Σ exp(z) - z_y, as max z + log Σ exp(z - max z); d/dz = softmax(z) - [j = y]."""
    k, scale = len(logits) // len(classes), 1.0 / len(classes)
    total, slopes = 0.0, []
    for r, y in enumerate(classes):
        z = logits[r * k : (r + 1) * k]
        top = max(z)
        exps = [math.exp(zj - top) for zj in z]
        norm = sum(exps)
        total += top + math.log(norm) - z[int(y)]
        slopes += [(e / norm - (1.0 if j == y else 0.0)) * scale for j, e in enumerate(exps)]
    return total * scale, slopes


def _l2(parameters: list[float], alpha: list[float]) -> tuple[float, list[float]]:
    [a] = alpha
    return a * sum(p * p for p in parameters), [2.0 * a * p for p in parameters]


SYMBOLS = {
    "squared_error": "Σ ½(t−o)²",
    "mean_squared_error": "mean (o−t)²",
    "hinge": "mean max(0, 1−t·o)",
    "binary_cross_entropy": "mean −t log o − (1−t) log(1−o)",
    "cross_entropy": "mean −log softmax(z)[y]",
    "l2": "α Σ p²",
}
for _op, _symbol in SYMBOLS.items():
    register_symbol(_op, _symbol)


def _squared_error_term(o: float, t: float) -> tuple[float, float]:
    return 0.5 * (t - o) ** 2, o - t


def _mean_squared_error_term(o: float, t: float) -> tuple[float, float]:
    return (o - t) ** 2, 2.0 * (o - t)


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


def _loss(name: str, outputs: Value | Sequence[Value], targets: float | Sequence[float]) -> Value:
    """The loss `name` of outputs against targets (one each) as one node."""
    outs = [outputs] if isinstance(outputs, Value) else list(outputs)
    ts = [targets] if not isinstance(targets, Sequence) else list(targets)
    if len(outs) != len(ts) or not outs:
        raise ValueError(f"{name} needs one target per output, got {len(outs)} outputs and {len(ts)} targets")
    if not all(isinstance(o, Value) for o in outs):
        raise TypeError(f"{name} needs Values as outputs (the model's), got {outs!r}")
    return _node(name, outs, [float(t) for t in ts], label="E")


KERNELS: dict[str, Kernel] = {
    "squared_error": partial(_pairs, _squared_error_term, False),
    "mean_squared_error": partial(_pairs, _mean_squared_error_term, True),
    "hinge": partial(_pairs, _hinge_term, True),
    "binary_cross_entropy": partial(_pairs, _cross_entropy_term, True),
    "cross_entropy": _softmax_cross_entropy,
    "l2": _l2,
}
for _op, _kernel in KERNELS.items():
    register_kernel(_op, _kernel)


# -- each loss's derivatives as Values, so that grad() can differentiate them again -------------
# A loss node's operands are its outputs, then its targets (l2's: the parameters, then α).


def _outputs_and_targets(node: Value) -> tuple[list[Value], list[float]]:
    n = len(node.children)
    return list(node.children), [float(t) for t in node.operands[n:]]


@register_derivative("squared_error")
def _squared_error_derivatives(node: Value) -> list[Operand]:
    return [o - t for o, t in zip(*_outputs_and_targets(node), strict=True)]


@register_derivative("mean_squared_error")
def _mean_squared_error_derivatives(node: Value) -> list[Operand]:
    outs, ts = _outputs_and_targets(node)
    return [(o - t) * 2.0 * (1.0 / len(outs)) for o, t in zip(outs, ts, strict=True)]


@register_derivative("binary_cross_entropy")
def _binary_cross_entropy_derivatives(node: Value) -> list[Operand]:
    outs, ts = _outputs_and_targets(node)
    return [(o - t) / (o * (1.0 - o)) * (1.0 / len(outs)) for o, t in zip(outs, ts, strict=True)]


@register_derivative("cross_entropy")
def _cross_entropy_derivatives(node: Value) -> list[Operand]:
    """(softmax(z)_j - [j = y]) / n, with softmax written in Values: exp(z_j - max z) / Σ exp(z_i - max z)."""
    n = len(node.operands) - len(node.children)
    k, scale = len(node.children) // n, 1.0 / n
    classes = [int(cast(float, y)) for y in node.operands[len(node.children) :]]
    derivatives: list[Operand] = []
    for r, y in enumerate(classes):
        row = node.children[r * k : (r + 1) * k]
        top = max(v.data for v in row)
        exps = [(v - top).exp() for v in row]
        norm = vsum(exps)
        derivatives += [((e / norm - 1.0) if j == y else e / norm) * scale for j, e in enumerate(exps)]
    return derivatives


@register_derivative("hinge")
def _hinge_derivatives(node: Value) -> list[Operand]:
    """Constant on each side of the margin, so its own local derivatives serve (second derivative 0)."""
    return list(node.local_grads)


@register_derivative("l2")
def _l2_derivatives(node: Value) -> list[Operand]:
    alpha = float(cast(float, node.operands[-1]))
    return [p * (2.0 * alpha) for p in node.children]
