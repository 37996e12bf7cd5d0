import random

import pytest

from autograd import Value
from nn import MLP, SGD, Layer, Neuron, record_training, write_html
from nn.chart import loss_chart
from nn.losses import squared_error
from nn.modules import Made
from nn.page_data import PATHS_LISTED, chart_data, formula, reading_order, width_scale
from nn.recorder import Recorder, Recording
from tests.test_live_view import many_paths_recording, mazur_recording, write


def batch_recording(examples: int, steps: int = 2) -> Recording:
    """A 2-2-1 network trained on a batch: the loss sums over every example."""
    model = MLP(2, [2, 1], rng=random.Random(0))
    rng = random.Random(1)
    xs = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(examples)]
    ys = [x[0] * x[1] for x in xs]
    recorder = Recorder(model, xs[0], steps)  # the network view shows the first example
    optimizer = SGD(model.parameters(), 0.001)
    for step in range(steps):
        made: Made = {}
        loss = squared_error([model.forward(x, made=made if i == 0 else None)[0] for i, x in enumerate(xs)], ys)
        optimizer.zero_grad()
        loss.backward()
        recorder.record(step, loss, made)
        optimizer.step()
    return recorder.recording


def test_parameters_are_listed_as_the_articles_number_them():
    names = ["w1", "w3", "w5", "b1", "w2", "w4", "w6", "w7", "w9", "b2", "w8", "w10"]  # the worked example's model
    params = [Value(0.0, label=name) for name in names]
    assert [p.label for p in reading_order(params)] == [f"w{k}" for k in range(1, 11)] + ["b1", "b2"]
    defaults = ["w1[1,1]", "w1[1,2]", "b1[1]", "w1[2,1]", "w1[2,2]", "b1[2]", "w2[1,1]", "w2[1,2]", "b2[1]"]
    listed = [p.label for p in reading_order([Value(0.0, label=name) for name in defaults])]
    assert listed == ["w1[1,1]", "w1[1,2]", "w1[2,1]", "w1[2,2]", "w2[1,1]", "w2[1,2]", "b1[1]", "b1[2]", "b2[1]"]
    unnamed = Value(0.0)
    assert reading_order([unnamed, params[1], params[0]]) == [params[0], params[1], unnamed]


def test_a_batch_past_sixty_four_examples_makes_a_page_whose_long_derivations_are_counted(tmp_path):
    _path, _page, data = write(batch_recording(65), tmp_path)
    params = {p["name"]: p for p in data["graph"]["params"]}
    first, last = params["w1[1,1]"], params["w2[1,1]"]
    assert first["count"] == "65" and "paths" not in first  # one path per example: too many to list
    assert first["derivative"] == "dE/dw1[1,1]"
    assert last["count"] == "65" and PATHS_LISTED == 64
    small = {p["name"]: p for p in write(batch_recording(3), tmp_path, "small.html")[2]["graph"]["params"]}
    assert small["w1[1,1]"]["count"] == "3" and len(small["w1[1,1]"]["paths"]) == 3


def test_a_count_of_paths_past_what_json_holds_exactly_reaches_the_page_exactly(tmp_path):
    _path, _page, data = write(many_paths_recording(34), tmp_path)  # 3^34 paths to each parameter
    counts = {p["name"]: p["count"] for p in data["graph"]["params"]}
    assert 3**34 > 2**53 and float(3**34) != 3**34  # a JSON number, read as a double, would be rounded
    assert counts == dict.fromkeys(["w1[1,1]", "w1[1,2]", "b1[1]"], "16,677,181,699,666,569")


def test_a_graph_too_big_for_a_page_is_refused_with_what_to_do(tmp_path):
    recording = batch_recording(120, steps=1)
    with pytest.raises(ValueError, match=r"the loss's graph has 610 values, more than max_nodes=500.*max_nodes=610"):
        write_html(recording, tmp_path / "big.html")
    assert write_html(recording, tmp_path / "big.html", max_nodes=610).exists()


def test_the_charts_marker_is_placed_by_the_charts_own_scale():
    recording = mazur_recording(steps=300, max_frames=7)
    _svg, scale = loss_chart(recording.curve, recording.steps)
    chart = chart_data(scale, recording.frames)
    assert chart["markers"] == [[round(scale.x(f.step), 1), round(scale.y(f.loss), 1)] for f in recording.frames]
    assert (chart["top"], chart["bottom"]) == (scale.top, scale.top + scale.height)


def test_a_parameter_is_picked_by_its_label_written_out_where_it_holds_a_mark_that_reorders_text(tmp_path):
    recording = mazur_recording(steps=3, max_frames=3)
    recording.model.parameters()[0].label = "h\u202e1 evil"  # drawn raw, it would read "hlive 1"
    _path, _page, data = write(recording, tmp_path)
    picked = [p for p in data["graph"]["params"] if p["name"].startswith("h")]
    assert [p["name"] for p in picked] == ["h\\u202e1 evil"]
    assert picked[0]["derivative"] == "dE/d(h\\u202e1 evil)"


def test_a_parameter_without_a_label_is_picked_as_parameter_and_its_number(tmp_path):
    recording = mazur_recording(steps=3, max_frames=3)
    recording.model.parameters()[2].label = ""
    _path, _page, data = write(recording, tmp_path)
    names = [p["name"] for p in data["graph"]["params"]]
    assert names[-1] == "parameter 3" and "" not in names
    picked = data["graph"]["params"][-1]  # named as the pick list names it, in the graph and its derivation too
    assert picked["derivative"] == "dE/d(parameter 3)"
    assert [path[-1]["name"] for path in picked["paths"]] == ["dnet_h1/d(parameter 3)", "dnet_h2/d(parameter 3)"] * 2
    assert data["graph"]["nodes"][picked["node"]]["name"] == "parameter 3"
    assert "net_h1 = w1·i1 + w2·i2 + (parameter 3)" in [n["formula"] for n in data["graph"]["nodes"]]


def test_each_forward_step_writes_its_node_as_its_sum_or_function(tmp_path):
    _path, _page, data = write(mazur_recording(steps=3, max_frames=3), tmp_path)
    formulas = {n["name"]: n["formula"] for n in data["graph"]["nodes"]}
    assert formulas["net_h1"] == "net_h1 = w1·i1 + w2·i2 + b1"  # a dot node is the sum it is, not w·x+b(...)
    assert formulas["net_o2"] == "net_o2 = w7·h1 + w8·h2 + b2"
    assert formulas["o1"] == "o1 = σ(net_o1)"  # as its oval reads
    assert formulas["E"] == "E = squared_error(o1, o2, target o1, target o2)"  # the names of numbers one can edit
    assert formulas["w1"] == ""


def test_a_number_the_page_can_change_is_written_by_its_name_and_one_it_cannot_as_recorded(tmp_path):
    model = MLP(2, [1], rng=random.Random(1))
    _path, _page, data = write(record_training(model, [0.5, -0.25], [0.7], 0.1, 3), tmp_path)
    formulas = [n["formula"] for n in data["graph"]["nodes"] if n["formula"]]
    assert formulas == ["o1 = w1[1,1]·x1 + w1[1,2]·x2 + b1[1]", "E = squared_error(o1, target o1)"]
    recorder = Recorder(model, [0.5, -0.25], 1)  # no targets recorded: the page cannot change them
    made: Made = {}
    loss = squared_error(model.forward([0.5, -0.25], made=made), [0.7])
    loss.backward()
    recorder.record(0, loss, made)
    _path, _page, data = write(recorder.recording, tmp_path)
    assert [n["formula"] for n in data["graph"]["nodes"]][-1] == "E = squared_error(o1, 0.7)"


def recorded(model: MLP, inputs: list[float], loss_of, targets: list[float]) -> Recording:
    """One step of an own loss, recorded with its targets and a learning rate."""
    recorder = Recorder(model, inputs, 1, targets=targets, lr=0.1)
    made: Made = {}
    loss = loss_of(model.forward(inputs, made=made)[0])
    loss.backward()
    recorder.record(0, loss, made)
    return recorder.recording


def test_a_number_that_equals_a_target_is_no_target_unless_a_loss_of_nn_keeps_it(tmp_path):
    model = MLP(2, [1], rng=random.Random(1))
    scaled = recorded(model, [0.5, 0.25], lambda o: squared_error([o], [0.5]) * 0.5, [0.5])
    _path, _page, data = write(scaled, tmp_path)
    assert data["live"]["targets"] is None  # the page edited the factor 0.5 as the target
    assert data["live"]["why"]["targets"] == "the loss (*) keeps no targets as plain numbers the page can change"
    assert [n["formula"] for n in data["graph"]["nodes"]][-2:] == ["E = squared_error(o1, 0.5)", "E*0.5"]


def test_an_unlabelled_node_whose_number_the_page_can_change_is_written_without_its_recorded_name(tmp_path):
    model = MLP(2, [1], rng=random.Random(1))
    _path, _page, data = write(recorded(model, [0.5, -0.25], lambda o: squared_error([o], [2.0]), [2.0]), tmp_path)
    assert data["graph"]["nodes"][-1]["formula"] == "E = squared_error(o1, target o1)"  # labelled: its name stays
    x = Value(3.0, "x")
    y = 2 - x
    assert formula(y, {x: "x", y: "2 - x"}, {1: "target o1"}) == "(target o1) - x"  # not 2 - x = (target o1) - x
    assert formula(y, {x: "x", y: "2 - x"}) == "2 - x"


def test_a_computed_value_named_by_its_expression_is_written_once():
    x = Value(3.0, "x")
    y = x * 2
    assert formula(y, {x: "x", y: "x*2"}) == "x*2"
    assert formula(y, {x: "x", y: "y"}) == "y = x*2"
    z = x.sigmoid()
    assert formula(z, {x: "x", z: "sigmoid(x)"}) == "σ(x)"  # not sigmoid(x) = σ(x), which says nothing
    assert formula(z, {x: "x", z: "z"}) == "z = σ(x)"


@pytest.mark.parametrize("tie", ["the bias is the first weight", "one Value is every parameter"])
def test_a_neuron_whose_bias_is_also_a_weight_keeps_its_inputs_editable(tmp_path, tie):
    neuron = Neuron(2, "tanh", name="o1", weights=[0.3, -0.4], bias=0.1)
    neuron.w[0] = neuron.b
    if tie == "one Value is every parameter":
        neuron.w[1] = neuron.b
    recording = record_training(MLP.from_layers([Layer.from_neurons([neuron])]), [3.0, 1.0], [0.5], 0.1, 5)
    _path, _page, data = write(recording, tmp_path)
    live = data["live"]
    assert "inputs" not in live["why"]
    leaves = [data["graph"]["nodes"][live["leaves"][k]]["name"] for ((_where, k),) in live["inputs"]]
    assert leaves == ["x1", "x2"]


def test_the_width_legend_of_a_run_without_a_trained_gradient_divides_by_nothing():
    frames = mazur_recording(steps=3, max_frames=3).frames
    scale = width_scale(frames, [])  # every parameter frozen
    assert scale["legend"] == "Edge width: 0.8 px: no trained parameter has a gradient in this run."
    assert scale["steepest"] == 1.0
    trained = width_scale(frames, [0, 1])
    assert str(trained["legend"]).startswith(f"Edge width: 0.8 px + 3.2 px × |dE/dw| / {trained['steepest']:.4g}, the")


def test_an_unlabelled_parameter_whose_name_a_label_takes_is_numbered_as_window_chainrule_numbers_it(tmp_path):
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(0))
    params = model.parameters()
    params[0].label, params[2].label = "parameter 3", ""
    _path, _page, data = write(record_training(model, [0.5, -1.0], [0.3], 0.1, 3), tmp_path)
    names = [p["name"] for p in data["graph"]["params"]]
    assert "parameter 3" in names and "parameter 3 (2)" in names and len(set(names)) == len(names)
    assert data["live"]["names"]["params"][:3] == ["parameter 3", "w1[1,2]", "parameter 3 (2)"]
    nodes = [n["name"] for n in data["graph"]["nodes"]]
    assert nodes.count("parameter 3") == 1 and nodes.count("parameter 3 (2)") == 1
    picked = next(p for p in data["graph"]["params"] if p["name"] == "parameter 3 (2)")
    assert picked["derivative"] == "dE/d(parameter 3 (2))"


def test_two_parameters_of_one_label_are_named_in_the_pick_list_as_in_their_derivatives(tmp_path):
    model = MLP(2, [2, 1], rng=random.Random(0))
    params = model.parameters()
    params[0].label = params[6].label = "w"
    _path, _page, data = write(record_training(model, [1.0, 2.0], [0.5], 0.1, 3), tmp_path)
    listed = {p["name"]: p["derivative"] for p in data["graph"]["params"]}
    assert {name: listed[name] for name in ("w#1", "w#2")} == {"w#1": "dE/d(w#1)", "w#2": "dE/d(w#2)"}
    called = data["live"]["names"]["params"]
    first, second = called[0], called[6]
    nodes = data["graph"]["nodes"]
    by_name = {n["name"]: i for i, n in enumerate(nodes)}
    assert {first, second} == {"w#1", "w#2"}
    assert [p["node"] for p in data["graph"]["params"] if p["name"] == first] == [by_name[first]]  # the same node


def test_a_label_keeps_its_name_where_an_earlier_unlabelled_parameter_would_take_it(tmp_path):
    model = MLP(2, [1], rng=random.Random(1))
    params = model.parameters()
    params[0].label, params[1].label = "", "parameter 1"
    _path, _page, data = write(record_training(model, [0.5, -0.3], [0.7], 0.1, 3), tmp_path)
    assert data["live"]["names"]["params"] == ["parameter 1 (2)", "parameter 1", "b1[1]"]
    assert sorted(p["name"] for p in data["graph"]["params"]) == ["b1[1]", "parameter 1", "parameter 1 (2)"]
