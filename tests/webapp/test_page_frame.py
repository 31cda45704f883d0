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
