import random
import re

import pytest

from demos import mazur, moons, worked_example
from demos.report import Row, table
from nn import MLP


def test_row_compares_at_the_published_precision():
    assert Row("x", "0.0765", 0.07653512840587381).agrees
    assert Row("x", "0.511301270", 0.5113012702387375).shown == "0.511301270"
    assert not Row("x", "0.0008", 0.0023882011937315937).agrees
    assert Row("x", "4.3", 4.3000000001).agrees


def test_mazur_demo_reproduces_the_article():
    report = mazur.run(steps=10_000)
    differing = sorted(r.quantity for r in report.rows() if not r.agrees)
    assert differing == [
        "error after 1 update",
        "error after 10,000 updates",
        "out_o1 after 10,000",
        "out_o2 after 10,000",
    ]
    assert round(report.row("dE/dw5").computed, 9) == 0.082167041
    assert round(report.row("w7+").computed, 9) == 0.511301270


def test_mazur_published_training_figures_follow_from_the_updated_output_weights():
    report = mazur.run(steps=10_000)
    section = report.sections[-1]
    rows = section.rows
    assert "updated output weights" in section.title
    assert all(r.agrees for r in rows)
    assert len(rows) == 4
    assert round(rows[0].computed, 9) == 0.291027924
    assert any("Why the errors after training differ" in note for note in report.notes)


def test_mazur_short_run_writes_graphs_and_loss(tmp_path, capsys):
    mazur.main(["--out", str(tmp_path), "--format", "dot", "--steps", "3"])
    printed = capsys.readouterr().out
    assert re.search(r"dE/dw5 +0.082167041 +0.082167041 +0.08216704056423078 +ok", printed)
    source = (tmp_path / "mazur_graph.dot").read_text()
    assert "0.08217" in source  # dE/dw5 on w5's edge, at the default four digits
    assert "dE/dw5 0.08217" in (tmp_path / "mazur_network.dot").read_text()
    assert (tmp_path / "loss.csv").read_text().count("\n") == 4


def test_worked_example_finds_the_b1_disagreement_and_checks_the_comments():
    report = worked_example.run(steps=5)
    assert [r.quantity for r in report.rows() if not r.agrees] == ["dE/db1"]
    rows = {r.quantity: r for r in report.rows()}
    assert round(rows["dE/db1"].computed, 4) == 0.0024
    assert rows["dE/db1, the article's two paths"].shown == "0.0008"
    assert rows["its central difference"].shown == "0.07614"
    assert rows["dE/do2 with t2 = 0.5"].shown == "0.3004"
    assert len(report.section("All twelve gradients").rows) == 12 + 1  # twelve gradients and the article's b1 sum
    assert len([q for q in rows if q.endswith("+")]) == 12
    assert (
        "  dE/db1, summed over 4 paths:\n      dE/do1 * do1/dnet_o1 * dnet_o1/dh1 * dh1/dnet_h1 * dnet_h1/db1 = "
        in report.notes[0]
    )
    assert report.losses[0] > report.losses[-1]


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


@pytest.mark.parametrize("demo", [mazur, worked_example])
def test_no_training_steps_prints_the_published_figures_without_training(demo, tmp_path, capsys):
    demo.main(["--steps", "0", "--out", str(tmp_path), "--format", "dot"])
    printed = capsys.readouterr().out
    assert re.search(r"dE/dw5 +0\.\d+ +0\.\d+ ", printed)
    assert "after 1 update" not in printed
    assert not (tmp_path / "loss.csv").exists()
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".dot", ".dot"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--steps", "-1"], "--steps needs 0 or more, got -1"),
    (["--steps", "ten"], "--steps needs a whole number, got 'ten'"),
    (["--steps", "0", "--html", "page.html"], "--html records the training run, so it needs --steps 1 or more"),
])  # fmt: skip
def test_bad_steps_are_refused_with_a_clear_message(argv, message, capsys):
    with pytest.raises(SystemExit):
        mazur.main(argv)
    assert message in capsys.readouterr().err


def test_table_columns_line_up_when_names_are_short():
    lines = table("t", [Row("w1+", "0.1", 0.1), Row("b", "12.5", 12.5)]).splitlines()
    header, rows = lines[1], lines[2:]
    assert header.index("published") + len("published") == rows[0].index("0.1") + len("0.1")
    assert header.index("computed") + len("computed") == rows[1].rindex("12.5", 0, 40) + len("12.5")
    assert rows[0].index("0.1") == rows[1].index("12.5") + 1


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
