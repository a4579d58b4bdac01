"""Text as other systems leave it, cleaned for the bank; each function says what it changed so the
import report can warn about it.

- HTML entities (&nbsp; even without its ';') are decoded and formatting tags removed (<br>, <p>
  become line breaks).
- All options in one cell are split on their letter markers: 'A．…;B．…', 'A.9种/B.10种',
  'A 组织纪律   B 政治纪律'; the letters must run A, B, C… in order.
- A letter prefix repeated inside an option cell ('A．破坏交通工具罪' in column A) is removed.
- Answer prefixes and trailing punctuation are dropped: '答案：对', '正确答案：错', '对。'.
- A fill-in stem whose blanks lost their underline gets one: a run of spaces becomes ____, and a
  stem with none at all gets ____ at its end.
"""

import html
import re

from question_bank.answers import LETTERS

# Only the tags that format text are removed; any other <…> (<script> in a question about web
# pages, say) is text, shown escaped like every other text.
FORMATTING_TAG = (
    r"</?(?:p|br|div|span|font|b|i|u|em|strong|sub|sup|li|ul|ol|table|tr|td|th|tbody|h[1-6])(?:\s[^<>]{0,200})?\s*/?>"
)
HTML_HINT = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,5});?|" + FORMATTING_TAG, re.IGNORECASE)
BREAK_TAGS = re.compile(r"<\s*(?:br|/p|/div|/li|/tr)\s*/?\s*>", re.IGNORECASE)
TAGS = re.compile(FORMATTING_TAG, re.IGNORECASE)
SPACES = re.compile(r"[ \t\u00a0\u3000]+")
LINE_BREAKS = re.compile(r"\s*\n\s*")
# An option's letter marker: the letter, then . ． 、 ： : ) ） or spaces; or the letter in brackets.
MARKER = r"(?:[(（]\s*{L}\s*[)）]|{L}\s*[.．、:：)）]|{L}(?=\s|[^A-Za-z0-9\s]))"
ANSWER_PREFIX = re.compile(r"^\s*(?:正确答案|参考答案|标准答案|答案|答)\s*[:：]?\s*")
TRAILING = re.compile(r"[\s。.，,；;！!、]+$")
SPACE_BLANK = re.compile(r"(?<=\S)[ \u00a0\u3000]{3,}(?=\S)|(?<=\S)\u3000{2,}(?=\S)")
SUBJECTIVE_WORDS = (
    "简答",
    "案例分析",
    "问答",
    "主观",
    "论述",
    "计算",
    "公文改错",
    "材料分析",
    "写作",
    "作文",
    "综合分析",
)


def clean_html(text: str) -> tuple[str, bool]:
    """(text without HTML entities and tags, whether anything was removed)."""
    if not text or not HTML_HINT.search(text):
        return text, False
    cleaned = BREAK_TAGS.sub("\n", text)
    cleaned = TAGS.sub("", cleaned)
    cleaned = html.unescape(cleaned)
    cleaned = SPACES.sub(" ", cleaned.replace("\u00a0", " "))
    cleaned = LINE_BREAKS.sub("\n", cleaned).strip()
    return cleaned, cleaned != text


def _marker(letter: str) -> str:
    return MARKER.format(L=letter)


def split_options(text: str) -> list[str]:
    """'A．甲;B．乙;C．丙' -> ['甲', '乙', '丙']; [] unless markers A, B… are found in order.

    The text between two markers is one option, without the separators around it (; / | and
    spaces); an empty part left by a trailing separator is dropped."""
    text = (text or "").strip()
    start = re.match(r"\s*" + _marker("A"), text)
    if not start:
        return []
    positions = [(0, start.end())]
    cursor = start.end()
    for letter in LETTERS[1:]:
        pattern = re.compile(r"(?:^|(?<=[\s;；/|,，、]))" + _marker(letter))
        found = pattern.search(text, cursor)
        if not found:
            break
        positions.append((found.start(), found.end()))
        cursor = found.end()
    if len(positions) < 2:
        return []
    options = []
    for index, (_begin, end) in enumerate(positions):
        stop = positions[index + 1][0] if index + 1 < len(positions) else len(text)
        options.append(text[end:stop].strip().strip(";；/|,，").strip())
    return options


OWN_PREFIX = {
    letter: re.compile(r"\s*(?:[(（]\s*" + letter + r"\s*[)）]|" + letter + r"\s*[.．、:：)）])\s*")
    for letter in LETTERS
}


def strip_letter_prefixes(options: list[str]) -> tuple[list[str], int]:
    """Remove 'A．' from option A, 'B、' from option B…; returns (options, how many were removed).

    A prefix is removed only when it is the option's own letter followed by a separator, so an
    option that merely starts with a capital letter ('A类火灾') keeps it."""
    cleaned, removed = [], 0
    for letter, text in zip(LETTERS, options):
        match = OWN_PREFIX[letter].match(text or "") if text and text.lstrip()[:1] in "(（" + letter else None
        if match and text[match.end() :].strip():
            cleaned.append(text[match.end() :].strip())
            removed += 1
        else:
            cleaned.append(text)
    return cleaned, removed


def clean_answer(text: str) -> str:
    """'答案：对' -> '对'; '对。' -> '对'; 'ABC ' -> 'ABC'."""
    text = ANSWER_PREFIX.sub("", text or "")
    return TRAILING.sub("", text).strip()


def is_subjective(type_text: str) -> bool:
    folded = (type_text or "").strip()
    return any(word in folded for word in SUBJECTIVE_WORDS)


def mark_lost_blanks(stem: str) -> tuple[str, bool]:
    """A run of three or more spaces (two full-width ones) inside the stem becomes ____; a stem
    with no blank at all gets ____ at its end (before its closing punctuation). Returns the stem
    and whether it changed."""
    from question_bank.answer_input import count_blanks

    if count_blanks(stem):
        return stem, False
    marked = SPACE_BLANK.sub("____", stem)
    if count_blanks(marked):
        return marked, True
    body = stem.rstrip("。.？?！! ")
    return body + "____" + stem[len(body) :], True


def split_joined_blanks(answer: str, blanks: int) -> str:
    """'统一指挥、逐级指挥、属地指挥' for a stem with three blanks -> '统一指挥；逐级指挥；属地指挥'."""
    if blanks < 2 or re.search(r"[;；|]", answer):
        return answer
    for separator in ("、", "，", ",", "和"):
        parts = [p.strip() for p in answer.split(separator)]
        if len(parts) == blanks and all(parts):
            return "；".join(parts)
    return answer
