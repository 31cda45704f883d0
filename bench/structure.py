"""An organisation's structure over three years: posts in a line-management
tree (director, heads of service, service managers, team managers and their
teams, reviewing officers, homes, business support, quality and performance),
the people who held each post in turn (leavers and joiners at the national
turnover rates), and who supervised whom, when.

A post is held by one person at a time. A manager's post is never empty (an
interim starts the day the last holder leaves), so every supervisee always has
a supervisor; a change of holder starts a new supervision relationship for
each of their supervisees ("change of supervisor"). Other posts may stand
empty for a few weeks between holders."""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench import shape
from bench.ids import Ids

# post kind -> (role in the policy's vocabulary, job title)
KINDS = {
    "director": ("senior_manager", "Director of Children's Services"),
    "head_of_service": ("senior_manager", "Head of Service"),
    "principal_social_worker": ("manager", "Principal Social Worker"),
    "service_manager": ("manager", "Service Manager"),
    "team_manager": ("team_manager", "Team Manager"),
    "social_worker": ("social_worker", "Social Worker"),
    "support_worker": ("support_worker", "Family Support Worker"),
    "student": ("student", "Social Work Student (placement)"),
    "iro_manager": ("manager", "Reviewing Service Manager"),
    "iro": ("iro", "Independent Reviewing Officer"),
    "residential_manager": ("manager", "Registered Home Manager"),
    "residential": ("residential", "Residential Care Worker"),
    "business_support_manager": ("business_support", "Business Support Manager"),
    "business_support": ("business_support", "Business Support Officer"),
    "non_direct_staff_manager": ("manager", "Quality and Performance Manager"),
    "non_direct_staff": ("non_direct_staff", "Performance Analyst"),
}
# Posts that lead a team, and what their teams are called.
TEAM_NAMES = {
    "team_manager": "Social Work Team",
    "iro_manager": "Independent Reviewing Team",
    "residential_manager": "Children's Home",
    "business_support_manager": "Business Support Team",
    "non_direct_staff_manager": "Quality and Performance Team",
}
# kind -> the kind of post that supervises it (round robin over those posts).
PARENT = {
    "head_of_service": "director",
    "principal_social_worker": "director",
    "service_manager": "head_of_service",
    "team_manager": "service_manager",
    "social_worker": "team_manager",
    "support_worker": "team_manager",
    "student": "team_manager",
    "iro_manager": "head_of_service",
    "iro": "iro_manager",
    "residential_manager": "head_of_service",
    "residential": "residential_manager",
    "business_support_manager": "head_of_service",
    "business_support": "business_support_manager",
    "non_direct_staff_manager": "head_of_service",
    "non_direct_staff": "non_direct_staff_manager",
}


@dataclass(eq=False)
class Person:
    id: int
    number: int
    post: Post
    started_on: date
    left_on: date | None
    employment: str
    asye: bool
    # (from, until or None, supervisor, relationship id), in time order
    supervisors: list[tuple[date, date | None, Person, int]] = field(default_factory=list)

    @property
    def role(self) -> str:
        return KINDS[self.post.kind][0]

    def supervisor_on(self, day: date) -> Person | None:
        for start, end, supervisor, _rel in self.supervisors:
            if start <= day and (end is None or day < end):
                return supervisor
        return None


@dataclass(eq=False)
class Post:
    kind: str
    employment: str
    parent: Post | None
    team_id: int | None = None  # the team it belongs to (or leads)
    area: int | None = None  # the service area id
    leads_team: bool = False
    holders: list[Person] = field(default_factory=list)
    starts: list[date] = field(default_factory=list)
    children: list[Post] = field(default_factory=list)

    def holder_on(self, day: date) -> Person | None:
        i = bisect.bisect_right(self.starts, day) - 1
        if i < 0:
            return None
        person = self.holders[i]
        return person if person.left_on is None or day < person.left_on else None


@dataclass
class Structure:
    posts: list[Post]
    people: list[Person]
    areas: list[tuple[int, str, Post]]  # (id, name, head of service post)
    teams: list[tuple[int, int, str, Post]]  # (id, area id, name, leading post)


def build(org: shape.OrgSpec, ids: Ids, rng: random.Random, h0: date, as_of: date) -> Structure:
    counts = shape.post_counts(org.staff, org.cases)
    posts: dict[str, list[Post]] = {}
    for kind in KINDS:  # parents come before their reports in KINDS
        parents = posts.get(PARENT.get(kind, ""), [None])
        number = counts[kind]
        posts[kind] = [
            Post(
                kind,
                _employment(rng, kind),
                parents[i % len(parents)],
                leads_team=kind in TEAM_NAMES,
            )
            for i in range(number)
        ]
    areas = []
    for n, post in enumerate(posts["head_of_service"], 1):
        post.area = ids.next("service_area")
        areas.append((post.area, f"Children's Services Area {n}", post))
    teams = []
    for kind, name in TEAM_NAMES.items():
        for n, post in enumerate(posts[kind], 1):
            post.team_id = ids.next("team")
            post.area = _area_of(post)
            teams.append((post.team_id, post.area, f"{name} {n}", post))
    every = [p for kind in KINDS for p in posts[kind]]
    for post in every:
        if post.parent is not None:
            post.parent.children.append(post)
        if post.team_id is None and post.parent is not None and post.parent.leads_team:
            post.team_id = post.parent.team_id
        post.area = post.area or _area_of(post)
    people = []
    for post in every:
        _fill(post, rng, ids, h0, as_of, people)
    for person in people:
        _relationships(person, ids, h0, as_of)
    return Structure(every, people, areas, teams)


def _area_of(post: Post) -> int | None:
    while post is not None and post.kind != "head_of_service":
        post = post.parent
    return post.area if post is not None else None


def _employment(rng: random.Random, kind: str) -> str:
    if kind == "student":
        return "temporary"
    roll = rng.random()
    for employment, share in shape.EMPLOYMENT_MIX.get(kind, {}).items():
        if roll < share:
            return employment
        roll -= share
    return "permanent"


def _tenure_days(rng: random.Random, employment: str) -> int:
    annual = shape.ANNUAL_LEAVING.get(employment, shape.ANNUAL_LEAVING_DEFAULT)
    rate = -math.log(1 - annual) / 365.25
    return max(1, int(rng.expovariate(rate)))


def _fill(post: Post, rng: random.Random, ids: Ids, h0: date, as_of: date, people: list) -> None:
    """The holders of a post from before the history begins to as_of."""
    student = post.kind == "student"
    if student:
        start = h0 - timedelta(days=rng.randint(0, 120))
    else:
        start = h0 - timedelta(days=min(_tenure_days(rng, post.employment), 25 * 365))
    while True:
        if student:
            leave = start + timedelta(days=rng.randint(100, 170))
        else:
            leave = max(start, h0) + timedelta(days=_tenure_days(rng, post.employment))
        current = leave >= as_of
        person = Person(
            id=ids.next("staff_member"),
            number=len(people) + 1,
            post=post,
            started_on=start,
            left_on=None if current else leave,
            employment=post.employment,
            asye=_is_asye(rng, post, start, h0),
        )
        people.append(person)
        post.holders.append(person)
        post.starts.append(start)
        if current:
            return
        gap = 0 if post.leads_team or post.kind in PARENT.values() else rng.randint(0, 45)
        start = leave + timedelta(days=gap if leave + timedelta(days=gap) < as_of else 0)


def _is_asye(rng: random.Random, post: Post, start: date, h0: date) -> bool:
    """Newly qualified social workers join employee posts; agency workers are experienced."""
    if post.kind != "social_worker" or post.employment in ("agency", "temporary"):
        return False
    return start >= h0 - timedelta(days=365) and rng.random() < shape.ASYE_SHARE_OF_JOINERS


def _relationships(person: Person, ids: Ids, h0: date, as_of: date) -> None:
    """One relationship per holder of the supervising post while both were in post."""
    if person.post.parent is None:
        return
    end = person.left_on
    for supervisor in person.post.parent.holders:
        start = max(person.started_on, supervisor.started_on)
        stop = _earliest(end, supervisor.left_on)
        if (stop is not None and stop <= start) or start > as_of:
            continue
        if stop is not None and stop < h0:
            continue  # ended before the history kept
        person.supervisors.append((start, stop, supervisor, ids.next("supervision_relationship")))


def _earliest(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
