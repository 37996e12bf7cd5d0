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


@pytest.mark.parametrize(("loss", "axis"), [(0.0, (0.0, 0.5)), (1.0, (1.0, 1.5)), (-2.0, (-2.0, -1.5))])
def test_a_loss_that_never_changes_gets_an_axis_that_starts_at_it(loss, axis):
    svg, scale = loss_chart([(0, loss), (1, loss), (2, loss)], 3)
    assert (scale.low, scale.high) == axis
    assert texts(svg)[0] == f"{loss:g}"
    assert all(scale.top <= float(y) <= scale.top + scale.height for y in re.findall(r",([\d.]+)", svg))
