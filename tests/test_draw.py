import random
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import graphviz
import pytest

from autograd import Drawing, Value, draw_dot, draw_graph, render, vsum
from autograd.draw import escape
from nn import MLP, mean_squared_error
from nn.examples import mazur, worked_example
from tests.attribution import flows, layout, misattributed, text
from tests.pictures import svg_texts

ROOT = Path(__file__).parent.parent


def after_backward(example=mazur):
    ex = example()
    return ex, ex.backward()


def flows_from(root, digits=8, **kwargs):
    """For each value's name, the texts on the edges that leave it."""
    found: dict[str, list[str]] = {}
    for tail, _head, label in flows(layout(draw_graph(root, digits=digits, **kwargs))):
        found.setdefault(tail, []).append(label)
    return found


def operations(root) -> list[str]:
    """The text of every operation node, in the order drawn."""
    return [text(node["label"]) for node in layout(draw_graph(root))["objects"] if node["name"].endswith("op")]


def test_mazur_edges_carry_dE_dw():
    ex, error = after_backward()
    found = flows_from(error, parameters=ex.model.parameters())
    assert found["w5"] == ["0.082167041"]  # the article's dE/dw5
    assert round(float(found["w1"][0]), 9) == 0.000438568  # the article's dE/dw1
    assert found["w6"] == [f"{ex.weights['w6'].grad:.8g}"]
    # b2 is shared by o1 and o2: one share per edge, and the shares add up to its grad.
    shares = [float(x) for x in found["b2"]]
    assert len(shares) == 2
    assert sum(shares) == pytest.approx(ex.biases["b2"].grad, rel=1e-7)
    # out_h1 feeds o1 and o2; the article's dE_o1/dout_h1 = 0.055399425 is the share through o1.
    assert 0.055399425 in [round(float(x), 9) for x in found["h1"]]
    assert sum(float(x) for x in found["h1"]) == pytest.approx(0.036350306, abs=1e-9)


def test_each_flow_runs_from_its_operand_into_its_result():
    _ex, error = after_backward()
    drawn = {(tail, head) for tail, head, _ in flows(layout(draw_graph(error)))}
    assert ("w5", "net_o1") in drawn
    assert ("h1", "net_o2") in drawn
    assert ("net_o1", "o1") in drawn
    assert ("o1", "E") in drawn
    assert (
        len(drawn) == 4 * 5 + 4 + 2
    )  # 5 operands into each net (2 weights, 2 inputs, a bias), nets into σ, o1 o2 into E


@pytest.mark.parametrize("example", [mazur, worked_example])
def test_no_number_reads_as_another_edges_in_the_articles_graphs(example):
    ex, error = after_backward(example)
    assert misattributed(layout(draw_graph(error, ex.model.parameters()))) == []


@pytest.mark.parametrize(("sizes", "activation"), [([4, 4, 1], "tanh"), ([3, 1], "relu"), ([2, 2, 2], "sigmoid")])
def test_no_number_reads_as_another_edges_in_mlp_graphs(sizes, activation):
    model = MLP(3, sizes, activation=activation, rng=random.Random(5))
    loss = mean_squared_error(model.forward([0.5, -1.0, 2.0]), [0.0] * sizes[-1])
    loss.backward()
    drawn = layout(draw_graph(loss, model.parameters()))
    assert len([node for node in drawn["objects"] if node.get("class") == "flow"]) > 3 * sizes[0]
    assert misattributed(drawn) == []


def test_constants_are_shown_in_the_operation():
    x = Value(3.0, label="x")
    y = ((x * 2 - 1) ** 2 + 1) / 4
    z = 2 - vsum([y, 1 / x, 2**x, x + 0.5])
    assert sorted(operations(z)) == sorted(["× 2", "− 1", "** 2", "+ 1", "÷ 4", "1 ÷", "2 **", "+ 0.5", "Σ", "2 −"])


def test_operand_roles_of_non_commutative_ops_are_shown():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    q = a / b
    p = a**b
    d = b - a
    root = q + p + d
    root.backward()
    assert {"a ÷ b", "a ** b", "a − b"} <= set(operations(root))
    found = flows_from(root, digits=4)
    assert sorted(found["a"]) == ["a 0.3333", "a 12", "b -1"]  # numerator of q, base of p, subtrahend of d
    assert sorted(found["b"]) == ["a 1", "b -0.2222", "b 5.545"]


def test_a_value_used_twice_keeps_two_edges_each_with_its_share():
    a = Value(3.0, label="a")
    b = Value(-2.0, label="b")
    c = a * a + a * b
    c.backward()
    found = flows_from(c)
    assert sorted(found["a"]) == ["-2", "3", "3"]  # two edges into a*a, one into a*b
    assert sum(float(x) for x in found["a"]) == a.grad == 4.0


def test_values_show_label_data_and_grad_and_kinds_differ():
    ex, error = after_backward()
    source = draw_graph(error, ex.model.parameters()).source
    assert re.search(r"<b>w5</b></td><td>data 0.4</td><td>grad 0.08217</td>", source)
    assert re.search(r"<b>E</b></td><td>data 0.2984</td><td>grad 1</td>", source)
    fills = set(re.findall(r'bgcolor="(#\w+)"', source))
    assert len(fills) == 4  # parameters, inputs, computed values, the root
    assert "rankdir=LR" in source
    assert "Σ ½(t−o)²" in source  # nn's loss symbol, registered by nn


def test_labels_are_escaped_for_dot():
    nasty = 'a"b\\c<d>{e}|f&g\nh'
    v = Value(1.0, label=nasty) * 2
    graph = draw_graph(v)
    assert escape(nasty) == 'a&quot;b\\\\c&lt;d&gt;{e}|f&amp;g<br align="center"/>h'  # \\ is Graphviz's backslash
    assert escape(nasty) in graph.source
    svg = graph._repr_image_svg_xml()
    assert "a&quot;b\\c&lt;d&gt;{e}|f&amp;g" in svg


def test_node_cap_says_how_to_raise_it():
    v = Value(1.0)
    for _ in range(300):
        v = v * 1.0
    with pytest.raises(ValueError, match=r"the graph has 301 values, more than max_nodes=100; pass max_nodes=301"):
        draw_graph(v, max_nodes=100)
    assert isinstance(draw_graph(v), graphviz.Digraph)


@pytest.mark.parametrize("bad", [[Value(1.0)], 2.5, MLP(2, [1])])
@pytest.mark.parametrize("draw", [draw_graph, draw_dot])
def test_draw_graph_and_draw_dot_say_what_they_draw(bad, draw):
    with pytest.raises(
        TypeError,
        match=rf"^{draw.__name__}\(\) draws the graph behind one Value \(such as a loss\), got {type(bad).__name__}; ",
    ):
        draw(bad)


def test_drawing_shows_inline_in_jupyter_as_svg():
    _ex, error = after_backward()
    drawing = draw_graph(error, digits=8)
    assert isinstance(drawing, Drawing)
    assert isinstance(drawing, graphviz.Digraph)
    bundle = drawing._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"]
    assert "0.082167041" in bundle["image/svg+xml"]
    assert ">w5<" in bundle["image/svg+xml"]


def test_importing_the_engine_does_not_load_graphviz():
    import subprocess

    code = "import sys; from autograd import Value; from nn import MLP; print('graphviz' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def lecture_L() -> Value:
    """The lecture's L = (a·b + c)·f with a = 2, b = −3, c = 10, f = −2, after backward()."""
    a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
    L = (a * b + c) * f
    L.label = "L"
    L.backward()
    return L


def test_draw_dot_takes_micrograds_keywords_and_keeps_the_format():
    L = lecture_L()
    drawing = draw_dot(L, format="svg", rankdir="LR")
    assert isinstance(drawing, Drawing)
    assert isinstance(drawing, graphviz.Digraph)
    assert drawing.format == "svg"
    assert "rankdir=LR" in drawing.source
    assert "<b>a</b></td><td>data 2</td><td>grad 6</td>" in drawing.source
    assert "<b>L</b></td><td>data -8</td><td>grad 1</td>" in drawing.source
    assert drawing.source == draw_graph(L).source  # chainrule's drawing, not another one


def test_draw_dot_takes_micrograds_positional_arguments():
    L = lecture_L()
    drawing = draw_dot(L, "png", "TB")
    assert drawing.format == "png"
    assert "rankdir=TB" in drawing.source
    assert "rankdir=LR" not in drawing.source
    assert drawing.source == draw_graph(L, rankdir="TB").source


def test_draw_dot_defaults_are_micrograds():
    drawing = draw_dot(lecture_L())
    assert drawing.format == "svg"
    assert "rankdir=LR" in drawing.source


@pytest.mark.parametrize("rankdir", ["RL", "BT", "lr", "", None])
def test_draw_dot_names_a_bad_rankdir(rankdir):
    expected = r"rankdir 'LR' \(left to right\) or 'TB' \(top to bottom\), got " + re.escape(repr(rankdir))
    with pytest.raises(ValueError, match=expected):
        draw_dot(lecture_L(), rankdir=rankdir)


@pytest.mark.parametrize("format", ["bmp", "SVG", "gif", ""])
def test_draw_dot_names_a_bad_format_and_the_allowed_ones(format):
    expected = r"format to be one of svg, png, pdf, jpeg, jpg, json, dot, gv, got " + re.escape(repr(format))
    with pytest.raises(ValueError, match=expected):
        draw_dot(lecture_L(), format=format)


RENDER_L = """
import sys
from autograd import Value, draw_dot, render
from autograd.renderer import program

a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
L = (a * b + c) * f
L.label = "L"
L.backward()
drawing = draw_dot(L, format="svg", rankdir="LR")
print(render(drawing, sys.argv[1], drawing.format))
print(program(drawing.format))
"""


@pytest.mark.parametrize("dot_hidden", [False, True], ids=["with dot", "with dot hidden"])
def test_draw_dot_renders_to_svg_with_or_without_graphviz_dot(tmp_path, dot_hidden):
    if not dot_hidden and shutil.which("dot") is None:
        pytest.skip("needs Graphviz's dot on PATH")
    command = [sys.executable, "-c", RENDER_L, str(tmp_path / "L")]
    if dot_hidden:
        command = [str(ROOT / ".ci" / "without-dot"), *command]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    written, renderer = done.stdout.split()
    assert written == str(tmp_path / "L.svg")  # the suffix from the drawing's format
    assert Path(renderer).name == ("graphviz-pure" if dot_hidden else "dot")
    _width, texts = svg_texts((tmp_path / "L.svg").read_text(encoding="utf-8"))
    shown = [t[0] for t in texts]
    lecture = {"a": (2, 6), "b": (-3, -4), "c": (10, -2), "f": (-2, 4), "L": (-8, 1)}  # label: (data, grad)
    for label, (data, grad) in lecture.items():
        assert label in shown
        assert f"data {data}" in shown
        assert f"grad {grad}" in shown


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("a\x00b", "a\\x00b"),
        ("a\x1bb", "a\\x1bb"),
        ("a\tb", "a\\x09b"),
        ("a\x7fb", "a\\x7fb"),
        ("a\x85b", "a\\x85b"),
        ("h\u202e1 evil", "h\\u202e1 evil"),  # drawn as itself, U+202E would show "h1 live"
        ("a\u2066b\u2069", "a\\u2066b\\u2069"),
    ],
)
def test_a_control_character_or_a_mark_that_reorders_text_is_drawn_written_out(tmp_path, label, shown):
    x = Value(1.0, label=label)
    y = x * 2.0
    y.backward()
    svg = render(draw_graph(y), tmp_path / "g.svg").read_text(encoding="utf-8")
    assert f">{shown}<" in svg


@pytest.mark.parametrize("label", [r"\N \G \L", "a\\b", "ends with \\"])
def test_a_backslash_in_a_label_is_drawn_as_written(tmp_path, label):
    x = Value(1.0, label=label)
    y = x * 2.0
    y.backward()
    svg = render(draw_graph(y), tmp_path / "g.svg").read_text(encoding="utf-8")
    assert f">{label}<" in svg


PNG = b"\x89PNG\r\n\x1a\n"
OWN_RENDER_L = """
import sys
from pathlib import Path
from autograd import Value, draw_dot

a, b = Value(2.0, label="a"), Value(-3.0, label="b")
L = a * b
L.label = "L"
L.backward()
folder = Path(sys.argv[1])
print(draw_dot(L).render(folder / "gout"))
print(draw_dot(L, format="png").render(folder / "p", cleanup=True))
print(draw_dot(L).render(outfile=folder / "o.png"))
print(len(draw_dot(L).pipe(format="png")), draw_dot(L).pipe(encoding="utf-8").count("grad &#45;3"))
"""


@pytest.mark.parametrize("dot_hidden", [False, True], ids=["with dot", "with dot hidden"])
def test_the_drawings_own_render_and_pipe_work_with_or_without_graphviz_dot(tmp_path, dot_hidden):
    if not dot_hidden and shutil.which("dot") is None:
        pytest.skip("needs Graphviz's dot on PATH")
    command = [sys.executable, "-c", OWN_RENDER_L, str(tmp_path)]
    if dot_hidden:
        command = [str(ROOT / ".ci" / "without-dot"), *command]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    gout, p, o, piped = done.stdout.splitlines()
    assert (gout, p, o) == (str(tmp_path / "gout.svg"), str(tmp_path / "p.png"), str(tmp_path / "o.png"))
    assert "digraph" in (tmp_path / "gout").read_text()  # the DOT source, as graphviz's render() leaves it
    assert "grad -3" in [t[0] for t in svg_texts((tmp_path / "gout.svg").read_text())[1]]
    assert not (tmp_path / "p").exists()  # cleanup=True removed the source
    assert (tmp_path / "p.png").read_bytes().startswith(PNG)
    assert (tmp_path / "o.png").read_bytes().startswith(PNG)
    assert int(piped.split()[0]) > 1000 and piped.split()[1] == "1"


def test_the_drawings_view_renders_then_opens_the_picture(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(graphviz, "view", lambda path, quiet=False: opened.append(Path(path)))
    written = draw_dot(lecture_L()).view(tmp_path / "v")
    assert written == str(tmp_path / "v.svg") and opened == [tmp_path / "v.svg"]
    assert "data -8" in [t[0] for t in svg_texts((tmp_path / "v.svg").read_text())[1]]


def test_a_format_that_cannot_be_drawn_leaves_no_file_behind(tmp_path, monkeypatch):
    monkeypatch.setattr("autograd.renderer.shutil.which", lambda name, **kw: None)  # no dot: no pdf
    with pytest.raises(RuntimeError, match=r"pdf needs Graphviz's `dot` program"):
        draw_dot(lecture_L(), format="pdf").render(tmp_path / "g")
    assert list(tmp_path.iterdir()) == []


def test_options_only_the_dot_program_knows_are_refused_not_ignored(tmp_path):
    with pytest.raises(ValueError, match=r"engine='neato' is not supported"):
        draw_dot(lecture_L()).render(tmp_path / "g", engine="neato")
    with pytest.raises(ValueError, match=r"renderer='cairo' is not supported"):
        draw_dot(lecture_L()).pipe(format="png", renderer="cairo")


def test_a_drawing_made_before_backward_says_why_every_grad_is_0(tmp_path):
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    before = [t[0] for t in svg_texts(render(draw_graph(c), tmp_path / "before.svg").read_text())[1]]
    assert "Every grad is 0: backward() has not run." in before
    c.backward()
    after = [t[0] for t in svg_texts(render(draw_graph(c), tmp_path / "after.svg").read_text())[1]]
    assert not any("backward() has not run" in t for t in after) and "grad -3" in after


def test_a_drawing_shows_data_set_to_a_fraction_as_a_float_and_names_data_that_is_not_a_number():
    x = Value(1.0)
    y = x * 2
    x.data = Fraction(1, 8)  # type: ignore[assignment]
    assert "<td>data 0.125</td>" in draw_graph(y).source
    x.data = "5"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"^a drawing shows real numbers, got '5' \(str\) as a value's data or grad$"):
        draw_graph(y)


@pytest.mark.parametrize("label", ["<" * 4100, "w" * 100_000, "\U0001f600" * 5000])
def test_a_label_longer_than_graphviz_reads_is_cut_and_says_how_long_it_is(label):
    a = Value(1.0, label=label)
    b = a * 2
    b.backward()
    _width, texts = svg_texts(str(draw_graph(b).pipe(encoding="utf-8")))  # with dot where it is installed
    shown = [t[0] for t in texts]
    assert f"{label[:200]}… ({len(label):,} characters)" in shown
    assert "grad 2" in shown  # the rest of the node is drawn as ever


def test_render_refuses_the_same_file_for_the_source_and_the_picture(tmp_path):
    picture = tmp_path / "r.svg"
    with pytest.raises(
        ValueError, match=r"^render\(\) would save the DOT source and the picture as one file, .*r\.svg"
    ):
        draw_graph(Value(1.0) * 2).render(picture, outfile=picture)
    assert not picture.exists()
    with pytest.raises(ValueError, match=r"as one file"):
        draw_graph(Value(1.0) * 2).render("r.svg", directory=tmp_path, outfile=picture)
