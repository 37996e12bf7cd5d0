"""What a TrainingView redrawn every 10 steps costs a training loop on Mazur's network.

    python -m bench.notebook_view [--steps 2000] [--repeats 7] [--kernel]

Mazur's 2-2-2 sigmoid network (nn.examples.mazur, the biases frozen) trains for `--steps` SGD
steps, twice per repeat, taking turns: the loop alone, and the same loop calling
view.update(step, loss, made) every step with every=10, so that it redraws (the numbers, the
edge widths and the error chart written into the SVG) on every tenth step. Here the view is not
displayed: the times are producing the SVG text. With --kernel the same runs happen in a Jupyter
kernel (ipykernel) with the view displayed, so each redraw is also sent as an update_display_data
message (to this process, which reads them as a notebook would; no browser draws them). Each
repeat makes new models, and the view's one-off Graphviz layout is timed apart. Prints the
median of the repeats and their range; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from pathlib import Path
from typing import Any

from autograd.renderer import program
from nn import SGD, Made
from nn.examples import Example, mazur
from nn.notebook_view import TrainingView

EVERY = 10


def new_view(ex: Example, steps: int) -> TrainingView:
    return TrainingView(ex.model, ex.inputs, steps, every=EVERY, frozen=ex.frozen, input_names=ex.input_names)


def training_seconds(steps: int, with_view: bool, displayed: bool = False) -> tuple[float, float]:
    """Seconds for `steps` training steps of a new Mazur network, with or without the view (shown in
    Jupyter if `displayed`); and the seconds the view took to lay itself out (0 without it)."""
    ex = mazur()
    started = time.perf_counter()
    view = new_view(ex, steps) if with_view else None
    laid_out = time.perf_counter() - started if with_view else 0.0
    if view is not None and displayed:
        view.display()
    optimizer = SGD(ex.model.parameters(), ex.lr, frozen=ex.frozen)
    gc.collect()
    started = time.perf_counter()
    for step in range(steps):
        optimizer.zero_grad()
        made: Made = {}
        error = ex.backward(made=made)
        if view is not None:
            view.update(step, error, made)
        optimizer.step()
    return time.perf_counter() - started, laid_out


def spread(values: list[float], unit: str, digits: int = 3) -> str:
    """The median and the range, as "0.153 ms (0.150-0.160)"."""
    return f"{statistics.median(values):.{digits}f} {unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def measure(steps: int, repeats: int, displayed: bool = False) -> dict[str, list[float]]:
    """Milliseconds per training step alone and with the view, and of the layouts, per repeat."""
    training_seconds(steps, True, displayed)  # warm up: the first run pays for imports and Python specializing
    times: dict[str, list[float]] = {"plain": [], "viewed": [], "layouts": []}
    for _ in range(repeats):
        alone, _ = training_seconds(steps, False)
        watched, laid_out = training_seconds(steps, True, displayed)
        times["plain"].append(alone / steps * 1e3)
        times["viewed"].append(watched / steps * 1e3)
        times["layouts"].append(laid_out * 1e3)
    return times


def in_a_kernel(steps: int, repeats: int) -> dict[str, list[float]]:
    """measure(steps, repeats, displayed=True), run in a new python3 kernel started at this checkout's root."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", cwd=str(Path(__file__).parent.parent))
    printed: list[str] = []
    updates = 0

    def note(message: dict[str, Any]) -> None:
        nonlocal updates
        updates += message["msg_type"] == "update_display_data"
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    code = f"import json, bench.notebook_view as b; print(json.dumps(b.measure({steps}, {repeats}, displayed=True)))"
    try:
        reply = client.execute_interactive(code, timeout=600, output_hook=note)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the kernel failed: {reply['content'].get('evalue')}")
    print(f"  ({updates:,} update_display_data messages received)")
    times: dict[str, list[float]] = json.loads("".join(printed))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.notebook_view", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--kernel", action="store_true", help="in a Jupyter kernel, the view displayed")
    args = parser.parse_args()
    times = in_a_kernel(args.steps, args.repeats) if args.kernel else measure(args.steps, args.repeats)
    plain, viewed, layouts = times["plain"], times["viewed"], times["layouts"]
    redraws = [(v - p) * EVERY for p, v in zip(plain, viewed, strict=True)]  # a redraw's ms, one per EVERY steps
    ratios = [v / p for p, v in zip(plain, viewed, strict=True)]
    where = "in a Jupyter kernel, the view displayed" if args.kernel else "the view not displayed"
    print(f"Mazur's 2-2-2 network, {args.steps:,} SGD steps, {args.repeats} repeats, {where}; median (range)")
    print(f"  a training step, the loop alone:           {spread(plain, 'ms')}")
    print(f"  a training step, view redrawn every {EVERY}:   {spread(viewed, 'ms')}")
    print(f"  so the loop takes {spread(ratios, 'x', 2)} as long with the view")
    print(f"  one redraw (the difference x {EVERY}):        {spread(redraws, 'ms', 2)}")
    print(f"  the one-off layout (Graphviz via {program('svg').rsplit('/', 1)[-1]}): {spread(layouts, 'ms', 1)}")


if __name__ == "__main__":
    main()
