import random

import pytest

from autograd import Value, topological_order
from nn import MLP, Layer, Made, Neuron, Recorder, TrainingView, squared_error
from nn.reported import reported_nodes

EXAMPLES = [[0.5, -2.0], [1.5, 0.25]]


def tied_model() -> MLP:
    model = MLP(2, [2, 1], activation="tanh", rng=random.Random(3))
    first, second = model.layers[0].neurons
    second.w[0] = first.w[0]
    return model


def batch_loss(model: MLP, made: Made, shown: int | None) -> Value:
    """The loss over both examples; made filled by example `shown` alone, or by both (None)."""
    outputs = [model.forward(x, made=made if shown in (None, i) else None)[0] for i, x in enumerate(EXAMPLES)]
    loss = squared_error(outputs, [0.25, -0.5])
    loss.backward()
    return loss


def test_the_nodes_of_the_example_shown_are_given_in_the_models_order():
    model = tied_model()
    made: Made = {}
    loss = batch_loss(model, made, shown=1)
    fired = reported_nodes(model, made, set(topological_order(loss)), EXAMPLES[1])
    assert fired == [made[n] for layer in model.layers for n in layer.neurons]
    assert reported_nodes(model, made, None, EXAMPLES[1]) == fired


def test_a_batch_made_fills_with_another_example_than_the_one_shown_is_refused_saying_how():
    model = tied_model()
    made: Made = {}
    loss = batch_loss(model, made, shown=None)  # made keeps each neuron's latest firing: the second example's
    with pytest.raises(ValueError, match=r"^the first layer read the inputs \[1.5, 0.25\] in the forward pass that "
                       r"filled made, but the view shows \[0.5, -2.0\]: give the view the inputs the network reads, "
                       r"and fill made in that example's forward pass alone"):  # fmt: skip
        reported_nodes(model, made, set(topological_order(loss)), EXAMPLES[0])
    recorder = Recorder(model, EXAMPLES[0], 2)
    with pytest.raises(ValueError, match=r"^the first layer read the inputs \[1.5, 0.25\] in the forward pass"):
        recorder.record(0, loss, made)
    Recorder(model, EXAMPLES[1], 2).record(0, loss, made)  # the example it holds


def test_nodes_of_a_forward_pass_of_their_own_are_refused():
    model = tied_model()
    loss = batch_loss(model, {}, shown=0)
    made: Made = {}
    model.forward(EXAMPLES[0], made=made)  # not the loss's: its grads are 0
    with pytest.raises(ValueError, match=r"^the nodes reported for neuron h1_1 are not in the loss's graph"):
        reported_nodes(model, made, set(topological_order(loss)), EXAMPLES[0])
    model.layers[0].neurons[0].name = ""
    with pytest.raises(ValueError, match=r"^the nodes reported for neuron TanhNeuron\(2\) are not in the loss's"):
        reported_nodes(model, made, set(topological_order(loss)), EXAMPLES[0])


def test_a_neuron_that_makes_its_net_input_its_own_way_is_not_read_for_inputs():
    class Twice(Neuron):
        def fire(self, inputs, *, made=None):
            net = sum((2 * x * w for x, w in zip(inputs, self.w, strict=True)), self.b)
            return self.fired(net, net.tanh(), made)

    model = MLP.from_layers([Layer.from_neurons([Twice(2, name="t")])])
    made: Made = {}
    model.forward(EXAMPLES[1], made=made)
    assert reported_nodes(model, made, None, EXAMPLES[0]) == [made[model.layers[0].neurons[0]]]


def test_a_training_view_draws_shares_only_from_the_losss_own_pass_on_its_example():
    model = tied_model()
    view = TrainingView(model, EXAMPLES[0], steps=3)
    made: Made = {}
    loss = batch_loss(model, made, shown=None)
    with pytest.raises(ValueError, match=r"^the first layer read the inputs \[1.5, 0.25\] in the forward pass"):
        view.update(0, loss, made)
    own: Made = {}
    model.forward(EXAMPLES[0], made=own)
    with pytest.raises(ValueError, match=r"^the nodes reported for neuron h1_1 are not in the loss's graph"):
        view.update(0, loss, own)
    made = {}
    loss = batch_loss(model, made, shown=0)
    view.update(0, loss, made)
    assert view.drawn == 0
    plain = TrainingView(MLP(2, [2, 1], rng=random.Random(1)), EXAMPLES[0], steps=1)
    plain.update(0, loss, own)  # a model that shares nothing reads no shares from made
    assert plain.drawn == 0


def test_inputs_the_network_computes_from_the_example_are_the_ones_a_view_shows():
    model = tied_model()
    made: Made = {}
    xs = [Value(4.0, label="x1") / 2, Value(-6.0, label="x2") / 2]
    loss = squared_error(model.forward(xs, made=made), [0.3])
    loss.backward()
    with pytest.raises(
        ValueError, match=r"read the inputs \[2.0, -3.0\] .* but the view shows \[4.0, -6.0\]: give the"
    ):
        Recorder(model, [4.0, -6.0], 3).record(0, loss, made)
    Recorder(model, [2.0, -3.0], 3).record(0, loss, made)


def test_a_refused_record_or_update_changes_nothing():
    model = tied_model()
    recorder = Recorder(model, EXAMPLES[0], 3)
    made: Made = {}
    loss = batch_loss(model, made, shown=0)
    recorder.record(0, loss, made)
    wrong: Made = {}
    later = batch_loss(model, wrong, shown=None)
    with pytest.raises(ValueError, match=r"^the first layer read the inputs \[1.5, 0.25\]"):
        recorder.record(1, later, wrong)
    assert [step for step, _ in recorder.recording.curve] == [0]
    assert [frame.step for frame in recorder.recording.frames] == [0]
    made = {}
    recorder.record(1, batch_loss(model, made, shown=0), made)
    assert [step for step, _ in recorder.recording.curve] == [0, 1]
    view = TrainingView(model, EXAMPLES[0], steps=3)
    with pytest.raises(TypeError, match=r"^update\(\) reads the shares of w1\[1,1\] at 2 places from made: pass "
                       r"the loss Value itself, not 0\.\d+, so that made can be checked"):  # fmt: skip
        view.update(0, later.data, made)
    assert (view.step, view.curve, view.drawn) == (None, [], None)
