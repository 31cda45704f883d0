"""Reading our own source for the tests that hold its shape (test_layers.py,
test_hygiene.py): which files there are, what each imports, and the
allow-lists of today's exceptions, which may only shrink."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("policy", "models", "tasks", "flows", "deployments", "webapp")
OURS = set(PRODUCT)


def sources(*packages: str) -> list[Path]:
    """Every Python file of the packages, migrations aside (Alembic writes them)."""
    return sorted(
        path
        for package in packages
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def name_of(path: Path) -> str:
    return str(path.relative_to(ROOT))


@cache
def tree_of(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for every import in the file, relative ones resolved:
    `import a.b` gives ("a.b", None), `from a import b` gives ("a", "b")."""
    package = module_of(path) if path.name == "__init__.py" else module_of(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree_of(path)):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found += [(module, alias.name) for alias in node.names]
    return found


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, counting `from a import b` as a.b too
    (b may be a module; where it is not, a.b names nothing and matches nothing)."""
    return {
        m
        for module, name in imports(path)
        for m in (module, f"{module}.{name}" if name else module)
    }


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def only_shrinks(found: dict[str, int], allowed: dict[str, int], what: str) -> None:
    """What is wrong with `found` (offender -> its size) against an allow-list
    of today's offenders (offender -> the size it had): an offender not on the
    list, one grown past its entry, and an entry no longer needed, which must
    be deleted so that it cannot come back. Fails listing them, one a line."""
    problems = [
        f"{name}: {size} (new; {what})" for name, size in found.items() if name not in allowed
    ]
    problems += [
        f"{name}: {size}, was {allowed[name]} (it may only shrink)"
        for name, size in found.items()
        if name in allowed and size > allowed[name]
    ]
    problems += [
        f"{name}: fixed, so delete its allow-list entry (it must not come back)"
        for name in allowed
        if name not in found
    ]
    assert not problems, "\n" + "\n".join(sorted(problems))
