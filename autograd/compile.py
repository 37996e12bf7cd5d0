"""Compiled backprop: a recorded graph written out as straight-line Python over floats.

    program = compile_backprop(loss, leaves=model.parameters())
    print(program.source)      # the forward and backward pass, one line a value or an edge
    for step in range(100):
        model.zero_grad()
        loss_value = program()  # reads each leaf's data, adds dE/dleaf into its grad, as backward() does
        ...update the parameters...

The graph is recorded once; each call replays it with the leaves' current values. Each node's
lines come from its op's record (`autograd.engine.Op`): its value and local derivatives are run
on the names of variables instead of numbers, which writes them out as the same float operations
in the same order (`y = math.tanh(v3)`, `dy_dv3_local = 1.0 - y * y`), so the numbers are the eager
engine's to the last bit. An op whose rule branches on a number is written from the template in
its record (relu, sigmoid) or, without one, calls its record's own functions at run time (log,
**, nn's hinge, an Op of your own that branches). For an op other than the engine's own (whose
records give floats), what may not be a float (what its record's functions give, a power that may
be complex, a math function that gives an int) is checked as the eager engine checks it: another
real number becomes the float nearest it, a complex number is refused in the engine's words. An
error of a line is named with the line and its values; an error of a record's own function is the
eager engine's error, in its words.
Values in the graph that are not among `leaves` are constants of the program. The names are the
graph's labels: dE_dw5 += h1 * dE_dnet_o1.

A node of many edges whose gradient is 0 (a dead relu's net input) is passed over, where that
changes no bit of the result: its edges would each add a zero. Every name the program makes is
unique as Python reads it, whatever the labels, and a sum too long for one expression is cut into
lines (_s1 = ..., then _s1 + ...) in the same order.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from operator import attrgetter, countOf
from types import TracebackType
from typing import Any

from autograd import engine, in_parts
from autograd.engine import (
    BACKWARD_LOCK,
    Op,
    Value,
    checked_locals,
    domain_error,
    locals_of,
    real,
    real_attribute,
    refuse_no_graph,
    refuse_own_backward,
    rule_result,
    topological_order,
    value_of,
)
from autograd.expression import Written
from autograd.labels import check_labels, on_one_line
from autograd.legacy import register_kernel

__all__ = ["CompiledBackprop", "compile_backprop", "register_kernel"]


class CompiledBackprop:
    """The generated program: call it to run a forward and backward pass over the leaves' values."""

    def __init__(self, source: str, leaves: list[Value], ops: list[Op], read: Sequence[Value] | None = None) -> None:
        self.source = source
        self.leaves = leaves
        self._read = leaves if read is None else list(read)  # the leaves in the graph: the program reads these
        namespace: dict[str, object] = {
            "math": math,
            "_ops": ops,
            "_no_negative_zero": _no_negative_zero,
            "_value": _value,
            "_local": _local,
            "_real": _real,
        }
        self._run: Callable[[list[Value]], float]
        if source.count("\n") > in_parts.ONE_FUNCTION_AT_MOST:  # too long to compile as one function
            self._run = in_parts.in_parts(source, namespace, _FILE)
        else:
            exec(compile(source, _FILE, "exec"), namespace)
            self._run = namespace["backprop"]  # type: ignore[assignment]

    def __call__(self) -> float:
        """The root's value; each leaf's grad has its d(root)/d(leaf) added."""
        try:
            with BACKWARD_LOCK:  # as backward() does: threads running it, or sharing its leaves, take turns
                return self._replay()
        except (OverflowError, ZeroDivisionError, ValueError) as error:
            located = _located(error, self.source)
            if located is None:
                raise
            raise located from error

    def _replay(self) -> float:
        leaves, read = self.leaves, self._read
        floats = countOf(map(type, map(_DATA, read)), float) + countOf(map(type, map(_GRAD, read)), float)
        if floats == 2 * len(read):
            return self._run(leaves)
        # a number set as data or grad that is not a float: the program reads stand-ins holding floats
        reading = set(read)
        stand_ins = [_ReadAsFloats(leaf) if leaf in reading else leaf for leaf in leaves]
        root = self._run(stand_ins)  # type: ignore[arg-type]  # they have the data and grad the program reads
        for leaf, stand_in in zip(leaves, stand_ins, strict=True):
            leaf.grad = stand_in.grad
        return root


_FILE = "<compiled backprop>"  # the file name of the program's code, in tracebacks


def _located(error: ArithmeticError | ValueError, source: str) -> ArithmeticError | ValueError | None:
    """An overflow, a division by zero or a math function's domain error in the program, naming its line,
    the values of the names there and Python's message, as the eager engine names the op and its
    operands (None where the error did not come from the program's own lines, came from a call of an
    op's record, whose errors are in the engine's words already, or is a ValueError of words of its own)."""
    frames = [tb for tb in _tracebacks(error.__traceback__) if tb.tb_frame.f_code.co_filename == _FILE]
    if not frames or (isinstance(error, ValueError) and not domain_error(error)) or _in_a_record(frames[-1]):
        return None
    lines = source.split("\n")  # as Python counts them (splitlines() would also split at a \u2028 in a comment)
    line, local = lines[frames[-1].tb_lineno - 1].strip(), frames[-1].tb_frame.f_locals
    names = dict.fromkeys(re.findall(r"(?<![.\w])(?!\d)\w+", line))  # not math.exp's exp, nor 1e5's e5
    values = [f"{name} = {local[name]!r}" for name in names if type(local.get(name)) is float]
    where = f", where {', '.join(values)}" if values else ""
    errno = len(error.args) == 2 and type(error.args[0]) is int  # (34, 'Numerical result out of range'): its text
    said = error.args[1] if errno else str(error)
    if isinstance(error, ValueError):
        return ValueError(f"compile_backprop()'s program has no real value in {line}{where} ({said})")
    if isinstance(error, ZeroDivisionError):
        return ZeroDivisionError(f"compile_backprop()'s program divides by zero in {line}{where} ({said})")
    return OverflowError(f"compile_backprop()'s program overflows in {line}{where} ({said})")


def _in_a_record(line: TracebackType) -> bool:
    """Whether the error came from a call of an op's record (_value, _local) or a check of what it gave
    (_real) on the program's line: those name the op and its operands in the engine's words already."""
    called = line.tb_next
    return called is not None and called.tb_frame.f_code in _RECORD_CALLS


def _tracebacks(tb: TracebackType | None) -> Iterator[TracebackType]:
    while tb is not None:
        yield tb
        tb = tb.tb_next


_DATA, _GRAD = attrgetter("data"), attrgetter("grad")


class _ReadAsFloats:
    """A leaf's data and grad as backward() reads them: an int, a Fraction or a numpy number as the float
    nearest it (the program computes with floats, to the eager engine's bits), anything else refused."""

    __slots__ = ("data", "grad")

    def __init__(self, leaf: Value) -> None:
        needs = "compile_backprop()'s program needs"
        self.data, self.grad = real_attribute(leaf, "data", needs), real_attribute(leaf, "grad", needs)


def compile_backprop(root: Value, leaves: Iterable[Value]) -> CompiledBackprop:
    """Record root's graph as Python (see the module docstring); `leaves` are the values that change."""
    if not isinstance(root, Value):
        raise TypeError(
            f"compile_backprop() needs the Value to differentiate (such as a loss), got {type(root).__name__}"
        )
    if isinstance(leaves, Value) or not isinstance(leaves, Iterable):
        raise _no_list_of_leaves(leaves)
    inputs = list(dict.fromkeys(leaves))
    for leaf in inputs:
        if not isinstance(leaf, Value) or leaf.op:
            raise TypeError(
                f"compile_backprop() leaves must be Values made directly (parameters, inputs), got {leaf!r}"
            )
    order = topological_order(root)
    check_labels(order, "compile_backprop()")
    for v in order:
        refuse_own_backward(v, "compile_backprop()")
        refuse_no_graph(v, root, "compile_backprop()")
    known = set(order)
    read = [(i, leaf) for i, leaf in enumerate(inputs) if leaf in known]
    changing = set(inputs)
    names = _names(order, root)
    top = names[root]
    ops: list[Op] = []
    lines = ["def backprop(leaves):"]
    lines += [f"    {names[leaf]} = leaves[{i}].data" for i, leaf in read]
    lines += [
        f"    {names[v]} = {_literal(real(v.data, f'compile_backprop(): the constant {names[v]}'))}  # a constant"
        for v in order
        if not _computed(v) and v not in changing
    ]
    lines.append("    # forward: each value, and the local derivatives of its edges")
    slopes: dict[Value, list[str]] = {}
    spills = _Spills()
    for v in order:
        if _computed(v):
            computed, slopes[v] = _forward(v, names, top, ops, spills)
            lines += [f"    {line}" for line in computed]
    lines.append("    # backward: the chain rule, edge by edge, from the root back")
    lines += [f"    d{top}_d{names[v]} = 0.0" for v in order if _computed(v) or (v is root and v not in changing)]
    lines += [f"    d{top}_d{names[leaf]} = leaves[{i}].grad" for i, leaf in read]
    chain = [f"    d{top}_d{top} += 1.0"]
    for v in reversed(order):
        if _computed(v):
            kept = [_computed(child) or child in changing for child in v.children]
            chain += _edges(v, slopes[v], kept, names, top)
    if any("_may_skip" in line for line in chain):
        lines.append("    _may_skip = _no_negative_zero(leaves)  # a -0.0 grad would become +0.0 by adding a zero")
    lines += chain
    lines += [f"    leaves[{i}].grad = d{top}_d{names[leaf]}" for i, leaf in read]
    lines.append(f"    return {top}")
    return CompiledBackprop("\n".join(lines) + "\n", inputs, ops, [leaf for _, leaf in read])


def _computed(v: Value) -> bool:
    """Whether v is computed in the program: made by an op (a leaf that is not among its leaves is a
    constant of it; a value made under no_grad(), which keeps no graph, is refused as backward() refuses it)."""
    return bool(v.arguments)


def _no_list_of_leaves(leaves: object) -> TypeError:
    """The error of leaves given as one Value, a model or anything else that is no list of Values."""
    if callable(getattr(leaves, "parameters", None)):
        return TypeError(
            f"compile_backprop(root, leaves) needs the leaves as a list of Values, got a model "
            f"({type(leaves).__name__}): pass its parameters, compile_backprop(loss, model.parameters())"
        )
    return TypeError(
        f"compile_backprop(root, leaves) needs the leaves as a list of Values, got {leaves!r}; "
        f"for one, compile_backprop(root, [x])"
    )


def _no_negative_zero(leaves: list[Value]) -> bool:
    """Whether no leaf's grad is -0.0: then every gradient starts from +0.0 or a number, and adding
    a zero changes no bit of it, so a node whose edges would each add a zero can be passed over."""
    return "-0.0" not in (str(v.grad) for v in leaves)


RESERVED = {"math", "leaves", "backprop", "_ops", "_may_skip", "_no_negative_zero", "_e"} | set(dir(builtins))
# the program's own names, and Python's builtins, which its lines and an op's code template may call (abs, min)


def _names(order: list[Value], root: Value) -> dict[Value, str]:
    """A Python name for each value: its label made an identifier (w1[2,1] -> w1_2_1), else v<its index>.

    Every name the program makes (the values', each dE_d<value>, each local derivative's) is unique as
    Python reads names (after NFKC normalisation: 𝐱 is x), and none is one of the program's own or a
    builtin (a leaf labelled abs would hide abs()). A label whose name would meet another is given up
    for v<index>, until none meets another.
    """
    index = {v: i for i, v in enumerate(order)}
    wanted = {v: _identifier(v.label) for v in order}
    while True:
        names = {v: wanted[v] or f"v{index[v]}" for v in order}
        clashing = [v for v in _clashing(order, names, root) if wanted[v]]
        if not clashing:
            return names
        for v in clashing:
            wanted[v] = ""


def _identifier(label: str) -> str:
    """The label as a Python name, as Python will read it (NFKC), or "" where it makes none."""
    name = re.sub(r"\W+", "_", unicodedata.normalize("NFKC", label)).strip("_")
    return name if name.isidentifier() and not keyword.iskeyword(name) else ""


def _clashing(order: list[Value], names: dict[Value, str], root: Value) -> set[Value]:
    """The values whose names make a name that something else in the program makes too. Each name is
    kept with the first maker met (one tuple, not a set of them: a graph of a million values makes
    millions of names); another maker of it clashes with that one."""
    first_maker: dict[str, tuple[Value, ...]] = dict.fromkeys(RESERVED, ())  # () is the program
    clashing: set[Value] = set()
    top = names[root]
    for v in order:
        made = [(names[v], (v,)), (f"d{top}_d{names[v]}", (v, root))]
        made += [(name, (v, child)) for name, child in zip(_locals(v, names, top), v.children, strict=True)]
        for name, maker in made:
            first = first_maker.setdefault(name if name.isascii() else unicodedata.normalize("NFKC", name), maker)
            if first != maker:
                clashing.update(first, maker)
    return clashing


# -- the forward pass: each node's value and local derivatives, from its op's record --------------


def _forward(
    v: Value, names: dict[Value, str], root: str, ops: list[Op], spills: _Spills
) -> tuple[list[str], list[str]]:
    """The lines that compute v exactly as the engine does, and the local derivative of each edge: a
    name or a number where it is one (dnet_o1/dw5 is h1), else a variable the lines compute."""
    op, out = v.operation, names[v]
    assert op is not None
    if not op.has_rules:
        labelled = f" ({on_one_line(v.label)})" if v.label else ""
        raise ValueError(
            f"compile_backprop() cannot write out the op {op.name!r}{labelled}: it was "
            f"made with make_node() by name; define it as an Op (README: Adding an op), or run it with backward()"
        )
    locals_ = _locals(v, names, root)
    operands = [Code(names[x]) if isinstance(x, Value) else _float(x, op) for x in v.arguments]
    if op.code:
        return [line.format(out=out, x=operands[0], d=locals_[0]) for line in op.code], locals_
    with spills.collecting() as value_parts:
        value = _traced(lambda: op(*operands) if _math_function(op) else op.value(*operands))
    with spills.collecting() as slope_parts:
        derivatives = _traced(lambda: op.local(Code(out), *operands))
    checked = op not in _ENGINES_OWN  # the engine's own records give floats for floats: nothing to check
    if value is None or derivatives is None or (checked and _may_not_be_float(value, *derivatives)):
        ops.append(op)  # read by the lines that call its record or check a number
    record = _Record(f"_ops[{len(ops) - 1}]", ", ".join(map(_operand, operands)), checked)
    note = f"  # {op.name if op.name.isprintable() else repr(op.name)}: its record's own functions"
    # a long sum's parts come each on a line of its own, before the line that uses them
    if value is None:  # its rule branches on a number: its record's own functions
        lines = [f"{out} = {record.value()}{note}"]
    else:
        lines = [*value_parts, f"{out} = {_operand(value)}", *record.kept(out, value, in_local=False)]
    if derivatives is None:
        if locals_:
            lines.append(f"{', '.join(locals_)}, = {record.local(out, len(locals_))}")
        return lines, locals_
    lines += slope_parts
    slopes = []
    for name, derivative in zip(locals_, derivatives, strict=False):  # the numbers' derivatives are not kept
        if isinstance(derivative, Code) and (not derivative.atomic or record.checks(derivative)):
            lines += [f"{name} = {derivative}", *record.kept(name, derivative, in_local=True)]
            slopes.append(name)
        else:
            slopes.append(_operand(derivative))
    return lines, slopes


_ENGINES_OWN = frozenset(v for v in vars(engine).values() if isinstance(v, Op))


def _float(number: object, op: Op) -> float:
    """A plain-number operand as the eager engine reads it for the op's rule: the float nearest it."""
    return real(number, f"an operand of {op.name}()")


def _may_not_be_float(*codes: object) -> bool:
    """Whether any of the codes may give a number other than a float (see Code)."""
    return any(isinstance(code, Code) and code.may_not_be_float for code in codes)


@dataclass(frozen=True)
class _Record:
    """How a program's lines use an op's record (`name`, _ops[k]) on a node's operands (`arguments`),
    where what it gives is `checked` as the eager engine checks an op of one's own (see _real)."""

    name: str
    arguments: str
    checked: bool

    def value(self) -> str:
        """A call of its value function."""
        return f"_value({self.name}, {self.arguments})"

    def local(self, out: str, children: int) -> str:
        """A call of its local function, for the derivatives of its children."""
        return f"_local({self.name}, {children}, {out}, {self.arguments})"

    def checks(self, code: object) -> bool:
        """Whether the code of its value or a local derivative is checked."""
        return self.checked and _may_not_be_float(code)

    def kept(self, name: str, code: object, in_local: bool) -> list[str]:
        """The line that keeps `name`, computed by `code` as its value (or, `in_local`, a local derivative),
        as the eager engine keeps it, where the code may give a number other than a float. A line of its
        own, so that an error of the code names the code's own line."""
        return [f"{name} = _real({name}, {self.name}, {in_local})"] if self.checks(code) else []


def _real(x: object, op: Op, in_local: bool) -> float:
    """An op's value (or local derivative) as the eager engine keeps it: a float, the float nearest
    another real number, or a TypeError in the engine's words ("the value of root() needs a real
    number, got (1.2e-16+2j) (complex)")."""
    return x if type(x) is float else real(x, rule_result(op, in_local))


def _value(op: Op, *numbers: float) -> float:
    """The op's value by its record's own function, as the eager engine gives it: an error of the function in
    the engine's words ("br() overflows for 1000.0"), and the float it keeps (see _real; the engine's own
    records give floats, unchecked, for speed)."""
    out = value_of(op, numbers)
    return out if op in _ENGINES_OWN else _real(out, op, False)  # the engine's own records give floats


def _local(op: Op, children: int, out: float, *numbers: float) -> tuple[float, ...]:
    """The local derivatives of the op's children by its record's own function, as the eager engine gives
    them: an error of the function in its words, floats, one per child (not the plain numbers'), or a clear
    error for a count that does not fit or something other than a tuple or a list."""
    local = locals_of(op, out, numbers)
    return local[:children] if op in _ENGINES_OWN else checked_locals(op, local, children, len(numbers))


_RECORD_CALLS = frozenset(f.__code__ for f in (_value, _local, _real))  # see _in_a_record


def _traced(rule: Callable[[], Any]) -> Any:
    """What a rule gives when run on names: code, or a tuple of code and numbers (local derivatives);
    None where it cannot be written out: it took a step Code refuses (it branches on a number, reads an
    attribute of a float, ...; see Written), even where it caught the error."""
    refusals: list[bool] = []
    noting = _refusals.set(refusals)
    try:
        result = rule()
    except Exception as error:
        if refusals or isinstance(error, TypeError | AttributeError):  # a step on a name, or an error after one
            return None  # the record's own functions take the step at run time
        raise
    finally:
        _refusals.reset(noting)
    return None if refusals else result


_refusals: ContextVar[list[bool] | None] = ContextVar("chainrule_refusals", default=None)  # see _traced


def _refuse() -> None:
    """Note, for _traced, that the rule under way took a step Code refuses."""
    refusals = _refusals.get()
    if refusals is not None:
        refusals.append(True)


@functools.cache
def _gives_floats(function: Callable[..., Any], arity: int) -> bool:
    """Whether a math function gives floats (math.exp does; math.floor gives an int, math.isnan a bool),
    by what it gives for 0.5 or 1.5 (in the domain of each of them; acosh's only 1.5)."""
    for probe in (0.5, 1.5):
        try:
            return type(function(*[probe] * arity)) is float
        except (ArithmeticError, TypeError, ValueError):
            continue
    return False


def _math_function(op: Op) -> bool:
    """Whether the op's value is a function of Python's math module (math.exp, math.tanh)."""
    return getattr(math, getattr(op.value, "__name__", ""), None) is op.value


def _locals(v: Value, names: dict[Value, str], root: str) -> list[str]:
    """The name of d(v)/d(child) for each of v's children, computed in the forward pass: dnet_o1_dw5
    (dnet_o1_d2 for a child that is v's operand twice; dE_do1_local for an edge of the root E, whose
    gradients are dE_d...)."""
    children = v.children
    uses = Counter(children)
    own = names[v]
    suffix = "_local" if own == root else ""
    return [f"d{own}_d{names[child] if uses[child] == 1 else k}{suffix}" for k, child in enumerate(children)]


# -- the backward pass: the chain rule along each edge --------------------------------------------

SKIP_FROM = 8  # a node of this many edges or more is passed over when its gradient is 0


def _edges(v: Value, slopes: list[str], kept: list[bool], names: dict[Value, str], root: str) -> list[str]:
    """The chain rule along v's edges to its kept children: dE_dchild += dv_dchild * dE_dv. A node of
    many edges (SKIP_FROM) is passed over when its gradient is 0 and its local derivatives are finite
    (their sum is, or, for an op whose record says they are finite where its value is, its value is):
    each edge would add a zero (see _no_negative_zero)."""
    upstream = f"d{root}_d{names[v]}"
    lines = [
        f"d{root}_d{names[child]} += {_times(slope, upstream)}"
        for child, slope, keep in zip(v.children, slopes, kept, strict=True)
        if keep
    ]
    if len(lines) < SKIP_FROM:
        return [f"    {line}" for line in lines]
    condition, op = f"{upstream} != 0.0 or not _may_skip", v.operation
    if not all(_is_finite_number(slope) for slope in slopes):
        finite = names[v] if op is not None and op.finite_slopes else f"sum(({', '.join(slopes)},))"
        condition += f" or not math.isfinite({finite})"
    return [f"    if {condition}:", *(f"        {line}" for line in lines)]


def _times(slope: str, upstream: str) -> str:
    """slope * upstream, written as upstream alone where the slope is 1 (the same float, to the bit)."""
    return upstream if slope == "1.0" else f"{slope} * {upstream}"


def _is_finite_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:  # a name
        return False


# -- code: the expressions an op's rule builds when it runs on names ------------------------------

SUM_LEVEL, PRODUCT_LEVEL, UNARY_LEVEL, POWER_LEVEL, ATOM_LEVEL = range(5)
LEVELS = {"+": SUM_LEVEL, "-": SUM_LEVEL, "*": PRODUCT_LEVEL, "/": PRODUCT_LEVEL, "**": POWER_LEVEL}


class Code(Written):
    """A Python expression, with how tightly it binds, so that it is parenthesised only where needed.

    Arithmetic on Code builds the expression that performs it: Code("x") * 2.0 is "x * 2.0". A rule
    that compares or tests a Code (it branches) raises TypeError, and is not written out.
    `may_not_be_float` says that the expression may give a number the eager engine would not keep as it
    is: a complex number, from a power whose base may be negative and exponent fractional (the one float
    operation that gives one). A numpy number on either side of an operator has the rule called as its
    record (see _as_code; numpy defers to Written's operators).
    """

    __slots__ = ("call", "level", "may_not_be_float", "size", "text")

    def __init__(
        self, text: str, level: int = ATOM_LEVEL, call: bool = False, size: int = 0, may_not_be_float: bool = False
    ) -> None:
        if type(text) is not str:
            self.refused("make a number of its type, type(x)(...)")  # in a rule, where the type is no float's
        self.text, self.level, self.call, self.size = text, level, call, size  # size: its operators
        self.may_not_be_float = may_not_be_float

    @property
    def atomic(self) -> bool:
        """A name or a number: used as it is, where anything else is computed once into a variable."""
        return self.level == ATOM_LEVEL and not self.call

    def __str__(self) -> str:
        return self.text

    def refuse(self) -> None:
        _refuse()

    def __bool__(self) -> bool:
        self.refuse()
        raise TypeError  # a rule that branches on a value is not written out (compile calls the record)

    def __eq__(self, other: object) -> bool:
        self.refuse()
        raise TypeError  # x == 0 in a rule branches too, as x > 0 does

    __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = Written.__hash__  # defining __eq__ would set it to None: hashing is refused as a step

    def written(self, symbol: str, left: object, right: object) -> Code:
        return _infix(left, symbol, right)

    def __neg__(self) -> Code:
        negated = f"-{_wrapped(self, UNARY_LEVEL)}"
        return _spilled_if_long(Code(negated, UNARY_LEVEL, size=self.size + 1, may_not_be_float=self.may_not_be_float))

    def __pos__(self) -> Code:
        return self  # +x of a float is x

    def __abs__(self) -> Code:
        """abs(x): a float, of a complex number too (its modulus), as in the eager engine."""
        return _spilled_if_long(Code(f"abs({self.text})", call=True, size=self.size + 1))

    def written_op(self, op: Op, operands: tuple[Any, ...]) -> Code:
        """An op applied to names (as sin's rule calls cos(x)): math.cos(x), where its value is a
        function of Python's math module; another op cannot be written out inside a rule."""
        if not _math_function(op) or _may_not_be_float(*operands) or not _gives_floats(op.value, len(operands)):
            self.refuse()
            raise TypeError  # compile calls the record's own functions instead, which give what the engine does
            # (math.exp of a complex number refused in its words, math.floor's int as a float)
        return Code(f"math.{op.value.__name__}({', '.join(map(_operand, operands))})", call=True)


def _infix(left: object, symbol: str, right: object) -> Code:
    """left symbol right, each side in parentheses where it binds more loosely than Python would read it.
    Python reads a + b + c as (a + b) + c, so a right side of the same level keeps its parentheses
    (float addition is not associative); ** reads right to left, so there it is the left side."""
    level = LEVELS[symbol]
    power = symbol == "**"
    left_code, right_code = _as_code(left), _as_code(right)
    text = f"{_wrapped(left_code, level + power)} {symbol} {_wrapped(right_code, level + (not power))}"
    size = left_code.size + right_code.size + 1
    loose = left_code.may_not_be_float or right_code.may_not_be_float or (power and _fractional_power(left, right))
    return _spilled_if_long(Code(text, level, size=size, may_not_be_float=loose))


def _fractional_power(base: object, exponent: object) -> bool:
    """Whether base ** exponent may be a complex number: the base may be negative and the exponent
    fractional (a number's sign and an exponent's integrality are known where they are not Code)."""
    negative = isinstance(base, Code) or float(base) < 0  # type: ignore[arg-type]
    fractional = isinstance(exponent, Code) or not float(exponent).is_integer()  # type: ignore[arg-type]
    return negative and fractional


LONGEST = 100  # operators in one expression; a longer one (a wide sum) is cut into lines, its order kept


class _Spills:
    """The lines that hold the parts of long expressions, while an op's rule is written out: a sum of
    100,000 terms in one expression would be too deep for Python's compiler."""

    def __init__(self) -> None:
        self.count = 0
        self.lines: list[str] | None = None

    @contextmanager
    def collecting(self) -> Iterator[list[str]]:
        self.lines, collector = [], _spills.set(self)
        try:
            yield self.lines
        finally:
            self.lines = None
            _spills.reset(collector)

    def spill(self, code: Code) -> Code:
        assert self.lines is not None
        self.count += 1
        self.lines.append(f"_s{self.count} = {code.text}")
        return Code(f"_s{self.count}", may_not_be_float=code.may_not_be_float)


# The one collecting while compile_backprop writes out a rule, in this thread or task (two may compile at once)
_spills: ContextVar[_Spills | None] = ContextVar("chainrule_spills", default=None)


def _spilled_if_long(code: Code) -> Code:
    """The code, or, where it has grown past LONGEST operators, a name for it computed on a line before
    (left to right, as the long expression would be: the same float operations in the same order)."""
    spills = _spills.get()
    return spills.spill(code) if code.size > LONGEST and spills is not None else code


def _wrapped(code: Code, level: int) -> str:
    return code.text if code.level >= level else f"({code.text})"


def _as_code(x: object) -> Code:
    """A name, or a number in a rule's arithmetic as a literal: a float or an int, whose arithmetic with a
    float is the float's. Another number (a numpy float32, a Fraction) has arithmetic of its own: the rule
    is then not written out (TypeError), and compile calls the record's functions."""
    if isinstance(x, Code):
        return x
    if type(x) not in (float, int):
        _refuse()
        raise TypeError
    return Code(_literal(float(x)))  # type: ignore[arg-type]


def _literal(x: float) -> str:
    """A float as code that gives that very float: 2.5, (-2.5), math.inf, math.nan."""
    if math.isnan(x):
        return "(-math.nan)" if math.copysign(1.0, x) < 0 else "math.nan"
    text = repr(x) if math.isfinite(x) else "math.inf" if x > 0 else "-math.inf"
    return f"({text})" if text.startswith("-") else text


def _operand(x: object) -> str:
    return str(x) if isinstance(x, Code) else _literal(float(x))  # type: ignore[arg-type]
