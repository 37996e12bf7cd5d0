"""Neural networks built from autograd Values: modules, losses, SGD, saving."""

from nn.draw import draw_network
from nn.io import load, save
from nn.losses import binary_cross_entropy, hinge, l2, mean_squared_error, squared_error
from nn.modules import ACTIVATIONS, MLP, Layer, Module, Neuron, unique
from nn.optim import SGD
from nn.training_view import record_training, write_html

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
