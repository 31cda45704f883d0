"""Adds the demo council's rows: staff with logins, relationships, agreements and
sessions, each dated a number of days before `today`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from models.actions.reviews import questionnaire_of
from models.passwords import hash_password
from models.tables.org import (
    AppRole,
    Employment,
    Organisation,
    StaffMember,
    StaffRole,
    UserAccount,
    UserRole,
)
from models.tables.oversight import ReviewQuestionnaire
from models.tables.supervision import (
    AgreementSignature,
    AgreementStatus,
    RecordStatus,
    RelationshipReason,
    SessionSignature,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)

DEMO_PASSWORD = "demo-oversight"


def username(name: str) -> str:
    return name.lower().replace(" ", ".")


class Builder:
    def __init__(self, session: Session, org: Organisation, today: date):
        self.session, self.org, self.today = session, org, today
        self.number = 0
        self.password_hash = hash_password(DEMO_PASSWORD)
        # (person, relationship, supervisor, index) of the practitioners with settled
        # histories, who carry the casework, observations and reviews.
        self.practitioners: list[tuple[StaffMember, SupervisionRelationship, StaffMember, int]] = []

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def staff(
        self,
        name,
        role,
        *,
        team=None,
        line_manager=None,
        started_days_ago=900,
        left_days_ago=None,
        asye=False,
        employment=Employment.PERMANENT,
        title="",
        roles=(),
        login=True,
        access_days=None,
    ):
        self.number += 1
        person = StaffMember(
            organisation_id=self.org.id,
            team_id=team.id if team else None,
            staff_number=f"D{self.number:04d}",
            name=name,
            email=f"{username(name)}@demo-council.example",
            job_title=title,
            role=role,
            employment=employment,
            started_on=self.ago(started_days_ago),
            left_on=self.ago(left_days_ago) if left_days_ago is not None else None,
            asye=asye,
            line_manager_id=line_manager.id if line_manager else None,
        )
        self.session.add(person)
        self.session.flush()
        if login:
            user = UserAccount(
                staff_id=person.id, username=username(name), password_hash=self.password_hash
            )
            user.roles = [UserRole(role=r) for r in roles]
            if access_days is not None:  # an auditor's time-limited access
                user.access_expires_on = self.ago(-access_days)
            self.session.add(user)
        return person

    def team_member(self, name, team, manager, *, role=StaffRole.SOCIAL_WORKER, **details):
        """A supervisee in `manager`'s team who signs in as a supervisee; `details`
        are the rest of staff()'s (title, started_days_ago, employment, asye)."""
        return self.staff(
            name, role, team=team, line_manager=manager, roles=(AppRole.SUPERVISEE,), **details
        )

    def relationship(
        self,
        supervisor,
        supervisee,
        *,
        days_ago,
        reason=RelationshipReason.NEW_STARTER,
        ended_days_ago=None,
    ):
        rel = SupervisionRelationship(
            supervisor_id=supervisor.id,
            supervisee_id=supervisee.id,
            started_on=self.ago(days_ago),
            ended_on=self.ago(ended_days_ago) if ended_days_ago else None,
            reason=reason,
        )
        self.session.add(rel)
        self.session.flush()
        return rel

    def agreement(
        self,
        rel,
        *,
        supervisor_days_ago,
        supervisee_days_ago=None,
        frequency=4,
        version=1,
        variation_reason=None,
    ):
        agreement = SupervisionAgreement(
            relationship_id=rel.id,
            version=version,
            frequency_weeks=frequency,
            variation_reason=variation_reason,
            content={"length": "About 2 hours", "venue": "Team office, room 2"},
            status=AgreementStatus.AWAITING_COUNTERSIGNATURE,
        )
        self.session.add(agreement)
        self.session.flush()
        self.session.add(
            AgreementSignature(
                agreement_id=agreement.id,
                party=SignatoryParty.SUPERVISOR,
                staff_id=rel.supervisor_id,
                signed_on=self.ago(supervisor_days_ago),
            )
        )
        if supervisee_days_ago is not None:
            signed_on = self.ago(supervisee_days_ago)
            self.session.add(
                AgreementSignature(
                    agreement_id=agreement.id,
                    party=SignatoryParty.SUPERVISEE,
                    staff_id=rel.supervisee_id,
                    signed_on=signed_on,
                )
            )
            agreement.status = AgreementStatus.IN_FORCE
            agreement.in_force_on = signed_on
            agreement.review_due_on = (
                signed_on.replace(year=signed_on.year + 1)
                if not (signed_on.month == 2 and signed_on.day == 29)
                else signed_on + timedelta(days=365)
            )
        return agreement

    def reviewed_agreement(self, rel, *, first_days_ago, reviewed_days_ago, frequency=4):
        """Signed at the start, re-signed at the annual review, with the review form."""
        first = self.agreement(
            rel, supervisor_days_ago=first_days_ago, supervisee_days_ago=first_days_ago - 2
        )
        first.status = AgreementStatus.SUPERSEDED
        self.agreement(
            rel,
            supervisor_days_ago=reviewed_days_ago,
            supervisee_days_ago=reviewed_days_ago,
            frequency=frequency,
            version=2,
        )

    def review_questionnaire(self, rel, *, reviewed_days_ago, forwarded_days_ago=None):
        """The council's annual review form as the supervisee signs it (the same
        shape as models/actions/reviews.py stores): every statement answered,
        the lists filled in. Forwarded: the supervisor has signed it with their
        findings and sent it to their line manager, who has read it."""
        form = questionnaire_of(self.org.profile)
        reviewed_on = self.ago(reviewed_days_ago)
        usual, *others = form.answers
        statements = {
            str(n): (others[-1] if n > len(form.statements) - 2 else usual) if n % 5 else others[0]
            for n in range(1, len(form.statements) + 1)
        }
        answers = {
            "statements": statements,
            "lists": {key: list(_REVIEW_LISTS)[: form.list_items] for key, _label in form.lists},
            "signatures": {"supervisee": _signed(rel.supervisee_id, reviewed_on)},
        }
        questionnaire = ReviewQuestionnaire(
            relationship_id=rel.id, reviewed_on=reviewed_on, answers=answers
        )
        if forwarded_days_ago is not None:
            forwarded_on = self.ago(forwarded_days_ago)
            supervisor = self.session.get(StaffMember, rel.supervisor_id)
            answers["supervisor_findings"] = "Sessions have kept to the agreement; agreed to "
            answers["supervisor_findings"] += "protect the time from interruptions."
            answers["signatures"]["supervisor"] = _signed(rel.supervisor_id, forwarded_on)
            answers["acknowledged_on"] = (forwarded_on + timedelta(days=3)).isoformat()
            questionnaire.forwarded_to_id = supervisor.line_manager_id
            questionnaire.forwarded_on = forwarded_on
        self.session.add(questionnaire)
        return questionnaire

    def sessions(self, rel, *, every_days, count, last_days_ago):
        """Held sessions, recorded three days later and signed by both; development
        is discussed at every third."""
        held_sessions = []
        for i in range(count):
            held = self.ago(last_days_ago + i * every_days)
            if held < rel.started_on:
                break
            recorded = held + timedelta(days=3)
            signed = recorded <= self.today
            held_session = SupervisionSession(
                relationship_id=rel.id,
                held_on=held,
                recorded_on=recorded if signed else None,
                shared_on=recorded if signed else None,
                development_discussed=i % 3 == 0,
                duration_minutes=90,
                record_status=RecordStatus.SIGNED if signed else RecordStatus.DRAFT,
            )
            self.session.add(held_session)
            held_sessions.append(held_session)
        self.session.flush()
        for held_session in held_sessions:
            if held_session.record_status == RecordStatus.SIGNED:
                self.sign_record(held_session, rel, SignatoryParty.SUPERVISOR)
                self.sign_record(held_session, rel, SignatoryParty.SUPERVISEE)
        return held_sessions

    def sign_record(self, held_session, rel, party):
        self.session.add(
            SessionSignature(
                session_id=held_session.id,
                party=party,
                staff_id=rel.supervisor_id
                if party == SignatoryParty.SUPERVISOR
                else rel.supervisee_id,
                signed_on=held_session.recorded_on,
            )
        )


_REVIEW_LISTS = ("Protected time", "Reflection on cases", "Training plans")


def _signed(staff_id: int, on: date) -> dict:
    return {"staff_id": staff_id, "signed_on": on.isoformat()}
