"""The supervision agreement, as its two parties act on it: the supervisor
signs a version (the first, a review's, or an amendment), the supervisee
countersigns it and it comes into force. Each function records the signature
(models/actions/signing.py) and ends with finish_action: the human task it
answers completed, the relationship reconciled so the next step is in the next
inbox at once, the outbox row and the audit entry, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.schedule import plan_year_in_session
from models.actions.signing import sign
from models.actions.unit_of_work import Audit, Finish, finish_action, open_tasks
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.events import Event
from models.tables.org import Organisation
from models.tables.supervision import (
    AgreementSignature,
    AgreementStatus,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
)
from policy import load_profile
from policy.keys import relationship_fact_id, staff_fact_id
from policy.schedule import schedule_required_by
from policy.variation import describe_every, personal_cadence

# The open human tasks (policy/kinds/) each party's signature answers: the
# supervisor's the first agreement or a review's re-signing, the supervisee's
# the version awaiting their countersignature.
SUPERVISOR_SIGNS = ("agreement", "agreement_review")
SUPERVISEE_SIGNS = ("agreement_countersign",)


@dataclass(frozen=True)
class ActionResult:
    completed_task_id: int | None
    agreement_id: int | None
    next_task_ids: tuple[int, ...]


def sign_agreement_as_supervisor(
    *,
    relationship_id: int,
    signer_staff_id: int,
    content: dict[str, str],
    frequency_weeks: int | None,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
    variation_reason: str | None = None,
    amendment_reason: str | None = None,
) -> ActionResult:
    """Sign the first agreement, a review's new version, or (with an
    `amendment_reason`) an amendment of the version in force. A frequency that
    varies the profile's cadence for the supervisee must be one the document
    allows, and needs its reason (policy.variation)."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = _locked_relationship(session, relationship_id, on)
        if rel.supervisor_id != signer_staff_id:
            raise NotPermitted("Only the supervisor in this relationship can sign its agreement.")
        agreement = _current_agreement(session, rel.id)
        already = (
            "You have already signed this agreement. It is waiting for "
            f"{rel.supervisee.name} to countersign it."
        )
        if agreement is not None and agreement.status == AgreementStatus.AWAITING_COUNTERSIGNATURE:
            raise AlreadySigned(already)
        if amendment_reason is not None and (
            agreement is None or agreement.status != AgreementStatus.IN_FORCE
        ):
            raise ActionError("Only an agreement in force can be amended.")
        variation_reason = _checked_variation(session, rel, frequency_weeks, variation_reason, on)
        if agreement is None or agreement.status == AgreementStatus.IN_FORCE:
            # A signed version is never edited: signing again makes a new version.
            version = (agreement.version + 1) if agreement else 1
            agreement = SupervisionAgreement(relationship_id=rel.id, version=version)
            session.add(agreement)
        agreement.content = dict(content)
        agreement.frequency_weeks = frequency_weeks
        agreement.variation_reason = variation_reason
        agreement.amendment_reason = (amendment_reason or "").strip() or None
        agreement.status = AgreementStatus.AWAITING_COUNTERSIGNATURE
        _sign(session, agreement, SignatoryParty.SUPERVISOR, signer_staff_id, on, already)
        return _finish(
            session,
            rel,
            agreement,
            task_kinds=SUPERVISOR_SIGNS,
            signer_staff_id=signer_staff_id,
            actor_user_id=actor_user_id,
            event=events.AGREEMENT_SIGNED_BY_SUPERVISOR,
            on=on,
        )


def countersign_agreement(
    *,
    relationship_id: int,
    signer_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ActionResult:
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = _locked_relationship(session, relationship_id, on)
        if rel.supervisee_id != signer_staff_id:
            raise NotPermitted("Only the supervisee in this relationship can countersign it.")
        agreement = _current_agreement(session, rel.id)
        already = "You have already countersigned this agreement."
        if agreement is None or agreement.status != AgreementStatus.AWAITING_COUNTERSIGNATURE:
            if agreement is not None and agreement.status == AgreementStatus.IN_FORCE:
                raise AlreadySigned(already)
            raise ActionError("There is no agreement waiting for your countersignature.")
        _sign(session, agreement, SignatoryParty.SUPERVISEE, signer_staff_id, on, already)
        for earlier in session.scalars(
            select(SupervisionAgreement).where(
                SupervisionAgreement.relationship_id == rel.id,
                SupervisionAgreement.status == AgreementStatus.IN_FORCE,
            )
        ):
            earlier.status = AgreementStatus.SUPERSEDED
        org = session.get(Organisation, rel.supervisee.organisation_id)
        profile = load_profile(org.profile)
        agreement.status = AgreementStatus.IN_FORCE
        agreement.in_force_on = on
        agreement.review_due_on = profile.agreement_review_due(on)
        if schedule_required_by(profile):
            # Where the council owes it (Nottingham §2.4), the year's schedule of sessions.
            session.flush()
            plan_year_in_session(
                session, rel, on, actor=staff_fact_id(signer_staff_id), actor_user_id=actor_user_id
            )
        return _finish(
            session,
            rel,
            agreement,
            task_kinds=SUPERVISEE_SIGNS,
            signer_staff_id=signer_staff_id,
            actor_user_id=actor_user_id,
            event=events.AGREEMENT_IN_FORCE,
            on=on,
        )


def _sign(
    session: Session,
    agreement: SupervisionAgreement,
    party: SignatoryParty,
    staff_id: int,
    on: date,
    already: str,
) -> None:
    """One party's signature on this version, once (models/actions/signing.py)."""
    session.flush()
    sign(
        session,
        AgreementSignature,
        staff_id=staff_id,
        on=on,
        already=already,
        agreement_id=agreement.id,
        party=party,
    )
    # The signatures as stored, so this transaction's reconcile and result see it.
    session.expire(agreement, ["signatures"])


def _checked_variation(
    session: Session,
    rel: SupervisionRelationship,
    frequency_weeks: int | None,
    reason: str | None,
    on: date,
) -> str | None:
    """The variation's reason to store: None unless the frequency differs from
    the profile's cadence for the supervisee's role."""
    if frequency_weeks is None:
        return None
    org = session.get(Organisation, rel.supervisee.organisation_id)
    cadence = personal_cadence(load_profile(org.profile), rel.supervisee.role.value, on)
    if not cadence.allows(frequency_weeks):
        raise ActionError(
            f"Supervision for this role must be at least {describe_every(cadence.loosest)}; "
            "an agreed frequency can make it more frequent, not less."
        )
    if not cadence.differs(frequency_weeks):
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(
            "Record why the agreed frequency differs from the policy's "
            f"({describe_every(cadence.every)})."
        )
    return reason


def _locked_relationship(session: Session, relationship_id: int, on: date):
    rel = session.get(SupervisionRelationship, relationship_id)
    if rel is None:
        raise ActionError("That supervision relationship does not exist.")
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(rel)
    if rel.ended_on is not None and rel.ended_on <= on:
        raise ActionError("This supervision relationship has ended; its agreement is closed.")
    return rel


def _current_agreement(session: Session, relationship_id: int) -> SupervisionAgreement | None:
    return session.scalars(
        select(SupervisionAgreement)
        .where(
            SupervisionAgreement.relationship_id == relationship_id,
            SupervisionAgreement.status != AgreementStatus.SUPERSEDED,
        )
        .order_by(SupervisionAgreement.version.desc())
        .limit(1)
    ).one_or_none()


def _finish(
    session: Session,
    rel: SupervisionRelationship,
    agreement: SupervisionAgreement,
    *,
    task_kinds: tuple[str, ...],
    signer_staff_id: int,
    actor_user_id: int | None,
    event: Event,
    on: date,
) -> ActionResult:
    session.flush()
    organisation_id = rel.supervisee.organisation_id
    subject = relationship_fact_id(rel.id)
    tasks = open_tasks(session, organisation_id, subject=subject, kinds=task_kinds)
    amended = f"; amended: {agreement.amendment_reason}" if agreement.amendment_reason else ""
    done = finish_action(
        session,
        Finish(
            organisation_id=organisation_id,
            actor_staff_id=signer_staff_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=tasks,
            subjects={subject},
            lifecycles={"agreement", "agreement_review"},
            event=event,
            subject_id=rel.id,
            payload={"relationship_id": rel.id, "agreement_id": agreement.id},
            audit=Audit(
                "sign",
                "supervision_agreement",
                agreement.id,
                rel.supervisee_id,
                f"{event.name} (version {agreement.version}){amended}",
            ),
        ),
    )
    return ActionResult(
        completed_task_id=tasks[0].id if tasks else None,
        agreement_id=agreement.id,
        next_task_ids=done.next_task_ids,
    )
