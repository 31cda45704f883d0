"""The README's test command (`make test`, scripts/run_tests.py) runs ruff's
lint and format checks and bandit's security lint as well as the suite, and
fails when any of them does."""

from __future__ import annotations

import importlib.util
import sys

import psycopg2
import pytest

from tests.source import ROOT


@pytest.fixture
def run_tests(monkeypatch):
    """scripts/run_tests.py with its commands recorded, not run, and no PostgreSQL."""
    spec = importlib.util.spec_from_file_location("run_tests", ROOT / "scripts" / "run_tests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ran, module.failing = [], set()

    def call(command, **_):
        module.ran.append(command[command.index("-m") + 1 :])
        return 1 if command[command.index("-m") + 1] in module.failing else 0

    def unreachable(*_, **__):
        raise psycopg2.OperationalError("no server")

    monkeypatch.setattr(module.subprocess, "call", call)
    monkeypatch.setattr(module.psycopg2, "connect", unreachable)
    monkeypatch.setattr(module, "IN_CI", False)
    return module


def test_the_test_command_runs_ruff_check_ruff_format_check_and_bandit_then_the_suite(run_tests):
    assert run_tests.main(["-k", "agreement"]) == 0
    assert run_tests.ran[:2] == [["ruff", "check", "."], ["ruff", "format", "--check", "."]]
    assert run_tests.ran[2][0] == "bandit" and "medium" in run_tests.ran[2]
    assert run_tests.ran[3][0] == "pytest" and run_tests.ran[3][-2:] == ["-k", "agreement"]
    assert run_tests.ran[0] and sys.executable


def test_bandit_scans_every_package_the_project_installs(run_tests):
    assert run_tests.main([]) == 0
    installed = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert installed <= set(run_tests.ran[2])


def test_a_ruff_failure_fails_the_test_command_after_the_suite_has_run(run_tests):
    run_tests.failing.add("ruff")
    assert run_tests.main([]) == 1
    assert [command[0] for command in run_tests.ran] == ["ruff", "ruff", "bandit", "pytest"]


def test_a_bandit_finding_fails_the_test_command_after_the_suite_has_run(run_tests):
    run_tests.failing.add("bandit")
    assert run_tests.main([]) == 1
    assert [command[0] for command in run_tests.ran] == ["ruff", "ruff", "bandit", "pytest"]
