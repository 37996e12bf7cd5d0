"""bench.calibration's sketch computes what chainrule computes, so that its time is a fair ceiling."""

from bench.calibration import Node, SketchMLP, chainrule_model, layer, same_numbers, sketch_epoch
from bench.run import micrograd_idiom


def test_the_sketch_gives_chainrules_loss_and_gradients_to_the_bit():
    assert same_numbers()


def test_three_epochs_of_the_sketch_and_of_chainrule_leave_the_same_parameters():
    model = chainrule_model()
    sketch = SketchMLP(model)
    epochs = [micrograd_idiom(model), micrograd_idiom(sketch)]
    for _ in range(3):
        for epoch in epochs:
            epoch()
    assert [p.data for p in model.parameters()] == [p.data for p in sketch.parameters()]
    assert [p.data for p in model.parameters()] != [p.data for p in chainrule_model().parameters()]
    sketch_epoch()()  # the workload bench.calibration times runs


def test_the_sketch_layer_makes_dot_and_relu_nodes():
    w, b = [Node(2.0), Node(-1.0)], Node(0.5)
    x = [Node(1.0), Node(3.0)]
    (out,) = layer([w], x, [b], relu=True)
    net = out.children[0]
    assert (net.data, out.data, out.local_grads) == (-0.5, 0.0, (0.0,))
    assert net.children == (b, *w, *x) and net.local_grads == (1.0, 1.0, 3.0, 2.0, -1.0)
    (linear,) = layer([w], [1.0, 3.0], [b], relu=False)
    assert (linear.data, linear.children, linear.local_grads) == (-0.5, (b, *w), (1.0, 1.0, 3.0))
    out = (net * 2.0 + net).relu()
    out.backward()
    assert (net.grad, w[0].grad, x[1].grad) == (0.0, 0.0, 0.0)
    y = net * net + 1.0
    y.backward()
    assert (net.grad, w[1].grad, x[0].grad) == (-1.0, -3.0, -2.0)
