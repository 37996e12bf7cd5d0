"""The way on to PyTorch: an MLP as an equivalent torch.nn.Sequential and back, and a check that
chainrule's gradients are PyTorch's on the same inputs (needs torch: the `torch` extra).

    >>> from nn import MLP
    >>> from nn.pytorch import compare_gradients, to_torch
    >>> model = MLP(2, [3, 1], activation="tanh")
    >>> to_torch(model)
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    >>> compare_gradients(model, [[0.5, -1.0], [2.0, 0.25]], [[1.0], [-1.0]]).agree
    True

Tensors are float64, the precision of a Value, so the two agree to about 1e-15.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from autograd import Value
from autograd.labels import on_one_line
from nn.draw import parameter_name
from nn.losses import binary_cross_entropy, cross_entropy, hinge, mean_squared_error, squared_error
from nn.modules import MLP, Layer, Neuron
from nn.shares import first_shared

try:
    import torch
except ImportError as missing:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nn.pytorch needs PyTorch: pip install torch (the CPU build is enough: pip install torch --index-url "
        "https://download.pytorch.org/whl/cpu), or from a chainrule checkout, pip install -e '.[torch]'"
    ) from missing

TORCH_ACTIVATIONS: dict[str, Callable[[], torch.nn.Module] | None] = {
    "relu": torch.nn.ReLU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
    "linear": None,
}
ACTIVATION_OF = {torch.nn.ReLU: "relu", torch.nn.Tanh: "tanh", torch.nn.Sigmoid: "sigmoid", torch.nn.Identity: "linear"}


def to_torch(model: MLP, *, untie: bool = False) -> torch.nn.Sequential:
    """The same network in PyTorch: a float64 Linear per layer with the same weights and biases,
    each followed by its activation (none for a linear layer).

    A Linear holds an entry per place, so a parameter the model uses at several places (a shared
    bias, a tied weight) would become several entries that PyTorch trains apart: such a model is
    refused, naming the parameter, unless `untie` is true, which gives each place its own entry with
    the parameter's value (as compare_gradients does, adding PyTorch's gradients over the places).
    """
    if not untie:
        _refuse_ties(model)
    modules: list[torch.nn.Module] = []
    for k, layer in enumerate(model.layers, 1):
        activation = _layer_activation(layer, k)
        linear = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        make = TORCH_ACTIVATIONS[activation]
        if make is not None:
            modules.append(make())
    return torch.nn.Sequential(*modules)


def from_torch(network: torch.nn.Sequential) -> MLP:
    """An MLP from a Sequential of Linear layers, each followed by at most one ReLU, Tanh, Sigmoid
    or Identity; weights and biases are copied."""
    layers: list[Layer] = []
    modules = list(network)
    for i, module in enumerate(modules):
        if isinstance(module, torch.nn.Linear):
            following = modules[i + 1] if i + 1 < len(modules) else None
            activation = ACTIVATION_OF.get(type(following), "linear") if following is not None else "linear"
            layers.append(_layer_from_linear(module, activation))
        elif type(module) not in ACTIVATION_OF or i == 0 or not isinstance(modules[i - 1], torch.nn.Linear):
            raise ValueError(
                f"from_torch() reads Linear layers, each followed by at most one of ReLU, Tanh, Sigmoid or "
                f"Identity; module {i} is {module!r}"
            )
    if not layers:
        raise ValueError("from_torch() needs at least one Linear layer")
    return MLP.from_layers(layers)


class ParameterGradient(NamedTuple):
    """One parameter's gradient as chainrule and PyTorch compute it."""

    name: str
    chainrule: float
    torch: float

    @property
    def difference(self) -> float:
        return abs(self.chainrule - self.torch)


class GradientComparison(NamedTuple):
    """Every parameter's gradient from both, the largest difference, and whether it is within `atol`."""

    loss: float
    gradients: list[ParameterGradient]
    atol: float

    @property
    def largest_difference(self) -> float:
        """The largest difference, or NaN where a difference is NaN (a NaN on either side)."""
        differences = [g.difference for g in self.gradients]
        return math.nan if any(math.isnan(d) for d in differences) else max(differences)

    @property
    def agree(self) -> bool:
        """Whether every difference is within atol: a NaN on either side is a disagreement."""
        return all(g.difference <= self.atol for g in self.gradients)

    def __str__(self) -> str:
        lines = [f"{'parameter':<12}{'chainrule':>24}{'PyTorch':>24}{'difference':>12}"]
        lines += [f"{g.name:<12}{g.chainrule:>24.17g}{g.torch:>24.17g}{g.difference:>12.2g}" for g in self.gradients]
        verdict = "agree" if self.agree else "DISAGREE"
        lines.append(f"largest difference {self.largest_difference:.2g}: the gradients {verdict} within {self.atol:g}")
        return "\n".join(lines)


LOSSES: dict[str, tuple[Callable[[list[list[Value]], Any], Value], Callable[[Any, Any], Any]]] = {
    "mean_squared_error": (
        lambda rows, ts: mean_squared_error(_flat(rows), _flat(ts)),
        lambda out, ts: torch.nn.functional.mse_loss(out, _tensor(ts)),
    ),
    "squared_error": (
        lambda rows, ts: squared_error(_flat(rows), _flat(ts)),
        lambda out, ts: 0.5 * ((_tensor(ts) - out) ** 2).sum(),
    ),
    "binary_cross_entropy": (
        lambda rows, ts: binary_cross_entropy(_flat(rows), _flat(ts)),
        lambda out, ts: torch.nn.functional.binary_cross_entropy(out, _tensor(ts)),
    ),
    "hinge": (
        lambda rows, ts: hinge(_flat(rows), _flat(ts)),
        lambda out, ts: torch.relu(1.0 - _tensor(ts) * out).mean(),
    ),
    "cross_entropy": (
        lambda rows, labels: cross_entropy(rows, list(labels)),
        lambda out, labels: torch.nn.functional.cross_entropy(out, torch.tensor(list(labels))),
    ),
}


def compare_gradients(
    model: MLP,
    inputs: Sequence[Sequence[float]],
    targets: Sequence[Any],
    loss: str = "mean_squared_error",
    atol: float = 1e-12,
) -> GradientComparison:
    """The gradient of `loss` over the examples with respect to every parameter, from chainrule's
    backward() and from PyTorch's autograd on to_torch(model), side by side.

    `targets` has a row of targets per example (a class per example for cross_entropy). The model's
    gradients are left as they were.
    """
    if loss not in LOSSES:
        raise ValueError(f"compare_gradients() knows the losses {', '.join(LOSSES)}; got {loss!r}")
    ours, theirs = LOSSES[loss]
    params = model.parameters()
    saved = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    value = ours([model.forward(list(x)) for x in inputs], targets)
    value.backward()
    mine = [p.grad for p in params]
    for p, grad in zip(params, saved, strict=True):
        p.grad = grad
    network = to_torch(model, untie=True)
    theirs(network(_tensor(inputs)), targets).backward()
    return GradientComparison(value.data, _pair(model, mine, network), atol)


def _pair(model: MLP, mine: list[float], network: torch.nn.Sequential) -> list[ParameterGradient]:
    """chainrule's gradient of each parameter beside PyTorch's for the same weight or bias: the sum of
    PyTorch's gradients at each of its places, where the model uses one parameter at several (each place is a
    separate entry of a torch.nn.Linear, and dE/dp adds up what flows through each)."""
    linears = [m for m in network if isinstance(m, torch.nn.Linear)]
    found: dict[Value, float] = {}
    for layer, linear in zip(model.layers, linears, strict=True):
        weights, biases = linear.weight.grad, linear.bias.grad
        assert weights is not None and biases is not None  # backward() has run
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                found[w] = found.get(w, 0.0) + float(weights[j, i])
            found[neuron.b] = found.get(neuron.b, 0.0) + float(biases[j])
    return [ParameterGradient(p.label, g, found[p]) for p, g in zip(model.parameters(), mine, strict=True)]


def _layer_activation(layer: Layer, k: int) -> str:
    activations = {a for n in layer.neurons for a in n.activations()}
    own = activations - TORCH_ACTIVATIONS.keys()
    if own:
        raise ValueError(
            f"layer {k} has neurons that fire their own way ({', '.join(sorted(own))}), which torch has no module for"
        )
    if len(activations) > 1:
        raise ValueError(f"layer {k} mixes activations ({', '.join(sorted(activations))}); torch needs one per layer")
    return activations.pop()


def _refuse_ties(model: MLP) -> None:
    """Refuse a model that uses a parameter at several places (one neuron at two places too), naming the first."""
    found = first_shared(model)
    if found is not None:
        i, p, count = found
        raise ValueError(
            f"{on_one_line(parameter_name(p, i))} is used at {count} places of this model, and a "
            f"torch.nn.Linear holds an entry per place, which PyTorch would train apart; "
            f"to_torch(model, untie=True) makes each place an entry of its own"
        )


def _layer_from_linear(linear: torch.nn.Linear, activation: str) -> Layer:
    weights = linear.weight.detach().double().tolist()
    biases = linear.bias.detach().double().tolist() if linear.bias is not None else [0.0] * len(weights)
    return Layer.from_neurons(Neuron.from_values(row, b, activation) for row, b in zip(weights, biases, strict=True))


def _flat(rows: Sequence[Any]) -> list[Any]:
    return [x for row in rows for x in (row if isinstance(row, Sequence) else [row])]


def _tensor(rows: Sequence[Any]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float64)


__all__ = ["GradientComparison", "ParameterGradient", "compare_gradients", "from_torch", "to_torch"]
