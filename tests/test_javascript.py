"""The generated JavaScript, run in headless Chromium, against the engine at the same numbers.

Each test sends many graphs in one execute_script. The engine's side is a replay of the recorded
graph through each node's own record (Op.apply) with the leaves and constants changed, so the
engine computes, and raises, exactly where the page's function would.
"""

import functools
import json
import math
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Op, Value, dot, make_node, no_grad, topological_order, vsum
from autograd.compile import compile_backprop
from autograd.expression import SUM_COMPENSATES
from autograd.javascript import JavaScript, javascript
from autograd.strategies import Expression, expressions
from nn import MLP, binary_cross_entropy, cross_entropy, hinge, l2, mean_squared_error, squared_error
from nn.examples import mazur

RUN = """
const encode = (x) => (Object.is(x, -0) ? "-0.0" : String(x));
const decode = (xs) => xs.map((x) => (typeof x === "string" ? Number(x) : x));
return arguments[0].map(([source, calls]) => {
  const backprop = (0, eval)(source);
  return calls.map(([leaves, constants]) => {
    try {
      const { data, local, grad } = backprop(decode(leaves), decode(constants));
      return { data: data.map(encode), local: local.map(encode), grad: grad.map(encode) };
    } catch (error) {
      return { error: error.message, python: error.python ?? null, node: error.node ?? null, op: error.op ?? null };
    }
  });
});
"""


def run_in_browser(browser, cases):
    """cases: [(program, [(leaf numbers, constant numbers), ...]), ...] -> each call's result, decoded."""
    sent = [
        [program.source, [[_sent(leaves), _sent(constants)] for leaves, constants in calls]] for program, calls in cases
    ]
    results = browser.execute_script(RUN, sent)
    for per_program in results:
        for result in per_program:
            if "error" not in result:
                for key in ("data", "local", "grad"):
                    result[key] = [float(x) for x in result[key]]
    return results


def _sent(numbers):
    """Numbers as JSON carries them: floats as JavaScript reads them (Infinity, NaN), anything else as it is."""
    return [{"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}.get(repr(x), repr(x)) if isinstance(x, float) else x
            for x in numbers]  # fmt: skip


def replay(order, leaves, leaf_numbers, constants=(), constant_numbers=()):
    """The engine on the recorded graph with the leaves' numbers and the constants changed: each node
    made again by its own record. {data, local, grad} in the graph's numbering, or {error}."""
    new_leaf = dict(zip(leaves, leaf_numbers, strict=True))
    edits = {(c.node, c.operand): x for c, x in zip(constants, constant_numbers, strict=False)}
    made: list[Value] = []
    index = {v: i for i, v in enumerate(order)}
    try:
        for i, v in enumerate(order):
            if not v.arguments:
                made.append(Value(new_leaf.get(v, v.data)))
                continue
            operands = tuple(
                made[index[x]] if isinstance(x, Value) else edits.get((i, p), x) for p, x in enumerate(v.arguments)
            )
            made.append(v.operation.apply(operands))
        made[-1].backward()
    except (ArithmeticError, ValueError) as error:
        return {"error": str(error), "python": type(error).__name__}
    return {
        "data": [v.data for v in made],
        "local": [d for v in made for d in v.local_grads],
        "grad": [v.grad for v in made],
    }


def close(js: float, py: float, exact: bool) -> bool:
    if js == py or (math.isnan(js) and math.isnan(py)):
        return math.copysign(1, js) == math.copysign(1, py) or js != 0
    if exact or not (math.isfinite(js) and math.isfinite(py)):
        return False
    return abs(js - py) <= 1e-12 * max(abs(js), abs(py))


NUMBER = re.compile(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)")


def same_message(js: str, py: str, exact: bool) -> bool:
    """Whether two error messages say the same, their numbers being close() (JavaScript's Math.log and
    Math.exp may differ from Python's by an ulp, and a message names the number an op was given)."""
    js_numbers, py_numbers = NUMBER.findall(js), NUMBER.findall(py)
    return (
        NUMBER.split(js) == NUMBER.split(py)
        and len(js_numbers) == len(py_numbers)
        and all(close(float(a), float(b), exact) for a, b in zip(js_numbers, py_numbers, strict=True))
    )


def assert_agree(js, py, exact=False, what=""):
    if "error" in py:
        assert "error" in js and same_message(js["error"], py["error"], exact), (what, js, py)
        assert js["python"] == py["python"], what
        return
    assert "error" not in js, f"{what}: {js}"
    for key in ("data", "local", "grad"):
        assert len(js[key]) == len(py[key]), (what, key)
        bad = [(i, a, b) for i, (a, b) in enumerate(zip(js[key], py[key], strict=True)) if not close(a, b, exact)]
        assert not bad, f"{what}: {key} differs at {bad[:5]}"


def compared(browser, graphs, exact=False):
    """graphs: [(root, leaves, [(leaf numbers, constant edits as {constant index: number}), ...])].
    Runs each in the browser and through the engine; returns how many calls were compared."""
    cases, expected = [], []
    for root, leaves, calls in graphs:
        program = javascript(root, leaves)
        order = topological_order(root)
        sent, wanted = [], []
        for leaf_numbers, edits in calls:
            numbers = [c.value for c in program.constants]
            for k, x in edits.items():
                numbers[k] = x
            sent.append((leaf_numbers, numbers))
            wanted.append(replay(order, program.leaves, leaf_numbers, program.constants, numbers))
        cases.append((program, sent))
        expected.append(wanted)
    for (program, _), js_calls, py_calls in zip(cases, run_in_browser(browser, cases), expected, strict=True):
        for call, (js, py) in enumerate(zip(js_calls, py_calls, strict=True)):
            assert_agree(js, py, exact, f"call {call} of\n{program.source[program.source.index('return function') :]}")
    return sum(len(calls) for _, calls in cases)


def moved(numbers, rng, scale=1.0):
    return [x + rng.uniform(-scale, scale) for x in numbers]


# ---- graphs of every op, drawn by the strategies -----------------------------------------------


def expression_graph(expr: Expression):
    inputs = [Value(x) for x in expr.inputs]
    return expr(*inputs), inputs


@settings(max_examples=6, deadline=None)
@given(st.lists(expressions(max_steps=14), min_size=25, max_size=25), st.randoms(use_true_random=False))
def test_every_op_agrees_with_the_engine_at_the_recorded_and_at_edited_numbers(browser, exprs, rng):
    graphs = []
    for expr in exprs:
        root, inputs = expression_graph(expr)
        program = javascript(root, inputs)
        calls: list[tuple[list[float], dict[int, float]]] = [(list(expr.inputs), {})]
        calls += [(moved(expr.inputs, rng), {}) for _ in range(2)]
        calls += [(list(expr.inputs), {k: c.value * rng.uniform(0.5, 1.5)}) for k, c in enumerate(program.constants)]
        graphs.append((root, inputs, calls))
    assert compared(browser, graphs) >= 75


EXACT_OPS = ["+", "-", "*", "/", "3 -", "1.5 /", "0.5 *", "1 +", "neg", "sum", "dot"]


@st.composite
def arithmetic(draw):
    """Expressions of + - * / (and sums and dots of them): the page's numbers are the engine's to the bit."""
    n = draw(st.integers(1, 3))
    inputs = tuple(draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=n, max_size=n)))
    arity = {"sum": 3, "dot": 3, "+": 2, "-": 2, "*": 2, "/": 2}
    steps, count = [], n
    for _ in range(draw(st.integers(1, 16))):
        name = draw(st.sampled_from(EXACT_OPS))
        steps.append((name, tuple(draw(st.integers(max(0, count - 4), count - 1)) for _ in range(arity.get(name, 1)))))
        count += 1
    return Expression(inputs, tuple(steps))


@settings(max_examples=4, deadline=None)
@given(st.lists(arithmetic(), min_size=30, max_size=30), st.randoms(use_true_random=False))
def test_arithmetic_agrees_with_the_engine_to_the_bit(browser, exprs, rng):
    graphs = []
    for expr in exprs:
        try:
            root, inputs = expression_graph(expr)
        except ZeroDivisionError:
            continue  # drawn with a division by 0
        program = javascript(root, inputs)
        calls: list[tuple[list[float], dict[int, float]]] = [(list(expr.inputs), {}), (moved(expr.inputs, rng), {})]
        calls += [(list(expr.inputs), {k: rng.uniform(-2, 2)}) for k in range(len(program.constants))]
        graphs.append((root, inputs, calls))
    compared(browser, graphs, exact=True)


# ---- networks with each loss --------------------------------------------------------------------


def network_losses(rng):
    """(loss, leaves, edited leaf numbers) for a 3-4-4-1-ish MLP with each loss of nn.losses."""
    xs = [rng.uniform(-1, 1) for _ in range(3)]
    cases = []
    for name, sizes, activation, last in [
        ("squared_error", [4, 4, 2], "tanh", "linear"),
        ("mean_squared_error", [4, 4, 1], "relu", "linear"),
        ("hinge", [4, 4, 3], "relu", "linear"),
        ("binary_cross_entropy", [4, 4, 2], "tanh", "sigmoid"),
        ("cross_entropy", [4, 4, 3], "relu", "linear"),
        ("l2", [4, 4, 1], "sigmoid", "tanh"),
    ]:
        model = MLP(3, sizes, activation, last, rng=random.Random(rng.random()))
        inputs = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
        outs = model.forward(inputs)
        loss = with_loss(name, outs, model)
        leaves = [*model.parameters(), *inputs]
        cases.append((name, loss, leaves))
    return cases


def with_loss(name, outs, model):
    if name == "squared_error":
        return squared_error(outs, [0.5, -0.25])
    if name == "mean_squared_error":
        return mean_squared_error(outs, [0.3])
    if name == "hinge":
        return hinge(outs, [1, -1, 1])
    if name == "binary_cross_entropy":
        return binary_cross_entropy(outs, [1.0, 0.0])
    if name == "cross_entropy":
        return cross_entropy(outs, 2)
    return squared_error(outs, 0.1) + l2(model.parameters(), 1e-3)


def test_networks_with_each_loss_agree_with_the_engine(browser):
    rng = random.Random(7)
    graphs = []
    for name, loss, leaves in network_losses(rng):
        program = javascript(loss, leaves)
        recorded = [v.data for v in leaves]
        calls: list[tuple[list[float], dict[int, float]]] = [(recorded, {})]
        calls += [(moved(recorded, rng, 0.5), {}) for _ in range(4)]
        calls += [(recorded, {k: c.value + rng.uniform(-0.5, 0.5)}) for k, c in enumerate(program.constants)]
        if name == "hinge":  # margins on both sides of the kink, labels flipped
            calls += [(recorded, {k: -c.value for k, c in enumerate(program.constants)})]
        graphs.append((loss, leaves, calls))
    assert compared(browser, graphs) > 40


def test_the_targets_of_each_loss_are_constants_and_cross_entropys_classes_are_fixed():
    rng = random.Random(1)
    listed = {name: javascript(loss, leaves).constants for name, loss, leaves in network_losses(rng)}
    assert [c.value for c in listed["squared_error"]] == [0.5, -0.25]
    assert [c.value for c in listed["hinge"]] == [1.0, -1.0, 1.0]
    assert listed["cross_entropy"] == ()  # the class picks an output: it stays as recorded
    assert sorted(c.value for c in listed["l2"]) == [1e-3, 0.1]  # alpha and the target


def test_mazurs_network_with_its_targets_edited(browser):
    ex = mazur()
    error = ex.backward()
    order = topological_order(error)
    program = javascript(error, ex.model.parameters())
    assert [c.value for c in program.constants] == [0.01, 0.99]
    params = [p.data for p in ex.model.parameters()]
    ((js_recorded, js_edited),) = run_in_browser(browser, [(program, [(params, []), (params, [0.5])])])
    assert js_recorded["data"] == [v.data for v in order]
    assert js_recorded["grad"][order.index(ex.weights["w5"])] == ex.weights["w5"].grad
    assert round(js_recorded["grad"][order.index(ex.weights["w5"])], 9) == 0.082167041
    engine = mazur()
    edited = engine.backward(targets=[0.5, 0.99])
    assert js_edited["data"][-1] == edited.data
    assert js_edited["grad"][order.index(ex.weights["w5"])] == engine.weights["w5"].grad


# ---- where the engine raises ---------------------------------------------------------------------


def test_the_function_throws_the_engines_error_naming_the_node_and_op(browser):
    x = Value(2.0, "x")
    sqrt = Op("sqrt", math.sqrt, lambda out, x: (0.5 / out,))
    roots = [(x * 1.0).log(), x.exp(), 1.0 / x, x ** Value(2.0), sqrt(x), x ** Value(-1.0)]
    calls = [[[-1.0], [0.0], [3.0]], [[1000.0]], [[0.0], [-0.0]], [[-2.0]], [[0.0]], [[1e-200]]]
    cases: list[tuple[JavaScript, list[tuple[list[float], list[float]]]]] = [
        (javascript(root, [x]), [(leaves, []) for leaves in per_root])
        for root, per_root in zip(roots, calls, strict=True)
    ]
    results = run_in_browser(browser, cases)
    negative, zero, fine = results[0]
    assert negative == {
        "error": "log() needs a positive value, got -1.0",
        "python": "ValueError",
        "node": 2,
        "op": "log",
    }
    assert zero["error"] == "log() needs a positive value, got 0.0"
    assert fine["data"][-1] == pytest.approx(math.log(3.0), rel=1e-12)  # V8's Math.log may round otherwise
    assert results[1][0]["error"] == "exp() overflows for 1000.0"
    assert results[2][0]["error"] == "1.0 / 0.0: float division by zero"
    assert results[2][1]["error"] == "1.0 / -0.0: float division by zero"
    assert results[3][0]["error"] == "x ** y with y a Value needs x > 0 (d/dy = x**y * log x), got x=-2.0, y=2.0"
    assert results[4][0]["error"] == "the local derivatives of sqrt() for 0.0: float division by zero"
    assert results[5][0]["error"] == "the local derivatives of 1e-200 ** -1.0 overflow"  # its value, 1e200, is fine
    for root, (program, sent), js_calls in zip(roots, cases, results, strict=True):
        for (leaves, _), js in zip(sent, js_calls, strict=True):
            assert_agree(js, replay(topological_order(root), program.leaves, leaves))


def test_where_python_and_javascript_arithmetic_differ_the_engines_numbers_are_kept(browser):
    x, y = Value(0.5, "x"), Value(2.0, "y")
    graphs = [
        (x**0.5, [x], [([0.0], {}), ([1e-300], {}), ([0.25], {0: 1.5})]),  # +inf slope at 0; a root's slope
        (x**-1.0, [x], [([1e-160], {}), ([-1e-160], {}), ([0.0], {})]),  # x^-2 overflows: the slope is c x^c / x
        (x**y, [x, y], [([1.0, math.nan], {}), ([10.0, 400.0], {}), ([0.0, -1.0], {}), ([-8.0, 3.0], {})]),
        (2.0**x, [x], [([1100.0], {}), ([-2.0], {0: -8.0}), ([0.5], {0: -8.0}), ([3.0], {0: 0.0})]),
        ((x * y).relu() + (x - y).sigmoid(), [x, y], [([math.nan, 1.0], {}), ([-0.0, 3.0], {}), ([800.0, -1.0], {})]),
        (x.tanh() * x.exp(), [x], [([math.inf], {}), ([-math.inf], {}), ([709.0], {}), ([710.0], {})]),
    ]
    assert compared(browser, graphs) == 21


def test_a_math_functions_domain_error_is_named_as_the_engine_names_it_in_a_value_or_a_local_derivative(browser):
    sine = Op("sin", math.sin, lambda out, x: (math.cos(x),))
    root = Op("root", math.sqrt, lambda out, x: (0.5 / out,))
    line = Op("line", lambda x: 2.0 * x, lambda out, x: (math.sqrt(x),))  # a value everywhere, a slope for x >= 0
    x = Value(0.5, "x")
    graphs: list[tuple[Value, list[Value], list[tuple[list[float], dict[int, float]]]]] = [
        (sine(x), [x], [([math.inf], {}), ([1.0], {})]),
        (root(x), [x], [([-1.0], {}), ([4.0], {})]),
        (line(x), [x], [([-1.0], {}), ([4.0], {})]),
    ]
    cases = [
        (javascript(node, leaves), [(numbers, list[float]()) for numbers, _ in calls]) for node, leaves, calls in graphs
    ]
    results = run_in_browser(browser, cases)
    assert [calls[0]["error"] for calls in results] == [
        "sin() has no real value for inf (math domain error)",
        "root() has no real value for -1.0 (math domain error)",
        "the local derivatives of line() have no real value for -1.0 (math domain error)",
    ]
    assert compared(browser, graphs) == 6  # the engine's words, and its numbers where there is no error


def test_a_complex_number_from_a_power_in_an_ops_rule_is_refused_as_the_engine_refuses_it(browser):
    root = Op("root", lambda x: x**0.5, lambda out, x: (0.5 / out,))  # Python's x ** 0.5 is complex for x < 0
    sloped = Op("sloped", lambda x: x, lambda out, x: (x**1.5,))
    x = Value(4.0, "x")
    cases = [(javascript(op(x), [x]), [([-4.0], list[float]()), ([9.0], list[float]())]) for op in (root, sloped)]
    results = run_in_browser(browser, cases)
    assert [(calls[0]["python"], calls[0]["error"]) for calls in results] == [
        ("TypeError", "the value of root() needs a real number, got the complex number (-4.0) ** 0.5"),
        ("TypeError", "a local derivative of sloped() needs a real number, got the complex number (-4.0) ** 1.5"),
    ]
    for op in (root, sloped):
        with pytest.raises(TypeError, match=r"^.* needs a real number, got \(.*j\) \(complex\)$"):
            op(Value(-4.0))  # the engine refuses it too
    assert [calls[1]["data"][-1] for calls in results] == [3.0, 9.0]  # and where it is real, computes it


def test_numbers_in_messages_are_written_as_python_writes_them(browser):
    numbers = [-1.0, -2.5, -0.0001, -1e-05, -1e16, -9999999999999998.0, -1.5e-300, -123456.789, -0.0, -5e-324, -1e22]
    x = Value(1.0, "x")
    program = javascript(x.log(), [x])
    results = run_in_browser(browser, [(program, [([n], []) for n in numbers])])[0]
    assert [r["error"] for r in results] == [f"log() needs a positive value, got {n!r}" for n in numbers]


def _checked_magnitude(x):
    if x < 0:
        raise ValueError(f"negative: {x!r}")
    if x > 10:
        raise ValueError("too large", x, 10)
    return x


def test_a_rules_own_message_names_its_numbers_as_python_writes_them(browser):
    own = Op("own", _checked_magnitude, lambda out, x: (1.0,))
    x = Value(1.0)
    numbers = [-1.5, 12.5]
    results = run_in_browser(browser, [(javascript(own(x), [x]), [([n], []) for n in numbers])])[0]
    eager = []
    for n in numbers:
        with pytest.raises(ValueError) as raised:
            own(Value(n))
        eager.append(str(raised.value))
    assert [r["error"] for r in results] == eager == ["negative: -1.5", "('too large', 12.5, 10)"]


# ---- what cannot be written, and what must not reach the code -------------------------------------


def test_a_value_made_under_no_grad_is_refused_as_backward_and_compile_backprop_refuse_it():
    x = Value(2.0, label="x")
    with no_grad():
        frozen = 3.0 * x
    for root in (frozen * x, frozen):  # a program taking it as a constant would give d(3x * x)/dx as 6, not 12
        with pytest.raises(RuntimeError) as caught:
            compile_backprop(root, [x])
        with pytest.raises(RuntimeError) as refused:
            javascript(root, [x])
        assert str(refused.value) == str(caught.value).replace("compile_backprop()", "javascript()")
        assert str(refused.value).startswith("javascript() cannot pass gradients back: ")


def test_an_op_made_by_name_is_refused_naming_it():
    x = Value(1.0)
    node = make_node(2.0, [x], [3.0], "mystery")
    with pytest.raises(ValueError, match="cannot write out the op 'mystery'"):
        javascript(node, [x])


def test_an_op_whose_rule_the_tracer_cannot_follow_is_refused_naming_it():
    modulo = Op("mod", lambda x: x % 1.0, lambda out, x: (1.0,))
    x = Value(2.5)
    with pytest.raises(ValueError, match="cannot write out the op 'mod'"):
        javascript(modulo(x), [x])


@pytest.mark.parametrize(
    ("rule", "problem", "eager"),
    [
        (lambda np, x: np.float32(0.1) * x, r"compute with numpy \(multiply\)", 200.0),  # 200.00000298 in float64
        (lambda np, x: x * np.float32(0.1), r"computes with or gives np\.float32\(0\.1\): no Python", 200.0),
        (lambda np, x: np.float64(1.0) / (x - 2000.0), r"compute with numpy \(divide\)", math.inf),  # no raising
        (lambda np, x: x / np.float32(0.0), r"computes with or gives np\.float32\(0\.0\): no Python", math.inf),
        (lambda np, x: (x - 2001.0) ** np.float64(0.5), r"gives np\.float64\(0\.5\): no Python", math.nan),  # real
    ],
    ids=["float32 on the left", "float32 on the right", "float64 dividend", "float32 divisor", "float64 exponent"],
)
def test_a_rule_that_computes_with_a_numpy_number_is_refused(rule, problem, eager):
    np = pytest.importorskip("numpy")
    own = Op("own", lambda x: rule(np, x), lambda out, x: (0.1,))  # numpy's arithmetic, which JavaScript lacks
    x = Value(2000.0)
    with np.errstate(all="ignore"):
        y = own(x)
    assert repr(y.data) == repr(eager)  # what the engine computes, which written JavaScript would not
    with pytest.raises(ValueError, match=rf"cannot write out the op 'own'.* {problem}"):
        javascript(y, [x])


class OwnError(Exception):
    """An exception class of a rule's own, which the page has no way to raise."""


def _float_or_nothing(x):
    try:
        return float(x) * 2.0  # a step the page refuses, caught: it would write 0.0 for every x
    except TypeError:
        return 0.0


def _whole_part_or_nothing(x):
    try:
        return x - x % 1.0
    except TypeError:
        return x


def _halved_to_one(x):
    while x > 1.0:  # a loop on the value: each pass a new decision
        x = x / 2.0
    return x


def _refusing_negatives(x):
    if x < 0:
        raise OwnError(f"negative: {x}")
    return x


@pytest.mark.parametrize(
    ("value", "local", "problem"),
    [
        (_float_or_nothing, lambda out, x: (2.0,), "it catches the error of a step the written JavaScript cannot"),
        (_whole_part_or_nothing, lambda out, x: (1.0,), "it catches the error of a step the written JavaScript"),
        (lambda x: type(x)(-2.0) * x, lambda out, x: (-2.0,), "make a number of its type, type(x)(...)"),
        (lambda x: (x**0.5).real, lambda out, x: (0.5 / out,), "it raises AttributeError on a traced value"),
        (lambda x: pytest.importorskip("numpy").sum([x, 1.0]), lambda out, x: (1.0,), "make a numpy array of it"),
        (_halved_to_one, lambda out, x: (1.0,), "the rule decides more than 4096 times on one path"),
        (_refusing_negatives, lambda out, x: (1.0,), "it raises OwnError on a traced value"),
        (lambda x: x, lambda out, x: (1.0, 2.0) if x > 5 else (1.0,), "a rule gave 2 results on a path, where 1 fit"),
    ],
    ids=[
        "a refused step caught",
        "a remainder caught",
        "a number of its type",
        "a float's attribute",
        "a numpy array",
        "a loop",
        "an own exception",
        "a count",
    ],
)
def test_a_rule_the_page_cannot_follow_is_refused_saying_what_it_does(value, local, problem):
    own = Op("own", value, local)
    x = Value(2.0)
    y = own(x)  # the engine computes it at 2.0
    with pytest.raises(
        ValueError, match=rf"^javascript\(\) cannot write out the op 'own' \(node 1\): .*{re.escape(problem)}"
    ):
        javascript(y, [x])


def _floats_only(x):
    if type(x) is not float:
        raise TypeError(f"{x!r} and {x} are no floats")  # at the page's writing, x is a traced value
    return x


def test_a_rules_own_type_error_naming_its_number_refuses_it_in_words():
    own = Op("own", _floats_only, lambda out, x: (1.0,))
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"cannot follow \(<a traced value> and <a traced value> are no floats\)$"):
        javascript(own(x), [x])


def test_a_rule_that_sums_with_sum_is_written_out_where_sum_adds_as_written_code_does(browser):
    total = Op("total", lambda *xs: sum(xs), lambda out, *xs: (1.0,) * len(xs))
    x = Value(0.1)
    y = total(*[x] * 10)  # 1.0 from Python 3.12, whose sum() of floats compensates; 0.9999999999999999 before
    if SUM_COMPENSATES:
        with pytest.raises(ValueError, match=r"cannot write out the op 'total'.*sum\(\) of floats"):
            javascript(y, [x])
        return
    ((result,),) = run_in_browser(browser, [(javascript(y, [x]), [([0.1], [])])])
    assert result["data"][-1] == y.data == 0.9999999999999999


def test_labels_never_reach_the_code_and_op_names_are_escaped(browser):
    name = '"</script><script>alert(1)</script>'
    shout = Op(name, lambda x: x * 2.0 if x > 0 else _refuse(x), lambda out, x: (2.0,))
    x = Value(1.0, label="</script><b>x</b>")
    y = shout(x)
    y.label = "*/ alert(2) /*"
    program = javascript(y, [x])
    assert "</script>" not in program.source and "alert(2)" not in program.source and "<b>" not in program.source
    ((fine, refused),) = run_in_browser(browser, [(program, [([3.0], []), ([-3.0], [])])])
    assert fine["data"] == [3.0, 6.0]
    assert refused["op"] == name and refused["error"] == "no: -3.0"


def _refuse(x):
    raise ValueError(f"no: {x}")


def test_the_numbering_follows_the_order_given_and_a_wrong_order_is_refused(browser):
    a, b = Value(1.0, "a"), Value(2.0, "b")
    s = a * b + b
    order = topological_order(s)
    other = [order[1], order[0], *order[2:]]  # the two leaves swapped
    program = javascript(s, [a, b], order=other)
    ((result,),) = run_in_browser(browser, [(program, [([1.0, 2.0], [])])])
    assert result["data"] == [v.data for v in other]
    with pytest.raises(ValueError, match="after its children"):
        javascript(s, [a, b], order=order[::-1])
    with pytest.raises(ValueError, match="each of the 4 nodes"):
        javascript(s, [a, b], order=order[:-1])


def test_bad_arguments_to_the_function_are_refused(browser):
    x = Value(1.0)
    program = javascript(x * 3.0, [x])
    errors = run_in_browser(browser, [(program, [([], []), ([1.0, 2.0], []), ([None], []), ([1.0], [1.0, 2.0])])])[0]
    assert [e["error"] for e in errors] == [
        "backprop() needs 1 leaves, got 0",
        "backprop() needs 1 leaves, got 2",
        "backprop() needs leaves[0] as a number, got null",
        "backprop() needs at most 1 constants, got 2",
    ]


def test_the_mazur_function_is_small_and_one_line_a_value():
    ex = mazur()
    error = ex.backward()
    source = javascript(error, ex.model.parameters()).source
    assert len(source.encode()) < 20_000
    assert "const v8 = " in source or "v8 = " in source
    assert json.dumps(source)  # a plain string the page can embed


def test_sums_and_dots_keep_the_engines_order(browser):
    xs = [Value(x) for x in (1e16, 1.0, -1e16, 1.0)]
    total = vsum(xs)
    weighted = dot(xs, xs[::-1], bias=xs[0])
    at = [1e16, 1.0, -1e16, 1.0]
    assert compared(browser, [(total, xs, [(at, {})]), (weighted, xs, [(at, {})])], exact=True) == 2


def _doubled_unless_float(x):
    return x if isinstance(x, float) else 2.0 * x  # a float in the engine: x


@functools.singledispatch
def _slope_of_kind(x):
    return 2.0


@_slope_of_kind.register
def _(x: float):
    return 1.0


def test_ops_of_ones_own_are_written_from_their_rules(browser):
    from math import cos as plain_cos

    sin = Op("sin", math.sin, lambda out, x: (cos(x),))
    cos = Op("cos", plain_cos, lambda out, x: (-sin(x),))

    def clipped_value(x, c):
        try:
            return math.exp(x) * c
        except OverflowError:
            return math.inf

    clipped = Op("clipped", clipped_value, lambda out, x, c: (out,))
    typed = Op("typed", _doubled_unless_float, lambda out, x: (_slope_of_kind(x),))  # it asks what its number is
    x = Value(0.5, label="x")
    root = sin(x) * cos(x) + clipped(x, 2.0) + typed(x)
    rng = random.Random(3)
    calls = [([0.5], {}), ([800.0], {}), ([rng.uniform(-3, 3)], {0: -1.5})]
    assert compared(browser, [(root, [x], calls)]) == 3


def test_softmax_of_many_classes_takes_its_max_once_and_agrees(browser):
    zs = [Value(x, label=f"z{i}") for i, x in enumerate([0.5, -1.0, 2.0, 0.25, 1.5, -0.5])]
    loss = cross_entropy(zs, 4)
    source = javascript(loss, zs).source
    assert source.count("exp(") < 30  # each exp once for the value, once for the slopes: no copy per max
    rng = random.Random(5)
    points = [[rng.uniform(-3, 3) for _ in zs] for _ in range(6)] + [[1000.0, -1000.0, 0.0, 0.0, 0.0, 999.0]]
    calls: list[tuple[list[float], dict[int, float]]] = [(point, {}) for point in points]
    assert compared(browser, [(loss, zs, calls)]) == 7


def test_a_rule_of_too_many_paths_is_refused_naming_the_op():
    scores = [Value(0.5 * i - 1) for i in range(8)]
    with pytest.raises(ValueError, match=r"op 'hinge'.*more than 4096 paths"):
        javascript(hinge(scores, [1, -1] * 4), scores)
