import doctest
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def test_readme_examples_run_as_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the files they write (out/c.svg, ...) go there, not beside the demos' output
    text = README.read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in text.split("```python")[1:]]
    parser = doctest.DocTestParser()
    test = parser.get_doctest("\n".join(blocks), {}, "README.md", str(README), 0)
    assert len(test.examples) > 20
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0


def shell_lines() -> list[str]:
    """The commands of the README's sh blocks, comments dropped."""
    text = README.read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in text.split("```sh")[1:]]
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_shell_commands_run_as_printed():
    lines = shell_lines()
    assert lines[:2] == ["make demo", "make test"]  # the two commands come first
    root = README.parent
    for line in lines:
        words = shlex.split(line)
        if words[0] == "make":  # its recipe exists (running it here would rebuild .venv)
            done = subprocess.run(["make", "-n", *words[1:]], cwd=root, capture_output=True, text=True)
        elif words[0] == "python":
            done = subprocess.run([sys.executable, *words[1:]], cwd=root, capture_output=True, text=True)
        elif words[0] == "source":
            assert (root / words[1]).name == "activate"
            continue
        else:
            raise AssertionError(f"the README runs {line!r}; this test does not know how to check it")
        assert done.returncode == 0, f"{line}: {done.stderr}"


def test_every_test_the_guarantees_name_exists():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### What chainrule guarantees") : text.index("### Coming from micrograd")]
    named, current = [], ""
    for row in section.splitlines()[4:]:
        for cell in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", row):
            current = cell[0] or current
            named.append((current, cell[1]))
    assert len(named) >= 12
    for path, test in named:
        source = (README.parent / path).read_text(encoding="utf-8")
        assert not test or f"\ndef {test}(" in source, f"{path}::{test} is named in the README's guarantees"


FOLDERS = ("autograd/", "nn/", "demos/", "tests/", "docs/", "bench/", ".ci/")


def named_files() -> set[str]:
    """Every file and folder of the repository the README names: in code spans, links and pictures,
    and in the commands it prints (python docs/pictures.py), without a test's ::name."""
    text = README.read_text(encoding="utf-8")
    quoted = re.findall(r"`([^`\s]+)`", text) + re.findall(r"\]\(([^)\s]+)\)", text)
    commands = re.findall(r"(?:python|jupyter lab) ((?:[\w.]+/)+[\w.]*)", text)
    return {name.split("::")[0].split(":")[0] for name in quoted + commands if name.startswith(FOLDERS)}


def named_make_targets() -> set[str]:
    """The targets of every `make X` the README names, in prose or in its sh blocks (not a VARIABLE=value)."""
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"`make ([^`]+)`", text) + [line[5:] for line in shell_lines() if line.startswith("make ")]
    return {word for command in commands for word in command.split() if "=" not in word}


def named_modules() -> set[str]:
    """Every module the README runs with python -m; demos.NAME stands for each demo."""
    text = README.read_text(encoding="utf-8")
    modules = set(re.findall(r"python -m ([\w.]+[\w])", text)) - {"demos.NAME"}
    demos = {f"demos.{p.stem}" for p in (README.parent / "demos").glob("*.py") if "def main(" in p.read_text()}
    return modules | demos


def test_the_readme_names_files_targets_and_modules_to_check():
    assert {"docs/mazur_graph.svg", "demos/mazur.ipynb", "docs/pictures.py", "autograd/engine.py"} <= named_files()
    assert {"demo", "test", "demos", "pictures", "lint", "test-without-dot", "bench"} <= named_make_targets()
    assert {"demos.mazur", "demos.moons", "autograd.crosscheck", "bench.run"} <= named_modules()


def test_every_file_the_readme_names_exists():
    missing = sorted(name for name in named_files() if not (README.parent / name).exists())
    assert missing == [], f"the README names files that do not exist: {missing}"


def test_every_make_target_the_readme_names_exists():
    for target in sorted(named_make_targets()):
        dry = subprocess.run(["make", "-n", target], cwd=README.parent, capture_output=True, text=True, check=False)
        assert dry.returncode == 0, f"make {target}: {dry.stderr}"


def test_every_command_the_readme_names_runs_and_names_itself_in_its_help():
    commands = [[sys.executable, "-m", module] for module in sorted(named_modules())]
    commands.append([sys.executable, "docs/pictures.py"])
    for command in commands:
        done = subprocess.run([*command, "--help"], cwd=README.parent, capture_output=True, text=True, check=False)
        shown = "python " + " ".join(command[1:])
        assert done.returncode == 0, f"{shown} --help: {done.stderr}"
        assert done.stdout.startswith(f"usage: {shown} "), f"{shown} --help printed {done.stdout[:80]!r}"
