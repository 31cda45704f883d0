"""The measured reconcile as a command, so the harness can run each
measurement in a fresh process (its own peak memory) and read one JSON line:

    DATABASE_URL=... python -m bench.steps --as-of 2026-11-23 [--touched-only]
        [--lifecycles agreement,personal_supervision,case_supervision]"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from bench.target import reconcile_everything


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.steps", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--touched-only", action="store_true")
    parser.add_argument("--lifecycles", help="comma-separated (default: every lifecycle)")
    args = parser.parse_args(argv)
    lifecycles = args.lifecycles.split(",") if args.lifecycles else None
    result = reconcile_everything(args.as_of, lifecycles=lifecycles, touched_only=args.touched_only)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
