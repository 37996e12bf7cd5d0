"""What the demos share: published-versus-computed tables, graph files, and the command line."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import graphviz

from autograd import Value, render, topological_order
from autograd.renderer import FORMATS, program
from nn import Recording, write_html

PLOTS = "matplotlib: pip install -e '.[plots]' (make demos installs it)"  # what the demos' pictures need


@dataclass(frozen=True)
class Row:
    """One published figure beside the engine's. `published` is the article's text, digits as printed."""

    quantity: str
    published: str
    computed: float

    @property
    def decimals(self) -> int:
        return len(self.published.partition(".")[2])

    @property
    def shown(self) -> str:
        """The computed value at the published precision."""
        return f"{self.computed:.{self.decimals}f}"

    @property
    def agrees(self) -> bool:
        return self.shown == f"{float(self.published):.{self.decimals}f}"


@dataclass(frozen=True)
class Section:
    """A titled table of rows."""

    title: str
    rows: list[Row]


@dataclass
class Report:
    """A demo's result: tables of published-versus-computed rows, notes, a loss curve, graphs."""

    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    graphs: dict[str, graphviz.Digraph] = field(default_factory=dict)
    recording: Recording | None = None  # a training run, for the live view

    def add(self, title: str, rows: list[Row]) -> None:
        self.sections.append(Section(title, rows))

    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]

    def row(self, quantity: str) -> Row:
        """The first row for `quantity`."""
        return next(row for row in self.rows() if row.quantity == quantity)

    def section(self, title: str) -> Section:
        """The section whose title starts with `title`."""
        return next(section for section in self.sections if section.title.startswith(title))


def show(report: Report, args: argparse.Namespace, name: str) -> None:
    """Print the tables and notes; write the graphs and loss curve (--out) and the live view (--html)."""
    for section in report.sections:
        print(table(section.title, section.rows), end="\n\n")
    for note in report.notes:
        print(note, end="\n\n")
    for path in write_graphs(report.graphs, args.out, args.format):
        print(f"wrote {path}")
    curve = plot_loss(report.losses, args.out, f"{name}: error per step")
    if curve:
        print(
            f"wrote {curve}"
            if curve.suffix == ".png"
            else f"wrote {curve}, the loss curve as numbers; loss.png needs {PLOTS}"
        )
    if report.recording and getattr(args, "html", None):
        print(f"wrote {write_html(report.recording, args.html)}")


def table(title: str, rows: Sequence[Row]) -> str:
    """The rows as a text table, each marked ok or DIFFERS."""
    width = max(len("quantity"), *(len(r.quantity) for r in rows)) + 2
    lines = [title, f"  {'quantity':<{width}}{'published':>14}{'computed':>14}   {'full precision':<25}agreement"]
    for r in rows:
        mark = "ok" if r.agrees else "DIFFERS"
        lines.append(f"  {r.quantity:<{width}}{r.published:>14}{r.shown:>14}   {r.computed!r:<25}{mark}")
    return "\n".join(lines)


def named_values(root: Value) -> dict[str, Value]:
    """Every labelled value of root's graph, by label."""
    return {v.label: v for v in topological_order(root) if v.label}


def arguments(
    demo: str, description: str, argv: Sequence[str] | None, steps: int, html: bool = True
) -> argparse.Namespace:
    """The demo's command line, `python -m demos.<demo>`; a format that cannot be written here is refused
    before any training."""
    parser = argparse.ArgumentParser(prog=f"python -m demos.{demo}", description=description)
    parser.add_argument(
        "--out",
        type=Path,
        help="write this demo's files into this folder (its computation graphs, loss curve and plots, "
        "each named as it is written)",
    )
    parser.add_argument(
        "--format",
        help="comma-separated file formats for the graphs --out writes: svg, png, pdf, dot (default svg)",
    )
    parser.add_argument("--steps", type=_steps, default=steps, help=f"training steps, 0 for none (default {steps})")
    if html:
        parser.add_argument("--html", type=Path, help="write a page that steps through the training run")
    args = parser.parse_args(argv)
    if html and args.html and args.steps == 0:
        parser.error("--html records the training run, so it needs --steps 1 or more")
    if args.format is not None and args.out is None:
        parser.error(f"--format {args.format} says how --out writes the graphs: add --out FOLDER")
    args.format = args.format or "svg"
    for format in args.format.split(","):
        if problem := _unwritable(format.strip()):
            parser.error(problem)
    folders = {"--out": args.out, "--html": args.html.parent if html and args.html is not None else None}
    if html and args.html is not None and args.html.is_dir():
        parser.error(f"--html needs the path of a file to write, got the folder {args.html}")
    for option, folder in folders.items():  # every path checked before any folder is made
        if folder is not None and folder.exists() and not folder.is_dir():
            parser.error(f"{option} needs a folder to write into, but {folder} is a file")
    for option, folder in folders.items():
        if folder is not None and (problem := _unmade_folder(folder, option)):
            parser.error(problem)
    return args


def _unmade_folder(folder: Path, option: str) -> str:
    """Why `folder` cannot be made to write into, or "" once it is there: made before any training, so that
    a bad path costs no run."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"{option}: the folder {folder} cannot be made ({error.strerror or error})"
    return ""


def _unwritable(format: str) -> str:
    """Why graphs cannot be written as `format` on this machine, or "" when they can."""
    if format not in FORMATS:
        return f"--format {format!r} is not one chainrule writes; choose from {', '.join(FORMATS)}"
    if format in ("dot", "gv"):
        return ""
    try:
        program(format)
    except RuntimeError as missing:
        return f"--format {format}: {missing}"
    return ""


def _steps(text: str) -> int:
    """A whole number of steps, 0 or more (argparse reports the ValueError's message)."""
    try:
        steps = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--steps needs a whole number, got {text!r}") from None
    if steps < 0:
        raise argparse.ArgumentTypeError(f"--steps needs 0 or more, got {steps}")
    return steps


def write_graphs(graphs: dict[str, graphviz.Digraph], out: Path | None, formats: str) -> list[Path]:
    """Render each graph in each format into `out`; nothing when `out` is None."""
    if out is None:
        return []
    return [render(graph, out / name, fmt.strip()) for name, graph in graphs.items() for fmt in formats.split(",")]


def plot_loss(losses: Sequence[float], out: Path | None, title: str) -> Path | None:
    """Write the loss curve as CSV, and as PNG when matplotlib is installed (nothing without steps)."""
    if out is None or not losses:
        return None
    out.mkdir(parents=True, exist_ok=True)
    (out / "loss.csv").write_text("step,loss\n" + "".join(f"{i},{x!r}\n" for i, x in enumerate(losses)))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return out / "loss.csv"
    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.plot(range(len(losses)), losses)
    axes.set(xlabel="step", ylabel="error", title=title, yscale="log")
    figure.tight_layout()
    figure.savefig(out / "loss.png", dpi=120)
    plt.close(figure)
    return out / "loss.png"
