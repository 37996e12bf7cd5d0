"""The attribution measure: can each number drawn for an edge be read as that edge's and no other's?

On the layout Graphviz computes (`-Tjson`), a number drawn for an edge is either an edge label
(at `lp`, `xlp`, `head_lp` or `tail_lp`) or a label node (class "flow") that the edge passes
through. An edge label is attributed correctly when its position is nearer its own edge's
spline than any other edge's. A label node is attributed correctly when the edge runs into it
and out of it, no other edge's spline enters its box, and its centre is nearer its own path (the edge in, on through the
node, and the edge out) than any other edge.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from typing import Any

Point = tuple[float, float]
Layout = dict[str, Any]  # parsed -Tjson
LABEL_KEYS = ("lp", "xlp", "head_lp", "tail_lp")


def misattributed(layout: Layout) -> list[str]:
    """A description of every number in `layout` (parsed `-Tjson`) that reads as another edge's."""
    edges = layout.get("edges", [])
    splines = [polyline(edge["pos"]) for edge in edges]
    names = {node["_gvid"]: node["name"] for node in layout.get("objects", [])}
    problems = []
    for i, edge in enumerate(edges):
        for key in LABEL_KEYS:
            if key in edge:
                at = point(edge[key])
                own = distance(at, splines[i])
                other = min((distance(at, s) for j, s in enumerate(splines) if j != i), default=math.inf)
                if not own < other:
                    problems.append(
                        f"{key} of {names[edge['tail']]}->{names[edge['head']]}: own {own:.1f}, other {other:.1f}"
                    )
    for node in layout.get("objects", []):
        if node.get("class") == "flow":
            problem = _label_node_problem(node, edges, splines)
            if problem:
                problems.append(f"label node {node['name']} ({node.get('label', '')}): {problem}")
    return problems


def _label_node_problem(node: Layout, edges: list[Layout], splines: list[list[Point]]) -> str:
    gvid = node["_gvid"]
    into = [i for i, e in enumerate(edges) if e["head"] == gvid]
    out = [i for i, e in enumerate(edges) if e["tail"] == gvid]
    if len(into) != 1 or len(out) != 1:
        return f"{len(into)} edges in and {len(out)} out, not one edge passing through"
    centre = point(node["pos"])
    half_w, half_h = float(node["width"]) * 36, float(node["height"]) * 36
    own = distance(centre, [*splines[into[0]], *splines[out[0]]])  # the path runs on through the node
    others = [j for j in range(len(edges)) if j not in (*into, *out)]
    for j in others:
        if any(abs(x - centre[0]) < half_w and abs(y - centre[1]) < half_h for x, y in splines[j]):
            return f"the edge {edges[j]['tail']}->{edges[j]['head']} crosses it"
    other = min((distance(centre, splines[j]) for j in others), default=math.inf)
    return "" if own < other else f"own {own:.1f}, other {other:.1f}"


def point(text: str) -> Point:
    x, y = text.split(",")[:2]
    return float(x), float(y)


def polyline(pos: str, samples: int = 16) -> list[Point]:
    """The points of an edge's spline (`pos`: optional s,/e, end points, then 1 + 3k Bezier points)."""
    ends, controls = [], []
    for token in pos.split():
        if token.startswith(("s,", "e,")):
            ends.append((token[0], point(token[2:])))
        else:
            controls.append(point(token))
    line: list[Point] = []
    for p0, p1, p2, p3 in _segments(controls):
        line += [_bezier(p0, p1, p2, p3, k / samples) for k in range(samples + 1)]
    for kind, p in ends:  # the arrow heads: a straight piece from the spline's end to the tip
        line = [p, *line] if kind == "s" else [*line, p]
    return line


def _segments(controls: list[Point]) -> Iterator[tuple[Point, Point, Point, Point]]:
    for k in range(0, len(controls) - 3, 3):
        yield controls[k], controls[k + 1], controls[k + 2], controls[k + 3]


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, t: float) -> Point:
    u = 1 - t
    return (
        u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
        u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
    )


def distance(p: Point, line: list[Point]) -> float:
    """The shortest distance from p to the polyline."""
    if len(line) == 1:
        return math.dist(p, line[0])
    return min(_to_segment(p, a, b) for a, b in itertools.pairwise(line))


def _to_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def layout(graph: Any) -> Layout:
    """Graphviz's layout of a drawing (anything with DOT `source`), by the renderer chainrule uses."""
    from autograd.renderer import pipe

    drawn: Layout = json.loads(pipe(graph.source, "json"))
    return drawn


def flows(layout: Layout) -> list[tuple[str, str, str]]:
    """(tail, head, text) for every label node: the names of the nodes its edge runs between, and its text.

    A node's name is the bold text of its label (a value's or neuron's name), else its id; an
    operation node (id v7op) stands for the value it makes (v7).
    """
    objects = {node["_gvid"]: node for node in layout.get("objects", [])}
    by_id = {node["name"]: node for node in objects.values()}
    edges = layout.get("edges", [])
    found = []
    for node in objects.values():
        if node.get("class") == "flow":
            tail = next(objects[e["tail"]] for e in edges if e["head"] == node["_gvid"])
            head = next(objects[e["head"]] for e in edges if e["tail"] == node["_gvid"])
            head = by_id.get(head["name"].removesuffix("op"), head)
            found.append((name(tail), name(head), text(node.get("label", ""))))
    return found


def name(node: Layout) -> str:
    bold = re.search(r"<b>(.*?)</b>", node.get("label", ""))
    return bold.group(1) if bold else node["name"]


def text(label: str) -> str:
    """An HTML-like label as plain text, its lines that hold any text joined by " | "."""
    lines = re.sub(r"<[^>]+>", "", re.sub(r"<br[^>]*>", "\n", label)).split("\n")
    return " | ".join(line.strip() for line in lines if line.strip())
