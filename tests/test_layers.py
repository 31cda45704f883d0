"""DESIGN.md "Layers": imports point down the list only, and Prefect stays in
tasks/, flows/ and deployments/ so the engine and the web app run without it.
Read from the source with ast, so a stray import anywhere fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"policy", "models", "tasks", "flows", "deployments", "webapp"}
# What each package may import of ours.
ALLOWED = {
    "policy": set(),
    "models": {"policy"},
    "tasks": {"models", "policy"},
    "flows": {"tasks", "models", "policy"},
    "deployments": {"flows", "tasks", "models", "policy"},
    "webapp": {"models", "policy"},
}
FRAMEWORKS = {"prefect": {"tasks", "flows", "deployments"}, "flask": {"webapp"}}


def imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package):
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sources(package)
        for name in imported_top_level_names(path) & (OURS - {package})
        if name not in ALLOWED[package]
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_each_framework_is_imported_only_where_it_belongs(framework):
    wrong = {
        str(path.relative_to(ROOT))
        for package in sorted(ALLOWED)
        if package not in FRAMEWORKS[framework]
        for path in sources(package)
        if framework in imported_top_level_names(path)
    }
    assert not wrong, sorted(wrong)
