"""Full-batch training of a classifier, as the moons and spirals demos train theirs."""

from __future__ import annotations

import sys
from collections.abc import Callable

from autograd import Value
from demos.report import Report
from nn import MLP, SGD


def train(model: MLP, loss_and_accuracy: Callable[[MLP], tuple[Value, float]], steps: int, quiet: bool) -> Report:
    """`steps` updates of SGD over the whole data set, with lr = 1.0 - 0.9 k / steps at step k; a
    progress line per step unless `quiet`; the loss and accuracy after the last update in the notes."""
    optimizer = SGD(model.parameters(), lr=1.0)
    report = Report()
    for k in range(steps):
        loss, accuracy = loss_and_accuracy(model)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 1.0 - 0.9 * k / steps
        optimizer.step()
        report.losses.append(loss.data)
        if not quiet:
            progress(k + 1, steps, f"loss {loss.data:.4f}  accuracy {accuracy:.0%}")
    loss, accuracy = loss_and_accuracy(model)
    report.notes.append(
        f"After all {steps} updates (each step line above gives the loss before that step's update): "
        f"loss {loss.data:.4f}, training accuracy {accuracy:.0%}"
    )
    return report


def progress(step: int, steps: int, status: str) -> None:
    """One line rewritten in place on a terminal; every tenth step when the output is a file."""
    line = f"step {step:3d}/{steps}  {status}"
    if sys.stdout.isatty():
        print(f"\r{line}", end="\n" if step == steps else "", flush=True)
    elif step % 10 == 0 or step == steps:
        print(line)
