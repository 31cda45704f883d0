"""A council's audit of supervision records (record_audit.yaml): the questions
the auditing manager answers about a supervisor's supervision files, the
answers they choose from, what they write as findings, and what the page says
about where the audit goes next. Only a council whose rules owe the audit
(`record_audit`) needs one; the questions are the council's, never the code's.

    source: "003_a24710131ec71e13.txt Quality Assurance, Supervision Audits"
    audited_by: The supervisor's line manager ...
    answers: [{value: "yes", label: "Yes"}, {value: "no", label: "No", shortfall: true}, ...]
    questions:
      - {id: agreement_signed, text: "...", cite: "§2.1"}
    findings: {label: ..., hint: ..., message: ...}
    afterwards: Discuss the audit with the supervisor and place it on their file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy.documents import DocumentError, document_schema, mapping, sequence, text

_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Answer:
    value: str  # what is stored, e.g. "no"
    label: str  # what the form shows, e.g. "No"
    shortfall: bool  # this answer means the file falls short of the policy


@dataclass(frozen=True)
class Question:
    id: str  # the answer's key in the stored audit
    text: str
    cite: str  # the paragraph the question checks


@dataclass(frozen=True)
class RecordAuditForm:
    source: str
    audited_by: str  # who audits, in the document's words
    answers: tuple[Answer, ...]
    questions: tuple[Question, ...]
    findings_label: str
    findings_hint: str
    findings_message: str  # shown when the findings are left empty
    afterwards: str  # what happens to the audit once it is recorded

    def answer(self, value: str) -> Answer | None:
        return next((a for a in self.answers if a.value == value), None)

    def shortfalls(self, answers: dict[str, str]) -> int:
        """How many questions were answered with an answer that marks a shortfall."""
        return sum(1 for a in self.answers if a.shortfall for v in answers.values() if v == a.value)


def _answers(value) -> tuple[Answer, ...]:
    out = []
    for n, item in enumerate(sequence(value, "answers")):
        where = f"answers[{n}]"
        mapping(item, where, {"value": True, "label": True, "shortfall": False})
        shortfall = item.get("shortfall", False)
        if not isinstance(shortfall, bool):
            raise DocumentError(f"{where}.shortfall", "expected true or false")
        out.append(
            Answer(
                _identifier(item["value"], f"{where}.value"),
                text(item["label"], f"{where}.label"),
                shortfall,
            )
        )
    if len(out) < 2 or len({a.value for a in out}) != len(out):
        raise DocumentError("answers", "expected at least two answers with different values")
    if not any(a.shortfall for a in out):
        raise DocumentError("answers", "expected one answer marked shortfall: true")
    return tuple(out)


def _identifier(value, where: str) -> str:
    word = text(value, where)
    if not _ID.fullmatch(word):
        raise DocumentError(where, "expected lower case letters, digits and underscores")
    return word


def _questions(value) -> tuple[Question, ...]:
    out = []
    for n, item in enumerate(sequence(value, "questions")):
        where = f"questions[{n}]"
        mapping(item, where, {"id": True, "text": True, "cite": True})
        out.append(
            Question(
                _identifier(item["id"], f"{where}.id"),
                text(item["text"], f"{where}.text"),
                text(item["cite"], f"{where}.cite"),
            )
        )
    if len({q.id for q in out}) != len(out):
        raise DocumentError("questions", "each question needs an id of its own")
    return tuple(out)


@document_schema("record_audit")
def record_audit(data) -> RecordAuditForm:
    fields = dict.fromkeys(("source", "audited_by", "answers", "questions", "findings"), True)
    mapping(data, "", {**fields, "afterwards": True})
    findings = mapping(data["findings"], "findings", {"label": True, "hint": True, "message": True})
    return RecordAuditForm(
        source=text(data["source"], "source"),
        audited_by=text(data["audited_by"], "audited_by"),
        answers=_answers(data["answers"]),
        questions=_questions(data["questions"]),
        findings_label=text(findings["label"], "findings.label"),
        findings_hint=text(findings["hint"], "findings.hint"),
        findings_message=text(findings["message"], "findings.message"),
        afterwards=text(data["afterwards"], "afterwards"),
    )
