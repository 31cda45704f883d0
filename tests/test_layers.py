"""DESIGN.md "Layers": imports point down the list only, and Prefect stays in
tasks/, flows/ and deployments/ so the engine and the web app run without it.
Inside the layers: models/ is tables, then the bridge to the engine, then the
actions; no blueprint of the web app reaches into another; no module takes
another's private names; only policy/keys.py builds or splits an obligation
key; Prefect's layers run no SQL of their own. Read from the source with ast,
so a stray import anywhere fails here.

Where the code does not keep a rule yet, its exceptions are listed below as
they stood when the rule was written, with a comment saying why; such a list
may only shrink (tests/source.py: only_shrinks), and the lead empties it."""

from __future__ import annotations

import ast

import pytest

from policy import keys, units
from tests.source import (
    OURS,
    PRODUCT,
    ROOT,
    imported_modules,
    imports,
    is_private,
    name_of,
    only_shrinks,
    sources,
    tree_of,
)

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


def top_level_names(path) -> set[str]:
    return {module.split(".")[0] for module, _ in imports(path) if module}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package):
    wrong = {
        f"{name_of(path)} imports {name}"
        for path in sources(package)
        for name in top_level_names(path) & (OURS - {package})
        if name not in ALLOWED[package]
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_each_framework_is_imported_only_where_it_belongs(framework):
    wrong = {
        name_of(path)
        for package in sorted(ALLOWED)
        if package not in FRAMEWORKS[framework]
        for path in sources(package)
        if framework in top_level_names(path)
    }
    assert not wrong, sorted(wrong)


# --- models/: tables, then the bridge to the engine, then the actions --------------

# What each part of models/ may import of the others.
MODELS_BELOW = {
    "models.tables": set(),
    "models.engine": {"models.tables"},
    "models.actions": {"models.tables", "models.engine"},
}


@pytest.mark.parametrize("part", sorted(MODELS_BELOW))
def test_models_is_tables_then_the_engine_then_the_actions(part):
    others = set(MODELS_BELOW) - {part} - MODELS_BELOW[part]
    wrong = {
        f"{name_of(path)} imports {module}"
        for path in sources(part.replace(".", "/"))
        for module in imported_modules(path)
        if any(module == o or module.startswith(o + ".") for o in others)
    }
    assert not wrong, sorted(wrong)


# --- webapp/: each blueprint keeps to itself ---------------------------------------

BLUEPRINTS = sorted(p.name for p in (ROOT / "webapp").iterdir() if (p / "__init__.py").exists())

# Blueprints reaching into another: none (what two areas share lives in webapp/*.py).
BLUEPRINT_IMPORTS_TODAY: dict[str, int] = {}


def blueprint_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "webapp" and parts[1] in BLUEPRINTS else None


def blueprint_imports() -> dict[str, int]:
    """'webapp/a/x.py imports webapp.b.y' for each blueprint reaching into
    another, and for each shared module (webapp/*.py) reaching into one; only
    the app factory (webapp/__init__.py) registers them."""
    found = {}
    for path in sources("webapp"):
        here = path.relative_to(ROOT / "webapp").parts
        own = here[0] if len(here) > 1 else None
        if here == ("__init__.py",):
            continue
        for module in sorted(imported_modules(path)):
            theirs = blueprint_of(module)
            if theirs and theirs != own:
                found[f"{name_of(path)} imports webapp.{theirs}"] = 1
    return found


def test_no_blueprint_imports_another_blueprint():
    only_shrinks(
        blueprint_imports(),
        BLUEPRINT_IMPORTS_TODAY,
        "a blueprint may import the shared modules in webapp/*.py, never another blueprint",
    )


# --- no module takes another's private names ---------------------------------------

# Private names imported from another module, as they stood when this rule was
# written: the tables' shared column helper.
PRIVATE_IMPORTS_TODAY = {
    "models/tables/cases.py imports models.tables.org._enum": 1,
    "models/tables/group_agreement.py imports models.tables.org._enum": 1,
    "models/tables/human_task.py imports models.tables.org._enum": 1,
    "models/tables/oversight.py imports models.tables.org._enum": 1,
    "models/tables/supervision.py imports models.tables.org._enum": 1,
}


def private_imports() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sources(*PRODUCT):
        for module, name in imports(path):
            if name and is_private(name) and module.split(".")[0] in OURS:
                key = f"{name_of(path)} imports {module}.{name}"
                found[key] = found.get(key, 0) + 1
    return found


def test_no_module_imports_another_modules_private_names():
    """Actions (and everything else) share what they share through public
    names; a leading underscore means "only this module uses it"."""
    only_shrinks(
        private_imports(), PRIVATE_IMPORTS_TODAY, "make the name public where it is shared"
    )


# --- only policy/keys.py builds or splits an obligation key ------------------------

# Where unit keys ("person:staff-7", policy/units.py) are built and read: a
# unit key is not an obligation key, but "case:" and "group:" begin both.
UNIT_PREFIXES = {f"{kind}:" for kind in units.UNIT_KINDS}
KEY_PREFIXES = {template.split("{")[0] for template in keys.FAMILIES.values()} | {
    keys.ESCALATION + ":"
}
KEY_HOMES = {"policy/keys.py", "policy/units.py"}
SPLITTERS = {"split", "rsplit", "partition", "rpartition"}

# Keys built or split outside policy/keys.py, as they stood when this rule was
# written: the annual review's and the observation form's keys, and the
# session record pages reading a key's date and version.
KEYS_OUTSIDE_TODAY = {
    "models/engine/task_values.py splits on ':'": 1,  # a group escalation's signatory
}


def _first_text(node) -> str | None:
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def keys_outside_their_home() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sources(*PRODUCT):
        if name_of(path) in KEY_HOMES:
            continue
        tree = tree_of(path)
        # An f-string's text is read once, from the f-string, not again from its parts.
        parts = {
            id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values
        }
        for node in ast.walk(tree):
            if id(node) in parts:
                continue
            text = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if (
                    node.func.attr in SPLITTERS
                    and node.args
                    and ":" in (_first_text(node.args[0]) or "")
                ):
                    text = f"splits on {_first_text(node.args[0])!r}"
            elif isinstance(node, ast.JoinedStr | ast.Constant):
                first = _first_text(node) or ""
                prefix = max(
                    (p for p in KEY_PREFIXES if first.startswith(p)), key=len, default=None
                )
                if prefix and not any(first.startswith(u) for u in UNIT_PREFIXES):
                    text = f"builds {prefix!r}"
            if text:
                key = f"{name_of(path)} {text}"
                found[key] = found.get(key, 0) + 1
    return found


def test_only_policy_keys_builds_or_splits_an_obligation_key():
    only_shrinks(
        keys_outside_their_home(),
        KEYS_OUTSIDE_TODAY,
        "use policy.keys.build / parse / day_of",
    )


# --- Prefect's layers run no SQL of their own --------------------------------------

SESSION_TYPES = {("sqlalchemy.orm", "Session"), ("sqlalchemy.orm", "sessionmaker")}


@pytest.mark.parametrize("package", ["tasks", "flows", "deployments"])
def test_tasks_flows_and_deployments_leave_sql_to_models(package):
    """Their queries live in models/engine and models/actions; they may only
    name the session types they pass on."""
    wrong = {
        f"{name_of(path)} imports {module}" + (f".{name}" if name else "")
        for path in sources(package)
        for module, name in imports(path)
        if module.split(".")[0] == "sqlalchemy" and (module, name) not in SESSION_TYPES
    }
    assert not wrong, sorted(wrong)
