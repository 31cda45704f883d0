"""Quarterly sampling (Lancashire 000 §2.1, Bristol 002 §5.10): a random,
reproducible, overdue-weighted sample from one service area, drawn once per
quarter, read and completed by its head of service."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AgreementSignature,
    AgreementStatus,
    AuditEntry,
    HumanTask,
    Sample,
    SampleItem,
    ServiceArea,
    SessionStatus,
    StaffRole,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
    Team,
)
from models.actions.errors import AlreadySigned, NotPermitted
from models.actions.sample_population import (
    AGREEMENT,
    NO_AGREEMENT,
    SESSION,
    derive_seed,
    verify_seed,
)
from models.actions.sampling import (
    complete_empty_sample,
    draw_for_head_of_service,
    draw_sample,
    quarter_bounds,
    record_finding,
    redraw,
    sample_size,
)
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff

DRAWN_ON = date(2026, 4, 1)  # the first working day of 2026-Q2; the sample reads Q1
QUARTER = "2026-Q2"


def _area(session, org, head, name):
    area = ServiceArea(organisation_id=org.id, name=name, head_of_service_id=head.id)
    session.add(area)
    session.flush()
    team = Team(service_area_id=area.id, name=f"{name} team")
    session.add(team)
    session.flush()
    return area, team


def _held(session, rel, held_on, recorded_on):
    row = SupervisionSession(
        relationship_id=rel.id,
        status=SessionStatus.HELD,
        held_on=held_on,
        recorded_on=recorded_on,
    )
    session.add(row)
    session.flush()
    return row


def _agreement(session, rel, signed_on):
    agreement = SupervisionAgreement(
        relationship_id=rel.id, version=1, status=AgreementStatus.IN_FORCE, content={}
    )
    session.add(agreement)
    session.flush()
    for party, staff_id in (("supervisor", rel.supervisor_id), ("supervisee", rel.supervisee_id)):
        session.add(
            AgreementSignature(
                agreement_id=agreement.id, party=party, staff_id=staff_id, signed_on=signed_on
            )
        )
    session.flush()
    return agreement


@pytest.fixture
def council(db):
    """Two service areas under two heads. In the first, six workers each with
    one supervision in Q1 2026: three recorded within Lancashire's two weeks
    (§1.8), three late; three agreements signed on time, two late, one missing.
    In the second, one worker with one session."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="lancashire")
        head = make_staff(session, org, name="Helen Head", role=StaffRole.SENIOR_MANAGER)
        other_head = make_staff(session, org, name="Omar Other", role=StaffRole.SENIOR_MANAGER)
        area, team = _area(session, org, head, "Children in Need")
        other_area, other_team = _area(session, org, other_head, "Fostering")
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        ids = {"sessions": {}, "agreements": {}, "missing": []}
        for n in range(6):
            worker = make_staff(session, org, team=team, line_manager=manager)
            rel = make_relationship(session, manager, worker, started_on=date(2025, 6, 2))
            late = n >= 3
            row = _held(
                session,
                rel,
                date(2026, 2, 2),
                date(2026, 2, 27) if late else date(2026, 2, 9),
            )
            ids["sessions"][row.id] = late
            if n == 5:
                ids["missing"].append(rel.id)
            else:
                signed = date(2025, 9, 1) if n in (3, 4) else date(2025, 6, 30)
                ids["agreements"][_agreement(session, rel, signed).id] = n in (3, 4)
        other_manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=other_team)
        other_worker = make_staff(session, org, team=other_team, line_manager=other_manager)
        other_rel = make_relationship(
            session, other_manager, other_worker, started_on=date(2025, 6, 2)
        )
        ids["other_session"] = _held(session, other_rel, date(2026, 2, 2), date(2026, 2, 3)).id
        ids["other_rel"] = other_rel.id
        ids.update(
            org=org.id,
            head=head.id,
            other_head=other_head.id,
            area=area.id,
            other_area=other_area.id,
        )
        return ids


def _items(db, sample_id):
    with db() as session:
        return [
            (i.object_type, i.object_id, i.was_overdue)
            for i in session.scalars(
                select(SampleItem)
                .where(SampleItem.sample_id == sample_id)
                .order_by(SampleItem.position)
            )
        ]


def test_the_sample_comes_from_that_service_area_only(db, council):
    result = draw_sample(council["area"], QUARTER, 50, DRAWN_ON, session_factory=db)
    items = _items(db, result.sample_id)
    sessions = {oid for kind, oid, _ in items if kind == SESSION}
    assert sessions == set(council["sessions"])
    assert council["other_session"] not in sessions
    assert {oid for kind, oid, _ in items if kind == AGREEMENT} == set(council["agreements"])
    assert {oid for kind, oid, _ in items if kind == NO_AGREEMENT} == set(council["missing"])
    with db() as session:
        sample = session.get(Sample, result.sample_id)
        assert sample.sampler_id == council["head"]
        assert (sample.quarter, sample.size, sample.drawn_on) == (QUARTER, 50, DRAWN_ON)


def test_late_records_and_missing_agreements_are_marked_overdue(db, council):
    result = draw_sample(council["area"], QUARTER, 50, DRAWN_ON, session_factory=db)
    overdue = {(kind, oid): late for kind, oid, late in _items(db, result.sample_id)}
    for session_id, late in council["sessions"].items():
        assert overdue[(SESSION, session_id)] is late
    for agreement_id, late in council["agreements"].items():
        assert overdue[(AGREEMENT, agreement_id)] is late
    assert overdue[(NO_AGREEMENT, council["missing"][0])] is True


def test_the_sample_is_the_configured_size(db, council, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_SAMPLE_SIZE", "4")
    assert sample_size() == 4
    result = draw_sample(council["area"], QUARTER, drawn_on=DRAWN_ON, session_factory=db)
    assert result.item_count == 4
    assert len(_items(db, result.sample_id)) == 4


def test_the_default_sample_size_is_ten(monkeypatch):
    monkeypatch.delenv("OVERSIGHT_SAMPLE_SIZE", raising=False)
    assert sample_size() == 10


def test_drawing_twice_returns_the_sample_already_drawn(db, council):
    first = draw_sample(council["area"], QUARTER, 5, DRAWN_ON, session_factory=db)
    second = draw_sample(council["area"], QUARTER, 5, date(2026, 4, 2), session_factory=db)
    assert first.created and not second.created
    assert second.sample_id == first.sample_id
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Sample)) == 1


def test_the_sample_can_be_drawn_again_from_its_recorded_seed_and_is_the_same(db, council):
    result = draw_sample(council["area"], QUARTER, 5, DRAWN_ON, session_factory=db)
    stored = [(kind, oid) for kind, oid, _ in _items(db, result.sample_id)]
    # Records added after the draw do not change what the seed reproduces.
    with db() as session, session.begin():
        rel_id = session.scalar(
            select(SupervisionSession.relationship_id).where(
                SupervisionSession.id == next(iter(council["sessions"]))
            )
        )
        _held(session, session.get(SupervisionRelationship, rel_id), date(2026, 3, 2), None)
    again = [(c.object_type, c.object_id) for c in redraw(result.sample_id, session_factory=db)]
    assert again == stored
    with db() as session:
        sample = session.get(Sample, result.sample_id)
        assert verify_seed(sample)
        assert sample.seed.startswith("v1:")


def test_a_tampered_seed_is_detected(db, council):
    result = draw_sample(council["area"], QUARTER, 5, DRAWN_ON, session_factory=db)
    with db() as session, session.begin():
        sample = session.get(Sample, result.sample_id)
        sample.quarter = "2026-Q3"
    with db() as session:
        assert not verify_seed(session.get(Sample, result.sample_id))


def test_the_seed_comes_from_the_area_the_quarter_and_the_salt(db, council):
    result = draw_sample(
        council["area"], QUARTER, 5, DRAWN_ON, salt="0123456789abcdef", session_factory=db
    )
    with db() as session:
        seed = session.get(Sample, result.sample_id).seed
    assert seed == derive_seed(council["area"], QUARTER, "0123456789abcdef")
    assert seed != derive_seed(council["other_area"], QUARTER, "0123456789abcdef")
    assert seed != derive_seed(council["area"], "2026-Q3", "0123456789abcdef")


@pytest.mark.parametrize("quarter", ["2026-Q5", "2026Q1", "Q1-2026", ""])
def test_a_malformed_quarter_is_refused(db, council, quarter):
    with pytest.raises(ValueError, match="2026-Q2"):
        draw_sample(council["area"], quarter, 5, DRAWN_ON, session_factory=db)


def test_quarters_run_from_the_first_of_january():
    assert quarter_bounds("2026-Q2") == (date(2026, 4, 1), date(2026, 7, 1))
    assert quarter_bounds("2026-Q4") == (date(2026, 10, 1), date(2027, 1, 1))


def test_the_flow_draws_for_every_area_a_head_of_service_heads(db, council):
    [result] = draw_for_head_of_service(
        council["other_head"], QUARTER, DRAWN_ON, size=5, session_factory=db
    )
    assert {(kind, oid) for kind, oid, _ in _items(db, result.sample_id)} == {
        (SESSION, council["other_session"]),
        (NO_AGREEMENT, council["other_rel"]),
    }
    assert draw_for_head_of_service(council["head"], QUARTER, DRAWN_ON, session_factory=db)[
        0
    ].created


def _sampling_task(db, council):
    reconcile(
        organisation_id=council["org"],
        lifecycles={"sampling"},
        as_of=date(2026, 6, 10),
        session_factory=db,
    )
    with db() as session:
        return session.scalars(
            select(HumanTask).where(HumanTask.key == f"sampling:staff-{council['head']}:2026-04-01")
        ).one()


def test_a_finding_on_every_record_completes_the_sample_and_meets_the_quarters_sampling(
    db, council
):
    task = _sampling_task(db, council)
    assert task.status.value == "open"
    result = draw_sample(council["area"], QUARTER, 3, DRAWN_ON, session_factory=db)
    with db() as session:
        item_ids = list(
            session.scalars(select(SampleItem.id).where(SampleItem.sample_id == result.sample_id))
        )
    outcomes = []
    for n, item_id in enumerate(item_ids):
        outcomes.append(
            record_finding(
                sample_id=result.sample_id,
                item_id=item_id,
                reviewer_staff_id=council["head"],
                meets_standard=n != 0,
                finding=f"Finding {n}",
                on=date(2026, 6, 10),
                session_factory=db,
            )
        )
    assert [o.sample_complete for o in outcomes] == [False, False, True]
    assert outcomes[-1].completed_task_id == task.id
    with db() as session:
        assert session.get(Sample, result.sample_id).completed_on == date(2026, 6, 10)
        assert session.get(HumanTask, task.id).status.value == "completed"
    # The engine agrees: the quarter's sampling is met.
    again = reconcile(
        organisation_id=council["org"],
        lifecycles={"sampling"},
        as_of=date(2026, 6, 11),
        session_factory=db,
    )
    assert f"sampling:staff-{council['head']}:2026-04-01" not in again.reopened


def test_a_finding_cannot_change_once_the_sample_is_complete(db, council):
    result = draw_sample(council["area"], QUARTER, 1, DRAWN_ON, session_factory=db)
    with db() as session:
        [item_id] = session.scalars(
            select(SampleItem.id).where(SampleItem.sample_id == result.sample_id)
        )
    finding = {
        "sample_id": result.sample_id,
        "item_id": item_id,
        "reviewer_staff_id": council["head"],
        "meets_standard": True,
        "finding": "Good",
        "on": date(2026, 6, 10),
        "session_factory": db,
    }
    record_finding(**finding)
    with pytest.raises(AlreadySigned):
        record_finding(**{**finding, "finding": "Changed my mind"})


@pytest.mark.parametrize("who", ["other_head"])
def test_only_the_areas_head_of_service_records_findings(db, council, who):
    result = draw_sample(council["area"], QUARTER, 1, DRAWN_ON, session_factory=db)
    with db() as session:
        [item_id] = session.scalars(
            select(SampleItem.id).where(SampleItem.sample_id == result.sample_id)
        )
    with pytest.raises(NotPermitted):
        record_finding(
            sample_id=result.sample_id,
            item_id=item_id,
            reviewer_staff_id=council[who],
            meets_standard=True,
            finding="Good",
            on=date(2026, 6, 10),
            session_factory=db,
        )


def test_a_quarter_with_nothing_to_sample_is_confirmed_by_the_head_of_service(db, council):
    result = draw_sample(council["area"], "2020-Q1", 5, date(2020, 1, 2), session_factory=db)
    assert result.item_count == 0
    done = complete_empty_sample(
        sample_id=result.sample_id,
        reviewer_staff_id=council["head"],
        on=date(2020, 1, 2),
        session_factory=db,
    )
    assert done.sample_complete
    with db() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "complete")
            )
            == 1
        )


def test_two_draws_at_once_on_postgresql_make_one_sample(db, council, postgres_only):
    barrier = threading.Barrier(4)
    results, errors = [], []

    def draw(salt):
        try:
            barrier.wait()
            results.append(
                draw_sample(council["area"], QUARTER, 5, DRAWN_ON, salt=salt, session_factory=db)
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=draw, args=(f"{n:016x}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.sample_id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Sample)) == 1
        assert session.scalar(select(func.count()).select_from(SampleItem)) == 5
