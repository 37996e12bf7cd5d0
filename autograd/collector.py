"""An opt-in for large graphs: fewer scans by Python's cyclic garbage collector while you build them.

A graph holds no reference cycles (a node refers only to its operands), so reference counting
frees it the moment its root is dropped, and the cyclic collector never finds garbage in it.
CPython still starts a collection every 700 new container objects, and a training step of a
network builds tens of thousands of nodes. chainrule leaves the collector as it is; a program
that wants those scans gone for a while asks for it:

    with fewer_collections():
        for step in range(steps):
            ...build the loss, backward(), update...

Inside the block the collector's first threshold (`gc.get_threshold()[0]`) is `threshold`, so it
still runs, once per that many new objects; on leaving, the thresholds are put back as they were,
unless the program has set its own meanwhile. The thresholds are the whole process's: other
threads see the change while the block lasts. `python -m bench.run` measures what it gains.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

BUILDING_THRESHOLD = 100_000


@contextmanager
def fewer_collections(threshold: int = BUILDING_THRESHOLD) -> Iterator[None]:
    """The collector's first threshold raised to `threshold` for the block (left alone where it is already
    higher, or 0: collection switched off), then put back."""
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
        raise ValueError(f"fewer_collections() needs a positive whole number of objects, got {threshold!r}")
    before = gc.get_threshold()
    ours = (threshold, *before[1:]) if 0 < before[0] < threshold else before
    gc.set_threshold(*ours)
    try:
        yield
    finally:
        if gc.get_threshold() == ours:
            gc.set_threshold(*before)


def restore_threshold() -> None:
    """Deprecated, and nothing to do: chainrule 0.1 raised the collector's first threshold on its first
    node, and this put it back. chainrule no longer changes it."""
    warnings.warn(
        "restore_threshold() is deprecated: chainrule no longer changes the garbage collector's thresholds, "
        "so there is nothing to put back (fewer_collections() is the opt-in)",
        DeprecationWarning,
        stacklevel=2,
    )
