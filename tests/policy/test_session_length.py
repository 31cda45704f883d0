"""The length of a session against each document's minimum (record_form.yaml
`sessions.minimum_minutes`, policy.schedule.minimum_session_minutes): a
session shorter than the minimum is flagged; a council whose document sets no
minimum flags nothing; a wrong minimum fails naming the file and the field."""

from __future__ import annotations

import shutil

import pytest

from policy import ProfileError, load_profile
from policy.facts_checks import FactsError
from policy.facts_json import facts_from_json
from policy.forms.record_form import record_form
from policy.profile import PROFILE_DIR, PROFILES_ENV
from policy.schedule import is_short_session, minimum_session_minutes, session_minutes


@pytest.mark.parametrize(
    ("name", "minimum", "asye_minimum", "words"),
    [
        # §1.4 "monthly supervision and of a minimum duration of 90 minutes", for all staff.
        ("nottingham", 90, 90, "minimum duration of 90 minutes"),
        # Appendix 1 "no less than one hour"; §3.6's 1.5 hours is "a guide".
        ("bristol", 60, 60, "no less than one hour"),
        # Standard 20 "a minimum of 1.5 hours"; standard 16 ASYE "a minimum of one hour".
        ("wokingham", 90, 60, "minimum of 1.5 hours"),
        # §1.7 "around 2 hours": read as no less than 1.5 hours (the rule's note says why).
        ("lancashire", 90, 90, "around 2 hours"),
        # The guidance sets no length.
        ("north_west", None, None, None),
    ],
)
def test_each_council_states_the_shortest_session_its_document_allows(
    name, minimum, asye_minimum, words
):
    profile = load_profile(name)
    assert minimum_session_minutes(profile) == minimum
    assert minimum_session_minutes(profile, asye=True) == asye_minimum
    sessions = record_form(profile).sessions
    if words is None:
        assert sessions.minimum_source == ""
    else:
        assert words in sessions.minimum_source
        # The planned session always meets the minimum.
        assert session_minutes(profile) >= minimum


def test_lancashires_reading_of_around_two_hours_is_recorded():
    note = record_form(load_profile("lancashire")).sessions.minimum_note
    assert "around" in note and "1.5 hours" in note


@pytest.mark.parametrize(
    ("name", "minutes", "asye", "short"),
    [
        ("nottingham", 89, False, True),
        ("nottingham", 90, False, False),
        ("bristol", 59, False, True),
        ("bristol", 60, False, False),
        ("wokingham", 89, False, True),
        ("wokingham", 89, True, False),
        ("wokingham", 59, True, True),
        ("lancashire", 89, False, True),
        ("lancashire", 90, False, False),
        ("north_west", 10, False, False),
        ("nottingham", None, False, False),
    ],
)
def test_a_session_shorter_than_the_minimum_is_flagged_and_one_of_exactly_the_minimum_is_not(
    name, minutes, asye, short
):
    assert is_short_session(load_profile(name), minutes, asye=asye) is short


@pytest.fixture
def council(tmp_path, monkeypatch):
    """A copy of Bristol's folder, as a council of its own, to change."""
    folder = tmp_path / "copyshire"
    shutil.copytree(PROFILE_DIR / "bristol", folder)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text().replace("name: bristol", "name: copyshire", 1))
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    return folder


@pytest.mark.parametrize(
    ("wrong", "right", "problem"),
    [
        ("  minimum_minutes: 60\n", "  minimum_minutes: an hour\n", "sessions.minimum_minutes"),
        ("  minimum_minutes: 60\n", "  minimum_minutes: 120\n", "longer than the planned"),
        (
            "  minimum_source: >-\n",
            "  minimum_sauce: >-\n",
            "sessions.minimum_sauce: unknown field",
        ),
    ],
)
def test_a_wrong_minimum_fails_naming_the_file_and_the_field(council, wrong, right, problem):
    form = council / "record_form.yaml"
    text = form.read_text()
    assert wrong in text
    form.write_text(text.replace(wrong, right, 1))
    with pytest.raises(ProfileError) as error:
        record_form(load_profile("copyshire"))
    assert str(form) in str(error.value) and problem in str(error.value)


def test_a_minimum_without_its_citation_fails(council):
    form = council / "record_form.yaml"
    text = form.read_text()
    start = text.index("  minimum_source:")
    end = text.index("  minimum_note:")
    form.write_text(text[:start] + text[end:])
    with pytest.raises(ProfileError, match=r"sessions\.minimum_source: missing"):
        record_form(load_profile("copyshire"))


def test_the_facts_carry_a_sessions_length_and_refuse_one_that_is_not_a_length():
    data = {
        "staff": [
            {"id": "tm1", "role": "team_manager", "started_on": "2019-09-02"},
            {"id": "sw1", "role": "social_worker", "started_on": "2025-01-06"},
        ],
        "relationships": [{"supervisor": "tm1", "supervisee": "sw1", "started_on": "2025-01-06"}],
        "sessions": [{"supervisee": "sw1", "held_on": "2026-03-02", "duration_minutes": 75}],
    }
    assert facts_from_json(data).sessions[0].duration_minutes == 75
    data["sessions"][0]["duration_minutes"] = 0
    with pytest.raises(FactsError, match=r"^sessions\[0\]\.duration_minutes: expected a whole"):
        facts_from_json(data)
