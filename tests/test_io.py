import errno
import json
import math
import os
import random
import re
import socket
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import nn
from autograd import Value
from nn import MLP, Layer, Module, Neuron, load, save
from nn.examples import mazur, worked_example


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
    with pytest.raises(
        ValueError,
        match=rf"^{re.escape(str(path))} holds a model of shape \[2, 4, 1\], this one is \[2, 3, 1\]; "
        rf"load\({re.escape(repr(str(path)))}\) alone builds the model it holds$",
    ):
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


def test_save_and_load_take_the_model_by_the_name_their_messages_give_it(tmp_path):
    model = MLP(2, [1])
    save(model=model, path=tmp_path / "m.json")
    other = MLP(2, [1])
    assert load(model=other, path=tmp_path / "m.json") is other
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    built = load(path=tmp_path / "m.json")  # as load("m.json") builds it
    assert [p.data for p in built.parameters()] == [p.data for p in model.parameters()]
    with pytest.raises(
        TypeError,
        match=r"^load\(\) needs a path: load\('m\.json'\) builds the model it records, load\(model, 'm\.json'\) sets "
        r"a model's parameters$",
    ):
        load()  # type: ignore[call-overload]
    with pytest.raises(
        TypeError, match=r"^save\(model, path\) needs the model as well as the path: save\(model, '.*m\.json'\)$"
    ):
        save(tmp_path / "m.json")


def test_swapped_arguments_say_which_comes_first(tmp_path):
    model = MLP(2, [1])
    for call in (save, load):
        name = call.__name__
        with pytest.raises(
            TypeError, match=rf"^{name}\(model, path\) takes the model first: {name}\(model, '.*m\.json'\)$"
        ):
            call(tmp_path / "m.json", model)  # type: ignore[arg-type, call-overload]
    with pytest.raises(TypeError, match=r"^save\(model, path\) needs an nn model \(such as an MLP\) first, got list$"):
        save(model.parameters(), tmp_path / "m.json")  # type: ignore[arg-type]


def test_saving_into_a_missing_folder_names_the_folder(tmp_path):
    target = tmp_path / "missing" / "m.json"
    with pytest.raises(FileNotFoundError, match=rf"cannot save to {target}: the folder {target.parent} does not exist"):
        save(MLP(2, [1]), target)


def test_the_file_records_activations_and_load_refuses_others(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [3, 1], rng=random.Random(0)), path)
    document = json.loads(path.read_text())
    assert document["version"] == 3
    assert document["activations"] == ["relu", "relu", "relu", "linear"]
    with pytest.raises(
        ValueError,
        match=r"holds a model with activations relu x3, linear, this one has tanh x3, linear; "
        r"load\('.*m\.json'\) alone builds the model it holds$",
    ):
        load(MLP(2, [3, 1], activation="tanh"), path)
    assert load(path).activations() == ["relu", "relu", "relu", "linear"]  # as the message says
    del document["activations"]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=rf"^{path} has no activations: a version 3 parameter file lists them$"):
        load(MLP(2, [3, 1], activation="tanh"), path)
    document["version"] = 1  # a file of version 1, written before activations were
    path.write_text(json.dumps(document))
    load(MLP(2, [3, 1], activation="tanh"), path)
    with pytest.raises(ValueError, match=r"holds a model of shape \[2, 3, 1\], this one is \[2, 4, 1\]$"):
        load(MLP(2, [4, 1]), path)  # which load(path) cannot build: the file does not say the activations


class Squared(Neuron):
    """A neuron of one's own: its net input squared."""

    def activate(self, net: Value) -> Value:
        return net * net


def test_load_suggests_load_path_only_where_it_builds_the_model(tmp_path):
    shared = tmp_path / "mazur.json"
    save(worked_example().model, shared)  # a bias shared per layer, which load(path) builds too
    builds = re.escape(f"; load({str(shared)!r}) alone builds the model it holds")
    with pytest.raises(ValueError, match=rf"holds a model of shape \[3, 2, 2\], this one is \[2, 3, 2\]{builds}$"):
        load(MLP(2, [3, 2]), shared)
    own = tmp_path / "own.json"
    save(MLP.from_layers([Layer.from_neurons([Squared(2), Squared(2)]), Layer(2, 1, "linear")]), own)
    with pytest.raises(ValueError, match=r"holds a model with activations Squared x2, linear, this one has .*linear$"):
        load(MLP(2, [2, 1]), own)  # a neuron class of one's own, which load(path) cannot know


def test_the_file_reads_one_field_a_line_with_labels(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(1, [1], rng=random.Random(0)), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('{\n "format": "chainrule-parameters",\n "version": 3,\n "shape": [\n  1,\n  1\n ],')
    assert json.loads(text)["labels"] == ["w1[1,1]", "b1[1]"]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (None, " has no parameters, the model has 3"),
        ("1.0, 2.0, 3.0", ' has parameters "1.0, 2.0, 3.0", not a list of numbers'),
        ([1.0, "2.0", 3.0], r': parameter 1 \(w1\[1,2\]\) is "2.0", not a number'),
        ([1.0, 2.0, None], r": parameter 2 \(b1\[1\]\) is null, not a number"),
        ([True, 2.0, 3.0], r": parameter 0 \(w1\[1,1\]\) is true, not a number"),
        ([1.0, [2.0], 3.0], r": parameter 1 \(w1\[1,2\]\) is \[2.0\], not a number"),
        ([None, "2.0", 3.0], r": parameter 0 \(w1\[1,1\]\) is null, not a number"),  # the first of two
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
    with pytest.raises(ValueError, match=rf"^{path}{message}$"):
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
    assert len(names) == 1 and re.fullmatch(r"\.m\.json\.[0-9a-f]{8}\.tmp", names[0])
    assert list(tmp_path.iterdir()) == []


def test_an_unnamed_non_finite_parameter_is_called_unnamed(tmp_path):
    neuron = Neuron.from_values([1.0], float("inf"))
    with pytest.raises(
        ValueError, match=rf"^cannot save parameter 1 \(unnamed\) to {tmp_path}/m.json: its value is inf$"
    ):
        save(neuron, tmp_path / "m.json")


def test_two_paths_and_no_model_is_not_called_swapped(tmp_path):
    with pytest.raises(TypeError, match=r"needs an nn model \(such as an MLP\) first, got str"):
        save("a.json", "b.json")  # type: ignore[arg-type]
    model = MLP(2, [1])
    with pytest.raises(TypeError, match=r"save\(model, 'm.json'\)"):
        save("m.json", model)  # type: ignore[arg-type]


def test_two_activations_in_a_row_read_x2(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [2, 1], rng=random.Random(0)), path)
    with pytest.raises(ValueError, match=r"activations relu x2, linear, this one has tanh x2, linear"):
        load(MLP(2, [2, 1], activation="tanh"), path)


# -- load: strict numbers, every field checked before any parameter is set, the file named --------


def saved_text(tmp_path, model=None):
    """A model of three parameters (w1[1,1], w1[1,2], b1[1]) saved, and the file's text."""
    model = model or MLP(2, [1], rng=random.Random(0))
    path = tmp_path / "m.json"
    save(model, path)
    return model, path, path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("NaN", "NaN, which JSON does not have: a parameter is a finite number"),
        ("Infinity", "Infinity, which JSON does not have: a parameter is a finite number"),
        ("-Infinity", "-Infinity, which JSON does not have: a parameter is a finite number"),
        ("1e999", r"a number too large for a float \(beyond ±1.8e308, it reads as ±inf\)"),
        ("-1e999", r"a number too large for a float \(beyond ±1.8e308, it reads as ±inf\)"),
        ("1" + "0" * 400, r"a number too large for a float \(beyond ±1.8e308, it reads as ±inf\)"),
    ],
)
def test_load_refuses_numbers_that_are_not_finite_naming_the_parameter(tmp_path, written, problem):
    model, path, text = saved_text(tmp_path)
    document = json.loads(text)
    last = repr(document["parameters"][-1])
    path.write_text(text.replace(f"  {last}\n", f"  {written}\n"))
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=rf"^{path}: parameter 2 \(b1\[1\]\) is {problem}$"):
        load(model, path)
    assert [p.data for p in model.parameters()] == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 4}, "is a version 4 parameter file, from a newer chainrule; this chainrule reads versions 1 to 3"),
        ({"version": 0}, "has version 0; a parameter file has a version from 1 to 3"),
        ({"version": "2"}, 'has version "2"; a parameter file has a version from 1 to 3'),
        ({"version": 2.0}, "has version 2.0; a parameter file has a version from 1 to 3"),
        ({"version": True}, "has version true; a parameter file has a version from 1 to 3"),
        ({"version": None}, "has no version; a parameter file has a version from 1 to 3"),
        ({"shared": None}, "has no shared: a version 3 parameter file lists them"),
        ({"shared": [[1, 2, 3]]}, r"has shared \[\[1, 2, 3\]\], not a list of \[place, parameter\] pairs"),
        (
            {"shared": [[2, 0]]},
            r"holds a model that shares parameters otherwise than this one \(the file: place 2 holds parameter 0; "
            r"this one: none shared\).*",
        ),
        ({"format": "other"}, 'is not a parameter file: no "format": "chainrule-parameters" in it'),
        ({"extra": 1}, "has fields a parameter file does not have: 'extra'"),
        ({"extra": 1, "more": 2}, "has fields a parameter file does not have: 'extra', 'more'"),
        ({"shape": [2.0, 1]}, r"has shape \[2.0, 1\], not a list of whole numbers"),
        ({"shape": [2, 2]}, r"holds a model of shape \[2, 2\], this one is \[2, 1\]"),  # which load(path) cannot build
        ({"activations": "linear"}, 'has activations "linear", not a list of names such as "relu"'),
        ({"activations": ["relu"]}, r"holds a model with activations relu, this one has linear; load\('.*'\) alone .*"),
        ({"labels": "w"}, 'has labels "w", not a list of strings'),
        ({"labels": "poids é"}, 'has labels "poids é", not a list of strings'),  # as written, not \\u00e9
        ({"labels": "w" * 38}, 'has labels "w{38}", not a list of strings'),  # 40 characters, shown whole
        ({"labels": "w" * 39}, r'has labels "w{36}\.\.\., not a list of strings'),  # 41, cut to 37 and ...
        ({"labels": ["a", "b"]}, "has 2 labels for 3 parameters"),
        ({"labels": ["a", "b", 3]}, ": label 2 is 3, not a string"),
        ({"parameters": [1.0, 2.0]}, "has 2 parameters, the model has 3"),
    ],
)
def test_every_field_is_checked_before_any_parameter_is_set(tmp_path, change, message):
    """The file's parameters are good (and differ from the model's); one other field is wrong."""
    model, path, text = saved_text(tmp_path)
    document = json.loads(text)
    document["parameters"] = [0.5, 0.25, 0.125]
    document.update(change)
    for field in ("version", "shared"):
        if field in change and change[field] is None:
            del document[field]
    path.write_text(json.dumps(document))
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=rf"^{path}{'' if message.startswith(':') else ' '}{message}$"):
        load(model, path)
    assert [p.data for p in model.parameters()] == before


def test_an_unnamed_parameter_that_is_not_a_number_is_named_by_its_index_only(tmp_path):
    neuron, path, text = saved_text(tmp_path, Neuron.from_values([1.0], 0.5))
    path.write_text(json.dumps(json.loads(text) | {"parameters": [1.0, "x"]}), encoding="utf-8")
    with pytest.raises(ValueError, match=rf'^{path}: parameter 1 is "x", not a number$'):
        load(neuron, path)


def test_a_file_without_labels_loads(tmp_path):
    model, path, text = saved_text(tmp_path)
    document = json.loads(text)
    del document["labels"]
    document["parameters"] = [0.5, 0.25, 0.125]
    path.write_text(json.dumps(document))
    load(model, path)
    assert [p.data for p in model.parameters()] == [0.5, 0.25, 0.125]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda path: None, FileNotFoundError),  # no file
        (lambda path: path.mkdir(), IsADirectoryError),
        (lambda path: path.write_bytes(b'{"format": "\xff"}'), ValueError),  # not UTF-8
        (lambda path: path.write_text(""), ValueError),
        (lambda path: path.write_text("[1, 2]"), ValueError),
        (lambda path: path.write_text('{"format": "chainrule-parameters", "format": "x"}'), ValueError),
        (lambda path: path.write_text('{"version": 2} {}'), ValueError),
        (lambda path: path.write_text('{"version": 2, "shape": [' + "[" * 100_000 + "]" * 100_000 + "]}"), ValueError),
    ],
)
def test_every_error_names_the_file(tmp_path, make, error):
    model = MLP(2, [1], rng=random.Random(0))
    path = tmp_path / "m.json"
    make(path)
    before = [p.data for p in model.parameters()]
    with pytest.raises(error) as raised:
        load(model, path)
    assert str(path) in str(raised.value)
    assert [p.data for p in model.parameters()] == before


@pytest.mark.parametrize(("newline", "char"), [("\n", 52), ("\r\n", 55)])
def test_an_error_says_where_in_the_file_it_is(tmp_path, newline, char):
    """As json places it in the file's text, whose line ends are read as they are."""
    model, path, text = saved_text(tmp_path)
    path.write_bytes(text.replace('"version": 3,', '"version": 3').replace("\n", newline).encode())
    with pytest.raises(json.JSONDecodeError) as by_json:
        json.loads(path.read_bytes().decode())
    where = f"line {by_json.value.lineno} column {by_json.value.colno} (char {by_json.value.pos})"
    assert where == f"line 4 column 2 (char {char})"
    with pytest.raises(ValueError) as error:
        load(model, path)
    assert str(error.value) == f"{path} is not a parameter file: not valid JSON (Expecting ',' delimiter: {where})"


def test_a_large_file_loads_bit_for_bit_through_many_chunks(tmp_path, monkeypatch):
    """Read 4 KB at a time, the file of a model of 4,353 parameters is read in about 40 pieces."""
    monkeypatch.setattr("nn.json_reader.CHUNK", 4096)
    model = MLP(64, [64, 1], rng=random.Random(3))
    for k, p in enumerate(model.parameters()):
        p.label = f"p{k}"
    path = tmp_path / "m.json"
    save(model, path)
    assert path.stat().st_size > 30 * 4096
    other = MLP(64, [64, 1], rng=random.Random(4))
    load(other, path)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert [(p.data, p.label) for p in load(path).parameters()] == [(p.data, p.label) for p in model.parameters()]


def test_load_reads_a_file_in_less_memory_than_the_file_takes(tmp_path, monkeypatch):
    """It keeps the parameters as doubles and of the labels only that they are strings; the file
    here is read whole before its shape is found not to be the model's."""
    monkeypatch.setattr("nn.json_reader.CHUNK", 1 << 16)
    count = 100_000
    path = tmp_path / "m.json"
    document = {"format": "chainrule-parameters", "version": 2, "shape": [count - 1], "activations": ["linear"]}
    document |= {"labels": [f"w{k}" for k in range(count)], "parameters": [k / 7 for k in range(count)]}
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"holds a model of shape \[99999\], this one is \[2\]"):
            load(Neuron(2), path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < path.stat().st_size / 2


def test_load_reads_utf8_whatever_the_locale(tmp_path):
    """A label written by hand in UTF-8 reads the same where the locale's encoding is ASCII."""
    _, path, text = saved_text(tmp_path)
    path.write_text(text.replace('"w1[1,1]"', '"poids é"'), encoding="utf-8")
    assert load(path).parameters()[0].label == "poids é"
    ascii_locale = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    code = f"from nn import load; assert load({str(path)!r}).parameters()[0].label == 'poids \\xe9'"
    env = os.environ | ascii_locale | {"PYTHONPATH": str(Path(nn.__file__).parents[1])}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


# -- save: permissions, symbolic links, the temporary file, syncing -----------------------------


def test_save_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [1]), path)
    path.chmod(0o640)
    save(MLP(2, [1]), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    path.chmod(0o604)
    save(MLP(2, [1]), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_permissions_open_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        save(MLP(2, [1]), tmp_path / "m.json")
        (tmp_path / "by-open.json").write_text("{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "m.json").stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE((tmp_path / "by-open.json").stat().st_mode) == 0o666 & ~umask


def test_save_writes_through_a_symbolic_link_which_stays_a_link(tmp_path):
    (tmp_path / "models").mkdir()
    real = tmp_path / "models" / "m.json"
    link = tmp_path / "latest.json"
    link.symlink_to(os.path.join("models", "m.json"))  # a relative link, to a file not there yet
    model = MLP(2, [1], rng=random.Random(0))
    save(model, link)
    assert link.is_symlink() and real.is_file() and not real.is_symlink()
    model.parameters()[0].data = 0.75
    save(model, link)
    assert link.is_symlink()
    assert json.loads(real.read_text())["parameters"][0] == 0.75
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["m.json"]  # no temporary file left


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit, MemoryError])
def test_the_temporary_file_is_removed_on_an_interrupt(tmp_path, monkeypatch, interrupt):
    path = tmp_path / "m.json"
    save(MLP(2, [1]), path)
    before = path.read_text()

    def interrupted(document, file, **kwargs):
        file.write('{"format": ')
        raise interrupt()

    monkeypatch.setattr("nn.io.json.dump", interrupted)
    with pytest.raises(interrupt):
        save(MLP(2, [1]), path)
    assert list(tmp_path.iterdir()) == [path]
    assert path.read_text() == before


def test_a_temporary_file_left_by_a_killed_save_does_not_stop_the_next(tmp_path, monkeypatch):
    left = tmp_path / ".m.json.00000000.tmp"
    left.write_text('{"format": ')  # as a save killed while writing leaves it
    names = iter(["00000000", "00000000", "11111111"])  # the name of the left file comes up first
    monkeypatch.setattr("nn.io.secrets.token_hex", lambda n: next(names))
    model = MLP(2, [1], rng=random.Random(0))
    save(model, tmp_path / "m.json")
    other = MLP(2, [1], rng=random.Random(1))
    load(other, tmp_path / "m.json")
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".m.json.00000000.tmp", "m.json"]


def test_save_syncs_the_file_then_the_folder_after_the_rename(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    synced: list[tuple[bool, str]] = []
    sync = os.fsync

    def watched(descriptor):
        synced.append((stat.S_ISDIR(os.fstat(descriptor).st_mode), path.read_text() if path.exists() else ""))
        sync(descriptor)

    monkeypatch.setattr("nn.io.os.fsync", watched)
    save(MLP(2, [1]), path)
    assert synced == [(False, ""), (True, path.read_text())]  # the folder, once the file is in place


@pytest.mark.parametrize(("code", "raised"), [(errno.EINVAL, False), (errno.EIO, True)])
def test_a_folder_that_cannot_be_synced_is_passed_over_where_its_file_system_cannot(
    tmp_path, monkeypatch, code, raised
):
    sync = os.fsync

    def failing_on_folders(descriptor):
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            raise OSError(code, os.strerror(code))
        sync(descriptor)

    monkeypatch.setattr("nn.io.os.fsync", failing_on_folders)
    path = tmp_path / "m.json"
    if raised:
        with pytest.raises(OSError, match=rf"cannot save to {path}: {os.strerror(code)}") as error:
            save(MLP(2, [1]), path)
        assert error.value.errno == code
    else:
        save(MLP(2, [1]), path)
    assert json.loads(path.read_text())["format"] == "chainrule-parameters"


def test_an_error_while_saving_names_the_file_and_keeps_its_class(tmp_path, monkeypatch):
    def full(document, file, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("nn.io.json.dump", full)
    path = tmp_path / "m.json"
    with pytest.raises(OSError, match=rf"^\[Errno {errno.ENOSPC}\] cannot save to {path}: No space left on device$"):
        save(MLP(2, [1]), path)


def test_saving_under_a_file_that_is_not_a_folder_says_so(tmp_path):
    (tmp_path / "m.json").write_text("{}")
    with pytest.raises(NotADirectoryError):
        save(MLP(2, [1]), tmp_path / "m.json" / "n.json")


def test_a_name_too_long_for_the_temporary_file_is_an_error_naming_the_file(tmp_path):
    """The temporary file's name is 14 characters longer: ".", ".", 8 random, ".tmp"."""
    longest = os.pathconf(tmp_path, "PC_NAME_MAX") - 14  # 241 where a name has at most 255
    save(MLP(2, [1]), tmp_path / ("m" * longest))
    path = tmp_path / ("m" * (longest + 1))
    with pytest.raises(OSError, match=rf"^\[Errno {errno.ENAMETOOLONG}\] cannot save to {path}: File name too long$"):
        save(MLP(2, [1]), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m" * longest]


def test_a_temporary_file_deleted_by_hand_during_a_failing_save_does_not_hide_why_it_failed(tmp_path, monkeypatch):
    def deleted_then_full(document, file, **kwargs):
        for left in tmp_path.glob(".m.json.*.tmp"):
            left.unlink()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("nn.io.json.dump", deleted_then_full)
    with pytest.raises(OSError, match="No space left on device") as error:
        save(MLP(2, [1]), tmp_path / "m.json")
    assert error.value.errno == errno.ENOSPC


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_folder_that_cannot_be_written_is_a_permission_error_naming_the_file(tmp_path):
    (tmp_path / "locked").mkdir(mode=0o500)
    with pytest.raises(PermissionError, match=rf"cannot save to {tmp_path}/locked/m.json: Permission denied"):
        save(MLP(2, [1]), tmp_path / "locked" / "m.json")


# -- load(path): the model the file records ---------------------------------------------------------


def test_load_with_only_a_path_builds_the_model_the_file_records(tmp_path):
    model = MLP(3, [4, 3, 2], activation="tanh", last_activation="sigmoid", rng=random.Random(3))
    model.parameters()[0].label = "first weight"
    path = tmp_path / "m.json"
    save(model, path)
    built = load(path)
    assert isinstance(built, MLP)
    assert built.shape() == [3, 4, 3, 2]
    assert built.activations() == ["tanh"] * 7 + ["sigmoid"] * 2
    assert [p.data for p in built.parameters()] == [p.data for p in model.parameters()]
    assert [p.label for p in built.parameters()] == [p.label for p in model.parameters()]
    x = [0.5, -1.0, 2.0]
    assert [o.data for o in built.forward(x)] == [o.data for o in model.forward(x)]


def test_load_into_a_model_returns_it(tmp_path):
    model = MLP(2, [1], rng=random.Random(0))
    save(model, tmp_path / "m.json")
    other = MLP(2, [1], rng=random.Random(1))
    assert load(other, tmp_path / "m.json") is other


def test_load_builds_a_neuron_from_a_neurons_file(tmp_path):
    neuron = Neuron(2, "tanh", rng=random.Random(0))
    save(neuron, tmp_path / "n.json")
    built = load(str(tmp_path / "n.json"))
    assert isinstance(built, Neuron) and built.activation == "tanh"
    assert [p.data for p in built.parameters()] == [p.data for p in neuron.parameters()]


def test_a_model_that_shares_parameters_is_built_from_its_file_sharing_them_there(tmp_path):
    path = tmp_path / "mazur.json"
    model = mazur().model  # a bias shared by the two neurons of each layer
    save(model, path)
    built = load(path)
    assert isinstance(built, MLP)
    assert [(p.label, p.data) for p in built.parameters()] == [(p.label, p.data) for p in model.parameters()]
    for layer in built.layers:
        assert layer.neurons[0].b is layer.neurons[1].b
    assert [o.data for o in built.forward([0.05, 0.1])] == [o.data for o in model.forward([0.05, 0.1])]
    document = json.loads(path.read_text())
    path.write_text(json.dumps({k: v for k, v in document.items() if k != "shared"} | {"version": 2}))
    what_to_do = re.escape(f"make it and load into it, load(model, {str(path)!r})")
    with pytest.raises(ValueError, match=rf"the saved model shared some .*, which a version 2 file does not record; "
                       rf"{what_to_do}$"):  # fmt: skip
        load(path)


def test_a_neuron_that_shares_its_own_parameters_is_built_from_its_file(tmp_path):
    neuron = Neuron(3, "tanh", rng=random.Random(0))
    neuron.w[1], neuron.b = neuron.w[0], neuron.w[2]  # two places hold w1, two w3
    path = tmp_path / "neuron.json"
    save(neuron, path)
    assert json.loads(path.read_text())["shared"] == [[1, 0], [3, 1]]
    built = load(path)
    assert isinstance(built, Neuron) and built.w[1] is built.w[0] and built.b is built.w[2]
    assert [p.data for p in built.parameters()] == [p.data for p in neuron.parameters()]
    assert built.forward([0.1, 0.2, 0.3])[0].data == neuron.forward([0.1, 0.2, 0.3])[0].data


@pytest.mark.parametrize(
    ("shared", "wrong"),
    [
        ([[5, 5], [11, 7]], r"pair 1 \(\[5, 5\]\)"),  # a parameter no earlier place holds
        ([[11, 7], [5, 2]], r"pair 2 \(\[5, 2\]\)"),  # out of order
        ([[5, 2], [12, 7]], r"pair 2 \(\[12, 7\]\)"),  # past the last of its 12 places
        ([[5, -1], [11, 7]], r"pair 1 \(\[5, -1\]\)"),
        ([[5, 2], [11, 10]], r"pair 2 \(\[11, 10\]\)"),  # places 0 to 10 hold parameters 0 to 9 alone
        ([[5, 2], [5, 2]], r"pair 2 \(\[5, 2\]\)"),  # a place twice
    ],
)
def test_shared_places_that_no_model_can_hold_are_named_before_a_model_is_built(tmp_path, shared, wrong):
    path = tmp_path / "mazur.json"
    save(mazur().model, path)
    path.write_text(json.dumps(json.loads(path.read_text()) | {"shared": shared}))
    named = rf"^{re.escape(str(path))} has shared {re.escape(json.dumps(shared))}, where {wrong} is not a place of "
    with pytest.raises(ValueError, match=named + r"the model \(12 places, in order\) holding a parameter an earlier "
                       r"place holds$"):  # fmt: skip
        load(path)


def test_a_file_whose_shared_places_do_not_fit_its_parameters_says_so(tmp_path):
    path = tmp_path / "mazur.json"
    save(mazur().model, path)
    path.write_text(json.dumps(json.loads(path.read_text()) | {"shared": [[5, 2]]}))
    with pytest.raises(ValueError, match=r"has 10 parameters, and a model of shape \[2, 2, 2\] sharing as the file "
                       r"says \(place 5 holds parameter 2\) has 11$"):  # fmt: skip
        load(path)


def test_a_file_of_a_model_of_one_s_own_says_to_make_it_and_load_into_it(tmp_path):
    class Pair(Module):
        def __init__(self) -> None:
            self.a, self.b = Value(1.0), Value(2.0)

        def parameters(self) -> list[Value]:
            return [self.a, self.b]

    path = tmp_path / "pair.json"
    save(Pair(), path)
    what_to_do = re.escape(f"make the model and load into it, load(model, {str(path)!r})")
    with pytest.raises(ValueError, match=rf"records no activations, as a model of one's own saves: {what_to_do}$"):
        load(path)
    assert [p.data for p in load(Pair(), path).parameters()] == [1.0, 2.0]


def test_a_file_with_more_parameters_than_its_shape_has_says_so(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(3, [2, 1], rng=random.Random(0)), path)
    document = json.loads(path.read_text())
    path.write_text(json.dumps(document | {"parameters": [0.5] * 12, "labels": ["p"] * 12}))
    with pytest.raises(ValueError, match=r"has 12 parameters, more than a model of shape \[3, 2, 1\] has \(11\)$"):
        load(path)  # not "the saved model shared some": sharing makes fewer


def test_an_activation_name_in_a_message_has_its_unprinted_characters_escaped(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [1], rng=random.Random(0)), path)
    document = json.loads(path.read_text())
    path.write_text(json.dumps(document | {"activations": ["lin\u202eear\x00"]}))
    with pytest.raises(ValueError, match=r"holds a model with activations lin\\u202eear\\x00, this one has linear"):
        load(MLP(2, [1]), path)
    path.write_text(json.dumps(document | {"activations": ["linear\u200b"]}))  # drawn as nothing: "linear"
    with pytest.raises(ValueError, match=r"holds a model with activations linear\\u200b, this one has linear"):
        load(MLP(2, [1]), path)


def test_a_version_1_file_cannot_build_a_model_and_says_what_to_do(tmp_path):
    model, path, text = saved_text(tmp_path)
    document = json.loads(text)
    document["version"] = 1
    del document["activations"]
    path.write_text(json.dumps(document), encoding="utf-8")
    what_to_do = re.escape(f"make the model and load into it, load(model, {str(path)!r})")
    with pytest.raises(
        ValueError, match=rf"version 1 parameter file, which does not record the activations: {what_to_do}$"
    ):
        load(path)
    assert [p.data for p in load(MLP(2, [1]), path).parameters()] == [p.data for p in model.parameters()]


def test_a_version_1_file_that_records_the_activations_builds_its_model(tmp_path):
    _, path, text = saved_text(tmp_path, MLP(2, [1], activation="tanh", last_activation="tanh"))
    path.write_text(json.dumps(json.loads(text) | {"version": 1}), encoding="utf-8")
    assert load(path).activations() == ["tanh"]


def test_a_model_built_from_a_file_without_labels_has_the_labels_a_new_model_has(tmp_path):
    model, path, text = saved_text(tmp_path)
    document = json.loads(text)
    del document["labels"]
    path.write_text(json.dumps(document), encoding="utf-8")
    assert [(p.data, p.label) for p in load(path).parameters()] == [(p.data, p.label) for p in model.parameters()]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other"}, r'is not a parameter file: no "format": "chainrule-parameters" in it'),
        (
            {"activations": ["relu", "swish"]},
            r"has activations \[\"relu\", \"swish\"\], and \"swish\" is not one of nn.ACTIVATIONS \[.linear., "
            r".relu., .sigmoid., .tanh.\]: where it is a neuron class of one's own, make the model with it and load "
            r"into it, load\(model, '.*m.json'\); where it is an activation of one's own, add it to nn.ACTIVATIONS "
            r"first$",
        ),
        ({"activations": ["relu", "\u202eulernot"]}, r", and \"\\u202eulernot\" is not one of nn.ACTIVATIONS"),
        ({"activations": None}, r" has no activations: a version 3 parameter file lists them$"),
        ({"activations": [1, 2]}, r"has activations \[1, 2\], not a list of \[.linear., .relu., .sigmoid., .tanh.\]$"),
        ({"activations": ["relu", "linear"]}, r"has shape \[2, 1\] and 2 activations, which make no model"),
        ({"shape": "2-1"}, r'has shape "2-1", not a list of whole numbers'),
        ({"parameters": "1.0, 2.0"}, r'has parameters "1.0, 2.0", not a list of numbers'),
        ({"parameters": [1.0, 2.0, float("nan")]}, r"parameter 2 \(b1\[1\]\) is NaN"),
    ],
)
def test_a_file_that_makes_no_model_is_refused_naming_the_file(tmp_path, change, message):
    _, path, text = saved_text(tmp_path)
    document = json.loads(text) | change
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{path}.*{message}"):
        load(path)


def test_save_writes_only_what_load_reads_back_and_names_what_it_refuses(tmp_path):
    np = pytest.importorskip("numpy")
    model = MLP(2, [1], rng=random.Random(0))
    first, second, _bias = model.parameters()
    first.data, second.data = True, np.float32(0.5)
    path = tmp_path / "m.json"
    save(model, path)
    assert json.loads(path.read_text(encoding="utf-8"))["parameters"][:2] == [1.0, 0.5]
    assert [p.data for p in load(MLP(2, [1]), path).parameters()][:2] == [1.0, 0.5]
    for bad, error, message in [
        ("x", TypeError, r": its value needs a real number, got 'x' \(str\)$"),
        (10**400, ValueError, r": its value is too large for a float$"),
    ]:
        first.data = bad  # type: ignore[assignment]
        with pytest.raises(error, match=rf"^cannot save parameter 0 \(w1\[1,1\]\) to {path}{message}"):
            save(model, path)
    first.data, first.label = 1.0, 5  # type: ignore[assignment]
    with pytest.raises(TypeError, match=rf"^cannot save parameter 0 to {path}: its label is 5, not a string$"):
        save(model, path)


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ([0], r"has shape \[0\]: a model's sizes are whole numbers of at least 1"),
        ([2, -1], r"has shape \[2, -1\]: a model's sizes are whole numbers of at least 1"),
        ([1_000_000_000], r"has 3 parameters, and a model of shape \[1000000000\] has 1000000001"),
        ([10**8, 1], r"has 3 parameters, and a model of shape \[100000000, 1\] has 100000001"),
    ],
)
def test_a_model_is_not_built_before_the_file_is_found_to_hold_its_parameters(tmp_path, shape, message):
    _, path, text = saved_text(tmp_path)
    path.write_text(json.dumps(json.loads(text) | {"shape": shape}), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{path} {message}"):
        load(path)  # at once: a neuron of a billion inputs is never made


def test_a_model_without_a_path_is_told_what_load_and_save_need(tmp_path):
    model = MLP(2, [1])
    for call in (save, load):
        with pytest.raises(
            TypeError, match=rf"^{call.__name__}\(model, path\) needs the path of a parameter file, got None$"
        ):
            call(model, None)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^load\(model, path\) needs the path of a parameter file, got None$"):
        load(model)  # type: ignore[call-overload]


def test_empty_labels_in_a_file_leave_the_built_models_own_names(tmp_path):
    path = tmp_path / "layer.json"
    layer = Layer(2, 3, rng=random.Random(0))  # a bare layer's parameters are unlabelled
    save(layer, path)
    built = load(path)
    assert [p.data for p in built.parameters()] == [p.data for p in layer.parameters()]
    assert [p.label for p in built.parameters()] == [p.label for p in MLP(2, [3]).parameters()]
    assert built.parameters()[2].label == "b1[1]"


def test_load_path_builds_a_model_of_one_layer(tmp_path):
    path = tmp_path / "one.json"
    model = MLP(2, [3], rng=random.Random(0))
    save(model, path)
    built = load(path)
    assert built.shape() == [2, 3] and built.activations() == ["linear"] * 3
    assert [p.data for p in built.parameters()] == [p.data for p in model.parameters()]


def _sharing_in(layer: int) -> MLP:
    """A 2-2-2 sigmoid MLP whose two neurons of `layer` share a bias: as many parameters either way."""
    rng = random.Random(0)
    return MLP.from_layers([Layer(2, 2, "sigmoid", shared_bias=layer == k, rng=rng) for k in (1, 2)])


def test_a_file_loads_only_into_a_model_that_shares_its_parameters_at_the_same_places(tmp_path):
    first, second = _sharing_in(1), _sharing_in(2)
    assert len(first.parameters()) == len(second.parameters()) == 11 and first.shape() == second.shape()
    path = tmp_path / "m.json"
    save(first, path)
    assert json.loads(path.read_text())["shared"] == [[5, 2]]  # neuron 2's bias is the one at place 2, b1
    before = [p.data for p in second.parameters()]
    with pytest.raises(
        ValueError,
        match=r"holds a model that shares parameters otherwise than this one \(the file: place 5 holds parameter 2; "
        r"this one: place 11 holds parameter 8\): load a file into a model that shares as the saved one did$",
    ):
        load(second, path)  # it would put w2[1,1] into b1[2]
    assert [p.data for p in second.parameters()] == before
    other = _sharing_in(1)
    load(other, path)
    assert [p.data for p in other.parameters()] == [p.data for p in first.parameters()]


def test_a_file_of_version_2_loads_without_the_places_it_does_not_record(tmp_path):
    path = tmp_path / "m.json"
    save(_sharing_in(1), path)
    document = json.loads(path.read_text())
    del document["shared"]
    path.write_text(json.dumps(document | {"version": 2}))
    load(_sharing_in(2), path)  # as before version 3: the count of parameters fits


def test_the_file_records_each_place_that_holds_a_parameter_again(tmp_path):
    w, b = Value(0.5), Value(0.25)
    path = tmp_path / "n.json"
    save(Neuron.from_values([w, w, 1.0], b), path)  # a neuron whose first two weights are one parameter
    assert json.loads(path.read_text())["shared"] == [[1, 0]]
    twins = Layer.from_neurons([Neuron.from_values([w, w], b), Neuron.from_values([w, w], b)])  # 6 places, 2 parameters
    save(twins, path)
    assert json.loads(path.read_text())["shared"] == [[1, 0], [3, 0], [4, 0], [5, 1]]
    wide = MLP.from_layers([Layer(2, 5, "relu", shared_bias=True, rng=random.Random(0)), Layer(5, 1, "linear")])
    save(wide, path)
    assert json.loads(path.read_text())["shared"] == [[5, 2], [8, 2], [11, 2], [14, 2]]
    with pytest.raises(
        ValueError,
        match=r"\(the file: place 5 holds parameter 2, place 8 holds parameter 2, place 11 holds parameter 2 "
        r"and 1 more; this one: none shared\): ",
    ):
        load(MLP(2, [5, 1]), path)
    three = MLP.from_layers([Layer(2, 4, "relu", shared_bias=True, rng=random.Random(0)), Layer(4, 1, "linear")])
    save(three, path)
    with pytest.raises(
        ValueError, match=r"\(the file: place 5 holds parameter 2, place 8 holds parameter 2, place 11 "
    ):
        load(MLP(2, [4, 1]), path)
    with pytest.raises(ValueError, match=r"place 11 holds parameter 2; this one: none shared\): "):  # and no more
        load(MLP(2, [4, 1]), path)


class Scaled(Module):
    """A module of one's own: one parameter, no neurons."""

    def __init__(self) -> None:
        self.scale = Value(2.0, label="scale")

    def parameters(self) -> list[Value]:
        return [self.scale]


def test_a_module_of_ones_own_saves_and_loads_without_places(tmp_path):
    path = tmp_path / "s.json"
    saved = Scaled()
    saved.scale.data = 3.5
    save(saved, path)
    assert json.loads(path.read_text())["shared"] == []
    assert load(Scaled(), path).scale.data == 3.5


def test_a_file_older_than_version_3_with_a_shared_field_is_refused_either_way(tmp_path):
    path = tmp_path / "mazur.json"
    model = mazur().model
    save(model, path)
    path.write_text(json.dumps(json.loads(path.read_text()) | {"version": 2}))
    refused = rf"^{re.escape(str(path))} is a version 2 parameter file with shared places, which files record from "
    refused += "version 3$"
    for loading in (lambda: load(path), lambda: load(model, path)):
        with pytest.raises(ValueError, match=refused):
            loading()


def test_a_label_in_a_message_is_written_on_one_line(tmp_path):
    model = MLP(1, [1], rng=random.Random(0))
    path = tmp_path / "m.json"
    save(model, path)
    model.parameters()[1].label = "b\nias\u202e"
    path.write_text(path.read_text().replace(f"  {model.parameters()[1].data!r}\n", "  NaN\n"))
    with pytest.raises(ValueError, match=r": parameter 1 \(b\\nias\\u202e\) is NaN"):
        load(model, path)
    model.parameters()[1].data = math.inf
    with pytest.raises(ValueError, match=r"^cannot save parameter 1 \(b\\nias\\u202e\) to "):
        save(model, path)


def test_a_version_2_file_without_activations_is_refused_as_it_lists_them(tmp_path):
    model, path, text = saved_text(tmp_path)
    document = {k: v for k, v in json.loads(text).items() if k not in ("activations", "shared")} | {"version": 2}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{path} has no activations: a version 2 parameter file lists them$"):
        load(model, path)


def test_save_refuses_a_pipe_or_a_device_instead_of_replacing_it(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(ValueError, match=rf"^cannot save to {re.escape(str(pipe))}: it is a pipe, not a file; save"):
        save(MLP(2, [3, 1]), pipe)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # still a pipe
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # and no temporary file left
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp_path / "socket"))
    with pytest.raises(ValueError, match=r": it is a socket, not a file"):
        save(MLP(2, [3, 1]), tmp_path / "socket")
    listening.close()
    assert stat.S_ISSOCK(os.stat(tmp_path / "socket").st_mode)


def test_save_refuses_a_device_such_as_dev_null(tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the device /dev/null is
    except PermissionError:
        pytest.skip("only root may make a device here")
    with pytest.raises(ValueError, match=rf"^cannot save to {re.escape(str(device))}: it is a device, not a file"):
        save(MLP(2, [3, 1]), device)
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_a_parameter_replaced_by_a_number_is_named_by_save_and_load_and_load_sets_nothing(tmp_path):
    path = tmp_path / "m.json"
    model = MLP(2, [2, 1], rng=random.Random(1))
    save(model, path)
    broken = MLP(2, [2, 1], rng=random.Random(2))
    before = [p.data for p in broken.parameters()]
    broken.layers[1].neurons[0].b = 0.25  # type: ignore[assignment]  # as a user may
    with pytest.raises(TypeError, match=rf"^cannot load {re.escape(str(path))}: parameter 8 is 0.25 \(float\), not a "):
        load(broken, path)
    assert [p.data for p in broken.parameters()[:8]] == before[:8]  # nothing set
    neuron = Neuron(2)
    neuron.b = 1.0  # type: ignore[assignment]
    with pytest.raises(
        TypeError, match=r"^cannot save to .*n\.json: parameter 2 is 1.0 \(float\), not a Value; a model's weights "
    ):
        save(neuron, tmp_path / "n.json")
    assert not (tmp_path / "n.json").exists()
