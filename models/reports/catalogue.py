"""Every figure the dashboard shows and the monthly report writes, declared
once: its title, what it is broken down by, the outcomes it counts, and the
SELECT of the items behind it (models/reports/people.py, timeliness.py, work.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select
from sqlalchemy.orm import Session

from models.reports import (
    development,
    people,
    quality,
    records,
    session_timeliness,
    timeliness,
    work,
)
from models.reports.window import Period, ReportScope

Items = Callable[[Session, ReportScope, Period], Select]


@dataclass(frozen=True)
class Figure:
    name: str  # the URL's and the workbook sheet's name
    title: str
    description: str
    dimensions: tuple[str, ...]  # team_id, month, case_type, kind, lifecycle
    outcomes: tuple[tuple[str, str], ...]  # (key, column heading), in order
    items: Items
    share_of: str | None = None  # the outcome whose percentage of the total is shown
    share_label: str = ""
    average_label: str = ""  # the average of the items' days, when shown
    ref_label: str = ""
    day_label: str = ""
    amount_label: str = ""
    trend: bool = False  # drawn month by month
    note: Callable[[Session, ReportScope], str] | None = None

    def note_for(self, session: Session, scope: ReportScope) -> str:
        return self.note(session, scope) if self.note else ""

    def outcome_label(self, key: str) -> str:
        return dict(self.outcomes).get(key, key)


FIGURES: dict[str, Figure] = {
    f.name: f
    for f in (
        Figure(
            "agreements",
            "Signed supervision agreements in force",
            "Everyone in post and supervised on the day, and whether an agreement both "
            "parties signed was in force for them.",
            ("team_id",),
            people.AGREEMENT_OUTCOMES,
            people.agreement_items,
            share_of="signed",
            share_label="Share with an agreement (%)",
            ref_label="Job title",
            day_label="Started",
        ),
        Figure(
            "sessions",
            "Supervision sessions on time, late and missed",
            "Each personal supervision session that fell due in the period, by team and "
            "the month it was due: the due date is the cadence the policy owes the "
            "supervisee, counted from their session before; held by its due date, held "
            "after it, or not held by the day the figures are seen as of.",
            ("team_id", "month"),
            timeliness.OUTCOMES,
            session_timeliness.session_items,
            share_of="on_time",
            share_label="On time (%)",
            ref_label="Held on",
            day_label="Due",
            trend=True,
        ),
        Figure(
            "short_sessions",
            "Sessions shorter than the document's minimum",
            "Each one-to-one session held in the period, by team and month: shorter than "
            "the minimum the council's document sets, at least it, or with no length "
            "recorded.",
            ("team_id", "month"),
            quality.LENGTH_OUTCOMES,
            quality.length_items,
            ref_label="Minimum (minutes)",
            day_label="Held",
            amount_label="Minutes",
            note=quality.length_note,
        ),
        Figure(
            "records",
            "Supervision records written and shared within the deadline",
            "Each one-to-one session held in the period, and each step the council's "
            "document sets a deadline for: the record written, and shared with the "
            "supervisee (the day they had their copy).",
            ("step", "team_id"),
            records.RECORD_OUTCOMES,
            records.record_items,
            share_of="on_time",
            share_label="Within the deadline (%)",
            ref_label="Done on",
            day_label="Deadline",
        ),
        Figure(
            "case_supervision",
            "Case supervision on time by case type",
            "Each case supervision that fell due in the period, by the case's type.",
            ("case_type",),
            timeliness.OUTCOMES,
            timeliness.case_items,
            share_of="on_time",
            share_label="On time (%)",
            ref_label="Case ID",
            day_label="Due",
        ),
        Figure(
            "asye_progress",
            "ASYE progress against the year's review milestones",
            "Each worker in their ASYE year (the year running into the period) and each "
            "review milestone of the year: reviewed by it, after it, not reviewed though "
            "past it, or not yet due on the day.",
            ("milestone", "team_id"),
            development.ASYE_OUTCOMES,
            development.asye_items,
            ref_label="Reviewed on",
            day_label="Milestone",
            note=development.asye_note,
        ),
        Figure(
            "observations",
            "Practice observations against each person's requirement",
            "Everyone in post owed observations of their practice: those observed and "
            "signed in the year to the day (an ASYE worker: since their year began) "
            "against the number owed; not yet due until the first is owed.",
            ("team_id",),
            development.OBSERVATION_OUTCOMES,
            development.observation_items,
            share_of="met",
            share_label="Requirement met (%)",
            ref_label="Required",
            day_label="First owed by",
            amount_label="Done",
        ),
        Figure(
            "findings",
            "Supervision audits and samples, and their findings",
            "Each record sampled in a quarterly sample drawn in the period and each "
            "supervision record audit done in it, by what it was and the team of the "
            "person it is about: meets the standard, falls short, or no finding yet.",
            ("source", "team_id"),
            quality.FINDING_OUTCOMES,
            quality.finding_items,
            share_of="meets",
            share_label="Meets the standard (%)",
            ref_label="Quarter or findings",
            day_label="Reviewed",
        ),
        Figure(
            "open_tasks",
            "Open human tasks by kind and team",
            "Every human task open now, by its kind and the team it counts for; overdue "
            "when its due date is before the day the figures are seen as of.",
            ("kind", "team_id"),
            work.OPEN_OUTCOMES,
            work.open_task_items,
            ref_label="Task",
            day_label="Due",
        ),
        Figure(
            "escalations",
            "Escalations and how long they took to resolve",
            "Human tasks escalated in the period, by lifecycle and team: resolved (closed) "
            "or still open, and the average days from escalation to closing.",
            ("lifecycle", "team_id"),
            work.ESCALATION_OUTCOMES,
            work.escalation_items,
            average_label="Average days to resolve",
            ref_label="Task",
            day_label="Due",
        ),
        Figure(
            "over_cap",
            "Supervisors over the supervisee cap",
            "Supervisors with more supervisees on the day than the profile's cap.",
            ("team_id",),
            people.CAP_OUTCOMES,
            people.cap_items,
            amount_label="Supervisees",
            note=people.rule_note(
                "supervisor_load.cap",
                "The profile's cap: {max_supervisees} supervisees ({cite}).",
                "This council's policy sets no cap on supervisees.",
            ),
        ),
        Figure(
            "absent_uncovered",
            "Supervisors absent without cover",
            "Supervisors absent on the day with no cover arrangement in force.",
            ("team_id",),
            people.ABSENCE_OUTCOMES,
            people.absence_items,
            day_label="Absent since",
            note=people.rule_note(
                "supervisor_absence.cover",
                "Cover is owed once an absence is longer than {longer_than} ({cite}).",
                "This council's policy sets no limit for absences; every uncovered "
                "absence is counted as within it.",
            ),
        ),
        Figure(
            "leavers_due_deletion",
            "Leavers whose records are due for deletion",
            "People who left long enough ago that their supervision records are due for "
            "deletion, and whose records are still held.",
            ("team_id",),
            people.LEAVER_OUTCOMES,
            people.leaver_items,
            day_label="Left",
            note=people.rule_note(
                "retention.deletion",
                "Records are deleted {after_leaving} after leaving ({cite}).",
                "This council's policy sets no period after which records are deleted.",
            ),
        ),
    )
}
