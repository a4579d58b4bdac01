"""The 公文 renderer: the .docx it makes, opened with python-docx, has the layout GB/T 9704-2012
asks (GONGWEN.md): A4 with its margins, a 22-line grid and fixed spacing, 一、（一） headings in
黑体 and 楷体, the body in 仿宋 named in the East Asian slot of every run, tables whose header row
repeats, the signature centred over a date four characters in, page numbers odd right, even left."""

import io
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.gongwen import (
    OfficialDocument,
    Section,
    chinese_date,
    chinese_number,
    render_docx,
    text_width,
)
from tests.reports.gongwen_sample import FAILED, sample


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(render_docx(sample())))


def texts(document):
    return [p.text for p in document.paragraphs]


def east_asia(run):
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def paragraph(document, text):
    return next(p for p in document.paragraphs if p.text == text)


def test_a4_with_the_standard_margins_and_a_22_line_grid(document):
    section = document.sections[0]

    def mm(length):  # Word stores twips: a millimetre is 56.7 of them
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)
    assert (mm(section.bottom_margin), mm(section.right_margin)) == (35, 26)
    text_width_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    text_height_mm = (section.page_height - section.top_margin - section.bottom_margin) / Mm(1)
    assert (round(text_width_mm), round(text_height_mm)) == (156, 225)
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch"))) / 20  # points
    assert int(text_height_mm / 25.4 * 72 // pitch) == 22
    body = document.styles["公文正文"]
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(pitch)
    assert body.font.size == Pt(16)
    tracking = int(body.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert int(text_width_mm / 25.4 * 72 // (16 + tracking)) == 28  # characters a line


def test_head_title_addressees_and_numbered_sections_in_order(document):
    lines = [t for t in texts(document) if t]
    assert lines[:5] == [
        "临江市委政法委文件",
        "临政法〔2026〕12号",
        "临江市委政法委关于2026年第48周",
        "应知应会学习测试情况的通报",
        "各区委政法委，市公安局、市检察院、市中级法院、市司法局：",
    ]
    headings = [t for t in lines if t[:2] in ("一、", "二、", "三、") or t.startswith("（")]
    assert headings == ["一、总体情况", "（一）参考情况", "（二）合格情况", "二、存在问题", "三、下步要求"]
    assert lines.index("特此通报。") > lines.index("三、下步要求")
    assert "附件：1. 第48周应知应会周测成绩汇总表" in lines and "2. 补考安排" in lines


def test_every_run_names_its_east_asian_face(document):
    faces = {}
    for p in document.paragraphs:
        for run in p.runs:
            assert east_asia(run), f"{p.text!r} has a run without an East Asian face"
            faces.setdefault(p.style.name, set()).add(east_asia(run))
    assert faces["公文标题"] == {"方正小标宋简体"} and faces["公文发文机关标志"] == {"方正小标宋简体"}
    assert faces["公文一级标题"] == {"黑体"} and faces["公文二级标题"] == {"楷体_GB2312"}
    assert faces["公文正文"] == {"仿宋_GB2312"} and faces["公文署名"] == {"仿宋_GB2312"}
    for style in ("公文正文", "公文一级标题", "公文二级标题", "公文标题"):
        fonts = document.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) and fonts.get(qn("w:eastAsiaTheme")) is None
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = paragraph(document, "临江市委政法委关于2026年第48周")
    assert title.style.font.size == Pt(22) and title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    mark = paragraph(document, "临江市委政法委文件").runs[0]
    assert str(mark.font.color.rgb) == "FF0000"


def test_body_paragraphs_start_two_characters_in(document):
    body = document.styles["公文正文"].element.pPr.find(qn("w:ind"))
    assert body.get(qn("w:firstLineChars")) == "200"
    addressees = paragraph(document, "各区委政法委，市公安局、市检察院、市中级法院、市司法局：")
    assert addressees.style.name == "公文主送机关" and addressees.style.paragraph_format.first_line_indent is None


def test_the_table_of_names_repeats_its_header_row(document):
    (table,) = document.tables[:1]
    assert [c.text for c in table.rows[0].cells] == FAILED.header
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == FAILED.rows
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    cells = [p for row in table.rows for c in row.cells for p in c.paragraphs]
    assert {east_asia(r) for p in cells[5:] for r in p.runs} == {"仿宋_GB2312"}
    assert {east_asia(r) for p in cells[:5] for r in p.runs} == {"黑体"}
    widths = [c.width for c in table.rows[1].cells]
    assert sum(widths) == pytest.approx(Mm(156), rel=0.001)


def test_signature_centred_over_the_date_four_characters_in(document):
    organ, day = paragraph(document, "临江市委政法委"), paragraph(document, "2026年12月7日")
    assert organ.alignment is None and organ.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    right = {p.text: int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100 for p in (organ, day)}
    assert right["2026年12月7日"] == 4
    centre_of_date = 4 + text_width("2026年12月7日") / 2
    assert right["临江市委政法委"] + text_width("临江市委政法委") / 2 == pytest.approx(centre_of_date, abs=0.01)


def test_record_block_lists_copies_and_the_printing_organ(document):
    record = document.tables[-1]
    assert [c.text for row in record.rows for c in row.cells] == [
        "抄送：市委办公室，市纪委监委。",
        "临江市委政法委办公室\t2026年12月7日印发",
    ]
    position = record._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom"  # at the foot of the last page


def test_page_numbers_odd_right_even_left(document):
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"  # the PAGE field's cached result between the dashes
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert odd._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "100"
    assert even._p.pPr.find(qn("w:ind")).get(qn("w:leftChars")) == "100"
    assert "PAGE" in "".join(t.text for t in odd._p.iter(qn("w:instrText")))
    assert {east_asia(r) for r in odd.runs} == {"宋体"} and odd.style.font.size == Pt(14)


def test_the_standard_s_faces_are_declared_for_substitution(document):
    table = document.part.part_related_by(docx.opc.constants.RELATIONSHIP_TYPE.FONT_TABLE).blob.decode()
    for face, alternative in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert f'w:name="{face}"><w:altName w:val="{alternative}"/>' in table
    assert table.count('<w:charset w:val="86"/>') >= 5


def test_a_plain_letter_without_red_head_number_or_record():
    plain = OfficialDocument(
        issuing_organ="东湖区委政法委",
        title="东湖区委政法委关于第48周测试情况的通报",
        addressees="各派出所",
        sections=[Section("情况", ["正文。"])],
        signature="东湖区委政法委",
        date=date(2026, 1, 5),
    )
    document = docx.Document(io.BytesIO(render_docx(plain)))
    lines = [t for t in texts(document) if t]
    assert lines == [
        "东湖区委政法委关于第48周测试情况的通报",
        "各派出所：",
        "一、情况",
        "正文。",
        "东湖区委政法委",
        "2026年1月5日",
    ]
    assert document.tables == []


@pytest.mark.parametrize(
    "number, written", [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")]
)
def test_chinese_numbers(number, written):
    assert chinese_number(number) == written


def test_dates_and_widths():
    assert chinese_date(date(2026, 12, 7)) == "2026年12月7日"
    assert text_width("2026年12月7日") == 6.5 and text_width("临江市委政法委") == 7
