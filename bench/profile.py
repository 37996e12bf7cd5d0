"""Where an eager epoch of micrograd's code goes, and what the garbage collector costs.

    python -m bench.profile      # needs micrograd 0.1.0, as bench.run does (make bench installs it)

The moons epoch of bench.run (micrograd's code on chainrule), its second run on a new model,
cut into its parts: the forward pass, backward()'s topological order and the rest of
backward(), the update, and freeing the graph. Then the collections CPython's thresholds start
during one epoch, and micrograd's own epoch at CPython's thresholds and inside chainrule's
opt-in `fewer_collections()`. Medians of 15 runs; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from autograd.collector import BUILDING_THRESHOLD
from autograd.engine import topological_order
from bench.run import float_forward, micrograd_epoch, micrograd_idiom, micrograd_loss
from nn import MLP

RUNS = 15
CPYTHON_THRESHOLD = gc.get_threshold()  # chainrule leaves it as it is


def epoch_parts() -> dict[str, float]:
    """Seconds of each part of one epoch (the second on a new model), one run."""
    model = MLP(2, [16, 16, 1], rng=random.Random(1))
    parameters = model.parameters()
    micrograd_loss(model).backward()  # the first epoch, untimed
    gc.collect()
    ticks = [time.perf_counter()]
    loss = micrograd_loss(model)
    ticks.append(time.perf_counter())
    model.zero_grad()
    topological_order(loss)  # the order alone, made as backward() makes it
    ticks.append(time.perf_counter())
    loss.backward()  # the order again, then the chain rule along the edges
    ticks.append(time.perf_counter())
    for p in parameters:
        p.data -= 0.5 * p.grad
    ticks.append(time.perf_counter())
    del loss
    ticks.append(time.perf_counter())
    order = ticks[2] - ticks[1]
    return {
        "forward pass": ticks[1] - ticks[0],
        "backward(): the topological order": order,
        "backward(): the chain rule along the edges": ticks[3] - ticks[2] - order,
        "update": ticks[4] - ticks[3],
        "freeing the graph": ticks[5] - ticks[4],
    }


def median_ms(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(run[name] for run in runs) * 1e3 for name in runs[0]}


def collections_in_one_epoch() -> tuple[list[int], float]:
    """The generation of each collection CPython's thresholds start in one epoch, and their seconds."""
    epoch = micrograd_idiom(MLP(2, [16, 16, 1], rng=random.Random(1)))
    events: list[tuple[str, int, float]] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        events.append((phase, info["generation"], time.perf_counter()))

    gc.set_threshold(*CPYTHON_THRESHOLD)
    gc.collect()
    gc.callbacks.append(note)
    try:
        epoch()
    finally:
        gc.callbacks.remove(note)
    generations = [generation for phase, generation, _ in events if phase == "start"]
    spent = sum(stop[2] - start[2] for start, stop in zip(events[::2], events[1::2], strict=True))
    return generations, spent


def micrograd_epoch_ms(threshold: tuple[int, ...]) -> float:
    """bench.run's epoch of micrograd 0.1.0, at the given collector thresholds."""
    gc.set_threshold(*threshold)
    return median_of(micrograd_epoch(), 5)


def median_of(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0]).parse_args()
    parts = median_ms([epoch_parts() for _ in range(RUNS)])
    print(f"One epoch of micrograd's code on chainrule (the second on a new model), medians of {RUNS}:")
    for name, ms in parts.items():
        print(f"  {name:<46}{ms:6.2f} ms")
    print(f"  {'in all':<46}{sum(parts.values()):6.2f} ms")
    print(f"  {'the float floor (forward only)':<46}{median_of(float_forward(), RUNS):6.2f} ms")

    generations, spent = collections_in_one_epoch()
    print(
        f"\nAt CPython's thresholds {CPYTHON_THRESHOLD}, one epoch on chainrule starts {generations.count(0)} "
        f"collections of generation 0, {generations.count(1)} of 1 and {generations.count(2)} of 2: "
        f"{spent * 1e3:.2f} ms"
    )
    print("micrograd 0.1.0's epoch (forward, backward and update, as bench.run times it), medians of 5:")
    raised = (BUILDING_THRESHOLD, *CPYTHON_THRESHOLD[1:])
    for name, threshold in (("CPython's", CPYTHON_THRESHOLD), ("fewer_collections()'", raised)):
        label = f"at {name} thresholds {threshold}"
        print(f"  {label:<46}{micrograd_epoch_ms(threshold):6.0f} ms")
    gc.set_threshold(*CPYTHON_THRESHOLD)


if __name__ == "__main__":
    main()
