import json
import random

import pytest

from nn import MLP, Neuron, load, save
from nn.examples import worked_example


def test_save_and_load_round_trip_bit_for_bit(tmp_path):
    model = MLP(2, [4, 1], rng=random.Random(1))
    for p in model.parameters():
        p.data = p.data / 3.0 + 1e-17
    path = tmp_path / "model.json"
    save(model, path)
    other = MLP(2, [4, 1], rng=random.Random(2))
    load(other, path)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert [p.label for p in worked_example().model.parameters()][:3] == ["w1", "w3", "w5"]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_load_refuses_wrong_files(tmp_path):
    model = MLP(2, [4, 1])
    path = tmp_path / "model.json"
    save(model, path)
    with pytest.raises(ValueError, match=r"holds a model of shape \[2, 4, 1\], this one is \[2, 3, 1\]"):
        load(MLP(2, [3, 1]), path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match="not a parameter file: not valid JSON"):
        load(model, path)
    path.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ValueError, match="not a parameter file"):
        load(model, path)
    document = json.loads(text)
    document["parameters"] = document["parameters"][:-1]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="has 16 parameters, the model has 17"):
        load(model, path)


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    model = MLP(2, [1])
    path = tmp_path / "model.json"
    save(model, path)
    before = path.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("nn.io.json.dump", crash)
    with pytest.raises(OSError, match="disk full"):
        save(MLP(2, [1]), path)
    assert path.read_text() == before
    assert list(tmp_path.iterdir()) == [path]


def test_save_refuses_non_finite(tmp_path):
    model = MLP(1, [1])
    model.parameters()[0].data = float("nan")
    with pytest.raises(ValueError, match="cannot save parameter 0"):
        save(model, tmp_path / "m.json")


def test_swapped_arguments_say_which_comes_first(tmp_path):
    model = MLP(2, [1])
    for call in (save, load):
        with pytest.raises(TypeError, match=rf"{call.__name__}\(module, path\) takes the model first"):
            call(tmp_path / "m.json", model)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"save\(module, path\) needs an nn module \(such as an MLP\) first, got list"):
        save(model.parameters(), tmp_path / "m.json")  # type: ignore[arg-type]


def test_saving_into_a_missing_folder_names_the_folder(tmp_path):
    target = tmp_path / "missing" / "m.json"
    with pytest.raises(FileNotFoundError, match=rf"cannot save to {target}: the folder {target.parent} does not exist"):
        save(MLP(2, [1]), target)


def test_the_file_records_activations_and_load_refuses_others(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [3, 1], rng=random.Random(0)), path)
    document = json.loads(path.read_text())
    assert document["version"] == 2
    assert document["activations"] == ["relu", "relu", "relu", "linear"]
    with pytest.raises(
        ValueError, match=r"holds a model with activations relu x3, linear, this one has tanh x3, linear"
    ):
        load(MLP(2, [3, 1], activation="tanh"), path)
    del document["activations"]  # a version 1 file
    path.write_text(json.dumps(document))
    load(MLP(2, [3, 1], activation="tanh"), path)


def test_the_file_reads_one_field_a_line_with_labels(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(1, [1], rng=random.Random(0)), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('{\n "format": "chainrule-parameters",\n "version": 2,\n "shape": [\n  1,\n  1\n ],')
    assert json.loads(text)["labels"] == ["w1[1,1]", "b1[1]"]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (None, "has no parameters, the model has 3"),
        ("1.0, 2.0, 3.0", "has no parameters, the model has 3"),
        ([1.0, "2.0", 3.0], "has parameters that are not numbers"),
        ([1.0, None, 3.0], "has parameters that are not numbers"),
        ([1.0, True, 3.0], "has parameters that are not numbers"),
    ],
)
def test_load_refuses_parameters_that_are_missing_or_not_numbers(tmp_path, parameters, message):
    model = MLP(2, [1], rng=random.Random(0))
    path = tmp_path / "m.json"
    save(model, path)
    document = json.loads(path.read_text())
    if parameters is None:
        del document["parameters"]
    else:
        document["parameters"] = parameters
    path.write_text(json.dumps(document))
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=rf"^{path} {message}$"):
        load(model, path)
    assert [p.data for p in model.parameters()] == before


def test_whole_numbers_load_as_floats(tmp_path):
    model = MLP(2, [1], rng=random.Random(0))
    path = tmp_path / "m.json"
    save(model, path)
    document = json.loads(path.read_text())
    document["parameters"] = [1, -2, 3]
    path.write_text(json.dumps(document))
    load(model, path)
    assert [(p.data, type(p.data)) for p in model.parameters()] == [(1.0, float), (-2.0, float), (3.0, float)]


def test_the_temporary_file_is_made_beside_the_target(tmp_path, monkeypatch):
    """So that the final rename stays on one file system, where it is atomic."""
    seen: list[list[str]] = []

    def look(document, file, **kwargs):
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        raise OSError("stop here")

    monkeypatch.setattr("nn.io.json.dump", look)
    with pytest.raises(OSError, match="stop here"):
        save(MLP(2, [1]), tmp_path / "m.json")
    [names] = seen
    assert len(names) == 1 and names[0].startswith(".m.json.") and names[0].endswith(".tmp")
    assert list(tmp_path.iterdir()) == []


def test_an_unnamed_non_finite_parameter_is_called_unnamed(tmp_path):
    neuron = Neuron.from_values([1.0], float("inf"))
    with pytest.raises(ValueError, match=r"^cannot save parameter 1 \(unnamed\): its value is inf$"):
        save(neuron, tmp_path / "m.json")


def test_two_paths_and_no_model_is_not_called_swapped(tmp_path):
    with pytest.raises(TypeError, match=r"needs an nn module \(such as an MLP\) first, got str"):
        save("a.json", "b.json")  # type: ignore[arg-type]
    model = MLP(2, [1])
    with pytest.raises(TypeError, match=r"save\(model, 'm.json'\)"):
        save("m.json", model)  # type: ignore[arg-type]


def test_two_activations_in_a_row_read_x2(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [2, 1], rng=random.Random(0)), path)
    with pytest.raises(ValueError, match=r"activations relu x2, linear, this one has tanh x2, linear"):
        load(MLP(2, [2, 1], activation="tanh"), path)
