"""A label set by hand to something other than a string is named by each reader of the graph."""

import ast
import re

import pytest

from autograd import Value, draw_graph
from autograd.compile import compile_backprop
from autograd.explain import explain
from autograd.labels import on_one_line, written_out


@pytest.mark.parametrize(
    ("reader", "read"),
    [
        ("draw_graph()", lambda y, a: draw_graph(y)),
        ("explain()", lambda y, a: explain(y, a)),
        ("compile_backprop()", lambda y, a: compile_backprop(y, [a])),
    ],
)
def test_a_label_that_is_not_a_string_is_named_by_the_reader(reader, read):
    a = Value(1.5, label="a")
    y = a * 2.0
    a.label = 5  # type: ignore[assignment]
    with pytest.raises(
        TypeError,
        match=rf"^{re.escape(reader)} reads each label as text, and a value holding 1.5 has the label 5 \(int\): "
        r"set it to a string, as v.label = '5'$",
    ):
        read(y, a)
    a.label = "a"
    read(y, a)  # a string again: read as before


def test_written_out_writes_what_a_reader_would_not_show_as_itself_as_python_writes_it():
    assert written_out("w\x1b\u202e\ud83d\nb\u00e9 \U0001f600") == "w\\x1b\\u202e\\ud83d\nb\u00e9 \U0001f600"
    assert written_out("a\u2028b\u2029c\u2066d\u2069") == "a\\u2028b\\u2029c\\u2066d\\u2069"  # separators, isolates
    assert written_out("\U0001f469\u200d\U0001f4bb") == "\U0001f469\u200d\U0001f4bb"  # an emoji sequence as it is


def test_on_one_line_also_writes_a_newline_out():
    assert on_one_line("w1\n\u202eb\r") == "w1\\n\\u202eb\\x0d"


def test_written_out_writes_invisible_private_and_unassigned_characters_but_keeps_the_joiners():
    assert written_out("relu\u200b\u2060\ufeff\u00ad") == "relu\\u200b\\u2060\\ufeff\\xad"  # drawn as nothing
    assert written_out("w\ue000\U000e0041\U0010ffff") == "w\\ue000\\U000e0041\\U0010ffff"  # private use, a tag
    assert written_out("\u0915\u094d\u200d\u0937 a\u00a0b") == "\u0915\u094d\u200d\u0937 a\u00a0b"  # a joiner, a space
    for text in ("w\U000e0041", "\x00\x7f\u202e"):
        assert ast.literal_eval(f'"{written_out(text)}"') == text  # as Python writes it, read back by Python


def test_a_joiner_is_shown_only_where_it_joins_two_characters_beyond_ascii():
    assert written_out("relu\u200d") == "relu\\u200d"  # drawn as nothing, it would read "relu"
    assert written_out("\u200crelu") == "\\u200crelu" and written_out("a\u200db") == "a\\u200db"
    assert written_out("\U0001f469\u200d\U0001f4bb") == "\U0001f469\u200d\U0001f4bb"  # an emoji sequence
    assert written_out("\u0915\u094d\u200c\u0937") == "\u0915\u094d\u200c\u0937"  # a Devanagari conjunct, kept apart


def test_a_label_in_an_error_of_the_engine_is_written_on_one_line():
    from autograd import detect_anomaly, grad, make_node

    shown = re.escape("w\\u202e1\\nx")
    w = Value(1e308, label="w\u202e1\nx")  # raw, it would read turned around, on two lines
    with pytest.raises(FloatingPointError, match=rf"from {shown}=1e\+308, 10\.0$"), detect_anomaly():
        w * 10.0
    y = make_node(2.0, [w], [1.0], "twice", label="w\u202e1\nx")
    for reader in (lambda: grad(y, [w]), lambda: compile_backprop(y, [w])):
        with pytest.raises(ValueError, match=rf"the op 'twice' \({shown}\): it was made with make_node\(\) by name"):
            reader()
