"""The dashboard: every figure for the viewer's scope (webapp/dashboard/access.py),
for a date range as of a day, each a chart with its table; each number opens
the items behind it; and the month's supervision report to download."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models.base import utcnow
from models.reports import FIGURES, PeriodError, figure_items, figure_table, month_period
from models.reports.summary import kept_figures, kept_tables, refresh_summary
from models.reports.tables import DimensionLabels
from models.reports.workbook import build_report, headings, workbook_bytes
from webapp import scope
from webapp.access import rule
from webapp.dashboard import chart
from webapp.dashboard.access import (
    dashboard_viewer,
    evidence_areas,
    figures_refresher,
    may_see_dashboard,
)
from webapp.dashboard.forms import FiltersForm, RefreshForm, ReportForm, last_month
from webapp.database import db_session, end_read, session_factory
from webapp.dates import long_datetime, today

bp = Blueprint("dashboard", __name__, template_folder="templates")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The most teams whose rows every figure shows; more, and each figure links
# to its own page of them.
MOST_TEAMS_SHOWN = 12


@bp.app_context_processor
def dashboard_link() -> dict:
    """Whether the site navigation offers the dashboard (asked per page)."""
    return {"may_see_dashboard": lambda: may_see_dashboard(current_user)}


def _filters(on: date):
    """The filters from the query string, the period, and any error summary."""
    form = FiltersForm(formdata=request.args if request.args else None)
    if request.args and not form.validate():
        return form, None
    try:
        return form, form.period(on)
    except PeriodError as error:
        form.ends_on.errors = [*form.ends_on.errors, str(error)]
        return form, None


def _show_period(form: FiltersForm, period) -> None:
    """Fill the date boxes left blank with the days the figures cover, so
    the form says what period is shown."""
    for field, day in (
        (form.starts_on, period.starts_on),
        (form.ends_on, period.ends_on),
        (form.as_of, period.as_of),
    ):
        if field.data is None and not field.errors:
            field.data, field.raw_data = day, None


def _items_href(period_args: dict):
    """A number's link to the items behind it: the route's URL built once per
    page and each cell's query string encoded here, not a url_for per number
    (thousands of them on the whole organisation's page)."""
    base = url_for("dashboard.items")
    period = urlencode(period_args, doseq=True)

    def href(figure: str, keys: dict[str, str], outcome: str | None = None) -> str:
        pairs = [("figure", figure)] + ([("outcome", outcome)] if outcome else [])
        return f"{base}?{urlencode([*pairs, *keys.items()])}&{period}"

    return href


def _period_args(period) -> dict:
    """The period as the filter form's query arguments (day, month, year boxes)."""
    return {
        name: [str(day.day), str(day.month), str(day.year)]
        for name, day in (
            ("starts_on", period.starts_on),
            ("ends_on", period.ends_on),
            ("as_of", period.as_of),
        )
    }


@bp.route("/dashboard")
@rule(dashboard_viewer)
def index():
    report_scope = dashboard_viewer.loaded()
    form, period = _filters(today())
    # One figure team by team (its "team by team" link), or every figure: by
    # team for a team manager's team and a head of service's few; for the
    # whole organisation and many teams without the team, a row per team
    # being thousands of rows to read (and to send).
    one = FIGURES.get(request.args.get("figure", ""))
    if request.args.get("figure") and one is None:
        abort(404)
    teams = report_scope.team_ids
    by_team = one is not None or (teams is not None and len(teams) <= MOST_TEAMS_SHOWN)
    tables, charts, kept, from_kept = [], {}, None, False
    if period is not None:
        _show_period(form, period)
        session = db_session()
        months = period.months()
        labels = {m: date.fromisoformat(f"{m}-01").strftime("%b %Y") for m in months}
        names = DimensionLabels(session, report_scope.organisation_id)
        figures = [one] if one else list(FIGURES.values())
        # The kept figures when they cover the period asked for (the period
        # the page opens on, as of the day they were kept); else live.
        kept = kept_figures(session, report_scope.organisation_id)
        from_kept = kept is not None and kept.covers(period)
        if from_kept:
            tables = kept_tables(session, figures, report_scope, by_team=by_team, labels=names)
        else:
            tables = [
                figure_table(session, f, report_scope, period, by_team=by_team, labels=names)
                for f in figures
            ]
        for table in tables:
            charts[table.figure.name] = (
                chart.trend(table, months, labels) if table.figure.trend else chart.bars(table)
            )
    return render_template(
        "dashboard/index.html",
        form=form,
        one_figure=one,
        report_form=ReportForm(data={"month": last_month(today())}),
        scope=report_scope,
        period=period,
        period_args=_period_args(period) if period else {},
        items_href=_items_href(_period_args(period) if period else {}),
        tables=tables,
        charts=charts,
        kept=kept,
        from_kept=from_kept,
        # The workforce team's button (an auditor's login is read-only).
        refresh_form=RefreshForm() if figures_refresher.loaded_for(current_user, {}) else None,
        table_headings=headings,
        # The planning pages: capacity has the dashboard's own rule; the
        # evidence pack's rule is asked once here.
        may_produce_evidence=evidence_areas(current_user) is not None,
    )


@bp.route("/dashboard/refresh", methods=["POST"])
@rule(figures_refresher)
def refresh():
    """The whole organisation's kept figures computed again, now."""
    report_scope = figures_refresher.loaded()
    if not RefreshForm().validate_on_submit():
        abort(400)
    end_read()  # SQLite: the refresh writes in its own transaction
    kept = refresh_summary(report_scope.organisation_id, today(), session_factory=session_factory())
    flash(
        f"The figures were computed again: figures as of {long_datetime(kept.computed_at)}.",
        "success",
    )
    return redirect(url_for("dashboard.index"))


@bp.route("/dashboard/items")
@rule(dashboard_viewer)
def items():
    """The people and records behind one number of one figure."""
    report_scope = dashboard_viewer.loaded()
    figure = FIGURES.get(request.args.get("figure", ""))
    if figure is None:
        abort(404)
    outcome = request.args.get("outcome") or None
    if outcome is not None and outcome not in dict(figure.outcomes):
        abort(404)
    form, period = _filters(today())
    if period is None:
        return render_template("dashboard/items.html", form=form, figure=figure, rows=None)
    where = {d: request.args[d] for d in figure.dimensions if d in request.args}
    session = db_session()
    rows = figure_items(session, figure, report_scope, period, where, outcome)
    visible = set(session.scalars(scope.visible_staff_ids(current_user)))
    return render_template(
        "dashboard/items.html",
        form=form,
        figure=figure,
        outcome=figure.outcome_label(outcome) if outcome else "All",
        rows=rows,
        visible=visible,
        scope=report_scope,
        period=period,
        period_args=_period_args(period),
    )


@bp.route("/dashboard/report")
@rule(dashboard_viewer)
def report():
    """The month's supervision report for the viewer's scope, as a workbook."""
    report_scope = dashboard_viewer.loaded()
    if not request.args:
        # Nothing sent yet: the form, filled in with last month, no error.
        form = ReportForm(data={"month": last_month(today())})
        return render_template("dashboard/report.html", report_form=form, scope=report_scope)
    form = ReportForm(formdata=request.args)
    if not form.validate():
        return render_template("dashboard/report.html", report_form=form, scope=report_scope), 400
    period = month_period(form.month_key)
    built = build_report(db_session(), report_scope, period, utcnow())
    name = f"supervision-report-{form.month_key}.xlsx"
    return Response(
        workbook_bytes(built),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# The planning pages' routes are on this blueprint too.
from webapp.dashboard import planning  # noqa: E402, F401
