"""Deprecated: the per-name registries of chainrule 0.1, kept so that code written for them runs.

An op is now one `Op` record (README: Adding an op). Before, an op made with `make_node(...,
"name")` registered its drawing symbol, its derivatives as Values and its kernel for compiled
code separately, by name. Each function here still does that, with a DeprecationWarning, and
`record()` turns what a name has registered into an Op for the node being made.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

Derivatives = Callable[[Any], list[Any]]  # a node -> d(node)/d(child) for each child, as Values
Kernel = Callable[[list[float], list[float]], tuple[float, Sequence[float]]]  # (values, constants) -> (value, slopes)


class NoKernel(ValueError):
    """The value of a node whose op was registered by name without a kernel: it cannot be computed again."""


SYMBOLS: dict[str, str] = {}
DERIVATIVES: dict[str, Derivatives] = {}
KERNELS: dict[str, Kernel] = {}


def _deprecated(old: str) -> None:
    warnings.warn(
        f"{old} is deprecated: define the op as an autograd.Op, whose one rule gives its derivatives, "
        f"its compiled code and its symbol (README: Adding an op)",
        DeprecationWarning,
        stacklevel=3,
    )


def register_symbol(op: str, symbol: str) -> None:
    """Deprecated: draw nodes made by make_node(..., op) with `symbol`."""
    _deprecated("register_symbol")
    SYMBOLS[op] = symbol


def register_derivative(op: str) -> Callable[[Derivatives], Derivatives]:
    """Deprecated: `derivatives(node)` gives d(node)/d(child) as Values, for grad()."""
    _deprecated("register_derivative")

    def register(derivatives: Derivatives) -> Derivatives:
        DERIVATIVES[op] = derivatives
        return derivatives

    return register


def register_kernel(op: str, kernel: Kernel) -> None:
    """Deprecated: `kernel(values, constants)` gives (value, local derivatives), for compile_backprop."""
    _deprecated("register_kernel")
    KERNELS[op] = kernel


def registered(name: str) -> bool:
    return name in SYMBOLS or name in DERIVATIVES or name in KERNELS


def rules(name: str, children: int) -> tuple[Callable[..., Any], Callable[..., tuple[Any, ...]], str]:
    """The value, local derivatives and symbol that `name` registered, as an Op's, for a node of
    `children` children (its operands: the children's numbers, then the constants')."""
    kernel, derivatives = KERNELS.get(name), DERIVATIVES.get(name)

    def by_kernel(numbers: tuple[Any, ...]) -> tuple[float, Sequence[float]]:
        if kernel is None:
            raise NoKernel(f"the op {name!r} registered no kernel: define it as an Op (README: Adding an op)")
        return kernel(list(numbers[:children]), list(numbers[children:]))

    def local(out: Any, *numbers: Any) -> tuple[Any, ...]:
        if derivatives is not None and hasattr(out, "children"):  # a node, as grad() passes it
            return tuple(derivatives(out))
        return tuple(by_kernel(numbers)[1])

    return (lambda *numbers: by_kernel(numbers)[0]), local, SYMBOLS.get(name, "")
