"""What the demo's signed supervision records say: each section of the
council's own record form (its record_form.yaml, read as the session form
reads it) written as a supervisor would, the children discussed by case ID
only (never a name), and the previous session's actions reviewed under the
form's review section, done, with a note. The text is chosen from the lines
below by the session's place in the history, so the same day builds the same
records.

The record is stored in the shape models/actions/sessions.py writes
(`sections`, `extra`, `case_refs`, `recorded_by`, `covering_for`; none was
late, so no late check is kept); no
case direction is added, so the cases' own supervision history, and what is
overdue on them, stay as models/demo/work.py builds them (the children
section names the cases, and each case's page keeps its directions)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from models.demo.builder import Builder
from models.tables.cases import CaseAllocation
from models.tables.supervision import (
    RecordStatus,
    SessionAction,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import load_profile
from policy.forms.record_form import record_form

# Lines for each section of a record, by the section's place on the form (the
# review section and the children section have their own below).
_SECTION_LINES = (
    (
        "Well; annual leave booked for the school holidays. No health and safety concerns.",
        "Finding the late visits tiring; agreed to finish at 4pm on Fridays this month.",
        "Back after a week's leave and settled. Occupational health referral not needed.",
        "Managing well. Talked about the impact of a difficult court hearing; offered EAP.",
    ),
    (
        "Talked through the new front door arrangements and what they mean for the team.",
        "Clear on the duty rota. Covering the team's child protection conferences in March.",
        "Progress noted on timeliness of assessments: all within 45 working days this month.",
        "Role expectations unchanged. Good feedback from the IRO on the last review.",
    ),
    (
        "Booked on the court skills course. Reflected on direct work using the three houses tool.",
        "Observation of practice last month discussed: warm, clear with the family; work on "
        "pace in meetings.",
        "Reading on neglect and cumulative harm; will bring reflections to group supervision.",
        "Goal for the quarter: complete the PQ module on analysis by the end of the term.",
    ),
    (
        "Caseload of 16, within the team's range. Two assessments due next week; diary planned.",
        "Caseload of 18; one case to transfer to the long-term team. Priorities agreed.",
        "Recording up to date apart from one visit; agreed to write it up by Friday.",
        "Caseload steady at 17. No deadlines missed. Duty day moved to Tuesdays.",
    ),
)
_REVIEW_NONE = "No actions from the last session. Nothing carried over."
_REVIEW_DONE = "All actions from the last session completed; nothing carried over."
_CASE_LINES = (
    "plan reviewed; progress on school attendance; next visit within 10 working days.",
    "risks discussed after the latest police notification; strategy discussion held, "
    "threshold not met; safety plan updated.",
    "core group on track; parenting assessment due to finish this month.",
    "child's views gathered through direct work; review of the plan brought forward.",
)
_ACTIONS = (
    "Book the family group conference",
    "Update the chronology after the core group",
    "Send the referral to the young carers service",
    "Share the assessment with the family before the review",
)
_DONE_NOTES = (
    "Done within the week.",
    "Completed; the family were given a copy.",
    "Sent and acknowledged.",
)


def record_contents(b: Builder) -> None:
    """Every signed (or supervisor-signed) held session of the demo gets its
    record; each one but the first reviews an action agreed at the one before."""
    agenda = record_form(load_profile(b.org.profile)).worker
    cases = _cases_by_worker(b)
    previous: dict[int, SupervisionSession] = {}
    for n, (row, supervisee_id, supervisor_id) in enumerate(_signed_sessions(b)):
        before = previous.get(row.relationship_id)
        sections = _sections(agenda, n, cases.get(supervisee_id, ()), reviewed=before is not None)
        row.record = {
            "sections": sections,
            "extra": {},
            "case_refs": [],
            "recorded_by": supervisor_id,
            "covering_for": None,
        }
        if before is not None:
            gap = (row.held_on - before.held_on).days
            b.session.add(
                SessionAction(
                    session_id=before.id,
                    description=_ACTIONS[n % len(_ACTIONS)],
                    owner_id=supervisee_id,
                    due_on=before.held_on + timedelta(days=gap // 2),
                    done_on=before.held_on + timedelta(days=gap // 3),
                    done_note=_DONE_NOTES[n % len(_DONE_NOTES)],
                    review_note="Completed.",
                    reviewed_in_session_id=row.id,
                )
            )
        previous[row.relationship_id] = row


def _sections(agenda, n: int, case_refs, *, reviewed: bool) -> dict[str, str]:
    out = {}
    others = [s for s in agenda.sections if s.key not in (agenda.review_section,
                                                          agenda.cases_section)]  # fmt: skip
    for place, section in enumerate(others):
        lines = _SECTION_LINES[place % len(_SECTION_LINES)]
        out[section.key] = lines[(n + place) % len(lines)]
    out[agenda.review_section] = _REVIEW_DONE if reviewed else _REVIEW_NONE
    out[agenda.cases_section] = (
        "\n".join(
            f"{ref}: {_CASE_LINES[(n + i) % len(_CASE_LINES)]}" for i, ref in enumerate(case_refs)
        )
        or "No cases held."
    )
    return out


def _signed_sessions(b: Builder):
    """(session, supervisee, supervisor) of every held session the supervisor
    has signed, by relationship and day held (one query)."""
    return b.session.execute(
        select(
            SupervisionSession,
            SupervisionRelationship.supervisee_id,
            SupervisionRelationship.supervisor_id,
        )
        .join(
            SupervisionRelationship,
            SupervisionRelationship.id == SupervisionSession.relationship_id,
        )
        .where(
            SupervisionRelationship.supervisor.has(organisation_id=b.org.id),
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.record_status.in_(
                (RecordStatus.SIGNED, RecordStatus.AWAITING_COUNTERSIGNATURE)
            ),
        )
        .order_by(SupervisionSession.relationship_id, SupervisionSession.held_on)
    ).all()


def _cases_by_worker(b: Builder) -> dict[int, list[str]]:
    """Each worker's case IDs (one query)."""
    out: dict[int, list[str]] = defaultdict(list)
    for worker_id, ref in b.session.execute(
        select(CaseAllocation.worker_id, CaseAllocation.case_ref)
        .where(CaseAllocation.organisation_id == b.org.id)
        .order_by(CaseAllocation.case_ref)
    ):
        out[worker_id].append(ref)
    return out
