"""The chain rule spelled out: d(root)/dx as a sum over paths of products of named factors.

Along each path from `root` down to `x`, the local derivatives of the edges multiply. The stops
on a path are the values with a name: a label, or for an unlabelled value what it computes, such
as a*b (x itself is "x" when unlabelled, or x#1 where another value is x; an unlabelled input is
its number). The edges between two stops fold into one factor d(upper)/d(lower), so with the
articles' names a path reads dE/do1 * do1/dnet_o1 * dnet_o1/dw7; over a batch, each example's o1
is told apart as o1#1, o1#2, ... Factors that would read alike along different edges (x*x reads x
twice, (o - t)*(o - t) two values named o - t) say where their edges go: dy/dx (as operand 1) +
dy/dx (as operand 2), or for a dot node do1/dw (in term 1). Summed over all paths, listed in the
order of the operands, the products give d(root)/dx, which backward() leaves in x.grad: the same
number up to rounding, for backward() adds the shares that meet at a value before it multiplies on,
where explain() multiplies each path out first. Their last bits may differ, and where numbers
overflow either can be inf or nan where the other is finite: shares that backward() cancels to 0
can overflow as products here, and shares that overflow as backward() adds them (before a small
factor below) can give a finite product here.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any, NamedTuple

from autograd.engine import Value, counted, refuse_no_graph, refuse_own_backward, topological_order
from autograd.labels import check_labels, on_one_line
from autograd.notation import constant, expression, in_derivative, operand_place

Edge = tuple[Value, int]  # a node and the index of one of its children
Linked = tuple[Any, Any] | None  # (the last item, the linked pairs of the items before it)


class Factor(NamedTuple):
    """d(upper)/d(lower): its name, its value, and the edges whose local derivatives it multiplies."""

    name: str
    value: float
    edges: tuple[Edge, ...]


ONE_LINE = 100  # a derivation longer than this prints one path per line


@dataclass(frozen=True)
class Explanation:
    root: str
    x: str
    paths: list[list[Factor]]
    decimals: int = 4

    def products(self) -> list[float]:
        """Each path's product of factors: its share of d(root)/dx."""
        return [math.prod(f.value for f in path) for path in self.paths]

    @property
    def total(self) -> float:
        """The sum of the paths' products: d(root)/dx, as backward() gives it up to rounding (see above)."""
        return sum(self.products())

    @property
    def derivative(self) -> str:
        """d(root)/dx, as written: "dE/dw5", "d(a*b)/da"."""
        return derivative(self.root, self.x)

    def __str__(self) -> str:
        if not self.paths:
            return f"{self.derivative} = 0: {self.root} does not depend on {self.x}"
        symbols = [" * ".join(f.name for f in path) for path in self.paths]
        numbers = [" * ".join(self._number(f.value) for f in path) for path in self.paths]
        line = f"{self.derivative} = {' + '.join(symbols)} = {' + '.join(numbers)} = {self._number(self.total)}"
        if len(line) <= ONE_LINE:
            return line
        count = len(self.paths)
        rows = [
            f"{self.derivative}, summed over {count} paths:" if count > 1 else f"{self.derivative}, along one path:"
        ]
        for k, (path, product) in enumerate(zip(symbols, self.products(), strict=True)):
            plus = "+ " if k else "  "
            rows.append(f"  {plus}{path} = {numbers[k]} = {self._number(product)}")
        rows.append(f"{self.derivative} = {self._number(self.total)}")
        return "\n".join(rows)

    def _number(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"


def explain(
    root: Value, x: Value, decimals: int = 4, max_paths: int = 64, *, names: Mapping[Value, str] | None = None
) -> Explanation:
    """Every path from `root` to `x` as a product of named factors (see the module docstring).

    `names` names values that have no label, where the caller has names for them (the live page calls
    a model's unlabelled parameter "parameter 3"); a value's label comes first, an empty name is no name,
    and a name that a value of the graph carries as its label, or that names two values, is refused.
    """
    for role, v in (("root", root), ("x", x)):
        if not isinstance(v, Value):
            raise TypeError(f"explain(root, x) needs two Values, got {type(v).__name__} {v!r} for {role}")
    if not isinstance(max_paths, int) or isinstance(max_paths, bool) or max_paths < 0:
        raise ValueError(f"explain() needs max_paths as a whole number of paths, 0 or more, got {max_paths!r}")
    if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
        raise ValueError(f"explain() needs decimals as a whole number of digits, 0 or more, got {decimals!r}")
    order = topological_order(root)
    check_labels(order, "explain()")
    for v in order:
        refuse_own_backward(v, "explain()")
        refuse_no_graph(v, root, "explain()")
    named = stop_names(order, x, names)
    top = named.get(root) or free_name("f", set(named.values()))
    # Counted first, too many paths are refused in one pass over the graph, rather than after
    # walking the first max_paths + 1 of them down to x (each as long as the graph is deep).
    reaches_x = {x} if root is x else paths_down_to(x, order, max_paths)
    if reaches_x is None:
        raise ValueError(
            f"{derivative(top, named[x])} is a sum over more than {counted(max_paths, 'path')}; "
            f"pass max_paths to list more"
        )
    paths: list[list[Factor]] = [] if root is not x else [[Factor(derivative(top, top), 1.0, ())]]
    # A path so far, its factors and the edges since its last stop, is kept as linked pairs (the
    # last one, the rest), which the paths that branch from it share: going one edge further costs
    # the same however long the path, so a chain of any length is explained in time linear in it.
    stack: list[tuple[Value, Linked, str, float, Linked]] = [(root, None, top, 1.0, None)]
    while stack and root is not x:
        node, factors, upper, carried, edges = stack.pop()
        if node is x:  # a path that has reached x, taken in its turn: the paths come out operand by operand
            paths.append(_unlinked(factors))
            continue
        for k, (child, local) in enumerate(zip(node.children, node.local_grads, strict=True)):
            if child not in reaches_x:
                continue
            product, through = carried * local, ((node, k), edges)
            if child in named:
                done = (Factor(derivative(upper, named[child]), product, tuple(_unlinked(through))), factors)
                stack.append((child, done, named[child], 1.0, None))
            else:
                stack.append((child, factors, upper, product, through))
    paths.reverse()
    return Explanation(top, named[x], told_apart(paths), decimals)


def paths_down_to(x: Value, order: list[Value], most: int) -> dict[Value, int] | None:
    """For each value of `order` that depends on `x`, how many paths lead from it down to `x`, or
    None as soon as one value has more than `most`.

    A path takes one edge at each step, so a child met twice (a*a) is two ways down:
    paths(x) = 1, paths(v) = sum of paths(c) over the children c of v, in one pass over `order`
    (children before parents, as topological_order gives it). Every value of `order` lies below its
    last, so the last has at least as many paths as any of them: the first count over `most`
    settles that the last has too many, before the sums grow further.
    """
    counts = {x: 1}
    for node in order:
        count = 1 if node is x else sum(counts.get(child, 0) for child in node.children)
        if count:
            if count > most:
                return None
            counts[node] = count
    return counts


def told_apart(paths: list[list[Factor]]) -> list[list[Factor]]:
    """The paths, each factor that reads as another along other edges marked with where its edges go (see
    edge_marks): x*x's two edges to x both read dy/dx, and so do those of (o - t)*(o - t) to two values
    named o - t, or two edges folded through values too long to name. Factors whose marks would all
    read alike are left as they are."""
    mark = {f.edges: edge_marks(f.edges) for f in chain.from_iterable(paths)}  # one per edge run, however shared
    marks: dict[str, set[str]] = {}
    for factor in chain.from_iterable(paths):
        marks.setdefault(factor.name, set()).add(mark[factor.edges])
    return [[f._replace(name=f.name + mark[f.edges]) if len(marks[f.name]) > 1 else f for f in path] for path in paths]


def edge_marks(edges: tuple[Edge, ...]) -> str:
    """Where a factor's edges go at each op with more than one child, from the top: " (as operand 2)",
    " (in term 1)" or " (as the bias)" of a dot node, " (via operand 1, then term 2)" for two; ""
    where no op on the way has a choice (the same derivative, whichever value it passes through)."""
    places = [operand_place(node, k) for node, k in edges if len(node.children) > 1]
    if not places:
        return ""
    if len(places) == 1:
        return f" ({'in' if places[0].startswith('term') else 'as'} {places[0]})"
    return f" (via {', then '.join(places)})"


def _unlinked(linked: Linked) -> list[Any]:
    """The items of linked pairs (last, (before it, ...)), first to last."""
    items = []
    while linked is not None:
        item, linked = linked
        items.append(item)
    items.reverse()
    return items


def stop_names(
    order: list[Value], x: Value | None = None, given: Mapping[Value, str] | None = None
) -> dict[Value, str]:
    """The name of each value that is a stop on a path (see the module docstring); `order` lists
    children before parents, as topological_order does. A label that several values carry (each
    example's o1 in a batch's loss) is numbered, o1#1, o1#2, ..., example by example (see numbered_labels).
    An unlabelled value in `given` has the name given there."""
    names: dict[Value, str] = numbered_labels(order)
    given = _given_names(given, order)
    taken = {on_one_line(v.label) for v in order if v.label} | set(given.values()) | set(names.values())
    for v in order:
        if v in names:
            continue
        if v.label:
            names[v] = on_one_line(v.label)
        elif v in given:
            names[v] = given[v]
        elif v is x:
            names[v] = free_name("x", taken)
        elif not v.op:
            names[v] = constant(v.data) if v.data >= 0 else f"({constant(v.data)})"
        elif text := expression(v, names):
            names[v] = text
    if x is not None:
        names.setdefault(x, on_one_line(x.label) or free_name("x", taken))
    if given:  # a given name that another value's name reads as, a computed one (a*b) or a numbered label (o1#1)
        uses = Counter(names.values())
        for v, name in given.items():
            if uses[name] > 1:
                raise ValueError(f"names gives {v!r} the name {name!r}, which another value of the graph has too")
    return names


def _given_names(given: Mapping[Value, str] | None, order: list[Value]) -> dict[Value, str]:
    """The names given for unlabelled values of the graph, each on one line, once each is a string that no
    label of the graph and no other value's name reads as."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise TypeError(f"names needs a dict from Values to their names, got {type(given).__name__} {given!r}")
    for v, name in given.items():
        if not isinstance(v, Value):
            raise TypeError(f"names takes Values to name, got {type(v).__name__} {v!r}")
        if not isinstance(name, str):
            raise TypeError(f"names gives {v!r} the name {name!r} ({type(name).__name__}); a name is a string")
    in_graph, labels = set(order), {on_one_line(v.label) for v in order if v.label}
    named = {v: on_one_line(name) for v, name in given.items() if name.strip() and v in in_graph and not v.label}
    for v, name in named.items():
        if name in labels:  # a label several values share is numbered (o1#1): stop_names would not see it twice
            raise ValueError(f"names gives {v!r} the name {name!r}, which another value of the graph has too")
        if _reads_as_number(name):
            raise ValueError(f"names gives {v!r} the name {name!r}, which reads as a number")
    return named


def _reads_as_number(name: str) -> bool:
    """Whether name reads as a number, as explain writes an unlabelled leaf: 2, or (-2) in parentheses."""
    inner = name.strip()
    while inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1].strip()
    try:
        float(inner)
    except ValueError:
        return False
    return True


def free_name(name: str, taken: set[str]) -> str:
    """name, or where another value has it, the first of name#1, name#2, ... that none has."""
    k = 0
    while (f"{name}#{k}" if k else name) in taken:
        k += 1
    return f"{name}#{k}" if k else name


def numbered_labels(order: list[Value]) -> dict[Value, str]:
    """label#k for each value whose label others carry too, k counted breadth first from the root (the
    last of `order`), each node's children in order: a batch's loss reaches every example's o1 before any
    h1_1, example by example, so o1#2 and h1_1#2 are the second example's. A number whose name another
    value carries as its label is passed over: with a value labelled w#1, two labelled w are w#2 and w#3."""
    shown = {v: on_one_line(v.label) for v in order if v.label}  # labels that read alike count as one
    shared = {name for name, count in Counter(shown.values()).items() if count > 1}
    if not shared or not order:
        return {}
    labels = set(shown.values())
    seen, queue, count = {order[-1]}, deque([order[-1]]), Counter[str]()
    numbered = {}
    while queue:
        v = queue.popleft()
        if v in shown and shown[v] in shared:
            name = shown[v]
            count[name] += 1
            while f"{name}#{count[name]}" in labels:
                count[name] += 1
            numbered[v] = f"{name}#{count[name]}"
        for child in v.children:
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return numbered


def derivative(upper: str, lower: str) -> str:
    """d upper / d lower, with a compound name in parentheses: "dE/dw5", "d(a*b)/db"."""
    return f"d{in_derivative(upper)}/d{in_derivative(lower)}"
