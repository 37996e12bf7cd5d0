"""Recording a training run for the live view: the numbers of every value, edge and parameter, step by step.

Any training loop records itself: make a Recorder, and call `record(step, loss)` after
`loss.backward()` and before the update.

    recorder = Recorder(model, inputs, steps=10_000, frozen=biases)
    for step in range(10_000):
        loss = squared_error(model.forward(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        recorder.record(step, loss)
        optimizer.step()
    write_html(recorder.recording, "training.html")

Short runs keep every step; long ones keep `max_frames` steps spread evenly, first and last
included, and a loss curve of at most CURVE_POINTS points. Each kept frame holds, for the
computation graph, every value's data and grad and every edge's local derivative; for the
network, every neuron's output and dE/d(output), every parameter's value and grad, and each
shared bias's share on each of its edges. The network view shows one example: `inputs`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from numbers import Real

from autograd import Value, topological_order
from nn.losses import squared_error
from nn.modules import MLP, Neuron, bias_shares
from nn.optim import SGD

CURVE_POINTS = 1_000
Frame = dict[str, object]
Loss = Callable[[Sequence[Value], Sequence[float]], Value]


@dataclass
class Recording:
    """A recorded run: the model and first loss graph (for the layouts), the frames and the loss curve."""

    model: MLP
    root: Value  # the loss of the first recorded step; its graph gives the layout
    inputs: list[float]
    input_names: list[str]
    frozen: set[Value]
    steps: int
    title: str
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
        frozen: Iterable[Value] = (),
        input_names: Sequence[str] = (),
        title: str = "training",
        max_frames: int = 300,
    ) -> None:
        if not isinstance(model, MLP):
            raise TypeError(
                f"Recorder needs an MLP, got {type(model).__name__}; wrap a single layer as MLP.from_layers([layer])"
            )
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
            raise ValueError(f"a recording needs at least one training step, got steps={steps!r}")
        self.model, self.steps, self.title = model, steps, title
        self.inputs = _finite_inputs(model, inputs)
        self.input_names = list(input_names) or [f"x{i + 1}" for i in range(len(self.inputs))]
        if len(self.input_names) != len(self.inputs):
            raise ValueError(f"Recorder got {len(self.input_names)} input names for {len(self.inputs)} inputs")
        self.frozen = set(frozen)
        self.keep = set(frame_steps(steps, max_frames))
        self.every = max(1, steps // CURVE_POINTS)
        self._recording: Recording | None = None
        self._outputs: list[int] = []  # for each neuron, the index of its output in the graph's order
        self._size = 0

    def record(self, step: int, loss: Value) -> None:
        """Note the numbers of this step (call it after backward(), before the update)."""
        if not math.isfinite(loss.data):
            raise ValueError(f"the loss is {loss.data} at step {step}; a recording needs finite numbers")
        if self._recording is None:
            self._recording = self._start(loss)
        recording = self._recording
        if step % self.every == 0 or step == self.steps - 1:
            recording.curve.append((step, loss.data))
        if step in self.keep:
            recording.frames.append(self._frame(step, loss))

    @property
    def recording(self) -> Recording:
        if self._recording is None:
            raise ValueError("nothing was recorded: call record(step, loss) in the training loop")
        return self._recording

    def _start(self, loss: Value) -> Recording:
        order = topological_order(loss)
        index = {v: i for i, v in enumerate(order)}
        self._outputs = [index[_output_of(n, order)] for layer in self.model.layers for n in layer.neurons]
        self._size = len(order)
        return Recording(
            self.model, loss, self.inputs, self.input_names, self.frozen, self.steps, self.title
        )  # fmt: skip

    def _frame(self, step: int, loss: Value) -> Frame:
        order = topological_order(loss)
        if len(order) != self._size:
            raise ValueError(
                f"the loss's graph changed shape at step {step}; a recording needs the same graph each step"
            )
        params = self.model.parameters()
        return {
            "step": step,
            "loss": loss.data,
            "data": [v.data for v in order],
            "grad": [v.grad for v in order],
            "local": [local for v in order for local in v.local_grads],
            "out": [order[i].data for i in self._outputs],
            "out_grad": [order[i].grad for i in self._outputs],
            "value": [p.data for p in params],
            "pgrad": [p.grad for p in params],
            "share": list(bias_shares(self.model, loss).values()),
        }


def record_training(
    model: MLP,
    inputs: Sequence[float],
    targets: Sequence[float],
    lr: float,
    steps: int,
    loss: Loss = squared_error,
    frozen: Iterable[Value] = (),
    max_frames: int = 300,
    input_names: Sequence[str] = (),
    title: str = "training",
) -> Recording:
    """Train `model` on one example with SGD for `steps` updates, recording as it goes."""
    held = list(frozen)
    recorder = Recorder(model, inputs, steps, frozen=held, input_names=input_names, title=title, max_frames=max_frames)
    optimizer = SGD(model.parameters(), lr, held)
    for step in range(steps):
        named = [Value(x, label=name) for x, name in zip(recorder.inputs, recorder.input_names, strict=True)]
        error = loss(model.forward(named), targets)  # the inputs as named Values, so the graph shows them
        optimizer.zero_grad()
        error.backward()
        recorder.record(step, error)
        try:
            optimizer.step()
        except FloatingPointError as problem:
            raise FloatingPointError(f"training stopped at step {step} (error {error.data}): {problem}") from None
    return recorder.recording


def _output_of(neuron: Neuron, order: list[Value]) -> Value:
    """The neuron's output in `order`: its net input w·x + b (its first use), then its activation."""
    net = next((v for v in order if neuron.w[0] in v.children and neuron.b in v.children), None)
    if net is None:
        raise ValueError(f"neuron {neuron.name} is not in the loss's graph; record the loss of this model")
    if neuron.activation == "linear":
        return net
    return next(v for v in order if v.op == neuron.activation and v.children == (net,))


def _finite_inputs(model: MLP, inputs: Sequence[float]) -> list[float]:
    values: list[float] = []
    for i, x in enumerate(inputs):
        if not isinstance(x, Real) or isinstance(x, bool) or not math.isfinite(x):
            raise ValueError(f"input {i} is {x!r}; a recording needs finite numbers")
        values.append(float(x))
    width = len(model.layers[0].neurons[0].w)
    if len(values) != width:
        raise ValueError(f"this model takes {width} inputs, the recording got {len(values)}")
    return values
