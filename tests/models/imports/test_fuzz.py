"""The importers fed generated and mangled files (hypothesis): whatever the
bytes, an import never raises, and it either imports the whole file or
changes nothing at all (all or nothing; and with --partial only whole rows)."""

from __future__ import annotations

import io
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from models.imports.importer import import_file
from tests.models.imports.conftest import STAFF_HEADER, TODAY, staff_row, table_counts

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = count()


def staff_csv() -> bytes:
    rows = [
        STAFF_HEADER,
        staff_row("F1", role="team_manager"),
        staff_row("F2", "F1"),
        staff_row("F3", "F2", left="2026-06-30"),
        staff_row("F4", "F1"),
    ]
    return "\n".join(",".join(f'"{c}"' for c in r) for r in rows).encode() + b"\n"


@st.composite
def mangled(draw) -> bytes:
    data = bytearray(staff_csv())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "line"]))
        if kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "truncate":
            del data[at:]
        else:
            line = draw(st.lists(st.text(max_size=12), max_size=12))
            data[at:at] = (",".join(line) + "\n").encode("utf-8", "surrogatepass")
    return bytes(data)


def check_all_or_nothing(db, council, tmp_path, content: bytes, suffix: str, partial=False):
    path = tmp_path / f"fuzz-{next(NAMES)}{suffix}"
    path.write_bytes(content)
    with db() as session:
        before = table_counts(session)

    report = import_file("staff", path, on=TODAY, organisation_slug=council.slug, partial=partial)

    assert report.exit_status in (0, 2)
    with db() as session:
        after = table_counts(session)
    if not report.applied:
        assert after == before, report.problems
    elif report.outcome.problems and not partial:
        raise AssertionError("an import with bad rows was applied without --partial")
    return report


@FUZZ
@given(content=mangled())
def test_a_mangled_csv_never_crashes_and_never_half_imports(db, council, tmp_path, content):
    check_all_or_nothing(db, council, tmp_path, content, ".csv")


@FUZZ
@given(content=mangled())
def test_a_mangled_csv_imported_partially_never_crashes(db, council, tmp_path, content):
    report = check_all_or_nothing(db, council, tmp_path, content, ".csv", partial=True)
    if report.outcome is not None:
        assert report.outcome.refused_rows == len({p.row for p in report.outcome.problems})


@FUZZ
@given(
    cells=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(),
                st.floats(allow_nan=True),
                st.text(max_size=15),
                st.dates(),
            ),
            max_size=10,
        ),
        max_size=6,
    )
)
def test_a_generated_workbook_never_crashes_and_never_half_imports(db, council, tmp_path, cells):
    book = Workbook()
    sheet = book.active
    sheet.append(STAFF_HEADER)
    buffer = io.BytesIO()
    try:
        for row in cells:
            sheet.append(row)
        book.save(buffer)
    except (ValueError, IllegalCharacterError):
        return  # openpyxl itself refuses some characters when writing: not a file we get
    check_all_or_nothing(db, council, tmp_path, buffer.getvalue(), ".xlsx")


@FUZZ
@given(content=st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b))
def test_a_broken_workbook_is_refused_cleanly(db, council, tmp_path, content):
    report = check_all_or_nothing(db, council, tmp_path, content, ".xlsx")
    assert report.exit_status == 2
