"""The network view: the picture both articles draw.

Inputs, neurons and biases are nodes, in order from top to bottom; each connection is an edge
that passes through its weight's name, value and dE/dw (the weight's grad, so call backward()
first). Each bias has an edge into every neuron it feeds, carrying that neuron's share of dE/db;
its total is on the bias node. A weight tied between several connections has its value and dE/dw
on the first, and each of its edges carries its own share of dE/dw (nn.shares). An edge's width
follows |dE/dw|, so the eye finds large gradients; frozen parameters are grey and thin, whatever
their gradient.

Names are the model's: the articles' w5, h1, b2, or the defaults an MLP gives what is unnamed
(h1_2, o1, w1[2,1], b1[2]: see nn.modules.name_unnamed); inputs are x1, x2, ... unless named.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from numbers import Real

import graphviz

from autograd import Value, ids
from autograd.draw import FILL, Drawing, Text, escape, flow_edge, new_drawing, note_no_backward, number
from autograd.engine import real
from autograd.labels import check_labels, on_one_line
from autograd.notation import in_derivative
from nn.frozen import frozen_parameters
from nn.modules import MLP, Input, Made, nodes_of
from nn.shares import Place, shared_places, shares

MAX_EDGES = 64
GREY = "#8a8a8a"
THINNEST, WIDER = 0.8, 3.2  # an edge's width: THINNEST + WIDER * |dE/dw| / the steepest |dE/dw|


def draw_network(
    model: MLP,
    inputs: Sequence[Input],
    input_names: Sequence[str] = (),
    digits: int = 4,
    *,
    made: Made | None = None,
    frozen: Iterable[Value] | None = (),
    max_edges: int = MAX_EDGES,
    text: Text | None = None,
) -> Drawing:
    """Draw `model` with the activations of one forward pass on `inputs` and the current grads.

    The outputs drawn are those of draw_network's own forward pass on `inputs`. `made` is what
    the forward pass of the loss that backward() was called on made (model.forward(x,
    made=made)): with it, each edge of a parameter used at several places (a bias shared by
    several neurons, a tied weight) shows its own share of dE/dp, as draw_graph does (see
    nn.shares). Parameters in `frozen` are drawn as frozen. Raises ValueError above `max_edges`
    connections, too many to read, and where one Neuron is at two places of the model.

    `text(quantity, index, x)` gives the text of each number: "x" of input i, "out" of neuron j
    (counted across layers), "value" and "grad" of parameter p (its index in parameters()), and
    "share" of the s-th edge of a shared parameter (nn.shares's order); by default x to `digits`
    significant digits. Node and edge ids are autograd.ids's: x{i} inputs, n{k}_{j} neurons, b{k}_{m} biases.
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
    shown = text or (lambda _quantity, _index, x: number(x, digits))
    params = {p: i for i, p in enumerate(model.parameters())}
    check_labels(params, "draw_network()")
    held = frozen_parameters(frozen, params, "draw_network()")
    steepest = max((abs(p.grad) for p in params if p not in held), default=0.0) or 1.0
    texts = _ParameterTexts(params, shown, shared_places(model), shares(model, made) if made is not None else {})
    graph = new_drawing("LR", ranksep="0.35", nodesep="0.25")
    sources = [ids.input_node(i) for i in range(len(values))]
    column = [
        (source, _input_node(name, shown("x", i, x)))
        for i, (source, name, x) in enumerate(zip(sources, names, values, strict=True))
    ]
    drawn: Made = {}
    model.forward([Value(x) for x in values], made=drawn)
    count = 0
    biases: dict[Value, str] = {}  # each bias's node, in the column of the first layer it feeds
    for k, layer in enumerate(model.layers):
        new = [b for b in dict.fromkeys(n.b for n in layer.neurons) if b not in biases]
        for m, b in enumerate(new):
            biases[b] = ids.bias(k, m)
            column.append((biases[b], _bias_node(texts.numbers(b), b in held)))
        _column(graph, column)
        column = []
        for j, neuron in enumerate(layer.neurons):
            neuron_id, out = ids.neuron(k, j), nodes_of(neuron, drawn).out
            column.append((neuron_id, _neuron_node(neuron.name, shown("out", count, out.data))))
            count += 1
            for i, (source, w) in enumerate(zip(sources, neuron.w, strict=True)):
                text_w = "<br/>".join(filter(None, [texts.numbers(w), texts.share(Place(k, j, i), w)]))
                flow_edge(graph, source, neuron_id, ids.weight_edge(k, j, i), text_w, **_style(w, held, steepest))
            bias_style = {"style": "dashed", **_style(neuron.b, held, steepest)}
            share = texts.share(Place(k, j, None), neuron.b)
            if share:  # a shared bias: this edge's share; the node has the total
                flow_edge(graph, biases[neuron.b], neuron_id, ids.bias_edge(k, j), share, **bias_style)
            else:
                bias_style.pop("fontcolor", None)
                graph.edge(biases[neuron.b], neuron_id, id=ids.bias_edge(k, j), **bias_style)
        sources = [node_id for node_id, _ in column]
    _column(graph, column)
    if text is None and all(p.grad == 0 for p in params):
        note_no_backward(graph)
    return graph


class _ParameterTexts:
    """What a parameter's places say: its name, value and dE/dp at the first place drawn, its name alone at
    the others; and on each edge of a parameter used at several places, that edge's share of dE/dp."""

    def __init__(self, params: dict[Value, int], shown: Text, order: list[Place], shares: dict[Place, float]) -> None:
        self.params, self.shown, self.shares = params, shown, shares
        self.share_index = {place: s for s, place in enumerate(order)}  # the order a recording keeps shares in
        self.numbered: set[Value] = set()  # the parameters whose numbers are drawn

    def numbers(self, p: Value) -> str:
        """ "<b>w5</b> 0.4" over "dE/dw5 0.08217" at p's first place, "<b>w5</b> (shared)" at the others."""
        index = self.params[p]
        if p in self.numbered:
            return f"<b>{escape(parameter_name(p, index))}</b> (shared)"
        self.numbered.add(p)
        return _parameter_text(p, index, self.shown("value", index, p.data), self.shown("grad", index, p.grad))

    def share(self, place: Place, p: Value) -> str:
        """ "share of dE/db2 0.1385" on the edge of a shared parameter's place; "" where it has no share."""
        if place not in self.shares:
            return ""
        share = self.shown("share", self.share_index[place], self.shares[place])
        return f"share of {_derivative(p, self.params[p])} {share}"


def _input_values(model: MLP, inputs: Sequence[Input]) -> list[float]:
    if not isinstance(model, MLP):
        raise TypeError(
            f"draw_network() needs an MLP, got {type(model).__name__}; wrap a single layer as MLP.from_layers([layer])"
        )
    if (
        isinstance(inputs, str | bytes | Value | Real)
        or not isinstance(inputs, Iterable)
        or getattr(inputs, "ndim", 1) == 0
    ):
        raise TypeError(
            f"draw_network(model, inputs) needs one example's inputs as a list of numbers, got {inputs!r}; "
            f"for example draw_network(model, [1.0, -2.0])"
        )
    values = [
        real(x.data if isinstance(x, Value) else x, f"input {i} of draw_network()") for i, x in enumerate(inputs, 1)
    ]
    width = len(model.layers[0].neurons[0].w)
    if len(values) != width:
        raise ValueError(f"this model takes {width} inputs, draw_network() got {len(values)}")
    return values


def _column(graph: graphviz.Digraph, nodes: list[tuple[str, dict[str, str]]]) -> None:
    """Nodes in one rank, in this order from top to bottom."""
    with graph.subgraph() as rank:
        rank.attr(rank="same")
        for node_id, attributes in nodes:
            rank.node(node_id, id=node_id, **attributes)
        for (upper, _), (lower, _) in itertools.pairwise(nodes):
            rank.edge(upper, lower, style="invis")


def _input_node(name: str, x: str) -> dict[str, str]:
    return {"label": _name_over(name, x), "shape": "box", "style": "filled", "fillcolor": FILL["input"]}


def _neuron_node(name: str, out: str) -> dict[str, str]:
    label = _name_over(name, out)
    return {"label": label, "shape": "circle", "style": "filled", "fillcolor": FILL["computed"], "width": "0.8"}


def _name_over(name: str, text: str) -> str:
    """An HTML-like label: the name in bold over the text (a number), with a line of 5 points between them
    (without it, Graphviz's PNG draws the underscore of h1_1 on the digits below); the text alone where
    there is no name."""
    return f'<<b>{escape(name)}</b><br/><font point-size="5"> </font><br/>{text}>' if name else f"<{text}>"


def _bias_node(text: str, frozen: bool) -> dict[str, str]:
    fill = FILL["frozen"] if frozen else FILL["parameter"]
    label = f"<{text}{'<br/><i>frozen</i>' if frozen else ''}>"
    return {"label": label, "shape": "box", "style": "rounded,filled", "fillcolor": fill}


def parameter_name(p: Value, index: int) -> str:
    """A parameter's label, or "parameter 3" for the third (index 2) where it has none: as the drawings and
    the live page name it."""
    return p.label or f"parameter {index + 1}"


def _derivative(p: Value, index: int) -> str:
    """dE/dw5; dE/d(parameter 3) for a parameter without a label, dE/d(w (a)) for a label that is no plain
    name, and a label's line breaks written out (dE/d(w\\nb)), as explain() writes them."""
    return f"dE/d{escape(in_derivative(on_one_line(parameter_name(p, index))))}"


def _parameter_text(p: Value, index: int, value: str, grad: str) -> str:
    """ "<b>w5</b> 0.4" over "dE/dw5 0.08217"."""
    return f"<b>{escape(parameter_name(p, index))}</b> {value}<br/>{_derivative(p, index)} {grad}"


def _style(p: Value, frozen: set[Value], steepest: float) -> dict[str, str]:
    if p in frozen:
        return {"penwidth": f"{THINNEST}", "color": GREY, "fontcolor": GREY}
    return {"penwidth": f"{THINNEST + WIDER * abs(p.grad) / steepest:.2f}"}
