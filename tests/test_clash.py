from importlib import metadata

import pytest

from autograd import clash


def test_warns_when_hips_autograd_is_installed_too(monkeypatch):
    monkeypatch.setattr("autograd.clash.metadata.version", lambda name: "1.7.0" if name == "autograd" else "0")
    with pytest.warns(
        UserWarning, match=r"both chainrule and the PyPI package autograd 1.7.0 \(HIPS autograd\) are installed"
    ):
        clash.warn_if_hips_autograd_is_installed()


def test_silent_without_hips_autograd(monkeypatch, recwarn):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr("autograd.clash.metadata.version", missing)
    clash.warn_if_hips_autograd_is_installed()
    assert len(recwarn) == 0


def test_this_environment_has_no_clash():
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.version("autograd")
    assert metadata.version("chainrule")
