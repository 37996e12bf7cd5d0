import math
import re

import pytest

from nn.chart import loss_chart


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_a_loss_spanning_decades_gets_a_log_axis_with_a_tick_per_decade():
    curve = [(0, 0.3), (5_000, 0.001), (9_999, 3.5e-5)]
    svg, scale = loss_chart(curve, 10_000)
    assert scale.log and (scale.low, scale.high) == (-5, 0)
    assert texts(svg)[:6] == ["1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1"]
    assert [t for t in texts(svg) if "," in t or t == "0"] == ["0", "2,000", "4,000", "6,000", "8,000"]
    assert "error (log scale)" in texts(svg) and "step" in texts(svg)
    assert scale.x(0) == scale.left and scale.x(9_999) == scale.left + scale.width
    assert scale.y(1.0) == pytest.approx(scale.top) and scale.y(1e-5) == pytest.approx(scale.top + scale.height)
    assert 'id="marker"' in svg and 'id="marker-line"' in svg


def test_a_narrow_loss_range_gets_a_linear_axis_of_round_numbers():
    svg, scale = loss_chart([(0, 0.52), (1, 0.5), (2, 0.41)], 3)
    assert not scale.log
    assert (scale.low, scale.high) == pytest.approx((0.4, 0.55))
    assert texts(svg)[:4] == ["0.4", "0.45", "0.5", "0.55"]
    points = re.search(r'points="([^"]+)"', svg).group(1).split()  # type: ignore[union-attr]
    assert len(points) == 3
    for point in points:
        x, y = map(float, point.split(","))
        assert scale.left <= x <= scale.left + scale.width and scale.top <= y <= scale.top + scale.height


@pytest.mark.parametrize(("loss", "axis"), [(0.0, (0.0, 2.0)), (1.0, (1.0, 3.0)), (-2.0, (-2.0, 0.0))])
def test_a_loss_that_never_changes_gets_an_axis_that_starts_at_it(loss, axis):
    svg, scale = loss_chart([(0, loss), (1, loss), (2, loss)], 3)
    assert (scale.low, scale.high) == axis
    labels = texts(svg)[:5]
    assert labels[0] == f"{loss:g}" and labels[-1] == f"{axis[1]:g}"  # the top labelled too
    assert all(scale.top <= float(y) <= scale.top + scale.height for y in re.findall(r",([\d.]+)", svg))


@pytest.mark.parametrize(
    "losses",
    [[1e-323] * 3, [5e-324, 1.0, 1e308], [1.7e308] * 3, [-1e308, 0.0, 5e307], [-1.7e308] * 2, [1e-300, 0.5, 1.0]],
)
def test_losses_at_the_ends_of_the_floats_get_an_axis_that_holds_them_with_few_ticks(losses):
    svg, scale = loss_chart(list(enumerate(losses)), len(losses))
    assert math.isfinite(scale.low) and math.isfinite(scale.high) and scale.low < scale.high
    for loss in losses:
        assert scale.top - 1e-9 <= scale.y(loss) <= scale.top + scale.height + 1e-9, loss
    ticks = [t for t in texts(svg) if t not in ("step", "error", "error (log scale)") and "," not in t][: -len(losses)]
    assert 2 <= len(ticks) <= 13 and len(set(ticks)) == len(ticks)


def ticks_of(svg: str) -> list[tuple[float, str]]:
    """Each y tick's height and label."""
    found = re.findall(r'<text x="[\d.]+" y="([-\d.e]+)" text-anchor="end" class="tick">([^<]*)</text>', svg)
    return [(float(y) - 4, label) for y, label in found]


def test_ticks_of_a_loss_that_changes_in_its_ninth_digit_are_told_apart():
    svg, scale = loss_chart([(0, 1.0), (1, 1 + 1e-9), (2, 1 + 2e-9)], 3)
    labels = [label for _, label in ticks_of(svg)]
    assert len(labels) >= 4 and len(set(labels)) == len(labels)
    assert all(scale.low - 1e-15 <= float(label) <= scale.high + 1e-15 for label in labels)
    assert scale.left - 8 - 6.5 * max(map(len, labels)) >= 20  # the plot moves right to leave the labels room
    assert loss_chart([(0, 0.52), (1, 0.5)], 2)[1].left == 70


@pytest.mark.parametrize(
    "losses",
    [
        [0.546, 1.101],  # a tick step recomputed from the axis came out 0.5, and 1.4 fell above the plot
        [1.7e308, 1.7e308],  # a tick at inf
        [1.0, 1.0 + 2**-52],  # two ticks at one float, both labelled 1
        [1e300, 1e300 * (1 + 2**-52)],
        [5e-321, 5e-321],  # drawn on a zero line of an axis to 5e-308
        [3e-310, 1e-310],
        [1.0, 1.5e308],  # a log axis to 1e309
        [-1.0, -1 - 1e-9, -1 - 2e-9],
        [3.977e-321],  # a subnormal power of ten is inexact: no round step was found
        [5.296e-321, 1.324e-321],
        [3.9657321631932905, 3.9657321631932896],  # the rounded axis fell short of a loss
        [3.33815589340984e-309, 2.67e-322],  # a tick at 1e-322 a hair below the axis
        [3e-323, 1.65e-321],
        [1.8809947129856393, 1.8809947129856395],  # a step under an ulp could not widen the axis
        [1.07e308, -7.3, 0.5],  # an axis wider than the largest float
    ],
)
def test_every_tick_is_a_distinct_label_inside_the_plot_and_so_is_the_curve(losses):
    svg, scale = loss_chart(list(enumerate(losses)), len(losses))
    ticks = ticks_of(svg)
    assert len(ticks) >= 2 and len({label for _, label in ticks}) == len(ticks)
    assert all(scale.top - 1e-6 <= y <= scale.top + scale.height + 1e-6 for y, _ in ticks)
    assert all(math.isfinite(float(label)) for _, label in ticks)
    points = [float(y) for y in re.findall(r",([-\d.]+)", re.search(r'points="([^"]+)"', svg).group(1))]  # type: ignore[union-attr]
    assert all(scale.top - 1e-6 <= y <= scale.top + scale.height + 1e-6 for y in points)
    if not scale.log and min(losses) > 0:
        assert scale.low > 0  # a tiny loss is not drawn on a zero line
    if losses == [0.546, 1.101]:
        assert [label for _, label in ticks] == ["0.4", "0.6", "0.8", "1", "1.2"]  # the top labelled


def test_losses_further_apart_than_a_float_can_say_are_refused():
    with pytest.raises(ValueError, match=r"^the losses run from -1e\+308 to 1e\+308, further apart than a float"):
        loss_chart([(0, -1e308), (1, 1e308)], 2)


def test_a_loss_that_is_not_finite_is_refused_in_words():
    with pytest.raises(ValueError, match=r"^the chart draws finite losses, got inf$"):
        loss_chart([(0, 1.0), (1, math.inf)], 2)
