"""The sessions area's blueprint. Its routes are in routes.py (recording a
session), records.py (reading, countersigning and amending a record),
schedule.py (the year's schedule) and group_attendance.py."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sessions", __name__, template_folder="templates")
