"""Read uploaded .xlsx/.csv/.tsv files into numbered rows, and write .xlsx/.csv safely.

Used by every importer and exporter. Reading is defensive: the file type is detected from its
bytes (not its name), zip bombs are refused before openpyxl opens them, XML entities are refused
(defusedxml), CSV encodings are detected (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM,
GB18030/GBK), the delimiter is detected (comma, tab, semicolon), and row numbers are the ones
Excel shows. From an .xlsx the reader also reports what a person cannot see in the values:
hidden rows, formula cells that carry no calculated value, and merged ranges (which an importer
may ask to have filled with their top-left value). Writing never produces a formula cell.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from core.errors import ValidationFailed

# An .xlsx is a zip; its parts are refused if they would inflate past this before parsing.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
HEADER_SEARCH_ROWS = 15
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TabularError(ValidationFailed):
    """The file as a whole cannot be read (wrong type, bad encoding, too big, no header)."""

    code = "bad_file"


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


@dataclass
class Sheet:
    """The cells of a file's first sheet, and what an .xlsx says about them beyond their values."""

    grid: list  # [(row number, [cell values])]
    hidden_rows: set = field(default_factory=set)
    uncalculated: set = field(default_factory=set)  # (row, column index) of formulas without a value
    merged: list = field(default_factory=list)  # (range text, min_row, min_col, max_row, max_col), 1-based


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
) -> Table:
    """Parse an uploaded file into rows keyed by canonical column names.

    header_aliases maps normalised header text to a canonical name. The header row is the first of
    the top rows with the most recognised headers, so instruction rows above it are skipped.
    column_labels names the canonical columns in messages (default: the canonical name).
    With fill_merged, every cell of a merged range below the header takes the range's top-left
    value (the rule importers document for merged category cells); the ranges are listed in
    Table.filled_ranges. Raises TabularError for a file that cannot be read, has no recognisable
    header, misses a required column, or has more than max_rows non-empty data rows.
    """
    sheet = _read_sheet(data)
    grid = sheet.grid
    header_index, columns = _find_header(grid, header_aliases)
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
    rows, hidden = [], []
    for number, cells in grid[header_index + 1 :]:
        values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(columns) if name}
        uncalculated = [columns[c] for r, c in sheet.uncalculated if r == number and c < len(columns) and columns[c]]
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


def _find_header(grid, aliases):
    best_index, best_columns, best_hits = None, None, 0
    for index, (_number, cells) in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = []
        for cell in cells:
            name = _header_name(cell, aliases)
            columns.append(name if name not in columns else None)
        hits = sum(1 for c in columns if c)
        if hits > best_hits:
            best_index, best_columns, best_hits = index, columns, hits
    if best_index is None:
        raise TabularError(_l("No header row was found. Use the template's column names in the first row."))
    return best_index, best_columns


def _read_grid(data: bytes):
    """[(row_number, [cell values])] from the file's first sheet."""
    return _read_sheet(data).grid


def _read_sheet(data: bytes) -> Sheet:
    if not data:
        raise TabularError(_l("The file is empty."))
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TabularError(_l("Old Excel 97-2003 (.xls) files are not supported. Save it as .xlsx and upload again."))
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF")):
        raise TabularError(_l("This is not a spreadsheet. Upload an .xlsx or .csv file."))
    text = _decode(data)
    if text.lstrip()[:1] == "<":
        raise TabularError(_l("This file is a web page, not a spreadsheet. Save it as .xlsx or .csv and upload again."))
    return Sheet(grid=_read_delimited(text))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:4000]
    if b"\x00" in sample:  # no UTF-8 or GBK text holds NUL bytes: UTF-16 saved without a BOM
        encoding = "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError(_l("The file's text encoding was not recognised. Save it as UTF-8 CSV or .xlsx."))


def _delimiter(text: str) -> str:
    """The delimiter that splits the top lines into the most columns (instruction lines above the
    header may hold none at all, so the first line alone is not enough)."""
    lines = text.splitlines()[: HEADER_SEARCH_ROWS + 5]
    best, best_width = ",", 1
    for delimiter in (",", "\t", ";"):
        try:
            widths = [len(cells) for cells in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        width = max(widths, default=1)
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _read_delimited(text: str):
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid = []
    try:
        for number, cells in enumerate(reader, start=1):
            grid.append((number, [c if c.strip() else None for c in cells]))
    except csv.Error:
        raise TabularError(_l("The CSV file is malformed (unbalanced quotes?).")) from None
    return grid


def _check_zip(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TabularError(_l("The .xlsx file is damaged and cannot be opened.")) from None
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise TabularError(_l("This is a zip file but not an Excel workbook. Upload an .xlsx or .csv file."))
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO):
            raise TabularError(_l("The workbook expands to an unreasonable size and was refused."))


def _read_xlsx(data: bytes) -> Sheet:
    import openpyxl  # imported here: costly, and only import pages need it

    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types, defusedxml raises on entity bombs
        raise _unreadable(error) from None
    try:
        return _parse_first_sheet(workbook)
    except TabularError:
        raise
    except Exception as error:
        raise _unreadable(error) from None
    finally:
        workbook.close()


def _unreadable(error) -> TabularError:
    cause = error
    while cause is not None:  # openpyxl wraps defusedxml's refusal in its own ValueError
        if type(cause).__module__.startswith("defusedxml"):
            return TabularError(_l("The workbook contains XML entity declarations and was refused for safety."))
        cause = cause.__cause__ or cause.__context__
    return TabularError(_l("The .xlsx file could not be read: %(reason)s", reason=type(error).__name__))


def _parse_first_sheet(workbook) -> Sheet:
    """Stream the first sheet's XML once, keeping values plus hidden rows, uncalculated formulas
    and merged ranges. The <dimension> element is ignored: some programs write a bogus one.

    Uses openpyxl's own sheet parser (pinned openpyxl 3.1) so cell values, shared strings and
    date formats are read exactly as openpyxl reads them.
    """
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    sheet = workbook.worksheets[0]
    uncalculated = set()

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                uncalculated.add((cell["row"], cell["column"] - 1))
            return cell

    grid, hidden = [], set()
    with sheet._get_source() as source:
        parser = Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            if parser.row_dimensions.get(str(number), {}).get("hidden") in ("1", "true"):
                hidden.add(number)
            cells = [c for c in cells if c["value"] is not None or (c["row"], c["column"] - 1) in uncalculated]
            if not cells:
                continue
            values = [None] * max(c["column"] for c in cells)
            for c in cells:
                values[c["column"] - 1] = c["value"]
            grid.append((number, values))
        merged = []
        for cell_range in getattr(parser.merged_cells, "mergeCell", None) or []:
            min_col, min_row, max_col, max_row = range_boundaries(cell_range.ref)
            merged.append((cell_range.ref, min_row, min_col, max_row, max_col))
    return Sheet(grid=grid, hidden_rows=hidden, uncalculated=uncalculated, merged=merged)


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets) -> bytes:
    """sheets: [(title, headers, rows)]. Every string is written as a string cell, never a formula."""
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
