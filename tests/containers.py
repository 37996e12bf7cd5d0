"""Containers of Values of one's own, as tests hand them to chainrule."""

from autograd import Value


class ParameterList(list[Value]):
    """A list of Values that also has a parameters() method, as a container of one's own may."""

    def parameters(self) -> list[Value]:
        return list(self)
