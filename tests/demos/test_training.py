import pytest

from demos.training import progress, train
from nn import MLP


def test_train_steps_with_a_learning_rate_falling_from_1_to_0_1_and_notes_the_loss_after_the_last():
    model = MLP(1, [1])
    bias = model.layers[0].neurons[0].b
    bias.data = 10.0
    calls = []

    def loss_and_accuracy(m: MLP):
        calls.append(bias.data)
        return bias * 1.0, 0.25  # dE/db = 1: each step takes the learning rate off the bias

    report = train(model, loss_and_accuracy, steps=10, quiet=True)
    rates = [1.0 - 0.9 * k / 10 for k in range(10)]
    assert report.losses == calls[:10]
    assert sum(rates) == pytest.approx(5.95)
    assert calls[-1] == pytest.approx(10.0 - sum(rates), abs=1e-12)
    assert report.notes == [
        "After all 10 updates (each step line above gives the loss before that step's update): "
        "loss 4.0500, training accuracy 25%"
    ]


def test_progress_prints_every_tenth_step_and_the_last_when_the_output_is_not_a_terminal(capsys):
    for step in range(1, 24):
        progress(step, 23, f"loss {step}")
    assert capsys.readouterr().out.splitlines() == [
        "step  10/23  loss 10",
        "step  20/23  loss 20",
        "step  23/23  loss 23",
    ]
