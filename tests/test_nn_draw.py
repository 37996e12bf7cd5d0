import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

from autograd import Value, draw_graph
from nn import MLP, Layer, Made, Neuron, draw_network, mean_squared_error
from nn.examples import mazur, worked_example
from tests.attribution import flows, layout, misattributed, name, point, text


def trained_mlp(nin, sizes, activation="tanh", seed=0):
    model = MLP(nin, sizes, activation=activation, rng=random.Random(seed))
    inputs = [0.5 * (i + 1) for i in range(nin)]
    made: Made = {}
    loss = mean_squared_error(model.forward(inputs, made=made), [0.25] * sizes[-1])
    loss.backward()
    return model, inputs, made


def node_names(drawn) -> dict[str, Any]:
    return {name(node): node for node in drawn["objects"] if node.get("class") != "flow"}


def height(node) -> float:
    return point(node["pos"])[1]  # Graphviz's y grows upwards


def test_network_view_labels_each_connection():
    ex = mazur()
    made: Made = {}
    ex.backward(made=made)
    drawn = flows(layout(draw_network(ex.model, ex.inputs, ["i1", "i2"], digits=8, made=made)))
    assert ("h1", "o1", "w5 0.4 | dE/dw5 0.082167041") in drawn
    assert ("i1", "h1", "w1 0.15 | dE/dw1 0.00043856773") in drawn
    source = draw_network(ex.model, ex.inputs, ["i1", "i2"], digits=8).source
    assert source.count("<b>b2</b>") == 1  # a shared bias is drawn once
    named = node_names(layout(draw_network(ex.model, ex.inputs, ["i1", "i2"], digits=8)))
    assert (text(named["o1"]["label"]), text(named["i1"]["label"])) == ("o1 | 0.75136507", "i1 | 0.05")


def test_an_unlabelled_parameter_and_an_unnamed_neuron_are_drawn_by_position_and_number():
    model, inputs, made = trained_mlp(2, [2, 1])
    model.parameters()[0].label = model.parameters()[2].label = ""  # w1[1,1] and b1[1]
    model.layers[0].neurons[0].name = ""
    drawn = layout(draw_network(model, inputs, made=made))  # Graphviz read it: no empty <b></b>
    nodes = node_names(drawn)
    assert text(nodes["parameter 3"]["label"]).startswith("parameter 3 ")  # the bias, its number after
    assert "dE/d(parameter 3)" in text(nodes["parameter 3"]["label"])
    weight = next(t for _, _, t in flows(drawn) if t.startswith("parameter 1 "))
    w = model.parameters()[0]
    assert weight == f"parameter 1 {w.data:.4g} | dE/d(parameter 1) {w.grad:.4g}"
    unnamed = [n for n in drawn["objects"] if n["name"] == "n0_0"]  # the unnamed neuron: its output alone
    assert text(unnamed[0]["label"]) == f"{model.layers[0].neurons[0](inputs).data:.4g}"
    model.parameters()[0].label = "w (a)"  # no plain name: parenthesised in its derivative, as explain() writes it
    weight = next(t for _, _, t in flows(layout(draw_network(model, inputs, made=made))) if t.startswith("w (a) "))
    assert weight == f"w (a) {w.data:.4g} | dE/d(w (a)) {w.grad:.4g}"
    model.parameters()[0].label = "w\nb"  # a line break: the name on two lines, its derivative on one, as explain's
    drawn_text = [t for _, _, t in flows(layout(draw_network(model, inputs, made=made)))]
    assert f"w | b {w.data:.4g} | dE/d(w\\\\nb) {w.grad:.4g}" in drawn_text  # the layout's escaped \\; dot draws one
    model.parameters()[0].label = 5  # no string: named, not an AttributeError
    with pytest.raises(TypeError, match=r"^draw_network\(\) reads each label as text, .* the label 5 \(int\)"):
        draw_network(model, inputs)


@pytest.mark.parametrize("example", [mazur, worked_example])
def test_no_number_reads_as_another_edges_in_the_articles_networks(example):
    ex = example()
    made: Made = {}
    ex.backward(made=made)
    assert misattributed(layout(draw_network(ex.model, ex.inputs, ex.input_names, made=made))) == []


@pytest.mark.parametrize(("nin", "sizes"), [(3, [4, 4, 1]), (2, [3, 1]), (4, [3, 3, 2]), (1, [2, 2, 2, 1])])
def test_no_number_reads_as_another_edges_in_mlp_networks(nin, sizes):
    model, inputs, made = trained_mlp(nin, sizes)
    drawn = layout(draw_network(model, inputs, made=made))
    weights = sum(a * b for a, b in zip([nin, *sizes], sizes, strict=False))
    assert len([f for f in flows(drawn) if f[2].startswith("w")]) == weights
    assert misattributed(drawn) == []


def test_default_names_are_readable_unique_and_in_order():
    model, inputs, made = trained_mlp(3, [4, 4, 1])
    drawn = layout(draw_network(model, inputs, made=made))
    nodes = node_names(drawn)
    columns = [["x1", "x2", "x3"], ["h1_1", "h1_2", "h1_3", "h1_4"], ["h2_1", "h2_2", "h2_3", "h2_4"]]
    for column in columns:
        heights = [height(nodes[n]) for n in column]
        assert heights == sorted(heights, reverse=True), f"{column} not top to bottom"
    assert "o1" in nodes
    assert {"b1[1]", "b1[4]", "b2[3]", "b3[1]"} <= set(nodes)
    labels = [f[2] for f in flows(drawn)]
    assert any(t.startswith("w1[2,3] ") for t in labels)  # weight from x3 into h1_2
    names = [t.split()[0] for t in labels]
    assert len(names) == len(set(names)) == 3 * 4 + 4 * 4 + 4  # every weight once, none called "w"
    assert not any(n == "w" or n.startswith("wb") for n in names)
    assert all((t, h) != ("x2", "h1_2") or lab.startswith("w1[2,2] ") for t, h, lab in flows(drawn))


def test_shared_bias_shares_match_the_computation_graph_and_the_total_is_on_the_node():
    ex = mazur()
    made: Made = {}
    error = ex.backward(made=made)
    network = flows(layout(draw_network(ex.model, ex.inputs, ex.input_names, digits=8, made=made)))
    graph = flows(layout(draw_graph(error, digits=8)))
    for neuron in ("o1", "o2", "h1", "h2"):
        bias = "b2" if neuron.startswith("o") else "b1"
        share = next(label for t, h, label in network if (t, h) == (bias, neuron))
        in_graph = next(label for t, h, label in graph if (t, h) == (bias, f"net_{neuron}"))
        assert share == f"share of dE/d{bias} {in_graph}"
    bias_node = node_names(layout(draw_network(ex.model, ex.inputs, ex.input_names, digits=8)))["b2"]
    assert text(bias_node["label"]) == f"b2 0.6 | dE/db2 {ex.biases['b2'].grad:.8g}"


def tied_model():
    """2-2-1 whose w1[1,1] is also w1[1,2] and w1[2,1], and whose b1[1] is also the output's bias."""
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(3))
    (h1, h2), (o1,) = (layer.neurons for layer in model.layers)
    h1.w[1] = h2.w[0] = h1.w[0]
    o1.b = h1.b
    made: Made = {}
    mean_squared_error(model.forward([0.5, -2.0], made=made), [0.25]).backward()
    return model, made


def test_a_tied_weight_has_its_numbers_once_and_its_own_share_on_each_edge():
    model, made = tied_model()
    (h1, h2), (o1,) = (layer.neurons for layer in model.layers)
    w, b = h1.w[0], h1.b
    drawn = flows(layout(draw_network(model, [0.5, -2.0], digits=8, made=made)))
    share = [0.5 * made[h1].net.grad, -2.0 * made[h1].net.grad, 0.5 * made[h2].net.grad]
    assert sorted(drawn) == sorted([
        ("x1", "h1_1", f"w1[1,1] {w.data:.8g} | dE/dw1[1,1] {w.grad:.8g} | share of dE/dw1[1,1] {share[0]:.8g}"),
        ("x2", "h1_1", f"w1[1,1] (shared) | share of dE/dw1[1,1] {share[1]:.8g}"),
        ("x1", "h1_2", f"w1[1,1] (shared) | share of dE/dw1[1,1] {share[2]:.8g}"),
        ("x2", "h1_2", f"w1[2,2] {h2.w[1].data:.8g} | dE/dw1[2,2] {h2.w[1].grad:.8g}"),
        ("h1_1", "o1", f"w2[1,1] {o1.w[0].data:.8g} | dE/dw2[1,1] {o1.w[0].grad:.8g}"),
        ("h1_2", "o1", f"w2[1,2] {o1.w[1].data:.8g} | dE/dw2[1,2] {o1.w[1].grad:.8g}"),
        ("b1[1]", "h1_1", f"share of dE/db1[1] {made[h1].net.grad:.8g}"),
        ("b1[1]", "o1", f"share of dE/db1[1] {made[o1].net.grad:.8g}"),
    ])  # fmt: skip
    assert share[0] + share[1] + share[2] == pytest.approx(w.grad, abs=1e-15)
    named = node_names(layout(draw_network(model, [0.5, -2.0], digits=8, made=made)))
    assert text(named["b1[1]"]["label"]) == f"b1[1] {b.data:.8g} | dE/db1[1] {b.grad:.8g}"  # one node, in layer 1
    assert [n for n in named if n.startswith("b")] == ["b1[1]", "b1[2]"]
    assert point(named["b1[1]"]["pos"])[0] == point(named["x1"]["pos"])[0]


def test_one_neuron_at_two_places_is_refused_not_drawn_with_one_output_twice():
    model = MLP(2, [2, 2, 1], rng=random.Random(1))
    model.layers[1].neurons[1] = model.layers[1].neurons[0]
    with pytest.raises(ValueError, match=r"neuron h2_1 is at two places of this model"):
        draw_network(model, [1.0, 2.0])


def test_without_what_the_forward_pass_made_a_shared_bias_has_its_total_only():
    ex = mazur()
    ex.backward()
    drawn = flows(layout(draw_network(ex.model, ex.inputs, ex.input_names)))
    assert not any(t == "b2" for t, _, _ in drawn)


def test_frozen_parameters_look_frozen_and_are_never_emphasised():
    ex = mazur()
    made: Made = {}
    ex.backward(made=made)
    source = draw_network(ex.model, ex.inputs, ex.input_names, made=made, frozen=ex.frozen).source
    assert source.count("<i>frozen</i>") == 2
    assert source.count('fillcolor="#e6e6e6"') == 2
    widths = [float(w) for w in re.findall(r"penwidth=([\d.]+)", source)]
    bias_edges = [line for line in source.splitlines() if line.strip().startswith(("b", "n")) and "dashed" in line]
    assert all("penwidth=0.8" in line and "#8a8a8a" in line for line in bias_edges)
    assert max(widths) == 4.0  # the steepest trained weight (w6), not b2 whose dE/db is larger
    assert ex.biases["b2"].grad > ex.weights["w6"].grad


def test_a_model_too_big_to_read_is_refused_with_what_to_do():
    model = MLP(2, [16, 16, 1], rng=random.Random(1))
    with pytest.raises(ValueError, match=r"this model has 337 connections, more than max_edges=64.*pass max_edges=337"):
        draw_network(model, [0.5, 0.5])
    assert draw_network(MLP(2, [3, 1]), [0.5, 0.5], max_edges=13)


def test_bad_arguments_say_what_was_expected():
    with pytest.raises(
        TypeError, match=r"draw_network\(\) needs an MLP, got Layer; wrap a single layer as MLP.from_layers"
    ):
        draw_network(Layer(2, 2), [1.0, 2.0])  # type: ignore[arg-type]
    model = MLP(3, [2, 1])
    with pytest.raises(ValueError, match=r"draw_network\(\) got 2 input names for 3 inputs"):
        draw_network(model, [1.0, 2.0, 3.0], ["a", "b"])
    with pytest.raises(ValueError, match=r"this model takes 3 inputs, draw_network\(\) got 2"):
        draw_network(model, [1.0, 2.0])
    for one in (1.0, None, "ab", Value(1.0), FakeZeroDimensionalArray()):
        with pytest.raises(TypeError, match=r"^draw_network\(model, inputs\) needs one example's inputs as a list of"):
            draw_network(model, one)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^input 2 of draw_network\(\) needs a real number, got 'a' \(str\)$"):
        draw_network(model, [1.0, "a", 3.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^input 1 of draw_network\(\) needs a real number, got \[1\.0, 2\.0, 3\.0\]"):
        draw_network(model, [[1.0, 2.0, 3.0]])  # type: ignore[list-item]  # a batch of one


def test_the_shares_come_from_what_the_forward_pass_made():
    ex = mazur()
    ex.backward()
    with pytest.raises(ValueError, match=r"the forward pass reported no nodes for neuron h1: pass the dict it fills"):
        draw_network(ex.model, ex.inputs, ex.input_names, made={})


def test_the_outputs_drawn_are_those_of_the_neurons_own_forward_pass():
    class Doubling(Neuron):
        def activate(self, net: Value) -> Value:
            return net * 2

    model = MLP.from_layers([Layer.from_neurons([Doubling.from_values([1.0, 1.0], 0.5, "linear", name="d")])])
    drawn = node_names(layout(draw_network(model, [1.0, 2.0])))
    assert text(drawn["d"]["label"]) == "d | 7"  # (1 + 2 + 0.5) * 2, not the net input 3.5


def test_a_network_drawn_before_backward_says_why_every_dE_dw_is_0():
    model = MLP(2, [2, 1], rng=random.Random(0))
    assert "backward() has not run" in draw_network(model, [1.0, 2.0]).source
    mean_squared_error(model([1.0, 2.0]), 1.0).backward()
    assert "backward() has not run" not in draw_network(model, [1.0, 2.0]).source


class FakeZeroDimensionalArray:
    """What draw_network reads of a 0-d numpy array: iterable in name, with ndim 0."""

    ndim = 0

    def __iter__(self) -> Iterator[float]:
        raise TypeError("iteration over a 0-d array")
