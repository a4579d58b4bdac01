"""An official document (公文) as a plain data structure, and `render_docx` laying it out as a Word
document by GB/T 9704-2012 (党政机关公文格式; ../shared/design/GONGWEN.md): A4, margins 37/28 mm
top/left (text block 156 × 225 mm), 22 lines a page on a line grid with fixed spacing and 28
characters a line, page numbers `— 1 —` in 4号 Song at the right of odd pages and the left of
even ones, fonts named as the standard names them (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312)
in the East Asian slot of every run and style (python-docx's `font.name` sets only the Latin one),
and declared in the font table so Word substitutes a Chinese face of the same kind. The record
block (版记) floats to the foot of the last page in Word; LibreOffice 7.4 keeps it in the flow,
right after the date.

No PDF is made here: no well-kept pure-Python library renders a .docx, so a PDF would be a second,
separate layout (reportlab or fpdf2) whose line breaks and pages need not match this one, and it
would need an embeddable CJK TrueType font (the standard's faces are commercial; Noto CJK ships as
CFF OpenType, which reportlab cannot embed). Word or LibreOffice print this .docx to PDF exactly.
"""

import io
from dataclasses import dataclass, field
from datetime import date

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from core import wordml

# ---- the document ------------------------------------------------------------------------------


@dataclass
class Table:
    """A table of the body (names of people who failed, units below target): its header row is
    repeated at the top of every page the table runs onto."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class Subsection:
    """A second-level part, numbered （一）（二）…; blocks are paragraphs (str) and tables."""

    heading: str
    blocks: list = field(default_factory=list)


@dataclass
class Section:
    """A first-level part, numbered 一、二、…; blocks are paragraphs, tables and subsections."""

    heading: str
    blocks: list = field(default_factory=list)


@dataclass
class RecordBlock:
    """版记, at the foot of the last page between rules: 抄送 and 印发机关 with 印发日期."""

    copy_to: str | None = None
    printed_by: str | None = None
    printed_on: date | None = None


@dataclass
class OfficialDocument:
    issuing_organ: str  # 发文机关, e.g. 临江市委政法委
    title: str  # 标题: 发文机关 + 关于 + 事由 + 的通报 ("\n" breaks the lines)
    addressees: str  # 主送机关, e.g. 各区委政法委、各分局 (the colon is added)
    sections: list[Section]
    signature: str  # 发文机关署名
    date: date  # 成文日期
    number: str | None = None  # 发文字号, e.g. 临政法〔2026〕12号
    red_head: bool = False  # 红头: the issuing organ's mark in red above the number, and the red rule
    mark: str | None = None  # the mark's text (default: the issuing organ + 文件)
    opening: list = field(default_factory=list)  # paragraphs (and tables) before the first section
    closing: list[str] = field(default_factory=list)  # paragraphs after the last section
    attachments: list[str] = field(default_factory=list)  # 附件说明, one title each
    record: RecordBlock | None = None


# ---- the standard's measures -------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, LEFT, BOTTOM, RIGHT = Mm(37), Mm(28), Mm(35), Mm(26)  # text block 156 × 225 mm
LINES, CHARS = 22, 28
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines = 28.95 pt (a twip is 1/20 pt)
# 156 mm / 28 = 15.79 pt a character: 3号 (16 pt) with its characters drawn 0.25 pt closer, so 28
# fit a line in Word and LibreOffice alike (a character grid would do it in Word, but LibreOffice
# gives a 16 pt character two cells of a 15.79 pt grid: 14 characters a line).
TRACKING_TWIPS = -5
CHAR = Pt(15.75)  # one 字, for indents
FOOTER_DISTANCE = Mm(25)  # the page number's dashes about 7 mm below the text block

ERHAO, SANHAO, SIHAO, CHUHAO = 22, 16, 14, 42  # 二号, 三号, 四号, 初号 in points
TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT, SONG_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xFF, 0x00, 0x00)
NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1..99)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return NUMERALS[ones - 1]
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def chinese_date(day: date) -> str:
    """The date as documents write it: 2026年12月7日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def text_width(text: str) -> float:
    """Width in 字: a full-width character is one, a half-width one (digits, Latin) a half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


# ---- styles ------------------------------------------------------------------------------------


def _fonts(owner, east_asia: str, latin: str = LATIN_FONT) -> None:
    wordml.set_fonts(owner, east_asia, SONG_FONT if east_asia == SONG_FONT else latin)


def _indent(paragraph_format, **chars) -> None:
    wordml.indent(paragraph_format, CHAR, **{key.removesuffix("_chars"): value for key, value in chars.items()})


# name: (East Asian face, size, alignment, first-line indent in 字, grid-snapped fixed spacing)
STYLES = {
    "公文正文": (BODY_FONT, SANHAO, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, True),
    "公文一级标题": (HEI_FONT, SANHAO, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, True),
    "公文二级标题": (KAI_FONT, SANHAO, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, True),
    "公文标题": (TITLE_FONT, ERHAO, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "公文发文机关标志": (TITLE_FONT, CHUHAO, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "公文发文字号": (BODY_FONT, SANHAO, WD_ALIGN_PARAGRAPH.CENTER, 0, True),
    "公文主送机关": (BODY_FONT, SANHAO, WD_ALIGN_PARAGRAPH.LEFT, 0, True),
    "公文署名": (BODY_FONT, SANHAO, WD_ALIGN_PARAGRAPH.RIGHT, 0, True),
    "公文表格": (BODY_FONT, SIHAO, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "公文版记": (BODY_FONT, SIHAO, WD_ALIGN_PARAGRAPH.LEFT, 0, False),
    "公文页码": (SONG_FONT, SIHAO, WD_ALIGN_PARAGRAPH.RIGHT, 0, False),
}


def _setup_styles(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    _fonts(defaults.find(qn("w:rPrDefault")), BODY_FONT)
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(SANHAO)
    normal.paragraph_format.space_after = Pt(0)
    for name, (face, size, alignment, first, grid) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        _fonts(style.element, face, SONG_FONT if face == SONG_FONT else LATIN_FONT)
        if size == SANHAO:
            wordml.tracking(style, TRACKING_TWIPS)
        fmt = style.paragraph_format
        fmt.alignment = alignment
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False
        if grid:  # one line of the 22-line grid
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            wordml.no_grid_snap(fmt)
        if first:
            _indent(fmt, first_chars=first)
    document.styles["公文一级标题"].paragraph_format.keep_with_next = True
    document.styles["公文二级标题"].paragraph_format.keep_with_next = True
    document.styles["公文标题"].paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    document.styles["公文标题"].paragraph_format.line_spacing = Pt(36)
    document.styles["公文发文机关标志"].font.color.rgb = RED


# Declared in the font table, so that Word on a machine without a face takes a Chinese one of the
# same kind (its alternative name, or by panose and the GB2312 character set) rather than any.
FONT_TABLE = {
    TITLE_FONT: ("宋体", "02010600030101010101", "auto"),
    BODY_FONT: ("仿宋", "02010609060101010101", "modern"),
    KAI_FONT: ("楷体", "02010609060101010101", "modern"),
    HEI_FONT: ("SimHei", "02010609060101010101", "modern"),
    SONG_FONT: ("SimSun", "02010600030101010101", "auto"),
}


# ---- the page: size, margins, grid, page numbers -----------------------------------------------


def _setup_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.left_margin, section.bottom_margin, section.right_margin = TOP, LEFT, BOTTOM, RIGHT
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, alignment) -> None:
    """— 1 — in 4号 Song, one 字 in from the right (odd pages) or the left (even pages)."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "公文页码"
    paragraph.alignment = alignment
    side = {"right_chars": 1} if alignment == WD_ALIGN_PARAGRAPH.RIGHT else {"left_chars": 1}
    _indent(paragraph.paragraph_format, **side)
    for text in ("— ", None, " —"):
        if text is None:
            for run in wordml.field(paragraph, "PAGE", "1"):
                _fonts(run._r, SONG_FONT)
        else:
            _fonts(paragraph.add_run(text)._r, SONG_FONT, SONG_FONT)


# ---- the content -------------------------------------------------------------------------------


def _paragraph(document, text: str, style: str, **indent):
    """A paragraph of one run, its faces named on the run as well as on the style."""
    paragraph = document.add_paragraph(style=style)
    face = STYLES[style][0]
    if text:
        run = paragraph.add_run(text)
        _fonts(run._r, face, SONG_FONT if face == SONG_FONT else LATIN_FONT)
    if indent:
        _indent(paragraph.paragraph_format, **indent)
    return paragraph


def _blank(document, count: int = 1) -> None:
    for _ in range(count):
        _paragraph(document, "", "公文正文")


def _head(document, doc: OfficialDocument) -> None:
    """版头: the red mark, the document number and the red rule (or just the number)."""
    if doc.red_head:
        mark = doc.mark or f"{doc.issuing_organ}文件"
        size = min(CHUHAO, int(440 / max(text_width(mark), 1)))  # never wider than the text block
        paragraph = _paragraph(document, mark, "公文发文机关标志")
        paragraph.runs[0].font.size = Pt(size)
        paragraph.runs[0].font.color.rgb = RED
        paragraph.paragraph_format.space_before = Mm(35) - Pt(size)  # its top 35 mm below the block's
        _blank(document, 2)
    if doc.number:
        number = _paragraph(document, doc.number, "公文发文字号")
        if doc.red_head:
            wordml.bottom_rule(number, "FF0000", 12, 11)  # 4 mm under the number, as wide as the text block
    if doc.red_head or doc.number:
        _blank(document, 2)


def _column_shares(table: Table) -> list[float]:
    """Each column's share of the width: its longest text (in 4号 characters, plus the cell's
    margins), a header counting for half its width when the table does not fit (a header may
    take two lines before a name or a unit breaks); when they still do not all fit, the widest
    columns give way (their text wraps), so short columns such as 序号 and 姓名 never break."""
    room = (PAGE_WIDTH - LEFT - RIGHT) / Pt(SIHAO)  # 4号 characters across the text block
    columns = list(zip(table.header, *table.rows))
    needs = [max(text_width(str(v)) for v in column) + 2.5 for column in columns]
    if sum(needs) > room:
        needs = [
            max([-(-text_width(str(column[0])) // 2)] + [text_width(str(v)) for v in column[1:]]) + 2.5
            for column in columns
        ]
    widths = list(needs)
    while sum(widths) - room > 0.01:  # level the widest down, tier by tier, to what is left
        top = max(widths)
        tied = [i for i, w in enumerate(widths) if w == top]
        below = max([w for w in widths if w < top], default=0)
        cut = min((sum(widths) - room) / len(tied), top - max(below, 2))
        if cut <= 0:
            break
        for i in tied:
            widths[i] -= cut
    return [w / sum(widths) for w in widths]


def _table(document, table: Table) -> None:
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, share in zip(grid.columns, _column_shares(table)):
        column.width = Emu(round((PAGE_WIDTH - LEFT - RIGHT) * share))
        for cell in column.cells:
            cell.width = column.width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row_index, values in enumerate([table.header, *table.rows]):
        row = grid.rows[row_index]
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if row_index == 0:
            properties.append(OxmlElement("w:tblHeader"))  # repeated on each page (after cantSplit)
        for cell, value in zip(row.cells, values):
            paragraph = cell.paragraphs[0]
            paragraph.style = "公文表格"
            run = paragraph.add_run(str(value))
            _fonts(run._r, HEI_FONT if row_index == 0 else BODY_FONT)


def _blocks(document, blocks) -> None:
    subsections = 0
    for block in blocks:
        if isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Subsection):
            subsections += 1
            _paragraph(document, f"（{chinese_number(subsections)}）{block.heading}", "公文二级标题")
            _blocks(document, block.blocks)
        else:
            _paragraph(document, block, "公文正文")


def _signature(document, doc: OfficialDocument) -> None:
    """署名 centred above 成文日期, the date four 字 in from the right."""
    day = chinese_date(doc.date)
    date_right = 4.0
    centre = date_right + text_width(day) / 2
    organ_right = centre - text_width(doc.signature) / 2
    if organ_right < 2:  # a long organ name: keep it two 字 in, and centre the date under it
        organ_right = 2.0
        date_right = organ_right + (text_width(doc.signature) - text_width(day)) / 2
    _blank(document)
    _paragraph(document, doc.signature, "公文署名", right_chars=organ_right)
    _paragraph(document, day, "公文署名", right_chars=date_right)


def _record(document, record: RecordBlock) -> None:
    """版记 at the foot of the last page (a table floating at the bottom of the text block), between
    a thick rule above and below and a thin one between its lines; 4号 仿宋, one 字 in each side."""
    lines = [f"抄送：{record.copy_to}。"] if record.copy_to else []
    if record.printed_by or record.printed_on:
        printed = f"{chinese_date(record.printed_on)}印发" if record.printed_on else "印发"
        lines.append((record.printed_by or "", printed))
    if not lines:
        return
    width = PAGE_WIDTH - LEFT - RIGHT
    _blank(document)  # where a reader does not float the table (LibreOffice 7.4), it follows the date
    table = document.add_table(rows=len(lines), cols=1)
    table.autofit = False
    properties = table._tbl.tblPr
    position = wordml.element(
        "w:tblpPr", vertAnchor="margin", horzAnchor="margin", tblpXSpec="center", tblpYSpec="bottom"
    )
    properties.insert(0, position)  # tblpPr follows tblStyle, which python-docx has not set here
    borders = wordml.element("w:tblBorders")
    for side, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 4), ("insideV", 0)):
        borders.append(wordml.element(f"w:{side}", val="single" if size else "nil", sz=size, space=0, color="000000"))
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    table.columns[0].width = width
    table_width = properties.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(round(width / 635)))  # twips
    for row, line in zip(table.rows, lines):
        cell = row.cells[0]
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.style = "公文版记"
        _indent(paragraph.paragraph_format, left_chars=1, right_chars=1)
        if isinstance(line, tuple):  # 印发机关 at the left, 印发日期 at the right (a right tab)
            paragraph.paragraph_format.tab_stops.add_tab_stop(width - CHAR * 2, WD_TAB_ALIGNMENT.RIGHT)
            _fonts(paragraph.add_run(f"{line[0]}\t{line[1]}")._r, BODY_FONT)
        else:
            _fonts(paragraph.add_run(line)._r, BODY_FONT)
    _paragraph(document, "", "公文版记")  # a floating table is anchored to the paragraph after it


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as a .docx laid out by GB/T 9704-2012 (see the module's docstring)."""
    document = docx.Document()
    wordml.declare_fonts(document, FONT_TABLE, charset="86")  # 86: GB2312
    _setup_styles(document)
    _setup_page(document)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(paragraph)
    _head(document, doc)
    for line in doc.title.split("\n"):
        _paragraph(document, line, "公文标题")
    _blank(document)
    _paragraph(document, f"{doc.addressees}：", "公文主送机关")
    _blocks(document, doc.opening)
    for number, section in enumerate(doc.sections, start=1):
        _paragraph(document, f"{chinese_number(number)}、{section.heading}", "公文一级标题")
        _blocks(document, section.blocks)
    for text in doc.closing:
        _paragraph(document, text, "公文正文")
    if doc.attachments:
        _blank(document)
        for index, title in enumerate(doc.attachments, start=1):
            if index == 1:
                _paragraph(document, f"附件：{index}. {title}", "公文正文")
            else:  # under the first title, after 附件：
                _paragraph(document, f"{index}. {title}", "公文正文", first_chars=0, left_chars=5)
    _signature(document, doc)
    if doc.record:
        _record(document, doc.record)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
