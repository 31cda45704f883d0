"""Picking import files up from the folder, as a Prefect task per
organisation (models/imports/folder.py does the work: claim, import through
the command line's importer, move to done/ or failed/ with the report), and
the run's artifact with each file's preview figures. Safe to retry: a retry
finishes what the failed attempt left in processing/ and imports nothing
twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact

from models.imports.folder import PickedUp, organisations, pick_up
from tasks.retries import TRANSIENT


@task(name="List the organisations with an import folder")
def list_import_folders(root: str, organisation: str | None = None) -> list[str]:
    return [organisation] if organisation else organisations(Path(root))


@task(name="Import the files waiting in one organisation's folder", **TRANSIENT)
def pick_up_files(root: str, organisation: str, on: date) -> list[PickedUp]:
    return pick_up(Path(root), organisation, on)


def artifact_markdown(root: str, picked: list[PickedUp]) -> str:
    lines = [f"# Files imported from `{root}`", ""]
    if not picked:
        return "\n".join([*lines, "No files were waiting."]) + "\n"
    labels = [label for label, _ in next((p.counts for p in picked if p.counts), ())]
    lines += [
        "| Organisation | File | Kind | Mapping | Outcome | " + " | ".join(labels) + " |",
        "| --- | --- | --- | --- | --- | " + " | ".join("---:" for _ in labels) + " |",
    ]
    for p in picked:
        counts = dict(p.counts)
        figures = " | ".join(str(counts.get(label, "")) for label in labels)
        lines.append(
            f"| {p.organisation} | `{p.name}` | {p.kind} | {p.mapping} | {p.outcome} | {figures} |"
        )
    lines += ["", "Each file's report is beside it in `done/` or `failed/`."]
    return "\n".join(lines) + "\n"


@task(name="Publish what the import folder run did")
def publish_import_artifact(root: str, picked: list[PickedUp]) -> None:
    create_markdown_artifact(
        markdown=artifact_markdown(root, picked),
        key="import-folder",
        description="Files picked up from the import folder, with their preview figures",
    )
