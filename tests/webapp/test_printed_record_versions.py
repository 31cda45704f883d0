"""A printed observation or annual review carries its version, as agreements
and session records do: how many times it has been saved (planned, each part
written, each signature; the review's signatures and the line manager's
reading), so two printouts of different content never carry one version."""

from __future__ import annotations

import re

import pytest

from models import Observation, ObservationKind, ObservationSignature, SignatoryParty
from tests.webapp import test_observations as observation_steps
from tests.webapp import test_reviews as review_steps
from tests.webapp.conftest import TODAY, login

AFTER, BEFORE = observation_steps.AFTER, observation_steps.BEFORE
# The annual review's world, the fixture test_reviews builds.
reviewing = review_steps.reviewing


@pytest.fixture
def planned(client, world, db) -> int:
    """An observation of Sam Worker that Grace Manager has planned for today."""
    task_id = observation_steps._observation_task(db, world)
    login(client, world.manager)
    assert observation_steps._plan(client, task_id).status_code == 302
    client.post("/logout")
    return observation_steps._observation_id(db)


def _print_header(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<p[^>]*data-testid="print-header"[^>]*>(.*?)</p>', html, flags=re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


def test_an_observations_version_counts_each_saved_change(client, world, db, planned):
    url = f"/observations/{planned}"
    login(client, world.worker)
    header = _print_header(client.get(url))
    assert header.startswith("Testshire County Council.")
    assert f"record {planned}, version 1: not yet signed." in header
    assert header.endswith("Printed 2 March 2026.")
    client.post(f"{url}/parts/before", data=BEFORE)
    assert f"record {planned}, version 2:" in _print_header(client.get(url))
    # Rewritten by its author before the next part: new content, new version.
    client.post(f"{url}/parts/before", data={**BEFORE, "feedback_areas": "Recording."})
    assert f"record {planned}, version 3:" in _print_header(client.get(url))
    client.post(f"{url}/parts/supervisee_after", data=AFTER)
    client.post("/logout")
    login(client, world.manager)
    client.post(f"{url}/parts/supervisor_after", data=AFTER)
    client.post(f"{url}/sign", data={"declaration": "y"})
    assert f"record {planned}, version 6: waiting for a signature." in _print_header(
        client.get(url)
    )


def test_an_observation_loaded_without_its_history_counts_what_it_holds(client, world, db):
    with db() as session, session.begin():
        observation = Observation(
            kind=ObservationKind.PRACTICE, staff_id=world.worker_id,
            observer_id=world.manager_id, observed_on=TODAY, content={},
            signatures=[ObservationSignature(party=party, staff_id=who, signed_on=TODAY)
                        for party, who in ((SignatoryParty.SUPERVISEE, world.worker_id),
                                           (SignatoryParty.SUPERVISOR, world.manager_id))],
        )  # fmt: skip
        session.add(observation)
        session.flush()
        observation_id = observation.id
    login(client, world.manager)
    header = _print_header(client.get(f"/observations/{observation_id}"))
    assert f"record {observation_id}, version 3: signed by both." in header


def test_an_annual_reviews_version_counts_its_signatures_and_its_reading(client, reviewing, db):
    questionnaire_id = review_steps._forwarded(client, reviewing, db)
    url = f"/review-questionnaires/{questionnaire_id}"
    login(client, reviewing.head)
    header = _print_header(client.get(url))
    assert f"record {questionnaire_id}, version 2: forwarded to the line manager." in header
    client.post(f"{url}/acknowledge")
    header = _print_header(client.get(url))
    assert f"record {questionnaire_id}, version 3: read by the line manager." in header
    assert header.endswith("Printed 2 March 2026.")
