"""The database-backed reconcile reads the same facts from the tables; the
engine and the command line must give the same answer for the same facts. The
demo council is exported to a facts file, the command line runs on it in a
separate process (the frontier engine, unit by unit), and its JSON must equal
what the full-history engine computes from load_facts, for several days and
for every profile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from models.demo import DEMO_SLUG, load_demo
from models.engine.facts_export import export_facts
from models.engine.facts_loader import load_facts
from policy import (
    ObligationStatus,
    available_profiles,
    compute_obligations,
    facts_from_json,
    load_profile,
)
from policy.facts_checks import longest_weeks

TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parent.parent
# What `oversight obligations` prints for each obligation (policy/README.md);
# `note` only when there is one.
PRINTED = (
    "key",
    "kind",
    "lifecycle",
    "subject",
    "assignee",
    "assignee_role",
    "opens_on",
    "due",
    "status",
    "rule",
    "source",
    "rule_text",
    "met_on",
    "escalates",
)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _engine_says(profile: str, facts, as_of: date) -> list[dict]:
    """What is open on the day, as the full-history engine owes it."""
    out = []
    for ob in compute_obligations(load_profile(profile), facts, as_of):
        if ob.status is ObligationStatus.MET:
            continue
        data = ob.as_json()
        shown = {name: data[name] for name in PRINTED}
        if ob.note:
            shown["note"] = ob.note
        out.append(shown)
    return out


@pytest.fixture
def demo_facts_file(db, tmp_path):
    summary = load_demo(today=TODAY, session_factory=db)
    path = tmp_path / "facts.json"
    with db() as session:
        path.write_text(json.dumps(export_facts(session, summary.organisation_id)))
        facts = load_facts(session, summary.organisation_id)
    return path, facts


def test_the_exported_facts_file_reads_back_to_the_facts_the_database_gives(demo_facts_file):
    path, facts = demo_facts_file
    assert facts_from_json(json.loads(path.read_text())) == facts
    assert facts.cases and facts.observations and facts.absences and facts.decisions


@pytest.mark.parametrize(
    ("profile", "as_of"),
    [
        ("lancashire", TODAY),
        ("lancashire", TODAY - timedelta(days=45)),
        ("lancashire", TODAY + timedelta(days=60)),
        *((name, TODAY) for name in ("nottingham", "bristol", "wokingham", "north_west")),
    ],
)
def test_the_command_line_gives_the_engines_answer_for_the_demo_facts(
    demo_facts_file, profile, as_of, tmp_path
):
    path, facts = _as_the_profile_allows(demo_facts_file, profile, tmp_path)
    result = _run(
        "policy",
        "obligations",
        "--profile",
        profile,
        "--facts",
        str(path),
        "--as-of",
        as_of.isoformat(),
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == _engine_says(profile, facts, as_of)
    assert len(printed) > 30  # a live council, not an empty answer that trivially matches


def _as_the_profile_allows(demo_facts_file, profile: str, tmp_path):
    """The demo's facts with any frequency longer than this council's document
    allows left unrecorded: the demo is a Lancashire council, whose six weeks
    another council's command line refuses, and its forms would not record."""
    path, facts = demo_facts_file
    data = json.loads(path.read_text())
    rules = load_profile(profile)
    roles = {s["id"]: s["role"] for s in data["staff"]}
    changed = False
    for agreement in data["agreements"]:
        rule = rules.rule(f"supervision.role.{roles[agreement['supervisee']]}") or rules.rule(
            "supervision.default"
        )
        longest = longest_weeks(rule)
        if longest is not None and (agreement.get("frequency_weeks") or 0) > longest:
            agreement["frequency_weeks"] = None
            changed = True
    for case in data["cases"]:
        rule = rules.rule(f"case_supervision.{case['type']}") or rules.rule(
            "case_supervision.default"
        )
        longest = longest_weeks(rule)
        if longest is not None and (case.get("frequency_weeks") or 0) > longest:
            case["frequency_weeks"] = None
            changed = True
    if not changed:
        return path, facts
    allowed = tmp_path / f"facts-{profile}.json"
    allowed.write_text(json.dumps(data))
    return allowed, facts_from_json(data)


def test_every_profile_is_compared():
    assert set(available_profiles()) == {
        "lancashire",
        "nottingham",
        "bristol",
        "wokingham",
        "north_west",
    }


def test_the_export_command_writes_the_same_facts_file(demo_facts_file, tmp_path):
    path, _ = demo_facts_file
    out = tmp_path / "exported.json"
    result = _run("models.engine.facts_export", "--organisation", DEMO_SLUG, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text()) == json.loads(path.read_text())
    to_stdout = _run("models.engine.facts_export", "--organisation", DEMO_SLUG)
    assert json.loads(to_stdout.stdout) == json.loads(path.read_text())


def test_the_export_command_names_an_unknown_organisation(db):
    result = _run("models.engine.facts_export", "--organisation", "nowhere")
    assert result.returncode == 2 and result.stdout == ""
    assert "--organisation: no organisation with slug 'nowhere'" in result.stderr
