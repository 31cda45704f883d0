"""The dashboard's filters (a date range and the day it is seen as of) and
the monthly report's month. Sent by GET, so they carry no CSRF token."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from models.reports import Period, PeriodError
from models.reports.window import default_start
from webapp.fields import PlainDateField


class FiltersForm(FlaskForm):
    class Meta:
        csrf = False

    starts_on = PlainDateField(
        "From",
        description="For example, 1 7 2026",
        invalid_message="Enter the start of the date range as a real date, for example 1 7 2026",
        validators=[Optional()],
    )
    ends_on = PlainDateField(
        "To",
        description="For example, 31 12 2026",
        invalid_message="Enter the end of the date range as a real date, for example 31 12 2026",
        validators=[Optional()],
    )
    as_of = PlainDateField(
        "As of",
        description="The day the figures are seen as of: what was overdue, who was absent",
        invalid_message="Enter the day the figures are seen as of, for example 15 1 2027",
        validators=[Optional()],
    )
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def period(self, on: date) -> Period:
        """The period asked for, with today's defaults; raises PeriodError."""
        ends_on = self.ends_on.data or on
        starts_on = self.starts_on.data or default_start(ends_on)
        return Period(starts_on, ends_on, self.as_of.data or on)

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The end of the date range must be on or after its start")


MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in (
        date(2000, number, 1).strftime("%B").lower(),
        date(2000, number, 1).strftime("%b").lower(),
    )
} | {"sept": 9}
# "2026-11", "11 2026", "11/2026", "November 2026", "Nov 2026": the ways
# people write a month; the month's name or number, then its year, or the
# ISO order.
_ISO_MONTH = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,2})")
_MONTH_YEAR = re.compile(r"([a-z]+|\d{1,2})\.?\s*[\s/.-]\s*(\d{4})")
MONTH_ERROR = "Enter the month of the report as a month and year, for example November 2026"


def parse_month(text: str | None) -> str | None:
    """The month typed, as "YYYY-MM", or None if it is no month."""
    value = (text or "").strip().lower()
    if iso := _ISO_MONTH.fullmatch(value):
        year, month = int(iso.group(1)), int(iso.group(2))
    elif named := _MONTH_YEAR.fullmatch(value):
        word, year = named.group(1), int(named.group(2))
        month = int(word) if word.isdigit() else MONTH_NAMES.get(word, 0)
    else:
        return None
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return f"{year:04d}-{month:02d}"


class ReportForm(FlaskForm):
    class Meta:
        csrf = False

    month = StringField(
        "Month of the report",
        description="For example, November 2026",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the month of the report")],
    )
    submit = SubmitField("Download the month's report", widget=GovSubmitInput())

    def validate_month(self, field):
        if parse_month(field.data) is None:
            raise ValidationError(MONTH_ERROR)

    @property
    def month_key(self) -> str:
        """The valid month as "YYYY-MM" (after validate())."""
        return parse_month(self.month.data)


class RefreshForm(FlaskForm):
    """The workforce team's button: the kept figures computed again now."""

    submit = SubmitField("Compute the figures again now", widget=GovSubmitInput())


class CapacityForm(FlaskForm):
    """The what-if: another profile to compare with, and the day the cadence
    is read on."""

    class Meta:
        csrf = False

    compare = SelectField(
        "Compare with another council's policy",
        choices=[],
        widget=GovSelect(),
        validators=[Optional()],
    )
    as_of = PlainDateField(
        "As of",
        description="The day the cadences are read on, for example 15 1 2027",
        invalid_message="Enter the day the cadences are read on, for example 15 1 2027",
        validators=[Optional()],
    )
    submit = SubmitField("Show the hours", widget=GovSubmitInput())


class EvidenceForm(FlaskForm):
    """The inspection evidence pack: a date range, and what it covers."""

    class Meta:
        csrf = False

    area = SelectField("What it covers", choices=[], widget=GovSelect())
    starts_on = PlainDateField(
        "From",
        description="For example, 1 4 2026",
        invalid_message="Enter the start of the date range as a real date, for example 1 4 2026",
        validators=[InputRequired(message="Enter the start of the date range")],
    )
    ends_on = PlainDateField(
        "To",
        description="For example, 31 3 2027",
        invalid_message="Enter the end of the date range as a real date, for example 31 3 2027",
        validators=[InputRequired(message="Enter the end of the date range")],
    )
    submit = SubmitField("Download the evidence pack", widget=GovSubmitInput())

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The end of the date range must be on or after its start")


def last_month(on: date) -> str:
    """The month before `on`, written as people write it ("November 2026")."""
    return f"{(on.replace(day=1) - timedelta(days=1)):%B %Y}"


__all__ = [
    "CapacityForm",
    "EvidenceForm",
    "FiltersForm",
    "PeriodError",
    "RefreshForm",
    "ReportForm",
    "last_month",
    "parse_month",
]
