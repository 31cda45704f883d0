"""Column mappings: which header of a source system's export holds each of
Oversight's fields, and how its values translate (an iTrent job family to a
role, an LCS case status to a case type). One YAML file per source system in
models/imports/mappings/, and more in the folders OVERSIGHT_IMPORT_MAPPINGS
names (`:`-separated), so a council whose file has other headers writes a
mapping instead of editing its file. A mapping is checked when it is loaded;
every error names the file and the key."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from models.tables.cases import CaseType
from models.tables.org import Employment, StaffRole
from models.tables.supervision import RelationshipReason
from policy.facts import CASE_CATEGORIES

SHIPPED = Path(__file__).with_name("mappings")

# Each kind's fields: required ones first, then the ones a file may leave out.
REQUIRED = {
    "staff": ("staff_number", "name", "email", "role", "started_on"),
    "relationships": ("supervisee", "supervisor", "started_on"),
    "cases": ("case_id", "case_type", "worker", "allocated_on"),
}
OPTIONAL = {
    "staff": (
        "job_title",
        "employment",
        "left_on",
        "asye",
        "asye_started_on",
        "probation_ends_on",
        "service_area",
        "team",
        "line_manager",
    ),
    "relationships": ("reason", "ended_on"),
    "cases": ("closed_on", "category"),
}
# A case's category (Nottingham §1.6), as a vocabulary a mapping may translate to.
CaseCategory = StrEnum("CaseCategory", [(c.upper(), c) for c in CASE_CATEGORIES])
# The fields whose values are one of Oversight's words, which a mapping may translate to.
VOCABULARIES: dict[str, type[StrEnum]] = {
    "role": StaffRole,
    "employment": Employment,
    "reason": RelationshipReason,
    "case_type": CaseType,
    "category": CaseCategory,
}
TOP_LEVEL = {"kind", "description", "columns", "values", "date_formats", "case_id_prefix"}
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    name: str
    path: Path
    kind: str
    description: str
    # our field -> the file's header (a name may be several headers joined with a space)
    columns: dict[str, tuple[str, ...]]
    # our field -> {the file's value, lower-cased -> our value}
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    case_id_prefix: str = ""

    def header_of(self, field_name: str) -> str:
        """The file's column a field comes from, as an error message names it."""
        headers = self.columns.get(field_name)
        return " + ".join(headers) if headers else field_name


def folders() -> list[Path]:
    extra = [
        Path(p) for p in os.environ.get("OVERSIGHT_IMPORT_MAPPINGS", "").split(os.pathsep) if p
    ]
    return [SHIPPED, *extra]


def available(kind: str | None = None) -> list[str]:
    """The mappings' names, for one kind of file or every kind."""
    names = []
    for folder in folders():
        for path in sorted(folder.glob("*.yaml")):
            try:
                mapping = load_path(path)
            except MappingError:
                continue
            if kind is None or mapping.kind == kind:
                names.append(mapping.name)
    return sorted(set(names))


def load(name_or_path: str, kind: str) -> Mapping:
    """A mapping by name (a file in a mappings folder) or by path, for this kind of file."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        found = [
            f / f"{name_or_path}.yaml" for f in folders() if (f / f"{name_or_path}.yaml").is_file()
        ]
        if not found or "/" in name_or_path:
            raise MappingError(
                f"There is no mapping called {name_or_path!r}; the {kind} mappings are "
                f"{', '.join(available(kind)) or 'none'}."
            )
        path = found[-1]
    mapping = load_path(path)
    if mapping.kind != kind:
        raise MappingError(f"{path}: kind: this mapping is for {mapping.kind}, not {kind}.")
    return mapping


def default_for(kind: str) -> str:
    return f"oversight_{kind}"


def read_mapping_file(
    path: Path, top_level: frozenset[str] | set[str], error: type[ValueError]
) -> dict[str, Any]:
    """A column mapping's YAML (an import's or an export's) as a dict of its
    known top-level keys; `error` names the file and the key that is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(f"{path}: cannot be read: {problem.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as problem:
        raise error(f"{path}: is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise error(f"{path}: must be a mapping of keys (kind, columns, ...).")
    unknown = sorted(set(map(str, data)) - top_level)
    if unknown:
        raise error(f"{path}: {unknown[0]}: unknown key; expected some of {sorted(top_level)}.")
    return data


def load_path(path: Path) -> Mapping:
    data = read_mapping_file(path, TOP_LEVEL, MappingError)
    kind = data.get("kind")
    if kind not in REQUIRED:
        raise MappingError(f"{path}: kind: must be one of {', '.join(REQUIRED)}, not {kind!r}.")
    return Mapping(
        name=path.stem,
        path=path,
        kind=kind,
        description=str(data.get("description") or path.stem),
        columns=_columns(path, kind, data.get("columns")),
        values=_values(path, data.get("values") or {}),
        date_formats=_date_formats(path, data.get("date_formats")),
        case_id_prefix=_prefix(path, data.get("case_id_prefix")),
    )


def _columns(path: Path, kind: str, columns: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(columns, dict):
        raise MappingError(f"{path}: columns: must map each field to the file's header.")
    known = REQUIRED[kind] + OPTIONAL[kind]
    result = {}
    for name, header in columns.items():
        if name not in known:
            raise MappingError(f"{path}: columns.{name}: not a {kind} field; expected {known}.")
        headers = tuple(header) if isinstance(header, list) else (header,)
        if not headers or not all(isinstance(h, str) and h.strip() for h in headers):
            raise MappingError(f"{path}: columns.{name}: must be a header (or a list of headers).")
        if len(headers) > 1 and name != "name":
            raise MappingError(f"{path}: columns.{name}: only name may join several headers.")
        result[name] = tuple(h.strip() for h in headers)
    missing = [f for f in REQUIRED[kind] if f not in result]
    if missing:
        raise MappingError(f"{path}: columns.{missing[0]}: a {kind} mapping must give this field.")
    return result


def _values(path: Path, values: Any) -> dict[str, dict[str, str]]:
    if not isinstance(values, dict):
        raise MappingError(f"{path}: values: must map a field to its translations.")
    result = {}
    for name, table in values.items():
        vocabulary = VOCABULARIES.get(name)
        if vocabulary is None:
            raise MappingError(f"{path}: values.{name}: only {sorted(VOCABULARIES)} translate.")
        if not isinstance(table, dict):
            raise MappingError(f"{path}: values.{name}: must map the file's values to ours.")
        allowed = {m.value for m in vocabulary}
        for theirs, ours in table.items():
            if ours not in allowed:
                raise MappingError(
                    f"{path}: values.{name}.{theirs}: {ours!r} is not one of {sorted(allowed)}."
                )
        result[name] = {str(k).strip().lower(): v for k, v in table.items()}
    return result


def _date_formats(path: Path, formats: Any) -> tuple[str, ...]:
    if formats is None:
        return DEFAULT_DATE_FORMATS
    if not isinstance(formats, list) or not formats:
        raise MappingError(f"{path}: date_formats: must be a list such as ['%d/%m/%Y'].")
    for i, fmt in enumerate(formats):
        if not isinstance(fmt, str) or "%" not in fmt:
            raise MappingError(f"{path}: date_formats[{i}]: {fmt!r} is not a date format.")
    return tuple(formats)


def _prefix(path: Path, prefix: Any) -> str:
    if prefix is None:
        return ""
    if not isinstance(prefix, str) or not prefix.rstrip("-").isalpha() or not prefix.isupper():
        raise MappingError(f"{path}: case_id_prefix: must be capital letters, like LCS-.")
    return prefix
