import pytest

from autograd import GradcheckError, Value, gradcheck


def test_gradcheck_lists_every_input_that_disagrees():
    def wrong(x: Value, y: Value, z: Value) -> Value:
        return x * y + z.relu()  # relu's kink at z = 0 fools finite differences

    try:
        gradcheck(lambda x, y, z: wrong(x, y, z) + x.relu() * 0 + y.relu(), [1.0, 0.0, 0.0])
    except GradcheckError as error:
        message = str(error)
    else:
        raise AssertionError("gradcheck accepted wrong gradients")
    assert "input 1 (x=0.0)" in message
    assert "input 2 (x=0.0)" in message
    assert "input 0" not in message
    assert not gradcheck(lambda x: x.relu(), [0.0], raise_exception=False)


def test_inputs_may_be_values():
    assert gradcheck(lambda x, y: x * y.exp(), [Value(1.5), 0.5])


@pytest.mark.parametrize("bad", [Value(2.0), 3.0, None])
def test_gradcheck_needs_a_function(bad):
    with pytest.raises(
        TypeError, match=r"gradcheck\(f, inputs\) needs a function that builds a Value from Values, got "
    ):
        gradcheck(bad, [1.0])
