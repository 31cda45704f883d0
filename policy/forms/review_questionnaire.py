"""A council's annual review questionnaire (review_questionnaire.yaml): the
statements the supervisee answers, the answers they choose from, the short
lists they fill in, what the supervisor adds when they sign, and the wording
of the forwarded copy's human task. Only a council whose rules owe the
questionnaire (agreement.review_questionnaire) needs one.

    source: "000_b775b8e7712f1ef5.txt §1.4; Appendix A, Supervision Annual Review"
    answers: [Usually, Sometimes, Never]
    statements:
      - Is based on a negotiated supervision agreement
    lists:
      - {key: improve, label: The areas which my supervision could improve are}
    list_items: 3
    forwarding: A copy of this completed form should be forwarded to ...
    findings: {label: ..., hint: ..., message: ...}
    read_task: {title: "Read the annual supervision review for {supervisor} and {supervisee}",
                text: ...}"""

from __future__ import annotations

from dataclasses import dataclass

from policy.documents import (
    DocumentError,
    document_schema,
    mapping,
    sequence,
    text,
    whole_number,
)


@dataclass(frozen=True)
class Findings:
    """What the supervisor writes when they sign: what they found, and how
    they will address the issues raised."""

    label: str
    hint: str
    message: str  # shown when it is left empty


@dataclass(frozen=True)
class ReviewQuestionnaire:
    source: str
    statements: tuple[str, ...]
    answers: tuple[str, ...]
    lists: tuple[tuple[str, str], ...]  # (key, label)
    list_items: int  # how many lines each list has
    forwarding: str  # the form's note that a copy goes to the supervisor's line manager
    findings: Findings
    read_title: str  # {supervisor} and {supervisee} are filled in
    read_text: str

    @property
    def answers_in_words(self) -> str:
        """ "Usually, Sometimes or Never"."""
        *first, last = self.answers
        return f"{', '.join(first)} or {last}" if first else last


@document_schema("review_questionnaire")
def review_questionnaire(data) -> ReviewQuestionnaire:
    fields = {
        "source": True,
        "answers": True,
        "statements": True,
        "lists": True,
        "list_items": True,
        "forwarding": True,
        "findings": True,
        "read_task": True,
    }
    mapping(data, "", fields)
    answers = tuple(
        text(a, f"answers[{n}]") for n, a in enumerate(sequence(data["answers"], "answers"))
    )
    if len(answers) < 2 or len(set(answers)) != len(answers):
        raise DocumentError("answers", "expected at least two different answers")
    statements = tuple(
        text(s, f"statements[{n}]")
        for n, s in enumerate(sequence(data["statements"], "statements"))
    )
    findings = mapping(data["findings"], "findings", {"label": True, "hint": True, "message": True})
    read = mapping(data["read_task"], "read_task", {"title": True, "text": True})
    return ReviewQuestionnaire(
        source=text(data["source"], "source"),
        statements=statements,
        answers=answers,
        lists=_lists(data["lists"]),
        list_items=whole_number(data["list_items"], "list_items", least=1, most=10),
        forwarding=text(data["forwarding"], "forwarding"),
        findings=Findings(
            text(findings["label"], "findings.label"),
            text(findings["hint"], "findings.hint"),
            text(findings["message"], "findings.message"),
        ),
        read_title=_read_title(read["title"]),
        read_text=text(read["text"], "read_task.text"),
    )


def _lists(value) -> tuple[tuple[str, str], ...]:
    out = []
    for n, item in enumerate(sequence(value, "lists")):
        where = f"lists[{n}]"
        mapping(item, where, {"key": True, "label": True})
        key = text(item["key"], f"{where}.key")
        if not key.replace("_", "").isalpha() or not key.islower():
            raise DocumentError(f"{where}.key", "expected lower case letters and underscores")
        out.append((key, text(item["label"], f"{where}.label")))
    if len({key for key, _label in out}) != len(out):
        raise DocumentError("lists", "each list needs a key of its own")
    return tuple(out)


def _read_title(value) -> str:
    title = text(value, "read_task.title")
    try:
        title.format(supervisor="", supervisee="")
    except (KeyError, IndexError, ValueError):
        raise DocumentError(
            "read_task.title", "a title may use only {supervisor} and {supervisee}"
        ) from None
    return title
