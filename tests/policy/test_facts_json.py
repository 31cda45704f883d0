"""Facts that contradict themselves, and inputs no facts file should hold, are
refused with one line naming the item, exit status 2 and nothing on stdout;
no input whatever reaches a traceback."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import FactsError, facts_from_json, load_profile
from policy.cli import main

GOOD = {
    "staff": [
        {"id": "tm1", "role": "team_manager", "started_on": "2019-09-02"},
        {"id": "sw1", "role": "social_worker", "started_on": "2026-01-05", "line_manager": "tm1"},
    ],
    "relationships": [
        {"id": "rel-1", "supervisor": "tm1", "supervisee": "sw1", "started_on": "2026-01-05"}
    ],
    "agreements": [{"supervisor": "tm1", "supervisee": "sw1", "signed_on": "2026-01-19"}],
    "sessions": [{"supervisee": "sw1", "supervisor": "tm1", "held_on": "2026-02-02"}],
    "cases": [
        {"id": "LCS-204511", "type": "child_in_need", "worker": "sw1", "allocated_on": "2026-01-05"}
    ],
    "hours_worked": [{"staff": "sw1", "worked_on": "2026-01-06", "hours": 7.5}],
    "absences": [{"staff": "tm1", "started_on": "2026-03-02", "ended_on": "2026-03-30"}],
    "asye_reviews": [{"staff": "sw1", "stage": 3, "reviewed_on": "2026-04-06"}],
    "group_agreements": [
        {"group": "g1", "version": 1, "supervisor": "tm1", "issued_on": "2026-01-12"}
    ],
    "group_signatories": [
        {"group": "g1", "version": 1, "staff": "sw1", "party": "supervisee", "signed_on": None}
    ],
}


def changed(section: str, index: int, **fields) -> dict:
    data = json.loads(json.dumps(GOOD))
    data[section][index].update(fields)
    return data


BAD = [
    (
        changed("staff", 1, left_on="2026-01-04"),
        "staff[1].left_on: 2026-01-04 is before started_on 2026-01-05",
    ),
    (
        changed("relationships", 0, ended_on="2026-01-04"),
        "relationships[0].ended_on: 2026-01-04 is before started_on 2026-01-05",
    ),
    (
        changed("absences", 0, ended_on="2026-03-01"),
        "absences[0].ended_on: 2026-03-01 is before started_on 2026-03-02",
    ),
    (
        changed("relationships", 0, supervisee="tm1"),
        "relationships[0].supervisor: 'tm1' cannot supervise themselves",
    ),
    (
        changed("agreements", 0, supervisor="sw1", supervisee="tm1"),
        "agreements[0]: no relationship in which 'sw1' supervises 'tm1'",
    ),
    (
        changed("sessions", 0, supervisor="sw1", supervisee="tm1"),
        "sessions[0]: no relationship in which 'sw1' supervises 'tm1'",
    ),
    (
        changed("sessions", 0, supervisor=None, supervisee="tm1"),
        "sessions[0].supervisee: 'tm1' has no supervisor",
    ),
    (
        changed("group_signatories", 0, group="g2"),
        "group_signatories[0].group: no group agreement 'g2'",
    ),
    (
        changed("group_signatories", 0, version=2),
        "group_signatories[0].version: group 'g1' has no version 2",
    ),
    (changed("cases", 0, id="Jane Smith"), "cases[0].id: 'Jane Smith' is not a case ID"),
    (changed("cases", 0, id="LCS-2045\x0011"), "cases[0].id: 'LCS-2045\\x0011' contains a control"),
    (changed("staff", 0, id="tm\x1b1"), "staff[0].id: 'tm\\x1b1' contains a control character"),
    (changed("staff", 0, id="tm\x7f1"), "staff[0].id: 'tm\\x7f1' contains a control character"),
    (changed("staff", 0, id="tm\u200b1"), "staff[0].id: 'tm\\u200b1' contains a control character"),
    (
        changed("asye_reviews", 0, stage=9),
        "asye_reviews[0].stage: 9 is not an ASYE review stage; expected one of [3, 6, 12]",
    ),
    (
        changed("cases", 0, frequency_weeks=0),
        "cases[0].frequency_weeks: expected a whole number from 1 to 52, got 0",
    ),
    (
        changed("agreements", 0, frequency_weeks=2.5),
        "agreements[0].frequency_weeks: expected a whole number from 1 to 52, got 2.5",
    ),
    (
        changed("hours_worked", 0, hours=float("nan")),
        "hours_worked[0].hours: expected a number of hours a day from 0 to 24, got nan",
    ),
    (
        changed("hours_worked", 0, hours=float("inf")),
        "hours_worked[0].hours: expected a number of hours a day from 0 to 24, got inf",
    ),
    (
        changed("staff", 1, contracted_hours=200),
        "staff[1].contracted_hours: expected a number of hours a week from 0 to 168, got 200",
    ),
    (
        changed("relationships", 0, id="REL:2018:000444"),
        "relationships[0].id: 'REL:2018:000444' contains ':', which separates the parts of an"
        " obligation's key",
    ),
    (
        {
            **GOOD,
            "group_signatories": [
                *GOOD["group_signatories"],
                {"group": "g1", "version": 1, "staff": "sw1", "party": "coordinator"},
            ],
        },
        "group_signatories[1].staff: 'sw1' is named on group 'g1' version 1 twice (as supervisee"
        " and as coordinator); a person signs a version once",
    ),
    (changed("staff", 0, started_on="20190902"), "staff[0].started_on: '20190902' is not a date"),
    (
        changed("staff", 0, started_on="0001-01-01"),
        "staff[0].started_on: 0001-01-01 is outside the years 1900 to 2999",
    ),
    (
        changed("staff", 0, started_on="9999-12-31"),
        "staff[0].started_on: 9999-12-31 is outside the years 1900 to 2999",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_a_contradiction_is_refused_naming_the_item(data, message):
    facts_from_json(GOOD)  # the unchanged facts are fine
    with pytest.raises(FactsError) as refused:
        facts_from_json(data)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize("hours", [0, 22.5, 29.6, 37, 48])
def test_contracted_hours_are_read_as_a_weeks_hours(hours):
    """A zero-hours contract, a part-timer (29.6 hours is 0.8 of the NJC's 37)
    and full time are all contracted hours a week, not hours worked in a day."""
    assert (
        facts_from_json(changed("staff", 1, contracted_hours=hours)).staff[1].contracted_hours
        == hours
    )


@pytest.mark.parametrize(
    ("profile", "section", "weeks", "message"),
    [
        # Lancashire §1.9: "should not normally leave it longer than 8 weeks".
        ("lancashire", "cases", 9, "cases[0].frequency_weeks: 9 weeks is longer than"),
        # Lancashire §1.10: "Social Workers 4 weeks" is a minimum: a variation only tightens.
        ("lancashire", "agreements", 5, "agreements[0].frequency_weeks: 5 weeks is longer"),
        # Nottingham §1.6: CIN "bi-monthly" at most: 8 weeks is within two months, 9 is not.
        ("nottingham", "cases", 9, "cases[0].frequency_weeks: 9 weeks is longer than"),
    ],
)
def test_a_frequency_longer_than_the_document_allows_is_refused(profile, section, weeks, message):
    for allowed in (1, weeks - 1):
        facts_from_json(changed(section, 0, frequency_weeks=allowed), load_profile(profile))
    with pytest.raises(FactsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        facts_from_json(changed(section, 0, frequency_weeks=weeks), load_profile(profile))


def run_cli(tmp_path, capsys, content: bytes, as_of: str = "2026-02-02"):
    path = tmp_path / "facts.json"
    path.write_bytes(content)
    args = ["obligations", "--profile", "lancashire", "--facts", str(path), "--as-of", as_of]
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def refused(result, fragment: str) -> None:
    code, out, err = result
    assert code == 2 and out == "", err
    assert err.startswith("oversight: error: ") and err.count("\n") == 1 and fragment in err


GOOD_BYTES = json.dumps(GOOD).encode()


@pytest.mark.parametrize(
    ("as_of", "fragment"),
    [
        ("0001-01-01", "--as-of: 0001-01-01 is outside the years 1900 to 2999"),
        ("9999-12-31", "--as-of: 9999-12-31 is outside the years 1900 to 2999"),
        ("2026-02-30", "--as-of: '2026-02-30' is not a date"),
        ("20260202", "--as-of: '20260202' is not a date"),
        ("2026-W05-1", "--as-of: '2026-W05-1' is not a date"),
        (" 2026-02-02", "--as-of: ' 2026-02-02' is not a date"),
    ],
)
def test_as_of_dates_are_strictly_yyyy_mm_dd_within_the_calendar(tmp_path, capsys, as_of, fragment):
    refused(run_cli(tmp_path, capsys, GOOD_BYTES, as_of), fragment)


def test_the_edges_of_the_supported_calendar_compute(tmp_path, capsys):
    for as_of in ("1900-01-01", "2999-12-31"):
        code, out, err = run_cli(tmp_path, capsys, GOOD_BYTES, as_of)
        assert code == 0 and err == "" and isinstance(json.loads(out), list)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("\xff\xfe{}".encode("latin-1"), "not UTF-8 text (byte 0xff at position 0)"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (GOOD_BYTES.replace(b"7.5", b"NaN"), "hours_worked[0].hours: expected a number of hours"),
        (GOOD_BYTES.replace(b"7.5", b"-Infinity"), "hours_worked[0].hours: expected a number"),
        (
            GOOD_BYTES.replace(b'"stage": 3', b'"stage": ' + b"9" * 5000),
            "asye_reviews[0].stage: expected a whole number from 1 to 1000000, got a 5000-digit",
        ),
        (b'{"staff": [{"id": ' + b"1" * 5000 + b"}]}", "staff[0].id: expected a non-empty string"),
    ],
)
def test_hostile_facts_files_get_one_line_naming_the_problem(tmp_path, capsys, content, fragment):
    refused(run_cli(tmp_path, capsys, content), fragment)


# Any JSON value at all, and facts shaped like the real thing with any values in them.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["2026-01-05", "0001-01-01", "9999-12-31", "tm1", "sw1", "C1234", "g1"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@st.composite
def mutated_facts(draw):
    data = json.loads(json.dumps(GOOD))
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(sorted(data)))
        if not isinstance(data[section], list) or not data[section] or draw(st.booleans()):
            data[section] = draw(json_values) if draw(st.integers(0, 9)) == 0 else data[section]
            continue
        item = data[section][draw(st.integers(0, len(data[section]) - 1))]
        if isinstance(item, dict) and item:
            item[draw(st.sampled_from(sorted(item)))] = draw(json_values)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_facts() | json_values, st.sampled_from(["lancashire", "bristol", "wokingham"]))
def test_no_facts_file_reaches_a_traceback(tmp_path_factory, data, profile):
    path = tmp_path_factory.mktemp("fuzz") / "facts.json"
    path.write_text(json.dumps(data))
    args = ["obligations", "--profile", profile, "--facts", str(path), "--as-of", "2026-06-01"]
    # main returns 0 with the obligations or 2 with one error line: never raises.
    assert main(args) in (0, 2)
