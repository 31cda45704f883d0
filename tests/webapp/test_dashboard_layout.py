"""The dashboard as a phone and a first-time visitor meet it: charts that
scale to their column, the planning pages linked for those let in, the
month typed as people write it, and the date boxes saying the period shown."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.webapp.conftest import TODAY, build_app, login
from tests.webapp.test_dashboard import busy  # noqa: F401  (the shared world)


def _page(db, username: str, url: str = "/dashboard"):
    client = build_app(db).test_client()
    login(client, username)
    return client, client.get(url)


def test_every_chart_scales_by_its_viewbox_with_no_fixed_pixel_width(db, busy):  # noqa: F811
    _, page = _page(db, "wft")
    charts = re.findall(r'<svg[^>]*class="oversight-chart[^>]*>', page.get_data(as_text=True))
    assert len(charts) >= 5
    for tag in charts:
        assert re.search(r'viewBox="0 0 \d+ \d+"', tag)
        assert not re.search(r'\s(width|height)="', tag)


def test_the_workforce_team_is_offered_capacity_and_the_evidence_pack(db, busy):  # noqa: F811
    client, page = _page(db, "wft")
    html = page.get_data(as_text=True)
    assert 'href="/dashboard/capacity"' in html and 'href="/dashboard/evidence"' in html
    assert client.get("/dashboard/evidence").status_code == 200


def test_a_team_manager_is_offered_capacity_but_not_the_evidence_pack(db, busy):  # noqa: F811
    client, page = _page(db, "tm")
    html = page.get_data(as_text=True)
    assert 'href="/dashboard/capacity"' in html
    assert 'href="/dashboard/evidence"' not in html
    assert client.get("/dashboard/evidence").status_code == 404
    assert client.get("/dashboard/capacity").status_code == 200


def test_the_month_is_accepted_as_people_write_it(db, busy):  # noqa: F811
    client, _ = _page(db, "wft")
    month = TODAY.replace(day=1)
    for typed in (
        f"{month:%B %Y}",
        f"{month:%b %Y}",
        f"{month.month} {month.year}",
        f"{month:%Y-%m}",
    ):
        response = client.get("/dashboard/report", query_string={"month": typed})
        assert response.status_code == 200, typed
        assert f"supervision-report-{month:%Y-%m}.xlsx" in response.headers["Content-Disposition"]


def test_a_month_that_is_not_one_gets_an_error_naming_the_field(db, busy):  # noqa: F811
    client, _ = _page(db, "wft")
    for typed in ("Smarch 2026", "13 2026", "2026-13", ""):
        response = client.get("/dashboard/report", query_string={"month": typed})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, typed
        assert "govuk-error-summary" in html and "Enter the month of the report" in html
        assert 'href="#month"' in html


def test_the_report_page_opened_bare_shows_the_form_with_no_error(db, busy):  # noqa: F811
    _, page = _page(db, "wft", "/dashboard/report")
    html = page.get_data(as_text=True)
    last = TODAY.replace(day=1) - timedelta(days=1)
    assert page.status_code == 200
    assert "govuk-error-summary" not in html and "govuk-error-message" not in html
    assert f'value="{last:%B %Y}"' in html


def _box_values(html: str, name: str) -> tuple[int, int, int]:
    values = []
    for part in ("day", "month", "year"):
        tag = re.search(rf'<input[^>]*id="{name}-{part}"[^>]*>', html).group(0)
        values.append(int(re.search(r'value="(\d+)"', tag).group(1)))
    return tuple(values)


def test_the_date_boxes_show_the_period_the_figures_cover(db, busy):  # noqa: F811
    _, page = _page(db, "wft")
    html = page.get_data(as_text=True)
    assert _box_values(html, "as_of") == (TODAY.day, TODAY.month, TODAY.year)
    assert _box_values(html, "ends_on") == (TODAY.day, TODAY.month, TODAY.year)
    day, month, year = _box_values(html, "starts_on")
    assert day == 1 and (year * 12 + month) == (TODAY.year * 12 + TODAY.month) - 5


def test_a_date_left_blank_is_filled_with_the_default_used(db, busy):  # noqa: F811
    as_of = TODAY - timedelta(days=3)
    _, page = _page(
        db, "wft", f"/dashboard?as_of={as_of.day}&as_of={as_of.month}&as_of={as_of.year}"
    )
    html = page.get_data(as_text=True)
    assert _box_values(html, "as_of") == (as_of.day, as_of.month, as_of.year)
    assert _box_values(html, "ends_on") == (TODAY.day, TODAY.month, TODAY.year)
