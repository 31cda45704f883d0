"""The lifecycle flows that are a reconcile and nothing more: each owns one
or more of the policy engine's lifecycles (policy.LIFECYCLES), runs them for
the whole organisation on its schedule, or for one relationship, person or
case on demand and on the outbox's events. The agreement flow is in
agreement_lifecycle.py; sampling, retention, the year's schedule and the
whole-organisation run, which do more than a reconcile, have modules of their
own.

    python -m flows.lifecycles personal_supervision --staff 12 --as-of 2026-12-01"""

from __future__ import annotations

import sys
from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import flow_run_namer, run_lifecycles
from tasks.reconcile import ReconcileCounts

AGREEMENT_REVIEW = ("agreement_review",)
PERSONAL_SUPERVISION = ("personal_supervision", "recording")
ASYE = ("asye",)
CASE_SUPERVISION = ("case_supervision", "case_file_audit")
OBSERVATION = ("observation", "development")
REGISTRATION = ("registration",)
SUPERVISORS = ("supervisor_absence", "supervisor_load")


@flow(
    name="Review every supervision agreement and its questionnaire every year",
    description=(
        "Puts the annual agreement review in the supervisor's inbox ahead of its date, and the "
        "annual review questionnaire, forwarded to the supervisor's line manager; escalates "
        "the overdue."
    ),
    flow_run_name=flow_run_namer("agreement-review"),
    log_prints=True,
)
def agreement_review_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    return run_lifecycles(
        AGREEMENT_REVIEW,
        name="agreement-review",
        title="Annual agreement review",
        as_of=as_of,
        organisation_id=organisation_id,
        relationship_id=relationship_id,
        staff_id=staff_id,
        changed_only=changed_only,
    )


@flow(
    name="Keep personal supervision on its cadence and every record written and signed",
    description=(
        "The next session is due per role, employment type and agreed frequency: a 'hold "
        "supervision' task reaches the supervisor ahead of the due date (OVERSIGHT_LEAD_DAYS); "
        "the record falls due per the profile's recording deadline and needs both "
        "signatures, with the reason when a session was late. Case records and decisions on "
        "the child's record are in the recording lifecycle too."
    ),
    flow_run_name=flow_run_namer("personal-supervision"),
    log_prints=True,
)
def personal_supervision_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    case_ref: str | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    return run_lifecycles(
        PERSONAL_SUPERVISION,
        name="personal-supervision",
        title="Personal supervision and recording",
        as_of=as_of,
        organisation_id=organisation_id,
        relationship_id=relationship_id,
        staff_id=staff_id,
        case_ref=case_ref,
        changed_only=changed_only,
    )


@flow(
    name="Take every newly qualified social worker through their ASYE year",
    description=(
        "Supervision weekly, fortnightly, then four-weekly (per the profile) with the phase "
        "changing on the right days, reflective supervision where the profile has it, the "
        "3-, 6- and 12-month reviews and observations of practice, and the handover to the "
        "role's normal cadence at 12 months."
    ),
    flow_run_name=flow_run_namer("asye"),
    log_prints=True,
)
def asye_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    return run_lifecycles(
        ASYE,
        name="asye",
        title="ASYE year",
        as_of=as_of,
        organisation_id=organisation_id,
        relationship_id=relationship_id,
        staff_id=staff_id,
        changed_only=changed_only,
    )


@flow(
    name="Supervise every child's case as often as its type needs",
    description=(
        "Case supervision by case type, the first within the profile's limit of allocation "
        "and again on reallocation to a new worker (the old worker's is cancelled), and "
        "the monthly case-file audits on a rota. Cases are named by case ID only."
    ),
    flow_run_name=flow_run_namer("case-supervision"),
    log_prints=True,
)
def case_supervision_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    staff_id: int | None = None,
    case_ref: str | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    return run_lifecycles(
        CASE_SUPERVISION,
        name="case-supervision",
        title="Case supervision and case-file audits",
        as_of=as_of,
        organisation_id=organisation_id,
        staff_id=staff_id,
        case_ref=case_ref,
        changed_only=changed_only,
    )


@flow(
    name="Observe practice and supervision and discuss development every quarter",
    description=(
        "Practice observations (with families where the profile says), supervision "
        "observations, and the quarterly development discussion."
    ),
    flow_run_name=flow_run_namer("observation"),
    log_prints=True,
)
def observation_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    return run_lifecycles(
        OBSERVATION,
        name="observation",
        title="Observations and development",
        as_of=as_of,
        organisation_id=organisation_id,
        relationship_id=relationship_id,
        staff_id=staff_id,
        changed_only=changed_only,
    )


@flow(
    name="Check every social worker's registration before it renews",
    description=(
        "Social Work England renews every year between 1 September and 30 November: the "
        "check falls due in the supervisor's inbox as the window opens. DBS re-checks, at "
        "the interval OVERSIGHT_DBS_RECHECK_YEARS, run in this lifecycle too (where the "
        "profile has them)."
    ),
    flow_run_name=flow_run_namer("registration"),
    log_prints=True,
)
def registration_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    return run_lifecycles(
        REGISTRATION,
        name="registration",
        title="Registration and DBS checks",
        as_of=as_of,
        organisation_id=organisation_id,
        staff_id=staff_id,
        changed_only=changed_only,
    )


@flow(
    name="Cover absent supervisors and keep every supervisor's load within the cap",
    description=(
        "A supervisor absent longer than the profile allows puts a cover task in their line "
        "manager's inbox; while a cover arrangement is in force their open human tasks are "
        "in the cover supervisor's inbox, and back in theirs after it. Supervisors over the "
        "cap of supervisees are raised with their line manager."
    ),
    flow_run_name=flow_run_namer("supervisors"),
    log_prints=True,
)
def supervisor_absence_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    return run_lifecycles(
        SUPERVISORS,
        name="supervisors",
        title="Supervisor absence, cover and load",
        as_of=as_of,
        organisation_id=organisation_id,
        staff_id=staff_id,
        changed_only=changed_only,
    )


FLOWS = {
    "agreement_review": agreement_review_lifecycle,
    "personal_supervision": personal_supervision_lifecycle,
    "asye": asye_lifecycle,
    "case_supervision": case_supervision_lifecycle,
    "observation": observation_lifecycle,
    "registration": registration_lifecycle,
    "supervisor_absence": supervisor_absence_lifecycle,
}


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in FLOWS:
        sys.exit(f"usage: python -m flows.lifecycles {{{','.join(FLOWS)}}} [options]")
    run_from_command_line(FLOWS[sys.argv[1]], sys.argv[2:])
