"""The files a council's systems would export, at a council's size: an HR
staff file (everyone in post, their team and line manager), the supervision
relationships that follow from the line managers, and a case system's
caseload report of every open case (LCS-style: bare person IDs, the case
system's status codes, dates as dd/mm/yyyy), and that report a fortnight
later, with a tenth of the cases reallocated and a twentieth closed. The organisation is the
benchmark's own (bench/structure.py: posts, holders, teams), as of a day;
the open cases are spread over the case holders by the national mix
(bench/shape.py: CASE_MIX, SUPPORT_HELD)."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from bench import shape, structure
from bench.ids import Ids
from models.actions.case_category import categories_of
from models.imports import mapping as mappings
from policy import load_profile

# Every field the import knows, in its own words (the default mapping reads them as they are).
STAFF_HEADER = (*mappings.REQUIRED["staff"], *mappings.OPTIONAL["staff"])
RELATIONSHIP_HEADER = (*mappings.REQUIRED["relationships"], *mappings.OPTIONAL["relationships"])
CASE_MAPPING = "lcs_cases"
# Categories are given to the statutory cases they describe (Nottingham §1.6).
CATEGORISED = ("child_in_need", "child_in_care", "child_protection")
LATER = timedelta(days=14)


@dataclass(frozen=True)
class CouncilFiles:
    staff: Path
    relationships: Path
    cases: Path
    cases_later: Path  # the caseload report a fortnight later
    staff_rows: int
    relationship_rows: int
    case_rows: int
    moved_later: int
    closed_later: int


def _number(person: structure.Person) -> str:
    return f"E{person.number:05d}"


def _in_post(people: list[structure.Person], as_of: date) -> list[structure.Person]:
    return [p for p in people if p.left_on is None and p.started_on <= as_of]


def _manager(person: structure.Person, as_of: date) -> structure.Person | None:
    parent = person.post.parent
    holder = parent.holder_on(as_of) if parent is not None else None
    return holder if holder is not None and holder.started_on <= as_of else None


def write_council(
    folder: Path, *, staff: int, cases: int, seed: int, as_of: date, profile: str
) -> CouncilFiles:
    rng = random.Random(f"{seed}:imports")
    spec = shape.OrgSpec(1, "bench-imports", "Bench Imports Council", profile, staff, cases)
    built = structure.build(spec, Ids(), rng, as_of - timedelta(days=3 * 365), as_of)
    people = _in_post(built.people, as_of)
    in_post = set(map(id, people))
    staff_path = folder / "staff.csv"
    relationships_path = folder / "relationships.csv"
    with staff_path.open("w", newline="") as staff_file:
        rows = csv.DictWriter(staff_file, STAFF_HEADER, restval="")
        rows.writeheader()
        names = _names(built)
        for person in people:
            rows.writerow(_staff_row(names, person, in_post, as_of))
    pairs = 0
    with relationships_path.open("w", newline="") as rel_file:
        rows = csv.DictWriter(rel_file, RELATIONSHIP_HEADER, restval="")
        rows.writeheader()
        for person in people:
            manager = _manager(person, as_of)
            if manager is not None and id(manager) in in_post:
                start = max(person.started_on, manager.started_on)
                rows.writerow(
                    {
                        "supervisee": _number(person),
                        "supervisor": _number(manager),
                        "started_on": start.isoformat(),
                        "reason": "new_starter",
                    }
                )
                pairs += 1
    moved, closed = _write_cases(folder, people, cases, rng, as_of, profile)
    return CouncilFiles(
        staff_path,
        relationships_path,
        folder / "cases.csv",
        folder / "cases-later.csv",
        len(people),
        pairs,
        cases,
        moved,
        closed,
    )


def _names(built: structure.Structure) -> tuple[dict[int, str], dict[int, str]]:
    """The service areas' and the teams' names, by id."""
    areas = {area_id: name for area_id, name, _post in built.areas}
    teams = {team_id: name for team_id, _area, name, _post in built.teams}
    return areas, teams


def _staff_row(names, person: structure.Person, in_post: set[int], as_of: date) -> dict:
    post = person.post
    areas, teams = names
    manager = _manager(person, as_of)
    number = _number(person)
    return {
        "staff_number": number,
        "name": f"Worker {number}",
        "email": f"{number.lower()}@bench.example",
        "job_title": structure.KINDS[post.kind][1],
        "role": person.role,
        "employment": person.employment,
        "started_on": person.started_on.isoformat(),
        "asye": "yes" if person.asye else "no",
        "asye_started_on": person.started_on.isoformat() if person.asye else "",
        "service_area": areas.get(post.area, "") if post.team_id else "",
        "team": teams.get(post.team_id, ""),
        "line_manager": _number(manager) if manager is not None and id(manager) in in_post else "",
    }


def _lcs_codes() -> tuple[list[str], dict[str, str], dict[str, str]]:
    """The LCS-style mapping's header, and its first code for each case type and category."""
    found = mappings.load(CASE_MAPPING, "cases")
    fields = ("case_id", "case_type", "worker", "allocated_on", "closed_on", "category")
    header = [found.columns[f][0] for f in fields]
    values = yaml.safe_load(found.path.read_text(encoding="utf-8"))["values"]
    codes: dict[str, dict[str, str]] = {"case_type": {}, "category": {}}
    for field_name, table in codes.items():
        for theirs, ours in values[field_name].items():
            table.setdefault(ours, theirs)
    return header, codes["case_type"], codes["category"]


def _write_cases(folder: Path, people, total: int, rng, as_of: date, profile: str):
    """The caseload report on as_of, and the one a fortnight later: a tenth of
    the cases moved to another worker then, a twentieth closed."""
    header, type_codes, category_codes = _lcs_codes()
    categories = categories_of(load_profile(profile))
    holders = {
        kind: [p for p in people if p.post.kind == kind]
        for kind in ("social_worker", "support_worker")
    }
    kinds, weights = list(shape.CASE_MIX), list(shape.CASE_MIX.values())
    later = (as_of + LATER).strftime("%d/%m/%Y")
    moved = closed = 0
    with (
        (folder / "cases.csv").open("w", newline="") as now_file,
        (folder / "cases-later.csv").open("w", newline="") as later_file,
    ):
        now, then = csv.writer(now_file), csv.writer(later_file)
        now.writerow(header)
        then.writerow(header)
        for n in range(total):
            case_type = rng.choices(kinds, weights)[0]
            held_by = holders[
                "support_worker" if case_type in shape.SUPPORT_HELD else "social_worker"
            ]
            worker = rng.choice(held_by)
            age = int(rng.expovariate(1 / shape.CASE_AGE_DAYS[case_type]))
            allocated_on = max(as_of - timedelta(days=age), worker.started_on)
            category = ""
            if categories and case_type in CATEGORISED and rng.random() < 0.5:
                category = category_codes[rng.choice(categories)]
            row = [
                str(2_000_000 + n),
                type_codes[case_type],
                _number(worker),
                allocated_on.strftime("%d/%m/%Y"),
                "",
                category,
            ]
            now.writerow(row)
            chance = rng.random()
            if chance < 0.10:
                other = rng.choice(held_by)
                if other is not worker:
                    row[2:4] = [_number(other), later]
                    moved += 1
            elif chance < 0.15:
                row[4] = later
                closed += 1
            then.writerow(row)
    return moved, closed
