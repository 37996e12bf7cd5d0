import random

import pytest

from demos import moons
from nn import MLP


@pytest.mark.parametrize("steps", [100])
def test_moons_reaches_full_training_accuracy(steps):
    report, model = moons.run(steps=steps, quiet=True)
    assert report.notes[-1].endswith("training accuracy 100%")
    assert report.losses[-1] < 0.05 < report.losses[0]
    assert len(model.parameters()) == 337


def test_moons_data_is_fixed_and_balanced():
    points, labels = moons.make_moons()
    assert len(points) == 100
    assert labels.count(1.0) == labels.count(-1.0) == 50
    assert points == moons.make_moons()[0]


def test_moons_regions_cover_every_point_and_share_the_points_colours():
    points, labels = moons.make_moons()
    model = MLP(2, [4, 1], rng=random.Random(0))
    xs, ys, grid = moons.decision_grid(model, points)
    assert min(xs) < min(p[0] for p in points) and max(xs) > max(p[0] for p in points)
    assert min(ys) < min(p[1] for p in points) and max(ys) > max(p[1] for p in points)
    assert len(grid) == len(ys) and all(len(row) == len(xs) for row in grid)
    assert {v for row in grid for v in row} <= {-1.0, 1.0}
    assert set(moons.CLASS_COLOURS) == set(labels)
    region, point = moons.CLASS_COLOURS[-1.0]
    assert region != moons.CLASS_COLOURS[1.0][0] and point != moons.CLASS_COLOURS[1.0][1]


def test_the_last_line_says_its_loss_is_after_the_last_update_and_the_step_lines_before_theirs(capsys):
    report, _model = moons.run(steps=10)
    last_step_line = capsys.readouterr().out.splitlines()[-1]
    assert last_step_line.startswith("step  10/10  loss ")
    assert report.notes[-1].startswith(
        "After all 10 updates (each step line above gives the loss before that step's update): loss "
    )
    assert float(last_step_line.split()[3]) == round(report.losses[-1], 4)
