"""Serve every deployment from one process:

    PREFECT_API_URL=http://127.0.0.1:4200/api python -m deployments.serve

Each lifecycle of the policy engine (policy.LIFECYCLES) is run by one
deployment in DEPLOYMENTS, on a schedule in Europe/London and on the outbox
events that concern its subject (a relationship, a person or a case), through
event triggers. Beside them: the 12-month schedule, the whole-organisation
catch-up, the outbox drainer and the mail. Served runs execute in this
process's machine, so it needs DATABASE_URL like the web app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from prefect import Flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.events import DeploymentEventTrigger
from prefect.schedules import Cron, Interval, Schedule
from prefect.types.entrypoint import EntrypointType

from flows.agreement_lifecycle import LIFECYCLES as AGREEMENT
from flows.agreement_lifecycle import agreement_lifecycle
from flows.every_organisation import DEPLOYMENT_NAME as ONE_ORGANISATION_NAME
from flows.every_organisation import one_organisation
from flows.lifecycle import ESCALATED_EVENT
from flows.lifecycles import (
    AGREEMENT_REVIEW,
    ASYE,
    CASE_SUPERVISION,
    OBSERVATION,
    PERSONAL_SUPERVISION,
    REGISTRATION,
    SUPERVISORS,
    agreement_review_lifecycle,
    asye_lifecycle,
    case_supervision_lifecycle,
    observation_lifecycle,
    personal_supervision_lifecycle,
    registration_lifecycle,
    supervisor_absence_lifecycle,
)
from flows.notifications import send_daily_digests, send_escalation_mail
from flows.outbox import drain_outbox_flow
from flows.retention import LIFECYCLES as RETENTION
from flows.retention import retention_lifecycle
from flows.sampling import LIFECYCLES as SAMPLING
from flows.sampling import sampling_lifecycle
from flows.schedule import supervision_schedule
from flows.whole_organisation import every_lifecycle

TIMEZONE = "Europe/London"

# Before the working day starts, so inboxes are current when people log in. A
# daily run looks only at what changed or what a date reached (flows/lifecycle.py);
# the weekly catch-up, and a run asked for by hand, look at everyone.
CHANGED_ONLY = {"changed_only": True}
DAILY_AT_SIX = Cron("0 6 * * *", timezone=TIMEZONE, parameters=CHANGED_ONLY)
# The year's sessions are planned just before the lifecycles run.
DAILY_BEFORE_SIX = Cron("45 5 * * *", timezone=TIMEZONE)
# Deleting records is done at night, away from people's work.
NIGHTLY = Cron("0 2 * * *", timezone=TIMEZONE, parameters=CHANGED_ONLY)
# The digest goes once the morning's lifecycles have run.
DAILY_AT_SEVEN = Cron("0 7 * * *", timezone=TIMEZONE)
# A catch-up of everything, once a week.
WEEKLY_ON_SUNDAY = Cron("0 5 * * 0", timezone=TIMEZONE)
EVERY_MINUTE = Interval(60, timezone=TIMEZONE)
EVERY_FIVE_MINUTES = Interval(300, timezone=TIMEZONE)

# The subject an outbox event is about: its resource id is "oversight.<kind>.<id>".
SUBJECT_ID = "{{ event.resource.id.split('.')[-1] }}"
ORGANISATION_ID = "{{ event.payload.organisation_id }}"
SUBJECT_PARAMETER = {"relationship": "relationship_id", "staff": "staff_id", "case": "case_ref"}


def rendered(template: str) -> dict[str, str]:
    """A trigger parameter rendered from the event as text (a case ID)."""
    return {"__prefect_kind": "jinja", "template": template}


def rendered_number(template: str) -> dict[str, Any]:
    """A trigger parameter rendered from the event, then read as JSON, so an id
    arrives as the number the flow's parameter schema asks for: Prefect's
    server checks a triggered run's parameters against it before the run exists,
    and refuses the text "42" for an integer."""
    return {"__prefect_kind": "json", "value": rendered(template)}


AGREEMENT_EVENTS = ("oversight.agreement.*",)
SESSION_EVENTS = ("oversight.session.*",)
REVIEW_EVENTS = ("oversight.review-questionnaire.*",)
CASE_EVENTS = ("oversight.case.*",)
OBSERVATION_EVENTS = ("oversight.observation.*",)
CHECK_EVENTS = ("oversight.registration-check.recorded", "oversight.dbs-check.recorded")
COVER_EVENTS = ("oversight.cover.*", "oversight.absence.*")
SAMPLE_EVENTS = ("oversight.sample.*",)
# A group agreement concerns several people, so its lifecycle runs for the organisation.
GROUP_AGREEMENT_EVENTS = ("oversight.group-agreement.*",)


def on_subject_events(kind: str, events: Sequence[str]) -> DeploymentEventTrigger:
    """Run the deployment for the one relationship, person or case an outbox
    event is about (the drainer delivers it; see tasks/outbox.py)."""
    parameter = SUBJECT_PARAMETER[kind]
    parameters = {
        parameter: rendered(SUBJECT_ID) if kind == "case" else rendered_number(SUBJECT_ID)
    }
    if kind == "case":  # a case ID is unique within its organisation
        parameters["organisation_id"] = rendered_number(ORGANISATION_ID)
    return DeploymentEventTrigger(
        name=f"Run for the {kind} an event is about",
        expect=set(events),
        match={"prefect.resource.id": f"oversight.{kind}.*"},
        parameters=parameters,
    )


def on_organisation_events(events: Sequence[str], resource: str) -> DeploymentEventTrigger:
    """Run the deployment for the organisation an event names in its payload."""
    return DeploymentEventTrigger(
        name="Run for the organisation an event is about",
        expect=set(events),
        match={"prefect.resource.id": f"oversight.{resource}.*"},
        parameters={"organisation_id": rendered_number(ORGANISATION_ID)},
    )


@dataclass(frozen=True)
class LifecycleDeployment:
    """One flow as the Prefect UI lists it: its schedules, its triggers, and
    the policy engine's lifecycles it runs (empty for the drainer and mail)."""

    flow: Flow
    name: str
    lifecycles: Sequence[str] = ()
    schedules: Sequence[Schedule] = (DAILY_AT_SIX,)
    triggers: Sequence[Any] = ()
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        """What `prefect deployment run` and `run_deployment` take."""
        return f"{self.flow.name}/{self.name}"


AGREEMENT_DAILY = LifecycleDeployment(
    agreement_lifecycle,
    "agreement-daily",
    AGREEMENT,
    triggers=(
        on_subject_events("relationship", AGREEMENT_EVENTS),
        on_organisation_events(GROUP_AGREEMENT_EVENTS, "group"),
    ),
)
AGREEMENT_REVIEW_DAILY = LifecycleDeployment(
    agreement_review_lifecycle,
    "agreement-review-daily",
    AGREEMENT_REVIEW,
    triggers=(
        on_subject_events("relationship", AGREEMENT_EVENTS + REVIEW_EVENTS),
        on_organisation_events(GROUP_AGREEMENT_EVENTS, "group"),
    ),
)
PERSONAL_SUPERVISION_DAILY = LifecycleDeployment(
    personal_supervision_lifecycle,
    "personal-supervision-daily",
    PERSONAL_SUPERVISION,
    triggers=(
        on_subject_events("relationship", AGREEMENT_EVENTS + SESSION_EVENTS),
        on_subject_events("case", CASE_EVENTS),  # case notes and decisions on the record
    ),
)
ASYE_DAILY = LifecycleDeployment(
    asye_lifecycle,
    "asye-daily",
    ASYE,
    triggers=(on_subject_events("relationship", AGREEMENT_EVENTS + SESSION_EVENTS),),
)
CASE_SUPERVISION_DAILY = LifecycleDeployment(
    case_supervision_lifecycle,
    "case-supervision-daily",
    CASE_SUPERVISION,
    triggers=(on_subject_events("case", CASE_EVENTS),),
)
OBSERVATION_DAILY = LifecycleDeployment(
    observation_lifecycle,
    "observation-and-development-daily",
    OBSERVATION,
    triggers=(
        on_subject_events("staff", OBSERVATION_EVENTS),
        on_subject_events("relationship", SESSION_EVENTS),  # development discussed
    ),
)
REGISTRATION_DAILY = LifecycleDeployment(
    registration_lifecycle,
    "registration-daily",
    REGISTRATION,
    triggers=(on_subject_events("staff", CHECK_EVENTS),),
)
SUPERVISORS_DAILY = LifecycleDeployment(
    supervisor_absence_lifecycle,
    "supervisor-absence-and-load-daily",
    SUPERVISORS,
    triggers=(on_subject_events("staff", COVER_EVENTS),),
)
# Acts on the first working day of each quarter (or the first run after it).
SAMPLING_DAILY = LifecycleDeployment(
    sampling_lifecycle,
    "sampling-quarterly",
    SAMPLING,
    triggers=(on_organisation_events(SAMPLE_EVENTS, "service-area"),),
)
# Deleting is done by the flow itself; no outbox event asks for it.
RETENTION_NIGHTLY = LifecycleDeployment(
    retention_lifecycle, "retention-nightly", RETENTION, schedules=(NIGHTLY,)
)
SCHEDULE_DAILY = LifecycleDeployment(
    supervision_schedule,
    "schedule-daily",
    schedules=(DAILY_BEFORE_SIX,),
    triggers=(on_subject_events("relationship", ("oversight.agreement.in-force",)),),
)
EVERY_LIFECYCLE_WEEKLY = LifecycleDeployment(
    every_lifecycle, "every-lifecycle-weekly", schedules=(WEEKLY_ON_SUNDAY,)
)
# No schedule: flows.every_organisation starts one run per organisation on it, so
# every process serving it shares a national run.
ONE_ORGANISATION = LifecycleDeployment(one_organisation, ONE_ORGANISATION_NAME, schedules=())
OUTBOX_DRAINER = LifecycleDeployment(
    drain_outbox_flow, "outbox-every-minute", schedules=(EVERY_MINUTE,)
)
DAILY_DIGEST = LifecycleDeployment(send_daily_digests, "digest-daily", schedules=(DAILY_AT_SEVEN,))
ESCALATION_MAIL = LifecycleDeployment(
    send_escalation_mail,
    "escalation-mail",
    schedules=(EVERY_FIVE_MINUTES,),
    triggers=(on_organisation_events((ESCALATED_EVENT,), "organisation"),),
)

DEPLOYMENTS: list[LifecycleDeployment] = [
    AGREEMENT_DAILY,
    AGREEMENT_REVIEW_DAILY,
    PERSONAL_SUPERVISION_DAILY,
    ASYE_DAILY,
    CASE_SUPERVISION_DAILY,
    OBSERVATION_DAILY,
    REGISTRATION_DAILY,
    SUPERVISORS_DAILY,
    SAMPLING_DAILY,
    RETENTION_NIGHTLY,
    SCHEDULE_DAILY,
    EVERY_LIFECYCLE_WEEKLY,
    ONE_ORGANISATION,
    OUTBOX_DRAINER,
    DAILY_DIGEST,
    ESCALATION_MAIL,
]


def build_deployment(d: LifecycleDeployment) -> RunnerDeployment:
    return d.flow.to_deployment(
        name=d.name,
        schedules=list(d.schedules),
        triggers=list(d.triggers) or None,
        parameters=d.parameters or None,
        tags=["oversight", "lifecycle" if d.lifecycles else "service"],
        # Import by module path: the runner works from any directory the package imports from.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def build_deployments(
    deployments: Sequence[LifecycleDeployment] = DEPLOYMENTS,
) -> list[RunnerDeployment]:
    return [build_deployment(d) for d in deployments]


def main() -> None:
    serve(*build_deployments())


if __name__ == "__main__":
    main()
