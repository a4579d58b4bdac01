"""Real import files built in the tests: .xlsx through openpyxl, CSV/TSV in any encoding, and
hostile ones (zip bombs, entity bombs, files that only pretend to be spreadsheets)."""

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

HEADERS = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "分类", "难度", "来源"]

# Twenty questions of every type, the same in every format (I1).
TWENTY = (
    [
        [
            "单选",
            f"第{n}题：政法队伍教育整顿的四项任务不包括哪一项？",
            "筑牢政治忠诚",
            "清除害群之马",
            "整治顽瘴痼疾",
            "招商引资",
            "D",
            "四项任务。",
            "政治教育",
            "2",
            "手册 第一章",
        ]
        for n in range(1, 9)
    ]
    + [
        [
            "多选",
            f"第{n}题：“四项教育”包括哪些？",
            "政治教育",
            "党史教育",
            "警示教育",
            "英模教育",
            "ABCD",
            "",
            "政治教育",
            "3",
            "",
        ]
        for n in range(9, 14)
    ]
    + [
        [
            "判断",
            f"第{n}题：政法队伍教育整顿分为三个环节。",
            "",
            "",
            "",
            "",
            "对",
            "学习教育、查纠整改、总结提升。",
            "政治教育",
            "1",
            "",
        ]
        for n in range(14, 18)
    ]
    + [
        ["填空", f"第{n}题：教育整顿的第二个环节是____。", "", "", "", "", "查纠整改/查究整改", "", "政治教育", "", ""]
        for n in range(18, 21)
    ]
)

ROOT = Path(__file__).resolve().parents[2]


def cmmlu_dir() -> Path | None:
    """The shared CMMLU folder: ../shared/data/cmmlu from the project root (or from the folder
    above it, where a git worktree lives one level deeper); None when it is absent."""
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "cmmlu"
        if folder.is_dir():
            return folder
    return None


def xlsx(rows, headers=HEADERS, *, above=(), build=None) -> bytes:
    """An .xlsx with optional rows above the header; build(sheet) may change the sheet further."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "题目"
    for row in [*above, headers, *rows]:
        sheet.append(list(row))
    if build is not None:
        build(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def delimited(rows, headers=HEADERS, *, encoding="utf-8", delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in [headers, *rows]:
        writer.writerow(row)
    text = buffer.getvalue()
    if bom:
        text = "\ufeff" + text
    return text.encode(encoding)


def utf16_tsv(rows, headers=HEADERS) -> bytes:
    """What Excel writes as "Unicode text": UTF-16 LE with a BOM, tab-separated."""
    return delimited(rows, headers, encoding="utf-16", delimiter="\t")


def zip_bomb() -> bytes:
    """A small .xlsx whose sheet1.xml inflates to 300 MB (refused before openpyxl opens it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def entity_bomb() -> bytes:
    """A real workbook whose sharedStrings.xml declares the billion-laughs entities."""
    good = xlsx([["单选", "题", "甲", "乙", "", "", "A", "", "政治教育", "", ""]])
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = bomb.encode()
            archive.writestr(info.filename, data)
    return buffer.getvalue()


def legacy_xls() -> bytes:
    """The first bytes of an Excel 97-2003 file (an OLE compound document)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


def html_as_xls() -> bytes:
    return "<html><body><table><tr><td>题干</td><td>答案</td></tr></table></body></html>".encode()


def png_as_xlsx() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def realbanks_dir() -> Path | None:
    """The shared real question files (../shared/data/realbanks), or None when absent."""
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "realbanks"
        if folder.is_dir():
            return folder
    return None


def xls(rows, headers=HEADERS) -> bytes:
    """A real Excel 97-2003 workbook (BIFF8, written by xlwt)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("题目")
    for r, row in enumerate([headers, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(rows, headers=HEADERS) -> bytes:
    """An OpenDocument spreadsheet with text cells, written by hand (no library needed)."""
    from xml.sax.saxutils import escape

    def cell(value):
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in [headers, *rows])
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="题目">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def json_records(rows, headers=HEADERS, *, lines=False) -> bytes:
    """The rows as JSON objects keyed by the headers: one array, or one object a line."""
    import json

    records = [dict(zip(headers, row)) for row in rows]
    if lines:
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    return json.dumps(records, ensure_ascii=False, indent=1).encode()


def docx(paragraphs) -> bytes:
    """A Word document with one paragraph a line (python-docx)."""
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def legacy_doc() -> bytes:
    """The first bytes of a Word 97-2003 file: an OLE compound document holding a WordDocument stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "WordDocument".encode("utf-16-le") + b"\x00" * 64


# A small numbered bank as typed in Word: a title, sections setting the type, answers in the stem
# or on their own line, options on one line or several.
NUMBERED_BANK = [
    "某单位应知应会题库（2026）",
    "",
    "一、单项选择题（2题）",
    "1.政法队伍教育整顿的第二个环节是__B__。（《手册》第3页）",
    "A.学习教育   B.查纠整改   C.总结提升",
    "2、全面依法治国的总抓手是__C__。",
    "A．法律规范体系",
    "B．法治监督体系",
    "C．中国特色社会主义法治体系",
    "二、多项选择题",
    "3. “四项教育”包括__ABCD__。",
    "    A、政治教育   B、党史教育  C、警示教育   D、英模教育",
    "三、填空题",
    "4.坚持以____为中心的发展思想。",
    "正确答案：人民",
    "5.政法工作的根本保证是党的     。",
    "正确答案：绝对领导",
    "四、判断题",
    "6.政法机关是刀把子。（  ）",
    "    答案：对",
    "7. 教育整顿只在市级开展。（  ）",
    "正确答案：错。",
    "五、简答题",
    "8.简述教育整顿的意义。",
    "答案：略",
]
