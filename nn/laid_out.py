"""The network view laid out once by Graphviz, then filled with numbers and edge widths in Python.

draw_network draws each number as a token (nn.page_data's Slots) and Graphviz lays the drawing
out once. The SVG is then cut into literal text and holes: one hole per number, and one per
stroke width of a trained parameter's edges. Filling the holes is a string join, so a view that
changes every few training steps never runs Graphviz again and its picture never moves.

A number alone on its line (an input, a neuron's output, a shared parameter's share) is centred where
its token was: at x + w/2, with x and w the token line's start and width in Graphviz's own
layout (its json output). Other numbers start where their token started.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence

from autograd import Value
from autograd.draw import number
from autograd.renderer import pipe
from nn.draw import MAX_EDGES, draw_network
from nn.modules import MLP, Made
from nn.page_data import CENTRED, Slots, drawn_with_slots, parameter_edges

WIDTH = "width"  # the holes of an edge's stroke width, one per trained parameter's edge part
UNKNOWN = "?"  # a number not known yet, such as a gradient before the first backward pass
HOLE = re.compile("\x00(\\d+)\x00")  # a hole while the template is built: Graphviz writes no NUL
SLOT_TEXT = re.compile(
    r'<text id="network-(\w+)-(\d+)" data-before="([^"]*)" data-after="([^"]*)"( data-centred="")? '
    r"([^>]*)>[^<]*</text>"
)
EDGE = re.compile(r'<g id="([^"]+)" class="edge">(.*?)</g>', re.S)
STROKE_PART = re.compile(r"<(path|polygon)\b([^>]*?)(/?)>")
STROKE_WIDTH = re.compile(r' stroke-width="[^"]*"')
POINTS_PER_PX = 0.75  # Graphviz sizes its SVG in points, 3/4 of a CSS pixel


class LaidOutNetwork:
    """draw_network's picture of `model` on `inputs`, laid out once; `fill` writes the numbers in.

    `width_px`, `height_px` and `view_box` are the picture's size and coordinates.
    """

    def __init__(
        self,
        model: MLP,
        inputs: Sequence[float],
        input_names: Sequence[str] = (),
        *,
        frozen: Iterable[Value] = (),
        digits: int = 4,
        max_edges: int = MAX_EDGES,
    ) -> None:
        self.digits = digits
        held = set(frozen)
        made: Made = {}
        model.forward([Value(x) for x in inputs], made=made)  # the structure, so shared parameters get share slots
        drawing, svg, slots = drawn_with_slots(
            "network",
            lambda slots: draw_network(
                model, inputs, input_names, made=made, frozen=held, max_edges=max_edges, text=slots
            ),
        )
        centres = _centres(json.loads(pipe(drawing.source, "json")), slots)
        self.holes: list[tuple[str, int]] = []
        svg = SLOT_TEXT.sub(lambda found: self._number_hole(found, centres), slots.mark(svg))
        params = model.parameters()
        trained = {edge: p for p, edges in parameter_edges(model).items() if params[p] not in held for edge in edges}
        svg = EDGE.sub(lambda found: self._width_holes(found, trained), svg)
        self.width_px, self.height_px, self.view_box = _size(svg)
        parts = HOLE.split(svg[svg.index(">") + 1 : svg.rindex("</svg>")])
        self.literals = parts[::2]
        self.holes = [self.holes[int(k)] for k in parts[1::2]]  # in the order they appear

    def fill(self, numbers: Mapping[str, Sequence[float]]) -> str:
        """The picture's inside (no <svg> element around it) with every hole filled: numbers[quantity][index]
        for a number, to `digits` significant digits ("?" for a quantity not given), and numbers["width"][p]
        for parameter p's edges."""
        texts = [self._text(numbers, quantity, index) for quantity, index in self.holes]
        return "".join(itertools.chain.from_iterable(zip(self.literals, [*texts, ""], strict=True)))

    def _text(self, numbers: Mapping[str, Sequence[float]], quantity: str, index: int) -> str:
        if quantity == WIDTH:
            return f"{numbers[WIDTH][index]:.2f}"
        return number(numbers[quantity][index], self.digits) if quantity in numbers else UNKNOWN

    def _hole(self, quantity: str, index: int) -> str:
        self.holes.append((quantity, index))
        return f"\x00{len(self.holes) - 1}\x00"

    def _number_hole(self, found: re.Match[str], centres: dict[tuple[str, int], float]) -> str:
        quantity, index, before, after, centred, attributes = found.groups()
        if centred:
            attributes = re.sub(r'\bx="[^"]*"', f'x="{centres[(quantity, int(index))]:.2f}"', attributes)
            attributes = attributes.replace('text-anchor="start"', 'text-anchor="middle"')
        return f"<text {attributes}>{before}{self._hole(quantity, int(index))}{after}</text>"

    def _width_holes(self, found: re.Match[str], trained: dict[str, int]) -> str:
        written, inside = found.groups()
        edge = html.unescape(written)  # dot writes the - of an id as &#45;
        if edge not in trained:
            return found.group(0)

        def widened(part: re.Match[str]) -> str:
            tag, attributes, end = part.groups()
            kept = STROKE_WIDTH.sub("", attributes)
            return f'<{tag}{kept} stroke-width="{self._hole(WIDTH, trained[edge])}"{end}>'

        return f'<g id="{written}" class="edge">{STROKE_PART.sub(widened, inside)}</g>'


def _centres(layout: dict[str, object], slots: Slots) -> dict[tuple[str, int], float]:
    """Where each centred number's line is centred: its start plus half its width, from Graphviz's json."""
    centres = {}
    objects = layout.get("objects", [])
    assert isinstance(objects, list)
    for item in objects:
        for operation in item.get("_ldraw_", []):
            if operation.get("op") != "T":
                continue
            places = slots.places
            tokens = [t for t in slots.token.finditer(operation["text"]) if int(t.group(1)) < len(places)]
            if tokens and places[int(tokens[-1].group(1))][0] in CENTRED:
                centres[places[int(tokens[-1].group(1))]] = operation["pt"][0] + operation["width"] / 2
    return centres


def _size(svg: str) -> tuple[float, float, str]:
    """The width and height in CSS pixels of Graphviz's <svg> (which it gives in points), and its viewBox."""
    opening = svg[: svg.index(">")]
    found = {name: re.search(rf'\b{name}="([^"]*)"', opening) for name in ("width", "height", "viewBox")}
    width, height, view_box = (match.group(1) if match else "" for match in found.values())
    return float(width.removesuffix("pt")) / POINTS_PER_PX, float(height.removesuffix("pt")) / POINTS_PER_PX, view_box
