"""The engine: profile + facts + as-of date -> obligations. Pure and
deterministic: no clock, no database, same inputs give the same list in the
same order (by due date, then key)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def _agreements(ctx: Context) -> list[Obligation]:
    return agreement.agreement_obligations(ctx) + group_agreement.group_signing_obligations(ctx)


def _agreement_reviews(ctx: Context) -> list[Obligation]:
    return agreement.agreement_review_obligations(ctx) + group_agreement.group_review_obligations(
        ctx
    )


LIFECYCLES: dict[str, Callable[[Context], list[Obligation]]] = {
    "agreement": _agreements,
    "agreement_review": _agreement_reviews,
    "personal_supervision": personal_supervision.personal_supervision_obligations,
    "asye": asye.asye_obligations,
    "case_supervision": case_supervision.case_supervision_obligations,
    "recording": recording.recording_obligations,
    "observation": observation.observation_obligations,
    "development": oversight.development_obligations,
    "sampling": oversight.sampling_obligations,
    "case_file_audit": oversight.case_file_audit_obligations,
    "registration": workforce.registration_and_dbs_obligations,
    "retention": workforce.retention_obligations,
    "supervisor_absence": workforce.supervisor_absence_obligations,
    "supervisor_load": workforce.supervisor_load_obligations,
}


def compute_obligations(
    profile: Profile,
    facts: Facts,
    as_of: date,
    *,
    lifecycles: Iterable[str] | None = None,
) -> list[Obligation]:
    wanted = list(LIFECYCLES) if lifecycles is None else list(lifecycles)
    unknown = sorted(set(wanted) - set(LIFECYCLES))
    if unknown:
        raise ValueError(f"unknown lifecycle(s) {unknown}; expected some of {list(LIFECYCLES)}")
    ctx = Context(profile, facts, as_of)
    owed = [ob for name in LIFECYCLES if name in wanted for ob in LIFECYCLES[name](ctx)]
    return sorted(owed, key=lambda ob: (ob.due, ob.key))
