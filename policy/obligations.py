"""What the engine says is owed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ObligationStatus(StrEnum):
    UPCOMING = "upcoming"  # owed, due later than the profile's due-soon window
    DUE = "due"  # owed, due within the window (or today)
    OVERDUE = "overdue"  # owed, past its due date
    MET = "met"  # satisfied; reported so a reconcile can close its human task


@dataclass(frozen=True)
class Obligation:
    key: str  # stable across runs, e.g. "agreement:rel-42"
    kind: str  # agreement, agreement_countersign, escalation, supervision, ...
    lifecycle: str  # the flow that owns it: "agreement", "personal_supervision", ...
    subject: str  # the relationship, person or case it is about ("rel-42")
    assignee: str | None  # staff id of the person who must act, when one person must
    assignee_role: str  # supervisor, supervisee, line_manager, head_of_service, ...
    opens_on: date  # the event that created it; nothing falls due before this
    due: date
    status: ObligationStatus
    rule: str  # rule id within the profile, e.g. "agreement.deadline"
    source: str  # citation: seed file and paragraph, e.g. "000_b775b8e7712f1ef5.txt §1.4"
    rule_text: str = ""  # the rule in the document's words, for the inbox's "why"
    met_on: date | None = None
    escalates: str | None = None  # for an escalation: the key of the obligation escalated
    note: str = ""  # human-readable detail, e.g. whose case file is next on an audit rota
    of: int | None = None  # a numbered obligation's series size: observation 2 "of 3" this year

    def as_json(self) -> dict:
        data = {f: getattr(self, f) for f in self.__dataclass_fields__}
        for name in ("opens_on", "due", "met_on"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        data["status"] = self.status.value
        return data
