"""The gradient on each edge of a shared parameter: its share of dE/dp.

A parameter p that a model uses at several places (a bias that feeds several neurons, a weight
tied between connections) is an operand of each place's net input, so the chain rule adds one
share per edge:

    dE/dp = Σ over its places: d(net)/dp along that place's edge · dE/d(net)

Each share is read from the net node that the forward pass reported for the place's neuron
(model.forward(x, made=made)), after backward(): the node's local derivative on the place's edge
times the node's grad. A Neuron's net node is dot()'s, whose operands are the bias, the weights in
order, then the inputs (nn.modules.net_by_dot); for a neuron that makes its net input its own way,
the edge is the one edge of its net node from the parameter (a parameter on several edges of such a
node is refused: which is which cannot be told).
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from autograd import Value
from autograd.labels import on_one_line
from nn.modules import MLP, Made, Neuron, net_by_dot, neuron_name, nodes_of


class Place(NamedTuple):
    """Where a model uses a parameter: neuron `neuron` of layer `layer`, as its weight `weight` (each
    counted from 0), or as its bias where `weight` is None."""

    layer: int
    neuron: int
    weight: int | None

    def edge(self) -> int:
        """The place's edge among the operands of dot()'s node b + w·x: the bias first, then the weights."""
        return 0 if self.weight is None else 1 + self.weight


def places(model: MLP) -> dict[Value, list[Place]]:
    """Each parameter's places, in drawing order: layer by layer, each neuron's weights, then its bias.

    One Neuron at two places of the model is refused: a forward pass reports one firing per neuron,
    so the drawings could show one of its outputs only.
    """
    found: dict[Value, list[Place]] = {}
    seen: dict[Neuron, tuple[int, int]] = {}
    for k, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            if neuron in seen:
                raise ValueError(_twice(neuron, seen[neuron], (k, j)))
            seen[neuron] = (k, j)
            for i, w in enumerate(neuron.w):
                found.setdefault(w, []).append(Place(k, j, i))
            found.setdefault(neuron.b, []).append(Place(k, j, None))
    return found


def first_shared(model: MLP) -> tuple[int, Value, int] | None:
    """The first parameter the model uses at several places: its index in parameters(), itself, and how many
    places hold it (a Neuron at two places counts each of its parameters twice); None where none is shared."""
    uses = Counter(p for layer in model.layers for n in layer.neurons for p in (*n.w, n.b))
    return next(((i, p, count) for i, (p, count) in enumerate(uses.items()) if count > 1), None)


def shared_places(model: MLP) -> list[Place]:
    """The places of every parameter the model uses at more than one, in drawing order: the order of the
    shares, in a drawing and a recording alike."""
    shared = [place for used in places(model).values() if len(used) > 1 for place in used]
    return sorted(shared, key=lambda p: (p.layer, p.neuron, p.weight is None, p.weight or 0))


def shares(model: MLP, made: Made) -> dict[Place, float]:
    """For each place of a parameter the model uses at several: the gradient along that place's edge."""
    return {place: share(model, made, place) for place in shared_places(model)}


def share(model: MLP, made: Made, place: Place) -> float:
    """d(net)/dp · dE/d(net) on the edge of `place`, from the net node `made` reports for its neuron."""
    net, edge = place_edge(model, made, place)
    return net.local_grads[edge] * net.grad


def place_edge(model: MLP, made: Made, place: Place) -> tuple[Value, int]:
    """The net node of the place's neuron, and the place's edge among its children."""
    neuron = _neuron_at(model, place)
    net = nodes_of(neuron, made).net
    parameter = neuron.b if place.weight is None else neuron.w[place.weight]
    if net_by_dot(neuron, net):
        return net, place.edge()  # Neuron.fire's dot() node: b, the weights, then the inputs
    edges = [k for k, child in enumerate(net.children) if child is parameter]
    if len(edges) != 1:
        name = on_one_line(parameter.label) or repr(parameter)
        raise ValueError(
            f"the net node of neuron {neuron_name(neuron)} has {len(edges)} edges from {name}, "
            f"not the one of its place: a neuron whose net input is not dot()'s node b + w·x cannot show its share"
        )
    return net, edges[0]


def _neuron_at(model: MLP, place: Place) -> Neuron:
    """The neuron of `place`, once the place is one of the model's."""
    layer, neuron, weight = place
    fits = 0 <= layer < len(model.layers) and 0 <= neuron < len(model.layers[layer].neurons)
    if not fits or (weight is not None and not 0 <= weight < len(model.layers[layer].neurons[neuron].w)):
        raise ValueError(f"{place} is not a place of this model (layers, neurons and weights count from 0)")
    return model.layers[layer].neurons[neuron]


def _twice(neuron: Neuron, first: tuple[int, int], second: tuple[int, int]) -> str:
    (k1, j1), (k2, j2) = first, second
    return (
        f"neuron {neuron_name(neuron)} is at two places of this model (layer {k1 + 1} neuron {j1 + 1}, and "
        f"layer {k2 + 1} neuron {j2 + 1}); a forward pass reports one firing per neuron, so a drawing would show "
        f"the wrong output at one of them. Give each place a neuron of its own, sharing the parameters: "
        f"{type(neuron).__name__}.from_values(neuron.w, neuron.b, neuron.activation)"
    )
