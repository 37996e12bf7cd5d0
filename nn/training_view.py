"""A training view in the browser: one self-contained HTML file that steps through a real run.

    recording = record_training(model, inputs, targets, lr=0.5, steps=10_000)
    write_html(recording, "training.html", title="Mazur's network")

Each frame holds the engine's numbers at one step, before that step's update: every neuron's
output and dE/d(output), every parameter's value and dE/dparameter, and the error. Short runs
keep every step; long ones keep `max_frames` steps spread evenly, first and last included.
The page needs no network and no server: data, script and style are inside it.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograd import Value
from nn.losses import squared_error
from nn.modules import MLP
from nn.optim import SGD

Loss = Callable[[Sequence[Value], Sequence[float]], Value]
TEMPLATE = Path(__file__).with_name("training_view.html")
CURVE_POINTS = 1_000


@dataclass
class Recording:
    title: str
    nodes: list[dict[str, object]]  # id, name, column, kind (input, neuron, bias)
    edges: list[dict[str, object]]  # source, target, parameter (index into parameters)
    parameters: list[str]
    steps: int
    frames: list[dict[str, object]] = field(default_factory=list)
    curve: list[tuple[int, float]] = field(default_factory=list)


def frame_steps(steps: int, max_frames: int) -> list[int]:
    """Every step for short runs; `max_frames` evenly spread steps, first and last included, for long ones."""
    if steps <= max_frames:
        return list(range(steps))
    return sorted({round(i * (steps - 1) / (max_frames - 1)) for i in range(max_frames)})


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
    """Train `model` on one example for `steps` SGD updates, recording the frames as it goes."""
    recording = _layout(model, list(input_names) or [f"x{i + 1}" for i in range(len(inputs))], title, steps)
    params = model.parameters()
    optimizer = SGD(params, lr, frozen)
    keep = set(frame_steps(steps, max_frames))
    every = max(1, steps // CURVE_POINTS)
    for step in range(steps):
        outputs, error = _forward(model, inputs, targets, loss)
        optimizer.zero_grad()
        error.backward()
        if step in keep:
            recording.frames.append(
                {
                    "step": step,
                    "loss": error.data,
                    "inputs": list(inputs),
                    "outputs": [v.data for v in outputs],
                    "output_grads": [v.grad for v in outputs],
                    "values": [p.data for p in params],
                    "grads": [p.grad for p in params],
                }
            )
        if step % every == 0 or step == steps - 1:
            recording.curve.append((step, error.data))
        try:
            optimizer.step()
        except FloatingPointError as problem:
            raise FloatingPointError(f"training stopped at step {step} (error {error.data}): {problem}") from None
    return recording


def write_html(recording: Recording, path: str | Path) -> Path:
    """Write the page; it opens from disk in any browser. A NaN or infinity in the recording is an error naming it."""
    _check_finite(recording)
    data = json.dumps(asdict(recording), separators=(",", ":"), allow_nan=False)
    page = TEMPLATE.read_text(encoding="utf-8")
    page = page.replace("__TITLE__", html.escape(recording.title)).replace("__DATA__", data.replace("</", "<\\/"))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


def _check_finite(recording: Recording) -> None:
    for frame in recording.frames:
        for key, numbers in frame.items():
            listed = numbers if isinstance(numbers, list) else [numbers]
            for i, x in enumerate(listed):
                if isinstance(x, float) and not math.isfinite(x):
                    where = f"{recording.parameters[i]}" if key in ("values", "grads") else f"entry {i}"
                    raise ValueError(
                        f"the recording holds {x} at step {frame['step']}: {key} of {where}; "
                        "a page cannot show it (detect_anomaly() finds the op that made it)"
                    )


def _forward(model: MLP, inputs: Sequence[float], targets: Sequence[float], loss: Loss) -> tuple[list[Value], Value]:
    """Every neuron's output, layer by layer, and the error."""
    outputs: list[Value] = []
    x: Sequence[Value | float] = inputs
    for layer in model.layers:
        x = layer.forward(x)
        outputs += x
    return outputs, loss(x, targets)  # type: ignore[arg-type]


def _layout(model: MLP, input_names: list[str], title: str, steps: int) -> Recording:
    """Nodes in columns (inputs, then each layer, with a layer's biases under its sources) and edges."""
    params = model.parameters()
    index = {p: i for i, p in enumerate(params)}
    nodes: list[dict[str, object]] = [
        {"id": f"in{i}", "name": name, "column": 0, "kind": "input"} for i, name in enumerate(input_names)
    ]
    edges: list[dict[str, object]] = []
    sources = [str(node["id"]) for node in nodes]
    count = 0
    for k, layer in enumerate(model.layers):
        ids = []
        for neuron in layer.neurons:
            ids.append(f"n{count}")
            nodes.append(
                {"id": ids[-1], "name": neuron.name or f"n{count}", "column": k + 1, "kind": "neuron", "index": count}
            )
            count += 1
            edges += [
                {"source": s, "target": ids[-1], "parameter": index[w]} for s, w in zip(sources, neuron.w, strict=True)
            ]
            bias_id = f"b{index[neuron.b]}"
            if not any(node["id"] == bias_id for node in nodes):
                nodes.append({"id": bias_id, "name": neuron.b.label or "b", "column": k, "kind": "bias"})
            edges.append({"source": bias_id, "target": ids[-1], "parameter": index[neuron.b]})
        sources = ids
    names = [p.label or f"p{i}" for i, p in enumerate(params)]
    return Recording(title=title, nodes=nodes, edges=edges, parameters=names, steps=steps)
