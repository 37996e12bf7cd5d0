import json
import random

import pytest

from nn import MLP, load, save
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
