"""Where a group's agreement stands, and what it asks of a person, in words
for the list of groups and the group's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models import GroupAgreementStatus, GroupSupervisionAgreement, SupervisionGroup
from webapp.dates import long_date


@dataclass(frozen=True)
class Standing:
    tag: str
    colour: str  # a govuk-tag modifier
    detail: str


def standing(group: SupervisionGroup, on: date) -> Standing:
    """Where a group's agreement stands, for the list and the page."""
    latest = group.versions[-1] if group.versions else None
    if group.ended_on is not None:
        return Standing("Ended", "grey", f"Ended on {long_date(group.ended_on)}.")
    if latest is None:
        return Standing("Not issued", "grey", "No agreement has been issued yet.")
    if latest.status == GroupAgreementStatus.AWAITING_SIGNATURES:
        waiting = len(latest.outstanding)
        detail = f"Version {latest.version} issued on {long_date(latest.issued_on)}."
        in_force = version_in_force(group)
        if in_force is not None:
            detail += f" Version {in_force.version} stays in force until everyone has signed it."
        return Standing(
            f"Waiting for {waiting} signature{'' if waiting == 1 else 's'}", "yellow", detail
        )
    review = latest.review_due_on
    if review is not None and review < on:
        return Standing("Review overdue", "red", f"Its review was due on {long_date(review)}.")
    if review is not None:
        return Standing("In force", "green", f"In force until its review on {long_date(review)}.")
    return Standing("In force", "green", f"In force since {long_date(latest.in_force_on)}.")


def version_in_force(group: SupervisionGroup) -> GroupSupervisionAgreement | None:
    return next(
        (v for v in reversed(group.versions) if v.status == GroupAgreementStatus.IN_FORCE), None
    )


def your_part(group: SupervisionGroup, staff_id: int) -> str:
    """What the latest version asks of this person, for the list."""
    if group.supervisor_id == staff_id:
        return "You are the supervisor"
    latest = group.versions[-1] if group.versions else None
    signatory = latest.signatory(staff_id) if latest else None
    if signatory is None:
        return ""
    if signatory.signed_on is not None:
        return f"You signed on {long_date(signatory.signed_on)}"
    return "You have not signed yet" if group.ended_on is None else ""
