"""The lifecycle flows that are a reconcile and nothing more, each made from
its row of flows/table.py (which lifecycles it owns, its name, its subjects):
it runs them for the whole organisation on its schedule, or for one
relationship, person or case on demand and on the outbox's events. The
agreement flow is in agreement_lifecycle.py; sampling, retention, the year's
schedule and the whole-organisation run, which do more than a reconcile,
have modules of their own.

    python -m flows.lifecycles personal_supervision --staff 12 --as-of 2026-12-01"""

from __future__ import annotations

import sys

from flows.cli import run_from_command_line
from flows.lifecycle import lifecycle_flow
from flows.table import rows_in

agreement_review_lifecycle = lifecycle_flow("flows.lifecycles.agreement_review_lifecycle")
personal_supervision_lifecycle = lifecycle_flow("flows.lifecycles.personal_supervision_lifecycle")
asye_lifecycle = lifecycle_flow("flows.lifecycles.asye_lifecycle")
case_supervision_lifecycle = lifecycle_flow("flows.lifecycles.case_supervision_lifecycle")
observation_lifecycle = lifecycle_flow("flows.lifecycles.observation_lifecycle")
registration_lifecycle = lifecycle_flow("flows.lifecycles.registration_lifecycle")
supervisor_absence_lifecycle = lifecycle_flow("flows.lifecycles.supervisor_absence_lifecycle")
record_audit_lifecycle = lifecycle_flow("flows.lifecycles.record_audit_lifecycle")

# The command line's names: each flow's first lifecycle. (Not __name__: run with
# -m, this module is __main__.)
FLOWS = {row.lifecycles[0]: globals()[row.function] for row in rows_in("flows.lifecycles")}


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in FLOWS:
        sys.exit(f"usage: python -m flows.lifecycles {{{','.join(FLOWS)}}} [options]")
    run_from_command_line(FLOWS[sys.argv[1]], sys.argv[2:])
