"""The network view: the picture both articles draw.

Inputs, neurons and biases are nodes, in order from top to bottom; each connection is an edge
that passes through its weight's name, value and dE/dw (the weight's grad, so call backward()
first). Each bias has an edge into every neuron it feeds, carrying that neuron's share of dE/db;
its total is on the bias node. An edge's width follows |dE/dw|, so the eye finds large gradients;
frozen parameters are grey and thin, whatever their gradient.

Names are the model's: the articles' w5, h1, b2, or the defaults an MLP gives what is unnamed
(h1_2, o1, w1[2,1], b1[2]: see nn.modules.name_unnamed); inputs are x1, x2, ... unless named.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import graphviz

from autograd import Value, topological_order
from autograd.draw import FILL, Drawing, escape, flow_edge, new_drawing, number
from nn.modules import MLP, Input, Neuron

MAX_EDGES = 64
GREY = "#8a8a8a"


def draw_network(
    model: MLP,
    inputs: Sequence[Input],
    input_names: Sequence[str] = (),
    digits: int = 4,
    *,
    root: Value | None = None,
    frozen: Iterable[Value] = (),
    max_edges: int = MAX_EDGES,
) -> Drawing:
    """Draw `model` with the activations of one forward pass on `inputs` and the current grads.

    `root` is the value backward() was called on (the loss): with it, each edge of a bias shared
    by several neurons shows its own share of dE/db, as draw_graph does. Parameters in `frozen`
    are drawn as frozen. Raises ValueError above `max_edges` connections, too many to read.
    """
    values = _input_values(model, inputs)
    names = list(input_names) or [f"x{i + 1}" for i in range(len(values))]
    if len(names) != len(values):
        raise ValueError(f"draw_network() got {len(names)} input names for {len(values)} inputs")
    edges = sum(len(n.w) + 1 for layer in model.layers for n in layer.neurons)
    if edges > max_edges:
        raise ValueError(
            f"this model has {edges} connections, more than max_edges={max_edges}: too many numbers to read in "
            f"one picture. Draw a smaller model, or pass max_edges={edges} to draw every one anyway"
        )
    held = set(frozen)
    steepest = max((abs(p.grad) for p in model.parameters() if p not in held), default=0.0) or 1.0
    shares = _bias_shares(model, root)
    graph = new_drawing("LR", ranksep="0.35", nodesep="0.25")
    sources = [f"x{i}" for i in range(len(values))]
    column = [(node_id, _input_node(name, x, digits)) for node_id, name, x in zip(sources, names, values, strict=True)]
    outputs: list[Value] = [Value(x) for x in values]
    for k, layer in enumerate(model.layers):
        outputs = layer.forward(outputs)
        biases: dict[Value, str] = {}
        for neuron in layer.neurons:
            if neuron.b not in biases:
                biases[neuron.b] = f"b{k}_{len(biases)}"
                column.append((biases[neuron.b], _bias_node(neuron.b, digits, neuron.b in held)))
        _column(graph, column)
        column = []
        for j, (neuron, out) in enumerate(zip(layer.neurons, outputs, strict=True)):
            neuron_id = f"n{k}_{j}"
            column.append((neuron_id, _neuron_node(neuron.name, out.data, digits)))
            for i, (source, w) in enumerate(zip(sources, neuron.w, strict=True)):
                text = _flow_text(w.label, w.data, w.grad, digits, "")
                flow_edge(graph, source, neuron_id, f"{neuron_id}w{i}", text, **_style(w, held, steepest))
            bias_style = {"style": "dashed", **_style(neuron.b, held, steepest)}
            if (neuron.b, neuron) in shares:  # a shared bias: this edge's share; the node has the total
                text = _flow_text(neuron.b.label, None, shares[(neuron.b, neuron)], digits, "share of ")
                flow_edge(graph, biases[neuron.b], neuron_id, f"{neuron_id}b", text, **bias_style)
            else:
                bias_style.pop("fontcolor", None)
                graph.edge(biases[neuron.b], neuron_id, **bias_style)
        sources = [node_id for node_id, _ in column]
    _column(graph, column)
    return graph


def _input_values(model: MLP, inputs: Sequence[Input]) -> list[float]:
    if not isinstance(model, MLP):
        raise TypeError(
            f"draw_network() needs an MLP, got {type(model).__name__}; wrap a single layer as MLP.from_layers([layer])"
        )
    values = [x.data if isinstance(x, Value) else float(x) for x in inputs]
    width = len(model.layers[0].neurons[0].w)
    if len(values) != width:
        raise ValueError(f"this model takes {width} inputs, draw_network() got {len(values)}")
    return values


def _bias_shares(model: MLP, root: Value | None) -> dict[tuple[Value, Neuron], float]:
    """For each bias that feeds several neurons, and each of them: the gradient along its edge.

    Read off root's graph (nothing without it): the sum over the nodes that take both the bias
    and the neuron's first weight of d(node)/d(bias) * dE/d(node). A bias that feeds one neuron
    has one edge, whose share is the whole dE/db shown on the bias node.
    """
    neurons = [n for layer in model.layers for n in layer.neurons]
    users: dict[Value, int] = {}
    for n in neurons:
        users[n.b] = users.get(n.b, 0) + 1
    shares: dict[tuple[Value, Neuron], float] = {}
    if root is None:
        return shares
    owner = {n.w[0]: n for n in neurons if n.w}
    for node in topological_order(root):
        children = node.children
        neuron = next((owner[c] for c in children if c in owner), None)
        if neuron is None or neuron.b not in children or users[neuron.b] == 1:
            continue
        flow = sum(local * node.grad for c, local in zip(children, node.local_grads, strict=True) if c is neuron.b)
        shares[(neuron.b, neuron)] = shares.get((neuron.b, neuron), 0.0) + flow
    return shares


def _column(graph: graphviz.Digraph, nodes: list[tuple[str, dict[str, str]]]) -> None:
    """Nodes in one rank, in this order from top to bottom."""
    with graph.subgraph() as rank:
        rank.attr(rank="same")
        for node_id, attributes in nodes:
            rank.node(node_id, **attributes)
        for (upper, _), (lower, _) in itertools.pairwise(nodes):
            rank.edge(upper, lower, style="invis")


def _input_node(name: str, x: float, digits: int) -> dict[str, str]:
    label = f"<<b>{escape(name)}</b><br/>{number(x, digits)}>"
    return {"label": label, "shape": "box", "style": "filled", "fillcolor": FILL["input"]}


def _neuron_node(name: str, x: float, digits: int) -> dict[str, str]:
    label = f"<<b>{escape(name)}</b><br/>{number(x, digits)}>"
    return {"label": label, "shape": "circle", "style": "filled", "fillcolor": FILL["computed"], "width": "0.8"}


def _bias_node(b: Value, digits: int, frozen: bool) -> dict[str, str]:
    text = _flow_text(b.label, b.data, b.grad, digits, "") + ("<br/><i>frozen</i>" if frozen else "")
    fill = FILL["frozen"] if frozen else FILL["parameter"]
    return {"label": f"<{text}>", "shape": "box", "style": "rounded,filled", "fillcolor": fill}


def _flow_text(name: str, value: float | None, grad: float | None, digits: int, prefix: str) -> str:
    """ "<b>w5</b> 0.4" over "dE/dw5 0.08217" (either line left out when its number is None)."""
    lines = [f"<b>{escape(name)}</b> {number(value, digits)}"] if value is not None else []
    if grad is not None:
        lines.append(f"{prefix}dE/d{escape(name)} {number(grad, digits)}")
    return "<br/>".join(lines)


def _style(p: Value, frozen: set[Value], steepest: float) -> dict[str, str]:
    if p in frozen:
        return {"penwidth": "0.8", "color": GREY, "fontcolor": GREY}
    return {"penwidth": f"{0.8 + 3.2 * abs(p.grad) / steepest:.2f}"}
