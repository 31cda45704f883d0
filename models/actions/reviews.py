"""The annual supervision review questionnaire, where the council's policy has
one (policy/profiles/<council>/review_questionnaire.yaml; Lancashire 000
Appendix A, "Supervision Annual Review"). The supervisee answers and signs
it, the supervisor adds what they found and signs, and it is forwarded to the
supervisor's line manager, who confirms they read it.

The questionnaire and its forwarding are the engine's obligations
(policy/rules/agreement.py); the line manager's reading is a step of the form
(models/actions/form_steps.py). Each function is one transaction ended by
finish_action. The signatures are part of the form as signed: in its answers,
one per party, each given once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.form_steps import STEP_DAYS, Step, open_step, open_task_by_key
from models.actions.records import locked_relationship
from models.actions.unit_of_work import Audit, Finish, finish_action, open_tasks
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.human_task import HumanTask
from models.tables.org import Organisation, StaffMember
from models.tables.oversight import ReviewQuestionnaire
from models.tables.supervision import SupervisionRelationship
from policy import keys, load_profile
from policy.forms.review_questionnaire import ReviewQuestionnaire as Questionnaire
from policy.keys import relationship_fact_id, staff_fact_id

LIFECYCLES = frozenset({"agreement_review"})
RULE = "agreement.review_questionnaire"
# The line manager's reading: a step of the form the engine never reconciles.
READ_LIFECYCLE = "review_questionnaire_read"
READ_KIND = "review_questionnaire_read"
AWAITING_SUPERVISOR, FORWARDED, ACKNOWLEDGED = "awaiting_supervisor", "forwarded", "acknowledged"


@dataclass(frozen=True)
class ReviewResult:
    questionnaire_id: int
    completed_task_id: int | None
    next_task_ids: tuple[int, ...]
    forwarded_to_id: int | None = None


def review_state(questionnaire: ReviewQuestionnaire) -> str:
    """awaiting_supervisor -> forwarded -> acknowledged (the row is created
    when the supervisee signs their answers)."""
    answers = questionnaire.answers or {}
    if answers.get("acknowledged_on"):
        return ACKNOWLEDGED
    if "supervisor" in (answers.get("signatures") or {}):
        return FORWARDED
    return AWAITING_SUPERVISOR


def questionnaire_of(profile: str) -> Questionnaire | None:
    """The council's review questionnaire, if its policy has one."""
    return load_profile(profile).document("review_questionnaire")


def sign_review_as_supervisee(
    *,
    relationship_id: int,
    supervisee_staff_id: int,
    statements: dict[int, str],
    lists: dict[str, list[str]],
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ReviewResult:
    """The supervisee's answers to the statements and the lists, signed. The
    form is in the supervisee's voice ("Helps me improve the service I
    provide"), so they answer it; the supervisor then reads, adds what they
    found, signs and forwards it. This completes the engine's
    "review_questionnaire" human task and puts the forwarding in the
    supervisor's inbox at once."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = _locked_relationship(session, relationship_id, on)
        if rel.supervisee_id != supervisee_staff_id:
            raise NotPermitted("Only the supervisee answers and signs this part of the review.")
        form = _questionnaire(session, rel)
        for earlier in session.scalars(
            select(ReviewQuestionnaire).where(ReviewQuestionnaire.relationship_id == rel.id)
        ):
            if review_state(earlier) == AWAITING_SUPERVISOR or earlier.reviewed_on == on:
                raise AlreadySigned(
                    "You have already signed your annual supervision review. It is with "
                    f"{rel.supervisor.name} to sign."
                )
        questionnaire = ReviewQuestionnaire(
            relationship_id=rel.id,
            reviewed_on=on,
            answers={
                **_answers(form, statements, lists),
                "signatures": {"supervisee": _signature(supervisee_staff_id, on)},
            },
        )
        session.add(questionnaire)
        session.flush()
        task = _open_task_of(session, rel, "review_questionnaire", supervisee_staff_id)
        done = _finish(
            session,
            rel,
            questionnaire,
            by=supervisee_staff_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=task,
            event=events.REVIEW_COMPLETED,
            detail="Answered and signed as the supervisee",
        )
        return ReviewResult(questionnaire.id, task.id if task else None, done.next_task_ids)


def sign_review_as_supervisor(
    *,
    questionnaire_id: int,
    supervisor_staff_id: int,
    findings: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ReviewResult:
    """The supervisor signs, with what they found and how they will address the
    issues raised (§1.4), and the form is forwarded to the supervisor's line
    manager ("A copy of this completed form should be forwarded to the
    supervisor's line manager"), who gets a read-only human task for it."""
    findings = (findings or "").strip()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        questionnaire, rel = _locked_questionnaire(session, questionnaire_id, on)
        if rel.supervisor_id != supervisor_staff_id:
            raise NotPermitted("Only the supervisor signs this part of the review.")
        if review_state(questionnaire) != AWAITING_SUPERVISOR:
            raise AlreadySigned("You have already signed this review.")
        form = _questionnaire(session, rel)
        if not findings:
            raise ActionError(f"{form.findings.message}.")
        answers = dict(questionnaire.answers or {})
        answers["supervisor_findings"] = findings
        answers["signatures"] = {
            **(answers.get("signatures") or {}),
            "supervisor": _signature(supervisor_staff_id, on),
        }
        questionnaire.answers = answers
        recipient = _review_recipient(session, rel)
        questionnaire.forwarded_to_id = recipient.id if recipient else None
        questionnaire.forwarded_on = on if recipient else None
        task = _forwarding_task(session, rel, questionnaire, supervisor_staff_id)
        read = _open_read_step(session, rel, questionnaire, form, recipient, on)
        done = _finish(
            session,
            rel,
            questionnaire,
            by=supervisor_staff_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=task,
            event=events.REVIEW_FORWARDED,
            payload={"forwarded_to_id": questionnaire.forwarded_to_id},
            detail="Signed as the supervisor; forwarded to "
            + (staff_fact_id(recipient.id) if recipient else "nobody (no line manager recorded)"),
        )
        return ReviewResult(
            questionnaire.id,
            task.id if task else None,
            tuple(sorted({*done.next_task_ids, *read})),
            forwarded_to_id=questionnaire.forwarded_to_id,
        )


def acknowledge_review(
    *,
    questionnaire_id: int,
    reader_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ReviewResult:
    """The line manager has read the forwarded review; their task closes."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        questionnaire, rel = _locked_questionnaire(session, questionnaire_id, on, ended_ok=True)
        if questionnaire.forwarded_to_id != reader_staff_id:
            raise NotPermitted("This review was forwarded to someone else.")
        if review_state(questionnaire) == ACKNOWLEDGED:
            raise AlreadySigned("You have already confirmed you read this review.")
        questionnaire.answers = {**(questionnaire.answers or {}), "acknowledged_on": on.isoformat()}
        task = open_task_by_key(
            session,
            rel.supervisee.organisation_id,
            keys.build("review_questionnaire_read", questionnaire=questionnaire.id),
        )
        finish_action(
            session,
            Finish(
                organisation_id=rel.supervisee.organisation_id,
                actor_staff_id=reader_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=[task] if task else [],
                audit=Audit(
                    "complete",
                    "review_questionnaire",
                    questionnaire.id,
                    rel.supervisee_id,
                    "Confirmed they read the forwarded annual supervision review",
                ),
            ),
        )
        return ReviewResult(questionnaire.id, task.id if task else None, ())


# --- inside the actions ------------------------------------------------------------


def _questionnaire(session: Session, rel: SupervisionRelationship) -> Questionnaire:
    form = questionnaire_of(session.get(Organisation, rel.supervisee.organisation_id).profile)
    if form is None:
        raise ActionError("This council's policy has no annual review questionnaire.")
    return form


def _answers(form: Questionnaire, statements: dict[int, str], lists: dict[str, list[str]]):
    """The answers as stored: every statement answered, each list cut to its length."""
    count = len(form.statements)
    missing = [n for n in range(1, count + 1) if statements.get(n) not in form.answers]
    if missing:
        raise ActionError(
            f"Answer every statement with {form.answers_in_words} "
            f"(statement {missing[0]} is not answered)."
        )
    return {
        "statements": {str(n): statements[n] for n in range(1, count + 1)},
        "lists": {
            key: [str(item).strip() for item in (lists.get(key) or [])][: form.list_items]
            for key, _label in form.lists
        },
    }


def _signature(staff_id: int, on: date) -> dict:
    return {"staff_id": staff_id, "signed_on": on.isoformat()}


def _open_task_of(
    session: Session, rel: SupervisionRelationship, kind: str, assignee_id: int
) -> HumanTask | None:
    """The relationship's first open human task of this kind held by this person."""
    tasks = open_tasks(
        session,
        rel.supervisee.organisation_id,
        subject=relationship_fact_id(rel.id),
        kinds={kind},
    )
    return next((t for t in tasks if t.assignee_id == assignee_id), None)


def _forwarding_task(session: Session, rel, questionnaire, supervisor_staff_id: int):
    """The engine's task to sign and forward this review: by its key, or else
    the supervisor's first open one for the relationship."""
    key = keys.build(
        "review_questionnaire_forward",
        relationship=relationship_fact_id(rel.id),
        day=questionnaire.reviewed_on,
    )
    return open_task_by_key(session, rel.supervisee.organisation_id, key) or _open_task_of(
        session, rel, "review_questionnaire_forward", supervisor_staff_id
    )


def _open_read_step(session, rel, questionnaire, form: Questionnaire, recipient, on: date):
    """The forwarded copy, in the line manager's inbox."""
    if recipient is None:
        return ()
    read = Step(
        organisation_id=rel.supervisee.organisation_id,
        key=keys.build("review_questionnaire_read", questionnaire=questionnaire.id),
        lifecycle=READ_LIFECYCLE,
        kind=READ_KIND,
        title=form.read_title.format(
            supervisor=rel.supervisor.name, supervisee=rel.supervisee.name
        ),
        assignee_id=recipient.id,
        subject_staff_id=rel.supervisee_id,
        relationship_id=rel.id,
        due_on=on + timedelta(days=STEP_DAYS),
        rule=RULE,
        source=form.source,
        rule_text=form.read_text,
        payload={"questionnaire_id": questionnaire.id},
    )
    created = open_step(session, read)
    return () if created is None else (created,)


def _finish(
    session: Session,
    rel: SupervisionRelationship,
    questionnaire: ReviewQuestionnaire,
    *,
    by: int,
    actor_user_id: int | None,
    on: date,
    completed: HumanTask | None,
    event: events.Event,
    detail: str,
    payload: dict | None = None,
):
    """Complete the signer's task, reconcile the review for the relationship,
    announce the event and audit the signature."""
    return finish_action(
        session,
        Finish(
            organisation_id=rel.supervisee.organisation_id,
            actor_staff_id=by,
            actor_user_id=actor_user_id,
            on=on,
            completed=[completed] if completed else [],
            subjects={relationship_fact_id(rel.id)},
            lifecycles=LIFECYCLES,
            event=event,
            subject_id=rel.id,
            payload={
                "questionnaire_id": questionnaire.id,
                "relationship_id": rel.id,
                **(payload or {}),
            },
            audit=Audit(
                "sign", "review_questionnaire", questionnaire.id, rel.supervisee_id, detail
            ),
        ),
    )


def _review_recipient(session: Session, rel: SupervisionRelationship) -> StaffMember | None:
    """The supervisor's line manager. Where none is recorded the document is
    silent; national practice sends it up the line, so it goes to the head of
    the supervisor's service area."""
    supervisor = rel.supervisor
    if supervisor.line_manager_id is not None:
        return session.get(StaffMember, supervisor.line_manager_id)
    team = supervisor.team
    area = team.service_area if team is not None else None
    if area is not None and area.head_of_service_id not in (None, supervisor.id):
        return session.get(StaffMember, area.head_of_service_id)
    return None


def _locked_questionnaire(session: Session, questionnaire_id: int, on: date, ended_ok=False):
    questionnaire = session.get(ReviewQuestionnaire, questionnaire_id)
    if questionnaire is None:
        raise ActionError("That review questionnaire does not exist.")
    rel = session.get(SupervisionRelationship, questionnaire.relationship_id)
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(questionnaire)
    if not ended_ok and rel.ended_on is not None and rel.ended_on <= on:
        raise ActionError("This supervision relationship has ended; its review is closed.")
    return questionnaire, rel


def _locked_relationship(session: Session, relationship_id: int, on: date):
    rel = locked_relationship(session, relationship_id)
    if rel.ended_on is not None and rel.ended_on <= on:
        raise ActionError("This supervision relationship has ended.")
    return rel
