"""How a file's columns and values are read: the mapping an admin sets on the import page and may
save as a named profile (ImportProfile), reused by the page and by `flask import-questions
--profile NAME`.

    columns   header as written -> field (question_bank.import_columns.FIELDS), '' to ignore it;
              headers not listed are read by their known names
    values    field -> {value as written: what it means}, for three fields:
              type        '1' -> 'single' | 'multiple' | 'true_false' | 'fill' | 'skip' (subjective)
              answer      '16' -> 'A' (a map whose codes are powers of two also reads their sums:
                          48 -> 'AB', the bit masks some exam systems store)
              difficulty  '9' -> '3' (1 to 5)

Values are compared folded (full-width as half-width, case and surrounding spaces ignored), and a
number cell 1.0 reads as '1'.
"""

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from core import tabular
from core.errors import ValidationFailed
from question_bank import answer_input
from question_bank.import_columns import FIELDS
from question_bank.models import QuestionType

VALUE_FIELDS = ("type", "answer", "difficulty")
TYPE_TARGETS = {**{t.value: t.value for t in QuestionType}, "skip": "skip"}
MAP_LINE = re.compile(r"^\s*([^=＝:：]+?)\s*[=＝:：]\s*(.+?)\s*$")


def fold_value(value) -> str:
    text = answer_input.fold(tabular.cell_text(value))
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


@dataclass
class Mapping:
    columns: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, data) -> "Mapping":
        data = data or {}
        columns = {str(k): str(v or "") for k, v in (data.get("columns") or {}).items()}
        values = {
            name: {fold_value(k): str(v) for k, v in (data.get("values") or {}).get(name, {}).items()}
            for name in VALUE_FIELDS
        }
        return cls(columns=columns, values={k: v for k, v in values.items() if v})

    def to_json(self) -> dict:
        return {"columns": dict(self.columns), "values": {k: dict(v) for k, v in self.values.items() if v}}

    def value(self, name: str, raw):
        """The mapped meaning of a value of field `name`, or None when the map does not say."""
        table = self.values.get(name)
        if not table or raw is None:
            return None
        key = fold_value(raw)
        if key in table:
            return table[key]
        if name == "answer":
            return _bits(table, key)
        return None


def _bits(table: dict, key: str):
    """'48' with {'16': 'A', '32': 'B', …} -> 'AB'; None unless every code is a power of two."""
    try:
        codes = {int(code): letter for code, letter in table.items()}
        number = int(key)
    except ValueError:
        return None
    if number <= 0 or any(code <= 0 or code & (code - 1) for code in codes):
        return None
    letters = [codes[code] for code in sorted(codes) if number & code]
    if sum(code for code in codes if number & code) != number:
        return None
    return "".join(letters)


def parse_value_lines(name: str, text: str) -> dict:
    """'1=单选' lines (= or : in either width) into a value map for field `name`; raises
    ValidationFailed naming the first line that does not read."""
    table = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = MAP_LINE.match(line)
        if not match:
            raise ValidationFailed(_l("Line %(n)d of a value map is not “value = meaning”.", n=number), field=name)
        key, target = fold_value(match.group(1)), match.group(2).strip()
        table[key] = _target(name, target, number)
    return table


def _target(name: str, target: str, number: int) -> str:
    if name == "type":
        folded = answer_input.fold(target)
        if folded in ("skip", "跳过", "主观", "主观题"):
            return "skip"
        try:
            return answer_input.parse_type(target).value
        except ValidationFailed:
            raise ValidationFailed(
                _l(
                    "Line %(n)d: '%(value)s' is not a question type (单选, 多选, 判断, 填空 or 跳过).",
                    n=number,
                    value=target,
                ),
                field=name,
            ) from None
    if name == "difficulty":
        if target not in ("1", "2", "3", "4", "5"):
            raise ValidationFailed(_l("Line %(n)d: a difficulty is 1 to 5.", n=number), field=name)
        return target
    letters = answer_input.LETTER_SEPARATORS.sub("", answer_input.fold(target)).upper()
    if letters and letters.isascii() and letters.isalpha():
        return letters
    if answer_input.is_true_false_word(target):
        return target
    raise ValidationFailed(
        _l("Line %(n)d: an answer code means option letters such as A or 对/错.", n=number), field=name
    )


def value_lines(table: dict) -> str:
    """A value map as the page's text box shows it."""
    return "\n".join(f"{key} = {target}" for key, target in (table or {}).items())


def check_columns(columns: dict) -> dict:
    """Only known fields (or '' to ignore), each given to at most one column."""
    seen = {}
    for header, name in columns.items():
        if name and name not in FIELDS:
            raise ValidationFailed(_l("Unknown field '%(name)s'.", name=name), field="columns")
        if name and name in seen:
            raise ValidationFailed(
                _l("The columns %(a)s and %(b)s are both read as the same field.", a=seen[name], b=header),
                field="columns",
            )
        if name:
            seen[name] = header
    return columns
