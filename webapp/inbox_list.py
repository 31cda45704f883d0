"""The inbox list, in one place for the inbox page, the JSON API and
bench/inbox_plans.py: its filters, its pages (keyset, soonest due first:
due_on, then id), its counts and its filter options.

Why a UNION ALL of branches rather than "assigned to me OR offered to my
group": no index serves an OR across two sets of columns, so PostgreSQL reads
the whole table for it. Each branch here is equalities on an index's leading
columns, so it is read in (due_on, id) order and stops after one page:

- my own open tasks: (assignee_id, due_on, id), partial on the open statuses;
  tasks held under cover or delegated to me are assigned to me, so they are
  in this branch too;
- the unclaimed open group tasks offered to me, one branch per role I hold:
  (organisation_id, candidate_role, due_on, id), partial on assignee_id IS
  NULL and the open statuses.

A page takes the first rows of every branch and keeps the first of those, so
its cost follows the page size and the person's roles, not the table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, false, func, or_, select, tuple_, union_all
from sqlalchemy.orm import joinedload

from models import OPEN_STATUSES, AppRole, HumanTask, HumanTaskStatus, StaffMember, Team
from webapp import scope
from webapp.cursor import AFTER, BEFORE, Cursor, a_date, a_row_id, decode
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser

PAGE_SIZE = 25  # about 30 KB of HTML: a page stays small whatever the inbox holds
DUE_SOON_DAYS = 7  # "due this week" in the counts: today and the 6 days after

# The inbox's filters. They live in the query string, so a filtered inbox can
# be bookmarked; unknown values are ignored rather than refused.

DUE_WINDOWS = {
    "overdue": "Overdue",
    "week": "Due this week",
    "four_weeks": "Due in the next 4 weeks",
    "later": "Due later than 4 weeks from now",
}
STATUSES = {
    "open": "Open",
    "escalated": "Escalated (overdue and gone up the chain)",
    "offered": "Offered to your group, not yet claimed",
}
_KIND = re.compile(r"[a-z_]{1,60}")


@dataclass(frozen=True)
class InboxFilters:
    kinds: tuple[str, ...] = ()
    teams: tuple[int, ...] = ()
    due: str = ""
    statuses: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args) -> InboxFilters:
        return cls(
            kinds=tuple(sorted({k for k in args.getlist("kind") if _KIND.fullmatch(k)})),
            teams=tuple(
                sorted({int(t) for t in args.getlist("team") if t.isdigit() and len(t) < 10})
            ),
            due=args.get("due", "") if args.get("due", "") in DUE_WINDOWS else "",
            statuses=tuple(sorted({s for s in args.getlist("status") if s in STATUSES})),
        )

    @property
    def active(self) -> bool:
        return bool(self.kinds or self.teams or self.due or self.statuses)

    def as_args(self) -> dict[str, list[str] | str]:
        args: dict[str, list[str] | str] = {}
        if self.kinds:
            args["kind"] = list(self.kinds)
        if self.teams:
            args["team"] = [str(t) for t in self.teams]
        if self.due:
            args["due"] = self.due
        if self.statuses:
            args["status"] = list(self.statuses)
        return args


def due_window(window: str, on: date) -> tuple[date | None, date | None]:
    """The first and last due date (either may be open) a window covers. "This
    week" runs to Sunday; "the next 4 weeks" to 28 days from today."""
    if window == "overdue":
        return None, on - timedelta(days=1)
    if window == "week":
        return on, on + timedelta(days=6 - on.weekday())
    if window == "four_weeks":
        return on, on + timedelta(days=28)
    if window == "later":
        return on + timedelta(days=29), None
    return None, None


def decode_cursor(token: str) -> Cursor:
    """An inbox cursor: a direction and the (due_on, id) of a task. Raises CursorError."""
    return decode(token, a_date, a_row_id)


# --- the branches -----------------------------------------------------------------


def _branches(user: AppUser) -> list[AppRole | None]:
    """None for my own tasks, then each role I hold (its unclaimed group tasks)."""
    return [None, *(role for role in AppRole if role.value in user.roles)]


def _branch_queries(user: AppUser, filters: InboxFilters) -> list[Select]:
    """One SELECT of HumanTask per branch the status filter leaves."""
    offered = scope.offered_to(user)  # who may claim what is scope's to say
    queries = []
    for role in _branches(user):
        statuses = _wanted_statuses(filters, mine=role is None)
        if not statuses:
            continue
        if role is None:
            # No organisation_id test: a staff ID belongs to one organisation,
            # and the planner, multiplying the two tests' selectivities as if
            # independent, would expect 1 row where a manager has hundreds.
            query = select(HumanTask).where(
                HumanTask.assignee_id == user.staff_id, HumanTask.status.in_(OPEN_STATUSES)
            )
        else:
            query = offered.where(HumanTask.candidate_role == role)
        if len(statuses) < len(OPEN_STATUSES):
            query = query.where(HumanTask.status.in_(statuses))
        queries.append(query)
    return queries


def _wanted_statuses(filters: InboxFilters, mine: bool) -> list[HumanTaskStatus]:
    """The status filter: "open" my open tasks, "escalated" every escalated
    one, "offered" the unclaimed group tasks; none chosen, everything."""
    chosen = filters.statuses
    return [
        status
        for status in OPEN_STATUSES
        if not chosen
        or ("open" in chosen and mine and status == HumanTaskStatus.OPEN)
        or ("escalated" in chosen and status == HumanTaskStatus.ESCALATED)
        or ("offered" in chosen and not mine)
    ]


def _matches(columns, filters: InboxFilters, on: date) -> list:
    """The kind, team and due-date filters, on HumanTask or a subquery's columns."""
    conditions = []
    if filters.kinds:
        conditions.append(columns.kind.in_(filters.kinds))
    if filters.teams:
        in_teams = select(StaffMember.id).where(StaffMember.team_id.in_(filters.teams))
        conditions.append(columns.subject_staff_id.in_(in_teams))
    first, last = due_window(filters.due, on)
    if first is not None:
        conditions.append(columns.due_on >= first)
    if last is not None:
        conditions.append(columns.due_on <= last)
    return conditions


def _everything(user: AppUser, *columns):
    """Every task in my inbox (no filter), as a subquery of these columns."""
    parts = [q.with_only_columns(*columns) for q in _branch_queries(user, InboxFilters())]
    return union_all(*parts).subquery("inbox")


# --- a page -------------------------------------------------------------------------


def _order(columns, backwards: bool) -> tuple:
    if backwards:
        return columns.due_on.desc(), columns.id.desc()
    return columns.due_on, columns.id


def page_statement(
    user: AppUser, filters: InboxFilters, on: date, size: int, cursor: Cursor | None = None
) -> Select:
    """The list query: size + 1 tasks (the extra one says whether there is
    more) after or before the cursor. Each branch gives the (id, due_on) of
    its first rows, the union keeps the first of those, and the tasks are
    then read by primary key (cheaper for the ORM than an entity over a union)."""
    backwards = cursor is not None and cursor.backwards
    parts = []
    for query in _branch_queries(user, filters):
        query = query.with_only_columns(HumanTask.id, HumanTask.due_on).where(
            *_matches(HumanTask, filters, on)
        )
        if cursor is not None:
            key, at = tuple_(HumanTask.due_on, HumanTask.id), tuple_(*cursor.key)
            query = query.where(key < at if backwards else key > at)
        # SQLite refuses ORDER BY and LIMIT inside a UNION's arms unless each is a subquery.
        limited = query.order_by(*_order(HumanTask, backwards)).limit(size + 1).subquery()
        parts.append(select(limited.c.id, limited.c.due_on))
    if not parts:
        parts.append(select(HumanTask.id, HumanTask.due_on).where(false()))
    page = union_all(*parts).subquery("page")
    return (
        select(HumanTask)
        .join(page, page.c.id == HumanTask.id)
        .order_by(*_order(page.c, backwards))
        .limit(size + 1)
        # Each a row by primary key for each of the page's tasks: joined, not a query each.
        .options(
            joinedload(HumanTask.subject_staff).joinedload(StaffMember.team),
            joinedload(HumanTask.original_assignee),
            joinedload(HumanTask.assignee),
        )
    )


@dataclass(frozen=True)
class InboxPage:
    tasks: list[HumanTask]
    next: Cursor | None  # None: this is the last page
    # None: this is the first page. A cursor with an empty key: the first page.
    previous: Cursor | None


FIRST_PAGE = Cursor(AFTER, ())


def inbox_page(
    user: AppUser,
    filters: InboxFilters | None = None,
    on: date | None = None,
    size: int = PAGE_SIZE,
    cursor: Cursor | None = None,
) -> InboxPage:
    """One page of my inbox, soonest due first, with the cursors either side."""
    filters, on = filters or InboxFilters(), on or today()
    tasks = list(db_session().scalars(page_statement(user, filters, on, size, cursor)))
    more = len(tasks) > size
    tasks = tasks[:size]
    if cursor is not None and cursor.backwards:
        if not more:  # going back reached the start: show a full first page
            return inbox_page(user, filters, on, size)
        tasks.reverse()
        return InboxPage(tasks, _after(tasks[-1]), _before(tasks[0]))
    if cursor is None:
        return InboxPage(tasks, _after(tasks[-1]) if more else None, None)
    previous = _before(tasks[0]) if tasks else FIRST_PAGE
    return InboxPage(tasks, _after(tasks[-1]) if more else None, previous)


def _after(task: HumanTask) -> Cursor:
    return Cursor(AFTER, (task.due_on, task.id))


def _before(task: HumanTask) -> Cursor:
    return Cursor(BEFORE, (task.due_on, task.id))


# --- the counts and the filter options ---------------------------------------------------


@dataclass(frozen=True)
class InboxCounts:
    total: int  # everything in my inbox, group tasks offered to me included
    overdue: int
    due_this_week: int  # due today or in the DUE_SOON_DAYS - 1 days after
    later: int
    offered: int  # of the total, group tasks nobody has claimed yet
    matching: int  # what the filters keep (the total when there are none)

    FIELDS = ("total", "overdue", "due_this_week", "later", "offered", "matching")

    @property
    def mine(self) -> int:
        return self.total - self.offered


def summary_statement(user: AppUser, filters: InboxFilters, on: date) -> Select:
    """One aggregate over every branch (each an index range of my tasks),
    grouped by kind and by the team of the person each task is about: the
    counts add up across the groups, and the groups are the filter's options."""
    inbox = _everything(
        user,
        HumanTask.assignee_id,
        HumanTask.status,
        HumanTask.due_on,
        HumanTask.kind,
        HumanTask.subject_staff_id,
    )
    last_soon = on + timedelta(days=DUE_SOON_DAYS - 1)
    conditions = _matches(inbox.c, filters, on)
    if filters.statuses:
        conditions.append(_status_matches(inbox.c, filters))
    matching = func.count().filter(and_(*conditions)) if conditions else func.count()
    return (
        select(
            inbox.c.kind,
            Team.id.label("team_id"),
            Team.name.label("team_name"),
            func.count().label("total"),
            func.count().filter(inbox.c.due_on < on).label("overdue"),
            func.count().filter(inbox.c.due_on.between(on, last_soon)).label("due_this_week"),
            func.count().filter(inbox.c.due_on > last_soon).label("later"),
            func.count().filter(inbox.c.assignee_id.is_(None)).label("offered"),
            matching.label("matching"),
        )
        .select_from(inbox)
        # Driven from my tasks: each person, then their team, looked up by ID.
        .outerjoin(StaffMember, StaffMember.id == inbox.c.subject_staff_id)
        .outerjoin(Team, Team.id == StaffMember.team_id)
        .group_by(inbox.c.kind, Team.id, Team.name)
    )


def _status_matches(columns, filters: InboxFilters):
    """The status filter as a condition on a row (mine: it has an assignee, me)."""
    options = [
        and_(
            columns.assignee_id.is_not(None) if mine else columns.assignee_id.is_(None),
            columns.status.in_(statuses),
        )
        for mine in (True, False)
        if (statuses := _wanted_statuses(filters, mine))
    ]
    return or_(*options) if options else false()


@dataclass(frozen=True)
class TeamOption:
    id: int
    name: str


@dataclass(frozen=True)
class FilterOptions:
    kinds: list[str]
    teams: list[TeamOption]  # by name


@dataclass(frozen=True)
class InboxSummary:
    counts: InboxCounts
    options: FilterOptions  # the kinds my tasks have, and the teams of their people


def inbox_summary(
    user: AppUser, filters: InboxFilters | None = None, on: date | None = None
) -> InboxSummary:
    """My inbox's counts and its filter's options, from one query."""
    filters, on = filters or InboxFilters(), on or today()
    rows = db_session().execute(summary_statement(user, filters, on)).all()
    totals = {name: sum(getattr(r, name) for r in rows) for name in InboxCounts.FIELDS}
    teams = {(r.team_name, r.team_id) for r in rows if r.team_id is not None}
    return InboxSummary(
        counts=InboxCounts(**totals),
        options=FilterOptions(
            kinds=sorted({r.kind for r in rows}),
            teams=[TeamOption(id, name) for name, id in sorted(teams)],
        ),
    )


def inbox_counts(
    user: AppUser, filters: InboxFilters | None = None, on: date | None = None
) -> InboxCounts:
    return inbox_summary(user, filters, on).counts
