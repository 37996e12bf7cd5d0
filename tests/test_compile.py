import functools
import math
import random
import re
import struct
import threading
import traceback
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Op, Value, dot, make_node, no_grad, topological_order, vsum, zero_grad
from autograd.compile import SKIP_FROM, CompiledBackprop, compile_backprop
from autograd.engine import EXP, number
from autograd.strategies import Expression, expressions
from nn import MLP, cross_entropy, hinge, l2, squared_error
from nn.examples import mazur
from tests.containers import ParameterList
from tests.threads import at_once, in_turns_and_at_once


def article_error():
    """Mazur's E written with the engine's ops, and the example."""
    ex = mazur()
    inputs = [Value(x, label=name) for x, name in zip(ex.inputs, ex.input_names, strict=True)]
    o1, o2 = ex.model.forward(inputs)
    error = 0.5 * (ex.targets[0] - o1) ** 2 + 0.5 * (ex.targets[1] - o2) ** 2
    error.label = "E"
    return ex, error


def test_the_articles_network_compiles_to_code_that_reads_like_the_article():
    ex, error = article_error()
    program = compile_backprop(error, ex.model.parameters())
    lines = program.source.splitlines()
    assert "    net_o1 = b2 + w5 * h1 + w6 * h2" in lines
    assert "    do1_dnet_o1 = o1 * (1.0 - o1)" in lines
    assert "    dE_dnet_o1 += do1_dnet_o1 * dE_do1" in lines
    assert "    dE_dw5 += h1 * dE_dnet_o1" in lines
    assert "    dE_db2 += dE_dnet_o1" in lines  # d(net_o1)/d(b2) is 1, left out
    assert "    i1 = 0.05  # a constant" in lines
    assert program() == error.data
    compiled = [p.grad for p in ex.model.parameters()]
    for p in ex.model.parameters():
        p.grad = 0.0
    error.backward()
    assert compiled == [p.grad for p in ex.model.parameters()]
    assert round(ex.weights["w5"].grad, 9) == 0.082167041


def micrograd_loss(model, points, labels):
    scores = [model(x) for x in points]
    losses = [(1 + -y * s).relu() for y, s in zip(labels, scores, strict=True)]
    return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())


def test_training_replayed_is_bit_identical_to_eager_as_relu_branches_change():
    rng = random.Random(3)
    points = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(20)]
    labels = [1.0 if x * y > 0 else -1.0 for x, y in points]
    eager, replayed = MLP(2, [8, 8, 1], rng=random.Random(5)), MLP(2, [8, 8, 1], rng=random.Random(5))
    program = compile_backprop(micrograd_loss(replayed, points, labels), replayed.parameters())
    patterns = []
    for step in range(40):
        loss = micrograd_loss(eager, points, labels)
        eager.zero_grad()
        loss.backward()
        replayed.zero_grad()
        assert program() == loss.data, step
        assert [p.grad for p in replayed.parameters()] == [p.grad for p in eager.parameters()], step
        for model in (eager, replayed):
            for p in model.parameters():
                p.data -= 0.5 * p.grad
        assert [p.data for p in replayed.parameters()] == [p.data for p in eager.parameters()], step
        patterns.append(tuple(n.data > 0 for x in points for n in eager.layers[0].forward(x)))
    assert len(set(patterns)) > 3  # the hidden relus switched on and off as it trained


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_compiled_gradients_equal_the_engines_for_random_graphs(expr: Expression):
    eager = [Value(x) for x in expr.inputs]
    out = expr(*eager)
    out.backward()
    replayed = [Value(x) for x in expr.inputs]
    program = compile_backprop(expr(*replayed), replayed)
    assert program() == out.data
    assert [v.grad for v in replayed] == [v.grad for v in eager]


def test_leaves_accumulate_as_backward_does():
    x = Value(1.5, label="x")
    y = (x * x).tanh()
    program = compile_backprop(y, [x])
    program()
    once = x.grad
    program()
    assert x.grad == 2 * once
    y.backward()
    assert x.grad == 3 * once


def test_an_op_made_by_name_with_make_node_is_a_clear_error():
    x = Value(2.0)
    cube = make_node(x.data**3, [x], [3 * x.data**2], "cube", label="c")
    with pytest.raises(
        ValueError,
        match=r"cannot write out the op 'cube' \(c\): it was made with make_node\(\) by name; define it as an Op",
    ):
        compile_backprop(cube, [x])


def test_nns_losses_compile_from_their_records_as_the_eager_nodes_compute():
    ex = mazur()
    error = squared_error(ex.model.forward(ex.inputs), ex.targets)
    program = compile_backprop(error, ex.model.parameters())
    lines = program.source.splitlines()
    assert "    E = 0.0 + 0.5 * (0.01 - o1) ** 2.0 + 0.5 * (0.99 - o2) ** 2.0" in lines
    assert "    dE_do1_local = o1 - 0.01" in lines
    hinged = compile_backprop(hinge(ex.model.forward(ex.inputs), [1.0, -1.0]), ex.model.parameters())
    assert re.search(r"\n    E = _value\(_ops\[0\], o1, o2, 1\.0, \(-1\.0\)\)  # hinge", hinged.source)
    assert program() == error.data
    compiled = [p.grad for p in ex.model.parameters()]
    ex.model.zero_grad()
    error.backward()
    assert compiled == [p.grad for p in ex.model.parameters()]


def chainrule_loss(model, points, labels):
    """The moons loss the chainrule way: a hinge node and an l2 node."""
    return vsum([hinge([model(x) for x in points], labels), l2(model.parameters(), 1e-4)])


@pytest.mark.parametrize(
    "loss_of", [chainrule_loss, lambda m, ps, ys: cross_entropy([m.forward(x) for x in ps], [int(y > 0) for y in ys])]
)
def test_training_with_nns_losses_replayed_is_bit_identical_to_eager(loss_of):
    rng = random.Random(4)
    points = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(20)]
    labels = [1.0 if x * y > 0 else -1.0 for x, y in points]
    outputs = 1 if loss_of is chainrule_loss else 2
    eager, replayed = MLP(2, [8, outputs], rng=random.Random(6)), MLP(2, [8, outputs], rng=random.Random(6))
    program = compile_backprop(loss_of(replayed, points, labels), replayed.parameters())
    for step in range(25):
        loss = loss_of(eager, points, labels)
        eager.zero_grad()
        loss.backward()
        replayed.zero_grad()
        assert program() == loss.data, step
        assert [p.grad for p in replayed.parameters()] == [p.grad for p in eager.parameters()], step
        for model in (eager, replayed):
            for p in model.parameters():
                p.data -= 0.3 * p.grad


def test_bad_arguments_say_what_was_expected():
    x = Value(1.0)
    y = x * 2
    with pytest.raises(TypeError, match=r"needs the Value to differentiate \(such as a loss\), got float"):
        compile_backprop(2.0, [x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"leaves must be Values made directly \(parameters, inputs\)"):
        compile_backprop(y * 3, [y])
    with pytest.raises(
        TypeError,
        match=r"^compile_backprop\(root, leaves\) needs the leaves as a list of Values, "
        r"got Value\(data=1\.0, grad=0\.0\); for one, compile_backprop\(root, \[x\]\)$",
    ):
        compile_backprop(y, x)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^compile_backprop\(root, leaves\) needs the leaves as a list of Values, got 5; "
    ):
        compile_backprop(y, 5)  # type: ignore[arg-type]
    assert compile_backprop(y, (v for v in [x]))() == 2.0 and x.grad == 2.0  # a generator of leaves, read once
    with pytest.raises(
        TypeError, match=r"got a model \(MLP\): pass its parameters, compile_backprop\(loss, model\.par"
    ):
        compile_backprop(y, MLP(1, [1]))  # type: ignore[arg-type]
    assert compile_backprop(y, ParameterList([x]))() == 2.0


def test_labels_that_clash_with_the_programs_own_names_or_are_not_names_still_compile():
    names = [
        "math",
        "leaves",
        "backprop",
        "_ops",
        "_may_skip",
        "_no_negative_zero",
        "_e",
        "_",
        "_x",
        "class",
        "2x",
        "w1[2,1]",
    ]
    names += ["é", "(a)", "Xmax"]
    xs = [Value(0.5 + i / 10, label=name) for i, name in enumerate(names)]
    out = vsum([(x / 1.5) ** 2.0 for x in xs]).sigmoid()
    out.label = "out"
    program = compile_backprop(out, xs)
    source = program.source
    assert "    w1_2_1 = leaves[11].data" in source
    assert "    é = leaves[12].data" in source
    assert "    a = leaves[13].data" in source
    assert "    Xmax = leaves[14].data" in source
    assert re.search(r"\n    v\d+ = leaves\[0\]\.data", source)  # a name that clashes gives way to v<index>
    assert re.search(r"\n    v\d+ = leaves\[9\]\.data", source)  # a keyword is no name at all
    assert "    # forward: each value, and the local derivatives of its edges" in source
    assert "    # backward: the chain rule, edge by edge, from the root back" in source
    assert re.search(r"\n    v\d+ = a / 1\.5\n", source)  # an unlabelled value is v<its index>
    for clash in names[:11]:
        assert f"    {clash} = leaves" not in source
    assert program() == out.data
    compiled = [x.grad for x in xs]
    for x in xs:
        x.grad = 0.0
    out.backward()
    assert compiled == [x.grad for x in xs]


def test_an_op_of_ones_own_compiles_from_its_record():
    cube = Op("cube", lambda x: x * x * x, lambda out, x: (3.0 * x * x,))
    x = Value(2.0, label="x")
    y = cube(x)
    y.label = "y"
    program = compile_backprop(y, [x])
    assert "    y = x * x * x" in program.source.splitlines()
    assert "    dy_dx_local = 3.0 * x * x" in program.source.splitlines()
    assert (program(), x.grad) == (8.0, 12.0)


def test_an_unlabelled_op_made_by_name_is_named_by_its_op_alone():
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"cannot write out the op 'cube': it was made"):
        compile_backprop(make_node(8.0, [x], [12.0], "cube"), [x])


def test_an_empty_sum_compiles_to_zero():
    x = Value(2.0, label="x")
    y = vsum([]) + x
    program = compile_backprop(y, [x])
    assert "= 0.0\n" in program.source
    assert (program(), x.grad) == (2.0, 1.0)


def test_an_error_in_replayed_code_points_into_the_compiled_program():
    x = Value(2.0, label="x")
    program = compile_backprop(x.log(), [x])
    x.data = -1.0
    with pytest.raises(ValueError, match=r"log\(\) needs a positive value, got -1\.0") as raised:
        program()
    assert "<compiled backprop>" in [frame.filename for frame in traceback.extract_tb(raised.value.__traceback__)]


def wide_dead_neuron(x: list[Value], w: list[Value]) -> Value:
    """relu(w·x), a dot node of 10 edges (at least SKIP_FROM), dead here (w·x < 0), plus a live path."""
    return dot(w, x).relu() + x[0] * 2.0


@pytest.mark.parametrize("negative_zero", [False, True])
def test_a_wide_node_whose_gradient_is_0_is_passed_over_only_where_no_bit_changes(negative_zero):
    def fresh() -> tuple[list[Value], list[Value]]:
        x = [Value(1.0, label=f"x{i}") for i in range(4)] + [Value(-10.0, label="x4")]
        w = [Value(1.0, label=f"w{i}") for i in range(5)]
        for k in (0, 4):  # w0 gets 1.0 * 0.0 = +0.0, and -0.0 + +0.0 is +0.0; w4 gets -10 * 0.0 = -0.0
            w[k].grad = -0.0 if negative_zero else 0.0
        return x, w

    x, w = fresh()
    wide_dead_neuron(x, w).backward()
    eager = [repr(v.grad) for v in x + w]
    x, w = fresh()
    program = compile_backprop(wide_dead_neuron(x, w), x + w)
    assert SKIP_FROM <= 10
    # the dot's own value: where it is finite, so are its local derivatives, the xs and ws (DOT's record says so)
    assert re.search(r"\n    if dv\d+_d(v\d+) != 0\.0 or not _may_skip or not math\.isfinite\(\1\):\n", program.source)
    program()
    assert [repr(v.grad) for v in x + w] == eager
    assert eager[0] == "2.0" and eager[-5] == "0.0" and eager[-1] == ("-0.0" if negative_zero else "0.0")


def test_a_wide_node_whose_gradient_is_0_still_passes_on_a_nan_from_an_infinite_local_derivative():
    def fresh() -> tuple[list[Value], list[Value]]:
        return [Value(-math.inf)] + [Value(1.0) for _ in range(4)], [Value(1.0) for _ in range(5)]

    x, w = fresh()
    wide_dead_neuron(x, w).backward()
    x2, w2 = fresh()
    program = compile_backprop(wide_dead_neuron(x2, w2), x2 + w2)
    program()
    assert math.isnan(w[0].grad) and math.isnan(w2[0].grad)  # inf * 0, as backward() computes it
    assert [repr(v.grad) for v in x2 + w2] == [repr(v.grad) for v in x + w]


def test_infinite_and_nan_constants_compile_beside_values_labelled_inf_and_nan():
    x, y = Value(1.0, label="inf"), Value(2.0, label="nan")
    program = compile_backprop(x * Value(math.inf) + y * math.nan, [x, y])
    assert "\n    inf = leaves[0].data\n    nan = leaves[1].data\n" in program.source
    assert re.search(r"\n    v\d+ = math\.inf  # a constant\n", program.source)
    assert " * math.nan\n" in program.source
    assert math.isnan(program())
    assert (x.grad, math.isnan(y.grad)) == (math.inf, True)


@pytest.mark.parametrize("finite_slopes", [False, True])
def test_a_wide_op_of_ones_own_is_passed_over_by_the_sum_of_its_local_derivatives_or_by_its_value(finite_slopes):
    squares = Op("squares", lambda *xs: sum(x * x for x in xs), lambda out, *xs: tuple(2.0 * x for x in xs))
    squares = replace(squares, finite_slopes=finite_slopes)  # a finite sum of squares has finite 2x: it may say so
    xs = [Value(-1.0, label=f"x{i}") for i in range(SKIP_FROM)]
    y = (-squares(*xs)).relu() + xs[0]  # relu's gradient is 0 here: the node of squares is passed over
    y.label = "y"
    program = compile_backprop(y, xs)
    v = f"v{SKIP_FROM}"  # the node of squares, after the leaves in the topological order
    slopes = ", ".join(f"d{v}_dx{i}" for i in range(SKIP_FROM))
    assert f"    d{v}_dx{SKIP_FROM - 1} = 2.0 * x{SKIP_FROM - 1}" in program.source.splitlines()
    finite = v if finite_slopes else f"sum(({slopes},))"
    assert f"    if dy_d{v} != 0.0 or not _may_skip or not math.isfinite({finite}):" in program.source.splitlines()
    program()
    compiled = [x.grad for x in xs]
    zero_grad(xs)
    y.backward()
    assert compiled == [x.grad for x in xs] == [1.0] + [0.0] * (SKIP_FROM - 1)


@pytest.mark.parametrize(("edges", "skipped"), [(SKIP_FROM - 1, False), (SKIP_FROM, True)])
def test_a_node_is_passed_over_from_skip_from_edges_and_one_of_numbers_only_tests_its_gradient(edges, skipped):
    xs = [Value(float(i), label=f"x{i}") for i in range(edges)]
    total = vsum(xs, label="s")
    out = total * 2.0
    out.label = "y"
    program = compile_backprop(out, xs)
    lines = program.source.splitlines()
    assert ("    if dy_ds != 0.0 or not _may_skip:" in lines) == skipped  # sum's local derivatives are the number 1.0
    assert not any("isfinite" in line for line in lines)
    program()
    assert [x.grad for x in xs] == [2.0] * edges


def test_an_ops_rule_is_written_out_as_the_code_it_computes():
    x = Value(0.5, label="x")
    y = (x.tanh() + x.exp() - (-x) * 2.0) / 3.0
    y.label = "y"
    lines = compile_backprop(y, [x]).source.splitlines()
    assert "    v4 = math.tanh(x)" in lines
    assert "    dv4_dx = 1.0 - v4 * v4" in lines  # tanh's rule, 1 - out * out
    assert "    v3 = math.exp(x)" in lines
    assert "    dy_dx += v3 * dy_dv3" in lines  # exp's rule: its own value
    assert "    v1 = -x" in lines
    assert "    y = v6 / 3.0" in lines
    assert "    dy_dv6 += 0.3333333333333333 * dy_dy" in lines  # d(v/3)/dv = 1 / 3, written as its float
    assert "    dy_dv2 += (-1.0) * dy_dv6" in lines
    assert not any("_may_skip" in line for line in lines)  # no node is wide enough to be passed over


def test_an_op_whose_value_has_no_name_is_written_out_as_the_code_it_computes():
    def scale(c: float, x: float) -> float:
        return c * x

    twice = Op("twice", functools.partial(scale, 2.0), lambda out, x: (2.0,), "2x")  # a partial has no __name__
    x = Value(1.5, label="x")
    y = twice(x)
    y.label = "y"
    lines = compile_backprop(y, [x]).source.splitlines()
    assert "    y = 2.0 * x" in lines and not any("_ops[" in line for line in lines)


def test_a_rule_that_calls_an_op_is_written_out_with_that_ops_math_function():
    sin = Op("sin", math.sin, lambda out, x: (cos(x),))
    cos = Op("cos", math.cos, lambda out, x: (-sin(x),))
    x = Value(0.5, label="x")
    y = sin(x)
    y.label = "y"
    z = cos(x)
    program = compile_backprop(y * z, [x])
    lines = program.source.splitlines()
    assert "    y = math.sin(x)" in lines and "    dy_dx = math.cos(x)" in lines
    assert "    dv1_dx = -math.sin(x)" in lines
    assert program() == (y * z).data


def test_an_op_that_calls_another_op_in_its_rule_falls_back_to_calling_its_record():
    twice = Op("twice", lambda v: 2.0 * v, lambda out, v: (2.0,))
    square = Op("sq", lambda v: v * v, lambda out, v: (twice(v),))  # twice is no math function
    x = Value(3.0, label="x")
    y = square(x)
    y.label = "y"
    program = compile_backprop(y, [x])
    assert "    y = x * x" in program.source.splitlines()
    assert re.search(r"\n    dy_dx_local, = _local\(_ops\[0\], 1, y, x\)\n", program.source)
    assert (program(), x.grad) == (9.0, 6.0)


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda a, b, c: a - (b - c), "a - (b - c)"),
        (lambda a, b, c: (a - b) - c, "a - b - c"),
        (lambda a, b, c: a / (b * c), "a / (b * c)"),
        (lambda a, b, c: a * b / c, "a * b / c"),
        (lambda a, b, c: (a + b) * c, "(a + b) * c"),
        (lambda a, b, c: a ** (b**c), "a ** b ** c"),
        (lambda a, b, c: (a**b) ** c, "(a ** b) ** c"),
        (lambda a, b, c: -(a**b), "-a ** b"),
        (lambda a, b, c: (-a) ** b, "(-a) ** b"),
        (lambda a, b, c: -(a * b), "-(a * b)"),
        (lambda a, b, c: 2.0 ** (-a), "2.0 ** (-a)"),
        (lambda a, b, c: 1.0 / a, "1.0 / a"),
        (lambda a, b, c: 3.0 - a, "3.0 - a"),
        (lambda a, b, c: a * -2.0, "a * (-2.0)"),
        (lambda a, b, c: (-2.0) ** a, "(-2.0) ** a"),
        (lambda a, b, c: a + math.inf - math.inf * b + math.nan, "a + math.inf - math.inf * b + math.nan"),
        (lambda a, b, c: a * -math.inf, "a * (-math.inf)"),
    ],
)
def test_code_is_parenthesised_where_python_would_read_it_otherwise(build, text):
    from autograd.compile import Code

    code = build(Code("a"), Code("b"), Code("c"))
    assert str(code) == text
    values = {"a": 1.5, "b": 0.5, "c": 2.0, "math": math}
    expected = build(1.5, 0.5, 2.0)
    assert repr(eval(text, values)) == repr(expected)  # the very float


def test_code_cannot_be_branched_on():
    from autograd.compile import Code

    with pytest.raises(TypeError):
        bool(Code("x"))


def test_an_op_whose_value_is_a_math_function_of_two_operands_is_written_out_as_that_call():
    hypot = Op("hypot", math.hypot, lambda out, x, y: (x / out, y / out))
    x, y = Value(3.0, label="x"), Value(4.0, label="y")
    h = hypot(x, y)
    h.label = "h"
    program = compile_backprop(h, [x, y])
    lines = program.source.splitlines()
    assert "    h = math.hypot(x, y)" in lines and "    dh_dx_local = x / h" in lines
    assert (program(), x.grad, y.grad) == (5.0, 0.6, 0.8)


def test_a_sum_of_100_000_terms_and_a_dot_of_2_000_compile_and_agree_to_the_bit():
    xs = [Value(1.0 / (i + 1)) for i in range(100_000)]
    total = vsum(xs)
    program = compile_backprop(total, xs)
    assert program() == total.data
    ws, inputs = [Value(0.001 * i) for i in range(2_000)], [Value(1.0 - 0.0003 * i) for i in range(2_000)]
    net = dot(ws, inputs, Value(0.5)).tanh()
    net.backward()
    eager = [v.grad for v in ws + inputs]
    replayed = [Value(v.data) for v in ws + inputs]
    again = dot(replayed[:2_000], replayed[2_000:], Value(0.5)).tanh()
    program = compile_backprop(again, replayed)
    assert program() == net.data
    assert [v.grad for v in replayed] == eager
    assert re.search(r"\n    _s1 = v\d+ \+ v\d+ \* v\d+ \+ ", program.source)  # a long sum is cut into lines


def test_a_root_that_is_a_constant_of_the_program_gives_its_number_and_no_gradient():
    x = Value(2.0, label="x")
    root = Value(3.0, label="c")  # a leaf that is not among the leaves
    program = compile_backprop(root, [x])
    x.data, x.grad = 5.0, 0.5
    assert (program(), x.grad) == (3.0, 0.5)


def test_a_value_made_under_no_grad_is_refused_as_backward_refuses_it():
    x = Value(2.0, label="x")
    with no_grad():
        frozen = x * 3.0
    frozen.label = "f"
    y = frozen * x  # d(3x * x)/dx is 12, which a program taking f as a constant would give as 6
    for root, where in ((y, "depends on the '\\*' op labelled 'f', which is"), (frozen, "this value is computed")):
        with pytest.raises(RuntimeError, match=where) as caught:
            root.backward()
        with pytest.raises(RuntimeError, match=where) as refused:
            compile_backprop(root, [x])
        assert str(refused.value) == str(caught.value).replace("backward()", "compile_backprop()")
        assert str(refused.value).startswith("compile_backprop() cannot pass gradients back: ")
    assert x.grad == 0.0


@pytest.mark.parametrize("label", ["abs", "ａｂｓ", "_abs_", "min", "float"])
def test_a_label_that_names_a_builtin_does_not_hide_it_from_the_program(label: str):
    magnitude = Op("abs", abs, lambda out, x: (x / out,))  # its compiled value calls abs()
    x, y = Value(-2.0, label=label), Value(3.0, label="y")
    out = magnitude(x * y) * x
    out.backward()
    eager = [x.grad, y.grad]
    fresh = [Value(-2.0, label=label), Value(3.0, label="y")]
    program = compile_backprop(magnitude(fresh[0] * fresh[1]) * fresh[0], fresh)
    assert program() == out.data == -12.0
    assert [v.grad for v in fresh] == eager == [12.0, -4.0]  # d(|xy| x)/dx = sign(xy) y x + |xy|, d/dy = sign(xy) x²
    assert "abs(" in program.source


HOSTILE_LABELS = [
    "x", "𝐱", "ｘ", "x_", "_x", "dx_dx", "v0", "v1", "v2", "dv3_dv1", "dv3_dv1_local", "dv2_d0",
    "math", "leaves", "backprop", "_ops", "_may_skip", "_e", "e", "_s1", "s1", "class", "lambda", "1x",
    "", "", "ﬁ", "fi", "x[1]", "x 1", "w1[2,1]", "w1_2_1", "µ", "μ", "Ω", "Ω", "abs", "ａｂｓ", "float", "sum",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(expressions(), st.data())
def test_compiled_code_agrees_to_the_bit_whatever_the_labels(expr: Expression, data: st.DataObject):
    def labelled(xs: list[Value]) -> Value:
        out = expr(*xs)
        for v, label in zip(topological_order(out), labels, strict=False):
            v.label = label
        return out

    eager = [Value(x) for x in expr.inputs]
    probe = expr(*[Value(x) for x in expr.inputs])
    labels = data.draw(st.lists(st.sampled_from(HOSTILE_LABELS), min_size=len(topological_order(probe))))
    out = labelled(eager)
    out.backward()
    replayed = [Value(x) for x in expr.inputs]
    program = compile_backprop(labelled(replayed), replayed)
    assert repr(program()) == repr(out.data)
    assert [repr(v.grad) for v in replayed] == [repr(v.grad) for v in eager]


def test_a_long_sum_is_cut_after_100_operators_into_numbered_lines():
    xs = [Value(float(i), label=f"x{i}") for i in range(250)]
    total = vsum(xs, label="s")
    program = compile_backprop(total, xs)
    lines = program.source.splitlines()
    parts = [line for line in lines if line.startswith("    _s")]
    assert [line.split(" = ")[0] for line in parts] == ["    _s1", "    _s2"]
    assert parts[0].count(" + ") == 101 and parts[0].startswith("    _s1 = 0.0 + x0 + x1 + ")
    assert parts[1].startswith("    _s2 = _s1 + x101 + ")
    assert program() == total.data == sum(range(250))


def test_a_value_written_out_with_long_parts_beside_a_rule_that_is_called():
    # a sum too long for one line, whose local derivatives are computed by calling the record
    called = Op(
        "called_sum",
        lambda *terms: vsum_value(terms),
        lambda out, *terms: tuple(1.0 if t > -math.inf else 0.0 for t in terms),  # branches on each term
    )
    xs = [Value(float(i)) for i in range(150)]
    y = called(*xs)
    program = compile_backprop(y, xs)
    assert "_local(_ops[0], " in program.source and "    _s1 = " in program.source
    assert program() == y.data
    assert [x.grad for x in xs] == [1.0] * 150


def vsum_value(terms: tuple[float, ...]) -> float:
    total = 0.0
    for t in terms:
        total = total + t
    return total


def test_a_label_named_after_a_builtin_the_program_calls_changes_nothing():
    xs = [Value(float(i), label=f"x{i}") for i in range(8)]
    dead = dot(xs, [1.0] * 8, -100.0).relu()  # a node of 8 edges whose gradient is 0: the program tests sum(...)
    dead.label = "sum"
    loss = dead * 2.0 + xs[0]
    loss.label = "ｓｕｍ"  # NFKC reads it as sum too
    program = compile_backprop(loss, xs)
    loss.backward()
    expected = [x.grad for x in xs]
    zero_grad(xs)
    assert program() == loss.data
    assert [x.grad for x in xs] == expected


def test_a_negative_nan_constant_keeps_its_sign_bit():
    x = Value(2.0, label="x")
    y = Value(-math.nan) * x
    y.backward()
    expected = struct.pack(">d", x.grad)
    x.grad = 0.0
    compile_backprop(y, [x])()
    assert struct.pack(">d", x.grad) == expected == bytes.fromhex("fff8000000000000")


def test_a_constant_whose_data_is_a_numpy_scalar_is_written_as_a_float_and_a_non_number_is_named():
    np = pytest.importorskip("numpy")
    x, k = Value(2.0, label="x"), Value(0.5, label="k")
    z = k * x
    k.data = np.float32(0.1)
    assert compile_backprop(z, [x])() == float(np.float32(0.1)) * 2.0
    k.data = "s"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"^compile_backprop\(\): the constant k needs a real number, got 's' \(str\)$"):
        compile_backprop(z, [x])


@pytest.mark.parametrize(
    "data",
    [(2**53 + 1, 3), (1, 0.1), (0.1, 3.0)],
)
def test_a_program_reads_data_of_another_type_as_backward_reads_it(data):
    a, b = Value(1.0, label="a"), Value(1.0, label="b")
    program = compile_backprop((a * b + a / b).tanh() * b, [a, b])
    a.data, b.data = data
    out = program()
    eager = (a * b + a / b).tanh() * b
    grads = (a.grad, b.grad)
    zero_grad([a, b])
    eager.backward()
    assert (out, *grads) == (eager.data, a.grad, b.grad)
    assert type(out) is float and type(grads[0]) is float


def test_a_program_reads_numpy_numbers_as_floats():
    np = pytest.importorskip("numpy")
    a, b = Value(1.0), Value(1.0)
    program = compile_backprop(a * b, [a, b])
    a.data, b.data = np.int64(2**40), np.int64(2**40)  # int64 arithmetic would wrap around to 0
    b.grad = np.float32(0.5)
    assert program() == 2.0**80 and (a.grad, b.grad) == (2.0**40, 0.5 + 2.0**40)
    assert type(a.grad) is float and type(b.grad) is float
    a.data, b.data = np.float32(0.1), np.float32(3.0)
    assert program() == float(np.float32(0.1)) * 3.0


def test_a_program_names_a_leaf_whose_data_is_no_number():
    w = Value(1.0, label="w")
    program = compile_backprop(w * 2.0, [w])
    w.data = "5"  # type: ignore[assignment]
    with pytest.raises(
        TypeError,
        match=r"^compile_backprop\(\)'s program needs real numbers, got '5' \(str\) as the data of a Value "
        r"labelled 'w'$",
    ):
        program()
    w.data = 10**400
    with pytest.raises(OverflowError, match=r"of about 10\^400 as the data of a Value labelled 'w'$"):
        program()
    w.data, w.grad = 1.0, "0"  # type: ignore[assignment]
    with pytest.raises(
        TypeError, match=r"^compile_backprop\(\)'s program needs real numbers, got '0' \(str\) as the grad of a Value"
    ):
        program()


def test_a_program_reads_only_the_leaves_in_its_graph():
    w, unused = Value(1.5, label="w"), Value(0.0, label="unused")
    program = compile_backprop(w * 2.0, [w, unused])
    unused.data, unused.grad = "not read", "nor this"  # type: ignore[assignment]
    assert program() == 3.0 and w.grad == 2.0
    w.data = 2  # an int, read as a float by a stand-in, while the unused leaf stays as it is
    assert program() == 4.0 and w.grad == 4.0 and type(w.grad) is float
    assert (unused.data, unused.grad) == ("not read", "nor this")  # type: ignore[comparison-overlap]


SQRT = Op("sqrt", math.sqrt, lambda out, x: (0.5 / out,))  # an op of one's own, on Python's math.sqrt


@pytest.mark.parametrize(
    ("kind", "computed", "bad_y", "compiled", "eager"),
    [
        (
            ZeroDivisionError,
            lambda x, y: x / y,
            0.0,
            r"divides by zero in q = x / y, where x = 1\.0, y = 0\.0 \(float division by zero\)",
            r"1\.0 / 0\.0: float division by zero",
        ),
        (
            ValueError,  # a math function's domain error
            lambda x, y: x * SQRT(y),
            -1.0,
            r"has no real value in v1 = math\.sqrt\(y\), where y = -1\.0 \(math domain error\)",
            r"sqrt\(\) has no real value for -1\.0 \(math domain error\)",
        ),
    ],
)
def test_a_program_names_the_line_that_divides_by_zero_or_has_no_value_and_its_values(
    kind, computed, bad_y, compiled, eager
):
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    q = computed(x, y)
    q.label = "q"
    program = compile_backprop(q, [x, y])
    y.data = bad_y
    with pytest.raises(kind, match=rf"^compile_backprop\(\)'s program {compiled}$") as raised:
        program()
    assert isinstance(raised.value.__cause__, kind)  # Python's own, with its traceback
    assert (x.grad, y.grad) == (0.0, 0.0)  # no gradient was added
    with pytest.raises(kind, match=rf"^{eager}$"):
        computed(x, y)  # the eager engine names the op and its operands too


ROOT = Op("root", lambda x: x**0.5, lambda out, x: (0.5 / out,))  # written with **: Python's is complex for x < 0
SLOPED = Op("sloped", lambda x: x, lambda out, x: (x**1.5,))  # its local derivative is complex for x < 0


@pytest.mark.parametrize(("op", "what"), [(ROOT, "the value of root()"), (SLOPED, "a local derivative of sloped()")])
def test_a_program_refuses_a_complex_number_from_a_power_in_an_ops_rule_as_the_eager_engine_does(op, what):
    x = Value(4.0, label="x")
    y = op(x) * 2.0
    program = compile_backprop(y, [x])
    x.data = -4.0
    with pytest.raises(TypeError, match=rf"^{re.escape(what)} needs a real number, got \(.*j\) \(complex\)$") as raised:
        program()
    assert x.grad == 0.0  # no gradient was added
    with pytest.raises(TypeError, match=rf"^{re.escape(str(raised.value))}$"):
        op(Value(-4.0))  # the eager engine's very words
    x.data = 9.0
    eager = op(Value(9.0)) * 2.0
    assert program() == eager.data and x.grad == (0.5 / 3.0 if op is ROOT else 27.0) * 2.0


def _labelled_program(op):
    """y = op(x) for a leaf x of 4.0, labelled x and y, and its program."""
    x = Value(4.0, label="x")
    y = op(x)
    y.label = "y"
    return x, y, compile_backprop(y, [x])


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (lambda x: x**2.0, "y = x ** 2.0"),  # an integral exponent: real for any base
        (lambda x: 2.0**x, "y = 2.0 ** x"),  # a base not negative: real for any exponent
        (lambda x: 0.0**x, "y = 0.0 ** x"),
        (lambda x: (-2.0) ** x, "y = (-2.0) ** x\n    y = _real(y, _ops[0], False)"),
        (lambda x: x**0.5, "y = x ** 0.5\n    y = _real(y, _ops[0], False)"),
        (lambda x: -(x**0.5) * 2.0, "y = -x ** 0.5 * 2.0\n    y = _real(y, _ops[0], False)"),
    ],
)
def test_only_a_power_that_may_be_complex_is_checked_in_a_program(value, written):
    _, y, program = _labelled_program(Op("own", value, lambda out, x: (1.0,)))
    assert f"\n    {written}\n" in program.source
    assert program.source.count("_real(") == written.count("_real(")  # the check, only where it is needed
    assert program() == y.data


def test_an_error_in_a_checked_power_names_the_line_of_the_power_as_the_rule_writes_it():
    x, _, program = _labelled_program(Op("own", lambda x: x, lambda out, x: (0.5 * x**-0.5,)))
    x.data = 0.0
    with pytest.raises(
        ZeroDivisionError, match=r" divides by zero in dy_dx_local = 0\.5 \* x \*\* \(-0\.5\), where x = 0\.0 \("
    ):
        program()


def test_a_power_that_may_be_complex_is_checked_in_a_long_sum_cut_into_lines():
    op = Op("long", _long_value, lambda out, x: (1.0,))
    x = Value(4.0, label="x")
    y = op(x)
    program = compile_backprop(y, [x])
    assert "    _s1 = x ** 0.5 + x" in program.source and "    v1 = _real(v1, _ops[0], False)\n" in program.source
    assert program() == y.data == 602.0  # 2 + 150 * 4
    x.data = -4.0
    with pytest.raises(TypeError, match=r"^the value of long\(\) needs a real number, got \(.*j\) \(complex\)$"):
        program()


def _long_value(x):
    """x ** 0.5 and 150 more terms, added in order (sum() would add them its own way from Python 3.12)."""
    total = x**0.5
    for _ in range(150):
        total = total + x
    return total


def _long_local(out, x):
    """x ** 0.5 and 100 more terms: a derivative cut into a line of its own (_s1) as a whole."""
    d = x**0.5
    for _ in range(100):
        d = d + x
    return (d,)


def _local_of_shape(wrong):
    """A local rule that gives one derivative for x > 0, and `wrong` otherwise."""
    return lambda out, x: (1.0,) if number(x) > 0 else wrong


def _outcome(run):
    """What run() gives, as (root, grad) with their types, or the error it raises."""
    try:
        root, grad = run()
    except (TypeError, ValueError) as error:
        return type(error).__name__, str(error)
    return repr(root), type(root), repr(grad), type(grad)


def _eager(build, at):
    x = Value(at)
    y = build(x)
    y.backward()
    return y.data, x.grad


def _numpy():
    return pytest.importorskip("numpy")


FLOOR = Op("floor", math.floor, lambda out, x: (0.0,))  # a math function that gives an int
TOTAL = Op("total", lambda *xs: sum(xs), lambda out, *xs: (1.0,) * len(xs))
NUMPY_SUM = Op("numpy sum", lambda *xs: _numpy().sum(xs), lambda out, *xs: (1.0,) * len(xs))


def _log_or_nothing(x: float) -> float:
    """log x, or -inf where math.log cannot read x (a name, when the rule is written out: a refused step)."""
    try:
        return math.log(x)
    except TypeError:
        return -math.inf


def _doubled_unless_float(x: float) -> float:
    """x for a float (as every number of a node is), 2x for anything else (a name, were it written out)."""
    return x if isinstance(x, float) else 2.0 * x


def _tripled_as_fraction(x: float) -> float:
    """3x computed exactly, or 5x where Fraction cannot read x (a name, were it written out)."""
    try:
        return float(Fraction(x) * 3)
    except TypeError:
        return x * 5.0


def _caught(step: Callable[[float], float]) -> Callable[[float], float]:
    """step(x), or 7.0 where it raises TypeError (as it does on a name, were the rule written out)."""

    def value(x: float) -> float:
        try:
            return step(x)
        except TypeError:
            return 7.0

    return value


MODULUS = Op("modulus", lambda x: abs(x**0.5), lambda out, x: (+abs(0.5 / out),))


def _guarded(x: float) -> float:
    try:
        math.log(x)
    except TypeError:
        raise ValueError(f"{x!r} is no number") from None
    return x


def _nested_abs(x: float) -> float:
    for _ in range(250):
        x = abs(x - 0.5)
    return x


def _nested_neg(x: float) -> float:
    for _ in range(250):
        x = -(x - 0.5)
    return x


@functools.singledispatch
def _slope_of_kind(x: object) -> float:
    return 2.0


@_slope_of_kind.register
def _(x: float) -> float:
    return 1.0


def test_a_rule_that_asks_what_its_number_is_is_written_out_with_the_branch_for_floats():
    typed = Op("typed", _doubled_unless_float, lambda out, x: (_slope_of_kind(x),))
    x = Value(1.5, label="x")
    program = compile_backprop(typed(x) * x, [x])
    assert "_value(" not in program.source and "_local(" not in program.source  # written out
    x.data = -2.5
    assert (program(), x.grad) == _eager(lambda v: typed(v) * v, -2.5) == (6.25, -5.0)


@pytest.mark.parametrize("at", [4.0, -4.0, 2.0])  # (-4.0) ** 0.5 is a complex number, abs() of it the float 2.0
def test_abs_in_a_rule_is_written_out_as_pythons_abs_also_of_a_complex_number(at):
    x = Value(1.0, label="x")
    program = compile_backprop(MODULUS(x), [x])
    assert "abs(" in program.source and "_value(" not in program.source and "_local(" not in program.source
    x.data = at
    assert _outcome(lambda: (program(), x.grad)) == _outcome(lambda: _eager(MODULUS, at))


BIG = Op("big", lambda x: 2**60 + 1, lambda out, x: (out - 2**60,))  # 0.0 on the float the node keeps
SHIFTED = Op("shifted", lambda x, c: x * (c - 2**60), lambda out, x, c: (c - 2**60,))
SCALED = Op("scaled", lambda x, c: x * c, lambda out, x, c: (c, x) if number(x) > 0 else (c, 0.0))  # called


@pytest.mark.parametrize(
    ("made", "at"),
    [
        (lambda: Op("wide", lambda x: x * 1.0, _long_local), -4.0),  # a complex derivative, cut into _s1 whole
        (lambda: FLOOR, 2.5),
        (lambda: lambda x: FLOOR(x) * FLOOR(x), 2.0**60 + 512),  # int arithmetic would be exact
        (lambda: Op("nan?", math.isnan, lambda out, x: (0.0,)), 1.0),  # a math function that gives a bool
        (lambda: Op("e", lambda x: EXP(x**0.5), lambda out, x: (1.0,)), -4.0),  # exp of a complex number
        (lambda: Op("f32", lambda x: x * _numpy().float32(0.1), lambda out, x: (0.1,)), 3.0),  # float32 arithmetic
        (lambda: Op("three", lambda x: x, _local_of_shape((1.0, 2.0, 3.0))), -2.0),  # too many derivatives
        (lambda: Op("none", lambda x: x, _local_of_shape(())), -2.0),  # too few
        (lambda: Op("array", lambda x: x, _local_of_shape(_numpy().array([2.0]))), -2.0),  # not a tuple
        (lambda: Op("number", lambda x: x, _local_of_shape(2.0)), -2.0),
        (lambda: Op("out", lambda x: x * 3.0, lambda out, x: (out,) if number(x) > 0 else (0.0,)), 5.0),  # reads out
        (lambda: lambda x: SCALED(x, 3.0), 5.0),  # a derivative for the plain number too, not kept
        (lambda: Op("f32 left", lambda x: _numpy().float32(0.1) * x, lambda out, x: (1.0,)), 2000.0),
        (lambda: Op("f32 slope", lambda x: x, lambda out, x: (_numpy().float32(0.1) * x,)), 2000.0),
        (lambda: BIG, 3.0),  # its local function reads the value as the float the node keeps
        (lambda: Op("-floor", lambda x: -FLOOR(x), lambda out, x: (0.0,)), 0.5),  # -0.0, not int 0
        (lambda: lambda x: SHIFTED.apply((x, 2**60 + 1)), 2.0),  # a plain int operand, read as a float
        (lambda: lambda x: TOTAL(*[x] * 10), 0.1),  # sum() of floats compensates from Python 3.12: 1.0, not 0.99...
        (lambda: lambda x: NUMPY_SUM.apply((x, *[1.0] * 8)), 1e16),  # numpy adds pairwise: 1.0000000000000008e16
        (lambda: Op("real", lambda x: (x**0.5).real, lambda out, x: (0.5 / out,)), 4.0),  # a float's attribute
        (lambda: Op("caught", _log_or_nothing, lambda out, x: (1.0 / x,)), 2.0),  # it catches a refused step
        (lambda: Op("typed", _doubled_unless_float, lambda out, x: (1.0 if isinstance(x, float) else 2.0,)), 2.0),
        (lambda: Op("fraction", _tripled_as_fraction, lambda out, x: (3.0,)), 0.1),  # Fraction(x) tests its type
        (lambda: Op("rounded", _caught(lambda x: round(x, 1)), lambda out, x: (0.0,)), 2.25),
        (lambda: Op("remainder", _caught(lambda x: x % 1.0), lambda out, x: (1.0,)), 2.25),
        (lambda: Op("hashed", _caught(lambda x: {0.0: -1.0}.get(x, x)), lambda out, x: (1.0,)), 2.25),
        (lambda: Op("np.mod", _caught(lambda x: _numpy().mod(x, 1.0)), lambda out, x: (1.0,)), 2.25),
        (lambda: Op("formatted", _caught(lambda x: float(f"{x:.1f}")), lambda out, x: (0.0,)), 2.25),
        (lambda: Op("its type", lambda x: type(x)(-2.0) ** 2 * x, lambda out, x: (4.0,)), 1.5),  # not -2.0 ** 2
        (lambda: Op("guarded", _guarded, lambda out, x: (1.0,)), 1.5),  # its own error after a refused step
        (lambda: Op("nested", _nested_abs, lambda out, x: (1.0,)), 0.3),  # 250 abs( ) deep: cut into lines
        (lambda: Op("negated", _nested_neg, lambda out, x: (1.0,)), 0.3),
    ],
)
def test_a_program_gives_what_the_eager_engine_gives_for_what_a_rule_of_ones_own_gives(made, at):
    build = made()
    x = Value(2.0, label="x")
    program = compile_backprop(build(x), [x])
    x.data = at
    assert _outcome(lambda: (program(), x.grad)) == _outcome(lambda: _eager(build, at))


def _branching(value):
    """A value rule that branches on its number (x == x), so that a program calls the record."""
    return lambda x: value(x) if x == x else x


@pytest.mark.parametrize(
    ("value", "kept"),
    [(lambda x: 3, 3.0), (lambda x: Fraction(1, 3), 1 / 3), (lambda x: 2**53 + 1, 2.0**53)],  # the nearest float
)
def test_a_program_keeps_another_real_number_an_ops_record_gives_as_the_float_the_eager_engine_keeps(value, kept):
    op = Op("own", _branching(value), lambda out, x: (Fraction(1, 2),))
    x = Value(4.0, label="x")
    program = compile_backprop(op(x), [x])
    x.data = -4.0
    eager = op(Value(-4.0))
    result = program()
    assert (result, type(result), x.grad, type(x.grad)) == (kept, float, 0.5, float) and eager.data == kept


def test_a_program_refuses_what_an_ops_record_gives_that_is_no_real_number_as_the_eager_engine_does():
    op = Op("own", _branching(lambda x: 2.0 if x > 0 else 1j if x > -10 else 10**400), lambda out, x: (1.0,))
    x = Value(4.0, label="x")
    program = compile_backprop(op(x), [x])
    x.data = -4.0
    with pytest.raises(TypeError, match=r"^the value of own\(\) needs a real number, got 1j \(complex\)$"):
        program()
    x.data = -40.0
    with pytest.raises(
        OverflowError,
        match=r"^the value of own\(\) needs a number a float can hold: got a number \(int\) of about 10\^",
    ):
        program()
    assert x.grad == 0.0


def test_a_program_names_the_line_that_overflows_and_its_values():
    x = Value(1.0, label="x")
    t = x * 3.0
    t.label = "t"
    e = t.exp()
    e.label = "e"
    program = compile_backprop(e, [x])
    x.data = 1000.0
    with pytest.raises(
        OverflowError,
        match=r"^compile_backprop\(\)'s program overflows in e = math\.exp\(t\), where t = 3000\.0 "
        r"\(math range error\)$",
    ):
        program()
    cube = Op("cube", lambda x: x**3.0, lambda out, x: (3.0 * x**2.0,))  # an op of one's own, written out
    c = cube(x)
    c.label = "c"
    program = compile_backprop(c, [x])
    x.data = 1e200
    with pytest.raises(
        OverflowError,
        match=r"^compile_backprop\(\)'s program overflows in c = x \*\* 3\.0, where x = 1e\+200 "
        r"\(Numerical result out of range\)$",  # Python's text, without its errno
    ):
        program()


def test_a_node_of_numbers_alone_is_written_as_its_value():
    hand_made = make_node(math.exp(2.0), [], [], EXP, operands=[2.0])  # no children: its op is run as it is written
    program = compile_backprop(hand_made * 1.0, [])
    assert program() == math.exp(2.0)
    with pytest.raises(OverflowError, match=r"^exp\(\) overflows for 1000\.0$"):  # its record is run at once
        make_node(1.0, [], [], EXP, operands=[1000.0])


def test_a_program_names_only_the_variables_of_its_line():
    x = Value(1.0, label="exp")  # named as math's function, which the line also reads
    e = x.exp()
    e.label = "e"
    program = compile_backprop(e, [x])
    x.data = 1000.0
    with pytest.raises(OverflowError, match=r" in e = math\.exp\(exp\), where exp = 1000\.0 \("):
        program()


class RangeError(OverflowError):
    """An overflow of one's own, which takes more than a message."""

    def __init__(self, x: float, limit: float) -> None:
        super().__init__(f"{x} is beyond {limit}")


def _capped(x: float) -> float:
    if x > 100:
        raise RangeError(x, 100)
    return x


def _bare_inverse(x: float) -> float:
    if x == 0:
        raise ZeroDivisionError  # no text of its own
    return 1 / x


@pytest.mark.parametrize(
    ("build", "at", "words"),
    [
        (lambda x, y: x**y, (1000.0, 1000.0), r"1000\.0 \*\* 1000\.0 overflows"),  # the engine's own record
        (
            lambda x, y: Op("capped", _capped, lambda out, x: (1.0,))(x) * y,
            (1000.0, 1.0),
            r"capped\(\) overflows for 1000\.0",
        ),
        (
            lambda x, y: Op("bare", _bare_inverse, lambda out, x: (-out * out,))(x) + y,
            (0.0, 1.0),
            r"bare\(\) for 0\.0: division by zero",
        ),
        (
            lambda x, y: Op("root", lambda x: math.sqrt(x) if x == x else x, lambda out, x: (0.5 / out,))(x) * y,
            (-1.0, 1.0),
            r"root\(\) has no real value for -1\.0 \(math domain error\)",
        ),
        (
            lambda x, y: Op("lg", lambda x: x, lambda out, x: (math.log(x) if x == x else x,))(x) * y,
            (-1.0, 1.0),
            r"the local derivatives of lg\(\) have no real value for -1\.0 \(math domain error\)",
        ),
    ],
    ids=["x ** y", "an overflow of its own", "a bare division by zero", "a domain error", "in its local function"],
)
def test_an_error_of_an_ops_record_called_by_a_program_is_the_eager_engines(build, at, words):
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    program = compile_backprop(build(x, y), [x, y])
    assert "_ops[0]" in program.source  # the record is called, and its function raises
    x.data, y.data = at
    with pytest.raises((ArithmeticError, ValueError)) as compiled:
        program()
    with pytest.raises((ArithmeticError, ValueError)) as eager:
        build(*map(Value, at)).backward()
    assert (type(compiled.value), str(compiled.value)) == (type(eager.value), str(eager.value))
    assert re.fullmatch(words, str(compiled.value)) and (x.grad, y.grad) == (0.0, 0.0)


def test_a_rule_that_compares_with_equals_runs_as_its_record_does():
    clamped = Op("clamp0", lambda x: 1.0 if number(x) == 0 else x, lambda out, x: (0.0 if number(x) != 0 else 1.0,))
    x = Value(0.5, label="x")
    program = compile_backprop(clamped(x) * 1.0, [x])
    for data in (0.0, 0.5):
        x.data, x.grad = data, 0.0
        eager = clamped(Value(data)) * 1.0
        eager.backward()
        assert program() == eager.data == (1.0 if data == 0 else data)
        assert x.grad == (1.0 if data == 0 else 0.0)


@pytest.mark.parametrize(("power", "at", "grad"), [(0.5, 0.0, math.inf), (-1.5, 1e-200, -math.inf), (2.0, 3.0, 6.0)])
def test_a_power_compiles_to_the_eager_numbers_at_its_edges(power, at, grad):
    x = Value(1.0, label="x")
    program = compile_backprop(x**power, [x])
    x.data = at
    eager = Value(at)
    (eager**power).backward()
    assert (program(), x.grad) == ((Value(at) ** power).data, eager.grad)
    assert eager.grad == grad


def test_an_op_name_is_text_in_the_program():
    injected = Op('evil\n    raise SystemExit("injected")\n    #', _capped, lambda out, x: (1.0,))
    x = Value(1.0, label="x")
    program = compile_backprop(injected(x), [x])
    assert program() == 1.0
    assert "# 'evil\\n    raise SystemExit(\"injected\")\\n    #': its record's own functions" in program.source


def test_threads_compiling_at_once_each_write_their_own_program():
    """Long sums are cut into lines while a rule is written out: each thread cuts its own."""

    def wide(n: int) -> tuple[Value, list[Value]]:
        xs = [Value(float(i), label=f"x{i}") for i in range(n)]
        return vsum([x * x for x in xs]), xs

    alone = {n: compile_backprop(*wide(n)).source for n in (300, 500)}
    found: dict[int, list[str]] = {300: [], 500: []}
    start = threading.Barrier(2)

    def compiling(n: int) -> None:
        start.wait()
        found[n] += [compile_backprop(*wide(n)).source for _ in range(10)]

    at_once([functools.partial(compiling, n) for n in alone])
    assert found == {n: [source] * 10 for n, source in alone.items()}


def test_a_label_spelled_as_a_gradient_of_the_root_is_renamed():
    """dy_dx is the name of dy/dx in the program: a value labelled so takes another name."""
    x, w = Value(0.5, label="x"), Value(2.0, label="w")
    product = x * w
    product.label = "dy_dx"
    y = product.tanh()
    y.label = "y"
    program = compile_backprop(y, [x, w])
    assert "dy_dx" not in program.source
    root = program()
    grads = (x.grad, w.grad)
    x.grad = w.grad = 0.0
    y.backward()
    assert (root, grads) == (y.data, (x.grad, w.grad))


def test_a_program_can_be_made_again_from_its_source():
    x, w = Value(0.5, label="x"), Value(-2.0, label="w")
    y = (w * x + 1).tanh()
    program = compile_backprop(y, [w, x])
    again = CompiledBackprop(program.source, program.leaves, [])
    assert again() == program() == y.data
    assert (w.grad, x.grad) == (2 * x.data * (1 - y.data * y.data), 2 * w.data * (1 - y.data * y.data))


def test_threads_running_one_program_add_up_as_calls_in_turn_would():
    ws = [Value(0.5 + i / 1000) for i in range(400)]
    program = compile_backprop(vsum([w * w for w in ws]), ws)
    in_turns, at_once = in_turns_and_at_once(program, ws, threads=8, calls=50)
    assert at_once == in_turns and in_turns[0] == 400.0 * 2 * 0.5


def test_an_op_of_more_than_255_children_that_calls_its_record_compiles():
    """Its derivatives are unpacked from the record's call; Python allows no more than 255 names before a *_."""
    scores = [Value(0.01 * k - 1.5, label=f"s{k}") for k in range(300)]
    loss = hinge(scores, [1 if k % 2 else -1 for k in range(300)])
    loss.backward()
    eager = [s.grad for s in scores]
    zero_grad(scores)
    program = compile_backprop(loss, scores)
    assert (program(), [s.grad for s in scores]) == (loss.data, eager)


def test_an_error_is_located_on_its_line_after_a_line_break_python_does_not_count():
    """A \\u2028 in a template's comment ends no line for Python, as it does for str.splitlines()."""
    exp_noted = Op(
        "e", math.exp, lambda out, x: (out,), code=("{d} = 1.0  # a note\u2028read on", "{out} = math.exp({x})")
    )
    x = Value(1.0, label="x")
    y = exp_noted(x)
    y.label = "y"
    program = compile_backprop(y * 2.0, [x])
    x.data = 1000.0
    with pytest.raises(OverflowError, match=r"overflows in y = math\.exp\(x\), where x = 1000\.0"):
        program()
