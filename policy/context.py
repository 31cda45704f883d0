"""What every rule family needs: the facts as known on the as-of date, the
people around a supervisee, and one way to build an obligation and its status.

Facts dated after as_of are ignored, so computing "as of" a past day gives the
answer the engine would have given that day.

A context is either the whole organisation (`home` is None: the full-history
engine, policy.engine.compute_obligations) or one unit of it (policy/units.py:
one person, case, team or group, with only the facts that unit needs). Rules
ask for "my" relationships, staff and cases through the context, so the same
rule code runs either way.

Facts are indexed once per context, so a rule asking for one supervisee's
sessions or one relationship's agreements reads those and nothing else.

While rules run, every date on which the answer could change with no new
fact (an escalation step opening, a window rolling over, a missed review
leaving view) is noted with `wake_at`; policy/frontier.py reads them so a
run need not look at the unit again before then."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from policy.durations import Duration
from policy.facts import Agreement, Facts, Relationship, Session, Staff
from policy.obligations import Obligation, ObligationStatus
from policy.profile import Profile, Rule

# How long someone is a new starter: "new staff ... during the first 6 months of
# their employment" (Nottingham §1.4), "the probationary period (usually the
# first 6 months of service)" (Wokingham standard 16).
NEW_STARTER_FOR = Duration(6, "months")


@dataclass(frozen=True)
class Context:
    profile: Profile
    facts: Facts
    as_of: date
    # The person a unit is about (policy/units.py); None for the whole organisation.
    home: str | None = None
    # Where a recurring cycle is replayed from, by its key prefix ("session:rel-42"):
    # the frontier engine starts at the last event that still decides what is owed
    # (policy/frontier.py); absent, a cycle is replayed from its start.
    replay_from: Mapping[str, date] = field(default_factory=dict, compare=False, repr=False)
    wakes: list[date] = field(default_factory=list, compare=False, repr=False)

    # --- when the answer next changes -------------------------------------------------

    def wake_at(self, day: date | None) -> None:
        """The answer may change on `day` with no new fact."""
        if day is not None and day > self.as_of:
            self.wakes.append(day)

    def replay_start(self, cycle: str, start: date) -> date:
        """The day a recurring cycle that starts on `start` is replayed from."""
        return max(start, self.replay_from.get(cycle, start))

    def reached(self, day: date) -> bool:
        """as_of is on or after `day`; if not yet, the answer changes on that day."""
        self.wake_at(day)
        return self.as_of >= day

    # --- people and relationships -----------------------------------------------------

    @cached_property
    def staff(self) -> dict[str, Staff]:
        return self.facts.staff_by_id()

    def has_left(self, staff_id: str, on: date | None = None) -> bool:
        person = self.staff.get(staff_id)
        on = on or self.as_of
        return person is None or (person.left_on is not None and person.left_on <= on)

    def known(self, day: date | None) -> date | None:
        """A fact's date if it had happened by as_of, else None."""
        return day if day is not None and day <= self.as_of else None

    @staticmethod
    def relationship_active(rel: Relationship, on: date) -> bool:
        return rel.started_on <= on and (rel.ended_on is None or rel.ended_on > on)

    @cached_property
    def active_relationships(self) -> tuple[Relationship, ...]:
        """Relationships in force on as_of whose supervisee is still employed."""
        return tuple(
            rel
            for rel in self.facts.relationships
            if self.relationship_active(rel, self.as_of) and not self.has_left(rel.supervisee)
        )

    @cached_property
    def own_relationships(self) -> tuple[Relationship, ...]:
        """Active relationships the home person is supervised in (every one for
        the whole organisation): what supervisee rules iterate."""
        if self.home is None:
            return self.active_relationships
        return tuple(r for r in self.active_relationships if r.supervisee == self.home)

    @cached_property
    def own_supervisees(self) -> tuple[tuple[Staff, Relationship], ...]:
        """Each person supervised in the active relationships, once, with the
        relationship whose supervisor holds the work about the person rather
        than about one relationship (an ASYE review, an observation of their
        practice, a registration or DBS check): the latest started, where
        someone has two supervisors at once, as for their cases."""
        people = sorted({rel.supervisee for rel in self.own_relationships})
        return tuple((self.staff[p], self.relationship_of(p)) for p in people)

    @cached_property
    def supervising_relationships(self) -> tuple[Relationship, ...]:
        """Active relationships the home person supervises (every one for the
        whole organisation): what supervisor rules iterate."""
        if self.home is None:
            return self.active_relationships
        return tuple(r for r in self.active_relationships if r.supervisor == self.home)

    @cached_property
    def own_staff(self) -> tuple[Staff, ...]:
        """The home person, or everyone for the whole organisation, by id."""
        if self.home is None:
            return tuple(sorted(self.facts.staff, key=lambda s: s.id))
        person = self.staff.get(self.home)
        return (person,) if person is not None else ()

    @cached_property
    def _relationships_by_supervisee(self) -> dict[str, list[Relationship]]:
        index: dict[str, list[Relationship]] = defaultdict(list)
        for rel in self.facts.relationships:
            index[rel.supervisee].append(rel)
        return index

    def relationship_of(self, supervisee: str, on: date | None = None) -> Relationship | None:
        """The supervisee's relationship in force on a day (the latest started, if several)."""
        on = on or self.as_of
        current = [
            r
            for r in self._relationships_by_supervisee.get(supervisee, ())
            if self.relationship_active(r, on)
        ]
        return max(current, key=lambda r: (r.started_on, r.id), default=None)

    def job_clock_start(self, rel: Relationship) -> date:
        """The day a relationship's deadlines count from when the document counts
        them from "starting their job" (Lancashire §1.4): a new starter's first
        relationship counts from their start date, even when the supervisor was
        named later; any other relationship (a change of post or of supervisor,
        or a new starter's later one) from the day it started.

        A first relationship marked new_starter that began more than
        NEW_STARTER_FOR after the start date is not a new starter's: the person
        was already in post when it was recorded (a council's existing staff
        when it starts using Oversight), and it counts from its own start."""
        person = self.staff.get(rel.supervisee)
        earlier = any(
            r.started_on < rel.started_on
            for r in self._relationships_by_supervisee.get(rel.supervisee, ())
        )
        if person is None or rel.reason != "new_starter" or earlier:
            return rel.started_on
        if rel.started_on >= NEW_STARTER_FOR.after(person.started_on):
            return rel.started_on
        return min(person.started_on, rel.started_on)

    def line_manager_of(self, staff_id: str | None) -> str | None:
        person = self.staff.get(staff_id) if staff_id else None
        return person.line_manager if person else None

    # --- events, indexed ------------------------------------------------------------

    @cached_property
    def _sessions_by_supervisee(self) -> dict[str, list[Session]]:
        index: dict[str, list[Session]] = defaultdict(list)
        for s in self.facts.sessions:
            index[s.supervisee].append(s)
        return index

    def sessions_of(self, supervisee: str) -> list[Session]:
        """Every session recorded for a supervisee, in the facts' order."""
        return self._sessions_by_supervisee.get(supervisee, [])

    @cached_property
    def _agreements_by_pair(self) -> dict[tuple[str, str], list[Agreement]]:
        index: dict[tuple[str, str], list[Agreement]] = defaultdict(list)
        for a in self.facts.agreements:
            index[(a.supervisor, a.supervisee)].append(a)
        return index

    @cached_property
    def _agreements_by_relationship(self) -> dict[str, list[Agreement]]:
        index: dict[str, list[Agreement]] = defaultdict(list)
        for a in self.facts.agreements:
            if a.relationship is not None:
                index[a.relationship].append(a)
        return index

    def agreements_for(self, rel: Relationship) -> list[Agreement]:
        """Agreement versions belonging to a relationship, earliest first. One
        without a relationship id belongs to the relationship whose parties it
        names if it was signed on or after that relationship started."""

        def first_signature(a: Agreement) -> date | None:
            return a.supervisor_signed_on or a.signed_on

        def unattached_and_ours(a: Agreement) -> bool:
            signed = first_signature(a)
            return a.relationship is None and signed is not None and signed >= rel.started_on

        own = [
            *self._agreements_by_relationship.get(rel.id, ()),
            *filter(
                unattached_and_ours,
                self._agreements_by_pair.get((rel.supervisor, rel.supervisee), ()),
            ),
        ]
        own = [a for a in own if self.known(first_signature(a))]
        return sorted(own, key=lambda a: (first_signature(a), a.signed_on or date.max))

    # --- obligations ------------------------------------------------------------------

    def status(self, due: date, met_on: date | None) -> ObligationStatus:
        if met_on is not None:
            return ObligationStatus.MET
        if self.as_of > due:
            return ObligationStatus.OVERDUE
        if (due - self.as_of).days <= self.profile.due_soon_days:
            return ObligationStatus.DUE
        return ObligationStatus.UPCOMING

    def owe(
        self,
        *,
        rule: Rule,
        key: str,
        kind: str,
        lifecycle: str,
        subject: str,
        assignee: str | None,
        assignee_role: str,
        opens_on: date,
        due: date,
        met_on: date | None = None,
        escalates: str | None = None,
        source: str | None = None,
        text: str | None = None,
        note: str = "",
        of: int | None = None,
    ) -> Obligation:
        met_on = self.known(met_on)
        return Obligation(
            key=key,
            kind=kind,
            lifecycle=lifecycle,
            subject=subject,
            assignee=assignee,
            assignee_role=assignee_role,
            opens_on=opens_on,
            due=max(due, opens_on),
            status=self.status(max(due, opens_on), met_on),
            rule=rule.id,
            source=source or rule.source,
            rule_text=text or rule.text,
            met_on=met_on,
            escalates=escalates,
            note=note,
            of=of,
        )
