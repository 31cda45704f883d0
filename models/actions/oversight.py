"""What a person does for quality assurance: practice and supervision
observations, the annual supervision review questionnaire, and registration
and DBS checks. Each function follows models/actions/agreements.py: one transaction; lock
the organisation; record the fact; complete the human task by its key;
reconcile that subject so the next step is in the next inbox at once; an
outbox row; an audit entry.

The engine owns the obligations (an observation owed, a registration check
owed). The steps inside an observation form (the supervisee's preparation, their
reflection, the supervisor's feedback, the two signatures) and the line
manager's reading of a forwarded review are human tasks of their own, in
lifecycles the engine never reconciles ("observation_form",
"review_questionnaire_read"), keyed by the record's id and step so they are
created once and closed by key. The review questionnaire itself and its
forwarding are the engine's obligations (policy/rules/agreement.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.sessions import supervises_or_covers
from models.configuration import dbs_recheck_years
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.tables.audit import AuditEntry
from models.tables.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.tables.org import StaffMember
from models.tables.outbox import OutboxEvent
from models.tables.oversight import (
    CheckKind,
    Observation,
    ObservationKind,
    ObservationSignature,
    RegistrationCheck,
    ReviewQuestionnaire,
)
from models.tables.supervision import SignatoryParty, SupervisionRelationship
from policy.keys import relationship_fact_id, staff_fact_id

__all__ = [
    "OBSERVATION_FORMS",
    "REVIEW_ANSWERS",
    "REVIEW_STATEMENTS",
    "ActionError",
    "AlreadySigned",
    "NotPermitted",
    "acknowledge_review",
    "complete_observation_part",
    "dbs_recheck_years",
    "plan_observation",
    "record_registration_check",
    "sign_observation",
    "sign_review_as_supervisee",
    "sign_review_as_supervisor",
]

OBSERVATION_FORM_LIFECYCLE = "observation_form"
REVIEW_LIFECYCLE = "review_questionnaire_read"
LANCASHIRE = "000_b775b8e7712f1ef5.txt"
WOKINGHAM = "003_a24710131ec71e13.txt"

# The seeds set no deadline for writing up an observation. National practice,
# and Lancashire's own deadline for sharing a supervision record (§1.8, "within
# 2 weeks"), is a fortnight; each step of the form is due two weeks after the
# step before it (or after the observation itself).
STEP_DAYS = 14


# --- observations ------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    key: str
    author: SignatoryParty  # SUPERVISOR: the observer; SUPERVISEE: the person observed
    fields: tuple[str, ...]
    after_observation: bool  # may only be written on or after the observation date
    title: str  # the inbox title; {observed} and {date} are filled in


@dataclass(frozen=True)
class ObservationForm:
    kind: ObservationKind
    parts: tuple[Part, ...]
    source: str
    rule: str

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


OBSERVATION_FORMS: dict[ObservationKind, ObservationForm] = {
    # Lancashire Appendix A, "Practice Observation": three parts, then both sign.
    ObservationKind.PRACTICE: ObservationForm(
        kind=ObservationKind.PRACTICE,
        source=f"{LANCASHIRE} §1.16; Appendix A, Practice Observation",
        rule="observation.practice",
        parts=(
            Part(
                "before",
                SignatoryParty.SUPERVISEE,
                ("situation", "preparation", "desired_outcomes", "feedback_areas"),
                after_observation=False,
                title="Prepare for your practice observation on {date}",
            ),
            Part(
                "supervisee_after",
                SignatoryParty.SUPERVISEE,
                ("reflection", "strengths", "development"),
                after_observation=True,
                title="Write your reflection on your practice observation of {date}",
            ),
            Part(
                "supervisor_after",
                SignatoryParty.SUPERVISOR,
                ("reflection", "strengths", "development"),
                after_observation=True,
                title="Write your feedback on {observed}'s practice observation of {date}",
            ),
        ),
    ),
    # Wokingham "Quality Assurance": supervision observed by the supervisor's
    # manager at least annually, discussed and recorded in the supervisor's own
    # personal supervision. The document gives no form; we follow national
    # practice: the observer's feedback, the supervisor's reflection, both sign.
    ObservationKind.SUPERVISION: ObservationForm(
        kind=ObservationKind.SUPERVISION,
        source=f"{WOKINGHAM} Quality Assurance, Supervision Observation",
        rule="observation.supervision",
        parts=(
            Part(
                "observer",
                SignatoryParty.SUPERVISOR,
                ("session_observed", "strengths", "development"),
                after_observation=True,
                title="Write your feedback on the supervision you observed {observed} give "
                "on {date}",
            ),
            Part(
                "reflection",
                SignatoryParty.SUPERVISEE,
                ("reflection", "discussed_in_supervision"),
                after_observation=True,
                title="Write your reflection on the observation of your supervision on {date}",
            ),
        ),
    ),
}

OBSERVATION_TASK_KINDS = (
    "practice_observation",
    "practice_observation_with_family",
    "supervision_observation",
    "asye_observation",  # an ASYE worker's practice (policy/rules/asye.py)
)
# Observations of practice are owed in the "observation" lifecycle and, in the
# ASYE year, in "asye": recording one reconciles both.
OBSERVATION_LIFECYCLES = {"observation", "asye"}


@dataclass(frozen=True)
class ObservationResult:
    observation_id: int
    completed_task_id: int | None
    next_task_ids: tuple[int, ...]
    complete: bool = False


def plan_observation(
    *,
    task_id: int,
    planner_staff_id: int,
    observed_on: date,
    with_family: bool,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ObservationResult:
    """Plan an observation answering an observation human task: the observer
    sets the date and (for practice) whether it is with children, young people
    and families. The first part of the form goes to its author's inbox."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        task = session.get(HumanTask, task_id)
        if task is None or task.kind not in OBSERVATION_TASK_KINDS:
            raise ActionError("That is not an observation task.")
        lock_organisation(session, task.organisation_id)
        session.refresh(task)
        if task.assignee_id != planner_staff_id:
            raise NotPermitted("Only the person this observation task is assigned to can plan it.")
        if not task.is_open:
            raise ActionError("This observation task is already closed.")
        observed = session.get(StaffMember, task.subject_staff_id)
        if observed is None:
            raise ActionError("This task does not name the person to be observed.")
        existing = _planned_for_task(session, task.key)
        if existing is not None:
            raise AlreadySigned("An observation is already planned for this task.")
        if observed_on < on - timedelta(days=365):
            raise ActionError("The date of the observation must be within the last year.")
        kind = (
            ObservationKind.SUPERVISION
            if task.kind == "supervision_observation"
            else ObservationKind.PRACTICE
        )
        if task.kind == "practice_observation_with_family":
            # Lancashire §1.16: at least two of the three are with families.
            with_family = True
        observation = Observation(
            kind=kind,
            staff_id=observed.id,
            observer_id=planner_staff_id,
            observed_on=observed_on,
            with_family=bool(with_family) if kind == ObservationKind.PRACTICE else False,
            content={"task_key": task.key, "planned_on": on.isoformat(), "parts": {}},
        )
        session.add(observation)
        session.flush()
        before = _task_ids(session, task.organisation_id)
        _open_next_observation_step(session, observation, observed, task, on)
        # An observation counts toward the obligation once it has happened
        # (models/engine/facts_loader.py), so planning one already held closes the task.
        reconcile_in_session(
            session,
            organisation_id=task.organisation_id,
            lifecycles=OBSERVATION_LIFECYCLES,
            as_of=on,
            subjects={task.subject},
            actor=f"staff-{planner_staff_id}",
        )
        after = _task_ids(session, task.organisation_id)
        _outbox(
            session,
            "oversight.observation.planned",
            f"oversight.staff.{observed.id}",
            {"observation_id": observation.id, "organisation_id": task.organisation_id},
            on,
        )
        _audit(
            session,
            actor_user_id,
            planner_staff_id,
            "create",
            "observation",
            observation.id,
            observed.id,
            f"Planned a {kind.value} observation for {observed_on.isoformat()}",
        )
        session.flush()
        return ObservationResult(observation.id, None, tuple(sorted(after - before)))


def complete_observation_part(
    *,
    observation_id: int,
    part: str,
    author_staff_id: int,
    answers: dict[str, Any],
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ObservationResult:
    """Write one part of the form. A part can be rewritten by its author until
    the next part is written; once anyone has signed, nothing can change."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        observation, observed = _locked_observation(session, observation_id)
        form = OBSERVATION_FORMS[observation.kind]
        spec = form.part(part)
        if spec is None:
            raise ActionError("That is not a part of this observation form.")
        if _author_id(observation, spec.author) != author_staff_id:
            raise NotPermitted("This part of the form is for someone else to write.")
        if observation.signatures:
            raise AlreadySigned("This observation has been signed; it can no longer be changed.")
        parts = dict((observation.content or {}).get("parts") or {})
        index = form.parts.index(spec)
        missing = [p for p in form.parts[:index] if p.key not in parts]
        if missing:
            raise ActionError("The earlier parts of the form have not been written yet.")
        later = [p for p in form.parts[index + 1 :] if p.key in parts]
        if later:
            raise AlreadySigned(
                "The next part of the form has been written, so this part can no longer change."
            )
        if spec.after_observation and on < observation.observed_on:
            raise ActionError(
                "This part is written after the observation, which is on "
                f"{observation.observed_on.isoformat()}."
            )
        values = {name: answers.get(name) for name in spec.fields}
        if spec.key == "before" and observation.with_family:
            if not answers.get("family_consent"):
                raise ActionError(
                    "Confirm the children, young people and family are happy for the "
                    "observation to go ahead."
                )
            values["family_consent"] = True
        values["completed_on"] = on.isoformat()
        values["by"] = author_staff_id
        first_time = spec.key not in parts
        parts[spec.key] = values
        observation.content = {**(observation.content or {}), "parts": parts}
        task = _complete_by_key(session, _step_key(observation, spec.key), author_staff_id)
        before = _task_ids(session, observed.organisation_id)
        if first_time:
            _open_next_observation_step(session, observation, observed, None, on)
        after = _task_ids(session, observed.organisation_id)
        _audit(
            session,
            actor_user_id,
            author_staff_id,
            "update",
            "observation",
            observation.id,
            observed.id,
            f"Wrote the {spec.key.replace('_', ' ')} part",
        )
        session.flush()
        return ObservationResult(
            observation.id, task.id if task else None, tuple(sorted(after - before))
        )


def sign_observation(
    *,
    observation_id: int,
    signer_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ObservationResult:
    """Sign the finished form. When both have signed the observation counts
    toward the obligation, and the engine closes the observation task."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        observation, observed = _locked_observation(session, observation_id)
        form = OBSERVATION_FORMS[observation.kind]
        if signer_staff_id == observation.observer_id:
            party = SignatoryParty.SUPERVISOR
        elif signer_staff_id == observation.staff_id:
            party = SignatoryParty.SUPERVISEE
        else:
            raise NotPermitted("Only the observer and the person observed sign this form.")
        parts = (observation.content or {}).get("parts") or {}
        if any(p.key not in parts for p in form.parts):
            raise ActionError("Every part of the form must be written before it is signed.")
        if any(s.party == party for s in observation.signatures):
            raise AlreadySigned("You have already signed this observation.")
        observation.signatures.append(
            ObservationSignature(party=party, staff_id=signer_staff_id, signed_on=on)
        )
        session.flush()
        organisation_id = observed.organisation_id
        step = _complete_by_key(
            session, _step_key(observation, f"sign-{party.value}"), signer_staff_id
        )
        complete = {s.party for s in observation.signatures} == set(SignatoryParty)
        before = _task_ids(session, organisation_id)
        answered = None
        if complete:
            answered = _complete_observation_obligation(session, observation, signer_staff_id)
            reconcile_in_session(
                session,
                organisation_id=organisation_id,
                lifecycles=OBSERVATION_LIFECYCLES,
                as_of=on,
                subjects={staff_fact_id(observed.id)},
                actor=f"staff-{signer_staff_id}",
            )
            _outbox(
                session,
                "oversight.observation.completed",
                f"oversight.staff.{observed.id}",
                {
                    "observation_id": observation.id,
                    "organisation_id": organisation_id,
                    "kind": observation.kind.value,
                    "with_family": observation.with_family,
                },
                on,
            )
        after = _task_ids(session, organisation_id)
        _audit(
            session,
            actor_user_id,
            signer_staff_id,
            "sign",
            "observation",
            observation.id,
            observed.id,
            "Signed as the "
            + ("observer" if party == SignatoryParty.SUPERVISOR else "person observed"),
        )
        session.flush()
        completed = answered or step
        return ObservationResult(
            observation.id,
            completed.id if completed else None,
            tuple(sorted(after - before)),
            complete=complete,
        )


def observation_author_id(observation: Observation, part: Part) -> int:
    return _author_id(observation, part.author)


def next_observation_part(observation: Observation) -> Part | None:
    """The first part not yet written, or None when the form is ready to sign."""
    parts = (observation.content or {}).get("parts") or {}
    form = OBSERVATION_FORMS[observation.kind]
    return next((p for p in form.parts if p.key not in parts), None)


def _author_id(observation: Observation, party: SignatoryParty) -> int:
    return observation.observer_id if party == SignatoryParty.SUPERVISOR else observation.staff_id


def _locked_observation(session: Session, observation_id: int):
    observation = session.get(Observation, observation_id)
    if observation is None:
        raise ActionError("That observation does not exist.")
    observed = session.get(StaffMember, observation.staff_id)
    lock_organisation(session, observed.organisation_id)
    session.refresh(observation)
    return observation, observed


def _planned_for_task(session: Session, task_key: str) -> Observation | None:
    """The observation already planned for this obligation's human task, if any
    (a double submission plans once). JSON can't be queried the same way on
    SQLite and PostgreSQL, so the candidates are the subject's unsigned ones."""
    task = session.scalars(select(HumanTask).where(HumanTask.key == task_key)).one()
    candidates = session.scalars(
        select(Observation).where(Observation.staff_id == task.subject_staff_id)
    )
    return next((o for o in candidates if (o.content or {}).get("task_key") == task_key), None)


def planned_observation_for_task(session: Session, task: HumanTask) -> Observation | None:
    return _planned_for_task(session, task.key)


def _step_key(observation: Observation, step: str) -> str:
    return f"observation-form:{observation.id}:{step}"


def _open_next_observation_step(
    session: Session,
    observation: Observation,
    observed: StaffMember,
    task: HumanTask | None,
    on: date,
) -> None:
    form = OBSERVATION_FORMS[observation.kind]
    nxt = next_observation_part(observation)
    observer = session.get(StaffMember, observation.observer_id)
    when = f"{observation.observed_on.day} {observation.observed_on:%B %Y}"
    common = {
        "session": session,
        "organisation_id": observed.organisation_id,
        "lifecycle": OBSERVATION_FORM_LIFECYCLE,
        "kind": "observation_step",
        "subject_staff_id": observed.id,
        "rule": form.rule,
        "source": form.source,
        "payload": {"observation_id": observation.id},
    }
    if nxt is not None:
        # The preparation is due by the day of the observation; what follows it
        # is due a fortnight after the observation, or after the step before.
        due_on = (
            max(on, observation.observed_on) + timedelta(days=STEP_DAYS)
            if nxt.after_observation
            else max(on, observation.observed_on)
        )
        _open_task(
            key=_step_key(observation, nxt.key),
            title=nxt.title.format(observed=observed.name, date=when),
            assignee_id=_author_id(observation, nxt.author),
            due_on=due_on,
            rule_text=_step_text(observation, nxt),
            **common,
        )
        return
    for party, person, other in (
        (SignatoryParty.SUPERVISOR, observer, observed),
        (SignatoryParty.SUPERVISEE, observed, observer),
    ):
        _open_task(
            key=_step_key(observation, f"sign-{party.value}"),
            title=f"Sign the observation of {when} with {other.name}",
            assignee_id=person.id,
            due_on=on + timedelta(days=STEP_DAYS),
            rule_text="Supervisor's signature and date; supervisee's signature and date.",
            **common,
        )


def _step_text(observation: Observation, part: Part) -> str:
    if observation.kind == ObservationKind.SUPERVISION:
        return (
            "Supervision should be observed by the supervisor's manager at least annually, "
            "for all or part of the session. Observation should be discussed and recorded "
            "during the supervisor's individual personal supervision."
        )
    return {
        "before": "To be completed by the supervisee before the observation.",
        "supervisee_after": "To be completed by the supervisee after the observation.",
        "supervisor_after": "To be completed by the supervisor after the supervisee has "
        "completed their reflection and analysis.",
    }[part.key]


def _complete_observation_obligation(
    session: Session, observation: Observation, by_staff_id: int
) -> HumanTask | None:
    """The engine's human task this observation answers: the one it was planned
    from if still open, else the best-fitting open one for the same person (a
    with-family observation first fills a with-family slot, Lancashire §1.16).
    The reconcile that follows is the judge: it reopens anything still owed."""
    key = (observation.content or {}).get("task_key")
    task = session.scalars(select(HumanTask).where(HumanTask.key == key)).one_or_none()
    if task is None or not task.is_open:
        if observation.kind == ObservationKind.SUPERVISION:
            kinds = ["supervision_observation"]
        elif observation.with_family:
            kinds = ["practice_observation_with_family", "practice_observation", "asye_observation"]
        else:
            kinds = ["practice_observation", "asye_observation"]
        open_tasks = list(
            session.scalars(
                select(HumanTask)
                .where(
                    HumanTask.subject_staff_id == observation.staff_id,
                    HumanTask.kind.in_(kinds),
                    HumanTask.status.in_(OPEN_STATUSES),
                )
                .order_by(HumanTask.due_on, HumanTask.key)
            )
        )
        open_tasks.sort(key=lambda t: kinds.index(t.kind))
        task = open_tasks[0] if open_tasks else None
    if task is not None and task.is_open:
        _close(task, by_staff_id)
        return task
    return None


# --- the annual supervision review questionnaire ------------------------------

# Lancashire Appendix A, "Supervision Annual Review", exactly as written.
REVIEW_STATEMENTS: tuple[str, ...] = (
    "Is based on a negotiated supervision agreement",
    "Is regular and uninterrupted",
    "Helps clarify my role and responsibilities",
    "Encourages my development to be goal directed",
    "Helps me improve the service I provide",
    "Ensures that practice standards are upheld",
    "Includes quality assurance of my work",
    "Helps me to better manage my time and workload",
    "Challenges me to work in an anti-discriminatory way",
    "Makes me aware of new professional knowledge",
    "Helps me reflect on my strengths and weaknesses",
    "Supports me and assists me in managing any stress I experience in my work",
    "Shares information on organisational developments and is a forum to gain my views "
    "and shares these higher up",
    "Is a process which empowers me",
    "Is frustrating",
    "Is disempowering",
)
REVIEW_ANSWERS: tuple[str, ...] = ("Usually", "Sometimes", "Never")
REVIEW_LISTS: tuple[tuple[str, str], ...] = (
    ("improve", "The areas which my supervision could improve are"),
    ("i_could", "I could contribute to achieving these improvements by"),
    ("supervisor_could", "My supervisor could contribute to achieving these improvements by"),
)
REVIEW_SOURCE = f"{LANCASHIRE} §1.4; Appendix A, Supervision Annual Review"


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
        return "acknowledged"
    if "supervisor" in (answers.get("signatures") or {}):
        return "forwarded"
    return "awaiting_supervisor"


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
    """The supervisee's answers to the 16 statements and the three lists,
    signed. The form is in the supervisee's voice ("Helps me improve the
    service I provide"), so they answer it; the supervisor then reads, adds
    what they found, signs and forwards it. This completes the engine's
    "review_questionnaire" human task and puts the forwarding in the
    supervisor's inbox at once."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = _locked_relationship(session, relationship_id, on)
        if rel.supervisee_id != supervisee_staff_id:
            raise NotPermitted("Only the supervisee answers and signs this part of the review.")
        for earlier in session.scalars(
            select(ReviewQuestionnaire).where(ReviewQuestionnaire.relationship_id == rel.id)
        ):
            if review_state(earlier) == "awaiting_supervisor" or earlier.reviewed_on == on:
                raise AlreadySigned(
                    "You have already signed your annual supervision review. It is with "
                    f"{rel.supervisor.name} to sign."
                )
        count = len(REVIEW_STATEMENTS)
        missing = [n for n in range(1, count + 1) if statements.get(n) not in REVIEW_ANSWERS]
        if missing:
            raise ActionError(
                "Answer every statement with Usually, Sometimes or Never "
                f"(statement {missing[0]} is not answered)."
            )
        questionnaire = ReviewQuestionnaire(
            relationship_id=rel.id,
            reviewed_on=on,
            answers={
                "statements": {str(n): statements[n] for n in range(1, count + 1)},
                "lists": {
                    key: [str(item).strip() for item in (lists.get(key) or [])][:3]
                    for key, _label in REVIEW_LISTS
                },
                "signatures": {
                    "supervisee": {"staff_id": supervisee_staff_id, "signed_on": on.isoformat()}
                },
            },
        )
        session.add(questionnaire)
        session.flush()
        task = _complete_open_task(
            session,
            relationship_id=rel.id,
            kind="review_questionnaire",
            assignee_id=supervisee_staff_id,
            by_staff_id=supervisee_staff_id,
        )
        next_ids = _reconcile_review(session, rel, on, supervisee_staff_id)
        _outbox(
            session,
            "oversight.review-questionnaire.completed",
            f"oversight.relationship.{rel.id}",
            {
                "questionnaire_id": questionnaire.id,
                "relationship_id": rel.id,
                "organisation_id": rel.supervisee.organisation_id,
            },
            on,
        )
        _audit(
            session,
            actor_user_id,
            supervisee_staff_id,
            "sign",
            "review_questionnaire",
            questionnaire.id,
            rel.supervisee_id,
            "Answered and signed as the supervisee",
        )
        session.flush()
        return ReviewResult(questionnaire.id, task.id if task else None, next_ids)


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
        if review_state(questionnaire) != "awaiting_supervisor":
            raise AlreadySigned("You have already signed this review.")
        if not findings:
            raise ActionError(
                "Enter what you found from this review and how you will address any issues raised."
            )
        answers = dict(questionnaire.answers or {})
        answers["supervisor_findings"] = findings
        answers["signatures"] = {
            **(answers.get("signatures") or {}),
            "supervisor": {"staff_id": supervisor_staff_id, "signed_on": on.isoformat()},
        }
        questionnaire.answers = answers
        recipient = _review_recipient(session, rel)
        questionnaire.forwarded_to_id = recipient.id if recipient else None
        questionnaire.forwarded_on = on if recipient else None
        org_id = rel.supervisee.organisation_id
        task = _complete_by_key(
            session,
            f"review-questionnaire-forward:{relationship_fact_id(rel.id)}:"
            f"{questionnaire.reviewed_on.isoformat()}",
            supervisor_staff_id,
        ) or _complete_open_task(
            session,
            relationship_id=rel.id,
            kind="review_questionnaire_forward",
            assignee_id=supervisor_staff_id,
            by_staff_id=supervisor_staff_id,
        )
        next_ids = set(_reconcile_review(session, rel, on, supervisor_staff_id))
        if recipient is not None:
            read = _open_task(
                session=session,
                organisation_id=org_id,
                key=f"review-questionnaire-read:{questionnaire.id}",
                lifecycle=REVIEW_LIFECYCLE,
                kind="review_questionnaire_read",
                title=f"Read the annual supervision review for {rel.supervisor.name} and "
                f"{rel.supervisee.name}",
                assignee_id=recipient.id,
                subject_staff_id=rel.supervisee_id,
                relationship_id=rel.id,
                due_on=on + timedelta(days=STEP_DAYS),
                rule="agreement.review_questionnaire",
                source=REVIEW_SOURCE,
                rule_text="A copy of this completed form should be forwarded to the supervisor's "
                "line manager. The supervisor should share with their own line manager what they "
                "found from this review and address any issues raised.",
                payload={"questionnaire_id": questionnaire.id},
            )
            next_ids.add(read.id)
        _outbox(
            session,
            "oversight.review-questionnaire.forwarded",
            f"oversight.relationship.{rel.id}",
            {
                "questionnaire_id": questionnaire.id,
                "relationship_id": rel.id,
                "organisation_id": org_id,
                "forwarded_to_id": questionnaire.forwarded_to_id,
            },
            on,
        )
        _audit(
            session,
            actor_user_id,
            supervisor_staff_id,
            "sign",
            "review_questionnaire",
            questionnaire.id,
            rel.supervisee_id,
            "Signed as the supervisor; forwarded to "
            + (f"staff-{recipient.id}" if recipient else "nobody (no line manager recorded)"),
        )
        session.flush()
        return ReviewResult(
            questionnaire.id,
            task.id if task else None,
            tuple(sorted(next_ids)),
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
        if review_state(questionnaire) == "acknowledged":
            raise AlreadySigned("You have already confirmed you read this review.")
        questionnaire.answers = {**(questionnaire.answers or {}), "acknowledged_on": on.isoformat()}
        task = _complete_by_key(
            session, f"review-questionnaire-read:{questionnaire.id}", reader_staff_id
        )
        _audit(
            session,
            actor_user_id,
            reader_staff_id,
            "complete",
            "review_questionnaire",
            questionnaire.id,
            rel.supervisee_id,
            "Confirmed they read the forwarded annual supervision review",
        )
        session.flush()
        return ReviewResult(questionnaire.id, task.id if task else None, ())


def _reconcile_review(session: Session, rel, on: date, staff_id: int) -> tuple[int, ...]:
    org_id = rel.supervisee.organisation_id
    before = _task_ids(session, org_id)
    reconcile_in_session(
        session,
        organisation_id=org_id,
        lifecycles={"agreement_review"},
        as_of=on,
        subjects={relationship_fact_id(rel.id)},
        actor=f"staff-{staff_id}",
    )
    return tuple(sorted(_task_ids(session, org_id) - before))


def _complete_open_task(
    session: Session, *, relationship_id: int, kind: str, assignee_id: int, by_staff_id: int
) -> HumanTask | None:
    task = session.scalars(
        select(HumanTask)
        .where(
            HumanTask.relationship_id == relationship_id,
            HumanTask.kind == kind,
            HumanTask.assignee_id == assignee_id,
            HumanTask.status.in_(OPEN_STATUSES),
        )
        .order_by(HumanTask.due_on, HumanTask.id)
        .limit(1)
    ).one_or_none()
    if task is not None:
        _close(task, by_staff_id)
    return task


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
    rel = session.get(SupervisionRelationship, relationship_id)
    if rel is None:
        raise ActionError("That supervision relationship does not exist.")
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(rel)
    if rel.ended_on is not None and rel.ended_on <= on:
        raise ActionError("This supervision relationship has ended.")
    return rel


# --- registration and DBS checks ---------------------------------------------


def registration_valid_until(checked_on: date, renewed_for_next_year: bool) -> date:
    """Social Work England registration is renewed every year between
    1 September and 30 November (national rule; the seeds say only that it
    must be maintained, Lancashire §1.16). A check confirms registration up to
    the next 30 November; a check in the renewal window that sees the renewal
    done confirms it to the following 30 November."""
    deadline = date(checked_on.year, 11, 30)
    if checked_on > deadline:
        deadline = date(checked_on.year + 1, 11, 30)
    in_window = date(checked_on.year, 9, 1) <= checked_on <= date(checked_on.year, 11, 30)
    if renewed_for_next_year and in_window:
        deadline = date(deadline.year + 1, 11, 30)
    return deadline


@dataclass(frozen=True)
class CheckResult:
    check_id: int
    valid_until: date
    completed_task_id: int | None


def record_registration_check(
    *,
    staff_id: int,
    checker_staff_id: int,
    kind: CheckKind,
    checked_on: date,
    reference: str,
    renewed_for_next_year: bool = False,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CheckResult:
    """Lancashire §1.16 "Supervisors must check that the professional
    registration of their staff is maintained"; Nottingham §1.5 "update and
    review HCPC and Disclosure and Barring Service (DBS) registrations"."""
    kind = CheckKind(kind)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        person = session.get(StaffMember, staff_id)
        if person is None:
            raise ActionError("That member of staff does not exist.")
        lock_organisation(session, person.organisation_id)
        # Their supervisor, or a colleague covering for the supervisor that day.
        if not supervises_or_covers(session, checker_staff_id, staff_id, on):
            raise NotPermitted(
                "Only this person's supervisor, or a colleague covering for them, can record "
                "their checks."
            )
        if checked_on > on:
            raise ActionError("The date of the check must be today or in the past.")
        if checked_on < on - relativedelta(years=1):
            raise ActionError("The date of the check must be within the last year.")
        if kind == CheckKind.REGISTRATION:
            valid_until = registration_valid_until(checked_on, renewed_for_next_year)
        else:
            valid_until = checked_on + relativedelta(years=dbs_recheck_years())
        check = RegistrationCheck(
            staff_id=staff_id,
            kind=kind,
            checked_on=checked_on,
            valid_until=valid_until,
            reference=reference.strip(),
            checked_by_id=checker_staff_id,
        )
        session.add(check)
        session.flush()
        task = None
        # A DBS check moves the re-check's due date on (models/engine/facts_loader.py), so
        # the owed one is completed here; the reconcile then opens the next.
        task_kind = "registration_check" if kind == CheckKind.REGISTRATION else "dbs_check"
        for open_task in session.scalars(
            select(HumanTask).where(
                HumanTask.subject_staff_id == staff_id,
                HumanTask.kind == task_kind,
                HumanTask.status.in_(OPEN_STATUSES),
            )
        ):
            _close(open_task, checker_staff_id)
            task = task or open_task
        reconcile_in_session(
            session,
            organisation_id=person.organisation_id,
            lifecycles={"registration"},
            as_of=on,
            subjects={staff_fact_id(staff_id)},
            actor=f"staff-{checker_staff_id}",
        )
        _outbox(
            session,
            f"oversight.{kind.value}-check.recorded",
            f"oversight.staff.{staff_id}",
            {"check_id": check.id, "organisation_id": person.organisation_id},
            on,
        )
        _audit(
            session,
            actor_user_id,
            checker_staff_id,
            "create",
            "registration_check",
            check.id,
            staff_id,
            f"Recorded a {kind.value} check dated {checked_on.isoformat()}",
        )
        session.flush()
        return CheckResult(check.id, valid_until, task.id if task else None)


# --- shared -------------------------------------------------------------------


def _close(task: HumanTask, by_staff_id: int, reason: str = "completed in the inbox") -> None:
    task.complete(by_staff_id, reason)


def _complete_by_key(session: Session, key: str, by_staff_id: int) -> HumanTask | None:
    task = session.scalars(select(HumanTask).where(HumanTask.key == key)).one_or_none()
    if task is not None and task.is_open:
        _close(task, by_staff_id)
        return task
    return None


def _open_task(
    *,
    session: Session,
    organisation_id: int,
    key: str,
    lifecycle: str,
    kind: str,
    title: str,
    assignee_id: int,
    subject_staff_id: int | None,
    due_on: date,
    rule: str,
    source: str,
    rule_text: str,
    payload: dict,
    relationship_id: int | None = None,
) -> HumanTask:
    """A form step's human task, created once per key."""
    task = session.scalars(select(HumanTask).where(HumanTask.key == key)).one_or_none()
    if task is not None:
        return task
    task = HumanTask(
        organisation_id=organisation_id,
        key=key,
        kind=kind,
        lifecycle=lifecycle,
        title=title[:300],
        subject=staff_fact_id(subject_staff_id) if subject_staff_id else key,
        relationship_id=relationship_id,
        subject_staff_id=subject_staff_id,
        assignee_id=assignee_id,
        due_on=due_on,
        status=HumanTaskStatus.OPEN,
        rule=rule,
        source=source,
        rule_text=rule_text,
        payload=payload,
        created_by="oversight-form",
    )
    session.add(task)
    session.flush()
    return task


def _task_ids(session: Session, organisation_id: int) -> set[int]:
    session.flush()
    return set(
        session.scalars(select(HumanTask.id).where(HumanTask.organisation_id == organisation_id))
    )


def _outbox(session: Session, event: str, resource_id: str, payload: dict, on: date) -> None:
    session.add(
        OutboxEvent(event=event, resource_id=resource_id, payload={**payload, "on": on.isoformat()})
    )


def _audit(
    session: Session,
    actor_user_id: int | None,
    staff_id: int | None,
    action: str,
    object_type: str,
    object_id: int,
    subject_staff_id: int | None,
    detail: str,
) -> None:
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=f"staff-{staff_id}" if staff_id else "system",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            subject_staff_id=subject_staff_id,
            detail=detail,
        )
    )
