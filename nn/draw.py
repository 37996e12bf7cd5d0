"""The network view: the picture both articles draw.

Inputs and neurons are nodes; each connection is an edge labelled with its weight's name,
value and dE/dw (the weight's grad, so call backward() first); each layer's biases are nodes
with edges of their own. An edge's width follows |dE/dw|, so the eye finds large gradients.
"""

from __future__ import annotations

from collections.abc import Sequence

import graphviz

from autograd import Value
from autograd.draw import FILL, FONT, escape, number
from nn.modules import MLP, Input


def draw_network(
    model: MLP, inputs: Sequence[Input], input_names: Sequence[str] = (), digits: int = 4
) -> graphviz.Digraph:
    """Draw `model` with the activations of one forward pass on `inputs` and the current grads."""
    values = [float(x) for x in inputs]
    names = list(input_names) or [f"x{i + 1}" for i in range(len(values))]
    graph = graphviz.Digraph(
        graph_attr={"rankdir": "LR", "fontname": FONT, "ranksep": "1.6", "nodesep": "0.4", "splines": "line"},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "9"},
    )
    steepest = max((abs(p.grad) for p in model.parameters()), default=0.0) or 1.0
    sources = [f"in{i}" for i in range(len(values))]
    for node_id, label, x in zip(sources, names, values, strict=True):
        graph.node(
            node_id,
            _name_over_number(label, x, digits),
            shape="box",
            style="filled",
            fillcolor=FILL["input"],
        )
    outputs: list[Value] = [Value(x) for x in values]
    for k, layer in enumerate(model.layers):
        outputs = layer.forward(outputs)
        ids = [f"L{k}n{j}" for j in range(len(layer.neurons))]
        biases: dict[Value, str] = {}
        for neuron_id, neuron, out in zip(ids, layer.neurons, outputs, strict=True):
            graph.node(
                neuron_id,
                _name_over_number(neuron.name or neuron_id, out.data, digits),
                shape="circle",
                style="filled",
                fillcolor=FILL["computed"],
                width="0.9",
                fixedsize="true",
            )
            if neuron.b not in biases:  # a shared bias is one node; its total dE/db is on it
                biases[neuron.b] = f"L{k}b{len(biases)}"
                graph.node(
                    biases[neuron.b],
                    f"<{_parameter_text(neuron.b, digits)}>",
                    shape="box",
                    style="rounded,filled",
                    fillcolor=FILL["parameter"],
                )
            for source, w in zip(sources, neuron.w, strict=True):
                graph.edge(source, neuron_id, label=f"<{_parameter_text(w, digits)}>", penwidth=_width(w, steepest))
            graph.edge(biases[neuron.b], neuron_id, penwidth=_width(neuron.b, steepest), style="dashed")
        sources = ids
    return graph


def _parameter_text(w: Value, digits: int) -> str:
    name = escape(w.label or "w")
    return f"<b>{name}</b> {number(w.data, digits)}<br/>dE/d{name} {number(w.grad, digits)}"


def _width(w: Value, steepest: float) -> str:
    return f"{0.6 + 4.0 * abs(w.grad) / steepest:.2f}"


def _name_over_number(name: str, x: float, digits: int) -> str:
    return f"<<b>{escape(name)}</b><br/>{number(x, digits)}>"
