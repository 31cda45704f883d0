"""The geometry of each figure's chart, drawn as SVG by the template
(dashboard/_chart.html): a bar per row of the figure's table, split by
outcome, or for a trend a column per month. The numbers come from the table
beside it; nothing is computed here but positions."""

from __future__ import annotations

from collections import defaultdict

from models.reports import FigureTable

# GOV.UK colours: green for done, orange for late, red for missed or overdue.
COLOURS = {
    "on_time": "#00703c",
    "signed": "#00703c",
    "resolved": "#00703c",
    "met": "#00703c",
    "meets": "#00703c",
    "long_enough": "#00703c",
    "not_recorded": "#505a5f",
    "not_reviewed": "#505a5f",
    "late": "#f47738",
    "within_limit": "#f47738",
    "not_yet_due": "#1d70b8",
}
ALARM = "#d4351c"
LABEL_WIDTH = 240
BAR_AREA = 420
ROW_HEIGHT = 26
COLUMN_AREA = 240


def _segments(counts: dict[str, int], outcomes, scale: float, start: float, vertical=False):
    out, at = [], start
    for key, label in outcomes:
        n = counts.get(key, 0)
        if not n:
            continue
        size = n * scale
        out.append({"key": key, "label": label, "count": n, "at": at, "size": size})
        out[-1]["colour"] = COLOURS.get(key, ALARM)
        at = at - size if vertical else at + size
    return out


def bars(table: FigureTable) -> dict:
    """A horizontal bar per row of the table."""
    outcomes = table.figure.outcomes
    most = max((c.total for c in table.cells), default=0) or 1
    scale = BAR_AREA / most
    rows = [
        {
            "label": " · ".join(cell.labels) or "All",
            "y": i * ROW_HEIGHT,
            "total": cell.total,
            "segments": _segments(cell.counts, outcomes, scale, LABEL_WIDTH),
        }
        for i, cell in enumerate(table.cells)
    ]
    return {
        "kind": "bars",
        "width": LABEL_WIDTH + BAR_AREA + 60,
        "height": max(len(rows), 1) * ROW_HEIGHT + 10,
        "rows": rows,
        "legend": _legend(outcomes),
        "label_width": LABEL_WIDTH,
    }


def trend(table: FigureTable, months: list[str], month_labels: dict[str, str]) -> dict:
    """A column per month of the period, the teams in scope added together."""
    outcomes = table.figure.outcomes
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cell in table.cells:
        for key, n in cell.counts.items():
            by_month[cell.keys["month"]][key] += n
    most = max((sum(by_month[m].values()) for m in months), default=0) or 1
    scale = COLUMN_AREA / most
    width = 64
    columns = [
        {
            "label": month_labels.get(m, m),
            "x": 50 + i * width,
            "total": sum(by_month[m].values()),
            "segments": _segments(by_month[m], outcomes, scale, 20 + COLUMN_AREA, vertical=True),
        }
        for i, m in enumerate(months)
    ]
    return {
        "kind": "trend",
        "width": 50 + len(months) * width + 20,
        "height": COLUMN_AREA + 60,
        "columns": columns,
        "bar_width": width - 16,
        "base": 20 + COLUMN_AREA,
        "legend": _legend(outcomes),
    }


def _legend(outcomes) -> list[dict]:
    return [{"label": label, "colour": COLOURS.get(key, ALARM)} for key, label in outcomes]
