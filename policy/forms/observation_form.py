"""A council's observation forms (observation_form.yaml): for each kind of
observation its policy owes (`practice`, `supervision`), where the form comes
from, what the planning page says, and the parts of the form in order: who
writes each (the observer or the person observed), whether it is written
after the observation, its heading, its questions, the title of the human
task that asks for it and the policy words that task quotes.

    practice:
      source: "000_b775b8e7712f1ef5.txt §1.16; Appendix A, Practice Observation"
      rule: observation.practice
      guidance: Supervisors should observe supervisee's practice ...
      with_family: {question: ..., message: ...}      # practice only
      signing: "Supervisor's signature and date; supervisee's signature and date."
      parts:
        - key: before
          author: observed
          after_observation: false
          heading: To be completed by the supervisee before the observation
          task_text: To be completed by the supervisee before the observation.
          title: Prepare for your practice observation on {date}
          family_consent: {label: ..., message: ...}  # asked when with families
          questions:
            - {key: situation, label: ..., message: ..., hint: ...}

A title may use {observed} (the person observed) and {date} (the day of the
observation, written out)."""

from __future__ import annotations

from dataclasses import dataclass

from policy.documents import (
    DocumentError,
    document_schema,
    mapping,
    sequence,
    text,
)

KINDS = ("practice", "supervision")
AUTHORS = ("observer", "observed")
TITLE_FIELDS = ("{observed}", "{date}")
# Names a part's answers are stored beside, and the form's own fields.
RESERVED = {"family_consent", "completed_on", "by", "submit", "csrf_token"}


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    message: str  # shown when it is left empty
    hint: str = ""


@dataclass(frozen=True)
class Consent:
    """A box the author ticks when the observation is with children and families."""

    label: str
    message: str


@dataclass(frozen=True)
class Part:
    key: str
    author: str  # "observer" or "observed"
    after_observation: bool  # may only be written on or after the day of the observation
    heading: str
    task_text: str  # the policy's words on the human task that asks for it
    title: str  # that task's title: {observed} and {date} are filled in
    questions: tuple[Question, ...]
    family_consent: Consent | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.questions)


@dataclass(frozen=True)
class WithFamily:
    """The planning question: is the practice observed with children and families?"""

    question: str
    message: str


@dataclass(frozen=True)
class Form:
    kind: str
    source: str
    rule: str
    guidance: str  # what the planning page says the policy asks for
    signing: str  # the policy's words on the human tasks that ask for the signatures
    parts: tuple[Part, ...]
    with_family: WithFamily | None = None

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    def after(self, key: str) -> tuple[Part, ...]:
        """The parts that come after this one."""
        keys = [p.key for p in self.parts]
        return self.parts[keys.index(key) + 1 :]


@dataclass(frozen=True)
class ObservationForms:
    forms: tuple[Form, ...]

    def form(self, kind: str) -> Form | None:
        return next((f for f in self.forms if f.kind == kind), None)


@document_schema("observation_form")
def observation_form(data) -> ObservationForms:
    mapping(data, "", dict.fromkeys(KINDS, False))
    if not data:
        raise DocumentError("(top level)", f"expected a form for at least one of {list(KINDS)}")
    return ObservationForms(tuple(_form(kind, data[kind], kind) for kind in KINDS if kind in data))


def _form(kind: str, value, where: str) -> Form:
    fields = {
        "source": True,
        "rule": True,
        "guidance": True,
        "signing": True,
        "parts": True,
        "with_family": False,
    }
    mapping(value, where, fields)
    parts = tuple(
        _part(item, f"{where}.parts[{n}]") for n, item in enumerate(sequence(value["parts"], where))
    )
    keys = [p.key for p in parts]
    if len(set(keys)) != len(keys):
        raise DocumentError(f"{where}.parts", "each part needs a key of its own")
    with_family = value.get("with_family")
    if with_family is not None:
        mapping(with_family, f"{where}.with_family", {"question": True, "message": True})
        with_family = WithFamily(
            text(with_family["question"], f"{where}.with_family.question"),
            text(with_family["message"], f"{where}.with_family.message"),
        )
    return Form(
        kind=kind,
        source=text(value["source"], f"{where}.source"),
        rule=text(value["rule"], f"{where}.rule"),
        guidance=text(value["guidance"], f"{where}.guidance"),
        signing=text(value["signing"], f"{where}.signing"),
        parts=parts,
        with_family=with_family,
    )


def _part(value, where: str) -> Part:
    fields = {
        "key": True,
        "author": True,
        "after_observation": True,
        "heading": True,
        "task_text": True,
        "title": True,
        "questions": True,
        "family_consent": False,
    }
    mapping(value, where, fields)
    author = value["author"]
    if author not in AUTHORS:
        raise DocumentError(f"{where}.author", f"expected one of {list(AUTHORS)}")
    if not isinstance(value["after_observation"], bool):
        raise DocumentError(f"{where}.after_observation", "expected true or false")
    questions = tuple(
        _question(item, f"{where}.questions[{n}]")
        for n, item in enumerate(sequence(value["questions"], f"{where}.questions"))
    )
    if len({q.key for q in questions}) != len(questions):
        raise DocumentError(f"{where}.questions", "each question needs a key of its own")
    consent = value.get("family_consent")
    if consent is not None:
        mapping(consent, f"{where}.family_consent", {"label": True, "message": True})
        consent = Consent(
            text(consent["label"], f"{where}.family_consent.label"),
            text(consent["message"], f"{where}.family_consent.message"),
        )
    return Part(
        key=_name(value["key"], f"{where}.key"),
        author=author,
        after_observation=value["after_observation"],
        heading=text(value["heading"], f"{where}.heading"),
        task_text=text(value["task_text"], f"{where}.task_text"),
        title=_title(value["title"], f"{where}.title"),
        questions=questions,
        family_consent=consent,
    )


def _question(value, where: str) -> Question:
    mapping(value, where, {"key": True, "label": True, "message": True, "hint": False})
    hint = value.get("hint")
    return Question(
        key=_name(value["key"], f"{where}.key"),
        label=text(value["label"], f"{where}.label"),
        message=text(value["message"], f"{where}.message"),
        hint=text(hint, f"{where}.hint") if hint is not None else "",
    )


def _name(value, where: str) -> str:
    """A part's or question's key: lower case letters and underscores (it
    names a form field and the stored answer)."""
    name = text(value, where)
    if not name.replace("_", "").isalpha() or not name.islower():
        raise DocumentError(where, "expected lower case letters and underscores, e.g. outcomes")
    if name in RESERVED:
        raise DocumentError(where, f"{name!r} is a name the form uses itself")
    return name


def _title(value, where: str) -> str:
    title = text(value, where)
    try:
        title.format(observed="", date="")
    except (KeyError, IndexError, ValueError):
        raise DocumentError(where, f"a title may use only {', '.join(TITLE_FIELDS)}") from None
    return title
