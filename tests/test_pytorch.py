import doctest
import math
import random
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

import nn.pytorch  # noqa: E402
from nn import MLP, Layer, Neuron  # noqa: E402
from nn.pytorch import GradientComparison, ParameterGradient, compare_gradients, from_torch, to_torch  # noqa: E402

INPUTS = [[0.5, -1.0], [2.0, 0.25], [-0.7, 0.9]]


def test_the_module_example_runs():
    assert doctest.testmod(nn.pytorch, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_the_readmes_pytorch_examples_run_as_printed():
    readme = Path(__file__).parent.parent / "README.md"
    blocks = [block.split("```", 1)[0] for block in readme.read_text(encoding="utf-8").split("```pycon")[1:]]
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "README.md", str(readme), 0)
    assert len(test.examples) >= 5
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.failures == 0


@pytest.mark.parametrize(("activation", "last"), [("relu", "linear"), ("tanh", "sigmoid"), ("sigmoid", "tanh")])
def test_the_exported_network_computes_the_same_outputs(activation, last):
    model = MLP(2, [4, 3, 2], activation=activation, last_activation=last, rng=random.Random(5))
    network = to_torch(model)
    theirs = [y for row in network(torch.tensor(INPUTS, dtype=torch.float64)).tolist() for y in row]
    ours = [v.data for x in INPUTS for v in model.forward(x)]
    assert theirs == pytest.approx(ours, rel=1e-14, abs=1e-15)
    assert [type(m).__name__ for m in network][:2] == [
        "Linear",
        {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}[activation],
    ]


def test_there_and_back_keeps_every_weight_and_activation():
    model = MLP(3, [4, 2], activation="tanh", last_activation="sigmoid", rng=random.Random(2))
    back = from_torch(to_torch(model))
    assert [p.data for p in back.parameters()] == [p.data for p in model.parameters()]
    assert back.activations() == model.activations()
    assert [p.label for p in back.parameters()] == [p.label for p in model.parameters()]


@pytest.mark.parametrize(
    ("loss", "sizes", "last", "targets"),
    [
        ("mean_squared_error", [4, 2], "linear", [[1.0, 0.0], [-1.0, 0.5], [0.2, 0.2]]),
        ("squared_error", [3, 1], "sigmoid", [[0.9], [0.1], [0.4]]),
        ("binary_cross_entropy", [3, 1], "sigmoid", [[1.0], [0.0], [1.0]]),
        ("hinge", [4, 1], "linear", [[1.0], [-1.0], [1.0]]),
        ("cross_entropy", [4, 3], "linear", [2, 0, 1]),
    ],
)
def test_chainrules_gradients_are_pytorchs(loss, sizes, last, targets):
    model = MLP(2, sizes, activation="tanh", last_activation=last, rng=random.Random(7))
    for p in model.parameters():
        p.grad = 0.5  # compare_gradients leaves these as they are
    comparison = compare_gradients(model, INPUTS, targets, loss)
    assert comparison.agree, str(comparison)
    assert comparison.largest_difference < 1e-13
    assert len(comparison.gradients) == len(model.parameters())
    assert {g.name for g in comparison.gradients} == {p.label for p in model.parameters()}
    assert any(abs(g.chainrule) > 1e-3 for g in comparison.gradients)
    assert all(p.grad == 0.5 for p in model.parameters())
    assert "the gradients agree within 1e-12" in str(comparison)


def test_a_wrong_gradient_is_reported():
    model = MLP(2, [2, 1], rng=random.Random(1))
    comparison = compare_gradients(model, INPUTS, [[1.0], [0.0], [1.0]])
    wrong = comparison._replace(gradients=[g._replace(torch=g.torch + 0.1) for g in comparison.gradients])
    assert not wrong.agree
    assert "DISAGREE" in str(wrong)


def test_what_cannot_be_exported_or_imported_is_named():
    mixed = MLP.from_layers(
        [Layer.from_neurons([Neuron.from_values([1.0], 0.0, "relu"), Neuron.from_values([1.0], 0.0, "tanh")])]
    )
    with pytest.raises(ValueError, match=r"layer 1 mixes activations \(relu, tanh\)"):
        to_torch(mixed)
    shared = MLP.from_layers([Layer(2, 3, shared_bias=True)])
    with pytest.raises(ValueError, match=r"^b1 is used at 3 places of this model, .* to_torch\(model, untie=True\)"):
        to_torch(shared)
    linear = to_torch(shared, untie=True)[0]
    assert isinstance(linear, torch.nn.Linear)
    assert linear.bias.tolist() == [shared.layers[0].neurons[0].b.data] * 3
    tied = MLP(2, [2, 1], rng=random.Random(1))
    tied.layers[1].neurons[0].w[1] = tied.layers[0].neurons[0].w[0]
    tied.layers[0].neurons[0].w[0].label = "\u202e"
    with pytest.raises(ValueError, match=r"^\\u202e is used at 2 places of this model"):
        to_torch(tied)
    twice = Layer(2, 2, "tanh", rng=random.Random(1))
    repeated = MLP.from_layers([twice, twice, Layer(2, 1, "linear")])
    with pytest.raises(ValueError, match=r"^w1\[1,1\] is used at 2 places of this model, .* untie=True"):
        to_torch(repeated)
    assert compare_gradients(repeated, INPUTS, [[1.0], [0.0], [0.5]]).agree
    with pytest.raises(ValueError, match="module 1 is Dropout"):
        from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout()))
    with pytest.raises(ValueError, match="knows the losses"):
        compare_gradients(MLP(2, [1]), INPUTS, [[0.0]] * 3, "l1")


# A NaN on either side is a disagreement (max() of a list passes over a NaN in some places).


@pytest.mark.parametrize("ours, theirs", [(math.nan, 1.0), (1.0, math.nan), (math.nan, math.nan)])
@pytest.mark.parametrize("where", [0, 1])  # max() of a list passes over a NaN in some places, not others
def test_a_nan_gradient_on_either_side_is_a_disagreement(ours, theirs, where):
    gradients = [ParameterGradient("w1", 0.5, 0.5), ParameterGradient("w2", 0.25, 0.25)]
    gradients[where] = ParameterGradient("w", ours, theirs)
    comparison = GradientComparison(0.1, gradients, 1e-12)
    assert not comparison.agree
    assert math.isnan(comparison.largest_difference)
    assert str(comparison).endswith("largest difference nan: the gradients DISAGREE within 1e-12")


def test_gradients_within_the_tolerance_agree():
    comparison = GradientComparison(0.1, [ParameterGradient("w1", 0.5, 0.5 + 1e-13)], 1e-12)
    assert comparison.agree and comparison.largest_difference == pytest.approx(1e-13)
    assert not GradientComparison(0.1, [ParameterGradient("w1", 0.5, 0.5 + 2e-12)], 1e-12).agree


def test_a_layer_of_neurons_firing_their_own_way_is_refused():
    from autograd import Value

    class Swish(Neuron):
        def activate(self, net: Value) -> Value:
            return net * net.sigmoid()

    model = MLP.from_layers([Layer.from_neurons([Swish(2), Swish(2)]), Layer(2, 1, "linear")])
    with pytest.raises(
        ValueError, match=r"^layer 1 has neurons that fire their own way \(Swish\), which torch has no module for$"
    ):
        to_torch(model)


@pytest.mark.parametrize(
    "tie", ["weights of two neurons", "a weight with a later layer's", "a bias across layers", "a bias within a layer"]
)
def test_a_parameter_at_several_places_is_compared_with_the_sum_of_pytorchs_gradients_there(tie):
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(4))
    first, second = model.layers[0].neurons
    out = model.layers[1].neurons[0]
    if tie == "weights of two neurons":
        second.w[1] = first.w[0]
    elif tie == "a weight with a later layer's":
        out.w[0] = first.w[1]
    elif tie == "a bias across layers":
        out.b = first.b
    else:
        second.b = first.b
    comparison = compare_gradients(model, INPUTS, [[1.0], [-1.0], [0.5]])
    assert comparison.agree, str(comparison)
    assert len(comparison.gradients) == len(model.parameters()) == 8
