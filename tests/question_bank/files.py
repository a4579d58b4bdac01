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
