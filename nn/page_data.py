"""The contract between Python and the live page: what the page's data holds, and which element shows what.

write_html hands the page one JSON object:

    title, steps, inputs      the run
    frames                    one Frame (nn.recorder) per recorded step, as an object of its fields
    slots                     per view, the id of the <text> that shows each number, keyed by what it is:
        graph:   data[i], grad[i] of value i (topological order), flow[e] of edge e, which shows
                 local[e] × grad[parent]: the share of d(loss)/d(operand) that flows along the edge
        network: x[i] of input i; out[j] of neuron j (across layers), which shows out[j] in the
                 forward phase and out_grad[j] in the backward one (out_grad lists the same ids);
                 value[p], grad[p] of parameter p (as model.parameters() lists them; grad shows
                 the frame's pgrad); share[s] of shared-parameter edge s (nn.shares)
        readout: loss, step
    graph                     nodes (name, inD: the name as a derivative writes it, w5 in dE/dw5
                              and (a*b) in dE/d(a*b), formula, leaf, and the ids of the value, its
                              operation and the edge between), edges (parent, child, ids), root, and params in
                              reading order (name, node, derivative, edges, the paths where there
                              are at most PATHS_LISTED, and their count written out, "3,486,784,402":
                              a JSON number would round a count above 2^53)
    network                   neurons, frozen parameters, each parameter's edge ids, and the one
                              width scale of the run: width = thinnest + wider × |dE/dw| / steepest
    chart                     the marker's place (x, y) at each frame, and the plot's top and bottom
    live                      what the page needs to recompute every number as its reader edits
                              (live_data): the graph's nodes that the generated backprop's leaves,
                              the parameters, the neurons' outputs and the shared parameters' shares are,
                              which of its leaves or constants each input and target is, the
                              learning rate, and the names the page and window.chainrule use

The forward and backward pass itself is JavaScript written by autograd.javascript from the
recorded loss's graph; write_html puts it in the page beside the data.

Every id is made by autograd.ids. A number's <text> also carries data-before and data-after,
the text around the number in the drawing ("grad " before a grad), and data-centred where
the number stands alone on its line. Layouts are Graphviz's: each number is drawn as a token
as wide as any number the page shows, found in the SVG and given its slot's id.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, cast

from autograd import Value, explain, ids, topological_order
from autograd.draw import Drawing
from autograd.explain import derivative, numbered_labels, stop_names
from autograd.javascript import JavaScript, javascript
from autograd.labels import on_one_line
from autograd.notation import expression, in_derivative, symbol
from autograd.renderer import pipe
from nn.chart import Scale
from nn.draw import THINNEST, WIDER, parameter_name
from nn.losses import BINARY_CROSS_ENTROPY, HINGE, MEAN_SQUARED_ERROR, SQUARED_ERROR
from nn.modules import MLP, net_by_dot, nodes_of
from nn.recorder import Frame, Recording
from nn.shares import place_edge, places, shared_places

PREFIXES = [str(n) for n in range(99, 9, -1)]  # a token is a prefix and 7 digits: as wide as any number shown
TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
CENTRED = {"out", "x", "share", "flow"}  # slots alone on their line, centred where the token was
PATHS_LISTED = 64  # a parameter's derivation lists its paths up to this many; above, the page gives their count


class Slots:
    """The numbers of one drawing: each drawn as a token (its prefix and 7 digits: 990000012), and
    remembered as (quantity, index)."""

    def __init__(self, view: str, prefix: str = PREFIXES[0]) -> None:
        self.view = view
        self.prefix = prefix
        self.token = re.compile(rf"{prefix}(\d{{7}})")
        self.places: list[tuple[str, int]] = []
        self.table: dict[str, dict[int, str]] = {}

    def __call__(self, quantity: str, index: int, _x: float) -> str:
        self.places.append((quantity, index))
        return f"{self.prefix}{len(self.places) - 1:07d}"

    def unique_in(self, text: str) -> bool:
        """Whether each token appears in `text` (the drawing's SVG) once: not where user text (a label
        such as 990000003) reads like a token too."""
        found = Counter(re.findall(rf"(?=({self.prefix}\d{{7}}))", text))
        tokens = [f"{self.prefix}{i:07d}" for i in range(len(self.places))]
        return all(found[token] == 1 for token in tokens)

    def mark(self, svg: str) -> str:
        """The SVG with each token's <text> given its slot's id and the text before and after the token
        (the page measures the token, then writes the numbers in between)."""

        def marked(match: re.Match[str]) -> str:
            attributes, content = match.groups()
            tokens = [t for t in self.token.finditer(content) if int(t.group(1)) < len(self.places)]
            if not tokens:
                return match.group(0)
            token = tokens[-1]  # a number is the last thing in its text; a label's digits come before it
            quantity, index = self.places[int(token.group(1))]
            before, after = (_attribute(part) for part in (content[: token.start()], content[token.end() :]))
            centred = ' data-centred=""' if quantity in CENTRED else ""
            slot = ids.slot(self.view, quantity, index)
            self.table.setdefault(quantity, {})[index] = slot
            return (
                f'<text id="{slot}" data-before="{before}" data-after="{after}"{centred} {attributes}>{content}</text>'
            )

        return TEXT.sub(marked, svg)

    def ids(self) -> dict[str, list[str]]:
        """Each quantity's slot ids by index; every number drawn must have been found in the SVG."""
        found: dict[str, list[str]] = {}
        for quantity, slots in self.table.items():
            found[quantity] = [slots[i] for i in range(len(slots))]
        drawn = Counter(quantity for quantity, _ in self.places)
        if {q: len(s) for q, s in found.items()} != dict(drawn):
            raise RuntimeError(f"the {self.view} layout lost numbers: drew {dict(drawn)}, found {found}")
        return found


def drawn_with_slots(view: str, draw: Callable[[Slots], Drawing]) -> tuple[Drawing, str, Slots]:
    """`draw(slots)`'s drawing, its SVG (from the <svg> element on) and its slots, each token in the SVG
    once: where user text reads like a token (a label 990000003), the drawing is made again with tokens
    of another prefix (980000003), so that no label takes a number's place."""
    for prefix in PREFIXES:
        slots = Slots(view, prefix)
        drawing = draw(slots)
        svg = pipe(drawing.source, "svg").decode("utf-8")
        if slots.unique_in(svg):
            return drawing, svg[svg.index("<svg") :], slots
    raise ValueError(f"the {view} view's labels hold digits that read as the page's number tokens of every prefix")


def _attribute(text: str) -> str:
    """SVG text content (entities escaped for text) escaped for a double-quoted attribute instead."""
    return html.escape(html.unescape(text), quote=True)


def graph_data(
    recording: Recording, order: list[Value], numbers: Mapping[int, Mapping[int, str]] | None = None
) -> dict[str, object]:
    """The graph view's nodes, edges and parameters (see the module docstring); `numbers` names the plain
    numbers the page can change, by node index and place (named_numbers)."""
    root = recording.root
    params = recording.model.parameters()
    called = _names(recording)["params"]  # as window.chainrule calls them, each name once
    unlabelled = {p: called[i] for i, p in enumerate(params) if not p.label}  # "parameter 3"
    named = stop_names(order, given=unlabelled)
    names = {v: named.get(v) or f"v{i}" for i, v in enumerate(order)}
    index = {v: i for i, v in enumerate(order)}
    edges = [(index[v], k, index[child]) for v in order for k, child in enumerate(v.children)]
    edge_of = {(parent, k): e for e, (parent, k, _child) in enumerate(edges)}
    nodes = [
        {
            "name": names[v],
            "inD": in_derivative(names[v]),
            "formula": formula(v, names, (numbers or {}).get(i)),
            "leaf": not v.op,
            "id": ids.value(i),
        }
        | ({"op": ids.operation(i), "opOut": ids.operation_out(i)} if v.op else {})
        for i, v in enumerate(order)
    ]
    listed = []
    position = {p: i for i, p in enumerate(params)}
    for p in reading_order(params):
        if p not in index:
            continue
        on_paths, count = _paths_to(p, order, edge_of, index)
        entry: dict[str, object] = {
            "name": called[position[p]], "node": index[p], "edges": on_paths, "count": f"{count:,}",
            "derivative": derivative(names[root], names[p]),
        }  # fmt: skip
        if count <= PATHS_LISTED:
            derivation = explain(root, p, max_paths=PATHS_LISTED, names=unlabelled)
            entry["derivative"] = derivation.derivative
            entry["paths"] = [
                [{"name": f.name, "edges": [edge_of[(index[n], k)] for n, k in f.edges]} for f in path]
                for path in derivation.paths
            ]
        listed.append(entry)
    return {
        "nodes": nodes,
        "edges": [
            {"parent": parent, "child": child, "ids": [ids.operand(parent, k), *ids.halves(ids.operand(parent, k))]}
            for parent, k, child in edges
        ],
        "root": index[root],
        "params": listed,
    }


def _paths_to(
    p: Value, order: list[Value], edge_of: dict[tuple[int, int], int], index: dict[Value, int]
) -> tuple[list[int], int]:
    """The edges on some path from the root (last in `order`) down to p, and the number of such paths."""
    reaches: set[Value] = {p}
    for v in order:
        if any(child in reaches for child in v.children):
            reaches.add(v)
    paths = dict.fromkeys(order, 0)
    paths[order[-1]] = 1
    on_paths = []
    for v in reversed(order):
        for k, child in enumerate(v.children):
            if child in reaches and paths[v]:
                paths[child] += paths[v]
                on_paths.append(edge_of[(index[v], k)])
    return sorted(on_paths), paths[p]


def reading_order(params: Sequence[Value]) -> list[Value]:
    """Parameters as an article lists them: by name, numbers compared as numbers (w2 before w10), names
    of one stem (w, b) together, stems in the order the model first uses them; unnamed ones last."""
    stems: dict[str, int] = {}
    for p in params:
        stems.setdefault(_stem(p.label), len(stems))

    def key(p: Value) -> tuple[int, list[tuple[int, str]]]:
        parts = re.split(r"(\d+)", p.label)
        return stems[_stem(p.label)], [(int(part), "") if part.isdigit() else (-1, part) for part in parts]

    named = sorted((p for p in params if p.label), key=key)
    return named + [p for p in params if not p.label]


def _stem(label: str) -> str:
    return re.split(r"\d", label, maxsplit=1)[0]


def parameter_edges(model: MLP) -> dict[int, list[str]]:
    """The ids of the edges (edge parts) draw_network draws for each parameter, by its index in parameters()."""
    position = {p: i for i, p in enumerate(model.parameters())}
    edges: dict[int, list[str]] = {}
    for p, used in places(model).items():
        for place in used:
            k, j, i = place
            if i is not None:
                edges.setdefault(position[p], []).extend(ids.halves(ids.weight_edge(k, j, i)))
            elif len(used) > 1:  # a shared parameter's bias edge carries its share, on a label node
                edges.setdefault(position[p], []).extend(ids.halves(ids.bias_edge(k, j)))
            else:
                edges.setdefault(position[p], []).append(ids.bias_edge(k, j))
    return edges


def network_data(recording: Recording) -> dict[str, object]:
    """The network view's neurons, frozen parameters, each parameter's edge ids and the run's width scale."""
    model = recording.model
    params = model.parameters()
    edges = parameter_edges(model)
    frozen = [i for i, p in enumerate(params) if p in recording.frozen]
    return {
        "neurons": [n.name for layer in model.layers for n in layer.neurons],
        "frozen": frozen,
        "edges": {str(p): edge_ids for p, edge_ids in edges.items()},
        "width": width_scale(recording.frames, [p for p in range(len(params)) if p not in frozen]),
    }


def width_scale(frames: Sequence[Frame], trained: Sequence[int]) -> dict[str, object]:
    """One scale for every step: width = thinnest + wider × |dE/dw| / the steepest |dE/dw| of the run."""
    steepest, at = 0.0, frames[0].step
    for frame in frames:
        for p in trained:
            if abs(frame.pgrad[p]) > steepest:
                steepest, at = abs(frame.pgrad[p]), frame.step
    legend = (
        f"Edge width: {THINNEST} px + {WIDER} px × |dE/dw| / {steepest:.4g}, the steepest |dE/dw| of the run "
        f"(step {at:,}); one scale for every step, so edges thin as training converges."
        if steepest
        else f"Edge width: {THINNEST} px: no trained parameter has a gradient in this run."
    )
    return {"thinnest": THINNEST, "wider": WIDER, "steepest": steepest or 1.0, "legend": legend}


def chart_data(scale: Scale, frames: Sequence[Frame]) -> dict[str, object]:
    """Where the chart's marker sits at each frame: the recorded run's scale is applied here only. The
    scale itself goes too, for the page to place the steps it trains beyond the recording (nn.chart
    gives its formula)."""
    return {
        "markers": [[round(scale.x(f.step), 1), round(scale.y(f.loss), 1)] for f in frames],
        "top": scale.top,
        "bottom": scale.top + scale.height,
        "scale": scale.as_dict(),
    }


def frames_data(frames: Sequence[Frame]) -> list[dict[str, object]]:
    return [asdict(frame) for frame in frames]


def formula(v: Value, names: dict[Value, str], numbers: Mapping[int, str] | None = None) -> str:
    """How v is computed from its operands, as explain writes it but with the symbol the graph draws where
    that is a function's name: "y = x*2", "net_h1 = w1·i1 + w2·i2 + b1", "o1 = σ(net_o1)",
    "E = squared_error(o1, o2, 0.01, 0.99)" (a loss's symbol is a formula: its name is written); empty
    for a leaf, and the expression alone where it is v's name. A plain number the page can change is
    written by its name in `numbers` (by its place in v.arguments): "E = squared_error(o1, target o1)";
    where v has no label, its name (spelled with the recorded number) is left out."""
    if not v.op:
        return ""
    spelled = cast(str, expression(v, names, limit=None, numbers=numbers))  # every operand is named: not None
    drawn = symbol(v)
    named_by_spelling = spelled == names[v]  # an unlabelled node named as explain spells it: sigmoid(o2)
    if drawn.isidentifier() and spelled.startswith(f"{v.op}("):
        spelled = drawn + spelled[len(v.op) :]  # σ(net_o1), as its oval reads
    if named_by_spelling or (numbers and not v.label):
        return spelled  # an unlabelled node's name spells the recorded numbers an edit changes: 2 - o1
    return f"{names[v]} = {spelled}"


def live_data(recording: Recording, order: list[Value]) -> tuple[JavaScript, dict[str, object]]:
    """The generated backprop of the recorded loss (its leaves: every leaf of the graph), and the page's
    map from what it shows and edits to that function's numbers, all by node, edge, leaf or constant index:

        leaves    the node of each of backprop's leaves
        params    the node of each parameter (model.parameters() order); out: each neuron's output node
        shares    per edge of a parameter used at several places (nn.shares), its net node and the edge
        constants backprop's constants' recorded numbers (autograd.javascript.Constant.value)
        inputs    per input, the leaves or constants that hold it (null where the page cannot edit it)
        targets   per target, its constant of the loss node (null where the page cannot edit them);
                  recordedTargets: the recorded targets (empty where the recording has none)
        lr        the learning rate (null where it was not recorded)
        why       for each of inputs, targets and lr that is null, the reason, in words
        names     the name of each input, parameter and target, as the page shows it and
                  window.chainrule takes it (each name once, "lr" the learning rate's)
    """
    program = javascript(recording.root, [v for v in order if not v.op], order)
    index = {v: i for i, v in enumerate(order)}
    model = recording.model
    neurons = [n for layer in model.layers for n in layer.neurons]
    shares = []
    for place in shared_places(model):
        net, edge = place_edge(model, recording.made, place)
        shares.append([index[net], [_edge_number(net, edge, index)]])
    inputs, inputs_why = _input_places(recording, program, index)
    targets, targets_why = _target_places(recording, program, len(order) - 1)
    why = {"inputs": inputs_why, "targets": targets_why}
    if recording.lr is None:
        why["lr"] = "not recorded (Recorder(..., lr=...))"
    names = _names(recording)
    return program, {
        "leaves": [index[leaf] for leaf in program.leaves],
        "params": [index[p] for p in model.parameters()],
        "out": [index[nodes_of(n, recording.made).out] for n in neurons],
        "shares": shares,
        "constants": [c.value for c in program.constants],
        "inputs": inputs,
        "targets": targets,
        "recordedTargets": recording.targets or [],
        "lr": recording.lr,
        "why": {key: reason for key, reason in why.items() if reason},
        "names": names,
    }


def named_numbers(program: JavaScript, live: dict[str, Any]) -> dict[int, dict[int, str]]:
    """The name of each plain number the page can change (an input a first-layer neuron reads as a number, a
    target the loss keeps), by its node's index and its place among the node's arguments, from live_data's
    places and names: a formula that wrote the number would keep the recorded one after an edit."""
    names, held = live["names"], []
    if live["inputs"] is not None:
        for name, places in zip(names["inputs"], live["inputs"], strict=True):
            held += [(name, j) for kind, j in places if kind == "constant"]
    if live["targets"] is not None:
        held += zip(names["targets"], live["targets"], strict=True)
    named: dict[int, dict[int, str]] = {}
    for name, j in held:
        number = program.constants[j]
        named.setdefault(number.node, {})[number.operand] = name
    return named


def _names(recording: Recording) -> dict[str, list[str]]:
    """What the page calls each input (its name), parameter (its label, numbered as explain() numbers a label
    that several values of the graph carry, else "parameter 3") and target ("target o1", after its output
    neuron), each name once; "lr" is the learning rate's alone."""
    model = recording.model
    outputs = [n.name for n in model.layers[-1].neurons]
    targets = recording.targets or []
    by_output = len(outputs) == len(targets) and all(outputs)
    target_names = [f"target {outputs[k]}" if by_output else f"target {k + 1}" for k in range(len(targets))]
    numbered = numbered_labels(topological_order(recording.root))  # a label several values carry: w#1, w#2
    label = {p: numbered.get(p) or on_one_line(p.label) for p in model.parameters() if p.label}
    taken = {"lr", *label.values(), *(on_one_line(name) for name in [*recording.input_names, *target_names])}
    params = [
        label[p] if p.label else _free(parameter_name(p, i), taken) for i, p in enumerate(model.parameters())
    ]  # a name of one's own keeps it; "parameter 3" yields to it
    named = _unique([on_one_line(name) for name in ["lr", *recording.input_names, *params, *target_names]])[1:]
    width = len(recording.input_names)
    return {
        "inputs": named[:width],
        "params": named[width : width + len(params)],
        "targets": named[width + len(params) :],
    }


def _edge_number(node: Value, k: int, index: dict[Value, int]) -> int:
    """The page's number of the edge from node's k-th child: edges are numbered node by node, in order."""
    return sum(len(v.children) for v in list(index)[: index[node]]) + k


def _input_places(
    recording: Recording, program: JavaScript, index: dict[Value, int]
) -> tuple[list[list[list[object]]] | None, str]:
    """Each input's places in the graph: ["leaf", k] (a Value the loss read) or ["constant", c] (a plain
    number in a first-layer neuron's w·x + b), read from each first-layer neuron's net node."""
    leaf_of = {node: k for k, node in enumerate(program.leaves)}
    constant_of = {(c.node, c.operand): j for j, c in enumerate(program.constants)}
    places: list[list[list[object]]] = [[] for _ in recording.inputs]
    for neuron in recording.model.layers[0].neurons:
        net = nodes_of(neuron, recording.made).net
        arguments, n = net.arguments, len(neuron.w)
        first = 1 if net_by_dot(neuron, net) else next((k for k, x in enumerate(arguments) if x is neuron.w[0]), None)
        if first is None or any(arguments[first + i] is not w for i, w in enumerate(neuron.w)):
            return None, f"neuron {neuron.name}'s net input is not w·x + b as nn.modules makes it"
        for i, x in enumerate(arguments[first + n : first + 2 * n]):
            if isinstance(x, Value) and x in leaf_of:
                place: list[object] = ["leaf", leaf_of[x]]
            elif not isinstance(x, Value) and (index[net], first + n + i) in constant_of:
                place = ["constant", constant_of[index[net], first + n + i]]
            else:
                return None, f"input {recording.input_names[i]} is computed in the graph, not read as a number"
            if (x.data if isinstance(x, Value) else x) != recording.inputs[i]:
                return None, "the loss's graph reads other inputs than the one example the network view shows"
            if place not in places[i]:
                places[i].append(place)
    return places, ""


# The losses whose targets the page edits: each keeps its outputs, then its targets as plain numbers.
TARGETS_AFTER_OUTPUTS = (SQUARED_ERROR, MEAN_SQUARED_ERROR, HINGE, BINARY_CROSS_ENTROPY)


def _target_places(recording: Recording, program: JavaScript, root: int) -> tuple[list[int] | None, str]:
    """Each target's constant of the loss node, where the loss is one of nn.losses' that keep their targets as
    plain numbers after the outputs and holds the recorded targets (a number of another op that equals a
    target, as the 0.5 of squared_error(o, [0.5]) * 0.5, is no target)."""
    if recording.targets is None:
        return None, "not recorded (Recorder(..., targets=...))"
    mine = [(j, c.value) for j, c in enumerate(program.constants) if c.node == root]
    if recording.root.operation not in TARGETS_AFTER_OUTPUTS or [value for _, value in mine] != recording.targets:
        return None, (f"the loss ({recording.root.op}) keeps no targets as plain numbers the page can change")
    return [j for j, _ in mine], ""


def _free(name: str, taken: set[str]) -> str:
    """`name`, or the first of name (2), name (3), ... that is not taken."""
    free, count = name, 1
    while free in taken:
        count += 1
        free = f"{name} ({count})"
    return free


def _unique(names: list[str]) -> list[str]:
    """The names, a repeated one given its count: w, w (2), w (3)."""
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique
