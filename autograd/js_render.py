"""JavaScript text from the expression trees of `autograd.js_trace`, and strings safe where they land.

Parentheses go only where JavaScript would read the expression otherwise: a + b + c is (a + b) + c,
so a right side of the same level keeps them (float addition is not associative), a negative
number is written (-2.5), and a minus before a minus is -(-x) (--x is JavaScript's decrement).
`cond ? a : b` is always in parentheses. Text (messages, op names) is written as a JSON string
with every non-ASCII character and every "<" escaped, so it ends no <script> element it lands in.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from autograd.js_trace import Tree

CONDITIONAL, EQUALITY, RELATIONAL, SUM, PRODUCT, UNARY, ATOM = range(7)
LEVELS = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT, "===": EQUALITY, "!==": EQUALITY}


def string(text: str) -> str:
    """text as a JavaScript string literal that is also safe inside an HTML <script> element."""
    return json.dumps(text, ensure_ascii=True).replace("<", "\\u003c")


def render(tree: Tree) -> str:
    return _rendered(tree)[0]


def _rendered(tree: Tree) -> tuple[str, int]:
    """The text of `tree` and how tightly it binds."""
    kind = tree[0]
    if kind == "num":
        text = tree[1]
        return (f"({text})" if text.startswith("-") else text), ATOM
    if kind == "name":
        return tree[1], ATOM
    if kind == "bin" or kind == "cmp":
        symbol, left, right = tree[1:]
        level = LEVELS.get(symbol, RELATIONAL)
        return f"{_wrapped(left, level)} {symbol} {_wrapped(right, level + 1)}", level
    if kind == "neg":
        inner, level = _rendered(tree[1])
        return ("-" + (inner if level >= UNARY and not inner.startswith("-") else f"({inner})")), UNARY
    if kind == "call":
        return f"{tree[1]}({', '.join(map(render, tree[2:]))})", ATOM
    if kind == "fails":
        return f"fails({string(tree[1])}, {', '.join([tree[2], *map(render, tree[3:])])})", ATOM
    if kind == "if":
        return f"({render(tree[1])} ? {render(tree[2])} : {render(tree[3])})", ATOM
    if kind == "fail":
        return f"fail({string(tree[1])}, {message(tree[2:])})", ATOM
    raise ValueError(f"not an expression tree: {tree!r}")


def _wrapped(tree: Tree, level: int) -> str:
    text, own = _rendered(tree)
    return text if own >= level else f"({text})"


def guarded(tree: Tree) -> tuple[list[str], Tree]:
    """`c ? x : fail(...)` as the statement `if (!(c)) fail(...);` and then x, for each such check
    that comes first: the checks read in the order the rule makes them."""
    guards = []
    while tree[0] == "if" and "fail" in (tree[2][0], tree[3][0]):
        condition, passed, failed = tree[1:]
        if passed[0] == "fail":
            guards.append(f"if ({render(condition)}) {render(passed)};")
            tree = failed
        else:
            guards.append(f"if (!({render(condition)})) {render(failed)};")
            tree = passed
    return guards, tree


def message(parts: Iterable[str | Tree]) -> str:
    """A message as JavaScript: its text as strings, each number in it as py(x), Python's way of writing it."""
    pieces = [string(p) if isinstance(p, str) else f"py({render(p)})" for p in parts]
    return " + ".join(pieces) if pieces else '""'


# -- common subexpressions ------------------------------------------------------------------------


def hoisted(trees: list[Tree], prefix: str) -> tuple[list[tuple[str, Tree]], list[Tree]]:
    """Names for the expressions that `trees` compute more than once, and the trees using the names.

    A repeated expression is named where one of its uses is computed whatever the branches (not
    inside a `cond ? a : b`), so that naming it computes nothing the trees would not; the largest
    is named first. The definitions come in an order where each uses only those before it.
    """
    definitions: list[tuple[str, Tree]] = []
    while True:
        repeated = _repeated(trees + [tree for _, tree in definitions])
        if not repeated:
            return _ordered(definitions), trees
        target = max(repeated, key=_size)
        name = ("name", f"{prefix}{len(definitions)}")
        trees = [_replaced(tree, target, name) for tree in trees]
        definitions = [(n, _replaced(tree, target, name)) for n, tree in definitions]
        definitions.append((name[1], target))


def _repeated(trees: list[Tree]) -> list[Tree]:
    counts: Counter[Tree] = Counter()
    surely: set[Tree] = set()
    for tree in trees:
        _count(tree, counts, surely, True)
    return [tree for tree, n in counts.items() if n > 1 and tree in surely]


def _count(tree: Tree, counts: Counter[Tree], surely: set[Tree], computed: bool) -> None:
    """Count each compound subexpression; `surely` gets those computed whatever the branches."""
    if tree[0] in ("num", "name"):
        return
    if tree[0] == "fail":  # its message is computed only where it is raised
        for part in tree[2:]:
            if isinstance(part, tuple):
                _count(part, counts, surely, False)
        return
    counts[tree] += 1
    if computed:
        surely.add(tree)
    if tree[0] == "if":
        _count(tree[1], counts, surely, computed)
        _count(tree[2], counts, surely, False)
        _count(tree[3], counts, surely, False)
        return
    start = {"bin": 2, "cmp": 2, "neg": 1, "call": 2, "fails": 3}[tree[0]]
    for part in tree[start:]:
        _count(part, counts, surely, computed)


def _replaced(tree: Tree, target: Tree, name: Tree) -> Tree:
    if tree == target:
        return name
    if tree[0] in ("num", "name"):
        return tree
    return tuple(_replaced(part, target, name) if isinstance(part, tuple) else part for part in tree)


def _size(tree: Tree) -> int:
    return 1 + sum(_size(part) for part in tree if isinstance(part, tuple) and part and isinstance(part[0], str))


def _ordered(definitions: list[tuple[str, Tree]]) -> list[tuple[str, Tree]]:
    """The definitions, each after those whose names it uses."""
    trees = dict(definitions)
    done: list[tuple[str, Tree]] = []
    placed: set[str] = set()

    def place(name: str) -> None:
        if name in placed:
            return
        placed.add(name)
        for used in _names(trees[name]):
            if used in trees:
                place(used)
        done.append((name, trees[name]))

    for name, _ in definitions:
        place(name)
    return done


def _names(tree: Tree) -> set[str]:
    if tree[0] == "name":
        return {tree[1]}
    return {n for part in tree if isinstance(part, tuple) and part and isinstance(part[0], str) for n in _names(part)}
