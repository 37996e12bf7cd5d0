from demos import worked_example


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
