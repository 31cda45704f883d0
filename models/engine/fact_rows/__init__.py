"""Rows to engine facts, one reader per kind of fact. Each takes the rows'
scope as a WHERE clause, so the whole-organisation loader (models/engine/facts_loader.py)
and the batch loader (models/engine/unit_facts.py) read facts the same way. How each
fact is read from the tables is described in models/engine/facts_loader.py.

The readers live by what they read: people, supervision, casework, oversight."""

from models.engine.fact_rows.actions import action_facts
from models.engine.fact_rows.case_oversight import case_oversight_facts
from models.engine.fact_rows.casework import (
    allocation_refs,
    audit_facts,
    case_facts_for,
    decision_facts,
    open_allocations,
)
from models.engine.fact_rows.missed_sessions import missed_session_facts
from models.engine.fact_rows.oversight import (
    absence_facts,
    asye_review_facts,
    hours_facts,
    observation_facts,
    sampling_facts,
)
from models.engine.fact_rows.people import (
    registration_renews_on,
    relationship_facts,
    staff_facts,
)
from models.engine.fact_rows.record_audits import record_audit_facts
from models.engine.fact_rows.supervision import (
    agreement_facts,
    group_agreement_facts,
    of_current_record,
    questionnaire_facts,
    session_facts,
)

__all__ = [
    "absence_facts",
    "action_facts",
    "agreement_facts",
    "allocation_refs",
    "asye_review_facts",
    "audit_facts",
    "case_facts_for",
    "case_oversight_facts",
    "decision_facts",
    "group_agreement_facts",
    "hours_facts",
    "missed_session_facts",
    "observation_facts",
    "of_current_record",
    "open_allocations",
    "questionnaire_facts",
    "record_audit_facts",
    "registration_renews_on",
    "relationship_facts",
    "sampling_facts",
    "session_facts",
    "staff_facts",
]
