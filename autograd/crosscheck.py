"""Check your own micrograd: property-based cross-checking of any scalar autograd engine against chainrule.

    python -m autograd.crosscheck mygrad.engine:Value          # a module and a class in it
    python -m autograd.crosscheck path/to/engine.py:Value      # or a file and a class in it

or, in your own tests, `assert (result := crosscheck(Value)).ok, result.report()`.

The class is driven as micrograd's is: `Value(x)`, `.data`, `.grad`, `.backward()`, `+ - * /` with
Values and with numbers on either side, `-x`, `x ** c` for a number c, and whichever of `relu`,
`tanh`, `exp`, `log`, `sigmoid` it has. `+` and `*` are required; any other op that is missing or
raises is skipped, and the report says why. What is checked:

1. Expressions drawn by hypothesis (a `Program`: each step one op over earlier results, so results
   are shared, a value may be both operands of one op, constants stand on either side), each run in
   your engine and in chainrule: every node's value and every input's gradient must agree.
2. Accumulation, where your engine accumulates: the leaves start at grad 0 (as after micrograd's
   `zero_grad`), the expression is built and backpropagated twice from the same leaves, and each
   leaf must then hold twice its gradient. An engine whose backward() leaves a leaf with the latest
   gradient only (found by trying `x * 3` twice) is not held to this; the report says so.
3. A chain `y = y + 1` of `depth` ops (2,000 by default, past Python's recursion limit of 1,000):
   a recursive topological sort raises RecursionError there.

A number agrees when |yours - chainrule's| <= atol + rtol * scale, with rtol = 1e-9 and atol = 1e-12
by default. `scale` is the size of the sum behind the number, as chainrule computed it: a value's
is max(|v|, Σ |d v/d operand| · scale(operand)); a gradient's is Σ over the paths to the output of
the product of |local derivative|s. Rounding in a different order (micrograd's a / b is a * b**-1;
its sort visits a set) moves a number by a few ulps of that scale, never by 1e-9 of it. A value's
atol is grown by the ops before it, atol · gain with gain = max(1, Σ |d v/d operand| · gain(operand)):
a tanh of 1e-12 within atol, multiplied by 3 nine times, may be 3^9 atol off, and is not a mismatch.

On a mismatch hypothesis shrinks the expression to a smallest one that still disagrees (with a
fixed seed, so the report is the same each run), and the report gives it as Python to paste, each
node's value and gradient, yours beside chainrule's, the first node from the output back whose
gradient is wrong, and a drawing of the graph with your wrong numbers in red beside the right ones.

Whatever the engine does is reported, not passed on: an exception or a sys.exit() names the call;
a call that runs past TIME_LIMIT seconds is reported as hung (interrupted by SIGALRM on the main
thread; elsewhere, and on Windows, left running in a thread of its own), and no other expression is
tried; an answer that changes from run to run is reported with the expression it got wrong, marked
unsteady.
"""

from __future__ import annotations

import argparse
import contextvars
import importlib
import importlib.util
import io
import math
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field, replace
from numbers import Real
from pathlib import Path
from random import Random
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from autograd.engine import Value

if TYPE_CHECKING:
    from autograd.draw import Drawing

try:
    from hypothesis import HealthCheck, Verbosity, find, settings
    from hypothesis import strategies as st
    from hypothesis.configuration import set_hypothesis_home_dir
    from hypothesis.errors import Flaky, NoSuchExample
except ImportError as missing:
    NEEDS = "autograd.crosscheck needs hypothesis: pip install hypothesis (the testing extra)"
    if __name__ == "__main__":  # python -m autograd.crosscheck: one line, no traceback, exit 2 (cannot run)
        print(f"crosscheck: {NEEDS}", file=sys.stderr)
        sys.exit(2)
    raise ImportError(NEEDS) from missing

RTOL, ATOL = 1e-9, 1e-12
EXAMPLES = 2000
DEPTH = 2000
SEED = 0
MAX_STEPS = 10
LIMIT = 50.0  # a step whose value would be larger is replaced by x * 0.5, to keep the numbers tame
NAMES = "abcdefghijklmnopqrstuvwxyz"
TIME_LIMIT = 10.0  # seconds one expression (or the deep chain) may take in your engine before it is called hung


T = TypeVar("T")  # what a call into your engine gives


class DrivingError(Exception):
    """The class cannot be driven as a micrograd Value: the message names the call that failed."""


# -- calling your engine: whatever it raises, exits or hangs is reported, not passed on ------------


class _Hung(BaseException):
    """Raised into your engine's code when it runs past TIME_LIMIT (a BaseException, so that an
    `except Exception` in the engine does not swallow it), or, where the call ran in a thread of its own
    that goes on running, in its caller's (`left_running`)."""

    def __init__(self, frame: FrameType | None, left_running: bool = False) -> None:
        super().__init__()
        self.where = _where(frame)  # the function your engine was running, for the report
        self.left_running = left_running


def _where(frame: FrameType | None) -> str:
    """Where a frame runs, as the report names it: "Value.tanh.<locals>._backward (engine.py, line 12)"."""
    if frame is None:
        return ""
    code = frame.f_code
    return f"{code.co_qualname} ({Path(code.co_filename).name}, line {frame.f_lineno})"


def _limited(action: Callable[[], T]) -> T:
    """action(), or _Hung where it runs longer than TIME_LIMIT. On the main thread of a process with
    SIGALRM, the alarm interrupts it (the handler before is put back); elsewhere (another thread, Windows,
    or a host's own timer running) it runs in a thread of its own, which is left to run on, its result
    unread, where it does not return in time."""
    if not _can_alarm():
        return _in_thread(action, TIME_LIMIT)

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Hung(frame)  # raised in the frame the alarm interrupted

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return action()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_alarm() -> bool:
    """Whether SIGALRM can time a call here: on the main thread, where it exists and no timer runs."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


def _in_thread(action: Callable[[], T], seconds: float) -> T:
    """action() in a daemon thread (in a copy of this context), waited on for `seconds`: its result, or the
    error it raised, or _Hung."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, action()))
        except BaseException as error:  # handed to the caller below, whatever it is
            outcome.append((False, error))

    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(run,), name="crosscheck: a call into your engine", daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        raise _Hung(sys._current_frames().get(thread.ident or 0), left_running=True)
    returned, value = outcome[0]
    if returned:
        return cast(T, value)
    raise value


CAUGHT = (Exception, SystemExit, _Hung)  # what a call into your engine may end with; Ctrl-C still stops


def _failure(error: BaseException) -> str:
    """How a call into your engine ended, for the report: "raised ValueError: ...", or that it hung."""
    if isinstance(error, _Hung):
        where = f", running {printable(error.where)}" if error.where else ""
        running = " (it runs on in a thread of its own until Python exits)" if error.left_running else ""
        return f"did not return within {TIME_LIMIT:g} s{where}{running}"
    return f"raised {type(error).__name__}: {printable(str(error))}" if str(error) else f"raised {type(error).__name__}"


def printable(text: str) -> str:
    """Text from your engine (its messages, its names) with every character that is not printed written
    out as an escape (\\n, \\x1b), so it cannot move the cursor, clear the screen or fake a line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


# -- the ops, and the programs made of them ---------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """An op as crosscheck draws it: `code` is its Python ({0}, {1} the operands, {c} a constant);
    `run(operands, c)` applies it to Values of any class; `defined(numbers, c)` says whether it is
    defined and well conditioned there; `method` is the optional method it needs ("" for operators)."""

    name: str
    arity: int
    code: str
    run: Callable[[Sequence[Any], Any], Any]
    constants: tuple[float, ...] = ()
    defined: Callable[[Sequence[float], Any], bool] = lambda xs, c: True
    method: str = ""


def _away(x: float) -> bool:
    return abs(x) > 0.2


CONSTANTS = (2, 0.5, -1, 3, 1.5)
POWERS = (2, 3, -1, 0.5)
REQUIRED = {"+", "*", "x + c", "c + x", "x * c", "c * x"}  # the ops every micrograd-style engine has

OPS = (
    Spec("+", 2, "{0} + {1}", lambda v, c: v[0] + v[1]),
    Spec("*", 2, "{0} * {1}", lambda v, c: v[0] * v[1]),
    Spec("-", 2, "{0} - {1}", lambda v, c: v[0] - v[1]),
    Spec("/", 2, "{0} / {1}", lambda v, c: v[0] / v[1], defined=lambda xs, c: _away(xs[1])),
    Spec("x + c", 1, "{0} + {c}", lambda v, c: v[0] + c, CONSTANTS),
    Spec("c + x", 1, "{c} + {0}", lambda v, c: c + v[0], CONSTANTS),
    Spec("x * c", 1, "{0} * {c}", lambda v, c: v[0] * c, CONSTANTS),
    Spec("c * x", 1, "{c} * {0}", lambda v, c: c * v[0], CONSTANTS),
    Spec("x - c", 1, "{0} - {c}", lambda v, c: v[0] - c, CONSTANTS),
    Spec("c - x", 1, "{c} - {0}", lambda v, c: c - v[0], CONSTANTS),
    Spec("x / c", 1, "{0} / {c}", lambda v, c: v[0] / c, CONSTANTS),
    Spec("c / x", 1, "{c} / {0}", lambda v, c: c / v[0], CONSTANTS, lambda xs, c: _away(xs[0])),
    Spec("-x", 1, "-{0}", lambda v, c: -v[0]),
    Spec("x ** c", 1, "{0} ** {c}", lambda v, c: v[0] ** c, POWERS, lambda xs, c: _power_defined(xs[0], c)),
    Spec("relu", 1, "{0}.relu()", lambda v, c: v[0].relu(), defined=lambda xs, c: _away(xs[0]), method="relu"),
    Spec("tanh", 1, "{0}.tanh()", lambda v, c: v[0].tanh(), method="tanh"),
    Spec("exp", 1, "{0}.exp()", lambda v, c: v[0].exp(), defined=lambda xs, c: xs[0] < 5, method="exp"),
    Spec("log", 1, "{0}.log()", lambda v, c: v[0].log(), defined=lambda xs, c: xs[0] > 0.2, method="log"),
    Spec("sigmoid", 1, "{0}.sigmoid()", lambda v, c: v[0].sigmoid(), method="sigmoid"),
)
SPECS = {spec.name: spec for spec in OPS}
FALLBACK = SPECS["x * c"]  # always defined; used, with c = 0.5, where the drawn op is not


def _power_defined(x: float, c: float) -> bool:
    """x ** c away from where it is undefined (x <= 0 for c = 0.5) or steep (x near 0 for c = -1)."""
    return x > 0.2 if c == 0.5 else _away(x) if c < 0 else True


@dataclass(frozen=True)
class Step:
    """One op over earlier results (indices into inputs + steps), with its constant if it has one."""

    op: str
    args: tuple[int, ...]
    constant: float | None = None


@dataclass(frozen=True)
class Program:
    """Inputs, then steps; the last step is the output. Runs on any micrograd-style class."""

    inputs: tuple[float, ...]
    steps: tuple[Step, ...]

    @property
    def names(self) -> list[str]:
        """a, b, c, ... for the inputs and then the steps."""
        return [NAMES[i % 26] + ("" if i < 26 else str(i // 26)) for i in range(len(self.inputs) + len(self.steps))]

    def lines(self) -> list[str]:
        """Each node as a line of Python: `a = Value(1.0)`, `b = a + a`."""
        names = self.names
        out = [f"{names[i]} = Value({x!r})" for i, x in enumerate(self.inputs)]
        for k, step in enumerate(self.steps):
            code = SPECS[step.op].code.format(*(names[i] for i in step.args), c=step.constant)
            out.append(f"{names[len(self.inputs) + k]} = {code}")
        return out

    def run(self, cls: Any, leaves: Sequence[Any] | None = None) -> list[Any]:
        """Every node, inputs first, computed with `cls` (from `leaves` where given)."""
        nodes = list(leaves) if leaves is not None else [cls(x) for x in self.inputs]
        for step in self.steps:
            nodes.append(SPECS[step.op].run([nodes[i] for i in step.args], step.constant))
        return nodes

    def uses(self, index: int) -> list[int]:
        """The steps (by node index) that use node `index`, once per use, among those the output depends on
        (a step that does not lead to the output sends no gradient back)."""
        n, live = len(self.inputs), self.feeding_output()
        return [n + k for k, step in enumerate(self.steps) for i in step.args if i == index and n + k in live]

    def feeding_output(self) -> set[int]:
        """The nodes (by index) the output depends on, the output among them."""
        n = len(self.inputs)
        live = {n + len(self.steps) - 1}
        for k in reversed(range(len(self.steps))):
            if n + k in live:
                live.update(self.steps[k].args)
        return live


NUMBERS = st.one_of(
    st.sampled_from((1.0, -1.0, 2.0, 0.5, -0.5, -2.0, 1.5, -1.5, 3.0, -3.0, 2.5, -2.5)),
    st.floats(-3.0, 3.0, allow_nan=False),
)


def programs(ops: Sequence[Spec] = OPS, max_inputs: int = 3, max_steps: int = MAX_STEPS) -> st.SearchStrategy[Program]:
    """Programs over `ops`: each step uses the latest few results (so results are shared, and one
    may be both operands of an op), drawn where its op is defined and its value is at most LIMIT."""

    @st.composite
    def draw_program(draw: st.DrawFn) -> Program:
        inputs = draw(st.lists(NUMBERS, min_size=1, max_size=max_inputs))
        values = [Value(x) for x in inputs]
        steps: list[Step] = []
        for _ in range(draw(st.integers(1, max_steps))):
            spec = draw(st.sampled_from(ops))
            args = tuple(len(values) - 1 - draw(st.integers(0, min(3, len(values) - 1))) for _ in range(spec.arity))
            c = draw(st.sampled_from(spec.constants)) if spec.constants else None
            result = _defined(spec, [values[i] for i in args], c)
            if result is None:
                spec, args, c = FALLBACK, args[:1], 0.5
                result = values[args[0]] * 0.5
            steps.append(Step(spec.name, args, c))
            values.append(result)
        return Program(tuple(inputs), tuple(steps))

    return draw_program()


def _defined(spec: Spec, operands: list[Value], c: Any) -> Value | None:
    """chainrule's result of the op, or None where it is not defined, not well conditioned or too large."""
    if not spec.defined([v.data for v in operands], c):
        return None
    try:
        result = spec.run(operands, c)
    except (ArithmeticError, ValueError):
        return None
    return result if isinstance(result, Value) and abs(result.data) <= LIMIT else None


# -- driving the user's class ----------------------------------------------------------------------


def _call(text: str, action: Callable[[], Any]) -> Any:
    """action(), or a DrivingError naming `text`, the call that raised, exited or hung."""
    try:
        return _limited(action)
    except CAUGHT as error:
        raise DrivingError(f"{text} {_failure(error)}") from error


def _number(x: Any, what: str) -> float:
    """x as a float, or a DrivingError naming `what`."""
    try:
        return float(x)
    except CAUGHT as error:
        raise DrivingError(f"{what} is {printable(_shown(x))} ({type(x).__name__}), expected a number") from error


def _shown(x: Any) -> str:
    try:
        return repr(x)
    except CAUGHT:
        return f"a {type(x).__name__}"


def drive(cls: Any) -> tuple[list[Spec], list[tuple[str, str]]]:
    """The ops `cls` can be driven with, and each optional op skipped with the reason.

    Raises DrivingError naming the first required call that fails: Value(2.0), .data, .grad (which
    must start at 0), + and * with a Value or a number on either side, backward(). Any other op that
    fails (an engine at an early step of the lecture has no - or /) is skipped, with the reason.
    """
    x = _call("Value(2.0)", lambda: cls(2.0))
    name = printable(str(getattr(cls, "__name__", "Value")))
    if not _has(x, "data", "reading Value(2.0).data"):
        raise DrivingError(f"Value(2.0) has no attribute data: {name} needs .data, the number it holds")
    data = _call("reading Value(2.0).data", lambda: x.data)
    if _number(data, "Value(2.0).data") != 2.0:
        raise DrivingError(f"Value(2.0).data is {printable(_shown(data))}, expected 2.0")
    if not _has(x, "grad", "reading Value(2.0).grad"):
        raise DrivingError(f"Value(2.0) has no attribute grad: {name} needs .grad, the gradient it holds")
    grad = _call("reading Value(2.0).grad", lambda: x.grad)
    if _number(grad, "Value(2.0).grad") != 0:
        raise DrivingError(
            f"Value(2.0).grad is {printable(_shown(grad))}, expected 0: a new value's gradient starts at 0, for "
            f"backward() adds to it"
        )
    if not callable(getattr(x, "backward", None)):
        raise DrivingError(f"Value(2.0) has no method backward(): {name} needs one to run backprop")
    tested: list[Spec] = []
    skipped: list[tuple[str, str]] = []
    for spec in OPS:
        if spec.method and not callable(getattr(cls(2.0), spec.method, None)):
            skipped.append((spec.name, f"{printable(name)} has no method {spec.method}()"))
            continue
        failures = {c: _probe(cls, spec, c) for c in spec.constants or (None,)}
        problems = [(c, why) for c, why in failures.items() if why is not None]
        if problems and spec.name in REQUIRED:
            raise DrivingError(f"{problems[0][1]}{_defining(spec)}") from problems[0][1]
        if len(problems) == len(failures):  # with no constant it runs with
            skipped.append((spec.name, str(problems[0][1])))
            continue
        skipped += [(spec.name.replace("c", repr(c)), str(why)) for c, why in problems]  # x ** 0.5: one constant
        tested.append(replace(spec, constants=tuple(c for c in spec.constants if failures[c] is None)))
    y = cls(2.0)
    _call("(Value(2.0) * 3).backward()", lambda: (y * 3).backward())
    _number(_call("reading Value(2.0).grad", lambda: y.grad), "Value(2.0).grad after (Value(2.0) * 3).backward()")
    return tested, skipped


def _has(x: Any, attribute: str, reading: str) -> bool:
    """Whether x has the attribute; a DrivingError naming `reading` where reading it raised anything else
    (a property of one's own that raises)."""
    try:
        _limited(lambda: getattr(x, attribute))
    except AttributeError:
        return False
    except CAUGHT as error:
        raise DrivingError(f"{reading} {_failure(error)}") from error
    return True


def _defining(spec: Spec) -> str:
    """What to define for a required op with the number on the left: 2 + x calls x.__radd__(2)."""
    method = {"c + x": "__radd__", "c * x": "__rmul__"}.get(spec.name)
    return f" ({spec.code.format('x', c=spec.constants[0])} calls x.{method}: define it)" if method else ""


def _probe(cls: Any, spec: Spec, c: Any) -> DrivingError | None:
    """None where the op runs on Value(2.0) (and Value(3.0)) with the constant c and gives a number as its
    data; else what failed."""
    text = spec.code.format(*["Value(2.0)", "Value(3.0)"][: spec.arity], c=c)
    try:
        out = _call(text, lambda: spec.run([cls(2.0 + k) for k in range(spec.arity)], c))
        _number(_call(f"({text}).data", lambda: out.data), f"({text}).data")
    except DrivingError as error:
        return error
    return None


def _accumulates(cls: Any) -> bool | str:
    """True where leaves add up the gradients of several backward() calls, False where they keep the
    latest; a message where they hold something else."""
    x = cls(2.0)
    _call("(x * 3).backward()", lambda: (x * 3).backward())
    first = _number(_call("reading x.grad", lambda: x.grad), "x.grad after (x * 3).backward()")
    _call("a second (x * 3).backward()", lambda: (x * 3).backward())
    second = _number(_call("reading x.grad", lambda: x.grad), "x.grad after a second (x * 3).backward()")
    if second == 2 * first:
        return True
    if second == first:
        return False
    return (
        f"x = Value(2.0); (x * 3).backward() left x.grad = {first:g}, and a second (x * 3).backward() "
        f"{second:g}: neither the sum of the two ({2 * first:g}) nor the latest ({first:g})"
    )


# -- comparing one program ------------------------------------------------------------------------


@dataclass
class Mismatch:
    """A program on which the engines disagree: the numbers of each node, yours beside chainrule's.

    `data` and `grad` hold (yours, chainrule's, agree) per node, inputs first; yours is None where
    it could not be read. `error` is the call that raised, `accumulated` the leaves' grads after the
    second backward() where that was the check that failed.
    """

    program: Program
    data: list[tuple[float | None, float, bool]]
    grad: list[tuple[float | None, float, bool]]
    error: str = ""
    accumulated: list[tuple[float | None, float, bool]] = field(default_factory=list)
    unsteady: bool = False  # your engine agreed with chainrule on another run of this same program
    hung: bool = False  # a call into your engine did not return within TIME_LIMIT

    def first_wrong(self) -> int | None:
        """The first node, from the output back, whose gradient is wrong: an input's, or another node's that
        holds a number (an engine need not keep the gradients of the nodes in between: None is passed over)."""
        inputs = len(self.program.inputs)
        wrong = [i for i, (yours, _, ok) in enumerate(self.grad) if not ok and (i < inputs or yours is not None)]
        return max(wrong) if wrong else None


def _scales(nodes: list[Value]) -> tuple[list[float], list[float], list[float]]:
    """Each node's value scale, max(|v|, Σ |local| · scale(child)); its gain, max(1, Σ |local| · gain(child)),
    how much the ops up to it can grow an error made below it; and its gradient scale, the sum over
    paths to the output of the products of |local derivative|s (see the module's docstring)."""
    index = {id(v): i for i, v in enumerate(nodes)}
    data = [abs(v.data) for v in nodes]
    gain = [1.0] * len(nodes)
    for i, v in enumerate(nodes):
        edges = [(abs(d), index[id(c)]) for c, d in zip(v.children, v.local_grads, strict=True)]
        data[i] = max(data[i], sum(d * data[k] for d, k in edges))
        gain[i] = max(1.0, sum(d * gain[k] for d, k in edges))
    grad = [0.0] * len(nodes)
    grad[-1] = 1.0
    for i in reversed(range(len(nodes))):
        for c, d in zip(nodes[i].children, nodes[i].local_grads, strict=True):
            grad[index[id(c)]] += abs(d) * grad[i]
    return data, gain, grad


def _read(nodes: list[Any], attribute: str) -> list[float | None]:
    out: list[float | None] = []
    for node in nodes:
        try:
            out.append(float(getattr(node, attribute)))
        except CAUGHT:
            out.append(None)
    return out


def _pairs(
    yours: list[float | None], expected: list[float], scales: list[float], rtol: float, atols: list[float]
) -> list[tuple[float | None, float, bool]]:
    """(yours, chainrule's, whether they agree) for each number: |yours - chainrule's| <= atol + rtol · scale."""

    def agree(y: float | None, e: float, scale: float, atol: float) -> bool:
        return y is not None and abs(y - e) <= atol + rtol * max(scale, abs(e))

    return [(y, e, agree(y, e, s, a)) for y, e, s, a in zip(yours, expected, scales, atols, strict=True)]


def compare(
    program: Program, cls: Any, rtol: float = RTOL, atol: float = ATOL, accumulate: bool = False
) -> Mismatch | None:
    """None where `cls` agrees with chainrule on `program`, else what differs.

    The verdict reads every node's value and every input's gradient (an engine need not keep the
    gradients of the nodes in between; where it does, the report uses them to find the first wrong
    one). With `accumulate`, the program is built and backpropagated a second time from the same
    leaves, which must then hold twice their gradient.
    """
    right = program.run(Value)
    right[-1].backward()
    data_scale, gain, grad_scale = _scales(right)
    data_atol, grad_atol = [atol * g for g in gain], [atol] * len(right)  # an error within atol, grown by later ops
    expected_data, expected_grad = [v.data for v in right], [v.grad for v in right]
    n = len(program.inputs)
    none: list[float | None] = [None] * len(right)

    def failed(error: str, nodes: list[Any], with_grads: bool, hung: bool = False) -> Mismatch:
        data = _read(nodes, "data") + none[len(nodes) :]
        grads = _read(nodes, "grad") + none[len(nodes) :] if with_grads else none
        return Mismatch(
            program,
            _pairs(data, expected_data, data_scale, rtol, data_atol),
            _pairs(grads, expected_grad, grad_scale, rtol, grad_atol),
            error,
            hung=hung,
        )

    names, lines = program.names, program.lines()
    nodes: list[Any] = []

    def build() -> None:
        for x in program.inputs:
            nodes.append(cls(x))
        for step in program.steps:
            nodes.append(SPECS[step.op].run([nodes[i] for i in step.args], step.constant))

    try:
        _limited(build)
    except CAUGHT as error:
        return failed(f"{lines[len(nodes)]} {_failure(error)}", nodes, False, isinstance(error, _Hung))
    leaves = nodes[:n]
    try:
        _limited(lambda: nodes[-1].backward())
    except CAUGHT as error:
        return failed(f"{names[-1]}.backward() {_failure(error)}", nodes, False, isinstance(error, _Hung))
    found = failed("", nodes, True)
    if not all(ok for _, _, ok in found.data) or not all(ok for _, _, ok in found.grad[:n]):
        return found
    if accumulate:
        try:
            _limited(lambda: program.run(cls, leaves)[-1].backward())
        except CAUGHT as error:
            return failed(f"the second {names[-1]}.backward() {_failure(error)}", nodes, True, isinstance(error, _Hung))
        twice = [2 * g for g in expected_grad[:n]]
        found.accumulated = _pairs(_read(leaves, "grad"), twice, [2 * s for s in grad_scale[:n]], rtol, grad_atol[:n])
        if not all(ok for _, _, ok in found.accumulated):
            return found
    return None


def _deep_chain(cls: Any, depth: int, rtol: float, atol: float) -> str:
    """ "" where a chain of `depth` ops backpropagates right in `cls`, else what went wrong."""
    code = f"x = Value(0.5); y = x\n    for _ in range({depth}): y = y + 1\n    y.backward()"

    def chain() -> tuple[Any, Any]:
        x = y = cls(0.5)
        for _ in range(depth):
            y = y + 1
        return x, y

    try:
        x, y = _limited(chain)
    except RecursionError:
        return f"building a chain of {depth} ops raised RecursionError (an op recurses). The chain:\n    {code}"
    except CAUGHT as error:
        return f"building a chain of {depth} ops {_failure(error)}. The chain:\n    {code}"
    try:
        _limited(lambda: y.backward())
    except RecursionError:
        return (
            f"backward() raised RecursionError at depth {depth}: your topological sort recurses,\n"
            f"one Python call per node along the longest path, and Python stops at {sys.getrecursionlimit()} "
            f"calls (sys.getrecursionlimit()).\n"
            f"Build the order with a loop and a list as a stack. The chain:\n    {code}"
        )
    except CAUGHT as error:
        return f"backward() of a chain of {depth} ops {_failure(error)}. The chain:\n    {code}"
    try:
        got = (
            _number(_call("reading y.data", lambda: y.data), "y.data"),
            _number(_call("reading x.grad", lambda: x.grad), "x.grad"),
        )
    except DrivingError as error:
        return f"after backward() of a chain of {depth} ops, {error}. The chain:\n    {code}"
    want = (0.5 + depth, 1.0)
    if any(abs(g - w) > atol + rtol * abs(w) for g, w in zip(got, want, strict=True)):
        return (
            f"a chain of {depth} ops gave y.data = {got[0]:g} and x.grad = {got[1]:g}, "
            f"expected {want[0]:g} and 1. The chain:\n    {code}"
        )
    return ""


# -- the whole check -------------------------------------------------------------------------------


@dataclass
class Result:
    """What crosscheck() found: `ok`, and `report()` to print."""

    cls: Any
    target: str
    examples: int
    rtol: float
    atol: float
    depth: int
    tested: list[Spec]
    skipped: list[tuple[str, str]]
    accumulates: bool | str
    mismatch: Mismatch | None
    deep: str
    svg: str = ""

    @property
    def ok(self) -> bool:
        return self.mismatch is None and not self.deep and not isinstance(self.accumulates, str)

    def report(self) -> str:
        """The report, as `python -m autograd.crosscheck` prints it."""
        from autograd import crosscheck_report

        return crosscheck_report.report(self)

    def drawing(self) -> Drawing | None:
        """The smallest disagreeing graph, drawn with chainrule's numbers and yours in red where they
        differ (None where nothing disagrees)."""
        from autograd import crosscheck_report

        return None if self.mismatch is None else crosscheck_report.drawing(self.mismatch)


def crosscheck(
    cls: Any,
    examples: int = EXAMPLES,
    rtol: float = RTOL,
    atol: float = ATOL,
    depth: int = DEPTH,
    seed: int = SEED,
    max_steps: int = MAX_STEPS,
    target: str = "",
) -> Result:
    """Cross-check the micrograd-style class `cls` against chainrule (see the module's docstring).

    `examples` expressions of up to `max_steps` steps are drawn with `seed`; `depth` is the length
    of the deep chain (0 skips it); `rtol` and `atol` are the tolerance. Raises DrivingError where
    `cls` cannot be driven. `target` names the class in the report (its module and name by default).
    """
    _check_arguments(examples=examples, depth=depth, max_steps=max_steps, seed=seed, rtol=rtol, atol=atol)
    tested, skipped = drive(cls)
    accumulates = _accumulates(cls)
    mismatch = _search(tested, examples, max_steps, seed, lambda p: compare(p, cls, rtol, atol, accumulates is True))
    deep = _deep_chain(cls, depth, rtol, atol) if depth > 0 else ""
    name = target or f"{getattr(cls, '__module__', '?')}:{getattr(cls, '__qualname__', cls)}"
    return Result(cls, name, examples, rtol, atol, depth, tested, skipped, accumulates, mismatch, deep)


def _search(
    tested: list[Spec], examples: int, max_steps: int, seed: int, check: Callable[[Program], Mismatch | None]
) -> Mismatch | None:
    """The smallest program on which `check` finds a mismatch, hypothesis shrinking the first it finds;
    None where `examples` programs all agree. An engine whose answer changes from run to run (its
    backward() visits a set in whatever order it has) may agree when the smallest is run again: the
    mismatch it gave is reported, marked unsteady. Once a program hangs, no other is run (each could
    take TIME_LIMIT): that program is reported as it was drawn."""
    if examples == 0:
        return None
    found: list[Mismatch] = []

    def disagrees(program: Program) -> bool:
        if found and found[-1].hung:
            return False  # no more programs after one that hung (hypothesis may then call the search flaky)
        mismatch = check(program)
        if mismatch is not None:
            found.append(mismatch)
        return mismatch is not None

    search = settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    try:
        smallest = find(programs(tested, max_steps=max_steps), disagrees, settings=search, random=Random(seed))
    except NoSuchExample:
        return None
    except Flaky:
        return found[-1] if found[-1].hung else replace(found[-1], unsteady=True)
    if found and found[-1].hung:
        return found[-1]
    again = check(smallest)
    if again is not None:
        return again
    last = [m for m in found if m.program == smallest] or found
    return replace(last[-1], unsteady=True)


def _check_arguments(**given: Any) -> None:
    """Refuse an argument of crosscheck() that is not what it needs, naming it."""
    for name in ("examples", "depth", "max_steps", "seed"):
        value, least = given[name], 1 if name == "max_steps" else 0
        if not isinstance(value, int) or isinstance(value, bool) or (name != "seed" and value < least):
            raise ValueError(f"crosscheck() needs {name} to be a whole number, at least {least}, got {value!r}")
    for name in ("rtol", "atol"):
        value = given[name]
        if not isinstance(value, Real) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
            raise ValueError(f"crosscheck() needs {name} to be a finite number, 0 or more, got {value!r}")


# -- the command line ------------------------------------------------------------------------------


def load(target: str) -> Any:
    """The class named by "module.path:Class" or "path/to/file.py:Class"."""
    where, colon, name = target.rpartition(":")
    if not colon or not where or not name:
        raise DrivingError(f"name the class as MODULE:CLASS or path/to/file.py:CLASS, got {target!r}")
    if where.endswith(".py") or "/" in where or "\\" in where:
        path = Path(where)
        if not path.is_file():
            raise DrivingError(f"{where}: no such file")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise DrivingError(f"{where} cannot be imported as a Python module")
        module = importlib.util.module_from_spec(spec)
        if path.stem.isidentifier() and path.stem not in sys.modules:  # not over a module already imported: autograd
            sys.modules[path.stem] = module
        _call(f"importing {where}", lambda: spec.loader.exec_module(module))  # type: ignore[union-attr]
    else:
        try:
            module = _call(f"import {where}", lambda: importlib.import_module(where))
        except DrivingError as error:
            if not isinstance(error.__cause__, ModuleNotFoundError):
                raise
            raise DrivingError(
                f"{error}: run crosscheck from the folder that holds {where.split('.')[0]}, or name the file, "
                f"path/to/{where.replace('.', '/')}.py:{name}"
            ) from error

    cls = getattr(module, name, None)
    if cls is None:
        raise DrivingError(f"{printable(where)} has no {printable(name)}")
    return cls


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: prints the report; 0 when everything agrees, 1 on a mismatch, 2 when the
    class cannot be driven."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.crosscheck", description="Cross-check a micrograd-style Value class against chainrule."
    )
    parser.add_argument("target", help="MODULE:CLASS or path/to/file.py:CLASS, e.g. mygrad.engine:Value")
    parser.add_argument("--examples", type=int, default=EXAMPLES, help=f"expressions to try (default {EXAMPLES})")
    parser.add_argument("--rtol", type=float, default=RTOL, help=f"relative tolerance (default {RTOL:g})")
    parser.add_argument("--atol", type=float, default=ATOL, help=f"absolute tolerance (default {ATOL:g})")
    parser.add_argument(
        "--depth", type=int, default=DEPTH, help=f"length of the deep chain, 0 for none (default {DEPTH})"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"hypothesis's seed (default {SEED})")
    parser.add_argument("--svg", default="crosscheck.svg", help="where to draw a mismatch (default crosscheck.svg)")
    parser.add_argument("--no-svg", action="store_true", help="draw nothing")
    args = parser.parse_args(argv)
    svg = Path(args.svg) / "crosscheck.svg" if Path(args.svg).is_dir() else Path(args.svg)
    if svg.suffix not in ("", ".svg"):
        parser.error(f"--svg needs a path for an SVG file (ending in .svg), got {args.svg}")
    printed = io.StringIO()  # what the engine prints while it is checked, thousands of lines maybe
    try:
        if str(Path.cwd()) not in sys.path:
            sys.path.insert(0, str(Path.cwd()))
        cls = load(args.target)
        with _scratch_storage(), redirect_stdout(printed), redirect_stderr(printed):
            result = crosscheck(cls, args.examples, args.rtol, args.atol, args.depth, args.seed, target=args.target)
    except (DrivingError, ValueError) as error:
        print(f"crosscheck: cannot drive {printable(args.target)}: {error}")
        if note := _printed(printed.getvalue()):
            print(note)
        return 2
    unwritten = "" if args.no_svg else _draw(result, svg)
    print(result.report())
    for note in (unwritten, _printed(printed.getvalue())):
        if note:
            print(note)
    return 0 if result.ok else 1


def _printed(text: str) -> str:
    """A note of what the engine printed (to stdout or stderr) while it was checked, which is not shown ("" where
    nothing)."""
    lines = text.splitlines()
    if not lines:
        return ""
    count = "1 line" if len(lines) == 1 else f"{len(lines):,} lines"
    return f"crosscheck: your engine printed {count} while it was checked (not shown); the first: {printable(lines[0])}"


@contextmanager
def _scratch_storage() -> Iterator[None]:
    """hypothesis's files (a cache of the constants in the modules it reads) in a folder of their own,
    removed after, not in a .hypothesis folder left in the learner's folder."""
    with tempfile.TemporaryDirectory(prefix="crosscheck-") as scratch:
        set_hypothesis_home_dir(scratch)
        try:
            yield
        finally:
            set_hypothesis_home_dir(None)


def _draw(result: Result, svg: Path) -> str:
    """Draw a mismatch into `svg` (result.svg says where it went); what went wrong where it could not be written."""
    from autograd.renderer import render

    drawing = result.drawing()
    if drawing is None:
        return ""
    try:
        result.svg = str(render(drawing, svg, "svg"))
    except OSError as error:
        return f"crosscheck: the drawing could not be written to {svg}: {error.strerror or error}"
    return ""


if __name__ == "__main__":
    sys.exit(main())
