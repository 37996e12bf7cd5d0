import html
import random
import re

from autograd import Value, ids, render, topological_order
from autograd.draw import draw_graph
from nn import MLP, draw_network


def drawn_ids(drawing, tmp_path) -> set[str]:
    svg = render(drawing, tmp_path / "drawing.svg").read_text(encoding="utf-8")
    return {html.unescape(found) for found in re.findall(r' id="([^"]+)"', svg)}  # Graphviz writes - as &#45;


def test_a_graphs_elements_have_the_ids_autograd_ids_makes(tmp_path):
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + b**2
    c.backward()
    order = topological_order(c)
    expected = {ids.value(i) for i in range(len(order))}
    for i, v in enumerate(order):
        if v.op:
            expected |= {ids.operation(i), ids.operation_out(i)}
            for k in range(len(v.children)):
                expected |= {ids.operand(i, k), *ids.halves(ids.operand(i, k))}
    assert expected <= drawn_ids(draw_graph(c), tmp_path)
    assert ids.operand(4, 1) == "v4op1" and ids.halves("v4op1") == ["v4op1-in", "v4op1-out"]


def test_a_networks_elements_have_the_ids_autograd_ids_makes(tmp_path):
    model = MLP(2, [3, 1], rng=random.Random(0))
    drawn = drawn_ids(draw_network(model, [1.0, -1.0]), tmp_path)
    assert {ids.input_node(0), ids.input_node(1), ids.neuron(0, 2), ids.neuron(1, 0), ids.bias(1, 0)} <= drawn
    assert set(ids.halves(ids.weight_edge(1, 0, 2))) <= drawn
    assert ids.bias_edge(0, 1) in drawn
    assert ids.slot("graph", "grad", 3) == "graph-grad-3"
