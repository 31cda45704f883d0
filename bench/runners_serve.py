"""The product's served deployments (deployments/serve.py) with a limit on the
flow runs each runner process runs at once, for bench/runners.py --runner-limit:

    python -m bench.runners_serve 4

`deployments.serve` calls Prefect's `serve(*deployments)`, whose `limit`
defaults to None: no limit, so a runner claims every scheduled run it sees
at one poll. With a limit a runner at capacity leaves the rest for the others
(Prefect's runner logs "N scheduled runs skipped (at capacity)")."""

from __future__ import annotations

import sys

from prefect import serve

from deployments.serve import build_deployments


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isdigit() or int(args[0]) < 1:
        raise SystemExit("usage: python -m bench.runners_serve LIMIT (a whole number, 1 or more)")
    serve(*build_deployments(), limit=int(args[0]))


if __name__ == "__main__":
    main()
