"""A council's documents beside its rules: everything about the council that
is not an obligation (its agreement form, its record's agenda, its annual
review questionnaire, its observation form, its group agreement's wording),
one YAML file each in the council's profile folder:

    policy/profiles/<council>/rules.yaml
    policy/profiles/<council>/<document>.yaml

A document is read the first time it is asked for and checked against the
schema registered for it here, so a wrong field fails with the file, the line
and the field, as a wrong rule does. Register a document's schema with
`document_schema`: a function taking the parsed YAML (plain dicts and lists)
and the file's name, returning the document's value or raising
DocumentError(where, problem). A document's schema lives in
policy/forms/<document>.py, imported the first time the document is read."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Schema = Callable[[Any], Any]
_SCHEMAS: dict[str, tuple[Schema, bool]] = {}


class DocumentError(ValueError):
    """A council document that does not match its schema: where, and what is wrong."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


def document_schema(name: str, *, required: bool = False):
    """Register the schema of a document; `required`: every council must have it."""

    def register(schema: Schema) -> Schema:
        _SCHEMAS[name] = (schema, required)
        return schema

    return register


def known_documents() -> list[str]:
    return sorted(_SCHEMAS)


def read_document(folder: Path, name: str, error: type[Exception]) -> Any:
    """A council's document, checked; None when the council has none and none
    is required. Errors are raised as `error` naming the file (and the line,
    where the YAML says it)."""
    if name not in _SCHEMAS and importlib.util.find_spec(f"policy.forms.{name}") is not None:
        importlib.import_module(f"policy.forms.{name}")  # registers its schema
    if name not in _SCHEMAS:
        raise error(f"no document {name!r}; the known documents are {known_documents()}")
    schema, required = _SCHEMAS[name]
    path = folder / f"{name}.yaml"
    if not path.exists():
        if required:
            raise error(f"{path}: missing (every council's profile has a {name})")
        return None
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from None
    try:
        return schema(data)
    except DocumentError as bad:
        raise error(f"{path}: {bad.where}: {bad.problem}") from None


# --- small checkers a schema can use -------------------------------------------------


def mapping(value: Any, where: str, fields: dict[str, bool]) -> dict:
    """A mapping with these fields (name -> required) and no others."""
    if not isinstance(value, dict):
        raise DocumentError(where or "(top level)", "expected a mapping of field: value")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise DocumentError(
            f"{where}.{unknown[0]}".lstrip("."), f"unknown field; expected one of {sorted(fields)}"
        )
    missing = [f for f, required in fields.items() if required and f not in value]
    if missing:
        raise DocumentError(f"{where}.{missing[0]}".lstrip("."), "missing")
    return value


def text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DocumentError(where, "expected some text")
    return value.strip()


def sequence(value: Any, where: str) -> list:
    if not isinstance(value, list) or not value:
        raise DocumentError(where, "expected a non-empty list")
    return value


def whole_number(value: Any, where: str, *, least: int = 0, most: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise DocumentError(where, f"expected a whole number of at least {least}")
    if most is not None and value > most:
        raise DocumentError(where, f"expected a whole number no more than {most}")
    return value
