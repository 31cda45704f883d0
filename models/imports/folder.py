"""Import files picked up from a folder (OVERSIGHT_IMPORT_FOLDER), through
the same code as `oversight import` (importer.py). The folder is laid out
by organisation and kind, so a file says what it is by where it is put:

    <folder>/<organisation slug>/staff/export.csv              mapping oversight_staff
    <folder>/<organisation slug>/staff/itrent_staff/hr.xlsx    mapping itrent_staff
    <folder>/<organisation slug>/relationships/...             (then relationships)
    <folder>/<organisation slug>/cases/lcs_cases/caseload.csv  (then cases)
    <folder>/<organisation slug>/processing/                   claimed, being imported
    <folder>/<organisation slug>/done/ and failed/             each file with its report

Staff go first, then relationships, then cases, each kind in name order, so
a day's files that depend on each other import in the order that works.

Safe to run again, or twice at once, and after a crash at any point: one
run at a time works in an organisation's folder (a lock the operating
system drops if the process dies; a second run finds it held and leaves
the folder alone), and
1. a file is claimed by renaming it into processing/ (atomic on one
   filesystem), under a name that records the kind, mapping and original
   name, so a later run can finish it;
2. it is imported (one transaction, all or nothing), then its report is
   written beside it, named for where it goes (`.done.txt`, `.failed.txt`);
3. the file and then its report are moved to done/ or failed/.
A run first finishes what is left in processing/: a file with its report
is only moved on (and a report whose file has moved follows it); one without
is imported again, which changes nothing if its import had committed
(importing the same file twice is a no-op), so no file is ever imported twice."""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from models.imports import mapping as mappings
from models.imports.importer import PREVIEW, ImportReport, import_file

FOLDER_ENV = "OVERSIGHT_IMPORT_FOLDER"
KINDS_IN_ORDER = ("staff", "relationships", "cases")
SUFFIXES = (".csv", ".xlsx")
PROCESSING, DONE, FAILED = "processing", "done", "failed"


@dataclass(frozen=True)
class PickedUp:
    """What became of one file: where it and its report went, and the figures."""

    organisation: str
    kind: str
    mapping: str
    name: str  # the file's name as it was dropped
    outcome: str  # "done" or "failed"
    file: str
    report: str
    summary: str
    counts: tuple[tuple[str, int], ...]


def configured_folder() -> Path | None:
    text = os.environ.get(FOLDER_ENV, "").strip()
    return Path(text) if text else None


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _claimed_name(position: int, kind: str, mapping: str, name: str) -> str:
    # Kinds and mapping names are words without dots, so the name splits back;
    # the time and position keep the claims in the order they import.
    return f"{_stamp()}-{position:05d}.{kind}.{mapping}.{name}"


def _parts(claimed: Path) -> tuple[str, str, str]:
    """(kind, mapping, original name) of a claimed file."""
    _stamp_part, kind, mapping, name = claimed.name.split(".", 3)
    return kind, mapping, name


def _waiting(org_folder: Path) -> list[tuple[str, str, Path]]:
    """(kind, mapping, file) for each file dropped, in the order they import."""
    found = []
    for kind in KINDS_IN_ORDER:
        folder = org_folder / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                found.append((kind, mappings.default_for(kind), path))
            elif path.is_dir() and "." not in path.name:
                found += [
                    (kind, path.name, f)
                    for f in sorted(path.iterdir())
                    if f.is_file() and f.suffix.lower() in SUFFIXES
                ]
    return found


def _is_claimed_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUFFIXES and path.name.count(".") >= 4


def organisations(root: Path) -> list[str]:
    """The organisations with a folder under the root."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


@contextmanager
def _only_run(org_folder: Path) -> Iterator[bool]:
    """Whether this run has the organisation's folder to itself: a lock the
    operating system drops when the process ends, so a crash leaves none."""
    with (org_folder / ".pickup.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _claim(org_folder: Path) -> list[Path]:
    """Claim every waiting file; then everything in processing/, what an
    earlier run left there first (the claims are named by time)."""
    processing = org_folder / PROCESSING
    processing.mkdir(exist_ok=True)
    _finish_moving_reports(processing)
    for position, (kind, mapping, path) in enumerate(_waiting(org_folder)):
        path.rename(processing / _claimed_name(position, kind, mapping, path.name))
    return sorted(p for p in processing.iterdir() if _is_claimed_file(p))


def _finish_moving_reports(processing: Path) -> None:
    """A run that stopped between moving a file and moving its report: the
    report follows the file."""
    for report in processing.glob("*.txt"):
        name, outcome = report.name.rsplit(".", 2)[0], report.name.rsplit(".", 2)[1]
        destination = processing.parent / outcome
        if outcome in (DONE, FAILED) and (destination / name).exists():
            report.rename(destination / report.name)


def pick_up(root: Path, organisation: str, on: date) -> list[PickedUp]:
    """Import every file waiting in one organisation's folder, and finish
    what a crashed run left; nothing when another run is at it now."""
    org_folder = root / organisation
    if not org_folder.is_dir():
        raise FileNotFoundError(f"{org_folder}: there is no such folder to pick files up from.")
    with _only_run(org_folder) as alone:
        if not alone:
            return []
        return [_import_claimed(claimed, on) for claimed in _claim(org_folder)]


def _report_text(report: ImportReport) -> str:
    first = (
        report.summary() if report.outcome is not None else f"Nothing imported from {report.file}."
    )
    lines = [first, *(f"  {label}: {n}" for label, n in report.counts())]
    lines += [f"  {line}" for line in report.changes()]
    return "\n".join([*lines, *report.problems]) + "\n"


def _existing_report(claimed: Path) -> Path | None:
    return next(
        (r for o in (DONE, FAILED) if (r := claimed.with_name(f"{claimed.name}.{o}.txt")).exists()),
        None,
    )


def _write_report(claimed: Path, report: ImportReport) -> Path:
    outcome = DONE if report.exit_status == 0 else FAILED
    path = claimed.with_name(f"{claimed.name}.{outcome}.txt")
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(_report_text(report), encoding="utf-8")
    partial.replace(path)  # a report is there whole or not at all
    return path


COUNT_LINE = re.compile(r"\s+(?P<label>[a-z ]+): (?P<n>[0-9]+)")


def _counts(text: str) -> tuple[tuple[str, int], ...]:
    """The preview's figures, read back from a report."""
    labels = {label for _, label in PREVIEW}
    found = []
    for line in text.splitlines()[1:]:
        match = COUNT_LINE.fullmatch(line)
        if match and match["label"] in labels:
            found.append((match["label"], int(match["n"])))
    return tuple(found)


def _import_claimed(claimed: Path, on: date) -> PickedUp:
    """Import one claimed file unless its report says it was, then move the
    file and then its report to done/ or failed/."""
    org_folder = claimed.parent.parent
    kind, mapping, name = _parts(claimed)
    report_path = _existing_report(claimed)
    if report_path is None:
        report = import_file(
            kind,
            claimed,
            on=on,
            mapping_name=mapping,
            organisation_slug=org_folder.name,
            display_name=name,
        )
        report_path = _write_report(claimed, report)
    outcome = DONE if report_path.name.endswith(f".{DONE}.txt") else FAILED
    destination = org_folder / outcome
    destination.mkdir(exist_ok=True)
    moved = claimed.rename(destination / claimed.name)
    moved_report = report_path.rename(destination / report_path.name)
    text = moved_report.read_text(encoding="utf-8")
    return PickedUp(
        organisation=org_folder.name,
        kind=kind,
        mapping=mapping,
        name=name,
        outcome=outcome,
        file=str(moved),
        report=str(moved_report),
        summary=text.splitlines()[0],
        counts=_counts(text),
    )
