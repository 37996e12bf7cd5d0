"""Three classes: an MLP with three outputs learns three interleaved spirals by softmax cross-entropy.

    python -m demos.spirals [--out DIR] [--steps 300]

Three spiral arms of 40 points each, made in pure Python with a fixed seed. MLP(2, [16, 16, 3]),
whose three outputs are the logits of the classes; the loss is the cross_entropy of the logits
plus 1e-4 * sum of squared parameters; full-batch SGD with lr = 1.0 - 0.9 k / steps.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path

from autograd import Value, vsum
from demos.regions import Point, grid_over, plot_regions
from demos.report import PLOTS, Report, arguments, show
from demos.training import train
from nn import MLP, cross_entropy, l2

CLASS_COLOURS = {  # class: (region, point)
    0.0: ("#f4c7c3", "#c0392b"),
    1.0: ("#c6dafc", "#1f5fbf"),
    2.0: ("#cdebc5", "#2e8b3a"),
}


def make_spirals(
    per_class: int = 40, classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[list[Point], list[int]]:
    """`classes` spiral arms from the centre outwards, each turned a further 2π/classes; the angle
    grows with the radius and gets Gaussian noise of `noise` radians."""
    rng = random.Random(seed)
    points, labels = [], []
    for c in range(classes):
        for i in range(per_class):
            radius = (i + 1) / per_class
            angle = 2 * math.pi * c / classes + 4.0 * radius + rng.gauss(0, noise)
            points.append((radius * math.sin(angle), radius * math.cos(angle)))
            labels.append(c)
    return points, labels


def predicted_class(logits: Sequence[Value]) -> int:
    """The class whose logit is highest."""
    numbers = [v.data for v in logits]
    return numbers.index(max(numbers))


def loss_and_accuracy(model: MLP, points: Sequence[Point], labels: Sequence[int]) -> tuple[Value, float]:
    rows = [model.forward(p) for p in points]
    loss = vsum([cross_entropy(rows, labels), l2(model.parameters(), 1e-4)], label="loss")
    correct = sum(predicted_class(row) == y for row, y in zip(rows, labels, strict=True))
    return loss, correct / len(labels)


def run(steps: int = 300, seed: int = 3, quiet: bool = False) -> tuple[Report, MLP]:
    points, labels = make_spirals()
    model = MLP(2, [16, 16, 3], rng=random.Random(seed))
    report = train(model, lambda m: loss_and_accuracy(m, points, labels), steps, quiet)
    return report, model


def plot_regions_of(model: MLP, path: Path) -> Path | None:
    """The three decision regions over the data, as PNG, when matplotlib is installed."""
    points, labels = make_spirals()
    grid = grid_over(points, lambda p: float(predicted_class(model.forward(p))))
    return plot_regions(
        path, "three spirals: decision regions", grid, points, [float(y) for y in labels], CLASS_COLOURS
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments("spirals", __doc__.splitlines()[0], argv, steps=300, html=False)
    report, model = run(args.steps)
    show(report, args, "three spirals")
    if args.out:
        picture = plot_regions_of(model, args.out / "spirals_regions.png")
        print(f"wrote {picture}" if picture else f"spirals_regions.png not written: it needs {PLOTS}")


if __name__ == "__main__":
    main()
