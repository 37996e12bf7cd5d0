"""The live backprop view: one self-contained HTML page over a recorded training run.

    write_html(recorder.recording, "training.html")

The page has two views. The network view steps through the recorded training run (next,
previous, play, a slider): each weight and dE/dw on its edge, biases with their value and dE/db,
neuron outputs (forward phase) or dE/d(output) (backward phase), and the loss curve with the
current step marked. The computation graph view walks one step's forward pass node by node and
its backward pass node by node in reverse, writing each chain-rule update out with numbers; pick
a parameter and every path from the loss to it is highlighted, with explain's derivation.

In both views the reader can change any input, weight and bias, and the targets and the learning
rate where the recording has them (click a number and type, or drag it), and train on from any
state: the page recomputes every number with the loss's forward and backward pass, written as
JavaScript by autograd.javascript from the ops' records. `window.chainrule` is the same editing
as a small API for scripts and tests (names, get, set, step, reset, frame).

Layouts come from Graphviz at write time: the same draw_graph and draw_network as the picture
files, rendered to SVG. What the page's data holds and which element shows each number is
nn.page_data's contract; the page's script swaps numbers, highlights, zooms and pans, and runs
the generated backprop for edited states. The page needs no network and no server.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

from autograd import Value, topological_order
from autograd.draw import MAX_NODES, Drawing, draw_graph, escape
from autograd.labels import on_one_line
from autograd.notation import in_derivative
from nn.chart import loss_chart
from nn.draw import MAX_EDGES, draw_network
from nn.page_data import (
    Slots,
    chart_data,
    drawn_with_slots,
    frames_data,
    graph_data,
    live_data,
    named_numbers,
    network_data,
)
from nn.recorder import Recorder, Recording

TEMPLATE = Path(__file__).with_name("live_view.html")
GRAPH_DIRECTION = "TB"  # top to bottom: a page is taller than it is wide
READOUT = {"loss": "loss", "step": "step"}  # the ids of the template's step and error readout
PLACEHOLDER = re.compile(r"__(?:TITLE|GRAPH|NETWORK|CHART|LEGEND|DATA|BACKPROP)__")


def script_json(data: object) -> str:
    """JSON to put inside <script type="application/json">: every <, > and & written as a \\u escape
    (JSON.parse reads them back), so that no user string can end the script (</script>) or change how
    the browser reads it (<!--)."""
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def write_html(recording: Recording, path: str | Path, max_edges: int = MAX_EDGES, max_nodes: int = MAX_NODES) -> Path:
    """Write the page; it opens from disk in any browser.

    A NaN or infinity in the recording is an error naming it; so is a model with more than
    `max_edges` connections, whose numbers would be too many to read (as in draw_network), and a
    loss whose graph has more than `max_nodes` values (a batch of many examples): the graph view
    draws every value, and the page holds each one's numbers at every frame.
    """
    if not isinstance(recording, Recording):
        hint = ": pass recorder.recording" if isinstance(recording, Recorder) else ""
        raise TypeError(f"write_html() takes a Recording, got {type(recording).__name__}{hint}")
    _check_finite(recording)
    order = topological_order(recording.root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the loss's graph has {len(order):,} values, more than max_nodes={max_nodes}: the graph view draws "
            f"each one and the page holds its numbers at every recorded step. Record a smaller batch or fewer "
            f"steps, or pass max_nodes={len(order)} to write_html to draw it anyway"
        )
    program, live = live_data(recording, order)
    network_svg, network = _network_view(recording, max_edges)
    graph_svg, graph = _graph_view(recording, order, named_numbers(program, live))
    chart_svg, scale = loss_chart(recording.curve, recording.steps)
    data = {
        "title": recording.title,
        "inputs": recording.inputs,
        "steps": recording.steps,
        "frames": frames_data(recording.frames),
        "slots": {
            "graph": graph.pop("slots"),
            "network": network.pop("slots"),
            "readout": {"loss": "loss", "step": "step"},
        },
        "graph": graph,
        "network": network,
        "chart": chart_data(scale, recording.frames),
        "live": live,
    }
    parts = {
        "__TITLE__": html.escape(on_one_line(recording.title)),  # U+202E would turn the title around
        "__GRAPH__": graph_svg,
        "__NETWORK__": network_svg,
        "__CHART__": chart_svg,
        "__LEGEND__": html.escape(str(network["width"]["legend"])),  # type: ignore[index]
        "__DATA__": script_json(data),
        "__BACKPROP__": program.source,  # names made by autograd.javascript, strings with "<" escaped
    }
    # One pass over the template: a part is never searched again, so user text that reads
    # __DATA__ (in a title or a label) stays text.
    _check_script(program.source)
    page = PLACEHOLDER.sub(lambda found: parts[found.group(0)], TEMPLATE.read_text(encoding="utf-8"))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8", errors="backslashreplace")  # a lone surrogate as \\ud83d
    return target


def _check_script(source: str) -> None:
    """The generated code goes into a <script> element as it is: nothing in it may end the element or
    start a comment there (autograd.javascript makes names from indices and escapes "<" in strings)."""
    lowered = source.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("the generated backprop holds </script or <!--, which would end its <script> element")


def _graph_view(
    recording: Recording, order: list[Value], numbers: Mapping[int, Mapping[int, str]]
) -> tuple[str, dict[str, object]]:
    """The graph view's drawing and data, its nodes indexed by `order` (as live_data's and `numbers`' are)."""

    def draw(slots: Slots) -> Drawing:
        params = recording.model.parameters()
        return draw_graph(
            recording.root, params, max_nodes=len(order), rankdir=GRAPH_DIRECTION, text=slots, stacked=True
        )

    _, svg, slots = drawn_with_slots("graph", draw)
    svg = slots.mark(_named_group(svg, "graph"))
    graph = graph_data(recording, order, numbers)
    return svg, graph | {"slots": slots.ids()}


def _output_derivative(neuron: str) -> str:
    """dE/dh1 over a neuron's output in the backward phase; dE/d(hidden one) for a name that is no plain name,
    as explain() writes it, and dE/d(output) for a neuron without a name."""
    return f"dE/d{in_derivative(neuron)}" if neuron else "dE/d(output)"


def _network_view(recording: Recording, max_edges: int) -> tuple[str, dict[str, object]]:
    neurons = [n.name for layer in recording.model.layers for n in layer.neurons]

    def draw(slots: Slots) -> Drawing:
        def text(quantity: str, index: int, x: float) -> str:
            token = slots(quantity, index, x)
            return f"{escape(_output_derivative(neurons[index]))}<br/>{token}" if quantity == "out" else token

        return draw_network(
            recording.model, recording.inputs, recording.input_names, made=recording.made, frozen=recording.frozen,
            max_edges=max_edges, text=text,
        )  # fmt: skip

    _, svg, slots = drawn_with_slots("network", draw)
    svg = slots.mark(_named_group(svg, "network"))
    found = slots.ids()
    return svg, network_data(recording) | {"slots": found | {"out_grad": found["out"]}}


def _named_group(svg: str, view: str) -> str:
    """The SVG with its drawing's group given the id "{view}-drawing" (Graphviz calls both drawings' "graph0")."""
    return svg.replace('<g id="graph0" class="graph"', f'<g id="{view}-drawing" class="graph"', 1)


FRAME_NUMBERS = {  # what each of a frame's lists holds, in words
    "data": "the value of graph node",
    "grad": "the gradient of graph node",
    "local": "the local derivative of graph edge",
    "out": "the output of neuron",
    "out_grad": "dE/d(output) of neuron",
    "value": "the value of",
    "pgrad": "the gradient of",
    "share": "the share of shared-parameter edge",
}


def _check_finite(recording: Recording) -> None:
    if not recording.frames:
        raise ValueError("the recording has no frames: record at least one step")
    for frame in recording.frames:
        numbers = {"loss": [frame.loss], **frame.lists()}
        for key, listed in numbers.items():
            for i, x in enumerate(listed):
                if not math.isfinite(x):
                    raise ValueError(
                        f"the recording holds {x} at step {frame.step}: {_which(recording, key, i)}; "
                        "a page cannot show it (detect_anomaly() finds the op that made it)"
                    )


def _which(recording: Recording, key: str, i: int) -> str:
    """A frame's number in words: "the gradient of w5", "the output of neuron h1", "the error"."""
    if key == "loss":
        return "the error"
    if key in ("value", "pgrad"):
        return f"{FRAME_NUMBERS[key]} {on_one_line(recording.model.parameters()[i].label)}"
    if key in ("out", "out_grad"):
        names = [n.name for layer in recording.model.layers for n in layer.neurons]
        return f"{FRAME_NUMBERS[key]} {on_one_line(names[i])}"
    return f"{FRAME_NUMBERS[key]} {i}"
