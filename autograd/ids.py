"""Every id a drawing gives an element, and every id of a number a page fills in: made here only.

A computation graph (draw_graph) numbers its values in topological order and its edges in that
order, each value's operands in turn:

    value i                   "v{i}"
    its operation's oval      "v{i}op", with the edge "v{i}op-out" into the value
    its k-th operand's edge   "v{i}op{k}": the label node on the edge, and the edges "-in" and "-out"

A network (draw_network) numbers its layers k, neurons j (in their layer), inputs i and biases m:

    input i "x{i}"    neuron "n{k}_{j}"    bias "b{k}_{m}"
    weight i of neuron (k, j) "n{k}_{j}w{i}"    its bias edge "n{k}_{j}b"    (each with "-in", "-out")

A page's number slot is "{view}-{quantity}-{index}", such as "graph-grad-3" or "network-value-7".
"""

from __future__ import annotations

IN, OUT = "-in", "-out"  # the two halves of an edge that passes through a label node


def value(i: int) -> str:
    return f"v{i}"


def operation(i: int) -> str:
    return f"v{i}op"


def operation_out(i: int) -> str:
    """The edge from value i's operation into the value."""
    return f"v{i}op{OUT}"


def operand(i: int, k: int) -> str:
    """The label node on the edge from value i's k-th operand into its operation."""
    return f"v{i}op{k}"


def input_node(i: int) -> str:
    return f"x{i}"


def neuron(k: int, j: int) -> str:
    return f"n{k}_{j}"


def bias(k: int, m: int) -> str:
    return f"b{k}_{m}"


def weight_edge(k: int, j: int, i: int) -> str:
    """The label node on the edge that carries weight i into neuron j of layer k."""
    return f"{neuron(k, j)}w{i}"


def bias_edge(k: int, j: int) -> str:
    """The edge (or label node, for a shared bias) from a bias into neuron j of layer k."""
    return f"{neuron(k, j)}b"


def halves(label_node: str) -> list[str]:
    """The two edges of an edge drawn through `label_node`: into it and out of it."""
    return [label_node + IN, label_node + OUT]


def slot(view: str, quantity: str, index: int) -> str:
    """The id of the <text> that shows a page's number: view "graph" or "network", quantity such as "grad"."""
    return f"{view}-{quantity}-{index}"
