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
