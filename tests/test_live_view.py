import json
import random
import re
import time
from dataclasses import asdict
from typing import Any

import pytest

from nn import MLP, Layer, Neuron, Recorder, record_training, write_html
from nn.chart import loss_chart
from nn.examples import mazur, worked_example
from nn.recorder import Recording

# Every visible SVG text's ink box (from its first to its last non-blank character, and from
# 0.74 em above its baseline, the height of capitals and ascenders, to 0.21 em below, the depth
# of descenders), and the problems a reader would see: two texts overlapping, or a text crossing
# the border of a node's shape (a table cell, a box, a circle or an ellipse).
LAYOUT_PROBLEMS = r"""
const visible = (el) => el.getClientRects().length > 0;
const texts = [...document.querySelectorAll("svg text")].filter((t) => t.textContent.trim() && visible(t));
function ink(t) {
  const ctm = t.getScreenCTM(), text = t.textContent, n = t.getNumberOfChars();
  const kept = n === text.length;  // blanks at the ends are kept (xml:space="preserve"), or collapsed away
  const first = kept ? text.search(/\S/) : 0;
  const last = kept ? n - 1 - [...text].reverse().join("").search(/\S/) : n - 1;
  const at = (p) => {
    const q = t.ownerSVGElement.createSVGPoint();
    q.x = p.x; q.y = p.y;
    return q.matrixTransform(ctm);
  };
  const start = at(t.getStartPositionOfChar(first)), end = at(t.getEndPositionOfChar(last));
  const em = parseFloat(getComputedStyle(t).fontSize) * ctm.a;
  const left = Math.min(start.x, end.x), right = Math.max(start.x, end.x);
  return { left, right, top: start.y - 0.74 * em, bottom: start.y + 0.21 * em, width: right - left, height: 0.95 * em };
}
const boxes = texts.map((t) => ({ text: t.textContent, r: ink(t) }));
const problems = [];
const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
                          Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
for (let i = 0; i < boxes.length; i++)
  for (let j = i + 1; j < boxes.length; j++)
    if (overlap(boxes[i].r, boxes[j].r) > 1) problems.push(`"${boxes[i].text}" overlaps "${boxes[j].text}"`);
const shapes = [...document.querySelectorAll("g.node polygon, g.node ellipse")]
  .filter((s) => visible(s) && !["transparent", "none"].includes(s.getAttribute("stroke")));
for (const s of shapes) {
  const r = s.getBoundingClientRect();
  const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
  const inside = s.tagName === "ellipse"
    ? (x, y) => ((x - cx) / (r.width / 2)) ** 2 + ((y - cy) / (r.height / 2)) ** 2 < 1
    : (x, y) => x > r.left && x < r.right && y > r.top && y < r.bottom;
  for (const b of boxes) {
    const points = [];
    for (let k = 0; k <= 8; k++) {
      const x = b.r.left + 1 + (b.r.width - 2) * k / 8, y = b.r.top + 1 + (b.r.height - 2) * k / 8;
      points.push([x, b.r.top + 1], [x, b.r.bottom - 1], [b.r.left + 1, y], [b.r.right - 1, y]);
    }
    const count = points.filter(([x, y]) => inside(x, y)).length;
    if (count > 0 && count < points.length) problems.push(`"${b.text}" crosses the border of a node`);
  }
}
return { texts: boxes.length, problems };
"""


def write(recording: Recording, tmp_path, name="page.html"):
    path = write_html(recording, tmp_path / name)
    page = path.read_text(encoding="utf-8")
    match = re.search(r'<script id="recording" type="application/json">(.*?)</script>', page, re.S)
    assert match
    return path, page, json.loads(match.group(1))


def mazur_recording(steps=200, max_frames=50):
    ex = mazur()
    return record_training(
        ex.model, ex.inputs, ex.targets, ex.lr, steps, frozen=ex.frozen, max_frames=max_frames,
        input_names=ex.input_names, title="Mazur's network",
    )  # fmt: skip


def many_paths_recording(levels: int) -> Recording:
    """One linear neuron's output o, then s = o + o + o taken `levels` times over: 3^levels paths from the loss to
    each parameter."""
    model = MLP(2, [1], rng=random.Random(0))
    made: dict[Any, Any] = {}
    loss = model.forward([0.5, -0.25], made=made)[0]
    for _ in range(levels):
        loss = loss + loss + loss
    loss.backward()
    recorder = Recorder(model, [0.5, -0.25], 1)
    recorder.record(0, loss, made)
    return recorder.recording


def worked_example_recording():
    ex = worked_example()
    return record_training(ex.model, ex.inputs, ex.targets, ex.lr, 30, input_names=ex.input_names)


def mlp_recording():
    model = MLP(3, [4, 4, 1], activation="tanh", last_activation="tanh", rng=random.Random(2))
    return record_training(model, [0.5, -1.0, 2.0], [0.5], 0.05, 20)


def tied_recording():
    """A 2-2-1 network whose first weight is tied to two more connections, and whose first bias feeds the output
    too: each parameter's numbers once, a share on each of its edges."""
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(3))
    (h1, h2), (o1,) = (layer.neurons for layer in model.layers)
    h1.w[1] = h2.w[0] = h1.w[0]
    o1.b = h1.b
    return record_training(model, [0.5, -2.0], [0.25], 0.1, 20)


def bias_weight_recording():
    """One neuron whose bias is also its first weight, trained on one example."""
    neuron = Neuron(2, "tanh", name="o1", weights=[0.3, -0.4], bias=0.1)
    neuron.w[0] = neuron.b
    return record_training(MLP.from_layers([Layer.from_neurons([neuron])]), [3.0, 1.0], [0.5], 0.1, 5)


def test_a_parameter_used_at_several_places_has_one_slot_for_its_numbers_and_one_per_edge_for_its_shares(tmp_path):
    recording = tied_recording()
    _path, _page, data = write(recording, tmp_path)
    network = data["slots"]["network"]
    assert {q: len(ids) for q, ids in network.items()} == {
        "x": 2, "out": 3, "out_grad": 3, "value": 6, "grad": 6, "share": 5
    }  # fmt: skip
    assert len(recording.model.parameters()) == 6
    assert [len(frame.share) for frame in recording.frames] == [5] * 20
    tied_edges = [f"n0_{j}w{i}-{half}" for j, i in ((0, 0), (0, 1), (1, 0)) for half in ("in", "out")]
    assert data["network"]["edges"]["0"] == tied_edges
    assert data["network"]["edges"]["1"] == ["n0_0b-in", "n0_0b-out", "n1_0b-in", "n1_0b-out"]


def test_page_is_self_contained_and_carries_the_recording(tmp_path):
    recording = mazur_recording()
    _path, page, data = write(recording, tmp_path)
    assert data["frames"] == [asdict(frame) for frame in recording.frames]
    assert data["inputs"] == [0.05, 0.1]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "fetch(" not in page
    assert set(re.findall(r"https?://[^\s\"']+", page)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }


def test_every_number_has_a_slot_in_the_graphviz_layouts_named_in_the_pages_data(tmp_path):
    recording = mazur_recording()
    _path, page, data = write(recording, tmp_path)
    slots = re.findall(r'<text id="([\w-]+)" data-before="([^"]*)" data-after="([^"]*)"', page)
    assert len({slot for slot, _, _ in slots}) == len(slots)
    nodes, edges = len(data["graph"]["nodes"]), len(data["graph"]["edges"])
    graph = data["slots"]["graph"]
    assert graph == {
        "data": [f"graph-data-{i}" for i in range(nodes)],
        "grad": [f"graph-grad-{i}" for i in range(nodes)],
        "flow": [f"graph-flow-{e}" for e in range(edges)],
    }
    network = data["slots"]["network"]
    assert {q: len(ids) for q, ids in network.items()} == {
        "x": 2, "out": 4, "out_grad": 4, "value": 10, "grad": 10, "share": 4
    }  # fmt: skip
    assert network["out_grad"] == network["out"]  # one slot, out or dE/d(out) by phase
    assert data["slots"]["readout"] == {"loss": "loss", "step": "step"}
    drawn = {slot for slot, _, _ in slots}
    assert drawn == {slot for view in ("graph", "network") for ids in data["slots"][view].values() for slot in ids}
    befores = {before for _slot, before, after in slots if not after}
    assert befores >= {"data ", "grad ", "dE/dw5 "}  # the text before a number, which ends its line
    assert (
        "graphviz" not in page.lower() or "<!-- Generated by" in page
    )  # the SVGs come from Graphviz's dot or graphviz-pure


def test_a_recorder_is_not_its_recording_and_write_html_says_which_to_pass(tmp_path):
    model = MLP(2, [1], rng=random.Random(1))
    recorder = Recorder(model, [0.5, 1.0], 1)
    with pytest.raises(TypeError, match=r"^write_html\(\) takes a Recording, got Recorder: pass recorder.recording$"):
        write_html(recorder, tmp_path / "page.html")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^write_html\(\) takes a Recording, got str$"):
        write_html("recording", tmp_path / "page.html")  # type: ignore[arg-type]


def test_bad_recordings_are_refused_with_the_value_named(tmp_path):
    recording = mazur_recording(steps=3)
    grads = recording.frames[1].pgrad
    grads[[p.label for p in recording.model.parameters()].index("w5")] = float("nan")
    with pytest.raises(
        ValueError, match=r"the recording holds nan at step 1: the gradient of w5; a page cannot show it"
    ):
        write_html(recording, tmp_path / "view.html")
    grads[[p.label for p in recording.model.parameters()].index("w5")] = 0.0
    outputs = recording.frames[2].out_grad
    outputs[2] = float("inf")
    with pytest.raises(ValueError, match=r"the recording holds inf at step 2: dE/d\(output\) of neuron o1;"):
        write_html(recording, tmp_path / "view.html")
    recording.frames.clear()
    with pytest.raises(ValueError, match=r"the recording has no frames"):
        write_html(recording, tmp_path / "view.html")


def test_a_model_too_big_to_read_is_refused_with_what_to_do(tmp_path):
    model = MLP(2, [16, 16, 1], rng=random.Random(0))
    recording = record_training(model, [0.5, -0.5], [1.0], 0.1, 2)
    with pytest.raises(ValueError, match=r"this model has 337 connections, more than max_edges=64.*pass max_edges=337"):
        write_html(recording, tmp_path / "big.html")


def test_the_ten_thousand_step_mazur_page_stays_small(tmp_path):
    _path, page, data = write(mazur_recording(steps=10_000, max_frames=300), tmp_path)
    assert len(data["frames"]) == 300
    assert len(page.encode()) < 1_000_000


# ---- in a real browser ----------------------------------------------------------------------


def shown(browser, slot: str) -> str:
    """The text of a number's slot, "view:quantity:index"."""
    return str(
        browser.execute_script("return document.getElementById(arguments[0]).textContent", slot.replace(":", "-"))
    )


def number(text: str) -> float:
    return float(text.split()[-1])


def click(browser, element_id: str, times: int = 1) -> None:
    for _ in range(times):
        browser.find_element("id", element_id).click()


def select(browser, element_id: str):
    """The <select> with this id, as selenium's Select."""
    from selenium.webdriver.support.ui import Select

    return Select(browser.find_element("id", element_id))


def panel(browser, element_id: str) -> str:
    return str(browser.execute_script(f"return document.getElementById('{element_id}').textContent"))


def test_the_ten_thousand_step_page_loads_in_well_under_a_second(browser, tmp_path):
    path, *_ = write(mazur_recording(steps=10_000, max_frames=300), tmp_path)
    start = time.perf_counter()
    browser.get(path.as_uri())
    loaded = browser.execute_script(
        "const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime"
    )
    assert loaded < 1000, f"{loaded} ms"
    assert time.perf_counter() - start < 5
    assert browser.find_element("id", "steps").text == "10,000"


def test_the_network_view_shows_the_engines_numbers_as_the_run_is_stepped(browser, tmp_path):
    recording = mazur_recording()
    path, _page, data = write(recording, tmp_path)
    labels = [p.label for p in recording.model.parameters()]
    w5, b2 = labels.index("w5"), labels.index("b2")
    frames = data["frames"]
    browser.get(path.as_uri())

    def matches(frame: int) -> None:
        f = frames[frame]
        assert browser.find_element("id", "step").text == f"{f['step']:,}"
        assert number(shown(browser, f"network:value:{w5}")) == pytest.approx(f["value"][w5], rel=1e-3)
        assert shown(browser, f"network:grad:{w5}") == f"dE/dw5 {f['pgrad'][w5]:.4g}"
        assert shown(browser, f"network:grad:{b2}") == f"dE/db2 {f['pgrad'][b2]:.4g}"
        assert shown(browser, "network:share:2") == f"share of dE/db2 {f['share'][2]:.4g}"
        assert shown(browser, "network:out:2") == f"{f['out'][2]:.4g}"

    matches(0)
    assert shown(browser, f"network:grad:{w5}") == "dE/dw5 0.08217"  # the article's dE/dw5
    # b2 is frozen: thin, though its dE/db2 is larger than any weight's
    assert browser.find_element("css selector", "#n1_0b-in path").get_attribute("stroke-width") == "0.8"
    weights = [abs(g) for g, name in zip(frames[0]["pgrad"], labels, strict=True) if name.startswith("w")]
    assert abs(frames[0]["pgrad"][b2]) > max(weights)
    click(browser, "next")
    matches(1)
    browser.execute_script(
        "const s = document.getElementById('slider'); s.value = 37; s.dispatchEvent(new Event('input'))"
    )
    matches(37)
    f = frames[37]
    trained = [i for i, p in enumerate(recording.model.parameters()) if p not in recording.frozen]
    steepest = max(abs(g["pgrad"][i]) for g in frames for i in trained)  # of the whole run, not of this step
    width = browser.find_element("css selector", "#n1_0w0-in path").get_attribute("stroke-width")  # w5: h1 -> o1
    assert float(width) == pytest.approx(0.8 + 3.2 * abs(f["pgrad"][w5]) / steepest, abs=0.006)
    frozen = browser.find_element("css selector", "#n1_0b-in path").get_attribute("stroke-width")  # b2 -> o1
    assert float(frozen) == 0.8
    click(browser, "prev")
    matches(36)
    browser.find_element("css selector", 'input[value="backward"]').click()
    o1 = browser.find_element("id", "network-out-2")
    caption = browser.execute_script("return arguments[0].previousElementSibling.textContent", o1)
    assert caption == "dE/do1"
    assert number(o1.text) == pytest.approx(frames[36]["out_grad"][2], rel=1e-3)
    marker = browser.find_element("id", "marker")
    _svg, scale = loss_chart(recording.curve, recording.steps)  # the chart's scale, applied in Python only
    f = frames[36]
    assert float(marker.get_attribute("cx")) == pytest.approx(scale.x(f["step"]), abs=0.06)
    assert float(marker.get_attribute("cy")) == pytest.approx(scale.y(f["loss"]), abs=0.06)
    click(browser, "play")
    time.sleep(0.6)
    click(browser, "play")
    assert int(browser.find_element("id", "step").text.replace(",", "")) > frames[36]["step"]


def test_the_graph_view_walks_forward_and_backward_node_by_node(browser, tmp_path):
    path, _page, data = write(mazur_recording(), tmp_path)
    nodes = [n["name"] for n in data["graph"]["nodes"]]
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    click(browser, "start")
    assert panel(browser, "event").startswith("Before the forward pass")
    net_h = [i for i, n in enumerate(nodes) if n.startswith("net_")]
    assert all(shown(browser, f"graph:data:{i}") == "data ?" for i in net_h)
    assert shown(browser, f"graph:data:{nodes.index('w5')}") == "data 0.4"
    forward = [i for i, n in enumerate(data["graph"]["nodes"]) if not n["leaf"]]
    click(browser, "forth")
    first = nodes[forward[0]]
    assert panel(browser, "event").startswith(f"forward, 1 of {len(forward)}: {first} = ")
    assert browser.find_element("id", f"v{forward[0]}").get_attribute("class").split() == ["node", "current"]
    click(browser, "forth", len(forward) - 1)
    assert panel(browser, "event").startswith(
        f"forward, {len(forward)} of {len(forward)}: E = squared_error(o1, o2, target o1, target o2) = 0.2984"
    )
    # backward: from E down; net_o1 sends dE/dw5 += out_h1 × dE/dnet_o1
    for _ in range(len(forward)):
        click(browser, "forth")
        text = panel(browser, "event")
        if "at net_o1," in text:
            break
    assert "dE/dw5 += 0.5933 × 0.1385 = 0.08217   (now 0.08217)" in text
    assert shown(browser, f"graph:grad:{nodes.index('w5')}") == "grad 0.08217"
    # h1 feeds net_o1 and net_o2: its grad accumulates the two shares
    shares = []
    for _ in range(len(forward)):
        shares += re.findall(r"dE/dh1 \+= .* = (\S+)   \(now (\S+)\)", panel(browser, "event"))
        if len(shares) == 2:
            break
        click(browser, "forth")
    (first_share, after_one), (second_share, after_two) = shares
    assert after_one == first_share
    assert float(after_two) == pytest.approx(float(first_share) + float(second_share), abs=2e-4)
    assert after_two == "0.03635"  # the article's dE/dout_h1 = 0.036350306
    click(browser, "end")
    assert shown(browser, f"graph:grad:{nodes.index('h1')}") == "grad 0.03635"


def test_an_unlabelled_parameter_is_named_as_the_pick_list_names_it_in_each_event(browser, tmp_path):
    recording = mazur_recording(steps=3, max_frames=3)
    recording.model.parameters()[2].label = ""  # b1
    path, _page, _data = write(recording, tmp_path)
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    click(browser, "end")
    assert panel(browser, "event").startswith("backward, 9 of 9: at net_h2, dE/dnet_h2 = 0.009954")
    assert "dE/d(parameter 3) += 1 × 0.009954 = 0.009954   (now 0.01873)" in panel(browser, "event")


def test_picking_a_parameter_shows_its_paths_and_derivation(browser, tmp_path):
    path, *_ = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    select(browser, "pick").select_by_visible_text("w5")
    text = panel(browser, "derivation")
    assert text.startswith("dE/dw5 = dE/do1 × do1/dnet_o1 × dnet_o1/dw5\n    = 0.7414 × 0.1868 × 0.5933 = 0.08217")
    assert text.endswith("(backward() leaves grad 0.08217 in w5)")
    picked = browser.find_elements("css selector", "g.edge.picked")
    assert len(picked) == 3 * 3  # E <- o1 <- net_o1 <- w5: three edges, each in, out, and its op's edge to its value
    select(browser, "pick").select_by_visible_text("b1")
    text = panel(browser, "derivation")
    assert text.startswith("dE/db1, summed over 4 paths:")
    assert text.count("\n+ ") == 3


def test_a_count_of_paths_too_large_for_a_double_is_shown_exactly(browser, tmp_path):
    path, *_ = write(many_paths_recording(34), tmp_path)
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    select(browser, "pick").select_by_visible_text("w1[1,1]")
    assert 3**34 == 16_677_181_699_666_569 != float(3**34)
    assert panel(browser, "derivation").startswith(
        "dv71/dw1[1,1] is a sum over 16,677,181,699,666,569 paths, more than"
    )


@pytest.mark.parametrize("make", [mazur_recording, worked_example_recording, mlp_recording, tied_recording])
def test_no_text_overlaps_another_or_crosses_a_node_border(browser, tmp_path, make):
    path, *_ = write(make(), tmp_path)
    browser.get(path.as_uri())
    checked = 0

    def check(where: str) -> None:
        nonlocal checked
        result = browser.execute_script(LAYOUT_PROBLEMS)
        assert result["texts"] > 20, where
        assert result["problems"] == [], where
        checked += 1

    check("network, first frame, forward")
    click(browser, "next", 3)
    check("network, after stepping, forward")
    browser.find_element("css selector", 'input[value="backward"]').click()
    check("network, backward")
    click(browser, "tab-graph")
    check("graph, before the forward pass")
    click(browser, "end")
    check("graph, all done")
    click(browser, "start")
    events = int(browser.find_element("id", "event-count").text.split()[-1])
    click(browser, "forth", events // 2)
    check("graph, half way")
    click(browser, "forth", events // 2 - 2)
    check("graph, backward")
    click(browser, "graph-zoom-in", 3)
    check("graph, zoomed in")
    select(browser, "pick").select_by_index(1)
    check("graph, zoomed in, a parameter picked")
    click(browser, "graph-zoom-fit")
    check("graph, fitted, a parameter picked")
    assert checked == 10


def test_the_layout_measure_sees_overlaps_and_crossed_borders(browser, tmp_path):
    path, *_ = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())
    assert browser.execute_script(LAYOUT_PROBLEMS)["problems"] == []
    browser.execute_script(
        "const t = document.getElementById('network-out-0');"
        "t.textContent = 'a number far too long to fit in its circle';"
    )
    problems = browser.execute_script(LAYOUT_PROBLEMS)["problems"]
    assert '"a number far too long to fit in its circle" crosses the border of a node' in problems
    browser.execute_script(
        "const [a, b] = document.querySelectorAll('[id^=\"network-value-\"]');"
        "b.setAttribute('x', a.getAttribute('x')); b.setAttribute('y', a.getAttribute('y'));"
    )
    assert any(" overlaps " in p for p in browser.execute_script(LAYOUT_PROBLEMS)["problems"])


# ---- user text is data, wherever it lands ----------------------------------------------------

HOSTILE = [
    "__DATA__",
    '<img src=x onerror="window.pwned = (window.pwned || 0) + 1">',
    "<!--<script>",
    "</script><script>window.pwned = (window.pwned || 0) + 1</script>",
    "{} 123456789 {0}",
    "a & b \" ' `",
    '" onmouseover="window.pwned = 1" data-x="',
]


def hostile_recording(payload: str):
    ex = mazur()
    ex.model.layers[0].neurons[0].name = f"h1 {payload}"
    ex.weights["w5"].label = f"w5 {payload}"
    names = [f"i1 {payload}", "i2"]
    return record_training(
        ex.model, ex.inputs, ex.targets, ex.lr, 5, frozen=ex.frozen, input_names=names, title=f"T {payload}"
    )


@pytest.mark.parametrize("payload", HOSTILE)
def test_user_text_reaches_the_page_as_text_and_runs_no_script(browser, tmp_path, payload):
    path, _page, data = write(hostile_recording(payload), tmp_path)
    assert data["title"] == f"T {payload}"  # the recording itself is intact
    browser.get(path.as_uri())
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.find_element("tag name", "h1").text == f"T {payload}".strip()
    assert browser.title == f"T {payload}".strip()
    assert browser.find_element("id", "steps").text == "5"  # the page's own script ran
    click(browser, "next")
    assert browser.find_element("id", "step").text == "1"
    assert browser.execute_script("return window.pwned === undefined")
    texts = browser.execute_script("return [...document.querySelectorAll('svg text')].map((t) => t.textContent)")
    assert f"w5 {payload}".strip() in texts  # the label, as written
    derivative = re.escape(f"dE/d(w5 {payload})")  # parenthesised, as explain() writes a name with a space
    assert any(re.fullmatch(rf"{derivative} -?0\.\d+", t) for t in texts), texts  # then the number


@pytest.mark.parametrize(
    ("label", "drawn"), [("990000003", "990000003"), ("\x1b[31m", "\\x1b[31m"), ("\ud83d", "\\ud83d")]
)
def test_a_label_that_reads_like_a_number_token_or_holds_a_control_character_keeps_to_its_place(
    browser, tmp_path, label, drawn
):
    recording = hostile_recording(label)
    path, *_ = write(recording, tmp_path)
    browser.get(path.as_uri())
    click(browser, "next")
    ids = browser.execute_script("return [...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids))
    frame = recording.frames[1]
    params = recording.model.parameters()
    for p in range(len(params)):
        assert number(shown(browser, f"network:value:{p}")) == pytest.approx(frame.value[p], rel=1e-3)
        assert number(shown(browser, f"network:grad:{p}")) == pytest.approx(frame.pgrad[p], rel=1e-3, abs=1e-12)
    texts = browser.execute_script("return [...document.querySelectorAll('svg text')].map((t) => t.textContent)")
    assert f"w5 {drawn}" in texts and f"i1 {drawn}" in texts


# ---- usable on a laptop: keys, playing, fitting, zooming, panning, order --------------------


def press(browser, *keys: str) -> None:
    """Press keys on the page (not in a control): Keys' names such as "ARROW_RIGHT", or characters."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.execute_script("document.activeElement.blur()")
    chain = ActionChains(browser)
    for key in keys:
        chain.send_keys(getattr(Keys, key) if len(key) > 1 else key)
    chain.perform()


def event_at(browser) -> int:
    return int(browser.find_element("id", "event-count").text.split()[1])


def step_at(browser) -> int:
    return int(browser.find_element("id", "step").text.replace(",", ""))


def rect(browser, element_id: str) -> dict[str, float]:
    script = "const r = document.getElementById(arguments[0]).getBoundingClientRect(); return r.toJSON()"
    return dict(browser.execute_script(script, element_id))


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 1.0) -> bool:
    return (
        inner["left"] >= outer["left"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["top"] >= outer["top"] - slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def node_id(data, name: str) -> str:
    return str(next(n["id"] for n in data["graph"]["nodes"] if n["name"] == name))


def test_the_keys_step_play_and_jump_in_either_view(browser, tmp_path):
    path, _page, data = write(mazur_recording(), tmp_path)
    steps = [f["step"] for f in data["frames"]]
    browser.get(path.as_uri())
    press(browser, "ARROW_RIGHT", "ARROW_RIGHT")
    assert step_at(browser) == steps[2]
    press(browser, "ARROW_LEFT")
    assert step_at(browser) == steps[1]
    press(browser, "END")
    assert step_at(browser) == steps[-1]
    press(browser, "HOME")
    assert step_at(browser) == 0
    press(browser, " ")
    time.sleep(0.5)
    press(browser, " ")
    assert step_at(browser) > 0
    assert browser.find_element("id", "play").text == "play"  # stopped
    played = step_at(browser)

    click(browser, "tab-graph")
    events = len(data["graph"]["nodes"]) - sum(n["leaf"] for n in data["graph"]["nodes"])
    assert browser.find_element("id", "event-count").text == f"event 0 of {2 * events}"  # opens at the start
    press(browser, "ARROW_RIGHT", "ARROW_RIGHT", "ARROW_RIGHT")
    assert event_at(browser) == 3
    press(browser, "ARROW_LEFT")
    assert event_at(browser) == 2
    press(browser, "END")
    assert event_at(browser) == 2 * events
    press(browser, "HOME")
    assert event_at(browser) == 0
    press(browser, " ")
    time.sleep(1.0)
    press(browser, " ")
    assert event_at(browser) >= 1
    assert browser.find_element("id", "graph-play").text == "play"
    assert step_at(browser) == played  # the keys moved the graph's events, not the run


def test_play_at_the_end_starts_again(browser, tmp_path):
    path, _page, data = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())
    press(browser, "END")
    click(browser, "play")
    started = step_at(browser)
    click(browser, "play")
    assert started < data["frames"][3]["step"]  # from the first frame again, not stuck at the last
    click(browser, "tab-graph")
    click(browser, "end")
    click(browser, "graph-play")
    assert event_at(browser) <= 1
    time.sleep(0.8)
    click(browser, "graph-play")
    assert 1 <= event_at(browser) <= 3


@pytest.mark.parametrize("make", [mazur_recording, worked_example_recording])
def test_the_graph_fits_the_window_zooms_and_pans_and_the_controls_stay(browser, tmp_path, make):
    path, _page, data = write(make(), tmp_path)
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    box = rect(browser, "graph-box")
    assert inside(rect(browser, "graph-drawing"), box)  # the whole graph, however wide
    controls, text = rect(browser, "forth"), rect(browser, "event")
    click(browser, "forth", 12)
    assert rect(browser, "forth") == controls  # the steps scroll nothing away
    assert rect(browser, "event")["top"] == text["top"]
    assert rect(browser, "event")["bottom"] < browser.execute_script("return innerHeight")
    assert browser.execute_script("return window.scrollY") == 0
    h1 = node_id(data, "h1")
    before = rect(browser, h1)
    click(browser, "graph-zoom-in", 2)
    zoomed = rect(browser, h1)
    assert zoomed["width"] == pytest.approx(before["width"] * 1.25**2, rel=0.01)
    assert not inside(rect(browser, "graph-drawing"), box)
    from selenium.webdriver.common.action_chains import ActionChains

    graph = browser.find_element("id", "graph-box")
    ActionChains(browser).move_to_element(graph).click_and_hold().move_by_offset(-120, 80).release().perform()
    moved = rect(browser, h1)
    assert (moved["left"] - zoomed["left"], moved["top"] - zoomed["top"]) == pytest.approx((-120, 80), abs=1.5)
    press(browser, "-")
    assert rect(browser, h1)["width"] == pytest.approx(zoomed["width"] * 0.8, rel=0.01)
    click(browser, "graph-zoom-fit")
    assert inside(rect(browser, "graph-drawing"), box)
    assert rect(browser, h1)["width"] == pytest.approx(before["width"], rel=0.01)


def text_rect(browser, box_id: str, text: str) -> dict[str, float]:
    """Where the first text of the drawing in this box that reads `text` is on screen."""
    script = (
        "const t = [...document.querySelectorAll(`#${arguments[0]} svg text`)]"
        ".find((e) => e.textContent.trim() === arguments[1]); return t.getBoundingClientRect().toJSON()"
    )
    return dict(browser.execute_script(script, box_id, text))


def test_a_neuron_is_named_in_its_derivative_as_explain_names_it(browser, tmp_path):
    model = MLP(2, [2, 1], rng=random.Random(0))
    model.layers[0].neurons[0].name, model.layers[0].neurons[1].name = "hidden one", ""
    path, *_ = write(record_training(model, [1.0, 2.0], [0.5], lr=0.1, steps=3), tmp_path)
    browser.get(path.as_uri())
    browser.find_element("css selector", 'input[value="backward"]').click()
    script = "return [...document.querySelectorAll('#network-box text')].map((t) => t.textContent)"
    texts = browser.execute_script(script)
    assert {"dE/d(hidden one)", "dE/d(output)", "dE/do1"} <= set(texts)  # not dE/dhidden one, nor a bare dE/d
    assert "dE/d" not in texts


def test_a_neurons_caption_is_centred_over_its_number_in_either_phase(browser, tmp_path):
    model = MLP(2, [2, 1], rng=random.Random(0))
    model.layers[0].neurons[0].name = "a rather long hidden neuron name"
    path, *_ = write(record_training(model, [1.0, 2.0], [0.5], lr=0.1, steps=3), tmp_path)
    browser.get(path.as_uri())
    centres = (
        "const n = document.getElementById('network-out-0'), c = n.previousElementSibling; "
        "const centre = (e) => { const r = e.getBoundingClientRect(); return (r.left + r.right) / 2; }; "
        "return [c.textContent, centre(c), centre(n)]"
    )
    for phase in ("forward", "backward"):
        browser.find_element("css selector", f'input[value="{phase}"]').click()
        caption, over, number = browser.execute_script(centres)
        assert caption == {"forward": "output", "backward": "dE/d(a rather long hidden neuron name)"}[phase]
        assert over == pytest.approx(number, abs=1.0), phase  # "output" sat 68 px left of its number


def test_the_network_zooms_and_pans_and_fits_again_by_its_buttons_keys_and_wheel(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.support.ui import WebDriverWait

    path, _page, _data = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())

    def fitted(b: Any) -> bool:
        return inside(rect(b, "network-drawing"), rect(b, "network-box"))

    WebDriverWait(browser, 5).until(fitted)  # fitted as the page opens (its layout settles later on a busy machine)
    box = rect(browser, "network-box")
    before = text_rect(browser, "network-box", "h1")
    click(browser, "network-zoom-in", 2)
    zoomed = text_rect(browser, "network-box", "h1")
    assert zoomed["width"] == pytest.approx(before["width"] * 1.25**2, rel=0.02)
    assert not inside(rect(browser, "network-drawing"), box)
    network = browser.find_element("id", "network-box")
    ActionChains(browser).move_to_element(network).click_and_hold().move_by_offset(-90, 40).release().perform()
    moved = text_rect(browser, "network-box", "h1")
    assert (moved["left"] - zoomed["left"], moved["top"] - zoomed["top"]) == pytest.approx((-90, 40), abs=1.5)
    press(browser, "-")
    assert text_rect(browser, "network-box", "h1")["width"] == pytest.approx(zoomed["width"] * 0.8, rel=0.02)
    press(browser, "0")
    assert inside(rect(browser, "network-drawing"), box)
    assert text_rect(browser, "network-box", "h1") == pytest.approx(before, abs=0.5)
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(network), 0, -100).perform()
    assert text_rect(browser, "network-box", "h1")["width"] > before["width"] * 1.1  # the wheel zooms in
    click(browser, "network-zoom-fit")
    assert text_rect(browser, "network-box", "h1") == pytest.approx(before, abs=0.5)
    click(browser, "tab-graph")  # the keys zoom the view on screen, and leave the other as it is
    graph_before = rect(browser, "graph-drawing")
    press(browser, "+")
    assert rect(browser, "graph-drawing")["width"] == pytest.approx(graph_before["width"] * 1.25, rel=0.01)
    click(browser, "tab-network")
    assert text_rect(browser, "network-box", "h1") == pytest.approx(before, abs=0.5)


def touch(browser, *ticks: tuple[Any, ...]) -> None:
    """Fingers on a touch screen, tick by tick: in each tick, for each finger, a point (x, y) on the page to
    move to, "down", "up", or None (it stays as it is)."""
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(browser)
    fingers = [actions.add_pointer_input(interaction.POINTER_TOUCH, f"finger {i}") for i in range(len(ticks[0]))]
    for tick in ticks:
        for finger, step in zip(fingers, tick, strict=True):
            if step is None:
                finger.create_pause(0)
            elif step == "down":
                finger.create_pointer_down()
            elif step == "up":
                finger.create_pointer_up(0)
            else:
                finger.create_pointer_move(duration=0, x=round(step[0]), y=round(step[1]), origin="viewport")
    actions.perform()


def opened_for_touch(browser, tmp_path) -> tuple[dict[str, float], tuple[int, int]]:
    """The Mazur page opened: where h1 is on screen, and the network box's centre, in whole pixels."""
    path, _page, _data = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())
    box = rect(browser, "network-box")
    return text_rect(browser, "network-box", "h1"), (
        round(box["left"] + box["width"] / 2),
        round(box["top"] + box["height"] / 2),
    )


def test_two_fingers_pinch_the_network_to_zoom_about_the_point_between_them_and_pan_with_it(browser, tmp_path):
    before, (mx, my) = opened_for_touch(browser, tmp_path)
    touch(
        browser,
        ((mx - 50, my), (mx + 50, my)),
        ("down", "down"),
        *(((mx - apart / 2, my), (mx + apart / 2, my)) for apart in (120, 160, 200)),  # twice as far apart
        ((mx - 60, my + 30), (mx + 140, my + 30)),  # both move 40 right and 30 down: a pan
        ("up", "up"),
    )
    after = text_rect(browser, "network-box", "h1")
    assert after["width"] == pytest.approx(2 * before["width"], rel=0.06)  # a text's width is hinted, not quite scaled
    centre = lambda r: (r["left"] + r["width"] / 2, r["top"] + r["height"] / 2)  # noqa: E731
    (x, y), (x2, y2) = centre(before), centre(after)
    assert (x2, y2) == pytest.approx((mx + 2 * (x - mx) + 40, my + 2 * (y - my) + 30), abs=2)
    press(browser, "0")
    assert text_rect(browser, "network-box", "h1") == pytest.approx(before, abs=0.5)
    touch(browser, ((mx, my),), ("down",), ((mx - 30, my + 20),), ((mx - 60, my + 40),), ("up",))  # one finger pans
    panned = text_rect(browser, "network-box", "h1")
    assert (panned["left"] - before["left"], panned["top"] - before["top"]) == pytest.approx((-60, 40), abs=1.5)


def test_a_third_finger_or_one_lifted_starts_the_pinch_again_from_the_fingers_down(browser, tmp_path):
    before, (mx, my) = opened_for_touch(browser, tmp_path)
    touch(
        browser,
        ((mx - 5, my), (mx + 5, my), (mx + 200, my)),
        ("down", "down", None),
        (None, None, "down"),  # a third finger, far from the first two
        ("up", None, None),  # the first lifted: the two left are 195 px apart
        (None, (mx + 6, my), None),  # a move of 1 px: hardly a zoom (it was 5x, the zoom's limit)
        (None, "up", "up"),
    )
    assert text_rect(browser, "network-box", "h1") == pytest.approx(before, abs=2)
    touch(
        browser,
        ((mx, my), (mx + 200, my), (mx + 100, my)),
        ("down", None, None),
        ((mx + 50, my), None, None),  # one finger pans 50 px
        (None, "down", "down"),  # two more: a pinch, no longer a pan
        ((mx + 100, my), None, None),  # the first two are 100 px apart, not 150: two thirds of the size
        ("up", "up", "up"),
    )
    assert text_rect(browser, "network-box", "h1")["width"] == pytest.approx(before["width"] * 2 / 3, rel=0.06)


def test_a_picked_parameter_is_brought_into_view(browser, tmp_path):
    path, _page, data = write(worked_example_recording(), tmp_path)
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    from selenium.webdriver.common.action_chains import ActionChains

    click(browser, "graph-zoom-in", 5)
    graph = browser.find_element("id", "graph-box")
    for _ in range(2):  # drag the graph far right, so its right-hand side is out of view
        ActionChains(browser).move_to_element(graph).click_and_hold().move_by_offset(350, 0).release().perform()
    w10, box = node_id(data, "w10"), rect(browser, "graph-box")
    assert not inside(rect(browser, w10), box)
    select(browser, "pick").select_by_visible_text("w10")
    assert inside(rect(browser, w10), box)
    assert panel(browser, "derivation").startswith("dE/dw10 = dE/do2 × do2/dnet_o2 × dnet_o2/dw10")


def test_edges_thin_on_one_scale_as_training_converges(browser, tmp_path):
    recording = mazur_recording(steps=3_000, max_frames=20)
    path, _page, data = write(recording, tmp_path)
    labels = [p.label for p in recording.model.parameters()]
    w5, frozen = labels.index("w5"), {labels.index("b1"), labels.index("b2")}
    steepest = max(abs(f["pgrad"][p]) for f in data["frames"] for p in range(len(labels)) if p not in frozen)
    browser.get(path.as_uri())
    assert f"/ {steepest:.4g}" in browser.find_element("id", "legend").text  # the legend says which scale

    def width() -> float:
        return float(browser.find_element("css selector", "#n1_0w0-in path").get_attribute("stroke-width"))

    first = width()
    assert first == pytest.approx(0.8 + 3.2 * abs(data["frames"][0]["pgrad"][w5]) / steepest, abs=0.006)
    press(browser, "END")
    last = width()
    assert last == pytest.approx(0.8 + 3.2 * abs(data["frames"][-1]["pgrad"][w5]) / steepest, abs=0.006)
    assert last < first - 1  # per-step scaling would have kept it near the widest


def test_nodes_and_parameters_come_in_the_articles_order(browser, tmp_path):
    path, _page, data = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())

    def at(element_id: str) -> tuple[float, float]:
        r = rect(browser, element_id)
        return (r["left"] + r["right"]) / 2, (r["top"] + r["bottom"]) / 2

    def centre(name: str) -> tuple[float, float]:
        return at(node_id(data, name))

    # the network view, left to right in layers, each layer top to bottom: i1, i2 / h1, h2 / o1, o2
    assert at("x0")[1] < at("x1")[1]
    assert at("n0_0")[1] < at("n0_1")[1] and at("n1_0")[1] < at("n1_1")[1]
    click(browser, "tab-graph")
    x = {name: centre(name)[0] for name in ["i1", "i2", "h1", "h2", "net_h1", "net_h2", "o1", "o2"]}
    assert x["i1"] < x["i2"] and x["h1"] < x["h2"] and x["net_h1"] < x["net_h2"] and x["o1"] < x["o2"]
    weights = [centre(f"w{k}") for k in range(1, 9)]
    assert [w[0] for w in weights[:4]] == sorted(w[0] for w in weights[:4])
    assert [w[0] for w in weights[4:]] == sorted(w[0] for w in weights[4:])
    assert centre("i1")[1] < centre("h1")[1] < centre("o1")[1] < centre("E")[1]
    options = [o.get_attribute("textContent") for o in select(browser, "pick").options]
    assert options == ["none", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2"]
    path, _page, _data = write(worked_example_recording(), tmp_path, "worked.html")
    browser.get(path.as_uri())
    options = [o.get_attribute("textContent") for o in select(browser, "pick").options]
    assert options == ["none"] + [f"w{k}" for k in range(1, 11)] + ["b1", "b2"]


def test_an_edge_shows_nothing_until_its_share_arrives(browser, tmp_path):
    path, _page, data = write(mazur_recording(), tmp_path)
    flows = data["slots"]["graph"]["flow"]
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    texts = "return arguments[0].map((id) => document.getElementById(id).textContent)"
    forward = sum(not n["leaf"] for n in data["graph"]["nodes"])
    for _ in range(forward):
        assert set(browser.execute_script(texts, flows)) == {""}
        click(browser, "forth")
    assert set(browser.execute_script(texts, flows)) == {""}  # the forward pass is done; no share yet
    numbers = browser.execute_script("return [...document.querySelectorAll('text[id]')].map((t) => t.textContent)")
    assert not [t for t in numbers if "·" in t or "?" in t.replace("data ?", "").replace("grad ?", "")]
    click(browser, "end")
    assert all(re.fullmatch(r"(\w+ )?-?\d[\d.e+-]*", t) for t in browser.execute_script(texts, flows))


def open_in_a_cell(browser, tmp_path, path, frame_style: str, body_style: str = "", collapsed: bool = False) -> None:
    """Open the page in an iframe "cell" of another page, as a notebook shows it, and switch to the cell;
    `collapsed`: inside an element not shown (id "out"), as a collapsed output is."""
    frame = f'<iframe id="cell" src="{path.as_uri()}" style="{frame_style}; border: 0"></iframe>'
    body = f'<div id="out" hidden>{frame}</div>' if collapsed else frame
    outer = tmp_path / "notebook.html"
    outer.write_text(f'<!DOCTYPE html><body style="margin: 0; {body_style}">{body}</body>', encoding="utf-8")
    browser.get(outer.as_uri())
    browser.switch_to.frame("cell")


def test_the_page_fits_a_notebook_cell_without_scrollbars_inside(browser, tmp_path):
    path, *_ = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())
    open_in_a_cell(browser, tmp_path, path, "width: 100%; height: 700px", "width: 900px")
    try:
        sizes = "const e = document.documentElement; return [e.scrollWidth, e.scrollHeight, innerWidth, innerHeight]"
        for view in ("network", "graph"):
            click(browser, f"tab-{view}")
            width, height, inner_width, inner_height = browser.execute_script(sizes)
            assert (width, height) == (inner_width, inner_height) == (900, 700), view
            overflowing = browser.execute_script(
                "return [...document.querySelectorAll('*')].filter((e) => e.clientHeight && "
                "getComputedStyle(e).overflowY !== 'hidden' && e.scrollHeight > e.clientHeight + 1).map((e) => e.id)"
            )
            assert overflowing in ([], ["event-aside"]), view
        click(browser, "tab-network")
        assert inside(rect(browser, "network-drawing"), rect(browser, "network-box"))  # the network, whole
    finally:
        browser.switch_to.default_content()


def test_in_a_notebook_the_wheel_scrolls_the_notebook_and_zooms_with_ctrl(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    path, *_ = write(mazur_recording(), tmp_path)
    open_in_a_cell(browser, tmp_path, path, "width: 100%; height: 600px", "height: 3000px")  # a notebook that scrolls
    try:
        network = browser.find_element("id", "network-box")
        before = text_rect(browser, "network-box", "h1")
        ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(network), 0, 200).perform()
        assert text_rect(browser, "network-box", "h1")["width"] == pytest.approx(before["width"], abs=0.01)
        browser.switch_to.default_content()
        WebDriverWait(browser, 3).until(lambda b: b.execute_script("return window.scrollY") > 0)  # scrolled
        browser.execute_script("window.scrollTo(0, 0)")
        browser.switch_to.frame("cell")
        network = browser.find_element("id", "network-box")
        chain = ActionChains(browser).key_down(Keys.CONTROL)
        chain.scroll_from_origin(ScrollOrigin.from_element(network), 0, -100).key_up(Keys.CONTROL).perform()
        assert text_rect(browser, "network-box", "h1")["width"] > before["width"] * 1.1  # Ctrl and the wheel zoom
    finally:
        browser.switch_to.default_content()


def test_a_view_fitted_to_its_box_is_fitted_again_when_the_box_changes_size(browser, tmp_path):
    path, *_ = write(mazur_recording(), tmp_path)
    browser.set_window_size(1280, 900)
    try:
        browser.get(path.as_uri())
        click(browser, "tab-graph")
        browser.set_window_size(800, 600)  # while the network is not on screen
        click(browser, "tab-network")
        box, drawing = rect(browser, "network-box"), rect(browser, "network-drawing")
        assert inside(drawing, box)
        touching = [abs(drawing[a] - box[a]) < 1.5 for a in ("left", "right", "top", "bottom")]
        assert touching.count(True) >= 2  # fitted to the box it has now, not the one it had
        shown = "return document.querySelector('#network-box svg').viewBox.baseVal.width"  # in the drawing's units
        before = browser.execute_script(shown)
        click(browser, "network-zoom-in")
        assert browser.execute_script(shown) == pytest.approx(before / 1.25, rel=1e-6)  # 1.25x, from the new fit
    finally:
        browser.set_window_size(1280, 900)


def test_in_a_window_as_narrow_as_a_phone_the_graph_sits_above_its_panel_at_the_full_width(browser, tmp_path):
    path, *_ = write(mazur_recording(), tmp_path)
    try:
        browser.set_window_size(500, 844)
        browser.get(path.as_uri())
        click(browser, "tab-graph")
        width = browser.execute_script("return document.documentElement.clientWidth")
        side = browser.execute_script("return document.querySelector('aside').getBoundingClientRect().toJSON()")
        graph = rect(browser, "graph-box")
        assert graph["width"] == pytest.approx(width, abs=1)  # beside its panel it had 135 px of 500
        assert side["top"] >= graph["bottom"] - 1 and side["width"] == pytest.approx(width, abs=1)
        assert graph["height"] >= 200
        browser.set_window_size(1280, 900)
        graph = rect(browser, "graph-box")
        assert browser.execute_script("return document.querySelector('aside').getBoundingClientRect().left") == (
            pytest.approx(graph["right"], abs=1)  # a wide window keeps the panel beside the graph
        )
    finally:
        browser.set_window_size(1280, 900)


def test_a_long_name_in_a_step_wraps_inside_its_panel(browser, tmp_path):
    model = MLP(2, [1], rng=random.Random(1))
    long = "input_" + "abcdefghij" * 8  # no space to break at
    recording = record_training(model, [0.5, 0.25], [0.7], 0.1, 2, input_names=[long, "x2"])
    path, *_ = write(recording, tmp_path)
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    click(browser, "forth")
    assert long in panel(browser, "event")
    sizes = "const e = document.getElementById('event'); return [e.scrollWidth, e.clientWidth]"
    scrolled, width = browser.execute_script(sizes)
    assert scrolled <= width  # it ran 170 px past the panel's border


def test_a_pan_selects_no_text_and_cannot_lose_the_drawing(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    path, *_ = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())
    network = browser.find_element("id", "network-box")
    for _ in range(4):
        ActionChains(browser).move_to_element(network).click_and_hold().move_by_offset(-600, -300).release().perform()
    assert browser.execute_script("return getSelection().toString()") == ""
    box, drawing = rect(browser, "network-box"), rect(browser, "network-drawing")
    overlap = min(box["right"], drawing["right"]) - max(box["left"], drawing["left"])
    assert overlap >= box["width"] / 2 - 1  # the view's centre stays on the drawing


def test_a_page_loaded_out_of_sight_centres_its_numbers_when_it_is_shown(browser, tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    path, *_ = write(mazur_recording(), tmp_path)
    where = (
        "const el = document.querySelector('#network-box [data-centred]'), r = el.getBoundingClientRect(), "
        "d = document.getElementById('network-drawing').getBoundingClientRect(); "
        "return [el.id, ((r.left + r.right) / 2 - d.left) / d.width, el.getAttribute('text-anchor')]"
    )
    browser.get(path.as_uri())
    shown = browser.execute_script(where)
    open_in_a_cell(browser, tmp_path, path, "width: 1280px; height: 900px", collapsed=True)
    WebDriverWait(browser, 3).until(lambda b: b.execute_script("return document.readyState") == "complete")
    browser.switch_to.default_content()
    browser.execute_script("document.getElementById('out').hidden = false")  # the output expanded
    browser.switch_to.frame("cell")
    try:
        WebDriverWait(browser, 3).until(lambda b: b.execute_script(where)[2] == "middle")
        later = browser.execute_script(where)
        assert later[0] == shown[0] and later[1] == pytest.approx(shown[1], abs=0.002)  # as when loaded on screen
    finally:
        browser.switch_to.default_content()


def test_a_title_and_names_that_would_read_turned_around_or_broken_are_written_out(browser, tmp_path):
    ex = mazur()
    ex.weights["w5"].label = "w\u202e5\nx"  # drawn raw: "w", then "x" and "5" turned around, on two lines
    recording = record_training(
        ex.model, ex.inputs, ex.targets, ex.lr, 3, frozen=ex.frozen, input_names=["i\u202e1", "i2"],
        title="loss \u202eevil\u200b",
    )  # fmt: skip
    path, _page, data = write(recording, tmp_path)
    browser.get(path.as_uri())
    assert browser.find_element("tag name", "h1").text == browser.title == "loss \\u202eevil\\u200b"
    picked = [p["name"] for p in data["graph"]["params"] if p["name"].startswith("w\\u202e")]
    assert picked == ["w\\u202e5\\nx"]
    names = data["live"]["names"]
    assert "w\\u202e5\\nx" in names["params"] and names["inputs"] == ["i\\u202e1", "i2"]
