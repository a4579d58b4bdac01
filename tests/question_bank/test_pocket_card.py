"""The pocket card (随身卡): the reusable data function and partial, the print page at A5 and A4,
and hostile text shown escaped on every bank page that shows a stem (I15)."""

from pathlib import Path

import pytest
from flask import render_template

from core import clock
from core.extensions import db
from question_bank import exporter, services
from question_bank.models import QuestionType
from tests.question_bank.factories import QuestionFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def card_bank(app):
    now = clock.now()
    top = services.create_category(None, name="党史教育", now=now)
    child = services.create_category(None, name="党史学习教育", parent=top, now=now)
    other = services.create_category(None, name="警示教育", now=now)
    db.session.commit()
    fill = QuestionFactory(
        category=top,
        type=QuestionType.FILL,
        stem="____领导一切，为____服务。",
        options=[],
        answer=[["中国共产党", "党"], ["人民"]],
        explanation="两空。",
    )
    tf = QuestionFactory(
        category=top, type=QuestionType.TRUE_FALSE, stem="中国共产党成立于1921年。", options=[], answer=True
    )
    single = QuestionFactory(category=top, stem="党的一大在哪里召开？", options=["上海", "北京", "广州"], answer="A")
    multi = QuestionFactory(
        category=child,
        type=QuestionType.MULTIPLE,
        stem="党史学习教育的目标？",
        options=["学史明理", "学史增信", "学史崇德", "学史赚钱"],
        answer=["A", "B", "C"],
    )
    retired = QuestionFactory(category=top, stem="已停用的题？")
    services.set_question_active(None, retired, False, now)
    QuestionFactory(category=other, stem="别的分类的题？")
    db.session.commit()
    return {"top": top, "child": child, "fill": fill, "tf": tf, "single": single, "multi": multi}


def test_pocket_card_data_covers_the_subtree_in_use_by_type(card_bank):
    entries = exporter.pocket_card(card_bank["top"])
    assert [e.question_id for e in entries] == [card_bank[k].id for k in ("single", "tf", "fill", "multi")]
    assert [e.number for e in entries] == [1, 2, 3, 4]
    single, tf, fill, multi = entries
    assert single.options == [("A", "上海", True), ("B", "北京", False), ("C", "广州", False)]
    assert single.answer_text == "A" and single.section == "党史教育"
    assert tf.answer_text == "正确" and tf.options == []
    assert fill.answer_text == "中国共产党 / 党；人民" and fill.explanation == "两空。"
    assert multi.answer_text == "ABC" and multi.section == "党史教育/党史学习教育"
    assert [c for _l, _t, c in multi.options] == [True, True, True, False]
    assert str(multi.type_label) == "多选题"


def test_the_partial_renders_one_categorys_card_from_the_data(card_bank, app):
    with app.test_request_context("/"):
        html = render_template("question_bank/_pocket_card_body.html", entries=exporter.pocket_card(card_bank["child"]))
    assert "党史学习教育的目标？" in html and 'class="correct"' in html and "答案" in html
    assert "党的一大" not in html and "pc-section" not in html  # one section: no headings


def test_the_print_page_at_a5_and_a4(card_bank, world, login_as):
    admin = login_as(world["admin"])
    a5 = admin.get(f"/bank/cards/{card_bank['top'].id}").get_data(as_text=True)
    assert "pocket-card size-a5" in a5 and "print-a5" in a5 and "共 4 题" in a5
    assert 'class="pc-section"' in a5 and "党史教育/党史学习教育" in a5
    a4 = admin.get(f"/bank/cards/{card_bank['top'].id}?size=a4").get_data(as_text=True)
    assert "pocket-card size-a4" in a4 and "data-print" in a4
    index = admin.get("/bank/cards/").get_data(as_text=True)
    assert f"/bank/cards/{card_bank['child'].id}?size=a4" in index
    css = (ROOT / "static/css/app.css").read_text()
    assert "@page bank-a5 { size: A5" in css and "@page bank-a4 { size: A4" in css
    assert login_as(world["east_officer"]).get(f"/bank/cards/{card_bank['top'].id}").status_code == 403


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_i15_hostile_text_is_escaped_on_the_list_editor_and_pocket_card(app, world, login_as):
    category = services.create_category(None, name=HOSTILE, now=clock.now())
    db.session.commit()
    question = QuestionFactory(
        category=category,
        stem=HOSTILE + "题干？",
        options=[HOSTILE, "乙"],
        answer="A",
        explanation=HOSTILE,
        source="<b>来源</b>",
    )
    admin = login_as(world["admin"])
    pages = [
        admin.get("/bank/"),
        admin.get(f"/bank/{question.id}/edit"),
        admin.get(f"/bank/cards/{category.id}"),
        admin.get("/bank/cards/"),
        admin.get("/bank/categories/"),
    ]
    for response in pages:
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert(1)" not in body and "<img src=x" not in body and "<b>来源" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
