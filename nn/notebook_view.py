"""A view of the network and its error curve in Jupyter that your own training loop updates in place.

    view = TrainingView(model, inputs, steps=1_000, every=10, frozen=biases)
    view.display()                       # one output, here
    for step in range(1_000):
        made: Made = {}
        loss = squared_error(model.forward(inputs, made=made), targets)
        optimizer.zero_grad()
        loss.backward()
        view.update(step, loss, made)    # after backward(), before the update
        optimizer.step()

Every `every` steps, and at the last, the view redraws: each weight and dE/dw on its edge, each
bias with its value and dE/db (a shared parameter's share on each of its edges, read from `made`),
each neuron's output on `inputs`, edges as wide as |dE/dw| / the steepest |dE/dw| (as
draw_network draws them), the error per step so far, with the current step marked. The network
is laid out by Graphviz once, when the view is made (nn.laid_out); a redraw only writes numbers
and widths into that layout, and replaces the output's SVG through its display id, so the
notebook keeps one output for the view, whatever the number of steps.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import Any

from autograd import Value, no_grad, topological_order
from autograd.labels import on_one_line, written_out
from nn.chart import HEIGHT as CHART_HEIGHT
from nn.chart import WIDTH as CHART_WIDTH
from nn.chart import loss_chart
from nn.draw import MAX_EDGES, THINNEST, WIDER, parameter_name
from nn.frozen import frozen_parameters
from nn.laid_out import WIDTH, LaidOutNetwork
from nn.modules import MLP, Made, Neuron, neuron_name, nodes_of
from nn.reported import reported_nodes
from nn.shares import first_shared, shares

HEADER = 34  # pixels above the network for the title and the current step
GAP = 8  # pixels between the network and the chart
CHART_POINTS = 400  # about as many points on the error curve as its plot is wide in pixels, over 2
STYLE = """
.chainrule-view { font-family: Helvetica, Arial, sans-serif; }
.chainrule-view .heading { font-size: 15px; fill: #222; }
.chainrule-view .plot { fill: #fff; stroke: #ccc; }
.chainrule-view .grid { stroke: #eee; }
.chainrule-view .axis { stroke: #666; }
.chainrule-view .tick { font-size: 11px; fill: #666; }
.chainrule-view .title { font-size: 12px; fill: #222; }
.chainrule-view .curve { fill: none; stroke: #2a6fb0; stroke-width: 1.5; }
.chainrule-view .marker { display: none; }
.chainrule-view .now { fill: #d62728; stroke: #d62728; stroke-dasharray: 3 3; }
"""


class TrainingView:
    """The network `model` on `inputs` and the error curve of a run of `steps` steps, redrawn every
    `every` steps (see the module docstring). Parameters in `frozen` are drawn grey and thin."""

    def __init__(
        self,
        model: MLP,
        inputs: Sequence[float],
        steps: int,
        *,
        every: int = 10,
        frozen: Iterable[Value] | None = (),
        input_names: Sequence[str] = (),
        title: str = "training",
        digits: int = 4,
        max_edges: int = MAX_EDGES,
    ) -> None:
        if not isinstance(model, MLP):
            raise TypeError(
                f"TrainingView needs an MLP, got {type(model).__name__}; "
                "wrap a single layer as MLP.from_layers([layer])"
            )
        self.steps = _count("steps", steps)
        self.every = _count("every", every)
        self.model, self.title = model, title
        self.inputs = _finite_inputs(inputs)
        self.frozen = frozen_parameters(frozen, model.parameters(), "TrainingView")
        self.network = LaidOutNetwork(
            model, self.inputs, input_names, frozen=self.frozen, digits=digits, max_edges=max_edges
        )
        self.curve: list[tuple[int, float]] = []  # (step, error), at most about CHART_POINTS of them
        self.step: int | None = None  # the last step update() was given
        self.drawn: int | None = None  # the step the picture shows
        self.redraws = 0
        self._curve_every = max(1, steps // CHART_POINTS)
        self._shared = _shared(model)
        self._handle: Any = None
        self.svg = self._picture(self._numbers_before_training(), heading="before the first update")

    def display(self) -> None:
        """Show the view as this cell's output; update() then replaces that output in place."""
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ModuleNotFoundError:
            raise ModuleNotFoundError("TrainingView.display() runs in Jupyter: it needs IPython") from None
        if get_ipython() is None:
            raise RuntimeError(
                "TrainingView.display() shows the view in Jupyter (or IPython); outside it, write view.svg to a file"
            )
        self._handle = display(self, display_id=True)  # type: ignore[no-untyped-call]

    def update(self, step: int, loss: Value | float, made: Made | None = None) -> None:
        """Note this step's error; every `every` steps and at the last, redraw with the model's numbers now.

        Call it after backward() and before the optimizer's step. `made` is what the loss's forward
        pass made (model.forward(x, made=made)); a model that uses a parameter at several places needs it,
        for each of the parameter's edges shows its own share of dE/dp.
        """
        error = self._checked(step, loss, made)
        last = step == self.steps - 1
        numbers = self._numbers(step, loss, made) if step % self.every == 0 or last else None  # checked first
        self.step = step
        if step % self._curve_every == 0 or last:
            self.curve.append((step, error))
        if numbers is not None:
            self.drawn, self.redraws = step, self.redraws + 1
            self.svg = self._picture(numbers, step, error)
            if self._handle is not None:
                self._handle.update(self)

    def _repr_svg_(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        shown = "before the first update" if self.drawn is None else f"step {self.drawn:,} of {self.steps:,}"
        return f"<TrainingView {self.title!r}: {shown}>"

    def _checked(self, step: int, loss: Value | float, made: Made | None) -> float:
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step < self.steps:
            raise ValueError(f"update() needs a step from 0 to {self.steps - 1} (steps={self.steps}), got {step!r}")
        if self.step is not None and step <= self.step:
            raise ValueError(
                f"update() got step {step} after step {self.step}; steps go forward: make a new TrainingView "
                "for a new run"
            )
        error = loss.data if isinstance(loss, Value) else loss
        if not isinstance(error, Real) or isinstance(error, bool) or not math.isfinite(error):
            raise ValueError(f"the loss is {error!r} at step {step}; the view draws finite errors only")
        if made is None and self._shared:
            raise ValueError(
                f"this model uses {self._shared}: pass update(step, loss, made), made being the "
                "dict the loss's forward pass filled (model.forward(x, made=made)), so each of its edges shows "
                "its share"
            )
        return float(error)

    def _numbers(self, step: int, loss: Value | float, made: Made | None) -> dict[str, list[float]]:
        """Every number the picture shows at `step`, by quantity, as draw_network numbers them; a shared
        parameter's shares from `made`, once it is the forward pass of `loss` on the example shown."""
        params = self.model.parameters()
        if made is not None and self._shared:
            if not isinstance(loss, Value):
                raise TypeError(
                    f"update() reads the shares of {self._shared} from made: pass the loss Value itself, not "
                    f"{loss!r}, so that made can be checked to be its forward pass"
                )
            reported_nodes(self.model, made, set(topological_order(loss)), self.inputs)
        numbers = {
            **self._numbers_before_training(),
            "grad": [p.grad for p in params],
            "share": list(shares(self.model, made).values()) if made is not None else [],
            WIDTH: _widths([p.grad for p in params], [p in self.frozen for p in params]),
        }
        _check_finite(numbers, self.model, step)
        return numbers

    def _numbers_before_training(self) -> dict[str, list[float]]:
        """The numbers known without a backward pass: inputs, outputs on them, parameters; edges thin."""
        params = self.model.parameters()
        fired: Made = {}
        with no_grad():
            self.model.forward([Value(x) for x in self.inputs], made=fired)
        return {
            "x": self.inputs,
            "out": [nodes_of(n, fired).out.data for n in _neurons(self.model)],
            "value": [p.data for p in params],
            WIDTH: [THINNEST] * len(params),
        }

    def _picture(self, numbers: dict[str, list[float]], step: int | None = None, error: float = 0.0, *,
                 heading: str = "") -> str:  # fmt: skip
        """The whole view as one SVG: the heading, the network, the chart."""
        network = self.network
        width = max(network.width_px, CHART_WIDTH)
        chart_top = HEADER + network.height_px + GAP
        height = chart_top + CHART_HEIGHT
        if step is not None:
            heading = f"step {step:,} of {self.steps:,}, error {error:.4g}"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-view" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" style="max-width: 100%; height: auto">'
            f"<style>{STYLE}</style>"
            f'<text x="8" y="22" class="heading"><tspan font-weight="bold">{_text(self.title)}</tspan>'
            f'<tspan dx="12">{heading}</tspan></text>'
            f'<svg x="0" y="{HEADER}" width="{network.width_px:.1f}" height="{network.height_px:.1f}" '
            f'viewBox="{network.view_box}">{network.fill(numbers)}</svg>'
            f'<svg x="0" y="{chart_top:.1f}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}">'
            f"{self._chart(step, error)}</svg>"
            "</svg>"
        )

    def _chart(self, step: int | None, error: float) -> str:
        """The error curve so far (loss_chart's, on the run's whole step axis), the current step marked."""
        if step is None:
            return (
                f'<text x="{CHART_WIDTH / 2}" y="{CHART_HEIGHT / 2}" text-anchor="middle" class="tick">'
                "the error per step appears here once training starts</text>"
            )
        now = [(step, error)] if not self.curve or self.curve[-1][0] != step else []  # up to the current step
        chart, scale = loss_chart([*self.curve, *now], self.steps)
        x, y = scale.x(step), scale.y(error)
        marker = (
            f'<line x1="{x:.1f}" y1="{scale.top}" x2="{x:.1f}" y2="{scale.top + scale.height}" class="now"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="now"/>'
        )
        return chart[chart.index(">") + 1 : chart.rindex("</svg>")] + marker


def _text(text: str) -> str:
    """User text as SVG text: each control character written out (\\x1b), for XML cannot hold most
    of them, then & < > " ' escaped."""
    return html.escape(written_out(text), quote=True)


def _widths(grads: list[float], frozen: list[bool]) -> list[float]:
    """Each parameter's edge width, as draw_network has it: THINNEST + WIDER · |dE/dp| / the steepest
    |dE/dp| of the trained parameters; THINNEST for a frozen one."""
    steepest = max((abs(g) for g, held in zip(grads, frozen, strict=True) if not held), default=0.0) or 1.0
    return [THINNEST if held else THINNEST + WIDER * abs(g) / steepest for g, held in zip(grads, frozen, strict=True)]


def _check_finite(numbers: dict[str, list[float]], model: MLP, step: int | None) -> None:
    """A ValueError naming the first number that is NaN or infinite."""
    params = [on_one_line(p.label) or repr(p) for p in model.parameters()]
    neurons = [neuron_name(n) for n in _neurons(model)]
    named = {
        "value": ("the value of", params),
        "grad": ("the gradient of", params),
        "out": ("the output on the inputs of neuron", neurons),
        "share": ("the share of shared-parameter edge", [str(s) for s in range(len(numbers["share"]))]),
    }
    for quantity, (what, names) in named.items():
        for name, x in zip(names, numbers[quantity], strict=True):
            if not math.isfinite(x):
                raise ValueError(
                    f"{what} {name} is {x} at step {step}; the view draws finite numbers only "
                    "(detect_anomaly() finds the op that made it)"
                )


def _neurons(model: MLP) -> list[Neuron]:
    return [n for layer in model.layers for n in layer.neurons]


def _count(name: str, n: int) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"TrainingView needs {name} to be a whole number of steps, at least 1, got {name}={n!r}")
    return n


def _finite_inputs(inputs: Sequence[float]) -> list[float]:
    values = [x.data if isinstance(x, Value) else x for x in inputs]
    for i, x in enumerate(values):
        if not isinstance(x, Real) or isinstance(x, bool) or not math.isfinite(x):
            raise ValueError(f"input {i} is {x!r}; the view draws finite numbers only")
    return [float(x) for x in values]


def _shared(model: MLP) -> str:
    """The first parameter the model uses at several places, and how many ("b1 at 2 places"); "" where none."""
    found = first_shared(model)
    if found is None:
        return ""
    i, p, count = found
    return f"{on_one_line(parameter_name(p, i))} at {count} places"
