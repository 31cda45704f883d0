"""The dashboard's planning pages: capacity and what-if (the supervisor hours
the council's policy demands a month by team, against contracted hours, and
under another council's policy over the same facts), and the inspection
evidence pack to download. Routes on the dashboard's blueprint."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from models import Organisation, Team
from models.base import utcnow
from models.reports import PeriodError
from models.reports.capacity import ALLOWANCES, PART_LABELS, capacity, side_by_side
from models.reports.capacity_facts import capacity_facts
from models.reports.evidence import day_range, pack_scope, produce
from policy import load_profile
from policy.keys import staff_fact_id, team_fact_id
from policy.profile import available_profiles
from webapp.access import rule
from webapp.dashboard.access import dashboard_viewer, evidence_producer
from webapp.dashboard.forms import CapacityForm, EvidenceForm
from webapp.dashboard.routes import bp
from webapp.database import db_session, end_read, session_factory
from webapp.dates import today

ZIP = "application/zip"
WHOLE = "all"


def _team_names(session, report_scope) -> dict[str | None, str]:
    """Team fact id -> name, for the teams in the viewer's scope."""
    query = select(Team.id, Team.name)
    if report_scope.team_ids is not None:
        query = query.where(Team.id.in_(report_scope.team_ids))
    rows = session.execute(query).tuples().all()
    return {team_fact_id(team_id): name for team_id, name in rows}


@bp.route("/dashboard/capacity")
@rule(dashboard_viewer)
def capacity_page():
    """Hours demanded by the council's policy, by team, and under another's."""
    report_scope = dashboard_viewer.loaded()
    session = db_session()
    org = session.get(Organisation, report_scope.organisation_id)
    form = CapacityForm(formdata=request.args if request.args else None)
    form.compare.choices = [("", "No comparison")] + [
        (name, load_profile(name).title) for name in available_profiles() if name != org.profile
    ]
    context = {"form": form, "scope": report_scope, "allowances": ALLOWANCES}
    if request.args and not form.validate():
        return render_template("dashboard/capacity.html", **context), 400
    on = form.as_of.data or today()
    facts = capacity_facts(session, org.id, on)
    first = capacity(load_profile(org.profile), facts, on)
    other = capacity(load_profile(form.compare.data), facts, on) if form.compare.data else None
    names = _team_names(session, report_scope)
    mine = None if report_scope.whole_organisation else set(names)
    rows = [r for r in side_by_side(first, other) if mine is None or r.team in mine]
    return render_template(
        "dashboard/capacity.html",
        **context,
        on=on,
        first=first,
        other=other,
        rows=rows,
        names=names,
        parts=[(PART_LABELS[k], v) for k, v in first.parts(mine).items()],
        first_title=load_profile(org.profile).title,
        other_title=load_profile(other.profile).title if other else "",
    )


@bp.route("/dashboard/evidence")
@rule(evidence_producer)
def evidence():
    """The inspection evidence pack: the form, or (filled in) the zip."""
    areas = evidence_producer.loaded()
    form = EvidenceForm(formdata=request.args if request.args else None)
    form.area.choices = [(WHOLE if a is None else str(a), name) for a, name in areas]
    if not request.args:
        return render_template("dashboard/evidence.html", form=form)
    period = None
    if form.validate():
        try:
            ends_on = form.ends_on.data
            period = day_range(form.starts_on.data, ends_on, min(today(), ends_on))
        except PeriodError as error:
            form.ends_on.errors = [*form.ends_on.errors, str(error)]
    if period is None:
        return render_template("dashboard/evidence.html", form=form), 400
    area_id = None if form.area.data == WHOLE else int(form.area.data)
    report_scope = pack_scope(db_session(), current_user.organisation_id, area_id)
    end_read()  # SQLite: the pack's audit entry is written in its own transaction
    pack = produce(
        session_factory(),
        report_scope,
        period,
        actor_user_id=current_user.user_id,
        actor=staff_fact_id(current_user.staff_id),
        by=current_user.name,
        now=utcnow(),
    )
    return Response(
        pack.content,
        mimetype=ZIP,
        headers={"Content-Disposition": f'attachment; filename="{pack.name}"'},
    )
