"""How an operation is written: its symbol in a drawing and its expression in a derivation.

Each op's symbol, and how a binary op with a plain-number operand reads ("× 2", "2 −"), are in
its record (`autograd.engine.Op`), so the drawing and `explain` know every op, nn's losses too.
"""

from __future__ import annotations

from collections.abc import Mapping

from autograd.engine import DOT, DOT_PLUS_CONSTANT, Value

NON_COMMUTATIVE = {"-", "/", "**"}
ROLES = ("a", "b")  # the two operands of a non-commutative op: "a − b", "a ÷ b", "a ** b"
SPELLED = {"+": "+", "-": "-", "*": "*", "/": "/", "**": "**"}
MAX_EXPRESSION = 24  # longer expressions are not spelled out in derivations


def symbol(v: Value) -> str:
    """The symbol of the op that made v: "×", "σ", "w·x+b"."""
    op = v.operation
    return (op.symbol or op.name) if op else ""


def operation(v: Value) -> str:
    """The text of v's operation node: "× 2" and "2 −" for a constant operand, "a − b" for two Values."""
    op = v.operation
    if op is not None and op.written and len(v.arguments) == 2:
        return op.written.format(c=constant(float(v.arguments[1])))
    if v.op in NON_COMMUTATIVE and len(v.children) == 2:
        return f"{ROLES[0]} {symbol(v)} {ROLES[1]}"
    return symbol(v)


def roles(v: Value) -> tuple[str, ...]:
    """For each edge into v, its operand's role ("a" or "b") where the order matters, else ""."""
    if v.op in NON_COMMUTATIVE and len(v.children) == 2:
        return ROLES
    return ("",) * len(v.children)


def constant(x: float) -> str:
    """A constant as written: 2 rather than 2.0."""
    return f"{x:g}"


def expression(
    v: Value, names: dict[Value, str], limit: int | None = MAX_EXPRESSION, numbers: Mapping[int, str] | None = None
) -> str | None:
    """What v computes, in terms of the `names` of the values it is made from, e.g. "a*b + b**2".
    `numbers` names plain-number operands by their place in v.arguments (the record's order), where a
    name stands for the number ("x1" for an input the live page can change); others are written out.

    None when an operand has no name or the text would be longer than `limit`.
    """
    operands = v.operands
    binary = v.op in SPELLED and len(operands) == 2
    written_out = binary or v.op == "neg" or v.operation in (DOT, DOT_PLUS_CONSTANT)  # not f(a, b)
    numbers_first = v.operation is not None and v.operation.constant_first  # operands: v.arguments, numbers first
    parts = []
    for k, operand in enumerate(operands):
        if not isinstance(operand, Value):
            named = (numbers or {}).get((k + len(v.children)) % len(operands) if numbers_first else k)
            if named is not None:
                parts.append(in_derivative(named) if written_out else named)
            else:
                parts.append(constant(operand) if operand >= 0 or not binary else f"({constant(operand)})")
            continue
        if operand not in names:
            return None
        name = names[operand]
        grouped = binary and not _plain(name) and _binds_looser(operand, v.op, right=k == 1)  # a name needs none
        parts.append(f"({name})" if grouped or (written_out and _loose_name(operand, name)) else name)
    if v.operation in (DOT, DOT_PLUS_CONSTANT):
        text = _dot(v, parts)
    elif binary:
        spaced = " " if v.op in ("+", "-") else ""
        text = f"{parts[0]}{spaced}{SPELLED[v.op]}{spaced}{parts[1]}"
    elif v.op == "neg" and len(parts) == 1:
        text = f"-({parts[0]})" if _negated_in_parentheses(v.children[0], parts[0]) else f"-{parts[0]}"
    else:
        text = f"{v.op}({', '.join(parts)})"
    return text if limit is None or len(text) <= limit else None


def _loose_name(operand: Value, name: str) -> bool:
    """Whether `name` is the operand's own name (its label, or a leaf's) and no plain one: a name such as
    "learning rate", "a+b" or "-x" is put in parentheses as an operand, as it is in a derivative."""
    return (bool(operand.label) or not operand.op) and not _plain(name) and not _in_parentheses(name)


def _negated_in_parentheses(operand: Value, text: str) -> bool:
    """Whether -x writes x in parentheses: x computed by an infix op or a dot (-(a*b), not -a*b, which is
    also how (-a)*b reads), a name that is no plain one, or a text that starts with a minus (-(-a))."""
    computed = not operand.label and operand.op in PRECEDENCE
    return computed or text.startswith("-") or (" " in text and not _in_parentheses(text))


def _dot(v: Value, parts: list[str]) -> str:
    """A dot node b + u1 v1 + ... + un vn as "u1·v1 + ... + un·vn + b" ("+ b" left out where b is the
    number 0, "- 0.5" for the number -0.5), from its operands' parts in the record's order: (b, u...,
    v...) or (u..., v..., b)."""
    bias, factors = (parts[0], parts[1:]) if v.operation is DOT else (parts[-1], parts[:-1])
    factors = [f"({part})" if _spaced_or_negative(part) else part for part in factors]
    n = len(factors) // 2
    text = " + ".join(f"{u}·{x}" for u, x in zip(factors[:n], factors[n:], strict=True))
    if bias in ("0", "-0"):
        return text
    return f"{text} - {bias[1:]}" if bias.startswith("-") else f"{text} + {bias}"


def operand_place(node: Value, k: int) -> str:
    """Which operand child k of node is, as the node is written: "operand 2" (counted from the left), or for
    a dot node, written u1·v1 + ... + un·vn + b, "the bias", "term 1", or "term 1, factor 2" where both
    factors of the term are one value (x·x)."""
    if node.operation not in (DOT, DOT_PLUS_CONSTANT):
        numbers_first = node.operation is not None and node.operation.constant_first
        return f"operand {k + 1 + (len(node.arguments) - len(node.children) if numbers_first else 0)}"
    if node.operation is DOT and k == 0:
        return "the bias"
    factors = node.arguments[1:] if node.operation is DOT else node.arguments[:-1]
    n, at = len(factors) // 2, k - 1 if node.operation is DOT else k
    term = f"term {at % n + 1}"
    return f"{term}, factor {at // n + 1}" if factors[at % n] is factors[at % n + n] else term


def _spaced_or_negative(part: str) -> bool:
    """Whether a factor of a dot node is put in parentheses: a sum (a + b), or a negative number or value."""
    return (" " in part or part.startswith("-")) and not _in_parentheses(part)


PRECEDENCE = {"+": 1, "-": 1, "dot": 1, "*": 2, "/": 2, "neg": 2, "**": 3}  # a dot node is written as a sum


def _binds_looser(operand: Value, op: str, right: bool) -> bool:
    """Whether `operand`, written as an operand of `op`, needs parentheses."""
    if operand.label or not operand.op or operand.op not in PRECEDENCE:
        return False
    inner, outer = PRECEDENCE[operand.op], PRECEDENCE[op]
    if op == "**":
        return inner <= outer if not right else inner < outer
    return inner < outer or (inner == outer and right and op in NON_COMMUTATIVE)


def in_derivative(name: str) -> str:
    """A plain name as it is (w5, net_h1, w1[2,3] with its indices); anything else in parentheses, unless it
    already is in a pair."""
    return name if _plain(name) or _in_parentheses(name) else f"({name})"


def _plain(name: str) -> bool:
    """A name as Python writes one (w5, net_h1, θ; not w², 2w or x'), then at most one [i] or [i,j,...] of
    whole numbers, as nn names a layer's parameters (w1[2,3])."""
    stem, bracket, indices = name.partition("[")
    numbers = indices[:-1].split(",")
    plain_indices = not bracket or (indices.endswith("]") and all(n.isascii() and n.isdecimal() for n in numbers))
    return stem.isidentifier() and plain_indices


def _in_parentheses(name: str) -> bool:
    """Whether the whole name is one pair of parentheses and what it holds: (a b), not (a)(b) or (a) b."""
    depth = 0
    for i, char in enumerate(name):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return i == len(name) - 1 and name.startswith("(")
    return False
