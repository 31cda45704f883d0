"""Each council's agreement documents beside its rules: the agreement form
(agreement_form.yaml) and, where the rules have a group agreement, its
wording (group_agreement.yaml). They load checked, their limits follow the
rules where they say so, and a wrong one fails naming the file and the field."""

from __future__ import annotations

import shutil

import pytest

from policy import ProfileError, available_profiles, load_profile
from policy.forms.agreement_form import agreement_definition
from policy.forms.group_agreement import group_agreement
from policy.profile import PROFILE_DIR, PROFILES_ENV


@pytest.fixture
def council(tmp_path, monkeypatch):
    """A copy of Lancashire's folder, as a council of its own, to change."""
    folder = tmp_path / "copyshire"
    shutil.copytree(PROFILE_DIR / "lancashire", folder)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text().replace("name: lancashire", "name: copyshire", 1))
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    return folder


@pytest.mark.parametrize("name", available_profiles())
def test_every_council_has_an_agreement_form_whose_keys_are_its_own(name):
    definition = agreement_definition(load_profile(name))
    assert definition.profile == name
    assert definition.title and definition.fields
    assert len(set(definition.field_keys)) == len(definition.field_keys)
    assert 1 <= definition.frequency_min_weeks < definition.frequency_max_weeks


def test_lancashires_frequency_limit_is_the_loosest_cadence_in_its_rules():
    assert agreement_definition(load_profile("lancashire")).frequency_max_weeks == 6


def test_a_limit_read_from_the_rules_follows_them(council):
    rules = council / "rules.yaml"
    text = rules.read_text()
    at = text.index("id: supervision.role.senior_manager")
    rules.write_text(text[:at] + text[at:].replace("every: 6 weeks", "every: 8 weeks", 1))
    assert agreement_definition(load_profile("copyshire")).frequency_max_weeks == 8


@pytest.mark.parametrize(
    ("wrong", "right", "problem"),
    [
        ("  - key: venue\n", "  - key: declaration\n", "sections[0].fields[1].key"),
        ("    label: Standard venue\n", "    lable: Standard venue\n", "unknown field"),
        ("  most_weeks: loosest cadence\n", "  most_weeks: often\n", "frequency.most_weeks"),
    ],
)
def test_a_wrong_agreement_form_fails_naming_the_file_and_the_field(council, wrong, right, problem):
    form = council / "agreement_form.yaml"
    text = form.read_text()
    assert wrong in text
    form.write_text(text.replace(wrong, right, 1))
    with pytest.raises(ProfileError) as error:
        agreement_definition(load_profile("copyshire"))
    assert str(form) in str(error.value)
    assert problem in str(error.value)


def test_lancashires_group_agreement_names_its_parties_and_limits():
    document = group_agreement(load_profile("lancashire"))
    assert document.title == "Group Supervision Agreement"
    assert document.parties.coordinator.label == "Team coordinator"
    assert document.least_supervisees == 2
    assert document.frequency_most_weeks == 52
    assert [a.key for a in document.answers][:2] == ["length", "preparation"]


def test_a_council_without_group_agreements_has_no_group_wording():
    assert group_agreement(load_profile("bristol")) is None


def test_a_council_whose_rules_have_group_agreements_must_have_their_wording(council):
    (council / "group_agreement.yaml").unlink()
    with pytest.raises(ProfileError, match=r"group_agreement\.yaml: missing"):
        group_agreement(load_profile("copyshire"))
