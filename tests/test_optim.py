import math
import random

import pytest

from autograd import Value
from nn import MLP, SGD, squared_error
from nn.examples import mazur


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


@pytest.fixture
def model():
    return MLP(2, [2, 1], rng=random.Random(0))


@pytest.mark.parametrize(("make", "message"), [
    (lambda m: SGD(m, lr=0.1), r"SGD needs the model's parameters, not the model: SGD\(model.parameters\(\), lr=0.1\)"),
    (lambda m: SGD(m.parameters, lr=0.1), r"SGD needs the list of parameters: call the method"),
    (lambda m: SGD([1.0, 2.0], lr=0.1), r"SGD updates Values in place, got 1.0 \(float\) at position 0"),  # type: ignore[list-item]
    (lambda m: SGD(m.parameters(), lr="0.1"), r"the learning rate must be a number, got '0.1' \(str\)"),  # type: ignore[arg-type]
    (lambda m: SGD(m.parameters(), lr=True), r"the learning rate must be a number, got True \(bool\)"),
    (lambda m: SGD(m.parameters(), lr=3), None),
])  # fmt: skip
def test_misuse_says_what_was_expected(model, make, message):
    if message is None:
        assert make(model).lr == 3.0
        return
    with pytest.raises(TypeError, match=message):
        make(model)


@pytest.mark.parametrize("lr", [0, -0.1, math.inf, math.nan])
def test_the_learning_rate_must_be_positive_and_finite(model, lr):
    with pytest.raises(ValueError, match=f"the learning rate must be positive and finite, got {lr}"):
        SGD(model.parameters(), lr=lr)
    optimizer = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError):
        optimizer.lr = lr
    assert optimizer.lr == 0.1


@pytest.mark.parametrize(
    ("field", "bad"), [("grad", math.nan), ("grad", math.inf), ("data", math.nan), ("data", -math.inf)]
)
def test_step_refuses_a_non_finite_number_and_changes_nothing(model, field, bad):
    params = model.parameters()
    for p in params:
        p.grad = 0.5
    setattr(params[5], field, bad)
    before = [p.data for p in params]
    optimizer = SGD(params, lr=0.1)
    with pytest.raises(
        FloatingPointError,
        match=r"SGD.step\(\) refused: parameter 6 of 9 \(b1\[2\]\) has value .* No parameter was changed",
    ):
        optimizer.step()
    assert all(p.data == x or (math.isnan(p.data) and math.isnan(x)) for p, x in zip(params, before, strict=True))


def test_an_update_that_overflows_is_refused(model):
    params = model.parameters()
    params[0].data, params[0].grad = -1e308, 1e308
    with pytest.raises(FloatingPointError, match=r"so its update is -inf"):
        SGD(params, lr=10.0).step()
    assert params[0].data == -1e308


def test_frozen_non_finite_parameters_are_left_alone(model):
    params = model.parameters()
    params[0].data = math.nan
    SGD(params, lr=0.1, frozen=[params[0]]).step()
    assert math.isnan(params[0].data)


def test_a_parameter_without_a_label_is_named_by_its_position():
    unnamed, named = Value(1.0), Value(2.0, "w")
    optimizer = SGD([unnamed, named], lr=0.1)
    assert optimizer.describe(unnamed) == "parameter 1 of 2"
    assert optimizer.describe(named) == "parameter 2 of 2 (w)"
    named.label = "w\u202e1\nb"  # drawn raw, it would read turned around, on two lines
    assert optimizer.describe(named) == "parameter 2 of 2 (w\\u202e1\\nb)"


def test_a_number_for_the_parameters_says_what_sgd_needs():
    with pytest.raises(
        TypeError, match=r"^SGD needs an iterable of Values, got 5: SGD\(model.parameters\(\), lr=0.1\)$"
    ):
        SGD(5, lr=0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize("parameters", [[], (), iter([])], ids=["list", "tuple", "used-up generator"])
def test_no_parameters_are_refused_as_nothing_to_train(parameters):
    with pytest.raises(ValueError, match=r"^SGD got no parameters to update \(a generator used up already, or a "):
        SGD(parameters, lr=0.1)


def test_every_parameter_frozen_is_refused_as_nothing_to_train():
    params = MLP(2, [1], rng=random.Random(0)).parameters()
    with pytest.raises(ValueError, match=r"^SGD was given 3 parameters, every one of them frozen: it would train none"):
        SGD(params, lr=0.1, frozen=params)
    assert SGD(params, lr=0.1, frozen=params[1:]).trained == params[:1]


def test_a_computed_value_is_refused_as_a_parameter_its_next_computation_would_undo():
    a, b = Value(2.0), Value(3.0)
    with pytest.raises(
        ValueError,
        match=r"^SGD updates parameters, Values made directly, got Value\(data=6.0, .* 1, computed by the '\*' op",
    ):
        SGD([a, a * b], lr=0.1)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            [[Value(1.0), Value(2.0)]],
            r"^SGD updates Values in place, got \[Value\(data=1.0, grad=0.0\), Value\(.*\(list\) at position 0",
        ),
        ([[]], r"^SGD updates Values in place, got \[\] \(list\) at position 0"),
    ],
    ids=["a list of lists", "a list of an empty list"],
)
def test_a_list_of_lists_names_the_list_it_holds(parameters, message):
    with pytest.raises(TypeError, match=message):
        SGD(parameters, lr=0.1)


def test_numpy_arrays_are_named_not_hashed():
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match=r"^SGD needs an iterable of Values, got array\(1\.\): "):
        SGD(np.array(1.0), lr=0.1)
    with pytest.raises(
        TypeError, match=r"^SGD updates Values in place, got array\(\[Value.* \(ndarray\) at position 0"
    ):
        SGD(np.array([[Value(1.0), Value(2.0)]], dtype=object), lr=0.1)


@pytest.mark.parametrize("field", ["grad", "data"])
def test_a_grad_or_data_that_is_not_a_number_is_named_by_step_and_nothing_changes(field):
    params = MLP(2, [1], rng=random.Random(0)).parameters()
    optimizer = SGD(params, 0.1)
    setattr(params[1], field, None)
    before = [p.data for p in params]
    with pytest.raises(
        TypeError,
        match=rf"^SGD\.step\(\): the {field} of parameter 2 of 3 \(w1\[1,2\]\) needs a real number, got None",
    ):
        optimizer.step()
    assert [p.data for p in params] == before


def test_a_grad_and_data_set_to_ints_step_as_numbers():
    p = Value(1.0)
    p.data, p.grad = 3, 2
    SGD([p], lr=0.5).step()
    assert (p.data, type(p.data)) == (2.0, float)


def test_a_learning_rate_too_large_for_a_float_says_so():
    with pytest.raises(OverflowError, match=r"^the learning rate needs a number a float can hold: .*10\^400"):
        SGD([Value(1.0)], lr=10**400)
