"""A short markdown report per reconcile, so the workforce team sees in the
Prefect UI what each run did without reading logs."""

from __future__ import annotations

import re

from prefect import task
from prefect.artifacts import create_markdown_artifact

from tasks.reconcile import ReconcileCounts


def artifact_key(lifecycle: str, organisation_id: int, *, one_subject_run: bool = False) -> str:
    """Stable per lifecycle and organisation, so the UI shows one history per
    pair. Runs for chosen subjects get their own key: their counts cover only
    those subjects and would read as a drop in the organisation's history."""
    slug = re.sub(r"[^a-z0-9]+", "-", lifecycle.lower()).strip("-")
    key = f"{slug}-lifecycle-org-{organisation_id}"
    return f"{key}-subjects" if one_subject_run else key


def render_report(counts: ReconcileCounts, organisation_name: str | None = None) -> str:
    """The artifact's markdown: the counts, then open overdue human tasks by team."""
    who = organisation_name or f"Organisation {counts.organisation_id}"
    scope = f" for {', '.join(counts.subjects)}" if counts.subjects else ""
    lines = [
        f"# {counts.lifecycle.replace('_', ' ').capitalize()} lifecycle: {who}{scope}",
        "",
        f"As of {counts.as_of:%-d %B %Y}.",
        "",
        "| Created | Completed | Cancelled | Reopened | Escalated | Open | Overdue |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {counts.created} | {counts.completed} | {counts.cancelled} | {counts.reopened} "
        f"| {counts.escalated} | {counts.open_total} | {counts.overdue_total} |",
        "",
        "## Overdue by team",
        "",
    ]
    if counts.overdue_by_team:
        lines += ["| Team | Overdue |", "| --- | ---: |"]
        lines += [f"| {_cell(team)} | {n} |" for team, n in sorted(counts.overdue_by_team.items())]
    else:
        lines.append("Nothing is overdue.")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@task(name="Publish what the reconcile did as an artifact")
def publish_reconcile_report(counts: ReconcileCounts, organisation_name: str | None = None) -> str:
    key = artifact_key(
        counts.lifecycle, counts.organisation_id, one_subject_run=counts.subjects is not None
    )
    create_markdown_artifact(
        markdown=render_report(counts, organisation_name),
        key=key,
        description=(
            f"{counts.created} created, {counts.completed} completed, {counts.escalated} escalated"
        ),
    )
    return key
