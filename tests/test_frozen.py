"""nn.frozen: `frozen` names Values being trained, or it is refused; every caller checks it the same way."""

import copy
import random

import pytest

from autograd import Value
from nn import MLP, SGD, Recorder, TrainingView, draw_network, mean_squared_error, record_training
from nn.frozen import frozen_parameters


@pytest.fixture
def model():
    return MLP(2, [2, 1], rng=random.Random(0))


def _zero_d(model):
    return pytest.importorskip("numpy").array(model.parameters()[0], dtype=object)  # iterable, yet not iterated


def test_the_frozen_parameters_are_the_values_given_and_none_freezes_none(model):
    first = model.layers[0].parameters()
    assert frozen_parameters(first, model.parameters(), "SGD") == set(first)
    assert frozen_parameters(iter(first), model.parameters(), "SGD") == set(first)
    assert frozen_parameters(None, model.parameters(), "SGD") == set()
    assert frozen_parameters((), model.parameters(), "SGD") == set()


@pytest.mark.parametrize(
    ("frozen", "error", "words"),
    [
        (lambda m: m.layers[0], TypeError, r"frozen needs the Values to freeze, got Layer of .*frozen=layer.param"),
        (lambda m: [m.layers[0]], TypeError, r"SGD's frozen needs Values, got Layer of .* at position 0: pass a"),
        (lambda m: m.layers[0].neurons, TypeError, r"got ReLUNeuron\(2\) at position 0: pass a module's parameters"),
        (lambda m: ["w1"], TypeError, r"SGD's frozen needs Values, got 'w1' \(str\) at position 0"),
        (lambda m: "w1", TypeError, r"SGD's frozen needs an iterable of Values to freeze, got 'w1'"),
        (lambda m: 3, TypeError, r"SGD's frozen needs an iterable of Values to freeze, got 3"),
        (_zero_d, TypeError, r"SGD's frozen needs an iterable of Values to freeze, got array\("),
        (
            lambda m: copy.deepcopy(m.parameters()[:1]),
            ValueError,
            r"position 0, which is not one of the parameters SGD",
        ),
        (lambda m: [Value(0.5, label="w")], ValueError, r"holds Value\(label='w', data=0.5, grad=0.0\) at position 0"),
    ],
    ids=[
        "a layer",
        "a list of a layer",
        "neurons",
        "a label",
        "a string",
        "a number",
        "0-d",
        "a copy",
        "another Value",
    ],
)
def test_anything_but_the_parameters_is_refused_saying_what_to_pass(model, frozen, error, words):
    before = [p.data for p in model.parameters()]
    with pytest.raises(error, match=words):
        SGD(model.parameters(), 0.1, frozen=frozen(model))
    assert [p.data for p in model.parameters()] == before


def test_sgd_trains_none_of_the_frozen_and_every_other_parameter(model):
    held = model.layers[0].parameters()
    optimizer = SGD(model.parameters(), 0.1, frozen=held)
    before = [p.data for p in model.parameters()]
    mean_squared_error(model([1.0, 2.0]), 3.0).backward()
    optimizer.step()
    after = [p.data for p in model.parameters()]
    assert after == [b if p in held else b - 0.1 * p.grad for p, b in zip(model.parameters(), before, strict=True)]
    assert any(p.grad != 0.0 for p in held)  # a frozen parameter with a gradient stays as it was


@pytest.mark.parametrize(
    ("make", "caller"),
    [
        (lambda m, held: SGD(m.parameters(), 0.1, frozen=held), "SGD"),
        (lambda m, held: Recorder(m, [1.0, 2.0], 10, frozen=held), "Recorder"),
        (lambda m, held: record_training(m, [1.0, 2.0], [3.0], lr=0.1, steps=2, frozen=held), r"record_training\(\)"),
        (lambda m, held: TrainingView(m, [1.0, 2.0], 10, frozen=held), "TrainingView"),
        (lambda m, held: draw_network(m, [1.0, 2.0], frozen=held), r"draw_network\(\)"),
    ],
    ids=["SGD", "Recorder", "record_training", "TrainingView", "draw_network"],
)
def test_each_caller_refuses_a_layer_as_frozen_in_its_own_name(model, make, caller):
    with pytest.raises(TypeError, match=rf"^{caller}'s frozen needs the Values to freeze, got Layer"):
        make(model, model.layers[0])
    make(model, model.layers[0].parameters())  # its parameters: frozen
