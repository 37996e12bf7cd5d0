"""A long compiled program, run in parts.

Python compiles a function as a whole and holds about 2 KB for each of its lines while it does:
compile_backprop's program for a graph of 80,000 values (380,000 lines) takes about a gigabyte at
once, a graph of a million values more memory than most machines have. A program
longer than ONE_FUNCTION_AT_MOST lines is therefore run as its function's body cut between
statements into parts of about PART_LINES lines, each a function compiled on its own (its memory
freed once it is) and called in turn. A part keeps its names as local variables, as the whole
function would; a name that two parts use is handed from one to the next in a list:

    def part(_v):
        v3, dE_dv3, = _v[12], _v[40],     # the shared names this part uses, as earlier parts left them
        ...the part's lines...
        _v[40], _v[41], = dE_dv3, v9,     # the shared names it sets, for the parts after it

The source stays the one the program is written as (`def backprop(leaves): ...`, ending in `return
<name>`), and each part's lines keep their numbers, so an error is located on the source's line.
Measured by `python -m bench.compile_size` (a chain of 80,000 values, 380,008 lines; three runs): as
one function, compile_backprop took 6.9-8.0 s and 990 MB at its peak, a run 19-22 ms; in parts,
13.7-14.2 s and 342 MB, a run 26-42 ms (handing names on costs time too); backward() 58-84 ms.
"""

from __future__ import annotations

import dis
import re
from collections.abc import Callable, Iterable
from types import CodeType
from typing import Any

ONE_FUNCTION_AT_MOST = 300_000  # lines (about 800 MB to compile as one function); bench.run's program has 100,000
PART_LINES = 10_000  # lines a part has, or a few more to end on a whole statement
_INDENT = " " * 4  # a line of the function's body, as compile_backprop writes it
_GOES_ON = re.compile(r"(elif|else|except|finally)\b|#|\s|$")  # a line that starts no statement of the body's own

Span = tuple[int, int]  # where a part starts and ends in the body


def in_parts(source: str, namespace: dict[str, Any], filename: str) -> Callable[[Any], float]:
    """The program `source`, a function backprop(leaves) ending in `return <name>`, as a function that
    calls its parts in turn; `namespace` holds what the program reads besides its own names (math, ...)."""
    lines = source.removesuffix("\n").split("\n")  # as Python reads it: not at a \u2028 inside a comment
    if not (lines[0] == "def backprop(leaves):" and lines[-1].startswith(f"{_INDENT}return ")):
        raise ValueError("a compiled program starts with def backprop(leaves): and ends with return <name>")
    body = [line.removeprefix(_INDENT) for line in lines[1:-1]]
    returned = lines[-1].removeprefix(f"{_INDENT}return ").strip()
    spans, names = _cut(body, filename)
    slots = _slots(names, returned)
    handed_on = _unused("_v", names)
    parts = [
        _part(body, span, used, slots, handed_on, namespace, filename) for span, used in zip(spans, names, strict=True)
    ]

    def backprop(leaves: Any) -> float:
        shared: list[Any] = [None] * len(slots)
        namespace["leaves"] = leaves
        for part in parts:
            part(shared)
        return shared[slots[returned]]  # type: ignore[no-any-return]

    return backprop


class _Names:
    """The names of a part: those it sets (as a function, its local variables, with those an inner scope
    of a template reads, a comprehension's or a lambda's), those it deletes (a template's `del t`), and
    every name it uses (with attribute names, leaves[0].data's data, which are harmless to hand on)."""

    def __init__(self, function: CodeType, deletes: bool) -> None:
        self.set = frozenset(function.co_varnames + function.co_cellvars)
        self.used = self.set.union(function.co_names, *(c.co_names + c.co_freevars for c in _nested(function)))
        deleting = dis.get_instructions(function) if deletes else ()  # read only where a line may delete: it is slow
        self.deleted = frozenset(i.argval for i in deleting if i.opname.startswith("DELETE_"))


def _nested(code: CodeType) -> list[CodeType]:
    """Every code object inside code, at any depth."""
    return [inner for c in code.co_consts if isinstance(c, CodeType) for inner in (c, *_nested(c))]


def _cut(body: list[str], filename: str) -> tuple[list[Span], list[_Names]]:
    """Where the parts start and end in the body, and the names of each. A cut that falls inside a
    statement (an op's template may write one over several lines, the last starting a line with ")")
    makes the part's last statement a syntax error: the part then runs on to the next statement. A
    syntax error before its last statement is the program's own, and raised."""
    spans, names = [], []
    start = 0
    while start < len(body):
        end = _statement_from(body, start + PART_LINES)
        while True:
            try:
                names.append(_names_of(body[start:end], filename))
                break
            except SyntaxError as error:
                last = max((i for i in range(start, end) if _GOES_ON.match(body[i]) is None), default=start)
                if end >= len(body) or (error.lineno or 0) - 2 < last - start:  # the def is the part's line 1
                    raise _numbered(error, start) from None
                end = _statement_from(body, end + 1)
        spans.append((start, end))
        start = end
    return spans, names


def _numbered(error: SyntaxError, start: int) -> SyntaxError:
    """The syntax error of a part that starts at line `start` of the body, its lines numbered as in the source."""
    if error.lineno is not None:
        error.lineno += start
    if error.end_lineno is not None:
        error.end_lineno += start
    return error


def _statement_from(body: list[str], k: int) -> int:
    """The first line at or after k that starts a statement of the body's own (not one inside an if,
    an elif, else, except or finally going on from the one above, nor a comment), or the body's end."""
    return next((i for i in range(k, len(body)) if _GOES_ON.match(body[i]) is None), len(body))


def _names_of(lines: list[str], filename: str) -> _Names:
    text = "def part():\n" + "\n".join(_INDENT + line for line in lines)
    function = next(c for c in compile(text, filename, "exec").co_consts if isinstance(c, CodeType))
    return _Names(function, deletes=_DEL.search(text) is not None)


_DEL = re.compile(r"\bdel\b")  # the word del: compile_backprop writes it nowhere, a template may


def _slots(names: list[_Names], returned: str) -> dict[str, int]:
    """A place in the handed-on list for each name that one part sets and another uses, and for the name
    returned. A part takes every shared name it uses and gives back each it sets: a name set on one
    branch of an if only (sigmoid's _e) is handed on as it was, set or not."""
    parts_using: dict[str, int] = {}
    for part in names:
        for name in part.used:
            parts_using[name] = parts_using.get(name, 0) + 1
    setting = frozenset().union(*(part.set for part in names))
    shared = sorted(name for name, count in parts_using.items() if count > 1 and name in setting)
    return {name: k for k, name in enumerate(dict.fromkeys([*shared, returned]))}


def _unused(name: str, names: list[_Names]) -> str:
    """`name`, or with underscores after it, so that no part uses it (an op's template may use _v)."""
    while any(name in part.used for part in names):
        name += "_"
    return name


def _part(
    body: list[str],
    span: Span,
    names: _Names,
    slots: dict[str, int],
    handed_on: str,
    namespace: dict[str, Any],
    filename: str,
) -> Callable[[list[Any]], None]:
    """A part as a function of the handed-on list, its lines numbered as in the source."""
    start, end = span
    taken = sorted(names.used & slots.keys())
    given = sorted((names.set - names.deleted) & slots.keys())  # a name deleted is a template's own, not handed on
    header = [f"def part({handed_on}):"]
    if taken:
        header.append(f"{_INDENT}{_listed(taken)} = {_listed(f'{handed_on}[{slots[name]}]' for name in taken)}")
    lines = [_INDENT + line for line in body[start:end]]
    if given:
        lines.append(f"{_INDENT}{_listed(f'{handed_on}[{slots[name]}]' for name in given)} = {_listed(given)}")
    code = compile("\n".join(header + lines), filename, "exec")
    defined: dict[str, Any] = {}
    # the part's first line is the source's line start + 2, after the def on line 1
    exec(_renumbered(code, start + 1 - len(header)), namespace, defined)  # the program compile_backprop wrote
    return defined["part"]  # type: ignore[no-any-return]


def _renumbered(code: CodeType, shift: int) -> CodeType:
    """code, and the code inside it, with every line number `shift` further on."""
    inner = tuple(_renumbered(c, shift) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_firstlineno=code.co_firstlineno + shift, co_consts=inner)


def _listed(items: Iterable[str]) -> str:
    """Names or places as one side of an assignment: "a, b," (a tuple, however many)."""
    return ", ".join(items) + ","
