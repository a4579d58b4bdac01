"""The bulletin as a 公文 (.docx) over HTTP: downloaded through the test client and opened with
python-docx, it carries the unit as issuing organ, a 〔year〕N号 number, the title, the subordinate
units as addressees, sections 一、二、三、四 with the units' table and tables of the people absent
and failed (with their retakes), the signature and date; the page shows the same structure; only
those who may read the bulletin get it."""

import io
import re
from datetime import date

import docx
import pytest

from core import clock
from core.extensions import db
from reports import bulletins
from reports.bulletin_text import parse

W47 = date(2026, 11, 16)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def bulletin(campaign):
    made = bulletins.draft_bulletin(None, campaign["east"], W47, clock.now())
    db.session.commit()
    return made


def open_docx(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == DOCX and "attachment" in response.headers["Content-Disposition"]
    return docx.Document(io.BytesIO(response.data))


def lines(document):
    return [p.text for p in document.paragraphs if p.text.strip()]


def table_texts(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_docx_is_the_bulletin_laid_out_as_a_gongwen(campaign, bulletin, login_as):
    document = open_docx(login_as(campaign["east_supervisor"]).get(f"/reports/bulletins/{bulletin.id}.docx"))
    text = lines(document)
    assert text[:3] == [
        "〔2026〕1号",  # a draft takes the number it would get: the unit's first this year
        "东区政法委关于2026年第47周学习测试情况的通报",
        "东区公安分局、东区人民法院、东区司法局：",
    ]
    headings = [t for t in text if t[:2] in ("一、", "二、", "三、", "四、", "五、") or t.startswith("（")]
    assert headings == [
        "一、各单位情况",
        "二、测试缺考、不合格人员",
        "（一）缺考人员",
        "（二）不合格人员",
        "（三）补考情况",
        "三、集中学习无故缺席人员",
        "四、督查情况",
        "五、工作要求",
    ]
    assert text.index("特此通报。") > text.index("五、工作要求")
    assert "2026年11月23日" in text  # signed on the day it goes out (a draft: today)
    assert text.index("东区政法委", text.index("特此通报。")) < text.index("2026年11月23日")

    units, absent, failed, sessions, record = document.tables
    assert units.rows[0].cells[0].text == "单位" and "一次合格率" in table_texts(units)[0]
    assert ["东区公安分局", "66.7%", "33.3%", "66.7%", "1"] in table_texts(units)
    assert "西区" not in " ".join(c for row in table_texts(units) for c in row)
    assert table_texts(absent) == [
        ["序号", "单位", "姓名", "测试", "补考情况"],
        ["1", "东区城关派出所", "张三", "第47周周测", "补考未通过"],
    ]
    assert table_texts(failed)[1:] == [
        ["1", "东区城关派出所", "王二", "第47周周测", "40", "补考合格"],
        ["2", "东区人民法院", "李四", "第47周周测", "50", "补考未通过"],
    ]
    assert [row[2] for row in table_texts(sessions)[1:]] == ["张三", "李四"]
    assert "需补考3人次，其中补考合格1人次，待补考2人次（其中补考未通过2人次）。" in text
    # One figure for 待补考: the opening paragraph's (the board's) and the retake section's agree.
    body = "\n".join(text)
    assert re.search(r"尚有(\d+)人次待补考", body).group(1) == re.search(r"，待补考(\d+)人次", body).group(1) == "2"
    assert "东区政法委" in record.rows[0].cells[0].text and "2026年11月23日印发" in record.rows[0].cells[0].text


def test_the_page_shows_the_same_structure(campaign, bulletin, login_as):
    html = login_as(campaign["east_supervisor"]).get(f"/reports/bulletins/{bulletin.id}").get_data(as_text=True)
    for heading in ("<h3>一、各单位情况</h3>", "<h4>（一）缺考人员</h4>", "<h4>（三）补考情况</h4>"):
        assert heading in html
    assert "<h3>五、工作要求</h3>" in html
    assert '<th scope="col">姓名</th>' in html and "<td>张三</td>" in html
    assert "东区公安分局、东区人民法院、东区司法局：" in html and "〔2026〕1号" in html
    assert f'href="/reports/bulletins/{bulletin.id}.docx"' in html and "下载公文（Word）" in html


def test_an_edited_bulletin_downloads_as_edited_and_published_takes_its_number(campaign, bulletin, login_as):
    supervisor = login_as(campaign["east_supervisor"])
    row = "1｜东区城关派出所｜张三｜第47周周测｜"
    edited = bulletin.body.replace(row + "补考未通过", row + "已约谈").replace("五、工作要求", "五、下步要求")
    response = supervisor.post(f"/reports/bulletins/{bulletin.id}/edit", data={"title": bulletin.title, "body": edited})
    assert response.status_code == 302
    assert supervisor.post(f"/reports/bulletins/{bulletin.id}/publish").status_code == 302
    document = open_docx(supervisor.get(f"/reports/bulletins/{bulletin.id}.docx"))
    assert "五、下步要求" in lines(document)
    assert table_texts(document.tables[1])[1][-1] == "已约谈"
    assert lines(document)[0] == "〔2026〕1号"
    # The next one the unit publishes is 2号; the first keeps its number.
    later = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 9), clock.now())
    db.session.commit()
    supervisor.post(f"/reports/bulletins/{later.id}/publish")
    assert lines(open_docx(supervisor.get(f"/reports/bulletins/{later.id}.docx")))[0] == "〔2026〕2号"
    assert lines(open_docx(supervisor.get(f"/reports/bulletins/{bulletin.id}.docx")))[0] == "〔2026〕1号"
    # Officers in the scope read the published bulletin, and download it too.
    assert open_docx(login_as(campaign["s1"]).get(f"/reports/bulletins/{bulletin.id}.docx"))


def test_only_readers_of_the_bulletin_get_its_docx(campaign, bulletin, login_as):
    url = f"/reports/bulletins/{bulletin.id}.docx"
    assert login_as(campaign["west_supervisor"]).get(url).status_code == 403  # another unit's supervisor
    assert login_as(campaign["s1"]).get(url).status_code == 403  # a draft is not the officers' yet
    assert login_as(campaign["w1"]).get(url).status_code == 403
    assert login_as(campaign["east_supervisor"]).get("/reports/bulletins/999999.docx").status_code == 404
    assert login_as(campaign["east_supervisor"]).post(url).status_code == 405


def test_text_without_sections_still_makes_a_document(campaign, bulletin, login_as):
    """A bulletin edited down to plain paragraphs (or drafted before sections) becomes one section."""
    supervisor = login_as(campaign["east_supervisor"])
    supervisor.post(f"/reports/bulletins/{bulletin.id}/edit", data={"title": "东区通报", "body": "第一段\n第二段"})
    text = lines(open_docx(supervisor.get(f"/reports/bulletins/{bulletin.id}.docx")))
    assert "第一段" in text and "第二段" in text and text[1] == "东区通报"


def test_a_table_before_the_first_section_is_kept(campaign, bulletin, login_as):
    supervisor = login_as(campaign["east_supervisor"])
    body = "导语\n指标｜数值\n参考率｜83.3%\n一、情况\n正文"
    supervisor.post(f"/reports/bulletins/{bulletin.id}/edit", data={"title": "东区通报", "body": body})
    document = open_docx(supervisor.get(f"/reports/bulletins/{bulletin.id}.docx"))
    assert table_texts(document.tables[0]) == [["指标", "数值"], ["参考率", "83.3%"]]
    assert lines(document)[3:6] == ["导语", "一、情况", "正文"]


def test_the_text_format_reads_sections_subsections_and_tables():
    parsed = parse("导语\n一、甲\n段落\n（一）子\n表头｜二\n1｜2｜3\n\n（二）另\n4｜5\n二、乙\n结束")
    assert parsed.opening == ["导语"]
    first, second = parsed.sections
    assert first.heading == "甲" and first.blocks[0] == "段落"
    sub = first.blocks[1]
    assert sub.heading == "子" and sub.blocks[0].header == ["表头", "二"] and sub.blocks[0].rows == [["1", "2｜3"]]
    assert first.blocks[2].blocks[0].header == ["4", "5"]
    assert second.heading == "乙" and second.blocks == ["结束"]
