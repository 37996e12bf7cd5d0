import pytest

from autograd import Op, Value, dot, explain, vsum
from autograd.engine import make_node
from autograd.notation import expression, operation, roles, symbol

x = Value(3.0, label="x")
y = Value(2.0, label="y")


@pytest.mark.parametrize(("build", "text"), [
    (lambda: x * 2, "× 2"), (lambda: 2 * x, "× 2"), (lambda: x - 1, "− 1"), (lambda: 1 - x, "1 −"),
    (lambda: x**2, "** 2"), (lambda: 2**x, "2 **"), (lambda: x / 4, "÷ 4"), (lambda: 4 / x, "4 ÷"),
    (lambda: x + 0.5, "+ 0.5"), (lambda: x * y, "×"), (lambda: x + y, "+"), (lambda: x - y, "a − b"),
    (lambda: x / y, "a ÷ b"), (lambda: x**y, "a ** b"), (lambda: -x, "−x"), (lambda: x.sigmoid(), "σ"),
    (lambda: vsum([x, y]), "Σ"),
])  # fmt: skip
def test_operation_says_what_the_node_computes(build, text):
    assert operation(build()) == text


def test_operands_keep_constants_in_order():
    assert (1 - x).operands == (1.0, x)
    assert (x - 1).operands == (x, 1.0)
    assert (x - y).operands == (x, y) == (x - y).children
    assert (1 - x).children == (x,)


def test_an_op_written_with_its_number_first_has_it_first_then_its_children_in_order():
    scaled_difference = Op("f", lambda u, v, c: c * (u - v), lambda out, u, v, c: (c, -c), written="{c} f")
    z = scaled_difference.apply((x, y, 5.0))  # arguments (x, y, 5.0): the children first
    assert z.operands == (5.0, x, y) and z.children == (x, y)
    assert expression(z, {x: "x", y: "y"}) == "f(5, x, y)"
    assert expression(z, {x: "x", y: "y"}, numbers={2: "k"}) == "f(k, x, y)"  # 5.0 is argument 2, written first
    twice = scaled_difference.apply((x, x, 5.0))
    assert [path[0].name for path in explain(twice, x).paths] == [
        "d(f(5, x, x))/dx (as operand 2)",  # the first child, written after the number
        "d(f(5, x, x))/dx (as operand 3)",
    ]


def test_roles_name_the_operands_where_order_matters():
    assert roles(x - y) == ("a", "b")
    assert roles(y**x) == ("a", "b")
    assert roles(x * y) == ("", "")
    assert roles(x - 1) == ("",)


def test_an_op_is_drawn_with_the_symbol_of_its_record_or_else_its_name():
    assert operation(make_node(1.0, [x], [1.0], "my_op")) == "my_op"
    phi = Op("phi", lambda v: 2 * v, lambda out, v: (2.0,), "ϕ")
    assert symbol(phi(x)) == operation(phi(x)) == "ϕ"
    assert (1 - x).arguments == (x, 1.0)  # the record reads the child first


def test_expression_spells_out_what_a_value_computes():
    names = {x: "x", y: "y"}
    assert expression(x * y + x, names) is None  # x*y has no name yet
    product = x * y
    names[product] = "x*y"
    assert expression(product + x, names) == "x*y + x"
    assert expression(x.exp(), names) == "exp(x)"
    assert expression(x - (-2.0), names) == "x - (-2)"


def test_a_sum_or_a_name_that_is_no_plain_name_is_parenthesised_where_it_would_read_otherwise():
    w, x, b, d, rate = Value(2.0), Value(3.0), Value(1.0), Value(0.5), Value(0.1)
    net = dot([w], [x], b)
    names = {w: "w", x: "x", b: "b", d: "d", net: "w·x + b", rate: "learning rate"}
    assert expression(net * d, names) == "(w·x + b)*d"  # a dot node is a sum: not w·x + b*d
    assert expression(d - net, names) == "d - (w·x + b)"
    assert expression(net - d, names) == "w·x + b - d"
    assert expression(net**2, names) == "(w·x + b)**2"
    assert expression(-net, names) == "-(w·x + b)"
    # a name is parenthesised as it is in a derivative, dE/d(learning rate), wherever it is an operand
    assert expression(rate * x, names) == "(learning rate)*x"  # not learning rate*x
    assert expression(x / rate, names) == "x/(learning rate)"
    assert expression(-rate, names) == "-(learning rate)"
    assert expression(rate + x, names) == "(learning rate) + x"
    assert expression(dot([rate], [x]), names) == "(learning rate)·x"
    assert expression(dot([x], [x], rate), names) == "x·x + (learning rate)"
    assert expression(rate.tanh(), names) == "tanh(learning rate)"  # an argument needs none
    for label in ("p\u00a0q", "a+b", "x**2", "-x", "x) y", "(a b"):
        v = Value(1.0, label)
        assert expression(v * x, {v: label, x: "x"}) == f"({label})*x", label
    grouped = Value(1.0, "(a b)")
    assert expression(grouped * x, {grouped: "(a b)", x: "x"}) == "(a b)*x"  # in parentheses already
    t, a = x.tanh(), Value(1.0, "a")
    names |= {t: "tanh(x + b)", a: "a"}  # a space inside parentheses is inside one operand
    assert expression(t * d, names) == "tanh(x + b)*d"
    product, negated = a * d, -a
    names |= {product: "a*d", negated: "-a"}
    assert (expression(-product, names), expression(negated * d, names)) == ("-(a*d)", "-a*d")  # two values
    assert expression(-negated, names) == "-(-a)"


def test_a_dot_node_is_spelled_as_its_sum_of_products():
    a, b, c, k = Value(1.0), Value(2.0), Value(3.0), Value(0.5)
    names = {a: "a", b: "b", c: "c", k: "k", a * b: "a*b"}
    assert expression(dot([a, b], [b, c]), names) == "a·b + b·c"  # the bias, the number 0, left out
    assert expression(dot([a, b], [b, c], k), names) == "a·b + b·c + k"
    assert expression(dot([a, b], [1.0, -2.0], 0.25), names) == "a·1 + b·(-2) + 0.25"
    assert expression(dot([a, b], [b, c], -0.5), names) == "a·b + b·c - 0.5"
    assert expression(dot([a, b], [b, c], -0.0), names) == "a·b + b·c"
    assert expression(dot([a, b], [c, a + b]), {**names, a + b: "a + b"}) is None  # a + b is another node
    ab = a + b
    assert expression(dot([a, c], [ab, b]), {**names, ab: "a + b"}) == "a·(a + b) + c·b"
    assert expression(dot([a, b, c], [c, b, a]), names, limit=None) == "a·c + b·b + c·a"
    assert expression(dot([a, b, c], [c, b, a]), names) == "a·c + b·b + c·a"
    assert expression(dot([a, b, c, k, a], [c, b, a, k, a]), names) is None  # longer than a derivation spells out


def test_a_plain_number_operand_is_written_by_the_name_given_for_its_place_among_the_arguments():
    a, b = Value(1.0), Value(2.0)
    names = {a: "a", b: "b", x: "x"}
    inputs_as_numbers = dot([a, b], [0.5, -2.0], x)  # arguments (x, a, b, 0.5, -2.0)
    assert expression(inputs_as_numbers, names, numbers={3: "x1", 4: "x2"}) == "a·x1 + b·x2 + x"
    assert expression(inputs_as_numbers, names, None, {4: "input two"}) == "a·0.5 + b·(input two) + x"
    assert expression(1 - x, names, numbers={1: "c"}) == "c - x"  # written first, kept second: arguments (x, 1.0)
    assert expression(x - 1, names, numbers={1: "c"}) == "x - c"
    assert expression(x * -3, names, numbers={0: "ignored: x is a Value"}) == "x*(-3)"
    loss = Op("squared", lambda o, t: (o - t) ** 2, lambda out, o, t: (2 * (o - t),)).apply((x, 0.25))
    assert expression(loss, names, numbers={1: "target o1"}) == "squared(x, target o1)"  # a function's argument


def test_a_computed_value_given_a_plain_name_is_no_longer_grouped_by_its_op():
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    total = a + b
    assert expression(total * c, {total: "lr", c: "c"}) == "lr*c"  # a name needs no parentheses: (lr)*c read oddly
    assert expression(c - total, {total: "w1[2,3]", c: "c"}) == "c - w1[2,3]"
    assert expression(total * c, {total: "a + b", c: "c"}) == "(a + b)*c"  # its spelled sum still does
    assert expression(c - total, {total: "a + b", c: "c"}) == "c - (a + b)"
    assert str(explain(total * c, a, names={total: "lr"})).startswith("d(lr*c)/da = d(lr*c)/dlr * dlr/da")
