"""Saving and loading parameters as JSON.

The file records the module's shape, each neuron's activation and every parameter in
`parameters()` order. Python writes floats with repr, which reads back to the same float, so
a round trip is exact. Files of version 1 have no activations; they load without that check.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import tempfile
from pathlib import Path

from nn.modules import Module

FORMAT = "chainrule-parameters"


def save(module: Module, path: str | os.PathLike[str]) -> None:
    """Write the parameters of `module` to `path` atomically (a temporary file, then a rename)."""
    _check_arguments("save", module, path)
    params = module.parameters()
    for i, p in enumerate(params):
        if not math.isfinite(p.data):
            raise ValueError(f"cannot save parameter {i} ({p.label or 'unnamed'}): its value is {p.data}")
    document = {
        "format": FORMAT,
        "version": 2,
        "shape": module.shape(),
        "activations": module.activations(),
        "labels": [p.label for p in params],
        "parameters": [p.data for p in params],
    }
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot save to {target}: the folder {target.parent} does not exist")
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=1)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(module: Module, path: str | os.PathLike[str]) -> None:
    """Set the parameters of `module` from a file written by `save` for a module of the same shape."""
    _check_arguments("load", module, path)
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not a parameter file: not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'{path} is not a parameter file: no "format": "{FORMAT}" in it')
    if document.get("shape") != module.shape():
        raise ValueError(f"{path} holds a model of shape {document.get('shape')}, this one is {module.shape()}")
    saved = document.get("activations")
    if saved is not None and saved != module.activations():
        raise ValueError(
            f"{path} holds a model with activations {_runs(saved)}, this one has {_runs(module.activations())}"
        )
    params = module.parameters()
    values = document.get("parameters")
    if not isinstance(values, list) or len(values) != len(params):
        found = len(values) if isinstance(values, list) else "no"
        raise ValueError(f"{path} has {found} parameters, the model has {len(params)}")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise ValueError(f"{path} has parameters that are not numbers")
    for p, v in zip(params, values, strict=True):
        p.data = float(v)


def _check_arguments(name: str, module: object, path: object) -> None:
    if isinstance(module, (str, os.PathLike)) and isinstance(path, Module):
        raise TypeError(f"{name}(module, path) takes the model first: {name}(model, {str(module)!r})")
    if not isinstance(module, Module):
        raise TypeError(f"{name}(module, path) needs an nn module (such as an MLP) first, got {type(module).__name__}")


def _runs(activations: list[str]) -> str:
    """["relu", "relu", "linear"] as "relu x2, linear"."""
    counted = [(a, len(list(run))) for a, run in itertools.groupby(activations)]
    return ", ".join(f"{a} x{n}" if n > 1 else a for a, n in counted)
