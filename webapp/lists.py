"""What the long lists share (people, cases, supervisees): reading a filter
from the query string with a clear message for a value no list can use, a
page number, and the GOV.UK pagination component's links that keep the
filters. The lists themselves are counted and paged by the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import url_for

from models import StaffRole

PAGE_SIZE = 50
# Beyond this a page number is a typing slip, not a page: no list is that long.
MOST_PAGES = 100_000
SEARCH_LENGTH = 100

ROLE_LABELS = {r.value: r.value.replace("_", " ").capitalize() for r in StaffRole}
ROLE_LABELS["iro"] = "Independent reviewing officer"


@dataclass
class Reading:
    """The filters read from a query string, and what could not be used,
    each as (field id, message) for the GOV.UK error summary."""

    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def choice(self, args: Mapping, name: str, allowed, label: str) -> None:
        text = (args.get(name) or "").strip()
        if text and text not in allowed:
            self.errors.append((name, f"{label}: choose one of the options in the list"))
            text = ""
        self.values[name] = text

    def whole(self, args: Mapping, name: str, allowed: set[int], label: str) -> None:
        text = (args.get(name) or "").strip()
        number = int(text) if text.isdecimal() and len(text) < 10 else None
        if text and number not in allowed:
            self.errors.append((name, f"{label}: choose one of the options in the list"))
            number = None
        self.values[name] = number

    def search(self, args: Mapping, name: str = "q") -> None:
        text = (args.get(name) or "").strip()
        if len(text) > SEARCH_LENGTH:
            self.errors.append((name, f"Search: enter {SEARCH_LENGTH} characters or fewer"))
            text = text[:SEARCH_LENGTH]
        self.values[name] = text

    def page(self, args: Mapping) -> None:
        text = (args.get("page") or "1").strip()
        if not text.isdecimal() or not 1 <= int(text) <= MOST_PAGES:
            self.errors.append(("page", "Page: the page number must be a whole number from 1"))
            text = "1"
        self.values["page"] = int(text)

    def error_summary(self) -> dict | None:
        if not self.errors:
            return None
        return {
            "titleText": "There is a problem",
            "errorList": [{"text": text, "href": f"#{name}"} for name, text in self.errors],
        }


def pages_for(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def offset_of(page: int) -> int:
    return (page - 1) * PAGE_SIZE


def pagination(endpoint: str, filters: Mapping, page: int, total: int) -> dict | None:
    """The GOV.UK pagination component for page `page` of `total` rows:
    previous, next, the first and last page and the pages around this one,
    with ellipses between, every link keeping the filters."""
    pages = pages_for(total)
    if pages <= 1:
        return None
    kept = {k: v for k, v in filters.items() if v not in (None, "", False) and k != "page"}

    def link(number: int) -> str:
        return url_for(endpoint, **kept, page=number)

    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    items: list[dict] = []
    for before, number in zip([None, *shown], shown, strict=False):
        if before is not None and number - before > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": link(number), "current": number == page})
    return {
        "items": items,
        **({"previous": {"href": link(page - 1)}} if page > 1 else {}),
        **({"next": {"href": link(page + 1)}} if page < pages else {}),
    }


def showing(page: int, total: int) -> tuple[int, int]:
    """The first and last row numbers on this page ("Showing 51 to 100 of 340")."""
    if total == 0:
        return 0, 0
    first = offset_of(page) + 1
    return min(first, total), min(offset_of(page) + PAGE_SIZE, total)
