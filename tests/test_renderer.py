import re
import shutil

import pytest

from autograd import Value, draw_graph, render
from autograd.renderer import FALLBACK, pipe, program
from nn import Made, draw_network
from nn.examples import mazur
from tests.pictures import svg_texts, texts_without_ink

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def small():
    x = Value(2.0, label="x")
    y = x * 3
    y.label = "y"
    y.backward()
    return draw_graph(y)


@pytest.fixture
def without_dot(monkeypatch):
    """As if Graphviz's dot were not installed (graphviz-pure stays)."""
    real = shutil.which
    monkeypatch.setattr(
        "autograd.renderer.shutil.which", lambda name, **kw: None if name == "dot" else real(name, **kw)
    )


def test_the_suffix_names_the_format(tmp_path, small):
    written = render(small, tmp_path / "g.png")
    assert written == tmp_path / "g.png"
    assert written.read_bytes().startswith(PNG)
    assert not (tmp_path / "g.svg").exists()


def test_a_path_without_a_format_suffix_gets_one(tmp_path, small):
    assert render(small, tmp_path / "out" / "g").read_text().startswith("<?xml")
    assert render(small, tmp_path / "g", "png") == tmp_path / "g.png"
    assert render(small, tmp_path / "net.v2", "dot") == tmp_path / "net.v2.dot"
    assert (tmp_path / "out" / "g.svg").exists()


def test_a_suffix_that_disagrees_with_the_format_is_an_error(tmp_path, small):
    with pytest.raises(ValueError, match=r"the path .*g\.png says png but format='svg'; drop one of them"):
        render(small, tmp_path / "g.png", "svg")
    with pytest.raises(ValueError, match=r"unknown format 'bmp'; choose one of svg, png, pdf"):
        render(small, tmp_path / "g", "bmp")


def test_dot_source_needs_no_renderer(tmp_path, small, monkeypatch):
    monkeypatch.setattr("autograd.renderer.shutil.which", lambda name, **kw: None)
    assert render(small, tmp_path / "g.dot").read_text() == small.source


def test_without_any_renderer_the_error_says_what_to_install(tmp_path, small, monkeypatch):
    monkeypatch.setattr("autograd.renderer.shutil.which", lambda name, **kw: None)
    with pytest.raises(RuntimeError, match=r"needs Graphviz's `dot` or graphviz-pure.*pip install graphviz-pure"):
        render(small, tmp_path / "g.svg")


def test_pdf_without_dot_says_how_to_get_it(tmp_path, small, without_dot):
    with pytest.raises(RuntimeError, match=r"pdf needs Graphviz's `dot` program.*apt-get install graphviz"):
        render(small, tmp_path / "g.pdf")


def test_the_system_dot_is_used_when_present():
    if shutil.which("dot") is None:
        assert program().endswith(FALLBACK)
    else:
        assert program() == shutil.which("dot")


def test_a_broken_graph_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"could not render the graph as svg"):
        pipe("digraph { a -> }", "svg")


def mazur_drawings():
    ex = mazur()
    made: Made = {}
    error = ex.backward(made=made)
    return {
        "graph": draw_graph(error, ex.model.parameters()),
        "network": draw_network(ex.model, ex.inputs, ex.input_names, made=made, frozen=ex.frozen),
    }


def label_texts(source: str) -> set[str]:
    """Every name and number a drawing's DOT source asks to be shown."""
    texts: set[str] = set()
    for label in re.findall(r"label=<(.*?)>(?: \w+=|\]$)", source, re.M):
        plain = re.sub(r"<br[^>]*>", "\n", label)
        texts.update(t.strip() for t in re.split(r"\n|<[^>]+>", plain) if t.strip())
    return texts


@pytest.mark.parametrize("view", ["graph", "network"])
def test_without_dot_every_name_and_number_survives_in_svg_and_png(view, without_dot):
    drawing = mazur_drawings()[view]
    assert program("svg").endswith(FALLBACK)
    svg = pipe(drawing.source, "svg").decode()
    shown = {text for text, *_ in svg_texts(svg)[1]}
    wanted = label_texts(drawing.source)
    assert len(wanted) > 30
    assert wanted <= shown
    assert texts_without_ink(svg, pipe(drawing.source, "png")) == []


@pytest.mark.parametrize("view", ["graph", "network"])
def test_every_name_and_number_survives_with_whatever_renders(view):
    drawing = mazur_drawings()[view]
    svg = pipe(drawing.source, "svg").decode()
    assert label_texts(drawing.source) <= {text for text, *_ in svg_texts(svg)[1]}
    assert texts_without_ink(svg, pipe(drawing.source, "png")) == []


def test_the_ink_check_sees_text_that_is_not_drawn():
    drawing = mazur_drawings()["network"]
    svg = pipe(drawing.source, "svg").decode()
    invisible = drawing.source.replace("<b>", '<font color="white">').replace("</b>", "</font>")
    assert texts_without_ink(svg, pipe(invisible, "png")) == [
        "i1", "i2", "w1", "w3", "b1", "w2", "w4", "h1", "h2", "w5", "w7", "b2", "w6", "w8", "o1", "o2",
    ]  # fmt: skip


def test_a_path_without_a_suffix_gets_the_drawings_own_format(tmp_path):
    from autograd import draw_dot

    x = Value(2.0, label="x")
    written = render(draw_dot(x * 3, format="png"), tmp_path / "g")
    assert written == tmp_path / "g.png" and written.read_bytes().startswith(PNG)
    assert render(draw_graph(x * 3), tmp_path / "h") == tmp_path / "h.svg"  # a drawing's format is svg unless set


def test_a_suffix_that_names_a_format_chainrule_does_not_write_is_an_error_not_part_of_the_name(tmp_path, small):
    with pytest.raises(ValueError, match=r"render\(\) writes svg, png, pdf, .*; the path .*y\.gif asks for gif"):
        render(small, tmp_path / "y.gif")
    assert not (tmp_path / "y.gif.svg").exists()


def test_rendering_a_value_says_to_draw_it_first(tmp_path):
    with pytest.raises(TypeError, match=r"^render\(\) writes a drawing, got Value; draw a Value first: render\(draw"):
        render(Value(1.0), tmp_path / "x.svg")  # type: ignore[arg-type]


def test_a_digraph_of_one_s_own_is_written_without_dot(tmp_path, without_dot):
    graphviz = pytest.importorskip("graphviz")
    own = graphviz.Digraph()  # as the lecture's draw_dot builds it
    own.node("x", "{ x | data 2.0000 | grad 3.0000 }", shape="record")
    own.node("y", "{ y | data 6.0000 }", shape="record")
    own.edge("x", "y")
    svg = render(own, tmp_path / "own.svg").read_text(encoding="utf-8")
    assert "graphviz-pure" in svg
    assert {"x", "data 2.0000", "grad 3.0000", "y", "data 6.0000"} <= {text for text, *_ in svg_texts(svg)[1]}


@pytest.mark.parametrize("path", ["out/", "", ".", "..", "folder", "folder.svg"])
def test_render_refuses_a_path_that_names_a_folder(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder.svg").mkdir()
    with pytest.raises(
        ValueError, match=rf"^render\(\) writes a file, and {re.escape(repr(path))} names a folder: add "
    ):
        render(draw_graph(Value(1.0) * 2), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "folder.svg"]  # nothing written beside them
