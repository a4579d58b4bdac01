"""Export in the import template's layout: the round trip into an empty bank (I13), formula
neutralising (X12), filters, the audit entry, and the CLI export-questions."""

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from accounts.audit import AuditEvent
from core import clock, tabular
from core.extensions import db
from question_bank import services
from question_bank.models import Category, Question, QuestionType, QuestionVersion
from tests.question_bank.factories import QuestionFactory
from tests.question_bank.test_import_views import confirm, upload


@pytest.fixture
def admin(world, login_as):
    return login_as(world["admin"])


def build_bank():
    """Every type, a subcategory path, tags, explanations, sources and difficulties."""
    now = clock.now()
    top = services.create_category(None, name="党史教育", now=now)
    child = services.create_category(None, name="党史学习教育", parent=top, now=now)
    rules = services.create_category(None, name="党纪党规", now=now)
    db.session.commit()
    QuestionFactory(
        category=top,
        stem="中国共产党成立于哪一年？",
        options=["1919年", "1921年", "1927年", "1949年"],
        answer="B",
        explanation="1921年7月，中国共产党第一次全国代表大会召开。",
        difficulty=1,
        source="党史 第一章",
    )
    QuestionFactory(
        category=child,
        type=QuestionType.MULTIPLE,
        stem="党史学习教育的目标包括（ ）。",
        options=["学史明理", "学史增信", "学史崇德", "学史力行", "学史赚钱"],
        answer=["A", "B", "C", "D"],
        explanation="学史明理、学史增信、学史崇德、学史力行。",
        difficulty=2,
        source="党史学习教育 动员大会",
    )
    QuestionFactory(
        category=rules,
        type=QuestionType.TRUE_FALSE,
        stem="“自查从宽、被查从严”适用于查纠整改环节。",
        options=[],
        answer=True,
        explanation=None,
        difficulty=3,
        source=None,
    )
    QuestionFactory(
        category=rules,
        type=QuestionType.FILL,
        stem="____领导一切，为____服务。",
        options=[],
        answer=[["中国共产党", "党"], ["人民"]],
        explanation="两空。",
        difficulty=5,
        source="手册",
    )
    question = QuestionFactory(
        category=child,
        stem='=HYPERLINK("http://evil","点我")',
        options=["+1", "-1", "@SUM(1)", "正常"],
        answer="D",
        explanation="=1+1",
        difficulty=4,
        source="-来源",
    )
    services.edit_question(None, question, tags=["重点", "易错"], now=clock.now())
    db.session.commit()


def content():
    """Every question as comparable content: stem, options, answer, 解析, difficulty, category path, source."""
    db.session.rollback()
    names = {c.id: c for c in db.session.scalars(sa.select(Category))}

    def path(category_id):
        parts, cursor = [], names.get(category_id)
        while cursor is not None:
            parts.append(cursor.name)
            cursor = names.get(cursor.parent_id)
        return "/".join(reversed(parts))

    return sorted(
        (
            q.type.value,
            q.stem,
            tuple(q.options),
            repr(q.answer),
            q.explanation,
            q.difficulty,
            path(q.category_id),
            q.source,
            tuple(q.tags),
        )
        for q in db.session.scalars(sa.select(Question))
    )


def empty_the_bank():
    db.session.rollback()
    db.session.execute(sa.delete(QuestionVersion))
    db.session.execute(sa.delete(Question))
    db.session.execute(sa.update(Category).values(parent_id=None))
    db.session.execute(sa.delete(Category))
    db.session.commit()


def export(client, fmt, **filters):
    response = client.post("/bank/export", data={"format": fmt, "status": "active", **filters})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_i13_export_then_import_into_an_empty_bank_gives_the_same_questions(admin, fmt):
    build_bank()
    before = content()
    assert len(before) == 5
    response = export(admin, fmt)
    assert "questions-" in response.headers["Content-Disposition"] and response.headers["Content-Disposition"].endswith(
        fmt
    )
    assert response.headers["Cache-Control"] == "no-store"
    if fmt == "csv":
        assert response.data.startswith(b"\xef\xbb\xbf")  # opens in Chinese Excel without mojibake
        assert response.data.decode("utf-8-sig").startswith("题型,题干,选项A")
    empty_the_bank()
    report = upload(admin, response.data, f"export.{fmt}", create_categories="y")
    assert "导入全部 5 道新题" in report.get_data(as_text=True)
    assert confirm(admin, report, "all").status_code == 200
    assert content() == before


def test_x12_formula_like_cells_are_inert_in_xlsx_and_prefixed_in_csv(admin):
    build_bank()
    workbook = openpyxl.load_workbook(io.BytesIO(export(admin, "xlsx").data))  # not data_only: formulas would show
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value is not None]
    assert [c for c in cells if c.data_type == "f"] == []
    values = {c.value for c in cells}
    assert {'=HYPERLINK("http://evil","点我")', "+1", "-1", "@SUM(1)", "=1+1", "-来源"} <= values

    rows = list(csv.reader(io.StringIO(export(admin, "csv").data.decode("utf-8-sig"))))
    flat = {cell for row in rows for cell in row}
    assert {'\'=HYPERLINK("http://evil","点我")', "'+1", "'-1", "'@SUM(1)", "'=1+1", "'-来源"} <= flat
    assert not [cell for cell in flat if cell[:1] in ("=", "+", "-", "@", "\t")]


def test_x12_core_writers_neutralise_a_tab_before_a_formula():
    """A cell '\\t=1' (a tab then a formula) stays text in both writers."""
    rows = [["\t=1", "=1", "+1", "-1", "@SUM(1)"]]
    body = tabular.write_csv(["a", "b", "c", "d", "e"], rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1] == ["'\t=1", "'=1", "'+1", "'-1", "'@SUM(1)"]
    workbook = openpyxl.load_workbook(io.BytesIO(tabular.write_xlsx([("s", ["a"] * 5, rows)])))
    assert [c.data_type for c in list(workbook.active.iter_rows())[1]] == ["s"] * 5


def test_the_export_follows_the_filters_and_is_audited(admin):
    build_bank()
    rules = db.session.scalar(sa.select(Category).where(Category.name == "党纪党规"))
    workbook = openpyxl.load_workbook(io.BytesIO(export(admin, "xlsx", category=str(rules.id)).data))
    stems = [row[1] for row in list(workbook.active.values)[1:]]
    assert sorted(stems) == sorted(["“自查从宽、被查从严”适用于查纠整改环节。", "____领导一切，为____服务。"])
    text = openpyxl.load_workbook(io.BytesIO(export(admin, "xlsx", q="成立").data))
    assert [row[1] for row in list(text.active.values)[1:]] == ["中国共产党成立于哪一年？"]
    db.session.rollback()
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "bank.export")).all()
    assert len(events) == 2 and events[0].detail["filters"]["category"] == str(rules.id)


def test_export_is_a_post_and_managers_only(world, login_as, admin):
    build_bank()
    assert admin.get("/bank/export").status_code == 405
    assert login_as(world["east_supervisor"]).post("/bank/export", data={"format": "csv"}).status_code == 403
    assert login_as(world["east_officer"]).post("/bank/export", data={"format": "csv"}).status_code == 403


def test_cli_export_then_import_into_an_empty_bank(app, runner, tmp_path):
    build_bank()
    before = content()
    target = tmp_path / "bank.xlsx"
    result = runner.invoke(args=["export-questions", str(target)])
    assert result.exit_code == 0 and "exported 5 questions" in result.output
    only = tmp_path / "rules.csv"
    assert (
        "exported 2 questions" in runner.invoke(args=["export-questions", str(only), "--category", "党纪党规"]).output
    )
    assert only.read_bytes().startswith(b"\xef\xbb\xbf")
    empty_the_bank()
    result = runner.invoke(args=["import-questions", str(target), "--create-categories"])
    assert result.exit_code == 0 and result.output.strip().endswith("导入 5，重复 0，跳过 0，错误 0")
    assert content() == before
