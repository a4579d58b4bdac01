"""The answer notation shared by the editor and the importer (unit level)."""

import pytest

from core.errors import ValidationFailed
from question_bank import answer_input
from question_bank.models import QuestionType


@pytest.mark.parametrize("written", ["AC", "A,C", "A，C", "A、C", "A C", "CA", "ａｃ", "c;a", "A|C", "（A）（C）"])
def test_letters(app, written):
    assert answer_input.parse_choice(QuestionType.MULTIPLE, written, 4) == ["A", "C"]


def test_letters_beyond_and_counts(app):
    with pytest.raises(ValidationFailed, match="E"):
        answer_input.parse_choice(QuestionType.SINGLE, "E", 4)
    with pytest.raises(ValidationFailed):
        answer_input.parse_choice(QuestionType.SINGLE, "AB", 4)
    with pytest.raises(ValidationFailed):
        answer_input.parse_choice(QuestionType.MULTIPLE, "A", 4)
    assert answer_input.parse_choice(QuestionType.MULTIPLE, "AAB", 4) == ["A", "B"]


def test_fill_notation(app):
    assert answer_input.parse_fill("中国共产党/党；人民") == [["中国共产党", "党"], ["人民"]]
    assert answer_input.parse_fill("甲 / 甲 ; 乙 | 丙") == [["甲"], ["乙"], ["丙"]]
    with pytest.raises(ValidationFailed):
        answer_input.parse_fill("甲；；乙")
    assert answer_input.count_blanks("____与（ ）及()、（　）和__") == 4


def test_inference(app):
    assert answer_input.infer_type(["a", "b"], "b") == QuestionType.SINGLE
    assert answer_input.infer_type(["a", "b"], "ab") == QuestionType.MULTIPLE
    assert answer_input.infer_type([], "×") == QuestionType.TRUE_FALSE
    assert answer_input.infer_type([], "是") == QuestionType.FILL  # 是/否 and 1/0 only with the type 判断
    assert answer_input.infer_type([], "1") == QuestionType.FILL
