import pytest

from autograd import Value, gradcheck
from nn import binary_cross_entropy, hinge, l2, mean_squared_error, squared_error


@pytest.mark.parametrize(
    ("loss", "outputs", "targets", "expected"),
    [
        (squared_error, [0.75, 0.25], [1.0, 0.0], 0.5 * (0.25**2 + 0.25**2)),
        (mean_squared_error, [0.75, 0.25], [1.0, 0.0], (0.25**2 + 0.25**2) / 2),
        (hinge, [0.5, -2.0, 3.0], [1.0, 1.0, -1.0], (0.5 + 3.0 + 4.0) / 3),
        (binary_cross_entropy, [0.8, 0.4], [1.0, 0.0], (0.2231435513142097 + 0.5108256237659907) / 2),
    ],
)
def test_losses_value_and_gradient(loss, outputs, targets, expected):
    assert loss([Value(o) for o in outputs], targets).data == pytest.approx(expected, rel=1e-12)
    assert gradcheck(lambda *os: loss(list(os), targets), [o + 0.01 for o in outputs])


def test_l2_penalty():
    ps = [Value(1.0), Value(-2.0)]
    penalty = l2(ps, 1e-4)
    penalty.backward()
    assert penalty.data == pytest.approx(5e-4)
    assert [p.grad for p in ps] == [2e-4, -4e-4]


def test_loss_errors():
    with pytest.raises(ValueError, match=r"one target per output, got 2 outputs and 1 targets"):
        squared_error([Value(1.0), Value(2.0)], [1.0])
    with pytest.raises(ValueError, match=r"strictly between 0 and 1, got 1\.0"):
        binary_cross_entropy(Value(1.0), 1.0)
