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
import os
import re
from collections.abc import Callable
from functools import lru_cache
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


# --- the documents' titles, as people cite them ---------------------------------

# Each council's policy document is named by the file it came in
# (../shared/seeds/), and its profile's rules.yaml gives its `title`
# ("Lancashire County Council: Supervision Practice Standards"): every
# citation the product shows names the title, never the file, and a form's own
# words name the organisation using it, not the council whose document it
# came from (the title's part before the colon).


# "Lancashire County Council: Supervision Practice Standards" names its council.
_COUNCIL_IN_TITLE = re.compile(r"^([^:]+?)\s*:\s")


def _documents() -> dict[str, tuple[str, str | None]]:
    """source file -> (title, the council it names), from every profile found,
    OVERSIGHT_PROFILES's included."""
    from policy.profile import PROFILES_ENV

    return _documents_of(os.environ.get(PROFILES_ENV, ""))


@lru_cache(maxsize=8)
def _documents_of(_extra_folders: str) -> dict[str, tuple[str, str | None]]:
    from policy.profile import available_profiles, load_profile

    found = {}
    for name in available_profiles():
        latest = load_profile(name)
        # Each version of a council's policy is its own document, its title
        # naming the version (policy/versions.py): a citation says which it follows.
        for profile in (*latest.earlier, latest):
            found[profile.source_file] = (profile.title, council_named_in(profile.title))
    return found


def council_named_in(title: str) -> str | None:
    """The council a document's title names, if it names one."""
    named = _COUNCIL_IN_TITLE.match(title)
    return named.group(1) if named else None


def adopter(organisation_name: str, title: str) -> str | None:
    """The organisation's name when the policy it follows is another council's
    document (the demo council follows Lancashire's); None when it is its own."""
    return None if council_named_in(title) == organisation_name else organisation_name


def adopted_citation(source: str | None, *, organisation_name: str, title: str) -> str:
    """A citation as people read it (`citation`), saying who adopted the policy
    when the organisation follows another council's document: "Lancashire County
    Council: Supervision Practice Standards, §1.10 (adopted by Demo County Council)"."""
    cited = citation(source)
    who = adopter(organisation_name, title)
    if cited and who and title in cited:
        return f"{cited} (adopted by {who})"
    return cited


_SEED_FILE = re.compile(r"\b(\d{3}_[0-9a-f]{16}\.txt)\b[ ,]*")


def document_title(source_file: str) -> str:
    """A document's title, as its profile gives it; a file no profile names
    keeps its file's name, without the extension."""
    known = _documents().get(source_file)
    return known[0] if known else source_file.removesuffix(".txt")


def for_organisation(text: str | None, organisation_name: str) -> str:
    """A form's own words with the organisation using it named where the
    document named its own council ("expected by our service, Lancashire
    County Council" read by Demo County Council names Demo County Council)."""
    out = text or ""
    for _title, council in _documents().values():
        if council and council != organisation_name:
            out = out.replace(council, organisation_name)
    return out


def citation(source: str | None) -> str:
    """A citation as people read it: "000_b775b8e7712f1ef5.txt §1.10" becomes
    "Lancashire Supervision Practice Standards, §1.10", wherever in the text
    a document's file is named."""
    if not source:
        return ""

    def titled(match: re.Match) -> str:
        rest = source[match.end() :]
        return document_title(match.group(1)) + (", " if rest.strip() else "")

    return _SEED_FILE.sub(titled, source).strip()


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
