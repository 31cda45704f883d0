"""What the whole-organisation flow (flows/whole_organisation.py) does, run
without Prefect, for the tests of a whole organisation's run."""

from __future__ import annotations

from datetime import date

# The seed's salt for the quarter's samples: fixed so two runs draw the same sample.
SALT = "0123456789abcdef"


def run_every_lifecycle(organisation_ids, as_of: date, session_factory=None) -> list:
    """What flows.whole_organisation.every_lifecycle does, step for step,
    through the same plain functions under its Prefect tasks."""
    from models.actions.retention_runs import delete_organisation_records
    from models.actions.sampling_runs import draw_quarterly_samples
    from models.actions.schedule_runs import plan_schedules
    from models.engine.lifecycle_runs import reconcile_lifecycles
    from policy import LIFECYCLES

    for org_id in organisation_ids:
        plan_schedules(org_id, as_of, session_factory=session_factory)
        draw_quarterly_samples(org_id, as_of, salt=SALT, session_factory=session_factory)
        delete_organisation_records(org_id, as_of, session_factory=session_factory)
    return [
        counts
        for org_id in organisation_ids
        for counts in reconcile_lifecycles(
            org_id, list(LIFECYCLES), as_of, session_factory=session_factory
        )
    ]
