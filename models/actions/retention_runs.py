"""Retention for a whole organisation: supervision records are deleted when
the profile's period after someone left is over (Nottingham 001 §3.5, 5
years), by models.actions.retention.delete_expired_records, one person per
transaction, each leaving an audit entry that says what was deleted and when,
never the content. Form drafts nobody came back to are deleted too
(models.actions.drafts.DRAFT_KEPT_DAYS)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import sessionmaker

from models.actions.drafts import discard_stale_drafts
from models.actions.retention import delete_expired_records


@dataclass(frozen=True)
class RetentionCounts:
    organisation_id: int
    as_of: date
    people: int
    deleted: dict[str, int] = field(default_factory=dict)  # record type -> how many

    def report_lines(self) -> list[str]:
        if not self.people:
            return ["No supervision records were due for deletion."]
        what = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in self.deleted.items())
        return [
            f"Deleted the supervision records of {self.people} person(s) whose retention "
            f"period is over: {what or 'no records were held'}."
        ]


def delete_organisation_records(
    organisation_id: int, as_of: date, session_factory: sessionmaker | None = None
) -> RetentionCounts:
    result = delete_expired_records(organisation_id, as_of, session_factory=session_factory)
    totals: Counter = Counter()
    for counts in result.deleted.values():
        totals.update(counts)
    if drafts := discard_stale_drafts(organisation_id, as_of, session_factory):
        totals["form_draft"] = drafts
    return RetentionCounts(
        organisation_id, as_of, len(result.deleted), dict(sorted(totals.items()))
    )
