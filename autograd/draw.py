"""Drawing a computation graph with Graphviz.

Each Value is a box with its label, data and grad; each operation is a small oval that says what
it computes ("× 2", "a − b", "σ"). Every edge from an operand into an operation passes through a
red number, the gradient that flows along that edge,

    d(result)/d(operand) * dE/d(result),

so a weight used once shows exactly dE/dw on its edge, and a value used twice has two edges,
one share on each (the shares add up to its grad). The number sits on its own edge's path, so
it cannot be read as another edge's. An operation's operands enter it in the order it takes
them (Graphviz's ordering=in), so a model's values are drawn in the model's order: o1 before
o2, h1's weights before h2's.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import graphviz

from autograd import ids
from autograd.engine import Value, constant, topological_order
from autograd.labels import check_labels, written_out
from autograd.notation import operation, roles
from autograd.renderer import FORMATS, pipe

Text = Callable[[str, int, float], str]  # (quantity, index, number) -> the text that shows it
MAX_NODES = 500
RANKDIRS = ("LR", "TB")  # the directions micrograd's draw_dot allows: left to right, top to bottom
FONT = "Helvetica"
FLOW_COLOUR = "#b03000"
FILL = {"parameter": "#ffe8a3", "input": "#d8ecff", "computed": "#ffffff", "root": "#d9f2d9", "frozen": "#e6e6e6"}


class Drawing(graphviz.Digraph):  # type: ignore[misc]  # graphviz has no type hints
    """A graphviz.Digraph rendered by `dot` or, without it, graphviz-pure: in Jupyter (inline SVG) and by
    graphviz's own `render()`, `pipe()` and `view()`, which take graphviz's arguments. Its format is svg
    unless set (graphviz's default, pdf, needs the system `dot`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "svg")
        super().__init__(*args, **kwargs)

    def _repr_image_svg_xml(self) -> str:
        return pipe(self.source, "svg").decode("utf-8")

    def _repr_image_png(self) -> bytes:
        return pipe(self.source, "png")

    def _repr_image_jpeg(self) -> bytes:
        return pipe(self.source, "jpeg")

    def pipe(
        self,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: bool | int | None = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> bytes | str:
        """The drawing rendered as `format` (its own by default): bytes, or text in `encoding`."""
        _refuse_dot_options(renderer, formatter, neato_no_op, engine)
        rendered = pipe(self.source, format or self.format)
        return rendered.decode(encoding) if encoding else rendered

    def render(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        view: bool = False,
        cleanup: bool = False,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: bool | int | None = None,
        quiet: bool = False,
        quiet_view: bool = False,
        *,
        outfile: str | os.PathLike[str] | None = None,
        engine: str | None = None,
        raise_if_result_exists: bool = False,
        overwrite_source: bool = False,
    ) -> str:
        """graphviz's render(): the DOT source saved as `filename` (in `directory`), the picture beside it as
        filename.format (micrograd's `draw_dot(o).render("gout")` writes gout and gout.svg), or written to
        `outfile`, whose suffix names the format. `cleanup` deletes the source, `view` opens the picture.
        Returns the picture's path."""
        _refuse_dot_options(renderer, formatter, neato_no_op, engine)
        format = format or (Path(outfile).suffix.lstrip(".") if outfile is not None else "") or self.format
        if outfile is not None and filename is not None and _same_file(Path(directory or "", filename), Path(outfile)):
            raise ValueError(f"render() would save the DOT source and the picture as one file, {outfile}: name another")
        drawn = pipe(self.source, format)  # first: a format that cannot be drawn here leaves no file behind
        if outfile is not None:
            picture = Path(outfile)
            source = self.save(filename or picture.with_suffix(".gv"), directory=directory)
        else:
            source = self.save(filename, directory=directory)
            picture = Path(f"{source}.{format}")
        if raise_if_result_exists and picture.exists():
            raise FileExistsError(f"{picture} exists already (raise_if_result_exists=True)")
        picture.parent.mkdir(parents=True, exist_ok=True)
        picture.write_bytes(drawn)
        if cleanup:
            os.remove(source)
        if view:
            graphviz.view(picture, quiet=quiet_view)
        return os.fspath(picture)

    def view(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        cleanup: bool = False,
        quiet: bool = False,
        quiet_view: bool = False,
    ) -> str:
        """graphviz's view(): render() the drawing, then open it with the system's viewer."""
        return self.render(filename, directory, view=True, cleanup=cleanup, quiet=quiet, quiet_view=quiet_view)


def _refuse_dot_options(renderer: str | None, formatter: str | None, neato_no_op: object, engine: str | None) -> None:
    """Options only the system `dot` program knows, refused rather than ignored."""
    given = {"renderer": renderer, "formatter": formatter, "neato_no_op": neato_no_op}
    given["engine"] = engine if engine not in (None, "dot") else None
    for name, value in given.items():
        if value:
            raise ValueError(
                f"chainrule's drawings render with dot's defaults; {name}={value!r} is not supported. "
                "For it, render the DOT source yourself: graphviz.Source(drawing.source).render(...)"
            )


def draw_graph(
    root: Value,
    parameters: Iterable[Value] = (),
    digits: int = 4,
    max_nodes: int = MAX_NODES,
    rankdir: str = "LR",
    *,
    text: Text | None = None,
    stacked: bool = False,
) -> Drawing:
    """The computation graph of `root` (after `root.backward()`, the grads and edge flows are filled).

    Values in `parameters` are drawn gold, other leaves (inputs) blue, `root` green.
    Raises ValueError when the graph has more than `max_nodes` Values.

    Value i of `topological_order(root)` is node "v{i}"; edge e, counted in that order and each
    value's children in order, passes through node "v{i}op{k}" (see autograd.ids). `text(quantity, index, x)`
    gives the text of each number ("data" and "grad" of value i, "flow" of edge e); by default
    x to `digits` significant digits. A page that fills the numbers in later passes its own.
    `stacked` puts a value's label, data and grad one above the other, for narrow drawings.
    """
    _one_value(root, "draw_graph()")
    order = topological_order(root)
    check_labels(order, "draw_graph()")
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph has {len(order)} values, more than max_nodes={max_nodes}; "
            f"pass max_nodes={len(order)} to draw it anyway (dot may take a long time)"
        )
    shown = text or (lambda _quantity, _index, x: number(x, digits))
    params = set(parameters)
    names = {v: ids.value(i) for i, v in enumerate(order)}
    graph = new_drawing(rankdir, nodesep="0.2", ranksep="0.3")
    edge = 0
    for i, v in enumerate(order):
        kind = "root" if v is root else "parameter" if v in params else "computed" if v.op else "input"
        graph.node(
            names[v],
            _value_label(v, shown("data", i, v.data), shown("grad", i, v.grad), kind, stacked),
            shape="plain",
            id=names[v],
        )
        if not v.op:
            continue
        op_id = ids.operation(i)
        graph.node(
            op_id, f"<{escape(operation(v))}>", shape="ellipse", fontsize="10", margin="0.03,0.01", id=op_id,
            ordering="in",
        )  # fmt: skip
        graph.edge(op_id, names[v], id=ids.operation_out(i))
        for k, (child, local, role) in enumerate(zip(v.children, v.local_grads, roles(v), strict=True)):
            flow = shown("flow", edge, local * v.grad)
            flow_edge(graph, names[child], op_id, ids.operand(i, k), f"<i>{role}</i> {flow}" if role else flow)
            edge += 1
    if text is None and all(v.grad == 0 for v in order):
        note_no_backward(graph)
    return graph


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR") -> Drawing:
    """micrograd's draw_dot(root, format='svg', rankdir='LR'): chainrule's drawing of `root`.

    The drawing is `draw_graph(root, rankdir=rankdir)` with `.format` set to `format`, as micrograd's
    Digraph has it. `rankdir` is "LR" (left to right) or "TB" (top to bottom), as in micrograd;
    `format` is one that `autograd.render` writes.
    """
    _one_value(root, "draw_dot()")
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_dot() needs rankdir 'LR' (left to right) or 'TB' (top to bottom), got {rankdir!r}")
    if format not in FORMATS:
        raise ValueError(f"draw_dot() needs format to be one of {', '.join(FORMATS)}, got {format!r}")
    drawing = draw_graph(root, rankdir=rankdir)
    drawing.format = format
    return drawing


def new_drawing(rankdir: str = "LR", **graph_attr: str) -> Drawing:
    """An empty drawing in chainrule's style."""
    return Drawing(
        graph_attr={"rankdir": rankdir, "fontname": FONT, **graph_attr},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "10", "color": "#555555", "arrowsize": "0.7"},
    )


NO_BACKWARD = "Every grad is 0: backward() has not run.\nCall loss.backward() before drawing, to see the gradients."


def note_no_backward(graph: graphviz.Digraph) -> None:
    """A caption over a drawing whose grads are all 0, which reads as if backward() had found nothing."""
    graph.attr(label=f"<<i>{escape(NO_BACKWARD)}</i>>", labelloc="t", labeljust="l", fontcolor=FLOW_COLOUR)


def flow_edge(graph: graphviz.Digraph, tail: str, head: str, node_id: str, text: str, **attrs: str) -> None:
    """The edge tail -> head with `text` (HTML-like) on a label node in its path: tail - text -> head."""
    colour = attrs.pop("fontcolor", FLOW_COLOUR)
    graph.node(
        node_id,
        f"<{text}>",
        shape="plaintext",
        fontsize="10",
        fontcolor=colour,
        margin="0.02,0.01",
        width="0",
        height="0",
        id=node_id,
        **{"class": "flow"},
    )
    into, out_of = ids.halves(node_id)
    graph.edge(tail, node_id, arrowhead="none", id=into, **attrs)
    graph.edge(node_id, head, id=out_of, **attrs)


def _value_label(v: Value, data: str, grad: str, kind: str, stacked: bool) -> str:
    """An HTML-like table: | label | data | grad |, or those three one above the other."""
    cells = [f"<b>{escape(v.label)}</b>"] if v.label else []
    cells += [f"data {data}", f"grad {grad}"]
    rows = [f"<td>{c}</td>" for c in cells] if stacked else ["".join(f"<td>{c}</td>" for c in cells)]
    border = 2 if kind == "parameter" else 0
    table = "".join(f"<tr>{row}</tr>" for row in rows)
    return f'<<table cellspacing="0" cellborder="1" border="{border}" bgcolor="{FILL[kind]}">{table}</table>>'


def number(x: float, digits: int) -> str:
    """x to `digits` significant digits, without an exponent for ordinary sizes; a number of another
    kind (data set to an int or a Fraction) as the float nearest it."""
    c = constant(x)
    if c is None:
        raise TypeError(f"a drawing shows real numbers, got {x!r} ({type(x).__name__}) as a value's data or grad")
    return f"{c:.{digits}g}"


LONGEST_SHOWN = 200  # characters of one text a drawing shows: Graphviz reads at most 16,384 bytes of a label


def escape(text: str) -> str:
    """Text safe inside an HTML-like graphviz label: & < > " escaped, newlines as line breaks, each
    other control character, mark that reorders text (U+202E) and lone surrogate written as Python writes
    it (\\x1b, \\u202e, \\ud83d; see autograd.labels), and each backslash doubled, for Graphviz reads \\N
    and \\G in a label as the node's and the graph's names. A text over LONGEST_SHOWN characters is cut
    there and says how long it is, so that the label fits what Graphviz reads however it is escaped."""
    if len(text) > LONGEST_SHOWN:
        text = f"{text[:LONGEST_SHOWN]}… ({len(text):,} characters)"
    visible = written_out(text.replace("\r\n", "\n"))
    return html.escape(visible.replace("\\", "\\\\"), quote=True).replace("\n", '<br align="center"/>')


def _same_file(first: Path, second: Path) -> bool:
    return os.path.abspath(first) == os.path.abspath(second)


def _one_value(root: object, caller: str) -> None:
    if not isinstance(root, Value):
        raise TypeError(
            f"{caller} draws the graph behind one Value (such as a loss), got {type(root).__name__}; "
            "for a model's network, use nn.draw_network(model, inputs)"
        )
