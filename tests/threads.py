"""Running steps from many threads at once, each switching as often as Python lets it."""

import sys
import threading
from collections.abc import Callable

from autograd import Value


def at_once(runs: list[Callable[[], object]]) -> None:
    """Each run in a thread of its own, all at once, switching between threads every microsecond."""
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        workers = [threading.Thread(target=run) for run in runs]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(switching)


def in_turns_and_at_once(
    step: Callable[[], object], leaves: list[Value], threads: int, calls: int
) -> list[list[float]]:
    """The leaves' grads after threads * calls steps made in turn, then after as many from `threads`
    threads at once."""
    grads = []
    for together in (False, True):
        for leaf in leaves:
            leaf.grad = 0.0
        if together:
            at_once([lambda: [step() for _ in range(calls)]] * threads)
        else:
            for _ in range(threads * calls):
                step()
        grads.append([leaf.grad for leaf in leaves])
    return grads
