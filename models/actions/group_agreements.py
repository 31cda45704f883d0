"""Lancashire's Group Supervision Agreement (Appendix A), as people act on it
in the web app: the supervisor / team manager issues a version naming the
team coordinator and the supervisees and signs it; each of them signs; it is
in force once everyone has. Each function records the fact, completes the
signer's human task, reconciles the group so the next step is in the next
inbox at once, and writes an outbox row and an audit entry, in one
transaction (DESIGN.md, "The engine", point 5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.base import utcnow
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.tables.audit import AuditEntry
from models.tables.group_agreement import (
    GroupAgreementSignatory,
    GroupAgreementStatus,
    GroupParty,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import StaffMember, Team
from models.tables.outbox import OutboxEvent
from policy import load_profile
from policy.keys import group_fact_id, staff_fact_id

# "Supervisee" appears on the form several times: a group is at least two.
MIN_SUPERVISEES = 2
MAX_FREQUENCY_WEEKS = 52


class AlreadyIssued(ActionError):
    """What was asked for has been issued already: a double submission, or a
    form opened on a version that has since been replaced. `group_id` is the
    group it was issued on, so the caller can show it."""

    def __init__(self, message: str, group_id: int) -> None:
        super().__init__(message)
        self.group_id = group_id


@dataclass(frozen=True)
class GroupActionResult:
    group_id: int
    agreement_id: int | None
    in_force: bool
    next_task_ids: tuple[int, ...]


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


def issue_group_agreement(
    *,
    organisation_id: int,
    supervisor_staff_id: int,
    draft: GroupAgreementDraft,
    on: date,
    group_id: int | None = None,
    amendment_reason: str | None = None,
    replaces_version: int | None = None,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> GroupActionResult:
    """Sign and issue a new group's first agreement, or (with `group_id` and an
    `amendment_reason`) a new version of an existing group's: a review, a
    change of members, an amendment. A version still being signed is replaced;
    one in force stays in force until everyone has signed the new one.

    `replaces_version` is the version the supervisor's form was filled in
    from; if another has been issued since (the same form sent twice), nothing
    is issued and AlreadyIssued says so. A supervisor's groups that have not
    ended have different names, so they can tell them apart; sending the
    first version's form twice is refused the same way."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        org = lock_organisation(session, organisation_id)
        if load_profile(org.profile).rule("agreement.group") is None:
            raise ActionError("Your council's policy has no group supervision agreement.")
        supervisor = _person(session, organisation_id, supervisor_staff_id, on, "The supervisor")
        _check_draft(session, organisation_id, supervisor.id, draft, on)
        _check_name_free(session, supervisor.id, draft.name, group_id)
        if group_id is None:
            group = SupervisionGroup(
                organisation_id=organisation_id, supervisor_id=supervisor.id, name=""
            )
            session.add(group)
            previous = None
        else:
            group = _group(session, organisation_id, group_id)
            if group.supervisor_id != supervisor.id:
                raise NotPermitted("Only the group's supervisor can issue its agreement.")
            if group.ended_on is not None:
                raise ActionError(
                    f"This group ended on {_long(group.ended_on)}; draw up a new group instead."
                )
            previous = group.versions[-1] if group.versions else None
            if previous is not None and replaces_version not in (None, previous.version):
                raise AlreadyIssued(
                    f"Version {previous.version} of this group's agreement has already been "
                    "issued; nothing more was issued.",
                    group.id,
                )
        reason = (amendment_reason or "").strip() or None
        if previous is not None and reason is None:
            raise ActionError(
                "Say why you are issuing a new version: for example the annual review, "
                "a new member, or a change to how the group works."
            )
        group.name = draft.name.strip()
        group.team_id = draft.team_id
        if previous is not None and previous.status == GroupAgreementStatus.AWAITING_SIGNATURES:
            previous.status = GroupAgreementStatus.SUPERSEDED
        agreement = GroupSupervisionAgreement(
            group=group,
            version=(previous.version + 1) if previous else 1,
            status=GroupAgreementStatus.AWAITING_SIGNATURES,
            venue=draft.venue.strip(),
            frequency_weeks=draft.frequency_weeks,
            content={k: v.strip() for k, v in draft.content.items() if v and v.strip()},
            amendment_reason=reason,
            issued_on=on,
        )
        session.add(agreement)
        parties = [
            (supervisor.id, GroupParty.SUPERVISOR),
            (draft.coordinator_id, GroupParty.COORDINATOR),
        ]
        parties += [(staff_id, GroupParty.SUPERVISEE) for staff_id in draft.supervisee_ids]
        for staff_id, party in parties:
            agreement.signatories.append(
                GroupAgreementSignatory(
                    staff_id=staff_id,
                    party=party,
                    signed_on=on if party == GroupParty.SUPERVISOR else None,
                    signed_at=utcnow() if party == GroupParty.SUPERVISOR else None,
                )
            )
        session.flush()
        # Issuing a newer version is the review of the one before.
        _complete_tasks(session, group, supervisor.id, kind="group_agreement_review")
        return _finish(
            session,
            group,
            agreement,
            signer_staff_id=supervisor.id,
            actor_user_id=actor_user_id,
            event="oversight.group-agreement.issued",
            on=on,
        )


def sign_group_agreement(
    *,
    agreement_id: int,
    signer_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> GroupActionResult:
    """The team coordinator or a supervisee signs the version they are named
    on. The last signature puts it in force and supersedes the one before."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        agreement = session.get(GroupSupervisionAgreement, agreement_id)
        if agreement is None:
            raise ActionError("That group supervision agreement does not exist.")
        group = agreement.group
        org = lock_organisation(session, group.organisation_id)
        session.refresh(agreement)
        signatory = agreement.signatory(signer_staff_id)
        if signatory is None:
            raise NotPermitted("Only the people named on this group agreement can sign it.")
        if group.ended_on is not None and group.ended_on <= on:
            raise ActionError("This group has ended; its agreement is closed.")
        if agreement.status == GroupAgreementStatus.SUPERSEDED:
            latest = group.versions[-1]
            raise ActionError(
                f"Version {agreement.version} has been replaced by version {latest.version}; "
                "sign that one instead."
            )
        # Conditional on not yet signed, so a double submission signs once.
        signed = session.execute(
            update(GroupAgreementSignatory)
            .where(
                GroupAgreementSignatory.id == signatory.id,
                GroupAgreementSignatory.signed_on.is_(None),
            )
            .values(signed_on=on, signed_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if not signed:
            raise AlreadySigned("You have already signed this group agreement.")
        session.refresh(signatory)
        event = "oversight.group-agreement.signed"
        if not agreement.outstanding:
            for earlier in group.versions:
                if earlier.status == GroupAgreementStatus.IN_FORCE:
                    earlier.status = GroupAgreementStatus.SUPERSEDED
            rule = load_profile(org.profile).rule("agreement.group")
            agreement.status = GroupAgreementStatus.IN_FORCE
            agreement.in_force_on = on
            agreement.review_due_on = rule["review_every"].after(on) if rule else None
            event = "oversight.group-agreement.in-force"
        session.flush()
        _complete_tasks(session, group, signer_staff_id, kind="group_agreement_sign")
        return _finish(
            session,
            group,
            agreement,
            signer_staff_id=signer_staff_id,
            actor_user_id=actor_user_id,
            event=event,
            on=on,
        )


def end_supervision_group(
    *,
    group_id: int,
    organisation_id: int,
    by_staff_id: int,
    reason: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> GroupActionResult:
    """The group stops meeting: no more signatures or reviews are owed."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        lock_organisation(session, organisation_id)
        group = _group(session, organisation_id, group_id)
        if group.supervisor_id != by_staff_id:
            raise NotPermitted("Only the group's supervisor can end the group.")
        if group.ended_on is not None:
            raise ActionError(f"This group ended on {group.ended_on.day} {group.ended_on:%B %Y}.")
        if not reason.strip():
            raise ActionError("Say why the group has ended.")
        group.ended_on = on
        group.ended_reason = reason.strip()
        session.flush()
        latest = group.versions[-1] if group.versions else None
        return _finish(
            session,
            group,
            latest,
            signer_staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.group-agreement.group-ended",
            on=on,
        )


def _check_draft(
    session: Session, organisation_id: int, supervisor_id: int, draft: GroupAgreementDraft, on: date
) -> None:
    if not draft.name.strip():
        raise ActionError("Enter a name for the group, for example the team and what it is for.")
    if not 1 <= draft.frequency_weeks <= MAX_FREQUENCY_WEEKS:
        raise ActionError(
            f"The frequency of supervision must be between 1 and {MAX_FREQUENCY_WEEKS} weeks."
        )
    supervisees = list(draft.supervisee_ids)
    if len(supervisees) < MIN_SUPERVISEES:
        raise ActionError(
            f"Name at least {MIN_SUPERVISEES} supervisees: this is a group agreement."
        )
    if len(set(supervisees)) != len(supervisees):
        raise ActionError("Each supervisee can be named only once.")
    if supervisor_id in supervisees or supervisor_id == draft.coordinator_id:
        raise ActionError(
            "You sign as the supervisor / team manager: do not name yourself as the team "
            "coordinator or a supervisee."
        )
    if draft.coordinator_id in supervisees:
        raise ActionError("The team coordinator cannot also be a supervisee in the group.")
    _person(session, organisation_id, draft.coordinator_id, on, "The team coordinator")
    for staff_id in supervisees:
        _person(session, organisation_id, staff_id, on, "Each supervisee")
    if draft.team_id is not None:
        team = session.get(Team, draft.team_id)
        if team is None or team.service_area.organisation_id != organisation_id:
            raise ActionError("Choose a team or unit from your council.")


def _check_name_free(session: Session, supervisor_id: int, name: str, group_id: int | None) -> None:
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


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _person(session: Session, organisation_id: int, staff_id: int, on: date, who: str):
    person = session.get(StaffMember, staff_id)
    if person is None or person.organisation_id != organisation_id:
        raise ActionError(f"{who} must be someone in your council.")
    if person.left_on is not None and person.left_on <= on:
        raise ActionError(
            f"{who} must still work here: {person.name} left on {_long(person.left_on)}."
        )
    return person


def _group(session: Session, organisation_id: int, group_id: int) -> SupervisionGroup:
    group = session.get(SupervisionGroup, group_id)
    if group is None or group.organisation_id != organisation_id:
        raise ActionError("That supervision group does not exist.")
    session.refresh(group)
    return group


def _complete_tasks(session: Session, group: SupervisionGroup, staff_id: int, *, kind: str) -> None:
    """The group's open human tasks of this kind that this person answers:
    their own signature, or (for the supervisor) the review."""
    query = select(HumanTask).where(
        HumanTask.subject == group_fact_id(group.id),
        HumanTask.kind == kind,
        HumanTask.status.in_(OPEN_STATUSES),
    )
    if kind == "group_agreement_sign":
        query = query.where(HumanTask.key.endswith(f":{staff_fact_id(staff_id)}"))
    for task in session.scalars(query):
        task.complete(staff_id)


def _finish(
    session: Session,
    group: SupervisionGroup,
    agreement: GroupSupervisionAgreement | None,
    *,
    signer_staff_id: int,
    actor_user_id: int | None,
    event: str,
    on: date,
) -> GroupActionResult:
    session.flush()
    reconciled = reconcile_in_session(
        session,
        organisation_id=group.organisation_id,
        lifecycles={"agreement", "agreement_review"},
        as_of=on,
        subjects={group_fact_id(group.id)},
        actor=staff_fact_id(signer_staff_id),
    )
    payload = {
        "group_id": group.id,
        "agreement_id": agreement.id if agreement else None,
        "organisation_id": group.organisation_id,
        "on": on.isoformat(),
    }
    session.add(
        OutboxEvent(event=event, resource_id=f"oversight.group.{group.id}", payload=payload)
    )
    version = f" (version {agreement.version})" if agreement else ""
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=staff_fact_id(signer_staff_id),
            action="end" if event.endswith("group-ended") else "sign",
            object_type="group_supervision_agreement",
            object_id=str(agreement.id if agreement else group.id),
            subject_staff_id=group.supervisor_id,
            detail=f"{event}{version}"
            + (
                f"; amended: {agreement.amendment_reason}"
                if agreement and agreement.amendment_reason
                else ""
            ),
        )
    )
    session.flush()
    return GroupActionResult(
        group_id=group.id,
        agreement_id=agreement.id if agreement else None,
        in_force=bool(agreement and agreement.status == GroupAgreementStatus.IN_FORCE),
        next_task_ids=reconciled.created_ids,
    )
