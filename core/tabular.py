"""Read uploaded files into numbered rows under canonical column names, and write .xlsx/.csv safely.

Used by every importer and exporter. Reading (core.file_readers) is defensive: the file type is
detected from its bytes (not its name), zip bombs and XML entities are refused before any reader
parses the file, text encodings are detected (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM,
GB18030/GBK) and a broken one is named, the delimiter is detected (comma, tab, semicolon), and row
numbers are the ones Excel shows. From an .xlsx the reader also reports what a person cannot see in
the values: hidden rows, formula cells that carry no calculated value, and merged ranges (which an
importer may ask to have filled with their top-left value). Writing never produces a formula cell.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from core.file_readers import HEADER_SEARCH_ROWS, Sheet, read_sheet
from core.zip_scan import FileRefused

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TabularError = FileRefused  # the file as a whole cannot be read (wrong type, bad encoding, too big, no header)
__all__ = ["Sheet", "TabularError", "read_sheet", "read_table", "find_header", "cell_text", "normalise_header"]


@dataclass
class Row:
    number: int  # the row number Excel shows (1-based, counting the header and anything above it)
    values: dict  # canonical header -> cell value (str, int, float, bool, datetime, or None)
    raw: list = field(default_factory=list)
    # canonical names of the columns whose cell is a formula without a calculated value (.xlsx)
    uncalculated: list = field(default_factory=list)

    def is_empty(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.values.values())


@dataclass
class Table:
    header_row: int
    columns: list  # canonical name (or None for ignored columns) per column position
    unknown_headers: list  # headers present in the file that mapped to nothing
    rows: list
    hidden_rows: list = field(default_factory=list)  # data rows hidden in Excel (they are read like the others)
    filled_ranges: list = field(default_factory=list)  # merged ranges below the header filled by fill_merged
    headers: list = field(default_factory=list)  # the header cells as written


def normalise_header(text) -> str:
    """Lowercase, no spaces, half-width brackets: '选项 A（必填）' -> '选项a(必填)'."""
    if text is None:
        return ""
    text = str(text).strip().lstrip("\ufeff")
    text = text.translate(str.maketrans("（）：", "():"))
    return "".join(text.split()).lower()


def _header_name(cell, aliases):
    """The canonical name of a header cell. Full-width letters count as half-width, and a trailing
    note such as '(必填)', a '*' or a colon is ignored."""
    text = normalise_header(cell)
    if text in aliases:
        return aliases[text]
    text = unicodedata.normalize("NFKC", text).lower()
    bare = re.sub(r"\([^()]*\)$", "", text).strip("*").rstrip(":")
    return aliases.get(text) or aliases.get(bare)


def cell_text(value) -> str:
    """A cell as the text a person typed: 1.0 -> '1', True -> 'TRUE', None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


def read_table(
    data: bytes,
    header_aliases: dict,
    *,
    max_rows: int,
    required: tuple = (),
    column_labels: dict | None = None,
    fill_merged: bool = False,
    reader: str | None = None,
    sheet: Sheet | None = None,
    overrides: dict | None = None,
) -> Table:
    """Parse an uploaded file into rows keyed by canonical column names.

    header_aliases maps normalised header text to a canonical name. The header row is the first of
    the top rows with the most recognised headers, so instruction rows above it are skipped.
    column_labels names the canonical columns in messages (default: the canonical name).
    With fill_merged, every cell of a merged range below the header takes the range's top-left
    value (the rule importers document for merged category cells); the ranges are listed in
    Table.filled_ranges. A sheet already read may be passed instead of reading `data` again;
    overrides map headers as written to a canonical name ('' ignores the column).
    Raises TabularError for a file that cannot be read, has no recognisable header, misses a
    required column, or has more than max_rows non-empty data rows (checked while it streams).
    """
    sheet = sheet if sheet is not None else read_sheet(data, max_rows=max_rows, reader=reader)
    grid = sheet.grid
    header_index, columns = find_header(grid, header_aliases, overrides)
    missing = [name for name in required if name not in columns]
    if missing:
        labels = column_labels or {}
        raise TabularError(
            _l("Required column missing: %(columns)s", columns=", ".join(str(labels.get(n, n)) for n in missing))
        )
    header_number = grid[header_index][0]
    filled = _fill_merged(sheet, header_number) if fill_merged else []
    unknown = [
        cell_text(text) for text, name in zip(grid[header_index][1], columns) if name is None and cell_text(text)
    ]
    uncalculated_by_row = {}
    for number, column in sheet.uncalculated:
        if column < len(columns) and columns[column]:
            uncalculated_by_row.setdefault(number, []).append(columns[column])
    rows, hidden = [], []
    for number, cells in grid[header_index + 1 :]:
        values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(columns) if name}
        uncalculated = uncalculated_by_row.get(number, [])
        row = Row(number=number, values=values, raw=cells, uncalculated=uncalculated)
        if row.is_empty() and not uncalculated:
            continue
        rows.append(row)
        if number in sheet.hidden_rows:
            hidden.append(number)
        if len(rows) > max_rows:
            raise TabularError(
                _l("The file has more than %(max)d data rows; split it into smaller files.", max=max_rows)
            )
    return Table(
        header_row=header_number,
        columns=columns,
        unknown_headers=unknown,
        rows=rows,
        hidden_rows=hidden,
        filled_ranges=filled,
        headers=[cell_text(c) for c in grid[header_index][1]],
    )


def _fill_merged(sheet: Sheet, header_number: int) -> list:
    """Copy each merged range's top-left value into its other cells, for ranges below the header."""
    rows = {number: cells for number, cells in sheet.grid}
    filled = []
    for text, min_row, min_col, max_row, max_col in sheet.merged:
        if max_row <= header_number:
            continue
        top = rows.get(min_row) or []
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        for number in range(max(min_row, header_number + 1), max_row + 1):
            cells = rows.get(number)
            if cells is None:
                continue  # a row with no cells at all: nothing to fill, nothing imported
            if len(cells) < max_col:
                cells.extend([None] * (max_col - len(cells)))
            for column in range(min_col - 1, max_col):
                if cells[column] is None:
                    cells[column] = value
        filled.append(text)
    return filled


def find_header(grid, aliases, overrides=None):
    """(index in grid, canonical name or None per column) of the header row: the top row with the
    most recognised headers. overrides maps a header as written to a name ('' ignores it)."""
    best_index, best_columns, best_hits = None, None, 0
    for index, (_number, cells) in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = []
        for cell in cells:
            text = cell_text(cell)
            name = overrides[text] or None if overrides and text in overrides else _header_name(cell, aliases)
            columns.append(name if name not in columns else None)
        hits = sum(1 for c in columns if c)
        if hits > best_hits:
            best_index, best_columns, best_hits = index, columns, hits
    if best_index is None:
        raise TabularError(_l("No header row was found. Use the template's column names in the first row."))
    return best_index, best_columns


def uncalculated_message(column_label):
    """The row error for a formula cell that carries no calculated value (files written by programs)."""
    return _l(
        "%(column)s is a formula without a calculated value (the file was made by a program). Open it in "
        "Excel or WPS, save it, and upload it again — or replace the formula by its value.",
        column=column_label,
    )


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets) -> bytes:
    """sheets: [(title, headers, rows)]. Every string is written as a string cell, never a formula;
    one that starts like a formula (=, +, -, @, tab) is also marked quote-prefixed, so Excel keeps
    it text when someone edits the cell, and its value stays exactly the text shown on the page."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in [headers, *rows]:
            out = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # openpyxl would otherwise turn '=...' into a formula
                    if value.startswith(FORMULA_PREFIXES):
                        cell.quotePrefix = True
                out.append(cell)
            sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers, rows) -> bytes:
    """UTF-8 with BOM (so Chinese Excel opens it without mojibake), formula-like cells prefixed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise("" if v is None else v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
