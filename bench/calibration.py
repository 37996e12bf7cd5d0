"""How fast an engine of chainrule's data model, and nothing more, runs micrograd's epoch here.

    python -m bench.calibration [--runs N]   # needs micrograd 0.1.0, as bench.run does (make bench)

The goal for chainrule's eager epoch of micrograd's code is 30x micrograd 0.1.0, calibrated on "a sketch
with tuples always, the chain rule in one line, CPython's collector untouched and one labelled
helper that makes a layer's dot nodes". This file is such a sketch, written to that description
and no further: a node keeps its children and their local derivatives as tuples, backward() is a
topological order and the one-line chain rule (passing over a node whose gradient is 0, as
chainrule's backward() does, without its checks for inf, NaN and -0.0), `layer` makes a layer's
dot and relu nodes. It keeps no op, no plain-number operands and no label (which grad(),
compile_backprop, explain and the drawings read), and has no checks, modes or nn: it computes the
epoch chainrule computes, and its time is how fast the data model alone runs it on this machine.

Each run times micrograd 0.1.0, the sketch and chainrule (micrograd's code, only the imports
changed) with bench.run's harness (engines taking turns, the median of the repeats, CPython's
collector thresholds), and checks that the sketch's loss and gradients equal chainrule's to the
bit. Ratios are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value
from bench.run import (
    Workload,
    bytes_per_op,
    chainrule_micrograd_idiom,
    median_times,
    micrograd_epoch,
    micrograd_idiom,
    micrograd_loss,
)
from nn import MLP


class Node:
    """A scalar, and the tuples of its children and of d(self)/d(child), one per child."""

    __slots__ = ("children", "data", "grad", "local_grads")

    def __init__(self, data: float, children: tuple[Node, ...] = (), local_grads: tuple[float, ...] = ()) -> None:
        self.data, self.grad, self.children, self.local_grads = data, 0.0, children, local_grads

    def __add__(self, other: Node | float) -> Node:
        if isinstance(other, Node):
            return Node(self.data + other.data, (self, other), (1.0, 1.0))
        return Node(self.data + other, (self,), (1.0,))

    __radd__ = __add__

    def __mul__(self, other: Node | float) -> Node:
        if isinstance(other, Node):
            return Node(self.data * other.data, (self, other), (other.data, self.data))
        return Node(self.data * other, (self,), (other,))

    __rmul__ = __mul__

    def relu(self) -> Node:
        x = self.data
        return Node(x, (self,), (1.0,)) if x > 0 else Node(0.0, (self,), (0.0,))

    def backward(self) -> None:
        self.grad = 1.0
        for node in reversed(_order(self)):
            if node.grad == 0.0:
                continue  # its edges would add only zeros
            for child, local in zip(node.children, node.local_grads):  # noqa: B905  # one per child
                child.grad += local * node.grad


def _order(root: Node) -> list[Node]:
    """Each node after its children, by the iterative depth-first search chainrule's engine uses."""
    order: list[Node] = []
    seen: set[Node] = set()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())
        elif node not in seen:
            seen.add(node)
            if seen.issuperset(node.children):
                order.append(node)
            else:
                stack += (node, None, *node.children)
    return order


def layer(rows: list[list[Node]], xs: Sequence[Node | float], biases: list[Node], relu: bool) -> list[Node]:
    """The labelled helper: a layer's dot nodes b + w·x (and their relu), its inputs (all Nodes, or all
    numbers) read once."""
    children = tuple(x for x in xs if isinstance(x, Node))
    xd: list[float] = [x.data for x in children] if children else list(xs)  # type: ignore[arg-type]  # numbers
    assert len(xd) == len(xs), "the inputs are all Nodes or all numbers"
    outputs = []
    for ws, b in zip(rows, biases):  # noqa: B905  # one bias per row
        wd = [w.data for w in ws]
        total = b.data
        for u, v in zip(wd, xd):  # noqa: B905  # one input per weight
            total += u * v
        net = Node(total, (b, *ws, *children), (1.0, *xd, *wd) if children else (1.0, *xd))
        outputs.append(net.relu() if relu else net)
    return outputs


class SketchMLP:
    """chainrule's MLP(2, [16, 16, 1]) with the same numbers, as lists of Nodes."""

    def __init__(self, model: MLP) -> None:
        self.layers = [
            ([[Node(w.data) for w in n.w] for n in layer.neurons], [Node(n.b.data) for n in layer.neurons])
            for layer in model.layers
        ]

    def __call__(self, x: Sequence[float]) -> Node:
        out: Sequence[Node | float] = x
        for k, (rows, biases) in enumerate(self.layers):
            out = layer(rows, out, biases, relu=k < len(self.layers) - 1)
        return out[0]  # type: ignore[return-value]  # the last layer has one neuron

    def parameters(self) -> list[Node]:
        return [p for rows, biases in self.layers for row, b in zip(rows, biases) for p in (*row, b)]  # noqa: B905

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0


def chainrule_model() -> MLP:
    return MLP(2, [16, 16, 1], rng=random.Random(1))  # bench.run's model


def sketch_epoch() -> Workload:
    return micrograd_idiom(SketchMLP(chainrule_model()))


def same_numbers() -> bool:
    """Whether the sketch's loss and gradients equal chainrule's to the bit, for one epoch's loss."""
    model = chainrule_model()
    sketch = SketchMLP(model)
    losses = [micrograd_loss(model), micrograd_loss(sketch)]
    for loss in losses:
        loss.backward()
    grads = [[p.grad for p in model.parameters()], [p.grad for p in sketch.parameters()]]
    return losses[0].data == losses[1].data and grads[0] == grads[1]


def main(arguments: Sequence[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.calibration", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="separate runs, each a median (default 3)")
    parser.add_argument("--repeats", type=int, default=7, help="timed epochs of each engine per run (default 7)")
    args = parser.parse_args(arguments)
    out(f"Python {sys.version.split()[0]}. The sketch: a bare engine of tuples and the one-line chain rule, with no")
    out("op records, labels, checks or nn (bench/calibration.py).")
    out(f"It computes chainrule's loss and gradients to the bit: {same_numbers()}")
    out(
        f"Memory per chain node: sketch {bytes_per_op('sketch', Node, 100_000):.0f} bytes, "
        f"chainrule {bytes_per_op('chainrule', Value, 100_000):.0f} bytes"
    )
    out("micrograd's epoch, medians of each run (bench.run's harness):")
    for run in range(1, args.runs + 1):
        times = median_times(
            {"micrograd": micrograd_epoch, "sketch": sketch_epoch, "chainrule": chainrule_micrograd_idiom},
            args.repeats,
        )
        micrograd = times["micrograd"]
        out(
            f"  run {run}: micrograd 0.1.0 {micrograd * 1e3:.0f} ms; the sketch {times['sketch'] * 1e3:.2f} ms, "
            f"{micrograd / times['sketch']:.1f}x; chainrule {times['chainrule'] * 1e3:.2f} ms, "
            f"{micrograd / times['chainrule']:.1f}x"
        )


if __name__ == "__main__":
    main()
