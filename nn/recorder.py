"""Recording a training run for the live view: the numbers of every value, edge and parameter, step by step.

Any training loop records itself: make a Recorder, and call `record(step, loss, made)` after
`loss.backward()` and before the update, with what the loss's forward pass made (nn.modules):

    recorder = Recorder(model, inputs, steps=10_000, frozen=biases, targets=targets, lr=0.5)
    for step in range(10_000):
        made: Made = {}
        loss = squared_error(model.forward(inputs, made=made), targets)
        optimizer.zero_grad()
        loss.backward()
        recorder.record(step, loss, made)
        optimizer.step()
    write_html(recorder.recording, "training.html")

Short runs keep every step; long ones keep `max_frames` steps spread evenly, first and last
included, and a loss curve of at most CURVE_POINTS points. Each kept frame holds, for the
computation graph, every value's data and grad and every edge's local derivative; for the
network, every neuron's output and dE/d(output) (from the output node its forward pass
reported), every parameter's value and grad, and the share on each edge of a parameter used at several
places (nn.shares). The network view shows one example: `inputs`.

A page can let its reader edit the numbers and train on from any step when it knows the targets
and the learning rate: give them as `targets=` and `lr=` (record_training does). Without them
the page shows the run but cannot edit the targets or train.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from numbers import Real

from autograd import Value, topological_order
from nn.frozen import frozen_parameters
from nn.losses import squared_error
from nn.modules import MLP, Made
from nn.optim import SGD, learning_rate
from nn.reported import reported_nodes
from nn.shares import places, shares

CURVE_POINTS = 1_000
Loss = Callable[[Sequence[Value], Sequence[float]], Value]


@dataclass(frozen=True)
class Frame:
    """The numbers of one recorded step, before its update. Lists are indexed as the drawings number
    things: graph values in topological order of the loss, graph edges in that order and each value's
    operands in turn (autograd.ids), neurons across layers, parameters as model.parameters() lists them,
    shared parameters' edges as nn.shares lists them."""

    step: int
    loss: float
    data: list[float]  # each graph value's data
    grad: list[float]  # each graph value's grad
    local: list[float]  # each graph edge's local derivative d(value)/d(operand)
    out: list[float]  # each neuron's output
    out_grad: list[float]  # dE/d(output) of each neuron
    value: list[float]  # each parameter's value
    pgrad: list[float]  # each parameter's grad
    share: list[float]  # the share of dE/dp on each edge of a parameter p used at several places

    def lists(self) -> dict[str, list[float]]:
        """Every list of numbers by its field's name."""
        return {name: numbers for name, numbers in asdict(self).items() if isinstance(numbers, list)}


@dataclass
class Recording:
    """A recorded run: the model and first loss graph (for the layouts), the frames and the loss curve."""

    model: MLP
    root: Value  # the loss of the first recorded step; its graph gives the layout
    made: Made  # what the forward pass of that loss made, each neuron's nodes in root's graph
    inputs: list[float]
    input_names: list[str]
    frozen: set[Value]
    steps: int
    title: str
    targets: list[float] | None = None  # the loss's targets, where the recorder was told them
    lr: float | None = None  # SGD's learning rate, where the recorder was told it
    frames: list[Frame] = field(default_factory=list)
    curve: list[tuple[int, float]] = field(default_factory=list)


def frame_steps(steps: int, max_frames: int) -> list[int]:
    """Every step for short runs; `max_frames` evenly spread steps, first and last included, for long ones."""
    if steps <= max_frames:
        return list(range(steps))
    return sorted({round(i * (steps - 1) / (max_frames - 1)) for i in range(max_frames)})


class Recorder:
    """Records the frames of one training run (see the module docstring)."""

    def __init__(
        self,
        model: MLP,
        inputs: Sequence[float],
        steps: int,
        *,
        frozen: Iterable[Value] | None = (),
        input_names: Sequence[str] = (),
        title: str = "training",
        max_frames: int = 300,
        targets: Sequence[float] | None = None,
        lr: float | None = None,
    ) -> None:
        if not isinstance(model, MLP):
            raise TypeError(
                f"Recorder needs an MLP, got {type(model).__name__}; wrap a single layer as MLP.from_layers([layer])"
            )
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
            raise ValueError(f"a recording needs at least one training step, got steps={steps!r}")
        places(model)  # one Neuron at two places is refused now, not at the first record
        self.model, self.steps, self.title = model, steps, title
        self.inputs = _finite_inputs(model, inputs)
        self.input_names = list(input_names) or [f"x{i + 1}" for i in range(len(self.inputs))]
        if len(self.input_names) != len(self.inputs):
            raise ValueError(f"Recorder got {len(self.input_names)} input names for {len(self.inputs)} inputs")
        blank = next((i for i, name in enumerate(self.input_names, 1) if not str(name).strip()), None)
        if blank is not None:
            raise ValueError(
                f"Recorder needs a name for each input (the page edits it by that name), got "
                f"{self.input_names[blank - 1]!r} for input {blank}"
            )
        self.frozen = frozen_parameters(frozen, model.parameters(), "Recorder")
        self.targets = None if targets is None else _finite_numbers(targets, "target")
        self.lr = None if lr is None else learning_rate(lr, "a recording's learning rate")
        self.keep = set(frame_steps(steps, max_frames))
        self.every = max(1, steps // CURVE_POINTS)
        self._recording: Recording | None = None
        self._size = 0  # the number of nodes in the loss's graph, the same at every step

    def record(self, step: int, loss: Value, made: Made) -> None:
        """Note the numbers of this step: `loss`, and `made`, what its forward pass made
        (model.forward(x, made=made)). Call it after backward(), before the update."""
        if not math.isfinite(loss.data):
            raise ValueError(f"the loss is {loss.data} at step {step}; a recording needs finite numbers")
        recording = self._recording or self._start(loss, made)
        frame = self._frame(step, loss, made) if step in self.keep else None  # checked before anything changes
        self._recording = recording
        if step % self.every == 0 or step == self.steps - 1:
            recording.curve.append((step, loss.data))
        if frame is not None:
            recording.frames.append(frame)

    @property
    def recording(self) -> Recording:
        if self._recording is None:
            raise ValueError("nothing was recorded: call record(step, loss, made) in the training loop")
        return self._recording

    def _start(self, loss: Value, made: Made) -> Recording:
        order = topological_order(loss)
        reported_nodes(self.model, made, set(order), self.inputs)  # the layouts read these nodes
        self._size = len(order)
        return Recording(
            self.model, loss, dict(made), self.inputs, self.input_names, self.frozen, self.steps, self.title,
            self.targets, self.lr,
        )  # fmt: skip

    def _frame(self, step: int, loss: Value, made: Made) -> Frame:
        order = topological_order(loss)
        if len(order) != self._size:
            raise ValueError(
                f"the loss's graph changed shape at step {step}; a recording needs the same graph each step"
            )
        fired = reported_nodes(self.model, made, set(order), self.inputs)
        params = self.model.parameters()
        return Frame(
            step=step,
            loss=loss.data,
            data=[v.data for v in order],
            grad=[v.grad for v in order],
            local=[local for v in order for local in v.local_grads],
            out=[nodes.out.data for nodes in fired],
            out_grad=[nodes.out.grad for nodes in fired],
            value=[p.data for p in params],
            pgrad=[p.grad for p in params],
            share=list(shares(self.model, made).values()),
        )


def record_training(
    model: MLP,
    inputs: Sequence[float],
    targets: float | Sequence[float],
    lr: float,
    steps: int,
    loss: Loss = squared_error,
    frozen: Iterable[Value] | None = (),
    max_frames: int = 300,
    input_names: Sequence[str] = (),
    title: str = "training",
) -> Recording:
    """Train `model` on one example with SGD for `steps` updates, recording as it goes."""
    held = frozen_parameters(frozen, model.parameters(), "record_training()")
    listed = list(targets) if isinstance(targets, Sequence) else [targets]
    recorder = Recorder(
        model, inputs, steps, frozen=held, input_names=input_names, title=title, max_frames=max_frames,
        targets=listed, lr=lr,
    )  # fmt: skip
    optimizer = SGD(model.parameters(), lr, held)
    for step in range(steps):
        named = [Value(x, label=name) for x, name in zip(recorder.inputs, recorder.input_names, strict=True)]
        made: Made = {}
        error = loss(model.forward(named, made=made), listed)  # the inputs as named Values, so the graph shows them
        optimizer.zero_grad()
        error.backward()
        recorder.record(step, error, made)
        try:
            optimizer.step()
        except FloatingPointError as problem:
            raise FloatingPointError(f"training stopped at step {step} (error {error.data}): {problem}") from None
    return recorder.recording


def _finite_inputs(model: MLP, inputs: Sequence[float]) -> list[float]:
    examples = sum(isinstance(x, Sequence) and not isinstance(x, str) for x in inputs)
    if examples:
        raise ValueError(
            f"a Recorder draws one example, so its inputs are one list of numbers; got {len(inputs)} lists "
            f"(a batch?): pass the example to show, such as inputs[0]"
        )
    values = _finite_numbers(inputs, "input")
    width = len(model.layers[0].neurons[0].w)
    if len(values) != width:
        raise ValueError(f"this model takes {width} inputs, the recording got {len(values)}")
    return values


def _finite_numbers(numbers: Sequence[float], what: str) -> list[float]:
    values: list[float] = []
    for i, x in enumerate(numbers):
        if not isinstance(x, Real) or isinstance(x, bool) or not math.isfinite(x):
            raise ValueError(f"{what} {i} is {x!r}; a recording needs finite numbers")
        values.append(float(x))
    return values
