"""A program too long to compile as one function runs in parts, with the numbers and errors of one."""

import math
import random
import traceback

import pytest

import autograd.in_parts
from autograd import Op, Value, vsum
from autograd.compile import CompiledBackprop, compile_backprop
from autograd.in_parts import in_parts
from nn import MLP, hinge, l2


@pytest.fixture
def short_parts(monkeypatch):
    """Every program runs in parts of about 7 lines."""
    monkeypatch.setattr(autograd.in_parts, "ONE_FUNCTION_AT_MOST", 0)
    monkeypatch.setattr(autograd.in_parts, "PART_LINES", 7)


def chain(x, steps):
    y = x
    for i in range(steps):
        y = y * x if i % 3 == 0 else (y * 1.0001 + x).tanh() if i % 3 == 1 else (y - 0.3).relu() + x.sigmoid()
    return y


def eager_then_compiled(root, leaves):
    """root's value and each leaf's grad by backward(), then by the compiled program (grads from 0)."""
    for leaf in leaves:
        leaf.grad = 0.0
    root.backward()
    eager = (root.data, [leaf.grad for leaf in leaves])
    program = compile_backprop(root, leaves)
    for leaf in leaves:
        leaf.grad = 0.0
    return eager, (program(), [leaf.grad for leaf in leaves]), program


def test_a_long_chain_in_parts_gives_backwards_numbers_to_the_bit(short_parts):
    x = Value(0.7, label="x")
    eager, compiled, program = eager_then_compiled(chain(x, 60), [x])
    assert compiled == eager
    assert program.source.count("\n") > 100  # many parts, some cut inside relu's and sigmoid's if/else
    x.data, x.grad = -0.4, 0.0
    root = chain(x, 60)
    root.backward()
    x_grad = x.grad
    x.grad = 0.0
    assert (program(), x.grad) == (root.data, x_grad)  # a second run, with new data


def test_a_model_in_parts_adds_to_grads_as_backward_does(short_parts):
    model = MLP(2, [8, 8, 1], rng=random.Random(3))
    points = [[random.Random(k).uniform(-1, 1), random.Random(k + 50).uniform(-1, 1)] for k in range(12)]
    scores = [model.forward(p)[0] for p in points]
    loss = vsum([hinge(scores, [1 if k % 2 else -1 for k in range(12)]), l2(model.parameters(), 1e-4)])
    eager, compiled, program = eager_then_compiled(loss, model.parameters())
    assert compiled == eager
    program()  # grads add up across runs, as across calls of backward()
    twice = [p.grad for p in model.parameters()]
    model.zero_grad()
    loss.backward()
    loss.backward()
    assert twice == [p.grad for p in model.parameters()]


def test_a_template_written_over_several_lines_is_never_cut(short_parts):
    squared_sum = Op(
        "sq",
        lambda x: x * x + x,
        lambda out, x: (2.0 * x + 1.0,),
        code=("{out} = (", "    {x} * {x}", "    + {x}", ")", "{d} = (", "    2.0 * {x}", "    + 1.0)"),
    )
    x = Value(0.3, label="x")
    y = x
    for _ in range(12):
        y = squared_sum(y * 0.5)
    eager, compiled, _ = eager_then_compiled(y, [x])
    assert compiled == eager


TEMPLATES = {  # the lines of op(x) = 2x for x > 0, else x/2, each way a template may write them
    "a comment before else": (
        "if {x} > 0:",
        "    {out}, {d} = {x} * 2.0, 2.0",
        "# else halve",
        "else:",
        "    {out}, {d} = {x} * 0.5, 0.5",
    ),
    "else with a space": (
        "if {x} > 0:",
        "    {out}, {d} = {x} * 2.0, 2.0",
        "else :",
        "    {out}, {d} = {x} * 0.5, 0.5",
    ),
    "a generator": ("{d} = 2.0 if {x} > 0 else 0.5", "{out} = sum(k * {x} for k in ({d},))"),
    "a list comprehension": ("{d} = 2.0 if {x} > 0 else 0.5", "{out} = [k * {x} for k in ({d},)][0]"),
    "a lambda": ("{d} = 2.0 if {x} > 0 else 0.5", "{out} = (lambda k: k * {x})({d})"),
    "a function": (
        "def _f():",
        "    return {x} * (2.0 if {x} > 0 else 0.5)",
        "{out} = _f()",
        "{d} = 2.0 if {x} > 0 else 0.5",
    ),
    "a name deleted": ("_t = 2.0 if {x} > 0 else 0.5", "{out}, {d} = {x} * _t, _t", "del _t"),
    "a name _v": ("_v = 2.0 if {x} > 0 else 0.5", "{out}, {d} = {x} * _v, _v"),
    "names _v and _": ("_v = 2.0 if {x} > 0 else 0.5", "_ = _v", "{out}, {d} = {x} * _, _v"),
    "a line break in a comment": ("{d} = 2.0 if {x} > 0 else 0.5", "{out} = {d} * {x}  # x\u2028{d} = 0.0"),
}


@pytest.mark.parametrize("part_lines", [1, 2, 3])
@pytest.mark.parametrize("template", TEMPLATES)
def test_a_template_gives_the_numbers_of_one_function_in_parts_of_any_length(template, part_lines, monkeypatch):
    monkeypatch.setattr(autograd.in_parts, "ONE_FUNCTION_AT_MOST", 0)
    monkeypatch.setattr(autograd.in_parts, "PART_LINES", part_lines)
    op = Op(
        "f", lambda x: x * (2.0 if x > 0 else 0.5), lambda out, x: (2.0 if x > 0 else 0.5,), code=TEMPLATES[template]
    )
    x = Value(0.3, label="x")
    y = x
    for _ in range(6):
        y = op(y - 0.2) + x * 0.1
    eager, compiled, _ = eager_then_compiled(y, [x])
    assert compiled == eager


@pytest.mark.parametrize("part_lines", [1, 2, 10_000])
def test_a_program_that_is_no_python_is_refused_in_parts_as_in_one(part_lines, monkeypatch):
    broken = Op("broken", lambda x: x, lambda out, x: (1.0,), code=("{out} = = {x}", "{d} = 1.0"))
    y = broken(Value(1.0) * 2.0) * 3.0
    refusals = []
    for limit in (math.inf, 0):
        monkeypatch.setattr(autograd.in_parts, "ONE_FUNCTION_AT_MOST", limit)
        monkeypatch.setattr(autograd.in_parts, "PART_LINES", part_lines)
        with pytest.raises(SyntaxError) as refused:
            compile_backprop(y, [])
        error = refused.value
        refusals.append((error.msg, error.lineno, error.end_lineno, error.text))
    assert refusals[0] == refusals[1] == ("invalid syntax", 5, 5, "    v2 = = v1\n")


def test_an_error_in_the_first_part_names_its_own_line(short_parts):
    x = Value(1.0, label="x")
    e = x.exp()
    e.label = "e"
    f = e * 2.0
    f.label = "f"
    program = compile_backprop(f, [x])
    x.data = 1000.0
    with pytest.raises(
        OverflowError, match=r"overflows in e = math\.exp\(x\), where x = 1000\.0 \(math range error\)$"
    ):
        program()


def test_an_error_in_a_part_names_its_line_as_one_function_does(short_parts, monkeypatch):
    x = Value(1.0, label="x")
    y = chain(x, 20) + x * 3.0  # 3000 and more, once x is 1000
    y.label = "t"
    e = y.exp()
    e.label = "e"
    program = compile_backprop(e, [x])
    x.data = 1000.0
    with pytest.raises(OverflowError) as in_parts_error:
        program()
    monkeypatch.setattr(autograd.in_parts, "ONE_FUNCTION_AT_MOST", math.inf)
    program = compile_backprop(e, [x])
    with pytest.raises(OverflowError) as one_function_error:
        program()
    assert str(in_parts_error.value) == str(one_function_error.value)
    assert str(in_parts_error.value).startswith("compile_backprop()'s program overflows in e = math.exp(t), where t = ")


@pytest.mark.parametrize("source", ["x = 1\n", "def backprop(leaves):\n    x = 1\n", "    return x\n"])
def test_only_a_program_as_compile_backprop_writes_it_runs_in_parts(source):
    with pytest.raises(
        ValueError, match=r"^a compiled program starts with def backprop\(leaves\): and ends with return"
    ):
        in_parts(source, {}, "<compiled backprop>")


def compiled_frames(program):
    """The names of the program's functions that an error passed through: backprop, or its parts."""
    with pytest.raises(OverflowError) as raised:
        program()
    frames = traceback.walk_tb(raised.value.__cause__.__traceback__ if raised.value.__cause__ else None)
    return [frame.f_code.co_name for frame, _ in frames if frame.f_code.co_filename == "<compiled backprop>"]


def test_a_program_runs_in_parts_once_it_has_more_lines_than_one_function_takes(monkeypatch):
    x = Value(1.0, label="x")
    e = (x * 3.0).exp()
    lines = compile_backprop(e, [x]).source.count("\n")
    x.data = 1000.0
    monkeypatch.setattr(autograd.in_parts, "PART_LINES", 2)
    monkeypatch.setattr(autograd.in_parts, "ONE_FUNCTION_AT_MOST", lines)
    assert compiled_frames(compile_backprop(e, [x])) == ["backprop"]
    monkeypatch.setattr(autograd.in_parts, "ONE_FUNCTION_AT_MOST", lines - 1)
    assert compiled_frames(compile_backprop(e, [x])) == ["part"]


def test_a_syntax_error_in_the_last_statement_of_a_program_given_as_source_is_raised_at_once(short_parts):
    source = "def backprop(leaves):\n    x = leaves[0].data\n    y = = x\n    return x\n"
    with pytest.raises(SyntaxError) as refused:
        CompiledBackprop(source, [], [])
    assert (refused.value.lineno, refused.value.text) == (3, "    y = = x\n")
