"""What every rule family needs: the facts as known on the as-of date, the
people around a supervisee, and one way to build an obligation and its status.

Facts dated after as_of are ignored, so computing "as of" a past day gives the
answer the engine would have given that day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from policy.facts import Agreement, Facts, Relationship, Staff
from policy.obligations import Obligation, ObligationStatus
from policy.profile import Profile, Rule


@dataclass(frozen=True)
class Context:
    profile: Profile
    facts: Facts
    as_of: date

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

    def relationship_of(self, supervisee: str, on: date | None = None) -> Relationship | None:
        """The supervisee's relationship in force on a day (the latest started, if several)."""
        on = on or self.as_of
        current = [
            r
            for r in self.facts.relationships
            if r.supervisee == supervisee and self.relationship_active(r, on)
        ]
        return max(current, key=lambda r: (r.started_on, r.id), default=None)

    def line_manager_of(self, staff_id: str | None) -> str | None:
        person = self.staff.get(staff_id) if staff_id else None
        return person.line_manager if person else None

    def agreements_for(self, rel: Relationship) -> list[Agreement]:
        """Agreement versions belonging to a relationship, earliest first. One
        without a relationship id belongs to the relationship whose parties it
        names if it was signed on or after that relationship started."""

        def first_signature(a: Agreement) -> date | None:
            return a.supervisor_signed_on or a.signed_on

        def belongs(a: Agreement) -> bool:
            if a.relationship is not None:
                return a.relationship == rel.id
            signed = first_signature(a)
            return (
                a.supervisor == rel.supervisor
                and a.supervisee == rel.supervisee
                and signed is not None
                and signed >= rel.started_on
            )

        own = [a for a in self.facts.agreements if belongs(a) and self.known(first_signature(a))]
        return sorted(own, key=lambda a: (first_signature(a), a.signed_on or date.max))

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
        )
