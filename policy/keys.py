"""Obligation keys and fact ids: built and read here, and nowhere else.

An obligation's key names it for ever ("session:rel-42:2026-03-02"): the
reconcile inserts a human task on it, so the same obligation never gets two
tasks, and actions find the task they complete by it. A fact id names a
person, relationship, team or group as the engine sees them ("staff-7").

Every key family is one template below. `build` makes a key from its parts,
`parse` reads any key back into its family and parts; a key that matches no
family is refused, so a format changed in one place and not another fails
loudly instead of silently leaving a task uncompleted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

# --- fact ids ---------------------------------------------------------------------


def staff_fact_id(staff_id: int) -> str:
    return f"staff-{staff_id}"


def relationship_fact_id(relationship_id: int) -> str:
    return f"rel-{relationship_id}"


def team_fact_id(team_id: int) -> str:
    return f"team-{team_id}"


def group_fact_id(group_id: int) -> str:
    return f"grp-{group_id}"


def action_fact_id(action_id: int) -> str:
    """An action agreed in supervision (session_action)."""
    return f"act-{action_id}"


def parse_fact_id(fact_id: str | None, prefix: str) -> int | None:
    """ "staff-7" -> 7 for prefix "staff"; None for anything else."""
    if fact_id and fact_id.startswith(prefix + "-") and fact_id[len(prefix) + 1 :].isdigit():
        return int(fact_id[len(prefix) + 1 :])
    return None


# --- obligation keys --------------------------------------------------------------

# family -> template. {day} and {due} are dates (YYYY-MM-DD); {n}, {version}
# and {stage} whole numbers; the other parts ids without a colon.
FAMILIES: dict[str, str] = {
    "agreement": "agreement:{relationship}",
    "agreement_countersign": "agreement-countersign:{relationship}",
    "agreement_version_countersign": "agreement-countersign:{relationship}:{day}",
    "agreement_review": "agreement-review:{relationship}:{due}",
    "review_questionnaire": "review-questionnaire:{relationship}:{due}",
    "review_questionnaire_forward": "review-questionnaire-forward:{relationship}:{day}",
    "review_questionnaire_read": "review-questionnaire-read:{questionnaire}",
    "session": "session:{relationship}:{due}",
    "group_supervision": "group:{relationship}:{due}",
    "asye_reflective": "asye-reflective:{relationship}:{due}",
    "asye_review": "asye-review:{staff}:{stage}",
    "asye_observation": "asye-observation:{staff}:{n}",
    "development": "development:{relationship}:{due}",
    "record": "record:{relationship}:{day}",
    "group_record": "record:group:{staff}:{day}",
    "record_shared": "record-shared:{relationship}:{day}",
    "record_countersign": "record-countersign:{relationship}:{day}:v{version}",
    "late_reason": "late-reason:{relationship}:{day}",
    "case": "case:{case}:{due}",
    "case_record": "record:case:{case}:{day}",
    "decision_record": "record:decision:{case}:{day}",
    "observation": "observation:{staff}:{day}:{n}",
    "first_observation": "observation:{staff}:first",
    "supervision_observation": "supervision-observation:{staff}:{day}",
    "observation_form": "observation-form:{observation}:{step}",
    "sampling": "sampling:{staff}:{day}",
    "case_file_audit": "case-file-audit:{team}:{day}",
    "registration": "registration:{staff}:{day}",
    "dbs_check": "dbs-check:{staff}:{due}",
    "retention": "retention:{staff}",
    "supervisor_absence": "supervisor-absence:{staff}:{day}",
    "supervisor_load": "supervisor-load:{staff}:{day}",
    "group_agreement_sign": "group-agreement-sign:{group}:v{version}:{staff}",
    "group_agreement_review": "group-agreement-review:{group}:{due}",
    "record_audit": "record-audit:{staff}:{due}",
    "record_audit_discuss": "record-audit-discuss:{staff}:{day}",
    "session_action": "action:{action}",
    "missed_raise": "missed-raise:{relationship}:{due}",
    "missed_escalate": "missed-escalate:{relationship}:{due}",
    "missed_response": "missed-response:{relationship}:{due}",
    "case_oversight": "case-oversight:{case}:{day}",
}
ESCALATION = "escalation"
DATES = {"day", "due"}
NUMBERS = {"n", "version", "stage"}

# A recurring cycle is named by its obligations' key prefix without the due
# date: where the frontier engine replays it from (policy/frontier.py).
CYCLES = {
    "session": "session",
    "group": "group_supervision",
    "asye-reflective": "asye_reflective",
    "development": "development",
    "case": "case",
}


class KeyFormatError(ValueError):
    """A key that no family reads, or parts that do not fit one."""


@dataclass(frozen=True)
class Key:
    family: str
    parts: dict
    escalates: Key | None = None  # an escalation's escalated key
    step: int = 1  # an escalation's step along the chain

    def __getitem__(self, name: str):
        return self.parts[name]

    @property
    def day(self) -> date | None:
        """The key's date (a due date or the day of an event), if it has one."""
        for name in ("day", "due"):
            if name in self.parts:
                return self.parts[name]
        return None


def _text(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def build(family: str, **parts) -> str:
    """The key of one obligation: build("session", relationship="rel-42", due=day)."""
    template = FAMILIES.get(family)
    if template is None:
        raise KeyFormatError(f"no key family {family!r}; expected one of {sorted(FAMILIES)}")
    return template.format(**{name: _text(value) for name, value in parts.items()})


def escalation(escalated: str, step: int = 1) -> str:
    """The key of an escalation: the first step `escalation:{key}`, later ones `...:{n}`."""
    return f"{ESCALATION}:{escalated}" + ("" if step == 1 else f":{step}")


def cycle(name: str, subject: str) -> str:
    """A recurring cycle's name: the key prefix of its obligations ("session:rel-42")."""
    if name not in CYCLES:
        raise KeyFormatError(f"no cycle {name!r}; expected one of {sorted(CYCLES)}")
    return f"{name}:{subject}"


@cache
def _pattern(template: str) -> re.Pattern:
    out, names = "", []
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        out += re.escape(literal)
        if name:
            names.append(name)
            kind = (
                r"\d{4}-\d{2}-\d{2}" if name in DATES else r"\d+" if name in NUMBERS else r"[^:]+"
            )
            out += f"(?P<{name}>{kind})"
    return re.compile(f"^{out}$")


@cache
def _candidates() -> dict[str, list[tuple[str, re.Pattern]]]:
    """The families by their key's first segment ("record" -> record,
    case_record, decision_record), in FAMILIES' order: the reconcile reads tens
    of thousands of keys a run, and trying every family's pattern on each was
    a measurable share of its time."""
    heads: dict[str, list[tuple[str, re.Pattern]]] = {}
    for family, template in FAMILIES.items():
        heads.setdefault(template.partition(":")[0], []).append((family, _pattern(template)))
    return heads


def _parts(match: re.Match) -> dict:
    parts = {}
    for name, value in match.groupdict().items():
        if name in DATES:
            parts[name] = date.fromisoformat(value)
        elif name in NUMBERS:
            parts[name] = int(value)
        else:
            parts[name] = value
    return parts


def parse(key: str) -> Key:
    """Any obligation key, read back into its family and parts."""
    if key.startswith(ESCALATION + ":"):
        inner = key[len(ESCALATION) + 1 :]
        try:
            return Key(ESCALATION, {}, escalates=parse(inner))
        except KeyFormatError:
            head, _, step = inner.rpartition(":")
            if step.isdigit():
                return Key(ESCALATION, {}, escalates=parse(head), step=int(step))
            raise
    for family, pattern in _candidates().get(key.partition(":")[0], ()):
        match = pattern.match(key)
        if match is not None:
            return Key(family, _parts(match))
    raise KeyFormatError(f"{key!r} is not an obligation key this product makes")


def day_of(key: str) -> date | None:
    """The date in a key (of what it escalates, for an escalation), if any."""
    parsed = parse(key)
    return (parsed.escalates or parsed).day
