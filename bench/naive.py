"""The naive pattern the design rules out (DESIGN.md, "never one Prefect task
run per person or case"), measured so the batched reconcile can be compared
with it: a Prefect flow with one task run per subject, each reconciling that
one subject through models.engine.reconcile.reconcile_in_session inside its own
transaction under the organisation's lock.

It runs a seeded random sample of subjects (relationships, people, open
cases, teams), one after another, and extrapolates the time per subject to
every subject. Prefect's ephemeral server starts before the clock does (it
takes seconds and is not per subject). A time budget stops the sample early
on a slow engine; the figure says how many subjects it is based on.

    DATABASE_URL=... python -m bench.naive --as-of 2026-11-24 [--sample 200] [--budget 300]"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date

from prefect import flow, task
from sqlalchemy import text

from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from policy import LIFECYCLES

# Every subject the reconcile names, with its organisation.
SUBJECTS = """
SELECT s.organisation_id, 'rel-' || r.id FROM supervision_relationship r
  JOIN staff_member s ON s.id = r.supervisee_id
  WHERE r.ended_on IS NULL AND s.left_on IS NULL
UNION ALL
SELECT organisation_id, 'staff-' || id FROM staff_member WHERE left_on IS NULL
UNION ALL
SELECT organisation_id, case_ref FROM case_allocation WHERE ended_on IS NULL
UNION ALL
SELECT DISTINCT s.organisation_id, 'team-' || s.team_id FROM staff_member s
  WHERE s.team_id IS NOT NULL AND s.left_on IS NULL"""


def sample_subjects(size: int, seed: int) -> tuple[list[tuple[int, str]], int]:
    """A seeded sample of subjects, and how many there are in all."""
    with get_sessionmaker()() as session:
        total = session.scalar(text(f"SELECT count(*) FROM ({SUBJECTS}) AS s"))
        rows = session.execute(
            text(
                f"SELECT * FROM ({SUBJECTS}) AS s(org, subject) "
                "ORDER BY md5(subject || :salt) LIMIT :n"
            ),
            {"salt": str(seed), "n": size},
        ).all()
    return [(org, subject) for org, subject in rows], total


@task(name="Reconcile one subject")
def reconcile_one(organisation_id: int, subject: str, as_of: date) -> float:
    started = time.perf_counter()
    with get_sessionmaker()() as session, session.begin():
        lock_organisation(session, organisation_id)
        reconcile_in_session(
            session,
            organisation_id=organisation_id,
            lifecycles=list(LIFECYCLES),
            as_of=as_of,
            subjects=[subject],
        )
    return time.perf_counter() - started


@flow(name="One task run per subject (benchmark)")
def one_task_run_per_subject(
    subjects: list[tuple[int, str]], as_of: date, budget_seconds: float
) -> dict:
    started = time.perf_counter()
    in_task = []
    for organisation_id, subject in subjects:
        in_task.append(reconcile_one(organisation_id, subject, as_of))
        if time.perf_counter() - started > budget_seconds:
            break
    elapsed = time.perf_counter() - started
    return {"subjects_run": len(in_task), "seconds": elapsed, "in_task_seconds": sum(in_task)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.naive", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds of sample at most")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    subjects, total = sample_subjects(args.sample, args.seed)
    launched = time.perf_counter()
    run = one_task_run_per_subject(subjects, args.as_of, args.budget)
    per_subject = run["seconds"] / max(1, run["subjects_run"])
    result = {
        **run,
        "subjects_total": total,
        "seconds_per_subject": round(per_subject, 4),
        "extrapolated_seconds": round(per_subject * total, 1),
        # Starting the ephemeral server and the flow run: once, not per subject.
        "startup_seconds": round(time.perf_counter() - launched - run["seconds"], 2),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
