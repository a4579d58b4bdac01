"""Safety checks of zipped office files (.xlsx, .ods, .docx) before any reader parses them.

Every part is inflated in chunks, counting what comes out, so a zip bomb is refused after at most
MAX_UNCOMPRESSED_BYTES of work whatever sizes its directory declares, and no part may declare XML
entities (billion laughs). The first sheet of an .xlsx is also scanned once, in chunks, with byte
patterns (C speed, no tree built), keeping only what a reader of values does not report: how many
rows hold a value (so a file over the row limit is refused while it streams, before any reader
builds its rows), hidden rows, formula cells without a calculated value, and merged ranges.
"""

import functools
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from core.errors import ValidationFailed

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
CHUNK = 256 * 1024
ENTITY_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class FileRefused(ValidationFailed):
    """The file as a whole cannot be read (wrong type, bad encoding, too big, unsafe)."""

    code = "bad_file"


class TooManyRows(FileRefused):
    def __init__(self, max_rows):
        super().__init__(_l("The file has more than %(max)d data rows; split it into smaller files.", max=max_rows))


@dataclass
class SheetScan:
    """What the pull parser saw in an .xlsx's first sheet (rows and columns 1-based)."""

    value_rows: int = 0
    hidden_rows: set = field(default_factory=set)
    uncalculated: set = field(default_factory=set)  # (row, column index from 0)
    merged: list = field(default_factory=list)  # (range text, min_row, min_col, max_row, max_col)


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, after its declared sizes and every part's real size and prolog are checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(_l("The file is damaged and cannot be opened.")) from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO):
            raise _bomb()
    budget = [MAX_UNCOMPRESSED_BYTES]
    for info in infos:
        for _chunk in _inflate(archive, info, budget):
            pass
    return archive


def _bomb():
    return FileRefused(_l("The workbook expands to an unreasonable size and was refused."))


def _inflate(archive, info, budget):
    """Yield the part's bytes in chunks; refuse entity declarations and more bytes than budgeted."""
    tail = b""
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(CHUNK)
                if not chunk:
                    return
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise _bomb()
                if ENTITY_DECLARATION.search(tail + chunk[:16]) or ENTITY_DECLARATION.search(chunk):
                    raise FileRefused(_l("The workbook contains XML entity declarations and was refused for safety."))
                tail = chunk[-16:]
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise FileRefused(_l("The file is damaged and cannot be opened.")) from None


def first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The part name of the workbook's first sheet ('xl/worksheets/sheet1.xml'), or None."""
    from defusedxml import ElementTree

    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in archive.namelist() else None
    except Exception:
        raise FileRefused(_l("The file is damaged and cannot be opened.")) from None
    sheet = workbook.find(f"{MAIN_NS}sheets/{MAIN_NS}sheet")
    if sheet is None:
        return None
    wanted = sheet.get(f"{REL_NS}id")
    for rel in rels:
        if rel.get("Id") == wanted:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    return None


ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.DOTALL)
HIDDEN = re.compile(rb"""\bhidden=["'](?:1|true)["']""")
ROW_NUMBER = re.compile(rb"""\br=["'](\d+)["']""")
VALUE = re.compile(rb"<v>[^<]|<v [^>]*>[^<]|<is>|<is |<f[ >]")
CACHED = re.compile(rb"<v>[^<]|<v [^>]*>[^<]")
CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
CELL_REF = re.compile(rb"""\br=["']([A-Z]{1,3})(\d+)["']""")
MERGE = re.compile(rb"""<mergeCell\b[^>]*\bref=["']([A-Z]{1,3}\d+:[A-Z]{1,3}\d+)["']""")
TAG = re.compile(rb"<([A-Za-z][\w:]*)")
# What a row of spreadsheet data may hold: cells, values, formulas, inline and rich text.
ROW_TAGS = frozenset(
    b"c v f is t r rPr rFont b i u strike sz color family charset scheme vertAlign outline shadow condense extend "
    b"extLst ext".split()
)


def scan_xlsx_sheet(archive: zipfile.ZipFile, path: str, max_rows: int) -> SheetScan:
    """Read the sheet's XML once, in chunks, with byte patterns (no tree is built); raise
    TooManyRows as soon as more than max_rows rows hold a value, and refuse a sheet whose rows hold
    anything but cells (deeply nested junk, say)."""
    from openpyxl.utils.cell import range_boundaries

    scan = SheetScan()
    carry, state = b"", {"number": 0}
    for chunk in _inflate(archive, archive.getinfo(path), [MAX_UNCOMPRESSED_BYTES]):
        buffer = carry + chunk
        end = buffer.rfind(b"</row>")
        if end < 0:
            carry = buffer
            continue
        _scan_rows(buffer[: end + 6], scan, state, max_rows)
        carry = buffer[end + 6 :]
    _scan_rows(carry, scan, state, max_rows)
    for match in MERGE.finditer(carry):
        ref = match.group(1).decode()
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        scan.merged.append((ref, min_row, min_col, max_row, max_col))
    return scan


def _scan_rows(body: bytes, scan: SheetScan, state: dict, max_rows: int) -> None:
    for match in ROW.finditer(body):
        attributes, cells = match.group(1), match.group(2) or b""
        number = ROW_NUMBER.search(attributes)
        state["number"] = int(number.group(1)) if number else state["number"] + 1
        if HIDDEN.search(attributes):
            scan.hidden_rows.add(state["number"])
        if not cells:
            continue
        if not set(TAG.findall(cells)) <= ROW_TAGS:
            raise FileRefused(_l("The sheet holds XML that is not spreadsheet data; it was not saved by Excel or WPS."))
        if not VALUE.search(cells):
            continue
        scan.value_rows += 1
        if scan.value_rows > max_rows + 1:  # the header row is one of them
            raise TooManyRows(max_rows)
        if b"<f" not in cells:
            continue
        for attributes, inner in CELL.findall(cells):
            if b"<f" in inner and not CACHED.search(inner):
                ref = CELL_REF.search(attributes)
                if ref:
                    scan.uncalculated.add((int(ref.group(2)), _column_index(ref.group(1))))


@functools.lru_cache(maxsize=1024)
def _column_index(letters: bytes) -> int:
    """b'A' -> 0, b'AB' -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1
