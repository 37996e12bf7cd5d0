"""What loading a parameter file takes: nn.load against json.load of the same file.

    python -m bench.io

Saves an MLP 1000-1000-1 (1,002,001 parameters, each labelled) to a temporary file, then loads
it back with `nn.load`, which reads the file a piece at a time, and reads it with `json.load`
(what `nn.load` did before: the whole text, then the whole document). Prints the peak memory
each takes beyond the model, by tracemalloc, as a multiple of the file's size, and the time
each takes (medians of 3; tracemalloc off while timing); and the same for `model.parameters()`
alone, which any load calls (a list and a set of a million Values). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from nn import MLP, load, save

REPEATS = 3


def peak_bytes(run: Callable[[], object]) -> int:
    """The most memory `run` holds at once, beyond what was held before it, by tracemalloc."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def median_seconds(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    model = MLP(1000, [1000, 1], rng=random.Random(0))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        save(model, path)
        size = path.stat().st_size

        def by_json() -> object:
            with open(path, encoding="utf-8") as file:
                return json.load(file)

        runs = {"nn.load": lambda: load(model, path), "json.load": by_json, "parameters()": model.parameters}
        print(f"a file of {len(model.parameters()):,} parameters, {size / 1e6:.1f} MB")
        for name, run in runs.items():
            peak = peak_bytes(run)
            seconds = median_seconds(run)
            print(f"  {name:12} peak {peak / 1e6:6.1f} MB, {peak / size:.2f}x the file; {seconds:.2f} s")


if __name__ == "__main__":
    argparse.ArgumentParser(prog="python -m bench.io", description=__doc__.splitlines()[0]).parse_args()
    main()
