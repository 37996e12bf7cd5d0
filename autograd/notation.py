"""How an operation is written: its symbol in a drawing and its expression in a derivation.

The engine's ops are here; a package that adds ops (nn adds its losses) registers its symbols
with `register_symbol`, so the drawing and `explain` never need to know about it.
"""

from __future__ import annotations

from autograd.engine import Value

SYMBOLS: dict[str, str] = {
    "+": "+",
    "-": "−",
    "*": "×",
    "/": "÷",
    "**": "**",
    "neg": "−x",
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
    "sigmoid": "σ",
    "relu": "relu",
    "dot": "w·x+b",
    "sum": "Σ",
}
NON_COMMUTATIVE = {"-", "/", "**"}
ROLES = ("a", "b")  # the two operands of a non-commutative op: "a − b", "a ÷ b", "a ** b"
SPELLED = {"+": "+", "-": "-", "*": "*", "/": "/", "**": "**"}
MAX_EXPRESSION = 24  # longer expressions are not spelled out in derivations


def register_symbol(op: str, symbol: str) -> None:
    """Draw nodes made by `op` with `symbol` (for ops defined outside the engine)."""
    SYMBOLS[op] = symbol


def symbol(op: str) -> str:
    return SYMBOLS.get(op, op)


def operation(v: Value) -> str:
    """The text of v's operation node: "× 2" and "2 −" for a constant operand, "a − b" for two Values."""
    operands = v.operands
    if v.op in SPELLED and len(operands) == 2:
        left, right = operands
        sign = symbol(v.op)
        if not isinstance(right, Value):
            return f"{sign} {constant(right)}"
        if not isinstance(left, Value):
            return f"{sign} {constant(left)}" if v.op not in NON_COMMUTATIVE else f"{constant(left)} {sign}"
        if v.op in NON_COMMUTATIVE:
            return f"{ROLES[0]} {sign} {ROLES[1]}"
    return symbol(v.op)


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
    binary = v.op in SPELLED and len(v.operands) == 2
    parts = []
    for k, operand in enumerate(v.operands):
        if not isinstance(operand, Value):
            parts.append(constant(operand) if operand >= 0 or not binary else f"({constant(operand)})")
            continue
        if operand not in names:
            return None
        tight = binary and _binds_looser(operand, v.op, right=k == 1)
        parts.append(f"({names[operand]})" if tight else names[operand])
    if binary:
        spaced = " " if v.op in ("+", "-") else ""
        text = f"{parts[0]}{spaced}{SPELLED[v.op]}{spaced}{parts[1]}"
    elif v.op == "neg" and len(parts) == 1:
        text = f"-({parts[0]})" if _binds_looser(v.children[0], "*", right=True) else f"-{parts[0]}"
    else:
        text = f"{v.op}({', '.join(parts)})"
    return text if limit is None or len(text) <= limit else None


PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 2, "**": 3}


def _binds_looser(operand: Value, op: str, right: bool) -> bool:
    """Whether `operand`, written as an operand of `op`, needs parentheses."""
    if operand.label or not operand.op or operand.op not in PRECEDENCE:
        return False
    inner, outer = PRECEDENCE[operand.op], PRECEDENCE[op]
    if op == "**":
        return inner <= outer if not right else inner < outer
    return inner < outer or (inner == outer and right and op in NON_COMMUTATIVE)
