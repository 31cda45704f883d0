"""Export layouts: which columns, in which order, under which headers, a case
system's bulk upload expects for case supervision entries, and how our values
are written in its words. One YAML file per case system in
models/exports/mappings/ (LCS- and Mosaic-style examples), more in the
folders OVERSIGHT_EXPORT_MAPPINGS names (`:`-separated), the way import
mappings work (models/imports/mapping.py). A layout is checked when it is
loaded; every error names the file and the key.

    kind: case_supervision
    columns:                       # in the file's order
      - {header: Person ID, field: case_id}
      - {header: Source, text: Oversight}   # the same words on every row
    values:                        # our value -> theirs
      entry_type: {important_decision: Management Decision}
    date_format: "%d/%m/%Y"
    case_id_prefix: LCS-           # taken off our case IDs (LCS IDs are bare numbers)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.imports.mapping import read_mapping_file
from models.tables.cases import CaseType

SHIPPED = Path(__file__).with_name("mappings")
KIND = "case_supervision"
DEFAULT = "oversight_case_supervision"

# The fields an export may write, and what each is.
FIELDS = {
    "entry_id": "Oversight's number for the case supervision entry",
    "case_id": "the child's case ID in the case system",
    "case_type": "the case type",
    "entry_type": "case_direction, or important_decision when one was recorded",
    "supervised_on": "the day the case was supervised",
    "recorded_on": "the day the direction was entered on the child's record (may be blank)",
    "worker_staff_number": "the allocated worker's employee number",
    "worker_name": "the allocated worker's name",
    "supervisor_staff_number": "the supervisor's employee number",
    "supervisor_name": "the supervisor's name",
    "decision": "the case direction",
    "rationale": "the reasons for it",
    "next_steps": "the next steps",
    "direction": "decision, rationale and next steps as one text",
    "important_decision": "yes or no",
}
# The fields whose values a layout may translate, and their values.
VOCABULARIES = {
    "case_type": tuple(t.value for t in CaseType),
    "entry_type": ("case_direction", "important_decision"),
    "important_decision": ("yes", "no"),
}
TOP_LEVEL = {"kind", "description", "columns", "values", "date_format", "case_id_prefix"}
COLUMN_KEYS = {"header", "field", "text"}


class ExportMappingError(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None = None  # one of FIELDS, or None for fixed text
    text: str = ""


@dataclass(frozen=True)
class ExportMapping:
    name: str
    path: Path
    description: str
    columns: tuple[Column, ...]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    case_id_prefix: str = ""

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def folders() -> list[Path]:
    extra = os.environ.get("OVERSIGHT_EXPORT_MAPPINGS", "")
    return [SHIPPED, *(Path(p) for p in extra.split(os.pathsep) if p)]


def available() -> list[str]:
    """The names of the layouts that load."""
    names = set()
    for folder in folders():
        for path in folder.glob("*.yaml"):
            try:
                names.add(load_path(path).name)
            except ExportMappingError:
                continue
    return sorted(names)


def load(name_or_path: str) -> ExportMapping:
    """A layout by name (a file in a mappings folder) or by the path of a YAML file."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        found = [f / f"{name_or_path}.yaml" for f in folders()]
        found = [p for p in found if p.is_file()]
        if not found or "/" in name_or_path:
            raise ExportMappingError(
                f"There is no export mapping called {name_or_path!r}; the export mappings "
                f"are {', '.join(available()) or 'none'}."
            )
        path = found[-1]
    return load_path(path)


def load_path(path: Path) -> ExportMapping:
    data = read_mapping_file(path, TOP_LEVEL, ExportMappingError)
    if data.get("kind") != KIND:
        raise ExportMappingError(f"{path}: kind: must be {KIND}, not {data.get('kind')!r}.")
    return ExportMapping(
        name=path.stem,
        path=path,
        description=str(data.get("description") or path.stem),
        columns=_columns(path, data.get("columns")),
        values=_values(path, data.get("values") or {}),
        date_format=_date_format(path, data.get("date_format")),
        case_id_prefix=_prefix(path, data.get("case_id_prefix")),
    )


def _columns(path: Path, columns: Any) -> tuple[Column, ...]:
    if not isinstance(columns, list) or not columns:
        raise ExportMappingError(f"{path}: columns: must list the file's columns in order.")
    result: list[Column] = []
    for i, column in enumerate(columns):
        where = f"{path}: columns[{i}]"
        if not isinstance(column, dict) or set(map(str, column)) - COLUMN_KEYS:
            raise ExportMappingError(f"{where}: must have a header and a field or a text.")
        header = column.get("header")
        if not isinstance(header, str) or not header.strip():
            raise ExportMappingError(f"{where}.header: must be the column's heading.")
        if header.strip() in {c.header for c in result}:
            raise ExportMappingError(f"{where}.header: {header!r} is already a column.")
        if ("field" in column) == ("text" in column):
            raise ExportMappingError(f"{where}: give either field or text, not both or neither.")
        name = column.get("field")
        if "field" in column and name not in FIELDS:
            raise ExportMappingError(
                f"{where}.field: {name!r} is not a field; the fields are {', '.join(FIELDS)}."
            )
        text = column.get("text", "")
        if not isinstance(text, str):
            raise ExportMappingError(f"{where}.text: must be text.")
        result.append(Column(header.strip(), name, text))
    return tuple(result)


def _values(path: Path, values: Any) -> dict[str, dict[str, str]]:
    if not isinstance(values, dict):
        raise ExportMappingError(f"{path}: values: must map a field to its translations.")
    result = {}
    for name, table in values.items():
        if name not in VOCABULARIES:
            raise ExportMappingError(
                f"{path}: values.{name}: only {', '.join(VOCABULARIES)} translate."
            )
        if not isinstance(table, dict):
            raise ExportMappingError(f"{path}: values.{name}: must map our values to theirs.")
        for ours, theirs in table.items():
            if str(ours) not in VOCABULARIES[name]:
                raise ExportMappingError(
                    f"{path}: values.{name}.{ours}: not one of {', '.join(VOCABULARIES[name])}."
                )
            if not isinstance(theirs, str | int):
                raise ExportMappingError(f"{path}: values.{name}.{ours}: must be text.")
        result[name] = {str(k): str(v) for k, v in table.items()}
    return result


def _date_format(path: Path, fmt: Any) -> str:
    if fmt is None:
        return "%Y-%m-%d"
    if not isinstance(fmt, str) or "%" not in fmt:
        raise ExportMappingError(f"{path}: date_format: {fmt!r} is not a date format.")
    return fmt


def _prefix(path: Path, prefix: Any) -> str:
    if prefix is None:
        return ""
    if not isinstance(prefix, str) or not prefix.rstrip("-").isalpha() or not prefix.isupper():
        raise ExportMappingError(f"{path}: case_id_prefix: must be capital letters, like LCS-.")
    return prefix
