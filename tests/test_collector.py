import gc
from collections.abc import Iterator

import pytest

from autograd import Value, collector, no_grad


@pytest.fixture
def first_graph() -> Iterator[None]:
    """The collector as CPython sets it, and chainrule as if no graph had been built yet; both
    are put back afterwards."""
    threshold, settled = gc.get_threshold(), collector.settled
    gc.set_threshold(700, 10, 10)
    collector.settled = False
    try:
        yield
    finally:
        collector.settled = settled
        gc.set_threshold(*threshold)


@pytest.mark.parametrize("first", [700, 1])
def test_the_first_recorded_node_raises_the_first_threshold_only(first_graph, first):
    gc.set_threshold(first, 10, 10)
    x = Value(2.0)
    assert gc.get_threshold() == (first, 10, 10) and not collector.settled
    x * 3
    assert gc.get_threshold() == (collector.BUILDING_THRESHOLD, 10, 10) == (100_000, 10, 10)
    assert collector.settled  # so later nodes do not look again


def test_nodes_made_under_no_grad_leave_it_alone(first_graph):
    with no_grad():
        Value(2.0) * 3
    assert gc.get_threshold() == (700, 10, 10)


def test_restore_puts_the_threshold_back_and_later_graphs_leave_it(first_graph):
    x = Value(2.0)
    (x * 3).backward()
    assert gc.get_threshold()[0] == 100_000
    collector.restore_threshold()
    assert gc.get_threshold() == (700, 10, 10)
    (x * 3).backward()
    assert gc.get_threshold() == (700, 10, 10)


def test_restore_leaves_a_threshold_the_program_set_since(first_graph):
    Value(2.0) * 3
    gc.set_threshold(5000, 20, 20)
    collector.restore_threshold()
    assert gc.get_threshold() == (5000, 20, 20)


@pytest.mark.parametrize("first", [200_000, 0])
def test_a_higher_threshold_or_none_at_all_is_left_alone(first_graph, first):
    gc.set_threshold(first, 10, 10)
    Value(2.0) * 3
    assert gc.get_threshold() == (first, 10, 10)
    collector.restore_threshold()
    assert gc.get_threshold() == (first, 10, 10)


def test_the_collector_still_runs_while_a_large_graph_is_built(first_graph):
    generations: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    x = Value(1.0)
    gc.collect()
    gc.callbacks.append(count)
    try:
        nodes = [x * 2.0 for _ in range(collector.BUILDING_THRESHOLD + 1000)]
    finally:
        gc.callbacks.remove(count)
    assert gc.get_threshold()[0] == 100_000
    assert len(nodes) == 101_000 and len(generations) == 1  # one collection, not 144 as at 700


class Probe(Value):
    """A leaf that notes whether the collector was on when backward() gave it its gradient."""

    __slots__ = ("collector_on",)
    collector_on: bool
    grad = property(lambda self: 0.0, lambda self, _: setattr(self, "collector_on", gc.isenabled()))


def test_backward_pauses_the_collector_and_leaves_it_as_it_found_it():
    x = Probe(1.0)
    assert x.collector_on
    (x * 2).backward()
    assert not x.collector_on and gc.isenabled()
    gc.disable()
    try:
        (x * 2).backward()
        assert not gc.isenabled()
    finally:
        gc.enable()
