"""One source row (a spreadsheet row, or an item of a Word or text bank) read as a question.

The row's cells arrive under field names (question_bank.import_columns); this module turns them
into the canonical question, recording errors (the row is refused), warnings (something was
changed and the admin should know) and the reason a subjective row is skipped. The rules:
- No type (or an empty cell): the type is inferred (answer_input.infer_type). Subjective types
  (简答, 案例分析, 问答, 主观…) are skipped and counted, not errors.
- 判断 written as a choice between 正确/错误 or 对/错 is a true-or-false question wherever the two
  options sit (A/B, or E/F with A–D empty); its answer is the chosen option's letter or word.
- 填空 answers may stand in the option columns, one blank a column; answers joined with 、 are
  split when the stem has that many blanks; a stem whose blank lost its marker gets one (warned).
- A leading apostrophe before = + - @ (how our CSV export neutralises formulas) is dropped.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from core import tabular
from core.errors import ValidationFailed
from question_bank import answer_input, answers
from question_bank import import_cleaning as cleaning
from question_bank.answers import LETTERS
from question_bank.import_columns import COLUMN_LABELS, OPTION_COLUMNS
from question_bank.import_mapping import Mapping
from question_bank.models import Category, QuestionType

DIFFICULTY_WORDS = {
    **dict.fromkeys(["易", "容易", "简单", "基础", "初级"], 1),
    **dict.fromkeys(["较易", "较简单"], 2),
    **dict.fromkeys(["中", "中等", "一般", "适中", "中级"], 3),
    **dict.fromkeys(["较难", "较高", "提高"], 4),
    **dict.fromkeys(["难", "困难", "高难度", "高级"], 5),
}
LIMITS = {"stem": 2000, "option": 500, "explanation": 5000, "source": 200}
FORMULA_APOSTROPHE = re.compile(r"^'(?=[=+\-@\t\r])")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+\d{2}$")
TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")
PICTURE = re.compile(r"如图|见图|下图|图中")


@dataclass
class SourceRow:
    """A row as read from the file: its number (Excel's row, or the item's line), its cells by
    field name, and for documents the item's text as it was read."""

    number: int
    values: dict
    uncalculated: list = field(default_factory=list)
    text: str = ""
    warnings: list = field(default_factory=list)


@dataclass
class QuestionRow:
    number: int
    ref: str = ""
    type: QuestionType | None = None
    stem: str = ""
    options: list = field(default_factory=list)
    answer: object = None
    answer_text: str = ""
    explanation: str = ""
    category: Category | None = None
    category_text: str = ""
    new_category: str = ""  # a path to create (only with create_categories)
    difficulty: int = 3
    source: str = ""
    tags: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    skipped: object = None  # why a subjective row is not imported (a message), or None
    duplicate: object = None  # why the row is skipped as a duplicate (a message), or None
    text: str = ""  # a document item as it was read

    @property
    def answer_label(self) -> str:
        """The answer as the bank will hold it: 'B', 'AC', '对', '人民；党'."""
        if self.type is None or self.answer is None:
            return self.answer_text
        return answers.answer_text(self.type, self.answer)

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        return "error" if self.errors else "duplicate" if self.duplicate else "new"


def label(column) -> str:
    return COLUMN_LABELS.get(column, column)


class _Cells:
    """Reads the row's cells as text, recording the problems of their kind of cell."""

    def __init__(self, row: QuestionRow, values: dict):
        self.row, self.values, self.html = row, values, []

    def text(self, column: str, *, html: bool = True) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if type(value) is str:  # the common case, kept quick: most cells of most files
            text = value.strip()
            if text[:1] in ("'", "") or text[:1].isdigit():
                return self._checked(column, text, html)
            if html and ("&" in text or "<" in text):
                return self._cleaned(column, text)
            return text
        if isinstance(value, (datetime, date, time)):
            self.row.errors.append(
                _l(
                    "%(column)s is a date-formatted cell (%(value)s); format the column as text and type it again.",
                    column=label(column),
                    value=tabular.cell_text(value),
                )
            )
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                return ""
            if len(str(abs(int(value)))) > 15:
                self.row.errors.append(_too_many_digits(column))
        return self._checked(column, tabular.cell_text(value), html)

    def _checked(self, column: str, text: str, html: bool) -> str:
        if SCIENTIFIC.match(text):
            self.row.errors.append(_too_many_digits(column))
        text = FORMULA_APOSTROPHE.sub("", text).strip()
        return self._cleaned(column, text) if html else text

    def _cleaned(self, column: str, text: str) -> str:
        text, changed = cleaning.clean_html(text)
        if changed:
            self.html.append(label(column))
        return text


def _too_many_digits(column):
    return _l(
        "%(column)s holds a number of more than 15 digits that Excel has rounded; format the column as text "
        "and type it again.",
        column=label(column),
    )


def parse_source_row(source: SourceRow, mapping: Mapping) -> QuestionRow:
    """The question a source row holds (errors, warnings and a skip reason recorded on it)."""
    values = source.values
    row = QuestionRow(number=source.number, text=source.text, warnings=list(source.warnings))
    if source.uncalculated:
        row.errors.append(tabular.uncalculated_message("、".join(label(c) for c in source.uncalculated)))
    cells = _Cells(row, values)
    row.ref = cells.text("ref", html=False)
    type_text = cells.text("type", html=False)
    mapped_type = mapping.value("type", values.get("type"))
    row.stem = cells.text("stem")
    row.explanation = cells.text("explanation")
    row.category_text = cells.text("category", html=False)
    row.source = row.source or cells.text("source")
    row.tags = [t for t in TAG_SEPARATORS.split(cells.text("tags", html=False)) if t][:20]
    if mapped_type == "skip" or (not mapped_type and cleaning.is_subjective(type_text)):
        row.skipped = _l("A subjective question (%(type)s) is not imported.", type=type_text or "?")
        return row
    slots = _option_slots(row, cells)
    raw_answer = values.get("answer")
    mapped_answer = mapping.value("answer", raw_answer)
    row.answer_text = mapped_answer or cleaning.clean_answer(cells.text("answer"))
    if cells.html:
        row.warnings.append(_l("HTML removed from %(columns)s.", columns="、".join(dict.fromkeys(cells.html))))
    if not row.stem:
        row.errors.append(_l("The question text (题干) is missing."))
    elif len(row.stem) > LIMITS["stem"]:
        row.errors.append(_l("The question text is longer than %(n)d characters.", n=LIMITS["stem"]))
    elif PICTURE.search(row.stem) or cells.text("picture", html=False):
        row.errors.append(_l("The question refers to a picture (如图) that the file does not hold."))
    if len(row.source) > LIMITS["source"]:
        row.errors.append(_l("The source is longer than %(n)d characters.", n=LIMITS["source"]))
    if len(row.explanation) > LIMITS["explanation"]:
        row.errors.append(_l("The explanation is longer than %(n)d characters.", n=LIMITS["explanation"]))
    if row.stem and slots is not None:
        answer_value = raw_answer if isinstance(raw_answer, bool) and not mapped_answer else row.answer_text
        _parse_type_and_answer(row, slots, mapped_type or type_text, answer_value)
    _parse_difficulty(row, values.get("difficulty"), mapping)
    if not row.errors:
        try:
            answers.validate(row.type, row.stem, row.options, row.answer)
        except ValidationFailed as error:
            row.errors.append(error.message)
    return row


def _option_slots(row: QuestionRow, cells: _Cells) -> list:
    """[(letter, text)] of the option columns A–H, or of the one cell holding all options."""
    texts = [cells.text(letter) for letter in OPTION_COLUMNS]
    whole = cells.text("options")
    if whole and not any(texts):
        texts = cleaning.split_options(whole)
        if not texts:
            row.errors.append(_l("The options cell does not read as A．… B．… (is option A glued to the question?)."))
            return None
    texts, removed = cleaning.strip_letter_prefixes(texts)
    if removed:
        row.warnings.append(_l("The letter before %(n)d options was removed (A．… in option A).", n=removed))
    for letter, text in zip(LETTERS, texts):
        if len(text) > LIMITS["option"]:
            row.errors.append(
                _l("Option %(letter)s is longer than %(n)d characters.", letter=letter, n=LIMITS["option"])
            )
    return list(zip(LETTERS, texts))


def _choice_options(row: QuestionRow, slots: list) -> list:
    texts = [text for _letter, text in slots]
    last = max((i for i, text in enumerate(texts) if text), default=-1)
    for i in range(last):
        if not texts[i]:
            row.errors.append(_l("Option %(letter)s is empty but later options are filled.", letter=LETTERS[i]))
    return texts[: last + 1]


def _true_false_slots(slots: list):
    filled = [(letter, text) for letter, text in slots if text]
    if len(filled) == 2 and all(answer_input.is_true_false_word(text) for _letter, text in filled):
        words = {answer_input.parse_true_false(text) for _letter, text in filled}
        return filled if words == {True, False} else None
    return None


def _parse_type_and_answer(row: QuestionRow, slots: list, type_text: str, answer_value) -> None:
    try:
        qtype = answer_input.parse_type(type_text) if type_text else None
    except ValidationFailed as error:
        row.errors.append(error.message)
        return
    true_false = _true_false_slots(slots) if qtype in (None, QuestionType.SINGLE, QuestionType.TRUE_FALSE) else None
    if true_false:
        row.type, row.options = QuestionType.TRUE_FALSE, []
        chosen = answer_input.fold(answer_value).upper() if isinstance(answer_value, str) else None
        for letter, text in true_false:
            if chosen == letter:
                answer_value = text
        _set_answer(row, answer_value)
        return
    filled = [text for _letter, text in slots if text]
    if qtype == QuestionType.FILL and filled:
        if not row.answer_text:
            answer_value = row.answer_text = "；".join(filled)
        slots = []
    options = _choice_options(row, slots)
    row.type = qtype or answer_input.infer_type(options, answer_value)
    if not row.answer_text and not isinstance(answer_value, bool):
        row.errors.append(_l("The answer is missing."))
        return
    if row.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if not answers.MIN_OPTIONS <= len(options) <= answers.MAX_OPTIONS:
            row.errors.append(_l("A choice question needs 2 to 8 options (columns A to H)."))
            return
        row.options = options
    elif options:
        row.errors.append(
            _l("A %(type)s question has no options; empty columns A to H.", type=answer_input.type_word(row.type))
        )
        return
    if row.type == QuestionType.FILL:
        blanks = answer_input.count_blanks(row.stem)
        if not blanks:
            row.stem, _changed = cleaning.mark_lost_blanks(row.stem)
            row.warnings.append(_l("The blank had no ____ in the question; one was added where it was lost."))
            blanks = answer_input.count_blanks(row.stem)
        answer_value = cleaning.split_joined_blanks(str(answer_value), blanks)
    _set_answer(row, answer_value)


def _set_answer(row: QuestionRow, value) -> None:
    try:
        row.answer = answer_input.parse_answer(row.type, value, row.options)
        if row.type == QuestionType.FILL:
            answer_input.check_fill_stem(row.stem, row.answer)
    except ValidationFailed as error:
        row.errors.append(error.message)


def _parse_difficulty(row: QuestionRow, value, mapping: Mapping) -> None:
    if isinstance(value, (datetime, date, time)):
        row.errors.append(_l("%(column)s is a date-formatted cell; use 1 to 5.", column=label("difficulty")))
        return
    mapped = mapping.value("difficulty", value)
    text = mapped or answer_input.fold(tabular.cell_text(value))
    if not text:
        return
    if text in DIFFICULTY_WORDS:
        row.difficulty = DIFFICULTY_WORDS[text]
        return
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or not 1 <= number <= 5:
        row.errors.append(_l("Difficulty '%(value)s' is not 1 to 5.", value=tabular.cell_text(value)))
        return
    row.difficulty = int(number)
