"""Nottingham 001 §3.5 ("their supervision records will be retained electronically
for a period of five years, following which, they will be removed and deleted
from all systems") for the records added since: the audits of the leaver's own
supervision file (Appendix 6: the checklist is "added to the supervision
file") and the missed sessions they raised about their own supervision go
with the rest; what sits on someone else's file, and management oversight on
a child's record (which follows the child's file, as §3.2-3.3 has case
consultation do), stays."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import CaseOversight, MissedSession, StaffRole, SupervisionRecordAudit
from models.actions.retention import delete_expired_records
from tests.factories import make_case, make_organisation, make_relationship, make_staff, make_team
from tests.factories.record_audits import make_record_audit
from tests.factories.recorded_chains import make_case_oversight, make_missed_session

LEFT = date(2025, 5, 30)
FIVE_YEARS_ON = date(2030, 5, 30)


@pytest.fixture
def council(db):
    """Nottingham. Lee, a team manager supervised by Hana, left on 30 May 2025;
    Lee supervised Sam, and audited Tess's supervision file."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="nottingham")
        team = make_team(session, org)
        hana = make_staff(session, org, role=StaffRole.MANAGER, team=team,
                          started_on=date(2015, 1, 5))  # fmt: skip
        lee = make_staff(session, org, name="Lee Leaver", role=StaffRole.TEAM_MANAGER, team=team,
                         started_on=date(2020, 1, 6), left_on=LEFT)  # fmt: skip
        tess = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team,
                          started_on=date(2020, 1, 6))  # fmt: skip
        sam = make_staff(session, org, team=team, started_on=date(2020, 1, 6))
        lee_rel = make_relationship(session, hana, lee, started_on=date(2020, 1, 6))
        sam_rel = make_relationship(session, lee, sam, started_on=date(2020, 1, 6))
        ids = {"org": org.id, "lee": lee.id, "tess": tess.id, "lee_rel": lee_rel.id}
        ids["sam_rel"] = sam_rel.id
        # Lee's own file: audited by Hana; a missed session Lee raised and escalated.
        make_record_audit(session, lee, hana, audited_on=date(2024, 11, 4), shortfalls=2)
        make_missed_session(session, lee_rel, due_on=date(2024, 9, 2), raised_on=date(2024, 9, 23),
                            escalated_on=date(2024, 9, 30), responded_on=date(2024, 10, 2),
                            responded_by=hana)  # fmt: skip
        # Other people's files: Lee's audit of Tess; a session Sam raised with Lee.
        make_record_audit(session, tess, lee, audited_on=date(2024, 12, 2))
        make_missed_session(
            session, sam_rel, due_on=date(2024, 10, 7), raised_on=date(2024, 10, 28)
        )
        # Children's records: oversight on Lee's case, and oversight Lee recorded on Sam's.
        lee_case = make_case(session, lee, case_ref="EH-100200", allocated_on=date(2024, 1, 8))
        sam_case = make_case(session, sam, case_ref="EH-100300", allocated_on=date(2024, 1, 8))
        make_case_oversight(session, lee_case, hana, recorded_on=date(2024, 3, 4))
        make_case_oversight(session, sam_case, lee, recorded_on=date(2024, 3, 11))
        return ids


def _count(db, model, *where) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_within_five_years_of_leaving_the_audits_and_missed_sessions_are_kept(db, council):
    result = delete_expired_records(council["org"], FIVE_YEARS_ON, session_factory=db)
    assert result.deleted == {}
    assert _count(db, SupervisionRecordAudit) == 2 and _count(db, MissedSession) == 2


def test_after_five_years_the_audits_of_their_file_and_the_sessions_they_raised_are_deleted(
    db, council
):
    result = delete_expired_records(council["org"], date(2030, 6, 1), session_factory=db)
    counts = result.deleted[council["lee"]]
    assert (counts["record_audits"], counts["missed_sessions"]) == (1, 1)
    audited = SupervisionRecordAudit.supervisor_id
    assert _count(db, SupervisionRecordAudit, audited == council["lee"]) == 0
    assert _count(db, MissedSession, MissedSession.relationship_id == council["lee_rel"]) == 0


def test_what_they_recorded_on_other_peoples_files_and_on_childrens_records_stays(db, council):
    delete_expired_records(council["org"], date(2030, 6, 1), session_factory=db)
    with db() as session:
        [audit] = session.scalars(select(SupervisionRecordAudit))
        assert (audit.supervisor_id, audit.audited_on) == (council["tess"], date(2024, 12, 2))
        [missed] = session.scalars(select(MissedSession))
        assert missed.relationship_id == council["sam_rel"]
        recorded_by = session.scalars(select(CaseOversight.recorded_on).order_by("recorded_on"))
        assert list(recorded_by) == [date(2024, 3, 4), date(2024, 3, 11)]
