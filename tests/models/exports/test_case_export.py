"""Case supervision entries out as a case system's bulk upload: the layout
the mapping gives, a date range, one organisation (or one person's scope),
one query however many entries, and an audit entry per worker."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from models import AuditEntry
from models.exports import mapping as layouts
from models.exports.cases import OBJECT_TYPE, CaseExport, export_case_supervision
from tests.models.exports.conftest import FIRST, LAST
from tests.statements import statements_during


def _rows(db, export, name, **audit):
    lines = export_case_supervision(export, layouts.load(name), session_factory=db, **audit)
    return list(csv.reader(io.StringIO("".join(lines))))


def test_the_lcs_layout_writes_each_entry_in_range_by_case_id_with_lcs_words(db, case_council):
    rows = _rows(db, CaseExport(case_council.organisation_id, FIRST, LAST), "lcs_case_notes")

    header, *entries = rows
    assert header[:3] == ["Person ID", "Case Note Type", "Case Note Date"]
    assert [(e[0], e[1], e[2]) for e in entries] == [
        ("100100", "Management Oversight", "30/11/2026"),
        ("200200", "Management Decision", "03/11/2026"),
    ]
    text = dict(zip(header, entries[1], strict=True))
    assert text["Case Note Text"] == (
        "Decision: Convene a strategy meeting\nRationale: New bruising reported by school\n"
        "Next steps: Strategy meeting by Friday"
    )
    assert text["Case Note Subject"] == "Management oversight (case supervision)"
    assert text["Oversight Reference"] == str(case_council.entries["cp"])


def test_the_mosaic_layout_translates_case_types_and_the_important_decision(db, case_council):
    rows = _rows(db, CaseExport(case_council.organisation_id, FIRST, LAST), "mosaic_case_notes")

    entries = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [
        (e["Mosaic ID"], e["Involvement Type"], e["Significant Decision"]) for e in entries
    ] == [("LCS-100100", "Child in Need", "N"), ("LCS-200200", "Child Protection", "Y")]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(db, case_council):
    rows = _rows(db, CaseExport(case_council.organisation_id, FIRST, LAST), "mosaic_case_notes")

    assert dict(zip(rows[0], rows[1], strict=True))["Decision"] == "'=HYPERLINK(1)"


def test_a_scope_exports_only_the_entries_about_the_cases_of_the_people_in_it(db, case_council):
    will_only = select(AuditEntry.subject_staff_id).where(False)  # nobody
    assert (
        _rows(
            db, CaseExport(case_council.organisation_id, FIRST, LAST, will_only), "lcs_case_notes"
        )[1:]
        == []
    )

    from models import StaffMember

    will = select(StaffMember.id).where(StaffMember.id == case_council.will)
    rows = _rows(db, CaseExport(case_council.organisation_id, FIRST, LAST, will), "lcs_case_notes")
    assert [r[0] for r in rows[1:]] == ["200200"]


def test_the_export_is_audited_once_for_each_worker_whose_entries_it_holds(db, case_council):
    _rows(db, CaseExport(case_council.organisation_id, FIRST, LAST), "lcs_case_notes")

    with db() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == OBJECT_TYPE)
        ).all()
    assert sorted(e.subject_staff_id for e in entries) == sorted(
        [case_council.will, case_council.wyn]
    )
    assert {(e.action, e.object_id, e.actor) for e in entries} == {
        ("read", "2026-11-01..2026-11-30", "command line")
    }
    assert "from 01/11/2026 to 30/11/2026" in entries[0].detail


def test_the_export_is_one_query_however_many_entries_it_holds(db, case_council):
    export = CaseExport(case_council.organisation_id, FIRST, LAST)
    lines = export_case_supervision(export, layouts.load("lcs_case_notes"), session_factory=db)
    # The lines are a generator: the query runs as they are read, so count there.
    written, statements = statements_during(db.kw["bind"], lambda: list(lines), kinds=("SELECT",))
    assert len(written) == 3
    assert statements == 1
