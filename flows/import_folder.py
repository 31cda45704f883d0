"""Import the files dropped in the import folder (OVERSIGHT_IMPORT_FOLDER,
laid out as models/imports/folder.py says), every quarter of an hour and on
demand, through the same importer as `oversight import`: each file moves to
done/ or failed/ with its report, and the run's artifact has each file's
preview figures. Without a folder configured the run says so and does
nothing."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.lifecycle import row_flow, today_in_london
from flows.table import row
from models.imports.folder import FOLDER_ENV, PickedUp, configured_folder
from tasks.imports import list_import_folders, pick_up_files, publish_import_artifact

ROW = row("import-folder")


@flow(**row_flow(ROW))
def import_folder(
    folder: str | None = None, organisation: str | None = None, as_of: date | None = None
) -> list[PickedUp]:
    """folder: default OVERSIGHT_IMPORT_FOLDER; organisation: one slug (default every
    organisation with a folder there)."""
    root = folder or (str(configured_folder()) if configured_folder() else None)
    if root is None:
        print(f"{FOLDER_ENV} is not set: there is no folder to pick files up from.")
        return []
    on = as_of or today_in_london()
    picked: list[PickedUp] = []
    for slug in list_import_folders(root, organisation):
        picked += pick_up_files(root, slug, on)
    publish_import_artifact(root, picked)
    return picked


if __name__ == "__main__":
    import_folder()
