"""The chain rule spelled out: d(root)/dx as a sum over paths of products of named factors.

Along each path from `root` down to `x`, the local derivatives of the edges multiply. Values
with a label are the stops; the edges between two stops fold into one factor d(upper)/d(lower),
so with the articles' names a path reads dE/do1 * do1/dnet_o1 * dnet_o1/dw7. Summed over all
paths, the products give d(root)/dx, which is what backward() leaves in x.grad.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autograd.engine import Value, topological_order

Factor = tuple[str, float]


@dataclass(frozen=True)
class Explanation:
    root: str
    x: str
    paths: list[list[Factor]]
    decimals: int = 4

    def products(self) -> list[float]:
        """Each path's product of factors: its share of d(root)/dx."""
        return [math.prod(f for _, f in path) for path in self.paths]

    @property
    def total(self) -> float:
        return sum(self.products())

    def __str__(self) -> str:
        def num(value: float) -> str:
            return f"{value:.{self.decimals}f}"

        symbols = " + ".join(" * ".join(name for name, _ in path) for path in self.paths) or "0"
        numbers = " + ".join(" * ".join(num(f) for _, f in path) for path in self.paths) or "0"
        return f"d{self.root}/d{self.x} = {symbols} = {numbers} = {num(self.total)}"


def explain(root: Value, x: Value, decimals: int = 4, max_paths: int = 64) -> Explanation:
    """Every path from `root` to `x` as a product of named factors (see the module docstring)."""
    top, bottom = name(root, "root"), name(x, "x")
    reaches_x = {x}
    for node in topological_order(root):
        if any(child in reaches_x for child in node.children):
            reaches_x.add(node)
    paths: list[list[Factor]] = [] if root is not x else [[(f"d{top}/d{bottom}", 1.0)]]
    stack: list[tuple[Value, list[Factor], str, float]] = [(root, [], top, 1.0)]
    while stack and root is not x:
        node, factors, upper, carried = stack.pop()
        for child, local in zip(node.children, node.local_grads, strict=True):
            if child not in reaches_x:
                continue
            product = carried * local
            if child is x or child.label:
                done = [*factors, (f"d{upper}/d{name(child, bottom)}", product)]
                if child is x:
                    paths.append(done)
                else:
                    stack.append((child, done, child.label, 1.0))
            else:
                stack.append((child, factors, upper, product))
            if len(paths) > max_paths:
                raise ValueError(
                    f"d{top}/d{bottom} is a sum over more than {max_paths} paths; "
                    f"pass max_paths to list more, or label fewer values"
                )
    paths.reverse()
    return Explanation(top, bottom, paths, decimals)


def name(v: Value, default: str) -> str:
    return v.label or default
