"""Rendering DOT source: Graphviz's `dot` when it is installed, otherwise graphviz-pure.

graphviz-pure (a dependency of chainrule, from PyPI) is a port of Graphviz with dot's flags. It
renders svg, png and json with every label, so a plain `pip install` draws everything; it has
no pdf, for which the system Graphviz is needed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Protocol

FALLBACK = "graphviz-pure"
FALLBACK_FORMATS = ("svg", "png", "jpeg", "jpg", "json", "dot", "plain", "xdot")
FORMATS = ("svg", "png", "pdf", "jpeg", "jpg", "json", "dot", "gv")
INSTALL_GRAPHVIZ = "apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS) or graphviz.org/download"


class HasSource(Protocol):
    """A graph with DOT source, such as a graphviz.Digraph."""

    @property
    def source(self) -> str: ...


def program(format: str = "svg") -> str:
    """The program that renders `format`: the system `dot`, or graphviz-pure where it can."""
    system = shutil.which("dot")
    if system:
        return system
    if format not in FALLBACK_FORMATS:
        raise RuntimeError(
            f"{format} needs Graphviz's `dot` program, which is not installed: {INSTALL_GRAPHVIZ}. "
            f"Without it chainrule renders {', '.join(FALLBACK_FORMATS[:3])} and json with {FALLBACK}."
        )
    fallback = shutil.which(FALLBACK, path=os.pathsep.join(_script_folders()))
    if fallback is None:
        raise RuntimeError(
            f"rendering needs Graphviz's `dot` or {FALLBACK}, and neither is installed: "
            f"pip install {FALLBACK}, or {INSTALL_GRAPHVIZ}"
        )
    return fallback


def pipe(source: str, format: str) -> bytes:
    """The DOT `source` rendered as `format`."""
    command = [program(format), f"-T{format}"]
    done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{Path(command[0]).name} could not render the graph as {format}: {message}")
    return done.stdout


def render(graph: HasSource, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write `graph` to a file and return its path.

    The format is `format`, else the path's suffix (`render(g, "g.png")` writes PNG), else the
    graph's own (`draw_dot(root, format="png")`, svg for chainrule's drawings). A path without a
    format suffix gets one (`render(g, "out/g", "png")` writes out/g.png); a suffix that names
    another format than `format` is an error, and so is one that names a format chainrule does not
    write (g.gif). "dot" writes the DOT source.
    """
    if not isinstance(getattr(graph, "source", None), str):
        raise TypeError(
            f"render() writes a drawing, got {type(graph).__name__}; "
            "draw a Value first: render(draw_graph(loss), path), or nn.draw_network(model, inputs) for a model"
        )
    text = os.fspath(path)
    target = Path(text)
    if text.endswith(("/", os.sep)) or target.name in ("", ".", "..") or target.is_dir():
        raise ValueError(
            f"render() writes a file, and {text!r} names a folder: add the file's name, as in 'out/graph.svg'"
        )
    suffix = target.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        if format is not None and format != suffix:
            raise ValueError(f"the path {target} says {suffix} but format={format!r}; drop one of them")
        format = suffix
    elif suffix in _graphviz_formats():
        raise ValueError(f"render() writes {', '.join(FORMATS)}; the path {target} asks for {suffix}")
    else:
        format = format or getattr(graph, "format", None) or "svg"
        target = target.with_name(f"{target.name}.{format}")
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if format in ("dot", "gv"):
        target.write_text(graph.source, encoding="utf-8")
    else:
        target.write_bytes(pipe(graph.source, format))
    return target


def _graphviz_formats() -> set[str]:
    """Every output format Graphviz names (gif, bmp, svgz, ...), so that a path ending in one is not taken
    for a name with a dot in it."""
    import graphviz  # loaded when first rendering, so that `from autograd import Value` does not

    return set(graphviz.FORMATS)


def _script_folders() -> list[str]:
    """Where pip puts programs: this Python's scripts folder (found without an activated venv), then PATH."""
    folders = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    return [*folders, *os.environ.get("PATH", "").split(os.pathsep)]
