"""The README's command-line examples work from a fresh clone of the
repository alone: every file they read is in it, and each runs."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from policy.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [
    shlex.split(line.split("#")[0])[1:]
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    if line.startswith(".venv/bin/oversight ")
]


def test_the_readme_has_command_line_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("argv", EXAMPLES, ids=lambda argv: " ".join(argv[:3]))
def test_each_readme_example_reads_only_files_in_the_repository_and_runs(argv, capsys):
    files = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--facts"]
    for name in files:
        path = (ROOT / name).resolve()
        assert path.is_relative_to(ROOT), f"{name} is outside the repository"
        assert path.exists(), f"{name} is not in the repository"
    argv = [str(ROOT / a) if a in files else a for a in argv]
    assert main(argv) == 0
    out = capsys.readouterr().out
    if argv[0] == "obligations":
        assert json.loads(out), "some obligations for the example facts"
    else:
        assert "Source: " in out
