"""autograd.crosscheck: micrograd 0.1.0 passes, each planted bug fails with the smallest expression
that shows it, a class that cannot be driven is refused, and the CLI's exit status says which."""

import math
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import autograd.crosscheck as crosscheck_module
from autograd import Value
from autograd.crosscheck import DrivingError, Mismatch, Program, Step, compare, crosscheck, main
from autograd.crosscheck_report import explain
from autograd.renderer import pipe
from tests import crosscheck_engines as engines
from tests.pictures import svg_texts, texts_without_ink

ROOT = Path(__file__).parent.parent
ENGINES = "tests/crosscheck_engines.py"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # chainrule from this checkout, wherever it runs
    command = [sys.executable, "-m", "autograd.crosscheck", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def smallest(cls, **kwargs) -> Program:
    result = crosscheck(cls, depth=0, **kwargs)
    assert result.mismatch is not None, result.report()
    return result.mismatch.program


# -- engines that agree ------------------------------------------------------------------------------


def test_micrograd_0_1_0_agrees_and_its_missing_ops_are_listed_as_skipped():
    micrograd = pytest.importorskip("micrograd.engine")
    result = crosscheck(micrograd.Value, depth=0)
    assert result.ok, result.report()
    assert [name for name, _ in result.skipped] == ["tanh", "exp", "log", "sigmoid"]
    assert "ops skipped: tanh (Value has no method tanh())" in result.report()
    assert result.accumulates is True
    assert {spec.name for spec in result.tested} >= {"+", "c - x", "c / x", "x ** c", "relu"}


def test_micrograd_0_1_0_sorts_recursively_so_the_deep_chain_finds_its_limit():
    micrograd = pytest.importorskip("micrograd.engine")
    result = crosscheck(micrograd.Value, examples=20)
    assert result.mismatch is None
    assert "backward() raised RecursionError at depth 2000" in result.deep


def test_the_cli_passes_micrograd_with_exit_status_0():
    pytest.importorskip("micrograd.engine")
    done = cli("micrograd.engine:Value", "--depth", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "result: agrees with chainrule"


def test_a_correct_engine_is_checked_on_every_op_on_accumulation_and_on_a_deep_chain():
    done = cli(f"{ENGINES}:Value")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ops skipped" not in done.stdout
    assert "accumulation: checked" in done.stdout
    assert "expressions: 2000 drawn, all agree" in done.stdout
    assert "deep chain: 2000 ops, agrees" in done.stdout


def test_an_engine_that_resets_its_leaves_is_not_held_to_accumulation():
    class Resetting(engines.Value):
        def backward(self):
            for node in self.order():
                node.grad = 0.0
            super().backward()

    result = crosscheck(Resetting, examples=100, depth=0)
    assert result.ok, result.report()
    assert result.accumulates is False
    assert "accumulation: not checked" in result.report()


def test_an_engine_whose_leaves_add_up_wrongly_fails_the_accumulation_check():
    class Doubling(engines.Value):
        calls = 0

        def backward(self):
            super().backward()
            Doubling.calls += 1
            if Doubling.calls % 2 == 0:  # every second backward() adds its gradients twice
                super().backward()

    result = crosscheck(Doubling, examples=100, depth=0)
    assert not result.ok
    assert "accumulation: MISMATCH" in result.report()


# -- planted bugs ------------------------------------------------------------------------------------


def test_grad_set_instead_of_added_shrinks_to_a_value_used_twice():
    program = smallest(engines.LectureValue)
    assert program.steps == (Step("+", (0, 0)),)
    assert program.lines() == ["a = Value(1.0)", "b = a + a"]
    report = crosscheck(engines.LectureValue, depth=0).report()
    assert "a = Value(1.0)               1      1      2                  <- first wrong gradient" in report
    assert "a is used 2 times (b = a + a)" in report
    assert "each must add its own (+=)" in report


def test_a_recursive_sort_fails_at_depth_2000_and_the_cli_exits_1():
    result = crosscheck(engines.RecursiveSortValue, examples=50)
    assert result.mismatch is None
    assert result.deep.startswith("backward() raised RecursionError at depth 2000: your topological sort recurses")
    done = cli(f"{ENGINES}:RecursiveSortValue", "--examples", "50", "--no-svg")
    assert done.returncode == 1
    assert "deep chain: MISMATCH: backward() raised RecursionError at depth 2000" in done.stdout
    assert crosscheck(engines.RecursiveSortValue, examples=0, depth=500).ok  # under the limit it works


def test_tanh_differentiated_in_terms_of_its_input_shrinks_to_that_one_op():
    program = smallest(engines.InputTanhValue)
    assert program.lines() == ["a = Value(1.0)", "b = a.tanh()"]
    report = crosscheck(engines.InputTanhValue, depth=0).report()
    assert "the local derivative db/da is wrong: chainrule's is 0.419974 here, yours 0" in report
    assert "Look at the backward of `tanh`" in report


def test_a_backward_that_forgets_out_grad_is_told_so():
    report = crosscheck(engines.NoOutGradValue, depth=0).report()
    assert "a gets its gradient only from b = -a, whose gradient is right (2)." in report
    assert (
        "Yours, -1, is the local derivative db/da alone: the backward of `-x` (or, where your engine computes -x as "
        "x * -1, as micrograd does, the backward of those ops) must multiply it by out.grad (b.grad, here 2)." in report
    )


def hints(program: Program, engine: type) -> list[str]:
    """What the report says after its first line about the mismatch `engine` shows on `program`."""
    mismatch = compare(program, engine, 1e-9, 1e-12, True)
    assert mismatch is not None
    return explain(mismatch)[1:]


def test_a_value_used_twice_by_a_backward_that_forgets_out_grad_is_not_told_to_add_its_shares():
    program = Program((1.0,), (Step("*", (0, 0)), Step("+", (1, 1))))  # b = a * a, c = b + b: a.grad = 2 * 2a
    assert hints(program, engines.NoOutGradValue) == [
        "a is used 2 times (b = a * a), and its gradient is the sum of one share per use (2 + 2).",
        "Yours, 2, is the sum of the local derivatives alone, 1 + 1: the backward of `*` must multiply each by "
        "out.grad (b.grad).",
    ]


def test_a_backward_that_forgets_out_grad_where_out_grad_is_0_is_told_the_gradient_must_be_0():
    program = Program((-1.0,), (Step("x * c", (0,), 2), Step("relu", (1,))))  # b = a * 2 < 0, c = b.relu()
    assert hints(program, engines.NoOutGradValue) == [
        "a gets its gradient only from b = a * 2, whose gradient is right (0).",
        "So a's must be 0 too (db/da * 0); yours, 2, does not come from it: the backward of `x * c` must multiply "
        "by out.grad, or a.grad did not start at 0.",
    ]


def test_a_value_used_twice_by_one_op_with_one_wrong_share_is_pointed_at_that_op():
    program = Program((1.0,), (Step("-", (0, 0)),))  # b = a - a: a.grad = 1 - 1
    assert hints(program, engines.BadSubValue) == [
        "a is used 2 times (b = a - a), and its gradient is the sum of one share per use (1 - 1).",
        "Yours, 2, is not that sum: a share is wrong. Look at the backward of `-` (or, where your engine computes - "
        "as x + (-y), as micrograd does, the backward of those ops). (Or backward() ran a node's _backward before "
        "every use had added its share: it must visit the nodes in reversed topological order, each once.)",
    ]


def test_a_gradient_of_0_from_an_op_that_sets_no_backward_says_it_may_never_have_run():
    report = crosscheck(engines.NoExpBackwardValue, depth=0).report()
    assert (
        "So the local derivative db/da is wrong: chainrule's is 2.71828 here, yours 0. Look at the backward of "
        in report
    )
    assert (
        "`exp` (a 0 may also mean it never ran: `exp` sets no out._backward, or backward() does not visit b)." in report
    )


def test_a_wrong_gradient_of_a_value_the_output_does_not_depend_on_is_not_called_the_output():
    program = Program((1.0,), (Step("x * c", (0,), 2), Step("x * c", (0,), 3)))  # b = a * 2 is not used
    right = compare(program, engines.Value, 1e-9, 1e-12, True)
    assert right is None
    grads: list[tuple[float | None, float, bool]] = [
        (3.0, 3.0, True),
        (1.0, 0.0, False),
        (1.0, 1.0, True),
    ]  # as an engine whose b.grad began at 1 gives
    mismatch = Mismatch(program, [(1.0, 1.0, True), (2.0, 2.0, True), (3.0, 3.0, True)], grads)
    assert explain(mismatch)[1:] == [
        "The output does not depend on b, so its gradient stays 0; yours, 1, did not start at 0, or your backward() "
        "reaches values the output was not computed from."
    ]


def test_a_wrong_sign_in_rsub_shrinks_to_a_number_minus_a_value():
    program = smallest(engines.RsubValue)
    assert program.lines() == ["a = Value(1.0)", "b = 2 - a"]
    assert "first wrong value: b = 2 - a gives -1, chainrule 1" in crosscheck(engines.RsubValue, depth=0).report()


def test_the_report_is_the_same_on_every_run_and_the_seed_and_examples_are_settable():
    assert crosscheck(engines.LectureValue, depth=0).report() == crosscheck(engines.LectureValue, depth=0).report()
    assert "expressions: 30 drawn, all agree" in crosscheck(engines.Value, examples=30, seed=5, depth=0).report()
    assert crosscheck(engines.LectureValue, examples=30, seed=5, depth=0).mismatch is not None


def test_the_tolerance_is_settable():
    assert crosscheck(engines.LectureValue, atol=1e-12, rtol=1e-9, depth=0).mismatch is not None
    assert crosscheck(engines.LectureValue, atol=100.0, rtol=1.0, depth=0).mismatch is None
    done = cli(f"{ENGINES}:LectureValue", "--atol", "100", "--rtol", "1", "--depth", "0", "--examples", "50")
    assert done.returncode == 0, done.stdout
    assert (
        "tolerance: |yours - chainrule's| <= 100 + 1 * scale (a value's 100 grown by the ops before it)" in done.stdout
    )


def test_an_engine_that_raises_is_reported_with_the_call_that_raised():
    class Raising(engines.Value):
        def exp(self):
            if self.data < 0:
                raise ValueError("no exp of a negative number here")
            return super().exp()

    program = smallest(Raising)
    assert len(program.steps) == 1 and program.steps[0].op == "exp"
    report = crosscheck(Raising, depth=0).report()
    assert "b = a.exp() raised ValueError: no exp of a negative number here" in report


def test_the_cli_takes_a_file_path_and_exits_1_with_the_drawing_written(tmp_path):
    svg = tmp_path / "mismatch.svg"
    done = cli(f"{ENGINES}:LectureValue", "--svg", str(svg))
    assert done.returncode == 1, done.stderr
    assert "import sys; sys.path.insert(0, 'tests')" in done.stdout
    assert "from crosscheck_engines import LectureValue as Value" in done.stdout
    assert f"drawing: {svg}" in done.stdout
    assert "(yours 1)" in svg.read_text()


# -- classes that cannot be driven -------------------------------------------------------------------


def test_a_missing_radd_is_named_with_its_call_and_the_cli_exits_2():
    with pytest.raises(
        DrivingError, match=r"^2 \+ Value\(2.0\) raised TypeError: .* \(2 \+ x calls x.__radd__: define it\)$"
    ):
        crosscheck(engines.NoRaddValue)
    done = cli(f"{ENGINES}:NoRaddValue")
    assert done.returncode == 2
    assert done.stdout.startswith(f"crosscheck: cannot drive {ENGINES}:NoRaddValue: 2 + Value(2.0) raised TypeError")


class NoGrad:
    def __init__(self, data):
        self.data = data


class NoNumbers(engines.Value):
    def __init__(self, data, _children=(), _op=""):
        if not isinstance(data, float):
            raise TypeError(f"Value needs a float, got {data!r}")
        super().__init__(data, _children, _op)


class GradRaises(engines.Value):
    """A grad property of one's own that raises until backward() has run."""

    @property
    def grad(self) -> float:
        raise RuntimeError("no grad yet")

    @grad.setter
    def grad(self, value: float) -> None:
        pass


class Escapes(engines.Value):
    """Data off by 0.5 that prints as a screen-clearing escape and a line of its own."""

    def __init__(self, data, _children=(), _op=""):
        super().__init__(data, _children, _op)
        self.data = Fake(data + 0.5)


class Fake(float):
    def __repr__(self) -> str:
        return "\x1b[2J\nresult: agrees with chainrule"


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (GradRaises, "reading Value(2.0).grad raised RuntimeError: no grad yet"),
        (Escapes, "Value(2.0).data is \\x1b[2J\\nresult: agrees with chainrule, expected 2.0"),
        (NoGrad, "Value(2.0) has no attribute grad"),
        (NoNumbers, "Value(2.0) + 2 raised TypeError: Value needs a float, got 2"),
        (lambda: None, "Value(2.0) raised TypeError"),
        (lambda x: object(), "Value(2.0) has no attribute data"),
        (engines.GradStartsAtOneValue, "Value(2.0).grad is 1.0, expected 0: a new value's gradient starts at 0"),
    ],
)
def test_what_cannot_be_driven_is_named(cls, message):
    with pytest.raises(DrivingError, match=f"^{re.escape(message)}"):
        crosscheck(cls)


class AddAndMultiplyOnly(engines.Value):  # an engine at an early step of the lecture: no - / ** or -x yet
    __sub__ = __rsub__ = __truediv__ = __rtruediv__ = __neg__ = __pow__ = None  # type: ignore[assignment]


def test_an_engine_with_only_add_and_multiply_is_checked_on_those_and_the_rest_is_listed_as_skipped():
    result = crosscheck(AddAndMultiplyOnly, examples=200)
    assert result.ok, result.report()
    assert {spec.name for spec in result.tested} >= {"+", "*", "x + c", "c + x", "x * c", "c * x"}
    assert [name for name, _ in result.skipped][:8] == ["-", "/", "x - c", "c - x", "x / c", "c / x", "-x", "x ** c"]
    assert "ops skipped: -" in result.report()


def test_the_cli_names_a_target_it_cannot_load():
    assert "no such file" in cli("nowhere/engine.py:Value").stdout
    assert cli("nowhere/engine.py:Value").returncode == 2
    assert "MODULE:CLASS" in cli("Value").stdout
    assert "tests/crosscheck_engines.py has no Nothing" in cli(f"{ENGINES}:Nothing").stdout


# -- the drawing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dot", ["system", "graphviz-pure"])
def test_the_drawing_marks_the_wrong_gradient_beside_the_right_one(dot, monkeypatch):
    if dot == "system" and shutil.which("dot") is None:
        pytest.skip("needs Graphviz's dot")
    if dot == "graphviz-pure":
        real = shutil.which
        monkeypatch.setattr(
            "autograd.renderer.shutil.which", lambda name, **kw: None if name == "dot" else real(name, **kw)
        )
    drawing = crosscheck(engines.LectureValue, depth=0).drawing()
    assert drawing is not None
    svg = pipe(drawing.source, "svg").decode()
    texts = [text for text, *_ in svg_texts(svg)[1]]
    assert "grad 2" in texts and "(yours 1)" in texts
    assert 'fill="#d00000"' in svg
    assert texts_without_ink(svg, pipe(drawing.source, "png")) == []


def test_main_returns_the_exit_status(capsys, tmp_path):
    assert main([f"{ENGINES}:LectureValue", "--depth", "0", "--svg", str(tmp_path / "x.svg")]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "result: MISMATCH"


def test_the_readme_shows_the_output_as_the_cli_prints_it(tmp_path):
    (tmp_path / "tests").mkdir()  # run where the files it writes (out/crosscheck.svg) do not land in the checkout
    shutil.copy(ROOT / ENGINES, tmp_path / "tests")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in text.split("```console\n")[1:]]
    shown = [block for block in blocks if block.startswith("$ python -m autograd.crosscheck ")]
    assert len(shown) == 1
    command, _, output = shown[0].partition("\n")
    done = cli(*command.split()[4:], cwd=tmp_path)  # after "$ python -m autograd.crosscheck"
    assert done.returncode == 1, done.stderr
    assert done.stdout == output


# -- engines that hang, exit, change their answers or raise where others do not ----------------------


class HangingTanh(engines.Value):
    """tanh's backward never returns."""

    def tanh(self):
        out = super().tanh()

        def _backward():
            while True:
                pass

        out._backward = _backward
        return out


def test_an_engine_that_hangs_is_reported_with_the_expression_not_waited_on(monkeypatch):
    monkeypatch.setattr(crosscheck_module, "TIME_LIMIT", 0.2)
    result = crosscheck(HangingTanh, examples=200, depth=0)
    assert result.mismatch is not None and result.mismatch.hung and not result.ok
    assert re.search(  # where the engine was when stopped: the hung op's backward
        r"\.backward\(\) did not return within 0\.2 s, running HangingTanh\.tanh\.<locals>\._backward "
        r"\(test_crosscheck\.py, line \d+\)$",
        result.mismatch.error,
    )
    assert "<- wrong" not in result.report()  # the grads it could not read are "?", not wrong
    assert any(step.op == "tanh" for step in result.mismatch.program.steps)
    assert "expressions: MISMATCH; your engine hung on this expression (not shrunk" in result.report()


class SlowTanh(engines.Value):
    """tanh's backward takes a second (a hang, to a time limit of 0.2 s, that ends by itself)."""

    def tanh(self):
        out = super().tanh()

        def _backward():
            time.sleep(1.0)

        out._backward = _backward
        return out


def test_an_engine_that_hangs_off_the_main_thread_is_reported_as_hung_too(monkeypatch):
    monkeypatch.setattr(crosscheck_module, "TIME_LIMIT", 0.2)
    results: list[Any] = []
    checking = threading.Thread(target=lambda: results.append(crosscheck(SlowTanh, examples=200, depth=0)))
    checking.start()
    checking.join(30)
    [result] = results
    assert result.mismatch is not None and result.mismatch.hung
    assert re.search(
        r"\.backward\(\) did not return within 0\.2 s, running SlowTanh\.tanh\.<locals>\._backward "
        r"\(test_crosscheck\.py, line \d+\) \(it runs on in a thread of its own until Python exits\)$",
        result.mismatch.error,
    )
    in_thread = threading.Thread(target=lambda: results.append(crosscheck(engines.RecursiveSortValue, examples=20)))
    in_thread.start()
    in_thread.join(60)
    assert results[1].deep.startswith("backward() raised RecursionError at depth 2000")  # an engine's error, passed on


def engine_whose_backward(path: Path, *lines: str) -> Path:
    """A module at `path` whose Value is the correct engine's, but for backward(), which runs `lines`."""
    body = "".join(f"        {line}\n" for line in lines)
    path.write_text(
        f"import sys\nfrom tests.crosscheck_engines import Value as Correct\n"
        f"class Value(Correct):\n    def backward(self):\n{body}"
    )
    return path


def test_the_cli_keeps_what_the_engine_prints_out_of_the_report_and_says_how_much_it_printed(tmp_path):
    chatty = engine_whose_backward(tmp_path / "chatty.py", "print('backward from', self.data)", "super().backward()")
    done = cli(f"{chatty}:Value", "--examples", "50", "--depth", "0")
    assert done.returncode == 0
    assert "backward from" not in done.stdout.split("crosscheck: your engine printed")[0]
    printed = done.stdout.splitlines()[-1]
    assert re.fullmatch(
        r"crosscheck: your engine printed \d+ lines while it was checked \(not shown\); "
        r"the first: backward from 6\.0",
        printed,
    ), printed
    assert int(printed.split()[4]) >= 50  # one line per backward(), and each expression runs one at least
    assert done.stderr == ""


def test_the_cli_keeps_what_the_engine_prints_to_stderr_out_too_and_notes_it_where_the_engine_cannot_be_driven(
    tmp_path,
):
    noisy = engine_whose_backward(
        tmp_path / "noisy.py", "print('to stderr', file=sys.stderr)", "raise RuntimeError('unfinished')"
    )
    done = cli(f"{noisy}:Value", "--examples", "5", "--depth", "0")
    assert done.returncode == 2
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"crosscheck: cannot drive {noisy}:Value: (Value(2.0) * 3).backward() raised RuntimeError: unfinished",
        "crosscheck: your engine printed 1 line while it was checked (not shown); the first: to stderr",
    ]


class Exiting(engines.Value):
    """exp's backward calls sys.exit(), as an unfinished one might."""

    def exp(self):
        out = super().exp()

        def _backward():
            sys.exit(0)

        out._backward = _backward
        return out


def test_an_engine_that_calls_sys_exit_is_a_mismatch_not_an_exit():
    result = crosscheck(Exiting, examples=200, depth=0)
    assert not result.ok
    assert "b.backward() raised SystemExit: 0" in result.report()


def test_a_file_that_exits_on_import_cannot_be_driven_and_the_cli_exits_2(tmp_path):
    (tmp_path / "train.py").write_text("import sys\nprint('training...')\nsys.exit(0)\n")
    done = cli(f"{tmp_path / 'train.py'}:Value")
    assert done.returncode == 2
    assert f"crosscheck: cannot drive {tmp_path / 'train.py'}:Value: importing" in done.stdout
    assert done.stdout.rstrip().endswith("raised SystemExit: 0")


class Unsteady(engines.Value):
    """Right on every other backward(), wrong (grads set, not added) on the others: an answer that changes
    from run to run, as a backward() that follows a set's order may give."""

    calls = 0

    def backward(self):
        Unsteady.calls += 1
        if Unsteady.calls % 2:
            return super().backward()
        self.grad = 1.0
        for node in reversed(self.order()):
            for child in node._prev:
                child.grad = 1.0  # wrong wherever a local derivative is not 1


def test_an_engine_whose_answer_changes_from_run_to_run_is_a_mismatch_every_time():
    for seed in range(4):
        result = crosscheck(Unsteady, examples=300, depth=0, seed=seed)
        assert not result.ok and result.mismatch is not None
        report = result.report()
        assert ("its answer changes from run to run" in report) == result.mismatch.unsteady
        if result.mismatch.unsteady:  # then no hint at one op or at +=, which would point at the wrong bug
            assert "Look at" not in report and "(+=)" not in report


class IntPowers(engines.Value):
    """** takes whole exponents only, as an engine from the lecture's first hour may."""

    def __pow__(self, other):
        if not isinstance(other, int):
            raise TypeError("only int powers")
        return super().__pow__(other)


def test_an_op_that_runs_for_some_constants_is_checked_on_those_and_the_others_are_skipped():
    result = crosscheck(IntPowers, examples=300, depth=0)
    assert result.ok, result.report()
    assert ("x ** 0.5", "Value(2.0) ** 0.5 raised TypeError: only int powers") in result.skipped
    powers = next(spec for spec in result.tested if spec.name == "x ** c")
    assert powers.constants == (2, 3, -1)


class Shouting(engines.Value):
    def relu(self):
        raise ValueError("\x1b[2J\rresult: agrees with chainrule")


def test_text_from_the_engine_is_shown_with_its_control_characters_written_out():
    result = crosscheck(Shouting, examples=50, depth=0)
    assert ("relu", "Value(2.0).relu() raised ValueError: \\x1b[2J\\rresult: agrees with chainrule") in result.skipped
    assert "\x1b" not in result.report() and "\r" not in result.report()


class Float32(engines.Value):
    """Data rounded to float32, as numpy.float32 data would be."""

    def __init__(self, data, _children=(), _op=""):
        super().__init__(struct.unpack("f", struct.pack("f", data))[0], _children, _op)


def test_numbers_that_differ_are_shown_with_the_digits_that_tell_them_apart():
    report = crosscheck(Float32, depth=0).report()
    line = next(line for line in report.splitlines() if line.startswith("first wrong value"))
    yours, chainrule = re.findall(r"gives (\S+), chainrule (\S+):", line)[0]
    assert yours != chainrule and float(yours) != float(chainrule)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"examples": -1}, "examples to be a whole number, at least 0, got -1"),
        ({"examples": 1.5}, "examples to be a whole number, at least 0, got 1.5"),
        ({"depth": -1}, "depth to be a whole number, at least 0, got -1"),
        ({"max_steps": 0}, "max_steps to be a whole number, at least 1, got 0"),
        ({"rtol": -1.0}, "rtol to be a finite number, 0 or more, got -1.0"),
        ({"atol": math.inf}, "atol to be a finite number, 0 or more, got inf"),
        ({"rtol": math.nan}, "rtol to be a finite number, 0 or more, got nan"),
    ],
)
def test_arguments_that_are_not_what_crosscheck_needs_are_named(arguments, message):
    with pytest.raises(ValueError, match=rf"^crosscheck\(\) needs {re.escape(message)}$"):
        crosscheck(engines.Value, **arguments)


# -- files of any name, drawings anywhere --------------------------------------------------------------


def test_a_file_named_autograd_py_is_checked_without_replacing_chainrule(tmp_path, capsys):
    engine = tmp_path / "autograd.py"
    engine.write_text(Path(engines.__file__).read_text())
    assert main([f"{engine}:Value", "--examples", "30", "--depth", "0", "--no-svg"]) == 0
    assert "result: agrees with chainrule" in capsys.readouterr().out


def test_the_code_to_paste_imports_a_file_whose_name_is_no_module_name(tmp_path, capsys):
    engine = tmp_path / "micro grad-clone.py"
    engine.write_text(Path(engines.__file__).read_text())
    assert main([f"{engine}:LectureValue", "--depth", "0", "--no-svg"]) == 1
    report = capsys.readouterr().out
    start = report.index("    import importlib.util")
    pasted = report[start : report.index(".backward()", start) + len(".backward()")]
    namespace: dict[str, object] = {}
    exec(textwrap.dedent(pasted), namespace)  # the report's code runs as printed, and shows the bug
    assert getattr(namespace["Value"], "__name__", None) == "LectureValue"


def test_a_drawing_that_cannot_be_written_is_said_after_the_report(tmp_path, capsys):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    assert main([f"{ENGINES}:LectureValue", "--depth", "0", "--svg", str(blocked / "x.svg")]) == 1
    out = capsys.readouterr().out
    assert "result: MISMATCH\ncrosscheck: the drawing could not be written to" in out
    assert main([f"{ENGINES}:LectureValue", "--depth", "0", "--svg", str(tmp_path)]) == 1  # a folder: inside it
    assert (tmp_path / "crosscheck.svg").is_file()
    with pytest.raises(SystemExit):
        main([f"{ENGINES}:LectureValue", "--svg", "out/picture.png"])
    assert "--svg needs a path for an SVG file (ending in .svg), got out/picture.png" in capsys.readouterr().err


def test_a_module_that_is_not_found_is_named_with_how_to_reach_it():
    with pytest.raises(
        DrivingError,
        match=r"^import mygrad\.engine raised ModuleNotFoundError: No module named 'mygrad': run crosscheck from "
        r"the folder that holds mygrad, or name the file, path/to/mygrad/engine\.py:Value$",
    ):
        crosscheck_module.load("mygrad.engine:Value")


def test_the_cli_without_hypothesis_says_so_in_one_line():
    blocked = (
        "import sys, runpy; sys.modules['hypothesis'] = None; "  # as if hypothesis were not installed
        "runpy.run_module('autograd.crosscheck', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", blocked, "x.py:Value"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2  # cannot run, as a class that cannot be driven; 1 is a mismatch
    assert (
        done.stderr == "crosscheck: autograd.crosscheck needs hypothesis: pip install hypothesis (the testing extra)\n"
    )


def test_the_cli_leaves_no_files_of_hypothesis_behind(tmp_path):
    done = cli(f"{ROOT / ENGINES}:Value", "--examples", "20", "--depth", "0", "--no-svg", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert list(tmp_path.iterdir()) == []


class TanhByExp(engines.Value):
    """tanh as the lecture first writes it, (e^2x - 1) / (e^2x + 1): right, but e^2x - 1 loses digits near 0."""

    def tanh(self):
        e = math.exp(2 * self.data)
        return self._unary((e - 1) / (e + 1), lambda t: 1 - t**2, "tanh")


def test_an_error_within_atol_grown_by_the_ops_after_it_is_no_mismatch():
    steps = (Step("tanh", (0,)), *(Step("x * c", (k,), 3) for k in range(1, 10)))
    program = Program((2.66e-11,), steps)
    yours, chainrule = program.run(TanhByExp), program.run(Value)
    assert 0 < abs(yours[1].data - chainrule[1].data) < crosscheck_module.ATOL  # off by less than atol at tanh,
    off = abs(yours[-1].data - chainrule[-1].data)  # by more, nine * 3 later, than a tolerance not grown allows
    assert off > crosscheck_module.ATOL + crosscheck_module.RTOL * abs(chainrule[-1].data)
    assert crosscheck_module.compare(program, TanhByExp) is None
    at_half = Program((0.5,), steps)
    assert crosscheck_module.compare(at_half, TanhByExp) is None
    assert crosscheck_module.compare(at_half, engines.InputTanhValue) is not None  # a wrong derivative still is


class RecountsReusedLeaves(engines.Value):
    """Right after zero_grad, but a leaf used twice counts the gradient it already held once more."""

    def backward(self):
        order = self.order()
        uses = Counter(id(child) for node in order for child in node._prev)
        held = {id(v): v.grad for v in order if not v._prev}
        super().backward()
        for v in order:
            if not v._prev and uses[id(v)] > 1:
                v.grad += held[id(v)]


def test_the_drawing_marks_a_leaf_whose_second_gradient_is_wrong():
    result = crosscheck(RecountsReusedLeaves, examples=300, depth=0)
    assert result.mismatch is not None and result.mismatch.accumulated, result.report()
    drawing = result.drawing()
    assert drawing is not None
    svg = pipe(drawing.source, "svg").decode()
    texts = " ".join(text for text, *_ in svg_texts(svg)[1])
    assert re.search(r"\(after a second backward\(\): yours \S+, want \S+\)", texts), texts
    assert texts_without_ink(svg, pipe(drawing.source, "png")) == []


def test_a_step_that_does_not_lead_to_the_output_is_no_use_of_its_operand():
    program = Program((1.0,), (Step("x ** c", (0,), 3), Step("+", (0, 1)), Step("-", (1, 1))))  # c = a + b is dead
    assert program.lines()[1:] == ["b = a ** 3", "c = a + b", "d = b - b"]
    assert program.feeding_output() == {0, 1, 3}
    assert program.uses(0) == [1] and program.uses(1) == [3, 3]


class DropsInner(engines.Value):
    """Keeps only the leaves' gradients, as PyTorch does (None on the nodes in between), and has tanh's
    derivative wrong: 1 - t for 1 - t²."""

    def tanh(self):
        return self._unary(math.tanh(self.data), lambda t: 1 - t, "tanh")

    def backward(self):
        super().backward()
        for node in self.order():
            if node._prev:
                node.grad = None


def test_an_engine_that_keeps_no_inner_gradients_is_pointed_at_the_op_whose_derivative_is_wrong():
    program = Program((1.0,), (Step("tanh", (0,)),))  # b = a.tanh()
    mismatch = compare(program, DropsInner)
    assert mismatch is not None and mismatch.first_wrong() == 0  # a, not b, whose grad is None
    assert explain(mismatch)[1:] == [
        "a gets its gradient only from b = a.tanh(), whose gradient your engine does not keep (chainrule's is 1).",
        "So the local derivative db/da is wrong: chainrule's is 0.419974 here, yours 0.238406. Look at the backward "
        "of `tanh`.",
    ]


def test_a_target_given_with_unprinted_characters_is_written_out_in_the_code_to_paste_too():
    report = crosscheck(engines.LectureValue, depth=0, target="m\x1b[31m:Lec\nture").report()
    assert "\x1b" not in report and "Lec\nture" not in report
    assert "Value = engine.Lec\\nture" in report  # a name no module holds: the code says what was given
