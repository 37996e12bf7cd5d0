"""The networks of the two worked backpropagation examples, with the articles' names on every parameter.

    from nn.examples import mazur
    ex = mazur()
    error = ex.backward()      # E after one forward and backward pass; ex.weights["w5"].grad is dE/dw5
    made: Made = {}
    error = ex.backward(made=made)  # the same, with what the forward pass made (see nn.modules)


Mazur, "A Step by Step Backpropagation Example": 2-2-2, logistic units, b1 shared by h1 and h2,
b2 shared by o1 and o2. The worked example ("Backpropagation example with numbers step by
step"): 3-2-2, logistic units, w1, w3, w5 into h1; w2, w4, w6 into h2; w7, w9 into o1;
w8, w10 into o2; b1 and b2 shared per layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from autograd import Value
from nn.losses import squared_error
from nn.modules import MLP, Layer, Made, Neuron
from nn.recorder import Recorder


@dataclass
class Example:
    """A network with its single training pair and learning rate, as an article gives them."""

    model: MLP
    inputs: list[float]
    targets: list[float]
    lr: float
    weights: dict[str, Value]
    biases: dict[str, Value]
    input_names: list[str]
    trains_biases: bool

    def recorder(self, steps: int, title: str) -> Recorder:
        """A recorder of a training run of this network by SGD at the article's learning rate, for the live view."""
        return Recorder(
            self.model, self.inputs, steps, frozen=self.frozen, input_names=self.input_names, title=title,
            targets=self.targets, lr=self.lr,
        )  # fmt: skip

    def backward(self, targets: Sequence[float] = (), *, made: Made | None = None) -> Value:
        """The error E after one forward and backward pass, with the inputs as labelled Values so graphs show them.

        With `made`, the forward pass puts each neuron's nodes in it (see nn.modules)."""
        inputs = [Value(x, label=name) for x, name in zip(self.inputs, self.input_names, strict=True)]
        error = squared_error(self.model.forward(inputs, made=made), targets or self.targets)
        error.backward()
        return error

    @property
    def frozen(self) -> list[Value]:
        """The parameters the article leaves unchanged."""
        return [] if self.trains_biases else list(self.biases.values())


def _layer(names: list[str], wiring: list[list[str]], weights: dict[str, Value], bias: Value) -> Layer:
    return Layer.from_neurons(
        Neuron.from_values([weights[w] for w in ws], bias, "sigmoid", name=n)
        for n, ws in zip(names, wiring, strict=True)
    )


def _example(
    initial: dict[str, float], hidden: list[list[str]], output: list[list[str]], bias: dict[str, float], **facts: object
) -> Example:
    weights = {name: Value(x, label=name) for name, x in initial.items()}
    biases = {name: Value(x, label=name) for name, x in bias.items()}
    model = MLP.from_layers(
        [
            _layer(["h1", "h2"], hidden, weights, biases["b1"]),
            _layer(["o1", "o2"], output, weights, biases["b2"]),
        ]
    )
    return Example(model=model, weights=weights, biases=biases, **facts)  # type: ignore[arg-type]


def mazur() -> Example:
    return _example(
        {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55},
        hidden=[["w1", "w2"], ["w3", "w4"]],
        output=[["w5", "w6"], ["w7", "w8"]],
        bias={"b1": 0.35, "b2": 0.60},
        inputs=[0.05, 0.10],
        targets=[0.01, 0.99],
        lr=0.5,
        input_names=["i1", "i2"],
        trains_biases=False,
    )


def worked_example() -> Example:
    initial = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.1]
    return _example(
        {f"w{i}": x for i, x in enumerate(initial, 1)},
        hidden=[["w1", "w3", "w5"], ["w2", "w4", "w6"]],
        output=[["w7", "w9"], ["w8", "w10"]],
        bias={"b1": 0.5, "b2": 0.5},
        inputs=[1.0, 4.0, 5.0],
        targets=[0.1, 0.05],
        lr=0.01,
        input_names=["x1", "x2", "x3"],
        trains_biases=True,
    )
