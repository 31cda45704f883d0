"""Factories for facts: one small function per fact, named `make_<fact>`.
Each takes a database session, adds one row (with its children, such as an
agreement's signatures) with sensible defaults, flushes, and returns it; the
caller owns the transaction. Keyword arguments are the table's own column
names, so a test overrides exactly the column it is about.

    people        organisations, teams, staff, user accounts
    supervision   relationships, agreements, sessions, group attendance
    groups        group supervision agreements and their signatories
    cases         case allocations and case supervision
    tasks         human tasks of any kind declared in policy/kinds/
    oversight     observations, review questionnaires, registration and DBS
                  checks, ASYE reviews, hours worked, samples
    cover         absences and cover arrangements

Whole councils built from these are in tests/worlds/."""

from __future__ import annotations

import itertools

# Names, emails, staff numbers and slugs are numbered from here. A test that
# must build the same rows twice restarts it (restart_numbering(), or assign
# a fresh counter to tests.factories._numbers); the factories read it at call
# time, so either way is seen.
_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)


def restart_numbering() -> None:
    global _numbers
    _numbers = itertools.count(1)


# The factories import next_number from here, so they come after it.
from tests.factories.cases import (  # noqa: E402
    make_case,
    make_case_file_audit,
    make_case_supervision,
)
from tests.factories.cover import make_absence, make_cover  # noqa: E402
from tests.factories.groups import make_group_agreement  # noqa: E402
from tests.factories.oversight import (  # noqa: E402
    make_asye_review,
    make_check,
    make_hours_worked,
    make_observation,
    make_review_questionnaire,
    make_sample,
)
from tests.factories.people import (  # noqa: E402
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)
from tests.factories.supervision import (  # noqa: E402
    make_agreement,
    make_group_attendance,
    make_relationship,
    make_session,
)
from tests.factories.tasks import make_human_task  # noqa: E402

__all__ = [
    "make_absence",
    "make_agreement",
    "make_asye_review",
    "make_case",
    "make_case_file_audit",
    "make_case_supervision",
    "make_check",
    "make_cover",
    "make_group_agreement",
    "make_group_attendance",
    "make_hours_worked",
    "make_human_task",
    "make_observation",
    "make_organisation",
    "make_relationship",
    "make_review_questionnaire",
    "make_sample",
    "make_service_area",
    "make_session",
    "make_staff",
    "make_team",
    "make_user",
    "next_number",
    "restart_numbering",
]
