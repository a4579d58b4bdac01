"""Answers and question types as people write them, turned into the canonical forms of
question_bank.answers. Shared by the editor and the importer, so both accept the same notation.

    single / multiple   letters in any case or width, with or without separators: a, Ａ, AC, A,C,
                        A，C, A、C, A C, CA (multiple answers are sorted)
    true / false        对/错, 正确/错误, √/×, ✓/✗, T/F, TRUE/FALSE (any case), 是/否, 1/0, Excel booleans
    fill in             blanks separated by ； ; or |, alternatives within a blank by /:
                        中国共产党/党；人民  → [["中国共产党", "党"], ["人民"]]

A fill-in stem marks each blank with ____ (three or more underscores) or empty brackets （ ） / ().
Every parse function raises ValidationFailed with a message for the person who wrote it.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from core.errors import ValidationFailed
from question_bank.answers import LETTERS
from question_bank.models import QuestionType

TYPE_WORDS = {
    **dict.fromkeys(
        ["单选", "单选题", "单项选择", "单项选择题", "单项", "single", "singlechoice", "单"], QuestionType.SINGLE
    ),
    **dict.fromkeys(
        [
            "多选",
            "多选题",
            "多项选择",
            "多项选择题",
            "多项",
            "不定项",
            "不定项选择",
            "multiple",
            "multiplechoice",
            "multi",
            "多",
        ],
        QuestionType.MULTIPLE,
    ),
    **dict.fromkeys(
        ["判断", "判断题", "是非", "是非题", "对错", "truefalse", "true_false", "true/false", "tf", "judge", "判"],
        QuestionType.TRUE_FALSE,
    ),
    **dict.fromkeys(["填空", "填空题", "fill", "fillin", "fill-in", "blank", "填"], QuestionType.FILL),
}
TYPE_WORDS.update({t.value: t for t in QuestionType})

TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "t", "true", "是", "1", "y", "yes"}
FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "f", "false", "否", "0", "n", "no"}
# The words that, with no options, make an untyped row a true/false question (1/0 and 是/否 are
# accepted only when the type says 判断: they are too often real fill-in answers).
INFER_TRUE_FALSE_WORDS = {"对", "正确", "√", "✓", "✔", "t", "true", "错", "错误", "×", "✗", "✘", "f", "false"}

LETTER_SEPARATORS = re.compile(r"[\s,，、;；/|.。:：()（）\[\]【】]+")
BLANK_SEPARATORS = re.compile(r"[;；|]")
ALTERNATIVE_SEPARATOR = "/"
BLANK_MARKER = re.compile(r"_{3,}|（[\s\u3000]*）|\([\s\u3000]*\)")


def fold(text) -> str:
    """NFKC (full-width to half-width), trimmed, lowercase: '　Ａ，Ｃ ' -> 'a,c'."""
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower()


def parse_type(text) -> QuestionType:
    """单选/多选/判断/填空 and their usual synonyms, in Chinese or English."""
    key = "".join(fold(text).split())
    if key in TYPE_WORDS:
        return TYPE_WORDS[key]
    raise ValidationFailed(
        _l("Unknown question type '%(type)s'; use 单选, 多选, 判断 or 填空.", type=str(text)), field="type"
    )


def parse_letters(text) -> list[str]:
    """'A、C' -> ['A', 'C'] (sorted, no repeats); anything but letters and separators is an error."""
    folded = LETTER_SEPARATORS.sub("", fold(text)).upper()
    if not folded:
        raise ValidationFailed(_l("The answer is missing."), field="answer")
    if not folded.isascii() or not folded.isalpha():
        raise ValidationFailed(
            _l("The answer '%(answer)s' is not option letters such as B or AC.", answer=str(text)), field="answer"
        )
    return sorted(set(folded))


def parse_choice(qtype: QuestionType, text, option_count: int):
    """The canonical answer of a single- or multiple-choice question with `option_count` options."""
    letters = parse_letters(text)
    allowed = LETTERS[:option_count]
    beyond = [letter for letter in letters if letter not in allowed]
    if beyond:
        raise ValidationFailed(
            _l(
                "The answer %(letters)s is not among the options (A to %(last)s).",
                letters="".join(beyond),
                last=allowed[-1] if allowed else "A",
            ),
            field="answer",
        )
    if qtype == QuestionType.SINGLE:
        if len(letters) != 1:
            raise ValidationFailed(
                _l("A single-choice question has one answer, not %(letters)s.", letters="".join(letters)),
                field="answer",
            )
        return letters[0]
    if len(letters) < 2:
        raise ValidationFailed(
            _l("A multiple-choice question needs two or more answer letters, not %(letters)s.", letters=letters[0]),
            field="answer",
        )
    return letters


def is_true_false_word(value, *, inferring: bool = False) -> bool:
    if isinstance(value, bool):
        return True
    words = INFER_TRUE_FALSE_WORDS if inferring else TRUE_WORDS | FALSE_WORDS
    return fold(value) in words


def parse_true_false(value) -> bool:
    """对/错, 正确/错误, √/×, ✓/✗, T/F, TRUE/FALSE, 是/否, 1/0 or an Excel boolean."""
    if isinstance(value, bool):
        return value
    word = fold(value)
    if word.endswith(".0"):  # a numeric cell 1.0 / 0.0
        word = word[:-2]
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if not word:
        raise ValidationFailed(_l("The answer is missing."), field="answer")
    raise ValidationFailed(
        _l("The true-or-false answer '%(answer)s' is not understood; use 对 or 错.", answer=str(value)), field="answer"
    )


def parse_fill(text) -> list[list[str]]:
    """'中国共产党/党；人民' -> [['中国共产党', '党'], ['人民']]."""
    text = unicodedata.normalize("NFC", str(text or "")).strip()
    if not text:
        raise ValidationFailed(_l("The answer is missing."), field="answer")
    blanks = []
    for number, part in enumerate(BLANK_SEPARATORS.split(text), start=1):
        alternatives = [alt.strip() for alt in part.split(ALTERNATIVE_SEPARATOR)]
        alternatives = [alt for alt in alternatives if alt]
        if not alternatives:
            raise ValidationFailed(_l("Blank %(n)d has no accepted answer.", n=number), field="answer")
        blanks.append(list(dict.fromkeys(alternatives)))
    return blanks


def count_blanks(stem: str) -> int:
    return len(BLANK_MARKER.findall(stem or ""))


def check_fill_stem(stem: str, answer: list) -> None:
    """A fill-in stem marks each blank, and has as many blanks as the answer has."""
    marked = count_blanks(stem)
    if marked == 0:
        raise ValidationFailed(_l("Mark each blank in the question text with ____ or （ ）."), field="stem")
    if marked != len(answer):
        raise ValidationFailed(
            _l(
                "The question text has %(marked)d blanks but the answer gives %(given)d; separate blanks with ；",
                marked=marked,
                given=len(answer),
            ),
            field="answer",
        )


def parse_answer(qtype: QuestionType, value, options: list):
    """The canonical answer of a question of `qtype` with `options`, from what a person wrote."""
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if isinstance(value, bool):
            raise ValidationFailed(
                _l("The answer of a choice question is option letters, not TRUE/FALSE."), field="answer"
            )
        return parse_choice(qtype, value, len(options))
    if qtype == QuestionType.TRUE_FALSE:
        return parse_true_false(value)
    return parse_fill(value)


def infer_type(options: list, answer) -> QuestionType:
    """The type of an untyped row: options and one letter: single; several letters: multiple;
    a true/false word and no options: true/false; otherwise fill-in."""
    if options:
        try:
            letters = parse_letters(answer)
        except ValidationFailed:
            return QuestionType.SINGLE  # parse_choice then reports the answer
        return QuestionType.MULTIPLE if len(letters) > 1 else QuestionType.SINGLE
    if is_true_false_word(answer, inferring=True):
        return QuestionType.TRUE_FALSE
    return QuestionType.FILL


def type_word(qtype: QuestionType) -> str:
    """The Chinese word the import template uses for a type."""
    return {
        QuestionType.SINGLE: "单选",
        QuestionType.MULTIPLE: "多选",
        QuestionType.TRUE_FALSE: "判断",
        QuestionType.FILL: "填空",
    }[qtype]
