import io
import json
import math
import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn import json_reader
from nn.json_reader import NonFinite, NotJSON, read_object


class Kept:
    """A sink that keeps every element, and each batch it was given."""

    def __init__(self) -> None:
        self.items: list[object] = []
        self.batches: list[int] = []

    def extend(self, items: list[object]) -> None:
        self.items += items
        self.batches.append(len(items))


def read(text: str, streamed: tuple[str, ...] = ("a",)) -> dict[str, object]:
    """The document read_object gives, with each streamed array as the list of what its sink was given."""
    sinks = {key: Kept() for key in streamed}
    document = read_object(io.StringIO(text), dict(sinks))
    return {key: value.items if isinstance(value, Kept) else value for key, value in document.items()}


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab,[]{}:" \\\n\u00e9\u2028'), max_size=6)
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=8)
objects = st.dictionaries(st.sampled_from(["a", "b", "c,", 'd"]']), values | st.lists(values, max_size=30))
layouts = st.sampled_from(
    [{}, {"indent": 1}, {"indent": 0}, {"separators": (",", ":")}, {"separators": (" , ", " : ")}]
)


@settings(max_examples=400, deadline=None)
@given(objects, layouts, st.integers(1, 9), st.data())
def test_it_reads_what_json_reads_and_refuses_what_json_refuses_in_chunks_of_any_size(document, layout, chunk, data):
    """Any JSON object, written any way, read in chunks from 1 character up; and the same text with one
    character dropped, doubled or changed, which json may or may not read: the reader does as json does."""
    text = json.dumps(document, **layout)
    if data.draw(st.booleans()) and text:
        at = data.draw(st.integers(0, len(text) - 1))
        edit = data.draw(st.sampled_from(["drop", "double", ",", "]", "}", '"', "e", ".", "-", "0", " "]))
        text = text[:at] + {"drop": "", "double": text[at] * 2}.get(edit, edit) + text[at + 1 :]
    with mock.patch.object(json_reader, "CHUNK", chunk):
        try:
            expected = json.loads(text)
            keys = [key for key, _ in json.loads(text, object_pairs_hook=list)] if isinstance(expected, dict) else []
            if len(set(keys)) != len(keys):
                raise ValueError("a key written twice")  # which json.loads would pass, keeping the last
        except (ValueError, RecursionError):
            with pytest.raises(NotJSON):
                read(text)
            return
        if not isinstance(expected, dict):
            with pytest.raises(NotJSON, match=r"not a JSON object: it starts with|it is empty"):
                read(text)
            return
        assert json.dumps(read(text)) == json.dumps(expected)  # ints stay ints, floats floats, -0.0 stays -0.0


def test_a_long_array_goes_to_its_sink_in_batches_and_other_values_are_kept(monkeypatch):
    monkeypatch.setattr(json_reader, "CHUNK", 1000)
    sink = Kept()
    numbers = [k / 7 for k in range(1000)]
    document = read_object(io.StringIO(json.dumps({"shape": [2, 1], "a": numbers, "b": "c"}, indent=1)), {"a": sink})
    assert document == {"shape": [2, 1], "a": sink, "b": "c"}
    assert sink.items == numbers
    assert sum(n for n in sink.batches if n > 1) > 900  # most arrive in batches, parsed by json in one go


def test_commas_inside_strings_do_not_cut_a_batch_wrongly(monkeypatch):
    monkeypatch.setattr(json_reader, "CHUNK", 50)
    labels = [f"w{k}[{k},{k + 1}]" if k % 3 else f'"{k},"' for k in range(300)]
    assert read(json.dumps({"a": labels}, indent=1))["a"] == labels


def test_strings_with_commas_still_go_to_the_sink_in_batches(monkeypatch):
    """Where the text read ends in a string that holds a comma, an earlier comma cuts the batch."""
    monkeypatch.setattr(json_reader, "CHUNK", 1000)
    sink = Kept()
    labels = [f"w{k}[{k},{k + 1}]" for k in range(3000)]
    read_object(io.StringIO(json.dumps({"a": labels}, indent=1)), {"a": sink})
    assert sink.items == labels
    assert sum(n for n in sink.batches if n > 1) > 0.9 * len(labels)


class Reads(io.StringIO):
    """A file that notes the size of each read asked of it."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.sizes: list[int | None] = []

    def read(self, size: int | None = -1) -> str:
        self.sizes.append(size)
        return super().read(size)


def test_the_file_is_read_a_chunk_at_a_time_and_a_long_value_in_reads_twice_as_large(monkeypatch):
    monkeypatch.setattr(json_reader, "CHUNK", 100)
    file = Reads(json.dumps({"a": "x" * 10_000}))
    assert read_object(file, {}) == {"a": "x" * 10_000}
    assert file.sizes == [100, 100, 200, 400, 800, 1600, 3200, 6400, 100]  # the last finds the end


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [("NaN", math.nan, "NaN"), ("Infinity", math.inf, "Infinity"), ("-Infinity", -math.inf, "-Infinity")],
)
def test_nan_and_infinity_are_kept_apart_from_numbers(text, value, written):
    item = read(f'{{"a": [{text}]}}')["a"][0]  # type: ignore[index]
    assert isinstance(item, NonFinite)
    assert repr(item) == written
    assert math.isnan(item) if math.isnan(value) else item == value


@pytest.mark.parametrize(("text", "value"), [("1e999", math.inf), ("-1e999", -math.inf), ("1" + "0" * 5000, math.inf)])
def test_numbers_too_large_for_a_float_read_as_inf(text, value):
    item = read(f'{{"a": [{text}]}}')["a"][0]  # type: ignore[index]
    assert item == value
    assert not isinstance(item, NonFinite)


def test_a_key_written_twice_is_refused_where_it_is():
    with pytest.raises(
        NotJSON, match=r"^not valid JSON \(the key 'a' is written twice: line 3 column 2 \(char 19\)\)$"
    ):
        read('{"a": 1,\n"b": [],\n "a": 2}')


@pytest.mark.parametrize(
    "text",
    [
        '{\n "a": [1, 2,\n  3 4],\n "b": 1}',  # in a streamed array
        '{\n "b": [1, 2 3]}',  # inside a value json parses
        '{"a": 1, 22: 3}',  # a key that is not a string
        '{"a" 1}',
        '{"a": 1} x',
        '\n{"b": [\n1,\n2\n],\n "c" 1}',  # a newline first; a value over lines
        '{"b": [\n1,\n2\n],\n\n "c": [1,\n 2 3]}',
        '{\n "b": [\n  1,\n  2\n ],\n "c" 1}',  # read again from the start of a value over lines
        '{"b": 1,\n "c": "x\ny"}',  # a line break inside a string
        '{\r\n "b": 1\r\n "c": 2}',
        '{\n\n "b": {"c": [1,\n2], "d"}}',
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13, 21, 100])
def test_errors_say_what_json_says_at_the_line_and_column_json_names(monkeypatch, text, chunk):
    monkeypatch.setattr(json_reader, "CHUNK", chunk)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(NotJSON) as error:
        read(text)
    e = expected.value
    assert str(error.value) == f"not valid JSON ({e.msg}: line {e.lineno} column {e.colno} (char {e.pos}))"


@pytest.mark.parametrize(("key", "where"), [("a", "line 1 column 8 (char 7)"), ("b", "line 1 column 7 (char 6)")])
def test_a_value_nested_too_deeply_is_refused_where_it_starts(key, where):
    """Under "a", which is streamed, the value is the array's first element."""
    text = f'{{"{key}": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(NotJSON, match=rf"^not valid JSON \(Nested too deeply: {re.escape(where)}\)$"):
        read(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "it is empty"), ("  \n", "it is empty"), ("[1, 2]", "not a JSON object: it starts with '\\['")],
)
def test_a_file_that_is_not_an_object_says_what_it_starts_with(text, message):
    with pytest.raises(NotJSON, match=f"^{message}$"):
        read(text)


@pytest.mark.parametrize("text", ['{"a": [,1]}', '{"a": [1,,2]}', '{"a": [1, ,2]}', '{"a": [1,2,]}', '{"a": [1 2]}'])
@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_an_array_with_a_missing_element_is_refused_however_it_is_cut(text, chunk, monkeypatch):
    monkeypatch.setattr(json_reader, "CHUNK", chunk)
    with pytest.raises(NotJSON, match="Expecting"):
        read(text)
