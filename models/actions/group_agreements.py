"""A council's group supervision agreement (Lancashire Appendix A), as people
act on it in the web app: the supervisor / team manager issues a version
naming the team coordinator and the supervisees and signs it; each of them
signs (models/actions/signing.py); it is in force once everyone has. The
wording and limits are the council's (policy/forms/group_agreement.py). Each
function ends with finish_action: the signer's human task completed, the
group reconciled so the next step is in the next inbox at once, the outbox
row and the audit entry, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError, NotPermitted
from models.actions.group_agreement_draft import (
    AlreadyIssued,
    DraftRefused,
    GroupAgreementDraft,
    check_draft,
    check_name_free,
    long_date,
    person_in_post,
)
from models.actions.signing import sign_named
from models.actions.unit_of_work import Audit, Finish, finish_action, open_tasks
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.events import Event
from models.tables.group_agreement import (
    GroupAgreementSignatory,
    GroupAgreementStatus,
    GroupParty,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
from models.tables.human_task import HumanTask
from models.tables.org import Organisation
from policy import keys, load_profile
from policy.forms.group_agreement import GroupAgreementDocument, group_agreement
from policy.keys import group_fact_id, staff_fact_id

LIFECYCLES = ("agreement", "agreement_review")


@dataclass(frozen=True)
class GroupActionResult:
    group_id: int
    agreement_id: int | None
    in_force: bool
    next_task_ids: tuple[int, ...]


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
        document = _document(org)
        supervisor = person_in_post(
            session, organisation_id, supervisor_staff_id, on, "The supervisor"
        )
        check_draft(session, organisation_id, supervisor.id, draft, on, document)
        check_name_free(session, supervisor.id, draft.name, group_id)
        group, previous = _group_to_issue(
            session, organisation_id, supervisor.id, group_id, replaces_version
        )
        reason = (amendment_reason or "").strip() or None
        if previous is not None and reason is None:
            raise DraftRefused(
                "Say why you are issuing a new version: for example the annual review, "
                "a new member, or a change to how the group works.",
                "amendment_reason",
            )
        group.name = draft.name.strip()
        group.team_id = draft.team_id
        if previous is not None and previous.status == GroupAgreementStatus.AWAITING_SIGNATURES:
            previous.status = GroupAgreementStatus.SUPERSEDED
        agreement = _new_version(session, group, previous, draft, reason, on, supervisor.id)
        sign_named(session, agreement.signatory(supervisor.id), on=on)
        # Issuing a newer version is the review of the one before.
        reviewed = _open_tasks(session, group, "group_agreement_review")
        return _finish(
            session,
            group,
            agreement,
            completed=reviewed,
            signer_staff_id=supervisor.id,
            actor_user_id=actor_user_id,
            event=events.GROUP_AGREEMENT_ISSUED,
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
        sign_named(
            session, signatory, on=on, already="You have already signed this group agreement."
        )
        event = events.GROUP_AGREEMENT_SIGNED
        if not agreement.outstanding:
            _put_in_force(org, group, agreement, on)
            event = events.GROUP_AGREEMENT_IN_FORCE
        session.flush()
        signer = staff_fact_id(signer_staff_id)
        mine = [
            task
            for task in _open_tasks(session, group, "group_agreement_sign")
            if keys.parse(task.key)["staff"] == signer
        ]
        return _finish(
            session,
            group,
            agreement,
            completed=mine,
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
            raise ActionError(f"This group ended on {long_date(group.ended_on)}.")
        if not reason.strip():
            raise ActionError("Say why the group has ended.")
        group.ended_on = on
        group.ended_reason = reason.strip()
        session.flush()
        return _finish(
            session,
            group,
            group.versions[-1] if group.versions else None,
            completed=(),
            signer_staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event=events.GROUP_AGREEMENT_ENDED,
            on=on,
        )


def _document(org: Organisation) -> GroupAgreementDocument:
    """The council's group agreement; refused where its policy has none."""
    document = group_agreement(load_profile(org.profile))
    if document is None:
        raise ActionError("Your council's policy has no group supervision agreement.")
    return document


def _group_to_issue(
    session: Session,
    organisation_id: int,
    supervisor_id: int,
    group_id: int | None,
    replaces_version: int | None,
) -> tuple[SupervisionGroup, GroupSupervisionAgreement | None]:
    """A new group, or the supervisor's group still meeting with its latest version."""
    if group_id is None:
        group = SupervisionGroup(
            organisation_id=organisation_id, supervisor_id=supervisor_id, name=""
        )
        session.add(group)
        return group, None
    group = _group(session, organisation_id, group_id)
    if group.supervisor_id != supervisor_id:
        raise NotPermitted("Only the group's supervisor can issue its agreement.")
    if group.ended_on is not None:
        raise ActionError(
            f"This group ended on {long_date(group.ended_on)}; draw up a new group instead."
        )
    previous = group.versions[-1] if group.versions else None
    if previous is not None and replaces_version not in (None, previous.version):
        raise AlreadyIssued(
            f"Version {previous.version} of this group's agreement has already been "
            "issued; nothing more was issued.",
            group.id,
        )
    return group, previous


def _new_version(
    session: Session,
    group: SupervisionGroup,
    previous: GroupSupervisionAgreement | None,
    draft: GroupAgreementDraft,
    reason: str | None,
    on: date,
    supervisor_id: int,
) -> GroupSupervisionAgreement:
    """The version issued, naming everyone who signs it (nobody has yet)."""
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
        (supervisor_id, GroupParty.SUPERVISOR),
        (draft.coordinator_id, GroupParty.COORDINATOR),
    ]
    parties += [(staff_id, GroupParty.SUPERVISEE) for staff_id in draft.supervisee_ids]
    for staff_id, party in parties:
        agreement.signatories.append(GroupAgreementSignatory(staff_id=staff_id, party=party))
    session.flush()
    return agreement


def _put_in_force(
    org: Organisation, group: SupervisionGroup, agreement: GroupSupervisionAgreement, on: date
) -> None:
    """Everyone has signed: it replaces the version in force, until its review."""
    for earlier in group.versions:
        if earlier.status == GroupAgreementStatus.IN_FORCE:
            earlier.status = GroupAgreementStatus.SUPERSEDED
    rule = load_profile(org.profile).rule("agreement.group")
    agreement.status = GroupAgreementStatus.IN_FORCE
    agreement.in_force_on = on
    agreement.review_due_on = rule["review_every"].after(on) if rule else None


def _group(session: Session, organisation_id: int, group_id: int) -> SupervisionGroup:
    group = session.get(SupervisionGroup, group_id)
    if group is None or group.organisation_id != organisation_id:
        raise ActionError("That supervision group does not exist.")
    session.refresh(group)
    return group


def _open_tasks(session: Session, group: SupervisionGroup, kind: str) -> list[HumanTask]:
    return open_tasks(session, group.organisation_id, subject=group_fact_id(group.id), kinds={kind})


def _finish(
    session: Session,
    group: SupervisionGroup,
    agreement: GroupSupervisionAgreement | None,
    *,
    completed: Sequence[HumanTask],
    signer_staff_id: int,
    actor_user_id: int | None,
    event: Event,
    on: date,
) -> GroupActionResult:
    version = f" (version {agreement.version})" if agreement else ""
    amended = (
        f"; amended: {agreement.amendment_reason}"
        if agreement and agreement.amendment_reason
        else ""
    )
    done = finish_action(
        session,
        Finish(
            organisation_id=group.organisation_id,
            actor_staff_id=signer_staff_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=completed,
            subjects={group_fact_id(group.id)},
            lifecycles=LIFECYCLES,
            event=event,
            subject_id=group.id,
            payload={"group_id": group.id, "agreement_id": agreement.id if agreement else None},
            audit=Audit(
                "end" if event is events.GROUP_AGREEMENT_ENDED else "sign",
                "group_supervision_agreement",
                agreement.id if agreement else group.id,
                group.supervisor_id,
                f"{event.name}{version}{amended}",
            ),
        ),
    )
    return GroupActionResult(
        group_id=group.id,
        agreement_id=agreement.id if agreement else None,
        in_force=bool(agreement and agreement.status == GroupAgreementStatus.IN_FORCE),
        next_task_ids=done.next_task_ids,
    )
