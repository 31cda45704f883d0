"""The engine: profile + facts + as-of date -> obligations. Pure and
deterministic: no clock, no database, same inputs give the same list in the
same order (by due date, then key).

Each lifecycle is a set of rule functions, filed under the kind of unit whose
obligations they produce (policy/units.py): a person, a case, a team or a
group. `compute_obligations` runs every rule over the whole organisation's
facts and every event in its history; it is the reference the frontier engine
(policy/frontier.py), which runs one unit at a time over the facts that decide
what is owed now, is tested against."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from policy.context import Context
from policy.facts import Facts
from policy.obligations import Obligation
from policy.profile import Profile
from policy.rules import (
    agreement,
    asye,
    case_supervision,
    group_agreement,
    observation,
    oversight,
    personal_supervision,
    recording,
    workforce,
)

RuleFunction = Callable[[Context], list[Obligation]]

# lifecycle -> unit kind -> the rules that produce that lifecycle's obligations for it.
LIFECYCLES: dict[str, Mapping[str, tuple[RuleFunction, ...]]] = {
    "agreement": {
        "person": (agreement.agreement_obligations,),
        "group": (group_agreement.group_signing_obligations,),
    },
    "agreement_review": {
        "person": (agreement.agreement_review_obligations,),
        "group": (group_agreement.group_review_obligations,),
    },
    "personal_supervision": {"person": (personal_supervision.personal_supervision_obligations,)},
    "asye": {"person": (asye.asye_obligations,)},
    "case_supervision": {"case": (case_supervision.case_supervision_obligations,)},
    "recording": {
        "person": (
            recording.session_record_obligations,
            recording.record_countersign_obligations,
            recording.late_reason_obligations,
        ),
        "case": (recording.case_record_obligations, recording.decision_record_obligations),
    },
    "observation": {"person": (observation.observation_obligations,)},
    "development": {"person": (oversight.development_obligations,)},
    "sampling": {"person": (oversight.sampling_obligations,)},
    "case_file_audit": {"team": (oversight.case_file_audit_obligations,)},
    "registration": {"person": (workforce.registration_and_dbs_obligations,)},
    "retention": {"person": (workforce.retention_obligations,)},
    "supervisor_absence": {"person": (workforce.supervisor_absence_obligations,)},
    "supervisor_load": {"person": (workforce.supervisor_load_obligations,)},
}


# A kind of unit owes something under a profile only if the profile has one of
# these rules; the others always may.
KIND_NEEDS: dict[str, tuple[str, ...]] = {
    "team": ("case_file_audit",),
    "group": ("agreement.group",),
}


def kinds_owing(profile: Profile, lifecycles: Iterable[str]) -> list[str]:
    """The kinds of unit that can owe anything in these lifecycles under this profile."""
    kinds = {kind for name in lifecycles for kind in LIFECYCLES[name]}
    return [
        kind
        for kind in ("person", "case", "team", "group")
        if kind in kinds and all(profile.rule(r) is not None for r in KIND_NEEDS.get(kind, ()))
    ]


def check_lifecycles(lifecycles: Iterable[str] | None) -> list[str]:
    """The lifecycles asked for, in the engine's order; every one when None."""
    wanted = list(LIFECYCLES) if lifecycles is None else list(lifecycles)
    unknown = sorted(set(wanted) - set(LIFECYCLES))
    if unknown:
        raise ValueError(f"unknown lifecycle(s) {unknown}; expected some of {list(LIFECYCLES)}")
    return [name for name in LIFECYCLES if name in wanted]


def rules_of(lifecycle: str, kind: str | None = None) -> tuple[RuleFunction, ...]:
    """A lifecycle's rules for one kind of unit, or for every kind."""
    by_kind = LIFECYCLES[lifecycle]
    if kind is not None:
        return by_kind.get(kind, ())
    return tuple(rule for rules in by_kind.values() for rule in rules)


def compute_obligations(
    profile: Profile,
    facts: Facts,
    as_of: date,
    *,
    lifecycles: Iterable[str] | None = None,
) -> list[Obligation]:
    """Every obligation, met or not, over the whole history in `facts`."""
    ctx = Context(profile, facts, as_of)
    owed = [
        ob for name in check_lifecycles(lifecycles) for rule in rules_of(name) for ob in rule(ctx)
    ]
    return sorted(owed, key=lambda ob: (ob.due, ob.key))
