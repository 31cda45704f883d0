"""A short markdown report per run and organisation, so the workforce team
sees in the Prefect UI what each run did without reading logs: what it
created, completed, cancelled, reopened, escalated and updated, by lifecycle
and by team, the human tasks it escalated, and what is overdue by team."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from prefect import task
from prefect.artifacts import create_markdown_artifact

from models.engine.lifecycle_runs import ReconcileCounts

COLUMNS = ("created", "completed", "cancelled", "reopened", "escalated", "updated")


def artifact_key(
    name: str, organisation_id: int, *, one_subject_run: bool = False, lifecycle: bool = True
) -> str:
    """Stable per flow and organisation, so the UI shows one history per pair:
    the organisation's latest whole run. Runs for chosen subjects get their
    own key: their counts cover only those subjects and would read as a drop
    in the organisation's history. A service flow's key (mail, the monthly
    report) does not call it a lifecycle."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    key = f"{slug}-{'lifecycle-' if lifecycle else ''}org-{organisation_id}"
    return f"{key}-subjects" if one_subject_run else key


# Lifecycle names are identifiers; these words are read as their letters.
ACRONYMS = {"asye": "ASYE", "dbs": "DBS"}


def _heading(name: str) -> str:
    """ "asye" -> "ASYE", "personal_supervision" -> "Personal supervision"."""
    words = name.split("_")
    text = " ".join(ACRONYMS.get(word, word) for word in words)
    return text if words[0] in ACRONYMS else text.capitalize()


def render_report(
    counts: ReconcileCounts | Sequence[ReconcileCounts],
    organisation_name: str | None = None,
    *,
    title: str | None = None,
    extra: Sequence[str] = (),
) -> str:
    """The artifact's markdown for one organisation: one row per lifecycle,
    then by team (what changed, and the open human tasks now overdue), then
    the human tasks escalated.
    `extra` lines (what a flow did besides the reconcile) follow the summary."""
    runs = [counts] if isinstance(counts, ReconcileCounts) else list(counts)
    first = runs[0]
    who = organisation_name or f"Organisation {first.organisation_id}"
    scope = f" for {', '.join(first.subjects)}" if first.subjects else ""
    heading = title or f"{_heading(first.lifecycle)} lifecycle"
    lines = [f"# {heading}: {who}{scope}", "", f"As of {first.as_of:%-d %B %Y}.", ""]
    if extra:
        lines += [*extra, ""]
    lines += [*_summary(runs), "", "## By team", "", *_by_team(runs)]
    escalations = [e for c in runs for e in c.escalations]
    if escalations:
        lines += ["", "## Escalated in this run", ""]
        lines += [f"- {_cell(e)}" for e in escalations]
    return "\n".join(lines) + "\n"


def _summary(runs: Sequence[ReconcileCounts]) -> list[str]:
    """The counts: one row for one lifecycle, a row per lifecycle for several."""
    if len(runs) == 1:
        c = runs[0]
        return [
            "| Created | Completed | Cancelled | Reopened | Escalated | Updated | Open | Overdue |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {c.created} | {c.completed} | {c.cancelled} | {c.reopened} | {c.escalated} "
            f"| {c.updated} | {c.open_total} | {c.overdue_total} |",
        ]
    return [
        "| Lifecycle | Created | Completed | Cancelled | Reopened | Escalated | Updated "
        "| Open | Overdue |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ] + [
        f"| {_heading(c.lifecycle)} | {c.created} | {c.completed} | {c.cancelled} "
        f"| {c.reopened} | {c.escalated} | {c.updated} | {c.open_total} | {c.overdue_total} |"
        for c in runs
    ]


def _by_team(runs: Sequence[ReconcileCounts]) -> list[str]:
    """What changed and what is overdue, by team, added up over the lifecycles."""
    teams: dict[str, Counter] = {}
    for c in runs:
        for team, numbers in c.by_team_counts.items():
            changed = {k: v for k, v in numbers.items() if k != "overdue"}
            teams.setdefault(team, Counter()).update(changed)
        for team, n in c.overdue_by_team.items():
            teams.setdefault(team, Counter())["overdue"] += n
    lines = []
    if teams:
        lines += [
            "| Team | Created | Completed | Cancelled | Escalated | Overdue |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {_cell(team)} | {n['created']} | {n['completed']} | {n['cancelled']} "
            f"| {n['escalated']} | {n['overdue']} |"
            for team, n in sorted(teams.items())
        ]
    if not any(n["overdue"] for n in teams.values()):
        lines += ["", "Nothing is overdue."]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def describe(runs: Sequence[ReconcileCounts]) -> str:
    total = {name: sum(getattr(c, name) for c in runs) for name in COLUMNS}
    overdue = sum(c.overdue_total for c in runs)
    return (
        f"{total['created']} created, {total['completed']} completed, "
        f"{total['cancelled']} cancelled, {total['escalated']} escalated; {overdue} overdue"
    )


@task(name="Publish what the run did as an artifact")
def publish_reconcile_report(
    counts: ReconcileCounts | list[ReconcileCounts],
    organisation_name: str | None = None,
    name: str | None = None,
    title: str | None = None,
    extra: list[str] | None = None,
) -> str:
    runs = [counts] if isinstance(counts, ReconcileCounts) else list(counts)
    first = runs[0]
    key = artifact_key(
        name or first.lifecycle, first.organisation_id, one_subject_run=first.subjects is not None
    )
    create_markdown_artifact(
        markdown=render_report(runs, organisation_name, title=title, extra=extra or ()),
        key=key,
        description=describe(runs),
    )
    return key
