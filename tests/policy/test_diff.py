"""`oversight diff`: what changes, rule by rule, between two versions of a
council's policy or two councils' (policy/diff.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy.cli import main
from policy.diff import diff_profiles
from policy.profile import PROFILES_ENV, load_profile, parse_profile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "profiles"


@pytest.fixture
def fixtures_found(monkeypatch):
    monkeypatch.setenv(PROFILES_ENV, str(FIXTURES))


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def blocks(out: str) -> dict[str, list[str]]:
    """Each rule's heading ("Changed: supervision.default") -> its detail lines."""
    found: dict[str, list[str]] = {}
    heading = None
    for line in out.splitlines():
        if line.split(":")[0] in ("Changed", "Added", "Removed"):
            heading = line
            found[heading] = []
        elif heading and line.startswith("  "):
            found[heading].append(line.strip())
        else:
            heading = None
    return found


def test_two_versions_show_each_rule_changed_added_and_removed(fixtures_found, capsys):
    code, out, err = run(["diff", "harrowby", "--from", "v2", "--to", "v3"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(
        "From: Harrowby Council: Supervision Policy v2 (2022) (version v2, from 1 April 2022)\n"
        "To:   Harrowby Council: Supervision Policy v3 (2024) (version v3, from 1 April 2024)\n"
    )
    shown = blocks(out)
    assert set(shown) == {
        "Changed: agreement.deadline",
        "Changed: supervision.default",
        "Changed: supervision.role.team_manager",
        "Changed: recording.session",
        "Changed: case_supervision.child_protection",
        "Removed: development.discussion",
        "Added: case_supervision.child_in_need",
    }
    assert "how often: 6 weeks -> 4 weeks" in shown["Changed: supervision.default"]
    assert shown["Changed: recording.session"][0] == "deadline: 10 working days -> 5 working days"
    assert "citation: §4.1 -> §4.2" in shown["Changed: recording.session"]
    assert "how often: 8 weeks" in shown["Added: case_supervision.child_in_need"]
    assert "citation: §6.1" in shown["Removed: development.discussion"]
    assert out.rstrip().endswith("5 changed, 1 added, 1 removed, 2 unchanged.")


def test_the_words_of_a_changed_rule_are_shown_before_and_after(fixtures_found, capsys):
    _, out, _ = run(["diff", "harrowby", "--from", "v2", "--to", "v3"], capsys)
    text = " ".join(blocks(out)["Changed: agreement.deadline"])
    assert "text, was: The supervision agreement is signed within 6 weeks" in text
    assert "text, now: The supervision agreement is signed within 4 weeks" in text


def test_going_back_a_version_swaps_what_is_added_and_removed(fixtures_found, capsys):
    _, out, _ = run(["diff", "harrowby", "--from", "v3", "--to", "v2"], capsys)
    shown = blocks(out)
    assert "Added: development.discussion" in shown
    assert "Removed: case_supervision.child_in_need" in shown
    assert "how often: 4 weeks -> 6 weeks" in shown["Changed: supervision.default"]


def test_a_version_compared_with_itself_changes_nothing(fixtures_found, capsys):
    code, out, _ = run(["diff", "harrowby", "--from", "v3", "--to", "v3"], capsys)
    assert code == 0 and blocks(out) == {}
    assert out.rstrip().endswith("0 changed, 0 added, 0 removed, 8 unchanged.")


def test_two_councils_are_compared_rule_by_rule(capsys):
    code, out, err = run(["diff", "lancashire", "bristol"], capsys)
    assert (code, err) == (0, "")
    lancashire, bristol = load_profile("lancashire"), load_profile("bristol")
    assert out.startswith(f"From: {lancashire.title} ")
    assert out.splitlines()[1].startswith(f"To:   {bristol.title} ")
    shown = blocks(out)
    only_lancashire = {r.id for r in lancashire.rules} - {r.id for r in bristol.rules}
    only_bristol = {r.id for r in bristol.rules} - {r.id for r in lancashire.rules}
    assert {h for h in shown if h.startswith("Removed")} == {
        f"Removed: {r}" for r in only_lancashire
    }
    assert {h for h in shown if h.startswith("Added")} == {f"Added: {r}" for r in only_bristol}
    # Lancashire §1.4: 6 weeks from starting the job; Bristol §3.1: four weeks.
    deadline = shown["Changed: agreement.deadline"]
    assert "deadline: 6 weeks -> 4 weeks" in deadline
    assert "deadline counts from: no longer starting the job" in deadline
    assert "citation: §1.4 -> §3.1" in deadline


PROFILE = """\
name: demo
title: Demo Council {version}
source_file: 000_b775b8e7712f1ef5.txt
due_soon_days: 7
version: "{version}"
effective_from: 2024-01-01
rules:
  - id: observation.practice
    count: 3
    per: 1 year
    roles: [{roles}]
    text: Practice is observed three times a year.
    cite: §1.16
  - id: escalation
    text: Raised with the line manager.
    cite: §1.2
    steps:
      - after: {after}
        who: line_manager
        respond_within: 5 working days
        text: Raised with the line manager.
        cite: §1.2
"""


def test_a_change_in_whom_a_rule_covers_or_in_its_escalation_is_shown():
    old = parse_profile(PROFILE.format(version="1", roles="social_worker", after="2 weeks"), "a")
    new = parse_profile(
        PROFILE.format(version="2", roles="social_worker, team_manager", after="3 weeks"), "b"
    )
    changes = {c.rule: c for c in diff_profiles(old, new)}
    assert changes["observation.practice"].details == (
        "roles covered: social_worker -> social_worker, team_manager",
    )
    assert changes["escalation"].details == (
        "escalation, was: after 2 weeks, line_manager within 5 working days (§1.2)",
        "escalation, now: after 3 weeks, line_manager within 5 working days (§1.2)",
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["diff", "lancashire", "lancs"], "unknown profile 'lancs'"),
        (["diff", "harrowby", "--from", "v1", "--to", "v3"], "harrowby has no version 'v1'"),
        (["diff", "harrowby", "--from", "v2"], "give two profiles"),
        (["diff", "lancashire", "bristol", "--from", "v2", "--to", "v3"], "give two profiles"),
        (["diff", "lancashire", "bristol", "wokingham"], "give two profiles"),
        (["diff"], "the following arguments are required: PROFILE"),
    ],
)
def test_a_bad_name_is_refused_with_a_clear_error_and_exit_2(fixtures_found, capsys, args, error):
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("oversight: error: ") and error in err
