"""Editing the live page and training from any state, in headless Chromium, checked number by number
against the engine recomputed in Python at the same point."""

import math
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from autograd import Value
from bench.live_edit import edit_times
from nn import (
    MLP,
    SGD,
    Layer,
    Made,
    Neuron,
    Recorder,
    binary_cross_entropy,
    cross_entropy,
    record_training,
    squared_error,
)
from nn.recorder import Frame, Recording
from tests.test_live_view import (
    LAYOUT_PROBLEMS,
    bias_weight_recording,
    click,
    hostile_recording,
    inside,
    mazur_recording,
    mlp_recording,
    press,
    rect,
    tied_recording,
    write,
)

Loss = Callable[[Sequence[Value], Sequence[float]], Value]
LISTS = ("data", "grad", "local", "out", "out_grad", "value", "pgrad", "share")

# Every number slot of both drawings and the readout, with the text around its number.
SLOTS = """
const slots = [];
for (const [view, quantities] of Object.entries(arguments[0])) {
  if (view === "readout") continue;
  for (const [quantity, ids] of Object.entries(quantities)) {
    ids.forEach((id, i) => {
      const el = document.getElementById(id);
      slots.push([view, quantity, i, el.textContent, el.dataset.before, el.dataset.after]);
    });
  }
}
return slots;
"""


class State:
    """The numbers a page's state is made of, kept in Python: each parameter, input and target."""

    def __init__(self, recording: Recording, frame: int = 0) -> None:
        self.recording = recording
        self.names = [p.label for p in recording.model.parameters()]
        self.values = list(recording.frames[frame].value)
        self.inputs = list(recording.inputs)
        self.targets = list(recording.targets or [])

    def set(self, name: str, x: float) -> None:
        if name in self.names:
            self.values[self.names.index(name)] = x
        elif name in self.recording.input_names:
            self.inputs[self.recording.input_names.index(name)] = x
        else:
            self.targets[int(name.removeprefix("target o")) - 1] = x

    def frame(self, loss: Loss = squared_error, named: bool = True) -> Frame:
        """The engine's numbers at this state, as the recorder takes them: the inputs as named Values (as
        record_training gives them) or as plain numbers."""
        model = self.recording.model
        for p, x in zip(model.parameters(), self.values, strict=True):
            p.data = x
        names = self.recording.input_names
        inputs = [Value(x, label=n) for x, n in zip(self.inputs, names, strict=True)] if named else self.inputs
        made: Made = {}
        error = loss(model.forward(inputs, made=made), self.targets)
        model.zero_grad()
        error.backward()
        recorder = Recorder(model, self.inputs, 1, frozen=self.recording.frozen)
        recorder.record(0, error, made)
        return recorder.recording.frames[0]


def close(page: Sequence[float], engine: Sequence[float], what: str) -> None:
    assert len(page) == len(engine), what
    for i, (a, b) in enumerate(zip(page, engine, strict=True)):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300), f"{what}[{i}]: page {a!r}, engine {b!r}"


def page_frame(browser) -> dict[str, Any]:
    return dict(browser.execute_script("return window.chainrule.frame()"))


def check_numbers(browser, data, expected: Frame, where: str) -> dict[str, Any]:
    """Every unrounded number of the page against the engine's, and every slot's text against the page's
    formatting of its number (Python's f"{x:.4g}", as the page writes them)."""
    shown = page_frame(browser)
    assert math.isclose(shown["loss"], expected.loss, rel_tol=1e-12), where
    for name in LISTS:
        close(shown[name], getattr(expected, name), f"{where}: {name}")
    flows = [shown["local"][e] * shown["grad"][edge["parent"]] for e, edge in enumerate(data["graph"]["edges"])]
    phase = browser.execute_script("return document.querySelector('input[name=phase]:checked').value")
    numbers = {
        ("graph", "data"): shown["data"], ("graph", "grad"): shown["grad"], ("graph", "flow"): flows,
        ("network", "x"): shown.get("inputs") or data["inputs"], ("network", "value"): shown["value"],
        ("network", "grad"): shown["pgrad"], ("network", "share"): shown["share"],
        ("network", "out"): shown["out"] if phase == "forward" else shown["out_grad"],
        ("network", "out_grad"): shown["out"] if phase == "forward" else shown["out_grad"],
    }  # fmt: skip
    for view, quantity, i, text, before, after in browser.execute_script(SLOTS, data["slots"]):
        assert text == f"{before}{numbers[view, quantity][i]:.4g}{after}", (where, view, quantity, i)
    assert browser.find_element("id", "loss").text == f"{shown['loss']:.4g}", where
    return shown


def no_overlaps(browser, where: str) -> None:
    result = browser.execute_script(LAYOUT_PROBLEMS)
    assert result["texts"] > 20 and result["problems"] == [], where


def open_page(browser, recording: Recording, tmp_path, graph_at_end: bool = True) -> dict[str, Any]:
    path, _page, data = write(recording, tmp_path)
    browser.get(path.as_uri())
    if graph_at_end:
        click(browser, "tab-graph")
        click(browser, "end")
        click(browser, "tab-network")
    return dict(data)


def live_points(browser) -> int:
    """How many points the chart's curve of the steps trained on the page has."""
    return len(browser.find_element("css selector", "#chart .live-curve").get_attribute("points").split())


def said(browser, element_id: str) -> str:
    """An element's text as one line."""
    return " ".join(browser.find_element("id", element_id).text.split())


def names(browser) -> list[str]:
    return list(browser.execute_script("return window.chainrule.names()"))


def chainrule_set(browser, name: str, x: object) -> None:
    browser.execute_script("window.chainrule.set(arguments[0], arguments[1])", name, x)


def get(browser, name: str) -> dict[str, Any]:
    return dict(browser.execute_script("return window.chainrule.get(arguments[0])", name))


@pytest.mark.parametrize("make", [mazur_recording, mlp_recording, tied_recording, bias_weight_recording])
def test_random_edits_recompute_every_number_as_the_engine_does(browser, tmp_path, make):
    recording = make()
    data = open_page(browser, recording, tmp_path)
    state = State(recording)
    check_numbers(browser, data, state.frame(), "the recording's first frame, read from the page")
    editable = names(browser)
    params = [p.label for p in recording.model.parameters()]
    assert editable == [*recording.input_names, *params, *(f"target o{k + 1}" for k in range(len(state.targets))), "lr"]
    rng = random.Random(7)
    for k in range(8):
        name = rng.choice([n for n in editable if n != "lr"])
        x = round(get(browser, name)["data"] + rng.uniform(-0.8, 0.8), rng.randrange(2, 8))
        chainrule_set(browser, name, x)
        state.set(name, x)
        expected = state.frame()
        where = f"edit {k}: {name} = {x}"
        assert get(browser, name)["data"] == x, where
        for p, label in enumerate(params):
            got = get(browser, label)
            assert got == {"data": pytest.approx(expected.value[p], rel=1e-12),
                           "grad": pytest.approx(expected.pgrad[p], rel=1e-12, abs=1e-300)}, where  # fmt: skip
        check_numbers(browser, data, expected, f"{where}, the network view")
        assert browser.find_element("id", "edited").text.startswith("edited — not the recording")
        if k % 3 == 0:
            no_overlaps(browser, f"{where}, the network view")
            click(browser, "tab-graph")
            no_overlaps(browser, f"{where}, the graph view")
            click(browser, "tab-network")
    input_grad = get(browser, recording.input_names[0])["grad"]  # the inputs are leaves: dE/dx is there
    node = next(i for i, n in enumerate(data["graph"]["nodes"]) if n["name"] == recording.input_names[0])
    assert input_grad == page_frame(browser)["grad"][node]
    assert get(browser, "lr") == {"data": recording.lr, "grad": None}
    assert get(browser, names(browser)[-2])["grad"] is None  # a target has no gradient here


def test_the_page_shows_an_edit_in_the_chain_rule_text_and_the_picked_path(browser, tmp_path):
    recording = mazur_recording()
    open_page(browser, recording, tmp_path)
    chainrule_set(browser, "w5", 0.9)
    chainrule_set(browser, "target o1", 0.2)
    state = State(recording)
    state.set("w5", 0.9)
    state.set("target o1", 0.2)
    expected = state.frame()
    w5 = [p.label for p in recording.model.parameters()].index("w5")
    click(browser, "tab-graph")
    from tests.test_live_view import panel, select

    select(browser, "pick").select_by_visible_text("w5")
    derivation = panel(browser, "derivation")
    assert derivation.endswith(f"(backward() leaves grad {expected.pgrad[w5]:.4g} in w5)")
    assert f"dE/dw5 = {expected.pgrad[w5]:.4g}" in derivation
    assert len(browser.find_elements("css selector", "g.edge.picked")) == 9
    assert panel(browser, "event").startswith("backward, 9 of 9")
    assert browser.find_element("id", "field-target o1").text == "0.2"


def test_the_editor_follows_its_number_as_the_view_moves_and_a_button_closes_it(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    recording = mazur_recording()
    open_page(browser, recording, tmp_path)
    editor = browser.find_element("id", "editor")
    labels = [p.label for p in recording.model.parameters()]
    w5 = browser.find_element("id", f"network-value-{labels.index('w5')}")
    w5.click()
    network = browser.find_element("id", "network-box")
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(w5), 0, -60).perform()  # a zoom about w5
    at, number = editor.rect, w5.rect
    assert editor.is_displayed() and (at["x"], at["y"]) == pytest.approx((number["x"] - 4, number["y"] - 4), abs=1.5)
    for _ in range(3):
        ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(network, -300, -100), 0, -300).perform()
    assert not editor.is_displayed()  # w5 went out of view: the editor closed, w5 unchanged
    assert get(browser, "w5")["data"] == 0.4
    click(browser, "network-zoom-fit")
    w1 = labels[0]
    browser.find_element("id", "network-value-0").click()
    assert editor.is_displayed()
    click(browser, "train-step")  # w1 changes under the editor: a button closes it
    trained = get(browser, w1)["data"]
    assert not editor.is_displayed() and trained != 0.15
    press(browser, "ENTER")  # no editor to set w1 back to the number it showed
    assert get(browser, w1)["data"] == trained


def test_a_view_is_panned_by_the_primary_button_only_and_a_wobbling_click_keeps_it_fitted(browser, tmp_path):
    open_page(browser, mazur_recording(), tmp_path)
    shown = "return document.querySelector('#network-box svg').getAttribute('viewBox')"
    fitted = browser.execute_script(shown)
    box = rect(browser, "network-box")
    x, y = box["left"] + 20, box["bottom"] - 20

    def mouse(kind: str, at_x: float, button: str = "left") -> None:
        event = {"type": kind, "x": at_x, "y": y, "button": button, "clickCount": 1}
        browser.execute_cdp_cmd("Input.dispatchMouseEvent", event)

    for button in ("right", "middle"):
        mouse("mousePressed", x, button)
        mouse("mouseMoved", x + 80, button)
        mouse("mouseReleased", x + 80, button)
        assert browser.execute_script(shown) == fitted, button  # no pan
    mouse("mousePressed", x)
    mouse("mouseMoved", x + 1)  # a hand's wobble: a click, not a pan
    mouse("mouseReleased", x + 1)
    assert browser.execute_script(shown) == fitted
    browser.set_window_size(1000, 800)
    try:
        assert inside(rect(browser, "network-drawing"), rect(browser, "network-box"))  # fitted again
    finally:
        browser.set_window_size(1280, 900)


def test_a_number_is_edited_by_clicking_and_typing_dragging_and_keys(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    recording = mazur_recording()
    data = open_page(browser, recording, tmp_path)
    state = State(recording)
    labels = [p.label for p in recording.model.parameters()]
    w5 = browser.find_element("id", f"network-value-{labels.index('w5')}")
    w5.click()
    editor = browser.switch_to.active_element
    assert editor.get_attribute("id") == "editor" and editor.get_attribute("value") == "0.4"
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("0.65", Keys.ENTER)
    state.set("w5", 0.65)
    assert not browser.find_element("id", "editor").is_displayed()
    check_numbers(browser, data, state.frame(), "w5 typed")
    assert w5.text.strip() == "0.65"

    i1 = browser.find_element("id", "network-x-0")
    i1.click()
    editor = browser.switch_to.active_element
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("7", Keys.ESCAPE)  # Escape: nothing changes
    assert get(browser, "i1")["data"] == 0.05 and not browser.find_element("id", "editor").is_displayed()
    i1.click()
    editor = browser.switch_to.active_element
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("one", Keys.ENTER)  # not a number: said so, and the editor stays open
    assert browser.find_element("id", "edit-error").text == (
        'Not changed: i1 needs a number, got "one". The page keeps the numbers it had.'
    )
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("-2.5e-1", Keys.ENTER)
    state.set("i1", -0.25)
    assert not browser.find_element("id", "edit-error").is_displayed()
    check_numbers(browser, data, state.frame(), "i1 typed")

    w1 = browser.find_element("id", f"network-value-{labels.index('w1')}")
    before = get(browser, "w1")["data"]
    ActionChains(browser).move_to_element(w1).click_and_hold().move_by_offset(60, 0).release().perform()
    dragged = get(browser, "w1")["data"]
    assert dragged == pytest.approx(before + 60 * max(abs(before), 0.1) * 0.005, rel=0.05)  # 0.5% of its size a px
    assert not browser.find_element("id", "editor").is_displayed()  # a drag is not a click
    state.set("w1", dragged)
    check_numbers(browser, data, state.frame(), "w1 dragged")

    lr = browser.find_element("id", "field-lr")
    browser.execute_script("arguments[0].focus()", lr)
    lr.send_keys(Keys.ENTER)
    editor = browser.switch_to.active_element
    assert editor.get_attribute("id") == "editor"
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("0.25", Keys.ENTER)
    assert get(browser, "lr")["data"] == 0.25 and lr.text == "0.25"
    target = browser.find_element("id", "field-target o2")
    browser.execute_script("arguments[0].focus()", target)
    target.send_keys(Keys.ARROW_UP)
    nudged = get(browser, "target o2")["data"]
    assert nudged == pytest.approx(0.99 + 10 * 0.99 * 0.005)
    state.set("target o2", nudged)
    check_numbers(browser, data, state.frame(), "target o2 nudged")

    click(browser, "tab-graph")  # in the graph view, a leaf's data
    w2 = next(i for i, n in enumerate(data["graph"]["nodes"]) if n["name"] == "w2")
    browser.find_element("id", f"graph-data-{w2}").click()
    editor = browser.switch_to.active_element
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("-1", Keys.ENTER)
    state.set("w2", -1.0)
    check_numbers(browser, data, state.frame(), "w2 typed in the graph view")
    no_overlaps(browser, "the graph view, edited through the page")
    assert browser.find_element("id", "prev").get_attribute("disabled") == "true"  # no recorded step while edited
    assert browser.find_element("id", "slider").get_attribute("disabled") == "true"


def test_training_from_here_is_sgd_step_for_step(browser, tmp_path):
    recording = mazur_recording(steps=60, max_frames=60)  # every step a frame
    data = open_page(browser, recording, tmp_path)
    frames = data["frames"]
    click(browser, "next", 3)
    assert frames[4]["step"] == frames[3]["step"] + 1
    browser.execute_script("window.chainrule.step(1)")  # unedited, one step on is the recording's next frame
    shown = page_frame(browser)
    assert shown["step"] == frames[4]["step"]
    for name in LISTS:
        close(shown[name], frames[4][name], f"one step from frame 3: {name}")
    assert browser.find_element("id", "edited").text == (
        f"trained — not the recording (from recorded step {frames[3]['step']}; 1 step trained here)"
    )

    chainrule_set(browser, "w3", 0.8)
    chainrule_set(browser, "lr", 0.3)
    state = State(recording, 4)  # where the page's step went, then edited
    state.set("w3", 0.8)
    points = live_points(browser)
    browser.execute_script("window.chainrule.step(50)")
    params = recording.model.parameters()
    optimizer = SGD(params, 0.3, frozen=recording.frozen)
    for _ in range(50):
        state.frame()  # the parameters set to the state's, and their gradients taken
        optimizer.step()
        state.values = [p.data for p in params]
    expected = check_numbers(browser, data, state.frame(), "50 steps from an edited state")
    assert expected["step"] == frames[3]["step"] + 51
    assert live_points(browser) == points + 50
    no_overlaps(browser, "trained from here, the network view")

    click(browser, "reset")
    assert page_frame(browser) == dict(frames[3], edited=False)  # the recorded frame, as it was
    assert not browser.find_element("id", "edited").is_displayed()
    assert live_points(browser) == 0
    assert browser.find_element("id", "slider").get_attribute("disabled") is None
    assert get(browser, "lr")["data"] == 0.5


def test_training_past_the_recordings_last_step_extends_the_charts_axis(browser, tmp_path):
    recording = mazur_recording(steps=200, max_frames=50)
    open_page(browser, recording, tmp_path, graph_at_end=False)

    press(browser, "END")
    ticks = (
        "return [...document.querySelectorAll('#chart text.tick[text-anchor=middle]')]"
        ".filter((t) => t.getClientRects().length).map((t) => t.textContent)"
    )
    assert browser.execute_script(ticks) == ["0", "50", "100", "150"]
    click(browser, "train-step")
    assert page_frame(browser)["step"] == 200
    browser.execute_script("window.chainrule.step(150)")
    assert page_frame(browser)["step"] == 350
    assert browser.execute_script(ticks) == ["0", "100", "200", "300"]  # the axis now runs to 398, ticked anew
    marker = float(browser.find_element("id", "marker").get_attribute("cx"))
    right = float(browser.find_element("css selector", "#chart .plot").get_attribute("x")) + float(
        browser.find_element("css selector", "#chart .plot").get_attribute("width")
    )
    assert marker < right
    no_overlaps(browser, "the chart extended")
    click(browser, "train-play")
    time.sleep(0.4)
    click(browser, "train-play")
    assert page_frame(browser)["step"] > 350
    assert browser.find_element("id", "train-play").text == "train ▶"
    press(browser, "ESCAPE")  # back to the recording, its axis too
    assert browser.execute_script(ticks) == ["0", "50", "100", "150"]
    assert not browser.find_element("id", "edited").is_displayed()


def test_bad_edits_are_refused_in_words_and_change_nothing(browser, tmp_path):
    recording = mazur_recording()
    open_page(browser, recording, tmp_path)
    before = page_frame(browser)
    refusals = [
        ('"w9", 1', 'no number on this page is named "w9"; chainrule.names\\(\\) lists them'),
        ('"w5", NaN', "w5 needs a finite number, got NaN"),
        ('"w5", -Infinity', "w5 needs a finite number, got -Infinity"),
        ('"w5", "0.5"', 'w5 needs a finite number, got "0.5"'),
        ('"lr", -0.1', "the learning rate must be positive, got -0.1"),
    ]
    for arguments, message in refusals:
        with pytest.raises(Exception, match=message):
            browser.execute_script(f"window.chainrule.set({arguments})")
    assert page_frame(browser) == before
    for steps, message in [("'3'", 'got "3"'), ("2.5", "got 2.5"), ("-1", "got -1")]:
        with pytest.raises(Exception, match=f"step\\(n\\) needs a whole number of steps, {message}\n"):
            browser.execute_script(f"window.chainrule.step({steps})")
    assert page_frame(browser) == before
    model = MLP(2, [1], last_activation="sigmoid", rng=random.Random(0))
    bce = record_training(model, [1.0, 2.0], [1.0], 0.1, 3, loss=binary_cross_entropy)
    open_page(browser, bce, tmp_path)
    before = page_frame(browser)
    with pytest.raises(Exception, match=r"binary_cross_entropy needs probabilities strictly between 0 and 1, got 1.0"):
        chainrule_set(browser, "b1[1]", 100.0)
    error = browser.find_element("id", "edit-error").text
    assert error.startswith("Not changed: binary_cross_entropy needs probabilities strictly between 0 and 1")
    assert error.endswith("(at E, the binary_cross_entropy op). The page keeps the numbers it had.")
    assert page_frame(browser) == before
    chainrule_set(browser, "b1[1]", 1.0)
    assert not browser.find_element("id", "edit-error").is_displayed()


def test_what_a_recording_does_not_hold_is_not_editable_and_the_page_says_why(browser, tmp_path):
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(3))
    recorder = Recorder(model, [0.5, -0.5], 4)  # no targets, no learning rate; the inputs plain numbers
    optimizer = SGD(model.parameters(), 0.1)
    for step in range(4):
        made: Made = {}
        loss = squared_error(model.forward([0.5, -0.5], made=made), [0.3])
        optimizer.zero_grad()
        loss.backward()
        recorder.record(step, loss, made)
        optimizer.step()
    data = open_page(browser, recorder.recording, tmp_path)
    assert names(browser) == ["x1", "x2", *(p.label for p in model.parameters())]
    assert said(browser, "targets-field") == "targets: not recorded (Recorder(..., targets=...))"
    assert (
        said(browser, "rate-field") == "learning rate: not recorded (Recorder(..., lr=...)), so the page cannot train"
    )
    assert not browser.find_element("id", "train-step").is_displayed()
    with pytest.raises(Exception, match=r"the page cannot train: its learning rate was not recorded \(Recorder"):
        browser.execute_script("window.chainrule.step(1)")
    chainrule_set(browser, "x2", 0.25)  # an input held as a constant of each first-layer w·x + b
    state = State(recorder.recording)
    state.inputs = [0.5, 0.25]
    state.targets = [0.3]
    check_numbers(browser, data, state.frame(named=False), "x2 edited, a constant of two dot nodes")

    logits = MLP(2, [3], activation="linear", rng=random.Random(4))
    classes = record_training(logits, [0.5, 1.0], 2, 0.1, 2, loss=lambda z, y: cross_entropy(z, y[0]))  # type: ignore[arg-type]
    open_page(browser, classes, tmp_path)
    assert said(browser, "targets-field") == (
        "targets: the loss (cross_entropy) keeps no targets as plain numbers the page can change"
    )
    with pytest.raises(Exception, match=r"target 1 cannot be changed on this page: the loss \(cross_entropy\)"):
        chainrule_set(browser, "target 1", 1.0)


@pytest.mark.parametrize("payload", ["</script><script>window.pwned = 1</script>", '" onmouseover="window.pwned = 1"'])
def test_a_hostile_label_is_a_name_like_any_other(browser, tmp_path, payload):
    open_page(browser, hostile_recording(payload), tmp_path)
    assert f"w5 {payload}" in names(browser) and f"i1 {payload}" in names(browser)
    chainrule_set(browser, f"w5 {payload}", 0.3)
    assert get(browser, f"w5 {payload}")["data"] == 0.3
    click(browser, "tab-graph")
    assert browser.execute_script("return window.pwned === undefined")


@pytest.mark.parametrize(("make", "name"), [(mazur_recording, "w5"), (mlp_recording, "w2[1,1]")])
def test_how_long_an_edit_takes_to_recompute_and_repaint(browser, tmp_path, make, name):
    """Printed for the README (python -m bench.live_edit prints the spread over runs); not asserted."""
    open_page(browser, make(), tmp_path, graph_at_end=False)
    for view in ("network", "graph"):
        times = sorted(edit_times(browser, name, 30, view))
        print(f"{make.__name__}, {view} view: an edit of {name}: median {times[15]:.2f} ms, slowest {times[-1]:.2f}")
    assert len(times) == 30


def test_keys_train_and_go_back_and_the_edited_graph_still_fits(browser, tmp_path):

    recording = mazur_recording(steps=60, max_frames=60)
    open_page(browser, recording, tmp_path)
    press(browser, "t")  # one step of training from the recorded step 0
    assert page_frame(browser)["step"] == 1 and page_frame(browser)["edited"]
    press(browser, "ARROW_RIGHT")  # the recorded run's keys wait while the page shows its own state
    assert page_frame(browser)["step"] == 1
    press(browser, " ")  # space trains on, and pauses
    time.sleep(0.3)
    press(browser, " ")
    trained = page_frame(browser)["step"]
    assert trained > 1 and browser.find_element("id", "train-play").text == "train ▶"
    time.sleep(0.1)
    assert page_frame(browser)["step"] == trained  # paused
    chainrule_set(browser, "w1", 2.5)
    click(browser, "tab-graph")
    click(browser, "graph-zoom-in", 3)
    no_overlaps(browser, "edited, the graph zoomed in")
    press(browser, "0")
    assert inside(rect(browser, "graph-drawing"), rect(browser, "graph-box"))
    no_overlaps(browser, "edited, the graph fitted")
    press(browser, "ESCAPE")
    recorded = "return JSON.parse(document.getElementById('recording').textContent).frames[0]"
    assert page_frame(browser) == dict(browser.execute_script(recorded), edited=False)
    press(browser, "ARROW_RIGHT")
    assert page_frame(browser)["step"] == 0  # the graph view's keys step its events, not the run


def test_a_loss_trained_to_zero_on_a_log_axis_keeps_the_live_curve_finite(browser, tmp_path):
    model = MLP.from_layers([Layer.from_neurons([Neuron.from_values([0.0], 0.0, "linear", name="o1")])])
    recording = record_training(model, [1.0], [0.5], 0.1, 30)  # the loss falls over decades: a log axis
    data = open_page(browser, recording, tmp_path, graph_at_end=False)
    assert data["chart"]["scale"]["log"]
    chainrule_set(browser, "b1[1]", 0.5)  # the output is the target: a loss of 0, below any log axis
    click(browser, "train-step")
    assert page_frame(browser)["loss"] == 0.0
    points = browser.find_element("css selector", "#chart .live-curve").get_attribute("points")
    assert points and len(points.split()) == 2 and "Infinity" not in points and "NaN" not in points
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []


def test_the_marker_of_a_step_trained_past_the_axis_is_on_the_extended_axis_at_once(browser, tmp_path):

    open_page(browser, mazur_recording(steps=20, max_frames=20), tmp_path, graph_at_end=False)
    press(browser, "END")
    click(browser, "train-step")  # step 20, past the recorded axis's last step, 19
    assert page_frame(browser)["step"] == 20
    plot = browser.find_element("css selector", "#chart .plot")
    right = float(plot.get_attribute("x")) + float(plot.get_attribute("width"))
    marker = float(browser.find_element("id", "marker").get_attribute("cx"))
    last_point = browser.find_element("css selector", "#chart .live-curve").get_attribute("points").split()[-1]
    assert marker < right and marker == pytest.approx(float(last_point.split(",")[0]), abs=0.1)
