"""The gradient on each edge of a shared bias: its share of dE/db.

A bias b that feeds neurons 1..k is an operand of each one's net input, so the chain rule adds
one share per edge:

    dE/db = Σ_j d(net_j)/db · dE/d(net_j)

Each share is read from the net node that the forward pass reported for neuron j
(model.forward(x, made=made)), after backward(): the node's local derivative on the bias's edge
times the node's grad. dot() takes the bias as an operand with d(net)/db = 1, so a share is
dE/d(net_j); it is read from the node all the same, not assumed.
"""

from __future__ import annotations

from collections import Counter

from autograd import Value
from nn.modules import MLP, Made, Neuron, nodes_of


def bias_shares(model: MLP, made: Made) -> dict[tuple[Value, Neuron], float]:
    """For each bias that feeds several neurons, and each of those neurons in the model's order:
    the gradient along the bias's edge into that neuron's net input.

    A bias that feeds one neuron has one edge, whose share is the whole dE/db; it is left out.
    """
    neurons = [n for layer in model.layers for n in layer.neurons]
    users = Counter(n.b for n in neurons)
    return {(n.b, n): edge_gradient(nodes_of(n, made).net, n.b) for n in neurons if users[n.b] > 1}


def edge_gradient(node: Value, operand: Value) -> float:
    """d(node)/d(operand) · dE/d(node): the gradient along the node's edge from `operand`
    (the sum over its edges, where it is an operand more than once)."""
    edges = zip(node.children, node.local_grads, strict=True)
    flows = [local * node.grad for child, local in edges if child is operand]
    if not flows:
        raise ValueError(f"{operand!r} is not an operand of {node!r}")
    return sum(flows)
