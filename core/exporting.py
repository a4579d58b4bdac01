"""The one way a table leaves as a spreadsheet: each export names its columns once (a header and
how to read the cell from a row), and `xlsx_download` turns sheets of rows into an .xlsx
attachment. Cells are written by core.tabular, so text is never a formula (a name like
`=HYPERLINK(…)` arrives as that text, marked as text for Excel too), times are local wall-clock
times and labelled values (enums) show their translated label. The views that call it check the
role and scope and read the same filters as the page the table is on."""

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from core import clock, tabular

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Column:
    header: object  # a (lazy) translated header
    value: Callable  # row -> the cell's value


@dataclass(frozen=True)
class Sheet:
    title: object
    columns: Sequence[Column]
    rows: Iterable

    def table(self) -> tuple[str, list[str], list[list]]:
        """(title, headers, cell values) as core.tabular.write_xlsx takes them."""
        return (
            str(self.title),
            [str(column.header) for column in self.columns],
            [[cell(column.value(row)) for column in self.columns] for row in self.rows],
        )


def cell(value):
    """A value as a spreadsheet cell: aware times in the deployment's zone (Excel has no zones),
    enums by their label, lazy strings as text; numbers, dates, text and None as they are."""
    if isinstance(value, datetime):
        return clock.local(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if value is None or isinstance(value, (str, int, float)):
        return value
    if hasattr(value, "isoformat"):  # date, time
        return value
    return str(value)


def percent(share):
    """A share 0..1 as the percentage the pages show (one decimal), or None."""
    return None if share is None else round(share * 100, 1)


def xlsx_download(name: str, sheets: Sequence) -> object:
    """An .xlsx attachment of `sheets` (Sheet, or (title, headers, rows) as tabular writes them),
    named `name-YYYYMMDD.xlsx` by the local date."""
    tables = [sheet.table() if isinstance(sheet, Sheet) else sheet for sheet in sheets]
    return download(tabular.write_xlsx(tables), name, "xlsx")


def download(body: bytes, name: str, fmt: str, *, stamp: bool = True) -> object:
    """A file attachment (the response carries no-store, as every dynamic response does)."""
    if stamp:
        name = f"{name}-{clock.local(clock.now()).strftime('%Y%m%d')}"
    return current_app.response_class(
        body, mimetype=MIMETYPES[fmt], headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"}
    )
