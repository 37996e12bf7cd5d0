"""Labels as the readers of a graph (drawings, explain, compiled code) take them: strings.

A label is user text. `Value(1.0, "w")` and the engine's functions check it is a string, but a
label set by hand afterwards (`v.label = 5`) is a plain attribute; each reader checks the graph it
reads once, so that a wrong label is named there instead of failing deep inside it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine imports this module (its errors name values on one line): Value for hints only
    from autograd.engine import Value

# What a reader does not show of user text as itself: control characters (the newline aside, which each
# reader places), the format characters (U+202E would draw "w1 evil" as "w1 live"; U+200B is drawn as
# nothing, so that "relu\u200b" reads as "relu"), the line and paragraph separators (line breaks to some
# readers), lone surrogates (which UTF-8 cannot hold), private-use and unassigned characters. The two
# joiners (U+200C, U+200D) are shown between two characters beyond ASCII, where they join emoji and the
# letters of the scripts that use them; elsewhere they too are drawn as nothing.
UNSHOWN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
JOINERS = frozenset("\u200c\u200d")


def written_out(text: str) -> str:
    """User text with each character a reader does not show as itself (see UNSHOWN_CATEGORIES) written as
    Python writes it: \\x1b, \\u202e, \\ud83d."""
    if text.isprintable():  # no such character (nor a newline): the usual label, read in one step
        return text
    return "".join(_as_python_writes(c) if _unshown(text, i) else c for i, c in enumerate(text))


def _unshown(text: str, i: int) -> bool:
    character = text[i]
    if character == "\n":
        return False
    if character in JOINERS:
        return not (0 < i < len(text) - 1 and not text[i - 1].isascii() and not text[i + 1].isascii())
    return unicodedata.category(character) in UNSHOWN_CATEGORIES


def on_one_line(text: str) -> str:
    """User text as a message or a line of text shows it: written_out, and each newline written \\n, so that
    the text stays on its line, in its order."""
    return written_out(text).replace("\n", "\\n")


def _as_python_writes(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def check_labels(values: Iterable[Value], reader: str) -> None:
    """Raise a TypeError naming the first value whose label is not a string."""
    for v in values:
        if not isinstance(v.label, str):
            raise TypeError(
                f"{reader} reads each label as text, and a value holding {v.data} has the label {v.label!r} "
                f"({type(v.label).__name__}): set it to a string, as v.label = {str(v.label)!r}"
            )
