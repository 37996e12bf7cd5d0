"""The live backprop view: one self-contained HTML page over a recorded training run.

    write_html(recorder.recording, "training.html")

The page has two views. The network view steps through the recorded training run (next,
previous, play, a slider): each weight and dE/dw on its edge, biases with their value and dE/db,
neuron outputs (forward phase) or dE/d(output) (backward phase), and the loss curve with the
current step marked. The computation graph view walks one step's forward pass node by node and
its backward pass node by node in reverse, writing each chain-rule update out with numbers; pick
a parameter and every path from the loss to it is highlighted, with explain's derivation.

Layouts come from Graphviz at write time: the same draw_graph and draw_network as the picture
files, rendered to SVG with each number drawn as a token as wide as any number the page shows
(11 digits), then found in the SVG and marked for the page's script, which only swaps numbers
and highlights. The page needs no network and no server.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from pathlib import Path

from autograd import Value, explain, topological_order
from autograd.draw import draw_graph
from autograd.explain import stop_names
from autograd.notation import SPELLED, expression, symbol
from autograd.renderer import pipe
from nn.chart import loss_chart
from nn.draw import MAX_EDGES, THINNEST, WIDER, draw_network
from nn.recorder import Recording

TEMPLATE = Path(__file__).with_name("live_view.html")
TOKEN = re.compile(r"99(\d{7})")  # a number's place in a layout: 9 digits, as wide as any number shown
GRAPH_DIRECTION = "TB"  # top to bottom: a page is taller than it is wide
CENTRED = {"out", "x", "share", "flow"}  # slots alone on their line, centred where the token was
TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")


class Slots:
    """The numbers of one drawing: each drawn as a token, remembered as (quantity, index)."""

    def __init__(self, view: str) -> None:
        self.view = view
        self.places: list[tuple[str, int]] = []

    def __call__(self, quantity: str, index: int, _x: float) -> str:
        self.places.append((quantity, index))
        return f"99{len(self.places) - 1:07d}"

    def mark(self, svg: str) -> str:
        """The SVG with each token's <text> marked data-slot="view:quantity:index", with the text before
        and after the token; the script measures the token, then writes the numbers in between."""

        def marked(match: re.Match[str]) -> str:
            attributes, content = match.groups()
            tokens = [t for t in TOKEN.finditer(content) if int(t.group(1)) < len(self.places)]
            if not tokens:
                return match.group(0)
            token = tokens[-1]  # a number is the last thing in its text; a label's digits come before it
            quantity, index = self.places[int(token.group(1))]
            before, after = (_attribute(part) for part in (content[: token.start()], content[token.end() :]))
            centred = ' data-centred=""' if quantity in CENTRED else ""
            slot = f"{self.view}:{quantity}:{index}"
            return (
                f'<text data-slot="{slot}" data-before="{before}" data-after="{after}"{centred} {attributes}>'
                f"{content}</text>"
            )

        return TEXT.sub(marked, svg)


def _attribute(text: str) -> str:
    """SVG text content (entities escaped for text) escaped for a double-quoted attribute instead."""
    return html.escape(html.unescape(text), quote=True)


PLACEHOLDER = re.compile(r"__(?:TITLE|GRAPH|NETWORK|CHART|DATA)__")


def script_json(data: object) -> str:
    """JSON to put inside <script type="application/json">: every <, > and & written as a \\u escape
    (JSON.parse reads them back), so that no user string can end the script (</script>) or change how
    the browser reads it (<!--)."""
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def write_html(recording: Recording, path: str | Path, max_edges: int = MAX_EDGES) -> Path:
    """Write the page; it opens from disk in any browser.

    A NaN or infinity in the recording is an error naming it; so is a model with more than
    `max_edges` connections, whose numbers would be too many to read (as in draw_network).
    """
    _check_finite(recording)
    network_svg, network = _network_view(recording, max_edges)
    graph_svg, graph = _graph_view(recording)
    chart_svg, scale = loss_chart(recording.curve, recording.steps)
    data = {
        "title": recording.title,
        "inputs": recording.inputs,
        "steps": recording.steps,
        "frames": recording.frames,
        "graph": graph,
        "network": network,
        "chart": scale.as_dict(),
    }
    parts = {
        "__TITLE__": html.escape(recording.title),
        "__GRAPH__": graph_svg,
        "__NETWORK__": network_svg,
        "__CHART__": chart_svg,
        "__DATA__": script_json(data),
    }
    # One pass over the template: a part is never searched again, so user text that reads
    # __DATA__ (in a title or a label) stays text.
    page = PLACEHOLDER.sub(lambda found: parts[found.group(0)], TEMPLATE.read_text(encoding="utf-8"))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


def _graph_view(recording: Recording) -> tuple[str, dict[str, object]]:
    root, order = recording.root, topological_order(recording.root)
    slots = Slots("graph")
    svg = _svg(
        draw_graph(
            root, recording.model.parameters(), max_nodes=len(order), rankdir=GRAPH_DIRECTION, text=slots, stacked=True
        )
    )
    named = stop_names(order)
    names = {v: named.get(v) or f"v{i}" for i, v in enumerate(order)}
    index = {v: i for i, v in enumerate(order)}
    edges = _edges(order)
    edge_of = {(parent, k): e for e, (parent, k, _child) in enumerate(edges)}
    nodes = [{"name": names[v], "formula": _formula(v, names), "leaf": not v.op} for v in order]
    params = []
    for p in recording.model.parameters():
        if p not in index:
            continue
        derivation = explain(root, p)
        paths = [
            [{"name": f.name, "edges": [edge_of[(index[n], k)] for n, k in f.edges]} for f in path]
            for path in derivation.paths
        ]
        on_paths = sorted({edge_of[(index[n], k)] for path in derivation.paths for f in path for n, k in f.edges})
        params.append(
            {"name": p.label, "node": index[p], "derivative": derivation.derivative, "paths": paths, "edges": on_paths}
        )
    graph = {
        "nodes": nodes,
        "edges": [{"parent": parent, "child": child, "id": f"v{parent}op{k}"} for parent, k, child in edges],
        "root": index[root],
        "params": params,
    }
    return slots.mark(svg), graph


def _network_view(recording: Recording, max_edges: int) -> tuple[str, dict[str, object]]:
    model = recording.model
    neurons = [n.name for layer in model.layers for n in layer.neurons]
    slots = Slots("network")

    def text(quantity: str, index: int, x: float) -> str:
        token = slots(quantity, index, x)
        return f"dE/d{html.escape(neurons[index])}<br/>{token}" if quantity == "out" else token

    drawing = draw_network(
        model, recording.inputs, recording.input_names, made=recording.made, frozen=recording.frozen,
        max_edges=max_edges, text=text,
    )  # fmt: skip
    params = model.parameters()
    held = [i for i, p in enumerate(params) if p in recording.frozen]
    widths: dict[int, list[str]] = {}
    users = Counter(n.b for layer in model.layers for n in layer.neurons)  # a shared bias's edges carry shares
    for k, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            node = f"n{k}_{j}"
            for i, w in enumerate(neuron.w):
                widths.setdefault(params.index(w), []).extend([f"{node}w{i}-in", f"{node}w{i}-out"])
            bias_edges = [f"{node}b-in", f"{node}b-out"] if users[neuron.b] > 1 else [f"{node}b"]
            widths.setdefault(params.index(neuron.b), []).extend(bias_edges)
    network = {
        "neurons": neurons,
        "frozen": held,
        "edges": {str(p): ids for p, ids in widths.items()},
        "width": [THINNEST, WIDER],
    }
    return slots.mark(_svg(drawing)), network


def _svg(drawing: object) -> str:
    """The drawing as an inline <svg> element (no XML prolog or doctype)."""
    svg = pipe(drawing.source, "svg").decode("utf-8")  # type: ignore[attr-defined]
    return svg[svg.index("<svg") :]


def _edges(order: list[Value]) -> list[tuple[int, int, int]]:
    """Each edge, in draw_graph's numbering, as (its parent's index in order, the child's position, its index)."""
    index = {v: i for i, v in enumerate(order)}
    return [(i, k, index[child]) for i, v in enumerate(order) for k, child in enumerate(v.children)]


def _formula(v: Value, names: dict[Value, str]) -> str:
    """How v is computed from its operands: "y = x*2", "o1 = σ(net_o1)" (empty for a leaf)."""
    if not v.op:
        return ""
    spelled = expression(v, names, limit=None)
    if v.op in SPELLED or v.op == "neg":
        return f"{names[v]} = {spelled}" if spelled != names[v] else spelled or ""
    return f"{names[v]} = {symbol(v)}({', '.join(names[x] for x in v.children)})"


FRAME_NUMBERS = {  # what each of a frame's lists holds, in words
    "data": "the value of graph node",
    "grad": "the gradient of graph node",
    "local": "the local derivative of graph edge",
    "out": "the output of neuron",
    "out_grad": "dE/d(output) of neuron",
    "value": "the value of",
    "pgrad": "the gradient of",
    "share": "the share of shared-bias edge",
}


def _check_finite(recording: Recording) -> None:
    if not recording.frames:
        raise ValueError("the recording has no frames: record at least one step")
    for frame in recording.frames:
        for key, numbers in frame.items():
            listed = numbers if isinstance(numbers, list) else [numbers]
            for i, x in enumerate(listed):
                if isinstance(x, float) and not math.isfinite(x):
                    raise ValueError(
                        f"the recording holds {x} at step {frame['step']}: {_which(recording, key, i)}; "
                        "a page cannot show it (detect_anomaly() finds the op that made it)"
                    )


def _which(recording: Recording, key: str, i: int) -> str:
    """A frame's number in words: "the gradient of w5", "the output of neuron h1", "the error"."""
    if key == "loss":
        return "the error"
    if key in ("value", "pgrad"):
        return f"{FRAME_NUMBERS[key]} {recording.model.parameters()[i].label}"
    if key in ("out", "out_grad"):
        return f"{FRAME_NUMBERS[key]} {[n.name for layer in recording.model.layers for n in layer.neurons][i]}"
    return f"{FRAME_NUMBERS[key]} {i}"
