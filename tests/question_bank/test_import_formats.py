"""Issue 14, more file kinds: legacy .xls and .ods through python-calamine, tab-separated text
under any name, JSON arrays and JSON lines, numbered banks in .docx and plain text; a .doc gets a
clear message. The .xlsx readers (calamine for import, openpyxl kept for comparison) agree."""

import pytest

from question_bank import importer
from question_bank.models import QuestionType
from tests.question_bank import files
from tests.question_bank.test_importer import snapshot


def parse(data, **options):
    return importer.parse_questions(data, **options)


@pytest.mark.parametrize(
    "make",
    [
        lambda: files.xls(files.TWENTY),
        lambda: files.ods(files.TWENTY),
        lambda: files.json_records(files.TWENTY),
        lambda: files.json_records(files.TWENTY, lines=True),
        lambda: files.delimited(files.TWENTY, delimiter="\t", encoding="gb18030"),
    ],
    ids=["xls", "ods", "json-array", "json-lines", "tsv-gb18030"],
)
def test_every_kind_of_file_reads_the_twenty_questions_as_the_xlsx_does(bank, make):
    reference = snapshot(parse(files.xlsx(files.TWENTY)))
    report = parse(make())
    assert [str(e) for r in report.invalid for e in r.errors] == []
    assert snapshot(report) == reference


def test_the_openpyxl_and_calamine_readers_agree(bank):
    data = files.xlsx(files.TWENTY, above=[["说明：第一行是说明"]])
    assert snapshot(parse(data, reader="openpyxl")) == snapshot(parse(data, reader="calamine"))


def test_a_numbered_bank_in_word_is_read_item_by_item(bank):
    report = parse(files.docx(files.NUMBERED_BANK), default_category=bank["政治教育"])
    assert report.kind == "document" and report.preamble == ["某单位应知应会题库（2026）"]
    rows = {r.stem: r for r in report.rows}
    first = rows["政法队伍教育整顿的第二个环节是（  ）。"]
    assert (first.type, first.options, first.answer, first.source) == (
        QuestionType.SINGLE,
        ["学习教育", "查纠整改", "总结提升"],
        "B",
        "《手册》第3页",
    )
    second = rows["全面依法治国的总抓手是（  ）。"]
    assert second.options == ["法律规范体系", "法治监督体系", "中国特色社会主义法治体系"] and second.answer == "C"
    assert rows["“四项教育”包括（  ）。"].answer == ["A", "B", "C", "D"]
    assert rows["坚持以____为中心的发展思想。"].answer == [["人民"]]
    lost = rows["政法工作的根本保证是党的____。"]  # the blank had lost its underline
    assert lost.answer == [["绝对领导"]] and lost.warnings
    assert rows["政法机关是刀把子。"].answer is True and rows["教育整顿只在市级开展。"].answer is False
    assert [r.status for r in report.rows].count("new") == 7
    (skipped,) = report.skipped
    assert skipped.stem == "简述教育整顿的意义。"


def test_the_same_bank_as_gbk_text_reads_the_same(bank):
    text = "\r\n".join(files.NUMBERED_BANK).encode("gbk")
    from_word = parse(files.docx(files.NUMBERED_BANK), default_category=bank["政治教育"])
    from_text = parse(text, default_category=bank["政治教育"])
    assert [(r.stem, r.answer, r.options) for r in from_text.rows] == [
        (r.stem, r.answer, r.options) for r in from_word.rows
    ]


def test_an_old_word_file_is_refused_with_the_advice_to_save_it_as_docx(bank):
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        parse(files.legacy_doc(), default_category=bank["政治教育"])
    assert "另存为 .docx" in str(caught.value.message)


def test_a_tab_separated_file_named_xlsx_is_read_as_text(bank):
    data = files.delimited(files.TWENTY, delimiter="\t")
    assert len(parse(data).valid) == 20  # the name plays no part: only the bytes
