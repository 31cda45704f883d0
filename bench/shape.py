"""The shape of the generated data, from published national figures for
English children's services. Every number the generator draws from is here.

Sources (the figures are rounded; the generator aims at their shape, not a
particular year's exact values):

- DfE, "Children's social work workforce" (Reporting Year 2023 and 2024):
  about 33,000 FTE child and family social workers in local authorities;
  agency workers about 17-18% of them; turnover about 15-17% a year; an
  average caseload of about 16-17 children per case-holding social worker;
  about 1 team manager to every 6-7 social workers; about 3,000-3,500 newly
  qualified social workers a year starting their Assessed and Supported Year
  in Employment (ASYE), 8-10% of the social workers in post.
- DfE, "Characteristics of children in need" (2023 and 2024): about 400,000
  children in need at 31 March, about 50,000 on a child protection plan
  (~12%) and about 83,000 looked after (~20%); care leavers aged 17-21 are
  supported by personal advisers.
- Children's services also hold early help, children with disabilities and
  fostering (supervising social worker) cases, and employ support workers,
  independent reviewing officers, residential and business support staff:
  "national" is 60,000 staff and 550,000 open cases over about 150 councils,
  so a third or more of the workforce are case-holding social workers.

Open cases are split CIN most, then CiC ~20%, early help, CP ~12%, care
leavers, CWD and SSW (CASE_MIX). Case-holding social workers hold the
statutory cases at CASELOAD_SOCIAL_WORKER each; support workers (family
support, personal advisers) hold early help and care leavers."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

CASE_MIX = {
    "child_in_need": 0.30,
    "child_in_care": 0.20,
    "early_help": 0.18,
    "child_protection": 0.12,
    "care_leaver": 0.11,
    "children_with_disabilities": 0.05,
    "supervising_social_worker": 0.04,
}
SUPPORT_HELD = ("early_help", "care_leaver")
SOCIAL_WORKER_HELD = tuple(t for t in CASE_MIX if t not in SUPPORT_HELD)

CASELOAD_SOCIAL_WORKER = 16.5
CASELOAD_SUPPORT_WORKER = 20.0
CHILDREN_PER_IRO = 70  # looked-after and child protection children per reviewing officer
SOCIAL_WORKERS_PER_TEAM_MANAGER = 6.5
TEAM_MANAGERS_PER_SERVICE_MANAGER = 4
SERVICE_MANAGERS_PER_HEAD_OF_SERVICE = 5
IROS_PER_MANAGER = 8
# What is left after the case-driven posts, split between the other employee groups.
OTHER_GROUPS = {"business_support": 0.45, "residential": 0.30, "non_direct_staff": 0.15}
STUDENT_SHARE = 0.10  # of the rest: social work students on placement
REST_FLOOR = 0.10  # the other groups are never less than this share of the staff
PER_LINE_MANAGER = {"business_support": 10, "residential": 9, "non_direct_staff": 10}

# Employment type by role, per post: an agency post stays agency-filled, so the
# share of agency workers in post stays at the national figure.
EMPLOYMENT_MIX = {
    "social_worker": {"agency": 0.175, "part_time": 0.10, "temporary": 0.02},
    "team_manager": {"agency": 0.12},
    "support_worker": {"agency": 0.05, "part_time": 0.15, "casual": 0.03},
    "residential": {"agency": 0.05, "part_time": 0.15, "casual": 0.08},
    "business_support": {"part_time": 0.20, "temporary": 0.03},
    "iro": {"part_time": 0.10},
    "non_direct_staff": {"part_time": 0.10},
}
# Annual chance of leaving: ~15% for employees (DfE turnover); agency and
# temporary workers move on far more often.
ANNUAL_LEAVING = {"permanent": 0.15, "part_time": 0.15, "agency": 0.55, "temporary": 0.5}
ANNUAL_LEAVING_DEFAULT = 0.25  # casual
# Of the employees who join as social workers, the share who are newly qualified,
# so that about 9% of the social workers in post are in their ASYE year.
ASYE_SHARE_OF_JOINERS = 0.65
# How long an open case has been open, by type, in days (mean of an exponential).
CASE_AGE_DAYS = {
    "child_protection": 220,
    "child_in_need": 200,
    "child_in_care": 900,
    "early_help": 150,
    "care_leaver": 700,
    "children_with_disabilities": 900,
    "supervising_social_worker": 1000,
}
CASE_TRANSFERS_PER_YEAR = 0.10  # a case moves to another worker in the team
CLOSED_CASES_PER_OPEN = 0.5  # cases opened and closed within the history (bounded, see README)
HISTORY_YEARS = 3

PROFILES = ("lancashire", "nottingham", "bristol", "wokingham", "north_west")
PROFILE_WEIGHTS = (0.6, 0.1, 0.1, 0.1, 0.1)  # most councils here run Lancashire's profile


@dataclass(frozen=True)
class SizeSpec:
    organisations: int
    staff: int  # in post on the as-of date, over all organisations
    cases: int  # open on the as-of date


SIZES = {
    "demo": SizeSpec(1, 120, 1_300),
    "council": SizeSpec(1, 2_000, 25_000),
    "national": SizeSpec(150, 60_000, 550_000),
}


@dataclass(frozen=True)
class OrgSpec:
    index: int
    slug: str
    name: str
    profile: str
    staff: int
    cases: int


def organisations(size: str, seed: int) -> list[OrgSpec]:
    """The organisations of a size: one for demo and council; for national,
    councils of uneven, log-normal sizes (the largest several times the
    median, the smallest a few dozen staff) summing to the national totals."""
    spec = SIZES[size]
    rng = random.Random(f"{seed}:{size}:organisations")
    if spec.organisations == 1:
        return [
            OrgSpec(
                1,
                f"bench-{size}",
                f"Bench {size.title()} Council",
                "lancashire",
                spec.staff,
                spec.cases,
            )
        ]
    weights = [rng.lognormvariate(0, 0.75) for _ in range(spec.organisations)]
    staff = _apportion(spec.staff, weights, minimum=40)
    case_weights = [s * rng.uniform(0.8, 1.2) for s in staff]
    cases = _apportion(spec.cases, case_weights, minimum=300)
    profiles = ["lancashire", *rng.choices(PROFILES, PROFILE_WEIGHTS, k=spec.organisations - 1)]
    return [
        OrgSpec(
            i + 1,
            f"la-{i + 1:03d}",
            f"Local Authority {i + 1:03d}",
            profiles[i],
            staff[i],
            cases[i],
        )
        for i in range(spec.organisations)
    ]


def _apportion(total: int, weights: list[float], minimum: int) -> list[int]:
    """Integers proportional to weights, each at least `minimum`, summing to total
    (the largest remainders get the units rounding left over)."""
    scale = (total - minimum * len(weights)) / sum(weights)
    shares = [w * scale for w in weights]
    out = [minimum + math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: math.floor(shares[i]) - shares[i])
    for i in by_remainder[: total - sum(out)]:
        out[i] += 1
    return out


def post_counts(staff: int, cases: int) -> dict[str, int]:
    """How many posts of each kind an organisation has, from its headcount and
    open cases: caseloads decide the case holders, spans of control their
    managers, and the other employee groups share what is left."""
    sw_cases = cases * sum(CASE_MIX[t] for t in SOCIAL_WORKER_HELD)
    support_cases = cases - sw_cases
    iro_children = cases * (CASE_MIX["child_in_care"] + CASE_MIX["child_protection"])
    driven = {
        "social_worker": sw_cases / CASELOAD_SOCIAL_WORKER,
        "support_worker": support_cases / CASELOAD_SUPPORT_WORKER,
        "iro": iro_children / CHILDREN_PER_IRO,
    }
    driven["team_manager"] = driven["social_worker"] / SOCIAL_WORKERS_PER_TEAM_MANAGER
    driven["service_manager"] = driven["team_manager"] / TEAM_MANAGERS_PER_SERVICE_MANAGER
    driven["iro_manager"] = driven["iro"] / IROS_PER_MANAGER
    driven["head_of_service"] = driven["service_manager"] / SERVICE_MANAGERS_PER_HEAD_OF_SERVICE
    # A small council cannot fill every case-driven post: scale them down so the
    # other employee groups keep at least REST_FLOOR of the staff.
    room = staff * (1 - REST_FLOOR) - 2  # the director and the principal social worker
    factor = min(1.0, room / sum(driven.values()))
    counts = {k: max(1, round(v * factor)) for k, v in driven.items()}
    counts["director"] = 1
    counts["principal_social_worker"] = 1
    rest = staff - sum(counts.values())
    counts["student"] = round(rest * STUDENT_SHARE)
    rest -= counts["student"]
    for group, share in OTHER_GROUPS.items():
        members = round(rest * share)
        managers = max(1, round(members / (PER_LINE_MANAGER[group] + 1)))
        counts[f"{group}_manager"] = managers
        counts[group] = members - managers
    counts["business_support"] += staff - sum(counts.values())
    return counts
