"""Reading a JSON object from a file a piece at a time, its long arrays one element at a time.

`json.load` reads the whole text, then builds the whole document from it: at its peak a file of
1 GB is 1 GB of text beside everything parsed from it (a float takes 32 bytes where the file
writes about 24). `read_object` reads the text in chunks, and hands each element of an array it
is asked to stream to a `Sink`, which keeps what it needs: nn.io keeps the parameters as doubles
(8 bytes each) and of the labels only whether they are strings. The text held is one chunk, or
one value where a value is longer.

Each value (a key, a small field, an element) is parsed by the json module's own decoder, so
numbers, strings and escapes are what `json.loads` reads; the punctuation between values (braces,
colons, commas, brackets) is read here. Two things differ from `json.loads`, both so that nothing
is read wrong without a word:

- NaN, Infinity and -Infinity, which are not JSON, are read as `NonFinite` numbers, which remember
  how they were written, for the caller to refuse naming the field and the index it knows;
- a key written twice is refused (`json.loads` keeps the last one).

A number too large for a float (1e999) reads as inf, as in `json.loads`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Protocol, TextIO

CHUNK = 1 << 20  # characters read at a time
NOT_SPACE = re.compile(r"[^ \t\n\r]")  # JSON's white space is these four
NUMBER_GOES_ON = re.compile(r"[0-9.eE+-]*\Z")  # the end of a text that may be the middle of a number


class Sink(Protocol):
    """What keeps the elements of a streamed array: `extend` is given them in order, some at a time."""

    def extend(self, items: list[Any]) -> None: ...


class NotJSON(ValueError):
    """The file is not one JSON object; the message says where and why."""


class NonFinite(float):
    """NaN, Infinity or -Infinity as the file writes them: a float with that value that knows it was
    written so, unlike an inf that comes from a number too large for a float."""

    def __repr__(self) -> str:
        return "NaN" if math.isnan(self) else "Infinity" if self > 0 else "-Infinity"


def read_object(file: TextIO, streamed: dict[str, Sink]) -> dict[str, Any]:
    """The JSON object that is the whole of `file`, read in chunks.

    The elements of an array under a key in `streamed` go to that key's sink, in order, many at a
    time, and the key then maps to the sink; any other value (an array under such a key that is not an array
    included) is kept as json reads it. Raises NotJSON naming the line and column of an error.
    """
    reader = _Reader(file)
    if not reader.take("{"):
        first = reader.peek()
        raise NotJSON(f"not a JSON object: it starts with {first!r}" if first else "it is empty")
    document: dict[str, Any] = {}
    closed = reader.take("}")
    while not closed:
        key = reader.value()
        if not isinstance(key, str):
            raise reader.error("Expecting property name enclosed in double quotes", reader.started)
        if key in document:
            raise reader.error(f"the key {key!r} is written twice", reader.started)
        reader.expect(":", "':' delimiter")
        sink = streamed.get(key)
        if sink is not None and reader.take("["):
            reader.stream(sink)
            document[key] = sink
        else:
            document[key] = reader.value()
        closed = reader.take("}")
        if not closed:
            reader.expect(",", "',' delimiter")
    if reader.peek():
        raise reader.error("Extra data")
    return document


class _Reader:
    """The text of a file read so far and not yet parsed, and where in the file it starts."""

    def __init__(self, file: TextIO) -> None:
        self.file = file
        self.text = ""
        self.at = 0  # the next character to parse, in `text`
        self.started = 0  # where the last value parsed started, in `text`
        self.ended = False  # whether `text` reaches the end of the file
        self.offset = 0  # where `text` starts in the file, in characters
        self.lines = 0  # the newlines before `text`
        self.line_start = 0  # where the line that `text` starts in starts in the file
        self.tried = 0  # where in the file the text read ended when a batch last found no elements
        self.decode = json.JSONDecoder(parse_constant=NonFinite, parse_int=_integer).raw_decode

    def read_more(self, size: int | None = None) -> bool:
        """Drop the text parsed and add up to `size` characters of the file; False at its end."""
        chunk = self.file.read(size or CHUNK)
        if not chunk:
            self.ended = True
            return False
        newline = self.text.rfind("\n", 0, self.at)
        if newline >= 0:
            self.lines += self.text.count("\n", 0, self.at)
            self.line_start = self.offset + newline + 1
        self.offset += self.at
        self.text = self.text[self.at :] + chunk
        self.at = self.started = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space, left in place ("" at the end of the file)."""
        while True:
            found = NOT_SPACE.search(self.text, self.at)
            if found:
                self.at = found.start()
                return self.text[self.at]
            self.at = len(self.text)
            if not self.read_more():
                return ""

    def take(self, char: str) -> bool:
        """Whether the next character that is not white space is `char`, going past it if so."""
        if self.peek() != char:
            return False
        self.at += 1
        return True

    def expect(self, char: str, what: str) -> None:
        if not self.take(char):
            raise self.error(f"Expecting {what}")

    def value(self) -> Any:
        """The next value, parsed by json. A value that does not end before the end of the text read
        may go on in the file: a long string, or a number cut in two ("0." parses as 0, "0.5" would
        not). Then more is read, twice as much each time, and the value parsed again."""
        self.peek()
        size = CHUNK
        while True:
            try:
                item, end = self.decode(self.text, self.at)
            except json.JSONDecodeError as error:
                if self.ended:
                    raise self.error(error.msg, error.pos) from None
            except RecursionError:
                raise self.error("Nested too deeply") from None
            else:
                if self.ended or not NUMBER_GOES_ON.match(self.text, end):
                    self.started, self.at = self.at, end
                    return item
            self.read_more(size)
            size *= 2

    def stream(self, sink: Sink) -> None:
        """The elements of the array whose "[" was just read, to `sink`: many at a time where the
        text read holds them, else one by one."""
        if self.take("]"):
            return
        while True:
            if self.offset + len(self.text) > self.tried and self.batch(sink):
                return
            sink.extend([self.value()])
            if self.take("]"):
                return
            self.expect(",", "',' delimiter")

    def batch(self, sink: Sink) -> bool:
        """The elements from here up to a comma, parsed by json in one go; True where they were all
        the rest of the array (the comma was past its "]", where json's parse stops).

        Which comma comes between two elements is not known without reading the strings (a label
        may hold one, as "w[1,2]" does), so the last three of the text read are tried, last first:
        text cut inside an element never parses once "]" is put after it (a string or a bracket is
        left open), so where it parses, the cut was between elements or past the array. Where none
        does, the elements are read one by one until more text is read."""
        comma = len(self.text)
        for _ in range(3):
            comma = self.text.rfind(",", self.at, comma)
            if comma < 0:
                break
            text = f"[{self.text[self.at : comma]}]"
            try:
                items, end = self.decode(text)
            except (json.JSONDecodeError, RecursionError):
                continue
            if not items:  # "[ ]" parses too, where a comma follows a comma, or a "[" or "]" does
                break
            sink.extend(items)
            self.at += end - 1  # where json's parse stopped, less the "[" put first: past the comma or the array's "]"
            return end < len(text)
        self.tried = self.offset + len(self.text)
        return False

    def error(self, message: str, at: int | None = None) -> NotJSON:
        """NotJSON saying `message` at `at` in the text (the next character by default), placed in
        the file as json places it: line, column, and character."""
        at = self.at if at is None else at
        newline = self.text.rfind("\n", 0, at)
        line = self.lines + self.text.count("\n", 0, at) + 1
        column = at - newline if newline >= 0 else self.offset + at - self.line_start + 1
        return NotJSON(f"not valid JSON ({message}: line {line} column {column} (char {self.offset + at}))")


def _integer(text: str) -> int | float:
    """A whole number as json reads it, or ±inf where it is too large for a float (as 1e999 is),
    rather than a number no parameter can hold, or an error for its count of digits."""
    number = float(text)
    return int(text) if math.isfinite(number) else number
