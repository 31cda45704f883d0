"""From a file's cells to Oversight's values, through a mapping: the header
checked (every mapped column there once, and no column that looks like it
holds children's names), then each row's values read and checked on their
own (a known role or case type, a real date, a case ID that is an ID). What
needs the database (does that line manager exist?) is the appliers' part."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from models.actions.admin_import_rows import ImportRow, RowProblem
from models.imports.mapping import REQUIRED, VOCABULARIES, Mapping
from models.imports.tables import MOST_CHARACTERS_IN_A_CELL, FileProblem, Table
from models.tables.cases import CaseIdError, check_case_id

DATE_FIELDS = {
    "started_on",
    "left_on",
    "ended_on",
    "allocated_on",
    "closed_on",
    "asye_started_on",
    "probation_ends_on",
}
STAFF_NUMBER_FIELDS = {"staff_number", "line_manager", "supervisee", "supervisor", "worker"}
REQUIRED_VALUES = {
    "staff_number",
    "name",
    "email",
    "role",
    "started_on",
    "supervisee",
    "supervisor",
    "case_id",
    "case_type",
    "worker",
    "allocated_on",
}

# Headers that would hold a child's name or identity rather than a case ID.
CHILD_COLUMN = re.compile(
    r"\b(child|children|client|young ?person|pupil|forenames?|first ?names?|surnames?|"
    r"last ?names?|family ?name|given ?names?|full ?name|name|date ?of ?birth|dob|nhs)\b",
    re.IGNORECASE,
)
CHILD_WORD = re.compile(r"\b(child|children|client|young ?person|pupil)\b", re.IGNORECASE)
# No database stores a NUL, and no export means one: the file is damaged.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


class HeaderProblems(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{c}: {m}" for c, m in problems))
        self.problems = problems  # (column, what is wrong)


def check_headers(mapping: Mapping, headers: list[str]) -> dict[str, list[int]]:
    """Each field's column positions; every problem with the header at once."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        if header and header in seen:
            problems.append((header, "this column appears twice in the header."))
        seen.setdefault(header, position)
    for header in headers:
        looks_like_a_child = CHILD_COLUMN if mapping.kind == "cases" else CHILD_WORD
        if header and looks_like_a_child.search(header) and not _is_case_id(mapping, header):
            problems.append(
                (
                    header,
                    "this column looks like it holds children's names or "
                    "details; Oversight takes case IDs only. Remove the column.",
                )
            )
    positions = {}
    for field_name, wanted in mapping.columns.items():
        missing = [h for h in wanted if h not in seen]
        if missing and field_name not in REQUIRED[mapping.kind]:
            continue  # a column the file leaves out: that fact is left as it is
        if missing:
            problems.append(
                (
                    missing[0],
                    f"the file has no such column (mapping {mapping.name}, field {field_name}).",
                )
            )
        else:
            positions[field_name] = [seen[h] for h in wanted]
    if problems:
        raise HeaderProblems(problems)
    return positions


def _is_case_id(mapping: Mapping, header: str) -> bool:
    return header in mapping.columns.get("case_id", ())


def read_rows(mapping: Mapping, table: Table) -> Iterator[ImportRow]:
    positions = check_headers(mapping, table.headers)
    for number, cells in table.rows:
        yield read_row(mapping, positions, number, cells, len(table.headers))


def read_row(mapping, positions, number: int, cells: list[Any], width: int) -> ImportRow:
    row = ImportRow(number, {})
    if len(cells) > width and not _blank_tail(cells[width:]):
        row.problems.append(
            RowProblem(
                number, "", f"the row has {len(cells)} cells but the header has {width} columns."
            )
        )
    for field_name, at in positions.items():
        raw = [cells[i] if i < len(cells) else None for i in at]
        try:
            row.values[field_name] = read_value(mapping, field_name, raw)
        except ValueError as problem:
            row.problems.append(RowProblem(number, field_name, str(problem)))
    return row


def _blank_tail(cells: list[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    if len(text) > MOST_CHARACTERS_IN_A_CELL:
        raise ValueError("the cell is too long to be a value.")
    if CONTROL.search(text):
        raise ValueError("the cell holds a control character (the file may be damaged).")
    return text


def read_value(mapping: Mapping, field_name: str, raw: list[Any]) -> Any:
    if field_name in DATE_FIELDS:
        return _date(mapping, field_name, raw[0])
    text = " ".join(t for t in map(_text, raw) if t)
    if not text:
        if field_name in REQUIRED_VALUES:
            raise ValueError("this is blank; it needs a value.")
        return (
            None
            if field_name not in ("job_title", "asye")
            else ("" if field_name == "job_title" else False)
        )
    if field_name in VOCABULARIES:
        return _word(mapping, field_name, text)
    if field_name == "asye":
        return _yes_or_no(text)
    if field_name == "case_id":
        return _case_id(mapping, text)
    if field_name in STAFF_NUMBER_FIELDS and len(text) > 40:
        raise ValueError(f"{text[:40]}... is too long for an employee number.")
    if len(text) > 200:
        raise ValueError("this is longer than 200 characters.")
    return text


def _word(mapping: Mapping, field_name: str, text: str):
    vocabulary = VOCABULARIES[field_name]
    translated = mapping.values.get(field_name, {}).get(text.lower())
    ours = translated or text.lower().replace(" ", "_").replace("-", "_")
    try:
        return vocabulary(ours)
    except ValueError:
        expected = sorted(mapping.values.get(field_name) or {m.value for m in vocabulary})
        label = field_name.replace("_", " ")
        raise ValueError(
            f"unknown {label} {text!r}; expected one of {', '.join(expected)}."
        ) from None


def _yes_or_no(text: str) -> bool:
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise ValueError(f"{text!r} is not yes or no.")


def _case_id(mapping: Mapping, text: str) -> str:
    if mapping.case_id_prefix and text.isdigit():
        text = mapping.case_id_prefix + text
    try:
        return check_case_id(text)
    except CaseIdError:
        raise ValueError(f"{text[:40]!r} is not a case ID (a child is never named here).") from None


def _date(mapping: Mapping, field_name: str, cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    if not text:
        if field_name in REQUIRED_VALUES:
            raise ValueError("this is blank; it needs a date.")
        return None
    day = _parsed_date(text, mapping.date_formats)
    if day is None:
        raise ValueError(f"{text[:40]!r} is not a date in the form {mapping.date_formats[0]}.")
    return day


# A file of 25,000 cases holds a few hundred distinct dates: each is parsed once.
@functools.lru_cache(maxsize=4096)
def _parsed_date(text: str, formats: tuple[str, ...]) -> date | None:
    for fmt in formats:
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day
    return None


def file_problem_lines(path_name: str, error: FileProblem) -> list[str]:
    where = f", row {error.row}" if error.row else ""
    return [f"{path_name}{where}: the file {error}"]
