"""The lower bound: the due set of the core lifecycles computed by hand-written,
set-based SQL over the same tables, in one read-only transaction. No policy
engine, no ORM, no writes: what the database itself needs to answer "what is
owed next" for every subject at once. The reconcile is compared with it.

- agreement: every active relationship with no version signed by both is due
  its relationship start + the profile's agreement deadline;
- personal_supervision: per active relationship, the last individual session
  held (DISTINCT ON) + the supervisee's role cadence from the profile (or the
  profile's default), tightened by a frequency recorded in the latest
  agreement; with no session yet, relationship start + the agreement deadline;
- case_supervision: per open allocation whose worker is in post, the last case
  supervision (an aggregate) or the allocation date + the case type's cadence
  (a recorded per-case frequency as far as the profile lets it vary; the
  profile's first-supervision limit when none is held yet).

It leaves out the finer rules (ASYE stages, probation, employment, escalation),
so it is a bound on the work, not a second engine.

    python -m bench.lower_bound --database-url URL --as-of 2026-11-23 [--organisation SLUG]"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import date

from bench import database
from models.engine.lead_times import FALLBACK_LEAD_DAYS
from policy import available_profiles, load_profile
from policy.durations import Duration
from policy.facts import CASE_TYPES, ROLES

CORE_LIFECYCLES = ("agreement", "personal_supervision", "case_supervision")

ACTIVE_RELATIONSHIPS = """
rel AS (
  SELECT r.id, r.started_on, s.organisation_id, s.role, o.profile
  FROM supervision_relationship r
  JOIN staff_member s ON s.id = r.supervisee_id
  JOIN organisation o ON o.id = s.organisation_id
  WHERE r.started_on <= %(as_of)s AND (r.ended_on IS NULL OR r.ended_on > %(as_of)s)
    AND (s.left_on IS NULL OR s.left_on > %(as_of)s)
    AND (%(org)s::int IS NULL OR s.organisation_id = %(org)s::int)
)"""

AGREEMENT = (
    "WITH deadline(profile, within) AS (VALUES {deadlines}),"
    + ACTIVE_RELATIONSHIPS
    + """,
signed AS (
  SELECT DISTINCT sa.relationship_id
  FROM supervision_agreement sa
  JOIN agreement_signature sig ON sig.agreement_id = sa.id AND sig.signed_on <= %(as_of)s
  WHERE sa.relationship_id IN (SELECT id FROM rel)
  GROUP BY sa.id, sa.relationship_id
  HAVING count(DISTINCT sig.party) = 2
)
SELECT (rel.started_on + d.within)::date AS due_on
FROM rel JOIN deadline d ON d.profile = rel.profile
WHERE rel.id NOT IN (SELECT relationship_id FROM signed)"""
)

PERSONAL = (
    "WITH cadence(profile, role, every) AS (VALUES {cadences}),"
    " deadline(profile, within) AS (VALUES {deadlines}),"
    + ACTIVE_RELATIONSHIPS
    + """,
last_held AS (
  SELECT DISTINCT ON (ss.relationship_id) ss.relationship_id, ss.held_on
  FROM supervision_session ss JOIN rel ON rel.id = ss.relationship_id
  WHERE ss.status = 'held' AND ss.kind = 'individual' AND ss.held_on <= %(as_of)s
  ORDER BY ss.relationship_id, ss.held_on DESC
),
agreed AS (
  SELECT DISTINCT ON (sa.relationship_id) sa.relationship_id, sa.frequency_weeks
  FROM supervision_agreement sa JOIN rel ON rel.id = sa.relationship_id
  WHERE sa.status IN ('in_force', 'superseded')
  ORDER BY sa.relationship_id, sa.version DESC
)
SELECT (CASE WHEN lh.held_on IS NULL THEN rel.started_on + coalesce(d.within, c.every)
             ELSE lh.held_on + CASE WHEN a.frequency_weeks > 0
                                    THEN LEAST(c.every, make_interval(weeks => a.frequency_weeks))
                                    ELSE c.every END
        END)::date AS due_on
FROM rel
JOIN cadence c ON c.profile = rel.profile AND c.role = rel.role
LEFT JOIN deadline d ON d.profile = rel.profile
LEFT JOIN last_held lh ON lh.relationship_id = rel.id
LEFT JOIN agreed a ON a.relationship_id = rel.id"""
)

CASES = """
WITH cadence(profile, case_type, every, most, most_days, first_within)
  AS (VALUES {case_cadences}),
open_case AS (
  SELECT a.id, a.organisation_id, a.case_type, a.allocated_on, a.frequency_weeks, o.profile
  FROM case_allocation a
  JOIN organisation o ON o.id = a.organisation_id
  JOIN staff_member w ON w.id = a.worker_id
  WHERE a.ended_on IS NULL AND a.allocated_on <= %(as_of)s
    AND (w.left_on IS NULL OR w.left_on > %(as_of)s)
    AND (%(org)s::int IS NULL OR a.organisation_id = %(org)s::int)
),
last_seen AS (
  SELECT cs.allocation_id, max(cs.supervised_on) AS supervised_on
  FROM case_supervision cs JOIN open_case oc ON oc.id = cs.allocation_id
  WHERE cs.supervised_on <= %(as_of)s
  GROUP BY cs.allocation_id
)
SELECT (CASE WHEN ls.supervised_on IS NULL
             THEN oc.allocated_on + LEAST(coalesce(c.first_within, v.every), v.every)
             ELSE ls.supervised_on + v.every END)::date AS due_on
FROM open_case oc
JOIN cadence c ON c.profile = oc.profile AND c.case_type = oc.case_type
LEFT JOIN last_seen ls ON ls.allocation_id = oc.id
CROSS JOIN LATERAL (
  SELECT CASE WHEN oc.frequency_weeks IS NULL OR oc.frequency_weeks <= 0 THEN c.every
              WHEN oc.frequency_weeks * 7 <= c.most_days
                THEN make_interval(weeks => oc.frequency_weeks)
              ELSE c.most END AS every
) v"""

# Count the due set in the database: how many, how many overdue, how many in the inbox window.
SUMMARY = """
SELECT count(*), count(*) FILTER (WHERE due_on < %(as_of)s),
       count(*) FILTER (WHERE due_on <= %(as_of)s + %(lead)s::int)
FROM ({query}) AS due"""


def pg_interval(duration: Duration) -> str:
    """A profile duration as a PostgreSQL interval (working days and hours as
    calendar days, rounded up: a bound, not the engine's exact calendar)."""
    if duration.unit == "hours":
        return f"{math.ceil(duration.amount / 24)} days"
    if duration.unit == "working_days":
        return f"{math.ceil(duration.amount * 7 / 5)} days"
    return f"{duration.amount} {duration.unit}"


def _values(rows: list[tuple], empty: str) -> str:
    """A VALUES list of trusted literals (profile names and durations we built);
    `empty` is a typed row matching nothing, for a list with no rows."""
    if not rows:
        return empty
    return ", ".join(
        "(" + ", ".join("NULL" if v is None else _literal(v) for v in row) + ")" for row in rows
    )


def _literal(value) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Duration):
        return f"interval '{pg_interval(value)}'"
    return "'" + str(value).replace("'", "''") + "'"


def profile_tables() -> dict[str, str]:
    """The profiles' cadences as VALUES lists, read through policy.load_profile."""
    cadences, deadlines, cases = [], [], []
    for name in available_profiles():
        profile = load_profile(name)
        deadline = profile.rule("agreement.deadline")
        if deadline is not None:
            deadlines.append((name, deadline["within"]))
        default = profile.rule("supervision.default")
        for role in ROLES:
            rule = profile.rule(f"supervision.role.{role}") or default
            if rule is not None:
                cadences.append((name, role, rule["every"]))
        first = profile.rule("case_supervision.first")
        for case_type in CASE_TYPES:
            rule = profile.rule(f"case_supervision.{case_type}") or profile.rule(
                "case_supervision.default"
            )
            if rule is not None:
                most = rule.get("may_vary_to") or rule["every"]
                row = (name, case_type, rule["every"], most, most.shortest_days())
                cases.append((*row, first["within"] if first else None))
    return {
        "cadences": _values(cadences, "(NULL, NULL, NULL::interval)"),
        "deadlines": _values(deadlines, "(NULL, NULL::interval)"),
        "case_cadences": _values(
            cases, "(NULL, NULL, NULL::interval, NULL::interval, NULL::int, NULL::interval)"
        ),
    }


def measure(url: str, as_of: date, organisation: str | None = None) -> dict:
    """Each core lifecycle's due set, counted, with the time each query took."""
    tables = profile_tables()
    connection = database.connect(url)
    connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
    started = time.perf_counter()
    out: dict = {"lifecycles": {}}
    try:
        cursor = connection.cursor()
        org_id = None
        if organisation is not None:
            cursor.execute("SELECT id FROM organisation WHERE slug = %s", (organisation,))
            org_id = cursor.fetchone()[0]
        params = {"as_of": as_of, "org": org_id, "lead": FALLBACK_LEAD_DAYS}
        for lifecycle, query in zip(CORE_LIFECYCLES, (AGREEMENT, PERSONAL, CASES), strict=True):
            begun = time.perf_counter()
            cursor.execute(SUMMARY.format(query=query.format(**tables)), params)
            due, overdue, in_inbox = cursor.fetchone()
            out["lifecycles"][lifecycle] = {
                "due": due,
                "overdue": overdue,
                # The agreement is in the inbox from the day the relationship starts.
                "in_inbox": due if lifecycle == "agreement" else in_inbox,
                "seconds": round(time.perf_counter() - begun, 3),
            }
        connection.rollback()
    finally:
        connection.close()
    out["seconds"] = round(time.perf_counter() - started, 3)
    out["in_inbox"] = sum(v["in_inbox"] for v in out["lifecycles"].values())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.lower_bound", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--organisation", help="one organisation's slug (default: all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.database_url, args.as_of, args.organisation)
    for lifecycle, figures in result["lifecycles"].items():
        print(
            f"{lifecycle:22} due {figures['due']:>9,}  overdue {figures['overdue']:>8,}  "
            f"in the inbox {figures['in_inbox']:>8,}  {figures['seconds']:.3f}s"
        )
    print(f"{'total':22} {result['seconds']:.3f}s")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
