"""Uploaded files into a grid of cells: [(row number as Excel shows it, [cell values])].

The kind is told by the bytes, never the name: .xlsx, .ods and legacy .xls go through
python-calamine (openpyxl stays available for .xlsx as the measured alternative,
bench/bank_import.py); any other file is text in any common encoding, holding comma-, tab- or
semicolon-separated values, or JSON (an array of objects, or one object a line), whose keys become
the columns. Limits hold while the file is read: rows beyond max_rows, a cell longer than Excel's
own limit, a zip bomb or entity declarations stop the reading with a clear message.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from core import zip_scan
from core.zip_scan import FileRefused, TooManyRows

MAX_CELL_CHARS = 32767  # Excel's own limit for one cell
HEADER_SEARCH_ROWS = 15
READERS = ("calamine", "openpyxl")
DEFAULT_READER = "calamine"


@dataclass
class Sheet:
    """The cells of a file's first sheet, and what an .xlsx says about them beyond their values."""

    grid: list  # [(row number, [cell values])]
    hidden_rows: set = field(default_factory=set)
    uncalculated: set = field(default_factory=set)  # (row, column index) of formulas without a value
    merged: list = field(default_factory=list)  # (range text, min_row, min_col, max_row, max_col), 1-based
    kind: str = "text"  # xlsx, ods, xls, json, text


def detect_kind(data: bytes) -> str:
    """xlsx, ods, docx, zip (another zip), xls, doc, ole (another OLE file), image, pdf or text."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        window = data[:4096] + data[-65536:]  # local headers come first; the central directory last
        if b"xl/workbook.xml" in window:
            return "xlsx"
        if b"opendocument.spreadsheet" in data[:200] or b"content.xml" in window and b"spreadsheet" in window:
            return "ods"
        if b"word/document.xml" in window:
            return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data:
            return "doc"
        return "xls" if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data or b"B\x00o\x00o\x00k" in data else "ole"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"\x7fELF", b"MZ")):
        return "image"
    if head.startswith(b"%PDF"):
        return "pdf"
    return "text"


def read_sheet(data: bytes, *, max_rows: int, reader: str | None = None) -> Sheet:
    """The first sheet of a spreadsheet or the rows of a text/JSON file, within max_rows rows."""
    if not data:
        raise FileRefused(_l("The file is empty."))
    kind = detect_kind(data)
    if kind == "xlsx":
        sheet = _read_xlsx(data, max_rows, reader or DEFAULT_READER)
    elif kind in ("ods", "xls"):
        if kind == "ods":
            zip_scan.open_zip(data)
        sheet = Sheet(grid=_calamine_grid(data), kind=kind)
    elif kind in ("docx", "doc"):
        raise FileRefused(_l("This is a Word document, not a spreadsheet."))
    elif kind == "zip":
        zip_scan.open_zip(data)  # a damaged one says so
        raise FileRefused(_l("This is a zip file but not an Excel workbook. Upload an .xlsx or .csv file."))
    elif kind == "ole":
        raise FileRefused(
            _l("This is an old Office 97-2003 file but not an Excel workbook. Save it as .xlsx and upload again.")
        )
    elif kind == "text":
        sheet = read_text(decode(data), max_rows)
    else:
        raise FileRefused(_l("This is not a spreadsheet. Upload an .xlsx or .csv file."))
    _check_limits(sheet, max_rows)
    return sheet


def _check_limits(sheet: Sheet, max_rows: int) -> None:
    if len(sheet.grid) > max_rows + HEADER_SEARCH_ROWS:
        raise TooManyRows(max_rows)
    for number, cells in sheet.grid:
        for value in cells:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise FileRefused(
                    _l(
                        "Row %(row)d has a cell of more than %(n)d characters (Excel's own limit); this is not a "
                        "question or people list.",
                        row=number,
                        n=MAX_CELL_CHARS,
                    )
                )


def _read_xlsx(data: bytes, max_rows: int, reader: str) -> Sheet:
    archive = zip_scan.open_zip(data)
    path = zip_scan.first_sheet_path(archive)
    if path is None or path not in archive.namelist():
        raise FileRefused(_l("The workbook has no sheet."))
    scan = zip_scan.scan_xlsx_sheet(archive, path, max_rows)
    grid = _openpyxl_grid(data) if reader == "openpyxl" else _calamine_grid(data)
    present = {number for number, _cells in grid}
    missing = {number for number, _column in scan.uncalculated} - present
    if missing:  # rows whose only cells are formulas without a value: no reader lists them
        grid = sorted(grid + [(number, []) for number in missing], key=lambda item: item[0])
    return Sheet(
        grid=grid, hidden_rows=scan.hidden_rows, uncalculated=scan.uncalculated, merged=scan.merged, kind="xlsx"
    )


def _calamine_value(value):
    if value == "":
        return None
    if isinstance(value, timedelta):
        return (datetime.min + value).time()
    return value


def _calamine_grid(data: bytes) -> list:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        first_row, first_col = sheet.start or (0, 0)
        grid = []
        for index, cells in enumerate(sheet.iter_rows()):
            values = [None] * first_col + [_calamine_value(v) for v in cells]
            while values and values[-1] is None:
                values.pop()
            if values:
                grid.append((first_row + index + 1, values))
        return grid
    except FileRefused:
        raise
    except Exception as error:  # calamine raises its own error types for damaged files
        raise FileRefused(_l("The spreadsheet could not be read: %(reason)s", reason=type(error).__name__)) from None


def _openpyxl_grid(data: bytes) -> list:
    """The values as openpyxl 3.1 reads them (read-only, cached values), for comparison."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise FileRefused(_l("The spreadsheet could not be read: %(reason)s", reason=type(error).__name__)) from None
    try:
        grid = []
        for cells in workbook.worksheets[0].iter_rows():
            values = [getattr(c, "value", None) for c in cells]
            while values and values[-1] is None:
                values.pop()
            number = next((c.row for c in cells if getattr(c, "row", None)), None)
            if values and number:
                grid.append((number, values))
        return grid
    except Exception as error:
        raise FileRefused(_l("The spreadsheet could not be read: %(reason)s", reason=type(error).__name__)) from None
    finally:
        workbook.close()


def decode(data: bytes) -> str:
    """Text from UTF-8 (with or without BOM), UTF-16 (with or without BOM) or GB18030/GBK.

    An encoding the file claims by its byte-order mark but then breaks is refused, naming it."""
    if not data:
        raise FileRefused(_l("The file is empty."))
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _text(data[3:].decode("utf-8"))
        except UnicodeDecodeError as error:
            raise FileRefused(
                _l(
                    "The file starts with the UTF-8 mark (BOM) but byte %(at)d is not UTF-8 (GBK text behind a UTF-8 "
                    "mark?). Save it again as “CSV UTF-8” or as .xlsx.",
                    at=error.start + 4,
                )
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _text(_utf16(data, "utf-16"))
    sample = data[:4000]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if max(odd, even) > len(sample) // 20 and min(odd, even) * 10 <= max(odd, even):
        # UTF-16 saved without a BOM: NUL bytes on one side of each pair (no UTF-8 or GBK text has them)
        return _text(_utf16(data, "utf-16-le" if odd >= even else "utf-16-be"))
    for encoding in ("utf-8", "gb18030"):
        try:
            return _text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise FileRefused(_l("The file's text encoding was not recognised. Save it as UTF-8 CSV or .xlsx."))


def _utf16(data: bytes, encoding: str) -> str:
    if len(data) % 2:
        raise FileRefused(
            _l("The file is UTF-16 text with an odd number of bytes: it was cut short or damaged. Save it again.")
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise FileRefused(
            _l("The file claims to be UTF-16 text but is damaged. Save it again as UTF-8 or .xlsx.")
        ) from None


# Characters no text file holds: C0 controls but tab and line breaks, and the private use area
# (which GB18030 gives to most byte pairs of a binary file).
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ue000-\uf8ff]")


def _text(text: str) -> str:
    """Refuse binary data that happened to decode: text has few control characters."""
    sample = text[:20000]
    if len(NOT_TEXT.findall(sample)) > max(10, len(sample) // 100):
        raise FileRefused(_l("This is not a spreadsheet or text file. Upload an .xlsx or .csv file."))
    return text


def sheet_from_text(text: str, max_rows: int) -> Sheet:
    """read_text with the limits of read_sheet, for a caller that has decoded the file already."""
    sheet = read_text(text, max_rows)
    _check_limits(sheet, max_rows)
    return sheet


def read_text(text: str, max_rows: int) -> Sheet:
    """Delimited text, or JSON when the first character opens an array or an object."""
    stripped = text.lstrip()
    if stripped[:1] == "<":
        raise FileRefused(_l("This file is a web page, not a spreadsheet. Save it as .xlsx or .csv and upload again."))
    if stripped[:1] in "[{":
        return Sheet(grid=_json_grid(stripped, max_rows), kind="json")
    return Sheet(grid=_delimited_grid(text, max_rows), kind="text")


def _delimiter(text: str) -> str:
    """The delimiter that splits the top lines into the most columns (instruction lines above the
    header may hold none at all, so the first line alone is not enough)."""
    lines = text[:200000].splitlines()[: HEADER_SEARCH_ROWS + 5]
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


def _delimited_grid(text: str, max_rows: int) -> list:
    # Lines taken one at a time from the text (io.StringIO would copy it all, four bytes a character).
    lines = (match.group() for match in LINE.finditer(text))
    reader = csv.reader(lines, delimiter=_delimiter(text))
    grid, filled = [], 0
    try:
        for number, cells in enumerate(reader, start=1):
            values = [c if c.strip() else None for c in cells]
            if any(v is not None for v in values):
                filled += 1
                if filled > max_rows + HEADER_SEARCH_ROWS:
                    raise TooManyRows(max_rows)
            grid.append((number, values))
    except csv.Error as error:
        if "field larger" in str(error):
            raise FileRefused(
                _l("A cell holds more than %(n)d characters; this is not a question or people list.", n=131072)
            ) from None
        raise FileRefused(_l("The CSV file is malformed (unbalanced quotes?).")) from None
    return grid


def _json_value(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value if value != "" else None
    return json.dumps(value, ensure_ascii=False)


def _json_records(text: str, max_rows: int):
    if text.startswith("["):
        try:
            records = json.loads(text)
        except (ValueError, RecursionError):
            raise FileRefused(_l("The JSON file is malformed or nested too deeply.")) from None
        if len(records) > max_rows:
            raise TooManyRows(max_rows)
        yield from records
        return
    for count, line in enumerate((line for line in text.splitlines() if line.strip()), start=1):
        if count > max_rows:
            raise TooManyRows(max_rows)
        try:
            yield json.loads(line)
        except (ValueError, RecursionError):
            raise FileRefused(_l("Line %(n)d of the JSON file is not a JSON object.", n=count)) from None


def _json_grid(text: str, max_rows: int) -> list:
    """Row 1 holds the keys in the order first seen; each object is a row below it."""
    keys, records = {}, []
    for record in _json_records(text, max_rows):
        if not isinstance(record, dict):
            raise FileRefused(_l("The JSON file must hold objects, one per question."))
        for key in record:
            keys.setdefault(str(key), len(keys))
        records.append(record)
    grid = [(1, list(keys))]
    for number, record in enumerate(records, start=2):
        values = [None] * len(keys)
        for key, value in record.items():
            values[keys[str(key)]] = _json_value(value)
        grid.append((number, values))
    return grid
