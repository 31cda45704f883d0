"""Serve every lifecycle deployment from one process:

    PREFECT_API_URL=http://127.0.0.1:4200/api python -m deployments.serve

Each lifecycle is one line in DEPLOYMENTS (issue 4 adds the rest). Served runs
execute in this process's machine, so it needs DATABASE_URL like the web app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from prefect import Flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron, Schedule
from prefect.types.entrypoint import EntrypointType

from flows.agreement_lifecycle import agreement_lifecycle

TIMEZONE = "Europe/London"

# Before the working day starts, so inboxes are current when people log in.
DAILY_AT_SIX = Cron("0 6 * * *", timezone=TIMEZONE)


@dataclass(frozen=True)
class LifecycleDeployment:
    """One lifecycle flow as the Prefect UI lists it: its schedules and triggers."""

    flow: Flow
    name: str
    schedules: Sequence[Schedule] = (DAILY_AT_SIX,)
    # Event triggers (issue 4): e.g. DeploymentEventTrigger(expect={"oversight.relationship.*"},
    # parameters={"relationship_id": "{{ event.resource.id.split('.')[-1] }}"}) so the outbox
    # drainer's events run the flow for that one subject.
    triggers: Sequence[Any] = ()
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        """What `prefect deployment run` and `run_deployment` take."""
        return f"{self.flow.name}/{self.name}"


AGREEMENT_DAILY = LifecycleDeployment(agreement_lifecycle, "agreement-daily")

DEPLOYMENTS: list[LifecycleDeployment] = [
    AGREEMENT_DAILY,
]


def build_deployments(
    deployments: Sequence[LifecycleDeployment] = DEPLOYMENTS,
) -> list[RunnerDeployment]:
    return [
        d.flow.to_deployment(
            name=d.name,
            schedules=list(d.schedules),
            triggers=list(d.triggers) or None,
            parameters=d.parameters or None,
            tags=["oversight", "lifecycle"],
            # Import by module path: the runner works from any directory the package imports from.
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
        for d in deployments
    ]


def main() -> None:
    serve(*build_deployments())


if __name__ == "__main__":
    main()
