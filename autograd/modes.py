"""The modes: no_grad() and detect_anomaly(), each on for the thread and the asyncio task that entered it.

A mode is a count of open blocks, kept in a context variable (`current_modes`): a thread starts with
its own, and an asyncio task with a copy of the context that made it. The engine reads the modes
when it makes a node (engine._node) and in backward(), by `modes_now()`; it tests for `PLAIN`, no
mode on, by identity, so the usual case costs one comparison.

Blocks are counted, not switched: blocks that nest or overlap (as two generators' may) leave the
mode as it was once each has ended. Each open entry records the thread and task that entered it, so
a block that ends elsewhere (a generator suspended inside it and resumed in another thread) is named
rather than silently ending another context's block.
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple, TypeVar, cast, overload

Decorated = TypeVar("Decorated", bound=Callable[..., Any])  # a function decorated with @no_grad()


@dataclass(frozen=True, eq=False)
class Modes:
    """How many no_grad() and detect_anomaly() blocks are open in this thread or task, and which."""

    without_grad: int = 0
    anomaly: int = 0
    entered: _Entry | None = None  # the latest entry of a block, which links to those before it


class _Entry(NamedTuple):
    """An entry of a block object, by the thread and asyncio task that entered it (a copy of the context,
    which a task or asyncio.to_thread makes, holds the entry too, but is not where it was made)."""

    block: _Block
    owner: tuple[int, int]
    before: _Entry | None


PLAIN = Modes()
_CALLED = {"without_grad": "no_grad", "anomaly": "detect_anomaly"}  # each mode by the function that opens it
current_modes: ContextVar[Modes] = ContextVar("chainrule_modes", default=PLAIN)
# The modes of the running thread or task, as the engine reads them for every node: a function, for
# CPython 3.11 compiles current_modes.get() in a module that imported current_modes as an attribute
# load, which makes a bound method each time (4% of the instructions an op takes, by callgrind).
modes_now = current_modes.get


class _Block:
    """A block of a mode (`with no_grad():`) for the thread or task that enters it. Blocks are counted,
    so blocks that overlap (as two generators' may) leave the mode as it was once all have ended. One
    block object can be entered again, nested, shared between threads, or used as a decorator."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        now = current_modes.get()
        entry = _Entry(self, _owner(), now.entered)
        current_modes.set(replace(now, **{self.mode: getattr(now, self.mode) + 1}, entered=entry))

    def __exit__(self, *_: object) -> None:
        """Ends the latest entry of this block made here: the last one in, where blocks nest."""
        now, owner = current_modes.get(), _owner()
        later: list[_Entry] = []  # entries made after it, of blocks that overlap it
        entry = now.entered
        while entry is not None and (entry.block is not self or entry.owner != owner):
            later.append(entry)
            entry = entry.before
        if entry is None:
            raise _ended_elsewhere(self)
        rest = entry.before
        for kept in reversed(later):
            rest = kept._replace(before=rest)
        modes = replace(now, **{self.mode: getattr(now, self.mode) - 1}, entered=rest)
        current_modes.set(PLAIN if rest is None else modes)  # PLAIN itself: nodes test for it by identity

    def __call__(self, function: Decorated) -> Decorated:
        """As a decorator (@no_grad()): the function runs inside the block; an `async def` function's
        coroutine runs inside it (in its task) for as long as it runs, not only while it is made; a
        generator's body runs inside it at each step (next, send, throw, close), and the code that
        iterates over it runs outside it between steps. Above @classmethod or @staticmethod it decorates
        the function they hold; an object called as a function is decorated as its __call__ is."""
        if isinstance(function, classmethod | staticmethod):
            held = classmethod if isinstance(function, classmethod) else staticmethod
            return cast(Decorated, held(self(function.__func__)))
        if not callable(function) or inspect.isclass(function):
            name = _CALLED[self.mode]
            raise TypeError(
                f"{name}() takes no argument (with {name}():), or decorates a function (@{name}), got {function!r}"
            )
        kind = _called_as(function)
        if inspect.isgeneratorfunction(kind):

            @functools.wraps(function)
            def stepped_inside(*arguments: Any, **keywords: Any) -> Any:
                return (yield from _StepsInside(self, function(*arguments, **keywords)))

            return cast(Decorated, stepped_inside)
        if inspect.isasyncgenfunction(kind):
            return cast(Decorated, _async_stepped_inside(self, function))
        if inspect.iscoroutinefunction(kind):

            @functools.wraps(function)
            async def awaited_inside(*arguments: Any, **keywords: Any) -> Any:
                with self:
                    return await function(*arguments, **keywords)

            return cast(Decorated, awaited_inside)

        @functools.wraps(function)
        def inside(*arguments: Any, **keywords: Any) -> Any:
            with self:
                return function(*arguments, **keywords)

        return cast(Decorated, inside)


class _StepsInside:
    """A generator whose every step runs inside a block (yield from passes next, send, throw and close on)."""

    def __init__(self, block: _Block, steps: Generator[Any, Any, Any]) -> None:
        self.block, self.steps = block, steps

    def __iter__(self) -> _StepsInside:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def send(self, sent: Any) -> Any:
        with self.block:
            return self.steps.send(sent)

    def throw(self, *error: Any) -> Any:
        """throw(error), or Python 3.11's throw(type, value, traceback), which contextlib calls."""
        with self.block:
            return self.steps.throw(*error)

    def close(self) -> None:
        with self.block:
            self.steps.close()


def _async_stepped_inside(block: _Block, function: Callable[..., AsyncGenerator[Any, Any]]) -> Callable[..., Any]:
    """An async generator function like `function`, each step of whose generators runs inside the block,
    as _StepsInside runs a generator's (itself an async generator function, so that another decorator
    stacked on it sees one)."""

    @functools.wraps(function)
    async def stepped_inside(*arguments: Any, **keywords: Any) -> AsyncGenerator[Any, Any]:
        steps = function(*arguments, **keywords)
        advance: Callable[[], Awaitable[Any]] = partial(steps.asend, None)
        while True:
            try:
                with block:
                    item = await advance()
            except StopAsyncIteration:
                return
            try:
                sent = yield item
            except GeneratorExit:
                with block:
                    await steps.aclose()
                raise
            except BaseException as error:  # thrown in (athrow): the generator takes it at its own yield
                advance = partial(steps.athrow, error)
            else:
                advance = partial(steps.asend, sent)

    return stepped_inside


def _owner() -> tuple[int, int]:
    """The thread that runs this code, and the asyncio task (0 outside one), by their ids."""
    running = sys.modules.get("asyncio")  # a program that never imported asyncio runs no task
    try:
        task = running.current_task() if running else None
    except RuntimeError:  # no event loop runs in this thread
        task = None
    return threading.get_ident(), id(task) if task else 0


def _ended_elsewhere(block: _Block) -> RuntimeError:
    """The error of a block ending in a thread or task where it is not open: a generator suspended inside
    it and resumed elsewhere. The mode stays on where the block was entered; this thread's is untouched."""
    name = f"{_CALLED[block.mode]}()"
    return RuntimeError(
        f"a {name} block ended in a thread or asyncio task that did not enter it (a generator suspended inside "
        f"the block, resumed in another thread?); the mode stays on in the one that entered it. Decorate the "
        f"generator function with @{name} instead: each of its steps then runs inside the block, wherever it runs"
    )


@overload
def no_grad() -> _Block: ...
@overload
def no_grad(function: Decorated) -> Decorated: ...
def no_grad(function: Decorated | None = None) -> _Block | Decorated:
    """Compute values without recording edges, in this thread or asyncio task: nodes made inside keep
    no operands, so no graph is kept and backward() reaches nothing through them. For evaluation and
    hand-written updates. `with no_grad():`, or a decorator: @no_grad() (or @no_grad, as PyTorch's)."""
    return _block_or_decorated("without_grad", function)


@overload
def detect_anomaly() -> _Block: ...
@overload
def detect_anomaly(function: Decorated) -> Decorated: ...
def detect_anomaly(function: Decorated | None = None) -> _Block | Decorated:
    """Raise FloatingPointError at the first op whose value, or whose gradient in backward(), is NaN
    or infinite, naming the op, its label and its operands' values. In this thread or asyncio task;
    off by default, for it checks every node. A block or a decorator, as no_grad()."""
    return _block_or_decorated("anomaly", function)


def _block_or_decorated(mode: str, function: Decorated | None) -> _Block | Decorated:
    """A block of the mode, or `function` decorated with one (what is no function is refused)."""
    return _Block(mode) if function is None else _Block(mode)(function)


def _called_as(function: Callable[..., Any]) -> Callable[..., Any]:
    """What says whether calling `function` makes a generator or a coroutine: the function, what a partial
    holds, or for an object called as a function, its class's __call__."""
    while isinstance(function, partial):
        function = function.func
    return function if inspect.isroutine(function) else type(function).__call__
