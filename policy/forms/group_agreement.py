"""A council's group supervision agreement (group_agreement.yaml beside its
rules; Lancashire's is Appendix A's "Group Supervision Agreement"): the
form's preamble, the names it gives the parties who sign it, the team, venue
and frequency questions and their limits, the answers in the form's order,
the statement read before signing, the declaration and the review note.

A council whose rules have `agreement.group` has one; the web form and the
group actions read their wording and limits from it:

    document = group_agreement(load_profile("lancashire"))
    document.parties.coordinator.label   # "Team coordinator"
    document.least_supervisees           # 2"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policy.documents import document_schema, mapping, sequence, text, whole_number
from policy.forms.agreement_form import AgreementField, Purpose, read_field, read_purpose
from policy.profile import Profile, ProfileError

# The form's own parts: an answer of the document may not take their names.
RESERVED = frozenset(
    {
        "amendment_reason",
        "based_on",
        "name",
        "team_id",
        "venue",
        "coordinator_id",
        "supervisee_ids",
        "frequency_weeks",
        "declaration",
        "submit",
    }
)


@dataclass(frozen=True)
class Party:
    """How the form names a party who signs it."""

    label: str  # "Team coordinator"
    signature: str  # the signature line: "Team Coordinator's signature and date"
    hint: str = ""
    required_message: str = ""  # when none is chosen (the parties the supervisor names)


@dataclass(frozen=True)
class Parties:
    supervisor: Party
    coordinator: Party
    supervisees: Party


@dataclass(frozen=True)
class GroupAgreementDocument:
    title: str
    source: str
    preamble: tuple[Purpose, ...]
    parties: Parties
    least_supervisees: int
    team_label: str
    team_message: str
    venue: AgreementField
    frequency_label: str
    frequency_hint: str
    frequency_most_weeks: int
    answers: tuple[AgreementField, ...]
    statement: str  # read before signing: what everyone must have discussed
    declaration: str
    declaration_message: str  # a named party signing without confirming it
    issuer_message: str  # the supervisor issuing it without confirming it
    review_note: str

    @property
    def frequency_message(self) -> str:
        return (
            "Enter how often the group will meet, in weeks, as a number from 1 to "
            f"{self.frequency_most_weeks}"
        )

    @property
    def supervisees_message(self) -> str:
        who = self.parties.supervisees.label.lower()
        return f"Choose at least {self.least_supervisees} {who}: this is a group agreement"


def group_agreement(profile: Profile) -> GroupAgreementDocument | None:
    """The council's group agreement, or None where its rules have no
    `agreement.group`; a council with that rule must have the document."""
    if profile.rule("agreement.group") is None:
        return None
    document = profile.document("group_agreement")
    if document is None:
        raise ProfileError(
            f"{profile.folder / 'group_agreement.yaml'}: missing (the rules have agreement.group)"
        )
    return document


# --- the schema -------------------------------------------------------------------------

_TOP = {
    "title": True,
    "source": True,
    "preamble": True,
    "parties": True,
    "team": True,
    "venue": True,
    "frequency": True,
    "answers": True,
    "statement": True,
    "declaration": True,
    "review_note": True,
}


@document_schema("group_agreement")
def read_group_agreement(data: Any) -> GroupAgreementDocument:
    top = mapping(data, "", _TOP)
    parties, least = _parties(top["parties"])
    team = mapping(top["team"], "team", {"label": True, "required": True})
    frequency = mapping(
        top["frequency"], "frequency", {"label": True, "hint": True, "most_weeks": True}
    )
    declaration = mapping(
        top["declaration"],
        "declaration",
        {"text": True, "message": True, "issuer_message": True},
    )
    seen: set[str] = set()
    answers = []
    for i, spec in enumerate(sequence(top["answers"], "answers")):
        answers.append(read_field(spec, f"answers[{i}]", seen, RESERVED))
        seen.add(answers[-1].key)
    return GroupAgreementDocument(
        title=text(top["title"], "title"),
        source=text(top["source"], "source"),
        preamble=tuple(
            read_purpose(p, f"preamble[{i}]")
            for i, p in enumerate(sequence(top["preamble"], "preamble"))
        ),
        parties=parties,
        least_supervisees=least,
        team_label=text(team["label"], "team.label"),
        team_message=text(team["required"], "team.required"),
        venue=_venue(top["venue"]),
        frequency_label=text(frequency["label"], "frequency.label"),
        frequency_hint=text(frequency["hint"], "frequency.hint"),
        frequency_most_weeks=whole_number(frequency["most_weeks"], "frequency.most_weeks", least=1),
        answers=tuple(answers),
        statement=text(top["statement"], "statement"),
        declaration=text(declaration["text"], "declaration.text"),
        declaration_message=text(declaration["message"], "declaration.message"),
        issuer_message=text(declaration["issuer_message"], "declaration.issuer_message"),
        review_note=text(top["review_note"], "review_note"),
    )


def _party(value: Any, where: str, **more: bool) -> tuple[Party, dict]:
    party = mapping(value, where, {"label": True, "signature": True, **more})
    named = Party(
        label=text(party["label"], f"{where}.label"),
        signature=text(party["signature"], f"{where}.signature"),
        hint=text(party["hint"], f"{where}.hint") if "hint" in party else "",
        required_message=text(party["required"], f"{where}.required")
        if "required" in party
        else "",
    )
    return named, party


def _parties(value: Any) -> tuple[Parties, int]:
    """The supervisor signs as they issue it; the coordinator and the
    supervisees are chosen on the form, so the form asks for them."""
    where = "parties"
    parties = mapping(value, where, {"supervisor": True, "coordinator": True, "supervisees": True})
    supervisor, _ = _party(parties["supervisor"], f"{where}.supervisor")
    coordinator, _ = _party(
        parties["coordinator"], f"{where}.coordinator", hint=True, required=True
    )
    supervisees, given = _party(parties["supervisees"], f"{where}.supervisees", least=True)
    least = whole_number(given["least"], f"{where}.supervisees.least", least=2)
    return Parties(supervisor, coordinator, supervisees), least


def _venue(value: Any) -> AgreementField:
    venue = mapping(
        value, "venue", {"label": True, "hint": True, "required": True, "most_characters": True}
    )
    return AgreementField(
        key="venue",
        label=text(venue["label"], "venue.label"),
        hint=text(venue["hint"], "venue.hint"),
        required_message=text(venue["required"], "venue.required"),
        multiline=False,
        most_characters=whole_number(venue["most_characters"], "venue.most_characters", least=1),
    )
