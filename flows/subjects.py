"""What one run of a flow can be about (the whole organisation, or one
relationship, person or case: a `Subject`) and the outbox events that start
one (a `Listen`, built from models/events.py), for the rows of flows/table.py."""

from __future__ import annotations

from dataclasses import dataclass

from models import events
from models.events import Event


@dataclass(frozen=True)
class Subject:
    """What one run can be about: the flow's parameter that takes it, the kind
    of resource the events about it name (models/events.py ABOUT), and how the
    command line, a run's name and the Prefect UI say it."""

    parameter: str
    type: type
    about: str
    option: str
    run_name: str
    help: str
    noun: str  # as the trigger's name in the Prefect UI says it
    # A case ID is unique only within its organisation, so a run for one names both.
    within_organisation: bool = False


ORGANISATION = Subject(
    "organisation_id", int, "organisation", "--organisation", "org",
    "run for this one organisation only", "organisation",
)  # fmt: skip
RELATIONSHIP = Subject(
    "relationship_id", int, "relationship", "--relationship", "rel",
    "run for this one supervision relationship only", "supervision relationship",
)  # fmt: skip
STAFF = Subject(
    "staff_id", int, "staff", "--staff", "staff",
    "run for this one member of staff only", "member of staff",
)  # fmt: skip
CASE = Subject(
    "case_ref", str, "case", "--case", "case",
    "run for this one child's case only (its case ID)", "child's case",
    within_organisation=True,
)  # fmt: skip
# A run is about the whole organisation or at most one of these, in this order.
SUBJECTS = (RELATIONSHIP, STAFF, CASE)
AS_OF_HELP = "judge as of this day, YYYY-MM-DD (default: today in Europe/London)"
CHANGED_ONLY_HELP = "only the units whose facts changed or whose dates came (the daily run)"


@dataclass(frozen=True)
class Listen:
    """Run the flow on outbox events: every event of a topic ("session": the
    "oversight.session.*" events) or single events. The run is for the subject
    the events are about (their resource), or, with `for_organisation`, for
    the organisation an event names in its payload (a group agreement
    concerns several people, a sample a whole service area)."""

    on: tuple[str | Event, ...]
    for_organisation: bool = False
    # The organisation's run looks only at what changed (an import's rows).
    changed_only: bool = False

    def events(self) -> list[Event]:
        """The declared events this listens to."""
        return [
            e for item in self.on for e in ([item] if isinstance(item, Event) else of_topic(item))
        ]

    @property
    def expect(self) -> set[str]:
        """What the trigger expects: a topic's wildcard, or an event's name."""
        return {
            item.name if isinstance(item, Event) else of_topic(item)[0].topic for item in self.on
        }

    @property
    def about(self) -> str:
        """The kind of resource its events are about: one for every event."""
        kinds = {e.about for e in self.events()}
        if len(kinds) != 1:
            raise ValueError(f"{self.on} are about {sorted(kinds)}; a trigger matches one kind")
        return kinds.pop()

    @property
    def label(self) -> str:
        """Its topics and events as the trigger's name in the Prefect UI says them."""
        names = [i.name.removeprefix(f"{events.PREFIX}.") if isinstance(i, Event) else i
                 for i in self.on]  # fmt: skip
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)


def of_topic(topic: str) -> list[Event]:
    """The declared events of a topic ("session": "oversight.session.recorded", ...)."""
    wildcard = f"{events.PREFIX}.{topic}.*"
    found = [e for e in events.EVENTS.values() if e.topic == wildcard]
    if not found:
        raise ValueError(f"No event of topic {topic!r} is declared in models/events.py")
    return found


def listen(*on: str | Event, for_organisation: bool = False, changed_only: bool = False) -> Listen:
    return Listen(tuple(on), for_organisation, changed_only)
