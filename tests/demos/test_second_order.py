import pytest

from autograd import Value, grad, topological_order
from demos import second_order


def test_newton_converges_to_the_quartics_critical_point_in_six_steps():
    rows = second_order.newton(2.0, 6)
    assert [round(x, 12) for x, _, _ in rows[:3]] == [2.0, 1.5, round(26 / 21, 12)]
    assert rows[0][1:] == (21.0, 42.0)  # f'(2) = 4·8 - 12 + 1, f''(2) = 12·4 - 6
    x, first, _ = rows[-1]
    assert abs(first) < 1e-6
    assert x == pytest.approx(1.1309012, abs=1e-6)


def test_the_report_has_the_hessian_and_the_graph_of_a_gradient():
    report = second_order.run()
    hessian_note = next(n for n in report.notes if n.startswith("Hessian"))
    assert "w1   0.071737  -0.143475   0.143475" in hessian_note
    assert "gradgradcheck against finite differences: agrees" in report.notes
    assert "w1.grad 0.071737, w2.grad -0.143475, b.grad 0.143475" in report.notes[-1]
    graph = report.graphs["gradient_graph"]
    assert "dE/dw1" in graph.source and "tanh" in graph.source


def test_the_gradient_graph_reaches_back_to_the_parameters():
    w1, w2, b = (Value(p, n) for p, n in zip(second_order.PARAMETERS, ("w1", "w2", "b"), strict=True))
    [dE_dw1] = grad(second_order.neuron_error(w1, w2, b), [w1])
    labels = {v.label for v in topological_order(dE_dw1)}
    assert {"w1", "w2", "b", "net_o", "o"} <= labels
