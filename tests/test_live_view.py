import json
import random
import re
import time
from dataclasses import asdict

import pytest
from selenium.webdriver.support.ui import Select

from nn import MLP, record_training, write_html
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


def worked_example_recording():
    ex = worked_example()
    return record_training(ex.model, ex.inputs, ex.targets, ex.lr, 30, input_names=ex.input_names)


def mlp_recording():
    model = MLP(3, [4, 4, 1], activation="tanh", last_activation="tanh", rng=random.Random(2))
    return record_training(model, [0.5, -1.0, 2.0], [0.5], 0.05, 20)


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
        f"forward, {len(forward)} of {len(forward)}: E = Σ ½(t−o)²(o1, o2) = 0.2984"
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


def test_picking_a_parameter_shows_its_paths_and_derivation(browser, tmp_path):
    path, *_ = write(mazur_recording(), tmp_path)
    browser.get(path.as_uri())
    click(browser, "tab-graph")
    Select(browser.find_element("id", "pick")).select_by_visible_text("w5")
    text = panel(browser, "derivation")
    assert text.startswith("dE/dw5 = dE/do1 × do1/dnet_o1 × dnet_o1/dw5\n    = 0.7414 × 0.1868 × 0.5933 = 0.08217")
    assert text.endswith("(backward() leaves grad 0.08217 in w5)")
    picked = browser.find_elements("css selector", "g.edge.picked")
    assert len(picked) == 3 * 3  # E <- o1 <- net_o1 <- w5: three edges, each in, out, and its op's edge to its value
    Select(browser.find_element("id", "pick")).select_by_visible_text("b1")
    text = panel(browser, "derivation")
    assert text.startswith("dE/db1, summed over 4 paths:")
    assert text.count("\n+ ") == 3


@pytest.mark.parametrize("make", [mazur_recording, worked_example_recording, mlp_recording])
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
    click(browser, "zoom-in", 3)
    check("graph, zoomed in")
    Select(browser.find_element("id", "pick")).select_by_index(1)
    check("graph, zoomed in, a parameter picked")
    click(browser, "zoom-fit")
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
    assert any(re.fullmatch(rf"dE/dw5 {re.escape(payload)} -?0\.\d+", t) for t in texts), texts  # then the number
