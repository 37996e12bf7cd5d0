"""micrograd's classic demo, rebuilt: an MLP separates two moons with a max-margin loss.

    python -m demos.moons [--out DIR] [--steps 100]

100 points made in pure Python with a fixed seed, MLP(2, [16, 16, 1]), hinge loss plus
1e-4 * sum of squared parameters, full-batch SGD with lr = 1.0 - 0.9 k / steps.
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
from nn import MLP, hinge, l2


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list[Point], list[float]]:
    """Two interleaving half circles with Gaussian noise; labels -1 (upper) and +1 (lower)."""
    rng = random.Random(seed)
    upper, lower = n // 2, n - n // 2
    points = [(math.cos(math.pi * i / (upper - 1)), math.sin(math.pi * i / (upper - 1))) for i in range(upper)]
    points += [
        (1 - math.cos(math.pi * i / (lower - 1)), 0.5 - math.sin(math.pi * i / (lower - 1))) for i in range(lower)
    ]
    noisy = [(x + rng.gauss(0, noise), y + rng.gauss(0, noise)) for x, y in points]
    return noisy, [-1.0] * upper + [1.0] * lower


def loss_and_accuracy(model: MLP, points: Sequence[Point], labels: Sequence[float]) -> tuple[Value, float]:
    scores = [model.forward(p)[0] for p in points]
    loss = vsum([hinge(scores, labels), l2(model.parameters(), 1e-4)], label="loss")
    correct = sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels, strict=True))
    return loss, correct / len(labels)


def run(steps: int = 100, seed: int = 1337, quiet: bool = False) -> tuple[Report, MLP]:
    points, labels = make_moons()
    model = MLP(2, [16, 16, 1], rng=random.Random(seed))
    report = train(model, lambda m: loss_and_accuracy(m, points, labels), steps, quiet)
    return report, model


CLASS_COLOURS = {-1.0: ("#f4c7c3", "#c0392b"), 1.0: ("#c6dafc", "#1f5fbf")}  # label: (region, point)


def decision_grid(model: MLP, points: Sequence[Point]) -> tuple[list[float], list[float], list[list[float]]]:
    """The model's class (-1 or +1) on a grid that covers every point."""
    return grid_over(points, lambda p: 1.0 if model.forward(p)[0].data > 0 else -1.0)


def plot_boundary(model: MLP, path: Path) -> Path | None:
    """The decision regions over the data, as PNG, when matplotlib is installed."""
    points, labels = make_moons()
    grid = decision_grid(model, points)
    return plot_regions(path, "two moons: decision regions", grid, points, labels, CLASS_COLOURS)


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments("moons", __doc__.splitlines()[0], argv, steps=100, html=False)
    report, model = run(args.steps)
    show(report, args, "two moons")
    if args.out:
        picture = plot_boundary(model, args.out / "moons_boundary.png")
        print(f"wrote {picture}" if picture else f"moons_boundary.png not written: it needs {PLOTS}")


if __name__ == "__main__":
    main()
