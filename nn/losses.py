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
from collections.abc import Callable, Iterable, Mapping, Set
from functools import cache, partial, reduce
from numbers import Complex, Integral, Real
from operator import add
from typing import Any

from autograd import Value
from autograd.engine import EXP, LOG, Op, counted, number, real
from nn.modules import short

Targets = float | Iterable[float]  # one number, or a list, numpy array or other iterable of them
Term = Callable[[Any, Any], Any]  # (o, t) -> a term of E, or its derivative d term / do


def squared_error(outputs: Value | Iterable[Value], targets: Targets) -> Value:
    """E = Σ ½ (t - o)², summed over the outputs, not averaged: the articles' error. dE/do = o - t.

    `outputs` are the model's Values, one or a list; `targets` one number per output, as a
    number, a list, a numpy array or any iterable of numbers.
    """
    return _loss(SQUARED_ERROR, outputs, targets)


def mean_squared_error(outputs: Value | Iterable[Value], targets: Targets) -> Value:
    """E = (1/n) Σ (o - t)², the mean over the n outputs. dE/do = 2 (o - t) / n.

    `outputs` are the model's Values, one or a list; `targets` one number per output, as a
    number, a list, a numpy array or any iterable of numbers.
    """
    return _loss(MEAN_SQUARED_ERROR, outputs, targets)


def hinge(scores: Value | Iterable[Value], labels: Targets) -> Value:
    """E = (1/n) Σ max(0, 1 - y s), the mean max-margin loss of raw scores s against labels y of -1 or +1.

    dE/ds = -y / n where the margin 1 - y s is positive, else 0. Labels are -1 or +1, one per score,
    as a number, a list, a numpy array or any iterable; labels of 0 and 1 are refused (2 y - 1 maps them).
    """
    listed = _targets("hinge", labels)
    for label in listed:
        if label not in (-1, 1):
            raise ValueError(f"hinge needs labels of -1 or +1, got {label!r}; for labels of 0 and 1 pass 2 * y - 1")
    return _loss(HINGE, scores, listed)


def binary_cross_entropy(probabilities: Value | Iterable[Value], targets: Targets) -> Value:
    """E = -(1/n) Σ t log o + (1 - t) log(1 - o), the mean over the n outputs. dE/do = (o - t) / (o (1 - o) n).

    The outputs o are probabilities strictly between 0 and 1 (a sigmoid's); the targets t are 0 or 1
    (or any number in between), one per output, as a number, a list, a numpy array or any iterable.
    """
    listed = _targets("binary_cross_entropy", targets)
    for t in listed:
        if not 0 <= t <= 1:
            raise ValueError(f"binary_cross_entropy needs targets between 0 and 1, got {t!r}")
    return _loss(BINARY_CROSS_ENTROPY, probabilities, listed)


def cross_entropy(logits: Iterable[Value] | Iterable[Iterable[Value]], labels: int | Iterable[int]) -> Value:
    """E = (1/n) Σ -log softmax(z)[y], the softmax cross-entropy, the mean over n examples of logits z and class y.

    dE/dz_j = (softmax(z)_j - [j = y]) / n. One example: cross_entropy(row, y), with y its class 0..k-1
    (a number); a batch: cross_entropy(rows, ys), one row of k logits and one class per example.
    """
    logits = _logits(logits)
    one = isinstance(labels, Integral) or getattr(labels, "shape", None) == ()  # a numpy int or 0-d array too
    classes: list[Any] = _targets("cross_entropy", labels, as_given=True)
    if not one and len(classes) == len(logits) > 1 and all(isinstance(z, Value) for z in logits):
        raise ValueError(
            f"cross_entropy got {len(logits)} Values and {len(classes)} classes: for one example, pass its row of "
            f"logits and its class as an int, cross_entropy(row, {_as_class(classes[0])}); for a batch, a row per "
            f"example, each of at least 2 logits (a model with an output per class). With one output per example, "
            f"use binary_cross_entropy of its sigmoid, or hinge"
        )
    if not one and any(isinstance(row, Value) for row in logits):
        given = f"the classes {classes!r}" if isinstance(labels, Iterable) else f"the class {labels!r}"
        raise ValueError(
            f"cross_entropy got one row of {len(logits)} logits and {given}: for one example "
            f"pass its class as an int, cross_entropy(row, {_as_class(classes[0]) if classes else 0}); for a batch, "
            "a list of rows, cross_entropy([row1, row2, ...], [class1, class2, ...])"
        )
    if one and logits and isinstance(logits[0], Iterable):  # rows of logits, and one class
        raise ValueError(
            f"cross_entropy got {counted(len(logits), 'row')} of logits and the one class {labels!r}: for a batch "
            f"pass a class per row, cross_entropy(rows, [class1, class2, ...]); for one example, its row alone"
        )
    rows: list[list[Value]] = [list(logits)] if one else [list(row) for row in logits]
    _check_classification(rows, classes)
    return _labelled(_cross_entropy(len(rows[0]))(*(v for row in rows for v in row), *map(float, classes)))


def l2(parameters: Iterable[Value], alpha: float) -> Value:
    """α Σ p², the weight-decay penalty over the parameters (model.parameters()). dE/dp = 2 α p."""
    if callable(getattr(parameters, "parameters", None)):
        raise TypeError(f"l2 needs the parameters, not the model: l2(model.parameters(), {alpha!r})")
    if not isinstance(parameters, Iterable) or isinstance(parameters, Set | Mapping):
        raise TypeError(f"l2 needs a list of Values in order (model.parameters()), got {short(parameters)}")
    listed = list(parameters)
    if not listed:
        raise ValueError("l2 needs at least one parameter, got none (an empty list)")
    for i, p in enumerate(listed):
        if not isinstance(p, Value):
            raise TypeError(f"l2 needs Values as parameters (model.parameters()), got {short(p)} at position {i}")
    if isinstance(alpha, bool):
        raise TypeError(f"l2's alpha is a number, the penalty's weight, got {alpha!r}")
    return L2(*listed, real(alpha, "l2's alpha"))  # type: ignore[no-any-return]


def _loss(op: Op, outputs: Value | Iterable[Value], targets: Targets) -> Value:
    """The loss `op` of outputs against targets (one each) as one node, labelled E."""
    name = op.name
    outs = [outputs] if isinstance(outputs, Value) else list(outputs)
    ts = _targets(name, targets)
    if not outs and not ts:
        raise ValueError(f"{name} needs at least one output and its target, got none (two empty lists)")
    if len(outs) != len(ts):
        raise ValueError(f"{name} needs one target per output, got {len(outs)} outputs and {len(ts)} targets")
    for i, o in enumerate(outs):
        if isinstance(o, list | tuple):
            raise TypeError(
                f"{name} needs one Value per output, got a list of {len(o)} at position {i} (model.forward(x) "
                f"gives a list for each example): pass the Values, such as [out[0] for out in outputs]"
            )
        if not isinstance(o, Value):
            raise TypeError(f"{name} needs Values as outputs (the model's), got {short(o)} at position {i}")
    return _labelled(op(*outs, *map(float, ts)))


def _logits(logits: Any) -> list[Any]:
    """cross_entropy's logits as a list (a generator read once, a numpy array's entries), or an error where
    they are one Value or no row at all."""
    if isinstance(logits, Value):
        raise ValueError(
            f"cross_entropy needs a row of logits per example, at least 2 Values (a model with an output per "
            f"class), got one Value, {logits!r}; with one output per example, use binary_cross_entropy of its "
            f"sigmoid, or hinge"
        )
    if not isinstance(logits, Iterable) or isinstance(logits, str | bytes):
        raise TypeError(f"cross_entropy needs a row of logits (Values) or a list of rows, got {short(logits)}")
    return list(logits)


def _targets(name: str, targets: Targets, as_given: bool = False) -> list[Any]:
    """The targets as a list of Python numbers: one number, or any iterable of them (a list, a numpy array,
    a generator, read once); numpy's numbers become Python's, and the rest ints or floats unless `as_given`
    (cross_entropy checks its classes as they were given). Anything else is a TypeError naming it."""
    if isinstance(targets, str | bytes):
        raise TypeError(f"{name} needs numbers as targets, got the text {targets!r}")
    if isinstance(targets, Set | Mapping):
        raise TypeError(f"{name} needs the targets in order, as a list or an array, got {short(targets)}")
    try:
        listed = list(targets)  # type: ignore[arg-type]
    except TypeError:  # one number: a float, an int, a numpy scalar or 0-d array
        listed = [targets]  # type: ignore[list-item]
    numbers = []
    for i, t in enumerate(listed):
        where = "" if listed[0] is targets else f" at position {i}"
        shape = getattr(t, "shape", ())
        if shape:  # a row of a 2-D array (y.reshape(-1, 1))
            raise TypeError(
                f"{name} needs one number per target, got an array of shape {shape}{where}: "
                f"pass the targets flat (y.ravel())"
            )
        if isinstance(t, Value):
            raise TypeError(
                f"{name} needs numbers as targets, got {t!r}{where}: a target is a constant, "
                f"pass its number, {'int(t.data)' if name == 'cross_entropy' else 't.data'} ({t.data})"
            )
        if isinstance(t, str | bytes) or not hasattr(t, "__float__"):
            raise TypeError(f"{name} needs numbers as targets, got {t!r} ({type(t).__name__}){where}")
        if isinstance(t, Complex) and not isinstance(t, Real):  # numpy's complex128 would give its real part
            raise TypeError(f"{name} needs real numbers as targets, got {t!r} ({type(t).__name__}){where}")
        if isinstance(t, Integral) and not as_given:
            real(t, f"{name}'s target{where}")  # an OverflowError saying so for 10**400
        if as_given:  # a 0-d array as the number it holds (numpy's int64 is an Integral as it is)
            numbers.append(t.item() if not isinstance(t, Integral | float) and hasattr(t, "item") else t)
        else:
            numbers.append(
                t if isinstance(t, int | float) else int(t) if isinstance(t, Integral) else _float(name, t, where)
            )
    return numbers


def _float(name: str, t: Any, where: str) -> float:
    """A target that is no int or float as a float (a Fraction, a numpy float), or an error naming the loss and
    the target (a numpy datetime64 says it converts, then refuses)."""
    try:
        return float(t)
    except (TypeError, ValueError):
        raise TypeError(f"{name} needs numbers as targets, got {t!r} ({type(t).__name__}){where}") from None


def _labelled(loss: Value) -> Value:
    loss.label = "E"
    return loss


def _check_classification(rows: list[list[Value]], classes: list[int]) -> None:
    if not rows or len(rows) != len(classes):
        raise ValueError(
            f"cross_entropy needs one class per row of logits, got {counted(len(rows), 'row')} and "
            f"{counted(len(classes), 'class')}"
        )
    k = len(rows[0])
    needs = "cross_entropy needs rows of at least 2 logits, all Values and all as long"
    if k < 2:
        raise ValueError(f"{needs}: row 1 has {counted(k, 'logit')}")
    for i, row in enumerate(rows, 1):
        if len(row) != k:
            raise ValueError(f"{needs}: row {i} has {counted(len(row), 'logit')}, row 1 has {k}")
        for z in row:
            if not isinstance(z, Value):
                raise ValueError(f"{needs}: row {i} holds {short(z)}")
    for y in classes:
        if not isinstance(y, Integral) or isinstance(y, bool) or not 0 <= y < k:
            whole = _as_class(y)
            suggestion = f": pass {whole}" if whole != "y" and whole is not y and 0 <= whole < k else ""
            raise ValueError(f"cross_entropy needs each class as an int, 0 to {k - 1}, got {short(y)}{suggestion}")


def _as_class(y: Any) -> Any:
    """A class as an error suggests writing it: 1.0 (or Decimal('1')) as 1, and y where it is not a whole
    number (1.5)."""
    try:
        whole = int(y)
    except (TypeError, ValueError, OverflowError):  # no number, NaN, infinity
        return "y"
    return whole if whole == y and not isinstance(y, bool) else "y"


# -- the records: each loss's value and its local derivatives, for numbers and Values alike ------
# A loss node's operands are its outputs, then its targets (l2's: the parameters, then α).


def _total(term: Term, mean: bool, outputs_then_targets: tuple[Any, ...]) -> Any:
    """E = Σ term(o, t) over the outputs o and targets t, times 1/n when `mean`."""
    n = len(outputs_then_targets) // 2
    total = 0.0
    for o, t in zip(outputs_then_targets[:n], outputs_then_targets[n:], strict=True):
        total += term(o, t)
    return total * (1.0 / n) if mean else total


def _slopes(slope: Term, mean: bool, outputs_then_targets: tuple[Any, ...]) -> tuple[Any, ...]:
    """dE/do for each output: slope(o, t), times 1/n when `mean`."""
    n = len(outputs_then_targets) // 2
    pairs = zip(outputs_then_targets[:n], outputs_then_targets[n:], strict=True)
    return tuple(slope(o, t) * (1.0 / n) if mean else slope(o, t) for o, t in pairs)


def _margin(o: float, t: float) -> float:
    """max(0, 1 - t o); a NaN margin is passed on, never hidden as a satisfied one."""
    margin = 1.0 - t * o
    return 0.0 if margin <= 0 else margin


def _margin_slope(o: Any, t: float) -> float:
    """-t where the margin 1 - t o is positive, else 0 (NaN for a NaN margin)."""
    margin = 1.0 - t * number(o)
    return -t if margin > 0 else 0.0 if margin <= 0 else margin


def _cross_entropy_term(o: float, t: float) -> float:
    if not 0.0 < o < 1.0:
        raise ValueError(
            f"binary_cross_entropy needs probabilities strictly between 0 and 1, got {o} (for target {t}): "
            f"log {o} is not finite. A sigmoid's output rounds to exactly 1.0 past a net input of about 37, and "
            f"to 0.0 below about -745"
        )
    return -(t * math.log(o) + (1.0 - t) * math.log(1.0 - o))


SQUARED_ERROR = Op(
    "squared_error",
    lambda *ot: _total(lambda o, t: 0.5 * (t - o) ** 2, False, ot),
    lambda out, *ot: _slopes(lambda o, t: o - t, False, ot),
    "Σ ½(t−o)²",
    finite_slopes=True,
)
MEAN_SQUARED_ERROR = Op(
    "mean_squared_error",
    lambda *ot: _total(lambda o, t: (o - t) ** 2, True, ot),
    lambda out, *ot: _slopes(lambda o, t: (o - t) * 2.0, True, ot),
    "mean (o−t)²",
    finite_slopes=True,
)
HINGE = Op(
    "hinge",
    lambda *ot: _total(_margin, True, ot),
    lambda out, *ot: _slopes(_margin_slope, True, ot),
    "mean max(0, 1−t·o)",
    finite_slopes=True,
)
BINARY_CROSS_ENTROPY = Op(
    "binary_cross_entropy",
    lambda *ot: _total(_cross_entropy_term, True, ot),
    lambda out, *ot: _slopes(lambda o, t: (o - t) / (o * (1.0 - o)), True, ot),
    "mean −t log o − (1−t) log(1−o)",
)


@cache
def _cross_entropy(k: int) -> Op:
    """The softmax cross-entropy over rows of k logits, one record for each k."""
    return Op("cross_entropy", partial(_softmax_loss, k), partial(_softmax_slopes, k), "mean −log softmax(z)[y]")


def _rows(k: int, logits_then_classes: tuple[Any, ...]) -> list[tuple[list[Any], int]]:
    """Each example's k logits and its class, from the operands (every row's logits, then the classes)."""
    r = len(logits_then_classes) // (k + 1)
    z, classes = logits_then_classes[: r * k], logits_then_classes[r * k :]
    return [(list(z[i * k : (i + 1) * k]), int(number(classes[i]))) for i in range(r)]


def _softmax_loss(k: int, *logits_then_classes: float) -> float:
    """Per row z with class y: log Σ exp(z) - z_y, taken as log Σ exp(z - max z) + (max z - z_y), so that
    no exp overflows and logits far larger than the log (1e16) do not swallow it; averaged over the rows."""
    total, examples = 0.0, _rows(k, logits_then_classes)
    for row, (z, y) in enumerate(examples, 1):
        top = max(z)
        spread = reduce(add, (EXP(zj - top) for zj in z), 0.0)  # at least exp(top - top) = 1
        if not number(spread) >= 1.0:
            raise _no_softmax(z, row, len(examples))
        total += LOG(spread) + (top - z[y])  # top - z[y] first: exact
    return total * (1.0 / len(examples))


def _no_softmax(z: list[Any], row: int, rows: int) -> ValueError:
    """The error for a row of logits that has no softmax: one is NaN or +inf, or all are -inf."""
    where = f" in row {row}" if rows > 1 else ""
    return ValueError(
        f"cross_entropy needs logits that have a softmax (no NaN or +inf, not all -inf), got "
        f"[{', '.join(str(number(zj)) for zj in z)}]{where}"
    )


def _softmax_slopes(k: int, out: Any, *logits_then_classes: Any) -> tuple[Any, ...]:
    """d/dz_j = (softmax(z)_j - [j = y]) / n, softmax(z)_j = exp(z_j - max z) / Σ exp(z_i - max z)."""
    examples = _rows(k, logits_then_classes)
    slopes = []
    for z, y in examples:
        top = max(map(number, z))
        exps = [EXP(zj - top) for zj in z]
        norm = reduce(add, exps, 0.0)
        slopes += [((e / norm - 1.0) if j == y else e / norm) * (1.0 / len(examples)) for j, e in enumerate(exps)]
    return tuple(slopes)


def _l2(*parameters_then_alpha: Any) -> Any:
    """α Σ p²."""
    return parameters_then_alpha[-1] * reduce(add, (p * p for p in parameters_then_alpha[:-1]), 0.0)


def _l2_slopes(out: Any, *parameters_then_alpha: Any) -> tuple[Any, ...]:
    """d(α Σ p²)/dp = 2 α p."""
    return tuple(p * (2.0 * parameters_then_alpha[-1]) for p in parameters_then_alpha[:-1])


L2 = Op("l2", _l2, _l2_slopes, "α Σ p²")
