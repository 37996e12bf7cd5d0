import re

from demos import mazur


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


def test_the_demos_record_the_run_they_already_do():
    report = mazur.run(steps=25, record=True)
    recording = report.recording
    assert recording is not None and len(recording.frames) == 25
    losses = [f.loss for f in recording.frames]
    assert losses[1:] == report.losses[: len(losses) - 1]  # a frame holds the error before its update
    assert mazur.run(steps=25).recording is None
