"""A corpus of hostile import files, built in memory (nothing big is committed): each is small on
the wire but costly to read naively, or claims an encoding it breaks, or is not what its name says.
Used by the question and people import tests and by bench/bank_import.py."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
HEADERS = ["题型", "题干", "A", "B", "答案", "警号", "姓名", "单位"]


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return '<row r="1">' + "".join(_cell(f"{_column(i)}1", h) for i, h in enumerate(HEADERS)) + "</row>"


def xlsx_from_sheet_xml(chunks) -> bytes:
    """A minimal valid .xlsx whose first sheet is the given XML (an iterable of str chunks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for chunk in chunks:
                member.write(chunk.encode())
    return buffer.getvalue()


def many_rows(count: int = 100_000) -> bytes:
    """100,000 filled rows under a header both importers know."""

    def chunks():
        yield SHEET_HEAD + _header_row()
        for n in range(2, count + 2):
            yield (
                f'<row r="{n}">{_cell(f"A{n}", "单选")}{_cell(f"B{n}", f"第{n}题？")}{_cell(f"C{n}", "甲")}'
                f"{_cell(f'D{n}', '乙')}{_cell(f'E{n}', 'A')}{_cell(f'F{n}', str(100000 + n))}"
                f"{_cell(f'G{n}', '张三')}{_cell(f'H{n}', '东区')}</row>"
            )
        yield SHEET_TAIL

    return xlsx_from_sheet_xml(chunks())


def many_formulas(count: int = 36_000, per_row: int = 8) -> bytes:
    """36,000 formula cells without a calculated value, 8 to a row (a 117 KB kind of file)."""

    def chunks():
        yield SHEET_HEAD + _header_row()
        for r in range(count // per_row):
            n = r + 2
            cells = "".join(f'<c r="{_column(c)}{n}"><f>1+{c}</f></c>' for c in range(per_row))
            yield f'<row r="{n}">{cells}</row>'
        yield SHEET_TAIL

    return xlsx_from_sheet_xml(chunks())


def deep_xml(depth: int = 100_000) -> bytes:
    """A sheet whose one cell sits 100,000 elements deep."""

    def chunks():
        yield SHEET_HEAD + _header_row() + '<row r="2">'
        yield "<x>" * depth
        yield "</x>" * depth
        yield "</row>" + SHEET_TAIL

    return xlsx_from_sheet_xml(chunks())


def big_cell(size: int = 10 * 1024 * 1024) -> bytes:
    """One cell of 10 MB (it compresses to a few KB)."""

    def chunks():
        yield SHEET_HEAD + _header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        for _ in range(size // (1024 * 1024)):
            yield "题" * (1024 * 1024 // 3)
        yield "</t></is></c></row>" + SHEET_TAIL

    return xlsx_from_sheet_xml(chunks())


def zip_bomb(declared_mb: int = 1024) -> bytes:
    """A workbook whose sheet inflates to 1 GB of spaces (about 1 MB on the wire)."""

    def chunks():
        yield SHEET_HEAD
        for _ in range(declared_mb):
            yield " " * (1024 * 1024)
        yield SHEET_TAIL

    return xlsx_from_sheet_xml(chunks())


def billion_laughs() -> bytes:
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    head = '<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(lol) + "]>"
    body = SHEET_HEAD.split("?>", 1)[1] + _header_row() + '<row r="2">' + _cell("A2", "&lol9;") + "</row>" + SHEET_TAIL
    return xlsx_from_sheet_xml([head + body])


def big_csv_cell(size: int = 9 * 1024 * 1024) -> bytes:
    """A CSV whose one cell is 9 MB (under the web upload limit, over any sane cell)."""
    return "题型,题干,A,B,答案,警号,姓名,单位\n单选,".encode() + b"x" * size + "，甲,乙,A,1,张三,东区\n".encode()


def bom_then_gbk() -> bytes:
    return b"\xef\xbb\xbf" + "题型,题干,A,B,答案,警号,姓名,单位\n单选,政法题？,甲,乙,A,1,张三,东区\n".encode("gbk")


def odd_utf16() -> bytes:
    return "题型\t题干\tA\tB\t答案\t警号\t姓名\t单位\n单选\t题？\t甲\t乙\tA\t1\t张三\t东区\n".encode("utf-16") + b"\x00"


def renamed_binary() -> bytes:
    """An executable's first bytes and some noise, named .xlsx."""
    return b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 64


def random_bytes() -> bytes:
    import random

    generator = random.Random(7)
    return bytes(generator.randrange(256) for _ in range(64 * 1024))


# name -> (builder, file name, a phrase of the Chinese message it gets)
CORPUS = {
    "zip-bomb": (zip_bomb, "bomb.xlsx", "解压后体积异常"),
    "billion-laughs": (billion_laughs, "lol.xlsx", "XML 实体声明"),
    "deep-xml": (deep_xml, "deep.xlsx", "不是表格数据"),
    "100000-rows": (many_rows, "rows.xlsx", "数据行超过"),
    "36000-formulas": (many_formulas, "formulas.xlsx", "没有计算结果的公式"),
    "10mb-cell": (big_cell, "cell.xlsx", "解压后体积异常"),
    "9mb-cell-csv": (big_csv_cell, "cell.csv", ""),
    "bom-then-gbk": (bom_then_gbk, "gbk.csv", "UTF-8 标记"),
    "odd-utf16": (odd_utf16, "utf16.txt", "奇数"),
    "renamed-binary": (renamed_binary, "program.xlsx", "不是表格文件"),
    "random-bytes": (random_bytes, "noise.csv", "无法识别文件的文字编码"),
}


def peak_rss_growth(name: str, target: str) -> tuple[float, float, str]:
    """(seconds, MB of peak RSS growth, message) of one importer reading one corpus file, in a
    fresh process, so peaks do not mix. The file is built here and read from disk there, so the
    growth is the reading's alone: `python -m tests.support.hostile_files NAME questions|people FILE`."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / CORPUS[name][1]
        path.write_bytes(CORPUS[name][0]())
        result = subprocess.run(
            [sys.executable, "-m", "tests.support.hostile_files", name, target, str(path)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
    seconds, growth, message = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, growth, message


def _peak_kb() -> int:
    """This process's peak RSS in KB: VmHWM (getrusage's ru_maxrss would start from the parent's
    peak at fork, hiding a child that stays below it)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _measure(name: str, target: str, path: str) -> None:
    import gc
    import json
    import time
    from pathlib import Path

    from flask_babel import force_locale

    from app import create_app
    from core.errors import DomainError
    from core.extensions import db

    data = Path(path).read_bytes()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "measure"})
    with app.app_context(), force_locale("zh_CN"):
        db.create_all()
        from accounts import importer as people
        from core import clock
        from question_bank import importer, services

        category = services.ensure_default_categories(clock.now())[0]
        gc.collect()
        before = _peak_kb()
        started = time.perf_counter()
        try:
            if target == "questions":
                report = importer.parse_questions(data, default_category=category)
            else:
                report = people.parse_people(data, None)
            message = f"{len(report.invalid)} rows refused: " + str(report.invalid[0].errors[0])
        except DomainError as error:
            message = str(error.message)
        seconds = time.perf_counter() - started
        growth = (_peak_kb() - before) / 1024
    print(json.dumps([seconds, growth, message], ensure_ascii=False))


if __name__ == "__main__":
    import sys

    _measure(sys.argv[1], sys.argv[2], sys.argv[3])
