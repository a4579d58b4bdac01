"""The import pages through real HTTP requests: upload, dry-run report, confirm all or only the
valid rows; hostile files (I11); who may import; the downloadable template."""

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from accounts.audit import AuditEvent
from core import clock
from core.extensions import db
from question_bank import services
from question_bank.models import Category, Question
from tests.question_bank import files
from tests.question_bank.test_importer import BAD_ROWS, REASONS


@pytest.fixture
def admin(world, login_as):
    services.ensure_default_categories(clock.now())
    db.session.commit()
    return login_as(world["admin"])


def upload(client, data, filename, **fields):
    return client.post(
        "/bank/import/",
        data={"file": (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
    )


def confirm(client, report, mode):
    """Press the report's button for `mode` as a browser does: post every input of its form (a
    mode the page does not offer is forged from the other form). The client's own session sends
    its CSRF token in the header."""
    body = report.get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/bank/import/confirm".*?</form>', body, re.S)
    chosen = next((f for f in forms if f'name="mode" value="{mode}"' in f), None)
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', chosen or forms[0]):
        if name != "csrf_token":
            fields.setdefault(name, []).append(value)
    if chosen is None:
        fields["mode"] = [mode]
    return client.post("/bank/import/confirm", data=fields)


def count():
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Question))


def test_a_good_file_is_checked_then_imported(admin):
    report = upload(admin, files.xlsx(files.TWENTY), "twenty.xlsx")
    body = report.get_data(as_text=True)
    assert report.status_code == 200 and "导入全部 20 道新题" in body
    assert count() == 0  # the dry run writes nothing
    done = confirm(admin, report, "all")
    assert done.status_code == 200 and "已导入 20 道题" in done.get_data(as_text=True)
    assert count() == 20
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "bank.import")).one()
    assert event.detail["created"] == 20 and event.actor_id is not None


def test_a_bad_file_lists_every_row_and_only_valid_rows_may_be_imported(admin):
    report = upload(admin, files.xlsx(BAD_ROWS), "bad.xlsx")
    body = report.get_data(as_text=True)
    for number, reason in REASONS.items():
        assert f'data-label="行号">{number}</td>' in body, number
        assert reason in body, reason
    assert "导入全部" not in body and "仅导入 1 行正确数据" in body
    refused = confirm(admin, report, "all")
    assert refused.status_code == 400 and count() == 0
    assert confirm(admin, report, "valid").status_code == 200
    assert count() == 1


def test_importing_only_the_valid_rows_audits_each_count_under_its_own_name(admin):
    rows = [
        ["单选", "审计计数的题目？", "甲", "乙", "", "", "A", "", "政治教育", "", ""],
        ["单选", "审计计数的题目？", "甲", "乙", "", "", "A", "", "政治教育", "", ""],  # a duplicate of row 2
        ["简答", "主观题不导入？", "", "", "", "", "略", "", "政治教育", "", ""],  # subjective: skipped
        ["单选", "", "甲", "乙", "", "", "A", "", "政治教育", "", ""],  # no stem: an error
    ]
    report = upload(admin, files.xlsx(rows), "mixed.xlsx")
    assert confirm(admin, report, "valid").status_code == 200 and count() == 1
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "bank.import")).one()
    assert event.detail == {"created": 1, "duplicates": 1, "skipped": 1, "errors": 1, "new_categories": []}


def test_the_default_category_and_creating_missing_categories_on_the_page(admin):
    business = db.session.scalar(sa.select(Category).where(Category.name == "业务知识"))
    cmmlu_like = files.delimited(
        [["0", "页面默认分类的题？", "甲", "乙", "丙", "丁", "C"]], ["", "Question", "A", "B", "C", "D", "Answer"]
    )
    no_default = upload(admin, cmmlu_like, "x.csv")
    assert "没有“分类”列" in no_default.get_data(as_text=True)
    report = upload(admin, cmmlu_like, "x.csv", category_id=str(business.id))
    assert confirm(admin, report, "all").status_code == 200
    assert db.session.scalars(sa.select(Question)).one().category_id == business.id

    new_path = files.xlsx([["判断", "新分类里的题。", "", "", "", "", "对", "", "业务知识/执法规范", "", ""]])
    refused = upload(admin, new_path, "new.xlsx")
    assert "找不到分类" in refused.get_data(as_text=True)
    report = upload(admin, new_path, "new.xlsx", create_categories="y")
    assert "将新建以下分类：业务知识/执法规范" in report.get_data(as_text=True)
    assert confirm(admin, report, "all").status_code == 200
    made = db.session.scalar(sa.select(Category).where(Category.name == "执法规范"))
    assert made is not None and made.parent_id == business.id


def test_an_upload_expires_for_anyone_else(admin, world, login_as, app):
    report = upload(admin, files.xlsx(files.TWENTY), "twenty.xlsx")
    app.config["BANK_SUPERVISORS_MAY_EDIT"] = True
    other = login_as(world["east_supervisor"])
    assert confirm(other, report, "all").status_code == 404
    assert count() == 0


# ---- I11: hostile files ----------------------------------------------------------------------


def test_i11_a_file_over_max_content_length_gets_413_in_chinese(admin, app):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = upload(admin, b"0" * 5000, "big.csv")
    assert response.status_code == 413 and "文件太大" in response.get_data(as_text=True)


def test_i11_a_zip_bomb_is_refused_before_openpyxl_opens_it(admin, monkeypatch):
    opened = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1) or real(*a, **k))
    bomb = files.zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire, 300 MB declared inside
    response = upload(admin, bomb, "bomb.xlsx")
    assert "解压后体积异常" in response.get_data(as_text=True)
    assert opened == [] and count() == 0


def test_i11_an_xml_entity_bomb_is_refused(admin):
    response = upload(admin, files.entity_bomb(), "lol.xlsx")
    assert response.status_code == 200
    assert "XML 实体声明" in response.get_data(as_text=True) and count() == 0


@pytest.mark.parametrize(
    "make, filename, message",
    [
        (files.html_as_xls, "export.xls", "网页"),
        (files.legacy_xls, "old.xls", "97-2003"),
        (files.png_as_xlsx, "photo.xlsx", "这不是表格文件"),
        (lambda: b"PK\x03\x04not really a zip", "broken.xlsx", "已损坏"),
        (lambda: b"", "empty.csv", "文件是空的"),
    ],
)
def test_i11_files_that_are_not_spreadsheets_get_a_clear_message(admin, make, filename, message):
    response = upload(admin, make(), filename)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


# ---- who may import ---------------------------------------------------------------------------


def test_supervisors_import_only_when_the_admin_allows_it(world, login_as, admin):
    supervisor = login_as(world["east_supervisor"])
    assert upload(supervisor, files.xlsx(files.TWENTY), "x.xlsx").status_code == 403
    assert supervisor.get("/bank/import/template.xlsx").status_code == 403
    admin.post(
        "/admin/settings",
        data={
            "BANK_SUPERVISORS_MAY_EDIT": "on",
            "PEOPLE_IMPORT_MAX_ROWS": "5000",
            "BANK_IMPORT_MAX_ROWS": "5000",
            "BANK_IMPORT_MAX_MB": "5",
        },
    )
    report = upload(supervisor, files.xlsx(files.TWENTY), "x.xlsx")
    assert report.status_code == 200
    assert confirm(supervisor, report, "all").status_code == 200 and count() == 20
    assert login_as(world["east_officer"]).get("/bank/import/").status_code == 403


# ---- the template ---------------------------------------------------------------------------------


def test_the_template_has_instructions_and_one_valid_example_of_each_type(admin):
    response = admin.get("/bank/import/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["题目", "填写说明"]
    rows = list(workbook["题目"].values)
    assert rows[0][:2] == ("题型", "题干") and [r[0] for r in rows[1:]] == ["单选", "多选", "判断", "填空"]
    instructions = "\n".join(str(c) for row in workbook["填写说明"].values for c in row if c)
    assert "中国共产党/党；人民" in instructions and "；" in instructions and "/" in instructions
    report = upload(admin, response.data, "template.xlsx")
    assert "导入全部 4 道新题" in report.get_data(as_text=True)


def test_the_import_page_documents_the_fill_in_syntax(admin):
    body = admin.get("/bank/import/").get_data(as_text=True)
    assert "中国共产党/党；人民" in body and "____" in body


# ---- I15 on the import report ------------------------------------------------------------------


def test_i15_a_hostile_stem_is_escaped_in_the_import_report(admin):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    rows = [
        ["判断", hostile + "是对的。", "", "", "", "", "对", "", "政治教育", "", ""],
        ["单选", hostile, "甲", "", "", "", "A", "", "政治教育", "", ""],
    ]
    body = upload(admin, files.xlsx(rows), "xss.xlsx").get_data(as_text=True)
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
