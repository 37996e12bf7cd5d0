"""Neurons, layers and multilayer perceptrons built from autograd Values, the micrograd way.

A forward pass can say what it made: pass it a dict as `made` and each neuron that fires puts
in it the two nodes it made, its net input w·x + b and its output,

    made: Made = {}
    loss = squared_error(model.forward(x, made=made), targets)
    made[neuron].net, made[neuron].out        # nodes of loss's graph

so that drawings and recordings read a neuron's nodes from the forward pass instead of looking
for them in the graph.
"""

from __future__ import annotations

import inspect
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Sized
from itertools import islice, pairwise
from numbers import Integral, Real
from operator import countOf, is_
from typing import Any, NamedTuple, NoReturn, Self, TypeAlias

from autograd import Value, dot, neurons
from autograd.engine import DOT, RELU, SIGMOID, TANH, Op, another_engines, counted, depends_on, is_real
from autograd.labels import on_one_line

Input = Value | float
KIND = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}  # for repr: ReLUNeuron(3)


class Activations(dict[str, Callable[[Value], Value] | None]):
    """Each activation by name: an op record, or any function of a Value (None for linear); an unknown
    name is a ValueError naming the choices."""

    def __missing__(self, activation: str) -> NoReturn:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(self)}")


ACTIVATIONS = Activations(relu=RELU, tanh=TANH, sigmoid=SIGMOID, linear=None)


class Fired(NamedTuple):
    """The nodes a neuron made when it fired."""

    net: Value  # its net input w·x + b, one dot node
    out: Value  # its output activation(net): the net node itself for a linear neuron


Made: TypeAlias = dict["Neuron", Fired]  # what a forward pass made: each neuron's nodes, from its latest firing


def _takes_made(forward: Callable[..., Any]) -> bool:
    """Whether a forward can be called as forward(x, made=made): it names made, or takes **keywords."""
    try:
        parameters = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):
        return True  # a forward whose signature Python cannot read: called as it is
    return any(p.name == "made" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


class Module:
    """Anything with parameters. Calling it runs `forward`: one output as a Value, several as a list."""

    def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
        """The outputs for one example, always as a list; each neuron that fires puts its nodes in `made`."""
        raise NotImplementedError

    def __call__(self, x: Input | Sequence[Input], *, made: Made | None = None) -> Value | list[Value]:
        out = self.forward(x, made=made)
        return out[0] if len(out) == 1 else out

    def __init_subclass__(cls, **keywords: Any) -> None:
        """A subclass computes in forward, not __call__: a layer calls its neurons' forward, a model its
        layers', and the drawings the model's, so a __call__ of its own would be passed over there."""
        super().__init_subclass__(**keywords)
        if cls.__call__ is not Module.__call__:
            raise TypeError(
                f"{cls.__name__} defines __call__, which a layer, a model and the drawings would pass over: they "
                f"call forward(self, x, *, made=None), as calling the module does. Name the method forward and "
                f"give a list of outputs (where micrograd's __call__ gives one Value, return [out])"
            )
        if not _takes_made(cls.forward):
            raise TypeError(
                f"{cls.__name__}.forward needs the keyword argument made, forward(self, x, *, made=None): a layer, a "
                f"model and the drawings pass it on, for each neuron to report the nodes it made (pass it on to "
                f"the forward or fire you call)"
            )

    def parameters(self) -> list[Value]:
        """Every parameter (weights and biases) as a list of Values, each once, for SGD and zero_grad."""
        return []

    def activations(self) -> list[str]:
        """Each neuron's activation, in order (saved with the parameters, so a file fits one model)."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's grad back to 0, before the next backward()."""
        for p in self.parameters():
            p.grad = 0.0

    def shape(self) -> list[int]:
        """The sizes that say which parameter files fit this module: [nin, *nouts] for an MLP."""
        return [len(self.parameters())]


class Neuron(Module):
    """activation(w·x + b). Its net input is one `dot` node, so the graph stays small.

    `weights` and `bias` are the neuron's parameters where given (numbers become Values; pass the
    same bias Value to several neurons to share it), else the weights are drawn uniformly from
    [-1, 1] (by `rng`, or the random module) and the bias is 0. `activation` (relu, tanh,
    sigmoid, linear, or a name added to nn.ACTIVATIONS) and `name` (the label of its output: h1,
    o1) are plain attributes, read each time the neuron fires, so changing them takes effect on
    the next forward pass.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        nonlin: bool | None = None,
        rng: random.Random | None = None,
        name: str = "",
        weights: Iterable[Input] | None = None,
        bias: Input | None = None,
    ) -> None:
        if nonlin is not None:  # micrograd's spelling
            activation = "relu" if nonlin else "linear"
        width = _count(nin, "nin")
        _not_too_many(width + 1, f"a neuron of {width:,} inputs")
        self.w = _weights(width, weights, rng)
        self.b = Value(0.0) if bias is None else _parameter(bias)
        _checked_activation(activation)  # an unknown one is refused now, not at the first forward pass
        if not isinstance(name, str):
            raise TypeError(f"a neuron's name is a string (the label of its output), got {name!r}")
        self.activation = activation
        self.name = name

    @classmethod
    def from_values(cls, weights: Iterable[Input], bias: Input, activation: str = "relu", name: str = "") -> Self:
        """A neuron with the given weights and bias; pass the same bias Value to share it."""
        listed = list(weights)
        return cls(len(listed), activation, name=name, weights=listed, bias=bias)

    def __setattr__(self, name: str, value: Any) -> None:
        """Attributes as usual, but no method of a neuron's own: a layer fires its neurons by Neuron's
        methods, or by a subclass's, so one set on a single neuron would be passed over."""
        if name in _OWN_WAY_NAMES:
            raise AttributeError(
                f"a neuron's {name} cannot be set on the neuron alone: define a subclass of Neuron with its own "
                f"{name} (a layer calls the methods of its neurons' class)"
            )
        super().__setattr__(name, value)

    def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
        """The neuron's one output, fire(x), as a list."""
        return [self.fire(_inputs(x, self), made=made)]

    def fire(self, inputs: Sequence[Input], *, made: Made | None = None) -> Value:
        """The output for a list of inputs: net = w·x + b, one dot node, then out = activate(net).

        The net input is labelled net_<name>, or <name> for a linear neuron, whose output is its
        net input; the output is labelled <name>. With `made`, made[self] becomes Fired(net, out).
        """
        if len(inputs) != len(self.w):
            _check_inputs(inputs, self)
            raise ValueError(f"{self!r} takes {len(self.w)} inputs, got {len(inputs)}")
        _check_made(made)
        try:
            net = dot(self.w, inputs, self.b)
        except TypeError:
            _check_inputs(inputs, self)
            raise
        out = self.activate(net)
        if isinstance(out, Value) and not depends_on(out, net):
            raise _lost(self, out)
        return self.fired(net, out, made)

    def activate(self, net: Value) -> Value:
        """The neuron's output from its net input: activation(net), or net itself for a linear neuron."""
        op = ACTIVATIONS[self.activation]
        if op is not None and type(op) is not Op:
            _checked_activation(self.activation)  # an entry of nn.ACTIVATIONS replaced since by one that is no function
        return net if op is None else op(net)

    def fired(self, net: Value, out: Value, made: Made | None = None) -> Value:
        """Label the nodes this neuron made, net_<name> and <name> (<name> alone where the output is the
        net input), put them in `made` as Fired(net, out), and give the output."""
        if type(out) is not Value and not isinstance(out, Value):
            raise _lost(self, out)
        name = self.name
        if out is net:
            net.label = name
        else:
            net.label, out.label = ("net_" + name if name else ""), name
        if made is not None:
            made[self] = Fired(net, out)
        return out

    def parameters(self) -> list[Value]:
        return unique([*self.w, self.b])

    def shape(self) -> list[int]:
        return [len(self.w)]

    def activations(self) -> list[str]:
        """[its activation's name], or its class's name where the class fires its own way (a file then
        records that name, and loads into a model of that class)."""
        return [type(self).__name__ if fires_its_own_way(self) else self.activation]

    def __repr__(self) -> str:
        if type(self) is not Neuron:
            return f"{type(self).__name__}({len(self.w)})"
        if self.activation not in KIND:  # an activation added to nn.ACTIVATIONS, or one set by hand
            return f"Neuron({len(self.w)}, {self.activation!r})"
        return f"{KIND[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons reading the same inputs.

    `neurons` are the layer's neurons where given (nout of them, each taking nin inputs), else
    nout new neurons are made with `activation` and `rng`, sharing the first one's bias where
    `shared_bias` is true; activation, nonlin, shared_bias and rng are not used with `neurons`.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        nonlin: bool | None = None,
        shared_bias: bool = False,
        rng: random.Random | None = None,
        neurons: Iterable[Neuron] | None = None,
    ) -> None:
        if neurons is None:
            width, nout = _count(nin, "nin"), _count(nout, "nout")
            _not_too_many(nout * (width + 1), f"a layer of {nout:,} neurons of {width:,} inputs")
            neurons = [Neuron(nin, activation, nonlin=nonlin, rng=rng) for _ in range(nout)]
            if shared_bias:
                for neuron in neurons:
                    neuron.b = neurons[0].b
        self.neurons = _fitting_neurons(nin, nout, neurons)

    @classmethod
    def from_neurons(cls, neurons: Iterable[Neuron]) -> Self:
        """A layer of the given neurons, which must all take the same number of inputs."""
        listed = list(neurons)
        if not listed or len({len(n.w) for n in listed}) != 1:
            raise ValueError("a layer needs at least one neuron, all with the same number of inputs")
        return cls(len(listed[0].w), len(listed), neurons=listed)

    def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
        """Each neuron's output, in order. Neurons make their nodes with autograd's `neurons()`, all at
        once, and each labels and reports its own (`fired`); a layer holding a neuron of a subclass calls
        each neuron's forward instead, so a neuron that fires its own way is obeyed."""
        inputs = _inputs(x, self)
        width = len(self.neurons[0].w)
        if len(inputs) != width:
            _check_inputs(inputs, self)
            raise ValueError(f"{_called(self)} takes {width}, got {len(inputs)}")
        _check_made(made)
        members = self.neurons
        rows = [n.w for n in members]
        if countOf(map(len, rows), width) != len(rows):
            j, wider = next((j, n) for j, n in enumerate(members, 1) if len(n.w) != width)
            raise ValueError(
                f"neuron {j} of this layer ({neuron_name(wider)}) has {len(wider.w)} weights, "
                f"but the layer takes {width} inputs, as its first neuron does"
            )
        activations = [ACTIVATIONS[n.activation] for n in members]
        try:
            if not _fire_as_neurons(members) or not _records(activations):
                outputs: list[Value] = []
                for neuron in members:
                    outputs += _outputs_of(neuron, neuron.forward(inputs, made=made))
                return outputs
            nets, outs = neurons(rows, inputs, [n.b for n in members], activations)
        except TypeError:
            _check_inputs(inputs, self)  # an input that is no number, named as the layer's
            raise
        for neuron, net, out in zip(members, nets, outs):  # noqa: B905  # one each
            neuron.fired(net, out, made)
        return outs

    def parameters(self) -> list[Value]:
        return unique(p for n in self.neurons for p in n.parameters())

    def activations(self) -> list[str]:
        """Each neuron's activation; its class's name for each where the class computes its own way (its
        own forward), as a neuron's file records a neuron's."""
        if type(self).forward is not Layer.forward:
            return [type(self).__name__] * len(self.neurons)
        return [a for n in self.neurons for a in n.activations()]

    def shape(self) -> list[int]:
        return [len(self.neurons[0].w), len(self.neurons)]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(repr(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers in sequence: `activation` in the hidden layers, `last_activation` at the end.

    nouts are the sizes of the layers, after nin inputs. `layers` are the MLP's layers where
    given (one per size in nouts, each feeding the next), else new layers are made with the
    activations and `rng`, which are not used with `layers`. Unnamed neurons and parameters are
    named either way (see name_unnamed).
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        last_activation: str = "linear",
        *,
        rng: random.Random | None = None,
        layers: Iterable[Layer] | None = None,
    ) -> None:
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence):
            raise TypeError(
                f"MLP(nin, nouts) needs a list of layer sizes for nouts, got {nouts!r}; "
                f"for example MLP({nin!r}, [4, 4, 1]) is two hidden layers of 4 and one output"
            )
        if not nouts:
            raise ValueError("an MLP needs at least one layer size in nouts")
        sizes = [nin, *nouts]
        if layers is None:
            _checked_activation(activation)  # a model of one layer uses only last_activation, but was given both
            _checked_activation(last_activation)
            widths = [_count(nin, "nin"), *(_count(nout, "nout") for nout in nouts)]
            _not_too_many(sum((a + 1) * b for a, b in pairwise(widths)), f"MLP({widths[0]}, {widths[1:]})")
            last = len(nouts) - 1
            layers = [
                Layer(sizes[i], sizes[i + 1], last_activation if i == last else activation, rng=rng)
                for i in range(len(nouts))
            ]
        self.layers = _fitting_layers(sizes, layers)
        name_unnamed(self.layers)

    @classmethod
    def from_layers(cls, layers: Iterable[Layer]) -> Self:
        """An MLP of the given layers, each feeding the next."""
        listed = list(layers)
        if not listed:
            raise ValueError("an MLP needs at least one layer")
        return cls(len(listed[0].neurons[0].w), [len(layer.neurons) for layer in listed], layers=listed)

    def forward(self, x: Input | Sequence[Input], *, made: Made | None = None) -> list[Value]:
        """The last layer's outputs: each layer's outputs are the next one's inputs."""
        inputs = _inputs(x, self)
        if len(inputs) != len(self.layers[0].neurons[0].w):
            _check_inputs(inputs, self)
            nin, *nouts = self.shape()
            one = f"model([{', '.join(f'x{i}' for i in range(1, nin + 1))}])" if nin <= 4 else f"a list of {nin}"
            raise ValueError(
                f"MLP({nin}, {nouts}) takes one example of {nin} inputs, got {len(inputs)}; "
                f"pass one number per input, {one}, and one example at a time"
            )
        try:
            out = _layer_outputs(self.layers[0], inputs, made)
        except TypeError:
            _check_inputs(inputs, self)  # an input that is no number, named as the model's
            raise
        for layer in self.layers[1:]:
            out = _layer_outputs(layer, out, made)
        return out

    def parameters(self) -> list[Value]:
        return unique(p for layer in self.layers for p in layer.parameters())

    def activations(self) -> list[str]:
        """Each neuron's activation, layer by layer; its class's name for each where the class computes its
        own way (its own forward)."""
        if type(self).forward is not MLP.forward:
            return [type(self).__name__] * sum(len(layer.neurons) for layer in self.layers)
        return [a for layer in self.layers for a in layer.activations()]

    def shape(self) -> list[int]:
        return [len(self.layers[0].neurons[0].w), *(len(layer.neurons) for layer in self.layers)]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"


def _layer_outputs(layer: Layer, inputs: list[Input] | list[Value], made: Made | None) -> list[Value]:
    """The layer's outputs, checked where its class computes them its own way."""
    out = layer.forward(inputs, made=made)
    return out if type(layer) is Layer else _outputs_of(layer, out)


def _outputs_of(module: Module, out: object) -> list[Value]:
    """What the forward of a module's own class gave, where it is a list of Values; else a TypeError naming it."""
    if type(out) is list and all(isinstance(o, Value) for o in out):
        return out
    raise TypeError(
        f"the forward of {module!r} gave {short(out)}; a module's forward gives its outputs as a list of Values "
        f"([out] for one), or a gradient would be lost"
    )


def short(x: object) -> str:
    """An object as an error shows it, its repr cut short where it is long, then its type: "[2.0] (list)"."""
    shown = repr(x)
    return f"{shown[:60]}... ({type(x).__name__})" if len(shown) > 60 else f"{shown} ({type(x).__name__})"


def name_unnamed(layers: Sequence[Layer]) -> None:
    """Give every unnamed neuron and unlabelled parameter a readable unique name.

    h1_2 is neuron 2 of hidden layer 1 and o1 the first output; w1[2,1] is the weight from input
    1 into neuron 2 of layer 1 and b1[2] that neuron's bias (b1 when every neuron of the layer shares
    one; a bias that some of them share is named after the first).
    """
    last = len(layers) - 1
    for k, layer in enumerate(layers, 1):
        users = Counter(n.b for n in layer.neurons)
        for j, neuron in enumerate(layer.neurons, 1):
            neuron.name = neuron.name or (f"o{j}" if k - 1 == last else f"h{k}_{j}")
            for i, w in enumerate(neuron.w, 1):
                w.label = w.label or f"w{k}[{j},{i}]"
            whole_layer = users[neuron.b] == len(layer.neurons) > 1
            neuron.b.label = neuron.b.label or (f"b{k}" if whole_layer else f"b{k}[{j}]")


_NEURONS_OWN_WAY = (Neuron.forward, Neuron.fire, Neuron.activate, Neuron.fired)  # how a Neuron fires, as it defines it
_OWN_WAY_NAMES = frozenset(f.__name__ for f in _NEURONS_OWN_WAY)


def _lost(neuron: Neuron, out: object) -> TypeError:
    """The error of an activation that gives no Value computed from the net input."""
    named = f"neuron {neuron.name} ({neuron!r})" if neuron.name else repr(neuron)
    return TypeError(
        f"the activation of {named} gave {out!r} ({type(out).__name__}); it needs to give a Value "
        f"computed from the net input, as net.relu() does, or a gradient would be lost"
    )


def neuron_name(neuron: Neuron) -> str:
    """A neuron as messages and drawings name it: its name on one line, or its repr where it has none."""
    return on_one_line(neuron.name) or repr(neuron)


def fires_its_own_way(neuron: Neuron) -> bool:
    """Whether the neuron's class replaces how a Neuron fires (its forward, fire, activate or fired)."""
    kind = type(neuron)
    return (kind.forward, kind.fire, kind.activate, kind.fired) != _NEURONS_OWN_WAY


def net_by_dot(neuron: Neuron, net: Value) -> bool:
    """Whether `net`, the net input the neuron reported, is the dot() node that Neuron.fire makes, whose
    operands are the bias, the weights in order, then the inputs: the neuron's class keeps Neuron's fire (a
    forward that calls it, or an activate, of its own changes only what surrounds it), and the node is a dot
    node whose first operands are the neuron's bias and weights."""
    if type(neuron).fire is not _NEURONS_OWN_WAY[1] or net.operation is not DOT:
        return False
    own = (neuron.b, *neuron.w)
    head = net.arguments[: len(own)]
    return len(head) == len(own) and all(map(is_, head, own))


def _checked_activation(activation: str) -> None:
    """Refuse an activation that is no name in ACTIVATIONS, or whose entry there is not a function."""
    if not isinstance(activation, str):
        raise TypeError(f"an activation is a name, one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    entry = ACTIVATIONS[activation]
    if entry is not None and not callable(entry):
        raise TypeError(
            f"nn.ACTIVATIONS[{activation!r}] is {entry!r} ({type(entry).__name__}); an activation is a function "
            f"of a Value, such as lambda v: v * v.sigmoid(), or an op record such as autograd.engine.RELU"
        )


def _check_made(made: object) -> None:
    if made is not None and type(made) is not dict and not isinstance(made, dict):
        raise TypeError(f"made needs a dict for the forward pass to fill (made = {{}}), got {type(made).__name__}")


def _records(activations: list[Any]) -> bool:
    """Whether every activation is an op record (or None, linear): autograd's neurons() makes their nodes
    for a whole layer. A function of one's own is called by its neuron, which names itself if it fails."""
    return countOf(map(type, activations), Op) + countOf(activations, None) == len(activations)


def _fire_as_neurons(members: list[Neuron]) -> bool:
    """Whether each neuron fires as the class Neuron defines: of that class, not a subclass, and
    Neuron's methods not replaced (mock.patch); a neuron refuses a method set on it alone."""
    return countOf(map(type, members), Neuron) == len(members) and not fires_its_own_way(members[0])


def nodes_of(neuron: Neuron, made: Made) -> Fired:
    """The nodes `neuron` made in the forward pass that filled `made`, or a ValueError saying how to get them."""
    if not isinstance(made, dict):
        raise TypeError(
            f"made needs the dict that the loss's forward pass filled (model.forward(x, made=made)), "
            f"got {type(made).__name__}"
        )
    fired = made.get(neuron)
    if fired is None:
        raise ValueError(
            f"the forward pass reported no nodes for neuron {neuron_name(neuron)}: pass the dict it fills, "
            f"model.forward(x, made=made), for this model"
        )
    return fired


def unique(values: Iterable[Value]) -> list[Value]:
    """Each value once, in first-seen order (a shared bias is one parameter)."""
    return list(dict.fromkeys(values))


def _parameter(x: Input) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _weights(nin: int, weights: Iterable[Input] | None, rng: random.Random | None) -> list[Value]:
    """The given weights as Values, nin of them; or nin drawn uniformly from [-1, 1]."""
    if weights is None:
        if rng is not None and not callable(getattr(rng, "uniform", None)):
            raise TypeError(f"rng needs a random.Random, got {rng!r}; for a seed, pass random.Random({rng!r})")
        draw = rng or random
        return [Value(draw.uniform(-1, 1)) for _ in range(nin)]
    listed = list(islice(weights, nin + 1))  # a generator too, even an endless one
    if len(listed) != nin:
        got = len(weights) if isinstance(weights, Sized) else f"more than {nin}" if len(listed) > nin else len(listed)
        raise ValueError(f"a neuron of nin={nin} inputs needs {nin} weights, got {got}")
    return [_parameter(w) for w in listed]


def _fitting_neurons(nin: int, nout: int, given: Iterable[Neuron]) -> list[Neuron]:
    """The neurons as a list, once they are nout neurons of nin inputs each (a generator of them too)."""
    neurons = _listed(given, "a layer's neurons", "Neurons")
    if len(neurons) != _count(nout, "nout"):
        raise ValueError(f"a layer of nout={nout} neurons needs {nout} neurons, got {len(neurons)}")
    _count(nin, "nin")
    for j, neuron in enumerate(neurons, 1):
        if not isinstance(neuron, Neuron):
            raise TypeError(f"a layer's neurons must be Neurons; neuron {j} is {neuron!r} ({type(neuron).__name__})")
        if len(neuron.w) != nin:
            raise ValueError(f"a layer of nin={nin} inputs needs neurons of {nin} inputs; neuron {j} is {neuron!r}")
    return neurons


def _fitting_layers(sizes: list[int], given: Iterable[Layer]) -> list[Layer]:
    """The layers as a list, once layer k takes sizes[k - 1] inputs and gives sizes[k] outputs (a generator of
    them too)."""
    layers = _listed(given, "an MLP's layers", "Layers")
    nin, nouts = sizes[0], sizes[1:]
    if len(layers) != len(nouts):
        raise ValueError(f"an MLP of layer sizes {nouts} needs {len(nouts)} layers, got {len(layers)}")
    for k, layer in enumerate(layers, 1):
        if not isinstance(layer, Layer):
            raise TypeError(f"an MLP's layers must be Layers; layer {k} is {layer!r} ({type(layer).__name__})")
        width = len(layer.neurons[0].w)
        if k == 1 and width != nin:
            raise ValueError(f"an MLP of nin={nin} inputs needs a first layer of {nin} inputs, got {layer!r}")
        if width != sizes[k - 1]:
            raise ValueError(f"a layer of {sizes[k - 1]} outputs cannot feed {layer!r}")
        if len(layer.neurons) != sizes[k]:
            raise ValueError(f"an MLP of layer sizes {nouts} needs {sizes[k]} outputs from layer {k}, got {layer!r}")
    return layers


def _listed(given: Iterable[Any], what: str, kind: str) -> list[Any]:
    """A module's neurons or layers as a list, from any iterable of them; a single one, or anything else that
    is no iterable, is named."""
    if isinstance(given, Module) or not isinstance(given, Iterable):
        raise TypeError(f"{what} are a list of {kind}, got {short(given)}")
    return list(given)


def _inputs(x: Input | Sequence[Input], module: Module) -> list[Input]:
    """One example's inputs to `module` as a list: a number, a Value, a sequence of them, or a numpy scalar
    or 1-d array."""
    if type(x) is list:  # the usual case, and one layer's outputs are the next one's inputs
        return x
    if isinstance(x, (Value, Real)):
        return [x]
    if isinstance(x, (str, bytes, bytearray, memoryview)):  # text, or bytes (a memoryview has numpy's ndim)
        raise TypeError(
            f"{_called(module)} takes one example's inputs as a list of numbers or Values, got {x!r} "
            f"({type(x).__name__})"
        )
    if hasattr(x, "ndim") and hasattr(x, "tolist"):  # numpy, without importing it
        array: Any = x
        if array.ndim > 1:
            shape = array.shape
            raise TypeError(f"{_called(module)} takes one example's inputs, a 1-d array; got an array of shape {shape}")
        listed = array.tolist()
        return listed if isinstance(listed, list) else [listed]
    if not isinstance(x, Sequence):
        got = f"{x!r} ({type(x).__name__})"
        raise TypeError(f"{_called(module)} takes one example's inputs as a list of numbers or Values, got {got}")
    return list(x)


def _check_inputs(inputs: Sequence[Input], module: Module) -> None:
    """Refuse an input that is neither a number nor a Value, naming its position and the module (where the
    inputs did not fit: the engine's message would name its own functions)."""
    for i, v in enumerate(inputs, 1):
        if isinstance(v, Value):
            if not is_real(v.data):
                got = f"a Value holding {v.data!r} ({_kind(v.data)}) as input {i}"
                raise TypeError(f"{_called(module)} takes numbers or Values as inputs, got {got}") from None
        elif not is_real(v):
            foreign = another_engines(v)
            if foreign:
                got = f"{v!r} as input {i}, {foreign}"
            else:
                batch = " (a batch? pass one example at a time)" if isinstance(v, (list, tuple)) else ""
                got = f"{v!r} ({_kind(v)}) as input {i}{batch}"
            raise TypeError(f"{_called(module)} takes numbers or Values as inputs, got {got}") from None


def _kind(x: object) -> str:
    """x's type as a message names it: str, or numpy.bool where the type is not Python's own."""
    kind = type(x)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _called(module: Module) -> str:
    """A module as its messages name it: MLP(2, [16, 1]), a layer of 3 neurons of 2 inputs, ReLUNeuron(2)."""
    if isinstance(module, MLP):
        nin, *nouts = module.shape()
        return f"MLP({nin}, {nouts})"
    if isinstance(module, Layer):
        return f"a layer of {counted(len(module.neurons), 'neuron')} of {counted(len(module.neurons[0].w), 'input')}"
    return repr(module)


MOST_PARAMETERS = 10**9  # each a Value of about 150 bytes: 150 GB


def _not_too_many(parameters: int, module: str) -> None:
    """Refuse to make a module of more than MOST_PARAMETERS parameters (it would run out of memory, or for
    hours before it did), saying how many it would have: a model, each layer and each neuron is checked."""
    if parameters > MOST_PARAMETERS:
        raise ValueError(
            f"{module} would have {parameters:,} parameters; each is a Value of about 150 bytes, and nn makes "
            f"at most {MOST_PARAMETERS:,} at once (about 150 GB)"
        )


def _count(n: int, what: str) -> int:
    """n as an int (a numpy int too), once it is a whole number of at least 1."""
    if not isinstance(n, Integral) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{what} must be a positive whole number, got {n!r}")
    return int(n)
