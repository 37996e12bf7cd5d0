import math
import re
from decimal import Decimal
from fractions import Fraction

import hypothesis
import pytest
from hypothesis import settings
from hypothesis import strategies as st

from autograd import Op, Value, grad, gradcheck, gradgradcheck, no_grad
from autograd.compile import compile_backprop
from nn import binary_cross_entropy, cross_entropy, hinge, l2, losses, mean_squared_error, squared_error
from nn.losses import HINGE, L2, MEAN_SQUARED_ERROR, SQUARED_ERROR
from tests.test_engine import NUMBERS, assert_slopes_finite_where_value_is


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


def test_cross_entropy_is_the_mean_negative_log_softmax():
    rows = [[Value(2.0), Value(1.0), Value(0.1)], [Value(0.5), Value(2.5), Value(-1.0)]]
    loss = cross_entropy(rows, [0, 1])

    def nll(z: list[float], y: int) -> float:
        return -math.log(math.exp(z[y]) / sum(math.exp(v) for v in z))

    assert loss.data == pytest.approx((nll([2.0, 1.0, 0.1], 0) + nll([0.5, 2.5, -1.0], 1)) / 2, rel=1e-14)
    loss.backward()
    softmax = [math.exp(v) / sum(math.exp(u) for u in [2.0, 1.0, 0.1]) for v in [2.0, 1.0, 0.1]]
    assert [v.grad for v in rows[0]] == pytest.approx([(softmax[0] - 1) / 2, softmax[1] / 2, softmax[2] / 2])
    assert cross_entropy(rows[0], 2).data == pytest.approx(nll([2.0, 1.0, 0.1], 2), rel=1e-14)
    assert gradcheck(lambda a, b, c: cross_entropy([a, b, c], 1), [0.3, -1.2, 2.0])


def test_cross_entropy_does_not_overflow_at_logits_of_a_thousand():
    z = [Value(1000.0), Value(0.0), Value(-1000.0)]
    right, wrong = cross_entropy(z, 0), cross_entropy(z, 1)
    assert (right.data, wrong.data) == (0.0, 1000.0)
    wrong.backward()
    assert [v.grad for v in z] == [1.0, -1.0, 0.0]


@pytest.mark.parametrize(
    ("logits", "classes", "written"),
    [
        ([[2.0, math.inf]], 0, r"\[2\.0, inf\]"),
        ([[math.nan, 1.0]], 1, r"\[nan, 1\.0\]"),
        ([[1.0, 2.0], [-math.inf, -math.inf]], [0, 1], r"\[-inf, -inf\] in row 2"),
    ],
)
def test_cross_entropy_names_logits_that_have_no_softmax_eager_and_compiled(
    logits: list[list[float]], classes: int | list[int], written: str
) -> None:
    def loss(rows: list[list[Value]]) -> Value:
        return cross_entropy(rows[0], classes) if isinstance(classes, int) else cross_entropy(rows, classes)

    needs = rf"^cross_entropy needs logits that have a softmax \(no NaN or \+inf, not all -inf\), got {written}$"
    with pytest.raises(ValueError, match=needs):
        loss([[Value(z) for z in row] for row in logits])
    rows = [[Value(0.5) for _ in row] for row in logits]
    leaves = [v for row in rows for v in row]
    program = compile_backprop(loss(rows), leaves)
    for leaf, z in zip(leaves, [z for row in logits for z in row], strict=True):
        leaf.data = z
    with pytest.raises(ValueError, match=needs):
        program()


def test_cross_entropy_of_a_minus_infinite_logit_is_its_limit():
    z = [Value(2.0), Value(-math.inf)]
    right, wrong = cross_entropy(z, 0), cross_entropy(z, 1)
    assert (right.data, wrong.data) == (0.0, math.inf)
    wrong.backward()
    assert [v.grad for v in z] == [1.0, -1.0]


def test_cross_entropy_errors_say_what_is_needed():
    z = [Value(1.0), Value(2.0)]
    with pytest.raises(ValueError, match=r"^cross_entropy needs each class as an int, 0 to 1, got 2 \(int\)$"):
        cross_entropy(z, 2)
    with pytest.raises(ValueError, match=r"each class as an int, 0 to 1, got True \(bool\)$"):
        cross_entropy([z], [True])
    with pytest.raises(ValueError, match="one class per row of logits, got 1 row and 2 classes"):
        cross_entropy([z], [0, 1])
    with pytest.raises(ValueError, match="rows of at least 2 logits"):
        cross_entropy([z, [Value(1.0)]], [0, 0])


@pytest.mark.parametrize(
    ("loss", "outputs", "targets"),
    [
        (squared_error, [0.75, 0.25], [1.0, 0.0]),
        (mean_squared_error, [0.75, 0.25], [1.0, 0.0]),
        (hinge, [0.5, -2.0, 3.0], [1.0, 1.0, -1.0]),
        (binary_cross_entropy, [0.8, 0.4], [1.0, 0.0]),
        (lambda os, ts: cross_entropy(os, ts[0]), [0.3, -1.2, 2.0], [1]),
        (lambda os, ts: l2(os, ts[0]), [0.3, -1.2], [0.01]),
    ],
)
def test_every_loss_has_second_derivatives(loss, outputs, targets):
    xs = [Value(o) for o in outputs]
    firsts = grad(loss(xs, targets), xs)
    loss(xs, targets).backward()
    assert [g.data for g in firsts] == [x.grad for x in xs]  # the same numbers as backward(), to the bit
    assert gradgradcheck(lambda *os: loss(list(os), targets), outputs)


@pytest.mark.parametrize(("score", "value", "slope"), [(1.0, 0.0, 0.0), (1.5, 0.0, 0.0), (0.75, 0.25, -1.0)])
def test_hinge_at_and_beyond_the_margin(score, value, slope):
    s = Value(score)
    loss = hinge([s], [1.0])  # margin 1 - score: exactly 0 at a score of 1, where its derivative is taken as 0
    loss.backward()
    assert (loss.data, s.grad) == (value, slope)


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_binary_cross_entropy_needs_probabilities_strictly_inside(p):
    with pytest.raises(ValueError, match=rf"strictly between 0 and 1, got {p}"):
        binary_cross_entropy(Value(p), 1.0)


def test_each_loss_is_named_and_labelled():
    o = [Value(0.5), Value(0.25)]
    assert [(f(o, [1.0, -1.0]).op, f(o, [1.0, -1.0]).label) for f in (squared_error, mean_squared_error, hinge)] == [
        ("squared_error", "E"),
        ("mean_squared_error", "E"),
        ("hinge", "E"),
    ]
    assert (binary_cross_entropy(o, [1.0, 0.0]).op, cross_entropy(o, 1).op, cross_entropy(o, 1).label) == (
        "binary_cross_entropy",
        "cross_entropy",
        "E",
    )
    penalty = l2(o, 0.1)
    assert (penalty.op, penalty.label, penalty.operands) == ("l2", "", (*o, 0.1))


def test_a_loss_of_plain_numbers_says_it_needs_the_models_values():
    with pytest.raises(
        TypeError, match=r"^hinge needs Values as outputs \(the model's\), got 1\.0 \(float\) at position 0$"
    ):
        hinge([1.0], [1.0])  # type: ignore[list-item]


def test_mean_losses_divide_by_the_number_of_outputs_and_sums_do_not():
    o = [Value(1.0), Value(3.0)]
    assert squared_error(o, [0.0, 0.0]).data == 0.5 * (1.0 + 9.0)
    assert mean_squared_error(o, [0.0, 0.0]).data == (1.0 + 9.0) / 2
    mse = mean_squared_error(o, [0.0, 0.0])
    mse.backward()
    assert [v.grad for v in o] == [1.0, 3.0]  # 2 (o - t) / n


def test_hinge_passes_a_nan_score_on_to_its_gradient():
    score = Value(math.nan)
    loss = hinge([score, Value(2.0)], [1.0, -1.0])
    loss.backward()
    assert math.isnan(loss.data) and math.isnan(score.grad)


@pytest.mark.parametrize("labels", [[1.0, 0.0], [0, 1], [2.0, -1.0], [1.0, math.nan]])
def test_hinge_refuses_labels_other_than_minus_one_and_plus_one(labels):
    bad = next(y for y in labels if y not in (-1, 1))
    with pytest.raises(
        ValueError, match=rf"^hinge needs labels of -1 or \+1, got {re.escape(repr(bad))}; for labels of 0"
    ):
        hinge([Value(0.5), Value(-0.5)], labels)


def test_hinge_takes_one_score_and_one_label():
    assert hinge(Value(0.5), 1.0).data == 0.5
    with pytest.raises(ValueError, match=r"^hinge needs labels of -1 or \+1, got 0\.0"):
        hinge(Value(0.5), 0.0)


@pytest.mark.parametrize("loss", [squared_error, mean_squared_error, hinge, binary_cross_entropy])
def test_targets_may_be_a_numpy_array_a_generator_or_one_element_array(loss):
    np = pytest.importorskip("numpy")
    outputs = [Value(0.25), Value(0.75), Value(0.5)]
    labels = [1.0, -1.0, 1.0] if loss is hinge else [1.0, 0.0, 1.0]
    expected = loss(outputs, labels).data
    assert loss(outputs, np.array(labels)).data == expected
    assert loss(outputs, (y for y in labels)).data == expected
    assert loss(outputs[:1], np.array(labels[:1])).data == loss(outputs[:1], labels[:1]).data
    assert loss(outputs[0], np.float64(labels[0])).data == loss(outputs[0], labels[0]).data


def test_numpy_dates_and_durations_as_targets_are_named_by_the_loss_and_position():
    np = pytest.importorskip("numpy")
    with pytest.raises(
        TypeError,
        match=r"^mean_squared_error needs numbers as targets, got (np|numpy)\.datetime64\('2020-01-01'\) "
        r"\(datetime64\) at position 0$",
    ):
        mean_squared_error([Value(1.0)], np.array(["2020-01-01"], dtype="datetime64[D]"))
    with pytest.raises(  # numpy counts a duration as an integer, and refuses it as a float
        TypeError,
        match=r"^mean_squared_error's target at position 0 needs a real number, got (np|numpy)\.timedelta64\(1,'s'\) "
        r"\(timedelta64\)$",
    ):
        mean_squared_error([Value(1.0)], np.array([1], dtype="timedelta64[s]"))


def test_cross_entropy_takes_numpy_classes():
    np = pytest.importorskip("numpy")
    rows = [[Value(1.0), Value(2.0)], [Value(0.0), Value(1.0)]]
    assert cross_entropy(rows, np.array([1, 0])).data == cross_entropy(rows, [1, 0]).data
    assert cross_entropy(rows[0], np.int64(1)).data == cross_entropy(rows[0], 1).data


def test_targets_that_are_not_numbers_are_named():
    with pytest.raises(
        TypeError, match=r"^mean_squared_error needs numbers as targets, got 'a' \(str\) at position 1$"
    ):
        mean_squared_error([Value(1.0), Value(2.0)], [1.0, "a"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"got \[1\.0\] \(list\) at position 0"):
        squared_error([Value(1.0)], [[1.0]])  # type: ignore[list-item]


def test_no_outputs_and_no_targets_says_so():
    with pytest.raises(ValueError, match=r"^mean_squared_error needs at least one output and its target, got none"):
        mean_squared_error([], [])


@pytest.mark.parametrize(
    ("outputs", "targets", "counts"), [([], [1.0], "0 outputs and 1"), ([Value(1.0)], [], "1 outputs and 0")]
)
def test_outputs_without_targets_or_targets_without_outputs_are_counted(outputs, targets, counts):
    with pytest.raises(ValueError, match=rf"^squared_error needs one target per output, got {counts} targets$"):
        squared_error(outputs, targets)


def test_a_text_as_the_targets_is_named():
    with pytest.raises(TypeError, match=r"^squared_error needs numbers as targets, got the text '1\.0'$"):
        squared_error(Value(1.0), "1.0")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("loss", "outputs"),
    [
        (hinge, [Value(0.5)]),
        (binary_cross_entropy, [Value(0.5)]),
        (cross_entropy, [[Value(0.5), Value(1.0)]]),
    ],
)
def test_a_target_that_is_not_a_number_is_named_with_the_loss(loss, outputs):
    with pytest.raises(TypeError, match=rf"^{loss.__name__} needs numbers as targets, got 'a' \(str\) at position 0$"):
        loss(outputs, ["a"])


@pytest.mark.parametrize("loss", [squared_error, mean_squared_error, hinge, binary_cross_entropy])
def test_a_complex_target_is_refused_not_cut_to_its_real_part(loss):
    np = pytest.importorskip("numpy")
    with pytest.raises(
        TypeError, match=rf"^{loss.__name__} needs real numbers as targets, got .*1\+2j.* at position 1$"
    ):
        loss([Value(0.5), Value(0.5)], [1.0, np.complex128(1 + 2j)])  # numpy would give 1.0, with a warning
    with pytest.raises(TypeError, match=rf"^{loss.__name__} needs real numbers as targets, got .*\(complex128\)$"):
        loss(Value(0.5), np.complex128(1 + 2j))


def test_a_target_that_is_a_value_is_named_with_its_number_to_pass():
    with no_grad():
        target = Value(0.5) * 2
    with pytest.raises(
        TypeError,
        match=r"^squared_error needs numbers as targets, got Value\(data=1\.0, grad=0\.0\) at position 1: a target "
        r"is a constant, pass its number, t\.data \(1\.0\)$",
    ):
        squared_error([Value(0.5), Value(0.5)], [0.0, target])  # type: ignore[list-item]


def test_targets_of_other_number_types_count_as_their_value():
    np = pytest.importorskip("numpy")
    half = [np.float32(0.5), Fraction(1, 2), Decimal("0.5")]
    assert mean_squared_error([Value(1.0)] * 3, half).data == 0.25
    assert mean_squared_error([Value(3.0)] * 2, [np.int64(1), np.uint8(1)]).data == 4.0  # numpy's ints
    with pytest.raises(ValueError, match=r"^hinge needs labels of -1 or \+1, got 0\.0; "):
        hinge([Value(0.5), Value(-0.5)], np.array([1.0, 0.0], dtype=np.float32))
    with pytest.raises(ValueError, match=r"one row of 2 logits and the classes \[np\.int64\(0\)\]: "):
        cross_entropy([Value(1.0), Value(2.0)], np.array([0]))


def test_l2_of_a_model_says_to_pass_its_parameters():
    from nn import MLP

    with pytest.raises(
        TypeError, match=r"^l2 needs the parameters, not the model: l2\(model\.parameters\(\), 0\.0001\)$"
    ):
        l2(MLP(2, [1]), 1e-4)  # type: ignore[arg-type]


@pytest.mark.parametrize(("classes", "one"), [([0], 0), ([1], 1), ([], 0)])
def test_cross_entropy_of_one_flat_row_and_a_list_of_classes_says_which_form_to_use(classes, one):
    with pytest.raises(
        ValueError,
        match=rf"^cross_entropy got one row of 2 logits and the classes {re.escape(repr(classes))}: for one example "
        rf"pass its class as an int, cross_entropy\(row, {one}\); for a batch, a list of rows, "
        r"cross_entropy\(\[row1, row2, \.\.\.\], \[class1, class2, \.\.\.\]\)$",
    ):
        cross_entropy([Value(1.0), Value(2.0)], classes)


def test_cross_entropy_names_a_class_as_it_was_given_and_takes_numpy_s_ints():
    np = pytest.importorskip("numpy")
    row = [Value(1.0), Value(2.0)]
    expected = cross_entropy(row, 1).data
    for one in (np.int64(1), np.array(1)):  # a 0-d array is one class, as numpy's int is
        assert cross_entropy(row, one).data == expected
    assert cross_entropy([row], np.array([1])).data == expected
    for given, shown in (
        ([Decimal(1)], r"Decimal\('1'\) \(Decimal\): pass 1"),  # not the 1.0 (float) it was read as
        ([np.True_], r"True \(bool\)"),  # numpy's bool read as the bool it holds
        ([10**400], rf"{'1' + '0' * 59}\.\.\. \(int\)"),  # cut short
    ):
        with pytest.raises(ValueError, match=rf"^cross_entropy needs each class as an int, 0 to 1, got {shown}$"):
            cross_entropy([row], given)  # type: ignore[arg-type]


@pytest.mark.parametrize("loss", [squared_error, mean_squared_error, hinge, binary_cross_entropy, cross_entropy])
def test_targets_given_as_a_set_or_a_dict_are_refused_for_they_have_no_order(loss):
    outputs = (
        [[Value(0.5), Value(0.2)], [Value(0.1), Value(0.3)]] if loss is cross_entropy else [Value(0.5), Value(0.2)]
    )
    for targets in ({1, 0}, {1: "a", 0: "b"}):
        shown = re.escape(f"{targets!r} ({type(targets).__name__})")
        with pytest.raises(
            TypeError, match=rf"^{loss.__name__} needs the targets in order, as a list or an array, got {shown}$"
        ):
            loss(outputs, targets)


def test_cross_entropy_speaks_of_one_class_where_it_was_given_one():
    row = [Value(1.0), Value(2.0), Value(0.5)]
    with pytest.raises(
        ValueError,
        match=r"^cross_entropy got one row of 3 logits and the class 2\.0: for one example pass its "
        r"class as an int, cross_entropy\(row, 2\);",
    ):
        cross_entropy(row, 2.0)  # type: ignore[arg-type]
    with pytest.raises(
        ValueError,
        match=r"the class Decimal\('2'\): for one example pass its class as an int, cross_entropy\(row, 2\);",
    ):
        cross_entropy(row, Decimal(2))  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^cross_entropy needs numbers as targets, got None \(NoneType\)$"
    ):  # no position
        cross_entropy([row], None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^cross_entropy needs one class per row of logits, got 2 rows and 1 class$"):
        cross_entropy([row, row], [1])
    for one in (2, pytest.importorskip("numpy").array(2)):
        with pytest.raises(
            ValueError,
            match=r"^cross_entropy got 2 rows of logits and the one class .*2\)?: for a batch pass a class per row, "
            r"cross_entropy\(rows, \[class1, class2, \.\.\.\]\); for one example, its row alone$",
        ):
            cross_entropy([row, row], one)


def test_cross_entropy_suggests_the_int_of_a_whole_class_given_as_another_number():
    np = pytest.importorskip("numpy")
    row = [Value(1.0), Value(2.0), Value(0.5)]
    for given, shown in ((np.float64(2.0), r"np\.float64\(2\.0\) \(float64\)"), ([2.0], r"2\.0 \(float\)")):
        with pytest.raises(
            ValueError, match=rf"^cross_entropy needs each class as an int, 0 to 2, got {shown}: pass 2$"
        ):
            cross_entropy(row if not isinstance(given, list) else [row], given)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^cross_entropy needs each class as an int, 0 to 2, got 5\.0 \(float\)$"):
        cross_entropy([row], [5.0])  # type: ignore[list-item]  # no suggestion out of range
    with pytest.raises(
        ValueError, match=r"^cross_entropy needs each class as an int, 0 to 2, got 0\.0 \(float\): pass 0$"
    ):
        cross_entropy([row], [0.0])  # type: ignore[list-item]
    with pytest.raises(
        ValueError, match=r"the classes \[nan\]: for one example pass its class as an int, cross_entropy\(row, y\);"
    ):
        cross_entropy(row, [math.nan])  # type: ignore[list-item]  # no whole number to suggest


def test_cross_entropy_asks_for_a_class_as_an_int_and_suggests_one():
    row = [Value(1.0), Value(2.0)]
    with pytest.raises(ValueError, match=r"for one example pass its class as an int, cross_entropy\(row, 1\);"):
        cross_entropy(row, 1.0)  # type: ignore[arg-type]
    with pytest.raises(
        ValueError, match=r"^cross_entropy needs each class as an int, 0 to 1, got 1\.0 \(float\): pass 1$"
    ):
        cross_entropy([row], [1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"a target is a constant, pass its number, int\(t\.data\) \(1\.0\)$"):
        cross_entropy([row], [Value(1.0)])  # type: ignore[list-item]
    assert cross_entropy([row], [1]).data == cross_entropy(row, 1).data
    with pytest.raises(ValueError, match=r"for one example pass its class as an int, cross_entropy\(row, y\);"):
        cross_entropy(row, 1.5)  # type: ignore[arg-type]  # as given: not a whole number


def test_cross_entropy_names_a_class_out_of_range_as_it_was_given():
    np = pytest.importorskip("numpy")
    for y in (2, np.int64(2)):
        with pytest.raises(
            ValueError, match=rf"each class as an int, 0 to 1, got {re.escape(repr(y))} \({type(y).__name__}\)$"
        ):
            cross_entropy([Value(1.0), Value(2.0)], y)


@pytest.mark.parametrize("loss", [squared_error, mean_squared_error, hinge, binary_cross_entropy, cross_entropy, l2])
def test_each_loss_documents_its_formula_and_what_it_takes(loss):
    doc = loss.__doc__ or ""
    assert "Σ" in doc and ("mean" in doc or "summed" in doc or loss in (l2,))


@pytest.mark.parametrize("target", [2.0, -0.5, float("nan")])
def test_binary_cross_entropy_refuses_a_target_outside_0_to_1(target):
    with pytest.raises(ValueError, match=r"^binary_cross_entropy needs targets between 0 and 1, got "):
        binary_cross_entropy([Value(0.5), Value(0.5)], [1.0, target])


def test_l2_of_no_parameters_or_a_non_number_alpha_says_so():
    with pytest.raises(ValueError, match=r"^l2 needs at least one parameter, got none"):
        l2([], 0.1)
    with pytest.raises(TypeError, match=r"^l2's alpha needs a real number, got 'x' \(str\)$"):
        l2([Value(1.0)], "x")  # type: ignore[arg-type]


def test_targets_as_a_column_and_outputs_as_lists_say_what_to_pass():
    np = pytest.importorskip("numpy")
    outs = [[Value(0.5)], [Value(-0.5)]]  # model.forward(x) of two examples
    y = np.array([1.0, -1.0])
    with pytest.raises(
        TypeError, match=r"got an array of shape \(1,\) at position 0: pass the targets flat \(y\.ravel\(\)\)$"
    ):
        mean_squared_error([o[0] for o in outs], y.reshape(-1, 1))
    with pytest.raises(TypeError, match=r"got a list of 1 at position 0 .*such as \[out\[0\] for out in outputs\]$"):
        mean_squared_error(outs, y)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (5, r"a list of Values in order \(model\.parameters\(\)\), got 5 \(int\)"),
        (
            {Value(1.0)},
            r"a list of Values in order \(model\.parameters\(\)\), got \{Value\(data=1\.0, grad=0\.0\)\} \(set\)",
        ),
        ({Value(1.0): 2.0}, r"a list of Values in order \(model\.parameters\(\)\), got \{Value\(.*\} \(dict\)"),
        ([Value(1.0), 1.0], r"Values as parameters \(model\.parameters\(\)\), got 1\.0 \(float\) at position 1"),
    ],
    ids=["a number", "a set", "a dict", "a number among Values"],
)
def test_l2_of_something_other_than_a_list_of_values_says_what_it_needs(parameters, message):
    with pytest.raises(TypeError, match=rf"^l2 needs {message}$"):
        l2(parameters, 0.1)


def test_l2_takes_a_number_as_alpha_and_not_a_bool():
    with pytest.raises(TypeError, match=r"^l2's alpha is a number, the penalty's weight, got True$"):
        l2([Value(1.0)], True)
    assert l2([Value(3.0)], 1).data == 9.0


@pytest.mark.parametrize(
    ("length", "shown"),
    [(58, "'" + "x" * 58 + "' (str)"), (59, "'" + "x" * 59 + "... (str)"), (98, "'" + "x" * 59 + "... (str)")],
)
def test_an_output_that_is_not_a_value_is_shown_cut_to_60_characters(length, shown):
    with pytest.raises(TypeError) as raised:
        mean_squared_error(["x" * length], [1.0])
    assert str(raised.value) == f"mean_squared_error needs Values as outputs (the model's), got {shown} at position 0"


def test_the_losses_of_many_outputs_that_say_their_local_derivatives_are_finite_where_their_value_is():
    said = {name for name, op in vars(losses).items() if isinstance(op, Op) and op.finite_slopes}
    assert said == {"SQUARED_ERROR", "MEAN_SQUARED_ERROR", "HINGE"}


@hypothesis.given(st.integers(1, 4).flatmap(lambda n: st.lists(NUMBERS, min_size=2 * n, max_size=2 * n)))
@settings(max_examples=400)
def test_those_losses_local_derivatives_are_finite_where_their_value_is(outputs_then_targets):
    for op in (SQUARED_ERROR, MEAN_SQUARED_ERROR, HINGE):
        assert_slopes_finite_where_value_is(op, outputs_then_targets)


def test_l2_could_not_say_so():
    with pytest.raises(AssertionError, match=r"local derivatives \(nan, nan\)"):
        assert_slopes_finite_where_value_is(L2, [0.0, 0.0, 8.98846567431158e307])  # 0 * (2 * 9e307) is 0 * inf


def test_a_target_too_large_for_a_float_says_so():
    with pytest.raises(
        OverflowError, match=r"^mean_squared_error's target at position 1 needs a number a float can hold"
    ):
        mean_squared_error([Value(1.0), Value(1.0)], [1, 10**400])


def test_cross_entropy_of_one_output_per_example_says_a_row_has_an_output_per_class():
    one_output = [Value(0.5), Value(-0.2), Value(1.5)]  # a model of one output, over three examples
    with pytest.raises(
        ValueError,
        match=r"^cross_entropy got 3 Values and 3 classes: for one example, pass its row of logits and its class as "
        r"an int, cross_entropy\(row, 0\); for a batch, a row per example, each of at least 2 logits \(a model "
        r"with an output per class\)\. With one output per example, use binary_cross_entropy of its sigmoid, or "
        r"hinge$",
    ):
        cross_entropy(one_output, [0, 1, 0])
    with pytest.raises(
        ValueError,
        match=r"^cross_entropy needs a row of logits per example, at least 2 Values .*, "
        r"got one Value, Value\(data=0\.5, grad=0\.0\); with one output per example, use binary_",
    ):
        cross_entropy(one_output[0], 0)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^cross_entropy needs a row of logits \(Values\) or a list of rows, got 3\.0 "
    ):
        cross_entropy(3.0, 1)  # type: ignore[arg-type]


def test_cross_entropy_reads_rows_given_by_a_generator_once():
    rows = [[Value(1.0), Value(2.0)], [Value(0.0), Value(1.0)]]
    assert cross_entropy((row for row in rows), [0, 1]).data == cross_entropy(rows, [0, 1]).data


def test_cross_entropy_names_the_row_that_does_not_fit_and_not_the_whole_batch():
    row = [Value(1.0), Value(2.0)]
    needs = "cross_entropy needs rows of at least 2 logits, all Values and all as long: "
    with pytest.raises(ValueError, match=rf"^{needs}row 1001 holds 2\.0 \(float\)$"):
        cross_entropy([row] * 1000 + [[Value(1.0), 2.0]], [0] * 1001)  # type: ignore[list-item]
    with pytest.raises(ValueError, match=rf"^{needs}row 3 has 3 logits, row 1 has 2$"):
        cross_entropy([row, row, [*row, Value(0.0)]], [0, 0, 0])
    with pytest.raises(ValueError, match=rf"^{needs}row 1 has 1 logit$"):
        cross_entropy([[Value(1.0)]], [0])
    with pytest.raises(ValueError, match=rf"^{needs}row 1 holds 1\.0 \(float\)$"):
        cross_entropy([1.0, 2.0], 1)  # type: ignore[arg-type]


def test_cross_entropy_of_a_numpy_array_of_numbers_says_logits_are_values():
    np = pytest.importorskip("numpy")
    with pytest.raises(ValueError, match=r"all Values and all as long: row 1 holds np\.float64\(1\.0\) \(float64\)$"):
        cross_entropy(np.array([1.0, 2.0]), 1)
    values = np.array([Value(1.0), Value(2.0)], dtype=object)
    assert cross_entropy(values, 1).data == cross_entropy([Value(1.0), Value(2.0)], 1).data


def test_cross_entropy_of_as_many_values_as_classes_tells_a_row_from_a_batch_from_two_on():
    with pytest.raises(ValueError, match=r"^cross_entropy got 2 Values and 2 classes: for one example, pass its row "):
        cross_entropy([Value(0.5), Value(-0.2)], [1, 0])
    with pytest.raises(ValueError, match=r"^cross_entropy got one row of 1 logits and the classes \[0\]: for one "):
        cross_entropy([Value(0.5)], [0])  # one Value and one class: the form of one example is what to say
