"""Question import: read the file, check every row, report by the row number Excel shows (or the
item's line in a Word or text bank); then write all rows, or only the valid ones when the admin
chooses so, in one transaction.

Rules (also on the import page and the template's instructions sheet):
- Files: .xlsx, .xls, .ods, CSV or tab-separated text under any name and in any common encoding,
  JSON (an array of objects, or one object a line), and numbered banks in .docx or plain text
  (question_bank.import_documents). A .doc is refused with the advice to save it as .docx.
- Headers in Chinese or English, any order, and the names other systems use; a mapping (saved as a
  profile) may say how any column and its values are read (question_bank.import_mapping).
  Columns read as nothing are listed.
- Layouts and cell forms: question_bank.import_layouts and question_bank.import_rows.
- Category: the row's 分类 (a name or a path 党史教育/党史学习教育), else the chosen default;
  unknown ones are errors unless "create missing categories" is chosen.
- Merged cells are filled with their top-left value; hidden rows are read like the others.
- Exact duplicates (same type, stem and options) of a question in the bank or of an earlier row
  are skipped and counted, not imported twice; the same question with another answer is an error.
- Subjective rows (简答, 案例分析…) are skipped and counted.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from core import file_readers, tabular
from core.errors import ValidationFailed
from core.extensions import db
from core.settings import get_setting
from question_bank import answers, import_documents, services
from question_bank.categories import CategoryTree, split_path
from question_bank.import_columns import HEADER_ALIASES
from question_bank.import_layouts import Layout, read_layout
from question_bank.import_mapping import Mapping
from question_bank.import_rows import QuestionRow, parse_source_row
from question_bank.models import Question

__all__ = ["HEADER_ALIASES", "ImportReport", "QuestionRow", "import_questions", "parse_questions", "read_source"]
PREVIEW_ROWS = 5


@dataclass
class ImportReport:
    rows: list
    unknown_headers: list = field(default_factory=list)
    hidden_rows: list = field(default_factory=list)
    filled_ranges: list = field(default_factory=list)
    new_categories: list = field(default_factory=list)
    kind: str = "table"  # table, options_per_row, document
    headers: list = field(default_factory=list)  # [(header as written, field or '')]
    preview: list = field(default_factory=list)  # the first rows' cells, for the mapping page
    preamble: list = field(default_factory=list)  # lines before a document's first item

    def _with(self, status):
        return [r for r in self.rows if r.status == status]

    @property
    def valid(self):
        return self._with("new")

    @property
    def duplicates(self):
        return self._with("duplicate")

    @property
    def invalid(self):
        return self._with("error")

    @property
    def skipped(self):
        return self._with("skipped")

    @property
    def warned(self):
        return [r for r in self.rows if r.warnings and r.status in ("new", "duplicate")]

    def summary(self, imported=None) -> str:
        """The one line the CLI prints: imported N, duplicates D, skipped S, errors E (translated)."""
        count = len(self.valid) if imported is None else imported
        return str(
            _l(
                "imported %(n)d, duplicates %(d)d, skipped %(s)d, errors %(e)d",
                n=count,
                d=len(self.duplicates),
                s=len(self.skipped),
                e=len(self.invalid),
            )
        )


@dataclass
class Source:
    """A file read into source rows, before any row is checked."""

    rows: list
    layout: Layout | None = None
    preview: list = field(default_factory=list)
    preamble: list = field(default_factory=list)
    kind: str = "table"


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


def _content_key(row_or_question):
    options = tuple(answers.fold_text(o) for o in row_or_question.options)
    return answers.dedupe_key(row_or_question.type, row_or_question.stem), options


def _mark_duplicates(rows: list) -> None:
    """Skip rows that repeat an earlier row or a question in the bank (same type, stem, options)."""
    candidates = [r for r in rows if not r.errors and not r.skipped]
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


def read_source(data: bytes, mapping: Mapping | None = None, *, reader: str | None = None) -> Source:
    """The file's source rows: a table (any layout) or the items of a numbered bank.

    Raises ValidationFailed (tabular.TabularError) for a file that cannot be imported at all."""
    _check_size(data)
    mapping = mapping or Mapping()
    max_rows = get_setting("BANK_IMPORT_MAX_ROWS")
    kind = file_readers.detect_kind(data)
    if kind == "doc":
        raise tabular.TabularError(
            _l("Old Word (.doc) files cannot be read. Open it in Word or WPS, save it as .docx and upload again.")
        )
    if kind == "docx":
        return _document(import_documents.docx_text(data), max_rows)
    text = file_readers.decode(data) if kind == "text" else None
    if text is not None and import_documents.looks_numbered(text):
        return _document(text, max_rows)
    if text is not None:
        sheet = file_readers.sheet_from_text(text, max_rows)
    else:
        sheet = file_readers.read_sheet(data, max_rows=max_rows, reader=reader)
    layout = read_layout(sheet, mapping, max_rows)
    start = next((i for i, (number, _cells) in enumerate(sheet.grid) if number == layout.header_row), 0)
    preview = [cells for _number, cells in sheet.grid[start + 1 : start + 1 + PREVIEW_ROWS]]
    return Source(rows=layout.rows, layout=layout, preview=preview, kind=layout.kind)


def _document(text: str, max_rows: int) -> Source:
    rows, preamble = import_documents.read_items(text, max_rows)
    if not rows:
        raise tabular.TabularError(_l("No numbered questions (1. … 2. …) were found in the document."))
    return Source(rows=rows, preamble=preamble, kind="document")


def parse_questions(
    data: bytes,
    *,
    default_category=None,
    create_categories: bool = False,
    mapping: Mapping | None = None,
    reader: str | None = None,
) -> ImportReport:
    """Check every row of a question file without writing anything.

    default_category: the Category for rows without one (None: every row needs its own).
    mapping: how columns and values are read (a profile's, or the page's); known headers otherwise.
    Raises ValidationFailed (or tabular.TabularError) for a file that cannot be imported at all.
    """
    mapping = mapping or Mapping()
    source = read_source(data, mapping, reader=reader)
    layout = source.layout
    has_category = layout is not None and any(name == "category" for _header, name in layout.headers)
    if not has_category and default_category is None:
        raise ValidationFailed(
            _l("The file has no 分类 (category) column: choose the category for all its questions."),
            field="category",
        )
    context = _Context(default_category, create_categories)
    rows = []
    for raw in source.rows:
        row = parse_source_row(raw, mapping)
        if not row.skipped:
            _resolve_category(row, context)
        rows.append(row)
    _mark_duplicates(rows)
    return ImportReport(
        rows=rows,
        unknown_headers=layout.unknown_headers if layout else [],
        hidden_rows=layout.hidden_rows if layout else [],
        filled_ranges=layout.filled_ranges if layout else [],
        new_categories=sorted(path for path, numbers in context.planned.items()),
        kind=source.kind,
        headers=layout.headers if layout else [],
        preview=source.preview,
        preamble=source.preamble,
    )


def import_questions(
    data: bytes,
    actor,
    *,
    valid_only: bool,
    now,
    default_category=None,
    create_categories: bool = False,
    mapping: Mapping | None = None,
) -> tuple[ImportReport, list]:
    """Create the new questions of a file; returns the report and the created questions.

    Without valid_only, any bad row means nothing is written (ValidationFailed). Duplicates are
    never written. Missing categories are created only with create_categories.
    """
    report = parse_questions(
        data, default_category=default_category, create_categories=create_categories, mapping=mapping
    )
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
            "skipped": len(report.skipped),
            "errors": len(report.invalid),
            "new_categories": sorted(created_paths),
        },
    )
    return report, created
