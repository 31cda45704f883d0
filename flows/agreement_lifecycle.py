"""Agreements: every new supervision relationship (new starter, change of
post, change of supervisor) gets a written agreement, drafted and signed by the
supervisor, countersigned by the supervisee, escalated to the supervisor's line
manager when overdue. The policy engine decides what is owed; this flow
(its row in flows/table.py) runs the reconcile daily and on demand for one
relationship or person.

    python -m flows.agreement_lifecycle --relationship 42 --as-of 2026-12-01"""

from __future__ import annotations

from flows.cli import run_from_command_line
from flows.lifecycle import lifecycle_flow

agreement_lifecycle = lifecycle_flow("flows.agreement_lifecycle.agreement_lifecycle")


if __name__ == "__main__":
    run_from_command_line(agreement_lifecycle)
