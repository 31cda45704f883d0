"""Observations of practice and of supervision. The engine owes them
(policy/rules/observation.py, asye.py); the observer plans one from that
human task, each part of the council's observation form
(policy/profiles/<council>/observation_form.yaml) goes to its author's inbox
in turn (models/actions/form_steps.py), then both sign. Once both have
signed, the observation counts toward what is owed and the engine's task
closes. Each function is one transaction ended by finish_action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.form_steps import open_task_by_key
from models.actions.observation_steps import (
    author_id,
    form_for,
    kind_of_task,
    next_part,
    open_next_step,
    planned_observation_for_task,
    step_key,
    written_parts,
)
from models.actions.signing import sign
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import StaffMember
from models.tables.oversight import Observation, ObservationKind, ObservationSignature
from models.tables.supervision import SignatoryParty
from policy import kinds
from policy.dates import long_date
from policy.forms.observation_form import Form, Part
from policy.keys import staff_fact_id

# Observations are owed in the "observation" lifecycle and, in the ASYE year,
# in "asye": recording one reconciles both.
OBSERVATION_LIFECYCLES = frozenset({"observation", "asye"})
# The engine's human tasks an observation answers: those completed by planning one.
OBSERVATION_TASK_KINDS = frozenset(
    name
    for lifecycle in OBSERVATION_LIFECYCLES
    for name in kinds.of_lifecycle(lifecycle)
    if kinds.kind(name).endpoint == "observations.plan"
)


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
        task, observed = _task_to_plan(session, task_id, planner_staff_id, observed_on, on)
        kind = kind_of_task(task.kind)
        form = form_for(session, observed.organisation_id, kind)
        # Lancashire §1.16: at least two of the three are with families.
        with_family = with_family or task.kind == "practice_observation_with_family"
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
        opened = open_next_step(session, observation, observed, form, on)
        # An observation counts toward the obligation once it has happened
        # (models/engine/facts_loader.py), so planning one already held closes the task.
        done = finish_action(
            session,
            Finish(
                organisation_id=task.organisation_id,
                actor_staff_id=planner_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                subjects={task.subject},
                lifecycles=OBSERVATION_LIFECYCLES,
                event=events.OBSERVATION_PLANNED,
                subject_id=observed.id,
                payload={"observation_id": observation.id},
                audit=Audit(
                    "create",
                    "observation",
                    observation.id,
                    observed.id,
                    f"Planned a {kind.value} observation for {long_date(observed_on)}",
                ),
            ),
        )
        return ObservationResult(
            observation.id, None, tuple(sorted({*opened, *done.next_task_ids}))
        )


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
        form = form_for(session, observed.organisation_id, observation.kind)
        spec = form.part(part)
        if spec is None:
            raise ActionError("That is not a part of this observation form.")
        if author_id(observation, spec) != author_staff_id:
            raise NotPermitted("This part of the form is for someone else to write.")
        parts = written_parts(observation)
        _check_may_write(observation, form, spec, parts, on)
        values = _answers(spec, answers, observation.with_family)
        first_time = spec.key not in parts
        parts[spec.key] = {**values, "completed_on": on.isoformat(), "by": author_staff_id}
        observation.content = {**(observation.content or {}), "parts": parts}
        step = open_task_by_key(session, observed.organisation_id, step_key(observation, spec.key))
        opened = open_next_step(session, observation, observed, form, on) if first_time else ()
        finish_action(
            session,
            Finish(
                organisation_id=observed.organisation_id,
                actor_staff_id=author_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=[step] if step else [],
                audit=Audit(
                    "update",
                    "observation",
                    observation.id,
                    observed.id,
                    f"Wrote the {spec.key.replace('_', ' ')} part",
                ),
            ),
        )
        return ObservationResult(observation.id, step.id if step else None, tuple(sorted(opened)))


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
        form = form_for(session, observed.organisation_id, observation.kind)
        party = _party_of(observation, signer_staff_id)
        if next_part(observation, form) is not None:
            raise ActionError("Every part of the form must be written before it is signed.")
        sign(
            session,
            ObservationSignature,
            staff_id=signer_staff_id,
            on=on,
            already="You have already signed this observation.",
            observation_id=observation.id,
            party=party,
        )
        session.expire(observation, ["signatures"])
        complete = {s.party for s in observation.signatures} == set(SignatoryParty)
        signing = step_key(observation, f"sign-{party.value}")
        step = open_task_by_key(session, observed.organisation_id, signing)
        answered = _answered_obligation(session, observed, observation) if complete else None
        who = "observer" if party == SignatoryParty.SUPERVISOR else "person observed"
        audit = Audit("sign", "observation", observation.id, observed.id, f"Signed as the {who}")
        done = finish_action(
            session,
            Finish(
                organisation_id=observed.organisation_id,
                actor_staff_id=signer_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=[t for t in (step, answered) if t is not None],
                subjects={staff_fact_id(observed.id)} if complete else (),
                lifecycles=OBSERVATION_LIFECYCLES,
                event=events.OBSERVATION_COMPLETED if complete else None,
                subject_id=observed.id,
                payload={
                    "observation_id": observation.id,
                    "kind": observation.kind.value,
                    "with_family": observation.with_family,
                },
                audit=audit,
            ),
        )
        completed = answered or step
        return ObservationResult(
            observation.id,
            completed.id if completed else None,
            done.next_task_ids,
            complete=complete,
        )


# --- inside the actions ------------------------------------------------------------


def _task_to_plan(session: Session, task_id: int, planner_staff_id: int, observed_on, on):
    """The open observation task this person may plan from, and whom it observes."""
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
    if planned_observation_for_task(session, task) is not None:
        raise AlreadySigned("An observation is already planned for this task.")
    if observed_on < on - timedelta(days=365):
        raise ActionError("The date of the observation must be within the last year.")
    return task, observed


def _party_of(observation: Observation, staff_id: int) -> SignatoryParty:
    """The observer signs as the supervisor, the person observed as the supervisee."""
    if staff_id == observation.observer_id:
        return SignatoryParty.SUPERVISOR
    if staff_id == observation.staff_id:
        return SignatoryParty.SUPERVISEE
    raise NotPermitted("Only the observer and the person observed sign this form.")


def _locked_observation(session: Session, observation_id: int):
    observation = session.get(Observation, observation_id)
    if observation is None:
        raise ActionError("That observation does not exist.")
    observed = session.get(StaffMember, observation.staff_id)
    lock_organisation(session, observed.organisation_id)
    session.refresh(observation)
    return observation, observed


def _check_may_write(observation: Observation, form: Form, spec: Part, parts, on: date) -> None:
    if observation.signatures:
        raise AlreadySigned("This observation has been signed; it can no longer be changed.")
    index = form.parts.index(spec)
    if any(p.key not in parts for p in form.parts[:index]):
        raise ActionError("The earlier parts of the form have not been written yet.")
    if any(p.key in parts for p in form.after(spec.key)):
        raise AlreadySigned(
            "The next part of the form has been written, so this part can no longer change."
        )
    if spec.after_observation and on < observation.observed_on:
        raise ActionError(
            "This part is written after the observation, which is on "
            f"{long_date(observation.observed_on)}."
        )


def _answers(spec: Part, answers: dict[str, Any], with_family: bool) -> dict[str, Any]:
    values = {name: answers.get(name) for name in spec.fields}
    if spec.family_consent is not None and with_family:
        if not answers.get("family_consent"):
            raise ActionError(f"{spec.family_consent.message}.")
        values["family_consent"] = True
    return values


def _answered_obligation(
    session: Session, observed: StaffMember, observation: Observation
) -> HumanTask | None:
    """The engine's human task this observation answers: the one it was planned
    from if still open, else the best-fitting open one for the same person (a
    with-family observation first fills a with-family slot, Lancashire §1.16).
    The reconcile that follows is the judge: it reopens anything still owed."""
    planned = open_task_by_key(
        session, observed.organisation_id, (observation.content or {}).get("task_key") or ""
    )
    if planned is not None:
        return planned
    if observation.kind == ObservationKind.SUPERVISION:
        fits = ["supervision_observation"]
    elif observation.with_family:
        fits = ["practice_observation_with_family", "practice_observation", "asye_observation"]
    else:
        fits = ["practice_observation", "asye_observation"]
    candidates = session.scalars(
        select(HumanTask)
        .where(
            HumanTask.subject_staff_id == observation.staff_id,
            HumanTask.kind.in_(fits),
            HumanTask.status.in_(OPEN_STATUSES),
        )
        .order_by(HumanTask.due_on, HumanTask.key)
    )
    return min(candidates, key=lambda t: fits.index(t.kind), default=None)
