"""A council's supervision agreement form (agreement_form.yaml beside its
rules): the document's preamble, the frequency question and its limits, the
sections and fields in the form's order with their hints and suggested text,
the declaration both parties confirm, and what the document says about
varying the frequency. The web app builds the form from it; the answers are
stored in SupervisionAgreement.content under each field's key.

    definition = agreement_definition(load_profile("lancashire"))
    definition.sections[0].fields[0].label   # "Length of supervision"
    definition.frequency_max_weeks            # 6, from the rules' cadences

`frequency.most_weeks` is a number, or `loosest cadence`: the least frequent
supervision any role's cadence in rules.yaml allows (Lancashire §1.10's table
ends at 6 weeks), so the limit is written once, in the rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from policy.documents import DocumentError, document_schema, mapping, sequence, text, whole_number
from policy.facts import ROLES
from policy.profile import Profile, ProfileError
from policy.variation import personal_cadence

LOOSEST_CADENCE = "loosest cadence"
MAX_ANSWER = 5000  # characters, where a field sets no limit of its own
# The form's own parts: a field of the document may not take their names.
RESERVED = frozenset(
    {"frequency_weeks", "variation_reason", "amendment_reason", "declaration", "submit"}
)
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class AgreementField:
    key: str
    label: str
    hint: str
    required_message: str | None  # None: optional
    multiline: bool = True
    # The document's suggested text, offered on a new agreement. "{supervisor}"
    # and "{supervisee}" are filled in with the parties' names.
    suggested: str = ""
    # Asked only of a variation: required (with `required_message`) when the
    # agreed frequency differs from the policy's, and kept in the content only then.
    variation_only: bool = False
    most_characters: int = MAX_ANSWER

    @property
    def heading(self) -> str:
        return self.label.removesuffix(" (optional)")


@dataclass(frozen=True)
class Section:
    heading: str | None
    fields: tuple[AgreementField, ...]


@dataclass(frozen=True)
class Purpose:
    """A paragraph of the form's preamble, with its bullet points."""

    text: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variation:
    """What the document says about varying the frequency, for the messages:
    `floor` when a frequency is refused, `reason` when one is recorded."""

    floor_cite: str
    floor_quote: str
    reason_cite: str
    reason_quote: str


@dataclass(frozen=True)
class AgreementDefinition:
    title: str  # the form's own name
    source: str  # seed file and appendix or paragraph
    purpose: tuple[Purpose, ...]
    frequency_label: str
    frequency_hint: str
    sections: tuple[Section, ...]
    declaration: str  # the checkbox both parties confirm
    declaration_intro: str
    declaration_message: str
    review_note: str
    variation: Variation | None
    frequency_min_weeks: int = 1
    frequency_max_weeks: int | None = None  # None until read with the rules: loosest cadence
    note: str = ""  # where the document gives no form: what we follow instead
    profile: str = ""  # the council, once read through agreement_definition

    @property
    def fields(self) -> tuple[AgreementField, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def field_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def frequency_message(self) -> str:
        return (
            "Enter how often supervision will happen, in weeks, as a number from "
            f"{self.frequency_min_weeks} to {self.frequency_max_weeks}"
        )

    def suggested(self, key: str, *, supervisor: str, supervisee: str) -> str:
        spec = next((f for f in self.fields if f.key == key), None)
        if spec is None or not spec.suggested:
            return ""
        return spec.suggested.format(supervisor=supervisor, supervisee=supervisee)


def agreement_definition(profile: Profile) -> AgreementDefinition:
    """The council's agreement form, its frequency limit read from its rules
    where the form says `loosest cadence`."""
    definition: AgreementDefinition = profile.document("agreement_form")
    most = definition.frequency_max_weeks
    if most is None:
        most = loosest_weeks(profile)
    return replace(definition, profile=profile.name, frequency_max_weeks=most)


def loosest_weeks(profile: Profile) -> int:
    """The least frequent supervision, in whole weeks, that any role's cadence
    (with its recorded variation) allows under the profile's rules."""
    weeks = [personal_cadence(profile, role).loosest_weeks for role in ROLES]
    known = [w for w in weeks if w is not None]
    if not known:
        raise ProfileError(
            f"{profile.folder / 'agreement_form.yaml'}: frequency.most_weeks: "
            f"{LOOSEST_CADENCE!r}, but the council's rules set no supervision cadence"
        )
    return max(known)


# --- the schema -------------------------------------------------------------------------


@document_schema("agreement_form", required=True)
def read_agreement_form(data: Any) -> AgreementDefinition:
    top = mapping(
        data,
        "",
        {
            "title": True,
            "source": True,
            "note": False,
            "purpose": True,
            "frequency": True,
            "sections": True,
            "declaration": True,
            "review_note": True,
            "variation": False,
        },
    )
    least, most, label, hint = _frequency(top["frequency"])
    declaration = mapping(
        top["declaration"], "declaration", {"text": True, "intro": True, "message": True}
    )
    return AgreementDefinition(
        title=text(top["title"], "title"),
        source=text(top["source"], "source"),
        note=text(top["note"], "note") if "note" in top else "",
        purpose=tuple(
            read_purpose(p, f"purpose[{i}]")
            for i, p in enumerate(sequence(top["purpose"], "purpose"))
        ),
        frequency_label=label,
        frequency_hint=hint,
        frequency_min_weeks=least,
        frequency_max_weeks=most,
        sections=_sections(top["sections"]),
        declaration=text(declaration["text"], "declaration.text"),
        declaration_intro=text(declaration["intro"], "declaration.intro"),
        declaration_message=text(declaration["message"], "declaration.message"),
        review_note=text(top["review_note"], "review_note"),
        variation=_variation(top["variation"]) if "variation" in top else None,
    )


def read_purpose(value: Any, where: str) -> Purpose:
    """A paragraph of a form's preamble: its text and any bullet points."""
    part = mapping(value, where, {"text": True, "bullets": False})
    bullets = sequence(part["bullets"], f"{where}.bullets") if "bullets" in part else []
    return Purpose(
        text(part["text"], f"{where}.text"),
        tuple(text(b, f"{where}.bullets[{i}]") for i, b in enumerate(bullets)),
    )


def _frequency(value: Any) -> tuple[int, int | None, str, str]:
    where = "frequency"
    frequency = mapping(
        value, where, {"label": True, "hint": True, "least_weeks": False, "most_weeks": True}
    )
    least = whole_number(frequency.get("least_weeks", 1), f"{where}.least_weeks", least=1)
    most = frequency["most_weeks"]
    if most != LOOSEST_CADENCE:
        if isinstance(most, str):
            raise DocumentError(
                f"{where}.most_weeks", f"expected a whole number or {LOOSEST_CADENCE!r}"
            )
        most = whole_number(most, f"{where}.most_weeks", least=least)
    label, hint = (
        text(frequency["label"], f"{where}.label"),
        text(frequency["hint"], f"{where}.hint"),
    )
    return least, None if most == LOOSEST_CADENCE else most, label, hint


def _sections(value: Any) -> tuple[Section, ...]:
    sections, seen = [], set()
    for i, item in enumerate(sequence(value, "sections")):
        where = f"sections[{i}]"
        section = mapping(item, where, {"heading": False, "fields": True})
        fields = []
        for j, spec in enumerate(sequence(section["fields"], f"{where}.fields")):
            field = read_field(spec, f"{where}.fields[{j}]", seen)
            seen.add(field.key)
            fields.append(field)
        heading = text(section["heading"], f"{where}.heading") if "heading" in section else None
        sections.append(Section(heading, tuple(fields)))
    return tuple(sections)


_FIELD = {
    "key": True,
    "label": True,
    "hint": False,
    "required": False,  # the message when it is left empty; absent: optional
    "one_line": False,
    "suggested": False,
    "variation_only": False,
    "most_characters": False,
}


def read_field(
    value: Any, where: str, seen: set[str], reserved: frozenset[str] = RESERVED
) -> AgreementField:
    """One question of a form: its key (unique in the form, not one of the
    form's own parts), label, hint, required message and limits."""
    spec = mapping(value, where, _FIELD)
    key = text(spec["key"], f"{where}.key")
    if not _KEY.match(key) or key in reserved:
        raise DocumentError(
            f"{where}.key", f"{key!r}: expected a lower_case name, not one of {sorted(reserved)}"
        )
    if key in seen:
        raise DocumentError(f"{where}.key", f"{key!r} is given twice in this form")
    return AgreementField(
        key=key,
        label=text(spec["label"], f"{where}.label"),
        hint=text(spec["hint"], f"{where}.hint") if "hint" in spec else "",
        required_message=text(spec["required"], f"{where}.required")
        if "required" in spec
        else None,
        multiline=not flag(spec, "one_line", where),
        suggested=text(spec["suggested"], f"{where}.suggested") if "suggested" in spec else "",
        variation_only=flag(spec, "variation_only", where),
        most_characters=whole_number(
            spec.get("most_characters", MAX_ANSWER), f"{where}.most_characters", least=1
        ),
    )


def flag(spec: dict, name: str, where: str) -> bool:
    """An optional true/false field of a mapping (absent: false)."""
    value = spec.get(name, False)
    if not isinstance(value, bool):
        raise DocumentError(f"{where}.{name}", "expected true or false")
    return value


def _variation(value: Any) -> Variation:
    where = "variation"
    parts = mapping(value, where, {"floor": True, "reason": True})
    cited = {}
    for part in ("floor", "reason"):
        quoted = mapping(parts[part], f"{where}.{part}", {"cite": True, "quote": True})
        cited[part] = (
            text(quoted["cite"], f"{where}.{part}.cite"),
            text(quoted["quote"], f"{where}.{part}.quote"),
        )
    return Variation(*cited["floor"], *cited["reason"])
