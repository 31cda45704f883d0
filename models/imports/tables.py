"""Reading an export, CSV or XLSX, one row at a time: the header row, then
each row's cells with its row number (the header is row 1, as a spreadsheet
numbers it). Nothing is held but the row being read, so a file of any size
streams. A file that cannot be read (not UTF-8, not a workbook, a broken
CSV) raises FileProblem naming the row where reading stopped."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

XLSX_MAGIC = b"PK\x03\x04"
# A cell longer than this is not an export's value; csv's own limit is 128 KiB.
MOST_CHARACTERS_IN_A_CELL = 10_000


class FileProblem(Exception):
    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """The file's header and its rows, streamed; closed when the block ends."""
    try:
        with path.open("rb") as raw:
            is_workbook = raw.read(4) == XLSX_MAGIC
    except OSError as error:
        raise FileProblem(f"cannot be read: {error.strerror}") from None
    if is_workbook:
        with _workbook(path) as table:
            yield table
    else:
        with _csv(path) as table:
            yield table


@contextmanager
def _csv(path: Path) -> Iterator[Table]:
    with path.open("rb") as raw:
        # Line by line, so a byte that is not UTF-8 is found on the row it is in.
        reader = csv.reader(_decoded_lines(raw))
        position = {"row": 1}

        def rows() -> Iterator[tuple[int, list[Any]]]:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except (UnicodeDecodeError, csv.Error) as error:
                    raise _csv_problem(error, position["row"] + 1) from None
                position["row"] += 1
                if not _blank(cells):
                    yield position["row"], cells

        try:
            headers = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as error:
            raise _csv_problem(error, 1) from None
        if headers is None:
            raise FileProblem("is empty: it has no header row.", 1)
        yield Table([h.strip() for h in headers], rows())


def _decoded_lines(raw) -> Iterator[str]:
    first = True
    for line in raw:
        text = line.decode("utf-8-sig" if first else "utf-8")
        first = False
        yield text


def _csv_problem(error: Exception, row: int) -> FileProblem:
    if isinstance(error, UnicodeDecodeError):
        return FileProblem(
            "is not UTF-8 text: save it as 'CSV UTF-8' (or as an XLSX workbook).", row
        )
    return FileProblem(f"is not a readable CSV file: {error}.", row)


@contextmanager
def _workbook(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook

    # openpyxl raises many kinds of error on a damaged workbook (zip, XML, key,
    # value errors); any of them means the same thing to the person importing.
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise FileProblem("is not a readable XLSX workbook.", None) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise FileProblem("has no worksheet.", None)
        cells = sheet.iter_rows(values_only=True)
        headers = _next_row(cells, 1)
        if headers is None:
            raise FileProblem("is empty: it has no header row.", 1)

        def rows() -> Iterator[tuple[int, list[Any]]]:
            number = 1
            while True:
                values = _next_row(cells, number + 1)
                if values is None:
                    return
                number += 1
                if not _blank(values):
                    yield number, values

        yield Table(["" if h is None else str(h).strip() for h in headers], rows())
    finally:
        book.close()


def _next_row(cells, number: int) -> list[Any] | None:
    try:
        row = next(cells, None)
    except Exception:
        raise FileProblem("is not a readable XLSX workbook.", number) from None
    return None if row is None else list(row)
