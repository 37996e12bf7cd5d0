"""The CI scripts say what they skip, and why, instead of passing without a word."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_test_pythons_says_which_pythons_it_skipped_and_why(tmp_path):
    tools = tmp_path / "bin"  # a PATH with the script's tools and no Python, and an empty pyenv
    tools.mkdir()
    for tool in ["bash", "dirname", "ls", "tail"]:
        (tools / tool).symlink_to(shutil.which(tool) or f"/bin/{tool}")
    env = {**os.environ, "PATH": str(tools), "PYENV_ROOT": str(tmp_path / "pyenv")}
    script = [str(ROOT / ".ci" / "test-pythons"), "tests/test_clash.py"]
    done = subprocess.run(script, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "skipped: the engine's tests on Python 3.12 (python3.12 is neither on PATH nor in pyenv's versions)",
        "skipped: the engine's tests on Python 3.13 (python3.13 is neither on PATH nor in pyenv's versions)",
        "test-pythons: ran on Python none; skipped 3.12 3.13",
    ]


def test_ci_runs_lint_and_every_make_target_it_names_exists():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    line = next(line for line in script.splitlines() if line.startswith("for target in "))
    targets = line.removeprefix("for target in ").removesuffix("; do").split()
    assert targets == ["test", "lint", "test-without-dot", "test-torch", "test-pythons"]
    for target in targets:
        dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=False)
        assert dry.returncode == 0, f"make {target}: {dry.stderr}"
