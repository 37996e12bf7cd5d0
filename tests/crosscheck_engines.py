"""micrograd-style engines with planted bugs, for tests/test_crosscheck.py (also loaded by path, as
`python -m autograd.crosscheck tests/crosscheck_engines.py:LectureValue`).

`Value` is a correct engine written the way micrograd is (a `_backward` closure per op), with every
op crosscheck looks for and an iterative topological sort. Each other class plants one classic bug.
"""

import math
from typing import Any


class DerivedOps:
    """The ops micrograd writes with others (-x is x * -1, x - y is x + -y, ...), shared by the engines."""

    def __neg__(self: Any) -> Any:
        return self * -1

    def __radd__(self: Any, other: Any) -> Any:
        return self + other

    def __sub__(self: Any, other: Any) -> Any:
        return self + (-other)

    def __rsub__(self: Any, other: Any) -> Any:
        return other + (-self)

    def __rmul__(self: Any, other: Any) -> Any:
        return self * other

    def __truediv__(self: Any, other: Any) -> Any:
        return self * other**-1

    def __rtruediv__(self: Any, other: Any) -> Any:
        return other * self**-1


class Value(DerivedOps):
    """A correct micrograd-style engine: grads add (+=), the sort is a loop, every op is right."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def _wrap(self, other):
        return other if isinstance(other, Value) else type(self)(other)

    def _node(self, data, children, op):
        return type(self)(data, children, op)

    def __add__(self, other):
        other = self._wrap(other)
        out = self._node(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = self._node(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        out = self._node(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def _unary(self, value, slope, op):
        out = self._node(value, (self,), op)

        def _backward():
            self.grad += slope(out.data) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        return self._unary(math.tanh(self.data), lambda t: 1 - t**2, "tanh")

    def exp(self):
        return self._unary(math.exp(self.data), lambda e: e, "exp")

    def log(self):
        return self._unary(math.log(self.data), lambda _: 1 / self.data, "log")

    def sigmoid(self):
        return self._unary(1 / (1 + math.exp(-self.data)), lambda s: s * (1 - s), "sigmoid")

    def relu(self):
        return self._unary(max(0.0, self.data), lambda r: float(r > 0), "relu")

    def order(self):
        """Every node, each after its children: a loop with a stack, no recursion."""
        topo, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                topo.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        return topo

    def backward(self):
        self.grad = 1.0
        for node in reversed(self.order()):
            node._backward()


class RecursiveSortValue(Value):
    """micrograd's recursive build_topo: one Python call per node on the longest path."""

    def order(self):
        topo, seen = [], set()

        def build_topo(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        return topo


class InputTanhValue(Value):
    """tanh's derivative written in terms of its input, 1 - x², instead of its output, 1 - tanh(x)²."""

    def tanh(self):
        return self._unary(math.tanh(self.data), lambda _: 1 - self.data**2, "tanh")


class RsubValue(Value):
    """c - x computed as x - c: the wrong sign in __rsub__."""

    def __rsub__(self, other):
        return self - other


class NoRaddValue(Value):
    """No __radd__: 1 + Value(2.0) cannot be computed."""

    __radd__ = None  # type: ignore[assignment]


class LectureValue(DerivedOps):
    """The lecture's Value before its fix: each _backward sets (=) the grads instead of adding to them."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = 1.0 * out.grad  # the bug: = where += belongs
            other.grad = 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other):
        out = LectureValue(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad = other * self.data ** (other - 1) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = LectureValue(t, (self,), "tanh")

        def _backward():
            self.grad = (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = LectureValue(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad = out.data * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()


class NoOutGradValue(Value):
    """x * y's backward adds the local derivatives alone, without multiplying them by out.grad."""

    def __mul__(self, other):
        other = self._wrap(other)
        out = self._node(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data
            other.grad += self.data

        out._backward = _backward
        return out


class NoExpBackwardValue(Value):
    """exp() sets no _backward: the node keeps the do-nothing one it was made with."""

    def exp(self):
        return self._node(math.exp(self.data), (self,), "exp")


class GradStartsAtOneValue(Value):
    """Every value starts with grad 1.0 instead of 0."""

    def __init__(self, data, _children=(), _op=""):
        super().__init__(data, _children, _op)
        self.grad = 1.0


class BadSubValue(Value):
    """x - y's backward adds out.grad to y's gradient, where it must subtract it."""

    def __sub__(self, other):
        other = self._wrap(other)
        out = self._node(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out
