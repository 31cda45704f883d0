"""The facts file and the command line's contract (README, "The policy on the command line")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policy import FactsError, ObligationStatus, compute_obligations, facts_from_json, load_profile
from policy.cli import main
from tests.policy.policy_facts import d

# ../shared beside the project, as CI lays it out.
EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "facts.json"
FACTS = {
    "staff": [
        {"id": "tm1", "role": "team_manager", "started_on": "2019-09-02"},
        {"id": "sw1", "role": "social_worker", "started_on": "2026-01-05", "line_manager": "tm1"},
    ],
    "relationships": [{"supervisor": "tm1", "supervisee": "sw1", "started_on": "2026-01-05"}],
    "agreements": [],
    "sessions": [],
    "cases": [
        {
            "id": "C100001",
            "type": "child_protection",
            "worker": "sw1",
            "allocated_on": "2026-01-05",
            "supervised_on": [],
        }
    ],
}


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, data) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_obligations_prints_a_json_array_with_the_contracted_fields(tmp_path, capsys):
    code, out, err = run(
        [
            "obligations",
            "--profile",
            "bristol",
            "--facts",
            write(tmp_path, FACTS),
            "--as-of",
            "2026-01-06",
        ],
        capsys,
    )
    assert code == 0 and err == ""
    items = json.loads(out)
    agreement = next(i for i in items if i["kind"] == "agreement")
    assert agreement["key"] == "agreement:rel-tm1-sw1-2026-01-05"
    assert agreement["due"] == "2026-02-02" and agreement["status"] == "upcoming"
    assert agreement["source"] == "002_d53851039f9fa32d.txt §3.1"
    for item in items:
        assert {"key", "kind", "subject", "due", "status", "rule", "source"} <= set(item)


def test_the_command_line_and_the_engine_give_the_same_answer_for_the_example(capsys):
    code, out, _ = run(
        [
            "obligations",
            "--profile",
            "lancashire",
            "--facts",
            str(EXAMPLE),
            "--as-of",
            "2026-11-20",
        ],
        capsys,
    )
    engine = compute_obligations(
        load_profile("lancashire"),
        facts_from_json(json.loads(EXAMPLE.read_text())),
        d("2026-11-20"),
    )
    assert code == 0
    # What is open on the day, as the full-history engine owes it.
    assert [i["key"] for i in json.loads(out)] == [
        ob.key for ob in engine if ob.status is not ObligationStatus.MET
    ]


def test_history_since_adds_the_obligations_met_since_that_day(capsys):
    args = ["obligations", "--profile", "lancashire", "--facts", str(EXAMPLE)]
    code, out, _ = run([*args, "--as-of", "2026-11-20", "--history-since", "2026-06-01"], capsys)
    engine = compute_obligations(
        load_profile("lancashire"),
        facts_from_json(json.loads(EXAMPLE.read_text())),
        d("2026-11-20"),
    )
    assert code == 0
    printed = [i["key"] for i in json.loads(out)]
    assert printed == [
        ob.key
        for ob in engine
        if ob.status is not ObligationStatus.MET or ob.opens_on >= d("2026-06-01")
    ]
    assert any(i["status"] == "met" for i in json.loads(out))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: f["staff"][1].update(role="socal_worker"),
            "staff[1].role: unknown role 'socal_worker'",
        ),
        (lambda f: f["cases"][0].update(type="cp"), "cases[0].type: unknown case type 'cp'"),
        (
            lambda f: f["staff"][0].update(started_on="02/09/2019"),
            "staff[0].started_on: '02/09/2019' is not a date",
        ),
        (
            lambda f: f["relationships"][0].update(supervisee="sw9"),
            "relationships[0].supervisee: no staff with id 'sw9'",
        ),
        (lambda f: f["sessions"].append({"supervisee": "sw1"}), "sessions[0].held_on: missing"),
        (lambda f: f["staff"][0].update(colour="red"), "staff[0].colour: unknown field"),
    ],
)
def test_bad_facts_name_the_item_exit_non_zero_and_print_nothing_else(
    tmp_path, capsys, change, message
):
    bad = json.loads(json.dumps(FACTS))
    change(bad)
    with pytest.raises(FactsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        facts_from_json(bad)
    code, out, err = run(
        [
            "obligations",
            "--profile",
            "bristol",
            "--facts",
            write(tmp_path, bad),
            "--as-of",
            "2026-01-06",
        ],
        capsys,
    )
    assert code != 0 and out == ""
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["obligations", "--profile", "lancs", "--facts", str(EXAMPLE), "--as-of", "2026-01-01"],
        ["obligations", "--profile", "bristol", "--facts", str(EXAMPLE), "--as-of", "1/1/26"],
        ["obligations", "--profile", "bristol", "--facts", "/nonexistent", "--as-of", "2026-01-01"],
        ["obligations", "--profile", "bristol"],
    ],
)
def test_bad_arguments_exit_non_zero_with_one_error_line(capsys, args):
    code, out, err = run(args, capsys)
    assert code != 0 and out == "" and err.startswith("oversight") and err.count("\n") == 1


def test_explain_prints_each_rule_with_its_citation(capsys):
    code, out, _ = run(["explain", "--profile", "lancashire"], capsys)
    assert code == 0
    assert "Lancashire County Council" in out
    for rule in load_profile("lancashire").rules:
        assert rule.id in out and f"[{rule.source}]" in out


def test_python_dash_m_policy_runs_the_same_command_line():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policy",
            "obligations",
            "--profile",
            "wokingham",
            "--facts",
            str(EXAMPLE),
            "--as-of",
            "2026-11-20",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert all(item["source"].startswith("003_") for item in json.loads(result.stdout))


def test_a_relationship_may_carry_its_own_id():
    data = json.loads(json.dumps(FACTS))
    data["relationships"][0]["id"] = "rel-42"
    assert facts_from_json(data).relationships[0].id == "rel-42"


def test_obligations_piped_into_a_reader_that_stops_early_exits_quietly(tmp_path):
    import json
    import subprocess
    import sys

    # Far more output than a pipe buffers (64 KB), so the reader really does hang up first.
    staff = [{"id": "hos", "role": "senior_manager", "started_on": "2020-01-06"}]
    relationships = []
    for n in range(400):
        staff.append(
            {
                "id": f"sw{n}",
                "role": "social_worker",
                "started_on": "2026-01-05",
                "line_manager": "hos",
            }
        )
        relationships.append(
            {
                "supervisor": "hos",
                "supervisee": f"sw{n}",
                "started_on": "2026-01-05",
                "reason": "new_starter",
            }
        )
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"staff": staff, "relationships": relationships}))
    command = (
        f"{sys.executable} -m policy obligations --profile lancashire "
        f"--facts {facts} --as-of 2026-11-23 | head -c 10"
    )
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, check=False
    )
    assert result.stdout == "[\n  {\n    "
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
