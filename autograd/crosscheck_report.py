"""crosscheck's report and drawing: what a learner reads to find the bug (see autograd.crosscheck)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from autograd.crosscheck import printable
from autograd.engine import Value

if TYPE_CHECKING:
    from autograd.crosscheck import Mismatch, Program, Result
    from autograd.draw import Drawing

WRONG = "#d00000"


def number(x: float | None, other: float | None = None) -> str:
    """x to 6 significant digits, or to as many as it takes to tell it from `other` where they differ
    (a float32 engine's 1.564957 beside chainrule's 1.5649573086); "?" where it could not be read."""
    if x is None:
        return "?"
    for digits in (6, 10, 17):
        shown = f"{x:.{digits}g}"
        if other is None or other == x or shown != f"{other:.{digits}g}":
            return shown
    return repr(x)


def importing(target: str) -> list[str]:
    """The lines that import the class as `Value`, for code to paste (by path where the file's name is no
    module name Python can import: micrograd-clone.py)."""
    where, _, name = printable(target).rpartition(":")  # a target of one's own given to crosscheck(), written out
    alias = "" if name == "Value" else " as Value"
    if where.endswith(".py") or "/" in where or "\\" in where:
        path = Path(where)
        if not path.stem.isidentifier():
            return [
                "import importlib.util",
                f"spec = importlib.util.spec_from_file_location('engine', {str(path)!r})",
                "engine = importlib.util.module_from_spec(spec); spec.loader.exec_module(engine)",
                f"Value = engine.{name}",
            ]
        folder = path.parent.as_posix() or "."
        return [f"import sys; sys.path.insert(0, {folder!r})", f"from {path.stem} import {name}{alias}"]
    return [f"from {where} import {name}{alias}"]


def report(result: Result) -> str:
    """The whole report: what was tested and skipped, the verdict of each check, and any mismatch."""
    lines = [f"crosscheck: {printable(result.target)} against chainrule"]
    lines.append("ops tested: " + ", ".join(spec.name for spec in result.tested))
    if result.skipped:
        lines.append("ops skipped: " + "; ".join(f"{name} ({why})" for name, why in result.skipped))
    lines.append(
        f"tolerance: |yours - chainrule's| <= {result.atol:g} + {result.rtol:g} * scale "
        f"(a value's {result.atol:g} grown by the ops before it)"
    )
    if result.accumulates is True:
        lines.append("accumulation: checked (leaves add up the gradients of several backward() calls)")
    elif result.accumulates is False:
        lines.append("accumulation: not checked (backward() leaves a leaf with the latest gradient, not the sum)")
    else:
        lines.append(f"accumulation: MISMATCH: {result.accumulates}")
    if result.examples <= 0:
        lines.append("expressions: none drawn (--examples 0)")
    elif result.mismatch is None:
        lines.append(f"expressions: {result.examples} drawn, all agree")
    else:
        lines.append(
            "expressions: MISMATCH; your engine hung on this expression (not shrunk: each try could hang again):"
            if result.mismatch.hung
            else "expressions: MISMATCH; hypothesis shrank it to the smallest expression it found that shows it:"
        )
        lines += describe(result.mismatch, result.target)
        if result.svg:
            lines.append(f"drawing: {result.svg} (chainrule's numbers, yours in red where they differ)")
    if result.depth <= 0:
        lines.append("deep chain: not run (--depth 0)")
    elif result.deep:
        lines.append(f"deep chain: MISMATCH: {result.deep}")
    else:
        lines.append(f"deep chain: {result.depth} ops, agrees")
    lines.append("result: agrees with chainrule" if result.ok else "result: MISMATCH")
    return "\n".join(lines)


def describe(mismatch: Mismatch, target: str) -> list[str]:
    """The program as code to paste, each node's numbers from the output back, and what went wrong."""
    program = mismatch.program
    names, code = program.names, program.lines()
    lines = ["", *(f"    {line}" for line in importing(target)), *(f"    {line}" for line in code)]
    lines += [f"    {names[-1]}.backward()", ""]
    show_data = not all(ok for _, _, ok in mismatch.data)
    first = mismatch.first_wrong()
    header = ["node, from the output back", "data", "grad", "chainrule's grad"]
    if show_data:
        header.insert(2, "chainrule's data")
    rows = [header]
    for i in reversed(range(len(code))):
        (yd, ed, _), (yg, eg, gok) = mismatch.data[i], mismatch.grad[i]
        row = [code[i], number(yd, ed if show_data else None), number(yg, eg), number(eg, yg)]
        if show_data:
            row.insert(2, number(ed, yd))
        if show_data:
            row.append("" if mismatch.data[i][2] else "<- wrong value")
        elif mismatch.error:  # the call that raised or hung is the finding; its gradients were not all read
            row.append("" if gok or yg is None else "<- wrong")
        else:
            kept = yg is not None or i < len(mismatch.program.inputs)  # an engine need not keep inner gradients
            row.append("<- first wrong gradient" if i == first else "" if gok or not kept else "<- wrong")
        rows.append(row)
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append(("  " + "   ".join([*cells, *row[len(header) :]])).rstrip())
    lines.append("")
    lines += explain(mismatch)
    return lines


def explain(mismatch: Mismatch) -> list[str]:
    """What went wrong, in words: the call that raised, the first wrong value, or the first wrong
    gradient from the output back, with a hint at the op to look at."""
    program = mismatch.program
    names, code = program.names, program.lines()
    if mismatch.error:
        return [f"{mismatch.error}"]
    if mismatch.unsteady:  # which node is wrong changes from run to run: no hint at one op
        return [
            "run again, your engine gave chainrule's numbers on this same expression: its answer changes from "
            "run to run. A backward() without a topological order, or one that follows a set's order (as _prev "
            "is), can do that: build the order first, each node after all of its children."
        ]
    for i, (y, e, ok) in enumerate(mismatch.data):
        if not ok:
            y_shown, e_shown = number(y, e), number(e, y)
            return [f"first wrong value: {code[i]} gives {y_shown}, chainrule {e_shown}: look at its forward pass."]
    first = mismatch.first_wrong()
    if first is None:
        lines = ["every node's gradient agrees after one backward(), but not after two:"]
        for name, (y, e, ok) in zip(names, mismatch.accumulated, strict=False):
            if not ok:
                lines.append(
                    f"after building {names[-1]} again from the same leaves (grads not zeroed) and a second "
                    f"{names[-1]}.backward(), {name}.grad is {number(y)}, expected twice the first, {number(e)}: "
                    "leaves must add up (+=) the gradients of several backward() calls."
                )
        return lines
    y, e, _ = mismatch.grad[first]
    name = names[first]
    lines = [f"first wrong gradient, from the output back: {name}.grad is {number(y, e)}, chainrule's {number(e, y)}."]
    uses = program.uses(first)
    right = program.run(Value)
    right[-1].backward()
    if not uses and first == len(code) - 1:
        lines.append(f"{name} is the output: backward() must start with {name}.grad = 1.")
    elif not uses:
        lines.append(
            f"The output does not depend on {name}, so its gradient stays 0; yours, {number(y)}, did not start at 0, "
            f"or your backward() reaches values the output was not computed from."
        )
    elif len(uses) > 1:
        lines += _shared(mismatch, first, sorted(set(uses)), right)
    else:
        lines += _one_use(mismatch, first, uses[0], right)
    return lines


def _shared(mismatch: Mismatch, first: int, places: list[int], right: list[Value]) -> list[str]:
    """The hint for a wrong gradient of a value used several times: one share per use, added (+=)."""
    names, code = mismatch.program.names, mismatch.program.lines()
    name, y = names[first], mismatch.grad[first][0]
    written = " and ".join(code[p] for p in places)
    edges = [
        (p, d)
        for p in places
        for c, d in zip(right[p].children, right[p].local_grads, strict=True)
        if c is right[first]
    ]
    shares = [d * right[p].grad for p, d in edges]
    lines = [
        f"{name} is used {len(mismatch.program.uses(first))} times ({written}), and its gradient is the sum of one "
        f"share per use{f' ({_summed(shares)})' if shares else ''}."
    ]
    if y is None:
        return lines
    ops = " and ".join(f"`{_op(mismatch, p)}`{_written_with(_op(mismatch, p))}" for p in places)
    if _same(y, sum(d for _, d in edges)) and not all(_same(right[p].grad, 1.0) for p, _ in edges):
        lines.append(
            f"Yours, {number(y)}, is the sum of the local derivatives alone, {_summed([d for _, d in edges])}: the "
            f"backward of {ops} must multiply each by out.grad ({', '.join(f'{names[p]}.grad' for p in places)})."
        )
    elif any(_same(y, s) for s in shares):
        lines.append(
            f"Yours, {number(y)}, is one share: a _backward that sets {name}.grad (=) keeps only the last "
            f"share; each must add its own (+=). {_ORDER}"
        )
    else:
        lines.append(f"Yours, {number(y)}, is not that sum: a share is wrong. Look at the backward of {ops}. {_ORDER}")
    return lines


_ORDER = (  # the other cause of a wrong share, which the numbers alone cannot tell from the first
    "(Or backward() ran a node's _backward before every use had added its share: it must visit the nodes in "
    "reversed topological order, each once.)"
)


def _summed(terms: list[float]) -> str:
    """Numbers written as a sum: 1 - 1 + 2."""
    return " + ".join(number(t) for t in terms).replace("+ -", "- ")


def _one_use(mismatch: Mismatch, first: int, parent: int, right: list[Value]) -> list[str]:
    """The hint for a wrong gradient of a value used once, by `parent`, whose gradient is right: its
    gradient is d(parent)/d(value) * parent.grad, so the backward of parent's op is wrong."""
    program = mismatch.program
    names, code = program.names, program.lines()
    name, (y, e, _) = names[first], mismatch.grad[first]
    local = next(d for c, d in zip(right[parent].children, right[parent].local_grads, strict=True) if c is right[first])
    out_grad = mismatch.grad[parent][0]
    op = _op(mismatch, parent)
    lines = [f"{name} gets its gradient only from {code[parent]}, whose gradient is right ({number(out_grad)})."]
    if out_grad is None:  # an engine that keeps no inner gradients: chainrule's stands in for its
        out_grad = right[parent].grad
        lines = [
            f"{name} gets its gradient only from {code[parent]}, whose gradient your engine does not keep "
            f"(chainrule's is {number(out_grad)})."
        ]
    if y is None:
        return lines
    if out_grad == 0:
        return [
            *lines,
            f"So {name}'s must be 0 too (d{names[parent]}/d{name} * 0); yours, {number(y)}, does not come from it: "
            f"the backward of `{op}`{_written_with(op)} must multiply by out.grad, or {name}.grad did not start at 0.",
        ]
    if _same(y, local) and not _same(out_grad, 1.0):
        return [
            *lines,
            f"Yours, {number(y)}, is the local derivative d{names[parent]}/d{name} alone: the backward of `{op}`"
            f"{_written_with(op)} must multiply it by out.grad ({names[parent]}.grad, here {number(out_grad)}).",
        ]
    never_ran = (
        f" (a 0 may also mean it never ran: `{op}` sets no out._backward, or backward() does not visit {names[parent]})"
        if y == 0 and e != 0
        else ""
    )
    return [
        *lines,
        f"So the local derivative d{names[parent]}/d{name} is wrong: chainrule's is {number(local)} here, "
        f"yours {number(y / out_grad)}. Look at the backward of `{op}`{_written_with(op)}{never_ran}.",
    ]


def _same(x: float, y: float) -> bool:
    return abs(x - y) <= 1e-9 * max(1.0, abs(y))


def _op(mismatch: Mismatch, step: int) -> str:
    """The op of the node at index `step` (a step of the program, not an input)."""
    return mismatch.program.steps[step - len(mismatch.program.inputs)].op


WRITTEN_WITH = {  # how micrograd computes the ops it writes with others
    "-x": "x * -1",
    "-": "x + (-y)",
    "x - c": "x + (-c)",
    "c - x": "c + (-x)",
    "/": "x * y**-1",
    "x / c": "x * c**-1",
    "c / x": "c * x**-1",
}


def _written_with(op: str) -> str:
    """For a hint at an op micrograd writes with others, those others too; else ""."""
    how = WRITTEN_WITH.get(op)
    return (
        f" (or, where your engine computes {op} as {how}, as micrograd does, the backward of those ops)" if how else ""
    )


def drawing(mismatch: Mismatch) -> Drawing:
    """chainrule's graph of the program, each value labelled with its name; where your engine's data or
    grad differs, yours follows chainrule's in red: "grad 2 (yours 1)"."""
    from autograd.draw import draw_graph, escape
    from autograd.draw import number as digits

    program: Program = mismatch.program
    nodes = program.run(Value)
    for node, name in zip(nodes, program.names, strict=True):
        node.label = name
    nodes[-1].backward()
    position = {id(v): i for i, v in enumerate(nodes)}
    order = [position[id(v)] for v in _order(nodes[-1])]

    def text(quantity: str, index: int, x: float) -> str:
        if quantity == "flow":
            return digits(x, 4)
        node = order[index]
        yours, _, ok = (mismatch.data if quantity == "data" else mismatch.grad)[node]
        if not ok:
            return f'{digits(x, 4)} <font color="{WRONG}"><b>(yours {escape(number(yours))})</b></font>'
        if quantity == "grad" and node < len(mismatch.accumulated) and not mismatch.accumulated[node][2]:
            twice, want, _ = mismatch.accumulated[node]
            return (
                f'{digits(x, 4)} <font color="{WRONG}"><b>(after a second backward(): yours '
                f"{escape(number(twice, want))}, want {escape(number(want, twice))})</b></font>"
            )
        return digits(x, 4)

    graph = draw_graph(nodes[-1], text=text)
    graph.attr(
        label=f'<crosscheck: chainrule\'s numbers; <font color="{WRONG}">(yours)</font> where your engine differs>',
        labelloc="t",
        fontsize="11",
    )
    return graph


def _order(root: Value) -> list[Value]:
    from autograd.engine import topological_order

    return topological_order(root)
