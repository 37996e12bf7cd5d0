"""Benchmarks: chainrule against micrograd 0.1.0 and plain floats, measured in one run.

    make bench                   # installs micrograd==0.1.0 into .venv, then runs this
    python -m bench.run [--quick]

Engines take turns within each repeat and the median of the repeats is reported, so that a
slow moment of the machine hits every engine alike. Each workload runs twice, the first run
(a new model's first epoch) reported beside the second for the epochs. Each run starts after
gc.collect(), with the garbage collector at CPython's thresholds, as every engine's users have it
(chainrule changes nothing there); the epoch is also timed inside chainrule's opt-in
`autograd.collector.fewer_collections()`. Beside them runs the bare engine of bench/calibration.py
(tuples and the one-line chain rule, nothing more): how fast the data model alone runs the epoch in
the same run, for micrograd's time moves with the process around it. Ratios are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import statistics
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from autograd import Value, draw_graph, grad, no_grad, render, vsum
from autograd.collector import fewer_collections
from autograd.compile import compile_backprop
from demos.moons import make_moons
from nn import MLP, SGD, hinge, l2, squared_error
from nn.examples import mazur

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:
    sys.exit("the benchmarks compare with micrograd: pip install micrograd==0.1.0")

Workload = Callable[[], object]
CHAINRULE = "chainrule, micrograd's code"
BARE = "the bare engine of bench.calibration"  # what the data model alone runs the epoch in, on this machine
POINTS, LABELS = make_moons()
INPUTS = [list(p) for p in POINTS]


def median_times(
    workloads: dict[str, Callable[[], Workload]], repeats: int, first_runs: dict[str, float] | None = None
) -> dict[str, float]:
    """Median seconds per call of each workload; each repeat runs every engine once, in turn.

    Each workload runs once first, as the first of a user's many epochs: that run pays for memory
    the process has not used yet and for Python specializing the code it runs. Its median time
    goes into `first_runs` where one is given. Each timed run starts from a collected heap, so
    that no engine pays for another's garbage; the collector stays on, at its thresholds.
    """
    times: dict[str, list[float]] = {name: [] for name in workloads}
    firsts: dict[str, list[float]] = {name: [] for name in workloads}
    for _ in range(repeats):
        for name, prepare in workloads.items():
            run = prepare()
            gc.collect()
            for runs in (firsts, times):
                start = time.perf_counter()
                run()
                runs[name].append(time.perf_counter() - start)
                gc.collect()
    if first_runs is not None:
        first_runs.update({name: statistics.median(ts) for name, ts in firsts.items()})
    return {name: statistics.median(ts) for name, ts in times.items()}


# -- one epoch of micrograd's demo ------------------------------------------------------------


def chainrule_epoch() -> Workload:
    """The chainrule way: the fused hinge and l2 nodes, and SGD."""
    model = MLP(2, [16, 16, 1], rng=random.Random(1))
    optimizer = SGD(model.parameters(), lr=0.5)

    def epoch() -> None:
        scores = [model.forward(p)[0] for p in POINTS]
        loss = vsum([hinge(scores, LABELS), l2(model.parameters(), 1e-4)])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return epoch


def micrograd_epoch() -> Workload:
    """The training step of micrograd's demo notebook, written the way it writes it."""
    random.seed(1)
    return micrograd_idiom(micrograd_nn.MLP(2, [16, 16, 1]))


def chainrule_micrograd_idiom() -> Workload:
    """micrograd's demo ported as written: only the imports change."""
    return micrograd_idiom(MLP(2, [16, 16, 1], rng=random.Random(1)))


def chainrule_compiled() -> Workload:
    """micrograd's code, its graph compiled once with compile_backprop, then replayed each epoch."""
    model = MLP(2, [16, 16, 1], rng=random.Random(1))
    program = compile_backprop(micrograd_loss(model), model.parameters())

    def epoch() -> None:
        model.zero_grad()
        program()
        for p in model.parameters():
            p.data -= 0.5 * p.grad

    return epoch


def chainrule_compiled_fused() -> Workload:
    """The chainrule way (hinge and l2 nodes), its graph compiled once, then replayed each epoch."""
    model = MLP(2, [16, 16, 1], rng=random.Random(1))
    loss = vsum([hinge([model.forward(p)[0] for p in POINTS], LABELS), l2(model.parameters(), 1e-4)])
    program = compile_backprop(loss, model.parameters())
    optimizer = SGD(model.parameters(), lr=0.5)

    def epoch() -> None:
        optimizer.zero_grad()
        program()
        optimizer.step()

    return epoch


def with_fewer_collections(prepare: Callable[[], Workload]) -> Callable[[], Workload]:
    """The same workload, each run inside autograd.collector.fewer_collections()."""

    def prepared() -> Workload:
        run = prepare()

        def run_with_fewer_collections() -> object:
            with fewer_collections():
                return run()

        return run_with_fewer_collections

    return prepared


def micrograd_loss(model: Any) -> Any:
    """The loss of micrograd's demo notebook: per-point relu margins, sum(), and a sum of p*p."""
    scores = list(map(model, INPUTS))
    losses = [(1 + -y * s).relu() for y, s in zip(LABELS, scores, strict=True)]
    return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())


def micrograd_idiom(model: Any) -> Workload:
    """The epoch of micrograd's demo notebook, for either engine's model."""

    def epoch() -> None:
        total = micrograd_loss(model)
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad

    return epoch


def chainrule_evaluation(recording: bool) -> Callable[[], Workload]:
    """The moons MLP's forward pass and loss, recording the graph or under no_grad()."""

    def prepare() -> Workload:
        model = MLP(2, [16, 16, 1], rng=random.Random(1))

        def evaluate() -> float:
            scores = [model.forward(p)[0] for p in POINTS]
            return hinge(scores, LABELS).data

        def evaluate_without_graph() -> float:
            with no_grad():
                return evaluate()

        return evaluate if recording else evaluate_without_graph

    return prepare


def first_derivatives(graph: bool) -> Callable[[], Workload]:
    """d(loss)/d(parameter) of micrograd's epoch loss, by backward() or, as a graph, by grad()."""

    def prepare() -> Workload:
        model = MLP(2, [16, 16, 1], rng=random.Random(1))
        loss = micrograd_loss(model)
        return partial(grad, loss, model.parameters()) if graph else loss.backward

    return prepare


def float_forward() -> Workload:
    """The floor: the same network's forward pass and loss over plain floats, no autograd, each
    neuron's w·x + b written as micrograd writes it (a sum over zip, started at b)."""
    rng = random.Random(1)
    sizes = [2, 16, 16, 1]
    layers = [
        ([[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)], [0.0] * nout)
        for nin, nout in itertools.pairwise(sizes)
    ]

    def forward() -> float:
        total = 0.0
        for point, label in zip(POINTS, LABELS):  # noqa: B905  # micrograd's zip, without strict=
            x: list[float] = list(point)
            for k, (rows, biases) in enumerate(layers):
                nets = [sum((wi * xi for wi, xi in zip(row, x)), b) for row, b in zip(rows, biases)]  # noqa: B905
                x = nets if k == len(layers) - 1 else [max(0.0, n) for n in nets]
            total += max(0.0, 1.0 - label * x[0])
        return total / len(POINTS)

    return forward


# -- a chain of N ops ---------------------------------------------------------------------------


def chain(value: Any, n: int) -> Any:
    """n ops, alternating multiply and add, each depending on the one before."""
    for _ in range(n // 2):
        value = value * 0.999
        value = value + 0.001
    return value


def chain_workload(make: Callable[[float], Any], n: int) -> Callable[[], Workload]:
    def prepare() -> Workload:
        def run() -> None:
            chain(make(0.5), n).backward()

        return run

    return prepare


def with_deep_stack(run: Callable[[], Any]) -> Any:
    """Run in a thread with a large stack and a raised recursion limit (micrograd's backward recurses)."""
    result: list[Any] = []
    old_limit, old_size = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(10_000_000)
    threading.stack_size(1 << 30)
    try:
        thread = threading.Thread(target=lambda: result.append(run()))
        thread.start()
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
        threading.stack_size(old_size)
    return result[0] if result else None


def micrograd_fails_at_default_limit(n: int) -> bool:
    try:
        chain(micrograd_engine.Value(0.5), n).backward()
    except RecursionError:
        return True
    return False


# -- memory -------------------------------------------------------------------------------------


def bytes_per_op(engine: str, make: Callable[[float], Any], n: int) -> float:
    """Memory held by an n-op chain after forward and backward, per op (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    out = chain(make(0.5), n)
    out.backward()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del out
    return held / n


# -- a wide sum ---------------------------------------------------------------------------------


def wide_sum(make: Callable[[float], Any], n: int, n_ary: bool) -> Callable[[], Workload]:
    def prepare() -> Workload:
        ws = [make(0.001 * i) for i in range(n)]
        xs = [make(1.0 - 0.001 * i) for i in range(n)]

        def run() -> None:
            products = [w * x for w, x in zip(ws, xs, strict=True)]
            (vsum(products) if n_ary else sum(products)).backward()

        return run

    return prepare


def report(title: str, times: dict[str, float], base: str) -> None:
    print(f"\n{title}")
    for name, seconds in times.items():
        ratio = "" if name == base else f"   {base} is {seconds / times[base]:.1f}x faster"
        if name == "floats (forward only)":
            ratio = f"   {base} takes {times[base] / seconds:.1f}x the floor"
        print(f"  {name:<28}{seconds * 1e3:10.2f} ms{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and no 1,000,000-op chain")
    parser.add_argument("--epochs-only", action="store_true", help="only the epochs of micrograd's demo")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    print(f"Python {sys.version.split()[0]}, median of {repeats} repeats, engines taking turns")
    from bench.calibration import sketch_epoch  # imported here: bench.calibration imports this module

    firsts: dict[str, float] = {}
    epochs = median_times(
        {
            CHAINRULE: chainrule_micrograd_idiom,
            "chainrule, micrograd's code, fewer_collections()": with_fewer_collections(chainrule_micrograd_idiom),
            "chainrule, hinge and l2": chainrule_epoch,
            "chainrule, compiled": chainrule_compiled,
            "chainrule, hinge and l2, compiled": chainrule_compiled_fused,
            "micrograd 0.1.0": micrograd_epoch,
            BARE: sketch_epoch,
            "floats (forward only)": float_forward,
        },
        repeats,
        firsts,
    )
    print("\nOne epoch of micrograd's demo (MLP 2-16-16-1, 100 points, hinge + L2, forward + backward + SGD)")
    print("(the second epoch of a new model; in brackets, its first)")
    for name, seconds in epochs.items():
        print(f"  {name:<50}{seconds * 1e3:10.2f} ms  ({firsts[name] * 1e3:.2f} ms)")
    floor, micrograd = "floats (forward only)", "micrograd 0.1.0"
    for idiom in [name for name in epochs if name.startswith("chainrule")]:
        print(
            f"  {idiom}: {epochs[micrograd] / epochs[idiom]:.1f}x faster than micrograd, "
            f"{epochs[idiom] / epochs[floor]:.2f}x the float floor "
            f"(first epochs: {firsts[micrograd] / firsts[idiom]:.1f}x, {firsts[idiom] / firsts[floor]:.2f}x)"
        )
    print(
        f"  {BARE}: {epochs[micrograd] / epochs[BARE]:.1f}x faster than micrograd; chainrule's run of micrograd's "
        f"code takes {epochs[CHAINRULE] / epochs[BARE]:.2f}x its time"
    )
    if args.epochs_only:
        return

    report(
        "Evaluating the same MLP on the 100 points (forward and loss only)",
        median_times(
            {
                "chainrule, no_grad()": chainrule_evaluation(recording=False),
                "chainrule, recording": chainrule_evaluation(recording=True),
                "floats (forward only)": float_forward,
            },
            repeats,
        ),
        "chainrule, no_grad()",
    )

    report(
        "First derivatives of that epoch's loss for the 337 parameters: backward() fills floats, grad() builds Values",
        median_times({"backward()": first_derivatives(graph=False), "grad()": first_derivatives(graph=True)}, repeats),
        "backward()",
    )

    model = MLP(2, [16, 16, 1], rng=random.Random(1))
    loss = micrograd_loss(model)
    start = time.perf_counter()
    program = compile_backprop(loss, model.parameters())
    print(
        f"  compiling that epoch's graph: {time.perf_counter() - start:.2f} s, {program.source.count(chr(10)):,} lines"
    )

    lengths = [1_000, 10_000, 100_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    for n in lengths:
        chain_repeats = max(1, repeats // (1 + n // 100_000))
        times = median_times({"chainrule": chain_workload(Value, n)}, chain_repeats)
        times["micrograd 0.1.0"] = with_deep_stack(
            partial(median_times, {"micrograd 0.1.0": chain_workload(micrograd_engine.Value, n)}, chain_repeats)
        )["micrograd 0.1.0"]
        report(
            f"A chain of {n:,} ops, forward and backward (micrograd with its recursion limit raised)",
            times,
            "chainrule",
        )
    print(
        f"  micrograd at the default recursion limit, 2,000 ops: "
        f"{'RecursionError' if micrograd_fails_at_default_limit(2_000) else 'works'}; "
        f"chainrule ran every chain at the default limit ({sys.getrecursionlimit()})"
    )

    n = 100_000
    ours = bytes_per_op("chainrule", Value, n)
    theirs = with_deep_stack(lambda: bytes_per_op("micrograd", micrograd_engine.Value, n))
    print(f"\nMemory held per op, {n:,}-op chain after forward and backward (tracemalloc)")
    print(f"  chainrule        {ours:8.0f} bytes")
    print(f"  micrograd 0.1.0  {theirs:8.0f} bytes   ({theirs / ours:.1f}x chainrule)")

    ours_name, theirs_name = "chainrule (vsum, one node)", "micrograd 0.1.0 (sum)"
    times = median_times({ours_name: wide_sum(Value, n, True)}, repeats)
    times |= with_deep_stack(lambda: median_times({theirs_name: wide_sum(micrograd_engine.Value, n, False)}, repeats))
    report(f"A wide sum of {n:,} products, forward and backward", times, ours_name)

    def draw() -> None:
        ex = mazur()
        error = squared_error(ex.model.forward(ex.inputs), ex.targets)
        error.backward()
        render(draw_graph(error, ex.model.parameters()), Path("out/bench/mazur_graph"), "svg")

    seconds = median_times({"chainrule, drawing": lambda: draw}, repeats)["chainrule, drawing"]
    print(f"\nDrawing the Mazur graph to SVG (draw_graph + dot): {seconds * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
