"""People: everyone I may see (webapp.scope), one person's supervision page,
and "who has opened my records"."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import aliased

from models import (
    OPEN_STATUSES,
    AuditEntry,
    HumanTask,
    Observation,
    StaffMember,
    SupervisionRelationship,
    UserAccount,
)
from webapp import queries, scope
from webapp.access import logged_in, rule, staff_self_or_organisation_wide, staff_viewer
from webapp.audit import record_label, record_read
from webapp.database import db_session
from webapp.dates import today
from webapp.people.standing import chart_for, standing_for

bp = Blueprint("people", __name__, template_folder="templates")

OPENED_LIMIT = 500


@bp.route("/people")
@rule(logged_in)
def index():
    people = list(
        db_session().scalars(
            select(StaffMember)
            .where(StaffMember.id.in_(scope.visible_staff_ids(current_user)))
            .order_by(StaffMember.name, StaffMember.id)
        )
    )
    return render_template("people/index.html", people=people)


@bp.route("/people/<int:staff_id>")
@rule(staff_viewer)
def person(staff_id: int):
    db = db_session()
    on = today()
    person = scope.may_see_staff(current_user, staff_id)
    as_supervisee = list(
        db.scalars(
            select(SupervisionRelationship)
            .where(SupervisionRelationship.supervisee_id == staff_id)
            .order_by(SupervisionRelationship.started_on.desc(), SupervisionRelationship.id)
        )
    )
    current = [r for r in as_supervisee if r.ended_on is None or r.ended_on > on]
    agreements = {r.id: queries.latest_agreement(r) for r in current}
    supervisees = list(
        db.scalars(
            select(SupervisionRelationship)
            .where(
                SupervisionRelationship.supervisor_id == staff_id,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > on),
            )
            .order_by(SupervisionRelationship.id)
        )
    )
    visible_ids = set(db.scalars(scope.visible_staff_ids(current_user)))
    observations = list(
        db.scalars(
            select(Observation)
            .where(Observation.staff_id == staff_id)
            .order_by(Observation.observed_on.desc())
        )
    )
    observers = {
        s.id: s.name
        for s in db.scalars(
            select(StaffMember).where(StaffMember.id.in_({o.observer_id for o in observations}))
        )
    }
    tasks = list(
        db.scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == person.organisation_id,
                HumanTask.status.in_(OPEN_STATUSES),
                (HumanTask.subject_staff_id == staff_id) | (HumanTask.assignee_id == staff_id),
            )
            .order_by(HumanTask.due_on, HumanTask.id)
        )
    )
    standing = standing_for(db, person, as_supervisee, on)
    chart = chart_for(standing, on)
    page = render_template(
        "people/person.html",
        person=person,
        current=current,
        agreements=agreements,
        supervisees=supervisees,
        visible_ids=visible_ids,
        observations=observations,
        observers=observers,
        tasks=tasks,
        standing=standing,
        chart=chart,
        is_me=staff_id == current_user.staff_id,
        may_arrange_cover=bool(supervisees)
        and (
            staff_id == current_user.staff_id
            or scope.may_manage_staff(current_user, staff_id) is not None
        )
        and not current_user.read_only,
        on=on,
    )
    record_read(object_type="person_page", object_id=staff_id, subject_staff_id=staff_id)
    return page


@bp.route("/people/<int:staff_id>/opened")
@rule(staff_self_or_organisation_wide)
def opened(staff_id: int):
    db = db_session()
    person = db.get(StaffMember, staff_id)
    actor = aliased(StaffMember)
    own_accounts = select(UserAccount.id).where(UserAccount.staff_id == staff_id)
    rows = db.execute(
        select(AuditEntry, actor)
        .join(UserAccount, UserAccount.id == AuditEntry.actor_user_id)
        .join(actor, actor.id == UserAccount.staff_id)
        .where(
            AuditEntry.subject_staff_id == staff_id,
            AuditEntry.action == "read",
            AuditEntry.actor_user_id.not_in(own_accounts),
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(OPENED_LIMIT)
    ).all()
    return render_template(
        "people/opened.html",
        person=person,
        rows=rows,
        record_label=record_label,
        is_me=staff_id == current_user.staff_id,
        limit=OPENED_LIMIT,
    )
