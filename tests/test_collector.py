"""chainrule leaves Python's garbage collector as it finds it; fewer_collections() is an opt-in."""

import gc
import sys
import threading
from collections.abc import Iterator

import pytest

from autograd import Value, grad, no_grad
from autograd.collector import BUILDING_THRESHOLD, fewer_collections, restore_threshold


@pytest.fixture
def thresholds() -> Iterator[None]:
    """The collector's thresholds and switch, put back after the test."""
    before, enabled = gc.get_threshold(), gc.isenabled()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        (gc.enable if enabled else gc.disable)()


def build_and_differentiate() -> None:
    x = Value(0.5)
    y = (x * 2.0 + x).tanh()
    for _ in range(1000):
        y = y * 0.999 + 0.001
    y.backward()
    grad(y, [x])
    with no_grad():
        x * 3.0


@pytest.mark.parametrize("threshold", [(700, 10, 10), (1, 1, 1), (0, 10, 10), (5_000, 20, 30)])
def test_building_and_differentiating_a_graph_leaves_the_thresholds_as_they_were(thresholds, threshold):
    gc.set_threshold(*threshold)
    build_and_differentiate()
    assert gc.get_threshold() == threshold


def test_backward_leaves_the_collector_off_where_another_thread_switched_it_off(thresholds):
    switched_off = threading.Event()
    done = threading.Event()

    def other_thread() -> None:
        gc.disable()
        switched_off.set()
        done.wait(5)

    thread = threading.Thread(target=other_thread)
    thread.start()
    switched_off.wait(5)
    build_and_differentiate()
    assert not gc.isenabled()
    done.set()
    thread.join()


def test_fewer_collections_raises_the_first_threshold_for_the_block_only(thresholds):
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (BUILDING_THRESHOLD, 10, 10) == (100_000, 10, 10)
        build_and_differentiate()
    assert gc.get_threshold() == (700, 10, 10)
    with fewer_collections(5_000):
        assert gc.get_threshold() == (5_000, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("threshold", [(0, 10, 10), (200_000, 10, 10), (100_000, 5, 5)])
def test_fewer_collections_leaves_a_higher_threshold_or_a_switched_off_collection_alone(thresholds, threshold):
    gc.set_threshold(*threshold)
    with fewer_collections():
        assert gc.get_threshold() == threshold
    assert gc.get_threshold() == threshold


def test_fewer_collections_keeps_a_threshold_the_program_set_inside_the_block(thresholds):
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        gc.set_threshold(2_000, 10, 10)
    assert gc.get_threshold() == (2_000, 10, 10)


def test_fewer_collections_puts_the_threshold_back_after_an_error(thresholds):
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("bad", [0, -5, 1.5, True, "100"])
def test_fewer_collections_needs_a_positive_whole_number(bad):
    needs = rf"fewer_collections\(\) needs a positive whole number of objects, got {bad!r}"
    with pytest.raises(ValueError, match=needs), fewer_collections(bad):
        pass


def test_the_collector_still_runs_inside_the_block(thresholds):
    gc.set_threshold(700, 10, 10)
    before = gc.get_stats()[0]["collections"]
    with fewer_collections(1_000):
        x = Value(1.0)
        nodes = [x * 2.0 for _ in range(5_000)]
    assert len(nodes) == 5_000
    assert gc.get_stats()[0]["collections"] > before


def test_restore_threshold_is_kept_as_a_deprecated_name_that_changes_nothing(thresholds):
    gc.set_threshold(900, 10, 10)
    message = (
        r"^restore_threshold\(\) is deprecated: chainrule no longer changes the garbage collector's "
        r"thresholds, so there is nothing to put back \(fewer_collections\(\) is the opt-in\)$"
    )
    with pytest.warns(DeprecationWarning, match=message) as warned:
        restore_threshold()
    if "mutmut" not in sys.modules:  # mutmut's trampoline (in its clean runs too) adds a frame of its own
        assert warned[0].filename == __file__  # the warning points at the caller
    assert gc.get_threshold() == (900, 10, 10)
