"""Question banks typed as numbered items, in Word (.docx) or plain text, read into source rows.

    一、单项选择题（100题）                      a section heading sets the type of the items below it
    1. 遵守党的__B__是…的重要基础。（《摘编》13页）   an item: its number, the stem; the answer may sit in
    A 组织纪律   B 政治纪律   C 廉洁纪律             the stem between underscores (__B__, _AC_); options
                                                on one or more lines, split on their letters
    正确答案：开除党籍                            an answer line (答案： / 正确答案： / 参考答案：)

A reference after the stem (（《党章》第10条）, 《条例》第九条, 党章总纲) becomes the question's source.
Lines before the first item (a title) are left out. Each item keeps its text as it was read, so
the import page shows it and the admin can correct or drop it before importing.
"""

import io
import re

from flask_babel import lazy_gettext as _l

from core.zip_scan import FileRefused, TooManyRows, open_zip
from question_bank import import_cleaning as cleaning
from question_bank.import_rows import SourceRow

ITEM = re.compile(r"^\s*(\d{1,4})\s*[.．、]\s?(.*)$")
SECTION = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]\s*(.+?)\s*$")
OPTION_LINE = re.compile(r"^\s*[(（]?\s*A\s*[.．、:：)）]?\s*\S")
MORE_OPTIONS = re.compile(r"^\s*[(（]?\s*[B-H]\s*[.．、:：)）]?\s*\S")
ANSWER_LINE = re.compile(r"^\s*(?:正确答案|参考答案|标准答案|答案)\s*[:：]\s*(.*)$")
STEM_ANSWER = re.compile(r"_+\s*([A-Ha-h]{1,8})\s*_+")
EMPTY_BRACKETS = re.compile(r"[(（][\s\u3000\u00a0]*[)）]")
REFERENCE = re.compile(r"《[^》]+》|党章|条例|准则|第[0-9一二三四五六七八九十百]+[条章款]|\d+页|总纲")
SECTION_TYPES = (
    ("单", "单选"),
    ("多", "多选"),
    ("不定项", "多选"),
    ("判断", "判断"),
    ("是非", "判断"),
    ("填空", "填空"),
)


def looks_numbered(text: str) -> bool:
    """Two or more numbered items and no tab-separated columns: a Word-style bank."""
    lines = text.splitlines()[:400]
    return sum(1 for line in lines if ITEM.match(line)) >= 2 and not any("\t" in line.strip() for line in lines[:5])


def docx_text(data: bytes) -> str:
    """The paragraphs of a .docx (and the lines of its tables' cells), one a line."""
    open_zip(data)  # sizes and entity declarations checked before python-docx parses it
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:
        raise FileRefused(_l("The Word file could not be read: %(reason)s", reason=type(error).__name__)) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def read_items(text: str, max_rows: int) -> tuple[list, list]:
    """(source rows, lines before the first item) of a numbered bank."""
    section, items, preamble, current = "", [], [], None
    for number, line in enumerate(text.splitlines(), start=1):
        heading = SECTION.match(line)
        if heading and not ITEM.match(line):
            section = _section_type(heading.group(1))
            current = None
            continue
        if ITEM.match(line):
            current = {"line": number, "type": section, "lines": [line]}
            items.append(current)
            if len(items) > max_rows:
                raise TooManyRows(max_rows)
        elif current is not None:
            if line.strip():
                current["lines"].append(line)
        elif line.strip():
            preamble.append(line.strip())
    return [_source(item) for item in items], preamble


def _section_type(title: str) -> str:
    for word, qtype in SECTION_TYPES:
        if word in title:
            return qtype
    if cleaning.is_subjective(title):
        return "简答"
    return ""


def _source(item: dict) -> SourceRow:
    lines = item["lines"]
    match = ITEM.match(lines[0])
    stem_lines, option_lines, answer = [match.group(2)], [], ""
    for line in lines[1:]:
        answer_match = ANSWER_LINE.match(line)
        if answer_match:
            answer = answer_match.group(1)
        elif OPTION_LINE.match(line) or (option_lines and MORE_OPTIONS.match(line)):
            option_lines.append(line.strip())
        elif option_lines:
            option_lines[-1] += " " + line.strip()
        else:
            stem_lines.append(line.strip())
    if not answer and len(stem_lines) > 1 and cleaning.clean_answer(stem_lines[-1]) in ("对", "错", "正确", "错误"):
        answer = stem_lines.pop()  # a bare '错。' line
    stem, warnings = _stem(stem_lines)
    values = {"type": item["type"] or None, "ref": match.group(1)}
    options = cleaning.split_options("   ".join(option_lines)) if option_lines else []
    for letter, text in zip("ABCDEFGH", options):
        values[letter] = text
    in_stem = STEM_ANSWER.findall(stem)
    if in_stem and options:
        answer = answer or "".join(sorted(set("".join(in_stem).upper())))
        stem = STEM_ANSWER.sub("（  ）", stem)
    stem, source = _split_source(stem)
    if item["type"] == "判断":
        stem = EMPTY_BRACKETS.sub("", stem).strip()
    answer = cleaning.clean_answer(answer)
    alternatives = re.fullmatch(r"(\S{1,3})或(\S{1,3})", answer)
    if item["type"] == "填空" and alternatives:
        answer = "/".join(alternatives.groups())
    values.update(stem=stem, answer=answer or None, source=source or None)
    return SourceRow(number=item["line"], values=values, text="\n".join(lines), warnings=warnings)


def _stem(lines: list) -> tuple[str, list]:
    first = lines[0]
    warnings = []
    if re.match(r"[ \u00a0\u3000]{3,}\S", first):  # the blank at the very start lost its underline
        first = "____" + first.strip()
        warnings.append(_l("The blank had no ____ in the question; one was added where it was lost."))
    text = " ".join([first.strip(), *lines[1:]]).replace("\u00a0", " ").strip()
    return text, warnings


def _split_source(stem: str) -> tuple[str, str]:
    """('…的重要基础。', '《摘编》13页') from '…的重要基础。（《摘编》13页）'."""
    bracketed = re.search(r"[（(]\s*(《[^（）()]*?》[^（）()]*?)\s*[）)]\s*([。.]?)\s*$", stem)
    if bracketed:
        return (stem[: bracketed.start()].rstrip() + bracketed.group(2)).strip(), bracketed.group(1).strip()
    ends = [m.end() for m in re.finditer(r"[。？?！!]", stem)]
    if ends and ends[-1] < len(stem):
        tail = stem[ends[-1] :]
        reference = EMPTY_BRACKETS.sub("", tail).strip()
        if reference and REFERENCE.search(reference):
            # what stands before the reference stays, a choice item's blank too (？（  ）（《条例》第72条）…)
            start = tail.find(reference)
            kept = tail[: start if start >= 0 else tail.index(reference[0])]
            reference = re.sub(r"^[（(]|[）)]$", "", reference).strip()
            return (stem[: ends[-1]] + kept).strip(), reference
    trailing = re.search(r"(?:\s+|(?<=[；;]))(《[^》]+》\S*)\s*$", stem)  # '…处分；《条例》第一百二十八条'
    if trailing:
        return stem[: trailing.start()].strip(), trailing.group(1)
    return stem, ""


def rebuild(items: list) -> str:
    """A numbered bank again from [(type word, item text)], the items as the admin corrected them:
    a section heading before each run of one type, so every item keeps its type."""
    lines, section = [], None
    for qtype, text in items:
        if qtype != section:
            lines.append(f"一、{qtype or '其他'}题")
            section = qtype
        lines.append(text.strip())
    return "\n".join(lines)
