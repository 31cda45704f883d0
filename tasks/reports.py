"""The monthly supervision report as a Prefect task (models/reports/monthly.py
makes it) and its artifact: the headline figures beside last month's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact

from models.reports.monthly import ProducedReport, produce_monthly_report
from tasks.artifacts import artifact_key


@task(name="Write the monthly supervision report for one organisation")
def write_monthly_report(
    organisation_id: int, month: str, as_of: date | None = None, out_dir: str | None = None
) -> ProducedReport:
    return produce_monthly_report(
        organisation_id, month, as_of=as_of, out_dir=Path(out_dir) if out_dir else None
    )


def headline_markdown(title: str, produced: ProducedReport) -> str:
    lines = [
        f"# {title}: {produced.organisation}, {produced.month}",
        "",
        "| Figure | This month | Last month |",
        "| --- | ---: | ---: |",
    ]
    lines += [
        f"| {name} | {value} | {produced.last_month.get(name, '')} |"
        for name, value in produced.headlines.items()
    ]
    lines += ["", f"Written to `{produced.folder}`:", ""]
    lines += [f"- `{path.rsplit('/', 1)[-1]}`" for path in produced.files]
    return "\n".join(lines) + "\n"


def publish_report_artifact(
    title: str, run_name: str, organisation_id: int, produced: ProducedReport
) -> None:
    create_markdown_artifact(
        markdown=headline_markdown(title, produced),
        key=artifact_key(run_name, organisation_id, lifecycle=False),
        description=f"Monthly supervision report {produced.month}",
    )
