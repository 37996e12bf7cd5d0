"""Running an op's rules on names to write them out as JavaScript, branches included.

`autograd.compile` runs a rule on names and reads the expression it builds; a rule that branches on
a number cannot be run that way, so compile calls the rule at run time. JavaScript cannot call
Python, so here a branch is written out too. A `Js` is a JavaScript expression (a tree of tuples,
see below); comparing it gives a `Condition`, and testing a condition (`if`, `and`, `not`) answers
from a path: a list of answers, one per decision. `explore` runs the rule once per path, depth
first (the first run answers every decision True, the next flips the last True to False, ...),
and `merged` joins the runs' results into one expression per result, with `cond ? a : b` where
they differ:

    _log(x):  if not x > 0: raise ValueError(f"log() needs a positive value, got {x}")
              return math.log(x)
    runs:     [True] -> log(x)      [False] -> ValueError
    merged:   (x > 0 ? log(x) : fail("ValueError", "log() needs a positive value, got " + py(x)))

Python raises where JavaScript gives a number (1 / 0.0, 10.0 ** 400.0, math.exp(1000.0),
math.log(-1.0)), so each such operation on a Js is a decision too: "raises" (True: the Python
exception is raised, and the rule may catch it, as `_power_slope` catches an OverflowError) or not.
Where the rule does not catch it, the decision is dropped: the runtime's helper (div, pow, exp,
log; javascript_runtime.js) raises the same error in JavaScript; and where no try block of the
rule is open at that point (most), the decision is not even made. The same condition met again in
a run is answered as before, without a new decision.

A rule calls Python's math functions (math.exp(-x) in _sigmoid), which want a float. So the rule
runs as a copy of its function whose globals are `TracedGlobals`: a view of its module's, where
`math` and its functions (exp, log, tanh, sqrt, sin, cos) write themselves out when given a Js,
and each function of the module read there is such a copy too (`traced`). Nothing global changes:
the math module and every module stay as they are, for other threads too. `float(y)` of a Js is understood
only in the engine's `_power` (float(y).is_integer(), float(x ** y)): the decision "is y an
integer" and a stand-in float that maps back to y. Anything else a Js cannot do (int(x), x % 2)
raises TypeError: the rule cannot be written out.

Trees, each a tuple: ("num", literal), ("name", identifier), ("bin", "+" | "-" | "*" | "/", l, r),
("neg", x), ("call", function, *arguments), ("cmp", ">" | ">=" | "<" | "<=" | "===" | "!==", l, r),
("if", condition, a, b), ("fails", exception, function, *arguments) (whether the function raises
that Python exception), ("fail", exception, *parts) (raise it; the message's parts are text or trees).
"""

from __future__ import annotations

import dis
import functools
import math
import re
import sys
import threading
import types
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import engine
from autograd.expression import Written

Tree = tuple[Any, ...]

MAX_RUNS = 4096  # runs of one rule; a rule of more paths is refused (hinge's slopes over 8 outputs: 3^8)
LONGEST = 100  # operators in one expression; a longer one (a wide sum) gets a name of its own

# Python's math functions a rule may call on a Js: the runtime's function and what it may raise
MATH: dict[str, tuple[str, tuple[str, ...]]] = {
    "exp": ("exp", ("OverflowError",)),
    "log": ("log", ("ValueError",)),
    "sqrt": ("sqrt", ("ValueError",)),
    "sin": ("sin", ("ValueError",)),
    "cos": ("cos", ("ValueError",)),
    "tanh": ("Math.tanh", ()),
}
ORIGINAL_MATH: dict[Callable[..., Any], str] = {getattr(math, name): name for name in MATH}
FLOAT_READERS = {engine._power.__code__}  # the functions whose float(y) of a Js is understood


def literal(x: float) -> Tree:
    """A number as a tree: its shortest repr, which JavaScript reads as the same double."""
    if math.isnan(x):
        return ("num", "NaN")
    if math.isinf(x):
        return ("num", "Infinity" if x > 0 else "-Infinity")
    return ("num", repr(float(x)))


class Js(Written):
    """A JavaScript expression that a rule computes with, as it would with a float."""

    __slots__ = ("size", "tree")

    def __init__(self, tree: Tree, size: int = 0) -> None:
        if type(tree) is not tuple:
            self.refused("make a number of its type, type(x)(...)")  # in a rule, where the type is no float's
        self.tree, self.size = tree, size  # size: its operators, to cut a long sum into lines

    def __repr__(self) -> str:
        """In a message (f"got {x!r}", ValueError("bad", x)): as str(x); outside a rule's run, the tree."""
        run = _current.run
        return f"Js({self.tree!r})" if run is None else run.marker(self.tree)

    def __format__(self, spec: str) -> str:
        """In a message (f"got {x}"): a marker that the message's parts read back as x's number."""
        return _run().marker(self.tree)

    def __str__(self) -> str:
        return _run().marker(self.tree)

    def written(self, symbol: str, left: object, right: object) -> Js:
        """left symbol right; a division and a power as Python computes them, with the errors they raise."""
        if symbol == "/":
            return _divided(left, right)
        if symbol == "**":
            return _power(left, right)
        return _arithmetic(symbol, left, right)

    def __neg__(self) -> Js:
        return Js(("neg", self.tree), self.size + 1)

    def __pos__(self) -> Js:
        return self

    def __abs__(self) -> Js:
        return _called("Math.abs", (), self)

    def __gt__(self, other: object) -> Condition:
        return Condition(("cmp", ">", self.tree, tree_of(other)))

    def __ge__(self, other: object) -> Condition:
        return Condition(("cmp", ">=", self.tree, tree_of(other)))

    def __lt__(self, other: object) -> Condition:
        return Condition(("cmp", "<", self.tree, tree_of(other)))

    def __le__(self, other: object) -> Condition:
        return Condition(("cmp", "<=", self.tree, tree_of(other)))

    def __eq__(self, other: object) -> Condition:  # type: ignore[override]
        return Condition(("cmp", "===", self.tree, tree_of(other)))

    def __ne__(self, other: object) -> Condition:  # type: ignore[override]
        return Condition(("cmp", "!==", self.tree, tree_of(other)))

    __hash__ = Written.__hash__  # defining __eq__ would set it to None: hashing is refused as a step

    def __bool__(self) -> bool:
        """`if x:` as Python reads a float: x is not zero (NaN is true)."""
        return _run().decide(("cmp", "!==", self.tree, literal(0.0)))

    def refuse(self) -> None:
        _note_refusal()

    def __float__(self) -> float:
        if sys._getframe(1).f_code not in FLOAT_READERS:
            self.refused("read it as a float, which is understood only in the engine's _power")
        integer = _run().decide(("call", "Number.isInteger", self.tree))
        return _run().stand_in(self.tree, integer)

    def written_op(self, op: engine.Op, operands: tuple[Any, ...]) -> Js:
        """An op applied inside a rule (LOG(x) in the slope of c ** x): its value rule, written out here."""
        if not op.has_rules:
            self.refused(f"apply the op {op.name!r}, which has no rules to write out")
        return as_js(traced(op.value)(*operands))


class Condition:
    """A comparison of a Js; testing it is a decision of the run."""

    __slots__ = ("tree",)

    def __init__(self, tree: Tree) -> None:
        self.tree = tree

    def __bool__(self) -> bool:
        return _run().decide(self.tree)


def tree_of(x: object) -> Tree:
    """A Js's tree, a stand-in float's tree, or a Python float or int as a literal; TypeError for anything
    else (a numpy float64 too, a float whose arithmetic is numpy's: np.float64(1.0) / 0.0 is inf)."""
    if isinstance(x, Js):
        return x.tree
    if type(x) not in (int, float):
        _note_refusal()
        raise TypeError(f"a rule written out as JavaScript computes with or gives {x!r}: no Python float or int")
    number = float(x)  # type: ignore[arg-type]  # an int or a float, as its type says
    return _run().stand_ins.get(number) or literal(number)


def as_js(x: object) -> Js:
    return x if isinstance(x, Js) else Js(tree_of(x))


def _arithmetic(symbol: str, left: object, right: object) -> Js:
    a, b = as_js(left), as_js(right)
    return _spilled(Js(("bin", symbol, a.tree, b.tree), a.size + b.size + 1))


def _divided(left: object, right: object) -> Js:
    """left / right: a division by a number other than 0 as it is; by a Js, with the decision "raises"."""
    tree_of(left), tree_of(right)  # numbers JavaScript computes with as Python does, before 0 is tested
    if not isinstance(right, Js):
        if float(right) == 0:  # type: ignore[arg-type]
            raise ZeroDivisionError("float division by zero")
        return _arithmetic("/", left, right)
    return _called("div", ("ZeroDivisionError",), left, right)


def _power(base: object, exponent: object) -> Js:
    """base ** exponent as Python computes it for floats (runtime: pow), which may raise either error."""
    tree_of(base), tree_of(exponent)  # numbers JavaScript computes with as Python does, before they are tested
    raises: tuple[str, ...] = ("ZeroDivisionError", "OverflowError")
    if not isinstance(exponent, Js) and float(exponent) >= 0:  # type: ignore[arg-type]
        raises = ("OverflowError",)  # only 0.0 ** a negative number divides by zero
    return _called("pow", raises, base, exponent)


def _math(name: str, operands: Sequence[object]) -> Js:
    function, raises = MATH[name]
    if len(operands) != 1:
        raise TypeError(f"math.{name} with {len(operands)} arguments is not written out")
    return _called(function, raises, *operands)


def _called(function: str, raises: tuple[str, ...], *operands: object) -> Js:
    """function(operands), after the decision for each error it may raise (True: raise it here)."""
    arguments = [as_js(x) for x in operands]
    trees = tuple(x.tree for x in arguments)
    if raises and _may_be_caught():
        for error in raises:
            if _run().decide(("fails", error, function, *trees), raising=True):
                raise _raised(error)
    return _spilled(Js(("call", function, *trees), sum(x.size for x in arguments) + 1))


def _may_be_caught() -> bool:
    """Whether an exception raised here may be caught by the rule: some frame between here and the
    run is inside a try (or with) block. Where none is, the error would end the run, as the
    runtime's helper ends the JavaScript, so the decision is not made (nor its path run)."""
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_code is not _ended.__code__:
        if any(start <= frame.f_lasti < end for start, end in _handled_ranges(frame.f_code)):
            return True
        frame = frame.f_back
    return False


@functools.cache
def _handled_ranges(code: types.CodeType) -> tuple[tuple[int, int], ...]:
    """The instructions of `code` that a handler covers (CPython's exception table; all, where unknown)."""
    parse = getattr(dis, "_parse_exception_table", None)
    if parse is None:
        return ((0, sys.maxsize),)
    return tuple((entry.start, entry.end) for entry in parse(code))


def _raised(error: str) -> ArithmeticError | ValueError:
    kinds: dict[str, type[ArithmeticError]] = {"OverflowError": OverflowError, "ZeroDivisionError": ZeroDivisionError}
    raised = kinds.get(error, ValueError)(f"the decision {error}")
    raised.js_decision = True  # type: ignore[union-attr]  # the rule's merged tree drops it if uncaught
    return raised


def _spilled(code: Js) -> Js:
    run = _current.run
    if code.size <= LONGEST or run is None:
        return code
    return Js(("name", run.spills.name(code.tree)))


# -- one run of a rule along a path ---------------------------------------------------------------


class Spills:
    """The long expressions of one node's rule, each named once (the same in every run), in order."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.names: dict[Tree, str] = {}

    def name(self, tree: Tree) -> str:
        if tree not in self.names:
            self.names[tree] = f"{self.prefix}{len(self.names)}"
        return self.names[tree]

    @property
    def lines(self) -> list[tuple[str, Tree]]:
        return [(name, tree) for tree, name in self.names.items()]


class _Run:
    """One run of a rule: it answers decisions from `path`, True past its end, and records them."""

    def __init__(self, path: list[bool], spills: Spills) -> None:
        self.path, self.spills = path, spills
        self.conditions: list[tuple[Tree, bool]] = []  # each decision's condition and whether it raises
        self.position = 0
        self.known: dict[Tree, bool] = {}
        self.stand_ins: dict[float, Tree] = {}
        self.markers: list[Tree] = []
        self.refused = False  # whether the rule took a step a Js refuses (see Written), caught or not

    def decide(self, condition: Tree, raising: bool = False) -> bool:
        if condition in self.known:
            return self.known[condition]
        if self.position == MAX_RUNS:  # a loop on a traced value (while x > 1.0: x = x / 2.0) would not end
            self.refused = True
            raise TypeError(f"the rule decides more than {MAX_RUNS} times on one path")
        if self.position == len(self.path):
            self.path.append(True)
        answer = self.path[self.position]
        self.conditions.append((condition, raising))
        self.position += 1
        self.known[condition] = answer
        return answer

    def stand_in(self, tree: Tree, integer: bool) -> float:
        """A float that stands for `tree` (an integer one where the run decided it is an integer)."""
        k = len(self.stand_ins)
        number = float(2**62 + 2**12 * k) if integer else 2.0**40 + k + 0.5
        self.stand_ins[number] = tree
        return number

    def marker(self, tree: Tree) -> str:
        self.markers.append(tree)
        return f"\x00{len(self.markers) - 1}\x00"

    def message(self, text: str) -> tuple[str | Tree, ...]:
        """A message's parts: its text, and the tree where a Js was formatted into it."""
        pieces = text.split("\x00")
        return tuple(self.markers[int(p)] if i % 2 else p for i, p in enumerate(pieces) if p or i % 2)


class _Current(threading.local):
    run: _Run | None = None


_current = _Current()  # the run under way in this thread


def formatted(text: Callable[[], str]) -> tuple[str | Tree, ...]:
    """The parts of a message made with Js in it (the engine's wording of an error for a node)."""
    run = _Run([], Spills(""))
    _current.run = run
    try:
        return run.message(text())
    finally:
        _current.run = None


def unmarked(text: str) -> str:
    """A message made while a rule ran (a TypeError of its own naming repr(x)), with each traced value's
    marker (see Js.__str__) read as words, for a message that has no number to put there."""
    return re.sub("\x00\\d+\x00", "<a traced value>", text)


def _note_refusal() -> None:
    """Note, for the run under way, that its rule took a step a Js refuses (see _ended)."""
    if _current.run is not None:
        _current.run.refused = True


def _run() -> _Run:
    if _current.run is None:
        raise TypeError("a traced value is used outside the run of a rule")
    return _current.run


# -- exploring every path, and joining the results ------------------------------------------------


@dataclass
class Leaf:
    """A run's end: its results (trees), or the exception it raised."""

    results: tuple[Tree, ...] = ()
    error: tuple[str, tuple[str | Tree, ...]] | None = None  # Python's class name, the message's parts
    from_decision: bool = False  # raised by a decision "raises" (and not caught)


@dataclass
class Decision:
    condition: Tree
    raising: bool
    branches: dict[bool, Decision | Leaf] = field(default_factory=dict)


def explore(rule: Callable[[], Sequence[object]], spills: Spills) -> Decision | Leaf:
    """Every path of `rule` (which gives a sequence of numbers), as a tree of decisions.

    TypeError where the rule does something a Js cannot (it cannot be written out), or where it has
    more than MAX_RUNS paths."""
    root: Decision | Leaf | None = None
    path: list[bool] = []
    for _ in range(MAX_RUNS):
        run = _Run(path, spills)
        root = _inserted(root, run, _ended(rule, run))
        path = list(run.path[: run.position])
        while path and not path[-1]:
            path.pop()
        if not path:
            assert root is not None
            return root
        path[-1] = False
    raise TypeError(f"the rule has more than {MAX_RUNS} paths to write out")


def _ended(rule: Callable[[], Sequence[object]], run: _Run) -> Leaf:
    """The rule's run to its end: what it gives, or the error it raises where JavaScript can raise it too
    (ArithmeticError, ValueError); a TypeError where it cannot be written out: it took a step a Js refuses
    (even one it caught), or raised anything else (an exception class of its own, AttributeError)."""
    _current.run = run
    try:
        leaf = Leaf(tuple(tree_of(x) for x in rule()))
    except (ArithmeticError, ValueError) as error:
        named = (type(error).__name__, run.message(str(error)))
        leaf = Leaf(error=named, from_decision=getattr(error, "js_decision", False))
    except TypeError:
        raise  # in its own words: a step a Js refuses, or one Python refuses on any number
    except Exception as error:
        raise TypeError(f"it raises {type(error).__name__} on a traced value") from None
    finally:
        _current.run = None
    if run.refused:
        raise TypeError("it catches the error of a step the written JavaScript cannot take")
    return leaf


def _inserted(root: Decision | Leaf | None, run: _Run, leaf: Leaf) -> Decision | Leaf:
    """The tree of decisions with one more run: its decisions, each with its answer, then its leaf."""
    decisions = run.conditions
    if not decisions:
        return leaf
    root = root or Decision(*decisions[0])
    node = root
    for depth, (condition, _) in enumerate(decisions):
        assert isinstance(node, Decision) and node.condition == condition, "a rule decided differently on one path"
        answer = run.path[depth]
        if depth + 1 == len(decisions):
            node.branches[answer] = leaf
        else:
            node = node.branches.setdefault(answer, Decision(*decisions[depth + 1]))
    return root


def merged(node: Decision | Leaf, count: int, most: int = 0) -> list[Tree]:
    """The first `count` results of every path, joined into one expression each; a path may give `most`
    results (a local derivative for each plain number too, which is not kept), else a TypeError."""
    while isinstance(node, Decision) and _dropped(node):
        node = node.branches[False]
    if isinstance(node, Leaf):
        if node.error is not None:
            return [("fail", node.error[0], *node.error[1])] * count
        if len(node.results) not in (count, most):
            raise TypeError(f"a rule gave {engine.counted(len(node.results), 'result')} on a path, where {count} fit")
        return list(node.results[:count])
    yes, no = merged(node.branches[True], count, most), merged(node.branches[False], count, most)
    return [choose(node.condition, a, b) for a, b in zip(yes, no, strict=True)]


def _dropped(node: Decision) -> bool:
    """A decision "raises" whose error the rule did not catch: the runtime's helper raises it."""
    raised = node.branches.get(True)
    return node.raising and isinstance(raised, Leaf) and raised.from_decision


HEADS = {"bin": 2, "cmp": 2, "neg": 1, "call": 2, "fails": 3, "if": 1, "fail": 2}  # what comes before the subtrees


def choose(condition: Tree, a: Tree, b: Tree) -> Tree:
    """condition ? a : b, with the condition pushed in where a and b differ, so that branches do not
    multiply: where they differ by one pair of subexpressions (wherever it occurs), that pair alone
    is chosen, x + (c ? 0 : m) rather than c ? x + 0 : x + m, and exp(z - (c ? z1 : z0)) each time
    max(z) is used; where they differ in one operand only, the choice goes into it."""
    if a == b:
        return a
    pairs: set[tuple[Tree, Tree]] = set()
    _differences(a, b, pairs)
    if len(pairs) == 1:
        ((x, y),) = pairs
        return _generalized(a, b, ("if", condition, x, y))
    if _same_shape(a, b):
        differing = [i for i in range(HEADS[a[0]], len(a)) if a[i] != b[i]]
        if len(differing) == 1:
            i = differing[0]
            return (*a[:i], choose(condition, a[i], b[i]), *a[i + 1 :])
    return ("if", condition, a, b)


def _same_shape(a: Tree, b: Tree) -> bool:
    if not (isinstance(a, tuple) and isinstance(b, tuple)):
        return False  # a message's text
    head = HEADS.get(a[0])
    return head is not None and len(a) == len(b) and a[:head] == b[:head]


def _differences(a: Tree, b: Tree, pairs: set[tuple[Tree, Tree]]) -> None:
    """The pairs of subexpressions where a and b differ (it stops looking past two)."""
    if a == b or len(pairs) > 1:
        return
    if not _same_shape(a, b):
        pairs.add((a, b))
        return
    for x, y in zip(a[HEADS[a[0]] :], b[HEADS[a[0]] :], strict=True):
        _differences(x, y, pairs)


def _generalized(a: Tree, b: Tree, choice: Tree) -> Tree:
    """a, with `choice` where a and b differ (by the one pair of subexpressions in `choice`)."""
    if a == b:
        return a
    if not _same_shape(a, b):
        return choice
    head = HEADS[a[0]]
    return (*a[:head], *(_generalized(x, y, choice) for x, y in zip(a[head:], b[head:], strict=True)))


# -- the rule's functions, with math writing itself out ----------------------------------------


def traced(value: Any) -> Any:
    """What a rule reads from its globals while it is written out: math and its functions as writers
    of JavaScript, a function as a copy reading its globals so, anything else as it is."""
    if value is math:
        return _TRACED_MATH
    if isinstance(value, types.BuiltinFunctionType) and value in ORIGINAL_MATH:
        return _dispatching(ORIGINAL_MATH[value], value)
    if isinstance(value, functools.partial):
        return functools.partial(traced(value.func), *value.args, **value.keywords)
    if isinstance(value, types.FunctionType):
        return _copied(value)
    return value


class TracedGlobals(dict[str, Any]):
    """A module's globals as its functions read them while a rule is written out (see `traced`)."""

    def __init__(self, module: dict[str, Any]) -> None:
        super().__init__()
        self.module = module

    def __getitem__(self, name: str) -> Any:
        return traced(self.module[name])  # a KeyError: Python then looks in the builtins


_COPIES: weakref.WeakKeyDictionary[types.FunctionType, types.FunctionType] = weakref.WeakKeyDictionary()
_GLOBALS: dict[int, TracedGlobals] = {}


def _copied(function: types.FunctionType) -> types.FunctionType:
    if function not in _COPIES:
        module = function.__globals__
        globals_ = _GLOBALS.setdefault(id(module), TracedGlobals(module))
        copy = types.FunctionType(
            function.__code__, globals_, function.__name__, function.__defaults__, function.__closure__
        )
        copy.__kwdefaults__ = function.__kwdefaults__
        _COPIES[function] = copy
    return _COPIES[function]


def _dispatching(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def dispatching(*arguments: Any) -> Any:
        if any(isinstance(x, Js) for x in arguments):
            return _math(name, arguments)
        return original(*arguments)

    return dispatching


_TRACED_MATH = types.SimpleNamespace(
    **{name: _dispatching(name, f) if name in MATH else f for name, f in vars(math).items() if not name.startswith("_")}
)
