import pytest

from autograd import Value, draw_graph, make_node
from nn import MLP, Layer, Made, Neuron, squared_error
from nn.examples import mazur, worked_example
from nn.modules import nodes_of
from nn.shares import bias_shares, edge_gradient
from tests.attribution import flows, layout


def test_each_edge_of_a_shared_bias_carries_dE_dnet_and_the_shares_add_up_to_dE_db():
    ex = mazur()
    made: Made = {}
    ex.backward(made=made)
    shares = bias_shares(ex.model, made)
    hidden, output = ex.model.layers
    b1, b2 = ex.biases["b1"], ex.biases["b2"]
    assert list(shares) == [(b1, n) for n in hidden.neurons] + [(b2, n) for n in output.neurons]
    assert list(shares.values()) == [made[n].net.grad for layer in ex.model.layers for n in layer.neurons]
    assert shares[(b2, output.neurons[0])] == 0.13849856162855698  # dE/dnet_o1, as Mazur's δ_o1
    assert shares[(b2, output.neurons[0])] + shares[(b2, output.neurons[1])] == b2.grad
    assert shares[(b1, hidden.neurons[0])] + shares[(b1, hidden.neurons[1])] == b1.grad


def test_a_share_is_the_edges_local_derivative_times_the_nodes_grad():
    bias, weight = Value(0.5, label="b"), Value(2.0, label="w")
    node = make_node(7.0, [bias, weight, bias], [3.0, 4.0, 0.25], "f")
    node.grad = 2.0
    assert edge_gradient(node, bias) == 3.0 * 2.0 + 0.25 * 2.0  # its two edges
    assert edge_gradient(node, weight) == 8.0
    with pytest.raises(ValueError, match=r"is not an operand of"):
        edge_gradient(node, Value(1.0))


def test_the_shares_are_the_flows_draw_graph_puts_on_the_bias_edges():
    ex = worked_example()
    made: Made = {}
    error = ex.backward(made=made)
    on_edges = {(t, h): float(label) for t, h, label in flows(layout(draw_graph(error, digits=17)))}
    for (bias, neuron), share in bias_shares(ex.model, made).items():
        assert share == on_edges[(bias.label, f"net_{neuron.name}")]


def test_a_bias_of_one_neuron_has_no_share_and_a_missing_neuron_is_named():
    model = MLP(2, [2, 1])
    made: Made = {}
    squared_error(model.forward([1.0, 2.0], made=made), [0.0]).backward()
    assert bias_shares(model, made) == {}
    shared = MLP.from_layers([Layer(2, 2, shared_bias=True)])
    with pytest.raises(ValueError, match=r"the forward pass reported no nodes for neuron o1"):
        bias_shares(shared, made)
    with pytest.raises(ValueError, match=r"reported no nodes for neuron ReLUNeuron\(2\)"):  # unnamed: its repr
        nodes_of(Neuron(2), made)
