"""Issue 14, the mapping step through real HTTP requests: the check page shows each column with the
field it is read as and its first values, lists ignored columns; the admin changes fields, maps
codes and saves a profile, reused on the next upload and by `flask import-questions --profile`;
a Word bank's items are corrected or dropped on the page before importing. Only bank managers,
with CSRF."""

import re

import pytest
import sqlalchemy as sa

from core import clock
from core.extensions import db
from question_bank import services
from question_bank.models import ImportProfile, Question, QuestionType
from tests.question_bank import files
from tests.question_bank.test_import_views import confirm, upload

# Another system's export: its own column names, type codes, all options in one cell.
HEADERS = [
    "test_questions_id",
    "test_questions_name",
    "test_question_selects",
    "correct_answer",
    "test_question_type",
    "remark",
    "enable",
]
ROWS = [
    ["q1", "甲的行为构成（）。", "A．破坏交通工具罪;B．交通肇事罪;C．故意杀人罪&nbsp;", "A", "1", "解析一", "1"],
    ["q2", "下列属于刑罚的有（）。", "A．管制;B．拘役;C．罚款;D．没收财产&nbsp;", "ABD", "2", "", "1"],
    ["q3", "拘留审查由公安机关决定。&nbsp;", "", "Yes", "3", "", "1"],
]
TYPE_CODES = "1 = 单选\n2 = 多选\n3 = 判断"


@pytest.fixture
def admin(world, login_as):
    services.ensure_default_categories(clock.now())
    db.session.commit()
    return login_as(world["admin"])


def token_fields(body):
    """The hidden inputs of the check form, as the browser posts them."""
    form = re.search(r'<form method="post" action="/bank/import/check".*?</form>', body, re.S).group(0)
    return {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
        if name in ("token", "category_id", "create_categories", "mapping")
    }


def column_choices(body):
    """{header: the field selected for it} from the mapping table."""
    rows = re.findall(r'<strong>([^<]+)</strong></td>\s*<td[^>]*>\s*<select name="(col-\d+)".*?</select>', body, re.S)
    chosen = {}
    for header, name in rows:
        select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
        selected = re.search(r'<option value="([^"]*)" selected>', select)
        chosen[header] = (name, selected.group(1) if selected else "")
    return chosen


def check(client, body, **fields):
    return client.post("/bank/import/check", data={**token_fields(body), **fields})


def questions():
    db.session.rollback()
    return list(db.session.scalars(sa.select(Question).order_by(Question.id)))


def test_the_check_page_shows_how_each_column_is_read_and_lists_the_ignored_ones(admin):
    body = upload(admin, files.xlsx(ROWS, HEADERS), "export.xlsx", category_id="7").get_data(as_text=True)
    chosen = column_choices(body)
    assert {header: field for header, (_name, field) in chosen.items()} == {
        "test_questions_id": "",
        "test_questions_name": "stem",
        "test_question_selects": "options",
        "correct_answer": "answer",
        "test_question_type": "type",
        "remark": "",
        "enable": "",
    }
    assert "已忽略的列：test_questions_id、remark、enable" in body
    assert "破坏交通工具罪" in body  # the first rows' values, under their column
    assert body.count("无法识别的题型") == 3  # codes 1/2/3 mean nothing until they are mapped


def test_mapping_fields_and_codes_then_saving_a_profile_and_importing_with_it(admin, runner, tmp_path):
    data = files.xlsx(ROWS, HEADERS)
    body = upload(admin, data, "export.xlsx", category_id="7").get_data(as_text=True)
    columns = {name: field for _header, (name, field) in column_choices(body).items()}
    remark = column_choices(body)["remark"][0]
    columns[remark] = "explanation"  # the admin reads 备注 as the explanation
    response = check(admin, body, **columns, type_map=TYPE_CODES, profile_name="公安东城", action="mapping")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "导入全部 3 道新题" in page
    assert "已忽略的列：test_questions_id、enable" in page
    profile = db.session.scalars(sa.select(ImportProfile)).one()
    assert profile.name == "公安东城" and profile.mapping["columns"]["remark"] == "explanation"
    assert profile.mapping["values"]["type"] == {"1": "single", "2": "multiple", "3": "true_false"}
    assert confirm(admin, response, "all").status_code == 200
    imported = questions()
    assert [(q.type, q.stem, q.options, q.answer, q.explanation) for q in imported] == [
        (QuestionType.SINGLE, "甲的行为构成（）。", ["破坏交通工具罪", "交通肇事罪", "故意杀人罪"], "A", "解析一"),
        (QuestionType.MULTIPLE, "下列属于刑罚的有（）。", ["管制", "拘役", "罚款", "没收财产"], ["A", "B", "D"], None),
        (QuestionType.TRUE_FALSE, "拘留审查由公安机关决定。", [], True, None),
    ]
    # The next upload with the profile is valid at once; so is the CLI with --profile.
    again = upload(admin, data, "again.xlsx", category_id="7", profile_id=str(profile.id)).get_data(as_text=True)
    assert "重复 · 主观题（跳过）" in again and "无法识别的题型" not in again
    path = tmp_path / "export.xlsx"
    path.write_bytes(files.xlsx([[*ROWS[0][:1], "新的一题（）。", *ROWS[0][2:]]], HEADERS))
    result = runner.invoke(args=["import-questions", str(path), "--category", "业务知识", "--profile", "公安东城"])
    assert result.exit_code == 0 and result.stdout.strip().endswith("导入 1，重复 0，跳过 0，错误 0")
    assert "已忽略的列：test_questions_id、enable" in result.output
    assert questions()[-1].explanation == "解析一"


def test_a_profile_chosen_on_the_check_page_applies_its_mapping(admin):
    admin_body = upload(admin, files.xlsx(ROWS, HEADERS), "export.xlsx", category_id="7").get_data(as_text=True)
    check(admin, admin_body, type_map=TYPE_CODES, profile_name="三种题型", action="mapping")
    body = upload(admin, files.xlsx(ROWS, HEADERS), "export.xlsx", category_id="7").get_data(as_text=True)
    profile_id = db.session.scalars(sa.select(ImportProfile.id)).one()
    page = check(admin, body, profile_id=str(profile_id), action="profile").get_data(as_text=True)
    assert "导入全部 3 道新题" in page and "1 = single" in page


def test_a_value_map_that_does_not_read_is_a_clear_message(admin):
    body = upload(admin, files.xlsx(ROWS, HEADERS), "export.xlsx", category_id="7").get_data(as_text=True)
    page = check(admin, body, type_map="1 = 论述题", action="mapping").get_data(as_text=True)
    assert "第 1 行：“论述题”不是题型" in page


def test_two_columns_read_as_one_field_is_refused(admin):
    body = upload(admin, files.xlsx(ROWS, HEADERS), "export.xlsx", category_id="7").get_data(as_text=True)
    columns = {name: field for _header, (name, field) in column_choices(body).items()}
    columns[column_choices(body)["remark"][0]] = "stem"
    page = check(admin, body, **columns, action="mapping").get_data(as_text=True)
    assert "被对应到了同一字段" in page and db.session.scalar(sa.select(sa.func.count(ImportProfile.id))) == 0


def test_answer_bit_masks_and_sums(admin):
    headers = ["question", "optionA", "optionB", "optionC", "answer", "optionType"]
    rows = [
        ["单选一？", "甲", "乙", "丙", 32, 1],
        ["多选一？", "甲", "乙", "丙", 80, 2],
        ["判断一？", "正确", "错误", "", 16, 0],
    ]
    body = upload(admin, files.json_records(rows, headers), "raw.json", category_id="7").get_data(as_text=True)
    page = check(
        admin,
        body,
        type_map="0 = 判断\n1 = 单选\n2 = 多选",
        answer_map="16 = A\n32 = B\n64 = C",
        action="mapping",
    ).get_data(as_text=True)
    assert "导入全部 3 道新题" in page
    assert re.search(r"单选一？</td>\s*<td[^>]*>.*?</td>\s*<td[^>]*>B</td>", page, re.S)
    assert re.search(r"多选一？</td>\s*<td[^>]*>.*?</td>\s*<td[^>]*>AC</td>", page, re.S)  # 80 = 16 + 64


def test_a_word_banks_items_are_corrected_or_dropped_before_importing(admin):
    paragraphs = [*files.NUMBERED_BANK]
    paragraphs[4] = "A.学习教育   B.   C.总结提升"  # option B lost its text
    body = upload(admin, files.docx(paragraphs), "bank.docx", category_id="1").get_data(as_text=True)
    assert "选项 B 为空" in body and "读取到的题目" in body
    items = dict(re.findall(r'<textarea name="(item-\d+)"[^>]*>(.*?)</textarea>', body, re.S))
    assert len(items) == 8
    fixed = {name: text.replace("&#34;", '"').replace("B.   C.", "B.查纠整改   C.") for name, text in items.items()}
    response = check(admin, body, **fixed, **{"drop-2": "1"}, action="items")
    page = response.get_data(as_text=True)
    assert "选项 B 为空" not in page and "导入全部 6 道新题" in page  # one dropped, the 简答 skipped
    assert len(re.findall(r'<textarea name="item-', page)) == 7  # the page now shows the corrected document
    done = confirm(admin, response, "all")
    assert done.status_code == 200, done.get_data(as_text=True)[-3000:]
    stems = [q.stem for q in questions()]
    assert "政法队伍教育整顿的第二个环节是（  ）。" in stems and "“四项教育”包括（  ）。" not in stems
    assert len(stems) == 6


def test_only_bank_managers_check_and_every_check_needs_csrf(admin, world, login_as):
    body = upload(admin, files.xlsx(ROWS, HEADERS), "export.xlsx", category_id="7").get_data(as_text=True)
    for user in ("east_supervisor", "east_officer"):
        assert check(login_as(world[user]), body, action="mapping").status_code == 403
    admin.csrf = False
    assert admin.post("/bank/import/check", data={**token_fields(body), "action": "mapping"}).status_code == 400


def test_the_cli_names_unknown_profiles_and_speaks_english_when_asked(admin, runner, tmp_path):
    path = tmp_path / "twenty.csv"
    path.write_bytes(files.delimited(files.TWENTY))
    missing = runner.invoke(args=["import-questions", str(path), "--profile", "没有这个"])
    assert missing.exit_code != 0 and "没有名为“没有这个”的导入方案" in missing.output
    english = runner.invoke(args=["import-questions", str(path), "--lang", "en"])
    assert english.exit_code == 0 and english.output == "imported 20, duplicates 0, skipped 0, errors 0\n"
