"""The name clash with HIPS autograd.

chainrule installs the top-level packages `autograd` and `nn`. The PyPI package `autograd`
(HIPS) also installs a package `autograd`: in one environment, whichever is installed last
overwrites the other's files, pip says nothing, and uninstalling one breaks the other. So
importing chainrule's `autograd` where HIPS autograd is also installed warns, once.
"""

from __future__ import annotations

import warnings
from importlib import metadata

HIPS = "autograd"  # the distribution name of HIPS autograd on PyPI


def warn_if_hips_autograd_is_installed() -> None:
    try:
        version = metadata.version(HIPS)
    except metadata.PackageNotFoundError:
        return
    warnings.warn(
        f"both chainrule and the PyPI package autograd {version} (HIPS autograd) are installed in this "
        "environment, and both install a package named `autograd`: whichever was installed last overwrote "
        "the other's files. Give chainrule a virtual environment of its own (python -m venv .venv), or "
        "pip uninstall autograd chainrule and reinstall the one you need.",
        stacklevel=3,
    )
