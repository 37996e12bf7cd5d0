"""no_grad() and detect_anomaly() hold for the thread and the asyncio task that entered them."""

import asyncio
import contextlib
import contextvars
import functools
import math
import sys
import threading
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import pytest

from autograd import Value, detect_anomaly, no_grad


def recorded(x: Value) -> bool:
    """Whether a node made from x now keeps its edge."""
    return (x * 2.0).children == (x,)


def test_no_grad_in_one_thread_leaves_another_threads_graph_whole():
    w = Value(3.0)
    inside, built = threading.Event(), threading.Event()
    seen: list[bool] = []

    def evaluate() -> None:
        with no_grad():
            inside.set()
            built.wait(5)
            seen.append(recorded(w))

    thread = threading.Thread(target=evaluate)
    thread.start()
    inside.wait(5)
    loss = (w * w).tanh()  # built while the other thread is inside no_grad()
    built.set()
    thread.join()
    loss.backward()
    assert seen == [False]
    assert w.grad == pytest.approx(6.0 * (1.0 - math.tanh(9.0) ** 2))
    assert w.grad != 0.0


def test_a_new_thread_records_even_when_started_inside_no_grad():
    x = Value(1.0)
    seen: list[bool] = []
    with no_grad():
        thread = threading.Thread(target=lambda: seen.append(recorded(x)))
        thread.start()
        thread.join()
        assert not recorded(x)
    assert seen == [True]


def test_asyncio_tasks_each_have_their_own_mode():
    x = Value(1.0)

    async def evaluate(gate: asyncio.Event) -> bool:
        with no_grad():
            await gate.wait()  # the other task runs while this one is inside the block
            return recorded(x)

    async def train(gate: asyncio.Event) -> bool:
        await asyncio.sleep(0)
        kept = recorded(x)
        gate.set()
        return kept

    async def both() -> list[bool]:
        gate = asyncio.Event()
        return list(await asyncio.gather(evaluate(gate), train(gate)))

    assert asyncio.run(both()) == [False, True]
    assert recorded(x)


def test_detect_anomaly_in_one_thread_does_not_raise_in_another():
    inside, done = threading.Event(), threading.Event()

    def watch() -> None:
        with detect_anomaly():
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=watch)
    thread.start()
    inside.wait(5)
    try:
        assert math.isinf((Value(1e308) * 10.0).data)  # no FloatingPointError here
    finally:
        done.set()
        thread.join()


def test_nested_blocks_restore_the_mode_of_the_outer_one():
    x = Value(1.0)
    with no_grad():
        with no_grad():
            assert not recorded(x)
        assert not recorded(x)
    assert recorded(x)


def test_overlapping_blocks_restore_recording_once_both_have_ended():
    x = Value(1.0)
    first, second = no_grad(), no_grad()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # not the innermost: the blocks overlap
    assert not recorded(x)
    second.__exit__(None, None, None)
    assert recorded(x)


def test_no_grad_ended_inside_detect_anomaly_records_again_and_the_block_can_end_only_once():
    x = Value(1.0)
    block = no_grad()
    with detect_anomaly():
        with block:
            assert not recorded(x)
        assert recorded(x)  # detect_anomaly() still open, no_grad() not
        with pytest.raises(FloatingPointError):
            Value(1e308) * 10.0
        with pytest.raises(RuntimeError, match=r"^a no_grad\(\) block ended in a thread or asyncio task that did not"):
            block.__exit__(None, None, None)  # its one entry has ended
    assert recorded(x) and math.isinf((Value(1e308) * 10.0).data)


def test_three_overlapping_blocks_end_in_any_order():
    x = Value(1.0)
    bottom, first, second = no_grad(), no_grad(), no_grad()
    for block in (bottom, first, second):
        block.__enter__()
    first.__exit__(None, None, None)  # neither the innermost nor the outermost
    assert not recorded(x)
    bottom.__exit__(None, None, None)
    assert not recorded(x)
    second.__exit__(None, None, None)
    assert recorded(x)


def test_a_program_that_never_imported_asyncio_enters_and_ends_blocks(monkeypatch):
    monkeypatch.delitem(sys.modules, "asyncio")  # as in a program that runs no event loop
    x = Value(1.0)
    with no_grad():
        assert not recorded(x)
    assert recorded(x)


def test_modes_restore_after_an_error():
    x = Value(1.0)
    with pytest.raises(RuntimeError), no_grad(), detect_anomaly():
        raise RuntimeError
    assert recorded(x)
    assert math.isinf((Value(1e308) * 10.0).data)


def generate_without_grad(x: Value) -> Generator[bool, None, None]:
    with no_grad():
        yield recorded(x)
        yield recorded(x)


def test_a_generator_suspended_inside_no_grad_keeps_it_on_for_its_caller_until_it_leaves_the_block():
    x = Value(1.0)
    steps = generate_without_grad(x)
    assert next(steps) is False
    assert not recorded(x)  # as the README says: the block is open while the generator is suspended in it
    assert next(steps) is False
    assert list(steps) == []  # the generator leaves the block
    assert recorded(x)


def test_a_generator_closed_inside_no_grad_ends_its_block():
    x = Value(1.0)
    steps = generate_without_grad(x)
    next(steps)
    steps.close()
    assert recorded(x)


def in_another_thread(step: Callable[[], object]) -> BaseException | None:
    """Runs step() in a new thread; gives the error it raised, or None."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            step()
        except BaseException as error:  # handed to the test to check
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return raised[0] if raised else None


def test_a_block_ended_in_a_thread_that_did_not_enter_it_is_refused_and_leaves_that_threads_own_block_open():
    contextvars.copy_context().run(end_a_generators_block_in_another_thread)  # this test's mode left behind there


def end_a_generators_block_in_another_thread() -> None:
    x = Value(1.0)
    steps = generate_without_grad(x)
    assert next(steps) is False  # the block is entered in this thread
    seen: list[bool] = []

    def finish_elsewhere() -> None:
        with no_grad():  # this thread's own block, which the generator's ending must not cut short
            with contextlib.suppress(StopIteration):
                next(steps)  # the generator's second yield: still inside its block, which this thread did not enter
            try:
                next(steps, None)  # the generator leaves its block here
            finally:
                seen.append(recorded(x))

    error = in_another_thread(finish_elsewhere)
    assert isinstance(error, RuntimeError)
    assert str(error).startswith("a no_grad() block ended in a thread or asyncio task that did not enter it")
    assert "@no_grad()" in str(error)
    assert seen == [False]  # the other thread's own block was still on
    assert not recorded(x)  # and the mode stays on where the block was entered, as the error says


def test_a_block_ended_in_a_copy_of_the_context_that_entered_it_is_refused():
    """A worker of asyncio.to_thread, or a task, runs in a copy of the context, which holds the entry too."""
    x = Value(1.0)

    async def finish_in(where: str) -> bool:
        steps = generate_without_grad(x)
        next(steps)  # the block is entered in this task
        next(steps)
        with pytest.raises(RuntimeError, match=r"^a no_grad\(\) block ended in a thread or asyncio task that did not"):
            if where == "thread":
                await asyncio.to_thread(next, steps, None)
            else:

                async def finish() -> None:
                    next(steps, None)

                await asyncio.create_task(finish())
        return recorded(x)

    for where in ("thread", "task"):
        assert asyncio.run(finish_in(where)) is False  # the mode stays on in the task that entered it, as said
    assert recorded(x)


def test_a_block_ended_without_being_entered_is_refused_naming_the_mode():
    with pytest.raises(RuntimeError, match=r"^a detect_anomaly\(\) block ended in a thread or asyncio task"):
        detect_anomaly().__exit__(None, None, None)
    with pytest.raises(RuntimeError, match=r"^a no_grad\(\) block ended"):
        no_grad().__exit__(None, None, None)
    assert recorded(Value(1.0))


def test_a_block_ended_in_another_asyncio_task_is_refused_and_leaves_that_tasks_mode_as_it_was():
    x = Value(1.0)
    block = no_grad()

    async def enter() -> None:
        block.__enter__()

    async def leave() -> tuple[bool, bool]:
        before = recorded(x)
        with pytest.raises(RuntimeError, match=r"did not enter it"):
            block.__exit__(None, None, None)
        return before, recorded(x)

    async def main() -> tuple[bool, bool]:
        await asyncio.create_task(enter())  # entered in a task of its own
        return await asyncio.create_task(leave())

    assert asyncio.run(main()) == (True, True)
    assert recorded(x)


def test_one_no_grad_object_can_be_entered_again_nested_and_shared_between_threads():
    x = Value(1.0)
    block = no_grad()
    with block:
        assert not recorded(x)
        with block:
            assert not recorded(x)
        assert not recorded(x)
    assert recorded(x)
    with block:
        assert not recorded(x)
    seen: list[bool] = []

    def evaluate() -> None:
        with block:
            seen.append(recorded(x))

    threads = [threading.Thread(target=evaluate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [False] * 4 and recorded(x)


def test_no_grad_as_a_decorator():
    x = Value(1.0)

    @no_grad()
    def evaluate() -> bool:
        return recorded(x)

    assert evaluate() is False and recorded(x)


def test_no_grad_and_detect_anomaly_as_decorators_without_parentheses_as_pytorchs():
    x = Value(1.0)

    @no_grad
    def evaluate() -> bool:
        return recorded(x)

    @no_grad
    def steps() -> Generator[bool, None, None]:
        yield recorded(x)

    @detect_anomaly
    def overflow() -> Value:
        return Value(1e308) * 10.0

    assert evaluate() is False and list(steps()) == [False] and recorded(x)
    with pytest.raises(FloatingPointError, match=r"^detect_anomaly: "):
        overflow()
    assert math.isinf(overflow.__wrapped__().data)  # type: ignore[attr-defined]  # outside the block: no check


def test_no_grad_given_no_function_is_refused_at_once():
    givens: list[Any] = [5, "x", int, property(lambda self: 1), staticmethod(5), classmethod(5)]  # type: ignore[arg-type]
    for given in givens:
        for decorate in (no_grad, no_grad()):
            with pytest.raises(
                TypeError, match=r"^no_grad\(\) takes no argument \(with no_grad\(\):\), or decorates a fun"
            ):
                decorate(given)
    with pytest.raises(TypeError, match=r"^detect_anomaly\(\) takes no argument .* got 5$"):
        detect_anomaly(5)  # type: ignore[call-overload]


def test_no_grad_above_classmethod_or_staticmethod_holds_called_on_the_class_or_an_instance():
    x = Value(1.0)

    class Model:
        @no_grad
        @staticmethod
        def evaluate() -> bool:
            return recorded(x)

        @no_grad()
        @classmethod
        def named(cls) -> tuple[str, bool]:
            return cls.__name__, recorded(x)

    assert (Model.evaluate(), Model().evaluate()) == (False, False)
    assert Model.named() == Model().named() == ("Model", False)
    assert recorded(x)


def test_an_object_called_as_a_function_is_decorated_as_its_call_method_is():
    x = Value(1.0)

    class Steps:
        def __call__(self) -> Generator[bool, None, None]:
            yield recorded(x)
            yield recorded(x)

    class Later:
        async def __call__(self) -> bool:
            await asyncio.sleep(0)  # the coroutine resumes after its call has returned
            return recorded(x)

    class AsyncSteps:
        async def __call__(self) -> AsyncGenerator[bool, None]:
            await asyncio.sleep(0)
            yield recorded(x)

    async def collected() -> list[bool]:
        return [seen async for seen in no_grad(AsyncSteps())()]

    steps = no_grad(Steps())()
    assert (next(steps), recorded(x), next(steps)) == (False, True, False)  # the caller runs outside, between steps
    assert asyncio.run(no_grad(Later())()) is False
    assert asyncio.run(collected()) == [False]
    held = no_grad(functools.partial(Steps()))()  # a partial of such an object, as its object
    assert (next(held), recorded(x), next(held)) == (False, True, False)
    assert asyncio.run(no_grad(functools.partial(functools.partial(Later())))()) is False
    assert recorded(x)


def test_stacked_decorators_on_an_async_generator_each_hold_in_its_body():
    x = Value(1.0)

    @no_grad
    @detect_anomaly
    async def modes() -> AsyncGenerator[tuple[bool, bool], None]:
        overflowed = False
        try:
            Value(1e308) * 10.0
        except FloatingPointError:
            overflowed = True
        yield recorded(x), overflowed

    async def collect() -> list[tuple[bool, bool]]:
        return [item async for item in modes()]

    assert asyncio.run(collect()) == [(False, True)] and recorded(x)


def test_a_decorated_async_function_runs_its_whole_coroutine_inside_the_block():
    @no_grad()
    async def evaluate() -> bool:
        await asyncio.sleep(0)
        return not (Value(2.0) * Value(3.0)).children

    @detect_anomaly()
    async def overflow() -> None:
        await asyncio.sleep(0)
        Value(1e308) * 10.0

    async def both() -> bool:
        with pytest.raises(FloatingPointError, match=r"^detect_anomaly: the '\*' op computed inf"):
            await overflow()
        return await evaluate()

    assert asyncio.run(both())
    assert (Value(2.0) * Value(3.0)).children  # outside, edges are recorded again


def test_a_decorated_generators_body_runs_inside_the_block_and_its_caller_outside():
    w = Value(2.0)

    @no_grad()
    def evaluate(xs: list[float]) -> Generator[tuple[bool, bool], bool, str]:
        for x in xs:
            caller_recorded = yield (w * x).children == (), recorded(w)
            assert caller_recorded  # sent from outside: the caller recorded between the steps
        return "done"

    steps = evaluate([1.0, 2.0])
    assert next(steps) == (True, False)  # inside: no edges
    assert recorded(w)  # the caller, between steps: edges
    assert steps.send(recorded(w)) == (True, False)
    with pytest.raises(StopIteration) as stopped:
        steps.send(recorded(w))
    assert stopped.value.value == "done" and recorded(w)


def test_a_decorated_generator_takes_a_thrown_error_and_closes_inside_the_block():
    seen: list[str] = []

    @detect_anomaly()
    def steps() -> Generator[int, None, None]:
        try:
            yield 1
        except KeyError:
            seen.append("thrown")
            Value(1e308) * 10.0  # inside the block: refused
        finally:
            seen.append("closed")

    started = steps()
    next(started)
    with pytest.raises(FloatingPointError, match="detect_anomaly"):
        started.throw(KeyError("k"))
    started = steps()
    next(started)
    started.close()
    assert seen == ["thrown", "closed", "closed"]
    assert math.isinf((Value(1e308) * 10.0).data)  # outside: not watched


def test_a_decorated_async_generators_steps_run_inside_the_block_and_its_caller_outside():
    w = Value(2.0)

    @no_grad()
    async def evaluate(xs: list[float]) -> AsyncGenerator[tuple[bool, bool], bool]:
        for x in xs:
            await asyncio.sleep(0)
            caller_recorded = yield (w * x).children == (), recorded(w)
            assert caller_recorded

    async def consume() -> list[tuple[bool, bool]]:
        seen = []
        steps = evaluate([1.0, 2.0, 3.0])
        seen.append(await steps.__anext__())
        seen.append(await steps.asend(recorded(w)))
        with pytest.raises(ValueError, match="stop"):
            await steps.athrow(ValueError("stop"))  # raised inside at its yield, as a generator's is
        return seen

    assert asyncio.run(consume()) == [(True, False), (True, False)]
    assert recorded(w)


def test_a_decorated_async_generator_closes_inside_the_block():
    closed: list[bool] = []

    @no_grad()
    async def steps() -> AsyncGenerator[int, None]:
        try:
            yield 1
            yield 2
        finally:
            closed.append(recorded(Value(1.0)))

    async def first_only() -> int:
        started = steps()
        first = await started.__anext__()
        await started.aclose()
        return first

    assert asyncio.run(first_only()) == 1 and closed == [False]


@pytest.mark.filterwarnings("ignore:the \\(type, exc, tb\\) signature of throw:DeprecationWarning")  # from 3.12
def test_a_decorated_generator_takes_a_thrown_error_as_type_value_and_traceback_as_contextlib_throws_it():
    caught: list[bool] = []

    @contextlib.contextmanager
    @no_grad()
    def quiet() -> Generator[None, None, None]:
        try:
            yield
        except KeyError:
            caught.append(recorded(Value(1.0)))  # inside the block: no edges

    with quiet():
        raise KeyError("x")  # contextlib throws it into the generator, as (type, value, traceback) on 3.11
    assert caught == [False] and recorded(Value(1.0))
    steps = quiet.__wrapped__()  # the decorated generator function itself
    next(steps)
    with pytest.raises(StopIteration):
        steps.throw(KeyError, KeyError("y"), None)  # the three-argument form
