"""The version a printed observation or annual review carries: how many times
it has been saved (planned or first signed, each part written or rewritten,
each signature, the line manager's acknowledgement). Those tables keep no
revision of their own, so the count is read from the audit trail, where each
saved change is one entry (models/actions/observations.py, reviews.py); a
record that came in without its history (loaded or imported) counts what it
holds: its creation, its written parts and its signatures."""

from __future__ import annotations

from sqlalchemy import func, select

from models import AuditEntry, Observation, ReviewQuestionnaire
from webapp.database import db_session

__all__ = ["observation_version", "review_version"]


def observation_version(observation: Observation) -> int:
    content = observation.content or {}
    held = 1 + len(content.get("parts") or {}) + len(observation.signatures)
    return max(held, _saved_changes("observation", observation.id, observation.staff_id))


def review_version(questionnaire: ReviewQuestionnaire, supervisee_id: int) -> int:
    answers = questionnaire.answers or {}
    held = len(answers.get("signatures") or {}) + (1 if answers.get("acknowledged_on") else 0)
    saved = _saved_changes("review_questionnaire", questionnaire.id, supervisee_id)
    return max(held, 1, saved)


def _saved_changes(object_type: str, object_id: int, subject_staff_id: int) -> int:
    """The audit entries that changed the record (every entry but a read),
    found through the person it is about (the trail's index)."""
    return db_session().scalar(
        select(func.count()).where(
            AuditEntry.subject_staff_id == subject_staff_id,
            AuditEntry.object_type == object_type,
            AuditEntry.object_id == str(object_id),
            AuditEntry.action != "read",
        )
    )
