"""What the supervision agreement's web tests share: the answers each
council's form is filled in with, and the steps that put an agreement where a
test starts (owed in the inboxes, signed by the supervisor, in force)."""

from __future__ import annotations

import re

from models import Organisation
from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
from models.engine.reconcile import reconcile
from policy import load_profile
from policy.forms.agreement_form import agreement_definition
from tests.webapp.conftest import TODAY

# The web tests' council follows Lancashire's policy: its form, in its words.
LANCASHIRE = agreement_definition(load_profile("lancashire"))
FIELDS = LANCASHIRE.fields
FREQUENCY_MESSAGE = LANCASHIRE.frequency_message
DECLARATION_MESSAGE = LANCASHIRE.declaration_message

ANSWERS = {
    "frequency_weeks": "4",
    "length": "Around 2 hours",
    "venue": "Room 3, County Hall",
    "preparation": "Both read the last record and actions.",
    "recording": "Supervisor records on the secure drive within 2 weeks.",
    "ad_hoc_recording": "Supervision case note for significant discussions.",
    "practice_observation": "Twice a year, with written feedback.",
    "confidentiality": "Shared with the line manager only when needed.",
    "disagreements": "Raise with the service manager.",
    "additional_reporting": "",
    "other": "Advanced Practitioner support monthly.",
    "declaration": "y",
}

BRISTOL_ANSWERS = {
    "frequency_weeks": "4",
    "time": "No less than one hour.",
    "place": "Room 3, City Hall",
    "agenda": "Children allocated, development, support, HR.",
    "appraisal": "Progress against appraisal objectives.",
    "session_content": "Both bring items.",
    "preparation": "Read the last notes.",
    "accountability": "Grace Manager; Helen Head in her absence.",
    "expectations": "Open to reflection and challenge.",
    "confidentiality": "Case information is not confidential.",
    "recording": "Notes shared within 48 hours.",
    "equality_diversity": "Integral to every discussion.",
    "review": "Reviewed annually.",
    "declaration": "y",
}

WOKINGHAM_ANSWERS = {
    "frequency_weeks": "4",
    "duration": "1.5 hours",
    "venue": "Shute End, room 2",
    "cancellation": "Rebooked within the week.",
    "interruptions": "Only for an emergency on a case.",
    "ad_hoc_availability": "Daily in the office.",
    "agenda": "Both of us",
    "preparation": "Actions from last time checked.",
    "case_recording": "The supervisor",
    "recording": "Typed by the supervisor within 5 days.",
    "sharing": "Within 5 days",
    "supervisee_brings": "Eight years in child protection.",
    "supervisee_expectations": "Honest feedback.",
    "supervisor_expectations": "Preparation and openness.",
    "best_supervision": "Time to reflect.",
    "what_might_change": "Fewer cancellations.",
    "cultural": "None we know of; we will keep talking.",
    "permissions": "Yes, both ways.",
    "feedback_excellent": "In supervision, recorded.",
    "feedback_concerns": "Promptly, in private.",
    "career_development": "Protected learning time.",
    "not_working": "Sessions keep being cancelled.",
    "resolving_difficulties": "Talk first, then the service manager.",
    "named_manager": "Helen Head",
    "other": "",
    "declaration": "y",
}


def inbox_titles(client) -> list[str]:
    html = client.get("/inbox").get_data(as_text=True)
    return [
        re.sub(r"\s+", " ", t).strip()
        for t in re.findall(r'class="govuk-link" href="/tasks/\d+">(.*?)</a>', html, flags=re.S)
    ]


def task_id_titled(client, title) -> int:
    html = client.get("/inbox").get_data(as_text=True)
    match = re.search(rf'href="/tasks/(\d+)">\s*{re.escape(title)}\s*</a>', html)
    assert match, f"{title!r} is not in the inbox"
    return int(match.group(1))


def owe_agreements(world, db):
    """The reconcile has put the agreement tasks in the inboxes."""
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    return world


def sign_as_supervisor(db, world, rel_id=None):
    return sign_agreement_as_supervisor(
        relationship_id=rel_id or world.rel_id,
        signer_staff_id=world.manager_id,
        content={k: v for k, v in ANSWERS.items() if k not in ("frequency_weeks", "declaration")},
        frequency_weeks=4,
        on=TODAY,
        session_factory=db,
    )


def put_in_force(db, world):
    """Signed by both: the agreement in force."""
    sign_as_supervisor(db, world)
    countersign_agreement(
        relationship_id=world.rel_id, signer_staff_id=world.worker_id, on=TODAY, session_factory=db
    )
    return world


def use_profile(db, org_id: int, profile: str) -> None:
    with db() as session, session.begin():
        session.get(Organisation, org_id).profile = profile


def amend_data(**changes):
    return {**ANSWERS, "amendment_reason": "The team has moved office.", **changes}
