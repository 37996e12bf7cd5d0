"""The Makefile's first command: the Python it needs, said before anything is made; the runtime only for the demo."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
OLD_PYTHON = """#!/bin/sh
# A Python 3.10: says its version, and fails the Makefile's check of sys.version_info.
[ "$1" = "--version" ] && { echo "Python 3.10.13"; exit 0; }
exit 1
"""


@pytest.fixture
def checkout(tmp_path):
    """The Makefile and pyproject.toml in a folder of their own, with a Python 3.10 at tmp_path/python3.10."""
    for name in ["Makefile", "pyproject.toml"]:
        shutil.copy(ROOT / name, tmp_path / name)
    old = tmp_path / "python3.10"
    old.write_text(OLD_PYTHON)
    old.chmod(0o755)
    return tmp_path


def make(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """make run as a user runs it, not as a sub-make of the `make test` that runs these tests (which would
    print "make[1]: Entering directory" first)."""
    outside = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    return subprocess.run(["make", *arguments], cwd=folder, capture_output=True, text=True, check=False, env=outside)


def test_an_old_python_is_named_with_what_to_run_instead_and_nothing_is_made(checkout):
    done = make(checkout, "demo", f"PYTHON={checkout / 'python3.10'}")
    assert done.returncode != 0
    assert done.stdout.splitlines() == [
        f"chainrule needs Python 3.11 or newer; {checkout / 'python3.10'} is Python 3.10.13.",
        "Install Python 3.11+ and run: make clean; make PYTHON=python3.11 demo",
    ]
    assert not (checkout / ".venv").exists()


def test_a_venv_an_old_python_made_is_made_again(checkout):
    venv_python = checkout / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    shutil.copy(checkout / "python3.10", venv_python)
    done = make(checkout, "-n", "demo")
    assert done.stdout.splitlines()[0] == ".venv was made by Python 3.10.13, older than 3.11: making it again"
    assert not (checkout / ".venv").exists()


def test_the_demo_installs_the_runtime_only_and_the_tests_add_the_dev_extra(checkout):
    demo, test = make(checkout, "-n", "demo").stdout, make(checkout, "-n", "test").stdout
    assert "pip install --quiet --disable-pip-version-check -e .\n" in demo and "[dev]" not in demo
    assert "-e '.[dev]'" in test
