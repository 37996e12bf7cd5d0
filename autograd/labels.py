"""Labels as the readers of a graph (drawings, explain, compiled code) take them: strings.

A label is user text. `Value(1.0, "w")` and the engine's functions check it is a string, but a
label set by hand afterwards (`v.label = 5`) is a plain attribute; each reader checks the graph it
reads once, so that a wrong label is named there instead of failing deep inside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from autograd.engine import Value


def check_labels(values: Iterable[Value], reader: str) -> None:
    """Raise a TypeError naming the first value whose label is not a string."""
    for v in values:
        if not isinstance(v.label, str):
            raise TypeError(
                f"{reader} reads each label as text, and a value holding {v.data} has the label {v.label!r} "
                f"({type(v.label).__name__}): set it to a string, as v.label = {str(v.label)!r}"
            )
