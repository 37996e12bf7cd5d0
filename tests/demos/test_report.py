import re

import pytest

from demos import mazur, worked_example
from demos.report import Row, table


def test_row_compares_at_the_published_precision():
    assert Row("x", "0.0765", 0.07653512840587381).agrees
    assert Row("x", "0.511301270", 0.5113012702387375).shown == "0.511301270"
    assert not Row("x", "0.0008", 0.0023882011937315937).agrees
    assert Row("x", "4.3", 4.3000000001).agrees


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
