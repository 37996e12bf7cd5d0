""" "Backpropagation example with numbers step by step" (3-2-2 network), number by number.

    python -m demos.worked_example [--out DIR] [--format svg,png,dot] [--steps 10000]

Prints every figure of the article beside the engine's at the published precision, checks the
claims of its readers' comments, and explains each disagreement. With --out it writes the
computation graph, the network view and the loss curve.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from autograd import Value, draw_graph, explain
from autograd.explain import Factor
from demos.report import Report, Row, arguments, named_values, show
from nn import SGD, Made, Recorder, binary_cross_entropy, draw_network, squared_error
from nn.examples import Example, worked_example

TITLE = "The worked example: the weights and dE/dw, step by step"
PUBLISHED_GRADIENTS = {
    "w1": "0.0020", "w2": "0.0004", "w3": "0.0079", "w4": "0.0016", "w5": "0.0099", "w6": "0.0020",
    "w7": "0.0765", "w8": "0.1183", "w9": "0.0772", "w10": "0.1193", "b1": "0.0008", "b2": "0.1975",
}  # fmt: skip
PUBLISHED_UPDATES = {
    "w1": "0.1000", "w2": "0.2000", "w3": "0.2999", "w4": "0.4000", "w5": "0.4999", "w6": "0.6000",
    "w7": "0.6992", "w8": "0.7988", "w9": "0.8992", "w10": "0.0988", "b1": "0.5000", "b2": "0.4980",
}  # fmt: skip
ARTICLE_B1_PATHS = (("o1", "h1"), ("o2", "h2"))  # the two of four paths its dE/db1 sums

WHY_B1_DIFFERS = """\
Why dE/db1 differs: b1 feeds both hidden neurons, and each hidden neuron feeds both outputs,
so dE/db1 is a sum over four paths. The article's formula keeps two of them (E -> o1 -> h1
and E -> o2 -> h2, through w7 and w10, as the reader mICON noticed) and drops the two through
w9 and w8. The engine's derivation:
{derivation}
The article's two paths alone give {partial:.4f} (shown above as the article's sum). The updated
b1 agrees anyway: 0.5 - 0.01 * dE/db1 is 0.5000 at four decimals either way."""

COMMENTS = """\
Readers' comments:
- jpowersbaseball's gradient check (0.07614, "7 times" the published 0.0099): the engine's
  central difference on the article's error E agrees with backward (0.0099). The commenter's
  costs 3.5365879 and 3.5365727 are those of the cross-entropy cost
  -sum t log o + (1 - t) log(1 - o), not of E: a check of a different function.
- kyunghoon's dE/do2 = 0.3004 uses t2 = 0.5; the article's t2 is 0.05 (its text and code),
  which gives the published 0.7504. The anonymous reply (t2 = 0.05) is right.
- mICON's 0.588 came from typing 1598 for 0.1598, as mICON then said; his other point, that
  dE/db1 chains only w7 and w10, is right (see above)."""


def error_at_w5(w5: float, cost: str) -> float:
    """The article's E, or the commenter's cross-entropy cost, with w5 moved."""
    ex = worked_example()
    ex.weights["w5"].data = w5
    outputs = ex.model.forward(ex.inputs)
    if cost == "cross-entropy":
        return len(outputs) * binary_cross_entropy(outputs, ex.targets).data
    return squared_error(outputs, ex.targets).data


def run(steps: int = 10_000, record: bool = False) -> Report:
    ex = worked_example()
    made: Made = {}
    error = ex.backward(made=made)
    v = named_values(error)
    params = {**ex.weights, **ex.biases}
    report = Report(
        graphs={
            "worked_example_graph": draw_graph(error, ex.model.parameters()),
            "worked_example_network": draw_network(ex.model, ex.inputs, ex.input_names, made=made),
        }
    )
    forward = [("z_h1", "4.3"), ("h1", "0.9866"), ("z_h2", "5.3"), ("h2", "0.9950")]
    forward += [("z_o1", "2.0862"), ("o1", "0.8896"), ("z_o2", "1.3888"), ("o2", "0.8004")]
    report.add("Forward pass", [Row(q, p, v[q.replace("z_", "net_")].data) for q, p in forward])
    local = [("dE/do1", "0.7896", v["o1"].grad), ("do1/dz_o1", "0.0983", v["o1"].local_grads[0])]
    local += [("dE/do2", "0.7504", v["o2"].grad), ("do2/dz_o2", "0.1598", v["o2"].local_grads[0])]
    local += [("dE/dh1", "0.1502", v["h1"].grad), ("dh1/dz_h1", "0.0132", v["h1"].local_grads[0])]
    local += [("dE/dh2", "0.0818", v["h2"].grad), ("dh2/dz_h2", "0.0049", v["h2"].local_grads[0])]
    report.add("Derivatives along the way", [Row(*item) for item in local])
    derivation = explain(error, ex.biases["b1"])
    shares = zip(derivation.paths, derivation.products(), strict=True)
    partial = sum(share for path, share in shares if _path_through(path) in ARTICLE_B1_PATHS)
    gradients = [Row(f"dE/d{name}", p, params[name].grad) for name, p in PUBLISHED_GRADIENTS.items()]
    gradients.append(Row("dE/db1, the article's two paths", PUBLISHED_GRADIENTS["b1"], partial))
    report.add("All twelve gradients", gradients)
    report.notes.append(WHY_B1_DIFFERS.format(derivation=textwrap.indent(str(derivation), "  "), partial=partial))
    SGD(ex.model.parameters(), ex.lr).step()
    report.add("All twelve updates (lr 0.01)", [Row(f"{n}+", p, params[n].data) for n, p in PUBLISHED_UPDATES.items()])
    report.add("Readers' comments, checked", comment_rows(ex, v))
    report.notes.append(COMMENTS)
    trained = worked_example()
    recorder = trained.recorder(steps, TITLE) if record and steps else None
    report.losses = train(trained, steps, recorder)
    if recorder:
        report.recording = recorder.recording
    return report


def comment_rows(ex: Example, v: dict[str, Value]) -> list[Row]:
    w5, h = 0.5, 1e-4
    plus, minus = error_at_w5(w5 + h, "cross-entropy"), error_at_w5(w5 - h, "cross-entropy")
    misread = named_values(worked_example().backward(targets=[0.1, 0.5]))
    return [
        Row(
            "dE/dw5, central difference h=1e-4", "0.0099", (error_at_w5(w5 + h, "E") - error_at_w5(w5 - h, "E")) / 2 / h
        ),
        Row("cross-entropy cost at w5 + 1e-4", "3.5365879", plus),
        Row("cross-entropy cost at w5 - 1e-4", "3.5365727", minus),
        Row("its central difference", "0.07614", (plus - minus) / 2 / h),
        Row("dE/do2 with t2 = 0.05", "0.7504", v["o2"].grad),
        Row("dE/do2 with t2 = 0.5", "0.3004", misread["o2"].grad),
    ]


def train(ex: Example, steps: int, recorder: Recorder | None = None) -> list[float]:
    """Full-gradient descent on the single example; the error before each update, as the article's code records."""
    optimizer = SGD(ex.model.parameters(), ex.lr)
    losses = []
    for step in range(steps):
        optimizer.zero_grad()
        made: Made = {}
        error = ex.backward(made=made)
        if recorder:
            recorder.record(step, error, made)
        optimizer.step()
        losses.append(error.data)
    return losses


def _path_through(path: list[Factor]) -> tuple[str, ...]:
    """The output and hidden neuron a path from E to b1 passes, e.g. ("o1", "h1")."""
    stops = [factor.name.split("/d")[-1] for factor in path]
    return tuple(s for s in stops if s in ("o1", "o2", "h1", "h2"))


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments("worked_example", __doc__.splitlines()[0], argv, steps=10_000)
    report = run(args.steps, record=args.html is not None)
    if report.losses:
        report.notes.append(
            f"Error after {args.steps} updates: {report.losses[-1]:.6g} (the article shows only a plot)"
        )
    show(report, args, "The worked example")


if __name__ == "__main__":
    main()
