"""The supervisor's draft of a group supervision agreement, checked before
it is issued (models/actions/group_agreements.py): a name of its own, a
frequency and a number of supervisees within the council's limits
(policy/forms/group_agreement.py), and people who work in the council. A
refusal names the part of the draft it is about, so the form shows it there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.actions.errors import ActionError
from models.tables.group_agreement import SupervisionGroup
from models.tables.org import StaffMember, Team
from policy.forms.group_agreement import GroupAgreementDocument


class AlreadyIssued(ActionError):
    """What was asked for has been issued already: a double submission, or a
    form opened on a version that has since been replaced. `group_id` is the
    group it was issued on, so the caller can show it."""

    def __init__(self, message: str, group_id: int) -> None:
        super().__init__(message)
        self.group_id = group_id


class DraftRefused(ActionError):
    """A part of the supervisor's draft that cannot be issued as it is. `part`
    names it (a GroupAgreementDraft field, or "amendment_reason") so the form
    shows the reason beside it."""

    def __init__(self, message: str, part: str) -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class GroupAgreementDraft:
    """What the supervisor fills in: the form's named parties and its answers."""

    name: str
    team_id: int | None
    coordinator_id: int
    supervisee_ids: Sequence[int]
    venue: str
    frequency_weeks: int
    content: dict[str, str]


def check_draft(
    session: Session,
    organisation_id: int,
    supervisor_id: int,
    draft: GroupAgreementDraft,
    on: date,
    document: GroupAgreementDocument,
) -> None:
    if not draft.name.strip():
        raise DraftRefused(
            "Enter a name for the group, for example the team and what it is for.", "name"
        )
    most = document.frequency_most_weeks
    if not 1 <= draft.frequency_weeks <= most:
        raise DraftRefused(
            f"The frequency of supervision must be between 1 and {most} weeks.", "frequency_weeks"
        )
    supervisees = list(draft.supervisee_ids)
    least = document.least_supervisees
    if len(supervisees) < least:
        raise DraftRefused(
            f"Name at least {least} supervisees: this is a group agreement.", "supervisee_ids"
        )
    if len(set(supervisees)) != len(supervisees):
        raise DraftRefused("Each supervisee can be named only once.", "supervisee_ids")
    if supervisor_id in supervisees or supervisor_id == draft.coordinator_id:
        raise DraftRefused(
            "You sign as the supervisor / team manager: do not name yourself as the team "
            "coordinator or a supervisee.",
            "coordinator_id",
        )
    if draft.coordinator_id in supervisees:
        raise DraftRefused(
            "The team coordinator cannot also be a supervisee in the group.", "coordinator_id"
        )
    who = (("The team coordinator", "coordinator_id", draft.coordinator_id),)
    who += tuple(("Each supervisee", "supervisee_ids", staff_id) for staff_id in supervisees)
    for label, part, staff_id in who:
        person_in_post(session, organisation_id, staff_id, on, label, part)
    if draft.team_id is not None:
        team = session.get(Team, draft.team_id)
        if team is None or team.service_area.organisation_id != organisation_id:
            raise DraftRefused("Choose a team or unit from your council.", "team_id")


def check_name_free(session: Session, supervisor_id: int, name: str, group_id: int | None) -> None:
    """Under the organisation's lock, so two forms sent at once cannot both pass."""
    taken = session.scalar(
        select(SupervisionGroup.id)
        .where(
            SupervisionGroup.supervisor_id == supervisor_id,
            SupervisionGroup.ended_on.is_(None),
            func.lower(SupervisionGroup.name) == name.strip().lower(),
            SupervisionGroup.id != (group_id or 0),
        )
        .limit(1)
    )
    if taken is not None:
        raise AlreadyIssued(
            f"You already have a group called {name.strip()}. Give this group another name, "
            "or issue a new version of that group's agreement.",
            taken,
        )


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def person_in_post(
    session: Session, organisation_id: int, staff_id: int, on: date, who: str, part: str = ""
) -> StaffMember:
    """Someone in post in the council; refused naming `who` (and the draft's part)."""
    person = session.get(StaffMember, staff_id)
    refusal = None
    if person is None or person.organisation_id != organisation_id:
        refusal = f"{who} must be someone in your council."
    elif person.left_on is not None and person.left_on <= on:
        refusal = f"{who} must still work here: {person.name} left on {long_date(person.left_on)}."
    if refusal is not None:
        raise DraftRefused(refusal, part) if part else ActionError(refusal)
    return person
