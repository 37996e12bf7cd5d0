import json
import math
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from autograd import Value
from nn import MLP, SGD, Made, squared_error
from nn.examples import mazur
from nn.notebook_view import TrainingView
from nn.shares import shares
from tests.test_live_view import HOSTILE, LAYOUT_PROBLEMS

SVG = "{http://www.w3.org/2000/svg}"


def lines(svg: str) -> list[str]:
    """The lines of text as they read: a node's texts on one baseline joined ("w5" " 0.4" is "w5 0.4"),
    a text's tspans joined by a space."""
    read = []
    for parent in ET.fromstring(svg).iter():
        row: list[str] = []
        baseline = None
        for text in parent.findall(f"{SVG}text"):
            if row and text.get("y") != baseline:
                read.append(" ".join("".join(row).split()))
                row = []
            baseline = text.get("y")
            row.append(" ".join(text.itertext()))
        if row:
            read.append(" ".join("".join(row).split()))
    return [line for line in read if line]  # not a line that holds only a space (a label's spacing)


def stroke_widths(svg: str, edge: str) -> set[str]:
    group = next(g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("id") == edge)
    return {part.get("stroke-width", "1") for part in group if part.tag in (f"{SVG}path", f"{SVG}polygon")}


def mazur_view(steps: int = 100, every: int = 10, **options):
    ex = mazur()
    view = TrainingView(
        ex.model, ex.inputs, steps, every=every, frozen=ex.frozen, input_names=ex.input_names, **options
    )  # fmt: skip
    return ex, view


def train(ex, view, steps: int) -> dict[str, Any]:
    """Mazur's training loop with the view updated each step; the engine's numbers at the last step, before
    its update."""
    optimizer = SGD(ex.model.parameters(), ex.lr, frozen=ex.frozen)
    seen: dict[str, Any] = {}
    for step in range(steps):
        optimizer.zero_grad()
        made: Made = {}
        error = ex.backward(made=made)
        view.update(step, error, made)
        outputs = [o.data for o in ex.model.forward(ex.inputs)]
        seen = {"error": error.data, "made": made, "outputs": outputs}
        seen.update({name: (w.data, w.grad) for name, w in ex.weights.items()})
        optimizer.step()
    return seen


def test_the_view_shows_the_engines_numbers_at_the_last_step():
    ex, view = mazur_view(steps=95)
    seen = train(ex, view, 95)
    shown = lines(view.svg)
    assert shown[0] == f"training step 94 of 95, error {seen['error']:.4g}"
    w5, dw5 = seen["w5"]
    assert f"w5 {w5:.4g}" in shown and f"dE/dw5 {dw5:.4g}" in shown
    assert f"dE/dw5 {dw5:.4g}" != "dE/dw5 0.08217"  # trained: not the article's first gradient
    for name in ("w1", "w4", "w8"):
        assert f"dE/d{name} {seen[name][1]:.4g}" in shown
    o1, o2 = seen["outputs"]
    assert shown[shown.index("o1") + 1] == f"{o1:.4g}" and shown[shown.index("o2") + 1] == f"{o2:.4g}"
    found = list(shares(ex.model, seen["made"]).values())
    assert [t for t in shown if t.startswith("share of dE/db2")] == [f"share of dE/db2 {s:.4g}" for s in found[2:]]
    assert "0.05" in shown and "b2 0.6" in shown and f"dE/db2 {ex.biases['b2'].grad:.4g}" in shown


def test_edges_widen_with_the_gradient_and_frozen_ones_stay_thin():
    ex, view = mazur_view(steps=40)
    seen = train(ex, view, 40)
    steepest = max(abs(seen[f"w{i}"][1]) for i in range(1, 9))
    expected = f"{0.8 + 3.2 * abs(seen['w5'][1]) / steepest:.2f}"  # w5: h1 -> o1
    assert stroke_widths(view.svg, "n1_0w0-in") == stroke_widths(view.svg, "n1_0w0-out") == {expected}
    assert float(expected) > 3.0  # w5 has about the steepest gradient: wide
    assert stroke_widths(view.svg, "n0_0w0-in") == {f"{0.8 + 3.2 * abs(seen['w1'][1]) / steepest:.2f}"}
    assert stroke_widths(view.svg, "n1_0b-in") == {"0.8"}  # b2 is frozen, though its gradient is large
    assert abs(ex.biases["b2"].grad) > steepest


def test_the_layout_is_made_once_and_only_numbers_and_widths_change():
    ex, view = mazur_view(steps=60)

    def layout(svg: str) -> str:
        network = svg[svg.index("<svg", 1) : svg.index("</svg>") + 6]
        return re.sub(r' stroke-width="[^"]*"', "", re.sub(r">[^<]*<", "><", network))

    before = view.svg
    optimizer = SGD(ex.model.parameters(), ex.lr, frozen=ex.frozen)
    drawn = []
    for step in range(60):
        optimizer.zero_grad()
        made: Made = {}
        view.update(step, ex.backward(made=made), made)
        optimizer.step()
        drawn.append(view.svg)
    first, last = drawn[0], drawn[-1]
    assert layout(before) == layout(first) == layout(last)
    assert lines(first) != lines(last)
    assert stroke_widths(before, "n1_0w0-in") == {"0.80"}  # no gradient yet: every edge thin
    assert stroke_widths(first, "n0_0w0-in") != stroke_widths(last, "n0_0w0-in")  # w1's edge


def test_it_redraws_every_n_steps_and_at_the_last():
    ex, view = mazur_view(steps=25, every=10)
    optimizer = SGD(ex.model.parameters(), ex.lr, frozen=ex.frozen)
    headings = []
    for step in range(25):
        optimizer.zero_grad()
        made: Made = {}
        error = ex.backward(made=made)
        view.update(step, error, made)
        optimizer.step()
        headings.append(lines(view.svg)[0].split(" of ")[0])
    assert headings[:11] == ["training step 0"] * 10 + ["training step 10"]
    assert headings[19:] == ["training step 10"] + ["training step 20"] * 4 + ["training step 24"]
    chart = ET.fromstring(view.svg).findall(f"{SVG}svg")[1]
    points = chart.find(f"{SVG}polyline")
    assert points is not None and len(points.get("points", "").split()) == 25  # the error at every step so far


def test_before_the_first_update_the_gradients_are_unknown():
    _ex, view = mazur_view()
    shown = lines(view.svg)
    assert shown[0] == "training before the first update"
    assert "dE/dw5 ?" in shown and "share of dE/db1 ?" in shown
    assert "w5 0.4" in shown
    assert shown[shown.index("o1") + 1] == "0.7514"  # the first forward pass's output, the article's 0.75136507
    assert repr(view) == "<TrainingView 'training': before the first update>"


def test_a_model_without_shared_biases_needs_no_made():
    model = MLP(2, [3, 1], activation="tanh", rng=random.Random(0))
    view = TrainingView(model, [0.5, -1.0], 3, every=1)
    for step in range(3):
        model.zero_grad()
        loss = squared_error(model.forward([0.5, -1.0]), [0.2])
        loss.backward()
        view.update(step, loss)
        grad = model.parameters()[0].grad
        for p in model.parameters():
            p.data -= 0.1 * p.grad
    assert f"dE/dw1[1,1] {grad:.4g}" in lines(view.svg)
    assert not [t for t in lines(view.svg) if t.startswith("share")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda view, made: view.update(100, 0.5, made), r"needs a step from 0 to 99 \(steps=100\), got 100"),
        (lambda view, made: view.update(-1, 0.5, made), r"needs a step from 0 to 99 .*got -1"),
        (lambda view, made: view.update(1.0, 0.5, made), r"needs a step from 0 to 99 .*got 1.0"),
        (lambda view, made: view.update(3, float("nan"), made), r"the loss is nan at step 3; the view draws finite"),
        (lambda view, made: view.update(3, Value(math.inf), made), r"the loss is inf at step 3"),
        (lambda view, made: view.update(3, "0.5", made), r"the loss is '0.5' at step 3"),
        (lambda view, _made: view.update(3, 0.5), r"this model uses b1 at 2 places: pass update\(step, loss, made\)"),
    ],
)
def test_bad_updates_are_refused_with_the_value_named(change, message):
    ex, view = mazur_view()
    made: Made = {}
    ex.backward(made=made)
    with pytest.raises(ValueError, match=message):
        change(view, made)


def test_steps_go_forward_and_numbers_stay_finite():
    ex, view = mazur_view()
    made: Made = {}
    loss = ex.backward(made=made)
    view.update(5, loss, made)
    with pytest.raises(ValueError, match=r"update\(\) got step 5 after step 5; steps go forward: make a new"):
        view.update(5, 0.5, made)
    ex.weights["w6"].grad = math.nan
    with pytest.raises(ValueError, match=r"the gradient of w6 is nan at step 10; the view draws finite numbers"):
        view.update(10, loss, made)
    ex.weights["w6"].label = "w\u202e6\nx"  # raw, it would read turned around, on two lines
    with pytest.raises(ValueError, match=r"the gradient of w\\u202e6\\nx is nan at step 20"):
        view.update(20, loss, made)
    assert view.step == 5  # each refused update changed nothing


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"steps": 0}, r"TrainingView needs steps to be a whole number of steps, at least 1, got steps=0"),
        ({"every": 0}, r"needs every to be a whole number of steps, at least 1, got every=0"),
        ({"every": 2.5}, r"got every=2.5"),
        ({"inputs": [0.05, math.nan]}, r"input 1 is nan; the view draws finite numbers only"),
    ],
)
def test_bad_views_are_refused_with_the_value_named(options, message):
    ex = mazur()
    arguments = {"inputs": ex.inputs, "steps": 10, **options}
    with pytest.raises(ValueError, match=message):
        TrainingView(ex.model, arguments.pop("inputs"), arguments.pop("steps"), **arguments)


def test_display_outside_jupyter_says_where_it_works():
    _ex, view = mazur_view()
    with pytest.raises(RuntimeError, match=r"display\(\) shows the view in Jupyter \(or IPython\); outside it, write"):
        view.display()


def test_only_an_mlp_is_drawn():
    layer = mazur().model.layers[0]
    with pytest.raises(TypeError, match=r"TrainingView needs an MLP, got Layer; wrap a single layer as MLP\.from_"):
        TrainingView(layer, [0.05, 0.1], 10)  # type: ignore[arg-type]


def test_a_model_too_big_to_read_is_refused():
    model = MLP(2, [16, 16, 1], rng=random.Random(0))
    with pytest.raises(ValueError, match=r"337 connections, more than max_edges=64"):
        TrainingView(model, [0.5, -0.5], 10)


@pytest.mark.parametrize("payload", [*HOSTILE, "tab\there \x1b[31m red \x00"])
def test_user_text_lands_in_the_svg_as_text(payload):
    ex = mazur()
    ex.weights["w5"].label = f"w5 {payload}"
    ex.model.layers[0].neurons[0].name = f"h1 {payload}"
    view = TrainingView(ex.model, ex.inputs, 5, title=f"T {payload}", input_names=[f"i1 {payload}", "i2"])
    made: Made = {}
    view.update(0, ex.backward(made=made), made)
    tree = ET.fromstring(view.svg)  # well-formed XML, whatever the text
    tags = {element.tag.removeprefix(SVG) for element in tree.iter()}
    assert tags <= {"svg", "style", "g", "title", "text", "tspan", "path", "polygon", "ellipse", "polyline", "line",
                    "rect", "circle"}  # fmt: skip
    written = re.sub("[\x00-\x09\x1b]", lambda c: f"\\x{ord(c.group()):02x}", payload)
    assert next(tree.iter(f"{SVG}tspan")).text == f"T {written}"
    assert any(line.startswith(f"w5 {' '.join(written.split())} 0.4") for line in lines(view.svg))


def test_it_reads_without_overlaps_in_a_browser(browser, tmp_path):
    ex, view = mazur_view(steps=300)
    train(ex, view, 300)
    page = tmp_path / "view.html"
    page.write_text(f"<!DOCTYPE html><html><body>{view.svg}</body></html>", encoding="utf-8")
    browser.get(page.as_uri())
    result = browser.execute_script(LAYOUT_PROBLEMS)
    assert result["texts"] > 40
    assert result["problems"] == []


# ---- in a notebook: one output, updated in place ---------------------------------------------------

SETUP = """\
from nn import SGD
from nn.examples import mazur
from nn.notebook_view import TrainingView

ex = mazur()
view = TrainingView(ex.model, ex.inputs, 95, every=10, frozen=ex.frozen, input_names=ex.input_names, title="Mazur")
view.display()"""

TRAINING = """\
import json

optimizer = SGD(ex.model.parameters(), ex.lr, frozen=ex.frozen)
for step in range(95):
    optimizer.zero_grad()
    made = {}
    error = ex.backward(made=made)
    view.update(step, error, made)
    w1, w5 = ex.weights["w1"], ex.weights["w5"]
    last = {"error": error.data, "w5": w5.data, "dw5": w5.grad, "dw1": w1.grad}
    optimizer.step()
print(json.dumps(last))"""


def test_in_a_notebook_the_view_is_one_output_updated_in_place(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    messages: list[str] = []

    client: Any = nbclient.NotebookClient

    class Counting(client):  # type: ignore[misc]
        def process_message(self, msg, cell, cell_index):
            messages.append(msg["msg_type"])
            return super().process_message(msg, cell, cell_index)

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(TRAINING)])
    root = str(Path(__file__).parent.parent)
    Counting(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": root}}).execute()
    setup, training = notebook.cells
    views = [
        (k, out)
        for k, cell in enumerate(notebook.cells)
        for out in cell.outputs
        if 'class="chainrule-view"' in out.get("data", {}).get("image/svg+xml", "")
    ]
    assert len(views) == 1 and views[0][0] == 0  # one output, where display() was called
    assert messages.count("display_data") == 1
    assert messages.count("update_display_data") == 11  # steps 0, 10, ..., 90 and the last, 94
    assert [out.output_type for out in training.outputs] == ["stream"]
    last = json.loads(training.outputs[0]["text"])
    shown = lines(views[0][1]["data"]["image/svg+xml"])
    assert shown[0] == f"Mazur step 94 of 95, error {last['error']:.4g}"
    assert f"w5 {last['w5']:.4g}" in shown and f"dE/dw5 {last['dw5']:.4g}" in shown
    assert f"dE/dw1 {last['dw1']:.4g}" in shown
    assert views[0][1]["data"]["text/plain"] == "<TrainingView 'Mazur': step 94 of 95>"
    assert setup.outputs == [views[0][1]]
