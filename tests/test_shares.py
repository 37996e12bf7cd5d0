import random
import re

import pytest

from autograd import Value, dot, draw_graph
from nn import MLP, Layer, Made, Neuron, squared_error
from nn.examples import mazur, worked_example
from nn.modules import nodes_of
from nn.shares import Place, first_shared, place_edge, places, share, shared_places, shares
from tests.attribution import flows, layout


def backward(model: MLP, x: list[float], targets: list[float]) -> Made:
    made: Made = {}
    squared_error(model.forward([Value(v) for v in x], made=made), targets).backward()
    return made


def test_each_edge_of_a_shared_bias_carries_dE_dnet_and_the_shares_add_up_to_dE_db():
    ex = mazur()
    made: Made = {}
    ex.backward(made=made)
    found = shares(ex.model, made)
    b1, b2 = ex.biases["b1"], ex.biases["b2"]
    assert list(found) == [Place(0, 0, None), Place(0, 1, None), Place(1, 0, None), Place(1, 1, None)]
    assert list(found.values()) == [made[n].net.grad for layer in ex.model.layers for n in layer.neurons]
    assert found[Place(1, 0, None)] == 0.13849856162855698  # dE/dnet_o1, as Mazur's δ_o1
    assert found[Place(1, 0, None)] + found[Place(1, 1, None)] == b2.grad
    assert found[Place(0, 0, None)] + found[Place(0, 1, None)] == b1.grad


def test_the_shares_are_the_flows_draw_graph_puts_on_the_bias_edges():
    ex = worked_example()
    made: Made = {}
    error = ex.backward(made=made)
    on_edges = {(t, h): float(label) for t, h, label in flows(layout(draw_graph(error, digits=17)))}
    layers = ex.model.layers
    assert shares(ex.model, made)
    for place, found in shares(ex.model, made).items():
        neuron = layers[place.layer].neurons[place.neuron]
        assert found == on_edges[(neuron.b.label, f"net_{neuron.name}")]


def test_each_place_of_a_tied_weight_carries_its_own_share_and_they_add_up_to_dE_dw():
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(2))
    first, second = model.layers[0].neurons
    first.w[1] = first.w[0]  # tied within a neuron: two edges of one node
    second.w[0] = first.w[0]  # and with another neuron
    made = backward(model, [0.5, -2.0], [1.0])
    w = first.w[0]
    found = shares(model, made)
    assert list(found) == [Place(0, 0, 0), Place(0, 0, 1), Place(0, 1, 0)]
    assert found[Place(0, 0, 0)] == 0.5 * made[first].net.grad  # d(net)/dw = its input there
    assert found[Place(0, 0, 1)] == -2.0 * made[first].net.grad
    assert found[Place(0, 1, 0)] == 0.5 * made[second].net.grad
    assert sum(found.values()) == pytest.approx(w.grad, abs=1e-15)
    assert len({*found.values()}) == 3


def test_a_bias_that_is_also_a_weight_has_a_share_on_each_edge():
    neuron = Neuron(2, "tanh", name="o1", weights=[0.3, -0.4], bias=0.1)
    neuron.w[0] = neuron.b
    model = MLP.from_layers([Layer.from_neurons([neuron])])
    made = backward(model, [3.0, 1.0], [0.0])
    net = made[neuron].net
    found = shares(model, made)
    assert found == {Place(0, 0, 0): 3.0 * net.grad, Place(0, 0, None): net.grad}
    assert list(found) == [Place(0, 0, 0), Place(0, 0, None)]  # the weight's, then the bias's, as drawn
    assert found[Place(0, 0, 0)] + found[Place(0, 0, None)] == neuron.b.grad
    assert place_edge(model, made, Place(0, 0, None)) == (net, 0)
    assert place_edge(model, made, Place(0, 0, 0)) == (net, 1)


def test_a_bias_shared_across_layers_is_one_parameter_with_a_share_in_each():
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(5))
    b = model.layers[0].neurons[0].b
    model.layers[1].neurons[0].b = b
    made = backward(model, [1.0, 2.0], [0.5])
    assert places(model)[b] == [Place(0, 0, None), Place(1, 0, None)]
    found = shares(model, made)
    assert list(found) == [Place(0, 0, None), Place(1, 0, None)]
    assert sum(found.values()) == b.grad


def test_places_are_in_drawing_order_and_each_neuron_is_at_one_place():
    model = MLP(2, [2, 1], rng=random.Random(1))
    (n1, n2), (o1,) = (layer.neurons for layer in model.layers)
    assert list(places(model)) == [*n1.w, n1.b, *n2.w, n2.b, *o1.w, o1.b] == model.parameters()
    assert places(model)[n2.w[1]] == [Place(0, 1, 1)]
    assert shared_places(model) == []
    o1.w[1] = n1.w[0]
    assert shared_places(model) == [Place(0, 0, 0), Place(1, 0, 1)]
    n2.w[1] = n1.w[1]  # used before n2.w[0], which o1 now shares too
    o1.w[0] = n2.w[0]
    assert shared_places(model) == [Place(0, 0, 0), Place(0, 0, 1), Place(0, 1, 0), Place(0, 1, 1), Place(1, 0, 0),
                                    Place(1, 0, 1)]  # fmt: skip
    twice = MLP(2, [2, 2, 1], rng=random.Random(1))
    twice.layers[1].neurons[0] = twice.layers[1].neurons[1]
    with pytest.raises(ValueError, match=r"neuron h2_2 is at two places of this model \(layer 2 neuron 1, and layer 2 "
                       r"neuron 2\).*Neuron.from_values\(neuron.w, neuron.b, neuron.activation\)"):  # fmt: skip
        places(twice)
    twice.layers[1].neurons[0].name = ""
    with pytest.raises(ValueError, match=r"^neuron ReLUNeuron\(2\) is at two places"):
        places(twice)
    twice.layers[1].neurons[0].name = "h\n2"  # written on one line
    with pytest.raises(ValueError, match=r"^neuron h\\n2 is at two places"):
        places(twice)


class Swish(Neuron):
    """A neuron with an activation of its own, x·σ(x): its net input is still Neuron.fire's dot() node."""

    def activate(self, net):
        return net * net.sigmoid()


def test_a_neuron_with_an_activation_of_its_own_has_its_shares_read_by_place():
    neuron = Swish(2, name="s1", weights=[0.3, -0.2], bias=0.1)
    neuron.w[1] = neuron.w[0]
    model = MLP.from_layers([Layer.from_neurons([neuron])])
    made = backward(model, [1.0, 2.0], [0.5])
    net = made[neuron].net
    assert shares(model, made) == {Place(0, 0, 0): 1.0 * net.grad, Place(0, 0, 1): 2.0 * net.grad}
    assert sum(shares(model, made).values()) == neuron.w[0].grad


class Logged(Neuron):
    """A neuron whose forward is its own, and calls Neuron's: its net input is Neuron.fire's dot() node."""

    def forward(self, x, *, made=None):
        return super().forward(x, made=made)


def test_a_neuron_with_a_forward_of_its_own_that_fires_as_neuron_has_its_shares_read_by_place():
    neuron = Logged(2, "tanh", name="a", weights=[0.3, -0.2], bias=0.1)
    neuron.w[1] = neuron.w[0]
    model = MLP.from_layers([Layer.from_neurons([neuron])])
    made = backward(model, [1.0, 2.0], [0.5])
    net = made[neuron].net
    assert shares(model, made) == {Place(0, 0, 0): 1.0 * net.grad, Place(0, 0, 1): 2.0 * net.grad}


def test_a_bias_set_to_a_number_is_no_edge_and_a_weight_is_found_by_its_one_edge():
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(3))
    (first, second), _ = (layer.neurons for layer in model.layers)
    first.b = 0.25  # type: ignore[assignment]  # a number, which dot() takes as a constant after the inputs
    second.w[0] = first.w[0]
    made = backward(model, [0.5, -2.0], [0.3])
    assert share(model, made, Place(0, 0, 0)) == 0.5 * made[first].net.grad
    assert share(model, made, Place(0, 1, 0)) == 0.5 * made[second].net.grad


class Reversed(Neuron):
    """A neuron that fires its own way: its dot() node takes the weights and inputs last first."""

    def fire(self, inputs, *, made=None):
        net = dot(self.w[::-1], list(inputs)[::-1], self.b)
        return self.fired(net, net.tanh(), made)


def test_a_net_node_of_ones_own_is_read_where_the_parameter_has_one_edge_and_refused_where_it_has_more():
    neuron = Reversed(2, name="r1", weights=[0.5, -0.25])
    other = Neuron(2, "tanh", name="r2", bias=neuron.b)  # the bias is shared
    model = MLP.from_layers([Layer.from_neurons([neuron, other])])
    made = backward(model, [1.0, 2.0], [0.0, 0.0])
    net = made[neuron].net  # children: b, w2, w1, x2, x1
    assert place_edge(model, made, Place(0, 0, 0)) == (net, 2)
    assert share(model, made, Place(0, 0, None)) == net.grad
    assert share(model, made, Place(0, 0, 0)) == 1.0 * net.grad
    neuron.w[1] = neuron.w[0]  # two edges of r1's node from one weight, in an order of its own
    made = backward(model, [1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match=r"the net node of neuron r1 has 2 edges from w1\[1,1\], not the one of "):
        share(model, made, Place(0, 0, 1))
    neuron.name, neuron.w[0].label = "r\n1", "w\u202e"
    with pytest.raises(ValueError, match=r"of neuron r\\n1 has 2 edges from w\\u202e, not the one"):
        share(model, made, Place(0, 0, 1))
    neuron.name, neuron.w[0].label = "", ""
    with pytest.raises(ValueError, match=r"of neuron Reversed\(2\) has 2 edges from Value\(data=0.5, grad="):
        share(model, made, Place(0, 0, 1))


def test_a_missing_neuron_is_named():
    shared = MLP.from_layers([Layer(2, 2, shared_bias=True)])
    with pytest.raises(ValueError, match=r"the forward pass reported no nodes for neuron o1"):
        shares(shared, {})
    with pytest.raises(ValueError, match=r"reported no nodes for neuron ReLUNeuron\(2\)"):  # unnamed: its repr
        nodes_of(Neuron(2), {})
    with pytest.raises(ValueError, match=r"reported no nodes for neuron o\\n1: pass"):  # on one line
        nodes_of(Neuron(2, name="o\n1"), {})


@pytest.mark.parametrize(
    "place", [Place(0, 0, -1), Place(0, 0, 2), Place(0, 2, None), Place(1, 0, None), Place(-1, 0, 0)]
)
def test_a_place_that_is_not_the_models_is_refused_by_name(place):
    model = MLP.from_layers([Layer(2, 2)])
    made = backward(model, [1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match=rf"^{re.escape(str(place))} is not a place of this model \(layers, neurons"):
        share(model, made, place)


def test_what_the_forward_pass_made_must_be_its_dict():
    model = MLP.from_layers([Layer(2, 2, shared_bias=True)])
    made = backward(model, [1.0, 2.0], [0.0, 0.0])
    with pytest.raises(TypeError, match=r"^made needs the dict that the loss's forward pass filled .*, got list$"):
        shares(model, list(made.values()))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"got Value$"):
        nodes_of(model.layers[0].neurons[0], Value(1.0))  # type: ignore[arg-type]


def test_a_subclass_at_two_places_is_told_to_make_one_of_its_own_class():
    neuron = Swish(2, name="s")
    model = MLP.from_layers([Layer.from_neurons([neuron, neuron])])
    with pytest.raises(ValueError, match=r"sharing the parameters: Swish.from_values\(neuron.w, neuron.b, neuron"):
        places(model)


def test_the_first_shared_parameter_is_found_with_its_count_and_a_neuron_at_two_places_counts_twice():
    model = MLP(2, [2, 1], rng=random.Random(1))
    assert first_shared(model) is None
    (n1, n2), (o1,) = (layer.neurons for layer in model.layers)
    o1.w[1] = n2.w[0] = n1.w[1]
    assert first_shared(model) == (1, n1.w[1], 3)  # parameters()[1], at three places
    twice = MLP(2, [2, 2, 1], rng=random.Random(1))
    twice.layers[1].neurons[0] = twice.layers[1].neurons[1]
    neuron = twice.layers[1].neurons[1]
    assert first_shared(twice) == (twice.parameters().index(neuron.w[0]), neuron.w[0], 2)
