"""A council is its profile: Fenmoor, a made-up sixth council, is added with
its profile folder only (tests/fixtures/profiles/fenmoor: rules.yaml and its
documents beside it, found through OVERSIGHT_PROFILES), no code, and its
forms are walked in the web app. Each area walks its own forms for Fenmoor
here, from documents it adds to that folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import AgreementStatus, Organisation, SupervisionAgreement
from models.engine.reconcile import reconcile
from policy import available_profiles
from policy.profile import PROFILES_ENV
from tests.webapp.conftest import TODAY, login, text_of

PROFILES = Path(__file__).resolve().parents[1] / "fixtures" / "profiles"


@pytest.fixture
def fenmoor(monkeypatch, world, db):
    """The web tests' council, following Fenmoor's policy."""
    monkeypatch.setenv(PROFILES_ENV, str(PROFILES))
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "fenmoor"
    return world


def test_a_council_is_found_through_its_folder_alone(fenmoor):
    assert "fenmoor" in available_profiles()


# --- the supervision agreement (tests/fixtures/profiles/fenmoor/agreement_form.yaml) ----

AGREEMENT = {
    "frequency_weeks": "3",  # a social worker's cadence in Fenmoor's rules
    "meeting_room": "The Fen Room",
    "ground_rules": "Phones off; both bring one thing to discuss.",
    "notes": "",
    "declaration": "y",
}


def _agreement_form(client, world):
    return client.get(f"/relationships/{world.rel_id}/agreement/sign")


def test_the_agreement_form_asks_the_councils_own_questions(client, fenmoor, db):
    reconcile(
        organisation_id=fenmoor.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    login(client, fenmoor.manager)
    assert "Draft and sign the supervision agreement with Sam Worker" in text_of(
        client.get("/inbox")
    )
    page = text_of(_agreement_form(client, fenmoor))
    for words in (
        "Fenmoor supervision agreement",
        "Supervision in Fenmoor keeps children safe and workers well.",
        "How often you will meet, in weeks",
        "Where and when",
        "Meeting room",
        "The room you will usually meet in",
        "Ground rules",
        "Other notes (optional)",
        "We have agreed how supervision will work in Fenmoor",
        "Fenmoor reviews this agreement every year.",
    ):
        assert words in page
    assert "Length of supervision" not in page  # Lancashire's, not Fenmoor's


def test_the_agreement_is_signed_with_the_councils_answers_and_countersigned(client, fenmoor, db):
    login(client, fenmoor.manager)
    url = f"/relationships/{fenmoor.rel_id}/agreement/sign"
    response = client.post(url, data=AGREEMENT)
    assert response.status_code == 302
    assert response.location == "/inbox"
    client.post("/logout")

    login(client, fenmoor.worker)
    countersign = f"/relationships/{fenmoor.rel_id}/agreement/countersign"
    page = text_of(client.get(countersign))
    assert "The Fen Room" in page
    assert "Confirm that you have agreed how supervision will work" in text_of(
        client.post(countersign, data={})
    )
    client.post(countersign, data={"declaration": "y"})
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.status == AgreementStatus.IN_FORCE
        assert agreement.frequency_weeks == 3
        assert agreement.content == {
            "meeting_room": "The Fen Room",
            "ground_rules": "Phones off; both bring one thing to discuss.",
            "notes": "",
        }


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        # The form's own limit on an answer (most_characters: 40).
        ("meeting_room", "R" * 41, "Meeting room must be 40 characters or fewer"),
        # The frequency's limit comes from the rules: every 5 weeks at the least.
        (
            "frequency_weeks",
            "6",
            "Enter how often supervision will happen, in weeks, as a number from 1 to 5",
        ),
        ("ground_rules", "", "Enter your ground rules"),
    ],
)
def test_an_answer_over_the_councils_limit_is_refused_with_its_message(
    client, fenmoor, db, field, typed, message
):
    login(client, fenmoor.manager)
    url = f"/relationships/{fenmoor.rel_id}/agreement/sign"
    response = client.post(url, data={**AGREEMENT, field: typed})
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert message in text
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 0


# --- the group agreement (tests/fixtures/profiles/fenmoor/group_agreement.yaml) --------


def test_the_group_agreement_uses_the_councils_words_and_limits(client, fenmoor):
    login(client, fenmoor.manager)
    page = text_of(client.get("/group-agreements/new"))
    for words in (
        "Fenmoor Group Agreement",
        "Group lead",
        "Group organiser",
        "Group members",
        "Meeting place",
        "How often the group meets",
        "What the group will focus on",
        "Before signing, everyone in the group has agreed how it will work.",
    ):
        assert words in page
    response = client.post(
        "/group-agreements/new",
        data={
            "name": "Fen reflective group",
            "team_id": "",
            "venue": "Fen Room",
            "supervisee_ids": [str(fenmoor.worker_id), str(fenmoor.colleague_id)],
            "frequency_weeks": "9",
            "focus": "Complex cases",
        },
    )
    text = re.sub(r"\s+", " ", text_of(response))
    assert "Choose at least 3 group members: this is a group agreement" in text
    assert "Enter how often the group will meet, in weeks, as a number from 1 to 8" in text
    assert "Choose the service" in text
    assert "Choose the group organiser" in text
    assert "Confirm that you have agreed with the group how it will work" in text


# --- the yearly review (tests/fixtures/profiles/fenmoor/review_questionnaire.yaml) -----

REVIEW = {
    "statement_1": "Always",
    "statement_2": "Often",
    "statement_3": "Rarely",
    "keep_1": "Protected time",
    "change_2": "Fewer cancellations",
    "declaration": "y",
}


def test_the_yearly_review_asks_the_councils_statements_and_reaches_the_managers_inbox(
    client, fenmoor, db
):
    from models import HumanTask, ReviewQuestionnaire

    url = f"/relationships/{fenmoor.rel_id}/review-questionnaire"
    login(client, fenmoor.worker)
    page = text_of(client.get(url))
    for words in (
        "1. My supervision happens when it is planned",
        "3. Supervision helps me think about the children I work with",
        "What we should keep doing",
        "What we should change",
        "This review goes to the supervisor's own manager once both have signed.",
    ):
        assert words in page
    assert "Is based on a negotiated supervision agreement" not in page  # Lancashire's
    unanswered = {name: value for name, value in REVIEW.items() if name != "statement_2"}
    refused = text_of(client.post(url, data=unanswered))
    assert (
        "Select always, often or rarely for statement 2, I can bring what worries me to "
        "supervision" in refused
    )
    assert client.post(url, data=REVIEW).status_code == 302
    client.post("/logout")

    with db() as session:
        questionnaire = session.scalars(select(ReviewQuestionnaire)).one()
        assert questionnaire.answers["statements"] == {"1": "Always", "2": "Often", "3": "Rarely"}
        assert questionnaire.answers["lists"] == {
            "keep": ["Protected time"],
            "change": ["Fewer cancellations"],
        }
    view = f"/review-questionnaires/{questionnaire.id}"
    login(client, fenmoor.manager)
    page = text_of(client.get(view))
    assert "What you learnt from this review, and what you will change" in page
    assert "Enter what you learnt from this review" in text_of(
        client.post(f"{view}/sign", data={"declaration": "y"})
    )
    signed = client.post(
        f"{view}/sign",
        data={"findings": "Book the room.", "declaration": "y"},
        follow_redirects=True,
    )
    assert "It has been forwarded to" in text_of(signed)
    with db() as session:
        read = session.scalars(
            select(HumanTask).where(HumanTask.kind == "review_questionnaire_read")
        ).one()
        assert read.title == "Read the yearly review of Sam Worker's supervision with Grace Manager"
        assert read.rule_text == "The supervisor forwards the yearly review to their own manager."


# --- the practice observation (tests/fixtures/profiles/fenmoor/observation_form.yaml) ---


def test_the_practice_observation_walks_the_councils_own_parts_to_both_signatures(
    client, fenmoor, db
):
    from models import HumanTask, ObservationSignature
    from policy import keys
    from tests.factories import make_human_task

    with db() as session, session.begin():
        task = make_human_task(
            session,
            fenmoor.org_id,
            kind="practice_observation",
            due_on=TODAY,
            assignee=fenmoor.manager_id,
            subject_staff=fenmoor.worker_id,
            key=keys.build(
                "observation", staff=keys.staff_fact_id(fenmoor.worker_id), day=TODAY, n=1
            ),
        )
        task_id = task.id
    day = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]
    login(client, fenmoor.manager)
    form = text_of(client.get(f"/tasks/{task_id}/observation"))
    assert "Each social worker's practice is observed twice a year by their supervisor." in form
    assert "engaging with children, young people and families" not in form  # Lancashire's
    planned = client.post(f"/tasks/{task_id}/observation", data={"observed_on": day})
    assert planned.status_code == 302
    url = planned.location
    client.post("/logout")

    login(client, fenmoor.worker)
    assert "Say what will be observed on 2 March 2026" in text_of(client.get("/inbox"))
    part = text_of(client.get(f"{url}/parts/plan"))
    assert "Before the observation, by the worker" in part and "What will be observed" in part
    assert "Enter what will be observed" in text_of(client.post(f"{url}/parts/plan", data={}))
    client.post(f"{url}/parts/plan", data={"visit": "Home visit, case 7654321"})
    client.post("/logout")

    login(client, fenmoor.manager)
    feedback = {"went_well": "Calm and clear.", "even_better_if": "More time with the child."}
    assert client.post(f"{url}/parts/feedback", data=feedback).status_code == 302
    client.post(f"{url}/sign", data={"declaration": "y"})
    client.post("/logout")
    login(client, fenmoor.worker)
    client.post(f"{url}/sign", data={"declaration": "y"})
    page = text_of(client.get(url))
    for words in ("Signed by both", "After the observation, by the supervisor", "Calm and clear."):
        assert words in page
    with db() as session:
        assert session.scalar(select(func.count()).select_from(ObservationSignature)) == 2
        step = session.scalars(
            select(HumanTask).where(HumanTask.key.like("observation-form:%:feedback"))
        ).one()
        assert step.rule_text == (
            "The supervisor writes their feedback within two weeks of the observation."
        )


# --- the supervision record (tests/fixtures/profiles/fenmoor/record_form.yaml) ----------

RECORD = {
    "held_on": ["23", "2", "2026"],
    "duration_minutes": "75",
    "late_reason": "The supervisor was on leave",
    "s_last_time": "Both actions done.",
    "s_wellbeing": "Well; leave booked for April.",
    "s_children": "One case discussed, by ID.",
    "q_fen_training": "Court skills, February.",
    "sign": "Sign and share the record",
}


def test_the_record_form_follows_the_councils_agenda_and_records_the_session(client, fenmoor, db):
    from models import HumanTask, RecordStatus, SupervisionSession

    url = f"/relationships/{fenmoor.rel_id}/sessions/new"
    login(client, fenmoor.manager)
    form = client.get(url)
    page = text_of(form)
    for words in (
        "Fenmoor Record of Supervision",
        "Fenmoor Borough Council: Supervision Standards (made up for the tests), Appendix 4; §4.1",
        "1. Since last time",
        "What happened to the actions you agreed last time",
        "2. How you are",
        "3. Children discussed",
        "Has the supervisee been on any training since the last session?",
    ):
        assert words in page
    assert "Role and organisation" not in page  # Lancashire's record, not Fenmoor's
    assert "Fenmoor Record of Management Supervision" not in page  # the managers' agenda
    assert re.search(r'name="duration_minutes"[^>]*value="75"', form.get_data(as_text=True))

    assert client.post(url, data=RECORD).status_code == 302
    with db() as session:
        row = session.scalars(select(SupervisionSession)).one()
        assert row.record_status == RecordStatus.AWAITING_COUNTERSIGNATURE
        assert row.duration_minutes == 75
        assert row.record["sections"] == {
            "last_time": "Both actions done.",
            "wellbeing": "Well; leave booked for April.",
            "children": "One case discussed, by ID.",
        }
        assert row.record["extra"] == {"fen_training": "Court skills, February."}
        countersign = session.scalars(
            select(HumanTask).where(HumanTask.kind == "record_countersign")
        ).one()
        assert countersign.assignee_id == fenmoor.worker_id
