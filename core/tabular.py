"""Read uploaded .xlsx/.csv/.tsv files into numbered rows, and write .xlsx/.csv safely.

Used by every importer and exporter. Reading is defensive: the file type is detected from its
bytes (not its name), zip bombs are refused before openpyxl opens them, XML entities are refused
(defusedxml), CSV encodings are detected (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030/GBK),
and row numbers are the ones Excel shows. Writing never produces a formula cell.
"""

import csv
import io
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

    def is_empty(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.values.values())


@dataclass
class Table:
    header_row: int
    columns: list  # canonical name (or None for ignored columns) per column position
    unknown_headers: list  # headers present in the file that mapped to nothing
    rows: list


def normalise_header(text) -> str:
    """Lowercase, no spaces, half-width brackets: '选项 A（必填）' -> '选项a(必填)'."""
    if text is None:
        return ""
    text = str(text).strip().lstrip("\ufeff")
    text = text.translate(str.maketrans("（）：", "():"))
    return "".join(text.split()).lower()


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


def read_table(data: bytes, header_aliases: dict, *, max_rows: int, required: tuple = ()) -> Table:
    """Parse an uploaded file into rows keyed by canonical column names.

    header_aliases maps normalised header text to a canonical name. The header row is the first of
    the top rows with the most recognised headers, so instruction rows above it are skipped.
    Raises TabularError for a file that cannot be read, has no recognisable header, misses a
    required column, or has more than max_rows non-empty data rows.
    """
    grid = _read_grid(data)
    header_index, columns = _find_header(grid, header_aliases)
    missing = [name for name in required if name not in columns]
    if missing:
        raise TabularError(_l("Required column missing: %(columns)s", columns=", ".join(missing)))
    unknown = [
        cell_text(text) for text, name in zip(grid[header_index][1], columns) if name is None and cell_text(text)
    ]
    rows = []
    for number, cells in grid[header_index + 1 :]:
        values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(columns) if name}
        row = Row(number=number, values=values, raw=cells)
        if row.is_empty():
            continue
        rows.append(row)
        if len(rows) > max_rows:
            raise TabularError(
                _l("The file has more than %(max)d data rows; split it into smaller files.", max=max_rows)
            )
    return Table(header_row=grid[header_index][0], columns=columns, unknown_headers=unknown, rows=rows)


def _find_header(grid, aliases):
    best_index, best_columns, best_hits = None, None, 0
    for index, (_number, cells) in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = []
        for cell in cells:
            name = aliases.get(normalise_header(cell))
            columns.append(name if name not in columns else None)
        hits = sum(1 for c in columns if c)
        if hits > best_hits:
            best_index, best_columns, best_hits = index, columns, hits
    if best_index is None:
        raise TabularError(_l("No header row was found. Use the template's column names in the first row."))
    return best_index, best_columns


def _read_grid(data: bytes):
    """[(row_number, [cell values])] from the file's first sheet."""
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
    return _read_delimited(text)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError(_l("The file's text encoding was not recognised. Save it as UTF-8 CSV or .xlsx."))


def _read_delimited(text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";"], key=first_line.count)
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


def _read_xlsx(data: bytes):
    import openpyxl  # imported here: costly, and only import pages need it

    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types, defusedxml raises on entity bombs
        raise TabularError(_l("The .xlsx file could not be read: %(reason)s", reason=type(error).__name__)) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # ignore a bogus <dimension>; iterate the rows actually present
        grid = []
        for cells in sheet.iter_rows():
            cells = [c for c in cells if getattr(c, "row", None)]
            if not cells:
                continue
            number = cells[0].row
            values = [None] * (max(c.column for c in cells))
            for c in cells:
                values[c.column - 1] = c.value
            grid.append((number, values))
        return grid
    finally:
        workbook.close()


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
