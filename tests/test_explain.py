import math
import re

import pytest

from autograd import Value, dot, explain
from nn.examples import mazur, worked_example


def after_backward(example=mazur):
    ex = example()
    return ex, ex.backward()


def test_explain_prints_the_articles_chain():
    ex, error = after_backward(worked_example)
    text = str(explain(error, ex.weights["w7"]))
    assert text == "dE/dw7 = dE/do1 * do1/dnet_o1 * dnet_o1/dw7 = 0.7896 * 0.0983 * 0.9866 = 0.0765"


@pytest.mark.parametrize("name", ["w1", "w5", "w8", "b1", "b2"])
def test_explain_total_matches_backward(name):
    ex, error = after_backward()
    x = {**ex.weights, **ex.biases}[name]
    assert explain(error, x).total == pytest.approx(x.grad, rel=1e-12)


def test_the_total_sums_the_paths_products_where_backward_adds_the_shares_that_meet_first_either_may_overflow():
    x = Value(1.0, label="x")
    m = x * 1e200
    m.label = "m"
    r = (m * 1.0 + m * -1.0) * 1e200  # the two paths through m meet there: backward() adds 1e200 - 1e200 first
    r.backward()
    explained = explain(r, x)
    assert x.grad == 0.0
    assert explained.products() == [math.inf, -math.inf]  # each path multiplies 1e200 by 1e200
    assert math.isnan(explained.total)
    x.grad = 0.0
    n = x * 1e-10
    n.label = "n"
    r = n * 1e308 + n * 1e308  # the two shares meet at n: backward() adds them to inf, then multiplies by 1e-10
    r.backward()
    assert x.grad == math.inf
    assert explain(r, x).products() == [1e308 * 1e-10] * 2 and math.isfinite(explain(r, x).total)


def test_unlabelled_values_are_named_by_what_they_compute():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + b**2
    c.label = "c"
    c.backward()
    e = explain(c, b)
    assert [[f.name for f in path] for path in e.paths] == [
        ["dc/d(a*b)", "d(a*b)/db"],
        ["dc/d(b**2)", "d(b**2)/db"],
    ]
    assert str(e) == (
        "dc/db, summed over 2 paths:\n"
        "    dc/d(a*b) * d(a*b)/db = 1.0000 * 2.0000 = 2.0000\n"
        "  + dc/d(b**2) * d(b**2)/db = 1.0000 * -6.0000 = -6.0000\n"
        "dc/db = -4.0000"
    )


def test_an_unlabelled_graph_reads_as_a_derivation():
    x, y = Value(0.5), Value(-1.5)
    f = (x * y + x).tanh() * 2
    f.backward()
    e = explain(f, x)
    assert e.root == "tanh(x*(-1.5) + x)*2"
    assert [f.name for f in e.paths[1]] == [
        "d(tanh(x*(-1.5) + x)*2)/d(tanh(x*(-1.5) + x))",
        "d(tanh(x*(-1.5) + x))/d(x*(-1.5) + x)",
        "d(x*(-1.5) + x)/dx",
    ]
    assert e.total == pytest.approx(x.grad, rel=1e-12)
    assert "droot" not in str(e)


def test_parentheses_follow_precedence():
    p, q = Value(2.0, label="p"), Value(3.0, label="q")
    r = (p - (q - p)) / (p * q) ** 2
    r.backward()
    assert explain(r, q).root == "(p - (q - p))/(p*q)**2"
    assert explain(-(p + q), p).root == "-(p + q)"


def test_long_expressions_fold_into_their_neighbours():
    x = Value(1.0, label="x")
    v = x
    for _ in range(6):
        v = v * 1.5 + 0.25
    v.backward()
    e = explain(v, x)
    assert e.root == "f"  # too long to spell out
    assert e.total == pytest.approx(x.grad, rel=1e-12)


def test_a_root_that_does_not_depend_on_x_says_so():
    a, z = Value(1.0, label="a"), Value(2.0, label="z")
    c = a * 3
    c.label = "c"
    assert str(explain(c, z)) == "dc/dz = 0: c does not depend on z"
    assert explain(c, z).total == 0


def test_a_long_derivation_prints_one_path_per_line():
    ex, error = after_backward(worked_example)
    lines = str(explain(error, ex.biases["b1"])).splitlines()
    assert lines[0] == "dE/db1, summed over 4 paths:"
    assert lines[1] == (
        "    dE/do1 * do1/dnet_o1 * dnet_o1/dh1 * dh1/dnet_h1 * dnet_h1/db1 = "
        "0.7896 * 0.0983 * 0.7000 * 0.0132 * 1.0000 = 0.0007"
    )
    assert [line[:4] for line in lines[2:5]] == ["  + "] * 3
    assert lines[-1] == "dE/db1 = 0.0024"
    assert max(len(line) for line in lines) <= 120  # one line of 600 characters before


@pytest.mark.parametrize(("root", "x", "message"), [
    (3.0, Value(1.0), r"needs two Values, got float 3.0 for root"),
    (Value(1.0), [Value(1.0)], r"needs two Values, got list .* for x"),
])  # fmt: skip
def test_wrong_arguments_are_clear_errors(root, x, message):
    with pytest.raises(TypeError, match=message):
        explain(root, x)


def test_explain_sums_paths_and_folds_unnamed_nodes():
    a = Value(3.0, label="a")
    b = a * a
    c = (b + a).tanh()
    c.label = "c"
    c.backward()
    e = explain(c, a)
    assert len(e.paths) == 3  # through a*a twice, and directly
    assert [f.name for f in e.paths[0]] == ["dc/d(a*a + a)", "d(a*a + a)/d(a*a)", "d(a*a)/da (as operand 1)"]
    assert [f.name for f in e.paths[1]][-1] == "d(a*a)/da (as operand 2)"
    assert [f.name for f in e.paths[2]] == ["dc/d(a*a + a)", "d(a*a + a)/da"]
    assert e.total == pytest.approx(a.grad, rel=1e-12)


def test_the_edges_of_a_value_one_op_reads_twice_are_told_apart_by_operand_in_operand_order():
    x = Value(2.0, label="x")
    y = x**x  # d/d(base) = x * x**(x - 1) = 4, d/d(exponent) = x**x * log x = 4 log 2
    y.label = "y"
    e = explain(y, x)
    assert str(e) == "dy/dx = dy/dx (as operand 1) + dy/dx (as operand 2) = 4.0000 + 2.7726 = 6.7726"
    assert [path[0].edges for path in e.paths] == [((y, 0),), ((y, 1),)]
    z = x * 3.0 + x  # x once in each op: no operand named
    z.label = "z"
    assert str(explain(z, x)) == "dz/dx = dz/d(x*3) * d(x*3)/dx + dz/dx = 1.0000 * 3.0000 + 1.0000 = 4.0000"


def test_the_edges_to_two_values_of_one_name_are_told_apart_by_operand():
    o = Value(3.0, label="o")
    e = (o - 1.0) * (o - 1.0)  # two values, each named o - 1
    e.label = "E"
    e.backward()
    explained = explain(e, o)
    assert [[f.name for f in path] for path in explained.paths] == [
        ["dE/d(o - 1) (as operand 1)", "d(o - 1)/do"],
        ["dE/d(o - 1) (as operand 2)", "d(o - 1)/do"],
    ]
    assert explained.products() == [2.0, 2.0] and explained.total == o.grad == 4.0


def test_a_factor_folding_two_edges_of_values_read_twice_says_which_operand_it_takes_at_each():
    x = Value(2.0, label="x" * 30)  # too long for x*x to be spelled out: m is no stop, so dy/dx folds two edges
    m = x * x
    y = m * m
    y.label = "y"
    y.backward()
    e = explain(y, x)
    marks = [path[0].name.removeprefix(f"dy/d{x.label}") for path in e.paths]
    assert marks == [f" (via operand {k}, then operand {j})" for k in (1, 2) for j in (1, 2)]
    assert e.products() == [4.0 * 2.0] * 4  # dy/dm = m through either operand, dm/dx = x through either
    assert e.total == x.grad == 32.0  # d(x^4)/dx = 4 x^3


def test_values_too_long_to_name_between_root_and_x_still_give_paths_told_apart():
    o = Value(0.8, label="predicted_probability")  # o - 0.5 is too long to spell out: each path folds it
    error = (o - 0.5) * (o - 0.5)
    error.label = "E"
    assert str(explain(error, o)).splitlines()[1:3] == [
        "    dE/dpredicted_probability (as operand 1) = 0.3000 = 0.3000",
        "  + dE/dpredicted_probability (as operand 2) = 0.3000 = 0.3000",
    ]
    k, x = Value(3.0, label="a_long_coefficient_name"), Value(2.0, label="x")
    y = (x + k) + (x * k)
    y.label = "y"
    assert [path[0].name for path in explain(y, x).paths] == [
        "dy/dx (via operand 1, then operand 1)",
        "dy/dx (via operand 2, then operand 1)",
    ]


def test_values_whose_names_print_alike_are_told_apart_and_alike_derivatives_are_left_as_they_are():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    m = a + b
    m.label = "(a + b)"  # printed as the unlabelled a + b is: d(...)/d(a + b)
    e = explain(m * (a + b), a)
    assert [[f.name for f in path] for path in e.paths] == [
        ["d((a + b)*(a + b))/d(a + b) (as operand 1)", "d(a + b)/da"],
        ["d((a + b)*(a + b))/d(a + b) (as operand 2)", "d(a + b)/da"],  # each d(a + b)/da: the same derivative
    ]


def test_a_dot_nodes_edges_are_told_apart_by_term_as_the_dot_is_written():
    w, b, x = Value(0.3, label="w"), Value(0.1, label="b"), Value(2.0, label="x")
    tied = dot([w, w], [1.0, -2.0], b, label="o1")  # o1 = w·1 + w·(-2) + b
    assert str(explain(tied, w)) == "do1/dw = do1/dw (in term 1) + do1/dw (in term 2) = 1.0000 + -2.0000 = -1.0000"
    crossed = dot([x, w], [w, x], b)
    assert [path[0].name for path in explain(crossed, x).paths] == [
        "d(x·w + w·x + b)/dx (in term 1)",
        "d(x·w + w·x + b)/dx (in term 2)",
    ]
    squared = dot([x, w], [x, 2.0], b)
    assert [path[0].name for path in explain(squared, x).paths] == [
        "d(x·x + w·2 + b)/dx (in term 1, factor 1)",
        "d(x·x + w·2 + b)/dx (in term 1, factor 2)",
    ]
    biased = dot([w], [x], x)
    assert [path[0].name for path in explain(biased, x).paths] == [
        "d(w·x + x)/dx (as the bias)",
        "d(w·x + x)/dx (in term 1)",
    ]


def test_explain_caps_paths():
    x = Value(1.0, label="x")
    v = x
    for _ in range(12):
        v = v * v
    with pytest.raises(ValueError, match="more than 64 paths"):
        explain(v, x)


def diamonds(v, count):
    """v under `count` diamonds, (v*2) + (v*3) each: 2**count paths lead down to v."""
    for _ in range(count):
        v = (v * 2) + (v * 3)
    return v


def test_a_deep_chain_under_60_diamonds_is_refused_in_one_pass_over_the_graph():
    """2**60 paths down a chain of 50,000 ops: the refusal counts them in one pass over the graph
    (before, each of the first 65 paths walked the whole chain: about 9 s, now well under one)."""
    w = Value(1.0, label="w")
    v = w
    for _ in range(50_000):
        v = v * 1.0001
    loss = diamonds(v, 60)
    loss.label = "L"
    message = r"^dL/dw is a sum over more than 64 paths; pass max_paths to list more$"
    with pytest.raises(ValueError, match=message):
        explain(loss, w)


def squared(v, count):
    """v squared `count` times as v*v: each square meets v twice, so 2**count paths lead down to v."""
    for _ in range(count):
        v = v * v
    return v


@pytest.mark.parametrize("under", [diamonds, squared])
def test_exactly_max_paths_paths_are_listed_and_one_more_is_refused(under):
    x = Value(1.0001, label="x")
    f = under(x * 1.5, 6)
    f.backward()
    explanation = explain(f, x, max_paths=64)
    assert len(explanation.paths) == 64
    assert explanation.total == pytest.approx(x.grad, rel=1e-12)
    with pytest.raises(ValueError, match=r"^df/dx is a sum over more than 63 paths"):
        explain(f, x, max_paths=63)


def test_a_limit_of_one_path_is_named_as_one():
    x = Value(2.0, label="x")
    with pytest.raises(
        ValueError, match=r"^d\(x\*\*x\)/dx is a sum over more than 1 path; pass max_paths to list more$"
    ):
        explain(x**x, x, max_paths=1)


def test_x_itself_is_one_path_whatever_max_paths_says():
    x = Value(2.0, label="x")
    assert str(explain(x, x, max_paths=0)) == "dx/dx = dx/dx = 1.0000 = 1.0000"


def test_each_factor_lists_the_edges_whose_local_derivatives_it_multiplies():
    ex, error = after_backward()
    for path in explain(error, ex.biases["b1"]).paths:
        for factor in path:
            assert factor.edges
            assert factor.value == pytest.approx(math.prod(node.local_grads[k] for node, k in factor.edges), rel=1e-15)
    w5 = explain(error, ex.weights["w5"]).paths[0]
    net_o1 = w5[-1].edges[0][0]
    assert net_o1.label == "net_o1" and net_o1.children[w5[-1].edges[0][1]] is ex.weights["w5"]


def test_a_repeated_label_is_numbered_past_a_name_another_value_carries_as_its_label():
    a, b, c = Value(2.0, "w"), Value(3.0, "w"), Value(4.0, "w#1")
    e = a * c + b * c
    e.label = "E"
    assert str(explain(e, c)) == (
        "dE/d(w#1), summed over 2 paths:\n"
        "    dE/d((w#2)*(w#1)) * d((w#2)*(w#1))/d(w#1) = 1.0000 * 2.0000 = 2.0000\n"
        "  + dE/d((w#3)*(w#1)) * d((w#3)*(w#1))/d(w#1) = 1.0000 * 3.0000 = 3.0000\n"
        "dE/d(w#1) = 5.0000"
    )  # a was w#1 too, so that a*c read (w#1)*(w#1)


def test_an_unlabelled_x_beside_a_value_labelled_x_is_named_apart_from_it():
    a, b = Value(2.0, "x"), Value(3.0)
    assert str(explain(a * b, b)) == "d(x*(x#1))/d(x#1) = d(x*(x#1))/d(x#1) = 2.0000 = 2.0000"  # was d(x*x)/dx


def test_labels_that_read_alike_on_one_line_are_numbered_as_one_label():
    p, q = Value(1.0, "a\nb"), Value(2.0, "a\\nb")  # a line break, and a backslash and an n: both read a\nb
    e = p * q
    e.label = "E"
    assert str(explain(e, p)) == "dE/d(a\\nb#1) = dE/d(a\\nb#1) = 2.0000 = 2.0000"
    assert str(explain(e, q)) == "dE/d(a\\nb#2) = dE/d(a\\nb#2) = 1.0000 = 1.0000"


def test_over_a_batch_each_examples_values_are_numbered_example_by_example():
    import random

    from nn import MLP, mean_squared_error

    model = MLP(2, [2, 1], rng=random.Random(0))
    [first], [second] = model.forward([0.5, 1.0]), model.forward([1.0, 0.5])
    loss = mean_squared_error([first, second], [1.0, -1.0])
    loss.backward()
    w = model.parameters()[0]  # w1[1,1], which multiplies input 1: 0.5 in the first example, 1.0 in the second
    explanation = explain(loss, w)
    by_path = {path[0].name: path for path in explanation.paths}
    assert sorted(by_path) == ["dE/d(o1#1)", "dE/d(o1#2)"]
    assert by_path["dE/d(o1#1)"][0].value == 2 * (first.data - 1.0) / 2
    assert by_path["dE/d(o1#2)"][0].value == 2 * (second.data + 1.0) / 2
    assert [by_path[f"dE/d(o1#{k})"][-1].value for k in (1, 2)] == [0.5, 1.0]
    assert by_path["dE/d(o1#2)"][-1].name == "d(net_h1_1#2)/dw1[1,1]"
    assert explanation.total == pytest.approx(w.grad, rel=1e-12)


def test_a_label_used_once_keeps_its_name():
    ex, error = after_backward()
    assert "#" not in str(explain(error, ex.weights["w1"]))


@pytest.mark.parametrize(("labelled", "factors"), [(False, 4), (True, 100_000)])
def test_a_chain_of_100_000_ops_is_explained_in_time_linear_in_its_length(labelled, factors):
    """Unlabelled, the chain folds into the factor above its first four values, which are named by
    what they compute; labelled, each of its values is a stop. Either way the one path's factors
    multiply the 100,000 local derivatives, as backward() does, to the bit."""
    x = Value(0.5, label="x")
    v = x
    for k in range(50_000):
        v = v * 1.0001 + 0.1
        if labelled:
            v.label = f"h{k}"
    v.backward()
    explanation = explain(v, x)
    [path] = explanation.paths
    assert len(path) == factors
    assert sum(len(factor.edges) for factor in path) == 100_000
    assert explanation.total == x.grad == pytest.approx(1.0001**50_000, rel=1e-9)
    assert str(explanation).endswith(f"= {x.grad:.4f}")


@pytest.mark.parametrize("max_paths", [None, -1, 2.5, "3", True])
def test_max_paths_is_a_whole_number_of_paths(max_paths):
    x = Value(1.0, label="x")
    with pytest.raises(ValueError, match=r"^explain\(\) needs max_paths as a whole number of paths, 0 or more, got "):
        explain(x * x, x, max_paths=max_paths)


def test_a_value_computed_under_no_grad_is_refused_as_backward_refuses_it():
    from autograd import no_grad

    x = Value(2.0, label="x")
    with no_grad():
        y = x * x
    y.label = "y"
    with pytest.raises(RuntimeError, match=r"^explain\(\) cannot pass gradients back: this value is computed under"):
        explain(y, x)  # not "dy/dx = 0: y does not depend on x"
    with pytest.raises(RuntimeError, match=r"this value depends on the '\*' op labelled 'y', which is computed under"):
        explain(y + x, x)


def test_a_label_is_written_with_its_control_characters_newlines_and_reordering_marks_written_out():
    x = Value(2.0, label="x\u202e1")
    y = x * 3.0
    y.label = "y\r\n"
    shown = "d(y\\x0d\\n)/d(x\\u202e1)"  # each on its line, in its order
    assert str(explain(y, x)) == f"{shown} = {shown} = 3.0000 = 3.0000"


@pytest.mark.parametrize("decimals", [-1, 2.5, "4", True, None])
def test_decimals_that_are_no_count_of_digits_are_refused_when_explain_is_called(decimals):
    x = Value(2.0, label="x")
    with pytest.raises(ValueError, match=r"^explain\(\) needs decimals as a whole number of digits, 0 or more, got "):
        explain(x * 3.0, x, decimals=decimals)


def test_decimals_write_that_many_digits():
    x = Value(2.0, label="x")
    assert str(explain(x / 3.0, x, decimals=0)).endswith("= 0")
    assert str(explain(x / 3.0, x, decimals=17)).endswith(f"= {1 / 3.0:.17f}")


def test_values_without_a_label_take_the_names_given_and_a_label_comes_first():
    a, b = Value(2.0), Value(3.0, label="b")
    c = (a * b).tanh()
    c.label = "c"
    text = str(explain(c, a, names={a: "parameter 1", b: "not b"}))
    path = "dc/d((parameter 1)*b) * d((parameter 1)*b)/d(parameter 1) = "
    assert text.startswith(f"dc/d(parameter 1), along one path:\n    {path}")
    assert explain(c, a).derivative == "dc/dx"
    assert explain(c, a, names={a: "one\nline"}).derivative == "dc/d(one\\nline)"


def test_names_given_are_strings_of_their_own_and_an_empty_one_is_no_name():
    a, b = Value(2.0), Value(3.0, label="b")
    c = (a * b).tanh()
    c.label = "c"
    assert explain(c, a, names={a: ""}).derivative == "dc/dx"
    assert explain(c, a, names={a: "   "}).derivative == "dc/dx"  # blank: no name
    assert explain(c, a, names={Value(1.0): "elsewhere"}).derivative == "dc/dx"  # not in the graph: no name
    with pytest.raises(ValueError, match=r"^names gives Value\(data=2.0, grad=0.0\) the name 'b', which another value"):
        explain(c, a, names={a: "b"})
    p = a * b
    d = (p + a).tanh()
    with pytest.raises(ValueError, match=r"the name 'x', which another value of the graph has too"):
        explain(d, a, names={p: "x", a: "x"})
    assert explain(d, a, names={p: "x"}).derivative == "d(tanh(x + (x#1)))/d(x#1)"  # an unlabelled x, named apart
    assert explain(d, a, names={p: "x", a: "a"}).derivative == "d(tanh(x + a))/da"
    q = a + 1
    e = p * q
    e.label = "e"
    with pytest.raises(ValueError, match=r"the name 'x\*b', which another value of the graph has too"):
        explain(e, a, names={q: "x*b"})  # the name that p, a*b, gets where a is x
    for number in ("5", "(2)", "( (-2.5) )"):  # explain writes an unlabelled leaf so: 2, or (-2.5)
        with pytest.raises(
            ValueError, match=rf"^names gives .* the name '{re.escape(number)}', which reads as a number"
        ):
            explain(e, a, names={q: number})
    assert [f.name for f in explain(e, a, names={q: "(q)"}).paths[1]] == ["de/d(q)", "d(q)/dx"]  # a name in ()
    with pytest.raises(TypeError, match=r"^names gives Value\(data=2.0, grad=0.0\) the name 5 \(int\); a name is a"):
        explain(c, a, names={a: 5})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"^names takes Values to name, got str 'a\*b'"):
        explain(c, a, names={"a*b": "p"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"^names needs a dict from Values to their names, got list"):
        explain(c, a, names=[(a, "p")])  # type: ignore[arg-type]


def test_a_name_is_parenthesised_in_a_derivative_unless_it_is_plain():
    from autograd.notation import in_derivative

    plain = ["w5", "net_h1", "w1[2,3]", "b1[1]", "θ", "(a + b)"]
    assert [in_derivative(name) for name in plain] == plain  # nn's indexed names stay as they are
    others = ["w (a)", "o1#2", "a*b", "w1[", "w1[a]", "w1[]", "w1[1,]", "w1[²]", "x[1][2]", "w1[1]x", "parameter 3"]
    others += ["(a)(b)", "w²", "2w", "x'"]  # w² would read as w squared in dE/dw²
    assert [in_derivative(name) for name in others] == [f"({name})" for name in others]
