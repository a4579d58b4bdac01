"""Question import rules, one family per TEST-CHECKLIST item (I1–I10, I12), with real .xlsx and
CSV/TSV files built here. The HTTP pages and the CLI are in test_import_views.py and test_cli.py."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from core import clock
from core.errors import ValidationFailed
from core.extensions import db
from question_bank import importer, services
from question_bank.models import Category, Question, QuestionType, QuestionVersion
from tests.question_bank import files
from tests.question_bank.factories import QuestionFactory


def parse(data, **options):
    return importer.parse_questions(data, **options)


def one(row_values, headers=files.HEADERS, **options):
    """The single row of a one-row .xlsx."""
    report = parse(files.xlsx([row_values], headers), **options)
    assert len(report.rows) == 1
    return report.rows[0]


def errors(row) -> str:
    return "；".join(str(e) for e in row.errors)


def question_count():
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Question))


# ---- I1: every format reads the same ------------------------------------------------------


FORMATS = {
    "xlsx": lambda: files.xlsx(files.TWENTY),
    "csv-utf8": lambda: files.delimited(files.TWENTY),
    "csv-utf8-bom": lambda: files.delimited(files.TWENTY, bom=True),
    "csv-gbk": lambda: files.delimited(files.TWENTY, encoding="gbk"),
    "csv-gb18030": lambda: files.delimited(files.TWENTY, encoding="gb18030"),
    "tsv-utf16": lambda: files.utf16_tsv(files.TWENTY),
}


def snapshot(report):
    return [
        (r.number, r.type, r.stem, r.options, r.answer, r.explanation, r.category.name, r.difficulty, r.source)
        for r in report.rows
    ]


def test_i1_the_same_twenty_questions_parse_identically_in_every_format(bank):
    """I1: .xlsx, UTF-8, UTF-8 with BOM, GBK, GB18030 and UTF-16 TSV give identical rows."""
    reference = None
    for name, make in FORMATS.items():
        report = parse(make())
        assert len(report.valid) == 20, (name, [errors(r) for r in report.invalid])
        assert report.unknown_headers == [], name  # the BOM never turns 题型 into an unknown header
        rows = snapshot(report)
        assert all("\ufeff" not in str(value) for row in rows for value in row), name
        if reference is None:
            reference = rows
        assert rows == reference, name
    types = [row[1] for row in reference]
    assert types.count(QuestionType.SINGLE) == 8 and types.count(QuestionType.FILL) == 3
    assert reference[17][4] == [["查纠整改", "查究整改"]]


def test_i1_utf16_without_bom_and_semicolon_csv_are_read(bank):
    no_bom = files.delimited(files.TWENTY, encoding="utf-16-le", delimiter="\t")
    semicolon = files.delimited(files.TWENTY, delimiter=";")
    assert len(parse(no_bom).valid) == 20
    assert len(parse(semicolon).valid) == 20


# ---- I2: headers ------------------------------------------------------------------------


def test_i2_english_headers_in_another_order_with_spaces_and_brackets_map(bank):
    headers = [" Answer ", "Question（必填）", "option a", "Option B", "TYPE", "category", "Explanation", "备注"]
    row = ["b", "英文表头的题目？", "甲", "乙", "single", "业务知识", "解析", "不导入"]
    report = parse(files.xlsx([row], headers))
    (parsed,) = report.rows
    assert parsed.errors == []
    assert (parsed.type, parsed.stem, parsed.options, parsed.answer) == (
        QuestionType.SINGLE,
        "英文表头的题目？",
        ["甲", "乙"],
        "B",
    )
    assert parsed.category.name == "业务知识" and parsed.explanation == "解析"
    assert report.unknown_headers == ["备注"]  # unknown columns are reported


@pytest.mark.parametrize(
    "headers",
    [
        ["题目", "A", "B", "正确答案", "类别"],
        ["试题", "选项 A", "选项 B", "标准答案", "所属分类"],
        ["题干*", "选项Ａ", "选项Ｂ", "答案：", "分类"],
        ["Stem", "A", "B", "Answer", "Category"],
    ],
)
def test_i2_header_synonyms_map(bank, headers):
    row = one(["题干同义词？", "甲", "乙", "A", "政治教育"], headers)
    assert row.errors == [] and row.options == ["甲", "乙"] and row.answer == "A"


def test_i2_a_missing_required_column_is_an_error_naming_it(bank):
    with pytest.raises(ValidationFailed) as caught:
        parse(files.xlsx([["题", "甲", "乙", "政治教育"]], ["题干", "选项A", "选项B", "分类"]))
    assert "答案" in str(caught.value.message)


def test_a_file_without_a_category_column_needs_a_default(bank):
    data = files.delimited([["题？", "甲", "乙", "A"]], ["题干", "A", "B", "答案"])
    with pytest.raises(ValidationFailed) as caught:
        parse(data)
    assert caught.value.field == "category"
    assert parse(data, default_category=bank["业务知识"]).rows[0].category == bank["业务知识"]


def test_a_file_with_no_recognisable_header_is_refused(bank):
    with pytest.raises(ValidationFailed):
        parse("甲,乙\n1,2\n".encode())


# ---- I3: answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, qtype, expected",
    [
        ("a", "单选", "A"),
        ("Ａ", "单选", "A"),
        ("c", "", "C"),
        ("A，C", "多选", ["A", "C"]),
        ("A、C", "多选", ["A", "C"]),
        ("AC", "多选", ["A", "C"]),
        ("A C", "多选", ["A", "C"]),
        ("CA", "多选", ["A", "C"]),
        ("ｃ，ａ", "", ["A", "C"]),
        ("A,C", "", ["A", "C"]),
        ("（B）", "单选", "B"),
    ],
)
def test_i3_answers_normalise(bank, written, qtype, expected):
    row = one([qtype, "选择题？", "甲", "乙", "丙", "丁", written, "", "政治教育", "", ""])
    assert row.errors == [], errors(row)
    assert row.answer == expected


def test_i3_a_letter_beyond_the_last_option_is_a_row_error(bank):
    row = one(["单选", "只有三个选项？", "甲", "乙", "丙", "", "D", "", "政治教育", "", ""])
    assert "不在选项" in errors(row) and "A 到 C" in errors(row)


def test_i3_an_answer_that_is_not_letters_is_a_row_error(bank):
    row = one(["单选", "答案写成了选项内容？", "甲", "乙", "", "", "甲", "", "政治教育", "", ""])
    assert "不是选项字母" in errors(row)


# ---- I4: true/false -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("对", True),
        ("错", False),
        ("正确", True),
        ("错误", False),
        ("√", True),
        ("×", False),
        ("✓", True),
        ("✗", False),
        ("T", True),
        ("f", False),
        ("TRUE", True),
        ("false", False),
        ("是", True),
        ("否", False),
        ("1", True),
        ("0", False),
        (True, True),
        (False, False),
    ],
)
def test_i4_true_false_synonyms_map(bank, written, expected):
    row = one(["判断", "判断题（ ）", "", "", "", "", written, "", "政治教育", "", ""])
    assert row.errors == [], errors(row)
    assert row.type == QuestionType.TRUE_FALSE and row.answer is expected


def test_i4_excel_booleans_without_a_type_make_a_true_false_question(bank):
    row = one(["", "没写题型的判断题。", "", "", "", "", True, "", "政治教育", "", ""])
    assert row.type == QuestionType.TRUE_FALSE and row.answer is True


@pytest.mark.parametrize("written", ["也许", "2", "对错", "Y/N"])
def test_i4_anything_else_is_a_row_error(bank, written):
    row = one(["判断", "判断题。", "", "", "", "", written, "", "政治教育", "", ""])
    assert "无法识别" in errors(row)


def test_i4_true_false_written_as_a_choice_between_right_and_wrong(bank):
    row = one(["判断", "写成两个选项的判断题。", "正确", "错误", "", "", "B", "", "政治教育", "", ""])
    assert row.errors == [] and row.answer is False and row.options == []


# ---- I5: types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, qtype",
    [
        ("单选题", QuestionType.SINGLE),
        ("单项选择题", QuestionType.SINGLE),
        ("Single", QuestionType.SINGLE),
        ("多选题", QuestionType.MULTIPLE),
        ("多项选择", QuestionType.MULTIPLE),
        ("不定项", QuestionType.MULTIPLE),
        ("multiple", QuestionType.MULTIPLE),
        ("是非题", QuestionType.TRUE_FALSE),
        ("判断题", QuestionType.TRUE_FALSE),
        ("true_false", QuestionType.TRUE_FALSE),
        ("填空题", QuestionType.FILL),
        ("fill", QuestionType.FILL),
    ],
)
def test_i5_type_synonyms_map(bank, word, qtype):
    answers = {
        QuestionType.SINGLE: ("甲", "乙", "A"),
        QuestionType.MULTIPLE: ("甲", "乙", "AB"),
        QuestionType.TRUE_FALSE: ("", "", "对"),
        QuestionType.FILL: ("", "", "人民"),
    }
    a, b, answer = answers[qtype]
    row = one([word, "为____服务（题型同义词）", a, b, "", "", answer, "", "政治教育", "", ""])
    assert row.errors == [], errors(row)
    assert row.type == qtype


def test_i5_single_choice_with_two_letters_is_a_row_error(bank):
    row = one(["单选", "单选却给了两个答案？", "甲", "乙", "丙", "", "AB", "", "政治教育", "", ""])
    assert "单选题只有一个答案" in errors(row)


def test_i5_multiple_choice_with_one_letter_is_a_row_error(bank):
    row = one(["多选", "多选只给一个答案？", "甲", "乙", "丙", "", "A", "", "政治教育", "", ""])
    assert "两个或以上" in errors(row)


def test_i5_an_unknown_type_is_a_row_error(bank):
    row = one(["连线", "连线题？", "", "", "", "", "略", "", "政治教育", "", ""])
    assert "无法识别的题型" in errors(row)


@pytest.mark.parametrize("word", ["论述", "简答题", "案例分析题", "问答", "主观"])
def test_subjective_types_are_skipped_and_counted_not_errors(bank, word):
    report = parse(files.xlsx([[word, "主观题？", "", "", "", "", "略", "", "政治教育", "", ""]]))
    (row,) = report.rows
    assert row.status == "skipped" and row.errors == [] and "主观题" in str(row.skipped)
    assert len(report.skipped) == 1 and report.valid == [] and report.invalid == []


@pytest.mark.parametrize(
    "options, answer, qtype",
    [
        (("甲", "乙"), "B", QuestionType.SINGLE),
        (("甲", "乙"), "A、B", QuestionType.MULTIPLE),
        (("", ""), "√", QuestionType.TRUE_FALSE),
        (("", ""), "人民", QuestionType.FILL),
    ],
)
def test_the_type_is_inferred_when_the_column_is_missing(bank, options, answer, qtype):
    headers = ["题干", "A", "B", "答案", "分类"]
    row = one(["推断题型：为____服务", *options, answer, "政治教育"], headers)
    assert row.errors == [] and row.type == qtype


# ---- fill-in syntax --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stem, written, expected",
    [
        ("坚持以____为中心。", "人民", [["人民"]]),
        ("____领导一切，为____服务。", "中国共产党/党；人民", [["中国共产党", "党"], ["人民"]]),
        ("（ ）领导一切，为（　）服务。", "中国共产党/党;人民", [["中国共产党", "党"], ["人民"]]),
        ("()领导一切，为()服务。", "中国共产党 / 党 | 人民", [["中国共产党", "党"], ["人民"]]),
    ],
)
def test_fill_in_blanks_and_alternatives(bank, stem, written, expected):
    row = one(["填空", stem, "", "", "", "", written, "", "政治教育", "", ""])
    assert row.errors == [], errors(row)
    assert row.answer == expected


def test_fill_in_blank_count_must_match_the_answer(bank):
    row = one(["填空", "只有一个空____。", "", "", "", "", "甲；乙", "", "政治教育", "", ""])
    assert "2" in errors(row) and "1" in errors(row)
    unmarked = one(["填空", "没有标出空位。", "", "", "", "", "甲", "", "政治教育", "", ""])
    assert unmarked.errors == [] and unmarked.stem == "没有标出空位____。" and unmarked.answer == [["甲"]]
    assert "补上" in "；".join(str(w) for w in unmarked.warnings)


# ---- I6: numbers and dates -------------------------------------------------------------------


def test_i6_numeric_cells_become_text(bank):
    row = one(["单选", 110, 1, 1.0, 2.5, "", "A", "", "政治教育", 4.0, 2021])
    assert row.errors == [], errors(row)
    assert row.stem == "110" and row.options == ["1", "1", "2.5"] and row.difficulty == 4 and row.source == "2021"


def test_i6_a_date_typed_option_is_a_row_error(bank):
    row = one(["单选", "哪天召开动员部署会？", datetime(2021, 3, 5), "3月8日", "", "", "A", "", "政治教育", "", ""])
    assert "选项A 是日期格式的单元格" in errors(row)


def test_i6_a_number_of_more_than_15_digits_is_flagged(bank):
    headers = ["编号", *files.HEADERS]
    row = one([110101199001011234, "单选", "身份证号码题？", "甲", "乙", "", "", "A", "", "政治教育", "", ""], headers)
    assert "超过 15 位" in errors(row) and "编号" in errors(row)
    typed = one([1234567890123456789, "单选", "题？", "甲", "乙", "", "", "A", "", "政治教育", "", ""], headers)
    assert "超过 15 位" in errors(typed)
    csv_scientific = parse(
        files.delimited([["1.10101E+17", "单选", "题？", "甲", "乙", "", "", "A", "", "政治教育", "", ""]], headers)
    )
    assert "超过 15 位" in errors(csv_scientific.rows[0])


# ---- I7: merged cells ------------------------------------------------------------------------


def test_i7_merged_category_cells_fill_every_row_they_cover(bank):
    rows = [
        ["判断", f"合并分类第{n}题。", "", "", "", "", "对", "", "党史教育" if n == 1 else None, "", ""]
        for n in range(1, 5)
    ]
    data = files.xlsx(rows, build=lambda sheet: sheet.merge_cells("I2:I4"))
    report = parse(data)
    assert [r.category.name if r.category else None for r in report.rows] == ["党史教育", "党史教育", "党史教育", None]
    assert report.rows[3].errors  # row 5 is outside the merged range: its empty category is an error
    assert report.filled_ranges == ["I2:I4"]


# ---- I8: formulas ----------------------------------------------------------------------------


def _with_cached_formula(data: bytes, cell: str, formula: str, cached: str) -> bytes:
    """Write a formula with a cached value into sheet1.xml, as Excel would save it."""
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                text = re.sub(
                    rf'<c r="{cell}"[^>]*>.*?</c>',
                    f'<c r="{cell}" t="str"><f>{formula}</f><v>{cached}</v></c>',
                    text,
                    count=1,
                )
                body = text.encode()
            archive.writestr(info.filename, body)
    return out.getvalue()


def test_i8_a_formula_with_a_cached_value_imports_the_value(bank):
    data = files.xlsx([["单选", "公式题？", "甲", "乙", "", "", "占位", "", "政治教育", "", ""]])
    data = _with_cached_formula(data, "G2", 'UPPER("b")', "B")
    row = parse(data).rows[0]
    assert row.errors == [] and row.answer == "B"


def test_i8_a_formula_without_a_cached_value_is_a_row_error_with_the_instruction(bank):
    data = files.xlsx([["单选", "程序写的公式？", "甲", "乙", "", "", '=UPPER("b")', "", "政治教育", "", ""]])
    row = parse(data).rows[0]
    assert "没有计算结果的公式" in errors(row) and "保存" in errors(row)


# ---- I9: file shapes -------------------------------------------------------------------------


def test_i9_instruction_rows_above_the_header_are_skipped_and_row_numbers_stay_excels(bank):
    above = [["题库导入（请勿删除表头）"], ["说明：答案写字母"], []]
    report = parse(files.xlsx(files.TWENTY[:3], above=above))
    assert [r.number for r in report.rows] == [5, 6, 7] and not report.invalid
    csv_report = parse(files.delimited([*above, files.HEADERS, *files.TWENTY[:3]], headers=["题库导入说明"]))
    assert [r.number for r in csv_report.rows] == [6, 7, 8] and not csv_report.invalid


def test_i9_hidden_rows_are_read_and_listed(bank):
    def hide(sheet):
        sheet.row_dimensions[3].hidden = True

    report = parse(files.xlsx(files.TWENTY[:3], build=hide))
    assert len(report.valid) == 3 and report.hidden_rows == [3]


def test_i9_a_thousand_trailing_formatted_empty_rows_and_a_bogus_dimension(bank):
    from openpyxl.styles import PatternFill

    def decorate(sheet):
        fill = PatternFill("solid", fgColor="FFFF00")
        for number in range(22, 1022):
            for column in range(1, 12):
                sheet.cell(row=number, column=column).fill = fill

    data = files.xlsx(files.TWENTY, build=decorate)
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:K1021"' in body
                body = body.replace(b'<dimension ref="A1:K1021"', b'<dimension ref="A1:B2"')
            archive.writestr(info.filename, body)
    report = parse(out.getvalue())
    assert len(report.valid) == 20 and not report.invalid


def test_i9_more_rows_than_the_cap_gives_a_clear_message(bank, app):
    from core.settings import SettingSpec, set_setting

    set_setting(SettingSpec("BANK_IMPORT_MAX_ROWS", "x", int, minimum=10, maximum=100000), 10, None)
    db.session.commit()
    with pytest.raises(ValidationFailed) as caught:
        parse(files.delimited(files.TWENTY))
    assert "超过 10 行" in str(caught.value.message)


def test_a_file_over_the_size_setting_is_refused(bank):
    from core.settings import SettingSpec, set_setting

    set_setting(SettingSpec("BANK_IMPORT_MAX_MB", "x", int, minimum=1, maximum=100), 1, None)
    db.session.commit()
    padding = [
        ["单选", "大文件" + "很" * 900 + str(n), "甲", "乙", "", "", "A", "", "政治教育", "", ""] for n in range(450)
    ]
    with pytest.raises(ValidationFailed) as caught:
        parse(files.delimited(padding))
    assert "1 MB" in str(caught.value.message)


# ---- I10 and duplicates ----------------------------------------------------------------------


def test_i10_duplicates_in_the_file_and_in_the_bank_are_reported_and_skipped(bank):
    existing = QuestionFactory(category=bank["政治教育"], stem="已在题库中的题目？", options=["甲", "乙"], answer="A")
    rows = [
        ["单选", "已在题库中的题目？", "甲", "乙", "", "", "A", "", "政治教育", "", ""],  # row 2: in the bank
        ["单选", "文件里重复的题目？", "甲", "乙", "", "", "B", "", "政治教育", "", ""],  # row 3: new
        ["单选", "文件里重复的题目 ？", "甲", "乙", "", "", "b", "", "政治教育", "", ""],  # row 4: repeats 3
        ["单选", "文件里重复的题目？", "丙", "丁", "", "", "B", "", "政治教育", "", ""],  # row 5: other options
        ["单选", "文件里重复的题目？", "甲", "乙", "", "", "A", "", "政治教育", "", ""],  # row 6: 3 with another answer
        ["单选", "已在题库中的题目？", "甲", "乙", "", "", "B", "", "政治教育", "", ""],  # row 7: bank, other answer
    ]
    report = parse(files.xlsx(rows))
    by_row = {r.number: r for r in report.rows}
    assert f"#{existing.id}" in str(by_row[2].duplicate)
    assert by_row[3].status == "new" and by_row[5].status == "new"
    assert "第 3 行" in str(by_row[4].duplicate)
    assert "答案不同" in errors(by_row[6]) or "另一个答案" in errors(by_row[6])
    assert f"#{existing.id}" in errors(by_row[7])
    assert report.summary() == "导入 2，重复 2，跳过 0，错误 2"


def test_i10_reimporting_the_same_file_creates_nothing_new(bank):
    data = files.xlsx(files.TWENTY)
    _report, created = importer.import_questions(data, None, valid_only=False, now=clock.now())
    db.session.commit()
    assert len(created) == 20
    report, again = importer.import_questions(data, None, valid_only=False, now=clock.now())
    db.session.commit()
    assert again == [] and len(report.duplicates) == 20
    assert question_count() == 20


# ---- categories ------------------------------------------------------------------------------


def test_category_paths_and_unknown_categories(bank, app):
    child = services.create_category(None, name="党史学习教育", parent=bank["党史教育"], now=clock.now())
    db.session.commit()
    rows = [
        ["判断", "路径分类。", "", "", "", "", "对", "", "党史教育/党史学习教育", "", ""],
        ["判断", "只写子分类名。", "", "", "", "", "对", "", "党史学习教育", "", ""],
        ["判断", "不存在的分类。", "", "", "", "", "对", "", "党史教育/新中国史", "", ""],
    ]
    report = parse(files.xlsx(rows))
    assert report.rows[0].category == child and report.rows[1].category == child
    assert "找不到分类" in errors(report.rows[2]) and "自动创建" in errors(report.rows[2])

    allowed = parse(files.xlsx(rows), create_categories=True)
    assert allowed.rows[2].errors == [] and allowed.new_categories == ["党史教育/新中国史"]
    assert (
        db.session.scalar(sa.select(Category).where(Category.name == "新中国史")) is None
    )  # the dry run creates nothing
    _report, created = importer.import_questions(
        files.xlsx(rows), None, valid_only=False, now=clock.now(), create_categories=True
    )
    db.session.commit()
    made = db.session.scalar(sa.select(Category).where(Category.name == "新中国史"))
    assert made.parent_id == bank["党史教育"].id and created[2].category_id == made.id


# ---- every bad-row reason, and I12 atomicity ----------------------------------------------------

BAD_ROWS = [
    ["单选", "正确的题目？", "甲", "乙", "", "", "A", "", "政治教育", "", ""],  # 2 fine
    ["单选", "", "甲", "乙", "", "", "A", "", "政治教育", "", ""],  # 3 missing stem
    ["单选", "答案超出选项？", "甲", "乙", "", "", "C", "", "政治教育", "", ""],  # 4 answer not among options
    ["单选", "两个字母？", "甲", "乙", "丙", "", "AB", "", "政治教育", "", ""],  # 5 single with two letters
    ["判断", "未知分类？", "", "", "", "", "对", "", "不存在的分类", "", ""],  # 6 unknown category
    ["单选", "缺答案？", "甲", "乙", "", "", "", "", "政治教育", "", ""],  # 7 missing answer
    ["单选", "只有一个选项？", "甲", "", "", "", "A", "", "政治教育", "", ""],  # 8 too few options
    ["单选", "选项中间空了？", "甲", "", "丙", "", "A", "", "政治教育", "", ""],  # 9 a gap in the options
    ["判断", "判断题带选项？", "甲", "乙", "", "", "对", "", "政治教育", "", ""],  # 10 options on true/false
    ["单选", "难度不对？", "甲", "乙", "", "", "A", "", "政治教育", "9", ""],  # 11 difficulty
    ["连线", "题型不对？", "", "", "", "", "略", "", "政治教育", "", ""],  # 12 unknown type
    ["判断", "判断答案不对。", "", "", "", "", "大概", "", "政治教育", "", ""],  # 13 bad true/false answer
    ["填空", "只有一个空____。", "", "", "", "", "甲；乙", "", "政治教育", "", ""],  # 14 blanks and answers differ
]
REASONS = {
    3: "缺少题干",
    4: "不在选项",
    5: "单选题只有一个答案",
    6: "找不到分类",
    7: "缺少答案",
    8: "2 至 8 个选项",
    9: "选项 B 为空",
    10: "没有选项",
    11: "难度",
    12: "无法识别的题型",
    13: "无法识别",
    14: "题干中有 1 个空，答案却给了 2 个",
}


def test_every_bad_row_is_reported_by_row_number_and_reason(bank):
    report = parse(files.xlsx(BAD_ROWS))
    by_row = {r.number: r for r in report.rows}
    assert by_row[2].status == "new"
    for number, reason in REASONS.items():
        assert reason in errors(by_row[number]), (number, errors(by_row[number]))
    assert report.summary() == f"导入 1，重复 0，跳过 0，错误 {len(REASONS)}"


def test_i12_499_good_rows_and_one_bad_row_write_nothing(bank):
    rows = [["判断", f"第{n}道正确的判断题。", "", "", "", "", "对", "", "政治教育", "", ""] for n in range(1, 500)]
    rows.insert(312, ["单选", "坏行：答案不在选项中？", "甲", "乙", "", "", "E", "", "政治教育", "", ""])
    data = files.xlsx(rows)
    report = parse(data)
    assert [r.number for r in report.invalid] == [314]  # header is row 1, the 313th data row is row 314
    versions_before = db.session.scalar(sa.select(sa.func.count()).select_from(QuestionVersion))
    with pytest.raises(ValidationFailed):
        importer.import_questions(data, None, valid_only=False, now=clock.now())
    db.session.rollback()
    assert question_count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionVersion)) == versions_before


def test_valid_only_imports_the_good_rows(bank):
    report, created = importer.import_questions(files.xlsx(BAD_ROWS), None, valid_only=True, now=clock.now())
    db.session.commit()
    assert len(created) == 1 and question_count() == 1 and len(report.invalid) == len(REASONS)


def test_a_leading_apostrophe_before_a_formula_sign_is_dropped(bank):
    row = one(["单选", "'=1+1 等于几？", "'-1", "'+2", "'@3", "'正常撇号", "B", "", "政治教育", "", ""])
    assert row.stem == "=1+1 等于几？" and row.options == ["-1", "+2", "@3", "'正常撇号"]
