"""What the demo's signed practice observations say: every part of the
council's own observation form (its observation_form.yaml, found as the
observation pages find it, models/actions/observation_steps.py), written by
its author in the order the form asks, in the shape
models/actions/observations.py stores (each part's answers, the day it was
written and who wrote it). Practice with a family names the case by its ID
only. The same day builds the same observations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.actions.observation_steps import author_id, find_form
from models.demo.builder import Builder
from models.tables.cases import CaseAllocation
from models.tables.oversight import Observation

# Answers by question key; a question the form asks that is not here reads
# as the first answer of its part's kind (see _answer).
_ANSWERS = {
    "situation": ("Home visit to review the child's plan, case {case}.",
                  "Team meeting: presenting a case for a decision on next steps."),
    "preparation": ("Read the last review and the school's report; the family agreed to the "
                    "visit and to the observation.",
                    "Prepared a one-page summary and the chronology."),
    "desired_outcomes": ("Hear the child's own views on contact; agree the next steps with "
                         "the parents.", "A clear decision, recorded with its reasons."),
    "feedback_areas": ("Direct work with a younger child; keeping to time.",
                       "Presenting analysis concisely."),
    "reflection": ("The visit met its aims: the child's views are now on record. I could have "
                   "given the parents more time at the end.",
                   "The discussion kept to the child's plan and the decision was clear."),
    "strengths": ("Warm, clear and child-focused; explained the plan in plain words "
                  "(SWE standard 1, KSS 2).", "Well prepared; analysis linked to the evidence "
                  "(SWE standard 4)."),
    "development": ("Pace when several family members speak at once; summarise before "
                    "closing.", "Bring the risk analysis forward in the summary."),
}  # fmt: skip
# The supervisor's own words where their part asks the same questions.
_SUPERVISOR_ANSWERS = {
    "reflection": ("Good preparation paid off: the plan was explained in plain words and "
                   "the child's views were gathered first.",
                   "A well-structured presentation; the decision followed from the analysis."),
    "strengths": ("Builds trust quickly with the family; stays child-focused under pressure "
                  "(KSS 2).", "Clear, evidence-based analysis (SWE standard 4)."),
    "development": ("Plan the ending of the visit so the parents have time for questions.",
                    "Shorter summaries; lead with the risk."),
}  # fmt: skip
# When each part is written, in days from the day observed.
_WRITTEN = {"before": -3, "supervisee_after": 1, "supervisor_after": 3}


def observation_contents(b: Builder) -> None:
    """The signed observations' parts, each by its author."""
    cases = dict(
        b.session.execute(
            select(CaseAllocation.worker_id, CaseAllocation.case_ref)
            .where(CaseAllocation.organisation_id == b.org.id)
            .order_by(CaseAllocation.case_ref.desc())
        ).all()
    )
    signed = b.session.scalars(
        select(Observation)
        .where(Observation.signatures.any(), Observation.staff.has(organisation_id=b.org.id))
        .order_by(Observation.id)
    ).all()
    for observation in signed:
        form = find_form(b.session, b.org.id, observation.kind)
        if form is None:
            continue
        case = cases.get(observation.staff_id, "")
        parts = {}
        for place, part in enumerate(form.parts):
            answers = _SUPERVISOR_ANSWERS if part.author == "observer" else _ANSWERS
            values = {q: _answer(answers, q, observation.with_family, case) for q in part.fields}
            if part.family_consent is not None and observation.with_family:
                values["family_consent"] = True
            written = observation.observed_on + timedelta(days=_WRITTEN.get(part.key, place))
            parts[part.key] = {**values, "completed_on": written.isoformat(),
                               "by": author_id(observation, part)}  # fmt: skip
        observation.content = {**(observation.content or {}), "parts": parts}


def _answer(answers: dict, question: str, with_family: bool, case: str) -> str:
    family, other = answers.get(question) or _ANSWERS.get(question, _ANSWERS["reflection"])
    return (family if with_family and case else other).format(case=case)
