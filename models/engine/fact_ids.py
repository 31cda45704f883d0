"""How the engine names things from the tables: "staff-7", "rel-42",
"team-3", "grp-2"; cases by the council's case ID. Built and parsed here only."""

from __future__ import annotations


def staff_fact_id(staff_id: int) -> str:
    return f"staff-{staff_id}"


def group_fact_id(group_id: int) -> str:
    return f"grp-{group_id}"


def relationship_fact_id(relationship_id: int) -> str:
    return f"rel-{relationship_id}"


def team_fact_id(team_id: int) -> str:
    return f"team-{team_id}"


def parse_fact_id(fact_id: str | None, prefix: str) -> int | None:
    """ "staff-7" -> 7 for prefix "staff"; None for anything else."""
    if fact_id and fact_id.startswith(prefix + "-") and fact_id[len(prefix) + 1 :].isdigit():
        return int(fact_id[len(prefix) + 1 :])
    return None
