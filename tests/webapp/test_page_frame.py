"""The page frame reads sensibly signed in and out: the footer never says
"Oversight for Oversight", and names the council once someone signs in."""

from __future__ import annotations

import re

from tests.webapp.conftest import login


def _footer(response) -> str:
    body = response.get_data(as_text=True)
    html = body.split("<footer")[1].split(">", 1)[1].split("</footer>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_signed_out_footer_describes_the_service_without_naming_a_council(client, db):
    footer = _footer(client.get("/login"))
    assert "Oversight for Oversight" not in footer
    assert footer.startswith("Oversight: supervision of children\u2019s social care staff")
    assert "Sign in with the account your council gave you" in footer


def test_the_signed_in_footer_names_the_council(client, world):
    login(client, world.manager)
    footer = _footer(client.get("/inbox"))
    assert footer.startswith("Oversight for Testshire County Council: supervision")
    assert "Children are referred to by case ID only" in footer


def test_a_page_not_found_offers_sign_in_to_someone_signed_out_and_the_inbox_once_signed_in(
    client, world
):
    signed_out = client.get("/no-such-page").get_data(as_text=True)
    assert 'href="/login"' in signed_out and "Go to your inbox" not in signed_out
    login(client, world.manager)
    assert "Go to your inbox" in client.get("/no-such-page").get_data(as_text=True)


def test_a_supervisor_is_told_who_arranges_their_cover_and_their_manager_gets_the_link(
    client, world
):
    cover = f"/people/{world.manager_id}/cover"
    login(client, world.manager)
    own = client.get(f"/people/{world.manager_id}").get_data(as_text=True)
    assert cover not in own
    assert "they arrange cover for the people you supervise" in own
    assert client.get(cover).status_code == 404
    client.post("/logout")
    login(client, world.head)
    assert cover in client.get(f"/people/{world.manager_id}").get_data(as_text=True)
    assert client.get(cover).status_code == 200


def test_signed_out_the_header_names_the_service_once(client, db):
    body = client.get("/login").get_data(as_text=True)
    header = body.split("<header", 1)[1].split("</header>", 1)[0]
    assert len(re.findall(r">\s*Oversight\s*<", header)) == 1
    assert "Children\u2019s social care" in header


def test_an_auditor_is_told_on_their_inbox_when_their_read_only_access_ends(client, world, db):
    from models import UserAccount
    from policy.dates import long_date
    from tests.worlds.small_council import add_every_role

    add_every_role(db, world)
    with db() as session:
        ends = session.query(UserAccount).filter_by(username="auditor").one().access_expires_on
    login(client, "auditor")
    body = client.get("/inbox").get_data(as_text=True)
    assert f"Your access is to read records only, and it ends after {long_date(ends)}." in body
    client.post("/logout")
    login(client, world.manager)
    assert "Your access is to read records only" not in client.get("/inbox").get_data(as_text=True)
