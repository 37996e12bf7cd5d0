"""Decision regions of a classifier over 2-d points, drawn as PNG with matplotlib (the plots extra)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from pathlib import Path

Point = tuple[float, float]
Colours = dict[float, tuple[str, str]]  # class: (region shade, point colour)


def grid_over(
    points: Sequence[Point], classify: Callable[[Point], float], margin: float = 0.25, step: float = 0.05
) -> tuple[list[float], list[float], list[list[float]]]:
    """classify() on a grid that covers every point with `margin` to spare: xs, ys, and a row per y."""
    low_x, high_x = min(p[0] for p in points) - margin, max(p[0] for p in points) + margin
    low_y, high_y = min(p[1] for p in points) - margin, max(p[1] for p in points) + margin
    xs = [low_x + step * i for i in range(math.ceil((high_x - low_x) / step) + 1)]
    ys = [low_y + step * j for j in range(math.ceil((high_y - low_y) / step) + 1)]
    return xs, ys, [[classify((x, y)) for x in xs] for y in ys]


def plot_regions(
    path: Path,
    title: str,
    grid: tuple[list[float], list[float], list[list[float]]],
    points: Sequence[Point],
    labels: Sequence[float],
    colours: Colours,
) -> Path | None:
    """The regions in the light shade of the class given there, each point in the dark shade of its
    label, so a point on a region of its own colour is classified right. None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    xs, ys, classes = grid
    order = sorted(colours)
    levels = [order[0] - 1, *((a + b) / 2 for a, b in itertools.pairwise(order)), order[-1] + 1]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    axes.contourf(xs, ys, classes, levels=levels, colors=[colours[c][0] for c in order])
    for label in order:
        mine = [p for p, y in zip(points, labels, strict=True) if y == label]
        axes.scatter(
            [p[0] for p in mine],
            [p[1] for p in mine],
            c=colours[label][1],
            edgecolors="k",
            s=20,
            label=f"class {label:g}",
        )
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # beside the plot, over no point
    axes.set_title(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
