import re
import sys

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


@pytest.mark.parametrize("demo", ["mazur", "worked_example", "moons", "spirals", "second_order"])
def test_help_names_the_command_that_runs_the_demo(demo, capsys):
    module = __import__(f"demos.{demo}", fromlist=["main"])
    with pytest.raises(SystemExit):
        module.main(["--help"])
    assert capsys.readouterr().out.startswith(f"usage: python -m demos.{demo} ")


@pytest.mark.parametrize(("formats", "message"), [
    ("svgz", "--format 'svgz' is not one chainrule writes; choose from svg, png, pdf"),
    ("svg,gif", "--format 'gif' is not one chainrule writes"),
])  # fmt: skip
def test_a_format_that_cannot_be_written_is_refused_before_training(formats, message, capsys, monkeypatch):
    monkeypatch.setattr(mazur, "run", lambda *a, **k: pytest.fail("the demo trained before refusing the format"))
    with pytest.raises(SystemExit):
        mazur.main(["--format", formats, "--out", "unused"])
    assert message in capsys.readouterr().err


def test_a_format_without_out_says_that_out_writes_the_graphs(capsys, monkeypatch):
    monkeypatch.setattr(mazur, "run", lambda *a, **k: pytest.fail("the demo trained before refusing the format"))
    with pytest.raises(SystemExit):
        mazur.main(["--format", "png", "--steps", "0"])
    assert "--format png says how --out writes the graphs: add --out FOLDER" in capsys.readouterr().err


def test_pdf_without_graphviz_dot_is_refused_before_training_saying_what_to_install(capsys, monkeypatch):
    monkeypatch.setattr("autograd.renderer.shutil.which", lambda name, **kw: None)
    monkeypatch.setattr(mazur, "run", lambda *a, **k: pytest.fail("the demo trained before refusing the format"))
    with pytest.raises(SystemExit):
        mazur.main(["--format", "pdf", "--out", "unused"])
    assert "--format pdf: pdf needs Graphviz's `dot` program, which is not installed: apt-get install graphviz" in (
        capsys.readouterr().err
    )


def test_without_matplotlib_the_demo_says_what_the_pictures_need(tmp_path, capsys, monkeypatch):
    from demos import moons
    from demos.report import Report
    from nn import MLP

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the plots extra were not installed
    monkeypatch.setattr(moons, "run", lambda steps: (Report(losses=[1.0, 0.5]), MLP(2, [1])))
    moons.main(["--out", str(tmp_path), "--steps", "2"])
    printed = capsys.readouterr().out
    assert (
        f"wrote {tmp_path / 'loss.csv'}, the loss curve as numbers; loss.png needs matplotlib: pip install" in printed
    )
    assert "moons_boundary.png not written: it needs matplotlib: pip install -e '.[plots]'" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loss.csv"]


def test_an_out_or_html_path_that_cannot_be_written_is_refused_before_training(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(mazur, "run", lambda *a, **k: pytest.fail("the demo trained before refusing the path"))
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    for argv, message in (
        (["--out", str(a_file)], f"--out needs a folder to write into, but {a_file} is a file"),
        (["--out", str(a_file / "sub")], f"--out: the folder {a_file / 'sub'} cannot be made ("),
        (["--html", str(tmp_path)], f"--html needs the path of a file to write, got the folder {tmp_path}"),
        (["--html", str(a_file / "page.html")], f"--html needs a folder to write into, but {a_file} is a file"),
        (["--html", str(a_file / "sub" / "page.html")], f"--html: the folder {a_file / 'sub'} cannot be made ("),
    ):
        with pytest.raises(SystemExit):
            mazur.main(argv)
        assert message in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a refused --html makes no --out folder
        mazur.main(["--out", str(tmp_path / "unmade"), "--html", str(a_file / "page.html")])
    assert not (tmp_path / "unmade").exists()
    monkeypatch.undo()
    mazur.main(["--steps", "0", "--out", str(tmp_path / "new" / "folder"), "--format", "dot"])  # made, as before
    assert sorted(p.suffix for p in (tmp_path / "new" / "folder").iterdir()) == [".dot", ".dot"]
