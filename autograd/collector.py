"""chainrule and Python's cyclic garbage collector: fewer scans of graphs that are not garbage.

A graph holds no reference cycles (a node refers only to its children), so reference counting
frees it the moment its root is dropped, and the cyclic collector never finds garbage in it.
CPython still starts a collection every 700 new container objects, each one walking the young
nodes, and a training step builds a graph of tens of thousands of them: about a tenth of the
step went to those scans. Putting the threshold back after each backward() does not help: the
graph is still alive then, and the next allocation scans all of it.

So, one process-wide change, bounded, documented and undone on request:

- the first recorded node raises the collector's first threshold (`gc.get_threshold()[0]`)
  from CPython's 700 to `BUILDING_THRESHOLD`. The collector still runs, once per that many new
  container objects, so cyclic garbage made by other code stays bounded. A threshold already
  higher, or 0 (collection switched off), is left alone, and so is the collector's on/off switch;
- `restore_threshold()` puts back the threshold found, unless the program has set its own
  since, and chainrule changes it no more.

backward() also pauses the collector during the pass (`paused`), then leaves it on or off as it
found it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BUILDING_THRESHOLD = 100_000

settled = False  # True once raise_threshold() or restore_threshold() has run: nothing more to do
_saved: tuple[int, ...] | None = None  # the threshold to put back, where raise_threshold() changed it
_ours: tuple[int, ...] = ()  # the threshold it set


def raise_threshold() -> None:
    """Raise the collector's first threshold to BUILDING_THRESHOLD, remembering the one in place."""
    global settled, _saved, _ours
    if settled:
        return
    settled = True
    current = gc.get_threshold()
    if 0 < current[0] < BUILDING_THRESHOLD:
        _saved, _ours = current, (BUILDING_THRESHOLD, *current[1:])
        gc.set_threshold(*_ours)


def restore_threshold() -> None:
    """Put back the threshold chainrule found (unless the program has set another since), and
    leave the collector alone from now on."""
    global settled, _saved
    saved, settled, _saved = _saved, True, None
    if saved is not None and gc.get_threshold() == _ours:
        gc.set_threshold(*saved)


@contextmanager
def paused() -> Iterator[None]:
    """Pause the collector: a backward pass makes no cycles, yet on a large graph the collector's
    repeated scans of the whole graph would take as long as the pass itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
