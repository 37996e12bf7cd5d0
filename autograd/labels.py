"""Labels as the readers of a graph (drawings, explain, compiled code) take them: strings.

A label is user text. `Value(1.0, "w")` and the engine's functions check it is a string, but a
label set by hand afterwards (`v.label = 5`) is a plain attribute; each reader checks the graph it
reads once, so that a wrong label is named there instead of failing deep inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from autograd.engine import Value

# The characters of user text a reader does not show as themselves: control characters (the newline
# aside, which each reader places), the line and paragraph separators (U+2028, U+2029: line breaks
# to some readers), the marks that reorder text left to right and right to left (U+202E would draw
# "w1 evil" as "w1 live"), and lone surrogates, which UTF-8 cannot hold.
UNSHOWN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def written_out(text: str) -> str:
    """User text with each character in UNSHOWN written as Python writes it: \\x1b, \\u202e, \\ud83d."""
    return UNSHOWN.sub(lambda found: _as_python_writes(found.group()), text)


def on_one_line(text: str) -> str:
    """User text as a message or a line of text shows it: written_out, and each newline written \\n, so that
    the text stays on its line, in its order."""
    return written_out(text).replace("\n", "\\n")


def _as_python_writes(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def check_labels(values: Iterable[Value], reader: str) -> None:
    """Raise a TypeError naming the first value whose label is not a string."""
    for v in values:
        if not isinstance(v.label, str):
            raise TypeError(
                f"{reader} reads each label as text, and a value holding {v.data} has the label {v.label!r} "
                f"({type(v.label).__name__}): set it to a string, as v.label = {str(v.label)!r}"
            )
