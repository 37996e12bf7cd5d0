import copy
import gc
import io
import itertools
import math
import pickle
import re
import sys
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from autograd import Op, Value, engine, make_node, topological_order
from nn import cross_entropy
from tests.test_micrograd_idioms import Slotted, Tagged

SIN: Op = Op("sin", math.sin, lambda out, x: (COS(x),))  # a user's ops, at the top level of a module
COS: Op = Op("cos", math.cos, lambda out, x: (-SIN(x),))
NEG: Op = Op("neg", float.__neg__, lambda out, x: (-1.0,))  # a slot wrapper: a rule with no __module__


def minus_one(out, x):
    return (-1.0,)


def pickled(thing):
    return pickle.loads(pickle.dumps(thing))


COPIES = {"deepcopy": copy.deepcopy, "pickle": pickled}


def fresh_gradients(root: Value) -> list[str]:
    """Every gradient of a new backward() from `root` (leaves zeroed first), exactly, as float.hex."""
    order = topological_order(root)
    for v in order:
        v.grad = 0.0
    root.backward()
    return [v.grad.hex() for v in order]


def described(root: Value) -> list[tuple[object, ...]]:
    """The graph behind `root` in topological order: each value's class, numbers, label, op and, for
    each operand, its place in that order (or the number it is)."""
    order = topological_order(root)
    place = {id(v): k for k, v in enumerate(order)}
    return [
        (
            type(v).__name__,
            v.data.hex(),
            v.grad.hex(),
            v.label,
            v.op,
            tuple(place[id(x)] if isinstance(x, Value) else x for x in v.arguments),
            v.local_grads,
        )
        for v in order
    ]


def test_a_pickle_of_a_chain_grows_with_its_length_however_its_values_are_listed():
    """A value of x + 1.0 + 1.0 ... pickles to about 60 bytes (its numbers, and references to its class,
    op and operand), from the last value or listed one by one: each value is written once, and no walk
    over the values below one starts again for each (which would make the pickle grow as n²)."""
    values = [Value(1.0, "x")]
    for _ in range(1000):
        values.append(values[-1] + 1.0)
    assert len(pickle.dumps(values[-1])) < 100 * len(values)
    assert len(pickle.dumps(values)) < 100 * len(values)


@pytest.mark.parametrize("how", COPIES)
def test_a_chain_100_000_ops_deep_is_copied_exactly_at_the_default_recursion_limit(how, monkeypatch):
    monkeypatch.setattr(sys, "getrecursionlimit", sys.getrecursionlimit)  # put back after the test
    sys.setrecursionlimit(1000)  # CPython's default
    x, w = Value(0.5, "x"), Value(1.00001, "w")
    v = x
    for _ in range(50_000):
        v = v * w + 0.1
    v.backward()
    twin = COPIES[how](v)
    assert described(twin) == described(v)  # the grads of the backward() above included
    assert not {id(a) for a in topological_order(twin)} & {id(a) for a in topological_order(v)}
    assert fresh_gradients(twin) == fresh_gradients(v)
    assert x.grad == pytest.approx(1.00001**50_000, rel=1e-9)  # dv/dx = w^50000


@pytest.mark.parametrize("how", COPIES)
def test_shared_values_stay_shared_and_a_value_met_twice_is_one_copy(how):
    a = Value(2.0, "a")
    b = a * a
    c = b + b.tanh()  # b is used twice: a diamond
    c.label = "c"
    loss, b_copy, a_copy = COPIES[how]((c, b, a))
    assert loss.children[0] is b_copy and loss.children[1].children[0] is b_copy
    assert b_copy.children == (a_copy, a_copy)
    assert fresh_gradients(loss) == fresh_gradients(c)
    dc_da = (1 + 1 - math.tanh(4.0) ** 2) * 2 * 2.0  # (dc/db through b and through tanh b) db/da
    assert a_copy.grad == a.grad == pytest.approx(dc_da, rel=1e-15)


@pytest.mark.parametrize("how", COPIES)
def test_a_list_of_every_value_of_a_deep_chain_is_copied_in_linear_time(how):
    """Each value's walk stops at the values copied before it: without that, 20,000 values would be
    200 million steps, and a pickle of 5 KB a value rather than 60 bytes."""
    x = Value(1.0, "x")
    values = [x]
    for _ in range(20_000):
        values.append(values[-1] + 1.0)
    for listed in (values, values[::-1]):
        copies = COPIES[how](listed)
        assert [c.data for c in copies] == [v.data for v in listed]
        below = copies if listed is values else copies[::-1]
        assert all(after.children == (before,) for before, after in itertools.pairwise(below))
        assert len(pickle.dumps(listed)) < 100 * len(listed)


def test_each_thread_pickles_on_its_own():
    """A thread that never pickled before starts its own pickling (of the values it has written)."""
    x = Value(0.5, "x")
    ys = [(x * k).tanh() + x for k in range(8)]
    with ThreadPoolExecutor(4) as pool:
        twins = list(pool.map(pickled, ys))
    assert [described(twin) for twin in twins] == [described(y) for y in ys]


@pytest.mark.parametrize("how", COPIES)
def test_subclasses_attributes_and_slots_are_kept(how):
    tagged, slotted = Tagged(1.5, "t", tag="weight"), Slotted(0.5, unit="kg")
    tagged.m = 0.25  # type: ignore[attr-defined]  # as an optimiser keeps its moment on a parameter
    tagged.partner = slotted  # type: ignore[attr-defined]  # a Value in an attribute is copied, shared
    total = tagged * slotted
    t, s = COPIES[how](total).children
    assert (type(t), t.tag, t.m, t.label) == (Tagged, "weight", 0.25, "t")
    assert (type(s), s.unit) == (Slotted, "kg")
    assert t.partner is s


class Measured(Value):
    """A user's subclass whose own __new__ takes the constructor's arguments (and has no __getnewargs__)."""

    def __new__(cls, data: float, unit: str) -> "Measured":
        return super().__new__(cls)

    def __init__(self, data: float, unit: str) -> None:
        super().__init__(data)
        self.unit = unit


@pytest.mark.parametrize("how", [*COPIES, "copy"])
def test_a_subclass_whose_own_new_takes_arguments_is_copied_whole(how):
    x = Measured(2.0, "m")
    y = x * x + x
    if how == "copy":
        assert (type(copy.copy(x)), copy.copy(x).data, copy.copy(x).unit) == (Measured, 2.0, "m")
        return
    twin = COPIES[how](y)
    leaf = twin.children[1]
    assert (type(leaf), leaf.data, leaf.unit, twin.children[0].children) == (Measured, 2.0, "m", (leaf, leaf))
    twin.backward()
    assert leaf.grad == 5.0  # d(x*x + x)/dx = 2x + 1


@pytest.mark.parametrize("how", COPIES)
def test_an_attribute_that_leads_up_the_graph_copies_each_value_once(how):
    x = Value(1.0, "x")
    y = x * 2.0
    z = y + x
    x.owner = z  # type: ignore[attr-defined]  # copying x's attributes copies z, and so y, first
    y.note = {"top": z}  # type: ignore[attr-defined]
    copied, y_copied = COPIES[how]([z, y])
    y2, x2 = copied.children
    assert y2 is y_copied and y2.children == (x2,) and x2.owner is copied and y2.note["top"] is copied
    assert len(topological_order(copied)) == 3 and described(copied) == described(z)


class CountingMemo(dict[int, Any]):
    """deepcopy's memo, counting how often it is asked whether it holds a value."""

    asked = 0

    def __contains__(self, key: object) -> bool:
        self.asked += 1
        return super().__contains__(key)


def test_a_deepcopy_asks_its_memo_about_each_value_a_bounded_number_of_times():
    """Each value's walk stops at the values copied before it, so copying every value of a chain, one
    after another, asks about each a few times, not once for every value above it."""
    values = [Value(1.0, "x")]
    for _ in range(2_000):
        values.append(values[-1] + 1.0)
    memo = CountingMemo()
    copies = copy.deepcopy(values, memo)
    assert [c.data for c in copies] == [v.data for v in values]
    assert memo.asked < 5 * len(values)


@pytest.mark.parametrize("how", COPIES)
def test_ops_are_kept_by_identity(how):
    x = Value(0.5, "x")
    y = SIN(x) * COS(x) - 2.0
    twin = COPIES[how](y)
    ops = [v.operation for v in topological_order(twin) if v.op]
    assert all(ops[k] is (COS, SIN, engine.MUL, engine.SUB_CONSTANT)[k] for k in range(4))
    assert fresh_gradients(twin) == fresh_gradients(y)


def test_an_op_without_a_top_level_name_is_deep_copied_and_refused_by_pickle_saying_why():
    square = Op("square", lambda x: x * x, lambda out, x: (2 * x,))
    y = square(Value(3.0, "x"))
    assert copy.deepcopy(y).operation is square
    with pytest.raises(
        pickle.PicklingError, match=r"pickle cannot write the op 'square': .* Define it at the top level"
    ):
        pickle.dumps(y)


@pytest.mark.parametrize("how", COPIES)
def test_an_op_with_a_rule_of_no_module_is_kept_by_name_or_copied_as_its_fields(how):
    x = Value(0.5, "x")
    negated = Op("negated", float.__neg__, minus_one)  # not at the top level of a module
    y = NEG(x) * negated(x)
    twin = COPIES[how](y)
    assert twin.children[0].operation is NEG
    assert described(twin) == described(y)
    assert fresh_gradients(twin) == fresh_gradients(y)


@pytest.mark.parametrize("now", [None, 42])  # None: the name is gone
def test_unpickling_an_op_whose_name_is_gone_or_holds_no_op_says_so(now, monkeypatch):
    data = pickle.dumps(SIN(Value(0.5, "x")))
    if now is None:
        monkeypatch.delattr(sys.modules[__name__], "SIN")
    else:
        monkeypatch.setattr(sys.modules[__name__], "SIN", now)
    message = f"the pickle names the op {__name__}.SIN, which is no longer an Op ({now!r})"
    with pytest.raises(pickle.UnpicklingError, match=re.escape(message)):
        pickle.loads(data)


@pytest.mark.parametrize("how", COPIES)
def test_ops_made_by_name_or_for_k_classes_are_copied_as_their_fields(how):
    a, b = Value(1.0, "a"), Value(2.0, "b")
    by_name = make_node(a.data * b.data, [a, b], [b.data, a.data], "times")
    loss = cross_entropy([by_name, a, b], 1) + by_name
    twin = COPIES[how](loss)
    assert described(twin) == described(loss)
    assert fresh_gradients(twin) == fresh_gradients(loss)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_every_pickle_protocol(protocol):
    x = Value(0.5, "x")
    y = (x * x + x.exp()).log()
    y.backward()
    twin = pickle.loads(pickle.dumps(y, protocol=protocol))
    assert described(twin) == described(y)


def test_a_micrograd_style_backward_closure_is_refused_for_it_would_still_point_at_the_original():
    a = Value(2.0, "a")
    out = a * 3.0
    out._backward = lambda: None  # type: ignore[method-assign]
    for how in COPIES.values():
        with pytest.raises(
            ValueError, match=r"copy.deepcopy\(\) or pickle cannot follow the '\*' op: it has a _backward"
        ):
            how(out + 1.0)


def test_a_shallow_copy_is_a_new_node_over_the_same_operands():
    a = Value(2.0, "a")
    b = a * 3.0
    b.grad = 0.5
    twin = copy.copy(b)
    assert twin is not b
    assert (twin.data, twin.grad, twin.children, twin.operation) == (6.0, 0.5, (a,), engine.MUL_CONSTANT)


def a_chain_of_diamonds(depth: int) -> list[Value]:
    """x, then each value v * w + (v * w).tanh(): every product is used twice (a diamond)."""
    x, w = Value(0.5, "x"), Value(0.99, "w")
    values = [x]
    for k in range(depth):
        product = values[-1] * w
        values.append(product + product.tanh())
        values[-1].label = f"v{k}"
    return values


def a_pickler() -> tuple[pickle.Pickler, io.BytesIO]:
    file = io.BytesIO()
    return pickle.Pickler(file), file


def dumped(pickler_file: tuple[pickle.Pickler, io.BytesIO], thing: object) -> int:
    """How many bytes one more dump() of `pickler` adds to its file."""
    pickler, file = pickler_file
    start = file.tell()
    pickler.dump(thing)
    return file.tell() - start


def loaded(pickler_file: tuple[pickle.Pickler, io.BytesIO], dumps: int) -> list[Any]:
    """What a pickler's file holds, in the order its `dumps` were made (one unpickler, as a later
    dump names values in the pickler's memo)."""
    file = pickler_file[1]
    file.seek(0)
    unpickler = pickle.Unpickler(file)
    return [unpickler.load() for _ in range(dumps)]


@pytest.fixture
def default_recursion_limit(monkeypatch):
    monkeypatch.setattr(sys, "getrecursionlimit", sys.getrecursionlimit)  # put back after the test
    sys.setrecursionlimit(1000)  # CPython's default


@pytest.mark.usefixtures("default_recursion_limit")
@pytest.mark.parametrize("which", ["the same chain", "a value above it", "another chain"])
def test_a_pickle_made_while_another_pickler_that_wrote_a_deep_chain_is_alive_is_exact(which):
    """A Pickler keeps what it wrote (and the notes on it) until it is dropped; another pickling in
    the thread meanwhile writes all it is given, each value's operands before the value."""
    values = a_chain_of_diamonds(3000)
    first = a_pickler()
    dumped(first, values[-1])
    thing = {
        "the same chain": values[-1],
        "a value above it": values[-1] * 2.0 + values[1000],
        "another chain": a_chain_of_diamonds(3000)[-1],
    }[which]
    assert described(pickled(thing)) == described(thing)
    twin, chain = pickled([thing, values[-1]])
    assert (described(twin), described(chain)) == (described(thing), described(values[-1]))
    dumped(first, thing)
    chain, twin = loaded(first, 2)
    assert (described(chain), described(twin)) == (described(values[-1]), described(thing))


@pytest.mark.usefixtures("default_recursion_limit")
def test_two_picklers_dumping_in_turn_each_write_what_their_file_needs():
    """Each pickler refers to the values it wrote before (its memo), and writes those it has not."""
    values = a_chain_of_diamonds(3000)
    one, two = a_pickler(), a_pickler()
    turns = [(one, 1000), (two, 2000), (one, 3000), (two, 1000), (one, 2000), (two, 3000), (one, 3000)]
    for pickler, k in turns:
        dumped(pickler, values[k])
    for pickler in (one, two):
        ks = [k for p, k in turns if p is pickler]
        twins = loaded(pickler, len(ks))
        assert [described(twin) for twin in twins] == [described(values[k]) for k in ks]
        in_the_last = {v.label: v for v in topological_order(twins[-1])}
        assert all(twin is in_the_last[twin.label] for twin in twins)  # one graph: later dumps name earlier values


@pytest.mark.parametrize("k", [0, 1, 2])
def test_a_pickle_made_while_another_pickler_is_alive_is_as_long_as_an_ordinary_one(k):
    """Each value is written once and no walk starts again: the pickle is the ordinary one but for a
    few bytes (the other pickler's notes set aside), however many values are listed; not n² long."""
    values = a_chain_of_diamonds(2000)
    thing = [values[-1], values, (values[1000], values[-1])][k]
    ordinary = len(pickle.dumps(thing))
    first = a_pickler()
    dumped(first, values[-1])
    assert abs(len(pickle.dumps(thing)) - ordinary) <= 20
    assert dumped(first, thing) <= 20 + ordinary * (k > 0)  # first has written the values below values[-1]
    assert dumped(first, thing) <= 20  # now it has written all


def test_a_dropped_pickler_frees_the_notes_on_what_it_wrote():
    values = a_chain_of_diamonds(20_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(3):
            first = a_pickler()
            dumped(first, values[-1])
            pickle.dumps(values[-1])  # a second pickling, with its own notes
            del first
        gc.collect()
        assert tracemalloc.get_traced_memory()[0] - before < 100_000  # 60,000 values noted: megabytes
    finally:
        tracemalloc.stop()


@pytest.mark.usefixtures("default_recursion_limit")
def test_a_pickler_whose_memo_was_cleared_writes_the_values_again():
    values = a_chain_of_diamonds(3000)
    first = a_pickler()
    cut = dumped(first, values[-1])
    first[0].clear_memo()
    dumped(first, values[-1])
    file = first[1].getvalue()
    one, two = pickle.loads(file[:cut]), pickle.loads(file[cut:])  # the second names nothing in the first
    assert described(one) == described(two) == described(values[-1])
    assert not {id(v) for v in topological_order(one)} & {id(v) for v in topological_order(two)}


def test_an_op_pickled_as_its_fields_keeps_every_field():
    negated = Op("negated", float.__neg__, minus_one, "−n", code=("{out} = -{x}", "{d} = -1.0"), finite_slopes=True)
    twin = pickle.loads(pickle.dumps(negated(Value(0.5, "x")))).operation
    fields = ("name", "value", "local", "symbol", "written", "code", "finite_slopes")
    assert [getattr(twin, f) for f in fields] == [getattr(negated, f) for f in fields]
