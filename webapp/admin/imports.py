"""Importing a file on the web: upload, preview, confirm. The page runs the
very code the command line runs (models/imports/importer.py): the preview is
the import applied and rolled back, and confirming imports the same stored
file. The uploaded file waits in the instance folder, named by a random
token the signed-in person's session holds, until it is imported or replaced."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from models.imports import mapping as mappings
from models.imports.importer import ImportReport, import_file
from webapp.access import rule
from webapp.admin.access import organisation_admin
from webapp.admin.forms import IMPORT_KINDS, ConfirmForm, ImportForm, choices
from webapp.admin.routes import bp
from webapp.admin.steps import form_page
from webapp.database import end_read, session_factory
from webapp.dates import today
from webapp.perform import error_summary

PENDING = "pending_import"
SHOWN_LINES = 200


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending() -> dict | None:
    pending = session.get(PENDING)
    if not pending or not (_folder() / pending["stored"]).is_file():
        return None
    return pending


def _run(pending: dict, dry_run: bool) -> ImportReport:
    end_read()
    return import_file(
        pending["kind"],
        _folder() / pending["stored"],
        on=today(),
        mapping_name=pending["mapping"],
        actor_user_id=current_user.user_id,
        dry_run=dry_run,
        partial=pending["partial"],
        display_name=pending["name"],
        session_factory=session_factory(),
    )


def _shown(report: ImportReport) -> dict:
    return {
        "summary": report.summary(),
        "counts": report.counts(),
        "changes": report.changes()[:SHOWN_LINES],
        "problems": report.problems[:SHOWN_LINES],
        "more": max(0, len(report.changes()) + len(report.problems) - 2 * SHOWN_LINES),
        "ok": report.outcome is not None and (not report.problems or report.outcome.partial),
    }


@bp.route("/imports", methods=["GET", "POST"])
@rule(organisation_admin)
def imports():
    form = ImportForm()
    form.mapping.choices = choices((n, n.replace("_", " ")) for n in mappings.available())
    if form.validate_on_submit():
        upload = form.file.data
        suffix = ".xlsx" if (upload.filename or "").lower().endswith(".xlsx") else ".csv"
        stored = f"{secrets.token_hex(16)}{suffix}"
        upload.save(_folder() / stored)
        _discard()
        session[PENDING] = {
            "stored": stored,
            "kind": form.kind.data,
            "mapping": form.mapping.data,
            "partial": bool(form.partial.data),
            "name": "".join(c for c in Path(upload.filename or "upload").name if c.isprintable())[
                :100
            ]
            or "upload",
        }
        preview = _shown(_run(session[PENDING], dry_run=True))
        (_folder() / f"{stored}.json").write_text(json.dumps(preview))
        return redirect(url_for("admin.import_preview"))
    summary = error_summary(form) if request.method == "POST" else None
    return form_page(
        form,
        "Import a file",
        url_for("admin.staff"),
        summary,
        multipart=True,
        intro="Staff first, then supervisors, then case allocations. You will see what the "
        "file would change before anything is saved.",
    )


@bp.route("/imports/preview", methods=["GET", "POST"])
@rule(organisation_admin)
def import_preview():
    pending = _pending()
    if pending is None:
        flash("There is no file waiting to be imported. Upload one.")
        return redirect(url_for("admin.imports"))
    preview = json.loads((_folder() / f"{pending['stored']}.json").read_text())
    form = ConfirmForm()
    if form.validate_on_submit() and preview["ok"]:
        report = _run(pending, dry_run=False)
        if report.applied:
            _discard()
            flash(report.summary(), "success")
            return redirect(url_for("admin.staff"))
        preview = _shown(report)
    return render_template(
        "admin/import_preview.html",
        form=form,
        preview=preview,
        pending=pending,
        kind_label=IMPORT_KINDS[pending["kind"]],
    )


def _discard() -> None:
    pending = session.pop(PENDING, None)
    if pending:
        for path in (_folder() / pending["stored"], _folder() / f"{pending['stored']}.json"):
            path.unlink(missing_ok=True)
