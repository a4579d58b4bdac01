"""Question import: read the file, check every row, report by the row number Excel shows; then
write all rows, or only the valid ones when the admin chooses so, in one transaction.

Rules (also on the import page and the template's instructions sheet):
- Headers in Chinese or English, any order; unknown columns are ignored and listed.
- No type column (or an empty cell): the type is inferred (answer_input.infer_type).
- Category: the row's 分类 (a name or a path 党史教育/党史学习教育), else the chosen default;
  unknown ones are errors unless "create missing categories" is chosen.
- Merged cells are filled with their top-left value; hidden rows are read like the others.
- A leading apostrophe before = + - @ (how our CSV export neutralises formulas) is dropped.
- Exact duplicates (same type, stem and options) of a question in the bank or of an earlier row
  are skipped and counted, not imported twice; the same question with another answer is an error.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from core import tabular
from core.errors import ValidationFailed
from core.extensions import db
from core.settings import get_setting
from question_bank import answer_input, answers, services
from question_bank.answers import LETTERS
from question_bank.categories import CategoryTree, split_path
from question_bank.import_columns import COLUMN_LABELS, HEADER_ALIASES, OPTION_COLUMNS, REQUIRED_COLUMNS
from question_bank.models import Category, Question, QuestionType

DIFFICULTY_WORDS = {
    **dict.fromkeys(["易", "容易", "简单"], 1),
    "较易": 2,
    **dict.fromkeys(["中", "中等", "一般", "适中"], 3),
    "较难": 4,
    **dict.fromkeys(["难", "困难"], 5),
}
LIMITS = {"stem": 2000, "option": 500, "explanation": 5000, "source": 200}
FORMULA_APOSTROPHE = re.compile(r"^'(?=[=+\-@\t\r])")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+\d{2}$")
TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")


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
    duplicate: object = None  # why the row is skipped as a duplicate (a message), or None

    @property
    def status(self) -> str:
        return "error" if self.errors else "duplicate" if self.duplicate else "new"


@dataclass
class ImportReport:
    rows: list
    unknown_headers: list = field(default_factory=list)
    hidden_rows: list = field(default_factory=list)
    filled_ranges: list = field(default_factory=list)
    new_categories: list = field(default_factory=list)

    @property
    def valid(self):
        return [r for r in self.rows if r.status == "new"]

    @property
    def duplicates(self):
        return [r for r in self.rows if r.status == "duplicate"]

    @property
    def invalid(self):
        return [r for r in self.rows if r.status == "error"]

    def summary(self, imported=None) -> str:
        """The one line the CLI prints: `imported N, duplicates D, errors E`."""
        count = len(self.valid) if imported is None else imported
        return f"imported {count}, duplicates {len(self.duplicates)}, errors {len(self.invalid)}"


def _label(column) -> str:
    return COLUMN_LABELS.get(column, column)


def _cell(row: QuestionRow, values: dict, column: str) -> str:
    """The cell as text, with the problems of its kind of cell recorded on the row."""
    value = values.get(column)
    if value is None:
        return ""
    if isinstance(value, (datetime, date, time)):
        row.errors.append(
            _l(
                "%(column)s is a date-formatted cell (%(value)s); format the column as text and type it again.",
                column=_label(column),
                value=tabular.cell_text(value),
            )
        )
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        if len(str(abs(int(value)))) > 15:
            row.errors.append(_too_many_digits(column))
    text = tabular.cell_text(value)
    if SCIENTIFIC.match(text):
        row.errors.append(_too_many_digits(column))
    return FORMULA_APOSTROPHE.sub("", text).strip()


def _too_many_digits(column):
    return _l(
        "%(column)s holds a number of more than 15 digits that Excel has rounded; format the column as text "
        "and type it again.",
        column=_label(column),
    )


class _Context:
    """What checking the rows needs once: the category tree, the default category, the rules."""

    def __init__(self, default_category, create_categories):
        self.tree = CategoryTree()
        self.create_categories = create_categories
        self.default = default_category
        self.planned = {}  # path text -> rows that will create it


def _resolve_category(row: QuestionRow, context: _Context):
    if not row.category_text:
        if context.default is None:
            row.errors.append(_l("The category is missing (no 分类 in this row and no default category chosen)."))
        row.category = context.default
        return
    category, problem = context.tree.find(row.category_text)
    if category is not None:
        if not category.active:
            row.errors.append(_l("The category '%(name)s' is retired.", name=row.category_text))
        row.category = category
    elif context.tree.matches(row.category_text):
        row.errors.append(problem)  # more than one category has this name
    elif context.create_categories:
        row.new_category = "/".join(split_path(row.category_text))
        context.planned.setdefault(row.new_category, []).append(row.number)
    else:
        row.errors.append(
            _l(
                "Unknown category '%(name)s'; create it first, or choose “create missing categories”.",
                name="/".join(split_path(row.category_text)),
            )
        )


def _parse_options(row: QuestionRow, values: dict) -> None:
    texts = [_cell(row, values, letter) for letter in OPTION_COLUMNS]
    last = max((i for i, text in enumerate(texts) if text), default=-1)
    for i in range(last):
        if not texts[i]:
            row.errors.append(_l("Option %(letter)s is empty but later options are filled.", letter=LETTERS[i]))
    row.options = texts[: last + 1]
    for letter, text in zip(LETTERS, row.options):
        if len(text) > LIMITS["option"]:
            row.errors.append(
                _l("Option %(letter)s is longer than %(n)d characters.", letter=letter, n=LIMITS["option"])
            )


def _parse_type_and_answer(row: QuestionRow, values: dict, type_text: str) -> None:
    raw_answer = values.get("answer")
    answer_value = raw_answer if isinstance(raw_answer, bool) else row.answer_text
    try:
        row.type = (
            answer_input.parse_type(type_text) if type_text else answer_input.infer_type(row.options, answer_value)
        )
    except ValidationFailed as error:
        row.errors.append(error.message)
        return
    if not row.answer_text and not isinstance(raw_answer, bool):
        row.errors.append(_l("The answer is missing."))
        return
    options = row.options
    if row.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if not answers.MIN_OPTIONS <= len(options) <= answers.MAX_OPTIONS:
            row.errors.append(_l("A choice question needs 2 to 8 options (columns A to H)."))
            return
    elif options:
        if (
            row.type == QuestionType.TRUE_FALSE
            and len(options) == 2
            and all(answer_input.is_true_false_word(o) for o in options)
        ):
            # 判断 written as a choice between 对 and 错: the chosen option's word is the answer.
            try:
                letter = answer_input.parse_choice(QuestionType.SINGLE, answer_value, 2)
                answer_value = options[LETTERS.index(letter)]
            except ValidationFailed as error:
                row.errors.append(error.message)
                return
            row.options = []
        else:
            row.errors.append(
                _l("A %(type)s question has no options; empty columns A to H.", type=answer_input.type_word(row.type))
            )
            return
    try:
        row.answer = answer_input.parse_answer(row.type, answer_value, row.options)
        if row.type == QuestionType.FILL:
            answer_input.check_fill_stem(row.stem, row.answer)
    except ValidationFailed as error:
        row.errors.append(error.message)


def _parse_difficulty(row: QuestionRow, values: dict) -> None:
    value = values.get("difficulty")
    if isinstance(value, (datetime, date, time)):
        row.errors.append(_l("%(column)s is a date-formatted cell; use 1 to 5.", column=_label("difficulty")))
        return
    text = answer_input.fold(tabular.cell_text(value))
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


def _parse_row(raw, context: _Context) -> QuestionRow:
    values = raw.values
    row = QuestionRow(number=raw.number)
    for column in raw.uncalculated:
        row.errors.append(
            _l(
                "%(column)s is a formula without a calculated value (the file was made by a program). Open it in "
                "Excel or WPS, save it, and upload it again — or replace the formula by its value.",
                column=_label(column),
            )
        )
    row.ref = _cell(row, values, "ref")
    type_text = _cell(row, values, "type")
    row.stem = _cell(row, values, "stem")
    _parse_options(row, values)
    row.answer_text = _cell(row, values, "answer")
    row.explanation = _cell(row, values, "explanation")
    row.category_text = _cell(row, values, "category")
    row.source = _cell(row, values, "source")
    row.tags = [t for t in TAG_SEPARATORS.split(_cell(row, values, "tags")) if t][:20]
    if not row.stem:
        row.errors.append(_l("The question text (题干) is missing."))
    elif len(row.stem) > LIMITS["stem"]:
        row.errors.append(_l("The question text is longer than %(n)d characters.", n=LIMITS["stem"]))
    if len(row.source) > LIMITS["source"]:
        row.errors.append(_l("The source is longer than %(n)d characters.", n=LIMITS["source"]))
    if len(row.explanation) > LIMITS["explanation"]:
        row.errors.append(_l("The explanation is longer than %(n)d characters.", n=LIMITS["explanation"]))
    if row.stem:
        _parse_type_and_answer(row, values, type_text)
    _parse_difficulty(row, values)
    _resolve_category(row, context)
    if not row.errors:
        try:
            answers.validate(row.type, row.stem, row.options, row.answer)
        except ValidationFailed as error:
            row.errors.append(error.message)
    return row


def _content_key(row_or_question):
    options = tuple(answers.fold_text(o) for o in row_or_question.options)
    return answers.dedupe_key(row_or_question.type, row_or_question.stem), options


def _mark_duplicates(rows: list) -> None:
    """Skip rows that repeat an earlier row or a question in the bank (same type, stem, options)."""
    candidates = [r for r in rows if not r.errors]
    keys = {r.number: _content_key(r) for r in candidates}
    existing = {}
    wanted = sorted({key[0] for key in keys.values()})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for question in db.session.scalars(sa.select(Question).where(Question.dedupe_key.in_(chunk))):
            existing.setdefault(_content_key(question), question)
    seen = {}
    for row in candidates:
        key = keys[row.number]
        question = existing.get(key)
        earlier = seen.get(key)
        if question is not None:
            if question.answer == row.answer:
                row.duplicate = (
                    _l("Already in the bank as #%(id)d.", id=question.id)
                    if question.active
                    else _l("Already in the bank as #%(id)d (retired).", id=question.id)
                )
            else:
                row.errors.append(
                    _l(
                        "The bank has this question as #%(id)d with the answer %(answer)s.",
                        id=question.id,
                        answer=answers.answer_text(question.type, question.answer),
                    )
                )
        elif earlier is not None:
            if earlier.answer == row.answer:
                row.duplicate = _l("Repeats row %(row)d.", row=earlier.number)
            else:
                row.errors.append(_l("Repeats row %(row)d with another answer.", row=earlier.number))
        else:
            seen[key] = row


def _check_size(data: bytes) -> None:
    limit_mb = get_setting("BANK_IMPORT_MAX_MB")
    if len(data) > limit_mb * 1024 * 1024:
        raise ValidationFailed(
            _l("The file is larger than %(mb)d MB; split it into smaller files.", mb=limit_mb), field="file"
        )


def parse_questions(data: bytes, *, default_category=None, create_categories: bool = False) -> ImportReport:
    """Check every row of a question file without writing anything.

    default_category: the Category for rows without one (None: every row needs its own).
    Raises ValidationFailed (or tabular.TabularError) for a file that cannot be imported at all.
    """
    _check_size(data)
    table = tabular.read_table(
        data,
        HEADER_ALIASES,
        max_rows=get_setting("BANK_IMPORT_MAX_ROWS"),
        required=REQUIRED_COLUMNS,
        column_labels=COLUMN_LABELS,
        fill_merged=True,
    )
    if "category" not in table.columns and default_category is None:
        raise ValidationFailed(
            _l("The file has no 分类 (category) column: choose the category for all its questions."),
            field="category",
        )
    context = _Context(default_category, create_categories)
    rows = [_parse_row(raw, context) for raw in table.rows]
    _mark_duplicates(rows)
    return ImportReport(
        rows=rows,
        unknown_headers=table.unknown_headers,
        hidden_rows=table.hidden_rows,
        filled_ranges=table.filled_ranges,
        new_categories=sorted(path for path, numbers in context.planned.items()),
    )


def import_questions(
    data: bytes, actor, *, valid_only: bool, now, default_category=None, create_categories: bool = False
) -> tuple[ImportReport, list]:
    """Create the new questions of a file; returns the report and the created questions.

    Without valid_only, any bad row means nothing is written (ValidationFailed). Duplicates are
    never written. Missing categories are created only with create_categories.
    """
    report = parse_questions(data, default_category=default_category, create_categories=create_categories)
    if report.invalid and not valid_only:
        raise ValidationFailed(_l("%(n)d rows have errors; nothing was imported.", n=len(report.invalid)))
    tree = CategoryTree()
    created_paths = {}
    created = []
    for row in report.valid:
        category = row.category
        if row.new_category:
            if row.new_category not in created_paths:
                created_paths[row.new_category] = tree.create_path(row.new_category, now)
            category = created_paths[row.new_category]
        created.append(
            services.create_question(
                actor,
                category=category,
                type=row.type,
                stem=row.stem,
                options=row.options,
                answer=row.answer,
                explanation=row.explanation or None,
                difficulty=row.difficulty,
                source=row.source or None,
                tags=row.tags,
                now=now,
            )
        )
    audit.record(
        "bank.import",
        actor=actor,
        detail={
            "created": len(created),
            "duplicates": len(report.duplicates),
            "skipped": len(report.invalid),
            "new_categories": sorted(created_paths),
        },
    )
    return report, created
