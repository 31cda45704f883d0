"""Recording deadlines, each in the document's unit: every session held owes
its record (Wokingham 5 days; Nottingham §2.5 and North West "promptly" as
their rules' notes read them), and, apart from it, the record shared with
(copied to) the supervisee (Lancashire §1.8 2 weeks, Bristol Appendix 1 48
hours, North West "notes copied to the individual"); the case note or case
direction on the child's record (Lancashire 1 week, Bristol 24 hours);
important decisions (Lancashire 24 hours; Bristol §5.7 those made outside
formal supervision, 24 hours).
Which sessions owe a record is the profile's (recording.session `kinds`;
absent: one-to-one supervision only): a one-to-one session, personal or an
ASYE reflective supervision, owes one record for the pair and the day; a
group session owes the record of it in each attendee's supervision file, by
the attendee's supervisor or, where the document says the facilitator signs
it off (`group_recorded_by: facilitator`), the facilitator.
Keys: `record:{rel.id}:{held_on}`, `record:group:{staff}:{held_on}`,
`record-shared:{rel.id}:{held_on}`,
`record:case:{case.id}:{supervised_on}`, `record:decision:{case.id}:{made_on}`,
and Bristol's reason for a late session in its record,
`late-reason:{rel.id}:{held_on}`."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.obligations import Obligation
from policy.profile import Profile, Rule
from policy.rules.personal_supervision import personal_steps


def _first_on_or_after(days, since: date) -> date | None:
    return min((d for d in days if d is not None and d >= since), default=None)


def _earliest_record(events) -> dict:
    """Two facts for one event (two sessions logged the same day) are one
    record to make: (subject, day) -> the first day it was recorded, if any."""
    earliest: dict = {}
    for subject, day, recorded_on in events:
        known = earliest.get((subject, day))
        earliest[(subject, day)] = _first_on_or_after([known, recorded_on], day)
    return earliest


def recorded_kinds(profile: Profile) -> frozenset[str]:
    """The kinds of session that owe a written record under the profile."""
    rule = profile.rule("recording.session")
    if rule is None:
        return frozenset()
    return frozenset(rule.get("kinds") or ("individual",))


def _held_sessions(ctx: Context, field: str, kinds=frozenset({"individual"})) -> dict:
    """One-to-one sessions of `kinds` held, per (relationship, day), with the
    first day `field` ("recorded_on", "shared_on") was done for any of that day's."""
    held = []
    for session in ctx.facts.sessions:
        if session.kind not in kinds or not ctx.known(session.held_on):
            continue
        rel = ctx.relationship_of(session.supervisee, session.held_on)
        if rel is not None and session.supervisor in (None, rel.supervisor):
            held.append((rel, session.held_on, getattr(session, field)))
    return _earliest_record(held)


def session_record_obligations(ctx: Context) -> list[Obligation]:
    """A session held owes its record (Nottingham §2.5: "all supervision sessions
    must be recorded in writing on the standard forms")."""
    rule = ctx.profile.rule("recording.session")
    if rule is None:
        return []
    kinds = recorded_kinds(ctx.profile)
    one_to_one = _held_sessions(ctx, "recorded_on", kinds - {"group"})
    return [
        ctx.owe(
            rule=rule,
            key=keys.build("record", relationship=rel.id, day=held_on),
            kind="record",
            lifecycle="recording",
            subject=rel.id,
            assignee=rel.supervisor,
            assignee_role="supervisor",
            opens_on=held_on,
            due=rule["within"].after(held_on),
            met_on=recorded_on,
        )
        for (rel, held_on), recorded_on in one_to_one.items()
    ] + (_group_record_obligations(ctx, rule) if "group" in kinds else [])


def _group_record_obligations(ctx: Context, rule: Rule) -> list[Obligation]:
    """The record of a group session in each attendee's file (one per attendee
    and day, met by the first day it was recorded)."""
    by_facilitator = rule.get("group_recorded_by") == "facilitator"
    attended, facilitators = [], {}
    for session in ctx.facts.sessions:
        if session.kind == "group" and ctx.known(session.held_on):
            attended.append((session.supervisee, session.held_on, session.recorded_on))
            if session.supervisor is not None:
                facilitators.setdefault((session.supervisee, session.held_on), session.supervisor)
    out = []
    for (attendee, held_on), recorded_on in _earliest_record(attended).items():
        rel = ctx.relationship_of(attendee, held_on)
        supervisor = rel.supervisor if rel else None
        facilitator = facilitators.get((attendee, held_on))
        owner = (facilitator or supervisor) if by_facilitator else (supervisor or facilitator)
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("group_record", staff=attendee, day=held_on),
                kind="group_record",
                lifecycle="recording",
                subject=attendee,
                assignee=owner,
                assignee_role="facilitator" if owner and owner == facilitator else "supervisor",
                opens_on=held_on,
                due=rule["within"].after(held_on),
                met_on=recorded_on,
            )
        )
    return out


def record_shared_obligations(ctx: Context) -> list[Obligation]:
    """The record shared with (copied to) the supervisee, owed apart from its
    writing and met on the day it was shared; the deadline counts from the
    session. It is owed once the record is written (nothing to share before)
    or shared, or when its deadline comes with neither, so a session just held
    puts one task in the supervisor's inbox (write the record), not two."""
    rule = ctx.profile.rule("recording.shared")
    if rule is None:
        return []
    written = _held_sessions(ctx, "recorded_on")
    out = []
    for (rel, held_on), shared_on in _held_sessions(ctx, "shared_on").items():
        due = rule["within"].after(held_on)
        done = ctx.known(written.get((rel, held_on))) or ctx.known(shared_on)
        if done is None and not ctx.reached(due):
            continue
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("record_shared", relationship=rel.id, day=held_on),
                kind="record_shared",
                lifecycle="recording",
                subject=rel.id,
                assignee=rel.supervisor,
                assignee_role="supervisor",
                opens_on=held_on,
                due=due,
                met_on=shared_on,
            )
        )
    return out


def record_countersign_obligations(ctx: Context) -> list[Obligation]:
    """Both parties sign the record (Nottingham §1.10, §2.6; Lancashire's and
    Wokingham's record forms): once the supervisor has signed a version, the
    supervisee's countersignature of that version is owed. An amendment is a
    new version, so it is owed again under a new key. Two records of the same
    version for one pair on one day are one record: owed from the first
    signature, met by the first countersignature."""
    rule = ctx.profile.rule("recording.countersign")
    if rule is None:
        return []
    records: dict[str, tuple] = {}
    for session in ctx.facts.sessions:
        signed_on = ctx.known(session.record_signed_on)
        if session.kind == "group" or not ctx.known(session.held_on) or signed_on is None:
            continue
        rel = ctx.relationship_of(session.supervisee, session.held_on)
        if rel is None:
            continue
        key = keys.build(
            "record_countersign",
            relationship=rel.id,
            day=session.held_on,
            version=session.record_version,
        )
        countersigned_on = ctx.known(session.countersigned_on)
        if key in records:
            _, first_signed, first_countersigned = records[key]
            signed_on = min(signed_on, first_signed)
            countersigned_on = _first_on_or_after([first_countersigned, countersigned_on], date.min)
        records[key] = (rel, signed_on, countersigned_on)
    return [
        ctx.owe(
            rule=rule,
            key=key,
            kind="record_countersign",
            lifecycle="recording",
            subject=rel.id,
            assignee=rel.supervisee,
            assignee_role="supervisee",
            opens_on=signed_on,
            due=rule["within"].after(signed_on),
            met_on=countersigned_on,
        )
        for key, (rel, signed_on, countersigned_on) in records.items()
    ]


def case_record_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("recording.case")
    if rule is None:
        return []
    out = []
    for case in ctx.facts.cases:
        rel = None
        for day in sorted(set(case.supervised_on)):
            if not ctx.known(day):
                continue
            rel = ctx.relationship_of(case.worker, day)
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("case_record", case=case.id, day=day),
                    kind="case_record",
                    lifecycle="recording",
                    subject=case.id,
                    assignee=rel.supervisor if rel else None,
                    assignee_role="supervisor",
                    opens_on=day,
                    due=rule["within"].after(day),
                    met_on=_first_on_or_after(case.recorded_on, day),
                )
            )
    return out


def decision_record_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("recording.decision")
    if rule is None:
        return []
    workers = {c.id: c.worker for c in ctx.facts.cases}
    # Bristol §5.7 owes only the decisions made outside formal supervision (those
    # made in it are case directions, recording.case); absent: every decision.
    settings = rule.get("made_in")
    made = [
        (d.case, d.made_on, d.recorded_on)
        for d in ctx.facts.decisions
        if ctx.known(d.made_on) and (settings is None or d.made_in in settings)
    ]
    out = []
    for (case_id, made_on), recorded_on in _earliest_record(made).items():
        rel = ctx.relationship_of(workers.get(case_id, ""), made_on)
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("decision_record", case=case_id, day=made_on),
                kind="decision_record",
                lifecycle="recording",
                subject=case_id,
                assignee=rel.supervisor if rel else None,
                assignee_role="supervisor",
                opens_on=made_on,
                due=rule["within"].after(made_on),
                met_on=recorded_on,
            )
        )
    return out


def late_reason_obligations(ctx: Context) -> list[Obligation]:
    """Bristol §3.4: when supervision could not happen on time "the reason for
    the delay should be clearly recorded in record of the next supervision
    session held". The session that ends a gap past the cadence's due date owes
    a record with the reason; it is met when that record carries one. One still
    missing stays in view for the profile's `in_view` after the session."""
    rule = ctx.profile.rule("recording.late_reason")
    if rule is None:
        return []
    out = []
    for rel in sorted(ctx.own_relationships, key=lambda r: r.id):
        for step in personal_steps(ctx, rel):
            if step.met_on is None or step.met_on <= step.due:
                continue
            held_on = step.met_on
            if ctx.reached(rule["in_view"].after(held_on)):
                continue
            with_reason = [
                s.recorded_on or held_on
                for s in ctx.sessions_of(rel.supervisee)
                if s.held_on == held_on
                and s.kind == "individual"
                and s.supervisor in (None, rel.supervisor)
                and s.late_reason_recorded
            ]
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("late_reason", relationship=rel.id, day=held_on),
                    kind="late_reason",
                    lifecycle="recording",
                    subject=rel.id,
                    assignee=rel.supervisor,
                    assignee_role="supervisor",
                    opens_on=held_on,
                    due=rule["within"].after(held_on),
                    met_on=min(with_reason, default=None),
                    note=f"Supervision was due {step.due.isoformat()}",
                )
            )
    return out


def recording_obligations(ctx: Context) -> list[Obligation]:
    return (
        session_record_obligations(ctx)
        + record_shared_obligations(ctx)
        + record_countersign_obligations(ctx)
        + case_record_obligations(ctx)
        + decision_record_obligations(ctx)
        + late_reason_obligations(ctx)
    )
