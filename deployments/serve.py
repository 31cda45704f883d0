"""Serve every deployment from one process:

    PREFECT_API_URL=http://127.0.0.1:4200/api python -m deployments.serve

One deployment per row of flows/table.py: each lifecycle of the policy
engine (policy.LIFECYCLES) on a schedule in Europe/London and on the outbox
events that concern its subject (a relationship, a person or a case), through
event triggers built from models/events.py; beside them the 12-month
schedule, the whole-organisation catch-up, the outbox drainer and the mail.
Served runs execute in this process's machine, so it needs DATABASE_URL like
the web app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from prefect import Flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.events import DeploymentEventTrigger
from prefect.schedules import Schedule
from prefect.types.entrypoint import EntrypointType
from prefect.utilities.importtools import import_object

from flows.limits import whole_number_at_start
from flows.subjects import ORGANISATION, SUBJECTS, Listen
from flows.table import ROWS, FlowRow

# The subject an outbox event is about: its resource id is "oversight.<kind>.<id>".
SUBJECT_ID = "{{ event.resource.id.split('.')[-1] }}"
ORGANISATION_ID = "{{ event.payload.organisation_id }}"


def rendered(template: str) -> dict[str, str]:
    """A trigger parameter rendered from the event as text (a case ID)."""
    return {"__prefect_kind": "jinja", "template": template}


def rendered_number(template: str) -> dict[str, Any]:
    """A trigger parameter rendered from the event, then read as JSON, so an id
    arrives as the number the flow's parameter schema asks for: Prefect's
    server checks a triggered run's parameters against it before the run exists,
    and refuses the text "42" for an integer."""
    return {"__prefect_kind": "json", "value": rendered(template)}


def trigger(listen: Listen) -> DeploymentEventTrigger:
    """Run the deployment for the one relationship, person or case an outbox
    event is about (the drainer delivers it; see tasks/outbox.py), or for the
    organisation it names in its payload."""
    if listen.for_organisation:
        return DeploymentEventTrigger(
            name=f"Run for the organisation on {listen.label} events",
            expect=listen.expect,
            match={"prefect.resource.id": f"oversight.{listen.about}.*"},
            parameters={ORGANISATION.parameter: rendered_number(ORGANISATION_ID)}
            | ({"changed_only": True} if listen.changed_only else {}),
        )
    [subject] = [s for s in SUBJECTS if s.about == listen.about]
    value = rendered(SUBJECT_ID) if subject.type is str else rendered_number(SUBJECT_ID)
    parameters = {subject.parameter: value}
    if subject.within_organisation:
        parameters[ORGANISATION.parameter] = rendered_number(ORGANISATION_ID)
    return DeploymentEventTrigger(
        name=f"Run for the {subject.noun} on {listen.label} events",
        expect=listen.expect,
        match={"prefect.resource.id": f"oversight.{listen.about}.*"},
        parameters=parameters,
    )


@dataclass(frozen=True)
class LifecycleDeployment:
    """One flow as the Prefect UI lists it, served as its row says: its
    schedules, its triggers, and the policy engine's lifecycles it runs (empty
    for the drainer and mail)."""

    row: FlowRow
    flow: Flow
    triggers: tuple[DeploymentEventTrigger, ...]

    @property
    def name(self) -> str:
        return self.row.deployment

    @property
    def lifecycles(self) -> Sequence[str]:
        return self.row.lifecycles

    @property
    def schedules(self) -> Sequence[Schedule]:
        return self.row.schedules

    @property
    def full_name(self) -> str:
        """What `prefect deployment run` and `run_deployment` take."""
        return self.row.full_name


def deployment_of(row: FlowRow) -> LifecycleDeployment:
    """The row's flow, imported from where the row says it is, as Prefect will."""
    triggers = tuple(trigger(listen) for listen in row.listens)
    return LifecycleDeployment(row, import_object(row.entrypoint), triggers)


DEPLOYMENTS: list[LifecycleDeployment] = [deployment_of(row) for row in ROWS]
_BY_NAME = {d.name: d for d in DEPLOYMENTS}
AGREEMENT_DAILY = _BY_NAME["agreement-daily"]
PERSONAL_SUPERVISION_DAILY = _BY_NAME["personal-supervision-daily"]
ASYE_DAILY = _BY_NAME["asye-daily"]
CASE_SUPERVISION_DAILY = _BY_NAME["case-supervision-daily"]
SAMPLING_DAILY = _BY_NAME["sampling-quarterly"]
EVERY_LIFECYCLE_WEEKLY = _BY_NAME["every-lifecycle-weekly"]
ONE_ORGANISATION = _BY_NAME["one-organisation"]
OUTBOX_DRAINER = _BY_NAME["outbox-every-minute"]


def build_deployment(d: LifecycleDeployment) -> RunnerDeployment:
    return d.flow.to_deployment(
        name=d.name,
        schedules=list(d.schedules),
        triggers=list(d.triggers) or None,
        tags=list(d.row.tags),
        # Import by module path: the runner works from any directory the package imports from.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def build_deployments(
    deployments: Sequence[LifecycleDeployment] = DEPLOYMENTS,
) -> list[RunnerDeployment]:
    return [build_deployment(d) for d in deployments]


# Flow runs one runner executes at once. Each whole-organisation run holds its
# batch's facts (a few hundred MB for a large council), so without a limit one
# runner takes every scheduled run at once and its memory grows with the number
# of organisations; with it the rest wait for a slot here or in another runner,
# and memory is bounded by the limit. Measured in bench/results/runners.md.
RUNNER_LIMIT_ENV = "OVERSIGHT_RUNNER_LIMIT"
DEFAULT_RUNNER_LIMIT = 4


def runner_limit() -> int:
    """The runner's limit from OVERSIGHT_RUNNER_LIMIT (a whole number from 1), or 4."""
    return whole_number_at_start(RUNNER_LIMIT_ENV, DEFAULT_RUNNER_LIMIT, of="flow runs")


def main() -> None:
    serve(*build_deployments(), limit=runner_limit())


if __name__ == "__main__":
    main()
