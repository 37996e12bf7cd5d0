"""Neural networks built from autograd Values: modules, losses, SGD, saving.

`draw_network` loads the `graphviz` package when first used, so `from nn import MLP` does not.
"""

from typing import TYPE_CHECKING, Any

from nn.io import load, save
from nn.losses import binary_cross_entropy, hinge, l2, mean_squared_error, squared_error
from nn.modules import ACTIVATIONS, MLP, Layer, Module, Neuron, unique
from nn.optim import SGD
from nn.training_view import record_training, write_html

if TYPE_CHECKING:
    from nn.draw import draw_network

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Layer",
    "Module",
    "Neuron",
    "binary_cross_entropy",
    "draw_network",
    "hinge",
    "l2",
    "load",
    "mean_squared_error",
    "record_training",
    "save",
    "squared_error",
    "unique",
    "write_html",
]


def __getattr__(name: str) -> Any:
    if name == "draw_network":
        from nn.draw import draw_network

        return draw_network
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
