"""One import, as the command line and the upload page both run it: the
mapping loaded, the file streamed through it, the rows applied (or, for a
preview, applied and rolled back) by models/actions/admin_imports.py, and a
report of what it did or would do, with every bad row named by file, row and
column."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from models.actions.admin_import_rows import ReconcileProgress
from models.actions.admin_imports import ImportOutcome, Progress, run_import
from models.actions.errors import ActionError
from models.imports import mapping as mappings
from models.imports.rows import HeaderProblems, read_rows
from models.imports.tables import FileProblem, open_table

# What the preview counts, in the order it says them.
PREVIEW = (
    ("new", "new"),
    ("changed", "changed"),
    ("leaver", "leavers"),
    ("reallocation", "reallocations"),
    ("closed", "closed"),
    ("ended", "relationships ended"),
    ("new_team", "new teams and service areas"),
    ("unchanged", "unchanged"),
    ("refused", "bad rows"),
)


@dataclass
class ImportReport:
    file: str  # the file's name as the person gave it
    kind: str
    mapping: mappings.Mapping | None
    dry_run: bool
    outcome: ImportOutcome | None = None
    problems: list[str] = field(default_factory=list)  # "file, row 3, column 'Role': ..."

    @property
    def applied(self) -> bool:
        return self.outcome is not None and self.outcome.applied

    @property
    def exit_status(self) -> int:
        """0 when all went as asked (or a partial import imported), 2 otherwise."""
        if self.outcome is None:
            return 2
        if self.outcome.problems and not (self.outcome.partial and self.applied):
            return 2
        return 0

    def counts(self) -> list[tuple[str, int]]:
        counts = self.outcome.counts if self.outcome else {}
        return [(label, counts.get(key, 0)) for key, label in PREVIEW]

    def changes(self) -> list[str]:
        """Every change that is not a new row, field by field."""
        if self.outcome is None:
            return []
        return [str(c) for c in self.outcome.changes.items if c.outcome not in ("new", "new_team")]

    def summary(self) -> str:
        what = "Would import" if self.dry_run or not self.applied else "Imported"
        if self.outcome is not None and not self.applied and not self.dry_run:
            what = "Nothing imported; would have imported"
        counts = ", ".join(f"{n} {label}" for label, n in self.counts())
        rows = self.outcome.rows if self.outcome else 0
        return f"{what} {self.kind} from {self.file} ({rows} rows): {counts}."


def _where(file: str, mapping: mappings.Mapping, row: int | None, field_name: str) -> str:
    parts = [file]
    if row:
        parts.append(f"row {row}")
    if field_name:
        parts.append(f"column {mapping.header_of(field_name)!r}")
    return ", ".join(parts)


def import_file(
    kind: str,
    path: Path,
    *,
    on: date,
    mapping_name: str | None = None,
    organisation_slug: str | None = None,
    actor_user_id: int | None = None,
    dry_run: bool = False,
    partial: bool = False,
    display_name: str | None = None,
    progress: Progress | None = None,
    reconcile_progress: ReconcileProgress | None = None,
    session_factory: sessionmaker | None = None,
) -> ImportReport:
    """Import the file (or, with dry_run, say what importing it would do)."""
    name = display_name or path.name
    try:
        mapping = mappings.load(mapping_name or mappings.default_for(kind), kind)
    except mappings.MappingError as error:
        return ImportReport(name, kind, None, dry_run, problems=[f"mapping: {error}"])
    report = ImportReport(name, kind, mapping, dry_run)
    try:
        with open_table(path) as table:
            report.outcome = run_import(
                kind,
                read_rows(mapping, table),
                on=on,
                source=name,
                organisation_slug=organisation_slug,
                actor_user_id=actor_user_id,
                dry_run=dry_run,
                partial=partial,
                progress=progress,
                reconcile_progress=reconcile_progress,
                session_factory=session_factory,
            )
    except FileProblem as error:
        where = f", row {error.row}" if error.row else ""
        report.problems.append(f"{name}{where}: the file {error}")
    except HeaderProblems as error:
        report.problems += [f"{name}, row 1, column {c!r}: {m}" for c, m in error.problems]
    except ActionError as error:
        report.problems.append(f"{name}: {error}")
    if report.outcome is not None:
        report.problems += [
            f"{_where(name, mapping, p.row, p.field)}: {p.message}"
            for p in sorted(report.outcome.problems, key=lambda p: (p.row, p.field))
        ]
    return report
