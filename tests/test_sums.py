"""Tests of autograd/sums.py: vsum, dot, dots and neurons, and the fast path for a layer."""

import contextlib
import math
import re
from fractions import Fraction
from typing import Any

import pytest

from autograd import (
    Op,
    Value,
    detect_anomaly,
    dot,
    dots,
    neurons,
    no_grad,
    vsum,
)
from autograd.engine import DOT, EXP, LOG, RELU, SIGMOID, SUM, TANH, depends_on


def test_a_dot_adds_its_products_left_to_right_as_compiled_code_does():
    # 1e16 + 1 rounds to 1e16, then - 1e16 gives 0; a compensated sum (sum() from Python 3.12) gives 1
    assert dot([Value(1.0), Value(-1e16)], [1.0, 1.0], Value(1e16)).data == 0.0  # the usual layer's path
    assert dot([1.0, -1e16], [1.0, 1.0], Value(1e16)).data == 0.0  # the general path


def test_vsum_is_one_node():
    a, b = Value(1.0), Value(2.0)
    s = vsum([a, b, a, 4])
    assert s.data == 8.0
    assert s.op == "sum"
    assert len(s.children) == 3
    s.backward()
    assert (a.grad, b.grad) == (2.0, 1.0)


def test_dot_is_one_node_with_weights_inputs_and_bias():
    w = [Value(0.5), Value(-1.0)]
    x0 = Value(2.0)
    b = Value(0.25)
    out = dot(w, [x0, 3.0], b)
    assert out.data == 0.5 * 2 - 3.0 + 0.25
    assert len(out.children) == 4
    out.backward()
    assert [v.grad for v in w] == [2.0, 3.0]
    assert x0.grad == 0.5
    assert b.grad == 1.0


def test_dot_needs_equal_lengths():
    with pytest.raises(ValueError):
        dot([Value(1.0)], [1.0, 2.0])


def test_dots_makes_the_nodes_dot_makes_row_by_row():
    inputs = [Value(0.5), Value(-1.0)]
    rows: list[list[Value | float]] = [[Value(2.0), Value(3.0)], [1.0, Value(4.0)], [2.0, 3.0]]
    biases: list[Value | float] = [Value(0.1), 0.2, Value(0.3)]
    made = dots(rows, inputs, biases, ["a", "b", "c"])
    expected = [dot(w, inputs, b, label) for w, b, label in zip(rows, biases, "abc", strict=True)]
    for node, want in zip(made, expected, strict=True):
        assert (node.data, node.op, node.label) == (want.data, "dot", want.label)
        assert [x.data for x in node.children] == [x.data for x in want.children]
        assert (node.local_grads, len(node.operands)) == (want.local_grads, len(want.operands))
    assert made[0].operands == (biases[0], rows[0][0], rows[0][1], inputs[0], inputs[1])
    assert made[0].local_grads == (1.0, 0.5, -1.0, 2.0, 3.0)
    assert [n.label for n in dots(rows, [1.0, 2.0], biases)] == ["", "", ""]
    mixed: list[Value | float] = [Value(0.5), -1.0]  # mixed inputs: dot()'s element-by-element way
    assert [n.label for n in dots(rows, mixed, biases, list("abc"))] == ["a", "b", "c"]
    assert [n.data for n in dots(rows, mixed, biases)] == [n.data for n in expected]
    with pytest.raises(
        ValueError, match=r"^dots\(\) needs a bias and a label per row of weights, got 3 rows, 2 biases and 3 labels$"
    ):
        dots(rows, inputs, biases[:2])
    with pytest.raises(ValueError, match=r"^dots\(\) .* got 3 rows, 3 biases and 4 labels$"):
        dots(rows, inputs, biases, list("abcd"))
    with pytest.raises(
        ValueError, match=r"^dots\(\) needs one weight per input in each row, got 2 weights in row 1 for 1 input$"
    ):
        dots(rows, inputs[:1], biases)


def made_as_written(net: Value, out: Value) -> tuple[Any, ...]:
    """What a neuron's two nodes hold, to compare nodes made two ways."""
    return tuple((n.data, n.op, n.label, n.operands, n.local_grads) for n in (net, out))


SQUARE = Op("square", lambda x: x * x, lambda out, x: (2 * x,), "²")  # an activation of one's own


SQUARE_INT_RULE = Op("square", lambda x: x * x, lambda out, x: (2,), "²")  # its rule gives an int


@pytest.mark.parametrize("activation", [RELU, TANH, SIGMOID, None, SQUARE, SQUARE_INT_RULE])
@pytest.mark.parametrize("kind", ["values", "floats", "mixed", "a weight of a subclass", "an int set as data"])
@pytest.mark.parametrize("mode", ["plain", "no_grad", "detect_anomaly"])
def test_neurons_make_the_nodes_dot_and_the_activation_make(activation, kind, mode):
    class Weight(Value):
        __slots__ = ()

    xs: list[Any] = [Value(0.5), Value(-1.5), Value(2.0)] if kind != "floats" else [0.5, -1.5, 2.0]
    if kind == "mixed":
        xs[1] = -1.5
    rows = [[Value(0.25), Value(-0.75), Value(0.5)], [Value(-1.0), Value(0.5), Value(-2.0)]]
    biases = [Value(0.125), Value(-0.5)]
    if kind == "a weight of a subclass":
        rows[1][2] = Weight(-2.0)
    if kind == "an int set as data":  # computed as the float it is
        biases[0].data = rows[0][1].data = 1
    block: Any = {"plain": contextlib.nullcontext, "no_grad": no_grad, "detect_anomaly": detect_anomaly}[mode]
    with block():
        nets, outs = neurons(rows, xs, biases, [activation, activation])
        for ws, b, net, out in zip(rows, biases, nets, outs, strict=True):
            # the general way: the DOT record applied to the operands, then the activation's record
            want_net = DOT.apply((b, *ws, *xs)) if kind != "mixed" else dot(ws, xs, b)
            want_out = want_net if activation is None else activation.apply((want_net,))
            assert made_as_written(net, out)[0][:3] == made_as_written(want_net, want_out)[0][:3]
            assert (net.local_grads, out.local_grads) == (want_net.local_grads, want_out.local_grads)
            assert (out.data, out.op, out.label) == (want_out.data, want_out.op, "")
            assert (net.grad, out.grad) == (0.0, 0.0)
            assert all(type(d) is float for d in (net.data, out.data, *out.local_grads))
            assert (out.operands == (net,)) == (activation is not None and mode != "no_grad")


def test_neurons_in_a_layer_give_micrograd_s_numbers_to_the_bit():
    xs = [Value(0.3), Value(-0.7)]
    rows = [[Value(0.9), Value(-0.4)], [Value(-0.2), Value(0.6)], [Value(0.1), Value(0.1)]]
    biases = [Value(0.05), Value(-0.1), Value(0.0)]
    nets, outs = neurons(rows, xs, biases, [RELU, TANH, None])
    for ws, b, net in zip(rows, biases, nets, strict=True):
        assert net.data == b.data + ws[0].data * xs[0].data + ws[1].data * xs[1].data  # left to right
    assert [o.data for o in outs] == [max(0.0, nets[0].data), math.tanh(nets[1].data), nets[2].data]
    assert outs[2] is nets[2]  # no activation: the output is the net input
    vsum(outs).backward()
    assert xs[0].grad == 0.9 * 1.0 + -0.2 * (1 - outs[1].data ** 2) + 0.1
    assert [w.grad for w in rows[1]] == [x.data * (1 - outs[1].data ** 2) for x in xs]


class Loud(Op):
    """An op whose own __call__ labels what it makes: calling it is the only way to its nodes."""

    def __call__(self, *operands: Any) -> Any:
        out = super().__call__(*operands)
        out.label = "loud"
        return out


LOUD_RELU = Loud("relu", RELU.value, RELU.local, "relu")


LIST_RULE = Op("square", lambda x: x * x, lambda out, x: [2 * x], "²")  # type: ignore[arg-type, return-value]  # its rule gives a list


@pytest.mark.parametrize(
    "activation",
    [lambda v: v.relu() * 2, LOUD_RELU, LIST_RULE],
    ids=["a function", "a subclass of Op", "a rule giving a list"],
)
def test_neurons_call_an_activation_that_is_not_a_plain_op_record_as_it_is(activation):
    xs, rows, biases = [Value(1.5), Value(-0.5)], [[Value(1.0), Value(2.0)]], [Value(0.25)]
    _, (out,) = neurons(rows, xs, biases, [activation])
    want = activation(dot(rows[0], xs, biases[0]))
    assert (out.data, out.op, out.label, out.local_grads) == (want.data, want.op, want.label, want.local_grads)
    assert type(out.local_grads) is tuple


@pytest.mark.parametrize("where", ["a weight", "an input"])
@pytest.mark.parametrize("number", [3, True, Fraction(1, 7), 2**60])
def test_neurons_read_a_weight_or_input_set_to_another_kind_of_number_as_a_float(where, number):
    xs, rows, biases = [Value(1.5), Value(-0.5)], [[Value(1.0), Value(2.0)]], [Value(0.25)]
    (xs if where == "an input" else rows[0])[0].data = number
    (net,), _ = neurons(rows, xs, biases, [TANH])
    want = DOT.apply((biases[0], *rows[0], *xs))
    assert (net.data, net.local_grads) == (want.data, want.local_grads)
    assert all(type(d) is float for d in net.local_grads)


def test_neurons_name_a_weight_too_large_for_a_float():
    w, x = Value(0.5, label="w"), Value(0.0)
    w.data, x.data = 10**400, 0  # their product is the int 0, but w is read as a float first, as every op reads it
    with pytest.raises(
        OverflowError,
        match=r"^neurons\(\) needs numbers a float can hold \(at most about ±1.8e308\), got a number \(int\) of "
        r"about 10\^400 as the data of a Value labelled 'w'$",
    ):
        neurons([[w, Value(0.5)]], [x, Value(2.0)], [Value(0.0)], [TANH])


FLOOR = Op("floor", math.floor, lambda out, x: (0.0,), "⌊⌋")  # an activation whose value is an int


TWO_RULES = Op("twice", lambda x: 2 * x, lambda out, x: (2.0, 1.0), "2x")  # a rule giving two derivatives


def test_neurons_check_an_activation_record_of_one_s_own_as_the_general_way_does():
    xs, rows, biases = [Value(1.5), Value(-0.5)], [[Value(1.0), Value(2.0)]], [Value(0.25)]
    _, (out,) = neurons(rows, xs, biases, [FLOOR])
    assert (out.data, type(out.data)) == (0.0, float)
    with pytest.raises(ValueError, match=r"^the op 'twice' gave 2 local derivatives for 1 child"):
        neurons(rows, xs, biases, [TWO_RULES])


def test_neurons_take_rows_and_inputs_of_any_iterable_kind():
    xs = [Value(1.5), Value(-0.5)]
    rows = [[Value(1.0), Value(2.0)], [Value(-1.0), Value(0.5)]]
    biases = [Value(0.25), Value(0.0)]
    want = [0.25 + 1.5 - 1.0, -1.5 - 0.25]
    for kind in ((r for r in rows), [iter(r) for r in rows], [tuple(r) for r in rows], tuple(rows)):
        nets, _ = neurons(kind, iter(xs), iter(biases), iter([RELU, None]))
        assert [n.data for n in nets] == want


def test_neurons_of_rows_whose_lengths_differ_or_whose_weights_are_numbers_take_the_general_way():
    xs = [Value(1.5), Value(-0.5)]
    with pytest.raises(
        ValueError, match=r"^neurons\(\) needs one weight per input in each row, got 1 weight in row 1 for 2 inputs$"
    ):
        neurons([[Value(1.0)], [Value(2.0), Value(3.0), Value(4.0)]], xs, [Value(0.0), Value(0.0)], [None, None])
    nets, _ = neurons([[Value(1.0), 2.0], [3.0, 4.0]], xs, [Value(0.0), Value(0.5)], [None, None])
    assert [n.data for n in nets] == [0.5, 3.0]


def test_neurons_under_detect_anomaly_name_the_first_node_that_is_not_finite_as_the_general_way_does():
    xs = [Value(1.5), Value(-0.5)]
    rows = [[Value(1.0), Value(2.0)], [Value(math.nan), Value(1.0)], [Value(math.inf), Value(1.0)]]
    biases = [Value(0.0), Value(0.0), Value(0.0)]
    messages = []
    for make in (
        lambda: neurons(rows, xs, biases, [RELU] * 3),
        lambda: [RELU(dot(w, xs, b)) for w, b in zip(rows, biases, strict=True)],
    ):
        with detect_anomaly(), pytest.raises(FloatingPointError) as error:
            make()
        messages.append(str(error.value))
    assert messages[0] == messages[1] == "detect_anomaly: the 'dot' op computed nan from 0.0, nan, 1.0, 1.5, -0.5"


def test_neurons_name_an_activation_that_is_not_computed_from_the_net_input_or_not_a_function():
    x = [Value(1.0)]
    for lost in (lambda net: Value(net.data), lambda net: Value(3.0) * 2.0):
        with pytest.raises(
            TypeError, match=r"^the activation '<lambda>' gave Value\(data=.*\) \(Value\) for the net input 2.0"
        ):
            neurons([[Value(2.0)]], x, [Value(0.0)], [lost])
    with no_grad():  # no graph is kept: nothing to lose, and nothing to check
        assert neurons([[Value(2.0)]], x, [Value(0.0)], [lambda net: Value(net.data)])[1][0].data == 2.0
    with pytest.raises(
        TypeError,
        match=r"^neurons\(\) takes as each activation an op record \(autograd.engine.RELU\), a function of a Value, "
        r"or None; got 'relu' \(str\)$",
    ):
        neurons([[Value(2.0)]], x, [Value(0.0)], ["relu"])  # type: ignore[list-item]
    assert depends_on(((x[0] * 2).exp() + 1.0).relu(), x[0]) and not depends_on(Value(1.0) * 2, x[0])


def test_an_activation_that_is_an_object_is_named_by_its_repr():
    class Halve:
        def __call__(self, net: Value) -> float:
            return net.data / 2

        def __repr__(self) -> str:
            return "Halve()"

    with pytest.raises(TypeError, match=r"^the activation Halve\(\) gave 1.0 \(float\) for the net input 2.0"):
        neurons([[Value(2.0)]], [Value(1.0)], [Value(0.0)], [Halve()])  # type: ignore[list-item]


def test_an_activation_record_of_ones_own_is_run_once_per_row_by_the_general_way():
    calls = []

    def counted(x: float) -> float:
        calls.append(x)
        return 2.0 * x

    def as_list(out: float, x: float) -> Any:
        return [2.0]  # a list: the general way checks it and keeps a tuple

    twice = Op("twice", counted, as_list)
    nets, outs = neurons([[Value(1.0)], [Value(2.0)]], [Value(1.0)], [Value(0.0), Value(0.0)], [twice, twice])
    assert calls == [1.0, 2.0] and [o.data for o in outs] == [2.0, 4.0]
    assert [o.local_grads for o in outs] == [(2.0,), (2.0,)] and [o.children for o in outs] == [(n,) for n in nets]


def test_labels_are_strings():
    w = [Value(1.0)]
    with pytest.raises(TypeError, match=r"^dots\(\) takes a label per row of weights, a list of strings, got 'h1'$"):
        dots([w, w], [1.0], [0.0, 0.0], "h1")
    with pytest.raises(TypeError, match=r"^dots\(\) takes a label string, got 7 \(int\)$"):
        dots([w, w], [1.0], [0.0, 0.0], ["h1", 7])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^dot\(\) takes a label string, got 5 \(int\)$"):
        dot(w, [1.0], label=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^vsum\(\) takes a label string, got b'y' \(bytes\)$"):
        vsum(w, label=b"y")  # type: ignore[arg-type]
    assert [n.label for n in dots([w, w], [1.0], [0.0, 0.0], ("h1", "h2"))] == ["h1", "h2"]


def test_what_is_not_a_list_of_terms_or_rows_is_named():
    a = Value(1.0)
    for terms in (3.0, a, "ab", {1.0, 2.0}, {"a": 1.0}):  # a set's order is no one's; a dict's items are keys
        with pytest.raises(
            TypeError,
            match=rf"^vsum\(\) takes the terms as a list \(or another iterable in order\), got "
            rf"{re.escape(repr(terms))} \(",
        ):
            vsum(terms)  # type: ignore[arg-type]
    rows = r"takes rows of weights \(a list of lists\), got"
    with pytest.raises(TypeError, match=rf"^dots\(\) {rows} 1.0 \(float\) as a row$"):
        dots([1.0, 2.0], [a], [0.0, 0.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=rf"^dots\(\) {rows} 5 \(int\)$"):
        dots(5, [a], [0.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=rf"^neurons\(\) {rows} 'ab' \(str\) as a row$"):
        neurons(iter([[a], "ab"]), [a], [0.0, 0.0], [None, None])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^dots\(\) takes a label per row of weights, a list of strings, got b'ab'$"):
        dots([[a], [a]], [1.0], [0.0, 0.0], b"ab")  # type: ignore[arg-type]


def test_a_label_of_none_is_no_label():
    w = [Value(1.0)]
    assert [n.label for n in dots([w, w], [1.0], [0.0, 0.0], ["h1", None])] == ["h1", ""]
    assert dot(w, [1.0], label=None).label == ""
    assert vsum(w, label=None).label == ""


def test_neurons_name_an_activation_that_gives_no_value():
    x = [Value(1.0)]

    def scaled(net: Value) -> Value:
        return 2.0 * net.data  # type: ignore[return-value]  # the number: its gradient would be lost

    with pytest.raises(
        TypeError,
        match=r"^the activation 'scaled' gave 6.0 \(float\) for the net input 3.0; it needs to give a Value "
        r"computed from it, as net.relu\(\) does, or a gradient would be lost$",
    ):
        neurons([[Value(1.0)], [Value(2.0)]], x, [Value(0.0), Value(1.0)], [None, scaled])
    nets, outs = neurons([[Value(2.0)]], x, [Value(1.0)], [lambda net: net * 2])
    assert (nets[0].data, outs[0].data, outs[0].children) == (3.0, 6.0, (nets[0],))


def test_a_dot_reads_int_data_as_the_nearest_float_first():
    """As every other op reads it: (2**53 + 1) * 3 is computed as 2**53 * 3.0, not exactly."""
    w, x = Value(1.0), Value(3.0)
    w.data, x.data = 2**53 + 1, 3
    for node in (dot([w], [x], 0.5), w * x + 0.5, neurons([[w]], [x], [Value(0.5)], [None])[0][0]):
        assert node.data == float(2**53) * 3.0 + 0.5 != float((2**53 + 1) * 3) + 0.5
        assert type(node.data) is float
    assert dot([w], [x], 0.5).local_grads == (3.0, 2.0**53)
    assert all(type(d) is float for d in dot([w], [x], 0.5).local_grads)


def test_neurons_name_what_their_general_way_names():
    x = [Value(1.0)]
    with pytest.raises(
        ValueError,
        match=r"^neurons\(\) needs a bias and an activation per row of weights, "
        r"got 2 rows, 1 bias and 2 activations$",
    ):
        neurons([[Value(1.0)], [Value(2.0)]], x, [Value(0.0)], [None, None])
    with pytest.raises(
        ValueError, match=r"^neurons\(\) needs one weight per input in each row, got 2 weights in row 2 for 1 input$"
    ):
        neurons([[Value(1.0)], [Value(2.0), Value(3.0)]], x, [Value(0.0), Value(0.0)], [None, None])
    with pytest.raises(ValueError, match=r"^log\(\) needs a positive value, got -1.0$"):
        neurons([[Value(1.0)], [Value(-1.0)]], x, [Value(0.0), Value(0.0)], [LOG, LOG])
    with pytest.raises(OverflowError, match=r"^exp\(\) overflows for 1000.0$"):
        neurons([[Value(1000.0)]], x, [Value(0.0)], [EXP])
    with pytest.raises(
        TypeError, match=r"^neurons\(\) takes as each activation an op record .* got \[Op\('exp'\)\] \(list\)$"
    ):
        neurons([[Value(1.0)], [Value(2.0)]], x, [Value(0.0), Value(0.0)], [EXP, [EXP]])  # type: ignore[list-item]
    w = Value(2.0, label="w")
    w.data = "2"  # type: ignore[assignment]
    with pytest.raises(
        TypeError, match=r"^neurons\(\) needs real numbers, got '2' \(str\) as the data of a Value labelled 'w'$"
    ):
        neurons([[w]], x, [Value(0.0)], [None])
    big = Value(1.0, label="big")
    big.data = 10**400
    with pytest.raises(OverflowError, match=r"numbers a float can hold .* as the data of a Value labelled 'big'$"):
        neurons([[big]], x, [Value(0.0)], [RELU])


def test_neurons_and_dots_name_an_operand_that_is_no_number_as_their_own():
    x, w, b = [Value(1.0)], [[Value(1.0)]], [Value(0.0)]
    with pytest.raises(TypeError, match=r"^an input of neurons\(\) needs a real number, got 'a' \(str\)$"):
        neurons(w, ["a"], b, [None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^a weight of neurons\(\) needs a real number, got 'w' \(str\)$"):
        neurons([[Value(1.0), "w"]], [1.0, 2.0], [0.0], [RELU])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^a bias of dots\(\) needs a real number, got 'b' \(str\)$"):
        dots(w, x, ["b"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^an input of dots\(\) needs a real number, got None \(NoneType\)$"):
        dots(w, [None], b)  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^an input of dot\(\) needs a real number, got 'a' \(str\)$"):
        dot([Value(1.0)], ["a"])  # type: ignore[list-item]
    held = Value(1.0, label="w")
    held.data = "x"  # type: ignore[assignment]
    for bias in (0.5, Value(0.5)):  # a number as the bias, or a Value
        with pytest.raises(
            TypeError, match=r"^dot\(\) needs real numbers, got 'x' \(str\) as the data of a Value labelled 'w'$"
        ):
            dot([held], [1.0], bias)


@pytest.mark.parametrize(
    ("inputs", "got"),
    [
        (3.0, r"3\.0 \(float\)"),
        (Value(3.0), r"Value\(data=3\.0, grad=0\.0\) \(Value\)"),
        (b"ab", r"b'ab' \(bytes\)"),  # read as the numbers 97, 98 before
        (bytearray(b"ab"), r"bytearray\(b'ab'\) \(bytearray\)"),
        ("ab", r"'ab' \(str\)"),
        ({1.0, 2.0}, r"\{1\.0, 2\.0\} \(set\)"),
        ({1.0: "a", 2.0: "b"}, r"\{1\.0: 'a', 2\.0: 'b'\} \(dict\)"),  # its keys were read as the inputs
        ([[1.0, 2.0]], r"a list of lists"),
        ([(1.0, 2.0), (3.0, 4.0)], r"a list of tuples"),
        (((1.0, 2.0), [3.0, 4.0]), r"a tuple of tuples"),
        (memoryview(b"ab"), r"<memory at 0x[0-9a-f]+> \(memoryview\)"),  # its bytes were read as 97 and 98
        (None, r"None \(NoneType\)"),
    ],
)
def test_neurons_dots_and_dot_take_one_example_s_inputs_as_a_list_and_name_what_they_got(inputs, got):
    rows, biases = [[Value(1.0), Value(2.0)]], [Value(0.0)]
    for call, caller in (
        (lambda: neurons(rows, inputs, biases, [None]), "neurons"),
        (lambda: dots(rows, inputs, biases), "dots"),
        (lambda: dot(rows[0], inputs), "dot"),
    ):
        with pytest.raises(
            TypeError, match=rf"^{caller}\(\) takes one example's inputs as a list of numbers or Values, got {got}$"
        ):
            call()


@pytest.mark.parametrize("biases", [b"\x01\x02", {0.0, 1.0}, 0.5, None])
def test_neurons_and_dots_take_the_biases_as_a_list_and_name_what_they_got(biases):
    rows = [[Value(1.0), Value(2.0)], [Value(3.0), Value(1.0)]]
    got = re.escape(f"{biases!r} ({type(biases).__name__})")
    with pytest.raises(TypeError, match=rf"^dots\(\) takes the biases as a list of numbers or Values, got {got}$"):
        dots(rows, [1.0, 2.0], biases)
    with pytest.raises(TypeError, match=rf"^neurons\(\) takes the biases as a list of numbers or Values, got {got}$"):
        neurons(rows, [1.0, 2.0], biases, [None, None])


def test_neurons_take_the_activations_as_a_list_and_name_one_that_is_none_of_the_kinds():
    rows, x, b = [[Value(1.0)], [Value(2.0)]], [1.0], [0.0, 0.0]
    takes = r"^neurons\(\) takes the activations as a list, one op record, function or None per row, got "
    with pytest.raises(TypeError, match=takes + r"1\.0 \(float\)$"):
        neurons(rows, x, b, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=takes + r"a list of lists$"):
        neurons(rows, x, b, [[RELU], RELU])  # type: ignore[list-item]
    for biases in (b, [Value(0.0), Value(0.0)]):  # numbers, or Values as the fast path takes
        with pytest.raises(
            TypeError, match=r"^neurons\(\) takes as each activation an op record .* got \[Op\('relu'\)\] \(list\)$"
        ):
            neurons(rows, x, biases, [RELU, [RELU]])  # type: ignore[list-item]  # unhashable: not one of the fast path's


def test_neurons_dots_and_dot_refuse_an_array_of_other_than_one_dimension_and_take_a_1_d_one():
    np = pytest.importorskip("numpy")
    rows, biases = [[Value(1.0), Value(2.0)]], [Value(0.0)]
    for batch in (np.array([[1.0, 2.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])):
        shape = re.escape(str(batch.shape))
        with pytest.raises(TypeError, match=rf"^neurons\(\) takes one example's inputs .* array of shape {shape}$"):
            neurons(rows, batch, biases, [None])
        with pytest.raises(TypeError, match=rf"^dots\(\) takes one example's inputs .* array of shape {shape}$"):
            dots(rows, batch, biases)
        with pytest.raises(TypeError, match=rf"^dot\(\) takes one example's inputs .* array of shape {shape}$"):
            dot(rows[0], batch)
    with pytest.raises(TypeError, match=r"^dot\(\) takes the weights as a list .* got an array of shape \(1, 1\)$"):
        dot(np.ones((1, 1)), [1.0])
    with pytest.raises(TypeError, match=r"^dot\(\) takes one example's inputs .* got np\.float64\(2\.0\) \(float64\)$"):
        dot([Value(1.0)], np.float64(2.0))
    with pytest.raises(TypeError, match=r"^dot\(\) takes one example's inputs .* got array\(2\.\) \(ndarray\)$"):
        dot([Value(1.0)], np.array(2.0))
    with pytest.raises(
        TypeError,
        match=r"^vsum\(\) takes the terms as a list \(or another iterable in order\), got array\(2\.\) \(ndarray\)$",
    ):
        vsum(np.array(2.0))
    with pytest.raises(TypeError, match=r"^vsum\(\) takes the terms as a list .* got an array of shape \(2, 2\)$"):
        vsum(np.ones((2, 2)))
    assert neurons(rows, np.array([1.0, 2.0]), biases, [None])[0][0].data == 5.0  # one example, 1-d: as a list
    assert dot(np.array([1.0, 2.0]), (x for x in [Value(3.0), Value(4.0)])).data == 11.0  # any 1-d iterable


def test_a_bias_whose_data_is_a_numpy_array_is_named_and_left_as_it_was():
    np = pytest.importorskip("numpy")
    b = Value(0.0, label="b")
    b.data = np.array(2.0)
    for call in (lambda: neurons([[Value(1.0)]], [1.0], [b], [None]), lambda: dot([Value(1.0)], [1.0], b)):
        with pytest.raises(
            TypeError, match=r"needs real numbers, got array\(2\.\) \(ndarray\) as the data of a Value "
        ):
            call()
        assert b.data == 2.0  # the fast path had added w·x to the array in place: 4.0, then 6.0


def test_vsum_names_itself_for_a_term_whose_data_is_no_number():
    v = Value(1.0, label="v")
    v.data = "a"  # type: ignore[assignment]
    with pytest.raises(
        TypeError, match=r"^vsum\(\) needs real numbers, got 'a' \(str\) as the data of a Value labelled 'v'$"
    ):
        vsum([v, Value(2.0)])
    with pytest.raises(TypeError, match=r"^the 'sum' op needs real numbers, got 'a' \(str\) as the data of a Value"):
        SUM(v, Value(2.0))  # the record called as itself names itself


@pytest.mark.parametrize(("weights", "inputs", "edges"), [
    ([Value(2.0), Value(3.0)], [0.5, 4.0], ["b", "w0", "w1"]),
    ([Value(2.0), Value(3.0)], [Value(0.5), Value(4.0)], ["b", "w0", "w1", "x0", "x1"]),
    ([2.0, 3.0], [Value(0.5), Value(4.0)], ["b", "x0", "x1"]),  # the Values first: x·w
    ([Value(2.0), 3.0], [0.5, Value(4.0)], ["b", "w0", "3.0", "0.5", "x1"]),  # 3.0 and 0.5 made leaves
    ([2.0, 3.0], [0.5, 4.0], ["b"]),
])  # fmt: skip
def test_dot_edges_are_the_bias_then_the_weights_and_the_inputs_that_are_values(weights, inputs, edges):
    bias = Value(1.0)
    names = {id(bias): "b"}
    names |= {id(w): f"w{i}" for i, w in enumerate(weights) if isinstance(w, Value)}
    names |= {id(x): f"x{i}" for i, x in enumerate(inputs) if isinstance(x, Value)}
    out = dot(weights, inputs, bias)
    assert out.data == 1.0 + 2.0 * 0.5 + 3.0 * 4.0
    assert [names.get(id(c), str(c.data)) for c in out.children] == edges
    partner = {"b": 1.0, "w0": 0.5, "w1": 4.0, "x0": 2.0, "x1": 3.0, "3.0": 4.0, "0.5": 2.0}
    assert list(out.local_grads) == [partner[e] for e in edges]
    with pytest.raises(ValueError, match=r"dot\(\) needs one input per weight, got 2 weights and 1 input"):
        dot(weights, inputs[:1])


def test_weights_may_come_as_a_tuple_or_a_generator():
    w = [Value(1.0), Value(2.0)]
    assert dot(tuple(w), [3.0, 4.0]).data == 11.0
    assert dot((v for v in w), [3.0, 4.0]).data == 11.0
    assert [n.data for n in dots([tuple(w), iter(w)], [3.0, 4.0], [0.0, 1.0])] == [11.0, 12.0]


def test_vsum_keeps_number_terms_as_floats():
    x = Value(1.0)
    total = vsum([x, 2])
    assert total.data == 3.0 and type(total.operands[1]) is float


def test_dot_takes_subclasses_of_value():
    class Weight(Value):
        __slots__ = ()

    w = [Weight(1.0), Weight(2.0)]
    net = dot(w, [Weight(3.0), Weight(4.0)])
    net.backward()
    assert (net.data, [v.grad for v in w]) == (11.0, [3.0, 4.0])


def test_a_non_number_before_a_value_in_a_dot_is_named():
    with pytest.raises(TypeError, match=r"^a weight of dot\(\) needs a real number, got 'a' \(str\)$"):
        dot([Value(1.0), "a"], [Value(2.0), Value(3.0)], Value(0.0))  # type: ignore[list-item]


def test_dot_and_vsum_of_numbers_alone_are_leaves_holding_the_number():
    total = dot([1.0, 2.0], [3.0, 4.0], 0.5, label="d")
    assert (total.data, total.op, total.children, total.label) == (11.5, "", (), "d")
    summed = vsum([1, 2.5], label="s")
    assert (summed.data, summed.op, summed.label) == (3.5, "", "s")


def test_another_engines_value_in_a_dot_is_named_as_such():
    class Scalar:  # another engine's Value: a number and a gradient
        def __init__(self, data: float) -> None:
            self.data, self.grad = data, 0.0

        def __repr__(self) -> str:
            return f"Scalar({self.data})"

    with pytest.raises(
        TypeError,
        match=r"^an input of dot\(\) needs a real number, got Scalar\(0.5\), another engine's Value "
        r"\(tests.test_sums.test_another_engines_value_in_a_dot_is_named_as_such.<locals>.Scalar\): "
        r"make it one of chainrule's, Value\(v.data\), or use its number, v.data$",
    ):
        dot([Value(1.0)], [Scalar(0.5)], Value(0.0))  # type: ignore[list-item]
