"""Generate a benchmark dataset shaped like English children's services
(bench/shape.py says which national figures) and load it with COPY.

    python -m bench.generate --size demo|council|national [--database-url URL]
        [--seed 1] [--as-of 2026-11-23] [--replace] [--facts-out FILE]

Deterministic: the same size, seed and as-of date give the same rows, ids
included (no clock, no unordered iteration). Organisations are generated and
loaded one at a time and rows are written in chunks, so memory stays bounded
at any size. `--facts-out` writes one organisation's facts (the largest, or
--facts-organisation) as the command line's facts file, through
models.engine.facts_export; with --reuse it only does that, on an existing database.
`--dry-run` generates and counts without a database."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from argon2 import PasswordHasher
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench import casework, database, shape, structure
from bench.cadence import Cadences
from bench.describe import describe
from bench.gen import Gen
from bench.ids import Ids
from bench.orgwide import emit_organisation, emit_oversight, first_day_of_history
from bench.people import emit_person
from bench.practice import emit_practice
from bench.sink import CopySink, CountSink, SqliteSink

DEFAULT_AS_OF = date(2026, 11, 23)
DEFAULT_SEED = 1
BENCH_PASSWORD = "bench-oversight"
# A fixed salt, so the one shared password hash is the same on every run.
_SALT = b"oversight-bench!"


def password_hash() -> str:
    return PasswordHasher().hash(BENCH_PASSWORD, salt=_SALT)


def generate(
    size: str,
    seed: int,
    as_of: date,
    sink,
    advance: Callable[[int], None] | None = None,
    history_years: int = shape.HISTORY_YEARS,
):
    """Write every organisation of a size to the sink, one organisation at a time,
    with `history_years` of sessions, supervisions and checks behind `as_of`."""
    advance = advance or (lambda n: None)
    ids = Ids()
    h0 = first_day_of_history(as_of, history_years)
    hashed = password_hash()
    cadences: dict[str, Cadences] = {}
    for org in shape.organisations(size, seed):
        rng = random.Random(f"{seed}:{size}:{org.index}")
        cad = cadences.setdefault(org.profile, Cadences(org.profile))
        g = Gen(org, cad, ids, rng, sink.add, h0, as_of, hashed)
        built = structure.build(org, ids, rng, h0, as_of)
        emit_organisation(g, built)
        caseloads = _caseloads(g, built)
        registry = casework.new_registry()
        for post in built.posts:
            for person in post.holders:
                emit_person(g, person)
                emit_practice(g, person)
            casework.emit_cases(g, built, post, caseloads.get(id(post), []), registry)
            advance(1)
        emit_oversight(g, built, registry)
        sink.end_organisation()
    sink.close()
    return dict(sink.counts)


def _caseloads(g: Gen, built: structure.Structure) -> dict[int, list[str]]:
    """The open cases each case-holding post holds on as_of, by type."""
    out = {}
    for kind, types in (
        ("social_worker", shape.SOCIAL_WORKER_HELD),
        ("support_worker", shape.SUPPORT_HELD),
    ):
        posts = [p for p in built.posts if p.kind == kind]
        total = round(g.org.cases * sum(shape.CASE_MIX[t] for t in types))
        for post, held in zip(posts, casework.open_case_types(g, posts, types, total), strict=True):
            out[id(post)] = held
    return out


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
        console=console,
    )


def load(
    size: str,
    url: str,
    seed: int,
    as_of: date,
    *,
    replace: bool,
    quiet=False,
    history_years: int = shape.HISTORY_YEARS,
) -> dict:
    """Generate and load; returns the row counts and timings."""
    console = Console(stderr=True, quiet=quiet)
    started = time.perf_counter()
    database.prepare(url, replace=replace)
    migrated = time.perf_counter()
    connection = database.connect(url)
    total_posts = sum(o.staff for o in shape.organisations(size, seed))
    with _progress(console) as progress:
        task = progress.add_task(f"Generating {size}", total=total_posts, rows=0)
        rows = [0]

        def on_rows(n: int) -> None:
            rows[0] += n
            progress.update(task, rows=rows[0])

        if database.is_postgres(url):
            sink = CopySink(connection, on_rows)
        else:
            sink = SqliteSink(connection)

        def advance(n: int) -> None:
            progress.advance(task, n)
            if not console.is_terminal and progress.tasks[0].completed % 5000 < n:
                # A log file gets a line now and then instead of a live bar.
                console.print(f"{progress.tasks[0].completed:,} posts, {rows[0]:,} rows loaded")

        counts = generate(size, seed, as_of, sink, advance, history_years)
    loaded = time.perf_counter()
    orphans = database.finish(connection) if database.is_postgres(url) else {}
    connection.close()
    checked = time.perf_counter()
    if database.is_postgres(url):
        console.print("VACUUM ANALYZE ...")
        database.vacuum_analyze(url)
    return {
        "size": size,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "shape": describe(url, as_of),
        "rows": counts,
        "total_rows": sum(counts.values()),
        "seconds": {
            "migrate": round(migrated - started, 2),
            "generate_and_copy": round(loaded - migrated, 2),
            "sequences_and_key_check": round(checked - loaded, 2),
            "vacuum_analyze": round(time.perf_counter() - checked, 2),
        },
        "foreign_key_orphans": orphans,
    }


def export_facts(url: str, out: Path, slug: str | None = None) -> dict:
    """One organisation's facts as the command line's facts file (models.engine.facts_export)."""
    from sqlalchemy import func, select

    from models.db import get_sessionmaker, normalise_url
    from models.engine.facts_export import export_facts as facts_json
    from models.tables.org import Organisation, StaffMember

    with get_sessionmaker(normalise_url(url))() as session:
        if slug is None:
            largest = (
                select(Organisation.slug)
                .join(StaffMember, StaffMember.organisation_id == Organisation.id)
                .group_by(Organisation.id)
                .order_by(func.count().desc(), Organisation.id)
                .limit(1)
            )
            slug = session.scalar(largest)
        org = session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
        facts = facts_json(session, org.id)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(facts), encoding="utf-8")
    return {"slug": slug, "profile": org.profile, "path": str(out), "bytes": out.stat().st_size}


def _arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--size", choices=sorted(shape.SIZES), required=True)
    parser.add_argument("--database-url", help="default: PostgreSQL bench_<size> on 127.0.0.1")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("--replace", action="store_true", help="drop and recreate the database")
    parser.add_argument("--reuse", action="store_true", help="load nothing; only --facts-out")
    parser.add_argument("--dry-run", action="store_true", help="generate and count, no database")
    parser.add_argument("--facts-out", type=Path, help="write an organisation's facts file here")
    parser.add_argument("--facts-organisation", help="its slug (default: the largest)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of results")
    parser.add_argument(
        "--history-years",
        type=int,
        default=shape.HISTORY_YEARS,
        help=f"years of history behind --as-of (default {shape.HISTORY_YEARS})",
    )
    args = parser.parse_args(argv)
    if args.history_years < 1:
        parser.error("--history-years must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    url = args.database_url or database.default_url(args.size)
    if args.dry_run:
        started = time.perf_counter()
        counts = generate(args.size, args.seed, args.as_of, CountSink(), None, args.history_years)
        result = {"rows": counts}
        result["seconds"] = {"generate": round(time.perf_counter() - started, 2)}
    elif args.reuse:
        result = {}
    else:
        try:
            result = load(
                args.size,
                url,
                args.seed,
                args.as_of,
                replace=args.replace,
                history_years=args.history_years,
            )
        except database.BenchDatabaseError as error:
            print(f"bench.generate: error: {error}", file=sys.stderr)
            return 2
    if args.facts_out and not args.dry_run:
        result["facts"] = export_facts(url, args.facts_out, args.facts_organisation)
    _print(result)
    if args.json:
        print(json.dumps(result))
    return 0


def _print(result: dict) -> None:
    rows = result.get("rows", {})
    for table, count in sorted(rows.items(), key=lambda item: -item[1]):
        print(f"{table:32} {count:>12,}")
    if rows:
        print(f"{'total':32} {sum(rows.values()):>12,}")
    for step, seconds in result.get("seconds", {}).items():
        print(f"{step:32} {seconds:>11.1f}s")
    for name, value in result.get("shape", {}).items():
        print(f"{name:64} {value:>10,g}")
    if result.get("foreign_key_orphans"):
        print(f"FOREIGN KEY ORPHANS: {result['foreign_key_orphans']}")
    if "facts" in result:
        facts = result["facts"]
        print(f"facts file: {facts['path']} ({facts['slug']}, {facts['bytes']:,} bytes)")


if __name__ == "__main__":
    sys.exit(main())
