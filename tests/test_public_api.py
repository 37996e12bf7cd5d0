"""What help() and dir() show of the two packages: the public names, each with its documentation."""

import inspect
from pathlib import Path

import pytest

import autograd
import nn


@pytest.mark.parametrize("package", [autograd, nn], ids=lambda p: p.__name__)
def test_dir_lists_the_public_names_only(package):
    assert dir(package) == sorted(package.__all__)
    assert not {"Any", "TYPE_CHECKING", "unique"} & set(dir(package))
    assert all(hasattr(package, name) for name in dir(package))


@pytest.mark.parametrize("package", [autograd, nn], ids=lambda p: p.__name__)
def test_every_public_function_class_and_method_has_documentation(package):
    undocumented = []
    for name in dir(package):
        thing = getattr(package, name)
        if callable(thing) and not inspect.getdoc(thing):
            undocumented.append(name)
        if inspect.isclass(thing):
            methods = [m for m, f in inspect.getmembers(thing, callable) if not m.startswith("_")]
            undocumented += [f"{name}.{m}" for m in methods if not inspect.getdoc(getattr(thing, m))]
    assert undocumented == []


@pytest.mark.parametrize(
    ("function", "says"),
    [
        (nn.hinge, ["-1 or +1", "mean"]),
        (nn.mean_squared_error, ["mean", "numpy array"]),
        (nn.squared_error, ["summed", "not averaged"]),
        (nn.binary_cross_entropy, ["probabilities", "0 or 1", "mean"]),
        (nn.SGD.step, ["p - lr", "zero_grad"]),
    ],
)
def test_help_of_the_losses_and_the_update_says_what_they_take_and_whether_they_average(function, says):
    doc = inspect.getdoc(function) or ""
    assert all(phrase in doc for phrase in says), doc


def test_without_pytorch_nn_pytorch_says_how_to_install_it():
    import subprocess
    import sys

    blocked = "import sys; sys.modules['torch'] = None; import nn.pytorch"
    root = Path(__file__).parent.parent
    done = subprocess.run([sys.executable, "-c", blocked], cwd=root, capture_output=True, text=True, check=False)
    assert "ImportError: nn.pytorch needs PyTorch: pip install torch (the CPU build" in done.stderr
    assert "chainrule[torch]" not in done.stderr  # chainrule is not on PyPI
