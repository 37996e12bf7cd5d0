"""How an operation is written: its symbol in a drawing and its expression in a derivation.

Each op's symbol, and how a binary op with a plain-number operand reads ("× 2", "2 −"), are in
its record (`autograd.engine.Op`), so the drawing and `explain` know every op, nn's losses too.
"""

from __future__ import annotations

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


def expression(v: Value, names: dict[Value, str], limit: int | None = MAX_EXPRESSION) -> str | None:
    """What v computes, in terms of the `names` of the values it is made from, e.g. "a*b + b**2".

    None when an operand has no name or the text would be longer than `limit`.
    """
    operands = v.operands
    binary = v.op in SPELLED and len(operands) == 2
    parts = []
    for k, operand in enumerate(operands):
        if not isinstance(operand, Value):
            parts.append(constant(operand) if operand >= 0 or not binary else f"({constant(operand)})")
            continue
        if operand not in names:
            return None
        name = names[operand]
        tight = binary and (_binds_looser(operand, v.op, right=k == 1) or _reads_as_two(name, v.op))
        parts.append(f"({name})" if tight else name)
    if v.operation in (DOT, DOT_PLUS_CONSTANT):
        text = _dot(v, parts)
    elif binary:
        spaced = " " if v.op in ("+", "-") else ""
        text = f"{parts[0]}{spaced}{SPELLED[v.op]}{spaced}{parts[1]}"
    elif v.op == "neg" and len(parts) == 1:
        loose = _binds_looser(v.children[0], "*", right=True) or _reads_as_two(parts[0], "*")
        text = f"-({parts[0]})" if loose else f"-{parts[0]}"
    else:
        text = f"{v.op}({', '.join(parts)})"
    return text if limit is None or len(text) <= limit else None


def _dot(v: Value, parts: list[str]) -> str:
    """A dot node b + u1 v1 + ... + un vn as "u1·v1 + ... + un·vn + b" ("+ b" left out where b is the
    number 0, "- 0.5" for the number -0.5), from its operands' parts in the record's order: (b, u...,
    v...) or (u..., v..., b)."""
    bias, factors = (parts[0], parts[1:]) if v.operation is DOT else (parts[-1], parts[:-1])
    factors = [f"({part})" if " " in part or part.startswith("-") else part for part in factors]
    n = len(factors) // 2
    text = " + ".join(f"{u}·{x}" for u, x in zip(factors[:n], factors[n:], strict=True))
    if bias in ("0", "-0"):
        return text
    return f"{text} - {bias[1:]}" if bias.startswith("-") else f"{text} + {bias}"


PRECEDENCE = {"+": 1, "-": 1, "dot": 1, "*": 2, "/": 2, "neg": 2, "**": 3}  # a dot node is written as a sum


def _binds_looser(operand: Value, op: str, right: bool) -> bool:
    """Whether `operand`, written as an operand of `op`, needs parentheses."""
    if operand.label or not operand.op or operand.op not in PRECEDENCE:
        return False
    inner, outer = PRECEDENCE[operand.op], PRECEDENCE[op]
    if op == "**":
        return inner <= outer if not right else inner < outer
    return inner < outer or (inner == outer and right and op in NON_COMMUTATIVE)


def _reads_as_two(name: str, op: str) -> bool:
    """Whether a name with a space in it ("learning rate") would read as two operands beside `op`, an op
    written without spaces (learning rate*b; + and − are written with them). A space inside parentheses, as
    in tanh(a + b), is inside one operand."""
    if op in ("+", "-"):
        return False
    depth = 0
    for c in name:
        depth += (c == "(") - (c == ")")
        if depth == 0 and c.isspace():
            return True
    return False
