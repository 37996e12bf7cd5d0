"""Running a step from many threads at once, to compare with the same steps made in turn."""

import sys
import threading
from collections.abc import Callable

from autograd import Value


def in_turns_and_at_once(
    step: Callable[[], object], leaves: list[Value], threads: int, calls: int
) -> list[list[float]]:
    """The leaves' grads after threads * calls steps made in turn, then after as many from `threads` threads
    at once (each thread switching as often as Python lets it)."""
    grads = []
    for at_once in (False, True):
        for leaf in leaves:
            leaf.grad = 0.0
        if at_once:
            switching = sys.getswitchinterval()
            sys.setswitchinterval(1e-6)
            try:
                workers = [threading.Thread(target=lambda: [step() for _ in range(calls)]) for _ in range(threads)]
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
            finally:
                sys.setswitchinterval(switching)
        else:
            for _ in range(threads * calls):
                step()
        grads.append([leaf.grad for leaf in leaves])
    return grads
