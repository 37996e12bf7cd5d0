"""Neural networks built from autograd Values: modules, losses, SGD, saving.

`draw_network`, `write_html` and `TrainingView` load the `graphviz` package when first used, so
`from nn import MLP` does not.
"""

from typing import TYPE_CHECKING, Any

from nn.io import load, save
from nn.losses import binary_cross_entropy, cross_entropy, hinge, l2, mean_squared_error, squared_error
from nn.modules import ACTIVATIONS, MLP, Fired, Layer, Made, Module, Neuron
from nn.optim import SGD
from nn.recorder import Recorder, Recording, record_training

if TYPE_CHECKING:
    from nn.draw import draw_network
    from nn.live_view import write_html
    from nn.notebook_view import TrainingView

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Fired",
    "Layer",
    "Made",
    "Module",
    "Neuron",
    "Recorder",
    "Recording",
    "TrainingView",
    "binary_cross_entropy",
    "cross_entropy",
    "draw_network",
    "hinge",
    "l2",
    "load",
    "mean_squared_error",
    "record_training",
    "save",
    "squared_error",
    "write_html",
]


def __dir__() -> list[str]:
    """The public names, as help() and tab completion show them (not typing's helpers)."""
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    if name == "draw_network":
        from nn.draw import draw_network

        return draw_network
    if name == "write_html":
        from nn.live_view import write_html

        return write_html
    if name == "TrainingView":
        from nn.notebook_view import TrainingView

        return TrainingView
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
