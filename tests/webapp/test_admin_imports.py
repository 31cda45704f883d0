"""Upload, preview, confirm: the upload page runs the command line's import,
shows what it would change, and imports only when confirmed."""

from __future__ import annotations

import html
import io

import pytest
from sqlalchemy import select

from models import StaffMember
from tests.webapp.admin_council import build_admin_council, signed_in_client
from tests.webapp.conftest import text_of as page_text


def text_of(response) -> str:
    return html.unescape(page_text(response))


@pytest.fixture
def council(db):
    return build_admin_council(db)


@pytest.fixture
def client(db, tmp_path, council):
    return signed_in_client(db, tmp_path)


HEADER = "staff_number,name,email,role,started_on,team,service_area,line_manager\n"


def upload(client, text: str, partial: bool = False):
    data = {
        "kind": "staff",
        "mapping": "oversight_staff",
        "file": (io.BytesIO(text.encode()), "people.csv"),
    }
    if partial:
        data["partial"] = "y"
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


def test_an_upload_is_previewed_and_imported_only_when_confirmed(db, client, council):
    sent = upload(client, HEADER + "U1,Una,u1@x.example,social_worker,2026-01-05,Assessment,,\n")
    assert sent.status_code == 302
    preview = client.get("/admin/imports/preview")
    assert "1 new" in text_of(preview) and "Confirm and import" in text_of(preview)
    with db() as session:
        assert (
            session.scalars(select(StaffMember).where(StaffMember.staff_number == "U1")).first()
            is None
        )

    done = client.post("/admin/imports/preview")

    assert done.status_code == 302
    with db() as session:
        assert session.scalars(select(StaffMember).where(StaffMember.staff_number == "U1")).one()
    assert client.get("/admin/imports/preview").status_code == 302  # nothing waits any more


def test_a_file_with_a_bad_row_names_it_and_offers_no_import(db, client, council):
    upload(client, HEADER + "U1,Una,u1@x.example,wizard,2026-01-05,Assessment,,\n")

    preview = text_of(client.get("/admin/imports/preview"))
    client.post("/admin/imports/preview")

    assert "people.csv, row 2, column 'role': unknown role 'wizard'" in preview
    assert "Confirm and import" not in preview
    with db() as session:
        assert (
            session.scalars(select(StaffMember).where(StaffMember.staff_number == "U1")).first()
            is None
        )


def test_an_upload_without_a_file_is_an_error_on_the_form(client, council):
    page = client.post("/admin/imports", data={"kind": "staff", "mapping": "oversight_staff"})
    assert "Select the file to import" in text_of(page)
