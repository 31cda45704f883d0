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
    actions,
    agreement,
    asye,
    case_oversight,
    case_supervision,
    group_agreement,
    missed_sessions,
    observation,
    oversight,
    personal_supervision,
    record_audit,
    recording,
    workforce,
)
from policy.versions import keep_in_force, versions_of

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
    "personal_supervision": {
        "person": (
            personal_supervision.personal_supervision_obligations,
            missed_sessions.missed_session_obligations,
        )
    },
    "asye": {"person": (asye.asye_obligations,)},
    "case_supervision": {
        "case": (
            case_supervision.case_supervision_obligations,
            case_oversight.case_oversight_obligations,
        )
    },
    "recording": {
        "person": (
            actions.action_obligations,
            recording.session_record_obligations,
            recording.record_shared_obligations,
            recording.record_countersign_obligations,
            recording.late_reason_obligations,
        ),
        "case": (recording.case_record_obligations, recording.decision_record_obligations),
    },
    "observation": {"person": (observation.observation_obligations,)},
    "development": {"person": (oversight.development_obligations,)},
    "sampling": {"person": (oversight.sampling_obligations,)},
    "case_file_audit": {"team": (oversight.case_file_audit_obligations,)},
    "record_audit": {"person": (record_audit.record_audit_obligations,)},
    "registration": {"person": (workforce.registration_and_dbs_obligations,)},
    "retention": {"person": (workforce.retention_obligations,)},
    "supervisor_absence": {"person": (workforce.supervisor_absence_obligations,)},
    "supervisor_load": {"person": (workforce.supervisor_load_obligations,)},
}


# The sections of policy.facts.Facts each lifecycle's rules read (for every kind
# of unit), besides the staff and relationships that every rule reads. A
# reconcile of some lifecycles (an action's own) loads only these;
# tests/models/engine/test_unit_facts.py holds every lifecycle to the same
# answer from them as from every fact. A rule that reads another section must
# say so here.
FACTS_READ: dict[str, frozenset[str]] = {
    name: frozenset(sections)
    for name, sections in {
        "agreement": ("agreements", "group_agreements", "group_signatories"),
        "agreement_review": (
            "agreements",
            "review_questionnaires",
            "group_agreements",
            "group_signatories",
        ),
        # The cadence: sessions, variations in agreements, a casual worker's hours.
        "personal_supervision": ("sessions", "agreements", "hours_worked", "missed_sessions"),
        "asye": ("sessions", "agreements", "hours_worked", "asye_reviews", "observations"),
        "case_supervision": ("cases", "case_oversights"),
        # A late session's reason follows the cadence (personal_supervision).
        "recording": ("sessions", "agreements", "hours_worked", "actions", "cases", "decisions"),
        "observation": ("observations",),
        "development": ("sessions",),
        "sampling": ("samplings",),
        "case_file_audit": ("cases", "audits"),
        "record_audit": ("record_audits",),
        "registration": (),
        "retention": (),
        "supervisor_absence": ("absences",),
        "supervisor_load": (),
    }.items()
}


def facts_read(lifecycles: Iterable[str] | None) -> frozenset[str]:
    """The fact sections these lifecycles' rules read (every section when None),
    staff and relationships always."""
    if lifecycles is None:
        return frozenset(Facts.__dataclass_fields__) - {"extra"}
    return frozenset({"staff", "relationships"}).union(
        *(FACTS_READ[name] for name in check_lifecycles(lifecycles))
    )


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
    """Every obligation, met or not, over the whole history in `facts`, each
    under the version of the policy in force on the day it opens (policy/versions.py)."""
    wanted = check_lifecycles(lifecycles)

    def under(version: Profile) -> list[Obligation]:
        ctx = Context(version, facts, as_of)
        return [ob for name in wanted for rule in rules_of(name) for ob in rule(ctx)]

    owed = keep_in_force(profile, [under(version) for version in versions_of(profile)], as_of)
    return sorted(owed, key=lambda ob: (ob.due, ob.key))
