"""Development discussions, the sampling of records, and case-file audits and
their rota (policy/rules/oversight.py), from each document's words."""

from __future__ import annotations

import json

from policy import ObligationStatus
from policy.cli import main
from policy.facts import Audit, Sampling
from tests.policy.policy_facts import case, d, owed, session, staff

MET = ObligationStatus.MET


def test_lancashire_development_discussed_at_least_every_quarter():
    """§1.16 "ensure the development of supervisees is discussed at least every quarter"."""

    obs = owed(
        "lancashire",
        "2025-03-02",
        "development",
        sessions=[session("2025-02-03", development_discussed=True)],
    )
    assert obs["development:rel-1:2025-04-06"].status is MET
    assert obs["development:rel-1:2025-05-03"].status is ObligationStatus.UPCOMING


def test_lancashire_heads_of_service_sample_records_four_times_a_year():
    """§2.1 "regularly sample supervision records at least four times a year"."""
    obs = owed(
        "lancashire",
        "2026-05-10",
        "sampling",
        samplings=[Sampling("hos1", d("2026-02-11"))],
    )
    assert obs["sampling:hos1:2026-01-01"].status is MET
    current = obs["sampling:hos1:2026-04-01"]
    assert current.due == d("2026-06-30") and current.assignee == "hos1"


def test_nottingham_two_case_files_audited_per_team_per_month():
    """§1.5 "a minimum of two case files will be audited per month/per team"."""
    cases = [
        case("C1", "child_in_need", "2025-06-01"),
        case("C2", "child_protection", "2025-06-01"),
    ]
    one = owed(
        "nottingham",
        "2026-03-10",
        "case_file_audit",
        cases=cases,
        audits=[Audit("C1", d("2026-03-03"))],
    )
    march = one["case-file-audit:tm1:2026-03-01"]
    assert march.due == d("2026-03-31") and march.status is not MET and march.assignee == "tm1"
    two = owed(
        "nottingham",
        "2026-03-10",
        "case_file_audit",
        cases=cases,
        audits=[Audit("C1", d("2026-03-03")), Audit("C2", d("2026-03-09"))],
    )
    assert two["case-file-audit:tm1:2026-03-01"].met_on == d("2026-03-09")


def _rota_team():
    return (
        staff("hos1", "senior_manager", "2015-04-13"),
        staff("tm1", "team_manager", "2019-09-02", line_manager="hos1", team="t1"),
        staff("sw1", started_on="2024-01-08", line_manager="tm1", team="t1"),
        staff("sw2", started_on="2024-01-08", line_manager="tm1", team="t1"),
        staff("sw3", started_on="2024-01-08", line_manager="tm1", team="t1"),
    )


def _cases():
    return [
        case("1000001", "child_protection", "2025-06-02", worker="sw1"),
        case("1000002", "child_in_need", "2025-06-02", worker="sw2"),
        case("1000003", "child_in_care", "2025-06-02", worker="sw3"),
    ]


def test_nottingham_audit_names_the_least_recently_audited_workers_next_on_the_rota():
    """§1.5 "a minimum of two case files will be audited per month/per team. These will be
    audited on a rota basis to ensure case files are audited from each worker in the team
    on a rolling basis"."""
    audits = [Audit("1000001", d("2026-02-10")), Audit("1000002", d("2026-01-12"))]
    obs = owed(
        "nottingham",
        "2026-03-05",
        "case_file_audit",
        staff=_rota_team(),
        cases=_cases(),
        audits=audits,
    )
    ob = obs["case-file-audit:t1:2026-03-01"]
    assert ob.note == "Next on the rota: sw3 (never audited), sw2 (last audited 2026-01-12)"
    assert ob.assignee == "tm1"


def test_a_month_with_its_audits_done_has_no_rota_note():
    audits = [Audit("1000001", d("2026-03-02")), Audit("1000003", d("2026-03-03"))]
    obs = owed(
        "nottingham",
        "2026-03-05",
        "case_file_audit",
        staff=_rota_team(),
        cases=_cases(),
        audits=audits,
    )
    ob = obs["case-file-audit:t1:2026-03-01"]
    assert (ob.status, ob.note) == (MET, "")


def test_the_command_line_prints_a_note_only_when_there_is_one(tmp_path, capsys):
    data = {
        "staff": [
            {"id": "tm1", "role": "team_manager", "started_on": "2019-09-02", "team": "t1"},
            {
                "id": "sw1",
                "role": "social_worker",
                "started_on": "2024-01-08",
                "team": "t1",
                "line_manager": "tm1",
            },
        ],
        "relationships": [{"supervisor": "tm1", "supervisee": "sw1", "started_on": "2024-01-08"}],
        "cases": [
            {
                "id": "1000001",
                "type": "child_protection",
                "worker": "sw1",
                "allocated_on": "2025-06-02",
            }
        ],
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data))
    assert (
        main(
            [
                "obligations",
                "--profile",
                "nottingham",
                "--facts",
                str(path),
                "--as-of",
                "2026-03-05",
            ]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    audit = next(o for o in printed if o["key"] == "case-file-audit:t1:2026-03-01")
    assert audit["note"] == "Next on the rota: sw1 (never audited)"
    assert all("note" not in o for o in printed if o["kind"] != "case_file_audit")
