import math

import pytest

from autograd import Value, topological_order
from nn import MLP, SGD, Layer, Made, Recorder, record_training, squared_error
from nn.examples import mazur
from nn.recorder import frame_steps
from nn.shares import shares


def test_frames_every_step_for_short_runs_and_sampled_for_long_ones():
    assert frame_steps(5, 300) == [0, 1, 2, 3, 4]
    steps = frame_steps(10_000, 300)
    assert len(steps) == 300
    assert (steps[0], steps[-1]) == (0, 9_999)
    assert steps == sorted(set(steps))


def test_recorded_numbers_equal_the_engines_at_those_steps():
    ex = mazur()
    recording = record_training(
        ex.model, ex.inputs, ex.targets, ex.lr, 40, frozen=ex.frozen, max_frames=7, input_names=ex.input_names
    )
    frames = {f.step: f for f in recording.frames}
    assert sorted(frames) == frame_steps(40, 7)
    fresh = mazur()  # trained independently, compared at every recorded step
    params = fresh.model.parameters()
    optimizer = SGD(params, fresh.lr, frozen=fresh.frozen)
    for step in range(40):
        optimizer.zero_grad()
        made: Made = {}
        error = fresh.backward(made=made)
        if step in frames:
            frame, order = frames[step], topological_order(error)
            assert frame.loss == error.data
            assert frame.value == [p.data for p in params]
            assert frame.pgrad == [p.grad for p in params]
            assert frame.data == [v.data for v in order]
            assert frame.grad == [v.grad for v in order]
            assert frame.local == [local for v in order for local in v.local_grads]
            named = {v.label: v for v in order}
            assert frame.out == [named[n].data for n in ("h1", "h2", "o1", "o2")]
            assert frame.out_grad == [named[n].grad for n in ("h1", "h2", "o1", "o2")]
            assert frame.share == list(shares(fresh.model, made).values())
            assert frame.share == [named[f"net_{n}"].grad for n in ("h1", "h2", "o1", "o2")]  # d(net)/db = 1
        optimizer.step()
    first = frames[0]
    assert round(first.pgrad[[p.label for p in params].index("w5")], 9) == 0.082167041
    assert len(first.share) == 4  # b1 and b2, each on two edges


def test_a_recording_knows_its_targets_and_learning_rate_where_told():
    ex = mazur()
    recording = record_training(ex.model, ex.inputs, ex.targets, ex.lr, 2, frozen=ex.frozen)
    assert (recording.targets, recording.lr) == ([0.01, 0.99], 0.5)
    one = record_training(MLP(2, [1]), [1.0, 2.0], 0.25, 0.1, 1)  # one target, as a number
    assert (one.targets, one.lr) == ([0.25], 0.1)
    recorder = Recorder(ex.model, ex.inputs, 1)
    made: Made = {}
    error = squared_error(ex.model.forward(ex.inputs, made=made), ex.targets)
    error.backward()
    recorder.record(0, error, made)
    assert (recorder.recording.targets, recorder.recording.lr) == (None, None)


def test_the_curve_has_at_most_a_thousand_points_and_the_last_step():
    ex = mazur()
    recording = record_training(ex.model, ex.inputs, ex.targets, ex.lr, 3_000, frozen=ex.frozen)
    steps = [s for s, _ in recording.curve]
    assert len(steps) == 1_001 and steps[0] == 0 and steps[-1] == 2_999


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda ex: Recorder(ex.model, ex.inputs, 0), ValueError, r"needs at least one training step, got steps=0"),
    (lambda ex: Recorder(Layer(2, 2), ex.inputs, 5), TypeError, r"Recorder needs an MLP, got Layer"),  # type: ignore[arg-type]
    (lambda ex: Recorder(ex.model, [math.nan, 0.1], 5), ValueError, r"input 0 is nan; a recording needs finite"),
    (lambda ex: Recorder(ex.model, [0.1], 5), ValueError, r"this model takes 2 inputs, the recording got 1"),
    (lambda ex: Recorder(ex.model, ex.inputs, 5, input_names=["a"]), ValueError, r"got 1 input names for 2 inputs"),
    (lambda ex: Recorder(ex.model, ex.inputs, 5, input_names=["", "b"]), ValueError,
     r"^Recorder needs a name for each input \(the page edits it by that name\), got '' for input 1$"),
    (lambda ex: Recorder(ex.model, ex.inputs, 5, input_names=["a", " "]), ValueError, r"got ' ' for input 2$"),
    (lambda ex: Recorder(ex.model, ex.inputs, 5).recording, ValueError, r"nothing was recorded"),
    (lambda ex: Recorder(ex.model, ex.inputs, 5, targets=[0.1, math.inf]), ValueError, r"target 1 is inf; a record"),
    (lambda ex: Recorder(ex.model, ex.inputs, 5, lr=0), ValueError,
     r"^a recording's learning rate must be positive and finite, got 0$"),
    (lambda ex: Recorder(ex.model, ex.inputs, 5, lr="0.5"), TypeError,  # type: ignore[arg-type]
     r"^a recording's learning rate must be a number, got '0.5' \(str\)$"),
])  # fmt: skip
def test_bad_arguments_are_refused_clearly(make, error, message):
    with pytest.raises(error, match=message):
        make(mazur())


def test_a_non_finite_loss_names_the_step():
    ex = mazur()
    recorder = Recorder(ex.model, ex.inputs, 5)
    made: Made = {}
    recorder.record(0, ex.backward(made=made), made)
    with pytest.raises(ValueError, match=r"the loss is nan at step 1"):
        recorder.record(1, Value(math.nan), made)


def test_a_graph_that_changes_shape_is_refused():
    model = MLP(2, [2, 1])
    recorder = Recorder(model, [0.5, 0.5], 3)
    made: Made = {}
    first = squared_error(model.forward([0.5, 0.5], made=made), [1.0])
    first.backward()
    recorder.record(0, first, made)
    other = squared_error(model.forward([0.5, 0.5], made=made), [1.0]) * 2
    with pytest.raises(ValueError, match=r"the loss's graph changed shape at step 1"):
        recorder.record(1, other, made)


def test_a_refused_update_names_the_step_and_the_parameter():
    model = MLP(1, [1])
    model.parameters()[0].data = 1e154  # the loss is finite (0.5e308), the update is not
    with pytest.raises(
        FloatingPointError,
        match=r"training stopped at step 0 \(error 5e\+307\): SGD.step\(\) refused: parameter 1 of 2 \(w1\[1,1\]\)",
    ):
        record_training(model, [1.0], [0.0], 1e155, 5)


def test_what_the_forward_pass_made_must_be_the_recorded_losss():
    ex = mazur()
    recorder = Recorder(ex.model, ex.inputs, 5)
    with pytest.raises(ValueError, match=r"the forward pass reported no nodes for neuron h1: pass the dict it fills"):
        recorder.record(0, ex.backward(), {})
    elsewhere: Made = {}
    ex.model.forward(ex.inputs, made=elsewhere)
    with pytest.raises(ValueError, match=r"the nodes reported for neuron h1 are not in the loss's graph"):
        recorder.record(0, ex.backward(), elsewhere)
    made: Made = {}
    recorder.record(0, ex.backward(made=made), made)
    assert recorder.recording.made == made and recorder.recording.made is not made  # a copy, kept as it was


def test_the_recorded_outputs_are_the_nodes_the_forward_pass_reported():
    ex = mazur()
    recording = record_training(ex.model, ex.inputs, ex.targets, ex.lr, 1, frozen=ex.frozen)
    neurons = [n for layer in ex.model.layers for n in layer.neurons]
    first = recording.frames[0]
    assert first.out == [recording.made[n].out.data for n in neurons]
    assert first.out_grad == [recording.made[n].out.grad for n in neurons]
    assert [round(x, 9) for x in first.out] == [0.593269992, 0.596884378, 0.75136507, 0.772928465]
    assert set(topological_order(recording.root)) >= {v for f in recording.made.values() for v in f}


def test_a_batch_of_inputs_is_named_as_a_batch_not_as_non_finite_numbers():
    model = MLP(2, [2, 1])
    with pytest.raises(
        ValueError, match=r"^a Recorder draws one example, .* got 2 lists \(a batch\?\): pass the example"
    ):
        Recorder(model, [[1.0, 2.0], [3.0, 4.0]], 2)  # type: ignore[list-item]


def test_a_learning_rate_too_large_for_a_float_says_so():
    with pytest.raises(OverflowError, match=r"^a recording's learning rate needs a number a float can hold: .*10\^400"):
        Recorder(MLP(1, [1]), [1.0], 3, lr=10**400)
