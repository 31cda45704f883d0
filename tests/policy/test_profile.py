"""Profiles load, carry their citations, and a wrong profile fails naming the
file, the line, the field and what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policy import ProfileError, available_profiles, load_profile
from policy.profile import load_profile_file

SEEDS = {
    "lancashire": "000_b775b8e7712f1ef5.txt",
    "nottingham": "001_223e21d801bb36c8.txt",
    "bristol": "002_d53851039f9fa32d.txt",
    "wokingham": "003_a24710131ec71e13.txt",
    "north_west": "004_a4837a5d4747be33.txt",
}

SEED_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
GOOD = """\
name: broken
title: A test profile
source_file: 000_b775b8e7712f1ef5.txt
due_soon_days: 7
rules:
  - id: agreement.deadline
    within: 6 weeks
    text: drawn up within 6 weeks of starting their job
    cite: §1.4
version: test
effective_from: 2024-01-01
"""


def load_text(tmp_path, text: str):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    return load_profile_file(path)


def test_there_is_one_profile_per_seed_document():
    assert available_profiles() == sorted(SEEDS)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_rule_cites_its_seed_file_and_a_paragraph_and_quotes_the_document(name):
    profile = load_profile(name)
    assert profile.name == name and profile.source_file == SEEDS[name]
    assert profile.title and profile.due_soon_days >= 0
    assert profile.rule("agreement.deadline") is not None
    for rule in profile.rules:
        assert rule.source.startswith(SEEDS[name] + " ")
        assert len(rule.source) > len(SEEDS[name]) + 1
        assert rule.text


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_rule_text_is_in_the_documents_own_words(name):
    """Every rule's text, less its "..." elisions, appears in the seed (whitespace aside)."""
    seed = (SEED_DIR / SEEDS[name]).read_text(encoding="utf-8")

    def squash(text: str) -> str:
        return re.sub(r"[\W_]+", "", text).lower()

    whole = squash(seed)
    for rule in load_profile(name).rules:
        for fragment in rule.text.split("..."):
            if squash(fragment):
                assert squash(fragment) in whole, f"{rule.id}: {fragment!r}"


def test_a_good_profile_file_loads(tmp_path):
    profile = load_text(tmp_path, GOOD)
    assert profile.rule("agreement.deadline").source == "000_b775b8e7712f1ef5.txt §1.4"


def test_a_bad_duration_is_refused_naming_file_line_and_field(tmp_path):
    with pytest.raises(ProfileError) as error:
        load_text(tmp_path, GOOD.replace("6 weeks\n", "6 weaks\n"))
    message = str(error.value)
    assert "broken.yaml:7:" in message
    assert "rules[0](agreement.deadline).within" in message
    assert "bad duration '6 weaks'" in message


def test_an_unknown_field_is_refused(tmp_path):
    with pytest.raises(ProfileError, match=r"broken.yaml:8: .*\.whithin: unknown field"):
        load_text(tmp_path, GOOD.replace("    text:", "    whithin: 2 weeks\n    text:"))


def test_a_rule_without_a_citation_is_refused(tmp_path):
    with pytest.raises(ProfileError, match=r"broken.yaml:6: rules\[0\].*\.cite: missing"):
        load_text(tmp_path, GOOD.replace("    cite: §1.4\n", ""))


def test_an_unknown_rule_is_refused(tmp_path):
    with pytest.raises(ProfileError, match=r"broken.yaml:6: rules\[0\].id: unknown rule"):
        load_text(tmp_path, GOOD.replace("agreement.deadline", "agreement.deadlines"))


def test_a_source_file_that_is_not_a_seed_is_refused(tmp_path):
    with pytest.raises(ProfileError, match=r"source_file: 'lancs\.txt' is not a seed file name"):
        load_text(tmp_path, GOOD.replace("000_b775b8e7712f1ef5.txt", "lancs.txt"))


def test_a_missing_top_level_field_is_refused(tmp_path):
    with pytest.raises(ProfileError, match=r"broken\.yaml:1: due_soon_days: missing"):
        load_text(tmp_path, GOOD.replace("due_soon_days: 7\n", ""))


def test_an_unknown_profile_name_is_refused_with_the_known_names():
    with pytest.raises(ProfileError, match=r"unknown profile 'lancs'.*lancashire"):
        load_profile("lancs")
