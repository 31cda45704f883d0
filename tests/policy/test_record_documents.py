"""Each council's supervision record beside its rules (record_form.yaml): the
record's agenda for practitioners and for managers, how long a session lasts,
whether the year's schedule is owed, and the models of group supervision.
They load checked, and a wrong one fails naming the file and the field."""

from __future__ import annotations

import shutil

import pytest

from policy import ProfileError, available_profiles, load_profile
from policy import schedule as planning
from policy.forms.record_form import record_form
from policy.profile import PROFILE_DIR, PROFILES_ENV


@pytest.fixture
def council(tmp_path, monkeypatch):
    """A copy of Bristol's folder, as a council of its own, to change."""
    folder = tmp_path / "copyshire"
    shutil.copytree(PROFILE_DIR / "bristol", folder)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text().replace("name: bristol", "name: copyshire", 1))
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    return folder


@pytest.mark.parametrize("name", available_profiles())
def test_every_council_has_a_record_form_whose_sections_are_its_own(name):
    form = record_form(load_profile(name))
    for agenda in (form.worker, form.manager):
        keys = [s.key for s in (*agenda.sections, *agenda.questions)]
        assert agenda.name and agenda.source and len(set(keys)) == len(keys)
        assert agenda.section(agenda.review_section) and agenda.section(agenda.cases_section)
    assert 5 <= form.sessions.minutes <= 600


def test_bristol_has_a_managers_record_and_lancashire_one_record_for_everyone():
    bristol = record_form(load_profile("bristol"))
    assert bristol.agenda_for("team_manager").name.endswith("Team Manager / Practice Lead / CSW")
    assert bristol.agenda_for("social_worker") is bristol.worker
    lancashire = record_form(load_profile("lancashire"))
    assert lancashire.agenda_for("team_manager") is lancashire.agenda_for("social_worker")


def test_session_lengths_and_the_schedule_are_the_councils():
    assert planning.session_minutes(load_profile("lancashire")) == 120
    assert planning.session_minutes(load_profile("bristol")) == 90
    assert planning.session_minutes(load_profile("wokingham"), "asye_reflective") == 60
    assert planning.schedule_required_by(load_profile("nottingham")).startswith(
        "001_223e21d801bb36c8.txt §2.4"
    )
    assert planning.schedule_required_by(load_profile("lancashire")) is None


def test_only_a_council_with_group_supervision_names_its_models():
    assert list(record_form(load_profile("bristol")).group_supervision.models)[:2] == [
        "restorative_circles",
        "bells_that_ring",
    ]
    assert record_form(load_profile("wokingham")).group_supervision is None


@pytest.mark.parametrize(
    ("wrong", "right", "problem"),
    [
        ("  review_section: matters_arising\n", "  review_section: nowhere\n", "review_section"),
        ("  minutes: 90\n", "  minutes: ninety\n", "sessions.minutes"),
        ("  - key: check_in\n", "  - key: Check In\n", "worker.sections[0].key"),
        ("    title: 2. Performance\n", "    titel: 2. Performance\n", "unknown field"),
    ],
)
def test_a_wrong_record_form_fails_naming_the_file_and_the_field(council, wrong, right, problem):
    form = council / "record_form.yaml"
    text = form.read_text()
    assert wrong in text
    form.write_text(text.replace(wrong, right, 1))
    with pytest.raises(ProfileError) as error:
        record_form(load_profile("copyshire"))
    assert str(form) in str(error.value)
    assert problem in str(error.value)


def test_a_council_without_a_record_form_fails_naming_the_file(council):
    (council / "record_form.yaml").unlink()
    with pytest.raises(ProfileError, match=r"record_form\.yaml: missing"):
        record_form(load_profile("copyshire"))
