"""The small council with a year of supervision behind it, for the pages
about records. Helen heads the service area; Grace has supervised Sam and
Chloe since June 2025 (each had a session in November 2025, the quarter
before the sampling quarter); the engine has put "hold supervision" in
Grace's inbox; Grace signed Chloe's record of 25 February, which waits for
Chloe's countersignature; Sam has an open child protection case and a
practice observation by Grace whose first part is his; Helen's sampling
task for 2026-Q1 is in her inbox."""

from __future__ import annotations

from datetime import date, timedelta

from models import CaseType, RecordStatus, SessionStatus, SupervisionRelationship
from models.actions.sessions import NewAction, RecordInput, record_session
from models.engine.reconcile import reconcile
from tests.worlds.builder import Council
from tests.worlds.small_council import TODAY, World

CASE_REF = "LCS-300001"
SAMPLING_RULE = "Heads of service sample supervision records four times a year."


def add_a_year_of_records(db, world: World) -> dict[str, int]:
    """The facts above, added to `world`: the ids of the observation, the
    sampling task, the service area and the session awaiting countersignature."""
    with db() as session, session.begin():
        testshire = Council.of(session, world.org_id)
        area = testshire.staff(world.worker_id).team.service_area
        area.head_of_service_id = world.head_id
        for rel_id in (world.rel_id, world.colleague_rel_id):
            session.get(SupervisionRelationship, rel_id).started_on = date(2025, 6, 2)
            testshire.held(
                rel_id,
                date(2025, 11, 3),
                status=SessionStatus.HELD,
                recorded_on=date(2025, 11, 5),
                record_status=RecordStatus.SIGNED,
                duration_minutes=90,
                record={"sections": {"workload": "Caseload of 12, manageable."}},
            )
        testshire.case(
            world.worker_id,
            CASE_REF,
            case_type=CaseType.CHILD_PROTECTION,
            allocated_on=TODAY - timedelta(days=20),
        )
        observation = testshire.observation(
            world.worker_id, observer=world.manager_id, observed_on=TODAY + timedelta(days=7)
        )
        task = testshire.task(
            kind="sampling",
            key=f"sampling:staff-{world.head_id}:2026-01-01",
            title="Sample supervision records",
            subject_staff=world.head_id,
            assignee=world.head_id,
            due_on=date(2026, 3, 31),
            rule="sampling.records",
            source="000_b775b8e7712f1ef5.txt §2.1",
            rule_text=SAMPLING_RULE,
        )
        ids = {"observation": observation.id, "sampling_task": task.id, "area": area.id}
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    ids["countersign_session"] = _awaiting_countersignature(db, world)
    return ids


def _awaiting_countersignature(db, world: World) -> int:
    """Grace records and signs Chloe's session of 25 February: its id."""
    return record_session(
        relationship_id=world.colleague_rel_id,
        recorder_staff_id=world.manager_id,
        record=RecordInput(
            held_on=date(2026, 2, 25),
            duration_minutes=90,
            sections={"personal": "Well.", "workload": "Caseload of 10."},
            late_reason="Grace was on leave in January.",
            actions=[NewAction("Book court skills training", world.colleague_id, TODAY)],
        ),
        sign=True,
        on=TODAY,
        session_factory=db,
    ).session_id
