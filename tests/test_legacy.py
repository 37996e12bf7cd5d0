"""chainrule 0.1's per-name registries still work, with a DeprecationWarning (README: Adding an op)."""

import pytest

from autograd import Value, grad, legacy, make_node, register_derivative, register_symbol
from autograd.compile import compile_backprop, register_kernel
from autograd.notation import operation


@pytest.fixture
def cube_registered():
    with pytest.warns(DeprecationWarning, match="register_symbol is deprecated: define the op as an autograd.Op"):
        register_symbol("cube", "x³")
    with pytest.warns(DeprecationWarning, match="register_derivative is deprecated"):

        @register_derivative("cube")
        def derivatives(node: Value) -> list[Value | float]:
            x = node.children[0]
            return [3.0 * x * x]

    with pytest.warns(DeprecationWarning, match="register_kernel is deprecated"):
        register_kernel("cube", lambda values, constants: (values[0] ** 3, [3.0 * values[0] ** 2]))
    try:
        yield
    finally:
        for registry in (legacy.SYMBOLS, legacy.DERIVATIVES, legacy.KERNELS):
            registry.pop("cube", None)


def cube(x: Value) -> Value:
    return make_node(x.data**3, [x], [3.0 * x.data**2], "cube", label="c")


def test_a_node_made_by_a_registered_name_draws_differentiates_twice_and_compiles(cube_registered):
    x = Value(2.0, label="x")
    y = cube(x)
    assert (y.op, operation(y)) == ("cube", "x³")
    [first] = grad(y, [x])
    [second] = grad(first, [x])
    assert (first.data, second.data) == (12.0, 12.0)  # 3x², and d(3 x x)/dx = 6x = 12
    program = compile_backprop(y, [x])
    assert (program(), x.grad) == (8.0, 12.0)


def test_a_name_with_derivatives_and_no_kernel_goes_through_grad():
    with pytest.warns(DeprecationWarning):

        @register_derivative("square")
        def derivatives(node: Value) -> list[Value | float]:
            return [2.0 * node.children[0]]

    try:
        x = Value(3.0, label="x")
        [first] = grad(make_node(9.0, [x], [6.0], "square") * 2.0, [x])
        [second] = grad(first, [x])
        assert (first.data, second.data) == (12.0, 4.0)  # d(2x²)/dx = 4x, and 4
    finally:
        legacy.DERIVATIVES.pop("square")


def test_a_name_without_a_kernel_is_refused_by_compile_backprop_with_the_way_forward():
    with pytest.warns(DeprecationWarning):
        register_symbol("square", "x²")
    try:
        x = Value(3.0)
        with pytest.raises(ValueError, match=r"the op 'square' registered no kernel: define it as an Op"):
            compile_backprop(make_node(9.0, [x], [6.0], "square"), [x])
    finally:
        legacy.SYMBOLS.pop("square")


def test_a_registered_kernel_gets_the_children_and_the_constants_apart():
    with pytest.warns(DeprecationWarning):
        register_kernel("scale", lambda values, constants: (values[0] * constants[0], [constants[0]]))
    try:
        x = Value(2.0, label="x")
        scaled = make_node(6.0, [x], [3.0], "scale", operands=(x, 3.0))
        program = compile_backprop(scaled, [x])
        assert (program(), x.grad) == (6.0, 3.0)
    finally:
        legacy.KERNELS.pop("scale")
