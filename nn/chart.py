"""The loss curve of a recorded run as an SVG chart: axes, ticks with numbers, and a marker a page moves.

The y axis is logarithmic when the loss spans more than a factor of 20, linear otherwise. The
chart's scale is returned with it, so a page can place the current-step marker: a step s sits
at x = left + width * s / last_step, and a loss l at y = top + height * (1 - (f(l) - low) / (high - low)),
with f = log10 on a log axis.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

WIDTH, HEIGHT = 860, 220
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 16, 44
MAX_DECADES = 12  # ticks on a log axis
TICK_CHARACTER = 6.5  # the width of a tick label's character, in pixels (11 px text)


@dataclass(frozen=True)
class Scale:
    left: float
    top: float
    width: float
    height: float
    last_step: int
    low: float
    high: float
    log: bool

    def x(self, step: float) -> float:
        return self.left + self.width * step / max(1, self.last_step)

    def y(self, loss: float) -> float:
        f = math.log10(loss) if self.log else loss
        return self.top + self.height * (1 - (f - self.low) / (self.high - self.low))

    def as_dict(self) -> dict[str, float | int | bool]:
        return asdict(self)


def loss_chart(curve: list[tuple[int, float]], steps: int) -> tuple[str, Scale]:
    """The chart's SVG (with a marker whose id is "marker") and its scale."""
    losses = [loss for _, loss in curve]
    if not all(map(math.isfinite, losses)):
        raise ValueError(f"the chart draws finite losses, got {next(x for x in losses if not math.isfinite(x))}")
    smallest, largest = min(losses), max(losses)
    log = smallest > 0 and largest / smallest > 20
    low: float
    high: float
    if log:
        low, high = math.floor(math.log10(smallest)), math.ceil(math.log10(largest))
        ticks = _decade_ticks(low, high)
    else:
        low, high, step = _nice_range(smallest, largest)
        ticks = _linear_ticks(low, high, step)
    left = max(LEFT, 30 + round(TICK_CHARACTER * max(len(label) for _, label in ticks)))  # room for the labels
    scale = Scale(left, TOP, WIDTH - left - RIGHT, HEIGHT - TOP - BOTTOM, steps - 1, low, high, log)
    parts = [
        f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="error per step">',
        f'<rect x="{left}" y="{TOP}" width="{scale.width}" height="{scale.height}" class="plot"/>',
    ]
    for value, label in ticks:
        y = min(max(scale.y(value), TOP), TOP + scale.height)  # 1e-323 is inexact: a hair below the axis
        parts.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left + scale.width}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" class="tick">{label}</text>')
    for step in _x_ticks(steps - 1):
        x = scale.x(step)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP + scale.height}" x2="{x:.1f}" y2="{TOP + scale.height + 5}" class="axis"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + scale.height + 18}" text-anchor="middle" class="tick">{step:,}</text>'
        )
    points = " ".join(f"{scale.x(s):.1f},{scale.y(loss):.1f}" for s, loss in curve)
    parts.append(f'<polyline points="{points}" class="curve"/>')
    parts.append(f'<text x="{left + scale.width / 2}" y="{HEIGHT - 6}" text-anchor="middle" class="title">step</text>')
    axis = "error (log scale)" if log else "error"
    parts.append(f'<text x="14" y="{TOP + scale.height / 2}" text-anchor="middle" class="title" '
                 f'transform="rotate(-90 14 {TOP + scale.height / 2})">{axis}</text>')  # fmt: skip
    parts.append('<line id="marker-line" class="marker"/><circle id="marker" r="4.5" class="marker"/>')
    parts.append("</svg>")
    return "\n".join(parts), scale


def _nice_range(smallest: float, largest: float) -> tuple[float, float, float | None]:
    """Round numbers around the losses and the step between them; a loss that never changes starts an
    axis four steps high. Where no round step fits (losses near the ends of the floats), the axis runs
    from the smallest to the largest (the upper half of a loss that never changes), without a step;
    losses further apart than the largest float are refused."""
    span = largest - smallest or abs(largest) or 1.0
    try:
        step = _nice_step(max(span / 4, math.ulp(max(abs(smallest), abs(largest)))))  # a step a float can take
        low, high = math.floor(smallest / step) * step, math.ceil(largest / step) * step
        low, high = low - step if low > smallest else low, high + step if high < largest else high  # rounding
        if high == low:
            high = low + 4 * step
        if math.isfinite(high - low):
            return low, high, step
    except OverflowError:
        pass
    if not math.isfinite(largest - smallest):
        raise ValueError(f"the losses run from {smallest} to {largest}, further apart than a float can say: no chart")
    if largest > smallest:
        return smallest, largest, None
    return (largest / 2, largest, None) if largest > 0 else (smallest, smallest / 2, None)


def _nice_step(rough: float) -> float:
    """1, 2 or 5 times a power of ten, at least `rough`; an OverflowError where there is none (`rough` is not
    a finite positive number, or is below the least power of ten a float holds)."""
    if not (math.isfinite(rough) and rough > 0):
        raise OverflowError(f"no round step of {rough}")
    power = 10.0 ** math.floor(math.log10(rough))
    step = next((m * power for m in (1, 2, 5, 10) if m * power >= rough), 0.0)  # subnormal powers are inexact
    if step == 0:
        raise OverflowError(f"no round step of {rough}")
    return step


def _linear_ticks(low: float, high: float, step: float | None) -> list[tuple[float, str]]:
    """Ticks from low to high, `step` apart (low and high alone without a step), each value once and
    each label told apart from the next (as many digits as that takes)."""
    if step is None:
        values = [low, high]
    else:
        values = list(dict.fromkeys(min(low + i * step, high) for i in range(round((high - low) / step) + 1)))
    return list(zip(values, _distinct_labels(values), strict=True))


def _decade_ticks(low: int, high: int) -> list[tuple[float, str]]:
    """A tick a decade on a log axis from 10^low to 10^high, or every few decades where there are more
    than MAX_DECADES, counted down from the top; none past what a float holds (1e-323 to 1e308)."""
    every = math.ceil((high - low) / MAX_DECADES)
    decades = [k for k in range(high, low - 1, -every) if -323 <= k <= 308][::-1]
    return [(10.0**k, f"1e{k}" if not 0 <= k <= 2 else f"{10**k:g}") for k in decades]


def _distinct_labels(values: list[float]) -> list[str]:
    """Each value to 6 significant digits, or to as many more as it takes to tell neighbours apart."""
    for digits in range(6, 18):
        labels = [f"{v:.{digits}g}" for v in values]
        if len(set(labels)) == len(labels):
            return labels
    return labels


def _x_ticks(last_step: int) -> list[int]:
    if last_step == 0:
        return [0]
    step = max(1, int(_nice_step(last_step / 6)))
    return list(range(0, last_step + 1, step))
