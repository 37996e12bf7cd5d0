import json
import random

import pytest

from autograd import Value, gradcheck
from demos.networks import mazur, worked_example
from nn import (
    MLP,
    SGD,
    Layer,
    Neuron,
    binary_cross_entropy,
    hinge,
    l2,
    load,
    mean_squared_error,
    save,
    squared_error,
)


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
    bias, w5, h1 = o1.children[0].children[:3]  # dot's edges: bias, then each weight and its input
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
        assert neuron([0.25, 0.25]).data == pytest.approx(expected, rel=1e-12)
    assert Neuron.from_values([2.0], 1.0, "linear")([3.0]).data == 7.0


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


@pytest.mark.parametrize(
    ("loss", "outputs", "targets", "expected"),
    [
        (squared_error, [0.75, 0.25], [1.0, 0.0], 0.5 * (0.25**2 + 0.25**2)),
        (mean_squared_error, [0.75, 0.25], [1.0, 0.0], (0.25**2 + 0.25**2) / 2),
        (hinge, [0.5, -2.0, 3.0], [1.0, 1.0, -1.0], (0.5 + 3.0 + 4.0) / 3),
        (binary_cross_entropy, [0.8, 0.4], [1.0, 0.0], (0.2231435513142097 + 0.5108256237659907) / 2),
    ],
)
def test_losses_value_and_gradient(loss, outputs, targets, expected):
    assert loss([Value(o) for o in outputs], targets).data == pytest.approx(expected, rel=1e-12)
    assert gradcheck(lambda *os: loss(list(os), targets), [o + 0.01 for o in outputs])


def test_l2_penalty():
    ps = [Value(1.0), Value(-2.0)]
    penalty = l2(ps, 1e-4)
    penalty.backward()
    assert penalty.data == pytest.approx(5e-4)
    assert [p.grad for p in ps] == [2e-4, -4e-4]


def test_loss_errors():
    with pytest.raises(ValueError, match=r"one target per output, got 2 outputs and 1 targets"):
        squared_error([Value(1.0), Value(2.0)], [1.0])
    with pytest.raises(ValueError, match=r"strictly between 0 and 1, got 1\.0"):
        binary_cross_entropy(Value(1.0), 1.0)


def test_sgd_steps_and_freezes():
    ex = mazur()
    optimizer = SGD(ex.model.parameters(), ex.lr, frozen=ex.biases.values())
    optimizer.zero_grad()
    squared_error(ex.model(ex.inputs), ex.targets).backward()
    optimizer.step()
    assert round(ex.weights["w5"].data, 8) == 0.35891648
    assert round(ex.weights["w1"].data, 9) == 0.149780716
    assert ex.biases["b1"].data == 0.35
    optimizer.zero_grad()
    assert all(p.grad == 0.0 for p in ex.model.parameters())


def test_bad_inputs_and_shapes():
    model = MLP(2, [3, 1])
    with pytest.raises(ValueError, match=r"ReLUNeuron\(2\) takes 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="a Value needs a real number, got 'a'"):
        model([1.0, "a"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="inputs must be a number"):
        model("ab")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nout must be a positive whole number, got 0"):
        Layer(2, 0)
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        Neuron(2, "gelu")
    with pytest.raises(ValueError, match="a layer of 2 outputs cannot feed"):
        MLP.from_layers([Layer(2, 2), Layer(3, 1)])


def test_save_and_load_round_trip_bit_for_bit(tmp_path):
    model = MLP(2, [4, 1], rng=random.Random(1))
    for p in model.parameters():
        p.data = p.data / 3.0 + 1e-17
    path = tmp_path / "model.json"
    save(model, path)
    other = MLP(2, [4, 1], rng=random.Random(2))
    load(other, path)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert [p.label for p in worked_example().model.parameters()][:3] == ["w1", "w3", "w5"]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_load_refuses_wrong_files(tmp_path):
    model = MLP(2, [4, 1])
    path = tmp_path / "model.json"
    save(model, path)
    with pytest.raises(ValueError, match=r"holds a model of shape \[2, 4, 1\], this one is \[2, 3, 1\]"):
        load(MLP(2, [3, 1]), path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match="not a parameter file: not valid JSON"):
        load(model, path)
    path.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ValueError, match="not a parameter file"):
        load(model, path)
    document = json.loads(text)
    document["parameters"] = document["parameters"][:-1]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="has 16 parameters, the model has 17"):
        load(model, path)


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    model = MLP(2, [1])
    path = tmp_path / "model.json"
    save(model, path)
    before = path.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("nn.io.json.dump", crash)
    with pytest.raises(OSError, match="disk full"):
        save(MLP(2, [1]), path)
    assert path.read_text() == before
    assert list(tmp_path.iterdir()) == [path]


def test_save_refuses_non_finite(tmp_path):
    model = MLP(1, [1])
    model.parameters()[0].data = float("nan")
    with pytest.raises(ValueError, match="cannot save parameter 0"):
        save(model, tmp_path / "m.json")
