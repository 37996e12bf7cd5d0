"""What compile_backprop takes for a large graph, as one function and in parts (autograd.in_parts).

    python -m bench.compile_size [--steps 30000]

Builds a chain of `steps` steps (8 values every 3 steps: products, sums, tanh, relu, sigmoid), then,
each way in a process of its own, compiles it and prints the time compile_backprop takes, the peak
memory it adds to the process (its largest resident size, beyond what the graph had made it), and
the median time of a run of the program once Python has specialised its code (after 10 runs), beside
backward()'s on the same graph. Programs over autograd.in_parts.ONE_FUNCTION_AT_MOST lines run in
parts; here each way is forced, whatever the length. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

import autograd.in_parts
from autograd import Value
from autograd.compile import compile_backprop

RUNS = 7


def chain(steps: int) -> tuple[Value, Value]:
    """A long chain of mixed ops from x: the root and x."""
    x = Value(0.5, "x")
    y = x
    for i in range(steps):
        if i % 3 == 0:
            y = y * x
        elif i % 3 == 1:
            y = (y * 1.0001 + x).tanh()
        else:
            y = (y - 0.3).relu() + x.sigmoid()
    return y, x


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(steps: int, way: str) -> dict[str, float]:
    """In this process: compile the chain one way and time it."""
    autograd.in_parts.ONE_FUNCTION_AT_MOST = sys.maxsize if way == "one function" else 0
    root, x = chain(steps)
    before = peak_mb()
    start = time.perf_counter()
    program = compile_backprop(root, [x])
    compiling = time.perf_counter() - start
    added = peak_mb() - before
    times = []
    for k in range(10 + RUNS):
        start = time.perf_counter()
        program()
        if k >= 10:
            times.append(time.perf_counter() - start)
    backward = []
    for _ in range(RUNS):
        start = time.perf_counter()
        root.backward()
        backward.append(time.perf_counter() - start)
    return {
        "lines": program.source.count("\n"),
        "compile": compiling,
        "added_mb": added,
        "run": statistics.median(times),
        "backward": statistics.median(backward),
    }


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compile_size", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30_000, help="steps of the chain (default 30000)")
    parser.add_argument("--way", help=argparse.SUPPRESS)  # the child process: measure one way, print JSON
    args = parser.parse_args(arguments)
    if args.way:
        print(json.dumps(measure(args.steps, args.way)))
        return
    print(f"Python {sys.version.split()[0]}; a chain of {args.steps} steps")
    for way in ("one function", "in parts"):
        child = [sys.executable, "-m", "bench.compile_size", "--steps", str(args.steps), "--way", way]
        found = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
        print(
            f"  {way:13} {found['lines']:,} lines: compile_backprop {found['compile']:.1f} s, "
            f"{found['added_mb']:.0f} MB more at its peak; a run {found['run'] * 1e3:.1f} ms, "
            f"backward() {found['backward'] * 1e3:.1f} ms ({found['backward'] / found['run']:.1f}x the run's time)"
        )


if __name__ == "__main__":
    main()
