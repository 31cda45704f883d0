"""Print the query plans behind one person's inbox and inbox API.

    DATABASE_URL=postgresql://... .venv/bin/python bench/inbox_plans.py grace.adeyemi
    DATABASE_URL=postgresql://... .venv/bin/python bench/inbox_plans.py 42 --today 2027-01-15

The argument is a username or a staff ID. The script signs in as that person
inside the web app (Flask's test client: no server, no password) and requests
the inbox page, its next page, a filtered page, the API's task list and its
next page, and the API's colleagues. Every SELECT those views send is captured
as it goes to the database, and each one that reads human_task (the list and
count queries) is run again under EXPLAIN (ANALYZE, BUFFERS) and printed, with
a line saying which indexes it used and whether it read human_task by a
sequential scan. The statements are the views' own (webapp/inbox/listing.py),
captured, not copied, so the plans shown are the plans the benchmark measures.

Read-only: it only sends GET requests and EXPLAINs SELECTs."""

from __future__ import annotations

import argparse
import html
import re
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from models import UserAccount
from models.actions.accounts import start_session
from models.db import database_url, get_engine, get_sessionmaker
from webapp import create_app
from webapp.users import SIGN_IN_SESSION_KEY

SEQ_SCAN = re.compile(r"Seq Scan on human_task\b")
INDEX_SCAN = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)"
)
NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')


@dataclass
class Capture:
    """The SELECTs sent while `on` is set, in order, each once."""

    on: bool = False
    statements: list[tuple[str, object]] = field(default_factory=list)

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        select_ = statement.lstrip().upper().startswith("SELECT")
        if self.on and select_ and (statement, parameters) not in self.statements:
            self.statements.append((statement, parameters))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not database_url().startswith("postgresql"):
        print("Set DATABASE_URL to a PostgreSQL database: the plans are PostgreSQL's.")
        return 2
    account = _account(args.who)
    if account is None:
        print(f"No login for {args.who!r} (a username, or the staff ID of someone with a login).")
        return 2
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(16),
            "SESSION_COOKIE_SECURE": False,
            "OVERSIGHT_TODAY": args.today,
            "INBOX_PAGE_SIZE": args.page_size,
        }
    )
    client = app.test_client()
    # Signed in as the sign-in page does it: a live session on the server, its token in the cookie.
    token = start_session(user_id=account.id)
    with client.session_transaction() as session:
        session["_user_id"] = str(account.id)
        session["_fresh"] = True
        session[SIGN_IN_SESSION_KEY] = token
    capture = Capture()
    event.listen(Engine, "before_cursor_execute", capture)
    print(f"# Inbox plans for {account.username} (staff {account.staff_id}), as of {args.today}")
    for _ in _requests(client, capture, args.page_size):
        _explain_all(capture.statements, args.all_statements)
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("who", help="a username, or a staff ID")
    parser.add_argument("--today", default=date.today().isoformat(), help="as if it were this day")
    parser.add_argument("--page-size", type=int, default=25, help="items on a page")
    parser.add_argument(
        "--all-statements",
        action="store_true",
        help="also explain the statements that do not read human_task (sign-in, people, teams)",
    )
    return parser.parse_args(argv)


def _account(who: str) -> UserAccount | None:
    by = UserAccount.staff_id == int(who) if who.isdigit() else UserAccount.username == who
    with get_sessionmaker()() as session:
        return session.scalars(
            select(UserAccount).where(by, UserAccount.active.is_(True)).limit(1)
        ).one_or_none()


def _requests(client, capture: Capture, size: int):
    """Send each request in turn; after each, its statements are in capture."""

    def get(label: str, url: str):
        print(f"\n## {label}: GET {url}")
        capture.statements.clear()
        capture.on = True
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        capture.on = False
        kb = len(response.get_data()) / 1024
        print(f"-> {response.status_code}, {kb:.1f} KB, {elapsed:.0f} ms in-process (one client)")
        return response

    first = get("The inbox, first page", "/inbox")
    yield
    following = NEXT_LINK.search(first.get_data(as_text=True))
    if following:
        get("The inbox, next page", html.unescape(following.group(1)))
        yield
    get("The inbox, filtered to overdue", "/inbox?due=overdue")
    yield
    api = get("The API's task list, first page", f"/api/tasks?page_size={size}")
    yield
    url = (api.get_json(silent=True) or {}).get("links", {}).get("next")
    if url:
        get("The API's task list, next page", url)
        yield
    get("The API's colleagues", f"/api/colleagues?page_size={size}")
    yield


def _explain_all(statements: list[tuple[str, object]], everything: bool) -> None:
    with get_engine().connect() as connection:
        for statement, parameters in statements:
            if not everything and "human_task" not in statement:
                continue
            plan = [
                row[0]
                for row in connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                )
            ]
            print("\n" + _headline(statement))
            print(_verdict(plan))
            print("\n".join(plan))
        connection.rollback()


def _headline(statement: str) -> str:
    """The statement in one line, shortened: the plan says the rest."""
    flat = " ".join(statement.split())
    return f"-- {flat[:300]}{'…' if len(flat) > 300 else ''}"


def _verdict(plan: list[str]) -> str:
    text = "\n".join(plan)
    indexes = sorted({m.group(2) for m in INDEX_SCAN.finditer(text) if "human_task" in m.group(2)})
    seq = "SEQUENTIAL SCAN OF human_task" if SEQ_SCAN.search(text) else "no Seq Scan on human_task"
    return f"-- human_task read by: {', '.join(indexes) or 'no index'}; {seq}"


if __name__ == "__main__":
    sys.exit(main())
