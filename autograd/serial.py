"""Copying and pickling graphs of Values, however deep, in time linear in their size.

copy.deepcopy and pickle follow references by recursion: a Value refers to its operands, which
refer to theirs, so a chain of 100,000 ops would be 100,000 nested calls, far past Python's
recursion limit. Here both meet the values below a value first, children before parents, so that
by the time a value's operands are reached each has been copied, and is only referred to:

- `deepcopy_value` (Value.__deepcopy__) copies, in topological order, the values below that
  deepcopy's memo does not hold yet, each into the memo, then the value itself.
- `reduce_value` (Value.__reduce_ex__) gives pickle a value as its class, to create it empty, and
  its state: (the pickling, the values below it, its fields). pickle records an object in its memo
  once it is created, before its state, and writes the state's parts in order, so the values below
  (those this pickling has not written, in topological order) are written before the fields that
  name the operands. `_Pickling` notes which values one pickler has written, so that each is
  walked over once however many values are pickled: linear, not quadratic, for a list of them all.
  The notes are one pickler's: a second pickler that meets them (another Pickler alive in the
  thread, its memo holding them still, or one whose memo was cleared) sets them aside for its own.

Either way a subexpression used twice is copied once (a diamond stays a diamond), and a value
met twice, such as a parameter beside the loss that uses it, is one copy. A value's numbers,
label, op and local derivatives are kept as they are, for none of them changes in place; its
attributes (an optimiser's p.m) and a subclass's slots are copied as deepcopy and pickle copy
anything. An op is not copied: deepcopy keeps the very op, and pickle refers to it by the name it
has in its module (`reduce_op`).
"""

from __future__ import annotations

import copy
import importlib
import pickle
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from autograd.engine import Op, Value, refuse_own_backward

Others = tuple[dict[str, Any] | None, dict[str, Any]]  # a value's attributes, and its subclass's slots
COPIERS = "copy.deepcopy() or pickle"


def deepcopy_value(value: Value, memo: dict[int, Any]) -> Value:
    """The copy of `value`, after a copy of each value below it that `memo` does not hold yet. A value's
    attributes may lead up the graph (x.owner = loss): copying them copies what is below that value,
    which may include values listed here, or this one, and each is copied once."""
    for v in _below(value, lambda v: id(v) in memo):
        if id(v) not in memo:
            _copy_into(memo, v)
    return memo[id(value)] if id(value) in memo else _copy_into(memo, value)


def _copy_into(memo: dict[int, Any], v: Value) -> Value:
    """A copy of `v`, into `memo`, whose operands are their copies in `memo`."""
    refuse_own_backward(v, COPIERS)
    twin = _empty(type(v))
    memo[id(v)] = twin
    operands = tuple(memo[id(x)] if isinstance(x, Value) else x for x in v._operands)
    attributes, slots = _others(v)
    if attributes or slots:
        attributes, slots = copy.deepcopy((attributes, slots), memo)
    restore(twin, (v.data, v.grad, v.label, v._operation, operands, v._local_grads, attributes, slots))
    return twin


def reduce_value(value: Value) -> tuple[Any, ...]:
    """pickle's record of `value`: create an empty one of its class, then set its state."""
    refuse_own_backward(value, COPIERS)
    pickling = _pickling()
    below = None if id(value) in pickling.written else _Below(value, pickling)  # None: written below another
    fields = (value.data, value.grad, value.label, value._operation, value._operands, value._local_grads)
    return _empty, (type(value),), (pickling, below, *fields, *_others(value))


def restore(value: Value, fields: tuple[Any, ...]) -> None:
    """Set the fields of an empty value: its numbers, label, op, operands and local derivatives,
    its attributes and its subclass's slots (Value.__setstate__ passes them after two it skips)."""
    value.data, value.grad, value.label, value._operation, value._operands, value._local_grads = fields[:6]
    attributes, slots = fields[6:]
    if attributes:
        value.__dict__.update(attributes)
    for name, x in slots.items():
        setattr(value, name, x)


def _others(v: Value) -> Others:
    """What `v` holds beyond a Value's own slots: its attributes (None for none) and the slots of
    its subclass."""
    attributes, slots = cast(Others, object.__getstate__(v))
    return attributes, {name: x for name, x in slots.items() if name not in Value.__slots__}


def _below(value: Value, done: Callable[[Value], bool]) -> list[Value]:
    """The values below `value`, each after its children, leaving out those `done` and (as done
    values' children are done or on their way) what is below them. Iterative, as
    topological_order is: a value is pushed, then a marker (None), then its children."""
    order: list[Value] = []
    entered: set[int] = set()
    stack: list[Any] = list(value.children)
    while stack:
        v = stack.pop()
        if v is None:  # all of the children of the value below the marker are in `order`
            order.append(stack.pop())
        elif id(v) not in entered and not done(v):
            entered.add(id(v))
            stack += (v, None, *v.children)
    return order


# -- pickle: the values below a value, written before its fields -------------------------------


class _Pickling:
    """The values one pickler has written (by id: pickle's memo keeps them alive). Every value's
    state names the pickling under way in its thread, which pickle writes once (as None) and
    holds in its memo: once that pickler is dropped, so is its pickling, and the next one is new.

    pickle asks a pickler's memo before it asks for a record, so a pickling asked twice has met a
    second pickler (or a cleared memo), which has not written the values noted here: it is set
    aside, and that pickler's values from the next one on are noted in a new pickling. The value
    whose state named it is written as one below another or with its own walk: its operands,
    under the new pickling, are written before it either way (a nesting one deep, not n)."""

    def __init__(self) -> None:
        self.written: set[int] = set()
        self.met = False

    def __reduce__(self) -> tuple[Any, ...]:
        if self.met:
            del _under_way.pickling
        self.met = True
        return _nothing, ()


_under_way = threading.local()  # .pickling: a weak reference to the _Pickling under way in the thread


def _pickling() -> _Pickling:
    reference = getattr(_under_way, "pickling", None)
    pickling: _Pickling | None = reference() if reference else None
    if pickling is None:
        pickling = _Pickling()
        _under_way.pickling = weakref.ref(pickling)
    return pickling


class _Below:
    """The values below `value` that the pickling has not written, children first: pickled as a
    list (unpickled as one, which Value.__setstate__ passes over), each value handed to pickle
    as it is written, so that it is noted as written before its own state is reduced."""

    def __init__(self, value: Value, pickling: _Pickling) -> None:
        self.value, self.pickling = value, pickling

    def __reduce__(self) -> tuple[Any, ...]:
        written = self.pickling.written
        written.add(id(self.value))  # pickle has created it: it is in the memo
        return list, (), None, _noting(_below(self.value, lambda v: id(v) in written), written)


def _noting(values: Iterable[Value], written: set[int]) -> Iterator[Value]:
    for v in values:
        written.add(id(v))
        yield v


def _empty(cls: type[Value]) -> Value:
    """A value of class `cls` with nothing set, for a copy or pickle to set its whole state (restore): made
    as object() makes one, so that a subclass's own __new__, which may take arguments, is not called."""
    twin: Value = object.__new__(cls)
    return twin


def _nothing() -> None:
    return None


# -- ops: by name ---------------------------------------------------------------------------------


def reduce_op(op: Op) -> tuple[Any, ...]:
    """pickle's record of an op: the module and the name it has at the top level there, so that
    unpickling finds the very op (its rules are often lambdas, which pickle cannot write). An op
    that has no such name (one made with make_node by name, or cross_entropy's for k classes) is
    pickled as its fields where pickle can write them all, else refused saying what to do."""
    for module_name in {getattr(f, "__module__", None) for f in (op.local, op.value)}:
        module = sys.modules.get(module_name) if module_name else None
        for name, x in vars(module).items() if module else ():
            if x is op:
                return _op_named, (module_name, name)
    fields = (op.name, op.value, op.local, op.symbol, op.written, op.code, op.finite_slopes)
    try:
        pickle.dumps(fields)
    except (pickle.PicklingError, AttributeError, TypeError) as error:
        raise pickle.PicklingError(
            f"pickle cannot write the op {op.name!r}: it keeps an op by the name it has at the top level of "
            f"its module, and this op has none there, nor can its rules be pickled ({error}). Define it at "
            f"the top level of a module ({op.name} = Op(...)); copy.deepcopy copies the graph as it is"
        ) from None
    return Op, fields


def _op_named(module: str, name: str) -> Op:
    op = getattr(importlib.import_module(module), name, None)
    if not isinstance(op, Op):
        raise pickle.UnpicklingError(f"the pickle names the op {module}.{name}, which is no longer an Op ({op!r})")
    return op
