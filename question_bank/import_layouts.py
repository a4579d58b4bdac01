"""The layouts a question table comes in, read into source rows (question_bank.import_rows).

- One question a row, under a header found among the top rows (instruction rows above it are
  skipped); the mapping's column choices override the known header names.
- One row per option (a question's fields on its first row, each row one option, the correct ones
  flagged 1 in a 是否正确项 column): the rows of a question are joined into one source row.
- A row shifted one column left of its header (a fill-in or subjective row whose last option column
  holds the answer, the answer column the explanation, and the last column nothing) is put back
  under its headers, with a warning.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from core import tabular
from core.file_readers import Sheet
from question_bank import answer_input
from question_bank import import_cleaning as cleaning
from question_bank.answers import LETTERS
from question_bank.import_columns import COLUMN_LABELS, HEADER_ALIASES, OPTION_COLUMNS
from question_bank.import_mapping import Mapping
from question_bank.import_rows import SourceRow
from question_bank.models import QuestionType


@dataclass
class Layout:
    """A table read into source rows, with what the report lists about the file."""

    rows: list
    header_row: int = 0
    headers: list = field(default_factory=list)  # [(header as written, field or '')] in column order
    unknown_headers: list = field(default_factory=list)
    hidden_rows: list = field(default_factory=list)
    filled_ranges: list = field(default_factory=list)
    kind: str = "table"  # table, options_per_row


def read_layout(sheet: Sheet, mapping: Mapping, max_rows: int) -> Layout:
    """Source rows of a sheet; raises TabularError without a header holding 题干 and 答案."""
    table = tabular.read_table(
        b"",
        HEADER_ALIASES,
        max_rows=max_rows,
        fill_merged=True,
        sheet=sheet,
        column_labels=COLUMN_LABELS,
        overrides=mapping.columns,
    )
    columns = table.columns
    missing = [name for name in ("stem", "answer") if name not in columns]
    if "answer" in missing and "option_correct" in columns:
        missing.remove("answer")  # one row per option: the flags are the answer
    if missing:
        raise tabular.TabularError(
            _l("Required column missing: %(columns)s", columns=", ".join(COLUMN_LABELS[n] for n in missing))
        )
    layout = Layout(
        rows=[],
        header_row=table.header_row,
        headers=list(zip(table.headers, [c or "" for c in columns])),
        unknown_headers=table.unknown_headers,
        hidden_rows=table.hidden_rows,
        filled_ranges=table.filled_ranges,
    )
    if "option_correct" in columns and "option_text" in columns:
        layout.kind = "options_per_row"
        layout.rows = _join_option_rows(table.rows)
    else:
        layout.rows = [_realigned(raw, columns) for raw in table.rows]
    return layout


def _realigned(raw, columns) -> SourceRow:
    source = SourceRow(number=raw.number, values=raw.values, uncalculated=raw.uncalculated)
    options = [i for i, name in enumerate(columns) if name in OPTION_COLUMNS]
    if not options or "answer" not in columns:
        return source
    last_option, width = options[-1], len(columns)
    cells = list(raw.raw) + [None] * (width - len(raw.raw))
    if not tabular.cell_text(cells[last_option]) or tabular.cell_text(cells[width - 1]):
        return source  # the quick test: a shifted row fills its last option and leaves the last column
    filled = [i for i, value in enumerate(cells[:width]) if tabular.cell_text(value)]
    type_text = tabular.cell_text(raw.values.get("type"))
    objective = _objective_type(type_text)
    if (
        objective in (QuestionType.FILL, None)
        and filled
        and filled[-1] == width - 2
        and tabular.cell_text(cells[last_option])
        and not any(tabular.cell_text(cells[i]) for i in options[:-1])
        and columns.index("answer") == last_option + 1
    ):
        shifted = cells[:last_option] + [None] + cells[last_option:width]
        values = {name: shifted[i] for i, name in enumerate(columns) if name}
        source.values = values
        source.warnings.append(_l("The row was one column left of its headers and was put back under them."))
    return source


def _objective_type(type_text: str):
    if cleaning.is_subjective(type_text):
        return None
    try:
        return answer_input.parse_type(type_text) if type_text else None
    except Exception:
        return "unknown"


def _join_option_rows(rows) -> list:
    """A question starts on a row with a question text; the rows below it without one add options."""
    joined, current, correct = [], None, []
    for raw in rows:
        values = raw.values
        if tabular.cell_text(values.get("stem")) or current is None:
            current = SourceRow(number=raw.number, values=dict(values), uncalculated=list(raw.uncalculated))
            for letter in OPTION_COLUMNS:
                current.values[letter] = None
            correct = []
            joined.append(current)
        index = sum(1 for letter in OPTION_COLUMNS if current.values.get(letter) is not None)
        if index >= len(LETTERS):
            current.warnings.append(_l("More than 8 options: the rest were left out."))
            continue
        current.values[LETTERS[index]] = values.get("option_text")
        if _flag(values.get("option_correct")):
            correct.append(LETTERS[index])
        current.values["answer"] = current.values.get("answer") or ("".join(correct) or None)
        if correct:
            current.values["answer"] = "".join(correct)
    return joined


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = answer_input.fold(tabular.cell_text(value))
    return text in ("1", "y", "yes", "true", "t", "是", "对", "正确", "√")
