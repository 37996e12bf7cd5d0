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
Measured by `python -m bench.compile_size` (a chain of 80,000 values, 380,000 lines): as one
function, compile_backprop took 7.4 s and 990 MB at its peak, a run 14 ms; in parts, 13.4 s and
335 MB, a run 38 ms (handing the names on costs about as much as the lines), backward() 53-69 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from types import CodeType
from typing import Any

ONE_FUNCTION_AT_MOST = 300_000  # lines (about 800 MB to compile as one function); bench.run's program has 100,000
PART_LINES = 10_000  # lines a part has, or a few more to end on a whole statement
_INDENT = " " * 4  # a line of the function's body, as compile_backprop writes it
_CONTINUING = ("elif ", "elif(", "else:", "except", "finally:")  # lines that go on the statement above them

Span = tuple[int, int]  # where a part starts and ends in the body


def in_parts(source: str, namespace: dict[str, Any], filename: str) -> Callable[[Any], float]:
    """The program `source`, a function backprop(leaves) ending in `return <name>`, as a function that
    calls its parts in turn; `namespace` holds what the program reads besides its own names (math, ...)."""
    lines = source.splitlines()
    if not (lines[0] == "def backprop(leaves):" and lines[-1].startswith(f"{_INDENT}return ")):
        raise ValueError("a compiled program starts with def backprop(leaves): and ends with return <name>")
    body = [line.removeprefix(_INDENT) for line in lines[1:-1]]
    returned = lines[-1].removeprefix(f"{_INDENT}return ").strip()
    spans, names = _cut(body, filename)
    slots = _slots(names, returned)
    parts = [_part(body, span, used, slots, namespace, filename) for span, used in zip(spans, names, strict=True)]

    def backprop(leaves: Any) -> float:
        handed_on: list[Any] = [None] * len(slots)
        namespace["leaves"] = leaves
        for part in parts:
            part(handed_on)
        return handed_on[slots[returned]]  # type: ignore[no-any-return]

    return backprop


class _Names:
    """The names a part sets (as a function, its local variables) and those it reads without setting
    them (with attribute names, leaves[0].data's data, which are harmless to hand on)."""

    def __init__(self, code: CodeType) -> None:
        self.set = frozenset(code.co_varnames)
        self.used = self.set | frozenset(code.co_names)


def _cut(body: list[str], filename: str) -> tuple[list[Span], list[_Names]]:
    """Where the parts start and end in the body, and the names of each. A cut that falls inside a
    statement (an op's template may write one over several lines) makes the part a syntax error: it
    then runs on to the next place a statement starts."""
    spans, names = [], []
    start = 0
    while start < len(body):
        end = _statement_from(body, start + PART_LINES)
        while True:
            try:
                names.append(_names_of(body[start:end], filename))
                break
            except SyntaxError:
                if end >= len(body):
                    raise
                end = _statement_from(body, end + 1)
        spans.append((start, end))
        start = end
    return spans, names


def _statement_from(body: list[str], k: int) -> int:
    """The first line at or after k that starts a statement of the body's own (not one inside an if,
    nor an elif, else, except or finally going on from the one above), or the body's end."""
    for i in range(k, len(body)):
        line = body[i]
        if line and not line[0].isspace() and not line.startswith(_CONTINUING):
            return i
    return len(body)


def _names_of(lines: list[str], filename: str) -> _Names:
    module = compile("def part():\n" + "\n".join(_INDENT + line for line in lines), filename, "exec")
    return _Names(next(c for c in module.co_consts if isinstance(c, CodeType)))


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


def _part(
    body: list[str], span: Span, names: _Names, slots: dict[str, int], namespace: dict[str, Any], filename: str
) -> Callable[[list[Any]], None]:
    """A part as a function of the handed-on list, its lines numbered as in the source."""
    start, end = span
    taken, given = sorted(names.used & slots.keys()), sorted(names.set & slots.keys())
    header = ["def part(_v):"]
    if taken:
        header.append(f"{_INDENT}{_listed(taken)} = {_listed(f'_v[{slots[name]}]' for name in taken)}")
    lines = [_INDENT + line for line in body[start:end]]
    if given:
        lines.append(f"{_INDENT}{_listed(f'_v[{slots[name]}]' for name in given)} = {_listed(given)}")
    # blank lines first, so that the part's first line is the source's line start + 2 (the def is line 1)
    text = "\n" * (start + 1 - len(header)) + "\n".join(header + lines)
    defined: dict[str, Any] = {}
    exec(compile(text, filename, "exec"), namespace, defined)  # the program compile_backprop wrote
    return defined["part"]  # type: ignore[no-any-return]


def _listed(items: Any) -> str:
    """Names or places as one side of an assignment: "a, b," (a tuple, however many)."""
    return "".join(f"{item}, " for item in items).rstrip()
