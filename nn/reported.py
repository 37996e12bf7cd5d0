"""What a forward pass reported (`made`), checked before a view draws it beside one example.

A view of the network (the live page, TrainingView) shows one example, `inputs`, with each neuron's
nodes as the loss's forward pass reported them: the outputs, and the shares of a parameter used at
several places. The nodes must be the loss's (a forward pass of its own would draw gradients of 0),
and of the example shown: a batch's loss fires the network once per example, and `made` keeps each
neuron's latest firing, so it must be filled by the shown example's forward pass alone. The inputs
are read where the first layer's net inputs are dot() nodes as Neuron.fire makes them (a neuron that
makes its own is not read).
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value
from nn.modules import MLP, Fired, Made, Neuron, net_by_dot, neuron_name, nodes_of


def reported_nodes(model: MLP, made: Made, graph: set[Value] | None, inputs: Sequence[float]) -> list[Fired]:
    """Each neuron's nodes in `made`, in the model's order, once they are nodes of `graph` (the loss's, where
    it is known) and the first layer's net inputs read `inputs`."""
    fired = []
    for neuron in (n for layer in model.layers for n in layer.neurons):
        nodes = nodes_of(neuron, made)
        if graph is not None and (nodes.net not in graph or nodes.out not in graph):
            raise ValueError(
                f"the nodes reported for neuron {neuron_name(neuron)} are not in the loss's graph; "
                f"record the loss with what its own forward pass made"
            )
        fired.append(nodes)
    for neuron, nodes in zip(model.layers[0].neurons, fired):  # noqa: B905  # the first layer's come first
        read = _inputs_read(neuron, nodes.net)
        if read is not None and read != list(inputs):
            raise ValueError(
                f"the first layer read the inputs {read} in the forward pass that filled made, but the view shows "
                f"{list(inputs)}: give the view the inputs the network reads, and fill made in that example's "
                f"forward pass alone (in a batch, model.forward(x, made=made) for it and model.forward(x) for the "
                f"others)"
            )
    return fired


def _inputs_read(neuron: Neuron, net: Value) -> list[float] | None:
    """The numbers of the inputs a first-layer neuron's net node read, where it is Neuron.fire's dot() node
    (the bias, the weights, then the inputs); None for a neuron that makes its net input its own way."""
    if not net_by_dot(neuron, net):
        return None
    n = len(neuron.w)
    return [x.data if isinstance(x, Value) else x for x in net.arguments[1 + n : 1 + 2 * n]]
