"""The import-folder deployment's flow on Prefect: files dropped for an
organisation are imported, moved to done/ with their reports, and the run's
artifact shows each file's preview figures; run again, it finds nothing.
The folder logic itself is tested below Prefect in
tests/models/imports/test_folder_pickup.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import StaffMember
from tests.flows.test_agreement_flow import latest_artifact
from tests.models.imports.conftest import TODAY, a_staff_file, council  # noqa: F401

pytestmark = pytest.mark.prefect


def test_the_flow_imports_the_dropped_files_and_leaves_their_figures_as_an_artifact(
    prefect_server,
    db,
    council,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    from flows.import_folder import import_folder

    staff = tmp_path / council.slug / "staff"
    staff.mkdir(parents=True)
    a_staff_file(staff)
    monkeypatch.setenv("OVERSIGHT_IMPORT_FOLDER", str(tmp_path))

    [picked] = import_folder(as_of=TODAY)

    assert (picked.organisation, picked.outcome, dict(picked.counts)["new"]) == (
        council.slug,
        "done",
        4,
    )
    with db() as session:
        assert session.scalar(select(func.count(StaffMember.id))) == 2 + 4
    artifact = latest_artifact("import-folder")
    assert f"| {council.slug} | `staff.csv` | staff | oversight_staff | done |" in artifact.data
    assert import_folder(as_of=TODAY) == []
    assert "No files were waiting." in latest_artifact("import-folder").data


def test_without_a_folder_the_flow_says_so_and_does_nothing(prefect_server, monkeypatch):
    from flows.import_folder import import_folder

    monkeypatch.delenv("OVERSIGHT_IMPORT_FOLDER", raising=False)

    assert import_folder() == []
