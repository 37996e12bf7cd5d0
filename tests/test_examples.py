import pytest

from nn.examples import mazur, worked_example


def test_mazurs_network_is_wired_as_the_article_draws_it():
    ex = mazur()
    hidden, output = ex.model.layers
    assert [[w.label for w in n.w] for n in hidden.neurons] == [["w1", "w2"], ["w3", "w4"]]
    assert [[w.label for w in n.w] for n in output.neurons] == [["w5", "w6"], ["w7", "w8"]]
    assert hidden.neurons[0].b is hidden.neurons[1].b is ex.biases["b1"]
    assert [n.name for n in output.neurons] == ["o1", "o2"]
    assert (ex.inputs, ex.targets, ex.lr, ex.input_names) == ([0.05, 0.10], [0.01, 0.99], 0.5, ["i1", "i2"])
    assert ex.frozen == [ex.biases["b1"], ex.biases["b2"]]  # the article leaves its biases alone


def test_the_worked_examples_network_is_wired_as_its_text_says():
    ex = worked_example()
    hidden, output = ex.model.layers
    assert [[w.label for w in n.w] for n in hidden.neurons] == [["w1", "w3", "w5"], ["w2", "w4", "w6"]]
    assert [[w.label for w in n.w] for n in output.neurons] == [["w7", "w9"], ["w8", "w10"]]
    assert [ex.weights[f"w{i}"].data for i in range(1, 11)] == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.1]
    assert ex.frozen == []


def test_backward_returns_the_error_with_labelled_inputs_and_fills_the_grads():
    ex = mazur()
    error = ex.backward()
    assert error.label == "E"
    assert round(error.data, 9) == 0.298371109
    assert round(ex.weights["w5"].grad, 9) == 0.082167041
    with pytest.raises(ValueError, match="one target per output"):
        ex.backward(targets=[0.5])


def test_a_recorder_for_the_articles_run():
    ex = mazur()
    recorder = ex.recorder(3, "title")
    assert (recorder.steps, recorder.title, recorder.input_names, recorder.frozen) == (
        3,
        "title",
        ["i1", "i2"],
        set(ex.frozen),
    )
