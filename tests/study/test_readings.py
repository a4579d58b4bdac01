"""Required readings: safe bodies, PDFs kept in the database and served with scope checks,
marking read, and progress per person and per unit."""

import io

import sqlalchemy as sa

from core.extensions import db
from study.models import Reading, ReadingProgress
from tests.factories import UserFactory
from tests.question_bank.factories import CategoryFactory
from tests.study.factories import ReadingFactory

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_the_body_is_sanitised(world, login_as):
    reading = ReadingFactory(
        unit=world["east"],
        body='<h2>学习要点</h2><p onclick="x()">正文<script>alert(1)</script></p><a href="javascript:alert(1)">链接</a>'
        '<img src=x onerror=alert(1)><a href="https://www.chinapeace.gov.cn/">长安网</a>',
    )
    page = login_as(world["east_officer"]).get(f"/study/readings/{reading.id}").get_data(as_text=True)
    assert "<h2>学习要点</h2>" in page and "正文" in page
    assert "<script>alert" not in page and "onclick" not in page and "onerror" not in page
    assert "javascript:" not in page
    assert 'href="https://www.chinapeace.gov.cn/" rel="noopener noreferrer"' in page


def test_plain_text_becomes_paragraphs_and_is_escaped(world, login_as):
    reading = ReadingFactory(unit=world["east"], body="第一段 <不是标签\n\n第二段")
    page = login_as(world["east_officer"]).get(f"/study/readings/{reading.id}").get_data(as_text=True)
    assert "<p>第一段 &lt;不是标签</p><p>第二段</p>" in page


def test_supervisor_uploads_a_pdf_and_officers_in_scope_open_it(world, login_as):
    category = CategoryFactory(name="警示教育")
    supervisor = login_as(world["east_supervisor"])
    response = supervisor.post(
        "/manage/study/readings/new",
        data={
            "title": "违纪违法典型案例警示录",
            "unit_id": str(world["east_police"].id),
            "category_id": str(category.id),
            "required": "y",
            "due_on": "2026-12-31",
            "body": "",
            "pdf": (io.BytesIO(PDF), "警示录.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    reading = db.session.scalar(sa.select(Reading))
    assert reading.category_id == category.id and reading.file.size == len(PDF)
    officer = login_as(world["east_officer"])
    pdf = officer.get(f"/study/readings/{reading.id}/pdf")
    assert pdf.status_code == 200 and pdf.data == PDF
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["Content-Disposition"].startswith("inline")
    assert "no-store" in pdf.headers["Cache-Control"]
    assert "object-src 'self'" in pdf.headers["Content-Security-Policy"]  # Chrome's PDF viewer may run
    assert "object-src 'none'" in officer.get(f"/study/readings/{reading.id}").headers["Content-Security-Policy"]
    assert login_as(world["east_officer2"]).get(f"/study/readings/{reading.id}/pdf").status_code == 404
    assert login_as(world["west_supervisor"]).get(f"/study/readings/{reading.id}/pdf").status_code == 404
    assert supervisor.get(f"/study/readings/{reading.id}/pdf").status_code == 200


def test_a_file_that_is_not_a_pdf_is_refused(world, login_as):
    response = login_as(world["east_supervisor"]).post(
        "/manage/study/readings/new",
        data={
            "title": "伪装的文件",
            "unit_id": str(world["east"].id),
            "category_id": "0",
            "body": "",
            "pdf": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "a.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "附件必须是 PDF 文件" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Reading.id))) == 0
    empty = login_as(world["east_supervisor"]).post(
        "/manage/study/readings/new", data={"title": "空篇目", "unit_id": str(world["east"].id), "category_id": "0"}
    )
    assert "请填写正文或附上 PDF" in empty.get_data(as_text=True)


def test_supervisors_cannot_publish_or_edit_outside_their_scope(world, login_as):
    reading = ReadingFactory(unit=world["east"])
    west = login_as(world["west_supervisor"])
    response = west.post(
        "/manage/study/readings/new",
        data={"title": "越权", "unit_id": str(world["east"].id), "category_id": "0", "body": "正文"},
    )
    assert response.status_code in (200, 403, 404)  # the east unit is not even a choice
    assert db.session.scalar(sa.select(sa.func.count(Reading.id))) == 1
    assert west.get(f"/manage/study/readings/{reading.id}/edit").status_code == 403
    assert west.get(f"/manage/study/readings/{reading.id}").status_code == 404


def test_marking_read_is_idempotent_and_progress_counts_per_unit(world, login_as):
    reading = ReadingFactory(unit=world["east"])
    behind = UserFactory(unit=world["east_station"], full_name="未读的人")
    officer = login_as(world["east_officer"])
    assert "未学" in officer.get("/study/readings").get_data(as_text=True)
    for _ in range(2):
        assert officer.post(f"/study/readings/{reading.id}/read").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ReadingProgress.id))) == 1
    assert "您已学习本篇" in officer.get(f"/study/readings/{reading.id}").get_data(as_text=True)
    page = login_as(world["east_supervisor"]).get(f"/manage/study/readings/{reading.id}").get_data(as_text=True)
    assert "1 / 3" in page  # east_officer, east_officer2 and the newcomer
    assert "未读的人" in page and world["east_officer2"].full_name in page
    assert world["east_officer"].full_name not in page.split("尚未学习")[1]
    station_row = page.split(world["east_station"].name)[1][:200]
    assert "1 / 2" in station_row
    assert behind.id


def test_an_officer_cannot_mark_or_open_a_reading_of_another_unit(world, login_as):
    reading = ReadingFactory(unit=world["east_court"])
    officer = login_as(world["east_officer"])
    assert officer.get(f"/study/readings/{reading.id}").status_code == 404
    assert officer.post(f"/study/readings/{reading.id}/read").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ReadingProgress.id))) == 0


def test_a_supervisor_sees_readings_set_above_with_progress_of_their_own_people(world, login_as):
    reading = ReadingFactory(unit=world["city"])
    page = login_as(world["east_supervisor"]).get("/manage/study/readings").get_data(as_text=True)
    assert reading.title in page and "0 / 2" in page
    assert login_as(world["east_supervisor"]).get(f"/manage/study/readings/{reading.id}/edit").status_code == 403
