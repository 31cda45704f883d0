"""Obligation keys are built and read in one place (policy/keys.py): every
family reads back into the parts it was built from, escalations read back
into what they escalate, and a key no family makes is refused."""

from __future__ import annotations

import re
from datetime import date

import pytest

from policy import keys

DAY = date(2026, 3, 2)


def _parts_for(template: str) -> dict:
    values = {"day": DAY, "due": DAY, "n": 2, "version": 3, "stage": 6}
    return {name: values.get(name, f"{name}-7") for name in re.findall(r"\{(\w+)\}", template)}


@pytest.mark.parametrize("family", sorted(keys.FAMILIES))
def test_every_family_reads_back_into_the_parts_it_was_built_from(family):
    parts = _parts_for(keys.FAMILIES[family])
    parsed = keys.parse(keys.build(family, **parts))
    assert (parsed.family, parsed.parts) == (family, parts)


def test_families_sharing_a_first_segment_are_told_apart_by_their_shape():
    assert keys.parse("record:rel-4:2026-03-02").family == "record"
    assert keys.parse("record:case:C123:2026-03-02").family == "case_record"
    assert keys.parse("record:decision:C123:2026-03-02").family == "decision_record"
    assert keys.parse("agreement-countersign:rel-4").family == "agreement_countersign"
    assert keys.parse("agreement-countersign:rel-4:2026-03-02").family == (
        "agreement_version_countersign"
    )
    assert keys.parse("observation:staff-3:first").family == "first_observation"


def test_an_escalation_reads_back_into_what_it_escalates_and_its_step():
    escalated = keys.build("session", relationship="rel-4", due=DAY)
    first = keys.parse(keys.escalation(escalated))
    later = keys.parse(keys.escalation(escalated, step=3))
    assert (first.escalates.family, first.step, first.escalates.day) == ("session", 1, DAY)
    assert (later.escalates.family, later.step) == ("session", 3)
    assert keys.day_of(keys.escalation(escalated, step=3)) == DAY


@pytest.mark.parametrize(
    "key",
    ["", "session", "session:rel-4", "session:rel-4:2026-3-2", "nothing:rel-4", "escalation:x"],
)
def test_a_key_no_family_makes_is_refused(key):
    with pytest.raises(keys.KeyFormatError):
        keys.parse(key)
