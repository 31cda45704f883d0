"""A council with case supervision to export: a supervisor (Sue) of two
workers (Will, Wyn), their cases, entries inside and outside November 2026,
one of them an important decision, and another council's entry on the same
day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from models import CaseType, StaffRole
from tests.factories.cases import make_case, make_case_supervision
from tests.factories.people import make_organisation, make_staff
from tests.factories.supervision import make_relationship

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)


@dataclass
class CaseCouncil:
    slug: str
    organisation_id: int
    sue: int
    will: int
    wyn: int
    entries: dict[str, int]


@pytest.fixture
def case_council(db) -> CaseCouncil:
    with db() as session, session.begin():
        org = make_organisation(session)
        sue = make_staff(session, org, name="Sue Supervisor", role=StaffRole.TEAM_MANAGER)
        will = make_staff(session, org, name="Will Worker", line_manager=sue)
        wyn = make_staff(session, org, name="Wyn Worker", line_manager=sue)
        make_relationship(session, sue, will)
        cp = make_case(
            session,
            will,
            case_ref="LCS-200200",
            case_type=CaseType.CHILD_PROTECTION,
            allocated_on=date(2026, 1, 5),
        )
        cin = make_case(session, wyn, case_ref="LCS-100100", allocated_on=date(2026, 1, 5))
        entries = {
            "cp": make_case_supervision(
                session,
                cp,
                supervisor=sue,
                supervised_on=date(2026, 11, 3),
                decision="Convene a strategy meeting",
                rationale="New bruising reported by school",
                next_steps="Strategy meeting by Friday",
                important_decision=True,
            ).id,
            "cin": make_case_supervision(
                session,
                cin,
                supervisor=sue,
                supervised_on=date(2026, 11, 30),
                decision="=HYPERLINK(1)",
                rationale="",
                next_steps="Review at next supervision",
            ).id,
            "october": make_case_supervision(
                session, cin, supervisor=sue, supervised_on=date(2026, 10, 31)
            ).id,
            "december": make_case_supervision(
                session, cp, supervisor=sue, supervised_on=date(2026, 12, 1)
            ).id,
        }
        other = make_organisation(session, name="Otherton")
        other_sue = make_staff(session, other)
        other_case = make_case(
            session, other_sue, case_ref="LCS-150150", allocated_on=date(2026, 1, 5)
        )
        make_case_supervision(
            session, other_case, supervisor=other_sue, supervised_on=date(2026, 11, 3)
        )
        return CaseCouncil(org.slug, org.id, sue.id, will.id, wyn.id, entries)
