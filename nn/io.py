"""Saving and loading parameters as JSON.

The file records the module's shape, each neuron's activation and every parameter in
`parameters()` order. Python writes floats with repr, which reads back to the same float, so
a round trip is exact. Files of version 1 have no activations; they load without that check.
Files of version 3 also record where the model shares a parameter ("shared": [place, parameter]
for each place in a neuron, its weights then its bias, neuron by neuron, that holds a parameter
an earlier place holds), so that a model sharing otherwise (a bias shared in layer 2, not 1,
with as many parameters) does not take the file, and load(path) builds a model that shares them
there; files of versions 1 and 2 load without it.

`load` reads the file a piece at a time (nn.json_reader), keeping the parameters as doubles and
of the labels only that they are strings, so it takes far less memory than the file's size. It
checks every field before it sets a parameter, so a file it refuses leaves the model as it was.
"""

from __future__ import annotations

import errno
import itertools
import json
import math
import os
import secrets
import stat
from array import array
from pathlib import Path
from typing import IO, Any, TypeVar, overload

from autograd import Value
from autograd.engine import real
from autograd.labels import on_one_line
from nn.json_reader import NonFinite, NotJSON, read_object
from nn.modules import ACTIVATIONS, MLP, Layer, Module, Neuron

M = TypeVar("M", bound=Module)

FORMAT = "chainrule-parameters"
VERSION = 3  # the version `save` writes, and the newest `load` reads
FIELDS = ("format", "version", "shape", "activations", "shared", "labels", "parameters")


def save(model: Module, path: str | os.PathLike[str] | None = None) -> None:
    """Write the parameters of `model` to `path` atomically: a temporary file beside the file,
    synced to the disk, renamed over it, and the folder synced so that the rename lasts too.

    Where `path` is a symbolic link, the file it points to is written and the link stays. A file
    that exists keeps its permissions; a new one gets those open() gives it (0666 less the umask).
    On any error, or an interrupt (Ctrl-C), the temporary file (".name.<random>.tmp") is removed.
    A process killed outright (SIGKILL, a power cut) cannot remove it: the next save picks another
    name and passes it over, and it can be deleted by hand.
    """
    model, path = _checked_arguments("save", model, path)
    params = _values_of(model, f"cannot save to {path}")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "shape": model.shape(),
        "activations": model.activations(),
        "shared": _shared(model, params),
        "labels": [_saved_label(i, p, path) for i, p in enumerate(params)],
        "parameters": [_saved_value(i, p, path) for i, p in enumerate(params)],
    }
    target = _written_file(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot save to {path}: the folder {target.parent} does not exist")
    kind = _special(target)
    if kind:
        raise ValueError(
            f"cannot save to {path}: it is {kind}, not a file; save() writes a new file and renames it over the "
            f"path, which would put a file in its place"
        )
    try:
        _write_and_rename(document, target)
        _sync_folder(target.parent)
    except OSError as error:  # named here, as a full disk names no file
        if error.errno is None:
            raise
        raise type(error)(error.errno, f"cannot save to {path}: {error.strerror}") from error


def _saved_value(i: int, p: Value, path: str | os.PathLike[str]) -> float:
    """Parameter i's value as the file keeps it, a finite float (an int or a numpy scalar is read as one),
    or an error naming it and the file: `load` reads only finite numbers back."""
    what = f"cannot save parameter {i} ({on_one_line(p.label) or 'unnamed'}) to {path}"  # _saved_label read it as text
    try:
        value = real(p.data, f"{what}: its value")
    except OverflowError:
        raise ValueError(f"{what}: its value is too large for a float") from None
    if not math.isfinite(value):
        raise ValueError(f"{what}: its value is {value}")
    return value


def _saved_label(i: int, p: Value, path: str | os.PathLike[str]) -> str:
    if not isinstance(p.label, str):
        raise TypeError(f"cannot save parameter {i} to {path}: its label is {p.label!r}, not a string")
    return p.label


def _values_of(model: Module, cannot: str) -> list[Value]:
    """The model's parameters, once each is found to be a Value (`n.b = 0.5` puts a number in its place),
    or a TypeError saying so after `cannot` ("cannot save to m.json")."""
    params = model.parameters()
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(
                f"{cannot}: parameter {i} is {p!r} ({type(p).__name__}), not a Value; a model's weights and biases "
                f"are Values (neuron.b = Value({p!r}))"
            )
    return params


def _special(target: Path) -> str:
    """What `target` is where it exists and is neither a file nor a folder (a device such as /dev/null, a
    pipe, a socket), as a message says it; else ""."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return ""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""  # a folder is refused by the rename, as the system words it
    return "a pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"


def _written_file(path: str | os.PathLike[str]) -> Path:
    """The file that writing to `path` writes: where it is a symbolic link, the file at the end of
    its links (which may not exist yet). A loop of links is an error, as for open()."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return Path(os.path.realpath(path))


def _write_and_rename(document: dict[str, Any], target: Path) -> None:
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    temporary = None
    try:
        temporary, file = _new_file_beside(target)
        with file:
            if mode is not None:
                os.chmod(temporary, mode)
            json.dump(document, file, indent=1)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise


def _new_file_beside(target: Path) -> tuple[Path, IO[str]]:
    """A new empty file in the folder of `target`, so that renaming it over `target` is atomic,
    made as open() makes a file: 0666 less the umask. A name in use (left by a save that was
    killed, or being written by another) is passed over."""
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return temporary, os.fdopen(descriptor, "w", encoding="utf-8")


def _sync_folder(folder: Path) -> None:
    """fsync the folder, so that a crash after the rename cannot undo it. Skipped where a folder
    cannot be opened (Windows, which has no O_DIRECTORY) or a file system cannot sync one (EINVAL)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
    finally:
        os.close(descriptor)


@overload
def load(model: M, path: str | os.PathLike[str]) -> M: ...


@overload
def load(model: str | os.PathLike[str]) -> Module: ...


@overload
def load(*, path: str | os.PathLike[str]) -> Module: ...


def load(model: Module | str | os.PathLike[str] | None = None, path: str | os.PathLike[str] | None = None) -> Module:
    """Set the parameters of `model` from a file written by `save` for a model of the same shape,
    and return it; or, given only the path (`model = load("m.json")`), build the model the file
    records (an MLP of its shape and activations, a Neuron for a neuron's file), with its labels.

    The file is read as strict JSON: NaN, Infinity, a number too large for a float (1e999) and a
    key written twice are refused. Every field is checked before any parameter is set: the format,
    the version (1 to 3), the shape, the activations (which files from version 2 have), the places
    where the model shares a parameter (which version 3 files have), the labels where there are some,
    and each parameter. Every error names the file.
    """
    if model is None:
        if path is None:
            raise TypeError(
                "load() needs a path: load('m.json') builds the model it records, load(model, 'm.json') sets "
                "a model's parameters"
            )
        model, path = path, None  # load(path="m.json")
    if path is None and isinstance(model, (str, os.PathLike)):
        return _built(model)
    module, file = _checked_arguments("load", model, path)
    params = _values_of(module, f"cannot load {file}")
    document, _ = _read(file)
    for p, v in zip(params, _checked(document, module, params, file), strict=True):
        p.data = v
    return module


def _built(path: str | os.PathLike[str]) -> Module:
    """The model a file records, built from its shape and activations, its parameters and labels set."""
    document, labels = _read(path, keep_labels=True)
    model = _model_of(*_recipe(document, path))
    params = model.parameters()
    values = _checked(document, model, params, path)
    for k, (p, v) in enumerate(zip(params, values, strict=True)):
        p.data = v
        p.label = labels.strings[k] or p.label if labels.strings else p.label  # an empty one: the MLP's own name
    return model


def _recipe(document: dict[str, Any], path: str | os.PathLike[str]) -> tuple[list[int], list[str], dict[int, int]]:
    """The shape, the activations and the shared places (place: the parameter it holds) of the model a file
    records, once they are found to make one that load(path) can build (activations recorded and in
    nn.ACTIVATIONS, one per neuron, and as many parameters as the model has, sharing where the file says)."""
    parameters = document.get("parameters")
    version = _version(document, path)
    shape, activations = _shape(document.get("shape"), path), document.get("activations")
    if activations is None and version == 1:
        raise ValueError(
            f"{path} is a version 1 parameter file, which does not record the activations: "
            f"make the model and load into it, load(model, {str(path)!r})"
        )
    if activations is None:
        raise ValueError(f"{path} has no activations: a version {version} parameter file lists them")
    if not (isinstance(activations, list) and all(isinstance(a, str) for a in activations)):
        raise ValueError(f"{path} has activations {_shown(activations)}, not a list of {sorted(ACTIVATIONS)}")
    if not activations:  # a module of one's own, whose neurons nn does not know
        raise ValueError(
            f"{path} records no activations, as a model of one's own saves: make the model and load into it, "
            f"load(model, {str(path)!r})"
        )
    unknown = [a for a in activations if a not in ACTIVATIONS]
    if unknown:
        raise ValueError(
            f"{path} has activations {_shown(activations)}, and {_shown(unknown[0])} is not one of nn.ACTIVATIONS "
            f"{sorted(ACTIVATIONS)}: where it is a neuron class of one's own, make the model with it and load into "
            f"it, load(model, {str(path)!r}); where it is an activation of one's own, add it to nn.ACTIVATIONS first"
        )
    if not isinstance(parameters, _Parameters):
        raise ValueError(f"{path} has parameters {_shown(parameters)}, not a list of numbers")
    places = _parameter_count(shape, path)
    if len(activations) != (sum(shape[1:]) if len(shape) > 1 else 1):  # one per neuron
        raise ValueError(f"{path} has shape {shape} and {len(activations)} activations, which make no model")
    ties = _ties(document, version, places, path)
    count = places - len(ties)
    if parameters.count > places:
        raise ValueError(f"{path} has {parameters.count} parameters, more than a model of shape {shape} has ({places})")
    if parameters.count != count and version < 3:
        raise ValueError(
            f"{path} has {parameters.count} parameters, and a model of shape {shape} has {places}: the saved "
            f"model shared some (a bias per layer, as Mazur's network does), which a version {version} file does "
            f"not record; make it and load into it, load(model, {str(path)!r})"
        )
    if parameters.count != count:
        sharing = f" sharing as the file says ({_places([[place, p] for place, p in ties.items()])})" if ties else ""
        raise ValueError(f"{path} has {parameters.count} parameters, and a model of shape {shape}{sharing} has {count}")
    return shape, activations, ties


def _ties(document: dict[str, Any], version: int, places: int, path: str | os.PathLike[str]) -> dict[int, int]:
    """The places of a model of `places` places that hold a parameter an earlier place holds, as a version 3
    file's shared field records them ([place, parameter], in the order of the places): place to parameter."""
    saved = _shared_field(document, version, path)
    ties: dict[int, int] = {}
    last = -1
    for k, (place, parameter) in enumerate(saved or []):
        earlier = place - k  # the parameters the places before this one hold, each once
        if not (last < place < places and 0 <= parameter < earlier):
            raise ValueError(
                f"{path} has shared {_shown(saved)}, where pair {k + 1} ([{place}, {parameter}]) is not a place of "
                f"the model ({places} places, in order) holding a parameter an earlier place holds"
            )
        ties[place], last = parameter, place
    return ties


def _parameter_count(shape: list[int], path: str | os.PathLike[str]) -> int:
    """The parameters of a model of `shape` that shares none: nin + 1 for a neuron, Σ (nin + 1) × nout
    over an MLP's layers."""
    if not shape or any(n < 1 for n in shape):
        raise ValueError(f"{path} has shape {shape}: a model's sizes are whole numbers of at least 1")
    if len(shape) == 1:
        return shape[0] + 1
    return sum((nin + 1) * nout for nin, nout in itertools.pairwise(shape))


def _model_of(shape: list[int], activations: list[str], ties: dict[int, int]) -> Module:
    """A model of `shape` ([nin] for a neuron, [nin, *nouts] for an MLP) with one activation per neuron, each
    place in `ties` holding the parameter it names (see _share)."""
    if len(shape) == 1:
        neuron = Neuron(shape[0], activations[0])
        _share([neuron], ties)
        return neuron
    layers, start = [], 0
    for nin, nout in itertools.pairwise(shape):
        layers.append(Layer.from_neurons(Neuron(nin, a) for a in activations[start : start + nout]))
        start += nout
    _share([n for layer in layers for n in layer.neurons], ties)
    return MLP.from_layers(layers)


def _share(neurons: list[Neuron], ties: dict[int, int]) -> None:
    """Make each place in `ties` (a place in a neuron: its weights, then its bias, neuron by neuron) hold the
    parameter it names: the index of that parameter among the parameters of the earlier places, each once."""
    held = _held(neurons)
    parameters: list[Value] = []
    for place, p in enumerate(held):
        if place in ties:
            held[place] = parameters[ties[place]]
        else:
            parameters.append(p)
    places = iter(held)
    for neuron in neurons:
        neuron.w = [next(places) for _ in neuron.w]
        neuron.b = next(places)


def _read(path: str | os.PathLike[str], keep_labels: bool = False) -> tuple[dict[str, Any], _Labels]:
    """The file's document, its parameters and labels read into their own collectors (which the
    document holds where the file has those fields), and the labels' collector."""
    parameters, labels = _Parameters(), _Labels(keep_labels)
    try:
        with open(path, encoding="utf-8", newline="") as file:
            document = read_object(file, {"parameters": parameters, "labels": labels})
    except NotJSON as error:
        raise ValueError(f"{path} is not a parameter file: {error}") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not a parameter file: it is not UTF-8 text ({error})") from None
    return document, labels


class _Parameters:
    """The parameters as the file lists them: how many, their values as doubles, and the first one
    that is not a finite number, with what it is."""

    def __init__(self) -> None:
        self.count = 0
        self.values = array("d")
        self.problem: tuple[int, str] | None = None

    def extend(self, items: list[Any]) -> None:
        if self.problem is None and set(map(type, items)) <= {float} and all(map(math.isfinite, items)):
            self.values.extend(items)  # the usual case, checked at C speed
            self.count += len(items)
            return
        for item in items:
            problem = None if self.problem else _not_a_parameter(item)
            if problem:
                self.problem = (self.count, problem)
            elif not self.problem:
                self.values.append(float(item))
            self.count += 1


def _not_a_parameter(item: Any) -> str | None:
    """What is wrong with `item` as a parameter, or None for a finite number."""
    if isinstance(item, NonFinite):
        return f"{item!r}, which JSON does not have: a parameter is a finite number"
    if isinstance(item, bool) or not isinstance(item, (int, float)):
        return f"{_shown(item)}, not a number"
    if not math.isfinite(item):
        return "a number too large for a float (beyond ±1.8e308, it reads as ±inf)"
    return None


class _Labels:
    """How many labels the file lists, the first that is not a string, and the labels themselves
    where they are kept (for a model load builds)."""

    def __init__(self, keep: bool) -> None:
        self.count = 0
        self.problem: tuple[int, Any] | None = None
        self.keep = keep
        self.strings: list[str] = []

    def extend(self, items: list[Any]) -> None:
        if self.problem is None and not set(map(type, items)) <= {str}:
            k = next(k for k, x in enumerate(items) if not isinstance(x, str))
            self.problem = (self.count + k, items[k])
        if self.keep:
            self.strings += items
        self.count += len(items)


def _checked(
    document: dict[str, Any], module: Module, params: list[Value], path: str | os.PathLike[str]
) -> array[float]:
    """The parameters of the file, once each of its fields is found right for `module`."""
    version = _version(document, path)
    unknown = [key for key in document if key not in FIELDS]
    if unknown:
        raise ValueError(f"{path} has fields a parameter file does not have: {', '.join(map(repr, unknown))}")
    shape = _shape(document.get("shape"), path)
    if shape != module.shape():
        raise ValueError(
            f"{path} holds a model of shape {shape}, this one is {module.shape()}{_build_instead(document, path)}"
        )
    _check_activations(document, version, module, path)
    _check_shared(document, version, module, params, path)
    parameters = document.get("parameters")
    if parameters is None:
        raise ValueError(f"{path} has no parameters, the model has {len(params)}")
    if not isinstance(parameters, _Parameters):
        raise ValueError(f"{path} has parameters {_shown(parameters)}, not a list of numbers")
    if parameters.count != len(params):
        raise ValueError(f"{path} has {parameters.count} parameters, the model has {len(params)}")
    _check_labels(document.get("labels"), len(params), path)
    if parameters.problem:
        i, problem = parameters.problem
        named = f" ({on_one_line(params[i].label)})" if isinstance(params[i].label, str) and params[i].label else ""
        raise ValueError(f"{path}: parameter {i}{named} is {problem}")
    return parameters.values


def _shape(shape: Any, path: str | os.PathLike[str]) -> list[int]:
    """The file's shape, a list of whole numbers, or a clear error."""
    if not (isinstance(shape, list) and all(type(n) is int for n in shape)):
        raise ValueError(f"{path} has shape {_shown(shape)}, not a list of whole numbers")
    return shape


def _version(document: dict[str, Any], path: str | os.PathLike[str]) -> int:
    """The file's format version, once the file is found to be a parameter file of a version this reads."""
    if document.get("format") != FORMAT:
        raise ValueError(f'{path} is not a parameter file: no "format": "{FORMAT}" in it')
    version = document.get("version")
    if type(version) is not int:
        written = "no version" if version is None else f"version {_shown(version)}"
        raise ValueError(f"{path} has {written}; a parameter file has a version from 1 to {VERSION}")
    if version > VERSION:
        raise ValueError(
            f"{path} is a version {version} parameter file, from a newer chainrule; "
            f"this chainrule reads versions 1 to {VERSION}"
        )
    if version < 1:
        raise ValueError(f"{path} has version {version}; a parameter file has a version from 1 to {VERSION}")
    return version


def _check_activations(document: dict[str, Any], version: int, module: Module, path: str | os.PathLike[str]) -> None:
    saved = document.get("activations")
    if saved is None:
        if version >= 2:
            raise ValueError(f"{path} has no activations: a version {version} parameter file lists them")
        return
    if not (isinstance(saved, list) and all(isinstance(a, str) for a in saved)):
        raise ValueError(f'{path} has activations {_shown(saved)}, not a list of names such as "relu"')
    if saved != module.activations():
        raise ValueError(
            f"{path} holds a model with activations {_runs(saved)}, this one has {_runs(module.activations())}"
            f"{_build_instead(document, path)}"
        )


def _shared(module: Module, params: list[Value]) -> list[list[int]]:
    """[place, parameter] for each place in a neuron (its weights, then its bias, neuron by neuron) that
    holds a parameter an earlier place holds: the parameter's index in `params`. [] for a model that
    shares none (and for a module of one's own, whose neurons are not known here)."""
    held = _held(_neurons(module))
    if len(held) == len(set(params)):  # each place its own parameter
        return []
    index: dict[Value, int] = {}
    for i, p in enumerate(params):
        index.setdefault(p, i)  # its first place
    seen: set[Value] = set()
    shared = []
    for place, p in enumerate(held):
        if p in seen:
            shared.append([place, index[p]])
        seen.add(p)
    return shared


def _held(neurons: list[Neuron]) -> list[Value]:
    """The parameter each place holds: a place in a neuron is one of its weights or its bias, in that order,
    neuron by neuron."""
    return [p for neuron in neurons for p in (*neuron.w, neuron.b)]


def _neurons(module: Module) -> list[Neuron]:
    if isinstance(module, MLP):
        return [n for layer in module.layers for n in layer.neurons]
    if isinstance(module, Layer):
        return list(module.neurons)
    return [module] if isinstance(module, Neuron) else []


def _check_shared(
    document: dict[str, Any], version: int, module: Module, params: list[Value], path: str | os.PathLike[str]
) -> None:
    """The places the file's model shares a parameter, where it records them (version 3), are the model's."""
    saved = _shared_field(document, version, path)
    if saved is None:
        return
    own = _shared(module, params)
    if saved != own:
        raise ValueError(
            f"{path} holds a model that shares parameters otherwise than this one (the file: {_places(saved)}; "
            f"this one: {_places(own)}): load a file into a model that shares as the saved one did"
        )


def _shared_field(document: dict[str, Any], version: int, path: str | os.PathLike[str]) -> list[list[int]] | None:
    """The file's shared field, a list of [place, parameter] pairs; None for a file of version 1 or 2, which
    records no shared places (the field came with version 3; an empty one says none)."""
    saved = document.get("shared")
    if version < 3:
        if saved not in (None, []):
            raise ValueError(
                f"{path} is a version {version} parameter file with shared places, which files record from version 3"
            )
        return None
    if saved is None:
        raise ValueError(f"{path} has no shared: a version {version} parameter file lists them")
    if not (isinstance(saved, list) and all(_is_pair(pair) for pair in saved)):
        raise ValueError(f"{path} has shared {_shown(saved)}, not a list of [place, parameter] pairs")
    return saved


def _is_pair(pair: Any) -> bool:
    return isinstance(pair, list) and len(pair) == 2 and all(type(n) is int for n in pair)


def _places(shared: list[list[int]]) -> str:
    """Where a model shares parameters, as an error says it: "place 5 holds parameter 2, place 10 ..."."""
    if not shared:
        return "none shared"
    said = ", ".join(f"place {place} holds parameter {p}" for place, p in shared[:3])
    return said + (f" and {len(shared) - 3} more" if len(shared) > 3 else "")


def _build_instead(document: dict[str, Any], path: str | os.PathLike[str]) -> str:
    """For a file that fits another model: how to build that model, where load(path) can (see _recipe)."""
    try:
        _recipe(document, path)
    except ValueError:
        return ""
    return f"; load({os.fspath(path)!r}) alone builds the model it holds"


def _check_labels(labels: Any, count: int, path: str | os.PathLike[str]) -> None:
    """Labels, where the file has them, are a string per parameter (they are not compared with the
    model's: the shape and the activations say which files fit it)."""
    if labels is None:
        return
    if not isinstance(labels, _Labels):
        raise ValueError(f"{path} has labels {_shown(labels)}, not a list of strings")
    if labels.count != count:
        raise ValueError(f"{path} has {labels.count} labels for {count} parameters")
    if labels.problem:
        k, label = labels.problem
        raise ValueError(f"{path}: label {k} is {_shown(label)}, not a string")


def _shown(value: Any) -> str:
    """A value as the file writes it, cut short where it is long; a character that is not printed (such as
    U+202E, which turns the text after it around) as its escape, so that a message reads as it is."""
    text = on_one_line(json.dumps(value, ensure_ascii=False))
    return text if len(text) <= 40 else f"{text[:37]}..."


def _checked_arguments(name: str, module: object, path: object) -> tuple[Module, str | os.PathLike[str]]:
    """(module, path) as save and load take them, or an error saying what they take."""
    if isinstance(module, (str, os.PathLike)) and isinstance(path, Module):
        raise TypeError(f"{name}(model, path) takes the model first: {name}(model, {str(module)!r})")
    if isinstance(module, (str, os.PathLike)) and path is None:  # save("m.json")
        raise TypeError(f"{name}(model, path) needs the model as well as the path: {name}(model, {str(module)!r})")
    if not isinstance(module, Module):
        raise TypeError(f"{name}(model, path) needs an nn model (such as an MLP) first, got {type(module).__name__}")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name}(model, path) needs the path of a parameter file, got {path!r}")
    return module, path


def _runs(activations: list[str]) -> str:
    """["relu", "relu", "linear"] as "relu x2, linear"."""
    counted = [(on_one_line(a), len(list(run))) for a, run in itertools.groupby(activations)]
    return ", ".join(f"{a} x{n}" if n > 1 else a for a, n in counted)
