import itertools
import math
import random
import re
from collections.abc import Sequence
from typing import Any
from unittest import mock

import pytest

from autograd import Value, topological_order
from nn import ACTIVATIONS, MLP, SGD, Layer, Made, Neuron, mean_squared_error, squared_error
from nn.examples import mazur
from nn.modules import Input


def test_mazur_forward_pass_and_dE_dw5():
    ex = mazur()
    o1, o2 = ex.model.forward(ex.inputs)
    error = squared_error([o1, o2], ex.targets)
    error.backward()
    assert round(o1.data, 8) == 0.75136507
    assert round(o2.data, 9) == 0.772928465
    assert round(error.data, 9) == 0.298371109
    assert round(ex.weights["w5"].grad, 9) == 0.082167041
    assert round(ex.weights["w1"].grad, 9) == 0.000438568


def test_mazur_names_read_like_the_article():
    ex = mazur()
    o1, _ = ex.model.forward(ex.inputs)
    assert o1.label == "o1"
    assert o1.children[0].label == "net_o1"
    bias, w5, _, h1, _ = o1.children[0].children  # dot's edges: bias, the weights, then the inputs
    assert (bias.label, w5.label) == ("b2", "w5")
    assert (h1.label, h1.children[0].label) == ("h1", "net_h1")


def test_shared_bias_collects_every_use():
    ex = mazur()
    out = ex.model.forward(ex.inputs)
    squared_error(out, ex.targets).backward()
    o1, o2 = out
    # dE/db2 = dE/dnet_o1 + dE/dnet_o2: the bias is one input of each output neuron's net.
    assert ex.biases["b2"].grad == pytest.approx(o1.children[0].grad + o2.children[0].grad, rel=1e-15)
    assert ex.model.parameters().count(ex.biases["b2"]) == 1
    assert len(ex.model.parameters()) == 10


def test_mlp_behaves_like_micrograds():
    model = MLP(3, [4, 4, 1], rng=random.Random(0))
    assert repr(model) == (
        "MLP of [Layer of [ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3)], "
        "Layer of [ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4)], Layer of [LinearNeuron(4)]]"
    )
    assert len(model.parameters()) == 4 * 4 + 4 * 5 + 5
    out = model([1.0, -2.0, 3.0])
    assert isinstance(out, Value)
    first = model.layers[0].neurons[0]
    assert model.parameters()[:4] == [*first.w, first.b]
    assert all(-1 <= p.data <= 1 for p in model.parameters())


def test_same_seed_same_model_and_global_random_works():
    a = MLP(2, [3, 1], rng=random.Random(7))
    b = MLP(2, [3, 1], rng=random.Random(7))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    random.seed(1337)
    c = MLP(2, [3, 1])
    random.seed(1337)
    d = MLP(2, [3, 1])
    assert [p.data for p in c.parameters()] == [p.data for p in d.parameters()]


def test_hidden_layer_of_one_neuron_works():
    model = MLP(2, [1, 2])
    out = model([0.5, -0.5])
    assert isinstance(out, list)
    assert len(out) == 2
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)


def test_micrograd_nonlin_keyword():
    assert repr(Neuron(2, nonlin=False)) == "LinearNeuron(2)"
    assert repr(Layer(2, 1, nonlin=True).neurons[0]) == "ReLUNeuron(2)"


def test_each_activation():
    for activation, expected in [("relu", 0.0), ("tanh", -0.46211715726000974), ("sigmoid", 0.3775406687981454)]:
        neuron = Neuron.from_values([1.0, 1.0], -1.0, activation)
        assert neuron.fire([0.25, 0.25]).data == pytest.approx(expected, rel=1e-12)
    assert Neuron.from_values([2.0], 1.0, "linear").fire([3.0]).data == 7.0


def test_layer_shared_bias_option():
    layer = Layer(2, 3, shared_bias=True)
    assert len({id(n.b) for n in layer.neurons}) == 1
    assert len(layer.parameters()) == 3 * 2 + 1


def test_mlp_learns_xor():
    data = [([0.0, 0.0], -1.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], -1.0)]
    model = MLP(2, [8, 1], activation="tanh", rng=random.Random(3))
    optimizer = SGD(model.parameters(), lr=0.1)
    for _ in range(300):
        loss = mean_squared_error([model.forward(x)[0] for x, _ in data], [y for _, y in data])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.data < 0.01
    assert [1.0 if model.forward(x)[0].data > 0 else -1.0 for x, _ in data] == [y for _, y in data]


@pytest.mark.parametrize("subclass", [False, True])
def test_a_model_names_an_input_that_is_no_number_by_its_position_and_itself(subclass):
    class Own(Neuron):
        pass

    layer = Layer.from_neurons([Own(2), Own(2)]) if subclass else Layer(2, 2)
    neuron = layer.neurons[0]
    for call, called in (
        (layer, r"a layer of 2 neurons of 2 inputs"),
        (MLP.from_layers([layer]), r"MLP\(2, \[2\]\)"),
        (neuron, re.escape(repr(neuron))),
    ):
        with pytest.raises(
            TypeError, match=rf"^{called} takes numbers or Values as inputs, got 'a' \(str\) as input 2$"
        ):
            call([1.0, "a"])  # type: ignore[list-item]
        for batch in ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0]]):  # as many examples as inputs, or fewer
            with pytest.raises(
                TypeError,
                match=rf"^{called} takes numbers or Values as inputs, got \[1\.0, 2\.0\] \(list\) as input 1 "
                r"\(a batch\? pass one example at a time\)$",
            ):
                call(batch)  # type: ignore[arg-type]
        for given in (b"ab", {1.0, 2.0}, {"a": 1.0}, None):
            got = re.escape(f"{given!r} ({type(given).__name__})")
            with pytest.raises(
                TypeError, match=rf"^{called} takes one example's inputs as a list of numbers or Values, got {got}$"
            ):
                call(given)  # type: ignore[arg-type]
    assert layer.forward([1, Value(2.0)])[0].data == layer.forward([1.0, 2.0])[0].data  # an int and a Value too


def test_a_model_names_a_value_whose_data_is_no_number_and_another_engines_value_among_its_inputs():
    class Other:  # another engine's Value
        def __init__(self, data: float) -> None:
            self.data, self.grad = data, 0.0

        def __repr__(self) -> str:
            return f"Other({self.data})"

    model = MLP(2, [3, 1])
    held = Value(1.0)
    held.data = "x"  # type: ignore[assignment]
    called = r"^MLP\(2, \[3, 1\]\) takes numbers or Values as inputs, got "
    with pytest.raises(TypeError, match=called + r"a Value holding 'x' \(str\) as input 2$"):
        model([1.0, held])
    with pytest.raises(
        TypeError,
        match=called + r"Other\(1\.0\) as input 1, another engine's Value \(tests\.test_modules\..*Other\): make it "
        r"one of chainrule's, Value\(v\.data\), or use its number, v\.data$",
    ):
        model([Other(1.0), 2.0])  # type: ignore[list-item]


def test_a_model_reads_numpy_s_bool_as_python_s_bool_as_an_input():
    np = pytest.importorskip("numpy")
    model = MLP(2, [3, 1], rng=random.Random(0))
    read = [model.forward(x)[0].data for x in ([np.True_, np.False_], [True, False], np.array([True, False]))]
    assert read[0] == read[1] == read[2]


def test_a_model_given_a_batch_as_a_2_d_array_names_itself_and_the_shape():
    np = pytest.importorskip("numpy")
    with pytest.raises(
        TypeError, match=r"^MLP\(2, \[1\]\) takes one example's inputs, a 1-d array; got an array of shape \(3, 2\)$"
    ):
        MLP(2, [1])(np.ones((3, 2)))
    one_example = MLP(2, [1], rng=random.Random(0)).forward(np.array([1.0, 2.0]))[0].data
    assert one_example == MLP(2, [1], rng=random.Random(0)).forward([1.0, 2.0])[0].data


def test_bad_inputs_and_shapes():
    model = MLP(2, [3, 1])
    with pytest.raises(ValueError, match=r"^MLP\(2, \[3, 1\]\) takes one example of 2 inputs, got 3; pass one number"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^a layer of 3 neurons of 2 inputs takes 2, got 3$"):
        model.layers[0]([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"ReLUNeuron\(2\) takes 2 inputs, got 3"):
        model.layers[0].neurons[0]([1.0, 2.0, 3.0])
    with pytest.raises(
        TypeError, match=r"^MLP\(2, \[3, 1\]\) takes numbers or Values as inputs, got 'a' \(str\) as input 2$"
    ):
        model([1.0, "a"])  # type: ignore[list-item]
    with pytest.raises(
        TypeError, match=r"^MLP\(2, \[3, 1\]\) takes one example's inputs as a list of .* got 'ab' \(str\)$"
    ):
        model("ab")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nout must be a positive whole number, got 0"):
        Layer(2, 0)
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        Neuron(2, "gelu")
    with pytest.raises(ValueError, match="a layer of 2 outputs cannot feed"):
        MLP.from_layers([Layer(2, 2), Layer(3, 1)])


def test_an_mlp_names_what_is_unnamed():
    model = MLP(3, [2, 1], rng=random.Random(0))
    assert [n.name for layer in model.layers for n in layer.neurons] == ["h1_1", "h1_2", "o1"]
    assert [p.label for p in model.parameters()] == [
        "w1[1,1]", "w1[1,2]", "w1[1,3]", "b1[1]", "w1[2,1]", "w1[2,2]", "w1[2,3]", "b1[2]",
        "w2[1,1]", "w2[1,2]", "b2[1]",
    ]  # fmt: skip
    out = model([1.0, 2.0, 3.0])
    assert isinstance(out, Value) and out.label == "o1"
    assert out.children[0] is model.layers[1].neurons[0].b  # dot's first edge is the bias
    shared = MLP.from_layers([Layer(2, 2, shared_bias=True)])
    assert [n.b.label for n in shared.layers[0].neurons] == ["b1", "b1"]
    some = Layer(2, 3, rng=random.Random(1))
    some.neurons[1].b = some.neurons[0].b  # shared by two of the three neurons: named after the first
    assert [n.b.label for n in MLP.from_layers([some]).layers[0].neurons] == ["b1[1]", "b1[1]", "b1[3]"]
    assert [p.label for p in mazur().model.parameters()][:3] == ["w1", "w2", "b1"]  # the article's names stay


def test_mlp_with_a_number_for_nouts_says_what_it_needs():
    with pytest.raises(
        TypeError,
        match=r"MLP\(nin, nouts\) needs a list of layer sizes for nouts, got 3; for example MLP\(2, \[4, 4, 1\]\)",
    ):
        MLP(2, 3)  # type: ignore[arg-type]


def test_numpy_scalars_and_1d_arrays_are_inputs():
    np = pytest.importorskip("numpy")
    model = MLP(2, [3, 1], rng=random.Random(0))
    expected = model.forward([0.5, -1.0])[0].data
    assert model.forward(np.array([0.5, -1.0]))[0].data == expected
    assert model.forward([np.float32(0.5), np.float64(-1.0)])[0].data == expected
    assert Neuron.from_values([2.0], 1.0, "linear")(np.float64(3.0)).data == 7.0  # type: ignore[union-attr]
    with pytest.raises(TypeError, match=r"a 1-d array; got an array of shape \(2, 2\)"):
        model(np.ones((2, 2)))


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_a_layer_makes_the_nodes_its_neurons_fire(activation):
    model = MLP(2, [3, 2], activation=activation, last_activation=activation, rng=random.Random(0))
    hidden, last = model.layers
    for layer, inputs in ((hidden, [1.0, 2.0]), (last, hidden.forward([1.0, 2.0]))):
        for out, fired in zip(layer.forward(inputs), [n.fire(inputs) for n in layer.neurons], strict=True):
            assert (out.data, out.label, out.op) == (fired.data, fired.label, fired.op)
            net, fired_net = (out, fired) if activation == "linear" else (out.children[0], fired.children[0])
            assert (net.label, net.children, net.local_grads) == (
                fired_net.label,
                fired_net.children,
                fired_net.local_grads,
            )
    assert [o.label for o in last.forward([0.5, 0.5, 0.5])] == ["o1", "o2"]
    first = hidden.forward([0.5, 0.5])[0]
    if activation == "linear":
        assert (first.op, first.label) == ("dot", "h1_1")
    else:
        assert (first.op, first.label, first.children[0].label) == (activation, "h1_1", "net_h1_1")


def test_renaming_a_neuron_or_changing_its_activation_relabels_what_it_makes():
    layer = Layer(2, 2, rng=random.Random(0))
    first, second = layer.neurons
    h, o = layer.forward([1.0, 2.0])
    assert (h.label, h.children[0].label, o.label, o.children[0].label) == ("", "", "", "")
    first.name = "h1"
    second.name, second.activation = "o1", "linear"
    h1, o1 = layer.forward([1.0, 2.0])
    assert (h1.label, h1.op, h1.children[0].label) == ("h1", "relu", "net_h1")
    assert (o1.label, o1.op) == ("o1", "dot")  # a linear neuron's output is its net input, named as the neuron
    assert o1.data == o.children[0].data  # the same w·x + b as before, no longer through relu
    first.activation = "tanh"
    tanh = layer.forward([1.0, 2.0])[0]
    assert (tanh.op, tanh.data) == ("tanh", math.tanh(h1.children[0].data))


def test_an_mlp_renamed_after_it_is_built_labels_its_nodes_with_the_new_names():
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(0))
    before = model([1.0, 2.0])
    assert isinstance(before, Value) and before.label == "o1"
    model.layers[1].neurons[0].name = "score"
    model.layers[0].neurons[1].name = "hidden"
    after = model([1.0, 2.0])
    assert isinstance(after, Value)
    assert (after.label, after.data) == ("score", before.data)  # linear: the net input is named as the neuron
    _, hidden = after.children[3:]  # dot's operands: the bias, the two weights, then the inputs (h1_1, hidden)
    assert (hidden.label, hidden.children[0].label) == ("hidden", "net_hidden")


def test_an_unknown_activation_is_refused_when_the_neuron_is_built_or_fires():
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'; choose one of relu, tanh, sigmoid, linear"):
        Neuron(2, "gelu")
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'; choose one of relu, tanh, sigmoid, linear"):
        Neuron.from_values([1.0], 0.0, "gelu")
    layer = Layer(2, 2, rng=random.Random(0))
    layer.neurons[1].activation = "gelu"
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'; choose one of relu, tanh, sigmoid, linear"):
        layer.forward([1.0, 2.0])
    assert repr(layer.neurons[1]) == "Neuron(2, 'gelu')"  # its repr still says what it is, to name it in errors


def test_an_activation_entry_that_is_not_a_function_is_refused_when_the_neuron_is_built(monkeypatch):
    monkeypatch.setitem(ACTIVATIONS, "five", 5)
    with pytest.raises(
        TypeError, match=r"^nn.ACTIVATIONS\['five'\] is 5 \(int\); an activation is a function of a Value, such as"
    ):
        MLP(2, [2, 1], activation="five")
    monkeypatch.setitem(ACTIVATIONS, "swish", lambda v: v * v.sigmoid())
    assert repr(MLP(2, [1, 1], activation="swish").layers[0]) == "Layer of [Neuron(2, 'swish')]"


class Doubling(Neuron):
    """Its output is twice its activation's."""

    def activate(self, net: Value) -> Value:
        return net * 2


class Offset(Neuron):
    """Fires as a Neuron does, then adds 1."""

    def fire(self, inputs: Sequence[Input], *, made: Made | None = None) -> Value:
        return super().fire(inputs, made=made) + 1


class Constant(Neuron):
    """Gives 3 whatever its inputs, and reports nothing."""

    def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
        return [Value(3.0)]


def test_a_layer_fires_its_neurons_as_a_subclass_of_neuron_says():
    layer = Layer.from_neurons([Doubling.from_values([1.0, 1.0], 0.5, "linear")])
    assert layer.forward([1.0, 2.0])[0].data == 7.0  # (1 + 2 + 0.5) * 2


def test_an_mlp_fires_each_neuron_as_its_subclass_says():
    hidden = Layer.from_neurons(
        [
            Doubling.from_values([1.0, 1.0], 0.5, "linear"),  # (1 + 2 + 0.5) * 2 = 7
            Offset.from_values([1.0, -1.0], 0.0, "relu"),  # relu(1 - 2) + 1 = 1
            Constant.from_values([5.0, 5.0], 5.0, "relu"),  # 3
        ]
    )
    model = MLP.from_layers([hidden, Layer.from_neurons([Neuron.from_values([1.0, 10.0, 100.0], 0.0, "linear")])])
    assert [o.data for o in hidden.forward([1.0, 2.0])] == [7.0, 1.0, 3.0]
    made: Made = {}
    out = model([1.0, 2.0], made=made)
    assert isinstance(out, Value) and out.data == 317.0  # 7 + 10 * 1 + 100 * 3
    doubling, offset, constant = hidden.neurons
    assert (made[doubling].net.data, made[doubling].out.data, made[doubling].out.op) == (3.5, 7.0, "*")
    assert (made[offset].out.op, made[offset].out.data) == ("relu", 0.0)  # Neuron.fire reported, before the + 1
    assert constant not in made  # its own forward reports nothing


def test_neurons_fire_through_the_public_method():
    layer = Layer(2, 3, rng=random.Random(0))
    with pytest.raises(ValueError, match=r"ReLUNeuron\(2\) takes 2 inputs, got 1"):
        layer.neurons[0].fire([1.0])
    assert isinstance(layer.neurons[0]([1.0, 2.0]), Value)  # one __call__, from Module
    assert type(layer).__call__ is type(layer.neurons[0]).__call__


def test_a_nan_input_cannot_train_silently():
    model = MLP(2, [3, 1], activation="relu", rng=random.Random(4))
    optimizer = SGD(model.parameters(), lr=0.1)
    before = [p.data for p in model.parameters()]
    loss = mean_squared_error(model.forward([float("nan"), 1.0]), [1.0])
    loss.backward()
    with pytest.raises(
        FloatingPointError, match=r"SGD.step\(\) refused: parameter 1 of 13 \(w1\[1,1\]\) has value .* gradient nan"
    ):
        optimizer.step()
    assert [p.data for p in model.parameters()] == before


def test_the_alternate_constructors_give_the_numbers_they_gave_before():
    tanh = Neuron.from_values([0.3, -0.7], 0.1, "tanh", name="n")
    assert tanh([1.5, 2.0]).data == -0.6910694698329305  # type: ignore[union-attr]  # tanh(0.1 + 0.45 - 1.4)
    hidden = Layer.from_neurons([tanh, Neuron.from_values([0.2, 0.5], -0.4, "sigmoid")])
    assert [o.data for o in hidden.forward([1.5, 2.0])] == [-0.6910694698329305, 0.7109495026250039]
    model = MLP.from_layers([hidden, Layer.from_neurons([Neuron.from_values([1.1, -0.9], 0.05, "linear")])])
    assert repr(model) == "MLP of [Layer of [TanhNeuron(2), SigmoidNeuron(2)], Layer of [LinearNeuron(2)]]"
    out = model([1.5, 2.0])
    assert isinstance(out, Value)
    out.backward()
    assert out.data == -1.3500309691787271
    assert [n.name for layer in model.layers for n in layer.neurons] == ["n", "h1_2", "o1"]  # "n" keeps its name
    assert [p.grad for p in model.parameters()] == [
        0.8619979299769733, 1.149330573302631, 0.5746652866513156,
        -0.27742541491205575, -0.3699005532160743, -0.18495027660803715,
        -0.6910694698329305, 0.7109495026250039, 1.0,
    ]  # fmt: skip


def test_the_alternate_constructors_are_the_constructors_with_keywords():
    shared = Value(0.1, label="b")
    made = Neuron(2, "tanh", name="n", weights=[0.3, Value(-0.7)], bias=shared)
    given = Neuron.from_values([0.3, -0.7], shared, "tanh", name="n")
    assert (made.b, given.b) == (shared, shared)  # a Value given is the parameter itself
    assert [w.data for w in made.w] == [w.data for w in given.w] == [0.3, -0.7]
    assert made([1.5, 2.0]).data == given([1.5, 2.0]).data == -0.6910694698329305  # type: ignore[union-attr]
    layer = Layer(2, 2, neurons=[made, given])
    assert layer.neurons == [made, given] and layer.parameters() == [*made.w, shared, *given.w]
    model = MLP(2, [2], layers=[layer])
    assert model.layers == [layer] and model.shape() == [2, 2]
    random.seed(11)
    state = random.getstate()
    Neuron(2, weights=[1.0, 2.0])
    assert random.getstate() == state  # given weights draw nothing


def test_the_alternate_constructors_make_the_class_they_are_called_on():
    class Named(Neuron):
        pass

    class Wide(Layer):
        pass

    class Deep(MLP):
        pass

    neuron = Named.from_values([1.0], 0.0)
    layer = Wide.from_neurons([neuron])
    model = Deep.from_layers([layer])
    assert (type(neuron), type(layer), type(model)) == (Named, Wide, Deep)
    assert model(2.0).data == 2.0  # type: ignore[union-attr]  # relu(1 * 2 + 0)


def test_parts_that_do_not_fit_are_refused_naming_what_was_expected():
    with pytest.raises(ValueError, match=r"a neuron of nin=3 inputs needs 3 weights, got 2"):
        Neuron(3, weights=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"a layer of nout=3 neurons needs 3 neurons, got 2"):
        Layer(2, 3, neurons=[Neuron(2), Neuron(2)])
    with pytest.raises(
        ValueError, match=r"a layer of nin=2 inputs needs neurons of 2 inputs; neuron 2 is ReLUNeuron\(3\)"
    ):
        Layer(2, 2, neurons=[Neuron(2), Neuron(3)])
    with pytest.raises(TypeError, match=r"a layer's neurons must be Neurons; neuron 1 is 1.0 \(float\)"):
        Layer(1, 1, neurons=[1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"a layer needs at least one neuron, all with the same number of inputs"):
        Layer.from_neurons([Neuron(2), Neuron(3)])
    with pytest.raises(ValueError, match=r"an MLP of layer sizes \[2, 1\] needs 2 layers, got 1"):
        MLP(2, [2, 1], layers=[Layer(2, 2)])
    with pytest.raises(ValueError, match=r"an MLP of nin=3 inputs needs a first layer of 3 inputs, got Layer of"):
        MLP(3, [2], layers=[Layer(2, 2)])
    with pytest.raises(ValueError, match=r"an MLP of layer sizes \[3\] needs 3 outputs from layer 1, got Layer of"):
        MLP(2, [3], layers=[Layer(2, 2)])
    with pytest.raises(TypeError, match=r"an MLP's layers must be Layers; layer 1 is ReLUNeuron\(2\) \(Neuron\)"):
        MLP(2, [1], layers=[Neuron(2)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"an MLP needs at least one layer"):
        MLP.from_layers([])


def test_the_nodes_a_forward_pass_reports_are_the_nodes_of_the_loss_graph():
    model = MLP(2, [3, 2], activation="tanh", rng=random.Random(0))
    x, targets = [0.5, -1.0], [0.0, 1.0]
    made: Made = {}
    outputs = model.forward(x, made=made)
    loss = squared_error(outputs, targets)
    loss.backward()
    hidden, last = model.layers
    assert list(made) == [*hidden.neurons, *last.neurons]  # every neuron, in the order they fired
    order = topological_order(loss)
    assert {v for v in order if v.op == "dot"} == {fired.net for fired in made.values()}
    assert {v for v in order if v.op == "tanh"} == {made[n].out for n in hidden.neurons}
    assert [made[n].out for n in last.neurons] == outputs and [made[n].net for n in last.neurons] == outputs
    for neuron in hidden.neurons:
        net, out = made[neuron]
        assert net.children == (neuron.b, *neuron.w) and out.children == (net,)
        assert (net.label, out.label) == (f"net_{neuron.name}", neuron.name)
        assert net.data == neuron.b.data + neuron.w[0].data * 0.5 - neuron.w[1].data  # b + w1 x1 + w2 x2
        assert out.data == math.tanh(net.data)
    for neuron, output, target in zip(last.neurons, outputs, targets, strict=True):
        assert made[neuron].net.children == (neuron.b, *neuron.w, *(made[n].out for n in hidden.neurons))
        assert made[neuron].out.grad == output.data - target  # dE/do of Σ ½(t - o)²
    assert [o.data for o in outputs] == [o.data for o in model.forward(x)]  # made changes no number


def test_a_forward_pass_without_made_reports_nothing_and_made_keeps_the_latest_firing():
    model = MLP(2, [2, 1], rng=random.Random(0))
    made: Made = {}
    first = model([1.0, 2.0], made=made)
    second = model([3.0, 4.0], made=made)
    model([5.0, 6.0])
    output = model.layers[1].neurons[0]
    assert made[output].out is second and made[output].out is not first
    assert len(made) == 3


def test_a_numpy_array_set_as_a_parameters_data_is_named_by_the_network():
    np = pytest.importorskip("numpy")
    model = MLP(2, [3, 1])
    model.parameters()[4].data = np.array([0.5, 0.5])
    with pytest.raises(
        TypeError,
        match=r"^neurons\(\) needs real numbers, got array\(\[0\.5, 0\.5\]\) \(ndarray\) "
        r"as the data of a Value labelled 'w1\[2,2\]'$",
    ):
        model([1.0, 2.0])


def test_a_number_given_to_a_wide_model_gets_a_short_message_with_the_call_to_write():
    model = MLP(2, [16, 16, 1], rng=random.Random(0))
    with pytest.raises(ValueError) as raised:
        model(1.0)
    message = str(raised.value)
    assert message == (
        "MLP(2, [16, 16, 1]) takes one example of 2 inputs, got 1; "
        "pass one number per input, model([x1, x2]), and one example at a time"
    )


def test_a_layer_obeys_an_activation_that_is_a_function_as_a_lone_neuron_does(monkeypatch):
    leaky = lambda v: v.relu() - 0.01 * (-v).relu()  # noqa: E731
    monkeypatch.setitem(ACTIVATIONS, "leaky", leaky)
    neuron = Neuron.from_values([1.0, 1.0], 0.0, "leaky", name="h")
    alone = neuron([1.0, -3.0])
    in_layer = Layer.from_neurons([neuron])([1.0, -3.0])
    assert isinstance(alone, Value) and isinstance(in_layer, Value)
    assert (alone.data, in_layer.data, in_layer.label) == (-0.02, -0.02, "h")


def test_a_layer_obeys_neuron_methods_patched_on_the_class_and_a_neuron_refuses_one_of_its_own():
    layer = Layer.from_neurons([Neuron.from_values([1.0], 0.5, "relu"), Neuron.from_values([2.0], 0.0, "relu")])
    with mock.patch.object(
        Neuron, "fire", autospec=True, side_effect=lambda self, inputs, made=None: Value(7.0)
    ) as fire:
        assert [o.data for o in layer.forward([1.0])] == [7.0, 7.0]
    assert fire.call_count == 2
    with pytest.raises(
        AttributeError, match=r"^a neuron's activate cannot be set on the neuron alone: define a subclass"
    ):
        layer.neurons[1].activate = lambda net: net * 100  # type: ignore[method-assign]
    assert [o.data for o in layer.forward([1.0])] == [1.5, 2.0]


def test_a_layer_names_the_neuron_whose_weights_do_not_fit_its_inputs():
    layer = Layer(3, 2, rng=random.Random(0))
    layer.neurons[1].name = "h1_2"
    layer.neurons[1].w.append(Value(0.1))
    with pytest.raises(
        ValueError, match=r"^neuron 2 of this layer \(h1_2\) has 4 weights, but the layer takes 3 inputs"
    ):
        layer([1.0, 2.0, 3.0])
    layer.neurons[1].name = "h1\n2"  # on one line, as every other message names a neuron
    with pytest.raises(ValueError, match=r"^neuron 2 of this layer \(h1\\n2\) has 4 weights"):
        layer([1.0, 2.0, 3.0])
    layer.neurons[1].name = ""
    with pytest.raises(ValueError, match=r"^neuron 2 of this layer \(ReLUNeuron\(4\)\) has 4 weights"):
        layer([1.0, 2.0, 3.0])


class Swish(Neuron):
    """x σ(x): a neuron firing its own way."""

    def activate(self, net: Value) -> Value:
        return net * net.sigmoid()


def test_a_neuron_of_its_own_class_says_its_class_and_is_saved_and_loaded_under_that_name(tmp_path):
    from nn import load, save

    model = MLP.from_layers([Layer.from_neurons([Swish(2, rng=random.Random(0)), Swish(2)]), Layer(2, 1, "linear")])
    assert repr(model.layers[0]) == "Layer of [Swish(2), Swish(2)]"
    assert model.activations() == ["Swish", "Swish", "linear"]
    save(model, tmp_path / "swish.json")
    with pytest.raises(ValueError, match=r"has activations \[.Swish., .Swish., .linear.\], and .Swish. is not one of"):
        load(tmp_path / "swish.json")  # no silent ReLU model in its place
    twin = MLP.from_layers([Layer.from_neurons([Swish(2), Swish(2)]), Layer(2, 1, "linear")])
    load(twin, tmp_path / "swish.json")
    out, twin_out = model([0.5, -1.0]), twin([0.5, -1.0])
    assert isinstance(out, Value) and isinstance(twin_out, Value)
    assert twin_out.data == out.data


def test_an_activation_that_gives_a_value_not_computed_from_the_net_input_is_named():
    class Detached(Neuron):
        def activate(self, net: Value) -> Value:
            return Value(net.data).relu()  # the weights would get no gradient

    with pytest.raises(
        TypeError, match=r"^the activation of Detached\(1\) gave Value\(data=2.0, grad=0.0\) \(Value\); it needs"
    ):
        Layer.from_neurons([Detached.from_values([1.0], 0.0)])([2.0])
    with pytest.raises(TypeError, match=r"^the activation of Detached\(1\) gave"):
        Detached.from_values([1.0], 0.0)([2.0])


def test_an_activation_that_gives_no_value_is_named(monkeypatch):
    class Constant(Neuron):
        def activate(self, net: Value) -> Value:
            return 1.0  # type: ignore[return-value]

    with pytest.raises(
        TypeError, match=r"^the activation of Constant\(1\) gave 1.0 \(float\); it needs to give a Value"
    ):
        Layer.from_neurons([Constant.from_values([1.0], 0.0)])([2.0])

    def two(net: Value) -> Value:
        return 2.0  # type: ignore[return-value]

    monkeypatch.setitem(ACTIVATIONS, "two", two)  # a layer of Neurons makes its nodes with autograd's neurons()
    with pytest.raises(TypeError, match=r"^the activation of Neuron\(1, 'two'\) gave 2.0 \(float\); it needs"):
        Layer.from_neurons([Neuron.from_values([1.0], 0.0), Neuron.from_values([1.0], 0.0, "two")])([2.0])
    model = MLP(1, [2, 1], "two", rng=random.Random(0))
    with pytest.raises(TypeError, match=r"^the activation of neuron h1_1 \(Neuron\(1, 'two'\)\) gave 2.0 \(float\)"):
        model([2.0])


def test_an_activation_of_ones_own_that_fails_in_a_layer_is_called_once_and_its_error_kept(monkeypatch):
    calls: list[float] = []

    def failing(net: Value) -> Value:
        calls.append(net.data)
        raise TypeError("my activation failed")

    monkeypatch.setitem(ACTIVATIONS, "failing", failing)
    with pytest.raises(TypeError, match=r"^my activation failed$"):
        Layer(2, 3, "failing", rng=random.Random(0))([1.0, 2.0])
    assert len(calls) == 1


def test_an_activation_replaced_by_one_that_is_no_function_is_named(monkeypatch):
    monkeypatch.setitem(ACTIVATIONS, "gone", lambda v: v.tanh())
    layer = Layer(2, 2, "gone", rng=random.Random(0))
    monkeypatch.setitem(ACTIVATIONS, "gone", 3)
    message = r"^nn\.ACTIVATIONS\['gone'\] is 3 \(int\); an activation is a function of a Value"
    with pytest.raises(TypeError, match=message):
        layer([1.0, 2.0])
    with pytest.raises(TypeError, match=message):
        layer.neurons[0]([1.0, 2.0])


def test_made_must_be_a_dict():
    model = MLP(2, [2, 1], rng=random.Random(0))
    with pytest.raises(TypeError, match=r"^made needs a dict for the forward pass to fill \(made = \{\}\), got list$"):
        model.forward([1.0, 2.0], made=[])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^made needs a dict"):
        model.layers[0].neurons[0].fire([1.0, 2.0], made=[])  # type: ignore[arg-type]


def test_sizes_may_be_numpy_ints_and_are_kept_as_ints():
    np = pytest.importorskip("numpy")
    model = MLP(np.int64(2), [np.int64(3), np.int32(1)], rng=random.Random(0))
    assert model.shape() == [2, 3, 1] and all(type(n) is int for n in model.shape())
    with pytest.raises(ValueError, match=r"^nin must be a positive whole number, got 2\.0$"):
        MLP(2.0, [1])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: MLP(2, [10**12]), r"^MLP\(2, \[1000000000000\]\) would have 3,000,000,000,000 parameters; "),
        (lambda: Layer(31_623, 31_622), r"^a layer of 31,622 neurons of 31,623 inputs would have 1,000,014,128 "),
        (lambda: Neuron(10**9), r"^a neuron of 1,000,000,000 inputs would have 1,000,000,001 parameters; each is a "),
        (
            lambda: MLP(30_000, [30_000] * 2),
            r"^MLP\(30000, \[30000, 30000\]\) would have 1,800,060,000 parameters; each",
        ),
        (lambda: Neuron(10**12, weights=range(10**12)), r"^a neuron of 1,000,000,000,000 inputs would have "),
    ],
    ids=["MLP", "layer", "neuron", "MLP of layers each below the bound", "neuron of given weights"],
)
def test_a_module_too_large_for_any_memory_is_refused_at_once_saying_how_large(make, message):
    with pytest.raises(ValueError, match=message) as refused:
        make()
    assert str(refused.value).endswith("nn makes at most 1,000,000,000 at once (about 150 GB)")
    assert len(Layer(99, 100, rng=random.Random(0)).parameters()) == 10_000  # far below, made as asked


@pytest.mark.parametrize(
    ("weights", "got"),
    [
        (lambda: itertools.repeat(0.5), "more than 3"),
        (lambda: [0.5] * 5, "5"),
        (lambda: iter([0.5]), "1"),
        (lambda: (w for w in [0.5] * 4), "more than 3"),
    ],
    ids=["endless", "a longer list", "a shorter iterator", "a longer generator"],
)
def test_weights_of_another_count_are_refused_and_an_endless_iterable_is_read_no_further(weights, got):
    with pytest.raises(ValueError, match=rf"^a neuron of nin=3 inputs needs 3 weights, got {got}$"):
        Neuron(3, weights=weights())  # made anew for each run: an iterator is read once
    assert [w.data for w in Neuron(3, weights=itertools.repeat(0.5, 3)).w] == [0.5, 0.5, 0.5]


def test_neurons_and_layers_may_come_from_a_generator_and_a_single_one_is_named():
    neuron = Neuron(2, rng=random.Random(0))
    layer = Layer(2, 1, neurons=(n for n in [neuron]))
    assert layer.neurons == [neuron]
    assert MLP(2, [1], layers=(k for k in [layer])).layers == [layer]
    with pytest.raises(TypeError, match=r"^a layer's neurons are a list of Neurons, got ReLUNeuron\(2\) \(Neuron\)$"):
        Layer(2, 1, neurons=neuron)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^an MLP's layers are a list of Layers, got Layer of \[ReLUNeuron\(2\)\] \(Layer\)$"
    ):
        MLP(2, [1], layers=layer)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^a layer's neurons are a list of Neurons, got 5 \(int\)$"):
        Layer(2, 1, neurons=5)  # type: ignore[arg-type]


def test_a_neuron_lists_each_parameter_once_as_a_layer_and_an_mlp_do():
    neuron = Neuron(3, rng=random.Random(0))
    neuron.w[2] = neuron.w[0]
    assert neuron.parameters() == [neuron.w[0], neuron.w[1], neuron.b]
    assert Layer.from_neurons([neuron]).parameters() == neuron.parameters()


def test_an_input_beside_numpy_s_bool_is_named_as_it_is_beside_python_s():
    np = pytest.importorskip("numpy")
    called = r"^MLP\(2, \[1\]\) takes numbers or Values as inputs, got 'a' \(str\) as input 2$"
    for true in (True, np.True_):
        held = Value(0.5)
        held.data = true
        for first in (true, held):
            with pytest.raises(TypeError, match=called):
                MLP(2, [1])([first, "a"])  # type: ignore[list-item]


def test_a_layer_of_one_neuron_of_one_input_is_named_in_the_singular():
    with pytest.raises(TypeError, match=r"^a layer of 1 neuron of 1 input takes numbers or Values as inputs, got 'a'"):
        Layer(1, 1)(["a"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"^a layer of 1 neuron of 1 input takes 1, got 2$"):
        Layer(1, 1)([1.0, 2.0])


@pytest.mark.parametrize("base", [Neuron, Layer, MLP])
def test_a_module_class_that_defines_call_is_refused_as_it_is_defined(base):
    with pytest.raises(TypeError, match=r"^Tanh defines __call__, which a layer, a model and the drawings would pass "):

        class Tanh(base):  # type: ignore[valid-type,misc]  # micrograd's Neuron is its __call__
            def __call__(self, x: Sequence[Value]) -> Value:
                return Value(0.0).tanh()


def test_a_neuron_class_with_its_own_fired_is_recorded_by_its_name_and_obeyed_in_a_layer():
    class Twice(Neuron):
        def fired(self, net: Value, out: Value, made: Made | None = None) -> Value:
            return super().fired(net, out, made) * 2

    neuron = Twice.from_values([1.0, 1.0], 0.5)
    layer = Layer.from_neurons([neuron, Neuron.from_values([1.0, 1.0], 0.5)])
    assert [out.data for out in layer.forward([1.0, 2.0])] == [7.0, 3.5]
    assert layer.activations() == ["Twice", "relu"]


def test_a_layer_or_model_class_with_its_own_forward_is_recorded_by_its_name():
    class Doubled(Layer):
        def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
            return [out * 2 for out in super().forward(x, made=made)]

    class Shifted(MLP):
        def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
            return [out + 1 for out in super().forward(x, made=made)]

    model = MLP.from_layers([Doubled(2, 2), Layer(2, 1)])
    assert model.activations() == ["Doubled", "Doubled", "relu"]
    assert Shifted(2, [3, 1]).activations() == ["Shifted"] * 4
    assert MLP(2, [3, 1]).activations() == ["relu"] * 3 + ["linear"]


def test_a_forward_of_ones_own_that_gives_no_list_of_values_is_named():
    class Bare(Neuron):
        def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
            return self.fire(list(x), made=made)  # type: ignore[arg-type,return-value]  # one Value, not a list

    class Numbers(Layer):
        def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
            return [out.data for out in super().forward(x, made=made)]  # type: ignore[misc]

    with pytest.raises(TypeError, match=r"^the forward of Bare\(2\) gave Value\(.*\) \(Value\); a module's forward "):
        MLP.from_layers([Layer.from_neurons([Bare(2)])])([1.0, 2.0])
    with pytest.raises(
        TypeError, match=r"^the forward of Layer of .* gave \[.*\] \(list\); .*a gradient would be lost$"
    ):
        MLP.from_layers([Layer(2, 2), Numbers(2, 1)])([1.0, 2.0])


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: MLP(2, [1], activation="gelu"), ValueError, "unknown activation 'gelu'; choose one of relu, tanh, "),
        (lambda: MLP(2, [1], last_activation="gelu"), ValueError, "unknown activation 'gelu'"),
        (lambda: MLP(2, [1], activation=None), TypeError, "an activation is a name, one of relu, tanh, sigmoid, "),  # type: ignore[arg-type]
        (lambda: Neuron(2, ["relu"]), TypeError, "an activation is a name, one of relu, tanh, sigmoid, linear; got ["),  # type: ignore[arg-type]
        (lambda: MLP(2, [1], rng=3), TypeError, "rng needs a random.Random, got 3; for a seed, pass random.Random(3)"),  # type: ignore[arg-type]
        (lambda: Neuron(2, name=5), TypeError, "a neuron's name is a string (the label of its output), got 5"),  # type: ignore[arg-type]
    ],
)
def test_a_constructor_names_an_argument_that_cannot_make_the_model(make, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        make()


def test_weights_given_by_a_generator_are_read_once():
    neuron = Neuron(2, weights=(w for w in [1.0, 2.0]), bias=0.5)
    assert [w.data for w in neuron.w] == [1.0, 2.0]


@pytest.mark.parametrize("text", [bytearray(b"ab"), memoryview(b"ab")])
def test_bytes_of_any_kind_are_no_inputs(text):
    with pytest.raises(TypeError, match=r"^MLP\(2, \[2, 1\]\) takes one example's inputs as a list of numbers or "):
        MLP(2, [2, 1])(text)


def test_a_forward_of_ones_own_without_made_is_refused_where_it_is_defined():
    with pytest.raises(
        TypeError, match=r"^Plain\.forward needs the keyword argument made, forward\(self, x, \*, made="
    ):

        class Plain(Neuron):
            def forward(self, x: Input | Sequence[Input]) -> list[Value]:  # type: ignore[override]
                return [self.fire(list(x))]  # type: ignore[arg-type]

    class Passing(Neuron):  # made passed on through **keywords
        def forward(self, x: Input | Sequence[Input], **keywords: Any) -> list[Value]:
            return super().forward(x, **keywords)

    made: Made = {}
    neuron = Passing.from_values([1.0], 0.5)
    assert Layer.from_neurons([neuron]).forward([2.0], made=made)[0].data == 2.5
    assert made[neuron].out.data == 2.5
