"""An observation's form as it is being written: the council's form for its
kind (policy/profiles/<council>/observation_form.yaml), which part comes
next and who writes it, and the human task that puts the next part, or both
signatures, in that person's inbox (models/actions/form_steps.py)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.errors import ActionError
from models.actions.form_steps import STEP_DAYS, Step, open_step
from models.tables.human_task import HumanTask
from models.tables.org import Organisation, StaffMember
from models.tables.oversight import Observation, ObservationKind
from models.tables.supervision import SignatoryParty
from policy import keys, load_profile
from policy.forms.observation_form import Form, Part

# The form's own steps: a lifecycle the engine never reconciles.
STEP_LIFECYCLE = "observation_form"
STEP_KIND = "observation_step"


def kind_of_task(task_kind: str) -> ObservationKind:
    """What an observation task asks to be observed: supervision, or practice."""
    if task_kind == "supervision_observation":
        return ObservationKind.SUPERVISION
    return ObservationKind.PRACTICE


def find_form(session: Session, organisation_id: int, kind: ObservationKind) -> Form | None:
    """The organisation's council form for this kind of observation, if it has one."""
    profile = session.get(Organisation, organisation_id).profile
    forms = load_profile(profile).document("observation_form")
    return forms.form(kind.value) if forms is not None else None


def form_for(session: Session, organisation_id: int, kind: ObservationKind) -> Form:
    """The organisation's form for this kind of observation; an action on an
    observation the council has no form for is refused."""
    form = find_form(session, organisation_id, kind)
    if form is None:
        raise ActionError(f"This council's policy has no form for a {kind.value} observation.")
    return form


def written_parts(observation: Observation) -> dict[str, dict]:
    """The parts written so far, by key (a copy)."""
    return dict((observation.content or {}).get("parts") or {})


def next_part(observation: Observation, form: Form) -> Part | None:
    """The first part not yet written, or None when the form is ready to sign."""
    parts = written_parts(observation)
    return next((p for p in form.parts if p.key not in parts), None)


def author_id(observation: Observation, part: Part) -> int:
    """Who writes this part: the observer, or the person observed."""
    return observation.observer_id if part.author == "observer" else observation.staff_id


def step_key(observation: Observation, step: str) -> str:
    return keys.build("observation_form", observation=observation.id, step=step)


def planned_observation_for_task(session: Session, task: HumanTask) -> Observation | None:
    """The observation already planned for this obligation's human task, if any
    (a double submission plans once). JSON can't be queried the same way on
    SQLite and PostgreSQL, so the candidates are the subject's observations."""
    candidates = session.scalars(
        select(Observation).where(Observation.staff_id == task.subject_staff_id)
    )
    return next((o for o in candidates if (o.content or {}).get("task_key") == task.key), None)


def open_next_step(
    session: Session, observation: Observation, observed: StaffMember, form: Form, on: date
) -> tuple[int, ...]:
    """Put the next part of the form, or both signatures once every part is
    written, in the inbox of whoever does it next."""
    when = f"{observation.observed_on.day} {observation.observed_on:%B %Y}"

    def step(key: str, title: str, assignee_id: int, due_on: date, rule_text: str) -> Step:
        return Step(
            organisation_id=observed.organisation_id,
            key=step_key(observation, key),
            lifecycle=STEP_LIFECYCLE,
            kind=STEP_KIND,
            title=title,
            assignee_id=assignee_id,
            subject_staff_id=observed.id,
            due_on=due_on,
            rule=form.rule,
            source=form.source,
            rule_text=rule_text,
            payload={"observation_id": observation.id},
        )

    nxt = next_part(observation, form)
    if nxt is not None:
        # The preparation is due by the day of the observation; what follows it
        # is due a fortnight after the observation, or after the step before.
        due_on = max(on, observation.observed_on)
        if nxt.after_observation:
            due_on += timedelta(days=STEP_DAYS)
        title = nxt.title.format(observed=observed.name, date=when)
        steps = [step(nxt.key, title, author_id(observation, nxt), due_on, nxt.task_text)]
    else:
        observer = session.get(StaffMember, observation.observer_id)
        steps = [
            step(
                f"sign-{party.value}",
                f"Sign the observation of {when} with {other.name}",
                person.id,
                on + timedelta(days=STEP_DAYS),
                form.signing,
            )
            for party, person, other in (
                (SignatoryParty.SUPERVISOR, observer, observed),
                (SignatoryParty.SUPERVISEE, observed, observer),
            )
        ]
    return tuple(i for i in (open_step(session, s) for s in steps) if i is not None)
