"""A recorded graph's forward and backward pass as straight-line JavaScript, for a page to run.

    program = javascript(loss, leaves=model.parameters())
    program.source      # a JavaScript expression whose value is the function backprop
    program.constants   # the plain numbers it lets the caller change (targets, ...)

In the page:

    const backprop = <program.source>;
    const {data, local, grad} = backprop(leafNumbers, constantNumbers);

`backprop(leaves, constants = [])` takes an array of one number per leaf, in the order of
`program.leaves` (the `leaves` given, each once), and an optional array of numbers for the
constants, in the order of `program.constants`, where an entry left out (undefined or null) takes
its recorded number. It returns, numbered as the page numbers the graph:

    data    every node's value, the nodes in `topological_order(root)` (or `order`) order
    local   every edge's local derivative d(node)/d(child), in node order, then child order k
            (the recorder's [local for v in order for local in v.local_grads])
    grad    every node's gradient d(root)/d(node), each starting from 0, the root's 1

A value in the graph that is not among the leaves is a number of the program. A plain-number
operand of a node (the target t in t - o, the c in x * c, a loss's targets) is a constant: an
entry of `program.constants`, which names its node (index in order), its operand (position in
`node.arguments`: the children first, then the numbers) and its recorded value. An op whose rule
uses such a number as a whole number (cross_entropy's classes) keeps it fixed, and it is not
listed.

Each node is written from its op's record, the rules `compile_backprop` writes out as Python:
run on names (autograd.js_trace), so the code does the engine's float operations in the engine's
order, sums left to right, and where the rule branches (relu, sigmoid, log's check, x ** c at 0)
the branches are written as `cond ? a : b`. Values, local derivatives and gradients are the
engine's to the last bit for + - * / (and sums, dots, losses made of them); Math.exp, Math.tanh,
Math.log and Math.pow are V8's, which may differ from the C library's in the last bit. The chain
rule runs as backward() runs it: for each node from the root back, each child's gradient
+= local * the node's gradient, no node passed over.

Where the engine raises, the function throws an Error with the engine's message (log() needs a
positive value, got -1.0; exp() overflows for 1000.0; 1.0 / 0.0: float division by zero), with
`node` (its index) and `op` (its op's name) set. Python's float arithmetic is kept where
JavaScript's differs (Python raises for 1 / 0.0 and 10.0 ** 400.0; 1.0 ** NaN is 1.0): see
javascript_runtime.js. Names in the code are made here (v3, l7, g3, c0), never from labels; an
op's name and a message are JSON strings with "<" escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograd.engine import (
    Op,
    Value,
    op_error,
    refuse_no_graph,
    refuse_own_backward,
    rule_result,
    topological_order,
)
from autograd.js_render import guarded, hoisted, message, render, string
from autograd.js_trace import Js, Spills, Tree, explore, formatted, literal, merged, traced, unmarked

__all__ = ["Constant", "JavaScript", "javascript"]

RUNTIME = Path(__file__).with_name("javascript_runtime.js")
THROWING = {"div", "pow", "exp", "log", "sqrt", "sin", "cos", "fails"}  # the runtime's functions that raise


@dataclass(frozen=True)
class Constant:
    """A plain-number operand the function lets the caller change: node index, operand position, value."""

    node: int
    operand: int
    value: float


@dataclass(frozen=True)
class JavaScript:
    """The generated program: `source` is a JavaScript expression whose value is the function backprop."""

    source: str
    leaves: tuple[Value, ...]
    constants: tuple[Constant, ...]

    def __str__(self) -> str:
        return self.source


def javascript(root: Value, leaves: Sequence[Value] = (), order: Sequence[Value] | None = None) -> JavaScript:
    """root's graph as a JavaScript function of the leaves' numbers and its constants (module docstring).

    `order` numbers the nodes (default: topological_order(root)); it must hold each node of the
    graph once, each after its children.
    """
    if not isinstance(root, Value):
        raise TypeError(f"javascript() needs the Value to differentiate (such as a loss), got {type(root).__name__}")
    nodes = _checked_order(root, order)
    for v in nodes:
        refuse_own_backward(v, "javascript()")
        refuse_no_graph(v, root, "javascript()")
    inputs = tuple(dict.fromkeys(leaves))
    for leaf in inputs:
        if not isinstance(leaf, Value) or leaf.op:
            raise TypeError(f"javascript() leaves must be Values made directly (parameters, inputs), got {leaf!r}")
    return _Writer(nodes, inputs).program()


def _checked_order(root: Value, order: Sequence[Value] | None) -> list[Value]:
    graph = topological_order(root)
    if order is None:
        return graph
    nodes = list(order)
    position = {v: i for i, v in enumerate(nodes)}
    if len(position) != len(nodes) or set(position) != set(graph):
        raise ValueError(
            f"javascript() needs `order` to hold each of the {len(graph)} nodes of root's graph once, "
            f"got {len(nodes)} entries ({len(position)} different, {len(set(position) & set(graph))} of the graph)"
        )
    for v in nodes:
        for child in v.children:
            if position[child] > position[v]:
                raise ValueError(
                    f"javascript() needs `order` to put each node after its children: node {position[v]} "
                    f"({v.op or 'a leaf'}) comes before its child {position[child]}"
                )
    return nodes


class _Writer:
    """The lines of the function, node by node."""

    def __init__(self, nodes: list[Value], leaves: tuple[Value, ...]) -> None:
        self.nodes, self.leaves = nodes, leaves
        self.index = {v: i for i, v in enumerate(nodes)}
        self.constants: list[Constant] = []
        self.locals: list[str] = []  # each edge's local derivative, as code
        self.lines: list[str] = []

    def program(self) -> JavaScript:
        reads = {leaf: k for k, leaf in enumerate(self.leaves)}
        for i, v in enumerate(self.nodes):
            if v.arguments:
                self._computed(i, v)
            elif v in reads:
                self.lines.append(f"const v{i} = leaf[{reads[v]}];")
            else:
                self.lines.append(f"const v{i} = {render(literal(v.data))};")
        head = [
            f"const leaf = numbers(leaves, {_array(leaf.data for leaf in self.leaves)}, 'leaves', true);",
            f"const constant = numbers(constants, {_array(c.value for c in self.constants)}, 'constants', false);",
            *(f"const c{j} = constant[{j}];" for j in range(len(self.constants))),
        ]
        body = head + self.lines + self._backward()
        source = "\n".join(
            [
                "(() => {",
                RUNTIME.read_text(encoding="utf-8").rstrip(),
                "return function backprop(leaves, constants = []) {",
                *(f"  {line}" for line in body),
                "};",
                "})()",
            ]
        )
        return JavaScript(source + "\n", self.leaves, tuple(self.constants))

    def _computed(self, i: int, v: Value) -> None:
        op = v.operation
        assert op is not None
        if not op.has_rules:
            raise ValueError(
                f"javascript() cannot write out the op {op.name!r} (node {i}): it was made with make_node() by "
                f"name, so it has no rules; define it as an Op (README: Adding an op)"
            )
        children = len(v.children)
        slots = [p for p in range(children, len(v.arguments))]
        first = len(self.constants)
        for editable in (True, False) if slots else (False,):
            names = {p: f"c{first + n}" for n, p in enumerate(slots)} if editable else {}
            operands = [self._operand(v, p, names) for p in range(len(v.arguments))]
            try:
                written = _Node(i, op, operands, children)
            except TypeError as problem:
                if editable:
                    continue  # the rule needs the numbers as numbers: they stay fixed
                raise ValueError(
                    f"javascript() cannot write out the op {op.name!r} (node {i}): its rule does something the "
                    f"written JavaScript cannot follow ({unmarked(str(problem)) or 'a step on a traced value'})"
                ) from None
            if editable:
                self.constants += [Constant(i, p, float(v.arguments[p])) for p in slots]
            break
        edges = len(self.locals)
        self.locals += written.local_codes(edges)
        self.lines += written.lines(edges)

    def _operand(self, v: Value, position: int, slots: dict[int, str]) -> object:
        x = v.arguments[position]
        if isinstance(x, Value):
            return Js(("name", f"v{self.index[x]}"))
        return Js(("name", slots[position])) if position in slots else x

    def _backward(self) -> list[str]:
        """The chain rule, as backward() runs it: from the root back, child gradient += local * gradient."""
        lines = [f"let {', '.join(f'g{i} = 0' for i in range(len(self.nodes)))};", f"g{len(self.nodes) - 1} = 1;"]
        edge_of: dict[tuple[int, int], int] = {}
        for i, v in enumerate(self.nodes):
            for k in range(len(v.children)):
                edge_of[i, k] = len(edge_of)
        for i in reversed(range(len(self.nodes))):
            for k, child in enumerate(self.nodes[i].children):
                local = self.locals[edge_of[i, k]]
                upstream = f"g{i}" if local == "1.0" else f"{local} * g{i}"
                lines.append(f"g{self.index[child]} += {upstream};")
        n = len(self.nodes)
        lines.append(
            f"return {{ data: [{', '.join(f'v{i}' for i in range(n))}], local: [{', '.join(self.locals)}], "
            f"grad: [{', '.join(f'g{i}' for i in range(n))}] }};"
        )
        return lines


class _Node:
    """One computed node's code: its value, and the local derivative of each of its edges."""

    def __init__(self, i: int, op: Op, operands: list[object], children: int) -> None:
        self.i, self.op, self.operands = i, op, operands
        value_spills, local_spills = Spills(f"s{i}_"), Spills(f"s{i}_d")
        value, local = traced(op.value), traced(op.local)
        self.value = merged(explore(lambda: (value(*operands),), value_spills), 1)[0]
        out = Js(("name", f"v{i}"))
        self.slopes = merged(explore(lambda: local(out, *operands), local_spills), children, len(operands))
        self.value_spills, self.local_spills = value_spills.lines, local_spills.lines

    def local_codes(self, first_edge: int) -> list[str]:
        """Each edge's local derivative as code: a name or a number as it is, else l<edge>."""
        return [render(t) if t[0] in ("num", "name") else f"l{first_edge + k}" for k, t in enumerate(self.slopes)]

    def lines(self, first_edge: int) -> list[str]:
        value_temps, (value,) = hoisted([self.value], f"t{self.i}_")
        slope_temps, slopes = hoisted(self.slopes, f"t{self.i}_d")
        assigned = [(f"v{self.i}", value)]
        assigned += [(f"l{first_edge + k}", t) for k, t in enumerate(slopes) if t[0] not in ("num", "name")]
        temps_before = self.value_spills + value_temps
        temps_after = self.local_spills + slope_temps
        trees = [t for _, t in temps_before + temps_after + assigned]
        if not any(_throws(t) for t in trees):
            return [
                f"const {name} = {render(t)};" for name, t in temps_before + assigned[:1] + temps_after + assigned[1:]
            ]
        lines = [f"let {', '.join(name for name, _ in assigned)};", "try {"]
        lines += [f"  const {name} = {render(t)};" for name, t in temps_before]
        lines += _assigned(*assigned[0])
        lines += [f"  const {name} = {render(t)};" for name, t in temps_after]
        lines += [line for name, t in assigned[1:] for line in _assigned(name, t)]
        lines.append(f"}} catch (e) {{ throw failed(e, {self.i}, {string(self.op.name)}, {self._messages()}); }}")
        return lines

    def _messages(self) -> str:
        """The engine's words for an overflow, for a division by zero and for a math function's domain error
        in this node (op_error), and what gave a complex number (rule_result): each as its value's where
        v<i> has none yet, else as its local derivatives'."""
        overflows = self._either(lambda in_local: message(self._words(OverflowError(), in_local)))
        divides = self._either(lambda in_local: message(self._division(in_local)))
        domain = self._either(lambda in_local: message(self._words(ValueError("math domain error"), in_local)))
        complex_ = self._either(lambda in_local: string(rule_result(self.op, in_local)))
        return f"{overflows}, {divides}, {domain}, {complex_}"

    def _either(self, words: Callable[[bool], str]) -> str:
        """A JavaScript expression: the words for the node's value while v<i> has none yet, else its local's."""
        return f"v{self.i} === undefined ? {words(False)} : {words(True)}"

    def _words(self, error: Exception, in_local: bool) -> tuple[str | Tree, ...]:
        """The engine's words for `error` in this node's value (or local derivatives), as message parts."""
        return formatted(lambda: str(op_error(self.op, self.operands, error, in_local)))  # type: ignore[arg-type]

    def _division(self, in_local: bool) -> tuple[str | Tree, ...]:
        """The words before ": float division by zero" (the page adds JavaScript's own detail)."""
        parts = self._words(ZeroDivisionError("\x01"), in_local)
        last = parts[-1]
        assert isinstance(last, str) and last.endswith(": \x01")
        return tuple(part for part in (*parts[:-1], last.removesuffix(": \x01")) if part != "")


def _assigned(name: str, tree: Tree) -> list[str]:
    """name = tree, inside the node's try block, with the checks that lead it as statements."""
    guards, rest = guarded(tree)
    return [f"  {line}" for line in guards] + [f"  {name} = {render(rest)};"]


def _throws(tree: Tree) -> bool:
    if tree[0] == "fail" or (tree[0] == "call" and tree[1] in THROWING) or tree[0] == "fails":
        return True
    return any(_throws(part) for part in tree[1:] if isinstance(part, tuple) and part and isinstance(part[0], str))


def _array(numbers: object) -> str:
    return f"[{', '.join(render(literal(x)) for x in numbers)}]"  # type: ignore[attr-defined]
