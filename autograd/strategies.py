"""Hypothesis strategies for property-based gradient tests (needs hypothesis: the `testing` extra).

    from hypothesis import given
    from autograd import gradcheck
    from autograd.strategies import expressions

    @given(expressions())
    def test_backward_matches_finite_differences(expr):
        gradcheck(expr, expr.inputs)

An `Expression` is a small program over its inputs: each step applies one op to earlier
results, so a result used by several later steps is a shared subexpression. Steps are drawn
only where their op is defined and well conditioned (no log near 0, no division near 0, no
relu at its kink), so finite differences are a fair judge.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from autograd.engine import Value, counted
from autograd.sums import dot, vsum

try:
    from hypothesis import strategies as st
except ImportError as missing:  # pragma: no cover - depends on the environment
    raise ImportError("autograd.strategies needs hypothesis: pip install hypothesis (the testing extra)") from missing

# Each op: (name, arity, is it defined and well conditioned at these operand values?, apply it).
Op = tuple[str, int, Callable[..., bool], Callable[..., Value]]


def _away_from_zero(*xs: float) -> bool:
    return all(abs(x) > 0.2 for x in xs)


OPS: list[Op] = [
    ("+", 2, lambda a, b: True, lambda a, b: a + b),
    ("-", 2, lambda a, b: True, lambda a, b: a - b),
    ("*", 2, lambda a, b: True, lambda a, b: a * b),
    ("/", 2, lambda a, b: abs(b) > 0.2, lambda a, b: a / b),
    ("** Value", 2, lambda a, b: a > 0.2 and abs(b) < 3, lambda a, b: a**b),
    ("** 2", 1, lambda a: True, lambda a: a**2),
    ("** 3", 1, lambda a: True, lambda a: a**3),
    ("** -1", 1, _away_from_zero, lambda a: a**-1),
    ("** 0.5", 1, lambda a: a > 0.2, lambda a: a**0.5),
    ("2 **", 1, lambda a: a < 10, lambda a: 2**a),
    ("3 -", 1, lambda a: True, lambda a: 3 - a),
    ("1.5 /", 1, _away_from_zero, lambda a: 1.5 / a),
    ("0.5 *", 1, lambda a: True, lambda a: 0.5 * a),
    ("1 +", 1, lambda a: True, lambda a: 1 + a),
    ("neg", 1, lambda a: True, lambda a: -a),
    ("exp", 1, lambda a: a < 5, lambda a: a.exp()),
    ("log", 1, lambda a: a > 0.2, lambda a: a.log()),
    ("tanh", 1, lambda a: True, lambda a: a.tanh()),
    ("sigmoid", 1, lambda a: True, lambda a: a.sigmoid()),
    ("relu", 1, _away_from_zero, lambda a: a.relu()),
    ("sum", 3, lambda a, b, c: True, lambda a, b, c: vsum([a, b, c, 0.5])),
    ("dot", 3, lambda a, b, c: True, lambda a, b, c: dot([a, b, 2.0], [b, c, a], bias=0.25)),
]
LIMIT = 50.0  # results larger than this are squashed with tanh to keep the numbers well conditioned


@dataclass(frozen=True)
class Expression:
    """A function of `len(inputs)` Values, drawn at a point where every step is defined."""

    inputs: tuple[float, ...]
    steps: tuple[tuple[str, tuple[int, ...]], ...]

    def __call__(self, *xs: Value) -> Value:
        if len(xs) != len(self.inputs):
            raise TypeError(
                f"this Expression is a function of {counted(len(self.inputs), 'input')}, got {len(xs)}: call it as "
                f"expr(*(Value(x) for x in expr.inputs))"
            )
        results = list(xs)
        for name, args in self.steps:
            results.append(_APPLY[name](*(results[i] for i in args)))
        return results[-1]

    def __repr__(self) -> str:
        names = [f"x{i}" for i in range(len(self.inputs))]
        lines = [f"Expression(inputs={self.inputs})"]
        for k, (name, args) in enumerate(self.steps):
            names.append(f"v{k}")
            lines.append(f"  v{k} = {name}({', '.join(names[i] for i in args)})")
        return "\n".join(lines)


_APPLY = {name: apply for name, _, _, apply in OPS}


@st.composite
def expressions(draw: st.DrawFn, max_inputs: int = 3, max_steps: int = 12) -> Expression:
    """Random expression graphs over every op of the engine, with shared subexpressions."""
    for name, given in (("max_inputs", max_inputs), ("max_steps", max_steps)):
        if type(given) is not int or given < 1:
            raise ValueError(f"expressions() needs {name} to be a whole number of 1 or more, got {given!r}")
    inputs = draw(st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=max_inputs))
    values = [Value(x) for x in inputs]
    steps: list[tuple[str, tuple[int, ...]]] = []
    for _ in range(draw(st.integers(1, max_steps))):
        name, arity, defined, apply = draw(st.sampled_from(OPS))
        # Favour recent results, so later steps build on (and share) earlier ones.
        args = tuple(draw(st.integers(max(0, len(values) - 4), len(values) - 1)) for _ in range(arity))
        operands = [values[i] for i in args]
        if not defined(*(v.data for v in operands)):
            name, args, apply = "tanh", args[:1], _APPLY["tanh"]
            operands = operands[:1]
        result = apply(*operands)
        if not abs(result.data) < LIMIT or math.isnan(result.data):
            steps.append((name, args))
            values.append(result)
            name, args, result = "tanh", (len(values) - 1,), result.tanh()
        steps.append((name, args))
        values.append(result)
    return Expression(tuple(inputs), tuple(steps))
