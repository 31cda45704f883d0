"""One person's rows: their staff record and login, their supervision
relationships with each agreement version (signed at the start and re-signed
at each annual review, with the review questionnaire), and their sessions on
the cadence their council's profile sets, held with realistic slippage,
written up and signed by both (most, not all)."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from bench.cadence import held_after
from bench.gen import Gen, last_day, stamp
from bench.structure import KINDS, PARENT, Person

FIRST = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mo",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vic",
    "Wes",
    "Yara",
    "Zoe",
    "Aled",
    "Bea",
    "Cal",
    "Dina",
    "Eli",
]
LAST = [
    "Adeyemi",
    "Brooks",
    "Clarke",
    "Desai",
    "Evans",
    "Foster",
    "Grant",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lowe",
    "Morgan",
    "Nash",
    "Okafor",
    "Patel",
    "Quayle",
    "Rahman",
    "Shaw",
    "Turner",
    "Usman",
    "Vance",
    "Walsh",
    "Young",
    "Zaman",
]
SUPERVISES = frozenset(PARENT.values())
AGREEMENT_CONTENT = '{"venue": "Team office", "length": "90 minutes"}'
LATE_REASONS = (
    "Supervisor on leave",
    "Court hearing",
    "Sickness",
    "Rearranged at worker's request",
)


def emit_person(g: Gen, person: Person) -> None:
    _staff(g, person)
    if person.left_on is None:
        _login(g, person)
    for start, end, supervisor, rel_id in person.supervisors:
        reason = "new_starter" if start == person.started_on else "change_of_supervisor"
        g.out(
            "supervision_relationship",
            (rel_id, supervisor.id, person.id, start, end, reason, stamp(start)),
        )
        agreed = _agreements(g, person, supervisor, rel_id, start, end)
        _sessions(g, person, supervisor, rel_id, start, end, agreed)


def _staff(g: Gen, person: Person) -> None:
    rng = g.rng
    first, last = rng.choice(FIRST), rng.choice(LAST)
    manager = person.supervisors[-1][2].id if person.supervisors else None
    g.out(
        "staff_member",
        (
            person.id,
            g.org.index,
            person.post.team_id,
            f"S{person.number:06d}",
            f"{first} {last}",
            f"{first}.{last}.{person.number}@{g.org.slug}.example".lower(),
            KINDS[person.post.kind][1],
            person.role,
            person.employment,
            person.started_on,
            person.left_on,
            person.asye,
            manager,
        ),
    )


def _login(g: Gen, person: Person) -> None:
    """Everyone in post can sign in (one shared password, see bench/README.md)."""
    user_id = g.ids.next("user_account")
    username = f"{g.org.slug}.s{person.number:06d}"
    g.out(
        "user_account",
        (user_id, person.id, username, g.password_hash, True, 0, stamp(person.started_on)),
    )
    roles = ["supervisee"] if person.supervisors else []
    if person.post.kind in SUPERVISES:
        roles += ["supervisor", "line_manager"]
    roles += {
        "head_of_service": ["head_of_service"],
        "principal_social_worker": ["principal_social_worker"],
        "non_direct_staff_manager": ["workforce_team"],
    }.get(person.post.kind, [])
    for role in roles:
        g.out("user_role", (g.ids.next("user_role"), user_id, role))


def _agreement_versions(g: Gen, start: date, until: date) -> list[tuple[date, date | None]]:
    """(supervisor signed, supervisee signed) per version: drawn up within the
    deadline (mostly), countersigned within days, re-signed at each annual
    review, a little early or late."""
    within = g.cad.agreement_within
    recent = (g.as_of - start).days < 120
    roll = g.rng.random()
    if roll < 0.75:
        drawn = start + g.days(3, max(3, within - 7))
    elif roll < 0.90:
        drawn = start + g.days(max(1, within - 7), within)
    elif roll < 0.97 or not recent:
        drawn = start + g.days(within + 1, within + 60)
    else:
        return []  # not drawn up yet
    versions: list[tuple[date, date | None]] = []
    signed = drawn
    while signed <= until:
        countersigned = signed + g.days(0, 10)
        if countersigned > until or ((g.as_of - signed).days < 60 and g.chance(0.04)):
            versions.append((signed, None))
            break
        versions.append((signed, countersigned))
        review = countersigned + relativedelta(years=1)
        roll = g.rng.random()
        slip = g.days(-30, 0) if roll < 0.7 else g.days(1, 30) if roll < 0.9 else g.days(31, 120)
        signed = review + slip
    return versions


def _agreements(g: Gen, person: Person, supervisor: Person, rel_id, start, end) -> int | None:
    versions = _agreement_versions(g, start, last_day(end, g.as_of))
    agreed = None
    if g.chance(0.03):
        agreed = 2  # a recorded variation: fortnightly while settling in
    elif g.chance(0.10):
        agreed = max(1, round(g.cad.role.get(person.role, g.cad.default) / 7))
    reason = "Fortnightly until the three-month review." if agreed == 2 else None
    for number, (signed, countersigned) in enumerate(versions, 1):
        superseded = number < len(versions)
        if superseded and versions[number][0] < g.h0:
            continue  # replaced before the history kept
        status = (
            "superseded"
            if superseded
            else ("in_force" if countersigned else "awaiting_countersignature")
        )
        review_due = countersigned + relativedelta(years=1) if countersigned else None
        agreement_id = g.ids.next("supervision_agreement")
        g.out(
            "supervision_agreement",
            (
                agreement_id,
                rel_id,
                number,
                status,
                agreed,
                AGREEMENT_CONTENT,
                reason,
                countersigned,
                review_due,
                stamp(signed),
            ),
        )
        _sign_agreement(g, agreement_id, supervisor.id, person.id, signed, countersigned)
        if number > 1 and signed >= g.h0:
            _questionnaire(g, supervisor, rel_id, signed)
    return agreed * 7 if agreed else None


def _sign_agreement(g: Gen, agreement_id, supervisor_id, supervisee_id, signed, countersigned):
    g.out(
        "agreement_signature",
        (
            g.ids.next("agreement_signature"),
            agreement_id,
            "supervisor",
            supervisor_id,
            signed,
            stamp(signed),
        ),
    )
    if countersigned is not None:
        g.out(
            "agreement_signature",
            (
                g.ids.next("agreement_signature"),
                agreement_id,
                "supervisee",
                supervisee_id,
                countersigned,
                stamp(countersigned),
            ),
        )


def _questionnaire(g: Gen, supervisor: Person, rel_id: int, reviewed_on: date) -> None:
    """The annual review form, forwarded to the supervisor's own manager (mostly)."""
    forwarded = g.known(reviewed_on + g.days(0, 14)) if g.chance(0.9) else None
    manager = supervisor.supervisor_on(reviewed_on)
    g.out(
        "review_questionnaire",
        (
            g.ids.next("review_questionnaire"),
            rel_id,
            reviewed_on,
            '{"regular_and_uninterrupted": "usually"}',
            manager.id if manager and forwarded else None,
            forwarded,
            stamp(reviewed_on),
        ),
    )


def _sessions(g: Gen, person: Person, supervisor: Person, rel_id: int, start, end, agreed):
    until = last_day(end, g.as_of)
    first = max(start, g.h0)
    last = start
    if start < g.h0:  # join the cycle part-way through at the start of the history
        last = g.h0 - g.days(0, g.cad.role.get(person.role, g.cad.default))
    parties = (rel_id, supervisor.id, person.id)
    while True:
        into_post = (last - person.started_on).days
        interval = g.cad.session_interval(
            person.role, person.employment, person.asye, into_post, agreed
        )
        held = held_after(g.rng, last, interval)
        if held > until:
            return
        if held >= first:
            if g.chance(0.03):
                _cancelled(g, rel_id, held)
                held = min(held + g.days(2, 7), until)
            _held(g, parties, held, late=held > last + timedelta(days=interval + 7))
        last = held


def _cancelled(g: Gen, rel_id: int, day: date) -> None:
    """Cancelled and rearranged (the engine reads only held sessions)."""
    g.out(
        "supervision_session",
        (
            g.ids.next("supervision_session"),
            rel_id,
            "individual",
            "cancelled",
            day,
            None,
            None,
            "Supervisor unwell",
            None,
            None,
            None,
            False,
            "{}",
            "not_started",
            1,
            stamp(day),
        ),
    )


def _record_delay(g: Gen, recent: bool) -> timedelta | None:
    """Most records are written within a week; a few take weeks; some recent ones not yet."""
    roll = g.rng.random()
    if roll < 0.8:
        return g.days(0, 7)
    if roll < 0.92:
        return g.days(8, 20)
    if roll < 0.97 or not recent:
        return g.days(21, 45)
    return None


def _held(g: Gen, parties: tuple[int, int, int], day: date, late: bool) -> None:
    rel_id, supervisor_id, supervisee_id = parties
    session_id = g.ids.next("supervision_session")
    recent = (g.as_of - day).days < 60
    delay = _record_delay(g, recent)
    recorded = g.known(day + delay) if delay is not None else None
    countersigned = None
    if recorded is not None and not g.chance(0.07 if recent else 0.01):
        countersigned = g.known(recorded + g.days(0, 10))
    status = (
        "signed" if countersigned else "awaiting_countersignature" if recorded else "not_started"
    )
    late_reason = g.rng.choice(LATE_REASONS) if late and g.chance(0.6) else None
    minutes = g.rng.choice((60, 75, 90, 120))
    g.out(
        "supervision_session",
        (
            session_id,
            rel_id,
            "individual",
            "held",
            None,
            day,
            minutes,
            None,
            recorded,
            # The supervisor's signature shares the record (models/actions/sessions.py).
            recorded,
            late_reason,
            g.chance(0.35),
            "{}",
            status,
            1,
            stamp(day),
        ),
    )
    for party, staff_id, signed_on in (
        ("supervisor", supervisor_id, recorded),
        ("supervisee", supervisee_id, countersigned),
    ):
        if signed_on is not None:
            g.out(
                "session_signature",
                (
                    g.ids.next("session_signature"),
                    session_id,
                    1,
                    party,
                    staff_id,
                    signed_on,
                    stamp(signed_on, 17),
                ),
            )
