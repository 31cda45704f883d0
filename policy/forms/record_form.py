"""A council's supervision record (record_form.yaml beside its rules): the
record's agenda as its document words it, for practitioners and, where the
document has a separate form, for managers; how long a session lasts; whether
the supervisee is owed the year's schedule of sessions; and the models of
group reflective supervision where the council's rules owe it. The web app
builds the record form from it; section text is stored in
SupervisionSession.record["sections"] under each section's key, further
questions' answers in record["extra"].

    sessions:
      minutes: 90                  # the planned length, and the form's default
      source: '001_223e21d801bb36c8.txt §1.4: "a minimum duration of 90 minutes"'
      asye_reflective_minutes: 60  # optional (default 60): an ASYE reflective session
      schedule_required: '001_...txt §2.4'  # optional: the document owes the
                                   # supervisee the year's schedule; its citation
      minimum_minutes: 90          # optional: the shortest session the document
                                   # allows (absent: it sets none); shorter is flagged
      minimum_asye_minutes: 60     # optional: an ASYE session's minimum (default
                                   # minimum_minutes)
      minimum_source: '001_...txt §1.4'  # required with minimum_minutes
      minimum_note: ...            # optional: the reading taken where the words are loose
    worker:                        # the record's agenda for practitioners
      name: Supervision Record (P/SUP/3a)
      source: 001_223e21d801bb36c8.txt §1.5
      note: ...                    # optional: where the document is silent
      review_section: workload     # the section last time's actions are reviewed under
      cases_section: workload      # the section case discussions are recorded under
      sections:                    # in the form's order
        - {key: workload, title: 1. Workload management, hint: ...}
      questions: [...]             # optional further questions, as sections
    manager: {...}                 # optional: the managers' agenda (default: worker's)
    group_supervision:             # optional: where rules.yaml has supervision.group
      intro: Practitioners ... should have group or peer reflective supervision ...
      source: 002_d53851039f9fa32d.txt §6.1-6.5. ...   # the page's citation
      models_hint: 'Bristol §6.3: group supervision is set up ... one of these models.'
      models: {key: label, ...}    # the models the document names, in its words

    form = record_form(load_profile("bristol"))
    form.agenda_for("team_manager").name   # "Notes of Supervision Session - Team Manager ..."
    form.sessions.minutes                  # 90"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policy.documents import DocumentError, document_schema, mapping, sequence, text, whole_number
from policy.profile import Profile

# Wokingham standard 16 ("a minimum of one hour") is the only document that
# sets the length of an ASYE reflective session; a council may set its own.
ASYE_REFLECTIVE_MINUTES = 60
# The supervisee's roles that have the managers' agenda, where a council has one.
MANAGER_ROLES = frozenset({"senior_manager", "manager", "team_manager"})
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str


@dataclass(frozen=True)
class Agenda:
    name: str  # the form's name in the document
    source: str  # seed file and paragraph
    sections: tuple[Section, ...]
    review_section: str  # the section previous actions are reviewed under
    cases_section: str  # the section case discussions are recorded under
    questions: tuple[Section, ...] = ()  # further questions on the form (Bristol)
    note: str = ""  # where the document is silent, the practice we follow

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


@dataclass(frozen=True)
class Sessions:
    minutes: int  # a session's planned length
    source: str
    asye_reflective_minutes: int = ASYE_REFLECTIVE_MINUTES
    schedule_required: str | None = None  # the citation where the year's schedule is owed
    minimum_minutes: int | None = None  # the shortest session allowed; None: no minimum
    minimum_asye_minutes: int | None = None  # an ASYE session's, where it differs
    minimum_source: str = ""
    minimum_note: str = ""

    def minimum_for(self, *, asye: bool = False) -> int | None:
        """The shortest session the document allows, for an ASYE supervisee or
        not, or None where it sets no minimum."""
        if asye and self.minimum_asye_minutes is not None:
            return self.minimum_asye_minutes
        return self.minimum_minutes


@dataclass(frozen=True)
class GroupSupervision:
    intro: str  # what the page says it is for
    source: str  # the page's citation
    models_hint: str  # where the document names the models
    models: dict[str, str]  # key -> the document's words


@dataclass(frozen=True)
class RecordForm:
    sessions: Sessions
    worker: Agenda
    manager: Agenda
    group_supervision: GroupSupervision | None = None

    def agenda_for(self, supervisee_role: str) -> Agenda:
        """The agenda for the supervisee's role (Bristol and Nottingham have a
        separate form for managers)."""
        return self.manager if supervisee_role in MANAGER_ROLES else self.worker


def record_form(profile: Profile) -> RecordForm:
    """The council's record form, session lengths and schedule, checked."""
    return profile.document("record_form")


# --- the schema -------------------------------------------------------------------------


@document_schema("record_form", required=True)
def read_record_form(data: Any) -> RecordForm:
    top = mapping(
        data,
        "",
        {"sessions": True, "worker": True, "manager": False, "group_supervision": False},
    )
    worker = _agenda(top["worker"], "worker")
    return RecordForm(
        sessions=_sessions(top["sessions"]),
        worker=worker,
        manager=_agenda(top["manager"], "manager") if "manager" in top else worker,
        group_supervision=(
            _group(top["group_supervision"]) if "group_supervision" in top else None
        ),
    )


def _sessions(value: Any) -> Sessions:
    where = "sessions"
    spec = mapping(
        value,
        where,
        {
            "minutes": True,
            "source": True,
            "asye_reflective_minutes": False,
            "schedule_required": False,
            "minimum_minutes": False,
            "minimum_asye_minutes": False,
            "minimum_source": False,
            "minimum_note": False,
        },
    )
    minutes = whole_number(spec["minutes"], f"{where}.minutes", least=5, most=600)
    return Sessions(
        minutes=minutes,
        source=text(spec["source"], f"{where}.source"),
        asye_reflective_minutes=whole_number(
            spec.get("asye_reflective_minutes", ASYE_REFLECTIVE_MINUTES),
            f"{where}.asye_reflective_minutes",
            least=5,
            most=600,
        ),
        schedule_required=(
            text(spec["schedule_required"], f"{where}.schedule_required")
            if "schedule_required" in spec
            else None
        ),
        **_minimum(spec, where, minutes),
    )


def _minimum(spec: dict, where: str, minutes: int) -> dict:
    """The shortest session the document allows: a planned session must meet it,
    and a minimum must cite where the document sets it."""
    if "minimum_minutes" not in spec:
        stray = next((f for f in ("minimum_asye_minutes", "minimum_source") if f in spec), None)
        if stray:
            raise DocumentError(f"{where}.{stray}", "given without minimum_minutes")
        return {}
    least = whole_number(spec["minimum_minutes"], f"{where}.minimum_minutes", least=5, most=600)
    if least > minutes:
        raise DocumentError(
            f"{where}.minimum_minutes",
            f"{least} is longer than the planned session ({minutes} minutes)",
        )
    if "minimum_source" not in spec:
        raise DocumentError(f"{where}.minimum_source", "missing (where the document sets it)")
    out = {
        "minimum_minutes": least,
        "minimum_source": text(spec["minimum_source"], f"{where}.minimum_source"),
    }
    if "minimum_asye_minutes" in spec:
        out["minimum_asye_minutes"] = whole_number(
            spec["minimum_asye_minutes"], f"{where}.minimum_asye_minutes", least=5, most=600
        )
    if "minimum_note" in spec:
        out["minimum_note"] = text(spec["minimum_note"], f"{where}.minimum_note")
    return out


def _agenda(value: Any, where: str) -> Agenda:
    spec = mapping(
        value,
        where,
        {
            "name": True,
            "source": True,
            "note": False,
            "review_section": True,
            "cases_section": True,
            "sections": True,
            "questions": False,
        },
    )
    sections = _sections(spec["sections"], f"{where}.sections")
    questions = _sections(spec["questions"], f"{where}.questions") if "questions" in spec else ()
    keys = [s.key for s in (*sections, *questions)]
    if len(set(keys)) != len(keys):
        twice = next(k for k in keys if keys.count(k) > 1)
        raise DocumentError(where, f"the key {twice!r} is used twice")
    for part in ("review_section", "cases_section"):
        named = text(spec[part], f"{where}.{part}")
        if named not in {s.key for s in sections}:
            raise DocumentError(f"{where}.{part}", f"{named!r} is not one of the sections' keys")
    return Agenda(
        name=text(spec["name"], f"{where}.name"),
        source=text(spec["source"], f"{where}.source"),
        sections=sections,
        review_section=spec["review_section"].strip(),
        cases_section=spec["cases_section"].strip(),
        questions=questions,
        note=text(spec["note"], f"{where}.note") if "note" in spec else "",
    )


def _sections(value: Any, where: str) -> tuple[Section, ...]:
    out = []
    for i, item in enumerate(sequence(value, where)):
        at = f"{where}[{i}]"
        spec = mapping(item, at, {"key": True, "title": True, "hint": True})
        key = text(spec["key"], f"{at}.key")
        if not _KEY.match(key):
            raise DocumentError(f"{at}.key", "expected lower-case letters, digits and _")
        out.append(
            Section(key, text(spec["title"], f"{at}.title"), text(spec["hint"], f"{at}.hint"))
        )
    return tuple(out)


def _group(value: Any) -> GroupSupervision:
    where = "group_supervision"
    spec = mapping(
        value, where, {"intro": True, "source": True, "models_hint": True, "models": True}
    )
    models = spec["models"]
    if not isinstance(models, dict) or not models:
        raise DocumentError(f"{where}.models", "expected a mapping of key: the model's name")
    for key, label in models.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise DocumentError(f"{where}.models", f"{key!r}: expected lower-case letters and _")
        text(label, f"{where}.models.{key}")
    return GroupSupervision(
        intro=text(spec["intro"], f"{where}.intro"),
        source=text(spec["source"], f"{where}.source"),
        models_hint=text(spec["models_hint"], f"{where}.models_hint"),
        models={key: label.strip() for key, label in models.items()},
    )
