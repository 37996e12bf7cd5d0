"""Compiled backprop: a recorded graph written out as straight-line Python over floats.

    program = compile_backprop(loss, leaves=model.parameters())
    print(program.source)      # the forward and backward pass, one line a value or an edge
    for step in range(100):
        model.zero_grad()
        loss_value = program()  # reads each leaf's data, adds dE/dleaf into its grad, as backward() does
        ...update the parameters...

The graph is recorded once; each call replays it with the leaves' current values. Every line
is the engine's own arithmetic in the engine's order (the same float operations, the same
branches of relu and sigmoid, the / and ** of the engine itself), so the numbers are the
eager engine's to the last bit. As in backward(), a node of many edges whose gradient is 0 (a
dead relu's net input) is passed over: `if dE_dnet != 0.0 or not math.isfinite(...)`. Values in
the graph that are not among `leaves` are constants of the program. The names are the graph's
labels: dE_dw5 += dnet_o1_dw5 * dE_dnet_o1 (and dE_db1 += dE_dnet_h1 where the local derivative is 1).

An op made with `make_node` compiles when it registers its kernel, the function that computes
its value and local derivatives from numbers, with `register_kernel`; the compiled line calls
that same function, as nn's losses do: `E, (dE_do1_local, ...) = hinge([o1, ...], [1.0, ...])`.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable, Sequence

from autograd.engine import Value, _div, _pow, topological_order

TEMPLATES = "+ - * / ** neg exp log tanh sigmoid relu sum dot"
Kernel = Callable[[list[float], list[float]], tuple[float, Sequence[float]]]
KERNELS: dict[str, Kernel] = {}


def register_kernel(op: str, kernel: Kernel) -> None:
    """Compile nodes made by `op` (with make_node) as a call of `kernel(values, constants)`: the
    numbers of the node's Value operands and of its plain-number operands, each in operand order,
    giving (its value, its local derivatives in the order of its children). Eager code that makes
    such nodes should compute them with the same kernel, so that both agree to the bit."""
    KERNELS[op] = kernel


class CompiledBackprop:
    """The generated program: call it to run a forward and backward pass over the leaves' values."""

    def __init__(self, source: str, leaves: list[Value]) -> None:
        self.source = source
        self.leaves = leaves
        namespace: dict[str, object] = {"math": math, "_div": _div, "_pow": _pow, "_kernels": KERNELS}
        namespace.update(inf=math.inf, nan=math.nan)  # as repr() writes them
        exec(compile(source, "<compiled backprop>", "exec"), namespace)
        self._run: Callable[[list[Value]], float] = namespace["backprop"]  # type: ignore[assignment]

    def __call__(self) -> float:
        """The root's value; each leaf's grad has its d(root)/d(leaf) added."""
        return self._run(self.leaves)


def compile_backprop(root: Value, leaves: Sequence[Value]) -> CompiledBackprop:
    """Record root's graph as Python (see the module docstring); `leaves` are the values that change."""
    if not isinstance(root, Value):
        raise TypeError(
            f"compile_backprop() needs the Value to differentiate (such as a loss), got {type(root).__name__}"
        )
    order = topological_order(root)
    inputs = list(dict.fromkeys(leaves))
    known = set(order)
    for leaf in inputs:
        if not isinstance(leaf, Value) or leaf.op:
            raise TypeError(
                f"compile_backprop() leaves must be Values made directly (parameters, inputs), got {leaf!r}"
            )
    names = _names(order)
    top = names[root]
    lines = ["def backprop(leaves):"]
    lines += [f"    {names[leaf]} = leaves[{i}].data" for i, leaf in enumerate(inputs) if leaf in known]
    lines += [f"    {names[v]} = {v.data!r}  # a constant" for v in order if not v.op and v not in inputs]
    lines.append("    # forward: each value, and the local derivatives of its edges")
    slopes: dict[Value, list[str]] = {}
    for v in order:
        if v.op:
            computed, slopes[v] = _forward(v, names, top)
            lines += [f"    {line}" for line in computed]
    lines.append("    # backward: the chain rule, edge by edge, from the root back")
    lines += [f"    d{top}_d{names[v]} = 0.0" for v in order if v.op]
    lines += [f"    d{top}_d{names[leaf]} = leaves[{i}].grad" for i, leaf in enumerate(inputs) if leaf in known]
    lines.append(f"    d{top}_d{top} += 1.0")
    changing = set(inputs)
    for v in reversed(order):
        if v.op:
            lines += _edges(v, slopes[v], [bool(child.op) or child in changing for child in v.children], names, top)
    lines += [f"    leaves[{i}].grad = d{top}_d{names[leaf]}" for i, leaf in enumerate(inputs) if leaf in known]
    lines.append(f"    return {top}")
    return CompiledBackprop("\n".join(lines) + "\n", inputs)


def _names(order: list[Value]) -> dict[Value, str]:
    """A Python name for each value: its label made an identifier (w1[2,1] -> w1_2_1), else v<index>."""
    names: dict[Value, str] = {}
    taken = {"math", "leaves", "backprop", "inf", "nan"}  # the helpers start with _; no name made here does
    for i, v in enumerate(order):
        name = re.sub(r"\W+", "_", v.label).strip("_") if v.label else ""
        if not name.isidentifier() or keyword.iskeyword(name) or name in taken:
            name = f"{name}_{i}" if name.isidentifier() and not keyword.iskeyword(name) else f"v{i}"
        taken.add(name)
        names[v] = name
    return names


SKIP_FROM = 8  # a node of this many edges or more is passed over when its gradient is 0


def _edges(v: Value, slopes: list[str], kept: list[bool], names: dict[Value, str], root: str) -> list[str]:
    """The chain rule along v's edges to its kept children: dE_dchild += dv_dchild * dE_dv. As in
    backward(), a node of many edges (SKIP_FROM) is passed over when its gradient is 0 and its local
    derivatives are finite (their sum is): its edges would add only zeros."""
    upstream = f"d{root}_d{names[v]}"
    lines = [
        f"d{root}_d{names[child]} += {_times(slope, upstream)}"
        for child, slope, keep in zip(v.children, slopes, kept, strict=True)
        if keep
    ]
    if len(lines) < SKIP_FROM:
        return [f"    {line}" for line in lines]
    finite = all(_is_finite_number(slope) for slope in slopes)
    condition = f"{upstream} != 0.0" + ("" if finite else f" or not math.isfinite({' + '.join(slopes)})")
    return [f"    if {condition}:", *(f"        {line}" for line in lines)]


def _times(slope: str, upstream: str) -> str:
    """slope * upstream, written as upstream alone where the slope is 1 (the same float, to the bit)."""
    return upstream if slope == "1.0" else f"{slope} * {upstream}"


def _is_finite_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:  # a name
        return False


def _local(v: Value, k: int, names: dict[Value, str], root: str) -> str:
    """The name of d(v)/d(child k), computed in the forward pass: dnet_o1_dw5 (dnet_o1_d2 for a repeated
    child; dE_do1_local for an edge of the root E, whose gradients are dE_d...)."""
    child = v.children[k]
    name = f"d{names[v]}_d{names[child]}" if v.children.count(child) == 1 else f"d{names[v]}_d{k}"
    return f"{name}_local" if names[v] == root else name


def _forward(v: Value, names: dict[Value, str], root: str) -> tuple[list[str], list[str]]:
    """The lines that compute v exactly as the engine does, and the local derivative of each edge: a
    name or a number where it is one (dnet_o1/dw5 is h1), else a variable the lines compute."""
    out = names[v]
    operands = [names[x] if isinstance(x, Value) else repr(x) for x in v.operands]
    op, values = v.op, [isinstance(x, Value) for x in v.operands]
    if op in ("+", "-", "*") and len(operands) == 2:
        a, b = operands
        slopes = {"+": ["1.0", "1.0"], "-": ["1.0", "-1.0"], "*": [b, a]}[op]
        return [f"{out} = {a} {op} {b}"], [s for s, is_value in zip(slopes, values, strict=True) if is_value]
    locals_ = [_local(v, k, names, root) for k in range(len(v.children))]
    if op in ("/", "**") and len(operands) == 2:
        helper = "_div" if op == "/" else "_pow"
        slopes = [s for s, is_value in zip(["_dx", "_dy"], values, strict=True) if is_value]
        lines = [f"{out}, _dx, _dy = {helper}({operands[0]}, {operands[1]}, {values[1]})"]
        return lines + [f"{d} = {s}" for d, s in zip(locals_, slopes, strict=True)], locals_
    if op == "sum":
        return [f"{out} = 0.0 + {' + '.join(operands)}" if operands else f"{out} = 0.0"], ["1.0"] * len(locals_)
    if op == "dot":
        bias, pairs = operands[0], list(zip(operands[1::2], operands[2::2], strict=True))
        slopes = ["1.0"] if values[0] else []
        for (w, xi), w_value, x_value in zip(pairs, values[1::2], values[2::2], strict=True):
            slopes += ([xi] if w_value else []) + ([w] if x_value else [])
        return [f"{out} = {' + '.join([bias, *(f'{w} * {xi}' for w, xi in pairs)])}"], slopes
    if op in UNARY and len(v.children) == 1 and len(v.operands) == 1:
        return [line.format(out=out, x=operands[0], d=locals_[0]) for line in UNARY[op]], locals_
    if op in KERNELS:
        numbers = [name for name, is_value in zip(operands, values, strict=True) if is_value]
        constants = [name for name, is_value in zip(operands, values, strict=True) if not is_value]
        call = f"_kernels[{op!r}]([{', '.join(numbers)}], [{', '.join(constants)}])"
        unpacked = ", ".join(locals_) + ("," if len(locals_) == 1 else "")
        return [f"{out}, ({unpacked}) = {call}"], locals_
    raise ValueError(
        f"compile_backprop() has no template for the op {op!r}{f' ({v.label})' if v.label else ''}: it compiles "
        f"the engine's ops ({TEMPLATES}) and ops with a kernel (register_kernel); others run eagerly with backward()"
    )


UNARY = {  # each op's value {out} and local derivative {d} from its operand {x}, as the engine computes them
    "neg": ["{out} = -{x}", "{d} = -1.0"],
    "exp": ["{out} = math.exp({x})", "{d} = {out}"],
    "log": ["{out} = math.log({x})", "{d} = 1.0 / {x}"],
    "tanh": ["{out} = math.tanh({x})", "{d} = 1.0 - {out} * {out}"],
    "sigmoid": [
        "if {x} >= 0:",
        "    {out} = 1.0 / (1.0 + math.exp(-{x}))",
        "else:",
        "    _e = math.exp({x})",
        "    {out} = _e / (1.0 + _e)",
        "{d} = {out} * (1.0 - {out})",
    ],
    "relu": [
        "if {x} > 0:",
        "    {out}, {d} = {x}, 1.0",
        "elif {x} <= 0:",
        "    {out}, {d} = 0.0, 0.0",
        "else:",
        "    {out}, {d} = {x}, {x}",
    ],
}
