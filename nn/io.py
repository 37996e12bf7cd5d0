"""Saving and loading parameters as JSON.

The file records the module's shape and every parameter in `parameters()` order. Python
writes floats with repr, which reads back to the same float, so a round trip is exact.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from nn.modules import Module

FORMAT = "chainrule-parameters"


def save(module: Module, path: str | os.PathLike[str]) -> None:
    """Write the parameters of `module` to `path` atomically (a temporary file, then a rename)."""
    params = module.parameters()
    for i, p in enumerate(params):
        if not math.isfinite(p.data):
            raise ValueError(f"cannot save parameter {i} ({p.label or 'unnamed'}): its value is {p.data}")
    document = {
        "format": FORMAT,
        "version": 1,
        "shape": module.shape(),
        "labels": [p.label for p in params],
        "parameters": [p.data for p in params],
    }
    target = Path(path)
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
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not a parameter file: not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'{path} is not a parameter file: no "format": "{FORMAT}" in it')
    if document.get("shape") != module.shape():
        raise ValueError(f"{path} holds a model of shape {document.get('shape')}, this one is {module.shape()}")
    params = module.parameters()
    values = document.get("parameters")
    if not isinstance(values, list) or len(values) != len(params):
        found = len(values) if isinstance(values, list) else "no"
        raise ValueError(f"{path} has {found} parameters, the model has {len(params)}")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise ValueError(f"{path} has parameters that are not numbers")
    for p, v in zip(params, values, strict=True):
        p.data = float(v)
