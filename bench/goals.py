"""The targets each figure is reported against. They are goals, printed
beside the figures; nothing fails when one is missed (a benchmark measures,
it does not assert)."""

from __future__ import annotations

import operator
from dataclasses import dataclass

# The measurements' names, in the order a run makes them.
LOAD = "generate and load"
CLI = "command-line engine"
LOWER_BOUND = "SQL lower bound"
CORE_FIRST_RUN = "reconcile, core lifecycles, first run"
FIRST_RUN = "reconcile, first run"
PREFECT_FIRST_RUN = "Prefect entry, first run"
NOTHING_CHANGED = "reconcile, nothing changed"
EVERY_UNIT = "reconcile, every unit again, nothing changed"
DAY = "a day's changes (SQL)"
NEXT_DAY = "reconcile after a day's changes"
PREFECT_ENTRY = "Prefect entry, touched only, nothing changed"
NAIVE = "one Prefect task run per subject (extrapolated)"
ORDER = (LOAD, CLI, LOWER_BOUND, CORE_FIRST_RUN, FIRST_RUN, PREFECT_FIRST_RUN, NOTHING_CHANGED)
ORDER += (EVERY_UNIT, DAY)
ORDER += (NEXT_DAY, PREFECT_ENTRY, NAIVE)
LOWER_BOUND_RATIO = "core lifecycles / SQL lower bound"
NAIVE_RATIO = "one task run per subject / batched"
MEMORY_LIMIT_MIB = 1024


@dataclass(frozen=True)
class Goal:
    size: str | None  # None: every size
    figure: str  # a measurement's name or a ratio's name
    op: str  # "<" or ">="
    value: float
    unit: str

    @property
    def text(self) -> str:
        return f"{self.op} {self.value:g}{self.unit}"

    def met(self, measured: float | None) -> bool | None:
        if measured is None:
            return None
        return {"<": operator.lt, "<=": operator.le, ">=": operator.ge}[self.op](
            measured, self.value
        )


GOALS = (
    Goal("council", FIRST_RUN, "<", 3, " s"),
    Goal("council", NOTHING_CHANGED, "<", 1, " s"),
    Goal("national", FIRST_RUN, "<", 60, " s"),
    Goal("national", NOTHING_CHANGED, "<", 15, " s"),
    Goal("national", LOWER_BOUND_RATIO, "<=", 3, "x"),
    Goal("national", NAIVE_RATIO, ">=", 30, "x"),
)


def time_goal(size: str, figure: str) -> Goal | None:
    return next((g for g in GOALS if g.size in (size, None) and g.figure == figure), None)


def memory_goal() -> Goal:
    return Goal(None, "peak memory", "<", MEMORY_LIMIT_MIB, " MiB")


def verdict(goal: Goal | None, measured: float | None) -> str:
    """What a report prints beside a figure: the goal and whether it was met."""
    if goal is None:
        return ""
    met = goal.met(measured)
    mark = "n/a" if met is None else ("met" if met else "missed")
    return f"{goal.text} ({mark})"
