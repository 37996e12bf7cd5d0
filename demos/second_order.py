"""Second derivatives: Newton's method on a quartic, and the Hessian of a small neuron's loss.

    python -m demos.second_order [--out DIR] [--format svg,png,dot]

grad() gives each derivative as a Value, so it can be differentiated again. Newton's method
steps x <- x - f'(x) / f''(x) on f(x) = x⁴ - 3x² + x from x = 2. Then a tanh neuron with two
weights and a bias, its squared error against one target, and the 3 x 3 Hessian of that error
over the neuron's parameters, checked against finite differences; with --out, the graph of
dE/dw1 (which grad() built from the engine's ops) is drawn, so the graph of a gradient can be seen.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value, draw_graph, grad, gradgradcheck, hessian
from demos.report import Report, arguments, show
from nn import Neuron, squared_error

START = 2.0
INPUTS = (0.5, -1.0)
TARGET = 0.25
PARAMETERS = (0.4, -0.3, 0.1)  # w1, w2, b


def quartic(x: Value) -> Value:
    return x**4 - 3 * x**2 + x


def newton(x: float, steps: int) -> list[tuple[float, float, float]]:
    """Each step's (x, f'(x), f''(x)), then x moves to x - f'(x) / f''(x)."""
    rows = []
    for _ in range(steps):
        v = Value(x, "x")
        [first] = grad(quartic(v), [v])
        [second] = grad(first, [v])
        rows.append((x, first.data, second.data))
        x -= first.data / second.data
    return rows


def neuron_error(w1: Value, w2: Value, b: Value) -> Value:
    """The squared error of a tanh neuron with weights w1, w2 and bias b on the fixed inputs."""
    neuron = Neuron.from_values([w1, w2], b, "tanh", name="o")
    return squared_error(neuron.forward(list(INPUTS)), TARGET)


def run(steps: int = 6) -> Report:
    report = Report()
    lines = [
        f"  step {k}: x = {x:.12f}   f'(x) = {first: .3e}   f''(x) = {second:.6f}"
        for k, (x, first, second) in enumerate(newton(START, steps))
    ]
    report.notes.append(f"Newton's method on f(x) = x⁴ - 3x² + x from x = {START}:\n" + "\n".join(lines))
    w1, w2, b = (Value(p, name) for p, name in zip(PARAMETERS, ("w1", "w2", "b"), strict=True))
    error = neuron_error(w1, w2, b)
    matrix = hessian(error, [w1, w2, b])
    lines = [
        f"  {name:>2}  " + "  ".join(f"{h: .6f}" for h in row)
        for name, row in zip(("w1", "w2", "b"), matrix, strict=True)
    ]
    report.notes.append("Hessian of E over (w1, w2, b):\n" + "\n".join(lines))
    checked = gradgradcheck(neuron_error, PARAMETERS)
    report.notes.append(f"gradgradcheck against finite differences: {'agrees' if checked else 'disagrees'}")
    [dE_dw1] = grad(error, [w1])
    dE_dw1.label = "dE/dw1"
    dE_dw1.backward()
    report.notes.append(
        f"dE/dw1 = {dE_dw1.data:.6f} is a graph of its own; backward() on it gives the Hessian's first row: "
        f"w1.grad {w1.grad:.6f}, w2.grad {w2.grad:.6f}, b.grad {b.grad:.6f}"
    )
    report.graphs["gradient_graph"] = draw_graph(dE_dw1, rankdir="TB", stacked=True)
    return report


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments("second_order", __doc__.splitlines()[0], argv, steps=6, html=False)
    show(run(args.steps), args, "second order")


if __name__ == "__main__":
    main()
