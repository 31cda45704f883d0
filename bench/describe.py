"""The shape a loaded dataset came out with, beside the national figures it
aims at (bench/shape.py), so a reader can check the generator against them."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from bench import database

QUERIES = {
    "staff in post": "SELECT count(*) FROM staff_member WHERE left_on IS NULL OR left_on > %(d)s",
    "social workers, % of staff in post": """
        SELECT round(100.0 * count(*) FILTER (WHERE role = 'social_worker') / count(*), 1)
        FROM staff_member WHERE left_on IS NULL OR left_on > %(d)s""",
    "agency, % of social workers in post (DfE: ~17-18%)": """
        SELECT round(100.0 * count(*) FILTER (WHERE employment = 'agency') / count(*), 1)
        FROM staff_member WHERE role = 'social_worker' AND (left_on IS NULL OR left_on > %(d)s)""",
    "in their ASYE year, % of social workers in post (~8-10%)": """
        SELECT round(100.0 * count(*) FILTER (WHERE asye AND started_on > %(year_ago)s)
                     / count(*), 1)
        FROM staff_member WHERE role = 'social_worker' AND (left_on IS NULL OR left_on > %(d)s)""",
    "employees who left in the last year, % (DfE turnover: ~15-17%)": """
        SELECT round(100.0 * count(*) FILTER (WHERE left_on > %(year_ago)s AND left_on <= %(d)s)
                     / nullif(count(*) FILTER (WHERE left_on IS NULL OR left_on > %(d)s), 0), 1)
        FROM staff_member WHERE employment IN ('permanent', 'part_time')""",
    "open cases per case-holding social worker (DfE: ~16-17)": """
        SELECT round(count(*)::numeric / nullif(count(DISTINCT a.worker_id), 0), 1)
        FROM case_allocation a JOIN staff_member w ON w.id = a.worker_id
        WHERE a.ended_on IS NULL AND w.role = 'social_worker'""",
    "open cases": "SELECT count(*) FROM case_allocation WHERE ended_on IS NULL",
    "child protection, % of open cases (~12%)": """
        SELECT round(100.0 * count(*) FILTER (WHERE case_type = 'child_protection') / count(*), 1)
        FROM case_allocation WHERE ended_on IS NULL""",
    "children in care, % of open cases (~20%)": """
        SELECT round(100.0 * count(*) FILTER (WHERE case_type = 'child_in_care') / count(*), 1)
        FROM case_allocation WHERE ended_on IS NULL""",
}


def describe(url: str, as_of: date) -> dict[str, float]:
    """Each figure of QUERIES for the whole database, on as_of (PostgreSQL)."""
    if not database.is_postgres(url):
        return {}
    params = {"d": as_of, "year_ago": as_of - relativedelta(years=1)}
    connection = database.connect(url)
    try:
        with connection.cursor() as cursor:
            out = {}
            for name, query in QUERIES.items():
                cursor.execute(query, params)
                value = cursor.fetchone()[0]
                out[name] = float(value) if value is not None else None
            return out
    finally:
        connection.close()
