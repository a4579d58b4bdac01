"""The bank's pages through HTTP: the filtered, paged list; the editor (every type, the answer
notation, duplicate detection, versions); retire, restore, bulk move; categories; who may manage."""

import re

import pytest
import sqlalchemy as sa

from accounts.audit import AuditEvent
from core import clock
from core.extensions import db
from question_bank import services
from question_bank.models import Category, Question, QuestionType, QuestionVersion
from tests.question_bank.factories import CategoryFactory, QuestionFactory


@pytest.fixture
def cats(app):
    categories = {c.name: c for c in services.ensure_default_categories(clock.now())}
    categories["党史学习教育"] = services.create_category(
        None, name="党史学习教育", parent=categories["党史教育"], now=clock.now()
    )
    db.session.commit()
    return categories


@pytest.fixture
def admin(world, login_as):
    return login_as(world["admin"])


def ids_on(response):
    return [int(n) for n in re.findall(r'name="ids" value="(\d+)"', response.get_data(as_text=True))]


def form(category, qtype, stem, answer, options=(), **extra):
    data = {
        "category_id": str(category.id),
        "type": qtype,
        "stem": stem,
        "answer": answer,
        "difficulty": "3",
        "explanation": extra.pop("explanation", ""),
        "source": "",
        "tags": "",
    }
    for letter, text in zip("abcdefgh", options):
        data[f"option_{letter}"] = text
    data.update(extra)
    return data


# ---- list ----------------------------------------------------------------------------------------


def test_the_list_filters_by_text_category_subtree_type_difficulty_and_status(admin, cats):
    a = QuestionFactory(category=cats["政治教育"], stem="四项任务是什么？", difficulty=1)
    b = QuestionFactory(category=cats["党史学习教育"], stem="党史学习教育的目标？", difficulty=2)
    c = QuestionFactory(
        category=cats["党史教育"], type=QuestionType.TRUE_FALSE, stem="党成立于1921年。", options=[], answer=True
    )
    d = QuestionFactory(category=cats["党纪党规"], stem="已经停用的四项任务题？")
    services.set_question_active(None, d, False, clock.now())
    db.session.commit()
    assert ids_on(admin.get("/bank/")) == [c.id, b.id, a.id]  # newest first; retired hidden
    assert ids_on(admin.get("/bank/?q=四项任务")) == [a.id]
    assert ids_on(admin.get("/bank/?q=四项任务&status=all")) == [d.id, a.id]
    assert ids_on(admin.get("/bank/?status=retired")) == [d.id]
    assert ids_on(admin.get(f"/bank/?category={cats['党史教育'].id}")) == [c.id, b.id]  # with the subcategory
    assert ids_on(admin.get("/bank/?type=true_false")) == [c.id]
    assert ids_on(admin.get("/bank/?difficulty=2")) == [b.id]
    assert ids_on(admin.get(f"/bank/?q=%23{b.id}")) == [b.id]
    assert ids_on(admin.get("/bank/?q=%25")) == []  # a literal %, not a wildcard
    assert ids_on(admin.get("/bank/?type=bogus&difficulty=9&category=x")) == [c.id, b.id, a.id]


def test_the_list_pages_fifty_at_a_time(admin, cats, app):
    app.config["QUESTIONS_PER_PAGE"] = 5
    for n in range(12):
        QuestionFactory(category=cats["业务知识"], stem=f"分页测试第{n}题？")
    first, third = admin.get("/bank/"), admin.get("/bank/?page=3")
    assert len(ids_on(first)) == 5 and len(ids_on(third)) == 2
    assert "共 12 条" in first.get_data(as_text=True) or "12" in first.get_data(as_text=True)
    assert admin.get("/bank/?page=99").status_code == 200


# ---- editor ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "qtype, stem, answer, options, expected",
    [
        ("single", "单选：四项任务不包括？", "ｄ", ("筑牢政治忠诚", "清除害群之马", "整治顽瘴痼疾", "招商引资"), "D"),
        (
            "multiple",
            "多选：四项教育包括？",
            "d、a，b c",
            ("政治教育", "党史教育", "警示教育", "英模教育"),
            ["A", "B", "C", "D"],
        ),
        ("true_false", "判断：教育整顿分三个环节。", "√", (), True),
        ("fill", "填空：____领导一切，为（ ）服务。", "中国共产党/党；人民", (), [["中国共产党", "党"], ["人民"]]),
    ],
)
def test_the_editor_creates_every_type_from_the_notation_people_write(
    admin, cats, qtype, stem, answer, options, expected
):
    response = admin.post("/bank/new", data=form(cats["政治教育"], qtype, stem, answer, options, explanation="解析。"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    question = db.session.scalars(sa.select(Question)).one()
    assert question.type == QuestionType(qtype) and question.answer == expected and question.explanation == "解析。"
    assert question.author_id is not None and question.version == 1
    assert response.headers["Location"].endswith(f"/bank/{question.id}/edit")


@pytest.mark.parametrize(
    "qtype, stem, answer, options, message",
    [
        ("single", "题？", "AB", ("甲", "乙", "丙"), "单选题只有一个答案"),
        ("single", "题？", "D", ("甲", "乙"), "不在选项中"),
        ("multiple", "题？", "A", ("甲", "乙"), "两个或以上"),
        ("single", "题？", "A", ("甲",), "2 至 8 个选项"),
        ("true_false", "题。", "大概", (), "无法识别判断题答案"),
        ("fill", "没有空位。", "甲", (), "标出每个空"),
        ("fill", "一个空____。", "甲；乙", (), "1 个空"),
    ],
)
def test_the_editor_explains_what_is_wrong_and_saves_nothing(admin, cats, qtype, stem, answer, options, message):
    response = admin.post("/bank/new", data=form(cats["政治教育"], qtype, stem, answer, options))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


def test_duplicate_detection_links_the_existing_question_and_save_anyway_saves(admin, cats):
    existing = QuestionFactory(category=cats["政治教育"], stem="下列说法正确的是", options=["甲", "乙"], answer="A")
    data = form(cats["业务知识"], "single", "下列说法，正确的是 ", "B", ("丙", "丁"))
    warned = admin.post("/bank/new", data=data)
    body = warned.get_data(as_text=True)
    assert warned.status_code == 200 and f'href="/bank/{existing.id}/edit"' in body and "仍然保存" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 1
    saved = admin.post("/bank/new", data={**data, "save_anyway": "y"})
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 2


def test_editing_adds_a_version_and_the_old_one_stays_as_it_was(admin, cats):
    question = QuestionFactory(
        category=cats["政治教育"], stem="旧题干？", options=["甲", "乙"], answer="A", explanation="旧解析"
    )
    first = services.current_version(question)
    page = admin.get(f"/bank/{question.id}/edit").get_data(as_text=True)
    assert 'value="A"' in page and "旧题干？" in page
    response = admin.post(
        f"/bank/{question.id}/edit",
        data=form(cats["党纪党规"], "single", "新题干？", "B", ("甲", "乙", "丙"), explanation="新解析"),
    )
    assert response.status_code == 302
    db.session.rollback()
    question = db.session.get(Question, question.id)
    old = db.session.get(QuestionVersion, first.id)
    assert question.version == 2 and question.stem == "新题干？" and question.answer == "B"
    assert (old.stem, old.options, old.answer, old.explanation, old.category_id) == (
        "旧题干？",
        ["甲", "乙"],
        "A",
        "旧解析",
        cats["政治教育"].id,
    )
    history = admin.get(f"/bank/{question.id}/edit").get_data(as_text=True)
    assert "旧题干？" in history and "新题干？" in history
    assert db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "bank.question.edit")).all()


def test_saving_unchanged_content_adds_no_version(admin, cats):
    question = QuestionFactory(
        category=cats["政治教育"],
        stem="不变的题？",
        options=["甲", "乙"],
        answer="A",
        explanation="解析",
        source="手册",
    )
    data = form(cats["政治教育"], "single", "不变的题？", "A", ("甲", "乙"), explanation="解析", source="手册")
    assert admin.post(f"/bank/{question.id}/edit", data=data).status_code == 302
    db.session.rollback()
    assert db.session.get(Question, question.id).version == 1


def test_retire_and_restore(admin, cats):
    question = QuestionFactory(category=cats["政治教育"])
    admin.post(f"/bank/{question.id}/active", data={"active": "0"})
    db.session.rollback()
    assert db.session.get(Question, question.id).active is False
    assert "已停用" in admin.get(f"/bank/{question.id}/edit").get_data(as_text=True)
    admin.post(f"/bank/{question.id}/active", data={"active": "1"})
    db.session.rollback()
    assert db.session.get(Question, question.id).active is True


def test_bulk_move_retire_and_restore(admin, cats):
    questions = [QuestionFactory(category=cats["政治教育"]) for _ in range(3)]
    ids = [str(q.id) for q in questions[:2]]
    moved = admin.post(
        "/bank/bulk",
        data={"ids": ids, "action": "move", "category_id": str(cats["党史学习教育"].id), "back": "/bank/?q=x"},
    )
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/bank/?q=x")
    db.session.rollback()
    assert [db.session.get(Question, q.id).category_id for q in questions] == [cats["党史学习教育"].id] * 2 + [
        cats["政治教育"].id
    ]
    assert db.session.get(Question, questions[0].id).version == 2  # the category is part of the frozen content
    admin.post("/bank/bulk", data={"ids": ids, "action": "move", "category_id": "0"})
    assert "请选择要移动到的分类" in admin.get("/bank/").get_data(as_text=True)
    admin.post("/bank/bulk", data={"ids": ids, "action": "retire"})
    db.session.rollback()
    assert [db.session.get(Question, q.id).active for q in questions] == [False, False, True]
    admin.post("/bank/bulk", data={"ids": ids, "action": "restore"})
    db.session.rollback()
    assert all(db.session.get(Question, q.id).active for q in questions)
    outside = admin.post("/bank/bulk", data={"ids": ids, "action": "retire", "back": "https://evil.example/"})
    assert outside.headers["Location"].endswith("/bank/")


def test_moving_into_a_retired_category_is_refused(admin, cats):
    question = QuestionFactory(category=cats["政治教育"])
    admin.post(f"/bank/categories/{cats['警示教育'].id}/active", data={"active": "0"})
    admin.post(
        "/bank/bulk", data={"ids": [str(question.id)], "action": "move", "category_id": str(cats["警示教育"].id)}
    )
    assert "该分类已停用" in admin.get("/bank/").get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Question, question.id).category_id == cats["政治教育"].id


# ---- categories ------------------------------------------------------------------------------------


def test_categories_add_rename_retire_restore_and_defaults(admin, app):
    page = admin.get("/bank/categories/").get_data(as_text=True)
    assert "创建默认分类" in page
    admin.post("/bank/categories/defaults")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category)) == 7
    top = db.session.scalar(sa.select(Category).where(Category.name == "党史教育"))
    admin.post("/bank/categories/", data={"name": "新中国史", "parent_id": str(top.id)})
    child = db.session.scalar(sa.select(Category).where(Category.name == "新中国史"))
    assert child.parent_id == top.id and child.path == f"{top.path}{child.id}/"
    assert admin.post(f"/bank/categories/{child.id}/rename", data={"name": "新中国史"}).status_code == 302
    other = CategoryFactory(name="改革开放史", parent=top)
    admin.post(f"/bank/categories/{other.id}/rename", data={"name": "新中国史"})
    assert "同名分类" in admin.get("/bank/categories/").get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Category, other.id).name == "改革开放史"
    admin.post(f"/bank/categories/{other.id}/rename", data={"name": "改革开放新时期历史"})
    db.session.rollback()
    assert db.session.get(Category, other.id).name == "改革开放新时期历史"
    admin.post(f"/bank/categories/{top.id}/active", data={"active": "0"})
    db.session.rollback()
    assert db.session.get(Category, child.id).active is False  # the whole subtree
    admin.post(f"/bank/categories/{top.id}/active", data={"active": "1"})
    db.session.rollback()
    assert db.session.get(Category, child.id).active is True


# ---- who may manage ------------------------------------------------------------------------------------


def test_supervisors_manage_the_bank_only_when_the_admin_setting_allows_it(world, login_as, admin, cats):
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.get("/bank/").status_code == 403
    assert (
        supervisor.post("/bank/new", data=form(cats["政治教育"], "true_false", "督导出的题。", "对")).status_code == 403
    )
    settings = {
        "BANK_SUPERVISORS_MAY_EDIT": "on",
        "PEOPLE_IMPORT_MAX_ROWS": "5000",
        "BANK_IMPORT_MAX_ROWS": "5000",
        "BANK_IMPORT_MAX_MB": "5",
    }
    assert admin.post("/admin/settings", data=settings).status_code == 302
    assert supervisor.get("/bank/").status_code == 200
    assert (
        supervisor.post("/bank/new", data=form(cats["政治教育"], "true_false", "督导出的题。", "对")).status_code == 302
    )
    assert login_as(world["east_officer"]).get("/bank/").status_code == 403


def test_the_nav_entry_leads_managers_to_the_bank(admin, cats):
    home = admin.get("/").get_data(as_text=True)
    assert 'href="/bank/"' in home and "题库" in home


def test_text_search_ignores_the_case_of_latin_letters(admin, cats):
    latin = QuestionFactory(category=cats["业务知识"], stem="WiFi 热点与 VPN 的保密要求是什么？")
    QuestionFactory(category=cats["业务知识"], stem="与保密无关的题？")
    assert ids_on(admin.get("/bank/?q=vpn")) == [latin.id]
    assert ids_on(admin.get("/bank/?q=wIfI 热点")) == [latin.id]
    assert ids_on(admin.get("/bank/?q=热点")) == [latin.id]
