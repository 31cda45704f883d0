"""The generator's history length: the same council with a longer history
behind the same day holds more sessions and case supervisions, none of them
before the history's first day."""

from __future__ import annotations

from datetime import date

from bench import generate
from bench.orgwide import first_day_of_history
from bench.sink import CountSink
from bench.tables import COLUMNS

AS_OF = date(2026, 11, 23)
HELD_ON = COLUMNS["supervision_session"].index("held_on")


class _EarliestSessionSink(CountSink):
    def __init__(self):
        super().__init__()
        self.earliest: date | None = None

    def add(self, table, row):
        super().add(table, row)
        held = row[HELD_ON] if table == "supervision_session" else None
        if held is not None:
            self.earliest = min(held, self.earliest or held)


def test_a_longer_history_holds_more_sessions_and_none_before_its_first_day():
    one, three = _EarliestSessionSink(), _EarliestSessionSink()
    generate.generate("demo", 1, AS_OF, one, None, 1)
    generate.generate("demo", 1, AS_OF, three, None, 3)
    for table in ("supervision_session", "case_supervision"):
        assert one.counts[table] < three.counts[table], table
    assert one.earliest >= first_day_of_history(AS_OF, 1)
    assert three.earliest < first_day_of_history(AS_OF, 1)
