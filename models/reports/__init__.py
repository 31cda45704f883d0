"""Where the service stands, computed by the database: the figures the
dashboard shows, the monthly supervision report writes and the drill-downs
list. Each figure is one SELECT of the items behind it (a person, a session
that fell due, a case supervision, a human task), with the dimensions it is
broken down by and the outcome each item counts under; the figure is that
SELECT grouped, and a number's drill-down is the same SELECT filtered, so a
figure and the people behind it can never disagree. Nothing loops over people
in Python: an aggregate comes back as one row per cell.

    from models.reports import FIGURES, ReportScope, Period, figure_table, figure_items
"""

from models.reports.catalogue import FIGURES, Figure
from models.reports.tables import Cell, FigureTable, Item, figure_items, figure_table
from models.reports.window import Period, PeriodError, ReportScope, month_period

__all__ = [
    "FIGURES",
    "Cell",
    "Figure",
    "FigureTable",
    "Item",
    "Period",
    "PeriodError",
    "ReportScope",
    "figure_items",
    "figure_table",
    "month_period",
]
