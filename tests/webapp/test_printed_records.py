"""Printed records carry the council's name, the record and its version,
and the print date, in a header only paper shows (print.css); other pages
have no such header."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.factories import make_agreement, make_session
from tests.webapp.conftest import TODAY, login, text_of


def _print_header(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<p[^>]*data-testid="print-header"[^>]*>(.*?)</p>', html, flags=re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


def test_a_printed_agreement_names_the_council_its_version_and_the_print_date(client, world, db):
    with db() as session, session.begin():
        make_agreement(session, world.rel_id, signed_on=TODAY - timedelta(days=60))
        make_agreement(session, world.rel_id, signed_on=TODAY - timedelta(days=5), version=2)
    login(client, world.manager)
    header = _print_header(client.get(f"/relationships/{world.rel_id}/agreement"))
    assert header == (
        "Testshire County Council. Supervision agreement between Grace Manager and Sam Worker: "
        "version 2. Printed 2 March 2026."
    )
    older = _print_header(client.get(f"/relationships/{world.rel_id}/agreement?version=1"))
    assert "version 1 (not the latest: version 2)" in older


def test_a_printed_session_record_names_its_version(client, world, db):
    with db() as session, session.begin():
        held = make_session(session, world.rel_id, held_on=TODAY - timedelta(days=3))
        session_id = held.id
    login(client, world.manager)
    header = _print_header(client.get(f"/sessions/{session_id}"))
    assert header.startswith("Testshire County Council. Supervision record of Sam Worker")
    assert "held 27 February 2026: version 1." in header
    assert header.endswith("Printed 2 March 2026.")


def test_pages_that_are_not_records_have_no_print_header(client, world):
    login(client, world.manager)
    for url in ("/inbox", "/people", "/cases"):
        response = client.get(url)
        assert _print_header(response) == "", url
        assert "Printed" not in text_of(response)
